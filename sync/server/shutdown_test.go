package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage/serverstore"
	"digilevel/sync/internal/fixture"
	"digilevel/sync/protocol"
)

// upload sends body to id through a pipe the test controls, and delivers
// the answer (status, Retry-After, error body or receipt) on the channel.
type answer struct {
	status     int
	retryAfter string
	body       []byte
	err        error
}

func startUpload(url, token, id string, body []byte) (*io.PipeWriter, <-chan answer) {
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPut, protocol.ReportURL(url, id), pr)
	req.ContentLength = int64(len(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set(protocol.HeaderSHA256, model.HashReport(body))
	req.Header.Set(protocol.HeaderIdempotencyKey, protocol.IdempotencyKey(id, model.HashReport(body)))
	out := make(chan answer, 1)
	go func() {
		resp, err := (&http.Client{}).Do(req)
		if err != nil {
			out <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		out <- answer{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"), body: data}
	}()
	return pw, out
}

// A stop while uploads are in flight answers every one of them: an upload
// that finishes sending within the grace period is accepted (201), one
// still sending at the cut gets 503 with Retry-After; Serve returns nil.
// Run several times: the answer must not depend on timing luck.
func TestShutdownAnswersUploadsInFlight(t *testing.T) {
	l := newLaptop(t, 1)
	for round := range 3 {
		env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{NoSync: true, ShutdownTimeout: 2 * time.Second})
		st, secret, url := env.Store, env.Token(t, provider, serverstore.RoleProvider), env.URL

		slowBody, fastBody := l.bodies[l.a], l.bodies[l.b]
		slow, slowAns := startUpload(url, secret, l.a, slowBody)
		fast, fastAns := startUpload(url, secret, l.b, fastBody)
		// Both uploads have reached their handlers and sent half a body.
		slow.Write(slowBody[:len(slowBody)/2])
		fast.Write(fastBody[:len(fastBody)/2])
		time.Sleep(100 * time.Millisecond)
		stopped := make(chan error, 1)
		go func() { stopped <- env.Stop() }()
		time.Sleep(200 * time.Millisecond)
		fast.Write(fastBody[len(fastBody)/2:]) // finishes within the grace
		fast.Close()

		a := <-fastAns
		if a.err != nil || a.status != http.StatusCreated {
			t.Fatalf("round %d: upload finished during the stop: %v %d %s, want 201", round, a.err, a.status, a.body)
		}
		a = <-slowAns // never finishes sending
		var e protocol.Error
		if a.err != nil || a.status != http.StatusServiceUnavailable || a.retryAfter == "" || json.Unmarshal(a.body, &e) != nil || e.Code != protocol.CodeUnavailable {
			t.Fatalf("round %d: upload still sending at the cut: %v %d Retry-After %q %s, want 503 with Retry-After", round, a.err, a.status, a.retryAfter, a.body)
		}
		slow.Close()
		if err := <-stopped; err != nil {
			t.Fatalf("round %d: Serve after a graceful stop: %v", round, err)
		}
		recs, _ := st.ReportsAfter(0, 0)
		if len(recs) != 1 || recs[0].ID != l.b {
			t.Errorf("round %d: stored %v, want only the finished upload", round, recs)
		}
		if _, body, err := st.Report(l.b); err != nil || !bytes.Equal(body, fastBody) {
			t.Errorf("round %d: finished upload not stored intact: %v", round, err)
		}
	}
}
