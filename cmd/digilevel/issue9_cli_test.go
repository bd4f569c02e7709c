package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage"
	"digilevel/sync/client"
)

// requireDatabaseIntact opens the database and checks it still holds the
// enterprise and passes its check.
func requireDatabaseIntact(t *testing.T, path, code string) {
	t.Helper()
	db, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatalf("database no longer opens: %v", err)
	}
	defer db.Close()
	if _, err := db.Enterprise(code); err != nil {
		t.Errorf("enterprise %s lost: %v", code, err)
	}
	if problems, err := db.Check(); err != nil || len(problems) > 0 {
		t.Errorf("check: %v %v", problems, err)
	}
}

// Item 5: -o never writes over the database, a device, a directory or a
// link, whatever the command.
func TestOutputNeverReplacesTheDatabaseOrADevice(t *testing.T) {
	c := newCLI(t)
	c.ok("enterprise", "add", "--name", "新乡甲机械有限公司", "--code", code1, "--batch", "1")
	id := strings.TrimSpace(c.ok("assessment", "new", "--enterprise", code1, "--kind", "baseline"))
	dir := t.TempDir()
	link := filepath.Join(dir, "link.html")
	os.Symlink(c.db, link)
	other := filepath.Join(dir, "other.db") // another digilevel database, not in use
	if db, err := storage.Open(other, storage.Options{}); err == nil {
		db.Close()
	}
	before, _ := os.ReadFile(other)
	targets := []string{c.db, other, "/dev/null", dir, link}
	for _, target := range targets {
		for _, args := range [][]string{
			{"report", id, "--format", "html", "-o", target},
			{"report", id, "--format", "md", "-o", target},
			{"export", "--format", "csv", "-o", target},
			{"export", "-o", target},
		} {
			out, errs, code := c.run("", args...)
			if code != exitInput || out != "" || !strings.Contains(errs, "无法写入 "+target) {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 refusing %s", args, code, out, errs, target)
			}
		}
	}
	requireDatabaseIntact(t, c.db, code1)
	if after, _ := os.ReadFile(other); !bytes.Equal(before, after) {
		t.Error("another database was overwritten")
	}
	if fi, err := os.Lstat("/dev/null"); err != nil || fi.Mode()&fs.ModeDevice == 0 {
		t.Errorf("/dev/null is no longer a device: %v", err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&fs.ModeSymlink == 0 {
		t.Error("the link was replaced")
	}
	// A backup never replaces the database itself either.
	out, errs, code := c.run("", "backup", c.db)
	if code != exitInput || !strings.Contains(errs, "不能是数据库本身") {
		t.Errorf("backup over itself: %d %q %q", code, out, errs)
	}
	requireDatabaseIntact(t, c.db, code1)
}

// Item 5 for bundles: bundle export -o the database is refused, and with
// nothing to export an existing file of that name is left alone.
func TestBundleExportNeverReplacesFiles(t *testing.T) {
	dir := t.TempDir()
	laptop := laptopWithReports(t, dir, 1)
	out, errs, code := runCLI(t, "", nil, "--db", laptop, "bundle", "export", "-o", laptop)
	if code != exitInput || !strings.Contains(errs, "无法写入") {
		t.Errorf("bundle export over the database: %d %q %q", code, out, errs)
	}
	db, err := storage.Open(laptop, storage.Options{})
	if err != nil {
		t.Fatalf("database lost: %v", err)
	}
	if items, _ := db.Outbox(); len(items) != 1 {
		t.Errorf("outbox after the refused export: %d items", len(items))
	}
	db.Close()
	empty := filepath.Join(dir, "empty.db")
	keep := filepath.Join(dir, "重要.zip")
	os.WriteFile(keep, []byte("keep me"), 0o600)
	if out, errs, code := runCLI(t, "", nil, "--db", empty, "bundle", "export", "-o", keep); code != 0 || !strings.Contains(out, "没有未发送的报告") {
		t.Errorf("empty export: %d %q %q", code, out, errs)
	}
	if data, err := os.ReadFile(keep); err != nil || string(data) != "keep me" {
		t.Errorf("an export with nothing to write touched %s: %q %v", keep, data, err)
	}
}

// Item 13: temporary files left by a backup or bundle export killed with
// kill -9 (names of this and of earlier versions) are removed by the next
// run into that directory, never one another process is still writing.
func TestLeftoverTempFilesAreCleanedUp(t *testing.T) {
	dir := t.TempDir()
	laptop := laptopWithReports(t, dir, 1)
	out := filepath.Join(t.TempDir(), "backups")
	os.Mkdir(out, 0o700)
	for _, name := range []string{".digilevel-tmp-111", ".digilevel-backup-222", ".digilevel-tmp-333"} {
		os.WriteFile(filepath.Join(out, name), bytes.Repeat([]byte("x"), 1<<16), 0o600)
	}
	busy := filepath.Join(out, ".digilevel-tmp-busy")
	f, _ := os.Create(busy)
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	if o, e, code := runCLI(t, "", nil, "--db", laptop, "backup", filepath.Join(out, "备份.db")); code != 0 {
		t.Fatalf("backup: %d %q %q", code, o, e)
	}
	if o, e, code := runCLI(t, "", nil, "--db", laptop, "bundle", "export", "-o", filepath.Join(out, "包.zip")); code != 0 {
		t.Fatalf("bundle export: %d %q %q", code, o, e)
	}
	entries, _ := os.ReadDir(out)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{".digilevel-tmp-busy", "包.zip", "备份.db"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("directory holds %v, want %v", names, want)
	}
}

// Item 14: backup waits for a process that holds the database for a
// moment (a pass of sync --watch) instead of failing at once.
func TestBackupWaitsForTheLock(t *testing.T) {
	c := newCLI(t)
	c.ok("enterprise", "add", "--name", "新乡甲机械有限公司", "--code", code1, "--batch", "1")
	db, err := storage.Open(c.db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(1500*time.Millisecond, func() { db.Close() })
	out, errs, code := c.run("", "backup", filepath.Join(t.TempDir(), "b.db"))
	if code != 0 || !strings.Contains(errs, "等待它释放") || !strings.Contains(out, "已备份") {
		t.Errorf("backup while held: %d %q %q", code, out, errs)
	}
}

// Item 6: control and bidi characters are refused at the command line, and
// whatever reaches the terminal (errors echoing an argument, stored text)
// is shown with them replaced.
func TestCLITextRuleAndSafeOutput(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{
		{"enterprise", "add", "--name", "红旗\x1b]0;pwned\x07", "--code", code1, "--batch", "1"},
		{"enterprise", "add", "--name", "\u200b\u200b", "--code", code1, "--batch", "1"},
		{"enterprise", "add", "--name", "公司\u202egpj.exe", "--code", code1, "--batch", "1"},
		{"enterprise", "add", "--name", "公司\xff", "--code", code1, "--batch", "1"},
		{"enterprise", "add", "--name", "甲", "--code", "000000000000000000", "--batch", "1"},
		{"enterprise", "add", "--name", "甲", "--code", code1, "--batch", "1", "--notes", "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07"},
		{"config", "--assessor-org", "服务商\x1b[2J"},
	} {
		out, errs, code := c.run("", args...)
		wantInputError(t, out, errs, code, "")
		requireSafeOutput(t, errs)
	}
	if out := c.ok("enterprise", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("something was stored: %s", out)
	}
	// An argument echoed in an error cannot act on the terminal.
	_, errs, _ := c.run("", "enterprise", "show", "\x1b]0;pwned\x07\u202e")
	requireSafeOutput(t, errs)
	if !strings.Contains(errs, "\ufffd") {
		t.Errorf("stderr %q", errs)
	}
	// Two-line notes are fine; they are shown as they are.
	c.ok("enterprise", "add", "--name", "甲", "--code", code1, "--batch", "1", "--notes", "第一行\n第二行")
	requireSafeOutput(t, c.ok("enterprise", "show", code1))
}

// requireSafeOutput fails when s holds a character that acts on a terminal.
func requireSafeOutput(t *testing.T, s string) {
	t.Helper()
	for _, r := range s {
		if model.UnsafeRune(r) && r != '\n' && r != '\t' {
			t.Fatalf("output %q holds %U", s, r)
		}
	}
}

func TestTextWriter(t *testing.T) {
	var b bytes.Buffer
	w := newTextWriter(&b)
	in := "甲\x1b]0;x\x07乙\u202e丙\r\n丁\t戊\r己\n"
	// Byte by byte: sequences cut between writes stay whole.
	for i := range len(in) {
		w.Write([]byte{in[i]})
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// CRLF line ends stay (CSV output), a lone CR does not.
	if want := "甲\ufffd]0;x\ufffd乙\ufffd丙\r\n丁\t戊\ufffd己\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	b.Reset()
	w = newTextWriter(&b)
	w.Write([]byte("ok\xe4\xb8")) // cut at the end
	w.Close()
	if b.String() != "ok\ufffd\ufffd" && b.String() != "ok\ufffd" {
		t.Errorf("cut tail: %q", b.String())
	}
	js := jsonSafe([]byte(`{"a":"x` + "\u202e\u0085" + `y"}`))
	var v map[string]string
	if err := json.Unmarshal(js, &v); err != nil || v["a"] != "x\u202e\u0085y" || bytes.ContainsRune(js, 0x202e) {
		t.Errorf("jsonSafe: %s %v", js, err)
	}
}

// failingWriter is a full disk.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

// Item 12: the exit code contract.
func TestExitCodeContract(t *testing.T) {
	dir := t.TempDir()
	// score on a directory is bad input.
	out, errs, code := runCLI(t, "", nil, "score", dir)
	wantInputError(t, out, errs, code, "目录")
	// --db on a device or a FIFO is bad input, said in Chinese.
	fifo := filepath.Join(dir, "fifo")
	syscall.Mkfifo(fifo, 0o600)
	for _, p := range []string{"/dev/null", fifo, filepath.Join(dir, "x.txt", "sub.db")} {
		if p == filepath.Join(dir, "x.txt", "sub.db") {
			os.WriteFile(filepath.Join(dir, "x.txt"), []byte("x"), 0o600)
		}
		out, errs, code := runCLI(t, "", nil, "--db", p, "enterprise", "list")
		wantInputError(t, out, errs, code, p)
	}
	// A result that could not be written is a failure, not exit 0.
	db := filepath.Join(dir, "d.db")
	runCLI(t, "", nil, "--db", db, "enterprise", "add", "--name", "甲", "--code", code1, "--batch", "1")
	var errb bytes.Buffer
	code = run(context.Background(), []string{"--db", db, "assessment", "new", "--enterprise", code1, "--kind", "baseline"},
		streams{in: strings.NewReader(""), out: failingWriter{}, err: &errb}, func(string) string { return "" })
	if code != exitFailure || !strings.Contains(errb.String(), "无法写出结果") {
		t.Errorf("assessment new > /dev/full: exit %d, stderr %q", code, errb.String())
	}
	// An import that refuses some rows and imports others is partly done.
	csv := filepath.Join(dir, "名单.csv")
	os.WriteFile(csv, []byte("企业名称,统一社会信用代码,批次\n乙,91410700MA44RN9B0U,1\n丙,000000000000000000,1\n"), 0o600)
	out, errs, code = runCLI(t, "", nil, "--db", db, "enterprise", "import", csv)
	if code != exitPartial || !strings.Contains(out, "新增 1") || !strings.Contains(errs, "第 3 行") {
		t.Errorf("partial import: %d %q %q", code, out, errs)
	}
	// An import that refuses every row changed nothing: bad input.
	os.WriteFile(csv, []byte("企业名称,统一社会信用代码,批次\n丙,000000000000000000,1\n"), 0o600)
	out, errs, code = runCLI(t, "", nil, "--db", db, "enterprise", "import", csv)
	if code != exitInput || !strings.Contains(errs, "数据库没有变化") {
		t.Errorf("import of bad rows only: %d %q %q", code, out, errs)
	}
}

// Item 11: strict input.
func TestStrictInput(t *testing.T) {
	c := newCLI(t)
	full, err := os.ReadFile(filepath.Join("testdata", "answers-complete.json"))
	if err != nil {
		t.Fatal(err)
	}
	trailing := strings.TrimSpace(string(full)) + "}}}]]]"
	out, errs, code := runCLI(t, trailing, nil, "score", "-")
	wantInputError(t, out, errs, code, "多余内容")
	dup := strings.Replace(string(full), `"answers": {`, `"answers": {"Q01": ["A"], `, 1)
	if dup == string(full) {
		dup = strings.Replace(string(full), `"answers":{`, `"answers":{"Q01":["A"],`, 1)
	}
	out, errs, code = runCLI(t, dup, nil, "score", "-")
	wantInputError(t, out, errs, code, "重复出现")

	o, e, code := c.run("", "enterprise", "add", "--name", "甲", "--code", code1, "--batch", "1", "--revenue", "2025=1", "--revenue", "2025=2")
	wantInputError(t, o, e, code, "2025 年给出了两次")
	o, e, code = c.run("", "enterprise", "add", "--name", "甲", "--code", code1, "--batch", "1", "--contact", "王,经理,0373-1234567,a@b.cn,多余")
	wantInputError(t, o, e, code, "最多 4 项")
	o, e, code = c.run("", "assessment", "list", "--state", "bogus")
	wantInputError(t, o, e, code, "--state")
	c.ok("enterprise", "add", "--name", "甲", "--code", code1, "--batch", "1")
	o, e, code = c.run("", "assessment", "new", "--enterprise", code1, "--kind", "baseline", "--org", strings.Repeat("机", model.MaxOrgLength+1))
	wantInputError(t, o, e, code, "评测机构 过长")
	id := strings.TrimSpace(c.ok("assessment", "new", "--enterprise", code1, "--kind", "baseline"))
	o, e, code = c.run("", "assessment", "answer", id, "Q01", "B", "--reason", strings.Repeat("因", model.MaxReasonLength+1))
	wantInputError(t, o, e, code, "原因 过长")
	o, e, code = c.run("", "assessment", "note", id, "Q01", "备注\x1b[31m")
	wantInputError(t, o, e, code, "控制字符")
}

// Item 8: the lists file is checked (regular file, size) before the
// database is opened: /dev/zero and a FIFO are refused at once, even while
// another process holds the database, and a bad file never holds the lock.
func TestListsFileCheckedBeforeTheLock(t *testing.T) {
	c := newCLI(t)
	c.ok("enterprise", "add", "--name", "甲", "--code", code1, "--batch", "1")
	id := strings.TrimSpace(c.ok("assessment", "new", "--enterprise", code1, "--kind", "baseline"))
	db, err := storage.Open(c.db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	syscall.Mkfifo(fifo, 0o600)
	big := filepath.Join(dir, "big.json")
	os.WriteFile(big, bytes.Repeat([]byte(" "), maxListsFile+1), 0o600)
	for _, p := range []string{"/dev/zero", "/dev/urandom", fifo, dir, big} {
		done := make(chan struct{})
		go func() {
			defer close(done)
			out, errs, code := c.run("", "assessment", "lists", id, "--set", p)
			wantInputError(t, out, errs, code, p)
		}()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("lists --set %s hangs", p)
		}
	}
	bad := filepath.Join(dir, "lists.json")
	os.WriteFile(bad, []byte(`{"problems":[],"demands":[]}]]`), 0o600)
	out, errs, code := c.run("", "assessment", "lists", id, "--set", bad)
	wantInputError(t, out, errs, code, "多余内容")
}

// Item 15: the sync token comes from standard input or the environment and
// is stored only in the database; never echoed.
func TestSyncTokenFromStdinAndEnvironment(t *testing.T) {
	srv := filepath.Join(t.TempDir(), "server.db")
	var tokens []string
	for range 3 {
		out, errs, code := runCLI(t, "", nil, "--db", srv, "serve", "token", "add", "--provider", testProvider)
		if code != 0 {
			t.Fatalf("token add: %s", errs)
		}
		tokens = append(tokens, strings.TrimSpace(out))
	}
	addr := freeAddr(t)
	stop := serveInProcess(t, srv, addr)
	defer stop()
	url := "http://" + addr
	laptop := laptopWithReports(t, t.TempDir(), 2)
	out, errs, code := runCLI(t, tokens[0]+"\n", nil, "--db", laptop, "sync", "--server", url, "--token", "-")
	if code != 0 || !strings.Contains(out, "新发送 2 份") || strings.Contains(out+errs, tokens[0]) || strings.Contains(errs, "警告: 命令行上的令牌") {
		t.Fatalf("sync --token -: %d %q %q", code, out, errs)
	}
	requireStoredToken(t, laptop, tokens[0])
	laptop2 := laptopWithReports(t, t.TempDir(), 1)
	out, errs, code = runCLI(t, "", map[string]string{"DIGILEVEL_TOKEN": tokens[1]}, "--db", laptop2, "sync", "--server", url)
	if code != 0 || strings.Contains(out+errs, tokens[1]) {
		t.Fatalf("DIGILEVEL_TOKEN: %d %q %q", code, out, errs)
	}
	requireStoredToken(t, laptop2, tokens[1])
	// On the command line it still works, with a warning.
	laptop3 := laptopWithReports(t, t.TempDir(), 1)
	_, errs, code = runCLI(t, "", nil, "--db", laptop3, "sync", "--server", url, "--token", tokens[2])
	if code != 0 || !strings.Contains(errs, "警告: 命令行上的令牌") {
		t.Errorf("--token TOKEN: %d %q", code, errs)
	}
	out, errs, code = runCLI(t, "", nil, "--db", laptop3, "sync", "--token", "-")
	if code != exitInput || !strings.Contains(errs, "标准输入是空的") {
		t.Errorf("--token - with empty stdin: %d %q %q", code, out, errs)
	}
}

func requireStoredToken(t *testing.T, path, token string) {
	t.Helper()
	db, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _ := db.Setting(storage.SettingToken); v != token {
		t.Errorf("stored token %q", v)
	}
}

// Items 1 and 12: a report of the wrong organisation is held, the others
// are sent, and sync says a person must act (exit 5), not "paused".
func TestSyncHeldReportExitCode(t *testing.T) {
	srv := filepath.Join(t.TempDir(), "server.db")
	tokOut, _, _ := runCLI(t, "", nil, "--db", srv, "serve", "token", "add", "--provider", testProvider)
	token := strings.TrimSpace(tokOut)
	addr := freeAddr(t)
	stop := serveInProcess(t, srv, addr)
	defer stop()
	dir := t.TempDir()
	laptop := laptopWithReports(t, dir, 2)
	db, err := storage.Open(laptop, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wrong := addFinalizedAs(t, db, dir, 7, false, "别的服务商")
	db.Close()
	out, errs, code := runCLI(t, token+"\n", nil, "--db", laptop, "sync", "--server", "http://"+addr, "--token", "-")
	if code != exitPartial || !strings.Contains(out, "新发送 2 份") || !strings.Contains(out, "暂缓发送 1 份") || !strings.Contains(errs, "暂缓发送 1 份") {
		t.Fatalf("sync: %d %q %q", code, out, errs)
	}
	out, _, code = runCLI(t, "", nil, "--db", laptop, "sync", "status", "--json")
	var st client.Status
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != 0 || st.Held != 1 || st.Sent != 2 || st.Paused ||
		len(st.Items) != 1 || st.Items[0].ID != wrong.ID || !strings.Contains(st.Items[0].LastError, "处理办法") {
		t.Errorf("status: %d %s", code, out)
	}
	if out, _, _ = runCLI(t, "", nil, "--db", laptop, "sync", "status"); !strings.Contains(out, "暂缓发送 1 份") {
		t.Errorf("status text: %s", out)
	}
	// Again with the same token: nothing is sent, still a person's turn.
	if _, errs, code := runCLI(t, "", nil, "--db", laptop, "sync"); code != exitPartial || !strings.Contains(errs, "需要处理") {
		t.Errorf("second sync: %d %q", code, errs)
	}
}

// Item 8 for every other file input: a FIFO or a device is refused at once
// with exit 2, never read or waited on.
func TestFileInputsRefuseFIFOsAndDevices(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "input.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "d.db")
	srv := filepath.Join(dir, "server.db")
	for _, p := range []string{fifo, "/dev/zero"} {
		for _, args := range [][]string{
			{"score", p},
			{"catalog", "validate", p},
			{"verify", p},
			{"--db", db, "enterprise", "import", p},
			{"--db", db, "bundle", "receipts", p},
			{"--db", srv, "serve", "import", "--provider", "x", p},
			{"--db", db, "assessment", "new", "--enterprise", code1, "--kind", "baseline", "--catalog", p},
		} {
			if strings.HasSuffix(p, "zero") && args[len(args)-2] == "import" && args[len(args)-3] == "enterprise" {
				continue // .csv is needed to pick the reader; /dev/zero has no extension
			}
			done := make(chan struct{})
			go func() {
				defer close(done)
				out, errs, code := runCLI(t, "", nil, args...)
				if code != exitInput || !strings.Contains(errs, "不是普通文件") {
					t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
				}
			}()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Fatalf("%v hangs", args)
			}
		}
	}
}
