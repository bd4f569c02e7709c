package server

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"digilevel/model"
	"digilevel/storage/platform"
	"digilevel/sync/protocol"
)

// Connection limits of the HTTP server. A report is at most 2 MiB, so a
// minute to read it is generous even on a slow uplink.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 60 * time.Second
	WriteTimeout      = 60 * time.Second
	IdleTimeout       = 120 * time.Second
	MaxHeaderBytes    = 64 << 10
	// ShutdownTimeout bounds a graceful stop. Uploads still sending their
	// body shortly before it (see drainCut) are answered 503 with
	// Retry-After; nothing they sent is stored, and the laptop sends again.
	ShutdownTimeout = 30 * time.Second
	// RetryAfterStopping is the Retry-After of the 503 of a stopping server.
	RetryAfterStopping = 30 * time.Second
	// maxListLimit bounds one page of a listing.
	maxListLimit = 1000
)

var hexSHA256 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Route is one method and path pattern the API serves, in net/http's
// pattern syntax. A GET route answers HEAD too (net/http does that).
type Route struct {
	Method, Pattern string
}

type route struct {
	Route
	handler http.HandlerFunc
}

// routes is the API, in one table: Handler serves it, the 405 answers and
// their Allow header are derived from it, and sync/openapi.yaml must
// document every entry (the conformance test fails otherwise).
func (s *Server) routes() []route {
	rs := []route{
		{Route{http.MethodPut, protocol.ReportsPath + "/{id}"}, s.handlePut},
		{Route{http.MethodGet, protocol.ReportsPath + "/{id}"}, s.handleGet},
		{Route{http.MethodGet, protocol.ReportsPath}, s.handleList},
		{Route{http.MethodGet, protocol.SummaryPath}, s.handleSummary},
	}
	return append(rs, s.evidenceRoutes()...)
}

// Routes lists every route the API serves.
func (s *Server) Routes() []Route {
	var out []Route
	for _, r := range s.routes() {
		out = append(out, r.Route)
	}
	return out
}

// Handler is the HTTP API (see sync/openapi.yaml). A path the API serves
// with another method is 405 with the methods it does take in Allow; any
// other path is 404.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	paths := http.NewServeMux() // the path patterns alone: 405 or 404?
	allow := map[string][]string{}
	for _, rt := range s.routes() {
		mux.HandleFunc(rt.Method+" "+rt.Pattern, rt.handler)
		if _, seen := allow[rt.Pattern]; !seen {
			paths.Handle(rt.Pattern, http.NotFoundHandler())
		}
		allow[rt.Pattern] = append(allow[rt.Pattern], rt.Method)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := paths.Handler(r); allow[pattern] != nil {
			w.Header().Set("Allow", allowHeader(allow[pattern]))
			writeError(w, perr(http.StatusMethodNotAllowed, protocol.CodeMethod, "%s 不支持 %s 方法（可用: %s）", r.URL.Path, r.Method, allowHeader(allow[pattern])))
			return
		}
		if s.dashboard != nil && r.URL.Path != "/api" && !strings.HasPrefix(r.URL.Path, "/api/") {
			s.dashboard.ServeHTTP(w, r)
			return
		}
		writeError(w, perr(http.StatusNotFound, protocol.CodeNotFound, "地址 %s %s 不存在（接口前缀应为 %s）", r.Method, r.URL.Path, protocol.ReportsPath))
	})
	return s.logged(s.recovered(mux))
}

// handleSummary is the dashboard's figures (package web answers it); a
// server without the dashboard has none.
func (s *Server) handleSummary(w http.ResponseWriter, r *http.Request) {
	if s.dashboard == nil {
		writeError(w, perr(http.StatusNotFound, protocol.CodeNotFound, "本服务没有启用区县管理平台"))
		return
	}
	s.dashboard.ServeHTTP(w, r)
}

// allowHeader lists methods for Allow: sorted, with HEAD wherever GET is.
func allowHeader(methods []string) string {
	m := slices.Clone(methods)
	if slices.Contains(m, http.MethodGet) {
		m = append(m, http.MethodHead)
	}
	slices.Sort(m)
	return strings.Join(slices.Compact(m), ", ")
}

