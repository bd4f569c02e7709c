// The behaviour every engine shares is tested by the conformance suite
// (sync/server/storetest); the tests here are about the bbolt file itself.
package serverstore

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/internal/asuser"
	"digilevel/storage"
	"digilevel/storage/internal/boltkit"
	"digilevel/sync/server/storetest"
)

func TestCheckFindsTampering(t *testing.T) {
	path := filepath.Join(t.TempDir(), "server.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	reports := seedReports(t, 10, 50, 1)
	for _, r := range reports[:3] {
		mustPut(t, s, storetest.Submission(r, ""), Created)
	}
	if _, _, err := s.PutEvidence([]byte("照片")); err != nil {
		t.Fatal(err)
	}
	if p, err := s.Check(); err != nil || len(p) > 0 {
		t.Fatalf("clean store: %v %v", p, err)
	}
	id := []byte(reports[0].Doc.ID)
	err = s.bolt.Update(func(tx *bolt.Tx) error {
		body := bytes.Clone(tx.Bucket(bucketBodies).Get(id))
		body[len(body)/2] ^= 1
		if err := tx.Bucket(bucketBodies).Put(id, body); err != nil {
			return err
		}
		if err := tx.Bucket(bucketSequence).Delete(boltkit.Itob(2)); err != nil {
			return err
		}
		return tx.Bucket(bucketEvidence).ForEach(func(k, _ []byte) error {
			return tx.Bucket(bucketEvidence).Put(k, []byte("改过"))
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	problems, err := s.Check()
	s.Close()
	if err != nil || len(problems) != 4 {
		t.Fatalf("want 4 problems (body, record not indexed, index count, evidence), got %d: %q %v", len(problems), problems, err)
	}
}

func TestOpenRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	laptop := filepath.Join(dir, "laptop.db")
	db, err := storage.Open(laptop, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(laptop, Options{}); !errors.Is(err, ErrNotDatabase) {
		t.Errorf("laptop database opened as server database: %v", err)
	}
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, bytes.Repeat([]byte("x"), 8192), 0o600)
	if _, err := Open(junk, Options{}); !errors.Is(err, ErrNotDatabase) {
		t.Errorf("junk file: %v", err)
	}
	path := filepath.Join(dir, "server.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, Options{Timeout: 50 * time.Millisecond}); !errors.Is(err, ErrLocked) {
		t.Errorf("second open: %v", err)
	}
	s.Close()
	if _, err := s.Put(Submission{}); !errors.Is(err, ErrClosed) {
		t.Errorf("put after close: %v", err)
	}
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open: %v", err)
	}
	if p, err := ro.Check(); err != nil || len(p) > 0 {
		t.Errorf("read-only check: %v %v", p, err)
	}
	ro.Close()
	if _, err := Open(filepath.Join(dir, "missing.db"), Options{ReadOnly: true}); err == nil {
		t.Error("read-only open of a missing file succeeded")
	}
}

// A file or directory that cannot be written is ErrNoAccess, which the
// command line reports as bad input (exit 2), like the laptop's store.
func TestOpenNoAccess(t *testing.T) {
	if err := openError("/x/server.db", &fs.PathError{Op: "open", Path: "/x/server.db", Err: fs.ErrPermission}); !errors.Is(err, ErrNoAccess) {
		t.Errorf("permission denied: %v", err)
	}
	if asuser.Unprivileged(t) {
		return // root ignores permissions: ran as nobody
	}
	ro := filepath.Join(t.TempDir(), "ro")
	os.Mkdir(ro, 0o555)
	if _, err := Open(filepath.Join(ro, "server.db"), Options{}); !errors.Is(err, ErrNoAccess) {
		t.Errorf("read-only directory: %v", err)
	}
}
