package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage"
	"digilevel/sync/bundle"
)

// An inspector's day, through the binary's entry point against a real
// `serve`: pull with the wrong token, pull, rate blind, compare, export,
// audit; every bad input is exit 2 with a Chinese message and no change.
func TestInspectorCLIFlow(t *testing.T) {
	dir := t.TempDir()
	laptop := laptopWithReports(t, dir, 2)
	url, providerToken, inspectorToken := platformWithReports(t, dir, laptop)
	reports := map[string]string{} // enterprise -> report ID
	ldb, _ := storage.Open(laptop, storage.Options{})
	all, _ := ldb.Assessments("")
	ldb.Close()
	for _, a := range all {
		reports[a.Enterprise] = a.ID
	}
	codes := []string{all[0].Enterprise, all[1].Enterprise}
	checked, other := reports[codes[0]], reports[codes[1]]

	c := newCLI(t)
	// A provider's token cannot pull; nothing is stored or remembered.
	out, errs, code := c.run("", "pull", "--enterprise", codes[0], "--server", url, "--token", providerToken)
	wantInputError(t, out, errs, code, "拉取报告需要抽查人员或主管部门的令牌")
	if out := c.ok("pull", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("stored after a refused pull: %s", out)
	}
	if out := c.ok("enterprise", "list", "--json"); strings.Contains(out, codes[0]) {
		t.Errorf("enterprise created after a refused pull: %s", out)
	}
	out, errs, code = c.run("", "pull", "--enterprise", codes[0], "--server", url)
	wantInputError(t, out, errs, code, "访问令牌")

	out = c.ok("pull", "--enterprise", codes[0]+","+codes[1], "--server", url, "--token", inspectorToken)
	if !strings.Contains(out, "新拉取 2 份，已有 0 份，拒收 0 份") || !strings.Contains(out, "已按报告建立企业档案 "+codes[0]) {
		t.Fatalf("pull: %s", out)
	}
	if out := c.ok("pull", "--enterprise", codes[0]); !strings.Contains(out, "新拉取 0 份，已有 1 份") {
		t.Errorf("repeated pull (server and token remembered): %s", out)
	}
	list := c.ok("pull", "list")
	if !strings.Contains(list, checked) || !strings.Contains(list, "盲评中") || !strings.Contains(list, testProvider) {
		t.Errorf("pull list: %s", list)
	}
	// Blind: the provider's report does not show before a spot-check is finalized.
	out, errs, code = c.run("", "report", checked, "--format", "md")
	wantInputError(t, out, errs, code, "盲评")

	// Bad spot-check inputs.
	draft := strings.TrimSpace(c.ok("assessment", "new", "--enterprise", codes[0], "--kind", "acceptance"))
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--kind", "spotcheck", "--checks", "01JUNKNOWN0000000000000000"}, "不在本机：先用 digilevel pull"},
		{[]string{"--kind", "spotcheck", "--checks", draft}, "是草稿，不能抽查"},
		{[]string{"--kind", "spotcheck"}, "抽查须用 --checks"},
		{[]string{"--kind", "spotcheck", "--checks", checked}, "抽查单位和抽查人员"},
		{[]string{"--kind", "acceptance", "--checks", checked}, "只有抽查"},
	} {
		out, errs, code := c.run("", append([]string{"assessment", "new"}, tt.args...)...)
		wantInputError(t, out, errs, code, tt.want)
	}
	c.ok("config", "--assessor-org", "经开区数字化转型办公室", "--assessor", "赵抽查")
	spot := strings.TrimSpace(c.ok("assessment", "new", "--kind", "spotcheck", "--checks", checked))
	rateAll(t, c, spot, 0)
	out, errs, code = c.run("", "report", "compare", checked, spot)
	wantInputError(t, out, errs, code, "盲评，尚未定稿")
	if out := c.ok("pull", "list", "--json"); strings.Contains(out, `"level": 2`) {
		t.Errorf("level shown while rating blind: %s", out)
	}
	c.ok("assessment", "finalize", spot)

	md := c.ok("report", "compare", checked, spot, "--format", "md")
	for _, want := range []string{"重大差异：服务商评定二级，抽查评定无等级，跨越二级（奖补起点）", "| 评测方式 | 盲评", "题目 0/15 一致", "赵抽查"} {
		if !strings.Contains(md, want) {
			t.Errorf("comparison lacks %q:\n%s", want, md)
		}
	}
	var doc model.SpotCheckComparison
	if err := json.Unmarshal([]byte(c.ok("report", "compare", checked, spot, "--format", "json")), &doc); err != nil ||
		doc.Severity != model.SeverityCritical || doc.Checked.ID != checked || doc.SpotCheck.ID != spot {
		t.Errorf("json: %v %+v", err, doc.Checked)
	}
	xlsx := filepath.Join(dir, "抽查对比.xlsx")
	c.ok("report", "compare", checked, spot, "--format", "xlsx", "-o", xlsx)
	if fi, err := os.Stat(xlsx); err != nil || fi.Size() == 0 {
		t.Errorf("xlsx: %v", err)
	}
	if out := c.ok("report", checked, "--format", "md"); !strings.Contains(out, "李顾问") {
		t.Errorf("the provider's report after the spot-check: %s", out[:200])
	}

	// A spot-check of another enterprise is not a spot-check of this report.
	spot2 := strings.TrimSpace(c.ok("assessment", "new", "--kind", "spotcheck", "--checks", other))
	rateAll(t, c, spot2, 2)
	c.ok("assessment", "finalize", spot2)
	out, errs, code = c.run("", "report", "compare", checked, spot2)
	wantInputError(t, out, errs, code, "两份报告不属于同一企业")
	out, errs, code = c.run("", "report", "compare", spot, checked)
	wantInputError(t, out, errs, code, "参数顺序")

	// Export: the spot-check has its own columns; the provider's score stays.
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(c.ok("export", "--format", "csv"), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, h := range []string{"状态", "抽查等级", "抽查得分", "抽查结论"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("header %v lacks %s", rows[0], h)
		}
	}
	var row []string
	for _, r := range rows {
		if r[0] == `="`+codes[0]+`"` { // identifiers are text formulas
			row = r
		}
	}
	if row == nil || row[col["改造前诊断等级"]] != "二级" || row[col["最新得分"]] == "0" || row[col["抽查等级"]] != "无等级" || row[col["抽查得分"]] != "0" ||
		row[col["抽查结论"]] != "不一致：服务商评定二级，抽查评定无等级，跨越二级（奖补起点）" {
		t.Errorf("export row %v", row)
	}

	// The audit trail of the provider's chain names the spot-check.
	var trail storage.AuditTrail
	if err := json.Unmarshal([]byte(c.ok("assessment", "audit", checked, "--json")), &trail); err != nil ||
		len(trail.Versions) != 1 || trail.Versions[0].Pulled == nil || trail.Versions[0].Pulled.ServerSeq == 0 ||
		len(trail.SpotChecks) != 1 || trail.SpotChecks[0].ID != spot || trail.SpotChecks[0].Checks.SHA256 != trail.Versions[0].ReportSHA256 {
		t.Errorf("trail %+v %v", trail, err)
	}
	if out := c.ok("assessment", "audit", checked); !strings.Contains(out, "对本评测链的抽查 1 次") || !strings.Contains(out, "回执序号") {
		t.Errorf("audit text:\n%s", out)
	}
	// Delivery: the finalized spot-checks wait in the outbox like any report.
	var st struct{ Queued int }
	json.Unmarshal([]byte(c.ok("sync", "status", "--json")), &st)
	if st.Queued != 2 {
		t.Errorf("queued spot-checks: %d", st.Queued)
	}
	if out := c.ok("check"); !strings.Contains(out, "检查通过") {
		t.Errorf("check: %s", out)
	}
}

