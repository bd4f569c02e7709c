package client

import (
	"fmt"
	"time"

	"digilevel/model"
	"digilevel/storage"
)

// Status is what `sync status` shows: counts, the pause reason, and every
// item still in the outbox with its last error.
type Status struct {
	Server      string       `json:"server"`
	Queued      int          `json:"queued"`
	Sent        int          `json:"sent"`
	Failed      int          `json:"failed"`
	Rejected    int          `json:"rejected"`
	Held        int          `json:"held"`
	Paused      bool         `json:"paused"`
	PauseReason string       `json:"pause_reason,omitempty"`
	PausedAt    time.Time    `json:"paused_at,omitzero"`
	Items       []StatusItem `json:"items"`
}

// StatusItem is one outbox item.
type StatusItem struct {
	ID            string    `json:"id"`
	Enterprise    string    `json:"enterprise"`
	State         string    `json:"state"`
	StateLabel    string    `json:"state_label"`
	Replaces      string    `json:"replaces,omitempty"`
	SHA256        string    `json:"sha256"`
	EnqueuedAt    time.Time `json:"enqueued_at"`
	Attempts      int       `json:"attempts"`
	LastAttemptAt time.Time `json:"last_attempt_at,omitzero"`
	LastError     string    `json:"last_error,omitempty"`
}

// GetStatus reads the sync status of a store. Queued counts reports not yet
// tried, Failed those waiting for a retry, Rejected those refused, Held
// those refused for the token they were sent with.
func GetStatus(store *storage.DB) (Status, error) {
	var st Status
	var err error
	if st.Server, err = store.Setting(storage.SettingServerURL); err != nil {
		return st, err
	}
	if st.PauseReason, err = store.Setting(SettingPauseReason); err != nil {
		return st, err
	}
	st.Paused = st.PauseReason != ""
	if at, _ := store.Setting(SettingPausedAt); at != "" {
		st.PausedAt, _ = time.Parse(time.RFC3339, at)
	}
	items, err := store.Outbox()
	if err != nil {
		return st, fmt.Errorf("读取发送队列: %w", err)
	}
	st.Items = make([]StatusItem, 0, len(items))
	for _, it := range items {
		switch it.State {
		case model.StateSendFailed:
			st.Failed++
		case model.StateRejected:
			st.Rejected++
		case model.StateHeld:
			st.Held++
		default:
			st.Queued++
		}
		st.Items = append(st.Items, StatusItem{
			ID: it.AssessmentID, Enterprise: it.Enterprise, State: string(it.State), StateLabel: it.State.Label(),
			Replaces: it.Replaces, SHA256: it.SHA256, EnqueuedAt: it.EnqueuedAt, Attempts: it.Attempts,
			LastAttemptAt: it.LastAttemptAt, LastError: it.LastError,
		})
	}
	if st.Sent, err = store.Sent(); err != nil {
		return st, fmt.Errorf("统计已发送的报告: %w", err)
	}
	return st, nil
}
