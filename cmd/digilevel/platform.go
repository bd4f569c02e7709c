package main

import (
	"context"
	"time"

	"digilevel/model"
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
	// Reports the platform had already count as sent.
	return ui.SendResult{Sent: res.Sent + res.Existing, Failed: res.Failed, Rejected: res.Rejected, Held: res.Held,
		Paused: res.Paused, PauseReason: res.PauseReason}, err
}

func (p tuiPlatform) CheckServer(server string) error { return client.CheckServerURL(server) }

func (p tuiPlatform) Whoami(ctx context.Context, server, token string) (ui.TokenInfo, error) {
	who, err := client.Whoami(ctx, server, token, 10*time.Second)
	return ui.TokenInfo{Provider: who.Provider, Role: who.Role, ExpiresAt: who.ExpiresAt}, err
}

// PullPlatform pulls the enterprises' reports with the server and token of
// the settings (an inspector's or the office's token).
func (p tuiPlatform) PullPlatform(ctx context.Context, codes []string, who string) (ui.PullResult, error) {
	c, err := client.New(p.db, client.Options{Who: who})
	if err != nil {
		return ui.PullResult{}, err
	}
	res, err := c.PullEnterprises(ctx, codes)
	return pullResult(res), err
}

// PullBundle pulls the reports of a bundle file.
func (p tuiPlatform) PullBundle(path string, codes []string, c model.Change) (ui.PullResult, error) {
	res, err := client.PullBundle(p.db, path, codes, c)
	return pullResult(res), err
}

func pullResult(res client.PullResult) ui.PullResult {
	out := ui.PullResult{Stored: res.Stored, Existing: res.Existing, Refused: res.Refused, Skipped: res.Skipped,
		EnterprisesCreated: res.EnterprisesCreated, NotFound: res.NotFound}
	status := map[string]string{client.PullStored: ui.PullStored, client.PullExisting: ui.PullExisting,
		client.PullRefused: ui.PullRefused, client.PullSkipped: ui.PullSkipped}
	for _, it := range res.Reports {
		out.Items = append(out.Items, ui.PullItem{ID: it.ID, Enterprise: it.Enterprise, Name: it.Name, Kind: it.Kind,
			Version: it.Version, Provider: it.Provider, Status: status[it.Status], Reason: it.Reason})
	}
	return out
}
