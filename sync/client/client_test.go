package client_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage"
	"digilevel/storage/serverstore"
	"digilevel/sync/client"
	"digilevel/sync/internal/fixture"
	"digilevel/sync/protocol"
)

const provider = "测试服务商"

// newLaptop has `enterprises` enterprises with `per` finalized reports each.
func newLaptop(t *testing.T, enterprises, per int) *storage.DB {
	t.Helper()
	dir := t.TempDir()
	db, err := storage.Open(dir+"/laptop.db", storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for i := range enterprises {
		e := fixture.Enterprise(t, db, i+1, provider)
		for range per {
			fixture.Finalize(t, db, e.Code, provider, dir)
		}
	}
	return db
}

func newClient(t *testing.T, db *storage.DB, url string, o client.Options) *client.Client {
	t.Helper()
	o.Server, o.Token = url, "dlt_x_y"
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Second
	}
	c, err := client.New(db, o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSendPendingAndResend(t *testing.T) {
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
	db := newLaptop(t, 3, 2)
	items, _ := db.Outbox()
	fixture.Revise(t, db, items[0].AssessmentID)
	c, err := client.New(db, client.Options{Server: env.URL + "/", Token: env.Token(t, provider, serverstore.RoleProvider)})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.SendPending(context.Background())
	if err != nil || res.Sent != 7 || res.Remaining != 0 || res.Paused || !res.Done() {
		t.Fatalf("first pass: %+v %v", res, err)
	}
	fixture.RequireExactlyOnce(t, env.Store, fixture.Finalized(t, db), db)
	res, err = c.SendPending(context.Background())
	if err != nil || res != (client.Result{}) {
		t.Errorf("second pass on an empty queue: %+v %v", res, err)
	}
}

// fake is a server that answers with a function and counts requests.
type fake struct {
	mu    sync.Mutex
	calls []string
	srv   *httptest.Server
}

func newFake(t *testing.T, answer func(w http.ResponseWriter, r *http.Request, n int)) *fake {
	f := &fake{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.calls = append(f.calls, strings.TrimPrefix(r.URL.Path, protocol.ReportsPath+"/"))
		n := len(f.calls)
		f.mu.Unlock()
		answer(w, r, n)
	})
	mux := http.NewServeMux()
	mux.Handle(protocol.ReportsPath+"/{id}", h) // lets answer read {id}
	mux.Handle("/", h)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) called() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func jsonError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(protocol.Error{Status: status, Code: "x", Message: msg})
}

func receipt(w http.ResponseWriter, r *http.Request, seq int) {
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(protocol.Receipt{ID: r.PathValue("id"), ServerSeq: uint64(seq),
		ReceivedAt: time.Now(), SHA256: r.Header.Get(protocol.HeaderSHA256), Status: protocol.StatusCreated})
}

func states(t *testing.T, db *storage.DB) map[string]storage.OutboxItem {
	t.Helper()
	items, err := db.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]storage.OutboxItem{}
	for _, it := range items {
		out[it.AssessmentID] = it
	}
	return out
}

// A global problem pauses the whole queue and marks nothing.
func TestGlobalErrorsPause(t *testing.T) {
	cases := []struct {
		name   string
		answer func(w http.ResponseWriter, r *http.Request, n int)
		want   string
	}{
		{"401", func(w http.ResponseWriter, r *http.Request, n int) { jsonError(w, 401, "访问令牌已过期") }, "访问令牌已过期（HTTP 401）"},
		{"403", func(w http.ResponseWriter, r *http.Request, n int) {
			jsonError(w, 403, "只能上传本机构的报告")
		}, "只能上传本机构的报告"},
		{"captive portal", func(w http.ResponseWriter, r *http.Request, n int) {
			w.Write([]byte("<html>请先登录 Wi-Fi</html>"))
		}, "不是本报告的 digilevel 回执"},
		{"wrong URL", func(w http.ResponseWriter, r *http.Request, n int) { http.NotFound(w, r) }, "地址可能有误"},
		{"redirect", func(w http.ResponseWriter, r *http.Request, n int) {
			http.Redirect(w, r, "https://elsewhere/", http.StatusFound)
		}, "重定向"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := newLaptop(t, 3, 1)
			f := newFake(t, c.answer)
			cl := newClient(t, db, f.srv.URL, client.Options{Workers: 1})
			res, err := cl.SendPending(context.Background())
			if err != nil || !res.Paused || !strings.Contains(res.PauseReason, c.want) || res.Remaining != 3 {
				t.Fatalf("%+v %v; want paused with %q", res, err, c.want)
			}
			if n := len(f.called()); n != 1 {
				t.Errorf("%d requests after a global error, want 1", n)
			}
			for id, it := range states(t, db) {
				if it.State != model.StateQueued || it.Attempts != 0 {
					t.Errorf("%s marked %s after a global error", id, it.State)
				}
			}
			st, _ := client.GetStatus(db)
			if !st.Paused || st.PauseReason != res.PauseReason || st.Queued != 3 {
				t.Errorf("status %+v", st)
			}
		})
	}
}

