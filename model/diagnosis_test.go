package model

import (
	"errors"
	"strings"
	"testing"
	"time"

	"digilevel/indicators"
)

func TestProfileValidate(t *testing.T) {
	tests := []struct {
		name string
		p    Profile
		want string
	}{
		{"empty", Profile{}, ""},
		{"full", Profile{Region: "新乡经开区", Founded: "2012-05-18", Employees: 10, RegisteredCapital: "3000", Cloud: "hybrid", Network: []string{"5g"},
			Software: []SoftwareItem{{Area: "运营", Type: "ERP"}}, Finances: []YearFinance{{Year: 2025, Assets: "1", Profit: "-3.5"}}}, ""},
		{"control character", Profile{MainProducts: "数控\x1b]0;x\x07机床"}, "控制字符"},
		{"bad date", Profile{Founded: "2012/05/18"}, "YYYY-MM-DD"},
		{"bad area", Profile{Software: []SoftwareItem{{Area: "财务", Type: "ERP"}}}, "领域应为"},
		{"software without type", Profile{Software: []SoftwareItem{{Area: "运营"}}}, "不能为空"},
		{"bad cloud", Profile{Cloud: "edge"}, "none、public"},
		{"bad network", Profile{Network: []string{"wifi"}}, "broadband"},
		{"duplicate year", Profile{Finances: []YearFinance{{Year: 2025}, {Year: 2025}}}, "重复"},
		{"negative assets", Profile{Finances: []YearFinance{{Year: 2025, Assets: "-1"}}}, "为负数"},
		{"negative capital", Profile{RegisteredCapital: "-1"}, "注册资本"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if tt.want == "" {
				if err != nil {
					t.Errorf("Validate() = %v", err)
				}
				return
			}
			if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
}

// A change of 规模 or 专精特新 keeps its date, whether recorded explicitly
// or found on an edit.
func TestStatusHistory(t *testing.T) {
	e := Enterprise{Code: DemoCode, Name: "甲", Batch: 1, Scale: ScaleBelow, ZJTX: ZJTXNone}
	if err := e.RecordStatus(FieldScale, "规上", "2025-12-31", "年报", "2026-01-05"); err != nil {
		t.Fatal(err)
	}
	if err := e.RecordStatus(FieldScale, "above", "2026-01-05", "", "2026-01-05"); err != nil || len(e.StatusHistory) != 1 {
		t.Fatalf("setting the same value again recorded %v (%v)", e.StatusHistory, err)
	}
	for _, bad := range []struct{ field, value, date string }{{FieldScale, "big", "2025-01-01"}, {FieldZJTX, "national", "昨天"}, {"batch", "2", "2025-01-01"}} {
		if err := e.RecordStatus(bad.field, bad.value, bad.date, "", "2026-01-05"); !errors.Is(err, ErrInvalid) {
			t.Errorf("RecordStatus(%v) = %v", bad, err)
		}
	}
	// Recorded as they happen: not ahead of today, not before the field's
	// latest change (the current value would no longer be the latest);
	// a refusal changes nothing.
	for _, bad := range []struct{ field, value, date, want string }{
		{FieldScale, "below", "2026-01-06", "晚于今天（2026-01-05）"},
		{FieldScale, "below", "2099-01-01", "晚于今天"},
		{FieldScale, "below", "2025-06-30", "早于规模最近一次变化（2025-12-31 起为规上）"},
	} {
		before := e
		err := e.RecordStatus(bad.field, bad.value, bad.date, "", "2026-01-05")
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("RecordStatus(%s %s) = %v, want %q", bad.value, bad.date, err, bad.want)
		}
		if e.Scale != before.Scale || len(e.StatusHistory) != len(before.StatusHistory) {
			t.Errorf("a refused change changed the enterprise: %v %+v", e.Scale, e.StatusHistory)
		}
	}
	// Another field's history does not order this one; the same day is not earlier.
	if err := e.RecordStatus(FieldZJTX, "provincial", "2025-06-30", "", "2026-01-05"); err != nil {
		t.Fatalf("专精特新 before the 规模 change: %v", err)
	}
	e.ZJTX, e.StatusHistory = ZJTXNone, e.StatusHistory[:1]
	old := e
	e.ZJTX = ZJTXProvincial
	e.TrackStatus(old, "2026-02-01")
	want := []StatusChange{{Field: FieldScale, From: "below", To: "above", Date: "2025-12-31", Note: "年报"}, {Field: FieldZJTX, From: "none", To: "provincial", Date: "2026-02-01"}}
	if len(e.StatusHistory) != 2 || e.StatusHistory[0] != want[0] || e.StatusHistory[1] != want[1] {
		t.Errorf("history = %+v", e.StatusHistory)
	}
	if err := e.Validate(); err != nil {
		t.Error(err)
	}
	if BeijingDay(time.Date(2026, 2, 28, 17, 0, 0, 0, time.UTC)) != "2026-03-01" {
		t.Error("BeijingDay does not use UTC+8")
	}
}

func TestSurvey(t *testing.T) {
	cat := catalog(t)
	a, _ := NewAssessment(NewAssessmentOptions{ID: "A", Enterprise: DemoCode, Kind: KindBaseline, Catalog: cat, Now: time.Now()})
	c := Change{Who: "李工", Now: time.Now()}
	good := &Survey{Date: "2026-3-1", Surveyors: []Surveyor{{Name: " 李工 ", Role: "调查员"}}, PainPoints: []PainPoint{{Kind: "pain", Text: "交期延误"}}}
	if _, err := a.SetSurvey(good, c); !errors.Is(err, ErrInvalid) {
		t.Errorf("date 2026-3-1 accepted: %v", err)
	}
	good.Date = "2026-03-01"
	if e, err := a.SetSurvey(good, c); err != nil || a.Survey.Surveyors[0].Name != "李工" || e.Action != ActionSurvey {
		t.Fatalf("SetSurvey = %v, %+v", err, a.Survey)
	}
	for name, s := range map[string]Survey{
		"surveyor without name": {Date: "2026-03-01", Surveyors: []Surveyor{{Agency: "甲"}}},
		"unknown pain kind":     {Date: "2026-03-01", PainPoints: []PainPoint{{Kind: "worry", Text: "x"}}},
		"empty pain":            {Date: "2026-03-01", PainPoints: []PainPoint{{Kind: "pain", Text: "\u200b"}}},
		"bidi override":         {Date: "2026-03-01", Findings: "正常\u202e反转"},
	} {
		if _, err := a.SetSurvey(&s, c); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s accepted: %v", name, err)
		}
	}
	if _, err := a.SetSurvey(nil, c); err != nil || a.Survey != nil {
		t.Errorf("clearing: %v", err)
	}
}

