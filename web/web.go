// Package web is the district office's dashboard, served by `digilevel
// serve` beside the sync API: server-rendered HTML pages (html/template,
// embedded, inline CSS and SVG, no script, no external URL) that follow the
// programme by batch, level, reward, spot-check and service provider, check
// a printed report against the platform, and manage tokens; every table
// downloads as XLSX and CSV through package report's sheet writers; and
// GET /api/v1/summary gives the same figures as JSON.
//
// # Security
//
// Only office-role tokens sign in. The login page takes the token and
// starts a session: a random ID in a cookie (HttpOnly, SameSite=Strict,
// Secure and __Host- prefixed under TLS, Max-Age = the session's life),
// stored on the platform only as its SHA-256, so a copy of the database
// opens no session and every server process on a shared database knows
// every session. Each request reads the session and its token again: a
// revoked or expired token, an expired or logged-out session, or a token
// of another role ends access at once. Every state-changing request (POST)
// carries the session's CSRF token, compared in constant time, and is
// refused when the browser says it comes from another site (Origin,
// Sec-Fetch-Site). Pages are html/template (contextual escaping) under a
// Content-Security-Policy that allows no script, no frame and no resource
// from anywhere; every answer is Cache-Control: no-store.
package web

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/sync/protocol"
)

// Defaults of Options.
const (
	// DefaultSessionTTL is a working day: a session ends after it whatever
	// happens, and the office signs in again.
	DefaultSessionTTL = 8 * time.Hour
	// DefaultRosterTTL is how old the roster the pages use may be: other
	// server processes (or `serve roster import` on PostgreSQL) change it
	// without telling this one.
	DefaultRosterTTL = 30 * time.Second
	// maxForm bounds a form's body.
	maxForm = 64 << 10
)

// Options configure a Dashboard.
type Options struct {
	// Store is the platform (required).
	Store Store
	// Catalogs by hash (default: the embedded editions).
	Catalogs map[string]*indicators.Catalog
	// Policy is the reward policy (default: the embedded district policy).
	Policy *model.RewardPolicy
	// Now is the clock (default time.Now).
	Now func() time.Time
	// SessionTTL is a session's life (default DefaultSessionTTL).
	SessionTTL time.Duration
	// RosterTTL (default DefaultRosterTTL); negative reads the roster at
	// every request (tests).
	RosterTTL time.Duration
	// Logger receives errors (default: discard); never a token or a session ID.
	Logger *slog.Logger
}

// Dashboard is the office's web interface, an http.Handler.
type Dashboard struct {
	store      Store
	catalogs   map[string]*indicators.Catalog
	catalog    *indicators.Catalog // the default edition: level names, kinds
	policy     model.RewardPolicy
	now        func() time.Time
	sessionTTL time.Duration
	log        *slog.Logger
	agg        *aggregate
	mux        *http.ServeMux
	pages      *pages
}