func TestNetworkLevelErrors(t *testing.T) {
	t.Run("DNS pauses", func(t *testing.T) {
		db := newLaptop(t, 2, 1)
		hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return nil, &net.DNSError{Err: "no such host", Name: "platform.invalid", IsNotFound: true}
		}}}
		res, err := newClient(t, db, "https://platform.invalid", client.Options{HTTPClient: hc}).SendPending(context.Background())
		if err != nil || !res.Paused || !strings.Contains(res.PauseReason, "DNS") {
			t.Errorf("%+v %v", res, err)
		}
	})
	t.Run("untrusted TLS certificate pauses", func(t *testing.T) {
		db := newLaptop(t, 2, 1)
		srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
		defer srv.Close()
		res, err := newClient(t, db, srv.URL, client.Options{}).SendPending(context.Background())
		if err != nil || !res.Paused || !strings.Contains(res.PauseReason, "TLS") {
			t.Errorf("%+v %v", res, err)
		}
	})
	t.Run("https to an http server pauses", func(t *testing.T) {
		db := newLaptop(t, 1, 1)
		f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {})
		res, err := newClient(t, db, strings.Replace(f.srv.URL, "http:", "https:", 1), client.Options{}).SendPending(context.Background())
		if err != nil || !res.Paused || !strings.Contains(res.PauseReason, "TLS") {
			t.Errorf("%+v %v", res, err)
		}
	})
	// An http:// address for an HTTPS server: whether the laptop reads the
	// TLS server's 400 or has its upload reset, the queue pauses, every
	// time, with a message saying to use https://.
	t.Run("http to an https server pauses, every time", func(t *testing.T) {
		srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
		defer srv.Close()
		plain := strings.Replace(srv.URL, "https:", "http:", 1)
		for round := range 12 {
			db := newLaptop(t, 1, 1)
			res, err := newClient(t, db, plain, client.Options{}).SendPending(context.Background())
			if err != nil || !res.Paused || !strings.Contains(res.PauseReason, "请改用 https://") || res.Failed != 0 {
				t.Fatalf("round %d: %+v %v", round, res, err)
			}
		}
	})
	t.Run("http to an https server that resets plain text pauses", func(t *testing.T) {
		tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
		cert := tlsSrv.TLS.Certificates
		tlsSrv.Close()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				go func(c net.Conn) {
					first := make([]byte, 1)
					if _, err := io.ReadFull(c, first); err != nil || first[0] != 0x16 {
						c.(*net.TCPConn).SetLinger(0) // reset: the race's other outcome
						c.Close()
						return
					}
					tc := tls.Server(&prefixed{Conn: c, first: first}, &tls.Config{Certificates: cert})
					tc.Handshake()
					tc.Close()
				}(c)
			}
		}()
		db := newLaptop(t, 2, 1)
		res, err := newClient(t, db, "http://"+ln.Addr().String(), client.Options{}).SendPending(context.Background())
		if err != nil || !res.Paused || !strings.Contains(res.PauseReason, "请改用 https://") || res.Failed != 0 {
			t.Errorf("%+v %v", res, err)
		}
	})
	t.Run("connection refused retries", func(t *testing.T) {
		db := newLaptop(t, 2, 1)
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		url := "http://" + ln.Addr().String()
		ln.Close()
		res, err := newClient(t, db, url, client.Options{}).SendPending(context.Background())
		if err != nil || res.Paused || res.Failed != 2 || res.Remaining != 2 {
			t.Errorf("%+v %v", res, err)
		}
		for id, it := range states(t, db) {
			// In Chinese with what to do; never Go's "dial tcp ...: connection refused".
			if it.State != model.StateSendFailed || it.Attempts != 1 || !strings.Contains(it.LastError, "连接被拒绝") ||
				!strings.Contains(it.LastError, "自动重试") || strings.Contains(it.LastError, "dial") || strings.Contains(it.LastError, "refused") {
				t.Errorf("%s: %+v", id, it)
			}
		}
	})
}

