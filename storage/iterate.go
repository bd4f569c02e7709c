package storage

import (
	bolt "go.etcd.io/bbolt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// EnterpriseRecords is one enterprise with everything this laptop holds
// about it.
type EnterpriseRecords struct {
	Enterprise model.Enterprise
	// Assessments are this laptop's own, oldest first.
	Assessments []model.Assessment
	// Pulled are other laptops' reports pulled for spot-checks, in the order
	// their provider created them; Masked while Seal.Sealed.
	Pulled []model.PulledReport
	Seal   model.Seal
}

// EachEnterprise calls fn for every enterprise, in credit-code order, with
// its records, inside one read transaction. It reads one enterprise's
// records at a time, so an export of 10,000 enterprises stays small in
// memory. An error from fn stops the iteration and is returned.
func (db *DB) EachEnterprise(fn func(EnterpriseRecords) error) error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		summaries := tx.Bucket(bucketSummaries)
		blind := blindSetting(tx)
		return tx.Bucket(bucketEnterprises).ForEach(func(k, v []byte) error {
			var r EnterpriseRecords
			if err := boltkit.Decode(v, &r.Enterprise); err != nil {
				return err
			}
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
					r.Assessments = append(r.Assessments, a)
				}
			}
			pulled, err := pulledOf(tx, string(k))
			if err != nil {
				return err
			}
			r.Seal = model.SealFor(blind, string(k), r.Assessments)
			for _, p := range pulled {
				if r.Seal.Sealed {
					p = p.Masked()
				}
				r.Pulled = append(r.Pulled, p)
			}
			return fn(r)
		})
	})
}
