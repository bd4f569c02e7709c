// Package asuser lets a test that checks a permission error run in a root
// CI too: root ignores file permissions, so as root the test runs itself
// again, in a copy of its test binary, as the unprivileged user nobody.
package asuser

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// childEnv marks the copy that runs as nobody.
const childEnv = "DIGILEVEL_TEST_AS_NOBODY"

// Nobody is nobody's user and group on Debian.
const Nobody = 65534

// Unprivileged makes the rest of the calling test run without root. As a
// normal user it returns false and the test goes on. As root it runs the
// test (t.Name()) again as nobody in a copy of the test binary, reports
// that run's outcome as this test's, and returns true: the caller returns
// at once.
func Unprivileged(t *testing.T) bool {
	t.Helper()
	if os.Geteuid() != 0 || os.Getenv(childEnv) == "1" {
		return false
	}
	base, err := os.MkdirTemp("", "digilevel-asuser-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	tmp := filepath.Join(base, "tmp")
	for dir, mode := range map[string]os.FileMode{base: 0o755, tmp: 0o777} {
		if err := os.MkdirAll(dir, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, mode); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(base, "test.bin")
	if err := copyFile(os.Args[0], bin); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.v", "-test.count=1")
	cmd.Dir = base
	cmd.Env = []string{childEnv + "=1", "TMPDIR=" + tmp, "HOME=" + tmp, "PATH=" + os.Getenv("PATH")}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: Nobody, Gid: Nobody}}
	out, err := cmd.CombinedOutput()
	text := string(out)
	switch {
	case err != nil:
		t.Fatalf("as nobody: %v\n%s", err, text)
	case !strings.Contains(text, "--- PASS: "+t.Name()):
		t.Fatalf("as nobody the test did not pass (skipped or not run):\n%s", text)
	}
	t.Logf("ran as nobody (uid %d):\n%s", Nobody, text)
	return true
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
