package server_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage"
	"digilevel/storage/platform"
	"digilevel/storage/serverstore"
	"digilevel/sync/internal/fixture"
	"digilevel/sync/protocol"
	"digilevel/sync/server"
)

const provider = "测试服务商"

// laptop is a store with two finalized reports of provider P, one of them
// revised once.
type laptop struct {
	db     *storage.DB
	a, b   string // finalized assessments
	rev    string // revision of a
	bodies map[string][]byte
}

func newLaptop(t *testing.T, n int) laptop {
	t.Helper()
	dir := t.TempDir()
	db, err := storage.Open(dir+"/laptop.db", storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := fixture.Enterprise(t, db, n, provider)
	l := laptop{db: db}
	l.a = fixture.Finalize(t, db, e.Code, provider, dir).ID
	l.b = fixture.Finalize(t, db, e.Code, provider, dir).ID
	l.rev = fixture.Revise(t, db, l.a).ID
	l.bodies = fixture.Finalized(t, db)
	return l
}

func sha(b []byte) string { return model.HashReport(b) }

func errBody(t *testing.T, data []byte) protocol.Error {
	t.Helper()
	var e protocol.Error
	if err := json.Unmarshal(data, &e); err != nil || e.Message == "" || e.Code == "" {
		t.Fatalf("error body %q is not a protocol error: %v", data, err)
	}
	return e
}

// resign changes a report and signs it with another key, as a forger with
// his own key would.
func resign(t *testing.T, body []byte, change func(*model.ReportDocument)) []byte {
	t.Helper()
	doc, err := model.VerifyReport(body)
	if err != nil {
		t.Fatal(err)
	}
	change(&doc)
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	out, err := model.SignReport(doc, key)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestUploadRules(t *testing.T) {
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
	tok := env.Token(t, provider, platform.RoleProvider)
	l := newLaptop(t, 1)
	a, b, rev := l.bodies[l.a], l.bodies[l.b], l.bodies[l.rev]

	put := func(token, id string, body []byte, hash string) (int, []byte) {
		return fixture.Put(t, env.URL, token, id, body, hash, protocol.IdempotencyKey(id, hash))
	}
	status, data := put(tok, l.a, a, sha(a))
	var first protocol.Receipt
	if err := json.Unmarshal(data, &first); status != http.StatusCreated || err != nil || first.ServerSeq != 1 || first.Status != protocol.StatusCreated || first.SHA256 != sha(a) {
		t.Fatalf("new report: %d %s", status, data)
	}
	status, data = put(tok, l.a, a, sha(a))
	var again protocol.Receipt
	json.Unmarshal(data, &again)
	if status != http.StatusOK || again.ServerSeq != first.ServerSeq || !again.ReceivedAt.Equal(first.ReceivedAt) || again.Status != protocol.StatusExisting {
		t.Fatalf("same report again: %d %s, want 200 with the original receipt", status, data)
	}
	if status, data := put(tok, l.rev, rev, sha(rev)); status != http.StatusCreated {
		t.Fatalf("revision of the current version: %d %s", status, data)
	}

	// Another consultant's copy: the same ID with other content, and a
	// second revision of the version l.rev already replaced.
	sameID := resign(t, a, func(d *model.ReportDocument) { d.Problems = nil })
	staleID, _ := model.NewID(time.Now(), nil)
	stale := resign(t, b, func(d *model.ReportDocument) { d.ID, d.Replaces, d.Version = staleID, l.a, 2 })
	bigBody := bytes.Repeat([]byte(" "), protocol.MaxBodySize+1)
	junk := []byte(`{"format":"digilevel-report/1","id":`)
	tampered := bytes.Replace(b, []byte("测试企业 1"), []byte("测试企业 9"), 1)
	forged := resign(t, b, func(d *model.ReportDocument) { d.Enterprise.Name = "冒名企业" })
	unknownCatalog := resign(t, b, func(d *model.ReportDocument) { d.Catalog.Hash = strings.Repeat("0", 64) })
	otherOrg := resign(t, b, func(d *model.ReportDocument) { d.Assessor.Org = "别的服务商" })
	draft, unsignedDraft := drafts(t, l)

	inspector := env.Token(t, "区抽查组", platform.RoleInspector)
	otherProvider := env.Token(t, "别的服务商", platform.RoleProvider)
	revoked := env.Token(t, provider, platform.RoleProvider)
	if _, err := env.Store.RevokeToken(fixture.TokenID(revoked), time.Now()); err != nil {
		t.Fatal(err)
	}
	expiredSecret, expiredTok, _ := server.NewToken(provider, platform.RoleProvider, time.Now().Add(time.Hour), time.Now())
	expiredTok.ExpiresAt = time.Now().Add(-time.Minute)
	if err := env.Store.AddToken(expiredTok); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name       string
		token, id  string
		body       []byte
		hash       string
		wantStatus int
		wantCode   string
		wantText   string
	}{
		{"same ID, other content", tok, l.a, sameID, sha(sameID), 409, protocol.CodeConflict, "不同内容"},
		{"revision of a replaced version", tok, staleID, stale, sha(stale), 409, protocol.CodeConflict, "不是当前版本"},
		{"oversized body", tok, l.b, bigBody, sha(bigBody), 413, protocol.CodeTooLarge, "上限"},
		{"junk JSON", tok, l.b, junk, sha(junk), 422, protocol.CodeInvalidReport, "JSON"},
		{"forged signature (content changed, hash recomputed)", tok, l.b, tampered, sha(tampered), 422, protocol.CodeInvalidReport, "签名无效"},
		{"altered body with the old hash", tok, l.b, tampered, sha(b), 422, protocol.CodeInvalidReport, "签名无效"},
		{"valid body under another report's hash", tok, l.b, b, sha(a), 422, protocol.CodeAlteredBody, "altered body"},
		{"signed with a key not bound to the token", tok, l.b, forged, sha(forged), 403, protocol.CodeKeyMismatch, "rebind"},
		{"unknown catalog", tok, l.b, unknownCatalog, sha(unknownCatalog), 422, protocol.CodeUnknownCatalog, "指标目录"},
		{"ID in the path is not the document's", tok, l.a, b, sha(b), 422, protocol.CodeIDMismatch, l.b},
		{"signed draft", tok, l.b, draft, sha(draft), 422, protocol.CodeDraft, "草稿"},
		{"unsigned draft (as a laptop holds it)", tok, l.b, unsignedDraft, sha(unsignedDraft), 422, protocol.CodeDraft, "草稿"},
		{"no token", "", l.b, b, sha(b), 401, protocol.CodeUnauthorized, "缺少"},
		{"unknown token", "dlt_abc_def", l.b, b, sha(b), 401, protocol.CodeUnauthorized, "无效"},
		{"wrong secret", tok[:len(tok)-3] + "aaa", l.b, b, sha(b), 401, protocol.CodeUnauthorized, "无效"},
		{"revoked token", revoked, l.b, b, sha(b), 401, protocol.CodeUnauthorized, "吊销"},
		{"expired token", expiredSecret, l.b, b, sha(b), 401, protocol.CodeUnauthorized, "过期"},
		{"another provider's token", otherProvider, l.b, b, sha(b), 403, protocol.CodeProviderMismatch, provider},
		{"report of another provider", tok, l.b, otherOrg, sha(otherOrg), 403, protocol.CodeProviderMismatch, "别的服务商"},
		{"inspector may not upload a baseline", inspector, l.b, b, sha(b), 403, protocol.CodeInspectorSpotCheckOnly, "只能上传抽查报告"},
		{"missing hash header", tok, l.b, b, "", 400, protocol.CodeBadRequest, protocol.HeaderSHA256},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, data := put(c.token, c.id, c.body, c.hash)
			e := errBody(t, data)
			if status != c.wantStatus || e.Status != c.wantStatus || e.Code != c.wantCode || !strings.Contains(e.Message, c.wantText) {
				t.Errorf("got %d %+v; want %d %s containing %q", status, e, c.wantStatus, c.wantCode, c.wantText)
			}
		})
	}
	t.Run("missing idempotency key", func(t *testing.T) {
		status, data := fixture.Put(t, env.URL, tok, l.b, b, sha(b), "")
		if e := errBody(t, data); status != 400 || !strings.Contains(e.Message, "Idempotency-Key") {
			t.Errorf("%d %+v", status, e)
		}
	})
	// The refusals for a reason of the report are kept for the office, once
	// each: 12 refused to the provider's token for the report itself and one
	// report of another provider; the other provider's token; the
	// inspector's baseline; not the 401s or the 400s. A resend adds nothing.
	put(tok, l.a, sameID, sha(sameID))
	rejections, err := env.Store.RejectionsAfter(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	byProvider := map[string]int{}
	for _, r := range rejections {
		byProvider[r.Provider+"/"+string(r.Role)]++
		if r.Source != platform.SourceAPI || r.ReportID == "" || r.Message == "" || r.TokenID == "" {
			t.Errorf("rejection %+v lacks its source, report, token or reason", r)
		}
	}
	want := map[string]int{provider + "/provider": 13, "别的服务商/provider": 1, "区抽查组/inspector": 1}
	if fmt.Sprint(byProvider) != fmt.Sprint(want) {
		t.Errorf("rejections by provider = %v, want %v", byProvider, want)
	}
	// None of the refusals stored anything, and b still goes through.
	if status, data := put(tok, l.b, b, sha(b)); status != http.StatusCreated {
		t.Fatalf("b after the refusals: %d %s", status, data)
	}
	if last, _ := env.Store.LastSeq(); last != 3 {
		t.Errorf("server gave out %d sequence numbers for 3 reports", last)
	}
}