func (s *Server) handlePut(w http.ResponseWriter, r *http.Request) {
	tok, e := s.authenticate(r)
	if e != nil {
		writeError(w, e)
		return
	}
	setToken(w, tok.ID)
	p := principal{provider: tok.Provider, role: tok.Role, tokenID: tok.ID}
	id, sha := r.PathValue("id"), r.Header.Get(protocol.HeaderSHA256)
	// refuse answers an error; a refusal for a reason of the report itself
	// is also kept for the office (see recordRejection).
	refuse := func(e *protocol.Error) {
		s.recordRejection(p, platform.SourceAPI, id, sha, e)
		writeError(w, e)
	}
	switch {
	case tok.Role == platform.RoleProvider, tok.Role == platform.RoleInspector: // which kinds: see mayUpload
	case tok.Role == platform.RoleOffice && s.allowOfficeUpload:
		p.anyProvider = true
	default:
		writeError(w, perr(http.StatusForbidden, protocol.CodeForbidden, "%s令牌不能上传报告", tok.Role.Label()))
		return
	}
	if r.ContentLength > protocol.MaxBodySize {
		refuse(tooLarge())
		return
	}
	body, release, e := s.readBody(w, r)
	if e != nil {
		refuse(e)
		return
	}
	defer release()
	key := r.Header.Get(protocol.HeaderIdempotencyKey)
	switch {
	case !hexSHA256.MatchString(sha):
		writeError(w, perr(http.StatusBadRequest, protocol.CodeBadRequest, "缺少或无效的 %s 头（应为正文的 SHA-256，64 位小写十六进制）", protocol.HeaderSHA256))
		return
	case key == "" || len(key) > protocol.MaxIdempotencyKey:
		writeError(w, perr(http.StatusBadRequest, protocol.CodeBadRequest, "缺少或过长的 %s 头", protocol.HeaderIdempotencyKey))
		return
	}
	doc, e := s.validate(p, id, body, sha)
	if e == nil {
		e = s.missingEvidence(doc)
	}
	if e != nil {
		refuse(e)
		return
	}
	receipt, status, e := s.accept(p, doc, body, sha, key, platform.SourceAPI)
	if e != nil {
		refuse(e)
		return
	}
	// The report is committed; only now is the 2xx written.
	w.Header().Set("Location", protocol.ReportsPath+"/"+receipt.ID)
	writeJSON(w, status, receipt)
}

func tooLarge() *protocol.Error {
	return perr(http.StatusRequestEntityTooLarge, protocol.CodeTooLarge, "报告超过 %d 字节上限", protocol.MaxBodySize)
}

