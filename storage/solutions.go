package storage

import (
	"sort"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// ImportSolutions adds or replaces solutions of the pool by ID in one
// transaction; importing the same file twice changes nothing.
func (db *DB) ImportSolutions(list []model.Solution, c model.Change) (ImportStats, error) {
	c = db.change(c)
	var stats ImportStats
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		stats = ImportStats{}
		b := tx.Bucket(bucketSolutions)
		for _, s := range list {
			var old model.Solution
			switch v := b.Get([]byte(s.ID)); {
			case v == nil:
				stats.Created++
			default:
				if err := boltkit.Decode(v, &old); err != nil {
					return err
				}
				if solutionsEqual(old, s) {
					stats.Unchanged++
					continue
				}
				stats.Updated++
			}
			if err := boltkit.PutJSON(b, []byte(s.ID), s); err != nil {
				return err
			}
		}
		return appendAudit(tx, "S:pool", model.AuditEntry{At: c.Now, Who: c.Who, Action: "solutions_import",
			New: model.DisplaySafe(c.Reason, false)})
	})
	return stats, err
}

func solutionsEqual(a, b model.Solution) bool {
	return a.ServesText() == b.ServesText() && a.ID == b.ID && a.Name == b.Name && a.Provider == b.Provider &&
		a.PriceBand == b.PriceBand && a.Deployment == b.Deployment && a.References == b.References &&
		a.Example == b.Example && a.Source == b.Source
}

// Solutions lists the pool, ordered by ID.
func (db *DB) Solutions() ([]model.Solution, error) {
	var out []model.Solution
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSolutions).ForEach(func(_, v []byte) error {
			var s model.Solution
			if err := boltkit.Decode(v, &s); err != nil {
				return err
			}
			out = append(out, s)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// SuggestSolutions lists the pool's solutions for a scenario and target
// level, real ones before 示例 ones.
func (db *DB) SuggestSolutions(scenario string, level int) ([]model.Solution, error) {
	pool, err := db.Solutions()
	if err != nil {
		return nil, err
	}
	return model.MatchSolutions(pool, scenario, level), nil
}
