package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage"
	"digilevel/storage/serverstore"
	"digilevel/sync/protocol"
)

const testProvider = "测试服务商"

// laptopWithReports creates a laptop database with n finalized reports of
// testProvider (the first with an evidence file) and returns its path.
func laptopWithReports(t *testing.T, dir string, n int) string {
	t.Helper()
	path := filepath.Join(dir, "laptop.db")
	db, err := storage.Open(path, storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := range n {
		addFinalized(t, db, dir, i, i == 0)
	}
	return path
}

func addFinalized(t *testing.T, db *storage.DB, dir string, i int, evidence bool) model.Assessment {
	t.Helper()
	return addFinalizedAs(t, db, dir, i, evidence, testProvider)
}

// addFinalizedAs is addFinalized with the assessor organisation org.
func addFinalizedAs(t *testing.T, db *storage.DB, dir string, i int, evidence bool, org string) model.Assessment {
	t.Helper()
	who := model.Change{Who: "测试"}
	body := fmt.Sprintf("91410700MA%07d", 100+i)
	ch, _ := model.CreditCodeCheckChar(body)
	code := body + string(ch)
	if _, err := db.Enterprise(code); err != nil {
		e := model.Enterprise{Code: code, Name: fmt.Sprintf("命令行测试企业 %d", i), Batch: 1, ZJTX: model.ZJTXNone,
			Revenue: []model.YearRevenue{{Year: 2025, Wan: "3000"}}}
		if _, err := db.CreateEnterprise(e, who); err != nil {
			t.Fatal(err)
		}
	}
	a, err := db.CreateAssessment(storage.NewAssessment{Enterprise: code, Kind: model.KindBaseline,
		Assessor: model.Assessor{Org: org, Person: "李顾问"}}, who)
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := indicators.Embedded(indicators.DefaultEdition)
	for _, q := range cat.DefaultQuestionnaire().Questions() {
		if _, err := db.SaveAnswer(a.ID, q.ID, []string{q.Options[len(q.Options)-1].ID}, who); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range cat.Scenarios {
		if _, err := db.SaveRating(a.ID, s.ID, 2, who); err != nil {
			t.Fatal(err)
		}
	}
	if evidence {
		p := filepath.Join(dir, "设备台账.txt")
		os.WriteFile(p, []byte("设备台账内容"), 0o600)
		if _, err := db.AddEvidence(a.ID, "Q01", storage.EvidenceFile{Path: p, Data: []byte("设备台账内容")}, who); err != nil {
			t.Fatal(err)
		}
	}
	a, err = db.Finalize(a.ID, who)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// freeAddr finds a loopback port that is free now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitListening(t *testing.T, addr string) {
	t.Helper()
	for range 500 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("server on %s did not start", addr)
}

// serveInProcess runs `serve` until stop is called; stop returns its exit
// code and stderr.
func serveInProcess(t *testing.T, dbPath, addr string) (stop func() (int, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	type result struct {
		code   int
		stderr string
	}
	done := make(chan result, 1)
	go func() {
		var out, errb strings.Builder
		code := run(ctx, []string{"--db", dbPath, "serve", "--addr", addr}, streams{in: strings.NewReader(""), out: &out, err: &errb}, func(string) string { return "" })
		done <- result{code, errb.String()}
	}()
	waitListening(t, addr)
	var r *result
	stop = func() (int, string) {
		if r == nil {
			cancel()
			res := <-done
			r = &res
		}
		return r.code, r.stderr
	}
	t.Cleanup(func() { stop() })
	return stop
}

func TestServeTokenCommands(t *testing.T) {
	srv := filepath.Join(t.TempDir(), "server.db")
	out, errs, code := runCLI(t, "", nil, "--db", srv, "serve", "token", "add", "--provider", testProvider, "--expires", "90d")
	token := strings.TrimSpace(out)
	if code != 0 || !strings.HasPrefix(token, "dlt_") || strings.Count(out, "\n") != 1 || strings.Contains(errs, token) || !strings.Contains(errs, "只显示这一次") {
		t.Fatalf("token add: %d %q %q", code, out, errs)
	}
	id := strings.SplitN(strings.TrimPrefix(token, "dlt_"), "_", 2)[0]
	if _, _, code := runCLI(t, "", nil, "--db", srv, "serve", "token", "add", "--provider", "区抽查组", "--role", "inspector", "--expires", "2099-12-31"); code != 0 {
		t.Fatal("inspector token")
	}
	out, _, code = runCLI(t, "", nil, "--db", srv, "serve", "token", "list", "--json")
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != 0 || len(list) != 2 || strings.Contains(out, token[len(id)+5:]) || strings.Contains(out, "secret") {
		t.Fatalf("token list: %d %s", code, out)
	}
	if out, _, code := runCLI(t, "", nil, "--db", srv, "serve", "token", "revoke", id); code != 0 || !strings.Contains(out, "已吊销") {
		t.Errorf("revoke: %d %s", code, out)
	}
	if out, _, code := runCLI(t, "", nil, "--db", srv, "serve", "token", "list"); code != 0 || !strings.Contains(out, "已吊销") || !strings.Contains(out, "抽查人员") {
		t.Errorf("list: %d %s", code, out)
	}
	if out, _, code := runCLI(t, "", nil, "--db", srv, "serve", "token", "rebind", id); code != 0 || !strings.Contains(out, "已清除") {
		t.Errorf("rebind: %d %s", code, out)
	}
	out, errs, code = runCLI(t, "", nil, "--db", srv, "serve", "token", "add", "--provider", "x", "--expires", "明天")
	wantInputError(t, out, errs, code, "--expires")
	out, errs, code = runCLI(t, "", nil, "--db", srv, "serve", "token", "add", "--provider", "x", "--role", "admin")
	wantInputError(t, out, errs, code, "角色")
	out, errs, code = runCLI(t, "", nil, "serve", "check")
	wantInputError(t, out, errs, code, "--db")
	if out, _, code := runCLI(t, "", nil, "--db", srv, "serve", "check"); code != 0 || !strings.Contains(out, "完好") {
		t.Errorf("check: %d %s", code, out)
	}
	laptop := laptopWithReports(t, t.TempDir(), 0)
	out, errs, code = runCLI(t, "", nil, "--db", laptop, "serve", "check")
	wantInputError(t, out, errs, code, "不是 digilevel 服务器数据库")
}

// Times are Beijing time whatever the machine's zone (the tests run in
// UTC): a token valid through 2099-12-31 expires at midnight Beijing time,
// the table shows that, and JSON says it with +08:00.
func TestTimesShownInBeijing(t *testing.T) {
	srv := filepath.Join(t.TempDir(), "server.db")
	if _, _, code := runCLI(t, "", nil, "--db", srv, "serve", "token", "add", "--provider", "区抽查组", "--role", "inspector", "--expires", "2099-12-31"); code != 0 {
		t.Fatal("token add")
	}
	out, _, code := runCLI(t, "", nil, "--db", srv, "serve", "token", "list")
	if code != 0 || !strings.Contains(out, "2100-01-01 00:00") {
		t.Errorf("token list does not show Beijing time:\n%s", out)
	}
	out, _, code = runCLI(t, "", nil, "--db", srv, "serve", "token", "list", "--json")
	if code != 0 || !strings.Contains(out, `"expires_at": "2100-01-01T00:00:00+08:00"`) || !strings.Contains(out, "+08:00") {
		t.Errorf("token list --json: %s", out)
	}
}

func TestSyncCommands(t *testing.T) {
	dir := t.TempDir()
	laptop := laptopWithReports(t, dir, 3)
	srv := filepath.Join(dir, "server.db")
	tokOut, _, _ := runCLI(t, "", nil, "--db", srv, "serve", "token", "add", "--provider", testProvider)
	token := strings.TrimSpace(tokOut)
	addr := freeAddr(t)
	stop := serveInProcess(t, srv, addr)
	url := "http://" + addr

	out, errs, code := runCLI(t, "", nil, "--db", laptop, "sync", "--server", url, "--token", token)
	if code != 0 || !strings.Contains(out, "新发送 3 份") || !strings.Contains(out, "剩余 0 份") {
		t.Fatalf("sync: %d %q %q", code, out, errs)
	}
	out, _, code = runCLI(t, "", nil, "--db", laptop, "sync", "status", "--json")
	var st struct {
		Queued, Sent, Failed, Rejected int
		Items                          []any
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != 0 || st.Sent != 3 || st.Queued+st.Failed+st.Rejected != 0 || len(st.Items) != 0 {
		t.Fatalf("status: %d %s", code, out)
	}
	// The office's dashboard is served beside the API: its pages need a session.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if resp, err := noFollow.Get(url + "/providers"); err != nil || resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("dashboard without a session: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	// Settings are remembered.
	if out, errs, code := runCLI(t, "", nil, "--db", laptop, "sync"); code != 0 || !strings.Contains(out, "队列为空") {
		t.Errorf("second sync: %d %q %q", code, out, errs)
	}
	// A bad token pauses the queue and says why.
	db, _ := storage.Open(laptop, storage.Options{})
	addFinalized(t, db, dir, 7, false)
	db.Close()
	out, errs, code = runCLI(t, "", nil, "--db", laptop, "sync", "--token", "dlt_nope_nope")
	if code != 1 || !strings.Contains(errs, "发送已暂停: 访问令牌无效（HTTP 401）") {
		t.Errorf("bad token: %d %q %q", code, out, errs)
	}
	if out, _, _ := runCLI(t, "", nil, "--db", laptop, "sync", "status"); !strings.Contains(out, "发送已暂停") || !strings.Contains(out, "待发送 1 份") {
		t.Errorf("status after pause: %s", out)
	}
	if code, errs := stop(); code != 0 || !strings.Contains(errs, "平台服务已停止") || strings.Contains(errs, token) || strings.Contains(errs, "dlt_nope") {
		t.Errorf("serve: %d %q", code, errs)
	}
	// Server down: the report fails and waits (a retry, not a pause).
	out, errs, code = runCLI(t, "", nil, "--db", laptop, "sync", "--token", token, "--json")
	var res struct {
		Failed, Remaining int
		Paused            bool
	}
	if json.Unmarshal([]byte(out), &res); code != 1 || res.Failed != 1 || res.Remaining != 1 || res.Paused || !strings.Contains(errs, "还有 1 份报告未发送") {
		t.Errorf("server down: %d %q %q", code, out, errs)
	}
	out, _, code = runCLI(t, "", nil, "--db", srv, "serve", "reports", "list", "--json")
	var reports []struct{ ID, SHA256 string }
	if err := json.Unmarshal([]byte(out), &reports); err != nil || code != 0 || len(reports) != 3 || len(reports[0].SHA256) != 64 {
		t.Fatalf("reports list: %d %s", code, out)
	}
	if out, _, code := runCLI(t, "", nil, "--db", srv, "serve", "check"); code != 0 || !strings.Contains(out, "3 份报告") {
		t.Errorf("serve check: %d %s", code, out)
	}
	// The server is back (elsewhere): --watch sends what is left and stops.
	addr = freeAddr(t)
	serveInProcess(t, srv, addr)
	out, errs, code = runCLI(t, "", nil, "--db", laptop, "sync", "--watch", "--server", "http://"+addr)
	if code != 0 || !strings.Contains(out, "第 1 轮: 新发送 1 份") {
		t.Errorf("--watch: %d %q %q", code, out, errs)
	}
	if out, _, _ := runCLI(t, "", nil, "--db", laptop, "sync", "status"); strings.Contains(out, "暂停") || !strings.Contains(out, "已发送 4 份") {
		t.Errorf("status after watch: %s", out)
	}
}

func TestBundleAndVerifyCommands(t *testing.T) {
	dir := t.TempDir()
	laptop := laptopWithReports(t, dir, 2)
	srv := filepath.Join(dir, "server.db")
	zip := filepath.Join(dir, "包.zip")
	out, errs, code := runCLI(t, "", nil, "--db", laptop, "bundle", "export", "-o", zip)
	if code != 0 || !strings.Contains(out, "已导出 2 份报告、1 个佐证材料") {
		t.Fatalf("export: %d %q %q", code, out, errs)
	}
	if out, errs, code := runCLI(t, "", nil, "verify", zip); code != 0 || strings.Count(out, "报告有效") != 2 {
		t.Errorf("verify bundle: %d %q %q", code, out, errs)
	}
	receipts := filepath.Join(dir, "回执.json")
	out, errs, code = runCLI(t, "", nil, "--db", srv, "serve", "import", "--provider", testProvider, "-o", receipts, zip)
	if code != 0 || !strings.Contains(errs, "接收 2 份（新 2 份") {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	if _, errs, _ := runCLI(t, "", nil, "--db", srv, "serve", "import", "--provider", testProvider, "-o", receipts, zip); !strings.Contains(errs, "新 0 份，平台已有 2 份") {
		t.Errorf("import twice: %q", errs)
	}
	if out, errs, code := runCLI(t, "", nil, "--db", laptop, "bundle", "receipts", receipts); code != 0 || !strings.Contains(out, "已标记为已发送 2 份") {
		t.Errorf("receipts: %d %q %q", code, out, errs)
	}
	if out, _, _ := runCLI(t, "", nil, "--db", laptop, "bundle", "export", "-o", filepath.Join(dir, "空.zip")); !strings.Contains(out, "没有未发送的报告") {
		t.Errorf("second export: %q", out)
	}
	bad := filepath.Join(dir, "bad.zip")
	os.WriteFile(bad, []byte("PK\x03\x04 junk"), 0o600)
	out, errs, code = runCLI(t, "", nil, "--db", srv, "serve", "import", "--provider", testProvider, bad)
	wantInputError(t, out, errs, code, "数据包无效")
	os.WriteFile(receipts, []byte(`{"format":"other"}`), 0o600)
	out, errs, code = runCLI(t, "", nil, "--db", laptop, "bundle", "receipts", receipts)
	wantInputError(t, out, errs, code, "回执文件格式")
}

func TestVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	laptop := laptopWithReports(t, dir, 1)
	db, _ := storage.Open(laptop, storage.Options{})
	items, _ := db.Outbox()
	body, _ := db.StoredReport(items[0].AssessmentID)
	db.Close()
	good := filepath.Join(dir, "report.json")
	os.WriteFile(good, body, 0o600)
	out, errs, code := runCLI(t, "", nil, "verify", good)
	if code != 0 || !strings.Contains(out, "报告有效") || !strings.Contains(out, "重新计分: 与报告所记目录重新计算的结果一致") || !strings.Contains(out, model.HashReport(body)) {
		t.Fatalf("valid: %d %q %q", code, out, errs)
	}
	out, _, code = runCLI(t, "", nil, "verify", "--json", good)
	var res []struct {
		Valid    bool
		Rescored bool
		ID       string
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 || len(res) != 1 || !res[0].Valid || !res[0].Rescored || res[0].ID != items[0].AssessmentID {
		t.Errorf("--json: %d %s", code, out)
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"content changed", []byte(strings.Replace(string(body), "命令行测试企业", "另一家企业", 1)), "签名无效"},
		{"reformatted", append(append([]byte(nil), body...), '\n'), "不是规范格式"},
		{"junk", []byte("{not json"), "不是有效的 JSON"},
	} {
		path := filepath.Join(dir, c.name+".json")
		os.WriteFile(path, c.data, 0o600)
		out, errs, code := runCLI(t, "", nil, "verify", path)
		if code != exitCheck || !strings.Contains(errs, "digilevel: 错误: 报告无效: ") || !strings.Contains(errs, c.want) {
			t.Errorf("%s: %d %q %q", c.name, code, out, errs)
		}
	}
	out, errs, code = runCLI(t, "", nil, "verify", filepath.Join(dir, "missing.json"))
	wantInputError(t, out, errs, code, "missing.json")
}

// The real binary (this test binary running main) stops on SIGTERM after
// finishing what it accepted, exit code 0.
func TestServeStopsOnSIGTERM(t *testing.T) {
	dir := t.TempDir()
	laptop := laptopWithReports(t, dir, 2)
	srv := filepath.Join(dir, "server.db")
	tokOut, _, _ := runCLI(t, "", nil, "--db", srv, "serve", "token", "add", "--provider", testProvider)
	addr := freeAddr(t)
	cmd := exec.Command(os.Args[0], "--db", srv, "serve", "--addr", addr)
	// A machine zone far from Beijing: the log must not follow it.
	cmd.Env = append(os.Environ(), "DIGILEVEL_TEST_AS_MAIN=1", "TZ=America/New_York")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	waitListening(t, addr)
	if out, errs, code := runCLI(t, "", nil, "--db", laptop, "sync", "--server", "http://"+addr, "--token", strings.TrimSpace(tokOut)); code != 0 {
		t.Fatalf("sync: %d %q %q", code, out, errs)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	// Read stderr to its end before Wait: Wait closes the pipe, and lines
	// still unread would be lost (os/exec's StderrPipe contract).
	var all []string
	for l := range lines {
		all = append(all, l)
	}
	err := cmd.Wait()
	if err != nil || !strings.Contains(strings.Join(all, "\n"), "平台服务已停止") {
		t.Fatalf("serve after SIGTERM: %v\n%s", err, strings.Join(all, "\n"))
	}
	requests := 0
	for _, l := range all {
		if strings.Contains(l, "msg=request") {
			requests++
			if !regexp.MustCompile(`^time=\S+\+08:00 `).MatchString(l) {
				t.Errorf("log line not in Beijing time: %s", l)
			}
		}
	}
	if requests == 0 {
		t.Errorf("no request logged:\n%s", strings.Join(all, "\n"))
	}
	st, err := serverstore.Open(srv, serverstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, _ := st.LastSeq(); n != 2 {
		t.Errorf("%d reports on the server after SIGTERM, want 2", n)
	}
}

// SIGTERM while an upload is still sending its body: the upload is
// answered 503 with Retry-After (not cut without an answer), the log has
// no Go error text, and serve exits 0.
func TestServeSIGTERMDuringSlowUpload(t *testing.T) {
	dir := t.TempDir()
	laptop := laptopWithReports(t, dir, 1)
	db, err := storage.Open(laptop, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	items, _ := db.Outbox()
	body, _ := db.StoredReport(items[0].AssessmentID)
	db.Close()
	srv := filepath.Join(dir, "server.db")
	tokOut, _, _ := runCLI(t, "", nil, "--db", srv, "serve", "token", "add", "--provider", testProvider)
	addr := freeAddr(t)
	cmd := exec.Command(os.Args[0], "--db", srv, "serve", "--addr", addr, "--shutdown-timeout", "2s")
	cmd.Env = append(os.Environ(), "DIGILEVEL_TEST_AS_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitListening(t, addr)
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPut, protocol.ReportURL("http://"+addr, items[0].AssessmentID), pr)
	req.ContentLength = int64(len(body))
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(tokOut))
	req.Header.Set(protocol.HeaderSHA256, items[0].SHA256)
	req.Header.Set(protocol.HeaderIdempotencyKey, protocol.IdempotencyKey(items[0].AssessmentID, items[0].SHA256))
	type result struct {
		resp *http.Response
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		got <- result{resp, err}
	}()
	pw.Write(body[:len(body)/2])
	time.Sleep(200 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGTERM)
	r := <-got
	pw.Close()
	if r.err != nil {
		t.Fatalf("slow upload got no answer: %v", r.err)
	}
	data, _ := io.ReadAll(r.resp.Body)
	r.resp.Body.Close()
	if r.resp.StatusCode != http.StatusServiceUnavailable || r.resp.Header.Get("Retry-After") == "" || !strings.Contains(string(data), "正在停止") {
		t.Errorf("slow upload: %d Retry-After %q %s", r.resp.StatusCode, r.resp.Header.Get("Retry-After"), data)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve exit: %v\n%s", err, stderr.String())
	}
	log := stderr.String()
	if !strings.Contains(log, "平台服务已停止") || !strings.Contains(log, "status=503") || strings.Contains(log, "status=400") || strings.Contains(log, "context deadline") {
		t.Errorf("serve log:\n%s", log)
	}
}

// The TUI's platform is the sync client on the stored settings: without a
// server and token it does nothing; a paused queue reaches the sync screen
// with its reason; the connection check says whose the token is.
func TestTUIPlatform(t *testing.T) {
	dir := t.TempDir()
	laptop := laptopWithReports(t, dir, 2)
	db, err := storage.Open(laptop, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := tuiPlatform{db}
	if res, err := p.SendPending(context.Background()); err != nil || !res.Skipped {
		t.Fatalf("without settings: %+v %v", res, err)
	}
	srv := filepath.Join(dir, "server.db")
	tokOut, _, _ := runCLI(t, "", nil, "--db", srv, "serve", "token", "add", "--provider", testProvider)
	token := strings.TrimSpace(tokOut)
	addr := freeAddr(t)
	serveInProcess(t, srv, addr)
	db.SetSettings(map[string]string{storage.SettingServerURL: "http://" + addr, storage.SettingToken: "dlt_bad_bad"})
	res, err := p.SendPending(context.Background())
	if err != nil || !res.Paused || res.PauseReason == "" || res.Sent != 0 {
		t.Errorf("bad token: %+v %v", res, err)
	}
	if st, _ := p.Status(); !st.Configured() || st.PauseReason == "" || st.Server != "http://"+addr {
		t.Errorf("status after a pause: %+v", st)
	}
	if _, err := p.Whoami(context.Background(), "http://"+addr, "dlt_bad_bad"); err == nil || !strings.Contains(err.Error(), "令牌") {
		t.Errorf("whoami with a bad token: %v", err)
	}
	who, err := p.Whoami(context.Background(), "http://"+addr, token)
	if err != nil || who.Provider != testProvider || who.Role != "provider" {
		t.Errorf("whoami: %+v %v", who, err)
	}
	db.SetSettings(map[string]string{storage.SettingToken: token})
	res, err = p.SendPending(context.Background())
	if err != nil || res.Sent != 2 {
		t.Errorf("good token: %+v %v", res, err)
	}
	if err := p.CheckServer("ftp://x"); err == nil {
		t.Error("ftp address accepted")
	}
}
