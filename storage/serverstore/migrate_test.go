package serverstore

import (
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// Each migration has a check run after migrating a fresh file up to it.
func TestMigrations(t *testing.T) {
	checks := []func(t *testing.T, tx *bolt.Tx){
		func(t *testing.T, tx *bolt.Tx) { // 1: base buckets
			for _, name := range allBuckets {
				if tx.Bucket(name) == nil {
					t.Errorf("bucket %s missing", name)
				}
			}
			if string(tx.Bucket(bucketMeta).Get(keyApp)) != appMarker {
				t.Error("app marker missing")
			}
		},
	}
	if len(checks) != len(migrations) {
		t.Fatalf("%d migration checks for %d migrations: add a check for each new migration", len(checks), len(migrations))
	}
	for i, m := range migrations {
		db, err := bolt.Open(filepath.Join(t.TempDir(), "m.db"), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(func(tx *bolt.Tx) error {
			if _, err := tx.CreateBucketIfNotExists(bucketMeta); err != nil {
				return err
			}
			for _, prev := range migrations[:i+1] {
				if err := prev.Apply(tx); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("migration %d (%s): %v", m.Version, m.Name, err)
		}
		db.View(func(tx *bolt.Tx) error { checks[i](t, tx); return nil })
		db.Close()
	}
}
