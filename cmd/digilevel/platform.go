package main

import (
	"context"
	"time"

	"digilevel/storage"
	"digilevel/sync/client"
	"digilevel/ui"
)

// tuiPlatform is the district platform for the TUI: the sync client on
// the store, with server and token read from the settings at every call,
// so what the settings screen saves takes effect at once.
type tuiPlatform struct{ db *storage.DB }

func (p tuiPlatform) Status() (ui.PlatformStatus, error) {
	var st ui.PlatformStatus
	var err error
	if st.Server, err = p.db.Setting(storage.SettingServerURL); err != nil {
		return st, err
	}
	token, err := p.db.Setting(storage.SettingToken)
	if err != nil {
		return st, err
	}
	st.HasToken = token != ""
	if st.PauseReason, err = p.db.Setting(client.SettingPauseReason); err != nil {
		return st, err
	}
	if at, _ := p.db.Setting(client.SettingPausedAt); at != "" {
		st.PausedAt, _ = time.Parse(time.RFC3339, at)
	}
	return st, nil
}

// SendPending sends one round; without a server and token it does nothing.
func (p tuiPlatform) SendPending(ctx context.Context) (ui.SendResult, error) {
	st, err := p.Status()
	if err != nil || !st.Configured() {
		return ui.SendResult{Skipped: true}, err
	}
	c, err := client.New(p.db, client.Options{})
	if err != nil {
		return ui.SendResult{}, err
	}
	res, err := c.SendPending(ctx)
	// Reports the platform had already count as sent; held reports need a
	// person, like rejected ones.
	return ui.SendResult{Sent: res.Sent + res.Existing, Failed: res.Failed, Rejected: res.Rejected + res.Held,
		Paused: res.Paused, PauseReason: res.PauseReason}, err
}

func (p tuiPlatform) CheckServer(server string) error { return client.CheckServerURL(server) }

func (p tuiPlatform) Whoami(ctx context.Context, server, token string) (ui.TokenInfo, error) {
	who, err := client.Whoami(ctx, server, token, 10*time.Second)
	return ui.TokenInfo{Provider: who.Provider, Role: who.Role, ExpiresAt: who.ExpiresAt}, err
}
