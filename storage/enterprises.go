package storage

import (
	"fmt"
	"reflect"
	"strings"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// CreateEnterprise adds an enterprise file. It fails with model.ErrExists if
// the credit code is taken and with a model.FieldErrors if a field is invalid.
func (db *DB) CreateEnterprise(e model.Enterprise, c model.Change) (model.Enterprise, error) {
	c, err := db.checkChange(c)
	if err != nil {
		return model.Enterprise{}, err
	}
	e.Normalize()
	if err := e.Validate(); err != nil {
		return model.Enterprise{}, err
	}
	e.CreatedAt, e.UpdatedAt = c.Now, c.Now
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketEnterprises)
		if b.Get([]byte(e.Code)) != nil {
			return model.Errorf(model.ErrExists, "统一社会信用代码 %s 的企业已存在", e.Code)
		}
		return putEnterprise(tx, e, model.AuditEntry{At: c.Now, Who: c.Who, Action: "enterprise_create", New: e.Name, Reason: c.Reason})
	})
	if err != nil {
		return model.Enterprise{}, err
	}
	return e, nil
}

// UpdateEnterprise replaces an existing enterprise file (same credit code).
func (db *DB) UpdateEnterprise(e model.Enterprise, c model.Change) (model.Enterprise, error) {
	c, err := db.checkChange(c)
	if err != nil {
		return model.Enterprise{}, err
	}
	e.Normalize()
	if err := e.Validate(); err != nil {
		return model.Enterprise{}, err
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		old, err := getEnterprise(tx, e.Code)
		if err != nil {
			return err
		}
		e.CreatedAt, e.UpdatedAt = old.CreatedAt, c.Now
		e.TrackStatus(old, model.BeijingDay(c.Now))
		changed := changedFields(old, e)
		if len(changed) == 0 {
			e = old
			return nil
		}
		return putEnterprise(tx, e, model.AuditEntry{At: c.Now, Who: c.Who, Action: "enterprise_update", Item: strings.Join(changed, ","), Reason: c.Reason})
	})
	if err != nil {
		return model.Enterprise{}, err
	}
	return e, nil
}

// ImportStats counts what an import did.
type ImportStats struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// ImportEnterprises creates or updates many enterprises in one transaction,
// keyed on the credit code, so importing the same roster twice changes
// nothing. Every enterprise must be valid (callers report bad rows before).
func (db *DB) ImportEnterprises(list []model.Enterprise, c model.Change) (ImportStats, error) {
	c, err := db.checkChange(c)
	if err != nil {
		return ImportStats{}, err
	}
	var stats ImportStats
	for i := range list {
		list[i].Normalize()
		if err := list[i].Validate(); err != nil {
			return stats, fmt.Errorf("企业 %s: %w", list[i].Code, err)
		}
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		stats = ImportStats{}
		for _, e := range list {
			old, err := getEnterprise(tx, e.Code)
			switch {
			case err != nil:
				e.CreatedAt, e.UpdatedAt = c.Now, c.Now
				stats.Created++
				if err := putEnterprise(tx, e, model.AuditEntry{At: c.Now, Who: c.Who, Action: "enterprise_import", New: e.Name}); err != nil {
					return err
				}
			default:
				// The roster does not carry the demo flag; keep what the file has.
				e.Demo = old.Demo
				e.CreatedAt, e.UpdatedAt = old.CreatedAt, old.UpdatedAt
				e.TrackStatus(old, model.BeijingDay(c.Now))
				changed := changedFields(old, e)
				if len(changed) == 0 {
					stats.Unchanged++
					continue
				}
				e.UpdatedAt = c.Now
				stats.Updated++
				if err := putEnterprise(tx, e, model.AuditEntry{At: c.Now, Who: c.Who, Action: "enterprise_import", Item: strings.Join(changed, ",")}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return stats, err
}

// Enterprise returns one enterprise file.
func (db *DB) Enterprise(code string) (model.Enterprise, error) {
	var e model.Enterprise
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		e, err = getEnterprise(tx, model.NormalizeCreditCode(code))
		return err
	})
	return e, err
}

// Enterprises lists every enterprise file, ordered by credit code.
func (db *DB) Enterprises() ([]model.Enterprise, error) {
	var out []model.Enterprise
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketEnterprises).ForEach(func(_, v []byte) error {
			var e model.Enterprise
			if err := boltkit.Decode(v, &e); err != nil {
				return err
			}
			out = append(out, e)
			return nil
		})
	})
	return out, err
}

func getEnterprise(tx *bolt.Tx, code string) (model.Enterprise, error) {
	var e model.Enterprise
	v := tx.Bucket(bucketEnterprises).Get([]byte(code))
	if v == nil {
		return e, notFound("企业 %s 不存在（统一社会信用代码）", code)
	}
	return e, boltkit.Decode(v, &e)
}

func putEnterprise(tx *bolt.Tx, e model.Enterprise, entry model.AuditEntry) error {
	if err := boltkit.PutJSON(tx.Bucket(bucketEnterprises), []byte(e.Code), e); err != nil {
		return err
	}
	if err := putSummaryEnterprise(tx, e); err != nil {
		return err
	}
	return appendAudit(tx, enterpriseAuditPrefix+e.Code, entry)
}

// changedFields names the JSON fields that differ, ignoring timestamps.
func changedFields(a, b model.Enterprise) []string {
	a.CreatedAt, a.UpdatedAt = b.CreatedAt, b.UpdatedAt
	var out []string
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	for i := 0; i < va.NumField(); i++ {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			name, _, _ := strings.Cut(va.Type().Field(i).Tag.Get("json"), ",")
			out = append(out, name)
		}
	}
	return out
}
