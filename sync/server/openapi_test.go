package server_test

// The conformance test of sync/openapi.yaml: the document is valid; every
// route the server serves is documented and every documented operation is
// served; live answers of every route and every documented status, recorded
// over HTTP, validate against the document (kin-openapi); 405 and 404 match
// their components; ReportDocument equals report/report.schema.json.
//
// Adding a route: add it to the server's route table and its operation to
// sync/openapi.yaml, then add cases below until every documented status of
// the new operation has been seen (the test lists what is missing).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"digilevel/model"
	"digilevel/report"
	"digilevel/storage/platform"
	"digilevel/storage/serverstore"
	"digilevel/sync/internal/fixture"
	"digilevel/sync/protocol"
	"digilevel/sync/server"
	"digilevel/web"
	"digilevel/web/platformstore"
)

func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(filepath.Join("..", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("sync/openapi.yaml is not a valid OpenAPI document: %v", err)
	}
	return doc
}

// exchange is one recorded request and its live answer.
type exchange struct {
	name          string
	req           *http.Request
	reqBody       []byte
	status        int
	header        http.Header
	body          []byte
	validRequest  bool // the request itself follows the document
	observedRoute string
}

// apiCase is one request to send; token, header and body are optional.
type apiCase struct {
	name         string
	method, path string
	token        string
	header       map[string]string
	body         []byte
	want         int
	validRequest bool
}

func send(t *testing.T, base string, c apiCase) exchange {
	t.Helper()
	var rd io.Reader
	if c.body != nil {
		rd = bytes.NewReader(c.body)
	}
	req, err := http.NewRequest(c.method, base+c.path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.body != nil {
		req.Header.Set("Content-Type", protocol.ContentType)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != c.want {
		t.Errorf("%s: %s %s answered %d, want %d: %s", c.name, c.method, c.path, resp.StatusCode, c.want, data)
	}
	// A fresh request for the validator (the sent one's body is spent).
	vreq, _ := http.NewRequest(c.method, base+c.path, bytes.NewReader(c.body))
	vreq.Header = req.Header.Clone()
	return exchange{name: c.name, req: vreq, reqBody: c.body, status: resp.StatusCode, header: resp.Header, body: data, validRequest: c.validRequest}
}

// withHead adds, for every GET case, the same request as HEAD: net/http
// answers HEAD on GET routes, so the document must cover it too.
func withHead(cases []apiCase) []apiCase {
	out := slices.Clone(cases)
	for _, c := range cases {
		if c.method == http.MethodGet {
			h := c
			h.name, h.method = c.name+" (HEAD)", http.MethodHead
			out = append(out, h)
		}
	}
	return out
}

func TestOpenAPIConformance(t *testing.T) {
	doc := loadSpec(t)
	ex := recordLiveExchanges(t)
	doc.Servers = nil // the live server is on 127.0.0.1, not the example host
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true,
		AuthenticationFunc: func(_ context.Context, in *openapi3filter.AuthenticationInput) error {
			if _, ok := strings.CutPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer "); !ok {
				return errors.New("no bearer token")
			}
			return nil
		}}
	seen := map[string]map[int]bool{} // operationId -> statuses seen
	for _, e := range ex {
		route, params, err := router.FindRoute(e.req)
		switch {
		case errors.Is(err, routers.ErrMethodNotAllowed):
			checkComponent(t, doc, e, "MethodNotAllowed", http.StatusMethodNotAllowed)
			continue
		case errors.Is(err, routers.ErrPathNotFound):
			checkComponent(t, doc, e, "NotFound", http.StatusNotFound)
			continue
		case err != nil:
			t.Errorf("%s: %v", e.name, err)
			continue
		}
		op := route.Operation.OperationID
		if seen[op] == nil {
			seen[op] = map[int]bool{}
		}
		seen[op][e.status] = true
		in := &openapi3filter.RequestValidationInput{Request: e.req, PathParams: params, Route: route, Options: opts}
		if e.validRequest {
			if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
				t.Errorf("%s: the test's own request does not follow the document: %v", e.name, err)
			}
		}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: e.status, Header: e.header, Options: opts}
		out.SetBodyBytes(e.body)
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			t.Errorf("%s: %s %s answered %d, which the document does not allow: %v\n%s", e.name, e.req.Method, e.req.URL.Path, e.status, err, e.body)
		}
	}
	// Every documented status of every operation was seen live.
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for code := range op.Responses.Map() {
				var status int
				fmt.Sscan(code, &status)
				if !seen[op.OperationID][status] {
					t.Errorf("%s %s (%s) documents %s but no case produced it: add one, or drop it from the document if the server cannot answer it", method, path, op.OperationID, code)
				}
			}
		}
	}
}

