package serverstore

import (
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/storage/internal/boltkit"
	"digilevel/sync/server/storetest"
)

// Each migration has a check run after migrating a fresh file up to it.
func TestMigrations(t *testing.T) {
	checks := []func(t *testing.T, tx *bolt.Tx){
		func(t *testing.T, tx *bolt.Tx) { // 1: base buckets
			for _, name := range baseBuckets {
				if tx.Bucket(name) == nil {
					t.Errorf("bucket %s missing", name)
				}
			}
			if string(tx.Bucket(bucketMeta).Get(keyApp)) != appMarker {
				t.Error("app marker missing")
			}
		},
		func(t *testing.T, tx *bolt.Tx) { // 2: roster buckets (facts: TestMigrationFillsFacts)
			for _, name := range [][]byte{bucketRoster, bucketRosterBatch} {
				if tx.Bucket(name) == nil {
					t.Errorf("bucket %s missing", name)
				}
			}
		},
		func(t *testing.T, tx *bolt.Tx) { // 3: spot-check links, records only (TestMigrationFillsLinks)
			for _, name := range [][]byte{bucketRoster, bucketRosterBatch} {
				if tx.Bucket(name) == nil {
					t.Errorf("bucket %s missing", name)
				}
			}
			if n := tx.Bucket(bucketReports).Stats().KeyN; n != 0 {
				t.Errorf("%d report records in a new file", n)
			}
		},
		func(t *testing.T, tx *bolt.Tx) { // 4: dashboard records
			for _, name := range dashboardBuckets {
				if tx.Bucket(name) == nil {
					t.Errorf("bucket %s missing", name)
				}
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

// Migration 2 copies level, score and finalize time from each stored body
// into its record: a record written by schema 1 (without them) gets them.
func TestMigrationFillsFacts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "server.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	reports := seedReports(t, 10, 50, 1)
	res := mustPut(t, s, storetest.Submission(reports[0], ""), Created)
	if res.Record.Level != reports[0].Doc.Result.Level || res.Record.FinalizedAt.IsZero() {
		t.Fatalf("put record without facts: %+v", res.Record)
	}
	// Make the file a schema-1 file again: a record without facts.
	err = s.bolt.Update(func(tx *bolt.Tx) error {
		old := res.Record
		old.Level, old.Score, old.FinalizedAt, old.Checks = 0, 0, time.Time{}, ""
		if err := boltkit.PutJSON(tx.Bucket(bucketReports), []byte(old.ID), old); err != nil {
			return err
		}
		for _, name := range [][]byte{bucketRoster, bucketRosterBatch} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, boltkit.Itob(1))
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rec, _, err := s.Report(res.Record.ID)
	if err != nil || rec.Level != res.Record.Level || rec.Score != res.Record.Score || !rec.FinalizedAt.Equal(res.Record.FinalizedAt) {
		t.Errorf("after migration %+v, want the facts of %+v (%v)", rec, res.Record, err)
	}
	if p, err := s.Check(); err != nil || len(p) > 0 {
		t.Errorf("check after migration: %v %v", p, err)
	}
}

// Migration 3 copies the rest of each spot-check's link (checked hash,
// kind, provider, blind mode) from its body into its record: a record
// written by schema 2 (the checked ID only) gets them.
func TestMigrationFillsLinks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "server.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	reports := seedReports(t, 10, 50, 1)
	mustPut(t, s, storetest.Submission(reports[0], ""), Created)
	res := mustPut(t, s, storetest.Submission(storetest.SpotCheck(t, reports[0]), ""), Created)
	err = s.bolt.Update(func(tx *bolt.Tx) error {
		old := res.Record
		old.ChecksSHA256, old.ChecksKind, old.ChecksOrg, old.ChecksBlind, old.ChecksState = "", "", "", false, ""
		if err := boltkit.PutJSON(tx.Bucket(bucketReports), []byte(old.ID), old); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, boltkit.Itob(2))
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rec, _, err := s.Report(res.Record.ID)
	if err != nil || rec != res.Record {
		t.Errorf("after migration %+v, want %+v (%v)", rec, res.Record, err)
	}
	if p, err := s.Check(); err != nil || len(p) > 0 {
		t.Errorf("check after migration: %v %v", p, err)
	}
}