func get(t *testing.T, url, token string) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, data
}

func TestReadAPI(t *testing.T) {
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
	tok := env.Token(t, provider, platform.RoleProvider)
	inspector := env.Token(t, "区抽查组", platform.RoleInspector)
	office := env.Token(t, "区工信局", platform.RoleOffice)
	l := newLaptop(t, 2)
	for _, id := range []string{l.a, l.rev, l.b} {
		if status, data := fixture.Put(t, env.URL, tok, id, l.bodies[id], sha(l.bodies[id]), id); status != 201 {
			t.Fatalf("upload %s: %d %s", id, status, data)
		}
	}
	doc, _ := model.VerifyReport(l.bodies[l.a])
	code := doc.Enterprise.Code

	status, h, data := get(t, env.URL+"/api/v1/reports/"+l.a, inspector)
	if status != 200 || !bytes.Equal(data, l.bodies[l.a]) || h.Get(protocol.HeaderSHA256) != sha(data) {
		t.Errorf("GET report: %d, bytes identical %v", status, bytes.Equal(data, l.bodies[l.a]))
	}
	status, _, data = get(t, env.URL+"/api/v1/reports?enterprise="+code, inspector)
	var list protocol.ReportList
	if err := json.Unmarshal(data, &list); status != 200 || err != nil || len(list.Reports) != 3 {
		t.Fatalf("list: %d %s", status, data)
	}
	if r := list.Reports[0]; r.ID != l.a || r.Current || r.ReplacedBy != l.rev || r.SHA256 != sha(l.bodies[l.a]) {
		t.Errorf("first listed %+v", r)
	}
	if r := list.Reports[1]; r.ID != l.rev || !r.Current || r.Replaces != l.a {
		t.Errorf("revision listed %+v", r)
	}
	status, _, data = get(t, env.URL+"/api/v1/reports?limit=2", office)
	list = protocol.ReportList{}
	if json.Unmarshal(data, &list); status != 200 || len(list.Reports) != 2 || list.Next != 2 {
		t.Errorf("office page: %d %s", status, data)
	}
	status, _, data = get(t, env.URL+"/api/v1/reports?limit=1000&after=1", office)
	list = protocol.ReportList{}
	if json.Unmarshal(data, &list); status != 200 || len(list.Reports) != 2 || list.Next != 0 {
		t.Errorf("office last page: %d %s", status, data)
	}
	for _, c := range []struct {
		name, url, token string
		want             int
	}{
		{"provider may not read", "/api/v1/reports/" + l.a, tok, 403},
		{"provider may not list", "/api/v1/reports?enterprise=" + code, tok, 403},
		{"inspector must name an enterprise", "/api/v1/reports", inspector, 400},
		{"limit above 1000", "/api/v1/reports?limit=1001", office, 400},
		{"limit 0", "/api/v1/reports?limit=0", office, 400},
		{"negative after", "/api/v1/reports?after=-1", office, 400},
		{"unknown report", "/api/v1/reports/01ARZ3NDEKTSV4RRFFQ69G5FAV", inspector, 404},
		{"unknown path", "/api/v2/whatever", inspector, 404},
		{"no token", "/api/v1/reports/" + l.a, "", 401},
	} {
		status, _, data := get(t, env.URL+c.url, c.token)
		if e := errBody(t, data); status != c.want || e.Status != c.want {
			t.Errorf("%s: %d %+v, want %d", c.name, status, e, c.want)
		}
	}
}

