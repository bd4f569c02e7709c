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
	// SettingSpotCheckBlind is "off" to rate spot-checks seeing the
	// provider's report; anything else (unset) means blind, the default.
	SettingSpotCheckBlind = "spotcheck_blind"
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

// SpotCheckBlind reports whether new spot-checks are rated blind (the
// default, unless the setting is "off").
func (db *DB) SpotCheckBlind() (bool, error) {
	var blind bool
	err := db.bolt.View(func(tx *bolt.Tx) error {
		blind = blindSetting(tx)
		return nil
	})
	return blind, err
}

func blindSetting(tx *bolt.Tx) bool {
	return string(tx.Bucket(bucketSettings).Get([]byte(SettingSpotCheckBlind))) != "off"
}
