// Package server is the district platform's side of sync: an HTTP API that
// accepts each finalized report exactly once, unaltered and from the
// provider that signed it, lists reports for inspectors and the office, and
// imports bundles by the same rules. Its data lives behind Store (store.go):
// storage/serverstore on bbolt or storage/pgstore on PostgreSQL.
//
// # Validation order of an upload
//
//  1. token: present, known, secret right (constant-time), not expired or
//     revoked (else 401); role provider or inspector (else 403 forbidden);
//  2. body size (else 413) and the two headers (else 400);
//  3. the body is JSON with a kind and a provider: a spot-check needs an
//     inspector's token (else 403 spotcheck_requires_inspector), an
//     inspector's token takes spot-checks only (else 403
//     inspector_spotcheck_only); the provider (assessor.org) is the token's
//     provider or inspection unit (else 403 provider_mismatch);
//  4. the catalog hash is an embedded edition (else 422), and the document
//     is not a draft (else 422 draft);
//  5. model.VerifyReport (strict decode, canonical form, signature) and
//     model.CheckReportScore (rescoring) (else 422 with the reason);
//  6. the header SHA-256 is the body's (else 422 "altered body");
//  7. {id} is the document's ID (else 422); a spot-check names the report
//     it checks (a baseline or acceptance, not itself) and no other kind
//     names one (else 422 invalid_report: model.CheckSpotCheckLink);
//  8. in one transaction: same ID and hash stored -> 200 with the original
//     receipt; same ID, other hash -> 409; a revision of a version already
//     replaced -> 409; a spot-check whose checked report is stored but is
//     not the one its link pins (hash, enterprise, kind, provider) -> 409
//     checked_mismatch (a checked report not stored yet is no refusal: the
//     link is listed as pending until it arrives); a signing key other than
//     the token's bound key -> 403; else stored with the next server
//     sequence -> 201. The first key a token uploads with is bound to it.
//
// Spot-checks (抽查) are the inspectors': their 评测机构 is the inspection
// unit the inspector token was issued to, exactly as a provider's reports
// carry the provider's name.
package server

import (
	"io"
	"log/slog"
	"net/http"
	"time"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/sync/protocol"
)

// Options configure a Server.
type Options struct {
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger receives one line per request (default: discard). Lines never
	// hold a token secret or a report body.
	Logger *slog.Logger
	// AllowOfficeUpload lets an office token upload reports of any provider.
	// Only tests and benchmarks set it: synthetic laptops hold reports of 17
	// providers. The command line never does.
	AllowOfficeUpload bool
	// MaxBodyMemory bounds the bytes of upload bodies held in memory at
	// once (default DefaultMaxBodyMemory); an upload that finds it full for
	// BodyMemoryWait (default DefaultBodyMemoryWait) gets 503 with
	// Retry-After, and the refusal is logged.
	MaxBodyMemory  int64
	BodyMemoryWait time.Duration
	// VerifyReport decodes and verifies an upload's body (default
	// model.VerifyReport): each upload is decoded and verified once, and
	// the document it returns is what every later check and the store use.
	// Tests count the calls through it.
	VerifyReport func([]byte) (model.ReportDocument, error)
	// Dashboard, when set, answers every path outside /api/ and
	// protocol.SummaryPath: the district office's pages (package web). It
	// checks its own sessions and roles.
	Dashboard http.Handler
}

// Server validates and stores reports. It is safe for concurrent use.
type Server struct {
	db                Store
	catalogs          map[string]*indicators.Catalog
	now               func() time.Time
	log               *slog.Logger
	allowOfficeUpload bool
	bodies            *bodyBudget
	bodyWait          time.Duration
	dashboard         http.Handler
	verify            func([]byte) (model.ReportDocument, error)
}

// New builds a server on an open store; it knows every embedded catalog
// edition.
func New(store Store, o Options) (*Server, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	catalogs, err := indicators.EmbeddedByHash()
	if err != nil {
		return nil, err
	}
	if o.MaxBodyMemory <= 0 {
		o.MaxBodyMemory = DefaultMaxBodyMemory
	}
	o.MaxBodyMemory = max(o.MaxBodyMemory, protocol.MaxBodySize) // else a full-size report could never be read
	if o.VerifyReport == nil {
		o.VerifyReport = model.VerifyReport
	}
	if o.BodyMemoryWait <= 0 {
		o.BodyMemoryWait = DefaultBodyMemoryWait
	}
	return &Server{db: store, catalogs: catalogs, now: o.Now, log: o.Logger, allowOfficeUpload: o.AllowOfficeUpload,
		bodies: newBodyBudget(o.MaxBodyMemory), bodyWait: o.BodyMemoryWait, dashboard: o.Dashboard, verify: o.VerifyReport}, nil
}
