package storage

import (
	bolt "go.etcd.io/bbolt"
)

// Setting names.
const (
	SettingServerURL      = "server_url"
	SettingToken          = "token"
	SettingAssessorOrg    = "assessor_org"
	SettingAssessorPerson = "assessor_person"
	SettingAutoSend       = "auto_send"
	SettingExportDir      = "export_dir"
)

// Setting returns a setting, or "" when unset.
func (db *DB) Setting(name string) (string, error) {
	var v string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v = string(tx.Bucket(bucketSettings).Get([]byte(name)))
		return nil
	})
	return v, err
}

// SetSettings stores several settings in one transaction; "" deletes one.
func (db *DB) SetSettings(values map[string]string) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSettings)
		for k, v := range values {
			var err error
			if v == "" {
				err = b.Delete([]byte(k))
			} else {
				err = b.Put([]byte(k), []byte(v))
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}
