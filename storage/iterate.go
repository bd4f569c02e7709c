package storage

import (
	bolt "go.etcd.io/bbolt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// EachEnterprise calls fn for every enterprise, in credit-code order, with
// its assessments (oldest first), inside one read transaction. It reads one
// enterprise's records at a time, so an export of 10,000 enterprises stays
// small in memory. An error from fn stops the iteration and is returned.
func (db *DB) EachEnterprise(fn func(model.Enterprise, []model.Assessment) error) error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		summaries := tx.Bucket(bucketSummaries)
		return tx.Bucket(bucketEnterprises).ForEach(func(k, v []byte) error {
			var e model.Enterprise
			if err := boltkit.Decode(v, &e); err != nil {
				return err
			}
			var list []model.Assessment
			if raw := summaries.Get(k); raw != nil {
				s, err := decodeSummary(raw)
				if err != nil {
					return err
				}
				for _, line := range s.Assessments {
					a, err := getAssessment(tx, line.ID)
					if err != nil {
						return err
					}
					list = append(list, a)
				}
			}
			return fn(e, list)
		})
	})
}
