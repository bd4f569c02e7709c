package pgstore

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"digilevel/model"
	"digilevel/storage/platform"
)

// Check verifies the invariants that make every report present exactly
// once and unaltered (platform.Checker's, the same as on bbolt) plus the
// schema version and marker, and returns every problem found, in Chinese.
// It reads one snapshot, so it runs while servers keep accepting reports.
func (s *Store) Check() ([]string, error) {
	_, problems, err := s.Verify()
	return problems, err
}

// Verify is Check with a summary of what is stored (counts and a digest
// that `serve migrate` compares between engines).
func (s *Store) Verify() (platform.Summary, []string, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	c := platform.NewChecker()
	var sum platform.Summary
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		ms, err := migrations()
		if err != nil {
			return err
		}
		var version int
		var marker string
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
			return err
		}
		if version != len(ms) {
			c.Add("结构版本 %d，应为 %d", version, len(ms))
		}
		if err := tx.QueryRow(ctx, `SELECT coalesce((SELECT value FROM platform_meta WHERE key = 'app'), '')`).Scan(&marker); err != nil {
			return err
		}
		if marker != appMarker {
			c.Add("缺少服务器数据库标记")
		}
		if err := checkRows(ctx, tx, c); err != nil {
			return err
		}
		replaced := map[string]string{}
		var old, by string
		rows, _ := tx.Query(ctx, `SELECT replaces, id FROM reports WHERE replaces IS NOT NULL`)
		if _, err := pgx.ForEachRow(rows, []any{&old, &by}, func() error { replaced[old] = by; return nil }); err != nil {
			return err
		}
		c.Replacements(replaced)
		var last int64
		if err := tx.QueryRow(ctx, `SELECT last FROM sequence_counter WHERE id = 1`).Scan(&last); err != nil {
			return err
		}
		c.Sequence(uint64(last))
		var i platform.Idempotency
		rows, _ = tx.Query(ctx, `SELECT key, report_id, sha256 FROM idempotency`)
		if _, err := pgx.ForEachRow(rows, []any{&i.Key, &i.ID, &i.SHA256}, func() error { c.Idempotency(i); return nil }); err != nil {
			return err
		}
		sum = c.Summary(uint64(last), replaced)
		return nil
	})
	return sum, c.Problems(), err
}

// checkRows feeds tokens, reports with bodies, evidence and the roster.
func checkRows(ctx context.Context, tx pgx.Tx, c *platform.Checker) error {
	rows, _ := tx.Query(ctx, `SELECT `+tokenCols+` FROM tokens`)
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			rows.Close()
			return err
		}
		c.Token(t.ID, t)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows, _ = tx.Query(ctx, `SELECT `+recordCols+`, r.body FROM reports r ORDER BY r.seq`)
	for rows.Next() {
		var body []byte
		rec, err := scanRecord(rows, &body)
		if err != nil {
			rows.Close()
			return err
		}
		c.Report(rec.ID, rec, body)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var sha string
	var data []byte
	rows, _ = tx.Query(ctx, `SELECT sha256, content FROM evidence`)
	if _, err := pgx.ForEachRow(rows, []any{&sha, &data}, func() error { c.Evidence(sha, data); return nil }); err != nil {
		return err
	}
	var code string
	var batch int
	rows, _ = tx.Query(ctx, `SELECT code, batch, doc FROM roster`)
	_, err := pgx.ForEachRow(rows, []any{&code, &batch, &data}, func() error {
		var e model.Enterprise
		if err := json.Unmarshal(data, &e); err != nil {
			c.Add("名单企业 %s 无法解析: %v", code, err)
			return nil
		}
		c.Enterprise(code, e)
		if e.Batch != batch {
			c.Add("名单企业 %s 的批次列为 %d，记录为 %d", code, batch, e.Batch)
		}
		return nil
	})
	return err
}
