package pgstore

import (
	"encoding/json"
	"errors"
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
			switch outcome {
			case platform.RosterUnchanged:
				stats.Unchanged++
				continue
			case platform.RosterCreated:
				stats.Created++
			default:
				stats.Updated++
			}
			stored[merged.Code] = merged
			data, err := json.Marshal(merged)
			if err != nil {
				return err
			}
			b.Queue(`INSERT INTO roster (code, batch, name, provider, scale, zjtx, smart_factory, pilot_industry, doc, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
				ON CONFLICT (code) DO UPDATE SET batch = $2, name = $3, provider = $4, scale = $5, zjtx = $6,
				smart_factory = $7, pilot_industry = $8, doc = $9, updated_at = $10`,
				merged.Code, merged.Batch, merged.Name, merged.Provider, string(merged.Scale), string(merged.ZJTX),
				merged.SmartFactory, merged.PilotIndustry, data, merged.UpdatedAt)
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
