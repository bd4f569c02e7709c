package storage

import (
	"strconv"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// MarkSentBatch stores many receipts in one transaction (one fdatasync for
// all): for each, it stores the receipt, marks the assessment sent and
// removes its outbox item. The sync client uses it to keep up with a fast
// server; a crash before it returns loses nothing, because the server
// answers a resent report with its original receipt.
//
// The result has one error per item, nil when stored (or already stored):
// a receipt whose hash is not the report's, or an assessment that cannot
// become sent, fails alone. The returned error is a storage failure, and
// then nothing was stored.
func (db *DB) MarkSentBatch(receipts []Receipt, c model.Change) ([]error, error) {
	c, err := db.checkChange(c)
	if err != nil {
		return nil, err
	}
	errs := make([]error, len(receipts))
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		for i, r := range receipts {
			id := r.AssessmentID
			a, err := getAssessment(tx, id)
			if err != nil {
				errs[i] = err
				continue
			}
			if r.SHA256 != a.ReportSHA256 {
				errs[i] = model.Errorf(model.ErrInvalid, "回执的校验值 %s 与报告 %s 不符", model.ShortHash(r.SHA256), model.ShortHash(a.ReportSHA256))
				continue
			}
			if a.State == model.StateSent {
				continue
			}
			entry, err := a.Transition(model.StateSent, c)
			if err != nil {
				errs[i] = err
				continue
			}
			entry.Reason = "平台回执序号 " + strconv.FormatUint(r.ServerSeq, 10)
			a.SentAt, a.LastError = c.Now, ""
			if err := boltkit.PutJSON(tx.Bucket(bucketReceipts), []byte(id), r); err != nil {
				return err
			}
			if err := deleteOutboxItem(tx, id); err != nil {
				return err
			}
			cat, err := db.catalogFor(tx, a.CatalogHash)
			if err != nil {
				return err
			}
			if err := putAssessment(tx, a, cat, entry); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return errs, nil
}

// Sent counts the assessments the platform has acknowledged, from the
// summary index (no assessment is decoded).
func (db *DB) Sent() (int, error) {
	n := 0
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSummaries).ForEach(func(_, v []byte) error {
			s, err := decodeSummary(v)
			if err != nil {
				return err
			}
			for _, a := range s.Assessments {
				if a.State == model.StateSent {
					n++
				}
			}
			return nil
		})
	})
	return n, err
}
