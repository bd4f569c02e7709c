package pgstore

import (
	"time"

	"github.com/jackc/pgx/v5"

	"digilevel/indicators"
	"digilevel/storage/platform"
)

// recordCols selects a platform.Record from reports r, with the revision
// that replaces it (derived, never stored with the record).
const recordCols = `r.id, r.seq, r.sha256, r.size, r.enterprise, r.provider, r.kind, r.version,
	coalesce(r.replaces, ''), r.public_key, r.token_id, r.source, r.received_at, r.received_ns,
	r.level, r.score_milli, r.finalized_at, coalesce(r.checks, ''),
	coalesce((SELECT b.id FROM reports b WHERE b.replaces = r.id), '')`

// scanRecord reads recordCols (and any extra destinations after them).
func scanRecord(row pgx.Row, extra ...any) (platform.Record, error) {
	var rec platform.Record
	var seq int64
	var ns int16
	var score int64
	var finalized *time.Time
	dest := append([]any{&rec.ID, &seq, &rec.SHA256, &rec.Size, &rec.Enterprise, &rec.Provider, &rec.Kind, &rec.Version,
		&rec.Replaces, &rec.PublicKey, &rec.TokenID, &rec.Source, &rec.ReceivedAt, &ns,
		&rec.Level, &score, &finalized, &rec.Checks, &rec.ReplacedBy}, extra...)
	if err := row.Scan(dest...); err != nil {
		return rec, err
	}
	rec.Seq = uint64(seq)
	rec.ReceivedAt = rec.ReceivedAt.UTC().Add(time.Duration(ns))
	rec.Score = indicators.Points(score)
	if finalized != nil {
		rec.FinalizedAt = finalized.UTC()
	}
	return rec, nil
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
	public_key, token_id, source, received_at, received_ns, level, score_milli, finalized_at, checks, body)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`

func insertArgs(rec platform.Record, body []byte) []any {
	at, ns := splitTime(rec.ReceivedAt)
	return []any{rec.ID, int64(rec.Seq), rec.SHA256, len(body), rec.Enterprise, rec.Provider, rec.Kind, rec.Version,
		nullString(rec.Replaces), rec.PublicKey, rec.TokenID, rec.Source, at, ns, rec.Level, int64(rec.Score),
		nullTime(rec.FinalizedAt), nullString(rec.Checks), body}
}
