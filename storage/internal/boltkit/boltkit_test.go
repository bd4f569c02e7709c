package boltkit

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestMigrateRunsPendingInOrder(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "m.db"), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ran []int
	ms := []Migration{
		{1, "meta", func(tx *bolt.Tx) error {
			ran = append(ran, 1)
			_, err := tx.CreateBucketIfNotExists([]byte("meta"))
			return err
		}},
		{2, "two", func(tx *bolt.Tx) error { ran = append(ran, 2); return nil }},
	}
	run := func(list []Migration) error {
		return db.Update(func(tx *bolt.Tx) error { return Migrate(tx, []byte("meta"), []byte("v"), list) })
	}
	if err := run(ms[:1]); err != nil || len(ran) != 1 {
		t.Fatalf("first: %v %v", err, ran)
	}
	if err := run(ms); err != nil || len(ran) != 2 || ran[1] != 2 {
		t.Fatalf("second: %v %v", err, ran)
	}
	if err := run(ms); err != nil || len(ran) != 2 {
		t.Fatalf("nothing pending: %v %v", err, ran)
	}
	var tooNew *TooNewError
	if err := run(ms[:1]); !errors.As(err, &tooNew) || tooNew.Have != 2 {
		t.Errorf("older program on a newer file: %v", err)
	}
	failing := append(ms, Migration{3, "bad", func(tx *bolt.Tx) error { return errors.New("boom") }})
	if err := run(failing); err == nil {
		t.Error("failing migration reported no error")
	}
	db.View(func(tx *bolt.Tx) error {
		if v := Btoi(tx.Bucket([]byte("meta")).Get([]byte("v"))); v != 2 {
			t.Errorf("version after a failed migration = %d, want 2", v)
		}
		return nil
	})
}

func TestItob(t *testing.T) {
	if Btoi(Itob(1<<40+5)) != 1<<40+5 || Btoi([]byte{1}) != 0 {
		t.Error("Itob/Btoi round trip")
	}
	if string(Itob(2)) <= string(Itob(1)) || string(Itob(256)) <= string(Itob(255)) {
		t.Error("keys do not sort numerically")
	}
}
