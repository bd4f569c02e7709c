package main

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"digilevel/storage"
	"digilevel/storage/pgstore/pgtest"
)

const rosterSample = "../../roster/testdata/roster-sample.csv"

// On bbolt the running server holds the file: every administration command
// says to stop it or to move to PostgreSQL, with exit code 3, and returns
// (bbolt's lock wait is bounded: serverstore.DefaultTimeout).
func TestServeAdminWhileServingOnBbolt(t *testing.T) {
	srv := filepath.Join(t.TempDir(), "server.db")
	serveInProcess(t, srv, freeAddr(t))
	for _, args := range [][]string{
		{"serve", "token", "add", "--provider", testProvider},
		{"serve", "token", "list"},
		{"serve", "token", "revoke", "abc"},
		{"serve", "reports", "list"},
		{"serve", "check"},
		{"serve", "roster", "import", rosterSample},
		{"serve", "export", "--format", "csv"},
	} {
		out, errs, code := runCLI(t, "", nil, append([]string{"--db", srv}, args...)...)
		if code != exitLocked || out != "" || !strings.Contains(errs, "请先停止 digilevel serve") || !strings.Contains(errs, "PostgreSQL") ||
			!strings.Contains(errs, "serve migrate --from "+srv) {
			t.Errorf("%v: code %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
}

// On PostgreSQL every administration command runs while the server serves,
// and a change is seen by the server at once.
func TestServeOnPostgres(t *testing.T) {
	dsn := pgtest.DSN(t)
	env := map[string]string{serverDBEnv: dsn}
	dir := t.TempDir()
	laptop := laptopWithReports(t, dir, 3)
	addr := freeAddr(t)
	stop := serveInProcess(t, dsn, addr)

	out, errs, code := runCLI(t, "", env, "serve", "token", "add", "--provider", testProvider)
	token := strings.TrimSpace(out)
	if code != 0 || !strings.HasPrefix(token, "dlt_") {
		t.Fatalf("token add while serving: %d %q %q", code, out, errs)
	}
	// The token just added is usable at once: no restart, no wait.
	if out, errs, code := runCLI(t, "", nil, "--db", laptop, "sync", "--server", "http://"+addr, "--token", token); code != 0 || !strings.Contains(out, "新发送 3 份") {
		t.Fatalf("sync with the new token: %d %q %q", code, out, errs)
	}
	out, _, code = runCLI(t, "", env, "serve", "reports", "list", "--json")
	var reports []struct{ ID, Enterprise string }
	if err := json.Unmarshal([]byte(out), &reports); err != nil || code != 0 || len(reports) != 3 {
		t.Fatalf("reports list while serving: %d %s", code, out)
	}
	// The sample has one row with a wrong check digit (exit 5: partly done, the rest imported).
	if out, errs, code := runCLI(t, "", env, "serve", "roster", "import", rosterSample); code != exitPartial || !strings.Contains(out, "新增 4") || !strings.Contains(errs, "第 5 行") {
		t.Errorf("roster import while serving: %d %q %q", code, out, errs)
	}
	out, errs, code = runCLI(t, "", env, "serve", "export", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	if err != nil || code != 0 || len(rows) < 5 || rows[0][0] != "统一社会信用代码" || rows[0][7] != "收到的报告" {
		t.Fatalf("export while serving: %d %v %q", code, err, errs)
	}
	received := 0
	for _, r := range rows[1:] {
		if r[5] == "否" && strings.Contains(r[7], "改造前诊断 1 份") {
			received++
		}
		if r[5] == "是" && r[7] != "未收到报告" {
			t.Errorf("roster enterprise with reports it never sent: %v", r)
		}
	}
	if received != 3 {
		t.Errorf("export lists %d enterprises with reports off the roster, want 3:\n%v", received, rows)
	}
	if out, errs, code := runCLI(t, "", env, "serve", "check"); code != 0 || !strings.Contains(out, "3 份报告") || !strings.Contains(out, "PostgreSQL") {
		t.Errorf("check while serving: %d %q %q", code, out, errs)
	}
	id := strings.SplitN(strings.TrimPrefix(token, "dlt_"), "_", 2)[0]
	if out, errs, code := runCLI(t, "", env, "serve", "token", "revoke", id); code != 0 {
		t.Fatalf("revoke while serving: %d %q %q", code, out, errs)
	}
	db, err := storage.Open(laptop, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	addFinalized(t, db, dir, 7, false)
	db.Close()
	if _, errs, code := runCLI(t, "", nil, "--db", laptop, "sync", "--server", "http://"+addr, "--token", token); code == 0 || !strings.Contains(errs, "吊销") {
		t.Errorf("the revoked token still works: %d %q", code, errs)
	}
	if code, errs := stop(); code != 0 || !strings.Contains(errs, "PostgreSQL") || strings.Contains(errs, token) {
		t.Errorf("serve: %d %q", code, errs)
	}
}

// serve migrate copies a bbolt platform into PostgreSQL, checks both with
// the same counts and digest, and is idempotent; the export from either is
// the same file.
func TestServeMigrateCommand(t *testing.T) {
	dir := t.TempDir()
	srv := filepath.Join(dir, "server.db")
	tokOut, _, _ := runCLI(t, "", nil, "--db", srv, "serve", "token", "add", "--provider", testProvider)
	laptop := laptopWithReports(t, dir, 3)
	addr := freeAddr(t)
	stop := serveInProcess(t, srv, addr)
	if _, errs, code := runCLI(t, "", nil, "--db", laptop, "sync", "--server", "http://"+addr, "--token", strings.TrimSpace(tokOut)); code != 0 {
		t.Fatalf("sync: %q", errs)
	}
	stop()
	runCLI(t, "", nil, "--db", srv, "serve", "roster", "import", rosterSample)
	dsn := pgtest.DSN(t)
	out, errs, code := runCLI(t, "", nil, "serve", "migrate", "--from", srv, "--to", dsn)
	if code != 0 || !strings.Contains(out, "两边计数与摘要一致") || !strings.Contains(errs, "报告 3 份（新 3 份）") {
		t.Fatalf("migrate: %d %q %q", code, out, errs)
	}
	out, errs, code = runCLI(t, "", nil, "serve", "migrate", "--from", srv, "--to", dsn)
	if code != 0 || !strings.Contains(errs, "报告 3 份（新 0 份）") {
		t.Fatalf("migrate again: %d %q %q", code, out, errs)
	}
	var exports [2]string
	var digests [2]string
	for i, db := range []string{srv, dsn} {
		out, _, code := runCLI(t, "", nil, "--db", db, "serve", "check", "--json")
		var c checkOutput
		if err := json.Unmarshal([]byte(out), &c); err != nil || code != 0 || c.Summary.Reports != 3 || c.Summary.Roster == 0 {
			t.Fatalf("check %s: %d %s", db, code, out)
		}
		digests[i] = c.Summary.Digest
		exports[i], _, _ = runCLI(t, "", nil, "--db", db, "serve", "export", "--format", "csv")
	}
	if digests[0] != digests[1] || exports[0] != exports[1] || exports[0] == "" {
		t.Errorf("bbolt and PostgreSQL differ after migration:\n%s\n%s", exports[0], exports[1])
	}
	out, errs, code = runCLI(t, "", nil, "serve", "migrate", "--from", srv, "--to", filepath.Join(dir, "other.db"))
	if code != exitInput || !strings.Contains(errs, "postgres://") {
		t.Errorf("migrate to a file: %d %q %q", code, out, errs)
	}
}