// New builds the dashboard.
func New(o Options) (*Dashboard, error) {
	if o.Store == nil {
		return nil, errors.New("web: no store")
	}
	if o.Catalogs == nil {
		var err error
		if o.Catalogs, err = indicators.EmbeddedByHash(); err != nil {
			return nil, err
		}
	}
	cat, err := indicators.Embedded(indicators.DefaultEdition)
	if err != nil {
		return nil, err
	}
	policy := model.DefaultRewardPolicy()
	if o.Policy != nil {
		policy = *o.Policy
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.SessionTTL <= 0 {
		o.SessionTTL = DefaultSessionTTL
	}
	switch {
	case o.RosterTTL == 0:
		o.RosterTTL = DefaultRosterTTL
	case o.RosterTTL < 0:
		o.RosterTTL = 0
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	d := &Dashboard{store: o.Store, catalogs: o.Catalogs, catalog: cat, policy: policy, now: o.Now,
		sessionTTL: o.SessionTTL, log: o.Logger, pages: p}
	d.agg = newAggregate(o.Store, o.Catalogs, policy, cat.MaxLevel(), o.Now, o.RosterTTL)
	d.routes()
	return d, nil
}

// Warm catches up with the platform once, so the first page after a start
// does not wait for every report to be read. Serve calls it in the
// background.
func (d *Dashboard) Warm() error {
	_, err := d.agg.current()
	return err
}

func (d *Dashboard) routes() {
	m := http.NewServeMux()
	m.HandleFunc("/login", d.method(map[string]http.HandlerFunc{http.MethodGet: d.loginPage, http.MethodPost: d.login}))
	m.HandleFunc("/logout", d.method(map[string]http.HandlerFunc{http.MethodPost: d.office(d.logout)}))
	m.HandleFunc("/{$}", d.get(d.office(d.overviewPage)))
	m.HandleFunc("/enterprises", d.get(d.office(d.enterprisesPage)))
	m.HandleFunc("/enterprises/{code}", d.get(d.office(d.enterprisePage)))
	m.HandleFunc("/reports/{id}", d.get(d.office(d.reportPage)))
	m.HandleFunc("/reports/{id}/json", d.get(d.office(d.reportJSON)))
	m.HandleFunc("/compare/{baseline}/{acceptance}", d.get(d.office(d.comparePage)))
	m.HandleFunc("/providers", d.get(d.office(d.providersPage)))
	m.HandleFunc("/spotchecks", d.get(d.office(d.spotChecksPage)))
	m.HandleFunc("/spotchecks/{id}", d.get(d.office(d.spotCheckPage)))
	m.HandleFunc("/rewards", d.get(d.office(d.rewardsPage)))
	m.HandleFunc("/rewards/{code}", d.method(map[string]http.HandlerFunc{
		http.MethodGet: d.office(d.rewardPage), http.MethodPost: d.office(d.recordExclusion)}))
	m.HandleFunc("/verify", d.get(d.office(d.verifyPage)))
	m.HandleFunc("/tokens", d.method(map[string]http.HandlerFunc{
		http.MethodGet: d.office(d.tokensPage), http.MethodPost: d.office(d.createToken)}))
	m.HandleFunc("/tokens/{id}/revoke", d.method(map[string]http.HandlerFunc{http.MethodPost: d.office(d.revokeToken)}))
	m.HandleFunc("/tokens/{id}/rebind", d.method(map[string]http.HandlerFunc{http.MethodPost: d.office(d.rebindToken)}))
	m.HandleFunc("/download/{page}/{table}", d.get(d.office(d.download)))
	m.HandleFunc(protocol.SummaryPath, d.get(d.summary))
	m.HandleFunc("/favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		d.errorPage(w, r, http.StatusNotFound, "页面不存在", "地址 "+r.URL.Path+" 不存在，请从导航栏进入各页面。")
	})
	d.mux = m
}

// ServeHTTP answers with the security headers on every response.
func (d *Dashboard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	// same-origin, not no-referrer: with no-referrer browsers send
	// "Origin: null" on the site's own forms.
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	if r.TLS != nil {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	d.mux.ServeHTTP(w, r)
}

// method routes by HTTP method, answering 405 in Chinese otherwise.
func (d *Dashboard) method(handlers map[string]http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h, ok := handlers[r.Method]; ok {
			h(w, r)
			return
		}
		if r.Method == http.MethodHead {
			if h, ok := handlers[http.MethodGet]; ok {
				h(w, r)
				return
			}
		}
		allow := ""
		for m := range handlers {
			if allow != "" {
				allow += ", "
			}
			allow += m
		}
		w.Header().Set("Allow", allow)
		d.errorPage(w, r, http.StatusMethodNotAllowed, "不支持的请求", "地址 "+r.URL.Path+" 不支持 "+r.Method+" 请求。")
	}
}

func (d *Dashboard) get(h http.HandlerFunc) http.HandlerFunc {
	return d.method(map[string]http.HandlerFunc{http.MethodGet: h})
}
