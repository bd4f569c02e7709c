// Package protocol holds what the laptop and the district platform agree
// on: paths, headers, the receipt, the error body, the report listing and
// the receipts file of a bundle import. sync/openapi.yaml describes the same
// thing for people and other implementations.
package protocol

import (
	"net/url"
	"strings"
	"time"

	"digilevel/model"
)

// Paths and headers.
const (
	// ReportsPath is the collection; a report is ReportsPath + "/" + ID.
	ReportsPath = "/api/v1/reports"
	// SummaryPath is the office's programme figures (the dashboard's 总览
	// and 服务商 as JSON; package web answers it).
	SummaryPath = "/api/v1/summary"
	// HeaderSHA256 carries the lowercase hex SHA-256 of the body.
	HeaderSHA256 = "X-Content-SHA256"
	// HeaderIdempotencyKey names one upload; see IdempotencyKey.
	HeaderIdempotencyKey = "Idempotency-Key"
	// MaxIdempotencyKey bounds the header's length.
	MaxIdempotencyKey = 200
	// MaxBodySize is the largest report accepted (413 above it).
	MaxBodySize = model.MaxReportSize
	// ContentType of report bodies and JSON answers.
	ContentType = "application/json; charset=utf-8"
)

// IdempotencyKey is the key the laptop sends for a report: stable across
// retries and restarts because it is derived from the ID and the hash.
func IdempotencyKey(id, sha256 string) string { return id + ":" + sha256 }

// ReportURL joins a server base URL (scheme://host[:port][/prefix]) and a
// report ID.
func ReportURL(base, id string) string {
	return strings.TrimRight(base, "/") + ReportsPath + "/" + url.PathEscape(id)
}

// Receipt is the server's acknowledgement of an accepted report: its
// sequence number on the server and when it was first received. Sending the
// same report again returns the same receipt.
type Receipt struct {
	ID         string    `json:"id"`
	ServerSeq  uint64    `json:"server_seq"`
	ReceivedAt time.Time `json:"received_at"`
	SHA256     string    `json:"sha256"`
	// Status is StatusCreated for the first acceptance, StatusExisting after.
	Status string `json:"status"`
}

// Receipt statuses.
const (
	StatusCreated  = "created"
	StatusExisting = "existing"
)

// Error is the body of every error response; Message is Chinese and meant
// for the consultant.
type Error struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error makes an error body usable as a Go error: its Chinese message.
func (e *Error) Error() string { return e.Message }

// Error codes.
const (
	CodeBadRequest   = "bad_request"  // 400: a header is missing or malformed
	CodeUnauthorized = "unauthorized" // 401: no token, unknown, wrong, expired or revoked
	CodeForbidden    = "forbidden"    // 403: the token's role may not do this
	CodeKeyMismatch  = "key_mismatch" // 403: signed by another key than the one bound to the token
	// CodeProviderMismatch (403) is about one report, not the token: its
	// 评测机构 (assessor.org) is not the token's provider. The laptop holds
	// that report and sends the others.
	CodeProviderMismatch = "provider_mismatch"
	CodeNotFound         = "not_found" // 404
	CodeMethod           = "method_not_allowed"
	CodeConflict         = "conflict"        // 409: ID stored with another hash, replaced version not current, key reused
	CodeTooLarge         = "too_large"       // 413
	CodeInvalidReport    = "invalid_report"  // 422: not a report, not canonical, bad signature, score does not match
	CodeUnknownCatalog   = "unknown_catalog" // 422
	CodeAlteredBody      = "altered_body"    // 422: the body's hash is not the header's
	CodeIDMismatch       = "id_mismatch"     // 422: {id} is not the document's ID
	CodeDraft            = "draft"           // 422
	CodeMissingFile      = "missing_file"    // 422 (bundles): a report or evidence file is missing
	CodeUnavailable      = "unavailable"     // 503: shutting down
	CodeInternal         = "internal"        // 500
)

