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
	// SummaryPage is the first n summaries in credit-code order and the
	// index's counts: the home screen's first frame, before Summaries.
	SummaryPage(n int) (storage.SummaryPage, error)
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
	AddEvidence(id, ref string, f storage.EvidenceFile, c model.Change) (model.Assessment, error)
	RemoveEvidence(id, ref, sha string, c model.Change) (model.Assessment, error)
	EvidenceData(sha string) ([]byte, error)
	EvidenceLimit() (int64, error)
	Finalize(id string, c model.Change) (model.Assessment, error)
	Revise(id, reason string, c model.Change) (model.Assessment, error)
	Report(id string) (storage.ReportData, error)

	// The diagnosis (issue 14): survey, lists, retrofit plan, solution
	// pool, the enterprise profile's dated status changes.
	Diagnosis(id string) (storage.DiagnosisData, error)
	SaveSurvey(id string, s *model.Survey, c model.Change) (model.Assessment, error)
	EditList(id string, e model.ListEdit, c model.Change) (model.Assessment, error)
	SavePlan(id string, p *model.RetrofitPlan, c model.Change) (model.Assessment, error)
	Solutions() ([]model.Solution, error)
	SuggestSolutions(scenario string, level int) ([]model.Solution, error)
	ImportSolutions(list []model.Solution, c model.Change) (storage.ImportStats, error)
	RecordStatus(code, field, value, date, note string, c model.Change) (model.Enterprise, error)

	Outbox() ([]storage.OutboxItem, error)
	Setting(name string) (string, error)
	SetSettings(values map[string]string) error
	Identity() (model.Assessor, error)
	SetIdentity(as model.Assessor) error
	Backup(path string) error

	// Spot-checks (抽查).
	PulledReports(code string) ([]storage.PulledInfo, error)
	SpotCheckPair(spotID string) (storage.SpotCheckPair, error)
	SpotCheckBlind() (bool, error)
	AuditTrail(id string) (storage.AuditTrail, error)
}

var _ Store = (*storage.DB)(nil)

// SendResult is what one round of sending the outbox did.
type SendResult struct {
	Sent     int
	Failed   int
	Rejected int
	// Held: refused for the token they were sent with (暂缓发送).
	Held int
	// Paused is set when a problem of the laptop or the token (not of one
	// report) stopped the round; PauseReason says why, in Chinese.
	Paused      bool
	PauseReason string
	// Skipped: no platform address or token is set, nothing was tried.
	Skipped bool
}

// PlatformStatus is the sync configuration and state the UI shows.
type PlatformStatus struct {
	Server      string
	HasToken    bool
	PauseReason string
	PausedAt    time.Time
}

// Configured reports whether a round can be sent.
func (s PlatformStatus) Configured() bool { return s.Server != "" && s.HasToken }

// TokenInfo is who the platform says a token belongs to.
type TokenInfo struct {
	Provider  string
	Role      string
	ExpiresAt time.Time
}

// Platform is the district platform as the UI sees it; the command wires
// it with sync/client. Server and token are read from the store's settings
// at each call, so a change in the settings screen takes effect at once.
// Methods may take long; the UI calls them from commands, never from Update.
type Platform interface {
	// SendPending sends the outbox once.
	SendPending(ctx context.Context) (SendResult, error)
	// Status reads the configuration and the pause state.
	Status() (PlatformStatus, error)
	// CheckServer validates a platform address as typed.
	CheckServer(server string) error
	// Whoami asks the platform who token belongs to: the connection check.
	Whoami(ctx context.Context, server, token string) (TokenInfo, error)
}

// Deps are the UI's inputs, wired once by the command.
type Deps struct {
	Store Store
	// Platform is nil when the build has no sync (tests); the sync and
	// settings screens then say so.
	Platform Platform
	// Puller pulls providers' reports for spot-checks; nil when the build
	// has none (the spot-check screen then says so).
	Puller Puller
	// Now is the clock; tests pass a fixed one.
	Now func() time.Time
	// User names the person making changes in the audit log when the
	// identity's assessor is not set (the OS user).
	User string
	// WorkDir is the default export folder when the export_dir setting is empty.
	WorkDir string
	// SyncEvery is the background send interval (default 30 s).
	SyncEvery time.Duration
	// ExitAfterFirstFrame quits right after the first frame with content;
	// bench/run.sh (the harness's tty-pair) measures exec → first frame
	// with it.
	ExitAfterFirstFrame bool
	// Context bounds background sends; it is cancelled when the program ends.
	Context context.Context
}
