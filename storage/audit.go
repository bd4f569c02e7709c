package storage

import (
	"bytes"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// appendAudit adds an entry under its owner (an assessment ID or "E:"+code).
func appendAudit(tx *bolt.Tx, owner string, e model.AuditEntry) error {
	b := tx.Bucket(bucketAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	return boltkit.PutJSON(b, auditKey(owner, seq), e)
}

// AuditLog lists an assessment's audit entries, oldest first.
func (db *DB) AuditLog(id string) ([]model.AuditEntry, error) {
	return db.auditOf(id)
}

// EnterpriseAuditLog lists the changes of an enterprise file, oldest first.
func (db *DB) EnterpriseAuditLog(code string) ([]model.AuditEntry, error) {
	return db.auditOf(enterpriseAuditPrefix + model.NormalizeCreditCode(code))
}

func (db *DB) auditOf(owner string) ([]model.AuditEntry, error) {
	var out []model.AuditEntry
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		out, err = auditInTx(tx, owner)
		return err
	})
	return out, err
}

func auditInTx(tx *bolt.Tx, owner string) ([]model.AuditEntry, error) {
	out := []model.AuditEntry{}
	prefix := []byte(owner + "/")
	c := tx.Bucket(bucketAudit).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var e model.AuditEntry
		if err := boltkit.Decode(v, &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}
