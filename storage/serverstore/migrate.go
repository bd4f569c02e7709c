package serverstore

import (
	"bytes"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
	"digilevel/storage/platform"
)

// migrations lists every schema change, oldest first. They MUST stay in
// order, a shipped migration MUST NOT be edited (add a new one), and each
// MUST have a test in migrate_test.go (a test fails otherwise).
var migrations = []boltkit.Migration{
	{Version: 1, Name: "base buckets", Apply: migrateBaseBuckets},
	{Version: 2, Name: "district roster and report facts", Apply: migrateRosterAndFacts},
	{Version: 3, Name: "spot-check links", Apply: migrateSpotCheckLinks},
	{Version: 4, Name: "dashboard sessions, rejections and exclusions", Apply: migrateDashboard},
}

func migrate(tx *bolt.Tx) error {
	err := boltkit.Migrate(tx, bucketMeta, keySchemaVersion, migrations)
	var tooNew *boltkit.TooNewError
	if errors.As(err, &tooNew) {
		return fmt.Errorf("%w: %v", ErrTooNew, err)
	}
	return err
}

func migrateBaseBuckets(tx *bolt.Tx) error {
	for _, name := range baseBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return tx.Bucket(bucketMeta).Put(keyApp, []byte(appMarker))
}

// migrateRosterAndFacts adds the district roster (a bucket by credit code
// and an index by batch) and copies each report's level, score, finalize
// time and checked report from its signed body into its record, so listings never decode
// bodies. A body that does not verify keeps a record without them, and
// Check reports it.
func migrateRosterAndFacts(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketRoster, bucketRosterBatch} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	reports, bodies := tx.Bucket(bucketReports), tx.Bucket(bucketBodies)
	type update struct {
		key []byte
		rec Record
	}
	var updates []update
	err := reports.ForEach(func(k, v []byte) error {
		var rec Record
		if err := boltkit.Decode(v, &rec); err != nil {
			return nil // Check reports it
		}
		doc, err := model.VerifyReport(bodies.Get(k))
		if err != nil {
			return nil
		}
		facts := platform.RecordOf(doc, rec.SHA256, rec.Size)
		rec.Level, rec.Score, rec.FinalizedAt, rec.Checks = facts.Level, facts.Score, facts.FinalizedAt, facts.Checks
		updates = append(updates, update{bytes.Clone(k), rec})
		return nil
	})
	if err != nil {
		return err
	}
	for _, u := range updates {
		if err := boltkit.PutJSON(reports, u.key, u.rec); err != nil {
			return err
		}
	}
	return nil
}

// migrateSpotCheckLinks copies the rest of each spot-check's link (the
// checked report's SHA-256, kind and provider, and blind mode) from its
// signed body into its record; schema 2 kept only the checked ID. Only
// records with a checked ID are read; a body that does not verify keeps its
// record, and Check reports it.
func migrateSpotCheckLinks(tx *bolt.Tx) error {
	reports, bodies := tx.Bucket(bucketReports), tx.Bucket(bucketBodies)
	updates := map[string]Record{}
	err := reports.ForEach(func(k, v []byte) error {
		var rec Record
		if err := boltkit.Decode(v, &rec); err != nil || rec.Checks == "" {
			return nil
		}
		doc, err := model.VerifyReport(bodies.Get(k))
		if err != nil {
			return nil
		}
		facts := platform.RecordOf(doc, rec.SHA256, rec.Size)
		rec.ChecksSHA256, rec.ChecksKind, rec.ChecksOrg, rec.ChecksBlind = facts.ChecksSHA256, facts.ChecksKind, facts.ChecksOrg, facts.ChecksBlind
		updates[string(k)] = rec
		return nil
	})
	if err != nil {
		return err
	}
	for k, rec := range updates {
		if err := boltkit.PutJSON(reports, []byte(k), rec); err != nil {
			return err
		}
	}
	return nil
}

// migrateDashboard adds the district dashboard's records: browser sessions
// (by the hash of their ID), refused uploads and the Art. 25 exclusions the
// office records. Existing data is not touched.
func migrateDashboard(tx *bolt.Tx) error {
	for _, name := range dashboardBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}