// platformWithReports starts a real `serve` in dir with a provider's and an
// inspector's token, and has the laptop send its reports there.
func platformWithReports(t *testing.T, dir, laptop string) (url, providerToken, inspectorToken string) {
	t.Helper()
	srv := filepath.Join(dir, "server.db")
	token := func(args ...string) string {
		out, errs, code := runCLI(t, "", nil, append([]string{"--db", srv, "serve", "token", "add"}, args...)...)
		if code != 0 {
			t.Fatalf("token: %s", errs)
		}
		return strings.TrimSpace(out)
	}
	providerToken = token("--provider", testProvider)
	inspectorToken = token("--provider", "区抽查组", "--role", "inspector")
	addr := freeAddr(t)
	serveInProcess(t, srv, addr)
	url = "http://" + addr
	if _, errs, code := runCLI(t, "", nil, "--db", laptop, "sync", "--server", url, "--token", providerToken); code != 0 {
		t.Fatalf("provider sync: %s", errs)
	}
	return url, providerToken, inspectorToken
}

// rateAll answers every question of id with its first option (0 points)
// when level is 0, its last option otherwise, and rates every scenario level.
func rateAll(t *testing.T, c *cli, id string, level int) {
	t.Helper()
	cat, _ := indicators.Embedded(indicators.DefaultEdition)
	for _, q := range cat.DefaultQuestionnaire().Questions() {
		opt := q.Options[0].ID
		if level > 0 {
			opt = q.Options[len(q.Options)-1].ID
		}
		c.ok("assessment", "answer", id, q.ID, opt)
	}
	for _, s := range cat.Scenarios {
		c.ok("assessment", "rate", id, s.ID, itoa(level))
	}
}

