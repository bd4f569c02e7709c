package platform

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"digilevel/indicators"
	"digilevel/model"
)

// Record is an accepted report as the platform lists it; with the body it is
// the receipt's source: Seq and ReceivedAt never change once given.
//
// Level, Score, FinalizedAt and Checks repeat what the signed body says, so that
// listings and the district dashboard never decode bodies; Check verifies
// they match it.
type Record struct {
	ID          string            `json:"id"`
	Seq         uint64            `json:"server_seq"`
	SHA256      string            `json:"sha256"`
	Size        int               `json:"size"`
	Enterprise  string            `json:"enterprise"`
	Provider    string            `json:"provider"`
	Kind        string            `json:"kind"`
	Version     int               `json:"version"`
	Replaces    string            `json:"replaces,omitempty"`
	PublicKey   string            `json:"public_key"`
	TokenID     string            `json:"token_id,omitempty"`
	Source      string            `json:"source"`
	ReceivedAt  time.Time         `json:"received_at"`
	Level       int               `json:"level"`
	Score       indicators.Points `json:"score"`
	FinalizedAt time.Time         `json:"finalized_at,omitzero"`
	// Checks is the ID of the report a spot-check checks (its body's
	// checks.id); "" for other reports.
	Checks string `json:"checks,omitempty"`
	// ReplacedBy is not stored with the record: an engine derives it from
	// the revision that names this report, so a revision never rewrites
	// what it replaces.
	ReplacedBy string `json:"replaced_by,omitempty"`
}

// Current reports whether no revision replaces the report.
func (r Record) Current() bool { return r.ReplacedBy == "" }

// Sources of a report.
const (
	SourceAPI    = "api"
	SourceBundle = "bundle"
)

// RecordOf describes a verified report document: everything but what the
// engine gives (Seq, ReceivedAt) and what the caller knows (token, source).
func RecordOf(doc model.ReportDocument, sha string, size int) Record {
	return Record{
		ID: doc.ID, SHA256: sha, Size: size, Enterprise: doc.Enterprise.Code, Provider: doc.Assessor.Org,
		Kind: string(doc.Kind), Version: doc.Version, Replaces: doc.Replaces, PublicKey: signingKey(doc),
		Level: doc.Result.Level, Score: doc.Result.Score, FinalizedAt: FinalizedAt(doc), Checks: checkedID(doc),
	}
}

func checkedID(doc model.ReportDocument) string {
	if doc.Checks == nil {
		return ""
	}
	return doc.Checks.ID
}

// FinalizedAt is the document's finalize time as records keep it: UTC, to
// the microsecond (what PostgreSQL stores), so both engines agree.
func FinalizedAt(doc model.ReportDocument) time.Time {
	if doc.FinalizedAt.IsZero() {
		return time.Time{}
	}
	return doc.FinalizedAt.UTC().Truncate(time.Microsecond)
}

func signingKey(doc model.ReportDocument) string {
	if doc.Signature == nil {
		return ""
	}
	return doc.Signature.PublicKey
}

// Submission is a validated report offered to Put. The caller has checked
// the document (signature, canonical form, score, provider); Put decides
// what only the database can: is it new, is it a duplicate, does it
// conflict, is its signing key the one bound to the token.
type Submission struct {
	// Record describes the report; Put sets Seq and ReceivedAt.
	Record Record
	// Body is the report bytes, stored as they are.
	Body []byte
	// IdempotencyKey, when set, may only ever name this ID and hash. The
	// server scopes it to the token (or bundle import) that offers it.
	IdempotencyKey string
}

// Outcome is what Put did with a submission.
type Outcome int

// Outcomes of Put.
const (
	// Created: the report is new and now stored with a new sequence number.
	Created Outcome = iota + 1
	// Existing: the same ID with the same hash was stored before; the
	// original record is returned and nothing changed.
	Existing
	// Conflict: the ID is stored with another hash, the replaced version is
	// not current, or the idempotency key was used for another report.
	Conflict
	// KeyMismatch: the report is signed by another key than the one bound
	// to the token.
	KeyMismatch
	// TokenInactive: the token was revoked or expired meanwhile.
	TokenInactive
)

// Result is the outcome of Put with the stored record (Created, Existing)
// or the reason in Chinese (the others).
type Result struct {
	Outcome Outcome
	Record  Record
	Reason  string
}

// ErrClosed is returned by Put after Close.
var ErrClosed = errors.New("服务器数据库已关闭")

// Fingerprint shortens a base64 public key for messages: the first 16 hex
// digits of its SHA-256.
func Fingerprint(publicKey string) string {
	if publicKey == "" {
		return "（无）"
	}
	sum := sha256.Sum256([]byte(publicKey))
	return hex.EncodeToString(sum[:8])
}

// ImportStats counts what a roster import did.
type ImportStats struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Idempotency is one stored idempotency record: the (scoped) key and the
// report it names.
type Idempotency struct {
	Key    string
	ID     string
	SHA256 string
}
