package server_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage/platform"
	"digilevel/sync/internal/fixture"
	"digilevel/sync/protocol"
	"digilevel/sync/server"
)

// BenchmarkUpload is the CPU of one upload through the API handler, in one
// goroutine: token check, body read, validation (strict decode, canonical
// form, signature, rescoring) and the store's decision. The store commits
// without fdatasync (NoSync), so what is left is the server's own work:
// the part of BenchmarkServerPaired50 (sync/e2e) that is not the disk or
// the load generator. Each report is stored at its first upload; later
// rounds take the idempotent path, which validates exactly as fully.
//
//	go test -run '^$' -bench Upload -cpuprofile cpu.prof ./sync/server
func BenchmarkUpload(b *testing.B) {
	laptop := fixture.SeedLaptop(b, b.TempDir(), 100, 500, 31)
	bodies := fixture.Finalized(b, laptop)
	ids := make([]string, 0, len(bodies))
	for id := range bodies {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	env := fixture.StartServer(b, b.TempDir(), fixture.EnvOptions{AllowOfficeUpload: true, NoSync: true})
	token := env.Token(b, "区工信局", platform.RoleOffice)
	h := env.Server.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := ids[i%len(ids)]
		body := bodies[id]
		req := httptest.NewRequest(http.MethodPut, protocol.ReportsPath+"/"+id, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set(protocol.HeaderSHA256, sha(body))
		req.Header.Set(protocol.HeaderIdempotencyKey, id)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusCreated && w.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", id, w.Code, w.Body)
		}
	}
}

// TestUploadVerifiesOnce counts the decodings of an upload's body: each
// upload, new, repeated or refused after verification, is decoded and
// verified exactly once (server.Options.VerifyReport), and the document it
// gives is what the later checks and the store use.
func TestUploadVerifiesOnce(t *testing.T) {
	l := newLaptop(t, 1)
	st := fixture.OpenStore(t, t.TempDir(), fixture.EnvOptions{NoSync: true})
	t.Cleanup(func() { st.Close() })
	calls := 0
	srv, err := server.New(st, server.Options{VerifyReport: func(b []byte) (model.ReportDocument, error) {
		calls++
		return model.VerifyReport(b)
	}})
	if err != nil {
		t.Fatal(err)
	}
	secret, tok, err := server.NewToken(provider, platform.RoleProvider, time.Time{}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddToken(tok); err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	put := func(id string, body []byte, hash string) int {
		req := httptest.NewRequest(http.MethodPut, protocol.ReportsPath+"/"+id, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+secret)
		req.Header.Set(protocol.HeaderSHA256, hash)
		req.Header.Set(protocol.HeaderIdempotencyKey, protocol.IdempotencyKey(id, hash))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code
	}
	steps := []struct {
		name   string
		id     string
		body   []byte
		hash   string
		status int
	}{
		{"new", l.a, l.bodies[l.a], sha(l.bodies[l.a]), http.StatusCreated},
		{"revision", l.rev, l.bodies[l.rev], sha(l.bodies[l.rev]), http.StatusCreated},
		{"again", l.a, l.bodies[l.a], sha(l.bodies[l.a]), http.StatusOK},
		{"altered body", l.b, l.bodies[l.b], sha(l.bodies[l.a]), http.StatusUnprocessableEntity},
	}
	for i, s := range steps {
		if got := put(s.id, s.body, s.hash); got != s.status || calls != i+1 {
			t.Fatalf("%s: status %d (want %d), %d verifications after %d uploads", s.name, got, s.status, calls, i+1)
		}
	}
}
