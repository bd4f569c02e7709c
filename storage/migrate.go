package storage

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"digilevel/storage/internal/boltkit"
)

// migrations lists every schema change, oldest first. They MUST stay in
// order, a shipped migration MUST NOT be edited (add a new one), and each
// MUST have a test in migrate_test.go (a test fails otherwise).
var migrations = []boltkit.Migration{
	{Version: 1, Name: "base buckets", Apply: migrateBaseBuckets},
	{Version: 2, Name: "enterprise summary index", Apply: migrateSummaryIndex},
	{Version: 3, Name: "outbox index", Apply: migrateOutboxIndex},
	{Version: 4, Name: "pulled reports", Apply: migratePulledReports},
	{Version: 5, Name: "solution pool", Apply: migrateSolutionPool},
	{Version: 6, Name: "evidence in the database", Apply: migrateEvidence},
	{Version: 7, Name: "summary index v2 (times and spot-check link)", Apply: migrateSummaryCodec2},
	{Version: 8, Name: "summary index counts", Apply: countSummaries},
}

// migrate runs the pending migrations inside the open transaction, so a
// failure leaves the file as it was.
func migrate(tx *bolt.Tx) error {
	err := boltkit.Migrate(tx, bucketMeta, keySchemaVersion, migrations)
	var tooNew *boltkit.TooNewError
	if errors.As(err, &tooNew) {
		return fmt.Errorf("%w: %v", ErrTooNew, err)
	}
	return err
}

func migrateBaseBuckets(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketMeta, bucketKeys, bucketSettings, bucketCatalogs, bucketEnterprises,
		bucketAssessments, bucketReports, bucketAudit, bucketOutbox, bucketReceipts} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return tx.Bucket(bucketMeta).Put(keyApp, []byte(appMarker))
}

// migrateSummaryIndex builds the home screen's index from the records.
func migrateSummaryIndex(tx *bolt.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bucketSummaries); err != nil {
		return err
	}
	return rebuildSummaries(tx)
}

// migrateOutboxIndex indexes the queued items by assessment ID.
func migrateOutboxIndex(tx *bolt.Tx) error {
	idx, err := tx.CreateBucketIfNotExists(bucketOutboxIDs)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
		var it OutboxItem
		if err := boltkit.Decode(v, &it); err != nil {
			return err
		}
		return idx.Put([]byte(it.AssessmentID), append([]byte(nil), k...))
	})
}

// migratePulledReports adds the buckets of reports pulled from the platform
// or a bundle for spot-checks; a file before v4 has none.
func migratePulledReports(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketPulled, bucketPulledReports, bucketPulledIndex} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// migrateSolutionPool adds the 小快轻准 solution pool, empty until imported.
func migrateSolutionPool(tx *bolt.Tx) error {
	_, err := tx.CreateBucketIfNotExists(bucketSolutions)
	return err
}

// migrateSummaryCodec2 rebuilds the index in codec 2, which keeps the times
// and spot-check link the roll-up export reads. An assessment whose
// enterprise file is missing gets no line (check reports it) instead of
// failing the upgrade.
func migrateSummaryCodec2(tx *bolt.Tx) error { return rebuildIndex(tx, true) }
