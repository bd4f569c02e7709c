package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/solutions"

	tea "github.com/charmbracelet/bubbletea"
)

// The diagnosis screens of issue 14: site survey, profile, lists, plan.

// withPool imports the shipped 示例 pool into the fixture.
func withPool(t testing.TB, fx fixture) {
	t.Helper()
	cat, err := indicators.Embedded(indicators.DefaultEdition)
	if err != nil {
		t.Fatal(err)
	}
	res, err := solutions.ExamplePool(cat)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.db.ImportSolutions(res.Solutions, model.Change{Who: "测试顾问"}); err != nil {
		t.Fatal(err)
	}
}

// withPlan gives the demo assessment a survey and a complete retrofit plan
// (two scenarios, one with a 示例 and a typed solution, an exact 投入清单,
// a KPI, two milestones), on top of the 示例 pool.
func withPlan(t testing.TB, fx fixture) {
	t.Helper()
	withPool(t, fx)
	pool, err := fx.db.Solutions()
	if err != nil {
		t.Fatal(err)
	}
	use := func(id string) model.SolutionUse {
		for _, s := range pool {
			if s.ID == id {
				return s.Use()
			}
		}
		t.Fatalf("no %s in the pool", id)
		return model.SolutionUse{}
	}
	c := model.Change{Who: "测试顾问"}
	survey := &model.Survey{Date: "2026-03-02", Findings: "冲压、焊接、装配三段工艺；排产靠主管经验。",
		Surveyors:  []model.Surveyor{{Name: "测试顾问", Agency: "测试服务商", Role: "调查员"}},
		PainPoints: []model.PainPoint{{Kind: "difficulty", Text: "订单交期难以预估"}, {Kind: "blockage", Text: "仓库账实不符"}}}
	if _, err := fx.db.SaveSurvey(fx.demo, survey, c); err != nil {
		t.Fatal(err)
	}
	plan := &model.RetrofitPlan{TargetLevel: 2, Goal: "一年内达到二级，质量与计划排程先行",
		Architecture: "云版 MES 对接现有财务软件，车间加装采集网关",
		Scenarios: []model.ScenarioGoal{
			{Scenario: "SC07", Target: 2, Solutions: []model.SolutionUse{use("EX-03"), {Name: "质量数据采集终端", Provider: "新乡市某某自动化有限公司", Deployment: "local"}}},
			{Scenario: "SC05", Target: 2, Solutions: []model.SolutionUse{use("EX-01")}},
		},
		Investments: []model.Investment{
			{Item: "采集网关", Category: "hardware", Quantity: "10", Unit: "台", UnitPrice: "0.45", Amount: "4.5", Scenario: "SC07"},
			{Item: "云版 MES 年费", Category: "cloud", Amount: "6", Scenario: "SC05"},
			{Item: "实施服务", Category: "service", Amount: "2.35"},
		},
		KPIs:       []model.KPITarget{{Question: "Q13", Name: "月均产品合格率", Unit: "%", Baseline: "96", Target: "98.5"}},
		Milestones: []model.Milestone{{Date: "2026-04-01", Title: "签订合同"}, {Date: "2026-06-30", Title: "上线试运行"}},
	}
	if _, err := fx.db.SavePlan(fx.demo, plan, c); err != nil {
		t.Fatal(err)
	}
}

