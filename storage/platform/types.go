package platform

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
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
	// checks.id); "" for other reports. ChecksSHA256, ChecksKind, ChecksOrg
	// and ChecksBlind are the rest of the signed link (checks.sha256, .kind,
	// .org, .blind): what the inspector re-rated, pinned by its hash.
	Checks       string `json:"checks,omitempty"`
	ChecksSHA256 string `json:"checks_sha256,omitempty"`
	ChecksKind   string `json:"checks_kind,omitempty"`
	ChecksOrg    string `json:"checks_org,omitempty"`
	ChecksBlind  bool   `json:"checks_blind,omitempty"`
	// ChecksState is not stored either: an engine derives it from the
	// checked report as the platform holds it (see LinkState), because that
	// report may arrive after the spot-check.
	ChecksState string `json:"checks_state,omitempty"`
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
		Level: doc.Result.Level, Score: doc.Result.Score, FinalizedAt: FinalizedAt(doc),
	}.withLink(doc.Checks)
}

func (r Record) withLink(c *model.CheckRef) Record {
	if c != nil {
		r.Checks, r.ChecksSHA256, r.ChecksKind, r.ChecksOrg, r.ChecksBlind = c.ID, c.SHA256, string(c.Kind), c.Org, c.Blind
	}
	return r
}

// CheckRef is the signed link a spot-check's record keeps (the body's
// checks member, as RecordOf stored it); nil for other reports.
func (r Record) CheckRef() *model.CheckRef {
	if r.Checks == "" {
		return nil
	}
	return &model.CheckRef{ID: r.Checks, SHA256: r.ChecksSHA256, Kind: model.Kind(r.ChecksKind), Org: r.ChecksOrg, Blind: r.ChecksBlind}
}

// States of a spot-check's link (Record.ChecksState).
const (
	// LinkPending: the platform has not received the checked report (yet).
	// The spot-check was accepted: the provider's report may still come,
	// by a later sync or a bundle; the link is pinned by its hash, so it
	// can be verified then.
	LinkPending = "pending"
	// LinkVerified: the platform holds the checked report, byte for byte
	// the one the inspector re-rated (same SHA-256), of the spot-check's
	// enterprise, kind and provider.
	LinkVerified = "verified"
	// LinkMismatch: the platform holds a report under the checked ID, but
	// not the one the link describes. A spot-check is refused when this is
	// so at its upload (Outcome LinkMismatch); it can only arise when the
	// checked report arrives later, and the provider's report is never
	// refused for what a spot-check says about it.
	LinkMismatch = "mismatch"
)

// LinkState is the state of a spot-check's link given the checked report
// as stored (nil when the platform does not hold it); "" for a report
// without a link.
func LinkState(spot Record, checked *Record) string {
	switch {
	case spot.Checks == "":
		return ""
	case checked == nil:
		return LinkPending
	case LinkProblem(spot, *checked) != "":
		return LinkMismatch
	}
	return LinkVerified
}

// LinkProblem says, in Chinese, why a stored report is not the one a
// spot-check's link describes; "" when it is.
func LinkProblem(spot, checked Record) string {
	switch {
	case checked.SHA256 != spot.ChecksSHA256:
		return fmt.Sprintf("抽查 %s 核对的报告 %s 校验值为 %s，平台收到的该报告校验值为 %s：抽查依据的不是平台上的这份报告。"+
			"请与区县主管部门核实，从平台重新拉取该报告后重新抽查", spot.ID, spot.Checks, model.ShortHash(spot.ChecksSHA256), model.ShortHash(checked.SHA256))
	case checked.Enterprise != spot.Enterprise:
		return fmt.Sprintf("抽查 %s 属于企业 %s，被抽查的报告 %s 属于企业 %s", spot.ID, spot.Enterprise, spot.Checks, checked.Enterprise)
	case checked.Kind != spot.ChecksKind || checked.Provider != spot.ChecksOrg:
		return fmt.Sprintf("抽查 %s 记录的被抽查报告类型与服务商（%s，%s）与平台上的报告 %s（%s，%s）不符",
			spot.ID, spot.ChecksKind, spot.ChecksOrg, spot.Checks, checked.Kind, checked.Provider)
	}
	return ""
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
	// CheckedMismatch: the submission is a spot-check and the platform holds
	// the report it checks, but not the one its link describes (hash,
	// enterprise, kind or provider; see LinkProblem).
	CheckedMismatch
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