func TestRetrofitPlanValidate(t *testing.T) {
	cat := catalog(t)
	ok := func() *RetrofitPlan {
		return &RetrofitPlan{TargetLevel: 2, Scenarios: []ScenarioGoal{{Scenario: "SC06", Target: 2, Solutions: []SolutionUse{{Name: "MES", Deployment: "cloud"}}}},
			Investments: []Investment{{Item: "网关", Category: "hardware", Quantity: "3", UnitPrice: "0.1", Amount: "0.3"}, {Item: "实施", Category: "service", Amount: "0.2"}},
			KPIs:        []KPITarget{{Question: "Q13", Name: "合格率", Target: "99"}}, Milestones: []Milestone{{Date: "2026-09-30", Title: "验收"}}}
	}
	if err := ok().Validate(cat); err != nil {
		t.Fatal(err)
	}
	// 0.1 + 0.2 is 0.3 exactly, not 0.30000000000000004.
	p := ok()
	p.Investments[0] = Investment{Item: "a", Category: "other", Amount: "0.1"}
	total, by := p.InvestmentTotal()
	if total != "0.3" || by["other"] != "0.1" || by["service"] != "0.2" {
		t.Errorf("total %s, by category %v", total, by)
	}
	tests := []struct {
		name   string
		change func(p *RetrofitPlan)
		want   string
	}{
		{"unknown scenario", func(p *RetrofitPlan) { p.Scenarios[0].Scenario = "SC99" }, "不存在"},
		{"duplicate scenario", func(p *RetrofitPlan) { p.Scenarios = append(p.Scenarios, p.Scenarios[0]) }, "重复"},
		{"target level 5", func(p *RetrofitPlan) { p.Scenarios[0].Target = 5 }, "目标等级"},
		{"amount not quantity × price", func(p *RetrofitPlan) { p.Investments[0].Amount = "0.31" }, "不等于数量"},
		{"five decimals", func(p *RetrofitPlan) { p.Investments[1].Amount = "0.00001" }, "4 位小数"},
		{"negative amount", func(p *RetrofitPlan) { p.Investments[1].Amount = "-1" }, "负数"},
		{"missing amount", func(p *RetrofitPlan) { p.Investments[1].Amount = "" }, "缺少金额"},
		{"unknown category", func(p *RetrofitPlan) { p.Investments[1].Category = "travel" }, "类别"},
		{"bad deployment", func(p *RetrofitPlan) { p.Scenarios[0].Solutions[0].Deployment = "edge" }, "部署方式"},
		{"kpi without target", func(p *RetrofitPlan) { p.KPIs[0].Target = "" }, "目标值"},
		{"kpi of unknown question", func(p *RetrofitPlan) { p.KPIs[0].Question = "Q99" }, "不存在"},
		{"bad milestone date", func(p *RetrofitPlan) { p.Milestones[0].Date = "九月底" }, "YYYY-MM-DD"},
		{"control character", func(p *RetrofitPlan) { p.Goal = "a\x07" }, "控制字符"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ok()
			tt.change(p)
			if err := p.Validate(cat); err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
}

// The 问题清单 lists every weak point: each question below its maximum,
// each scenario below the target, each contradiction and each missing
// evidence the planning data expects; the path items are marked.
func TestDiagnosisListsAreComplete(t *testing.T) {
	cat := catalog(t)
	pl := planning(t, cat)
	a, _ := NewAssessment(NewAssessmentOptions{ID: "A", Enterprise: DemoCode, Kind: KindBaseline, Catalog: cat, Now: time.Now()})
	a.Answers = withScenarios(cat, withScore(t, cat, zeroAnswers(cat), indicators.MustPoints("30")), 1, 5, 3)
	a.Answers.Numbers = map[string]map[string]Decimal{"Q02": {"total_devices": "100", "digital_devices": "90"}}
	d, err := Diagnose(cat, pl, a)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]ListItem{}
	for _, it := range d.Problems {
		if _, dup := byID[it.ID]; dup {
			t.Errorf("duplicate item %s", it.ID)
		}
		byID[it.ID] = it
	}
	for _, q := range d.Result.Questions {
		if _, ok := byID[q.ID]; (q.Points < q.Max) != ok {
			t.Errorf("%s (%s/%s) listed = %v", q.ID, q.Points, q.Max, ok)
		}
	}
	for _, s := range d.Result.Scenarios {
		if _, ok := byID[s.ID]; (int(s.Level) < d.Target.Target) != ok {
			t.Errorf("%s at %d listed = %v", s.ID, s.Level, ok)
		}
	}
	if d.Problems[0].ID != "X-Q02" {
		t.Errorf("first item %s, want the contradiction X-Q02", d.Problems[0].ID)
	}
	onPath := 0
	for _, it := range d.Problems {
		if it.OnPath {
			onPath++
		}
	}
	if onPath != d.Target.Changes || onPath == 0 {
		t.Errorf("%d items on path, plan changes %d", onPath, d.Target.Changes)
	}
	evidence := 0
	for _, it := range d.Problems {
		if it.Kind == ItemEvidence {
			evidence++
			if _, ok := pl.EvidenceFor(it.Ref); !ok && !strings.HasPrefix(it.Ref, "SC") {
				t.Errorf("evidence expected where the planning data does not: %s", it.Ref)
			}
		}
	}
	if evidence == 0 {
		t.Error("no missing evidence listed")
	}
}

func TestEditList(t *testing.T) {
	cat := catalog(t)
	pl := planning(t, cat)
	a, _ := NewAssessment(NewAssessmentOptions{ID: "A", Enterprise: DemoCode, Kind: KindBaseline, Catalog: cat, Now: time.Now()})
	a.Answers = withScenarios(cat, withScore(t, cat, zeroAnswers(cat), indicators.MustPoints("30")), 1, 5, 3)
	c := Change{Who: "李工", Now: time.Now()}
	edit := func(e ListEdit) error { _, err := a.EditList(cat, pl, e, c); return err }
	steps := []ListEdit{
		{List: ListProblems, Op: OpPain, Title: "交期延误"},
		{List: ListProblems, Op: OpAdd, Title: "补充", Ref: "Q05"},
		{List: ListProblems, Op: OpMove, Item: "U2", Position: 1},
		{List: ListProblems, Op: OpReword, Item: "U1", Title: "交期经常延误", Note: "企业所述"},
		{List: ListProblems, Op: OpRemove, Item: "Q04"},
		{List: ListDemands, Op: OpRemove, Item: "SC01"},
	}
	for _, e := range steps {
		if err := edit(e); err != nil {
			t.Fatalf("%+v: %v", e, err)
		}
	}
	d, _ := Diagnose(cat, pl, a)
	if d.Problems[0].ID != "U2" || d.Problems[0].Kind != ItemCustom {
		t.Errorf("first = %+v", d.Problems[0])
	}
	for _, it := range d.Problems {
		if it.ID == "Q04" {
			t.Error("Q04 not removed")
		}
		if it.ID == "U1" && (it.Title != "交期经常延误" || !it.Edited || it.Kind != ItemPain) {
			t.Errorf("U1 = %+v", it)
		}
	}
	for _, it := range d.Demands {
		if it.ID == "SC01" {
			t.Error("SC01 not removed from the demands")
		}
	}
	// The lists stay complete when an answer changes after editing: Q11,
	// at its maximum so far and not listed, is listed once lowered.
	for _, it := range d.Problems {
		if it.ID == "Q11" {
			t.Fatal("fixture: Q11 is already listed")
		}
	}
	if _, err := a.SetAnswer(cat, "Q11", []string{"A"}, c); err != nil {
		t.Fatal(err)
	}
	d, _ = Diagnose(cat, pl, a)
	found := false
	for _, it := range d.Problems {
		found = found || it.ID == "Q11"
	}
	if !found || d.Problems[0].ID != "U2" {
		t.Error("an answer changed after editing lost the edits or the new weak point")
	}
	for name, e := range map[string]ListEdit{
		"unknown list":       {List: "todo", Op: OpAdd, Title: "x"},
		"unknown item":       {List: ListProblems, Op: OpRemove, Item: "Q99"},
		"removed item":       {List: ListProblems, Op: OpReword, Item: "Q04", Title: "x"},
		"empty title":        {List: ListProblems, Op: OpAdd, Title: "  "},
		"position 0":         {List: ListProblems, Op: OpMove, Item: "U1", Position: 0},
		"pain in demands":    {List: ListDemands, Op: OpPain, Title: "x"},
		"unknown op":         {List: ListProblems, Op: "sort"},
		"control in title":   {List: ListProblems, Op: OpAdd, Title: "a\x1b[2Jb"},
		"multiline in title": {List: ListProblems, Op: OpAdd, Title: "a\nb"},
	} {
		if err := edit(e); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	a.State = StateFinalized
	if err := edit(ListEdit{List: ListProblems, Op: OpPain, Title: "x"}); !errors.Is(err, ErrFinalized) {
		t.Errorf("finalized: %v", err)
	}
}
