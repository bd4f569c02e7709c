package pgstore

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"digilevel/model"
	"digilevel/storage/platform"
)

// PutSession stores a new dashboard session under the hash of its ID.
func (s *Store) PutSession(x platform.Session) error {
	x, err := platform.PrepareSession(x)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx()
	defer cancel()
	_, err = s.pool.Exec(ctx, `INSERT INTO sessions (id_sha256, token_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		x.IDHash, x.TokenID, x.CSRF, x.CreatedAt, x.ExpiresAt)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" { // unique_violation
		return model.Errorf(model.ErrExists, "会话已存在")
	}
	return err
}

// Session reads a session by the hash of its ID.
func (s *Store) Session(idHash string) (platform.Session, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	x := platform.Session{IDHash: idHash}
	err := s.pool.QueryRow(ctx, `SELECT token_id, csrf, created_at, expires_at FROM sessions WHERE id_sha256 = $1`, idHash).
		Scan(&x.TokenID, &x.CSRF, &x.CreatedAt, &x.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return x, notFound("会话不存在")
	}
	x.CreatedAt, x.ExpiresAt = x.CreatedAt.UTC(), x.ExpiresAt.UTC()
	return x, err
}

// DeleteSession removes a session (logout); a missing one is not an error.
func (s *Store) DeleteSession(idHash string) error {
	ctx, cancel := s.ctx()
	defer cancel()
	_, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE id_sha256 = $1`, idHash)
	return err
}

// DeleteExpiredSessions removes every session expired at now.
func (s *Store) DeleteExpiredSessions(now time.Time) (int, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	tag, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, now.UTC())
	return int(tag.RowsAffected()), err
}

// nextSeq gives out the next number of a dashboard log. The counter row
// stays locked until the transaction ends, so numbers become visible in
// order and without gaps, whichever process appends.
func nextSeq(ctx context.Context, tx pgx.Tx, name string) (uint64, error) {
	var seq int64
	err := tx.QueryRow(ctx, `UPDATE dashboard_counters SET last = last + 1 WHERE name = $1 RETURNING last`, name).Scan(&seq)
	return uint64(seq), err
}

const rejectionCols = `seq, at, provider, role, token_id, source, report_id, sha256, status, code, message`

func scanRejection(row pgx.Row) (platform.Rejection, error) {
	var r platform.Rejection
	var seq int64
	var role string
	err := row.Scan(&seq, &r.At, &r.Provider, &role, &r.TokenID, &r.Source, &r.ReportID, &r.SHA256, &r.Status, &r.Code, &r.Message)
	r.Seq, r.At, r.Role = uint64(seq), r.At.UTC(), platform.Role(role)
	return r, err
}

// RecordRejection appends a refused upload with the next sequence number;
// the same provider, report, hash and reason again is kept once (created
// false).
func (s *Store) RecordRejection(r platform.Rejection) (created bool, err error) {
	r, err = platform.PrepareRejection(r, s.now(), false)
	if err != nil {
		return false, err
	}
	ctx, cancel := s.ctx()
	defer cancel()
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// The counter's lock orders concurrent appends, so the check below
		// sees every rejection committed before.
		seq, err := nextSeq(ctx, tx, "rejections")
		if err != nil {
			return err
		}
		var seen bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM rejections WHERE provider = $1 AND report_id = $2 AND sha256 = $3 AND code = $4)`,
			r.Provider, r.ReportID, r.SHA256, r.Code).Scan(&seen); err != nil || seen {
			if err == nil {
				err = errSeen
			}
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO rejections (`+rejectionCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			int64(seq), r.At, r.Provider, string(r.Role), r.TokenID, r.Source, r.ReportID, r.SHA256, r.Status, r.Code, r.Message)
		created = err == nil
		return err
	})
	if errors.Is(err, errSeen) {
		return false, nil
	}
	return created, err
}

// errSeen rolls back an append of something already there.
var errSeen = errors.New("already recorded")