// checkComponent validates a 405 or 404 against its response component.
func checkComponent(t *testing.T, doc *openapi3.T, e exchange, component string, want int) {
	t.Helper()
	if e.status != want {
		t.Errorf("%s: %s %s answered %d; the document says %d (%s)", e.name, e.req.Method, e.req.URL.Path, e.status, want, component)
		return
	}
	resp := doc.Components.Responses[component].Value
	for name, h := range resp.Headers {
		if h.Value.Required && e.header.Get(name) == "" {
			t.Errorf("%s: %d without the %s header", e.name, e.status, name)
		}
	}
	if e.req.Method == http.MethodHead {
		return
	}
	var body any
	if err := json.Unmarshal(e.body, &body); err != nil {
		t.Errorf("%s: body is not JSON: %s", e.name, e.body)
		return
	}
	schema := resp.Content.Get("application/json").Schema.Value
	if err := schema.VisitJSON(body); err != nil {
		t.Errorf("%s: body does not match %s: %v", e.name, component, err)
	}
}

// Every route the server serves is in the document (HEAD too for GET),
// and the document has no operation the server does not serve.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	doc := loadSpec(t)
	srv, err := server.New(nil, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, r := range srv.Routes() {
		methods := []string{r.Method}
		if r.Method == http.MethodGet {
			methods = append(methods, http.MethodHead)
		}
		for _, m := range methods {
			served[m+" "+r.Pattern] = true
			item := doc.Paths.Find(r.Pattern)
			if item == nil || item.GetOperation(m) == nil {
				t.Errorf("the server serves %s %s, sync/openapi.yaml does not document it", m, r.Pattern)
			}
		}
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !served[method+" "+path] {
				t.Errorf("sync/openapi.yaml documents %s %s, the server does not serve it", method, path)
			}
		}
	}
	for _, ext := range []string{"x-other-methods", "x-other-paths"} {
		if doc.Extensions[ext] == nil {
			t.Errorf("%s is missing", ext)
		}
	}
}

