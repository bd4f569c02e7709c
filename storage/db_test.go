package storage

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/internal/asuser"
	"digilevel/model"
)

func TestOpenCreatesPrivateFileAndDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "nested")
	path := filepath.Join(dir, "digilevel.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fi, _ := os.Stat(path)
	di, _ := os.Stat(dir)
	if fi.Mode().Perm() != FileMode || di.Mode().Perm() != DirMode {
		t.Errorf("file %v dir %v, want 0600 and 0700", fi.Mode().Perm(), di.Mode().Perm())
	}
	id, _ := db.DeviceID()
	pub, err := db.PublicKey()
	if !strings.HasPrefix(id, "DEV-") || err != nil || len(pub) != 32 {
		t.Errorf("identity: %q %v", id, err)
	}
}

func TestIdentitySurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	id1, _ := db.DeviceID()
	pub1, _ := db.PublicKey()
	db.Close()
	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id2, _ := db.DeviceID()
	pub2, _ := db.PublicKey()
	if id1 != id2 || !bytes.Equal(pub1, pub2) {
		t.Error("device ID or key changed on reopen")
	}
}

// A second open of a held file (same process: bbolt's flock is per open
// file description) fails with ErrLocked within about the timeout, not a hang.
func TestSecondOpenIsLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	_, err = Open(path, Options{Timeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "数据库正被另一个 digilevel 进程使用: "+path) {
		t.Errorf("message = %q", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("second Open took %v", time.Since(start)) // a hang, not a timing assertion
	}
}

func TestOpenRejectsForeignAndCorruptFiles(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, bytes.Repeat([]byte("这不是数据库"), 2000), 0o600)
	foreign := filepath.Join(dir, "foreign.db")
	fdb, err := bolt.Open(foreign, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	fdb.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("other-app")); return err })
	fdb.Close()
	for _, path := range []string{junk, foreign} {
		before := fileHash(t, path)
		_, err := Open(path, Options{})
		if !errors.Is(err, ErrNotDatabase) || !strings.Contains(err.Error(), path) {
			t.Errorf("Open(%s) = %v, want ErrNotDatabase naming the file", filepath.Base(path), err)
		}
		if fileHash(t, path) != before {
			t.Errorf("Open(%s) changed the file", filepath.Base(path))
		}
	}
	if _, err := Open(dir, Options{}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("Open(dir) = %v", err)
	}
	// A device or a FIFO is not a database either, and opening one neither
	// blocks nor writes (issue 9 item 12).
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/dev/null", fifo} {
		if _, err := Open(p, Options{}); !errors.Is(err, ErrNotDatabase) || !strings.Contains(err.Error(), "不是普通文件") {
			t.Errorf("Open(%s) = %v, want ErrNotDatabase", p, err)
		}
	}
}

func TestOpenUnwritableLocation(t *testing.T) {
	if asuser.Unprivileged(t) {
		return // root ignores permissions: ran as nobody
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "plain-file")
	os.WriteFile(file, []byte("x"), 0o600)
	// A regular file where a directory should be fails even for root.
	// It is bad input (exit 2), said in Chinese (issue 9 item 12).
	if _, err := Open(filepath.Join(file, "sub", "d.db"), Options{}); !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "上级路径不是目录") {
		t.Errorf("Open under a file = %v", err)
	}
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o500)
	_, err := Open(filepath.Join(ro, "d.db"), Options{})
	if !errors.Is(err, ErrNoAccess) || !strings.Contains(err.Error(), "没有写入权限") {
		t.Errorf("Open in read-only dir = %v", err)
	}
	// The data directory cannot be created there either.
	if _, err := Open(filepath.Join(ro, "sub", "d.db"), Options{}); !errors.Is(err, ErrNoAccess) {
		t.Errorf("Open below a read-only dir = %v", err)
	}
}

func TestReadOnlyOpenOfCurrentFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	db, _ := Open(path, Options{})
	db.Close()
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	ro.Close()
}

func TestDefaultPath(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"DIGILEVEL_DB": "/x/a.db", "XDG_DATA_HOME": "/d", "HOME": "/h"}, "/x/a.db"},
		{map[string]string{"XDG_DATA_HOME": "/d", "HOME": "/h"}, "/d/digilevel/digilevel.db"},
		{map[string]string{"XDG_DATA_HOME": "relative", "HOME": "/h"}, "/h/.local/share/digilevel/digilevel.db"},
		{map[string]string{"HOME": "/h"}, "/h/.local/share/digilevel/digilevel.db"},
	}
	for _, tt := range tests {
		if got, _ := DefaultPath(env(tt.env)); got != tt.want {
			t.Errorf("DefaultPath(%v) = %s, want %s", tt.env, got, tt.want)
		}
	}
}

func fileHash(t *testing.T, path string) [32]byte {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestBackupWhileOpen(t *testing.T) {
	db := newTestDB(t)
	if _, err := db.CreateDemo(who); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(out); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(db.Path()); err == nil {
		t.Error("backup onto the database itself accepted")
	}
	copyDB, err := Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	s, err := copyDB.Summaries()
	if err != nil || len(s) != 1 || !s[0].Demo {
		t.Errorf("backup summaries = %+v, %v", s, err)
	}
	if p, err := copyDB.Check(); err != nil || len(p) > 0 {
		t.Errorf("backup check: %v %v", p, err)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != FileMode {
		t.Errorf("backup mode %v", fi.Mode().Perm())
	}
}

func FuzzSummaryCodec(f *testing.F) {
	f.Add(encodeSummary(EnterpriseSummary{Code: model.DemoCode, Name: "甲", Batch: 2, Assessments: []AssessmentSummary{{ID: "X", Kind: model.KindBaseline, Score: 43500, Level: 2, UpdatedAt: time.Unix(5, 0)}}}))
	f.Add([]byte{1})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := decodeSummary(b)
		if err != nil {
			return
		}
		again, err := decodeSummary(encodeSummary(s))
		if err != nil || again.Code != s.Code || len(again.Assessments) != len(s.Assessments) {
			t.Fatalf("round trip: %v", err)
		}
	})
}
