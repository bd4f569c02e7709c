package serverstore

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
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return tx.Bucket(bucketMeta).Put(keyApp, []byte(appMarker))
}