func TestNewToken(t *testing.T) {
	now := time.Now()
	secret, tok, err := server.NewToken("服务商", platform.RoleProvider, time.Time{}, now)
	if err != nil || !strings.HasPrefix(secret, "dlt_"+tok.ID+"_") || strings.Contains(tok.SecretHash, secret[len(tok.ID)+5:]) || !tok.ExpiresAt.IsZero() {
		t.Errorf("%q %+v %v", secret, tok, err)
	}
	if _, _, err := server.NewToken("", platform.RoleProvider, time.Time{}, now); err == nil {
		t.Error("token without provider")
	}
	if _, _, err := server.NewToken("x", "admin", time.Time{}, now); err == nil {
		t.Error("token with unknown role")
	}
	if _, _, err := server.NewToken("x", platform.RoleOffice, now.Add(-time.Hour), now); err == nil {
		t.Error("token expired at creation")
	}
	s2, _, _ := server.NewToken("服务商", platform.RoleProvider, time.Time{}, now)
	if s2 == secret {
		t.Error("two tokens are equal")
	}
}

// The log has one line per request with the token's ID, and never its
// secret or anything of the body.
func TestLogsHoldNoSecrets(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{Logger: slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &mu}, nil))})
	tok := env.Token(t, provider, platform.RoleProvider)
	l := newLaptop(t, 3)
	body := l.bodies[l.a]
	fixture.Put(t, env.URL, tok, l.a, body, sha(body), l.a)
	fixture.Put(t, env.URL, tok+"x", l.a, body, sha(body), l.a)
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/api/v1/reports/"+l.a, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
	env.Stop()
	mu.Lock()
	out := logs.String()
	mu.Unlock()
	secret := tok[len("dlt_"+fixture.TokenID(tok)+"_"):]
	if strings.Count(out, "msg=request") != 3 || !strings.Contains(out, "token="+fixture.TokenID(tok)) || !strings.Contains(out, "status=201") {
		t.Errorf("log lines:\n%s", out)
	}
	if strings.Contains(out, secret) || strings.Contains(out, "Bearer") || strings.Contains(out, "测试企业") {
		t.Errorf("log holds a secret or report content:\n%s", out)
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// A storage failure while reading the token is a server error, which the
// laptop retries; a 401 would pause its whole queue and blame the token.
func TestTokenReadFailureIs500(t *testing.T) {
	st, err := serverstore.Open(filepath.Join(t.TempDir(), "server.db"), serverstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	secret, tok, _ := server.NewToken(provider, platform.RoleProvider, time.Time{}, time.Now())
	if err := st.AddToken(tok); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(st, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	st.Close()
	body := []byte("{}")
	status, data := fixture.Put(t, hs.URL, secret, "01ARZ3NDEKTSV4RRFFQ69G5FAV", body, sha(body), "k")
	if e := errBody(t, data); status != http.StatusInternalServerError || e.Code != protocol.CodeInternal {
		t.Errorf("token read on a closed store: %d %+v, want 500 %s", status, e, protocol.CodeInternal)
	}
}

// A panic in a handler is answered 500 and logged with its stack.
func TestPanicIsLogged(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	srv, err := server.New(nil, server.Options{Logger: slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &mu}, nil))})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	// No store: reading the token dereferences nil.
	status, data := fixture.Put(t, hs.URL, "dlt_a_b", "01ARZ3NDEKTSV4RRFFQ69G5FAV", []byte("{}"), sha([]byte("{}")), "k")
	mu.Lock()
	out := logs.String()
	mu.Unlock()
	if e := errBody(t, data); status != http.StatusInternalServerError || e.Code != protocol.CodeInternal {
		t.Errorf("%d %+v, want 500", status, e)
	}
	if !strings.Contains(out, "msg=panic") || !strings.Contains(out, "goroutine") {
		t.Errorf("panic not logged with its stack:\n%s", out)
	}
}

