package storage

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"digilevel/internal/officetest"
)

// The store syncs: bbolt is opened with fdatasync on (NoSync false), and
// the sync is left on for the growth of the file too. The kill -9 crash
// test cannot see a missing fsync (the page cache survives a killed
// process), so the option is checked here and the write path below.
func TestOpenKeepsFsyncOn(t *testing.T) {
	db := newTestDB(t)
	b := db.bolt
	if b.NoSync || b.NoGrowSync || b.NoFreelistSync {
		t.Errorf("bbolt options NoSync=%v NoGrowSync=%v NoFreelistSync=%v; every commit must reach the disk", b.NoSync, b.NoGrowSync, b.NoFreelistSync)
	}
	// Only benchmarks and seeding ask for NoSync, and get it.
	fast, err := Open(filepath.Join(t.TempDir(), "fast.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer fast.Close()
	if !fast.bolt.NoSync {
		t.Error("Options.NoSync is not passed to bbolt")
	}
}

// fsyncChild commits one write and says so on stdout: the parent traces
// its system calls.
func fsyncChild(path string, noSync bool) int {
	db, err := Open(path, Options{NoSync: noSync})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := db.SetSettings(map[string]string{"assessor": "写入路径"}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("committed")
	if err := db.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// The write path observed: a child commits one setting under strace; the
// database file must be fdatasync'ed before the write returns (before the
// child prints "committed"). The same child with NoSync shows that the
// trace would see a missing sync.
func TestCommitIsFdatasyncedBeforeItReturns(t *testing.T) {
	strace := officetest.Tool(t, "strace", "strace")
	dir := t.TempDir()
	path := filepath.Join(dir, "digilevel.db")
	db, err := Open(path, Options{}) // created and initialised here, not in the child
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	trace := func(noSync bool) (syncs int, ackAfterSync bool) {
		out := filepath.Join(dir, fmt.Sprintf("trace-%v", noSync))
		cmd := exec.Command(strace, "-f", "-qq", "-y", "-e", "trace=fdatasync,fsync,write", "-o", out, os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "DIGILEVEL_FSYNC_DB="+path)
		if noSync {
			cmd.Env = append(cmd.Env, "DIGILEVEL_FSYNC_NOSYNC=1")
		}
		if b, err := cmd.CombinedOutput(); err != nil {
			if strings.Contains(string(b), "ptrace") || strings.Contains(string(b), "Operation not permitted") {
				t.Skipf("strace cannot trace here (no ptrace): %s", b)
			}
			t.Fatalf("child: %v\n%s", err, b)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			switch {
			case strings.Contains(line, "sync(") && strings.Contains(line, path+">") && strings.Contains(line, "= 0"):
				syncs++
			case strings.Contains(line, `"committed\n"`):
				ackAfterSync = syncs > 0
				return syncs, ackAfterSync
			}
		}
		t.Fatalf("the child's trace has no \"committed\" line:\n%s", data)
		return 0, false
	}
	if syncs, ok := trace(false); syncs == 0 || !ok {
		t.Errorf("a commit returned after %d fdatasync calls on %s; want at least one before it returns", syncs, path)
	}
	if syncs, _ := trace(true); syncs != 0 {
		t.Errorf("with NoSync the trace still sees %d syncs: it cannot tell a missing one", syncs)
	}
}
