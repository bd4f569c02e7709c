package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"

	"digilevel/model"
	"digilevel/solutions"
)

const idDiagnosis = "01JNDIAG000000000000000005"

// diagnosisEnterprise is the testEnterprise with a full §8.5 profile and a
// 规下→规上 change on record.
func diagnosisEnterprise(t testing.TB) model.Enterprise {
	t.Helper()
	e := testEnterprise()
	e.Scale = model.ScaleBelow
	if err := e.RecordStatus(model.FieldScale, "above", "2025-12-31", "2025 年营业收入超过 2000 万元", "2026-01-01"); err != nil {
		t.Fatal(err)
	}
	e.Profile = &model.Profile{
		Region: "新乡经济技术开发区", IndustrySub: "金属加工机械制造", EnterpriseType: "有限责任公司",
		RegisteredCapital: "3000", Founded: "2012-05-18", Employees: 186,
		MainProducts: "数控折弯机、剪板机及配套模具", ProcessFlow: "下料 → 焊接 → 机加工 → 装配 → 调试 → 检验入库",
		Equipment: "数控机床 60 台、焊接机器人 4 台", Cloud: "public", Network: []string{"broadband", "leased_line"},
		Software:       []model.SoftwareItem{{Area: "研发设计", Type: "CAD", Brand: "某二维 CAD 2020"}, {Area: "运营", Type: "ERP", Brand: "某财务软件 V10"}},
		Certifications: []string{"质量管理体系"}, Honours: []string{"高新技术企业"}, FundBand: "50–100 万元",
		Finances: []model.YearFinance{{Year: 2025, Assets: "8200", Profit: "410"}, {Year: 2026, Assets: "8600", Profit: "455.5"}},
	}
	return e
}

// diagnosisReport builds the complete diagnosis: profile, survey, edited
// lists, a plan with two solutions from the imported 示例 pool, a 投入清单,
// KPIs and milestones, finalized and signed.
func diagnosisReport(t testing.TB) (*Report, []byte) {
	t.Helper()
	cat := testCatalog(t)
	pl := testPlanning(t, cat)
	e := diagnosisEnterprise(t)
	a := buildAssessment(t, cat, e, idDiagnosis, model.KindBaseline, tBaseline.Add(-3*3600e9), baselineAnswers())
	c := model.Change{Who: "李工", Now: tBaseline.Add(-2 * 3600e9)}
	survey := &model.Survey{Date: "2026-03-01", Findings: "车间以单机数控为主，工单靠纸质流转；ERP 只用于财务。\n质检记录在纸上，追溯一批产品要半天。",
		Surveyors:  []model.Surveyor{{Name: "李工", Agency: "河南某数字科技有限公司", Role: "调查员", Contact: "0373-7654321"}, {Name: "赵工", Agency: "河南某数字科技有限公司", Role: "调查员"}},
		PainPoints: []model.PainPoint{{Kind: "pain", Text: "订单交期经常延误，排产靠经验"}, {Kind: "blockage", Text: "设备数据采不上来，OEE 无从统计"}}}
	if _, err := a.SetSurvey(survey, c); err != nil {
		t.Fatal(err)
	}
	for _, edit := range []model.ListEdit{
		{List: model.ListProblems, Op: model.OpPain, Title: "质检记录靠纸质，追溯慢", Note: "调研时企业质量部提出"},
		{List: model.ListProblems, Op: model.OpRemove, Item: "Q15"},
		{List: model.ListProblems, Op: model.OpReword, Item: "Q05", Title: "信息系统只覆盖财务一个环节", Note: "ERP 仅用于财务，生产、仓储未上系统"},
		{List: model.ListProblems, Op: model.OpMove, Item: "U1", Position: 2},
		{List: model.ListDemands, Op: model.OpMove, Item: "SC07", Position: 1},
	} {
		if _, err := a.EditList(cat, pl, edit, c); err != nil {
			t.Fatalf("%+v: %v", edit, err)
		}
	}
	pool, err := solutions.ExamplePool(cat)
	if err != nil || len(pool.Problems) > 0 {
		t.Fatalf("example pool: %v %v", err, pool.Problems)
	}
	mes := model.MatchSolutions(pool.Solutions, "SC06", 2)
	qa := model.MatchSolutions(pool.Solutions, "SC07", 2)
	plan := &model.RetrofitPlan{
		TargetLevel: 2, Goal: "一年内达到二级：生产管控、质量管理上系统，打通财务与生产数据。",
		Architecture: "云端 MES 与质量追溯应用，车间部署采集网关，数据汇入现有 ERP。",
		Scenarios: []model.ScenarioGoal{
			{Scenario: "SC06", Target: 2, Solutions: []model.SolutionUse{mes[0].Use()}},
			{Scenario: "SC07", Target: 2, Solutions: []model.SolutionUse{qa[0].Use()}, Note: "先覆盖关键工序"},
		},
		Investments: []model.Investment{
			{Item: "MES 云服务（一年）", Category: "cloud", Scenario: "SC06", Quantity: "1", Unit: "年", UnitPrice: "6.5", Amount: "6.5"},
			{Item: "设备采集网关", Category: "hardware", Scenario: "SC06", Quantity: "12", Unit: "台", UnitPrice: "0.45", Amount: "5.4"},
			{Item: "实施与培训", Category: "service", Amount: "3.25"},
		},
		KPIs: []model.KPITarget{
			{Question: "Q13", Name: "月均产品合格率", Unit: "%", Target: "99.2"},
			{Question: "Q14", Name: "人均营业收入", Unit: "万元/人", Target: "56"},
		},
		Milestones: []model.Milestone{{Date: "2026-06-30", Title: "MES 上线试运行"}, {Date: "2026-04-15", Title: "签订改造合同", Note: "含投入清单"}, {Date: "2026-09-30", Title: "申请验收"}},
	}
	if _, err := a.SetPlan(cat, plan, c); err != nil {
		t.Fatal(err)
	}
	data, _, err := a.Finalize(cat, pl, e, testKey(), model.Change{Who: "李工", Now: tBaseline})
	if err != nil {
		t.Fatal(err)
	}
	r, err := FromBytes(cat, data)
	if err != nil {
		t.Fatal(err)
	}
	return r, data
}