// A path the API serves with another method is 405, and Allow names the
// methods that path takes (no more); other paths are 404.
func TestMethodNotAllowed(t *testing.T) {
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
	for _, c := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{http.MethodPut, "/api/v1/reports", 405, "GET, HEAD"},
		{http.MethodPost, "/api/v1/reports", 405, "GET, HEAD"},
		{http.MethodPost, "/api/v1/reports/01ARZ3NDEKTSV4RRFFQ69G5FAV", 405, "GET, HEAD, PUT"},
		{http.MethodDelete, "/api/v1/reports/01ARZ3NDEKTSV4RRFFQ69G5FAV", 405, "GET, HEAD, PUT"},
		{http.MethodGet, "/api/v1/reports/a/b", 404, ""},
		{http.MethodPut, "/api/v1/report", 404, ""},
	} {
		req, _ := http.NewRequest(c.method, env.URL+c.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		e := errBody(t, data)
		if resp.StatusCode != c.status || e.Status != c.status || resp.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s: %d Allow %q %+v; want %d Allow %q", c.method, c.path, resp.StatusCode, resp.Header.Get("Allow"), e, c.status, c.allow)
		}
	}
}

// The Bearer scheme is case-insensitive (RFC 7235); every 401 carries
// WWW-Authenticate with the scheme, and error="invalid_token" only when a
// token was sent (RFC 6750).
func TestBearerAuth(t *testing.T) {
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
	inspector := env.Token(t, "区抽查组", platform.RoleInspector)
	url := env.URL + "/api/v1/reports?enterprise=91350100M000100Y43"
	for _, c := range []struct {
		auth      string
		status    int
		challenge string
	}{
		{"Bearer " + inspector, 200, ""},
		{"bearer " + inspector, 200, ""},
		{"BEARER   " + inspector, 200, ""},
		{"", 401, `Bearer realm="digilevel"`},
		{"Basic dXNlcjpwYXNz", 401, `Bearer realm="digilevel"`},
		{"Bearer", 401, `Bearer realm="digilevel"`},
		{"Bearer dlt_x_y", 401, `Bearer realm="digilevel", error="invalid_token"`},
		{"bearer " + inspector + "x", 401, `Bearer realm="digilevel", error="invalid_token"`},
	} {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status || resp.Header.Get("WWW-Authenticate") != c.challenge {
			t.Errorf("Authorization %q: %d WWW-Authenticate %q; want %d %q", c.auth, resp.StatusCode, resp.Header.Get("WWW-Authenticate"), c.status, c.challenge)
		}
	}
}

