package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"digilevel/internal/asuser"
	"digilevel/storage"
	"digilevel/storage/pgstore/pgtest"
)

// TestMain lets the test binary act as the digilevel binary in a child
// process (second-process locking, e2e).
func TestMain(m *testing.M) {
	if os.Getenv("DIGILEVEL_TEST_AS_MAIN") == "1" {
		main()
	}
	os.Exit(pgtest.Main(m))
}

// cli runs commands against one temp database.
type cli struct {
	t  *testing.T
	db string
}

func newCLI(t *testing.T) *cli {
	return &cli{t: t, db: filepath.Join(t.TempDir(), "data", "digilevel.db")}
}

func (c *cli) run(stdin string, args ...string) (string, string, int) {
	c.t.Helper()
	return runCLI(c.t, stdin, map[string]string{"DIGILEVEL_DB": c.db}, args...)
}

func (c *cli) ok(args ...string) string {
	c.t.Helper()
	out, errs, code := c.run("", args...)
	if code != 0 {
		c.t.Fatalf("%v: exit %d: %s", args, code, errs)
	}
	return out
}

const code1 = "91350100M000100Y43"

func TestEnterpriseCLI(t *testing.T) {
	c := newCLI(t)
	out := c.ok("enterprise", "add", "--name", "新乡甲机械有限公司", "--code", code1, "--batch", "2", "--zjtx", "provincial",
		"--revenue", "2024=5000", "--revenue", "2025=5800", "--contact", "王经理,生产经理,0373-1234567,")
	if out != code1+"\n" {
		t.Errorf("add printed %q", out)
	}
	o, e, code := c.run("", "enterprise", "add", "--name", "乙", "--code", "91350100M000100Y44", "--batch", "1")
	wantInputError(t, o, e, code, "--code（统一社会信用代码）: 校验位错误")
	o, e, code = c.run("", "enterprise", "add", "--name", "丙", "--code", code1, "--batch", "1")
	wantInputError(t, o, e, code, "已存在")
	o, e, code = c.run("", "enterprise", "add", "--name", "丁", "--code", "91410700MA00DEMX0Q", "--batch", "1", "--revenue", "2025=-3")
	wantInputError(t, o, e, code, "为负数")
	c.ok("enterprise", "edit", code1, "--industry", "通用设备制造业", "--revenue", "2024=")
	var show struct {
		Name     string `json:"name"`
		Batch    int    `json:"batch"`
		Industry string `json:"industry"`
		Revenue  []any  `json:"revenue"`
	}
	if err := json.Unmarshal([]byte(c.ok("enterprise", "show", code1, "--json")), &show); err != nil {
		t.Fatal(err)
	}
	if show.Name != "新乡甲机械有限公司" || show.Batch != 2 || show.Industry != "通用设备制造业" || len(show.Revenue) != 1 {
		t.Errorf("show = %+v", show)
	}
	if out := c.ok("enterprise", "list"); !strings.Contains(out, "新乡甲机械有限公司") {
		t.Errorf("list:\n%s", out)
	}
	o, e, code = c.run("", "enterprise", "show", "91410700MA00DEMX0Q")
	wantInputError(t, o, e, code, "不存在")
}

func TestEnterpriseImportCLI(t *testing.T) {
	c := newCLI(t)
	sample := filepath.Join("..", "..", "roster", "testdata", "roster-sample.csv")
	// 4 rows imported, 1 refused: partly done (exit 5), not "nothing changed".
	out, errs, code := c.run("", "enterprise", "import", sample)
	if code != exitPartial || !strings.Contains(out, "新增 4") || !strings.Contains(errs, "第 5 行") {
		t.Fatalf("first import: %d\n%s\n%s", code, out, errs)
	}
	// Revenue of a year the roster has no column for survives a re-import.
	var list []struct {
		Code string `json:"code"`
	}
	json.Unmarshal([]byte(c.ok("enterprise", "list", "--json")), &list)
	c.ok("enterprise", "edit", list[0].Code, "--revenue", "2026=7000")
	out, _, _ = c.run("", "enterprise", "import", sample)
	if !strings.Contains(out, "新增 0，更新 0，未变 4") {
		t.Errorf("re-import: %s", out)
	}
	if show := c.ok("enterprise", "show", list[0].Code); !strings.Contains(show, "2026营收:  7000 万元") {
		t.Errorf("re-import lost the 2026 revenue:\n%s", show)
	}
}

