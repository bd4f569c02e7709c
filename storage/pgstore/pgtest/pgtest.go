// Package pgtest gives tests a real PostgreSQL: one throwaway server per
// test binary, started on first use in a temporary directory (initdb, then
// postgres listening only on a unix socket there), and a fresh database per
// test. The server runs as the unprivileged `postgres` user when the tests
// run as root (PostgreSQL refuses root), and stops when the test binary
// ends, even when it is killed: it is started by a shell that stops it as
// soon as its standard input, a pipe from the test binary, closes.
//
// DIGILEVEL_TEST_PG_DSN names an existing server to use instead (a URL of a
// user allowed to create databases). Without it, the binaries are looked
// for in DIGILEVEL_PG_BIN, /usr/lib/postgresql/15/bin and PATH. When
// neither exists the tests skip with a loud message, except under CI
// (CI=true), where they fail: CI must run them.
//
// A test package that uses it calls Main from its TestMain.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Main runs the tests and stops the server if one was started. Use it as
// func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	shared.stop()
	return code
}

// DSN creates a fresh, empty database for the test and returns its
// connection string; the database is dropped at cleanup. It skips (or, under
// CI, fails) when no PostgreSQL is available.
func DSN(t testing.TB) string {
	t.Helper()
	base, err := shared.start()
	if err != nil {
		unavailable(t, err)
	}
	name := fmt.Sprintf("t%d_%d", os.Getpid(), shared.n.Add(1))
	if err := admin(base, "CREATE DATABASE "+name+" TEMPLATE template0"); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		if err := admin(base, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	return withDatabase(base, name)
}

// Available reports whether DSN would find a server, without skipping.
func Available() error {
	_, err := shared.start()
	return err
}

func unavailable(t testing.TB, err error) {
	t.Helper()
	msg := fmt.Sprintf("!!! SKIPPING PostgreSQL tests: %v. Install PostgreSQL 15 (apt-get install postgresql-15) or set DIGILEVEL_TEST_PG_DSN.", err)
	if os.Getenv("CI") != "" {
		t.Fatal(msg + " (CI=true: failing instead of skipping)")
	}
	fmt.Fprintln(os.Stderr, msg)
	t.Skip(msg)
}

// server is the one server of this test binary.
type server struct {
	once sync.Once
	dsn  string // of the maintenance database
	err  error
	n    atomic.Int64

	dir   string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	mu    sync.Mutex
}

var shared = &server{}

func (s *server) start() (string, error) {
	s.once.Do(func() {
		if dsn := os.Getenv("DIGILEVEL_TEST_PG_DSN"); dsn != "" {
			s.dsn = dsn
			return
		}
		s.dsn, s.err = s.launch()
	})
	return s.dsn, s.err
}

// binDir finds initdb and postgres.
func binDir() (string, error) {
	candidates := []string{os.Getenv("DIGILEVEL_PG_BIN"), "/usr/lib/postgresql/15/bin"}
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			candidates = append(candidates, filepath.Dir(real))
		}
	}
	for _, d := range candidates {
		if d == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, "postgres")); err == nil {
			if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
				return d, nil
			}
		}
	}
	return "", errors.New("no PostgreSQL server binaries (initdb, postgres) found")
}

// credential is the user the server runs as: postgres when we are root.
func credential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root and there is no `postgres` user to run the server as: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func (s *server) launch() (string, error) {
	bin, err := binDir()
	if err != nil {
		return "", err
	}
	cred, err := credential()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "digilevel-pgtest-")
	if err != nil {
		return "", err
	}
	s.dir = dir
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return "", err
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-instructions")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Dir = dir
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("initdb: %v\n%s", err, out)
	}
	// The shell stops the server (fast shutdown) when its stdin closes:
	// when Main stops it, or when this process dies in any way.
	script := `"$1/postgres" -D "$2" -k "$3" -c listen_addresses= -c max_connections=300 -c shared_buffers=64MB ` +
		`-c log_min_messages=warning >"$3/server.log" 2>&1 & pid=$!; cat >/dev/null; kill -INT $pid; wait $pid`
	cmd := exec.Command("/bin/sh", "-c", script, "sh", bin, data, dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true}
	cmd.Dir = dir
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("start postgres: %w", err)
	}
	s.cmd, s.stdin = cmd, stdin
	dsn := "postgres:///postgres?host=" + url.QueryEscape(dir) + "&user=postgres&sslmode=disable"
	deadline := time.Now().Add(60 * time.Second)
	for {
		conn, err := pgx.Connect(context.Background(), dsn)
		if err == nil {
			conn.Close(context.Background())
			return dsn, nil
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
			s.stop()
			return "", fmt.Errorf("postgres did not accept connections within 60 s: %v\n%s", err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *server) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	s.stdin.Close()
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
	s.cmd = nil
	os.RemoveAll(s.dir)
}

func admin(dsn, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// withDatabase replaces the database of a URL DSN.
func withDatabase(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	u.Path = "/" + name
	return u.String()
}
