package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage/pgstore"
	"digilevel/storage/pgstore/pgtest"
	"digilevel/storage/platform"
	"digilevel/storage/serverstore"
	"digilevel/sync/server"
	"digilevel/web"
	"digilevel/web/platformstore"
	"digilevel/web/webtest"
)

// clock is the test's time, shared by the server, the store and the
// dashboard so that sessions can be made to expire.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type env struct {
	st     server.Store
	store  *platformstore.Store
	srv    *server.Server
	ts     *httptest.Server
	clock  *clock
	seeded webtest.Result
	// Secrets of one token of each role.
	office, provider, inspector string
}

type envOptions struct {
	enterprises int
	name        func(int) string
	// postgres serves the platform from a real PostgreSQL (storage/pgstore)
	// instead of a bbolt file.
	postgres bool
}

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// engines runs a test on each platform engine.
func engines(t *testing.T, test func(t *testing.T, postgres bool)) {
	t.Run("bbolt", func(t *testing.T) { test(t, false) })
	t.Run("postgres", func(t *testing.T) { test(t, true) })
}

// newEnv is a platform on a real bbolt store, seeded, with the sync server
// and the dashboard mounted as `digilevel serve` mounts them, on loopback.
func newEnv(t *testing.T, o envOptions) *env {
	t.Helper()
	clk := &clock{t: time.Now()}
	var st server.Store
	var err error
	if o.postgres {
		st, err = pgstore.Open(pgtest.DSN(t), pgstore.Options{Now: clk.now})
	} else {
		st, err = serverstore.Open(filepath.Join(t.TempDir(), "platform.db"), serverstore.Options{NoSync: true, Now: clk.now})
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{st: st, clock: clk}
	if o.enterprises > 0 {
		e.seeded, err = webtest.Seed(st, webtest.Options{Enterprises: o.enterprises, SpotCheckEvery: 2, Seed: 3, Name: o.name})
		if err != nil {
			t.Fatal(err)
		}
	}
	var dash http.Handler
	e.srv, err = server.New(st, server.Options{Now: e.clock.now,
		Dashboard: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { dash.ServeHTTP(w, r) })})
	if err != nil {
		t.Fatal(err)
	}
	e.store = platformstore.New(st, e.srv, e.clock.now)
	d, err := web.New(web.Options{Store: e.store, Now: e.clock.now, RosterTTL: -1})
	if err != nil {
		t.Fatal(err)
	}
	dash = d
	e.ts = httptest.NewServer(e.srv.Handler())
	t.Cleanup(e.ts.Close)
	e.office = e.token(t, "经开区经济发展和统计局", platform.RoleOffice)
	e.provider = e.token(t, webtest.DefaultProviders[0], platform.RoleProvider)
	e.inspector = e.token(t, webtest.DefaultInspector, platform.RoleInspector)
	t.Cleanup(func() {
		problems, err := st.Check()
		if err != nil || len(problems) > 0 {
			t.Errorf("platform check: %v\n%s", err, strings.Join(problems, "\n"))
		}
	})
	return e
}

func (e *env) token(t *testing.T, name string, role platform.Role) string {
	t.Helper()
	secret, _, err := e.store.CreateToken(name, role, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// browser is a client with cookies that does not follow redirects, so the
// tests see each answer.
type browser struct {
	t    *testing.T
	c    *http.Client
	base string
}

func (e *env) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: e.ts.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	return b.do(req)
}

// post sends a form as the site's own pages do (same-origin).
func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	return b.postWith(path, form, map[string]string{"Origin": b.base, "Sec-Fetch-Site": "same-origin"})
}

func (b *browser) postWith(path string, form url.Values, headers map[string]string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return b.do(req)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF field in page:\n%.500s", page)
	}
	return m[1]
}

// login signs in through the login form and returns the session's CSRF
// token (read from the first page).
func (b *browser) login(token string) string {
	b.t.Helper()
	_, page := b.get("/login")
	resp, body := b.post("/login", url.Values{"csrf": {csrfOf(b.t, page)}, "token": {token}, "next": {"/"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		b.t.Fatalf("login: %d %s\n%.400s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	_, home := b.get("/")
	return csrfOf(b.t, home)
}

func (b *browser) sessionCookie() *http.Cookie {
	u, _ := url.Parse(b.base)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "dl_session" {
			return c
		}
	}
	return nil
}

func regexpMust(pattern string) *regexp.Regexp { return regexp.MustCompile(pattern) }

// roster imports enterprises into the platform's roster (every field).
func (e *env) roster(t *testing.T, list ...model.Enterprise) {
	t.Helper()
	fields := []string{model.FieldName, model.FieldBatch, model.FieldIndustry, model.FieldScale, model.FieldZJTX, model.FieldSmartFactory,
		model.FieldPilotIndustry, model.FieldProvider, model.FieldRevenue}
	if _, err := e.st.ImportRoster(list, fields, e.clock.now()); err != nil {
		t.Fatal(err)
	}
}