// RejectionsAfter lists up to limit rejections with a sequence number above
// after, in order (limit <= 0: all).
func (s *Store) RejectionsAfter(after uint64, limit int) ([]platform.Rejection, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	lim := int64(limit)
	if limit <= 0 {
		lim = -1
	}
	rows, err := s.pool.Query(ctx, `SELECT `+rejectionCols+` FROM rejections WHERE seq > $1 ORDER BY seq
		LIMIT CASE WHEN $2::bigint < 0 THEN NULL ELSE $2::bigint END`, int64(after), lim)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (platform.Rejection, error) { return scanRejection(r) })
}

// RestoreRejection stores a rejection under its own sequence number (moving
// a platform between engines); the same one again changes nothing.
func (s *Store) RestoreRejection(r platform.Rejection) error {
	r, err := platform.PrepareRejection(r, s.now(), true)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx()
	defer cancel()
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT last FROM dashboard_counters WHERE name = 'rejections' FOR UPDATE`); err != nil {
			return err
		}
		stored, err := scanRejection(tx.QueryRow(ctx, `SELECT `+rejectionCols+` FROM rejections WHERE seq = $1`, int64(r.Seq)))
		switch {
		case err == nil:
			return platform.SameRejection(stored, r)
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO rejections (`+rejectionCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			int64(r.Seq), r.At, r.Provider, string(r.Role), r.TokenID, r.Source, r.ReportID, r.SHA256, r.Status, r.Code, r.Message); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE dashboard_counters SET last = greatest(last, $1) WHERE name = 'rejections'`, int64(r.Seq))
		return err
	})
}

const exclusionCols = `seq, enterprise, reasons, note, by_name, at`

func scanExclusion(row pgx.Row) (platform.Exclusion, error) {
	var x platform.Exclusion
	var seq int64
	err := row.Scan(&seq, &x.Enterprise, &x.Reasons, &x.Note, &x.By, &x.At)
	x.Seq, x.At = uint64(seq), x.At.UTC()
	if x.Reasons == nil {
		x.Reasons = []string{}
	}
	return x, err
}

// RecordExclusion appends the office's Art. 25 finding for an enterprise
// and returns it with its sequence number. The caller validates it
// (platform.Exclusion.Validate).
func (s *Store) RecordExclusion(x platform.Exclusion) (platform.Exclusion, error) {
	x, err := platform.PrepareExclusion(x, s.now(), false)
	if err != nil {
		return x, err
	}
	ctx, cancel := s.ctx()
	defer cancel()
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		seq, err := nextSeq(ctx, tx, "exclusions")
		if err != nil {
			return err
		}
		x.Seq = seq
		_, err = tx.Exec(ctx, `INSERT INTO exclusions (`+exclusionCols+`) VALUES ($1, $2, $3, $4, $5, $6)`,
			int64(seq), x.Enterprise, x.Reasons, x.Note, x.By, x.At)
		return err
	})
	return x, err
}

// ExclusionsAfter lists the exclusion records with a sequence number above
// after, in order.
func (s *Store) ExclusionsAfter(after uint64) ([]platform.Exclusion, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT `+exclusionCols+` FROM exclusions WHERE seq > $1 ORDER BY seq`, int64(after))
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (platform.Exclusion, error) { return scanExclusion(r) })
}

// RestoreExclusion stores an exclusion record under its own sequence
// number; the same one again changes nothing.
func (s *Store) RestoreExclusion(x platform.Exclusion) error {
	x, err := platform.PrepareExclusion(x, s.now(), true)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx()
	defer cancel()
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT last FROM dashboard_counters WHERE name = 'exclusions' FOR UPDATE`); err != nil {
			return err
		}
		stored, err := scanExclusion(tx.QueryRow(ctx, `SELECT `+exclusionCols+` FROM exclusions WHERE seq = $1`, int64(x.Seq)))
		switch {
		case err == nil:
			return platform.SameExclusion(stored, x)
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO exclusions (`+exclusionCols+`) VALUES ($1, $2, $3, $4, $5, $6)`,
			int64(x.Seq), x.Enterprise, x.Reasons, x.Note, x.By, x.At); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE dashboard_counters SET last = greatest(last, $1) WHERE name = 'exclusions'`, int64(x.Seq))
		return err
	})
}