// recordLiveExchanges drives a live server through every route and status.
func recordLiveExchanges(t *testing.T) []exchange {
	t.Helper()
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{NoSync: true})
	tok := env.Token(t, provider, serverstore.RoleProvider)
	inspector := env.Token(t, "区抽查组", serverstore.RoleInspector)
	office := env.Token(t, "区工信局", serverstore.RoleOffice)
	l := newLaptop(t, 1)
	a, b := l.bodies[l.a], l.bodies[l.b]
	code := mustDoc(t, a).Enterprise.Code
	put := func(token, id string, body []byte, hash string) apiCase {
		return apiCase{method: http.MethodPut, path: protocol.ReportsPath + "/" + id, token: token, body: body,
			header: map[string]string{protocol.HeaderSHA256: hash, protocol.HeaderIdempotencyKey: protocol.IdempotencyKey(id, hash)}}
	}
	named := func(c apiCase, name string, want int, valid bool) apiCase {
		c.name, c.want, c.validRequest = name, want, valid
		return c
	}
	get := func(name, path, token string, want int, valid bool) apiCase {
		return apiCase{name: name, method: http.MethodGet, path: path, token: token, want: want, validRequest: valid}
	}
	sameID := resign(t, a, func(d *model.ReportDocument) { d.Problems = d.Problems[:0] })
	in := newInspector(t)
	spot, spotBody := in.spotCheckOf(t, a, "区抽查组")
	// A spot-check of another report under b's ID, uploaded after the
	// provider's b (409 checked_mismatch).
	forgedB := resign(t, b, func(d *model.ReportDocument) { d.Problems = nil })
	spotOther, spotOtherBody := in.spotCheckOf(t, forgedB, "区抽查组")
	junk := []byte(`{"format":"digilevel-report/1"`)
	big := bytes.Repeat([]byte(" "), protocol.MaxBodySize+1)
	item := protocol.ReportsPath + "/" + l.a
	cases := []apiCase{
		named(put(tok, l.a, a, sha(a)), "new report", 201, true),
		named(put(tok, l.a, a, sha(a)), "same report again", 200, true),
		named(put(tok, l.b, b, ""), "missing hash header", 400, false),
		named(put("", l.b, b, sha(b)), "no token", 401, false),
		named(put("dlt_x_y", l.b, b, sha(b)), "unknown token", 401, true),
		named(put(inspector, l.b, b, sha(b)), "inspector may not upload a baseline", 403, true),
		named(put(tok, spot, spotBody, sha(spotBody)), "provider may not upload a spot-check", 403, true),
		named(put(inspector, spot, spotBody, sha(spotBody)), "inspector uploads a spot-check", 201, true),
		named(put(office, l.b, b, sha(b)), "office may not upload", 403, true),
		named(put(tok, l.b, b, sha(b)), "the report b", 201, true),
		named(put(inspector, spotOther, spotOtherBody, sha(spotOtherBody)), "spot-check of another b", 409, true),
		named(put(tok, l.a, sameID, sha(sameID)), "same ID, other content", 409, true),
		named(put(tok, l.b, big, sha(big)), "too large", 413, false),
		named(put(tok, l.b, junk, sha(junk)), "not a report", 422, false),
		get("read a report", item, inspector, 200, true),
		get("read without token", item, "", 401, false),
		get("provider may not read", item, tok, 403, true),
		get("unknown report", protocol.ReportsPath+"/01ARZ3NDEKTSV4RRFFQ69G5FAV", inspector, 404, true),
		get("list by enterprise", protocol.ReportsPath+"?enterprise="+code, inspector, 200, true),
		get("office page", protocol.ReportsPath+"?limit=1", office, 200, true),
		get("office listing", protocol.ReportsPath+"?after=0&limit=1000", office, 200, true),
		get("inspector without enterprise", protocol.ReportsPath, inspector, 400, true),
		get("limit above 1000", protocol.ReportsPath+"?limit=1001", office, 400, false),
		get("list without token", protocol.ReportsPath, "", 401, false),
		get("provider may not list", protocol.ReportsPath+"?enterprise="+code, tok, 403, true),
		{name: "PUT on the collection", method: http.MethodPut, path: protocol.ReportsPath, token: tok, want: 405},
		{name: "POST on a report", method: http.MethodPost, path: item, token: tok, want: 405},
		{name: "DELETE on a report", method: http.MethodDelete, path: item, token: office, want: 405},
		{name: "unknown path", method: http.MethodGet, path: "/api/v2/reports", token: office, want: 404},
		{name: "path below a report", method: http.MethodGet, path: item + "/evidence/x", token: office, want: 404},
	}
	var out []exchange
	for _, c := range withHead(cases) {
		out = append(out, send(t, env.URL, c))
	}
	out = append(out, brokenStoreExchanges(t, l)...)
	out = append(out, stoppingExchange(t, l))
	out = append(out, evidenceExchanges(t)...)
	out = append(out, summaryExchanges(t)...)
	return out
}

// gatedStore holds the dashboard's first read of the reports until the
// gate opens, so that a request made meanwhile meets the first load.
type gatedStore struct {
	*platformstore.Store
	once    sync.Once
	entered chan struct{}
	gate    chan struct{}
}