// diagScreens are the goldens of the diagnosis screens (appended to screens).
var diagScreens = []screenCase{
	// A new baseline opens on the survey, prefilled with today and who rates.
	{name: "survey_new", keys: []string{"/", "牧野", "enter", "n", "enter"}},
	// The review's u: the stored survey's findings and pain points.
	{name: "survey_stored", prep: withPlan, keys: []string{"enter", "r", "u", "enter", "enter"}},
	{name: "profile", keys: []string{"i"}},
	// The review with the priced path, its alternatives and the lists.
	{name: "review_path", keys: []string{"enter", "r", "pgdown"}},
	{name: "review_lists", prep: withPlan, keys: []string{"enter", "r", "pgdown", "pgdown"}},
	{name: "lists_problems", keys: []string{"enter", "r", "l"}},
	{name: "lists_demands", keys: []string{"enter", "r", "l", "tab", "down"}},
	{name: "lists_add_pain", keys: []string{"enter", "r", "l", "p", "订单交期靠主管经验估计", "tab", "老板在调研中提到"}},
	{name: "lists_remove_ask", keys: []string{"enter", "r", "l", "down", "x"}},
	{name: "plan_empty", keys: []string{"enter", "r", "p"}},
	{name: "plan_filled", prep: withPlan, keys: []string{"enter", "r", "p", "down"}},
	{name: "plan_scenario_editor", prep: withPool, keys: []string{"enter", "r", "p", "down", "enter", "tab", "tab", "space"}},
	{name: "plan_invest_error", prep: withPlan, keys: []string{"enter", "r", "p", "down", "down", "down", "down", "enter", "tab", "tab", "tab", "tab", "tab", "ctrl+u", "5", "enter"}},
	{name: "plan_kpi_editor", prep: withPlan, keys: []string{"enter", "r", "p", "pgdown", "pgdown", "up", "enter"}},
	{name: "plan_import", keys: []string{"enter", "r", "p", "pgdown", "pgdown", "pgdown", "up", "enter"}},
}

