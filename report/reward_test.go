package report

import (
	"strings"
	"testing"
	"time"

	"digilevel/model"
)

func TestEstimateReward(t *testing.T) {
	p := model.DefaultRewardPolicy()
	e := testEnterprise()
	rated := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

	est := EstimateReward(p, e, nil, 2, "二级", rated)
	if est.Reward != nil || est.Missing != "2027 年营业收入" || est.BeforeYear != 2026 || est.AfterYear != 2027 {
		t.Errorf("missing after-year: %+v", est)
	}
	if s := est.Summary(); s != "暂无法测算，一企一档缺少 2027 年营业收入（万元）" {
		t.Errorf("summary = %q", s)
	}
	if est := EstimateReward(p, e, []model.YearRevenue{}, 2, "二级", rated); est.Missing != "2026 年、2027 年营业收入" {
		t.Errorf("missing both: %q", est.Missing)
	}

	rev := append(append([]model.YearRevenue{}, e.Revenue...), model.YearRevenue{Year: 2027, Wan: "6000"})
	est = EstimateReward(p, e, rev, 2, "二级", rated)
	if est.Reward == nil || est.AmountWan() != "32" || !strings.Contains(est.Summary(), "32 万元") {
		t.Fatalf("estimate = %+v", est)
	}
	// Art. 25 is always stated; the Art. 17–18 note is in the reasons, not repeated.
	notes := strings.Join(est.Notes, "\n")
	if !strings.Contains(notes, "第二十五条") || strings.Contains(notes, "就高不重复") || !strings.Contains(strings.Join(est.Reward.Reasons, "\n"), "就高不重复") {
		t.Errorf("notes = %q", notes)
	}
	if est := EstimateReward(p, e, rev, 1, "一级", rated); est.Reward == nil || est.Reward.Eligible || !strings.Contains(est.Summary(), "0 万元") {
		t.Errorf("一级 = %+v", est)
	}
	// A level no tier rewards gets nothing whatever the revenue: known
	// without it (a spot-check at 一级 leaves 0, not 暂无法测算).
	for level, name := range map[int]string{0: "无等级", 1: "一级"} {
		est := EstimateReward(p, e, []model.YearRevenue{}, level, name, rated)
		if est.Reward == nil || est.Reward.Eligible || est.AmountWan() != "0" || est.Missing != "" ||
			est.Summary() != "0 万元（"+name+"不符合奖励条件）" || !strings.Contains(strings.Join(est.Reward.Reasons, ""), "最低奖励等级（二级）") {
			t.Errorf("%s without revenue: %+v, summary %q", name, est, est.Summary())
		}
	}
	// The office recorded an Art. 25 reason: no reward, and the estimate says why.
	ex := EstimateRewardWith(p, e, rev, 2, "二级", rated, []string{"tax"})
	if ex.Reward == nil || ex.Reward.Eligible || ex.AmountWan() != "0" || ex.Summary() != "0 万元（不予支持: 未依法诚信纳税）" ||
		!strings.Contains(strings.Join(ex.Reward.Reasons, "\n"), "第二十五条") || !strings.Contains(ex.Notes[0], "已记录不予支持情形（未依法诚信纳税）") {
		t.Errorf("excluded = %+v, summary %q", ex, ex.Summary())
	}
	// Without revenue the exclusion still decides the summary.
	if ex := EstimateRewardWith(p, e, nil, 2, "二级", rated, []string{"safety"}); ex.Reward != nil || !strings.Contains(ex.Summary(), "当年发生重大安全生产事故") {
		t.Errorf("excluded without revenue: %q", ex.Summary())
	}
	bad := e
	bad.Batch = 0
	if est := EstimateReward(p, bad, rev, 2, "二级", rated); est.Reward != nil || !strings.Contains(est.Problem, "批次") {
		t.Errorf("bad batch = %+v", est)
	}
	// The rating year is read in Beijing time: 17:00 UTC on 31 December is
	// already the next year.
	if y := RatedYear(time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC)); y != 2027 {
		t.Errorf("RatedYear = %d", y)
	}
}

func TestRewardSection(t *testing.T) {
	f := fixtures(t)
	// Baseline without the 2027 revenue: no projection, the missing year named.
	s := rewardFor(f.baseline)
	if s.Shown || !strings.Contains(strings.Join(s.Basis, ""), "须在一企一档中录入 2027 年营业收入") || !strings.Contains(s.Basis[0], "不作为奖补依据") {
		t.Errorf("baseline section = %+v", s)
	}
	// With it, the target level's reward as a labelled projection.
	r := *f.baseline
	r.Revenue = append(append([]model.YearRevenue{}, r.Revenue...), model.YearRevenue{Year: 2027, Wan: "6000"})
	s = rewardFor(&r)
	if !s.Shown || s.Label != "预测（仅供参考）" || s.Estimate.Level != 2 || s.Estimate.AmountWan() != "32" || !strings.Contains(strings.Join(s.Basis, ""), "以下为预测") {
		t.Errorf("projection = %+v", s)
	}
	// Acceptance: the estimate on its own level.
	s = rewardFor(f.acceptance)
	if !s.Shown || s.Label != "奖补测算" || s.Estimate.AmountWan() != "32" {
		t.Errorf("acceptance section = %+v", s)
	}
	// A spot check is never paid on.
	spot := buildAssessment(t, f.cat, testEnterprise(), "01JNSPOT000000000000000006", model.KindSpotCheck, tDraft, draftAnswers())
	doc, err := model.BuildReport(f.cat, testPlanning(t, f.cat), spot, testEnterprise())
	if err != nil {
		t.Fatal(err)
	}
	sr, err := New(f.cat, doc)
	if err != nil {
		t.Fatal(err)
	}
	s = rewardFor(sr)
	if s.Shown || !strings.Contains(s.Basis[0], "抽查结果不作为奖补兑现依据") || len(s.Estimate.Notes) == 0 {
		t.Errorf("spot check section = %+v", s)
	}
}