func (s *gatedStore) ReportsAfter(after uint64, limit int) ([]platform.Record, error) {
	s.once.Do(func() {
		s.entered <- struct{}{}
		<-s.gate
	})
	return s.Store.ReportsAfter(after, limit)
}

// summaryExchanges: GET /api/v1/summary on a server with the dashboard
// mounted, every documented status: 503 while the first load runs, then
// 200, 401 and 403, and 500 when the store fails.
func summaryExchanges(t *testing.T) []exchange {
	t.Helper()
	var dash http.Handler
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{NoSync: true, ShutdownTimeout: 2 * time.Second,
		Dashboard: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { dash.ServeHTTP(w, r) })})
	office := env.Token(t, "区工信局", serverstore.RoleOffice)
	tok := env.Token(t, provider, serverstore.RoleProvider)
	store := &gatedStore{Store: platformstore.New(env.Store, env.Server, nil), entered: make(chan struct{}, 1), gate: make(chan struct{})}
	d, err := web.New(web.Options{Store: store, RosterTTL: -1})
	if err != nil {
		t.Fatal(err)
	}
	dash = d
	warm := make(chan error, 1)
	go func() { warm <- d.Warm() }()
	<-store.entered
	get := func(name, token string, want int, valid bool) apiCase {
		return apiCase{name: name, method: http.MethodGet, path: protocol.SummaryPath, token: token, want: want, validRequest: valid}
	}
	var out []exchange
	for _, c := range withHead([]apiCase{get("summary during the first load", office, 503, true)}) {
		out = append(out, send(t, env.URL, c))
	}
	close(store.gate)
	if err := <-warm; err != nil {
		t.Fatal(err)
	}
	for _, c := range withHead([]apiCase{
		get("summary", office, 200, true),
		get("summary without token", "", 401, false),
		get("summary with an unknown token", "dlt_x_y", 401, true),
		get("provider may not read the summary", tok, 403, true),
		{name: "POST on the summary", method: http.MethodPost, path: protocol.SummaryPath, token: office, want: 405},
	}) {
		out = append(out, send(t, env.URL, c))
	}
	env.BreakStore()
	for _, c := range withHead([]apiCase{get("store failure on the summary", office, 500, true)}) {
		out = append(out, send(t, env.URL, c))
	}
	return out
}

