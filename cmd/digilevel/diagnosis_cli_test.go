package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"digilevel/model"
)

// The diagnosis as a consultant enters it from the CLI: profile and a
// dated 规下→规上 change, the survey, list edits, the 示例 pool and a plan
// with two pool solutions and a 投入清单; then finalize and read the signed
// report back.
func TestDiagnosisCLI(t *testing.T) {
	c := newCLI(t)
	c.ok("enterprise", "add", "--name", "新乡甲机械有限公司", "--code", code1, "--batch", "1", "--scale", "below", "--revenue", "2025=5200")
	c.ok("enterprise", "profile", code1, "--products", "数控折弯机", "--employees", "120", "--software", "运营,ERP,某财务软件 V10",
		"--cloud", "public", "--network", "broadband", "--finance", "2025=8200,410")
	c.ok("enterprise", "status", code1, "--scale", "above", "--date", "2025-12-31", "--note", "营业收入超过 2000 万元")
	var prof struct {
		Profile       model.Profile        `json:"profile"`
		StatusHistory []model.StatusChange `json:"status_history"`
	}
	if err := json.Unmarshal([]byte(c.ok("enterprise", "profile", code1, "--json")), &prof); err != nil {
		t.Fatal(err)
	}
	if prof.Profile.Employees != 120 || len(prof.Profile.Software) != 1 || len(prof.StatusHistory) != 1 || prof.StatusHistory[0].To != "above" {
		t.Errorf("profile = %+v", prof)
	}
	// A roster with a profile column changes only that part of the profile.
	roster := filepath.Join(t.TempDir(), "roster.csv")
	if err := os.WriteFile(roster, []byte("企业名称,统一社会信用代码,批次,员工人数\n新乡甲机械有限公司,"+code1+",1,130\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.ok("enterprise", "import", roster)
	if err := json.Unmarshal([]byte(c.ok("enterprise", "profile", code1, "--json")), &prof); err != nil {
		t.Fatal(err)
	}
	if prof.Profile.Employees != 130 || prof.Profile.MainProducts != "数控折弯机" || len(prof.StatusHistory) != 1 {
		t.Errorf("after the roster import: %+v", prof)
	}
	o, e, code := c.run("", "enterprise", "profile", code1, "--products", "坏\x1b]52;c;x\x07字")
	wantInputError(t, o, e, code, "控制字符")
	o, e, code = c.run("", "enterprise", "status", code1, "--zjtx", "national", "--date", "2025-13-01")
	wantInputError(t, o, e, code, "YYYY-MM-DD")

	id := strings.TrimSpace(c.ok("assessment", "new", "--enterprise", code1, "--kind", "baseline", "--org", "河南某数字科技有限公司", "--assessor", "李工"))
	data, _ := os.ReadFile("testdata/answers-complete.json")
	var doc model.AnswerSet
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	qids := make([]string, 0, len(doc.Answers))
	for q := range doc.Answers {
		qids = append(qids, q)
	}
	sort.Strings(qids)
	for _, q := range qids {
		c.ok(append([]string{"assessment", "answer", id, q}, doc.Answers[q]...)...)
	}
	for s, r := range doc.Scenarios {
		c.ok("assessment", "rate", id, s, string(rune('0'+int(r))))
	}
	c.ok("assessment", "survey", id, "--date", "2026-03-01", "--surveyor", "李工,河南某数字科技有限公司,调查员,0373-7654321",
		"--findings", "工单靠纸质流转", "--pain", "痛点:交期经常延误", "--pain", "堵点:设备数据采不上来")
	o, e, code = c.run("", "assessment", "survey", id, "--pain", "烦恼:太多")
	wantInputError(t, o, e, code, "pain")

	out := c.ok("assessment", "lists", "pain", id, "质检记录靠纸质")
	if !strings.Contains(out, "U1") || !strings.Contains(out, "质检记录靠纸质") {
		t.Errorf("pain:\n%s", out)
	}
	c.ok("assessment", "lists", "move", id, "U1", "1")
	c.ok("assessment", "lists", "reword", id, "Q05", "--title", "信息系统只覆盖两个环节")
	c.ok("assessment", "lists", "remove", id, "Q15")
	c.ok("assessment", "lists", "add", id, "--list", "demands", "--title", "质量追溯", "--ref", "SC07")
	o, e, code = c.run("", "assessment", "lists", "remove", id, "Q99")
	wantInputError(t, o, e, code, "没有编号为")

	c.ok("solutions", "import", "--example")
	if out := c.ok("solutions", "list", "--scenario", "SC06", "--level", "2"); !strings.Contains(out, "【示例】轻量化 MES") {
		t.Errorf("suggestions:\n%s", out)
	}
	csv := filepath.Join(t.TempDir(), "pool.csv")
	if err := os.WriteFile(csv, []byte("编号,名称,服务商,适用场景,部署方式\nR-1,某仓储系统,某公司,SC12:2-3,云端\nR-2,坏,某公司,SC99:2,云端\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	o, e, code = c.run("", "solutions", "import", csv)
	if code != exitInput || !strings.Contains(o, "新增 1") || !strings.Contains(e, "第 3 行") {
		t.Errorf("import with a bad row: %d %q %q", code, o, e)
	}

	c.ok("assessment", "plan", "goal", id, "--level", "2", "--goal", "一年内达到二级")
	c.ok("assessment", "plan", "scenario", id, "SC06", "--target", "3", "--solution", "EX-01")
	c.ok("assessment", "plan", "scenario", id, "SC07", "--target", "2", "--solution", "EX-03", "--custom", "自研质检看板,企业自有,local")
	o, e, code = c.run("", "assessment", "plan", "scenario", id, "SC09", "--target", "3", "--solution", "EX-05")
	wantInputError(t, o, e, code, "不适用于")
	c.ok("assessment", "plan", "invest", id, "--item", "设备采集网关", "--category", "hardware", "--quantity", "12", "--unit", "台", "--unit-price", "0.45", "--amount", "5.4", "--scenario", "SC06")
	c.ok("assessment", "plan", "invest", id, "--item", "MES 云服务", "--category", "cloud", "--amount", "6.5")
	o, e, code = c.run("", "assessment", "plan", "invest", id, "--item", "错账", "--category", "hardware", "--quantity", "3", "--unit-price", "0.1", "--amount", "0.4")
	wantInputError(t, o, e, code, "不等于数量")
	o, e, code = c.run("", "assessment", "plan", "invest", id, "--item", "太细", "--category", "other", "--amount", "1.00001")
	wantInputError(t, o, e, code, "4 位小数")
	c.ok("assessment", "plan", "kpi", id, "Q13", "--target", "99.5")
	c.ok("assessment", "plan", "milestone", id, "--date", "2026-09-30", "--title", "申请验收")
	c.ok("assessment", "plan", "milestone", id, "--date", "2026-04-15", "--title", "签订合同")
	var plan model.RetrofitPlan
	if err := json.Unmarshal([]byte(c.ok("assessment", "plan", id, "--json")), &plan); err != nil {
		t.Fatal(err)
	}
	if total, _ := plan.InvestmentTotal(); total != "11.9" || plan.Milestones[0].Date != "2026-04-15" || len(plan.Scenarios) != 2 || plan.KPIs[0].Name != "月均产品合格率" {
		t.Errorf("plan = %+v", plan)
	}

	c.ok("assessment", "finalize", id)
	o, e, code = c.run("", "assessment", "lists", "pain", id, "定稿后")
	wantInputError(t, o, e, code, "已定稿")
	report := c.ok("report", id, "--format", "json")
	signed, err := model.VerifyReport([]byte(strings.TrimSpace(report)))
	if err != nil {
		t.Fatal(err)
	}
	if signed.Format != model.ReportFormat || signed.Survey == nil || len(signed.Survey.PainPoints) != 2 || signed.Plan == nil ||
		len(signed.Plan.Scenarios[0].Solutions) != 1 || !signed.Plan.Scenarios[0].Solutions[0].Example || signed.Enterprise.Profile == nil {
		t.Fatalf("signed report lacks the diagnosis: %+v", signed)
	}
	if signed.Problems[0].ID != "U1" || signed.Problems[0].Kind != model.ItemPain {
		t.Errorf("first problem = %+v", signed.Problems[0])
	}
	for _, it := range signed.Problems {
		if it.ID == "Q15" {
			t.Error("removed Q15 in the signed report")
		}
		if it.ID == "Q05" && it.Title != "信息系统只覆盖两个环节" {
			t.Errorf("Q05 = %+v", it)
		}
	}
	md := c.ok("report", id, "--format", "md")
	for _, want := range []string{"# 中小企业数字化转型咨询诊断报告", "交期经常延误", "【示例】轻量化 MES（云版）", "11.9", "二维码内容"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
}