// TestFlowDiagnosis is issue 14's TUI flow on the real program loop and a
// real store: a new baseline's survey filled in, the 15 questions and 16
// scenarios, both lists edited (add, pain point, remove, move), a pool
// file imported, a plan with two pool solutions and a 投入清单 entered,
// finalized; the stored, signed report is decoded and holds all of it.
func TestFlowDiagnosis(t *testing.T) {
	fx := newFixture(t, false)
	dir := t.TempDir()
	f := startFlow(t, fx.db)
	f.waitFor("3 / 3 家企业")
	f.keys("/", "牧野", "enter", "n", "enter")

	// The survey: today and the assessor are prefilled; a second surveyor,
	// the findings and two pain points are typed.
	f.waitFor("现场调研")
	f.keys("enter")
	f.waitFor("┃ 调研人员")
	f.tm.Send(tea.KeyMsg{Type: tea.KeyCtrlJ})
	f.keys("王工, 牧野食品, 生产部长, 13900000000", "enter")
	f.waitFor("┃ 调研情况")
	f.keys("冲压、焊接、装配三段工艺", "enter")
	f.waitFor("┃ 痛点、难点、堵点")
	f.keys("难点: 订单交期难以预估")
	f.tm.Send(tea.KeyMsg{Type: tea.KeyCtrlJ})
	f.keys("堵点：仓库账实不符", "enter")
	f.waitFor("第 1/15 题")
	list, err := fx.db.Assessments(fx.codeE3)
	if err != nil || len(list) != 1 || list[0].Survey == nil {
		t.Fatalf("the survey is not stored before the walk: %v %v", list, err)
	}
	id := list[0].ID

	// The walk: one key a single choice, letters and enter a multi choice;
	// every scenario at 一级, so the 需求场景清单 has items.
	for q, ks := range [][]string{{"b", "enter"}, {"c"}, {"b"}, {"f", "g", "h", "enter"}, {"c"}, {"b", "enter"}, {"b", "enter"},
		{"d"}, {"b", "enter"}, {"b", "enter"}, {"b"}, {"b"}, {"b"}, {"c"}, {"b"}} {
		f.keys(ks...)
		if q < 14 {
			f.waitFor(fmt.Sprintf("第 %d/15 题", q+2))
		}
	}
	f.waitFor("场景 1/16")
	for s := 1; s <= 16; s++ {
		f.keys("1")
		if s < 16 {
			f.waitFor(fmt.Sprintf("场景 %d/16", s+1))
		}
	}
	f.waitFor("可以定稿")

	// The lists as the store computes them, to know what to expect.
	before, err := fx.db.Diagnosis(id)
	if err != nil {
		t.Fatal(err)
	}
	probs, dems := before.Diagnosis.Problems, before.Diagnosis.Demands
	if len(probs) < 3 || len(dems) < 3 {
		t.Fatalf("fixture: %d problems, %d demands", len(probs), len(dems))
	}
	// 问题清单: an item and a pain point are added (U1, U2, at the end),
	// the pain point moved above U1, the first item removed.
	f.keys("l")
	f.waitFor("[问题清单")
	f.keys("a", "交货期考核缺少数据依据", "tab", "调研中发现", "enter")
	f.waitFor("已增加")
	f.keys("p", "老板: 订单一多就乱", "enter")
	f.waitFor("U2 ・ 企业所述痛点") // the new item selected once stored and read again
	f.keys("K")
	f.waitFor("已调整顺序")
	for range len(probs) + 2 {
		f.keys("up")
	}
	f.keys("x")
	f.waitFor("从清单中删去「" + probs[0].ID)
	f.keys("y")
	f.waitFor("已删去")
	// 需求场景清单: the first item moved down one, an item added (U1), the
	// last generated one removed.
	f.keys("tab")
	f.waitFor("[需求场景清单")
	f.keys("J")
	f.waitFor("已调整顺序")
	f.keys("a", "打通订单与排产数据", "enter")
	f.waitFor("已增加")
	f.keys("up", "x")
	f.waitFor("从清单中删去「" + dems[len(dems)-1].ID)
	f.keys("y")
	f.waitFor("已删去")
	f.keys("esc")
	f.waitFor("可以定稿")

	// A pool file with three solutions, two of them for the scenario the
	// plan screen proposes first (the first of the 需求场景清单).
	mid, err := fx.db.Diagnosis(id)
	if err != nil {
		t.Fatal(err)
	}
	sc := mid.Diagnosis.Demands[0].Ref
	pool := filepath.Join(dir, "方案池.csv")
	csv := "编号,名称,服务商,适用场景,部署方式,价格区间\n" +
		"P-01,质检数据采集系统,新乡市甲数字科技有限公司," + sc + ":2-3,本地,3-5 万元\n" +
		"P-02,云质量管理 SaaS,河南乙云服务有限公司," + sc + ":2,云端,1-2 万元/年\n" +
		"P-03,能耗监测平台,河南丙能源科技有限公司,SC10:2,云端,2 万元/年\n"
	if err := os.WriteFile(pool, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	f.keys("p")
	f.waitFor("改造方案 ・")
	f.keys("pgdown", "pgdown", "pgdown", "up", "enter")
	f.waitFor("导入方案池文件")
	f.keys(pool, "enter")
	f.waitFor("已导入方案池: 新增 3")

	// A scenario with the two pool solutions ticked.
	f.keys("pgup", "pgup", "pgup", "down", "enter")
	f.waitFor("P-02")
	f.keys("tab", "tab", "space", "tab", "space", "enter")
	f.waitFor("已保存改造方案")
	// The 投入清单: 10 x 0.45 computed exactly, and an amount typed.
	f.keys("down", "down", "enter")
	f.waitFor("投入项")
	f.keys("采集网关", "tab", "tab", "10", "tab", "台", "tab", "0.45", "enter")
	f.waitFor("采集网关（硬件）4.5 万元")
	f.keys("a", "云质量管理年费", "tab", "right", "right", "tab", "tab", "tab", "tab", "1.35", "enter")
	f.waitFor("合计 5.85 万元")
	f.keys("esc")
	f.waitFor("可以定稿")
	f.keys("f")
	f.waitFor("确认定稿")
	f.keys("y")
	f.waitFor("已定稿")
	f.quit()

	// The stored, signed report holds the survey, the edited lists and the plan.
	rd, err := fx.db.Report(id)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := model.VerifyReport(rd.Bytes)
	if err != nil {
		t.Fatalf("the stored report does not verify: %v", err)
	}
	if doc.Draft || doc.Signature == nil {
		t.Fatalf("report draft %v, signature %v", doc.Draft, doc.Signature)
	}
	s := doc.Survey
	if s == nil || s.Date != "2026-03-02" || len(s.Surveyors) != 2 || s.Surveyors[1] != (model.Surveyor{Name: "王工", Agency: "牧野食品", Role: "生产部长", Contact: "13900000000"}) ||
		s.Findings != "冲压、焊接、装配三段工艺" || !slices.Equal(s.PainPoints, []model.PainPoint{{Kind: "difficulty", Text: "订单交期难以预估"}, {Kind: "blockage", Text: "仓库账实不符"}}) {
		t.Errorf("survey in the report: %+v", s)
	}
	ids := func(items []model.ListItem) []string {
		var out []string
		for _, it := range items {
			out = append(out, it.ID)
		}
		return out
	}
	wantP := append(ids(probs[1:]), "U2", "U1")
	if got := ids(doc.Problems); !slices.Equal(got, wantP) {
		t.Errorf("问题清单 in the report:\n got %v\nwant %v", got, wantP)
	}
	if u := doc.Problems[len(doc.Problems)-2]; u.Kind != model.ItemPain || u.Title != "老板: 订单一多就乱" {
		t.Errorf("pain point = %+v", u)
	}
	if u := doc.Problems[len(doc.Problems)-1]; u.Kind != model.ItemCustom || u.Title != "交货期考核缺少数据依据" || u.Note != "调研中发现" {
		t.Errorf("added item = %+v", u)
	}
	wantD := append(append([]string{dems[1].ID, dems[0].ID}, ids(dems[2:len(dems)-1])...), "U1")
	if got := ids(doc.Demands); !slices.Equal(got, wantD) {
		t.Errorf("需求场景清单 in the report:\n got %v\nwant %v", got, wantD)
	}
	p := doc.Plan
	if p == nil || len(p.Scenarios) != 1 || p.Scenarios[0].Scenario != sc || len(p.Scenarios[0].Solutions) != 2 {
		t.Fatalf("plan in the report: %+v", p)
	}
	for i, want := range []string{"P-01", "P-02"} {
		if got := p.Scenarios[0].Solutions[i]; got.PoolID != want || got.Example {
			t.Errorf("solution %d = %+v, want %s from the pool", i, got, want)
		}
	}
	if total, _ := p.InvestmentTotal(); total != "5.85" || len(p.Investments) != 2 || p.Investments[0].Amount != "4.5" || p.Investments[1].Category != "cloud" {
		t.Errorf("投入清单 %+v, total %s", p.Investments, total)
	}
}

// TestFlowSurveyFromReview: the review's u opens the stored survey,
// prefilled; esc on it untouched returns; a change is saved before the
// review comes back.
func TestFlowSurveyFromReview(t *testing.T) {
	fx := newFixture(t, false)
	withPlan(t, fx)
	f := startFlow(t, fx.db)
	f.waitFor("3 / 3 家企业")
	f.keys("enter")
	f.waitFor("第 ") // the demo draft resumes in the walk
	f.keys("r")
	f.waitFor("总分")
	f.keys("u")
	f.waitFor("测试顾问, 测试服务商, 调查员")
	f.keys("esc")
	f.waitFor("总分")
	if a, _ := fx.db.Assessment(fx.demo); a.Survey.Findings != "冲压、焊接、装配三段工艺；排产靠主管经验。" {
		t.Fatalf("esc changed the survey: %+v", a.Survey)
	}
	f.keys("u")
	f.waitFor("┃ 调研日期")
	f.keys("enter")
	f.waitFor("┃ 调研人员")
	f.keys("enter")
	f.waitFor("┃ 调研情况")
	f.keys("ctrl+u", "焊接工序靠人工", "enter")
	f.waitFor("┃ 痛点、难点、堵点")
	f.keys("enter")
	f.waitFor("已保存现场调研")
	f.quit()
	a, err := fx.db.Assessment(fx.demo)
	if err != nil {
		t.Fatal(err)
	}
	if a.Survey == nil || a.Survey.Findings != "焊接工序靠人工" || len(a.Survey.PainPoints) != 2 || a.Survey.PainPoints[1] != (model.PainPoint{Kind: "blockage", Text: "仓库账实不符"}) {
		t.Fatalf("stored survey %+v", a.Survey)
	}
}

// TestFlowProfileRecordsDatedStatus: the profile screen stores the §8.5
// profile and a change of 规模 with the date typed, not today's.
func TestFlowProfileRecordsDatedStatus(t *testing.T) {
	fx := newFixture(t, false)
	f := startFlow(t, fx.db)
	f.waitFor("3 / 3 家企业")
	f.keys("/", "牧野", "enter", "i")
	field := func(title string, keys ...string) {
		t.Helper()
		f.waitFor("┃ " + title)
		f.keys(keys...)
		f.keys("enter")
	}
	field("所在区域", "新乡经开区")
	field("二级行业")
	field("企业类型")
	field("注册资本", "500")
	field("成立日期", "2015-05-20")
	field("员工人数", "120")
	field("主要产品", "速冻米面制品")
	field("工艺流程", "和面、成型、速冻、包装")
	field("智能设备")
	field("在用工业软件", "生产制造, MES, 某品牌 V3")
	field("云使用", "right", "right")
	field("网络", "space")
	field("认证", "ISO 22000")
	field("荣誉")
	field("经营数据", "2025 8200 410")
	field("数字化转型资金")
	field("计划上云")
	field("计划使用的软件")
	// 规模 规下 -> 规上 as of the end of 2025, with its basis.
	field("规模", "left")
	field("专精特新")
	field("生效日期", "ctrl+u", "2025-12-31")
	field("说明", "统计局入库通知")
	f.waitFor("已保存企业档案")
	f.quit()
	e, err := fx.db.Enterprise(fx.codeE3)
	if err != nil {
		t.Fatal(err)
	}
	p := e.Profile
	if p == nil || p.Region != "新乡经开区" || p.RegisteredCapital != "500" || p.Founded != "2015-05-20" || p.Employees != 120 ||
		p.MainProducts != "速冻米面制品" || len(p.Software) != 1 || p.Software[0] != (model.SoftwareItem{Area: "生产制造", Type: "MES", Brand: "某品牌 V3"}) ||
		p.Cloud != "public" || !slices.Equal(p.Network, []string{"broadband"}) || !slices.Equal(p.Certifications, []string{"ISO 22000"}) ||
		len(p.Finances) != 1 || p.Finances[0] != (model.YearFinance{Year: 2025, Assets: "8200", Profit: "410"}) {
		t.Fatalf("stored profile %+v", p)
	}
	if e.Scale != model.ScaleAbove || len(e.StatusHistory) != 1 ||
		e.StatusHistory[0] != (model.StatusChange{Field: model.FieldScale, From: "below", To: "above", Date: "2025-12-31", Note: "统计局入库通知"}) {
		t.Fatalf("scale %s, history %+v", e.Scale, e.StatusHistory)
	}
}

// TestListMoveTo: m moves an item to a typed position; a position out of
// range is refused with the range and changes nothing.
func TestListMoveTo(t *testing.T) {
	fx := newFixture(t, false)
	h := newHarness(t, testDeps(fx.db), 80, 24)
	h.keys("enter", "r", "l", "pgdown", "m", "ctrl+u", "99", "enter")
	if v := h.view(); !strings.Contains(v, "请填 1 到") {
		t.Fatalf("no range error:\n%s", v)
	}
	if a, _ := fx.db.Assessment(fx.demo); a.Edits != nil {
		t.Fatalf("a refused move was stored: %+v", a.Edits)
	}
	d, _ := fx.db.Diagnosis(fx.demo)
	moved := d.Diagnosis.Problems[h.m.cur().(listsModel).cursor[model.ListProblems]].ID
	h.keys("ctrl+u", "1", "enter")
	d, _ = fx.db.Diagnosis(fx.demo)
	if d.Diagnosis.Problems[0].ID != moved {
		t.Fatalf("first item %s, want %s", d.Diagnosis.Problems[0].ID, moved)
	}
	if l := h.m.cur().(listsModel); l.cursor[model.ListProblems] != 0 {
		t.Errorf("the cursor did not follow the moved item: %d", l.cursor[model.ListProblems])
	}
}

// TestPlanImportBadFile: a pool file that cannot be read keeps the dialog
// with the reason in Chinese; a file with a bad row imports the others and
// names the row.
func TestPlanImportBadFile(t *testing.T) {
	fx := newFixture(t, false)
	dir := t.TempDir()
	h := newHarness(t, testDeps(fx.db), 80, 24)
	h.keys("enter", "r", "p", "pgdown", "pgdown", "pgdown", "up", "enter", filepath.Join(dir, "没有.csv"), "enter")
	if v := h.view(); !strings.Contains(v, "导入方案池文件") || !strings.Contains(v, "解决方案文件") {
		t.Fatalf("a missing file:\n%s", v)
	}
	pool := filepath.Join(dir, "pool.csv")
	csv := "编号,名称,服务商,适用场景,部署方式\nP-01,质检系统,某公司,SC07:2,本地\nP-02,坏行,某公司,SC99:2,云端\n"
	if err := os.WriteFile(pool, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	h.keys("ctrl+u", pool, "enter")
	v := h.view()
	if !strings.Contains(strings.ReplaceAll(v, "\n", ""), "第 3 行") || !strings.Contains(v, "新增 1") {
		t.Fatalf("a file with a bad row:\n%s", v)
	}
	if pool, _ := fx.db.Solutions(); len(pool) != 1 || pool[0].ID != "P-01" {
		t.Fatalf("pool %+v", pool)
	}
}

// fullDisk makes the diagnosis writes fail, as a full disk would.
type fullDisk struct{ Store }

func (fullDisk) SavePlan(string, *model.RetrofitPlan, model.Change) (model.Assessment, error) {
	return model.Assessment{}, model.Errorf(model.ErrInvalid, "磁盘已满")
}

func (fullDisk) EditList(string, model.ListEdit, model.Change) (model.Assessment, error) {
	return model.Assessment{}, model.Errorf(model.ErrInvalid, "磁盘已满")
}

// TestDiagnosisWriteErrorsKeepWork: a refused plan save keeps the dialog
// open with what was typed and the reason; a refused list edit keeps the
// dialog too; a refused removal says why and removes nothing.
func TestDiagnosisWriteErrorsKeepWork(t *testing.T) {
	fx := newFixture(t, false)
	withPlan(t, fx)
	h := newHarness(t, testDeps(fullDisk{fx.db}), 80, 24)
	h.keys("enter", "r", "p", "enter", "tab", "新的目标说明", "enter")
	v := h.view()
	if !strings.Contains(v, "磁盘已满") || !strings.Contains(v, "新的目标说明") || !strings.Contains(v, "系统与集成架构") {
		t.Fatalf("a failed plan save should keep the dialog, its text and the reason:\n%s", v)
	}
	h.keys("esc", "y", "down", "x", "y")
	if v := h.view(); !strings.Contains(v, "磁盘已满") || strings.Contains(v, "删去「") {
		t.Fatalf("a failed removal should say why and leave the question:\n%s", v)
	}
	h.keys("esc", "l", "a", "新条目", "enter")
	if v := h.view(); !strings.Contains(v, "磁盘已满") || !strings.Contains(v, "新条目") {
		t.Fatalf("a failed list edit should keep the dialog and say why:\n%s", v)
	}
	a, _ := fx.db.Assessment(fx.demo)
	if a.Plan.Goal != "一年内达到二级，质量与计划排程先行" || len(a.Plan.Scenarios) != 2 || a.Edits != nil {
		t.Fatalf("refused writes changed the store: %+v %+v", a.Plan, a.Edits)
	}
}
