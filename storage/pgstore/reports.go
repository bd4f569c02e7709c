package pgstore

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"digilevel/model"
	"digilevel/storage/platform"
)

// Report returns an accepted report's record and its bytes.
func (s *Store) Report(id string) (platform.Record, []byte, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	var body []byte
	rec, err := scanRecord(s.pool.QueryRow(ctx, `SELECT `+recordCols+`, r.body FROM reports r WHERE r.id = $1`, id), &body)
	if errors.Is(err, pgx.ErrNoRows) {
		return rec, nil, notFound("报告 %s 不存在", id)
	}
	return rec, body, err
}

// ReportBody is one report's bytes exactly as received, without its
// record (no link-state subquery).
func (s *Store) ReportBody(id string) ([]byte, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	var body []byte
	err := s.pool.QueryRow(ctx, `SELECT body FROM reports WHERE id = $1`, id).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("报告 %s 不存在", id)
	}
	return body, err
}

// ReportBodies are the bytes of several reports in the order of ids, read
// in one query (a catch-up over 30,000 reports otherwise pays a round trip
// for each).
func (s *Store) ReportBodies(ids []string) ([][]byte, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT id, body FROM reports WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[string][]byte, len(ids))
	for rows.Next() {
		var id string
		var body []byte
		if err := rows.Scan(&id, &body); err != nil {
			rows.Close()
			return nil, err
		}
		byID[id] = body
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([][]byte, len(ids))
	for i, id := range ids {
		b, ok := byID[id]
		if !ok {
			return nil, notFound("报告 %s 不存在", id)
		}
		out[i] = b
	}
	return out, nil
}

// Reports lists the reports of one enterprise in acceptance order.
func (s *Store) Reports(enterprise string) ([]platform.Record, error) {
	return s.records(`SELECT `+recordCols+` FROM reports r WHERE r.enterprise = $1 ORDER BY r.seq`, enterprise)
}

// ReportsAfter lists up to limit reports with a sequence number above
// after, in acceptance order (limit <= 0: all).
func (s *Store) ReportsAfter(after uint64, limit int) ([]platform.Record, error) {
	if limit <= 0 {
		return s.records(`SELECT `+recordCols+` FROM reports r WHERE r.seq > $1 ORDER BY r.seq`, int64(after))
	}
	return s.records(`SELECT `+recordCols+` FROM reports r WHERE r.seq > $1 ORDER BY r.seq LIMIT $2`, int64(after), limit)
}

func (s *Store) records(sql string, args ...any) ([]platform.Record, error) {
	var out []platform.Record
	err := s.eachRecord(func(r platform.Record) error { out = append(out, r); return nil }, sql, args...)
	return out, err
}

func (s *Store) eachRecord(fn func(platform.Record) error, sql string, args ...any) error {
	ctx, cancel := s.ctx()
	defer cancel()
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		rec, err := scanRecord(rows)
		if err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachReport calls fn with every report after the sequence number after,
// in acceptance order, without bodies, from one query (one snapshot). It
// stops at fn's first error and returns it.
func (s *Store) EachReport(after uint64, fn func(platform.Record) error) error {
	return s.eachRecord(fn, `SELECT `+recordCols+` FROM reports r WHERE r.seq > $1 ORDER BY r.seq`, int64(after))
}

// LastSeq is the last server sequence number given out.
func (s *Store) LastSeq() (uint64, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	var last int64
	err := s.pool.QueryRow(ctx, `SELECT last FROM sequence_counter WHERE id = 1`).Scan(&last)
	return uint64(last), err
}

// PutEvidence stores an evidence file under the SHA-256 of its content; it
// reports whether the file was new. Storing the same content twice (from
// any process at once) changes nothing: the hash is the primary key.
func (s *Store) PutEvidence(data []byte) (string, bool, error) {
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	if ok, err := s.HasEvidence(sha); ok || err != nil {
		return sha, false, err
	}
	ctx, cancel := s.ctx()
	defer cancel()
	tag, err := s.pool.Exec(ctx, `INSERT INTO evidence (sha256, content) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING`, sha, data)
	if err != nil {
		return sha, false, err
	}
	return sha, tag.RowsAffected() == 1, nil
}

// HasEvidence reports whether an evidence file with that SHA-256 is stored.
func (s *Store) HasEvidence(sha string) (bool, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM evidence WHERE sha256 = $1)`, sha).Scan(&ok)
	return ok, err
}

// Evidence returns a stored evidence file.
func (s *Store) Evidence(sha string) ([]byte, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT content FROM evidence WHERE sha256 = $1`, sha).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("佐证材料 %s 不存在", model.ShortHash(sha))
	}
	return data, err
}