func TestGoldenDiagnosis(t *testing.T) {
	r, data := diagnosisReport(t)
	golden(t, "diagnosis.json", data)
	golden(t, "diagnosis.md", render(t, func(b *bytes.Buffer) error { return r.WriteMarkdown(b) }))
	page := render(t, func(b *bytes.Buffer) error { return r.WriteHTML(b) })
	golden(t, "diagnosis.html", page)
	if err := validate(compileSchema(t), data); err != nil {
		t.Errorf("diagnosis does not validate: %v", err)
	}
	doc := checkOffline(t, "diagnosis", page)
	var headings []string
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "h2" {
			headings = append(headings, text(n))
		}
	}
	if want := "一、企业基本情况,二、数字化现状,三、评测结果,四、问题与差距,五、改造目标,六、改造方案,七、预期成效,八、实施计划,九、附件,十、签署与校验"; strings.Join(headings, ",") != want {
		t.Errorf("headings = %v", headings)
	}
	s := string(page)
	for _, must := range []string{"<title>" + DiagnosisTitle, "改造目标 <b>二级</b>", QRPayload(r.Doc.ID, r.SHA256()), `class="qr"`,
		"【示例】轻量化 MES（云版）", "tag-example", words.ExampleWarning, "15.15", "2025-12-31", "订单交期经常延误", "评测平台公布", "中等可信度"} {
		if !strings.Contains(s, must) {
			t.Errorf("diagnosis HTML lacks %q", must)
		}
	}
}