// prefixed is a connection whose first bytes were already read.
type prefixed struct {
	net.Conn
	first []byte
}

func (p *prefixed) Read(b []byte) (int, error) {
	if len(p.first) > 0 {
		n := copy(b, p.first)
		p.first = p.first[n:]
		return n, nil
	}
	return p.Conn.Read(b)
}

// Per-report refusals mark that report and go on; server errors stop the
// enterprise's queue (FIFO) but not the others.
func TestPerItemErrors(t *testing.T) {
	db := newLaptop(t, 2, 3)
	items, _ := db.Outbox()
	// Enterprise 1: its first report is refused, the others go through.
	// Enterprise 2: its first report fails with 503, the others must wait.
	refuse, fail := items[0].AssessmentID, items[3].AssessmentID
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch r.PathValue("id") {
		case refuse:
			jsonError(w, 422, "报告不是规范格式")
		case fail:
			w.Header().Set("Retry-After", "7")
			jsonError(w, 503, "服务正在停止")
		default:
			receipt(w, r, n)
		}
	})
	res, err := newClient(t, db, f.srv.URL, client.Options{Workers: 2}).SendPending(context.Background())
	if err != nil || res.Sent != 2 || res.Rejected != 1 || res.Failed != 1 || res.Remaining != 3 || res.RetryAfter != 7*time.Second || res.Paused {
		t.Fatalf("%+v %v", res, err)
	}
	for _, id := range f.called() {
		if id == items[4].AssessmentID || id == items[5].AssessmentID {
			t.Errorf("report %s of enterprise 2 overtook the failed one", id)
		}
	}
	st := states(t, db)
	if it := st[refuse]; it.State != model.StateRejected || it.LastError != "报告不是规范格式（HTTP 422）" {
		t.Errorf("refused: %+v", it)
	}
	if it := st[fail]; it.State != model.StateSendFailed || !strings.Contains(it.LastError, "服务正在停止") {
		t.Errorf("failed: %+v", it)
	}
	status, err := client.GetStatus(db)
	if err != nil || status.Sent != 2 || status.Rejected != 1 || status.Failed != 1 || status.Queued != 2 || len(status.Items) != 4 {
		t.Errorf("status %+v %v", status, err)
	}
	// A rejected report is not sent again; the failed one goes first next time.
	before := len(f.called())
	res, err = newClient(t, db, f.srv.URL, client.Options{Workers: 2}).SendPending(context.Background())
	calls := f.called()[before:]
	if err != nil || res.Failed != 1 || len(calls) != 1 || calls[0] != fail {
		t.Errorf("second pass: %+v %v, calls %v", res, err, calls)
	}
}