// EachEvidence calls fn with the SHA-256 of every stored evidence file, in
// order; Evidence reads one.
func (s *Store) EachEvidence(fn func(sha string) error) error {
	return s.eachString(fn, `SELECT sha256 FROM evidence ORDER BY sha256 COLLATE "C"`)
}

func (s *Store) eachString(fn func(string) error, sql string, args ...any) error {
	ctx, cancel := s.ctx()
	defer cancel()
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	var v string
	_, err = pgx.ForEachRow(rows, []any{&v}, func() error { return fn(v) })
	return err
}

// EachIdempotency calls fn with every idempotency record, ordered by key.
func (s *Store) EachIdempotency(fn func(platform.Idempotency) error) error {
	ctx, cancel := s.ctx()
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT key, report_id, sha256 FROM idempotency ORDER BY key COLLATE "C"`)
	if err != nil {
		return err
	}
	var i platform.Idempotency
	_, err = pgx.ForEachRow(rows, []any{&i.Key, &i.ID, &i.SHA256}, func() error { return fn(i) })
	return err
}

// RestoreReport stores a report with the receipt it was given elsewhere
// (its Seq and ReceivedAt), for moving a platform between engines. A report
// already stored with the same sequence number and hash is left alone
// (false); one stored differently, or a sequence number taken by another
// report, is an error. The counter becomes the highest number stored.
func (s *Store) RestoreReport(rec platform.Record, body []byte) (bool, error) {
	if err := platform.CheckRestore(rec, body); err != nil {
		return false, err
	}
	ctx, cancel := s.ctx()
	defer cancel()
	created := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var last int64
		if err := tx.QueryRow(ctx, `SELECT last FROM sequence_counter WHERE id = 1 FOR UPDATE`).Scan(&last); err != nil {
			return err
		}
		stored, err := scanRecord(tx.QueryRow(ctx, `SELECT `+recordCols+` FROM reports r WHERE r.id = $1`, rec.ID))
		if err == nil {
			return platform.SameRestore(stored, rec)
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		var other string
		err = tx.QueryRow(ctx, `SELECT id FROM reports WHERE seq = $1`, int64(rec.Seq)).Scan(&other)
		if err == nil {
			return fmt.Errorf("服务器序号 %d 已属于报告 %s，不能再给 %s", rec.Seq, other, rec.ID)
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if rec.Replaces != "" {
			err = tx.QueryRow(ctx, `SELECT id FROM reports WHERE replaces = $1`, rec.Replaces).Scan(&other)
			if err == nil {
				return fmt.Errorf("报告 %s 已被 %s 取代，不能再记为被 %s 取代", rec.Replaces, other, rec.ID)
			} else if !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
		}
		if _, err := tx.Exec(ctx, insertReport, insertArgs(rec, body)...); err != nil {
			return err
		}
		if int64(rec.Seq) > last {
			if _, err := tx.Exec(ctx, `UPDATE sequence_counter SET last = $1 WHERE id = 1`, int64(rec.Seq)); err != nil {
				return err
			}
		}
		created = true
		return nil
	})
	return created, err
}

// RestoreIdempotency stores an idempotency record as it was elsewhere; the
// report must be stored. The same record again changes nothing.
func (s *Store) RestoreIdempotency(i platform.Idempotency) error {
	ctx, cancel := s.ctx()
	defer cancel()
	var sha string
	err := s.pool.QueryRow(ctx, `SELECT sha256 FROM reports WHERE id = $1`, i.ID).Scan(&sha)
	if err != nil || sha != i.SHA256 {
		return fmt.Errorf("幂等键 %q 指向的报告 %s 不存在或内容不同", i.Key, i.ID)
	}
	var named string
	err = s.pool.QueryRow(ctx, `INSERT INTO idempotency (key, report_id, sha256) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET key = idempotency.key RETURNING report_id || ' ' || sha256`, i.Key, i.ID, i.SHA256).Scan(&named)
	if err != nil {
		return err
	}
	if named != i.ID+" "+i.SHA256 {
		return fmt.Errorf("幂等键 %q 已指向 %s", i.Key, named)
	}
	return nil
}