func TestPullBundleCLI(t *testing.T) {
	dir := t.TempDir()
	laptop := laptopWithReports(t, dir, 1)
	zip := filepath.Join(dir, "交付.zip")
	if _, errs, code := runCLI(t, "", nil, "--db", laptop, "bundle", "export", "-o", zip); code != 0 {
		t.Fatalf("bundle export: %s", errs)
	}
	c := newCLI(t)
	if out := c.ok("pull", "--bundle", zip); !strings.Contains(out, "新拉取 1 份") {
		t.Errorf("pull --bundle: %s", out)
	}
	if out := c.ok("pull", "--bundle", zip, "--json"); !strings.Contains(out, `"existing": 1`) {
		t.Errorf("again: %s", out)
	}
	out, errs, code := c.run("", "pull", "--bundle", zip, "--enterprise", model.DemoCode)
	wantInputError(t, out, errs, code, "数据包中没有企业 "+model.DemoCode)

	// A bundle with a report altered and signed again by another key: exit 4,
	// the reason named, nothing stored.
	ldb, _ := storage.Open(laptop, storage.Options{})
	all, _ := ldb.Assessments("")
	body, _ := ldb.StoredReport(all[0].ID)
	ldb.Close()
	doc, _ := model.VerifyReport(body)
	doc.Result.Level, doc.Result.LevelName = 3, "三级"
	forged, _ := model.SignReport(doc, ed25519.NewKeyFromSeed(bytes.Repeat([]byte{4}, ed25519.SeedSize)))
	var buf bytes.Buffer
	w := bundle.NewWriter(&buf, "DEV-X", "", time.Now())
	if err := w.AddReport(forged, nil); err != nil {
		t.Fatal(err)
	}
	w.Close()
	bad := filepath.Join(dir, "bad.zip")
	os.WriteFile(bad, buf.Bytes(), 0o600)
	fresh := newCLI(t)
	out, errs, code = fresh.run("", "pull", "--bundle", bad)
	if code != exitCheck || !strings.Contains(out, "拒收") || !strings.Contains(out, "与答卷重新计算的") || !strings.Contains(errs, "未通过校验") {
		t.Errorf("forged: %d %q %q", code, out, errs)
	}
	if out := fresh.ok("pull", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("stored: %s", out)
	}
	os.WriteFile(bad, []byte("junk"), 0o600)
	out, errs, code = fresh.run("", "pull", "--bundle", bad)
	wantInputError(t, out, errs, code, "数据包无效")
	out, errs, code = fresh.run("", "pull")
	wantInputError(t, out, errs, code, "--enterprise")
}