func TestAssessmentCLIFlow(t *testing.T) {
	c := newCLI(t)
	c.ok("enterprise", "add", "--name", "新乡甲机械有限公司", "--code", code1, "--batch", "1", "--revenue", "2025=5800", "--revenue", "2026=6800")
	id := strings.TrimSpace(c.ok("assessment", "new", "--enterprise", code1, "--kind", "baseline"))
	if len(id) != 26 {
		t.Fatalf("new printed %q", id)
	}
	data, _ := os.ReadFile("testdata/answers-complete.json")
	var doc struct {
		Answers   map[string][]string `json:"answers"`
		Scenarios map[string]int      `json:"scenarios"`
	}
	json.Unmarshal(data, &doc)
	for q, opts := range doc.Answers {
		c.ok(append([]string{"assessment", "answer", id, q}, opts...)...)
	}
	o, e, code := c.run("", "assessment", "finalize", id)
	wantInputError(t, o, e, code, "未完成，不能定稿: 还缺 16 项")
	for s, l := range doc.Scenarios {
		c.ok("assessment", "rate", id, s, itoa(l))
	}
	c.ok("assessment", "numbers", id, "Q02", "total_devices=120", "digital_devices=60")
	c.ok("assessment", "note", id, "Q01", "车间已建工控网")
	// Bad inputs change nothing.
	before := c.ok("assessment", "show", id, "--json")
	for _, bad := range [][]string{
		{"assessment", "answer", id, "Q99", "A"},
		{"assessment", "answer", id, "Q01", "A", "B"},
		{"assessment", "rate", id, "SC01", "7"},
		{"assessment", "numbers", id, "Q14", "revenue_last=-1"},
		{"assessment", "answer", "NOPE", "Q01", "B"},
	} {
		o, e, code := c.run("", bad...)
		if code != exitInput || o != "" || e == "" {
			t.Errorf("%v: code %d stdout %q stderr %q", bad, code, o, e)
		}
	}
	if after := c.ok("assessment", "show", id, "--json"); after != before {
		t.Error("a refused command changed the assessment")
	}
	// show --json holds the score input shape: feed it to `score`.
	var view map[string]any
	json.Unmarshal([]byte(before), &view)
	for _, k := range []string{"answers", "scenarios", "state", "kind", "enterprise", "level", "score"} {
		if _, ok := view[k]; !ok {
			t.Errorf("show --json lacks %q", k)
		}
	}
	scored, _, code := c.run(before, "score", "--json", "-")
	if code != 0 || !strings.Contains(scored, `"score": 48.6`) {
		t.Errorf("score of show --json: %d", code)
	}
	// No organisation is set: finalize says where to set it and changes nothing.
	o, e, code = c.run("", "assessment", "finalize", id)
	wantInputError(t, o, e, code, "config --assessor-org")
	c.ok("config", "--assessor-org", "河南甲数字服务有限公司", "--assessor", "李工")
	out := c.ok("assessment", "finalize", id)
	if !strings.Contains(out, "已定稿") || !strings.Contains(out, "二级") {
		t.Errorf("finalize: %s", out)
	}
	if show := c.ok("assessment", "show", id, "--json"); !strings.Contains(show, `"org": "河南甲数字服务有限公司"`) || !strings.Contains(show, `"person": "李工"`) {
		t.Errorf("finalized without the configured identity:\n%s", show)
	}
	// A revision takes the identity configured now.
	c.ok("config", "--assessor", "王工")
	o, e, code = c.run("", "assessment", "answer", id, "Q01", "B")
	wantInputError(t, o, e, code, "已定稿")
	o, e, code = c.run("", "assessment", "revise", id)
	if code != exitInput || !strings.Contains(e, "reason") {
		t.Errorf("revise without reason: %d %q %q", code, o, e)
	}
	v2 := strings.TrimSpace(c.ok("assessment", "revise", id, "--reason", "Q05 误选"))
	if v2 == id || len(v2) != 26 {
		t.Errorf("revise printed %q", v2)
	}
	if show := c.ok("assessment", "show", v2, "--json"); !strings.Contains(show, `"person": "王工"`) {
		t.Errorf("the revision does not take the current assessor:\n%s", show)
	}
	if out := c.ok("assessment", "audit", id); !strings.Contains(out, "finalize") || !strings.Contains(out, "revise") {
		t.Errorf("audit:\n%s", out)
	}
	if out := c.ok("assessment", "list", "--json"); !strings.Contains(out, v2) {
		t.Errorf("list lacks the revision")
	}

	// Reports and exports of the finalized assessment.
	dir := t.TempDir()
	for _, f := range []string{"html", "md", "json", "xlsx"} {
		c.ok("report", id, "--format", f, "-o", filepath.Join(dir, "r."+f))
		fi, err := os.Stat(filepath.Join(dir, "r."+f))
		if err != nil || fi.Mode().Perm() != 0o644 || fi.Size() == 0 {
			t.Errorf("report %s: %v %v", f, err, fi)
		}
	}
	js, _ := os.ReadFile(filepath.Join(dir, "r.json"))
	if out, _, code := c.run("", "assessment", "show", id, "--json"); code != 0 || !strings.Contains(out, modelHash(js)) {
		t.Error("exported JSON is not the hashed, finalized report")
	}
	if md := c.ok("report", v2, "--format", "md"); !strings.Contains(md, "草稿") {
		t.Error("draft report not marked 草稿")
	}
	o, e, code = c.run("", "report", "NOPE")
	wantInputError(t, o, e, code, "不存在")
	o, e, code = c.run("", "report", id, "-o", filepath.Join(dir, "r.html", "sub.html"))
	wantInputError(t, o, e, code, "无法写入")
	c.ok("export", "-o", filepath.Join(dir, "all.xlsx"))
	if csv := c.ok("export", "--format", "csv"); !strings.Contains(csv, "新乡甲机械有限公司") {
		t.Errorf("export csv:\n%s", csv)
	}

	// Backup and check.
	c.ok("backup", filepath.Join(dir, "backup.db"))
	if out := c.ok("check"); !strings.Contains(out, "检查通过") {
		t.Errorf("check: %s", out)
	}
	if out, _, code := runCLI(t, "", map[string]string{"DIGILEVEL_DB": filepath.Join(dir, "backup.db")}, "assessment", "show", id, "--json"); code != 0 || !strings.Contains(out, `"state": "queued"`) {
		t.Errorf("backup does not hold the finalized assessment: %d", code)
	}
}

