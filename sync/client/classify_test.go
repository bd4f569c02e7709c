package client_test

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"digilevel/model"
	"digilevel/sync/client"
	"digilevel/sync/protocol"
)

// What the laptop does with each answer the protocol documents
// (sync/protocol, sync/openapi.yaml), checked through a real pass: two
// enterprises with one report each; the first report gets the answer, the
// second a receipt. A problem of the laptop or the token pauses the queue
// (nothing marked, the second not sent); a refusal of one report marks it
// (rejected or held) and the pass goes on; a temporary failure marks it
// send_failed and the pass goes on.
func TestEveryDocumentedStatusIsClassified(t *testing.T) {
	type want struct {
		state  model.State // of the first report; queued when paused
		paused bool
	}
	pause := want{model.StateQueued, true}
	rejected := want{model.StateRejected, false}
	held := want{model.StateHeld, false}
	retry := want{model.StateSendFailed, false}
	cases := []struct {
		status int
		code   string
		want   want
	}{
		{400, protocol.CodeBadRequest, pause},
		{401, protocol.CodeUnauthorized, pause},
		{403, protocol.CodeForbidden, pause},
		{403, protocol.CodeKeyMismatch, pause},
		{403, protocol.CodeProviderMismatch, held},
		{403, protocol.CodeSpotCheckNeedsInspector, held},
		{403, protocol.CodeInspectorSpotCheckOnly, held},
		{403, "", pause}, // a 403 without a digilevel body: about the token
		{404, protocol.CodeNotFound, pause},
		{405, protocol.CodeMethod, pause},
		{409, protocol.CodeConflict, rejected},
		{409, protocol.CodeCheckedMismatch, rejected},
		{413, protocol.CodeTooLarge, rejected},
		{413, "", rejected}, // a proxy's 413 refuses the report too
		{422, protocol.CodeInvalidReport, rejected},
		{422, protocol.CodeUnknownCatalog, rejected},
		{422, protocol.CodeAlteredBody, rejected},
		{422, protocol.CodeIDMismatch, rejected},
		{422, protocol.CodeDraft, rejected},
		{422, protocol.CodeMissingFile, rejected},
		{429, "", retry},
		{500, protocol.CodeInternal, retry},
		{502, "", retry},
		{503, protocol.CodeUnavailable, retry},
		{504, "", retry},
		{418, "", pause}, // anything undocumented: the address is wrong
	}
	documented := map[string]bool{}
	for _, c := range cases {
		documented[strconv.Itoa(c.status)] = true
		if c.code != "" {
			documented[c.code] = true
		}
	}
	// Every status of the upload and every error code of the document
	// has a case here.
	doc, err := openapi3.NewLoader().LoadFromFile(filepath.Join("..", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	put := doc.Paths.Find("/api/v1/reports/{id}").Put
	for status := range put.Responses.Map() {
		if status != "200" && status != "201" && !documented[status] {
			t.Errorf("sync/openapi.yaml documents %s for an upload: add a case", status)
		}
	}
	for _, code := range doc.Components.Schemas["Error"].Value.Properties["code"].Value.Enum {
		if !documented[code.(string)] {
			t.Errorf("sync/openapi.yaml documents the error code %s: add a case", code)
		}
	}

	for _, c := range cases {
		t.Run(strconv.Itoa(c.status)+" "+c.code, func(t *testing.T) {
			db := newLaptop(t, 2, 1)
			items, _ := db.Outbox()
			first, second := items[0].AssessmentID, items[1].AssessmentID
			msg := "平台的说明 " + strconv.Itoa(c.status)
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if r.PathValue("id") != first {
					receipt(w, r, n)
					return
				}
				w.Header().Set("Retry-After", "3")
				if c.code == "" {
					w.WriteHeader(c.status)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(c.status)
				json.NewEncoder(w).Encode(protocol.Error{Status: c.status, Code: c.code, Message: msg})
			})
			res, err := newClient(t, db, f.srv.URL, client.Options{Workers: 1}).SendPending(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			st := states(t, db)
			if got := st[first]; got.State != c.want.state {
				t.Errorf("first report %s, want %s (%+v)", got.State, c.want.state, res)
			}
			if res.Paused != c.want.paused {
				t.Errorf("paused = %v, want %v: %+v", res.Paused, c.want.paused, res)
			}
			if c.want.paused {
				if st[second].State != model.StateQueued || res.Remaining != 2 || res.Sent != 0 {
					t.Errorf("a pause still sent or marked reports: %+v, second %s", res, st[second].State)
				}
				if c.code != "" && !strings.Contains(res.PauseReason, msg) {
					t.Errorf("pause reason %q does not carry the platform's message", res.PauseReason)
				}
				return
			}
			// A sent report leaves the queue.
			if it, queued := st[second]; (queued && it.State != model.StateSent) || res.Sent != 1 {
				t.Errorf("one report's %d stopped the others: %+v, second %s", c.status, res, it.State)
			}
			reason := st[first].LastError
			if c.code != "" && !strings.Contains(reason, msg) {
				t.Errorf("the report's reason %q lacks the platform's message", reason)
			}
			if !strings.Contains(reason, strconv.Itoa(c.status)) {
				t.Errorf("the report's reason %q lacks the status", reason)
			}
			switch c.want {
			case rejected:
				if res.Rejected != 1 || res.Remaining != 0 {
					t.Errorf("counts %+v, want 1 rejected and nothing remaining", res)
				}
			case held:
				if res.Held != 1 || !strings.Contains(reason, "处理办法") {
					t.Errorf("counts %+v (reason %q), want 1 held with what to do", res, reason)
				}
			case retry:
				if res.Failed != 1 || res.Remaining != 1 || res.RetryAfter != 3*time.Second {
					t.Errorf("counts %+v, want 1 failed, 1 remaining, Retry-After 3s", res)
				}
			}
		})
	}
	var codes []string
	for k := range documented {
		codes = append(codes, k)
	}
	sort.Strings(codes)
	t.Logf("classified: %s", strings.Join(codes, " "))
}

// What a pause says depends on the answer: a redirect (300–399) names the
// new address, a 401 or 403 without a digilevel body the token, and a
// 201 whose receipt is not this report's (another ID, another hash, no
// sequence number: a captive portal or a wrong server) pauses too.
func TestPauseReasons(t *testing.T) {
	cases := []struct {
		name   string
		answer func(w http.ResponseWriter, r *http.Request)
		want   string
	}{
		{"300", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "https://elsewhere/")
			w.WriteHeader(300)
		}, "重定向到 https://elsewhere/"},
		{"308", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "https://elsewhere/")
			w.WriteHeader(308)
		}, "重定向"},
		{"401 without body", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(401) }, "令牌无效或无权上传（HTTP 401）"},
		{"403 without body", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(403) }, "令牌无效或无权上传（HTTP 403）"},
		{"receipt of another ID", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(201)
			json.NewEncoder(w).Encode(protocol.Receipt{ID: "01ARZ3NDEKTSV4RRFFQ69G5FAV", ServerSeq: 1, SHA256: r.Header.Get(protocol.HeaderSHA256)})
		}, "不是本报告的 digilevel 回执"},
		{"receipt of another hash", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(201)
			json.NewEncoder(w).Encode(protocol.Receipt{ID: r.PathValue("id"), ServerSeq: 1, SHA256: strings.Repeat("0", 64)})
		}, "不是本报告的 digilevel 回执"},
		{"receipt without a sequence number", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			json.NewEncoder(w).Encode(protocol.Receipt{ID: r.PathValue("id"), SHA256: r.Header.Get(protocol.HeaderSHA256)})
		}, "不是本报告的 digilevel 回执（HTTP 200）"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := newLaptop(t, 1, 1)
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) { c.answer(w, r) })
			res, err := newClient(t, db, f.srv.URL, client.Options{Workers: 1}).SendPending(context.Background())
			if err != nil || !res.Paused || !strings.Contains(res.PauseReason, c.want) || res.Sent != 0 {
				t.Errorf("%+v %v; want paused with %q", res, err, c.want)
			}
		})
	}
}

// Retry-After as the platform or a proxy sends it: seconds (at most an
// hour is believed), an HTTP date, or junk and negatives ignored.
func TestRetryAfterValues(t *testing.T) {
	cases := []struct {
		header string
		want   time.Duration
	}{
		{"1", time.Second},
		{"120", 2 * time.Minute},
		{"0", 0},
		{"-5", 0},
		{"7200", time.Hour},
		{"soon", 0},
		{time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat), 0},
		{time.Now().Add(3 * time.Hour).UTC().Format(http.TimeFormat), time.Hour},
	}
	for _, c := range cases {
		t.Run(c.header, func(t *testing.T) {
			db := newLaptop(t, 1, 1)
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
				w.Header().Set("Retry-After", c.header)
				jsonError(w, 503, "维护中")
			})
			res, err := newClient(t, db, f.srv.URL, client.Options{Workers: 1}).SendPending(context.Background())
			if err != nil || res.Failed != 1 || res.RetryAfter != c.want {
				t.Errorf("Retry-After %q: %+v %v; want a wait of %s", c.header, res, err, c.want)
			}
		})
	}
}
