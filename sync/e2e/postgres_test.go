package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage"
	"digilevel/storage/pgstore"
	"digilevel/storage/pgstore/pgtest"
	"digilevel/storage/platform"
	"digilevel/sync/client"
	"digilevel/sync/internal/faultproxy"
	"digilevel/sync/internal/fixture"
	"digilevel/sync/protocol"
	"digilevel/sync/server"
)

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds cmd/digilevel once per test binary: the fault tests run
// the real `digilevel serve`, as a district would.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "digilevel-e2e-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "digilevel")
		out, err := exec.Command("go", "build", "-o", binPath, "digilevel/cmd/digilevel").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serveProc is one `digilevel serve` process.
type serveProc struct {
	cmd  *exec.Cmd
	addr string
	log  *strings.Builder
	mu   *sync.Mutex
}

func (p *serveProc) URL() string { return "http://" + p.addr }

type lockedBuilder struct {
	b  *strings.Builder
	mu *sync.Mutex
}

func (w lockedBuilder) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// startServe runs `digilevel serve --db dsn --addr addr` and waits until it
// listens. It is killed at cleanup if still running.
func startServe(t *testing.T, dsn, addr string) *serveProc {
	t.Helper()
	p := &serveProc{addr: addr, log: &strings.Builder{}, mu: &sync.Mutex{}}
	p.cmd = exec.Command(binary(t), "serve", "--db", dsn, "--addr", addr)
	p.cmd.Stderr = lockedBuilder{p.log, p.mu}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.kill() })
	for range 1000 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return p
		}
		time.Sleep(10 * time.Millisecond)
	}
	p.kill()
	t.Fatalf("serve on %s did not start:\n%s", addr, p.logText())
	return nil
}

func (p *serveProc) logText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// kill ends the process with SIGKILL (a crash); it is safe to call twice.
func (p *serveProc) kill() {
	if p.cmd.ProcessState == nil {
		p.cmd.Process.Signal(syscall.SIGKILL)
		p.cmd.Wait()
	}
}

