package ui

import (
	"context"
	"time"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage"
)

// Store is what the UI needs from the database. *storage.DB satisfies it;
// every method that changes data returns only after its commit is durable,
// which is what lets a screen advance on the success message alone.
type Store interface {
	Summaries() ([]storage.EnterpriseSummary, error)
	Enterprise(code string) (model.Enterprise, error)
	CreateEnterprise(e model.Enterprise, c model.Change) (model.Enterprise, error)
	UpdateEnterprise(e model.Enterprise, c model.Change) (model.Enterprise, error)
	CreateDemo(c model.Change) (model.Assessment, error)

	CreateAssessment(n storage.NewAssessment, c model.Change) (model.Assessment, error)
	Assessment(id string) (model.Assessment, error)
	Catalog(hash string) (*indicators.Catalog, error)
	SaveAnswer(id, qid string, options []string, c model.Change) (model.Assessment, error)
	SaveNumbers(id, qid string, values map[string]model.Decimal, c model.Change) (model.Assessment, error)
	SaveNote(id, qid, text string, c model.Change) (model.Assessment, error)
	SaveRating(id, sid string, r model.ScenarioRating, c model.Change) (model.Assessment, error)
	AddEvidence(id, ref string, ev model.Evidence, c model.Change) (model.Assessment, error)
	Finalize(id string, c model.Change) (model.Assessment, error)
	Revise(id, reason string, c model.Change) (model.Assessment, error)
	Report(id string) (storage.ReportData, error)

	Outbox() ([]storage.OutboxItem, error)
	Setting(name string) (string, error)
}

var _ Store = (*storage.DB)(nil)

// SendResult is what one round of sending the outbox did.
type SendResult struct {
	Sent     int
	Failed   int
	Rejected int
}

// Sender sends the outbox to the platform. It is optional: with none
// configured the sync screen says how to configure one. SendPending may
// take long; the UI calls it from a command, never from Update.
type Sender interface {
	SendPending(ctx context.Context) (SendResult, error)
}

// Deps are the UI's inputs, wired once by the command.
type Deps struct {
	Store Store
	// Sender is nil when no sync server is configured.
	Sender Sender
	// Now is the clock; tests pass a fixed one.
	Now func() time.Time
	// Who names the person making changes (audit log).
	Who string
	// Assessor is recorded on new assessments.
	Assessor model.Assessor
	// WorkDir is the default export folder when the export_dir setting is empty.
	WorkDir string
	// SyncEvery is the background send interval (default 30 s).
	SyncEvery time.Duration
	// ExitAfterFirstFrame quits right after the first frame with content;
	// bench/first-frame.sh measures exec → first frame with it.
	ExitAfterFirstFrame bool
	// Context bounds background sends; it is cancelled when the program ends.
	Context context.Context
}

func (d Deps) change(reason string) model.Change {
	return model.Change{Who: d.Who, Reason: reason, Now: d.Now()}
}