// reader authenticates a read request: inspectors and the office only.
func (s *Server) reader(w http.ResponseWriter, r *http.Request) (platform.Token, bool) {
	tok, e := s.authenticate(r)
	if e != nil {
		writeError(w, e)
		return tok, false
	}
	setToken(w, tok.ID)
	if tok.Role != platform.RoleInspector && tok.Role != platform.RoleOffice {
		writeError(w, perr(http.StatusForbidden, protocol.CodeForbidden, "%s令牌不能查询报告（仅限抽查人员与主管部门）", tok.Role.Label()))
		return tok, false
	}
	return tok, true
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.reader(w, r); !ok {
		return
	}
	rec, body, err := s.db.Report(r.PathValue("id"))
	switch {
	case errors.Is(err, model.ErrNotFound):
		writeError(w, perr(http.StatusNotFound, protocol.CodeNotFound, "报告 %s 不存在", r.PathValue("id")))
		return
	case err != nil:
		s.log.Error("read report", "err", err)
		writeError(w, perr(http.StatusInternalServerError, protocol.CodeInternal, "读取报告失败"))
		return
	}
	h := w.Header()
	h.Set("Content-Type", protocol.ContentType)
	h.Set(protocol.HeaderSHA256, rec.SHA256)
	h.Set("X-Server-Seq", strconv.FormatUint(rec.Seq, 10))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	tok, ok := s.reader(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	code := q.Get("enterprise")
	var recs []platform.Record
	var err error
	var next uint64
	switch {
	case code != "":
		recs, err = s.db.Reports(code)
	case tok.Role != platform.RoleOffice:
		writeError(w, perr(http.StatusBadRequest, protocol.CodeBadRequest, "请用 ?enterprise=统一社会信用代码 指定企业"))
		return
	default:
		after, err1 := strconv.ParseUint(q.Get("after"), 10, 64)
		limit, err2 := strconv.Atoi(q.Get("limit"))
		switch {
		case q.Get("after") != "" && err1 != nil:
			writeError(w, perr(http.StatusBadRequest, protocol.CodeBadRequest, "after 应为不小于 0 的整数（上一页的 next），实际 %q", q.Get("after")))
			return
		case q.Get("limit") != "" && (err2 != nil || limit < 1 || limit > maxListLimit):
			// Out of range is refused, not cut silently: the caller would
			// take a short page for the end of the list.
			writeError(w, perr(http.StatusBadRequest, protocol.CodeBadRequest, "limit 应为 1 到 %d 的整数，实际 %q", maxListLimit, q.Get("limit")))
			return
		case q.Get("limit") == "":
			limit = maxListLimit
		}
		recs, err = s.db.ReportsAfter(after, limit)
		if len(recs) == limit {
			next = recs[len(recs)-1].Seq
		}
	}
	if err != nil {
		s.log.Error("list reports", "err", err)
		writeError(w, perr(http.StatusInternalServerError, protocol.CodeInternal, "查询报告失败"))
		return
	}
	out := protocol.ReportList{Reports: make([]protocol.ReportInfo, 0, len(recs)), Next: next}
	for _, rec := range recs {
		out.Reports = append(out.Reports, Info(rec))
	}
	writeJSON(w, http.StatusOK, out)
}

// Info turns a stored record into its listing entry.
func Info(rec platform.Record) protocol.ReportInfo {
	return protocol.ReportInfo{
		ID: rec.ID, ServerSeq: rec.Seq, SHA256: rec.SHA256, Size: rec.Size, Enterprise: rec.Enterprise,
		Provider: rec.Provider, Kind: rec.Kind, Version: rec.Version, Replaces: rec.Replaces,
		ReplacedBy: rec.ReplacedBy, Current: rec.ReplacedBy == "", Source: rec.Source,
		ReceivedAt: jsonTime(rec.ReceivedAt), KeyFingerprint: platform.Fingerprint(rec.PublicKey),
		Checks: checkInfo(rec),
	}
}

// checkInfo is a spot-check's link as listed; nil for other reports.
func checkInfo(rec platform.Record) *protocol.CheckInfo {
	if rec.Checks == "" {
		return nil
	}
	return &protocol.CheckInfo{ID: rec.Checks, SHA256: rec.ChecksSHA256, Kind: rec.ChecksKind, Org: rec.ChecksOrg,
		Blind: rec.ChecksBlind, State: rec.ChecksState}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", protocol.ContentType)
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func writeError(w http.ResponseWriter, e *protocol.Error) {
	if rw, ok := w.(*statusWriter); ok {
		rw.code = e.Code
	}
	if e.Status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", strconv.Itoa(int(RetryAfterStopping/time.Second)))
	}
	writeJSON(w, e.Status, e)
}

// statusWriter remembers what the log line needs.
type statusWriter struct {
	http.ResponseWriter
	status int
	code   string
	token  string
	// sentToken: the request carried Bearer credentials.
	sentToken bool
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	// Every 401, whichever handler wrote it, says how to authenticate.
	if status == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") == "" {
		w.Header().Set("WWW-Authenticate", protocol.Challenge(w.sentToken))
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func setToken(w http.ResponseWriter, id string) {
	if rw, ok := w.(*statusWriter); ok {
		rw.token = id
	}
}

// logged writes one line per request: method, path, status, error code,
// token ID (never its secret), duration. Nothing else of the request.
func (s *Server) logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		_, sent := protocol.BearerToken(r.Header.Get("Authorization"))
		sw := &statusWriter{ResponseWriter: w, sentToken: sent}
		next.ServeHTTP(sw, r)
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		s.log.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"code", sw.code, "token", sw.token, "remote", r.RemoteAddr, "ms", time.Since(start).Milliseconds())
	})
}

