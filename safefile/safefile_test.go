package safefile

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestReadRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok.json")
	os.WriteFile(ok, []byte(`{"a":1}`), 0o600)
	if data, err := Read(ok, 100); err != nil || string(data) != `{"a":1}` {
		t.Fatalf("Read(regular) = %q, %v", data, err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	os.Symlink(ok, link)
	tests := []struct {
		name, path string
		limit      int64
		want       error
		reason     string
	}{
		{"directory", dir, 100, ErrNotRegular, "目录"},
		{"fifo", fifo, 100, ErrNotRegular, "不是普通文件"},
		{"dev zero", "/dev/zero", 1 << 20, ErrNotRegular, "不是普通文件"},
		{"dev urandom", "/dev/urandom", 1 << 20, ErrNotRegular, "不是普通文件"},
		{"too large", ok, 3, ErrTooLarge, "超过 3 字节上限"},
		{"missing", filepath.Join(dir, "nope"), 100, fs.ErrNotExist, "文件不存在"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := Read(tt.path, tt.limit)
				done <- err
			}()
			select {
			case err := <-done:
				var fe *Error
				if !errors.Is(err, tt.want) || !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.reason) || !strings.Contains(err.Error(), tt.path) {
					t.Errorf("Read(%s) = %v, want %v with %q", tt.path, err, tt.want, tt.reason)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("Read(%s) blocked", tt.path)
			}
		})
	}
	// A symbolic link to a regular file is read as that file.
	if _, err := Read(link, 100); err != nil {
		t.Errorf("Read(symlink to a regular file) = %v", err)
	}
}

func TestWriteReplacesOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.html")
	write := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	if err := Write(out, WriteOptions{}, write("one")); err != nil {
		t.Fatal(err)
	}
	if err := Write(out, WriteOptions{}, write("two")); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(out); string(data) != "two" {
		t.Fatalf("content %q", data)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != DefaultMode {
		t.Errorf("mode %v", fi.Mode())
	}
	fifo := filepath.Join(dir, "fifo")
	syscall.Mkfifo(fifo, 0o600)
	link := filepath.Join(dir, "link")
	os.Symlink(out, link)
	db := filepath.Join(dir, "digilevel.db")
	os.WriteFile(db, boltHead(), 0o600)
	for _, p := range []string{dir, fifo, link, "/dev/null", db} {
		err := Write(p, WriteOptions{}, write("x"))
		var fe *Error
		if !errors.As(err, &fe) || !(errors.Is(err, ErrNotRegular) || errors.Is(err, ErrDatabase)) {
			t.Errorf("Write(%s) = %v, want a refusal", p, err)
		}
	}
	if fi, err := os.Lstat("/dev/null"); err != nil || fi.Mode()&fs.ModeDevice == 0 {
		t.Errorf("/dev/null is no longer a device: %v %v", fi.Mode(), err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&fs.ModeSymlink == 0 {
		t.Error("the symbolic link was replaced")
	}
	if data, _ := os.ReadFile(db); !bytes.Equal(data, boltHead()) {
		t.Error("the database was replaced")
	}
	// A backup may replace an older database file, but not one in use.
	if err := Write(db, WriteOptions{AllowDatabase: true}, write("backup")); err != nil {
		t.Errorf("replace an unused database with AllowDatabase: %v", err)
	}
	os.WriteFile(db, boltHead(), 0o600)
	f, _ := os.Open(db)
	defer f.Close()
	syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
	if err := Write(db, WriteOptions{AllowDatabase: true}, write("backup")); !errors.Is(err, ErrDatabase) || !strings.Contains(err.Error(), "正在使用") {
		t.Errorf("replace a database in use: %v", err)
	}
	// A failed write leaves the target and no temporary file.
	boom := errors.New("boom")
	if err := Write(out, WriteOptions{}, func(w io.Writer) error { io.WriteString(w, "half"); return boom }); err != boom {
		t.Errorf("write error: %v", err)
	}
	if data, _ := os.ReadFile(out); string(data) != "two" {
		t.Errorf("a failed write changed the target: %q", data)
	}
	requireNoTemp(t, dir)
}

// Issue 9 item 13: a writer killed with kill -9 leaves its temporary file;
// the next write into the directory removes it, and never one still being
// written.
func TestKilledWriterLeavesNothingAfterNextRun(t *testing.T) {
	if os.Getenv("SAFEFILE_HELPER_DIR") != "" {
		helperWriteForever(os.Getenv("SAFEFILE_HELPER_DIR"))
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriterLeavesNothingAfterNextRun$")
	cmd.Env = append(os.Environ(), "SAFEFILE_HELPER_DIR="+dir)
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The helper says "writing" once its temporary file holds data.
	buf := make([]byte, 7)
	if _, err := io.ReadFull(stdout, buf); err != nil || string(buf) != "writing" {
		t.Fatalf("helper: %q %v", buf, err)
	}
	if n := len(temps(t, dir)); n != 1 {
		t.Fatalf("%d temporary files while writing, want 1", n)
	}
	// A cleanup while the writer lives leaves its file alone.
	if CleanStale(dir) != 0 || len(temps(t, dir)) != 1 {
		t.Fatal("the cleanup removed a temporary file still being written")
	}
	cmd.Process.Kill() // SIGKILL
	cmd.Wait()
	if n := len(temps(t, dir)); n != 1 {
		t.Fatalf("%d temporary files after kill -9, want the 1 left behind", n)
	}
	if err := Write(filepath.Join(dir, "other.zip"), WriteOptions{}, func(w io.Writer) error { return nil }); err != nil {
		t.Fatal(err)
	}
	requireNoTemp(t, dir)
}

func helperWriteForever(dir string) {
	Write(filepath.Join(dir, "bundle.zip"), WriteOptions{}, func(w io.Writer) error {
		w.Write(bytes.Repeat([]byte("x"), 1<<20))
		os.Stdout.WriteString("writing")
		select {}
	})
}

func temps(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if isTempName(e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}

func requireNoTemp(t *testing.T, dir string) {
	t.Helper()
	if left := temps(t, dir); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// boltHead is the first bytes of a bbolt file: a page header and the meta
// magic.
func boltHead() []byte {
	b := make([]byte, 4096)
	copy(b[16:], []byte{0xED, 0xDA, 0x0C, 0xED})
	return b
}
