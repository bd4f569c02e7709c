package pgstore

import (
	"time"

	"github.com/jackc/pgx/v5"

	"digilevel/indicators"
	"digilevel/storage/platform"
)

// recordCols selects a platform.Record from reports r, with the revision
// that replaces it and, for a spot-check, the stored facts of the report
// it checks (both derived, never stored with the record).
const recordCols = `r.id, r.seq, r.sha256, r.size, r.enterprise, r.provider, r.kind, r.version,
	coalesce(r.replaces, ''), r.public_key, r.token_id, r.source, r.received_at, r.received_ns,
	r.level, r.score_milli, r.finalized_at, coalesce(r.checks, ''),
	coalesce(r.checks_sha256, ''), coalesce(r.checks_kind, ''), coalesce(r.checks_org, ''), r.checks_blind,
	coalesce((SELECT b.id FROM reports b WHERE b.replaces = r.id), ''),
	(SELECT ARRAY[c.sha256, c.enterprise, c.kind, c.provider] FROM reports c WHERE c.id = r.checks)`

// scanRecord reads recordCols (and any extra destinations after them).
func scanRecord(row pgx.Row, extra ...any) (platform.Record, error) {
	var rec platform.Record
	var seq int64
	var ns int16
	var score int64
	var finalized *time.Time
	var checked []string
	dest := append([]any{&rec.ID, &seq, &rec.SHA256, &rec.Size, &rec.Enterprise, &rec.Provider, &rec.Kind, &rec.Version,
		&rec.Replaces, &rec.PublicKey, &rec.TokenID, &rec.Source, &rec.ReceivedAt, &ns,
		&rec.Level, &score, &finalized, &rec.Checks, &rec.ChecksSHA256, &rec.ChecksKind, &rec.ChecksOrg, &rec.ChecksBlind,
		&rec.ReplacedBy, &checked}, extra...)
	if err := row.Scan(dest...); err != nil {
		return rec, err
	}
	rec.ChecksState = platform.LinkState(rec, checkedFacts(checked))
	rec.Seq = uint64(seq)
	rec.ReceivedAt = rec.ReceivedAt.UTC().Add(time.Duration(ns))
	rec.Score = indicators.Points(score)
	if finalized != nil {
		rec.FinalizedAt = finalized.UTC()
	}
	return rec, nil
}

// checkedFacts is the checked report as recordCols reads it (sha256,
// enterprise, kind, provider), nil when the platform does not hold it.
func checkedFacts(f []string) *platform.Record {
	if len(f) != 4 {
		return nil
	}
	return &platform.Record{SHA256: f[0], Enterprise: f[1], Kind: f[2], Provider: f[3]}
}

// splitTime is a time as timestamptz (microseconds) and the nanoseconds
// below them.
func splitTime(t time.Time) (time.Time, int16) {
	t = t.UTC()
	us := t.Truncate(time.Microsecond)
	return us, int16(t.Sub(us))
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

const insertReport = `INSERT INTO reports (id, seq, sha256, size, enterprise, provider, kind, version, replaces,
	public_key, token_id, source, received_at, received_ns, level, score_milli, finalized_at, checks,
	checks_sha256, checks_kind, checks_org, checks_blind, body)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`

func insertArgs(rec platform.Record, body []byte) []any {
	at, ns := splitTime(rec.ReceivedAt)
	return []any{rec.ID, int64(rec.Seq), rec.SHA256, len(body), rec.Enterprise, rec.Provider, rec.Kind, rec.Version,
		nullString(rec.Replaces), rec.PublicKey, rec.TokenID, rec.Source, at, ns, rec.Level, int64(rec.Score),
		nullTime(rec.FinalizedAt), nullString(rec.Checks), nullString(rec.ChecksSHA256), nullString(rec.ChecksKind),
		nullString(rec.ChecksOrg), rec.ChecksBlind, body}
}