// recovered turns a panic into a 500 and logs it with its stack (the
// request line alone would not say what went wrong).
func (s *Server) recovered(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "path", r.URL.Path, "value", fmt.Sprint(v), "stack", string(debug.Stack()))
				writeError(w, perr(http.StatusInternalServerError, protocol.CodeInternal, "服务器内部错误"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// ServeOptions configure Serve.
type ServeOptions struct {
	// TLSCert and TLSKey are PEM files; both empty serves plain HTTP.
	TLSCert, TLSKey string
	// ShutdownTimeout bounds the graceful stop (default ShutdownTimeout).
	ShutdownTimeout time.Duration
}

// httpServer is the net/http server with the connection limits above.
func (s *Server) httpServer() *http.Server {
	return &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12},
	}
}

// drain is what a stopping Serve tells the requests in flight.
type drain struct {
	mu   sync.Mutex
	cut  bool
	reqs map[*http.Request]*http.ResponseController
}

type drainKey struct{}

// stopping reports whether the request's server has cut requests in flight
// short because it is stopping.
func stopping(r *http.Request) bool {
	d, _ := r.Context().Value(drainKey{}).(*drain)
	if d == nil {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cut
}

// track registers each request so that cutAll can reach it.
func (d *drain) track(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(context.WithValue(r.Context(), drainKey{}, d))
		rc := http.NewResponseController(w)
		d.mu.Lock()
		d.reqs[r] = rc
		if d.cut { // arrived after the cut: do not wait for its body either
			cutOne(rc)
		}
		d.mu.Unlock()
		defer func() {
			d.mu.Lock()
			delete(d.reqs, r)
			d.mu.Unlock()
		}()
		next.ServeHTTP(w, r)
	})
}

// cutAll stops waiting for request bodies (the upload handler then answers
// 503) and gives responses still being written a few seconds to finish.
func (d *drain) cutAll() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.cut = true
	for _, rc := range d.reqs {
		cutOne(rc)
	}
}

// cutGrace is how long a response may still take after the cut.
const cutGrace = 5 * time.Second

func cutOne(rc *http.ResponseController) {
	rc.SetReadDeadline(time.Now())
	rc.SetWriteDeadline(time.Now().Add(cutGrace))
}

// drainCut is when, after the stop began, requests still in flight are cut
// (see cutAll): early enough that their answers are out before timeout,
// including the half second net/http waits before closing a connection
// it answered with "Connection: close".
func drainCut(timeout time.Duration) time.Duration {
	return timeout - min(cutGrace, timeout*2/3)
}

// Serve answers on ln until ctx is done, then stops gracefully: no new
// connections, idle connections close, and requests in progress finish (an
// accepted report is committed before its 2xx is written, so none is
// lost). An upload whose body is still arriving shortly before the
// timeout is answered 503 with Retry-After and "Connection: close" instead
// of being cut without an answer; nothing of it is stored. Connections
// still in http.StateNew are closed at once (net/http would otherwise
// wait 5 s for them): a connection stays new until its first request's
// headers are read, so no handler has run on it, and the client sees a cut
// connection and sends again. Serve returns nil after a graceful stop.
func (s *Server) Serve(ctx context.Context, ln net.Listener, o ServeOptions) error {
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = ShutdownTimeout
	}
	hs := s.httpServer()
	d := &drain{reqs: map[*http.Request]*http.ResponseController{}}
	hs.Handler = d.track(hs.Handler)
	var mu sync.Mutex
	fresh := map[net.Conn]bool{}
	hs.ConnState = func(c net.Conn, st http.ConnState) {
		mu.Lock()
		defer mu.Unlock()
		if st == http.StateNew {
			fresh[c] = true
		} else {
			delete(fresh, c)
		}
	}
	errc := make(chan error, 1)
	go func() {
		if o.TLSCert != "" || o.TLSKey != "" {
			errc <- hs.ServeTLS(ln, o.TLSCert, o.TLSKey)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), o.ShutdownTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- hs.Shutdown(sctx) }()
	cut := time.NewTimer(drainCut(o.ShutdownTimeout))
	defer cut.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var err error
wait:
	for {
		mu.Lock()
		for c := range fresh { // no request reached a handler: nothing to lose
			c.Close()
			delete(fresh, c)
		}
		mu.Unlock()
		select {
		case err = <-done:
			break wait
		case <-cut.C:
			d.cutAll()
		case <-tick.C:
		}
	}
	<-errc
	if err != nil {
		hs.Close()
		return fmt.Errorf("停止服务时仍有请求未在 %s 内完成，已强行中断: %w", o.ShutdownTimeout, err)
	}
	return nil
}