// Issue 9, item 3: provider A sends its own report under the
// Idempotency-Key that provider B's report will use (derivable from B's
// printed report: ID and SHA-256). Keys are scoped to the token, so B's
// upload is still accepted, and A's own retry with that key still gets its
// receipt.
func TestIdempotencyKeyCannotBeSquatted(t *testing.T) {
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
	tokA := env.Token(t, provider, platform.RoleProvider)
	const providerB = "另一服务商"
	tokB := env.Token(t, providerB, platform.RoleProvider)
	a := newLaptop(t, 1)
	dir := t.TempDir()
	dbB, err := storage.Open(dir+"/laptop-b.db", storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer dbB.Close()
	eB := fixture.Enterprise(t, dbB, 2, providerB)
	idB := fixture.Finalize(t, dbB, eB.Code, providerB, dir).ID
	bodyB := fixture.Finalized(t, dbB)[idB]
	keyB := protocol.IdempotencyKey(idB, sha(bodyB))

	bodyA := a.bodies[a.a]
	if status, data := fixture.Put(t, env.URL, tokA, a.a, bodyA, sha(bodyA), keyB); status != http.StatusCreated {
		t.Fatalf("A's upload under B's key: %d %s", status, data)
	}
	if status, data := fixture.Put(t, env.URL, tokB, idB, bodyB, sha(bodyB), keyB); status != http.StatusCreated {
		t.Fatalf("B's upload after A used its key: %d %s, want 201", status, data)
	}
	if status, data := fixture.Put(t, env.URL, tokA, a.a, bodyA, sha(bodyA), keyB); status != http.StatusOK {
		t.Fatalf("A's retry with the same key: %d %s, want 200", status, data)
	}
	// Within one token a key still names one report only.
	bodyA2 := a.bodies[a.b]
	if status, data := fixture.Put(t, env.URL, tokA, a.b, bodyA2, sha(bodyA2), keyB); status != http.StatusConflict {
		t.Fatalf("A reusing its key for another report: %d %s, want 409", status, data)
	}
}

// Issue 9, item 9: the bytes of upload bodies held at once are bounded.
// Two uploads that declared full-size bodies hold the whole budget while
// their bodies trickle in; a third upload is refused with 503 and
// Retry-After (the client retries 5xx) and the refusal is logged; once the
// two finish, the third is accepted.
func TestBodyMemoryIsBounded(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{
		Logger:        slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &mu}, nil)),
		MaxBodyMemory: 2 * protocol.MaxBodySize, BodyMemoryWait: 20 * time.Millisecond,
	})
	tok := env.Token(t, provider, platform.RoleProvider)
	l := newLaptop(t, 1)
	var held []*io.PipeWriter
	var wg sync.WaitGroup
	for i := range 2 {
		pr, pw := io.Pipe()
		held = append(held, pw)
		req, _ := http.NewRequest(http.MethodPut, protocol.ReportURL(env.URL, l.a), pr)
		req.ContentLength = protocol.MaxBodySize
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set(protocol.HeaderSHA256, strings.Repeat("0", 64))
		req.Header.Set(protocol.HeaderIdempotencyKey, "held-"+string(rune('a'+i)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		}()
		pw.Write([]byte("{"))
	}
	body := l.bodies[l.b]
	refused := false
	for range 500 {
		status, data := fixture.Put(t, env.URL, tok, l.b, body, sha(body), protocol.IdempotencyKey(l.b, sha(body)))
		if status == http.StatusServiceUnavailable {
			if e := errBody(t, data); e.Code != protocol.CodeUnavailable || !strings.Contains(e.Message, "稍后重试") {
				t.Errorf("refusal %+v", e)
			}
			refused = true
			break
		}
		if status != http.StatusCreated && status != http.StatusOK {
			t.Fatalf("upload while two held the budget: %d %s", status, data)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !refused {
		t.Fatal("an upload was accepted while two full-size uploads held the whole body budget")
	}
	for _, pw := range held {
		pw.CloseWithError(io.ErrUnexpectedEOF)
	}
	wg.Wait()
	if status, data := fixture.Put(t, env.URL, tok, l.b, body, sha(body), protocol.IdempotencyKey(l.b, sha(body))); status != http.StatusCreated && status != http.StatusOK {
		t.Fatalf("upload after the budget was released: %d %s", status, data)
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(logs.String(), "body memory budget full") || !strings.Contains(logs.String(), "status=503") {
		t.Errorf("the refusal is not logged:\n%s", logs.String())
	}
}
