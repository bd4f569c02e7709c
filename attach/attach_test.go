package attach

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"digilevel/model"
)

func TestPaths(t *testing.T) {
	dir := t.TempDir()
	spaced := filepath.Join(dir, "现场 照片 1.jpg")
	if err := os.WriteFile(spaced, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, typed string
		want        []string
	}{
		{"plain", "/tmp/a.jpg", []string{"/tmp/a.jpg"}},
		{"single quoted (drag and drop)", `'` + spaced + `' `, []string{spaced}},
		{"double quoted", `"` + spaced + `"`, []string{spaced}},
		{"backslash escaped", strings.ReplaceAll(spaced, " ", `\ `), []string{spaced}},
		{"typed with bare spaces, file exists", spaced, []string{spaced}},
		{"file URL", "file://" + strings.ReplaceAll(spaced, " ", "%20"), []string{spaced}},
		{"file URL with localhost", "file://localhost/tmp/%E7%85%A7.jpg", []string{"/tmp/照.jpg"}},
		{"two dropped files", `'/tmp/a b.jpg' '/tmp/c.pdf'`, []string{"/tmp/a b.jpg", "/tmp/c.pdf"}},
		{"empty", "   ", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Paths(c.typed, Exists); !slices.Equal(got, c.want) {
				t.Errorf("Paths(%q) = %q, want %q", c.typed, got, c.want)
			}
		})
	}
}

func TestReadRegularFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "照片.jpg")
	if err := os.WriteFile(p, []byte("jpeg bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Read(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("jpeg bytes"))
	if f.Size != 10 || string(f.Data) != "jpeg bytes" || f.SHA256 != hex.EncodeToString(sum[:]) || f.Path != p {
		t.Fatalf("Read = %+v", f)
	}
}

// TestReadRefusesNonRegular is issue 9 item 8: /dev/zero, /dev/urandom and
// a FIFO are refused at once instead of being read forever (or, for the
// FIFO, blocking in open).
func TestReadRefusesNonRegular(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "管道")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, p := range []string{"/dev/zero", "/dev/urandom", fifo, t.TempDir()} {
		done := make(chan error, 1)
		go func() { _, err := Read(p, 0); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), p) {
				t.Errorf("Read(%s) = %v, want a Chinese refusal naming the path", p, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Read(%s) hangs", p)
		}
	}
}

// TestReadSizeLimit: a 2 GB (sparse) file is refused by its size before a
// byte is read, and the configured limit is capped at the one maximum.
func TestReadSizeLimit(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "录像.mp4")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(2 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = Read(big, 1<<40)
	if !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "2.0 GB") || !strings.Contains(err.Error(), "64.0 MB") {
		t.Fatalf("2 GB file: %v", err)
	}
	small := filepath.Join(dir, "a.txt")
	os.WriteFile(small, make([]byte, 2048), 0o644)
	if _, err := Read(small, 1024); err == nil || !strings.Contains(err.Error(), "1.0 KB") {
		t.Fatalf("over a 1 KB limit: %v", err)
	}
	if _, err := Read(small, 2048); err != nil {
		t.Fatalf("at the limit: %v", err)
	}
}

func TestReadMissing(t *testing.T) {
	_, err := Read(filepath.Join(t.TempDir(), "没有.jpg"), 0)
	if !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "不存在") {
		t.Fatalf("missing file: %v", err)
	}
}
