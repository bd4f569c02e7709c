package pgstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"digilevel/model"
	"digilevel/storage/platform"
)

// rosterLockKey is the advisory lock that orders roster imports: two
// imports of the same new enterprise at once would otherwise both insert.
const rosterLockKey = 0x646c7672 // "dlvr"

// ImportRoster creates or updates roster entries in one transaction, keyed
// on the credit code; fields names the model fields the roster file has a
// column for: the others keep their stored values (model.MergeFields), so
// importing the same roster twice changes nothing.
func (s *Store) ImportRoster(list []model.Enterprise, fields []string, at time.Time) (platform.ImportStats, error) {
	list, err := platform.PrepareRoster(list)
	if err != nil {
		return platform.ImportStats{}, err
	}
	ctx, cancel := s.ctx()
	defer cancel()
	var stats platform.ImportStats
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		stats = platform.ImportStats{}
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, rosterLockKey); err != nil {
			return err
		}
		codes := make([]string, len(list))
		for i, e := range list {
			codes[i] = e.Code
		}
		rows, err := tx.Query(ctx, `SELECT doc FROM roster WHERE code = ANY($1)`, codes)
		if err != nil {
			return err
		}
		stored := map[string]model.Enterprise{}
		var doc []byte
		_, err = pgx.ForEachRow(rows, []any{&doc}, func() error {
			var e model.Enterprise
			if err := json.Unmarshal(doc, &e); err != nil {
				return err
			}
			stored[e.Code] = e
			return nil
		})
		if err != nil {
			return err
		}
		b := &pgx.Batch{}
		for _, e := range list {
			var old *model.Enterprise
			if o, ok := stored[e.Code]; ok {
				old = &o
			}
			merged, outcome := platform.MergeRoster(old, e, fields, at)
			stats.Count(outcome)
			if outcome == platform.RosterUnchanged {
				continue
			}
			data, err := json.Marshal(merged)
			if err != nil {
				return err
			}
			queueRosterPut(b, merged, data)
		}
		if b.Len() == 0 {
			return nil
		}
		return tx.SendBatch(ctx, b).Close()
	})
	return stats, err
}

// RosterEnterprise returns one roster entry.
func (s *Store) RosterEnterprise(code string) (model.Enterprise, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	var e model.Enterprise
	var doc []byte
	err := s.pool.QueryRow(ctx, `SELECT doc FROM roster WHERE code = $1`, model.NormalizeCreditCode(code)).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return e, notFound("名单中没有企业 %s", code)
	}
	if err != nil {
		return e, err
	}
	return e, json.Unmarshal(doc, &e)
}

// EachRosterEnterprise calls fn with every roster entry of a batch (0: of
// every batch), ordered by batch, then credit code, from one query. It
// stops at fn's first error and returns it.
func (s *Store) EachRosterEnterprise(batch int, fn func(model.Enterprise) error) error {
	ctx, cancel := s.ctx()
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT doc FROM roster WHERE $1 = 0 OR batch = $1 ORDER BY batch, code COLLATE "C"`, batch)
	if err != nil {
		return err
	}
	var doc []byte
	_, err = pgx.ForEachRow(rows, []any{&doc}, func() error {
		var e model.Enterprise
		if err := json.Unmarshal(doc, &e); err != nil {
			return err
		}
		return fn(e)
	})
	return err
}

const upsertRoster = `INSERT INTO roster (code, batch, name, provider, scale, zjtx, smart_factory, pilot_industry, doc, updated_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
	ON CONFLICT (code) DO UPDATE SET batch = $2, name = $3, provider = $4, scale = $5, zjtx = $6,
	smart_factory = $7, pilot_industry = $8, doc = $9, updated_at = $10`

func queueRosterPut(b *pgx.Batch, e model.Enterprise, doc []byte) {
	b.Queue(upsertRoster, e.Code, e.Batch, e.Name, e.Provider, string(e.Scale), string(e.ZJTX),
		e.SmartFactory, e.PilotIndustry, doc, e.UpdatedAt.UTC())
}

// RestoreRoster stores roster entries exactly as they were elsewhere (their
// times included), replacing entries with the same credit code.
func (s *Store) RestoreRoster(list []model.Enterprise) error {
	b := &pgx.Batch{}
	for _, e := range list {
		if err := e.Validate(); err != nil {
			return fmt.Errorf("企业 %s: %w", e.Code, err)
		}
		data, err := json.Marshal(e)
		if err != nil {
			return err
		}
		queueRosterPut(b, e, data)
	}
	ctx, cancel := s.ctx()
	defer cancel()
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, rosterLockKey); err != nil {
			return err
		}
		return tx.SendBatch(ctx, b).Close()
	})
}
