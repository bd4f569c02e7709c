package serverstore

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// migration moves the schema from version-1 to version.
type migration struct {
	version int
	name    string
	apply   func(tx *bolt.Tx) error
}

// migrations lists every schema change, oldest first. They MUST stay in
// order, a shipped migration MUST NOT be edited (add a new one), and each
// MUST have a test in migrate_test.go (a test fails otherwise).
var migrations = []migration{
	{1, "base buckets", migrateBaseBuckets},
}

func migrate(tx *bolt.Tx) error {
	current := 0
	if meta := tx.Bucket(bucketMeta); meta != nil {
		current = int(btoi(meta.Get(keySchemaVersion)))
	}
	if current > len(migrations) {
		return fmt.Errorf("%w: 文件结构版本 %d，本程序只支持到 %d，请升级 digilevel", ErrTooNew, current, len(migrations))
	}
	for _, m := range migrations[current:] {
		if err := m.apply(tx); err != nil {
			return fmt.Errorf("服务器数据库升级 %d（%s）失败: %w", m.version, m.name, err)
		}
		if err := tx.Bucket(bucketMeta).Put(keySchemaVersion, itob(uint64(m.version))); err != nil {
			return err
		}
	}
	return nil
}

func migrateBaseBuckets(tx *bolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return tx.Bucket(bucketMeta).Put(keyApp, []byte(appMarker))
}
