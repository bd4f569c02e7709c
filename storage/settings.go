package storage

import (
	"maps"
	"slices"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
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

// maxSettingLength bounds a setting's value, in characters.
const maxSettingLength = 2000

// SetSettings stores several settings in one transaction; "" deletes one.
// Every value follows the shared text rule (model.CheckText): the assessor
// with its limits, anything else on one line. Nothing is stored if one
// value is refused.
func (db *DB) SetSettings(values map[string]string) error {
	for _, k := range slices.Sorted(maps.Keys(values)) {
		if err := checkSetting(k, values[k]); err != nil {
			return err
		}
	}
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

func checkSetting(key, value string) error {
	switch key {
	case SettingAssessorOrg:
		return model.Assessor{Org: value}.Validate()
	case SettingAssessorPerson:
		return model.Assessor{Person: value}.Validate()
	}
	return model.CheckText(value, model.TextRule{Label: settingLabel(key), Max: maxSettingLength})
}

func settingLabel(key string) string {
	switch key {
	case SettingServerURL:
		return "平台地址"
	case SettingToken:
		return "访问令牌"
	case SettingExportDir:
		return "导出目录"
	}
	return "设置 " + key
}