func mustDoc(t *testing.T, body []byte) model.ReportDocument {
	t.Helper()
	doc, err := model.VerifyReport(body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// brokenStoreExchanges: a server whose store fails answers 500 on every
// route.
func brokenStoreExchanges(t *testing.T, l laptop) []exchange {
	t.Helper()
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{NoSync: true, ShutdownTimeout: 2 * time.Second})
	secret, base := env.Token(t, "区工信局", serverstore.RoleOffice), env.URL
	env.BreakStore() // every read of the store fails from now on
	b := l.bodies[l.b]
	cases := withHead([]apiCase{
		{name: "store failure on upload", method: http.MethodPut, path: protocol.ReportsPath + "/" + l.b, token: secret, body: b,
			header: map[string]string{protocol.HeaderSHA256: sha(b), protocol.HeaderIdempotencyKey: protocol.IdempotencyKey(l.b, sha(b))}, want: 500, validRequest: true},
		{name: "store failure on read", method: http.MethodGet, path: protocol.ReportsPath + "/" + l.b, token: secret, want: 500, validRequest: true},
		{name: "store failure on list", method: http.MethodGet, path: protocol.ReportsPath, token: secret, want: 500, validRequest: true},
	})
	var out []exchange
	for _, c := range cases {
		out = append(out, send(t, base, c))
	}
	return out
}

// stoppingExchange: an upload still sending its body when a stopping server
// cuts it is answered 503 with Retry-After.
func stoppingExchange(t *testing.T, l laptop) exchange {
	t.Helper()
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{NoSync: true, ShutdownTimeout: time.Second})
	secret, base := env.Token(t, provider, serverstore.RoleProvider), env.URL
	body := l.bodies[l.a]
	w, answers := startUpload(base, secret, l.a, body)
	w.Write(body[:len(body)/2])
	time.Sleep(100 * time.Millisecond)
	stopped := make(chan error, 1)
	go func() { stopped <- env.Stop() }()
	a := <-answers
	w.Close()
	if err := <-stopped; err != nil {
		t.Errorf("serve: %v", err)
	}
	if a.err != nil {
		t.Fatalf("upload during the stop got no answer: %v", a.err)
	}
	req, _ := http.NewRequest(http.MethodPut, protocol.ReportURL(base, l.a), bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set(protocol.HeaderSHA256, sha(body))
	req.Header.Set(protocol.HeaderIdempotencyKey, protocol.IdempotencyKey(l.a, sha(body)))
	req.Header.Set("Content-Type", protocol.ContentType)
	h := http.Header{}
	h.Set("Content-Type", protocol.ContentType)
	if a.retryAfter != "" {
		h.Set("Retry-After", a.retryAfter)
	}
	if a.status != http.StatusServiceUnavailable {
		t.Errorf("upload during the stop: %d %s, want 503", a.status, a.body)
	}
	return exchange{name: "upload cut by a stop", req: req, reqBody: body, status: a.status, header: h, body: a.body, validRequest: true}
}

// ReportDocument and its Report* components in sync/openapi.yaml are the
// OpenAPI 3.0 form of report/report.schema.json: const becomes a
// one-value enum, $defs/x becomes components/schemas/ReportX, and the
// if/then/else (not in OpenAPI 3.0) is stated in the description.
func TestOpenAPIReportDocumentIsTheReportSchema(t *testing.T) {
	doc := loadSpec(t)
	var schema map[string]any
	if err := json.Unmarshal(report.Schema(), &schema); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"ReportDocument": toOpenAPI(schema)}
	defs, _ := schema["$defs"].(map[string]any)
	for name, def := range defs {
		want[reportComponent(name)] = toOpenAPI(def)
	}
	names := make([]string, 0, len(want))
	for n := range want {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ref := doc.Components.Schemas[n]
		if ref == nil {
			t.Errorf("components/schemas/%s is missing", n)
			continue
		}
		raw, err := json.Marshal(ref.Value)
		if err != nil {
			t.Fatal(err)
		}
		var got any
		json.Unmarshal(raw, &got)
		got = toOpenAPI(got)
		if g, w := canonical(got), canonical(want[n]); g != w {
			t.Errorf("components/schemas/%s differs from report/report.schema.json:\n got %s\nwant %s", n, g, w)
		}
	}
	for n := range doc.Components.Schemas {
		if strings.HasPrefix(n, "Report") && n != "ReportList" && n != "ReportInfo" && want[n] == nil {
			t.Errorf("components/schemas/%s has no counterpart in report/report.schema.json", n)
		}
	}
}

func reportComponent(def string) string {
	return "Report" + strings.ToUpper(def[:1]) + def[1:]
}

// toOpenAPI keeps the validating keywords of a schema, in OpenAPI 3.0
// spelling, and drops annotations (descriptions, titles).
func toOpenAPI(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range x {
			switch k {
			case "$ref":
				s, _ := val.(string)
				if def, ok := strings.CutPrefix(s, "#/$defs/"); ok {
					s = "#/components/schemas/" + reportComponent(def)
				}
				return map[string]any{"$ref": s}
			case "const":
				out["enum"] = []any{val}
			case "properties":
				props := map[string]any{}
				for pk, pv := range val.(map[string]any) {
					props[pk] = toOpenAPI(pv)
				}
				out[k] = props
			case "items", "additionalProperties", "oneOf", "type", "required", "enum", "pattern", "minimum", "maximum", "minLength", "maxLength", "format":
				out[k] = toOpenAPI(val)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = toOpenAPI(e)
		}
		return out
	}
	return v
}

// canonical is JSON with sorted keys, for comparison and messages.
func canonical(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
