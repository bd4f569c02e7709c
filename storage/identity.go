package storage

import (
	"strings"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
)

// Identity is who this laptop rates as: the assessor_person and
// assessor_org settings.
func (db *DB) Identity() (model.Assessor, error) {
	var as model.Assessor
	err := db.bolt.View(func(tx *bolt.Tx) error {
		as = identity(tx)
		return nil
	})
	return as, err
}

// SetIdentity stores who this laptop rates as; blank fields clear them.
func (db *DB) SetIdentity(as model.Assessor) error {
	as.Org, as.Person = strings.TrimSpace(as.Org), strings.TrimSpace(as.Person)
	if err := model.CheckAssessor(as); err != nil {
		return err
	}
	return db.SetSettings(map[string]string{SettingAssessorOrg: as.Org, SettingAssessorPerson: as.Person})
}

func identity(tx *bolt.Tx) model.Assessor {
	b := tx.Bucket(bucketSettings)
	return model.Assessor{Org: string(b.Get([]byte(SettingAssessorOrg))), Person: string(b.Get([]byte(SettingAssessorPerson)))}
}

// withIdentity fills the blank fields of as from the settings: a draft, a
// finalize and a revision are signed by who this laptop says it is.
func withIdentity(tx *bolt.Tx, as model.Assessor) model.Assessor {
	id := identity(tx)
	if strings.TrimSpace(as.Org) == "" {
		as.Org = id.Org
	}
	if strings.TrimSpace(as.Person) == "" {
		as.Person = id.Person
	}
	return as
}

// currentIdentity is the settings' identity over as: a revision is made
// by whoever uses the laptop now.
func currentIdentity(tx *bolt.Tx, as model.Assessor) model.Assessor {
	id := identity(tx)
	if id.Org != "" {
		as.Org = id.Org
	}
	if id.Person != "" {
		as.Person = id.Person
	}
	return as
}