// Error codes of spot-check uploads (issue 11): who may upload which kind,
// and whether the link of a spot-check holds.
const (
	// CodeSpotCheckNeedsInspector (403) is about one report: it is a
	// spot-check (抽查), and only an inspector's token may upload those.
	CodeSpotCheckNeedsInspector = "spotcheck_requires_inspector"
	// CodeInspectorSpotCheckOnly (403) is about one report: an inspector's
	// token uploads spot-checks only, and this report is a provider's kind.
	CodeInspectorSpotCheckOnly = "inspector_spotcheck_only"
	// CodeCheckedMismatch (409): a spot-check whose checked report the
	// platform holds, but not the one its link pins (hash, enterprise,
	// kind or provider).
	CodeCheckedMismatch = "checked_mismatch"
)

// HeldCode reports whether a refusal (a 403 with this code) is about one
// report and the token it was sent with, not about the token itself: the
// laptop holds that report with the reason and sends the others, and tries
// it again only with another token.
func HeldCode(code string) bool {
	switch code {
	case CodeProviderMismatch, CodeSpotCheckNeedsInspector, CodeInspectorSpotCheckOnly:
		return true
	}
	return false
}

// CheckInfo is a spot-check's link in a listing: the report it checks as
// its signed body names it, and State, what the platform makes of it
// (platform.LinkPending, LinkVerified or LinkMismatch).
type CheckInfo struct {
	ID     string `json:"id"`
	SHA256 string `json:"sha256"`
	Kind   string `json:"kind"`
	Org    string `json:"org"`
	Blind  bool   `json:"blind"`
	State  string `json:"state"`
}

// ReportInfo is one report in a listing.
type ReportInfo struct {
	ID         string    `json:"id"`
	ServerSeq  uint64    `json:"server_seq"`
	SHA256     string    `json:"sha256"`
	Size       int       `json:"size"`
	Enterprise string    `json:"enterprise"`
	Provider   string    `json:"provider"`
	Kind       string    `json:"kind"`
	Version    int       `json:"version"`
	Replaces   string    `json:"replaces,omitempty"`
	ReplacedBy string    `json:"replaced_by,omitempty"`
	Current    bool      `json:"current"`
	Source     string    `json:"source"`
	ReceivedAt time.Time `json:"received_at"`
	// KeyFingerprint identifies the installation that signed the report.
	KeyFingerprint string `json:"key_fingerprint"`
	// Checks is a spot-check's link; absent for other reports.
	Checks *CheckInfo `json:"checks,omitempty"`
}

// ReportList is the answer of GET /api/v1/reports. Next, when set, is the
// `after` value of the following page.
type ReportList struct {
	Reports []ReportInfo `json:"reports"`
	Next    uint64       `json:"next,omitempty"`
}

// ReceiptsFormat identifies a receipts file.
const ReceiptsFormat = "digilevel-receipts/1"

// ReceiptsFile is what `digilevel serve import` prints for a bundle and
// `digilevel bundle receipts` reads on the laptop: a receipt for every
// accepted report and the reason for every refused one.
type ReceiptsFile struct {
	Format    string      `json:"format"`
	Bundle    string      `json:"bundle_sha256"`
	Provider  string      `json:"provider"`
	CreatedAt time.Time   `json:"created_at"`
	Receipts  []Receipt   `json:"receipts"`
	Rejected  []Rejection `json:"rejected"`
}

// Rejection is a report the server refused, with the HTTP status the API
// would have given and the reason.
type Rejection struct {
	ID      string `json:"id"`
	SHA256  string `json:"sha256"`
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// BearerToken returns the token of an Authorization header with the Bearer
// scheme. The scheme is case-insensitive (RFC 7235 section 2.1) and may be
// followed by more than one space.
func BearerToken(h string) (string, bool) {
	scheme, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok := strings.TrimSpace(rest)
	return tok, tok != ""
}

// Realm names the protection space in WWW-Authenticate.
const Realm = "digilevel"

// Challenge is the WWW-Authenticate value of a 401 (RFC 7235 section 3.1,
// RFC 6750 section 3): the Bearer scheme with the realm, and
// error="invalid_token" when the request carried a token (without
// credentials RFC 6750 asks for no error code).
func Challenge(sentToken bool) string {
	v := `Bearer realm="` + Realm + `"`
	if sentToken {
		v += `, error="invalid_token"`
	}
	return v
}
