package server

import (
	"time"

	"digilevel/model"
	"digilevel/storage/platform"
)

// Store is what the platform keeps, as the server and `digilevel serve`
// use it. Two engines implement it: storage/serverstore (one bbolt file,
// one process: the embedded default) and storage/pgstore (PostgreSQL, any
// number of server processes and online administration). The conformance
// suite in sync/server/storetest runs the same tests against both.
//
// Every method is safe for concurrent use. Methods that change data return
// only after the change is durable. Not-found errors wrap model.ErrNotFound;
// bad input wraps model.ErrInvalid; Put after Close returns
// platform.ErrClosed.
type Store interface {
	// Put stores a report exactly once and decides its outcome (see
	// platform.Outcome): the same ID and hash again gives the original
	// record; the rules hold across processes on a shared engine.
	Put(sub platform.Submission) (platform.Result, error)
	// Report is one report's record and its bytes exactly as received;
	// ReportBody the bytes alone, for a reader that holds the record;
	// ReportBodies those of several reports in one read, in the order of
	// ids (a missing one is ErrNotFound), for a reader catching up.
	Report(id string) (platform.Record, []byte, error)
	ReportBody(id string) ([]byte, error)
	ReportBodies(ids []string) ([][]byte, error)
	// Reports lists one enterprise's reports in acceptance order.
	Reports(enterprise string) ([]platform.Record, error)
	// ReportsAfter lists up to limit reports with a sequence number above
	// after, in acceptance order (limit <= 0: all).
	ReportsAfter(after uint64, limit int) ([]platform.Record, error)
	// EachReport streams every report after the sequence number after, in
	// acceptance order, without bodies; it stops at fn's first error.
	EachReport(after uint64, fn func(platform.Record) error) error
	// LastSeq is the last server sequence number given out.
	LastSeq() (uint64, error)

	// PutEvidence stores an evidence file under the SHA-256 of its content
	// and says whether it was new; HasEvidence and Evidence read them;
	// EachEvidence streams the hashes in order.
	PutEvidence(data []byte) (sha string, created bool, err error)
	HasEvidence(sha string) (bool, error)
	Evidence(sha string) ([]byte, error)
	EachEvidence(fn func(sha string) error) error

	// Tokens: AddToken stores a new one (the ID must be unused), Token reads
	// one, Tokens lists all by ID, RevokeToken and RebindToken change one
	// and return it.
	AddToken(t platform.Token) error
	Token(id string) (platform.Token, error)
	Tokens() ([]platform.Token, error)
	RevokeToken(id string, at time.Time) (platform.Token, error)
	RebindToken(id, publicKey string, at time.Time) (platform.Token, error)

	// ImportRoster creates or updates district roster entries in one
	// transaction, keyed on the credit code, taking only the fields a file
	// carries (model.Enterprise.MergeFields). RosterEnterprise reads one;
	// EachRosterEnterprise streams a batch's entries (0: all) ordered by
	// batch, then credit code.
	ImportRoster(list []model.Enterprise, fields []string, at time.Time) (platform.ImportStats, error)
	RosterEnterprise(code string) (model.Enterprise, error)
	EachRosterEnterprise(batch int, fn func(model.Enterprise) error) error

	// Moving a platform between engines (`serve migrate`): the idempotency
	// records, and restoring reports with their original receipts, tokens
	// exactly as they were, and idempotency records. Each is idempotent.
	EachIdempotency(fn func(platform.Idempotency) error) error
	RestoreReport(rec platform.Record, body []byte) (created bool, err error)
	RestoreToken(t platform.Token) error
	RestoreIdempotency(i platform.Idempotency) error
	RestoreRoster(list []model.Enterprise) error

	// The district dashboard's records (package web): browser sessions by
	// the SHA-256 of their ID (PutSession refuses an ID hash in use with
	// model.ErrExists; DeleteSession of a missing one is no error);
	// uploads refused for a reason of the report itself, kept once per
	// provider, report, hash and reason (RecordRejection says whether it
	// was new); the office's Art. 25 findings, appended. Both logs number
	// their entries in commit order without gaps, across processes, so
	// "after n" misses none.
	PutSession(x platform.Session) error
	Session(idHash string) (platform.Session, error)
	DeleteSession(idHash string) error
	DeleteExpiredSessions(now time.Time) (int, error)
	RecordRejection(r platform.Rejection) (created bool, err error)
	RejectionsAfter(after uint64, limit int) ([]platform.Rejection, error)
	RecordExclusion(x platform.Exclusion) (platform.Exclusion, error)
	ExclusionsAfter(after uint64) ([]platform.Exclusion, error)
	// RestoreRejection and RestoreExclusion store a record under its own
	// sequence number (`serve migrate`); the same one again changes nothing.
	RestoreRejection(r platform.Rejection) error
	RestoreExclusion(x platform.Exclusion) error

	// Check returns every problem with the stored data (platform.Checker's
	// invariants plus the engine's own), in Chinese; Verify adds the counts
	// and digest of what is stored.
	Check() ([]string, error)
	Verify() (platform.Summary, []string, error)
	// Describe names the engine and database for messages (no password).
	Describe() string
	// Close waits for writes in progress and releases the database.
	Close() error
}
