package ui

import (
	"context"

	"digilevel/model"

	tea "github.com/charmbracelet/bubbletea"
)

// Puller brings providers' finalized reports onto the laptop for a
// spot-check (抽查); the command wires it with sync/client. Every report is
// checked on the way in by the store (signature, rescoring, text rule) and
// one refused report never stops the others.
type Puller interface {
	// PullPlatform pulls every report of the enterprises (credit codes)
	// from the platform in the settings, with the token in the settings
	// (an inspector's or the office's). who is recorded as the puller.
	PullPlatform(ctx context.Context, codes []string, who string) (PullResult, error)
	// PullBundle pulls the reports of a bundle file: all of them, or those
	// of the enterprises in codes.
	PullBundle(path string, codes []string, c model.Change) (PullResult, error)
}

// Pull outcomes of one report, as PullItem.Status says them.
const (
	PullStored   = "stored"
	PullExisting = "existing"
	PullRefused  = "refused"
	PullSkipped  = "skipped" // this laptop's own report
)

// PullResult is what one pull did, report by report.
type PullResult struct {
	Items                              []PullItem
	Stored, Existing, Refused, Skipped int
	EnterprisesCreated, NotFound       []string
}

// PullItem is one report of a pull; Reason says why it was refused.
type PullItem struct {
	ID, Enterprise, Name string
	Kind                 model.Kind
	Version              int
	Provider             string
	Status               string
	Reason               string
}

// pulledMsg is the result of a pull from the spot-check screen.
type pulledMsg struct {
	res    PullResult
	err    error
	bundle bool
	codes  []string
}

func pullPlatformCmd(ctx context.Context, p Puller, codes []string, who string) tea.Cmd {
	return func() tea.Msg {
		res, err := p.PullPlatform(ctx, codes, who)
		return pulledMsg{res: res, err: err, codes: codes}
	}
}

func pullBundleCmd(p Puller, path string, codes []string, c model.Change) tea.Cmd {
	return func() tea.Msg {
		res, err := p.PullBundle(path, codes, c)
		return pulledMsg{res: res, err: err, bundle: true, codes: codes}
	}
}