// The lists are complete and edited as asked, and the edits are kept in the
// signed document.
func TestDiagnosisLists(t *testing.T) {
	r, _ := diagnosisReport(t)
	doc := r.Doc
	ids := func(items []model.ListItem) []string {
		var out []string
		for _, it := range items {
			out = append(out, it.ID)
		}
		return out
	}
	p := ids(doc.Problems)
	if p[0] != "X-Q02" || p[1] != "U1" {
		t.Errorf("problems start %v, want the contradiction, then the moved pain point", p[:3])
	}
	for _, it := range doc.Problems {
		switch it.ID {
		case "Q15":
			t.Error("removed item Q15 is still listed")
		case "Q05":
			if !it.Edited || it.Title != "信息系统只覆盖财务一个环节" {
				t.Errorf("Q05 not reworded: %+v", it)
			}
		}
	}
	kinds := map[string]int{}
	onPath := 0
	for _, it := range doc.Problems {
		kinds[it.Kind]++
		if it.OnPath {
			onPath++
		}
	}
	if kinds[model.ItemEvidence] == 0 || kinds[model.ItemScenario] == 0 || kinds[model.ItemQuestion] < 10 || kinds[model.ItemPain] != 1 {
		t.Errorf("problem kinds = %v", kinds)
	}
	if onPath != doc.Target.Changes {
		t.Errorf("%d items on the path, the plan changes %d", onPath, doc.Target.Changes)
	}
	if d := ids(doc.Demands); d[0] != "SC07" {
		t.Errorf("demands = %v, want SC07 moved first", d)
	}
	// Baseline plans never lean on the 成效 questions.
	for _, plan := range append([]model.GapPlan{doc.Target, doc.NextLevel}, doc.Target.Alternatives...) {
		for _, s := range plan.Questions {
			if s.ID >= "Q12" {
				t.Errorf("baseline plan changes %s", s.ID)
			}
		}
	}
	if len(doc.Target.Alternatives) == 0 {
		t.Error("no alternative plans")
	}
}

// Markdown and XLSX carry what the HTML carries.
func TestDiagnosisFormatsAgree(t *testing.T) {
	r, _ := diagnosisReport(t)
	md := string(render(t, func(b *bytes.Buffer) error { return r.WriteMarkdown(b) }))
	x, err := excelize.OpenReader(bytes.NewReader(render(t, func(b *bytes.Buffer) error { return r.WriteXLSX(b) })))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	var cells strings.Builder
	for _, sheet := range x.GetSheetList() {
		rows, _ := x.GetRows(sheet)
		for _, row := range rows {
			cells.WriteString(strings.Join(row, "\t") + "\n")
		}
	}
	xl := cells.String()
	d := buildDiagnosis(r)
	var facts []string
	for _, it := range d.Problems {
		facts = append(facts, it.Title)
	}
	for _, inv := range d.Investments {
		facts = append(facts, inv.Item)
	}
	for _, p := range d.Paths {
		facts = append(facts, p.Title)
	}
	facts = append(facts, d.Total, d.QRPayload, d.Survey.Pains[0].V, d.Milestones[0].Title, d.FinePrint[0][:30], "【示例】轻量化 MES（云版）")
	for _, f := range facts {
		if !strings.Contains(md, f) && !strings.Contains(md, mdCell(f)) {
			t.Errorf("markdown lacks %q", f)
		}
		if !strings.Contains(xl, f) {
			t.Errorf("xlsx lacks %q", f)
		}
	}
	if got := x.GetSheetList(); got[0] != "概览" || len(got) != 13 {
		t.Errorf("sheets = %v", got)
	}
}

// Old reports (format 1) still verify and render, in the layout they were
// signed with.
func TestFormatOneReportsStillRender(t *testing.T) {
	cat := testCatalog(t)
	s := compileSchema(t)
	for _, name := range []string{"v1-baseline.json", "v1-acceptance.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := validate(s, data); err != nil {
			t.Errorf("%s does not validate against the current schema: %v", name, err)
		}
		doc, err := model.VerifyReport(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if doc.Format != model.ReportFormatV1 {
			t.Fatalf("%s is not format 1", name)
		}
		r, err := FromBytes(cat, data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if isDiagnosis(r.Doc) {
			t.Errorf("%s renders as a diagnosis", name)
		}
		for _, f := range Formats() {
			out := render(t, func(b *bytes.Buffer) error { return r.Write(b, f) })
			if len(out) == 0 {
				t.Errorf("%s %s is empty", name, f)
			}
		}
		if name == "v1-baseline.json" {
			golden(t, "v1-baseline.md", render(t, func(b *bytes.Buffer) error { return r.WriteMarkdown(b) }))
		}
	}
}
