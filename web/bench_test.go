package web_test

import (
	"math/rand"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
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

// BenchmarkDashboard10k measures the 总览 and 服务商 pages server-side (the
// handler, from the session check to the last byte, no network) on a
// platform of 10,000 enterprises and about 30,000 reports, beside the time
// to list the same reports from the store (what `serve reports list`
// does), in the same run:
//
//   - list-reports: ReportsAfter(0, all), the baseline;
//   - first-load: a new dashboard reading every report once (the warm-up
//     `digilevel serve` starts in the background);
//   - overview, providers: a page when nothing changed (the usual case);
//   - overview-after-upload: a page right after one more report arrived
//     (catch up with it and recompute the figures).
//
// Each runs on the bbolt platform and on the same data copied into a real
// PostgreSQL (serve migrate), as bbolt/… and postgres/….
//
// Run: go test -run '^$' -bench Dashboard10k -benchtime 20x -timeout 30m ./web
// (seeding the first time takes minutes, copying into PostgreSQL about two).
func BenchmarkDashboard10k(b *testing.B) {
	bolt, seeded := seededPlatform(b)
	// The copy is made before the bbolt runs add their reports.
	var pg server.Store
	pgErr := pgtest.Available()
	if pgErr == nil {
		st, err := pgstore.Open(pgtest.DSN(b), pgstore.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		start := time.Now()
		if _, err := server.Migrate(bolt, st); err != nil {
			b.Fatal(err)
		}
		b.Logf("copied the platform into PostgreSQL in %s", time.Since(start).Round(time.Second))
		pg = st
	}
	b.Run("bbolt", func(b *testing.B) { benchDashboard(b, bolt, seeded) })
	b.Run("postgres", func(b *testing.B) {
		if pgErr != nil {
			b.Skipf("no PostgreSQL: %v", pgErr)
		}
		benchDashboard(b, pg, seeded)
	})
}

func benchDashboard(b *testing.B, st server.Store, seeded webtest.Result) {
	srv, err := server.New(st, server.Options{})
	if err != nil {
		b.Fatal(err)
	}
	store := platformstore.New(st, srv, nil)
	newDashboard := func() *web.Dashboard {
		d, err := web.New(web.Options{Store: store})
		if err != nil {
			b.Fatal(err)
		}
		return d
	}
	secret, _, err := store.CreateToken("经开区经济发展和统计局", platform.RoleOffice, time.Time{})
	if err != nil {
		b.Fatal(err)
	}

	b.Run("list-reports", func(b *testing.B) {
		for b.Loop() {
			list, err := store.ReportsAfter(0, 0)
			if err != nil || len(list) != seeded.Reports {
				b.Fatalf("%d reports: %v", len(list), err)
			}
		}
	})
	b.Run("first-load", func(b *testing.B) {
		for b.Loop() {
			if err := newDashboard().Warm(); err != nil {
				b.Fatal(err)
			}
		}
	})
	d := newDashboard()
	cookie := login(b, d, secret)
	page := func(b *testing.B, path, want string) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(cookie)
		w := httptest.NewRecorder()
		d.ServeHTTP(w, req)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), want) {
			b.Fatalf("%s: %d %.300s", path, w.Code, w.Body.String())
		}
	}
	page(b, "/", "分批次进度") // the first load, outside the timings
	b.Run("overview", func(b *testing.B) {
		for b.Loop() {
			page(b, "/", "分批次进度")
		}
	})
	b.Run("providers", func(b *testing.B) {
		for b.Loop() {
			page(b, "/providers", "服务商绩效")
		}
	})
	m, err := webtest.NewMaker(9)
	if err != nil {
		b.Fatal(err)
	}
	e := seeded.Enterprises[0]
	at := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	b.Run("overview-after-upload", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			_, body, err := m.Report(model.KindBaseline, 1, e.Provider, at, e, nil, nil)
			if err == nil {
				err = webtest.Put(st, body)
			}
			if err != nil {
				b.Fatal(err)
			}
			at = at.Add(time.Second)
			b.StartTimer()
			page(b, "/", "分批次进度")
		}
	})
}

// login signs in through the form and returns the session cookie.
func login(b *testing.B, d *web.Dashboard, secret string) *http.Cookie {
	b.Helper()
	w := httptest.NewRecorder()
	d.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/login", nil))
	var form *http.Cookie
	for _, c := range w.Result().Cookies() {
		form = c
	}
	csrf := csrfField.FindStringSubmatch(w.Body.String())[1]
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"csrf": {csrf}, "token": {secret}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(form)
	w = httptest.NewRecorder()
	d.ServeHTTP(w, req)
	for _, c := range w.Result().Cookies() {
		if c.Name == "dl_session" {
			return c
		}
	}
	b.Fatalf("login: %d %.300s", w.Code, w.Body.String())
	return nil
}

// benchPlatform is the seeded platform, kept between runs (seeding takes
// about a minute on two cores); each run works on a copy.
var benchPlatform = filepath.Join(os.TempDir(), "digilevel-bench-platform-10k-v2.db")

func seededPlatform(b *testing.B) (server.Store, webtest.Result) {
	b.Helper()
	o := webtest.Options{Enterprises: 10000, SpotCheckEvery: 2, RevisionPercent: 60, Seed: 1}
	if _, err := os.Stat(benchPlatform); err != nil {
		start := time.Now()
		tmp := benchPlatform + ".tmp"
		os.Remove(tmp)
		st, err := serverstore.Open(tmp, serverstore.Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		res, err := webtest.Seed(st, o)
		if cerr := st.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp, benchPlatform)
		}
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded %d enterprises, %d reports (%d spot-checks, %d revisions) in %s", len(res.Enterprises), res.Reports,
			res.SpotChecks, res.Revisions, time.Since(start).Round(time.Second))
	}
	data, err := os.ReadFile(benchPlatform)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "platform.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	st, err := serverstore.Open(path, serverstore.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	// The enterprises are made again (cheap) rather than stored beside the file.
	res := webtest.Result{}
	last, _ := st.LastSeq()
	res.Reports = int(last)
	rng := rand.New(rand.NewSource(o.Seed))
	for i := range o.Enterprises {
		e, err := webtest.Enterprise(i, webtest.Options{Providers: webtest.DefaultProviders}, rng)
		if err != nil {
			b.Fatal(err)
		}
		res.Enterprises = append(res.Enterprises, e)
	}
	return st, res
}
