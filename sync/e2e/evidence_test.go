package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"digilevel/model"
	"digilevel/storage/serverstore"
	"digilevel/sync/client"
	"digilevel/sync/internal/fixture"
	"digilevel/sync/protocol"
)

// requestLog counts the server's request log lines by method, path prefix
// and status.
type requestLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *requestLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *requestLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *requestLog) WithGroup(string) slog.Handler            { return l }
func (l *requestLog) Handle(_ context.Context, r slog.Record) error {
	var method, path string
	var status int64
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "method":
			method = a.Value.String()
		case "path":
			path = a.Value.String()
		case "status":
			status = a.Value.Int64()
		}
		return true
	})
	kind := "report"
	if strings.HasPrefix(path, protocol.EvidencePath) {
		kind = "evidence"
	}
	l.mu.Lock()
	l.lines = append(l.lines, method+" "+kind+" "+itoa(status))
	l.mu.Unlock()
	return nil
}

func (l *requestLog) count(line string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, x := range l.lines {
		if x == line {
			n++
		}
	}
	return n
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func sha(content string) string {
	sum := sha256.Sum256([]byte(content))
	return hex.EncodeToString(sum[:])
}

// TestSyncCarriesStoredEvidence: evidence is stored in the laptop's
// database when attached, so a moved and an edited original change
// nothing; sync uploads each file the platform lacks before its report,
// once per content (a file shared by two reports and by a revision goes
// once), and the platform stores each file once.
func TestSyncCarriesStoredEvidence(t *testing.T) {
	db, dir := openLaptop(t)
	e1 := fixture.Enterprise(t, db, 1, provider)
	e2 := fixture.Enterprise(t, db, 2, provider)
	a := fixture.Finalize(t, db, e1.Code, provider, dir, "设备台账", "数据采集截图")
	fixture.Finalize(t, db, e2.Code, provider, dir, "设备台账")

	// Move one original away and overwrite the other after attaching.
	paths := a.Evidence["Q01"]
	if err := os.Rename(paths[0].Path, paths[0].Path+".moved"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(paths[1].Path, []byte("改过的截图"), 0o600); err != nil {
		t.Fatal(err)
	}

	log := &requestLog{}
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{Logger: slog.New(log), NoSync: true})
	token := env.Token(t, provider, serverstore.RoleProvider)
	// One worker, so the second report's check for the shared file comes
	// after the first report's upload (in parallel both may send it; the
	// platform still keeps one copy).
	c, err := client.New(db, client.Options{Server: env.URL, Token: token, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.SendPending(context.Background())
	if err != nil || res.Sent != 2 || res.Remaining != 0 {
		t.Fatalf("first pass: %+v %v", res, err)
	}
	for _, content := range []string{"设备台账", "数据采集截图"} {
		got, err := env.Store.Evidence(sha(content))
		if err != nil || string(got) != content {
			t.Errorf("platform copy of %q = %q, %v; want the bytes stored when it was attached", content, got, err)
		}
	}
	if has, _ := env.Store.HasEvidence(sha("改过的截图")); has {
		t.Error("the edited original reached the platform")
	}
	// Three files named (台账 twice): two uploaded, the shared one skipped.
	if n := log.count("PUT evidence 201"); n != 2 || log.count("PUT evidence 200") != 0 {
		t.Errorf("%d evidence uploads created a file, want 2 (one per content): %v", n, log.lines)
	}
	if n := log.count("HEAD evidence 200"); n != 1 {
		t.Errorf("%d uploads skipped because the platform had the file, want 1: %v", n, log.lines)
	}

	// A revision names the same files: nothing is uploaded again.
	fixture.Revise(t, db, a.ID)
	res, err = c.SendPending(context.Background())
	if err != nil || res.Sent != 1 {
		t.Fatalf("revision: %+v %v", res, err)
	}
	if n := log.count("PUT evidence 201") + log.count("PUT evidence 200"); n != 2 || log.count("HEAD evidence 200") != 3 {
		t.Errorf("the revision uploaded its files again: %d uploads in all: %v", n, log.lines)
	}
	fixture.RequireExactlyOnce(t, env.Store, fixture.Finalized(t, db), db)
}

// TestEvidenceAPI checks the evidence routes and the completeness rule:
// idempotent upload by hash, the altered-body and size checks, roles, and
// a report naming a file the platform lacks is refused.
func TestEvidenceAPI(t *testing.T) {
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{NoSync: true})
	prov := env.Token(t, provider, serverstore.RoleProvider)
	insp := env.Token(t, "抽查组", serverstore.RoleInspector)
	do := func(method, token, path string, body string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, env.URL+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, data
	}
	file := protocol.EvidencePath + "/" + sha("现场照片")
	if st, _ := do("HEAD", prov, file, ""); st != http.StatusNotFound {
		t.Errorf("HEAD of an unknown file: %d", st)
	}
	if st, body := do("PUT", prov, file, "现场照片"); st != http.StatusCreated || !strings.Contains(string(body), `"status":"created"`) {
		t.Errorf("first upload: %d %s", st, body)
	}
	if st, body := do("PUT", prov, file, "现场照片"); st != http.StatusOK || !strings.Contains(string(body), `"status":"existing"`) {
		t.Errorf("second upload: %d %s", st, body)
	}
	if st, _ := do("HEAD", prov, file, ""); st != http.StatusOK {
		t.Errorf("HEAD after upload: %d", st)
	}
	if st, body := do("PUT", prov, file, "别的内容"); st != http.StatusUnprocessableEntity || !strings.Contains(string(body), protocol.CodeAlteredBody) {
		t.Errorf("content not matching its hash: %d %s", st, body)
	}
	if st, _ := do("PUT", prov, protocol.EvidencePath+"/abc", "x"); st != http.StatusBadRequest {
		t.Errorf("bad hash in the path: %d", st)
	}
	// Inspectors upload their spot-checks' evidence; the office uploads none.
	if st, _ := do("PUT", insp, file, "现场照片"); st != http.StatusOK {
		t.Errorf("inspector upload: %d", st)
	}
	office := env.Token(t, "区工信局", serverstore.RoleOffice)
	if st, _ := do("PUT", office, file, "现场照片"); st != http.StatusForbidden {
		t.Errorf("office upload: %d", st)
	}
	if st, _ := do("PUT", "", file, "现场照片"); st != http.StatusUnauthorized {
		t.Errorf("upload without a token: %d", st)
	}
	if st, body := do("GET", insp, file, ""); st != http.StatusOK || string(body) != "现场照片" {
		t.Errorf("inspector download: %d %q", st, body)
	}
	if st, _ := do("GET", prov, file, ""); st != http.StatusForbidden {
		t.Errorf("provider download: %d", st)
	}
	if st, _ := do("DELETE", prov, file, ""); st != http.StatusMethodNotAllowed {
		t.Errorf("DELETE: %d", st)
	}
	big := strings.Repeat("x", model.MaxEvidenceSize+1)
	if st, _ := do("PUT", prov, protocol.EvidencePath+"/"+sha(big), big); st != http.StatusRequestEntityTooLarge {
		t.Errorf("over the limit: %d", st)
	}

	// whoami: any valid token learns whose it is.
	st, body := do("GET", prov, protocol.WhoamiPath, "")
	var who protocol.Whoami
	if st != http.StatusOK || json.Unmarshal(body, &who) != nil || who.Provider != provider || who.Role != "provider" || who.TokenID != fixture.TokenID(prov) {
		t.Errorf("whoami: %d %s", st, body)
	}
	if st, _ := do("GET", "dlt_x_y", protocol.WhoamiPath, ""); st != http.StatusUnauthorized {
		t.Errorf("whoami with a bad token: %d", st)
	}

	// A report naming a file the platform lacks is refused, so every
	// report the platform holds is complete.
	db, dir := openLaptop(t)
	e := fixture.Enterprise(t, db, 1, provider)
	a := fixture.Finalize(t, db, e.Code, provider, dir, "未上传的台账")
	body, _ = db.StoredReport(a.ID)
	st, answer := fixture.Put(t, env.URL, prov, a.ID, body, a.ReportSHA256, protocol.IdempotencyKey(a.ID, a.ReportSHA256))
	if st != http.StatusUnprocessableEntity || !strings.Contains(string(answer), protocol.CodeMissingFile) || !strings.Contains(string(answer), "佐证材料") {
		t.Errorf("report without its evidence: %d %s", st, answer)
	}
}