// digilevel runs the binary and returns stdout, stderr and the exit code.
func digilevel(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb strings.Builder
	cmd := exec.Command(binary(t), args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// providerLaptop is a laptop of one provider with n finalized reports over
// n/2 enterprises, every fifth one revised (the revision finalized too).
func providerLaptop(t *testing.T, dir string, n int) string {
	t.Helper()
	path := filepath.Join(dir, "laptop.db")
	db, err := storage.Open(path, storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for i := range max(1, n/2) {
		codes = append(codes, fixture.Enterprise(t, db, 1000+i, provider).Code)
	}
	for i := 0; i < n; i++ {
		a := fixture.Finalize(t, db, codes[i%len(codes)], provider, dir)
		if i%5 == 4 && i+1 < n {
			fixture.Revise(t, db, a.ID)
			i++
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// Two `digilevel serve` processes share one PostgreSQL database; a client
// (a child process, killed with SIGKILL at random moments and restarted)
// sends through a proxy that alternates between them and injects every
// fault (500, 502 and dropped connections after the commit, answers slower
// than the client's timeout, uploads cut in the middle), and one server is
// killed with SIGKILL mid-run and restarted. Every report ends up on the
// platform exactly once with identical bytes and a gap-free sequence, the
// laptop has every receipt, and both checks are clean.
func TestTwoServersOnPostgresThroughFaults(t *testing.T) {
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	path := providerLaptop(t, dir, size(300, 60))
	tokOut, errs, code := digilevel(t, "serve", "token", "add", "--db", dsn, "--provider", provider)
	token := strings.TrimSpace(tokOut)
	if code != 0 {
		t.Fatalf("token add: %d %s", code, errs)
	}
	addrA, addrB := freeAddr(t), freeAddr(t)
	a, b := startServe(t, dsn, addrA), startServe(t, dsn, addrB)
	proxy, err := faultproxy.Start(a.URL(), faultproxy.Options{Seed: 3, Slow: 2 * time.Second, Alternates: []string{b.URL()},
		Percent: map[faultproxy.Fault]int{faultproxy.Fail500: 8, faultproxy.Fail502After: 8, faultproxy.DropAfter: 8,
			faultproxy.SlowAfter: 2, faultproxy.CutUpload: 4}})
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	kills, runs, serverKilled := 0, 0, false
	for done := false; !done; runs++ {
		if runs > 200 {
			t.Fatal("the client never finished")
		}
		if kills == 2 && !serverKilled {
			a.kill() // a server crash: the proxy's requests to it fail until it is back
			serverKilled = true
		}
		if kills == 4 && a.cmd.ProcessState != nil {
			a = startServe(t, dsn, addrA)
		}
		killAt := time.After(time.Duration(50+rng.Intn(200)) * time.Millisecond)
		if kills >= 6 {
			killAt = nil
		}
		if done = runSyncChild(t, path, proxy.URL(), token, killAt); !done {
			kills++
		}
	}
	if kills < 4 || !serverKilled {
		t.Errorf("only %d client kills (server killed: %v) before the client finished: the test did not exercise the crashes", kills, serverKilled)
	}
	laptop, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer laptop.Close()
	st, err := pgstore.Open(dsn, pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	want := fixture.Finalized(t, laptop)
	t.Logf("%d reports, %d client runs, %d client kills, server A killed and restarted; proxy: %s", len(want), runs, kills, proxy.Counts())
	for f := faultproxy.Fail500; f <= faultproxy.CutUpload; f++ {
		if proxy.Count(f) == 0 {
			t.Errorf("fault %s never injected", f)
		}
	}
	fixture.RequireExactlyOnce(t, st, want, laptop)
	if out, errs, code := digilevel(t, "serve", "check", "--db", dsn); code != 0 || !strings.Contains(out, fmt.Sprintf("%d 份报告", len(want))) {
		t.Errorf("serve check: %d %q %q", code, out, errs)
	}
	for _, p := range []*serveProc{a, b} {
		if strings.Contains(p.logText(), token) {
			t.Error("a server logged the token")
		}
	}
}

// A token added with `serve token add` while two servers run works on both
// at once: the servers read tokens from the database on every request.
func TestTokenAddedWhileServingWorksEverywhere(t *testing.T) {
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	db, err := storage.Open(filepath.Join(dir, "p.db"), storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e := fixture.Enterprise(t, db, 1, provider)
	rep := fixture.Finalize(t, db, e.Code, provider, dir)
	body := fixture.Finalized(t, db)[rep.ID]
	a, b := startServe(t, dsn, freeAddr(t)), startServe(t, dsn, freeAddr(t))
	out, errs, code := digilevel(t, "serve", "token", "add", "--db", dsn, "--provider", provider)
	if code != 0 {
		t.Fatalf("token add: %d %s", code, errs)
	}
	token := strings.TrimSpace(out)
	sha := model.HashReport(body)
	// No wait between adding the token and using it.
	if status, data := fixture.Put(t, a.URL(), token, rep.ID, body, sha, protocol.IdempotencyKey(rep.ID, sha)); status != 201 {
		t.Fatalf("server A right after token add: %d %s", status, data)
	}
	if status, data := fixture.Put(t, b.URL(), token, rep.ID, body, sha, protocol.IdempotencyKey(rep.ID, sha)); status != 200 {
		t.Fatalf("server B right after token add: %d %s", status, data)
	}
	id := fixture.TokenID(token)
	if _, errs, code := digilevel(t, "serve", "token", "revoke", "--db", dsn, id); code != 0 {
		t.Fatalf("revoke: %s", errs)
	}
	for _, p := range []*serveProc{a, b} {
		if status, _ := fixture.Put(t, p.URL(), token, rep.ID, body, sha, protocol.IdempotencyKey(rep.ID, sha)); status != 401 {
			t.Errorf("server %s right after revoke: %d, want 401", p.addr, status)
		}
	}
}

// A bbolt platform with 1,000 reports (from a sync, revisions, and an
// imported bundle with evidence) is migrated to PostgreSQL (server.Migrate,
// what `serve migrate` runs), both checks agree on counts and digest, and a
// server on PostgreSQL then lists the same reports and answers every resend
// with the original receipt.
func TestMigrateThousandReports(t *testing.T) {
	dir := t.TempDir()
	env := fixture.StartServer(t, dir, fixture.EnvOptions{AllowOfficeUpload: true})
	laptop := fixture.SeedLaptop(t, dir, 400, 5600, 31) // 1,145 finalized
	var revised int
	for id := range fixture.Finalized(t, laptop) {
		if revised == 5 {
			break
		}
		a, _ := laptop.Assessment(id)
		if a.Replaces == "" && a.ReplacedBy == "" {
			fixture.Revise(t, laptop, id)
			revised++
		}
	}
	token := env.Token(t, "区工信局", platform.RoleOffice)
	sendAll(t, laptop, env.URL, token)
	bl, bdir := bundleLaptop(t)
	zip := filepath.Join(bdir, "b.zip")
	export(t, bl, zip)
	if rf := importFile(t, env, zip, provider); len(rf.Receipts) != 4 || len(rf.Rejected) != 0 {
		t.Fatalf("bundle import %+v", rf)
	}
	before, _ := env.Store.ReportsAfter(0, 0)
	if len(before) < 1000 {
		t.Fatalf("only %d reports on the bbolt platform", len(before))
	}
	env.CloseStore()
	src := fixture.OpenStore(t, dir, fixture.EnvOptions{})
	defer src.Close()
	dsn := pgtest.DSN(t)
	dst := fixture.OpenStore(t, dir, fixture.EnvOptions{DSN: dsn})
	defer dst.Close()
	if _, err := server.Migrate(src, dst); err != nil {
		t.Fatal(err)
	}
	sa, pa, _ := src.Verify()
	sb, pb, _ := dst.Verify()
	if sa != sb || len(pa)+len(pb) > 0 || sa.Reports != len(before) || sa.Evidence != 2 {
		t.Fatalf("after migration: bbolt %+v %v, PostgreSQL %+v %v", sa, pa, sb, pb)
	}
	dst.Close()
	pg := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{DSN: dsn, AllowOfficeUpload: true})
	after, _ := pg.Store.ReportsAfter(0, 0)
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatal("PostgreSQL lists other reports or receipts than bbolt did")
	}
	tok := pg.Token(t, "区工信局", platform.RoleOffice)
	work := make(chan platform.Record)
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rec := range work {
				_, body, err := src.Report(rec.ID)
				if err != nil {
					t.Error(err)
					continue
				}
				status, data := fixture.Put(t, pg.URL, tok, rec.ID, body, rec.SHA256, protocol.IdempotencyKey(rec.ID, rec.SHA256))
				var r protocol.Receipt
				if status != 200 || jsonUnmarshal(data, &r) != nil || r.ServerSeq != rec.Seq || !r.ReceivedAt.Equal(rec.ReceivedAt) || r.Status != protocol.StatusExisting {
					t.Errorf("resend of %s to PostgreSQL: %d %s, want the receipt %d %s", rec.ID, status, data, rec.Seq, rec.ReceivedAt)
				}
			}
		}()
	}
	for _, rec := range before {
		work <- rec
	}
	close(work)
	wg.Wait()
}

// sendAll syncs a laptop until its queue is empty.
func sendAll(t *testing.T, laptop *storage.DB, url, token string) {
	t.Helper()
	c, err := client.New(laptop, client.Options{Server: url, Token: token, Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	for range 100 {
		res, err := c.SendPending(context.Background())
		if err != nil || res.Paused || res.Rejected > 0 {
			t.Fatalf("%+v %v", res, err)
		}
		if res.Done() {
			return
		}
	}
	t.Fatal("the queue never emptied")
}
