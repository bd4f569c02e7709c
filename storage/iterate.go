package storage

import (
	bolt "go.etcd.io/bbolt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// EnterpriseRecords is one enterprise with what the roll-up reads about
// it, all from the summary index and small records.
type EnterpriseRecords struct {
	Enterprise model.Enterprise
	// Headers are this laptop's own assessments, oldest first, as the
	// summary index keeps them (AssessmentSummary.Header): identity, kind,
	// state, score, level, times and spot-check link, no answers.
	Headers []model.Assessment
	// Pulled are other laptops' reports pulled for spot-checks, in the order
	// their provider created them; Masked while Seal.Sealed.
	Pulled []model.PulledReport
	Seal   model.Seal
}

// EachEnterprise calls fn for every enterprise, in credit-code order, inside
// one read transaction. It reads the enterprise file, its summary line and
// its pulled reports, never an assessment record, so its cost grows with the
// number of enterprises only, and memory stays flat (the mapped file pages
// are released as it goes). An error from fn stops the iteration and is
// returned.
func (db *DB) EachEnterprise(fn func(EnterpriseRecords) error) error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		summaries := tx.Bucket(bucketSummaries)
		blind := blindSetting(tx)
		scanned := 0
		return tx.Bucket(bucketEnterprises).ForEach(func(k, v []byte) error {
			if scanned++; scanned%releaseEveryRecords == 0 {
				db.releaseNow(tx)
			}
			var r EnterpriseRecords
			if err := boltkit.Decode(v, &r.Enterprise); err != nil {
				return err
			}
			if raw := summaries.Get(k); raw != nil {
				s, err := decodeSummary(raw)
				if err != nil {
					return err
				}
				r.Headers = make([]model.Assessment, len(s.Assessments))
				for i, line := range s.Assessments {
					r.Headers[i] = line.Header(r.Enterprise.Code)
				}
			}
			pulled, err := pulledOf(tx, string(k))
			if err != nil {
				return err
			}
			r.Seal = model.SealFor(blind, string(k), r.Headers)
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