func TestWatch(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	t.Run("backs off until the server recovers", func(t *testing.T) {
		db := newLaptop(t, 2, 2)
		f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
			if n <= 5 {
				jsonError(w, 500, "数据库忙")
				return
			}
			receipt(w, r, n)
		})
		var passes int
		res, err := newClient(t, db, f.srv.URL, client.Options{}).Watch(ctx, client.WatchOptions{
			MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond, NetState: func() string { return "" },
			OnPass: func(client.Result) { passes++ },
		})
		if err != nil || !res.Done() || passes < 2 {
			t.Fatalf("%+v %v after %d passes", res, err, passes)
		}
		if st, _ := client.GetStatus(db); st.Sent != 4 || len(st.Items) != 0 {
			t.Errorf("status %+v", st)
		}
	})
	t.Run("wakes when the network changes", func(t *testing.T) {
		db := newLaptop(t, 1, 1)
		var mu sync.Mutex
		online := false
		f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
			mu.Lock()
			defer mu.Unlock()
			if !online {
				jsonError(w, 503, "离线")
				return
			}
			receipt(w, r, n)
		})
		polls := 0
		netState := func() string {
			mu.Lock()
			defer mu.Unlock()
			polls++
			if polls == 3 { // the network "comes back" while Watch waits
				online = true
			}
			return fmt.Sprint(online)
		}
		res, err := newClient(t, db, f.srv.URL, client.Options{}).Watch(ctx, client.WatchOptions{
			MinBackoff: time.Hour, NetPoll: time.Millisecond, NetState: netState,
		})
		if err != nil || !res.Done() {
			t.Fatalf("%+v %v", res, err)
		}
	})
	t.Run("wake channel", func(t *testing.T) {
		db := newLaptop(t, 1, 1)
		var mu sync.Mutex
		up := false
		f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
			mu.Lock()
			defer mu.Unlock()
			if !up {
				jsonError(w, 503, "离线")
				return
			}
			receipt(w, r, n)
		})
		wake := make(chan struct{})
		go func() {
			mu.Lock()
			up = true
			mu.Unlock()
			wake <- struct{}{}
		}()
		res, err := newClient(t, db, f.srv.URL, client.Options{}).Watch(ctx, client.WatchOptions{
			MinBackoff: time.Hour, NetPoll: time.Hour, NetState: func() string { return "" }, Wake: wake,
		})
		if err != nil || !res.Done() {
			t.Fatalf("%+v %v", res, err)
		}
	})
	t.Run("stops with the context", func(t *testing.T) {
		db := newLaptop(t, 1, 1)
		f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) { jsonError(w, 503, "离线") })
		cctx, ccancel := context.WithCancel(ctx)
		_, err := newClient(t, db, f.srv.URL, client.Options{}).Watch(cctx, client.WatchOptions{
			MinBackoff: time.Hour, NetState: func() string { return "" },
			OnPass: func(client.Result) { ccancel() },
		})
		if err != context.Canceled {
			t.Errorf("err %v, want context.Canceled", err)
		}
	})
}

func TestOptions(t *testing.T) {
	db := newLaptop(t, 0, 0)
	if _, err := client.New(db, client.Options{}); err == nil || !strings.Contains(err.Error(), "服务器地址") {
		t.Errorf("no server: %v", err)
	}
	if _, err := client.New(db, client.Options{Server: "ftp://x"}); err == nil {
		t.Error("ftp URL accepted")
	}
	if _, err := client.New(db, client.Options{Server: "https://platform.example"}); err == nil || !strings.Contains(err.Error(), "令牌") {
		t.Errorf("no token: %v", err)
	}
	if err := client.Remember(db, "https://platform.example/", "dlt_a_b"); err != nil {
		t.Fatal(err)
	}
	c, err := client.New(db, client.Options{})
	if err != nil || c.Server() != "https://platform.example" {
		t.Errorf("settings not used: %v", err)
	}
	if err := client.Remember(db, "not a url", ""); err == nil {
		t.Error("bad URL remembered")
	}
}

// Two passes started at once on one client do not overlap: every report is
// sent once and the store stays consistent.
func TestConcurrentPassesOnOneClient(t *testing.T) {
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
	db := newLaptop(t, 4, 2)
	c, err := client.New(db, client.Options{Server: env.URL, Token: env.Token(t, provider, serverstore.RoleProvider)})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]client.Result, 2)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := c.SendPending(context.Background())
			if err != nil {
				t.Error(err)
			}
			results[i] = res
		}()
	}
	wg.Wait()
	if results[0].Sent+results[1].Sent != 8 || results[0].Existing+results[1].Existing != 0 {
		t.Errorf("results %+v", results)
	}
	fixture.RequireExactlyOnce(t, env.Store, fixture.Finalized(t, db), db)
}
