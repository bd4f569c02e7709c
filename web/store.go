package web

import (
	"time"

	"digilevel/model"
	"digilevel/storage/platform"
)

// Store is what the dashboard reads from and writes to the platform. The
// dashboard owns this interface; its methods but two are those of the
// platform's store (sync/server's Store, on bbolt or PostgreSQL), and
// web/platformstore adds the two that need the sync server's token rules.
// Every method is safe for concurrent use; not-found errors wrap
// model.ErrNotFound and bad input model.ErrInvalid.
type Store interface {
	// Authenticate checks a raw token ("dlt_…") as the API does. A token
	// that is unknown, wrong, expired or revoked gives an *AuthError with the
	// reason in Chinese; any other error is the server's.
	Authenticate(raw string) (platform.Token, error)
	// CreateToken makes a token and returns its secret, which is shown once
	// and never stored; a zero expires means no expiry.
	CreateToken(provider string, role platform.Role, expires time.Time) (secret string, t platform.Token, err error)
	// Token reads one token; Tokens lists all, ordered by ID; RevokeToken
	// revokes one; RebindToken replaces or clears ("") its installation key.
	Token(id string) (platform.Token, error)
	Tokens() ([]platform.Token, error)
	RevokeToken(id string, at time.Time) (platform.Token, error)
	RebindToken(id, publicKey string, at time.Time) (platform.Token, error)

	// ReportsAfter lists up to limit reports with a server sequence number
	// above after, gap-free and in acceptance order (also across several
	// server processes on one database); Report is one report's record and
	// its bytes exactly as received; ReportBody the bytes alone and
	// ReportBodies those of several in one read (the aggregate holds the
	// records).
	ReportsAfter(after uint64, limit int) ([]platform.Record, error)
	Report(id string) (platform.Record, []byte, error)
	ReportBody(id string) ([]byte, error)
	ReportBodies(ids []string) ([][]byte, error)
	// EachRosterEnterprise streams the district roster (batch 0: all).
	EachRosterEnterprise(batch int, fn func(model.Enterprise) error) error

	// Sessions of the dashboard, by the SHA-256 of their ID.
	PutSession(x platform.Session) error
	Session(idHash string) (platform.Session, error)
	DeleteSession(idHash string) error
	DeleteExpiredSessions(now time.Time) (int, error)
	// RejectionsAfter lists refused uploads after a sequence number, in order.
	RejectionsAfter(after uint64, limit int) ([]platform.Rejection, error)
	// RecordExclusion appends the office's Art. 25 finding for an enterprise;
	// ExclusionsAfter lists the findings after a sequence number.
	RecordExclusion(x platform.Exclusion) (platform.Exclusion, error)
	ExclusionsAfter(after uint64) ([]platform.Exclusion, error)
}

// tokenStatus is a token's state in Chinese.
func tokenStatus(t platform.Token, now time.Time) string {
	switch {
	case !t.RevokedAt.IsZero():
		return "已吊销"
	case !t.Active(now):
		return "已过期"
	}
	return "有效"
}

// AuthError is a token the platform does not accept, with the reason.
type AuthError struct{ Message string }

func (e *AuthError) Error() string { return e.Message }