// A second process gets exit code 3 and the Chinese message within about
// the lock timeout, not a hang.
func TestSecondProcessIsLockedOut(t *testing.T) {
	c := newCLI(t)
	c.ok("enterprise", "list")
	db, err := storage.Open(c.db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cmd := exec.Command(os.Args[0], "enterprise", "list")
	cmd.Env = append(os.Environ(), "DIGILEVEL_TEST_AS_MAIN=1", "DIGILEVEL_DB="+c.db)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	elapsed := time.Since(start)
	if code := cmd.ProcessState.ExitCode(); code != exitLocked {
		t.Fatalf("exit code %d (%v), output %s", code, err, out)
	}
	if !strings.Contains(string(out), "数据库正被另一个 digilevel 进程使用: "+c.db) {
		t.Errorf("message: %s", out)
	}
	t.Logf("second process refused after %v", elapsed)
	if elapsed > 20*time.Second {
		t.Errorf("took %v: that is a hang, not a lock timeout", elapsed)
	}
}

func TestCorruptDatabaseCLI(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.db")
	os.WriteFile(path, []byte(strings.Repeat("不是数据库", 1000)), 0o600)
	out, errs, code := runCLI(t, "", nil, "--db", path, "enterprise", "list")
	wantInputError(t, out, errs, code, "不是 digilevel 数据库")
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func modelHash(b []byte) string { return sha256Hex(b) }

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// A read-only data directory gets a clear Chinese error (exit 2) and no file.
// Root ignores permissions, so as root the test runs again as nobody.
func TestReadOnlyDirectoryCLI(t *testing.T) {
	if asuser.Unprivileged(t) {
		return
	}
	ro := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(ro, "digilevel.db")
	out, errs, code := runCLI(t, "", map[string]string{"DIGILEVEL_DB": dbPath}, "enterprise", "list")
	wantInputError(t, out, errs, code, "没有写入权限")
	if _, err := os.Stat(dbPath); err == nil {
		t.Error("a database file was created in the read-only directory")
	}
}
