package report

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"digilevel/indicators"
	"digilevel/model"
)

const idSpotCheck = "01JNSP0TCHECK0000000000004"

var tSpotCheck = time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)

// inspectorKey signs the spot-check: another laptop than the provider's.
func inspectorKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{11}, ed25519.SeedSize))
}

// spotCheckAssessment is an inspector's spot-check of checked, rated with
// ans (blind), finalized when final is true.
func spotCheckAssessment(t testing.TB, cat *indicators.Catalog, checked *Report, ans answers, final bool) (model.Assessment, []byte) {
	t.Helper()
	e := checked.Doc.Enterprise
	a := buildAssessment(t, cat, e, idSpotCheck, model.KindSpotCheck, tSpotCheck.Add(-3*time.Hour), ans)
	a.Assessor = model.Assessor{Org: "经开区数字化转型办公室", Person: "赵抽查"}
	a.Checks = &model.CheckRef{ID: checked.Doc.ID, SHA256: checked.SHA256(), Kind: checked.Doc.Kind, Org: checked.Doc.Assessor.Org, Blind: true}
	if !final {
		return a, nil
	}
	data, _, err := a.Finalize(cat, testPlanning(t, cat), e, inspectorKey(), model.Change{Who: "赵抽查", Now: tSpotCheck})
	if err != nil {
		t.Fatal(err)
	}
	return a, data
}

// spotCheckFixture: the provider rated 二级 (acceptance), the inspector 一级.
func spotCheckFixture(t testing.TB) (*Report, *Report) {
	t.Helper()
	f := fixtures(t)
	_, data := spotCheckAssessment(t, f.cat, f.acceptance, baselineAnswers(), true)
	spot, err := FromBytes(f.cat, data)
	if err != nil {
		t.Fatal(err)
	}
	return f.acceptance, spot
}

func TestSpotCheckComparison(t *testing.T) {
	checked, spot := spotCheckFixture(t)
	c, err := CompareSpotCheck(checked, spot)
	if err != nil {
		t.Fatal(err)
	}
	d := c.Doc
	if d.Severity != model.SeverityCritical || d.Level.CheckedName != "二级" || d.Level.SpotCheckName != "一级" || !d.Level.CrossesFloor {
		t.Fatalf("verdict %s %+v", d.Severity, d.Level)
	}
	// 2027 over 2026 revenue: 800 万元 × 4% (provincial 专精特新) = 32 on 二级; 一级 pays nothing.
	if !d.Reward.Changed || d.Reward.Checked.AmountWan != "32" || d.Reward.SpotCheck.Eligible || !strings.Contains(d.Reward.SpotCheck.Summary, "0 万元") {
		t.Fatalf("reward %+v", d.Reward)
	}
	if d.Checked.SHA256 != checked.SHA256() || d.SpotCheck.SHA256 != spot.SHA256() {
		t.Errorf("sides %+v %+v", d.Checked, d.SpotCheck)
	}
	html := render(t, func(b *bytes.Buffer) error { return c.WriteHTML(b) })
	for _, want := range []string{`class="verdict critical" role="alert">重大差异：`, "跨越二级（奖补起点）", "32 万元 → 0 万元", "盲评（抽查定稿前", "赵抽查", `<tr class="differ"><td class="nw">Q02</td>`} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	md := render(t, func(b *bytes.Buffer) error { return c.WriteMarkdown(b) })
	golden(t, "spotcheck.md", md)
	js := render(t, func(b *bytes.Buffer) error { return c.WriteJSON(b) })
	var back model.SpotCheckComparison
	if err := json.Unmarshal(js, &back); err != nil || back.Format != model.SpotCheckFormat || back.Headline != d.Headline || len(back.Questions) != 15 {
		t.Fatalf("json: %v %+v", err, back.Headline)
	}
	golden(t, "spotcheck.json", js)
	x := openXLSX(t, render(t, func(b *bytes.Buffer) error { return c.Write(b, FormatXLSX) }))
	if got := x.GetSheetList(); strings.Join(got, ",") != "概览,逐题对比,场景对比" {
		t.Fatalf("sheets %v", got)
	}
	rows, _ := x.GetRows("概览")
	if rows[1][0] != "结论" || !strings.HasPrefix(rows[1][3], "重大差异：") || rows[2][0] != "差异提示" {
		t.Errorf("overview %v", rows[:3])
	}
	qrows, _ := x.GetRows("逐题对比")
	if len(qrows) != 16 || qrows[0][9] != "一致" {
		t.Errorf("questions sheet %v", qrows[0])
	}
}

func TestSpotCheckReportSchema(t *testing.T) {
	s := compileSchema(t)
	_, spot := spotCheckFixture(t)
	if err := validate(s, spot.Bytes()); err != nil || !bytes.Contains(spot.Bytes(), []byte(`"checks":{"id":"`+idAcceptance+`"`)) {
		t.Errorf("a spot-check's report: %v", err)
	}
	bad := bytes.Replace(spot.Bytes(), []byte(`"kind":"acceptance","org"`), []byte(`"kind":"spotcheck","org"`), 1)
	if bytes.Equal(bad, spot.Bytes()) || validate(s, bad) == nil {
		t.Error("a spot-check of a spot-check validates")
	}
}

func TestSpotCheckComparisonRefuses(t *testing.T) {
	f := fixtures(t)
	_, data := spotCheckAssessment(t, f.cat, f.acceptance, acceptanceAnswers(), true)
	spot, _ := FromBytes(f.cat, data)
	if _, err := CompareSpotCheck(f.baseline, spot); !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "检查的是报告 "+idAcceptance) {
		t.Errorf("another report of the same enterprise: %v", err)
	}
	if _, err := CompareSpotCheck(f.baseline, f.acceptance); !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "第二份报告应为抽查报告") {
		t.Errorf("no spot-check: %v", err)
	}
	other := otherEnterprise(t)
	foreign, err := FromBytes(f.cat, finalized(t, f.cat, other, "01JNOTHER00000000000000005", model.KindAcceptance, tAcceptance, acceptanceAnswers()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CompareSpotCheck(foreign, spot); !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "不属于同一企业") {
		t.Errorf("unrelated enterprises: %v", err)
	}
}

func TestSpotCheckIdenticalAndOwnReport(t *testing.T) {
	f := fixtures(t)
	_, data := spotCheckAssessment(t, f.cat, f.acceptance, acceptanceAnswers(), true)
	spot, _ := FromBytes(f.cat, data)
	c, err := CompareSpotCheck(f.acceptance, spot)
	if err != nil {
		t.Fatal(err)
	}
	if c.Doc.Severity != model.SeverityAgree || c.Doc.Reward.Changed || c.Doc.Reward.Checked.AmountWan != "32" {
		t.Errorf("identical ratings: %s %+v", c.Doc.Severity, c.Doc.Reward)
	}
	// The spot-check's own report states what it checks and how, and
	// estimates no reward of its own.
	md := string(render(t, func(b *bytes.Buffer) error { return spot.WriteMarkdown(b) }))
	for _, want := range []string{"| 被抽查的报告 | 改造后验收报告 " + idAcceptance, "| 评测方式 | 盲评（抽查定稿前", "抽查结果不作为奖补兑现依据"} {
		if !strings.Contains(md, want) {
			t.Errorf("spot-check report lacks %q", want)
		}
	}
	if strings.Contains(md, "32 万元") {
		t.Error("a spot-check estimated a reward of its own")
	}
}

func TestRollupSpotCheckColumns(t *testing.T) {
	f := fixtures(t)
	cat, policy := f.cat, model.DefaultRewardPolicy()
	e := testEnterprise()
	e.SetRevenue(2027, "6000")
	acc := buildAssessment(t, cat, e, idAcceptance, model.KindAcceptance, tAcceptance, acceptanceAnswers())
	if _, _, err := acc.Finalize(cat, testPlanning(t, cat), e, testKey(), model.Change{Now: tAcceptance}); err != nil {
		t.Fatal(err)
	}
	spot, _ := spotCheckAssessment(t, cat, f.acceptance, baselineAnswers(), false)
	spot.Checks = nil // made before links existed
	if _, _, err := spot.Finalize(cat, testPlanning(t, cat), e, inspectorKey(), model.Change{Now: tSpotCheck}); err != nil {
		t.Fatal(err)
	}
	// The bug this guards: a later spot-check's 36.6 must not become the
	// provider's latest score beside the acceptance level.
	r := NewRollupRow(cat, policy, RollupInput{Enterprise: e, Assessments: []model.Assessment{acc, spot}})
	if r.Score != indicators.MustPoints("56") || r.AcceptanceLevel != "二级" || r.RewardWan != "32" {
		t.Errorf("provider columns %+v", r)
	}
	if !r.HasSpotCheck || r.SpotCheckLevel != "一级" || r.SpotCheckScore != indicators.MustPoints("36.6") || r.SpotCheckResult != "未关联被抽查的报告" {
		t.Errorf("spot-check columns %+v", r)
	}

	// An inspector's laptop: the acceptance is pulled, the spot-check linked.
	pulled := model.NewPulledReport(f.acceptance.Doc, f.acceptRaw, model.PullOrigin{Source: model.SourcePlatform}, model.Change{Now: tSpotCheck})
	linked, _ := spotCheckAssessment(t, cat, f.acceptance, baselineAnswers(), false)
	if _, _, err := linked.Finalize(cat, testPlanning(t, cat), e, inspectorKey(), model.Change{Now: tSpotCheck}); err != nil {
		t.Fatal(err)
	}
	r = NewRollupRow(cat, policy, RollupInput{Enterprise: e, Assessments: []model.Assessment{linked}, Pulled: []model.PulledReport{pulled}})
	if r.AcceptanceLevel != "二级" || r.Score != indicators.MustPoints("56") || r.RewardWan != "32" || r.SpotCheckLevel != "一级" ||
		r.SpotCheckResult != "不一致：服务商评定二级，抽查评定一级，跨越二级（奖补起点）" || strings.Join(r.KindsDone, ",") != "改造后验收,抽查" {
		t.Errorf("inspector row %+v", r)
	}

	// While the blind spot-check is a draft the provider's rating is hidden.
	draft, _ := spotCheckAssessment(t, cat, f.acceptance, baselineAnswers(), false)
	r = NewRollupRow(cat, policy, RollupInput{Enterprise: e, Assessments: []model.Assessment{draft}, Pulled: []model.PulledReport{pulled.Masked()}})
	if r.AcceptanceLevel != "盲评中" || r.HasScore || r.RewardWan != "" || r.HasSpotCheck || r.SpotCheckResult != "抽查进行中（草稿）" || !strings.Contains(r.RewardNote, "盲评中") {
		t.Errorf("sealed row %+v", r)
	}
}

// TestSpotCheckRewardWithoutRevenue: with no revenue on file the provider's
// 二级 cannot be priced, the inspector's 一级 is known to pay nothing, and
// whether the reward changes is said to be unknown, never 不变.
func TestSpotCheckRewardWithoutRevenue(t *testing.T) {
	checked, spot := spotCheckFixture(t)
	noRevenue := *checked
	noRevenue.Revenue = []model.YearRevenue{}
	c, err := CompareSpotCheck(&noRevenue, spot)
	if err != nil {
		t.Fatal(err)
	}
	r := c.Doc.Reward
	if r.Checked.Estimated || !r.SpotCheck.Estimated || r.SpotCheck.AmountWan != "0" || r.Changed {
		t.Fatalf("reward %+v", r)
	}
	if !strings.Contains(r.SpotCheck.Summary, "0 万元（一级不符合奖励条件）") {
		t.Errorf("spot-check side: %q", r.SpotCheck.Summary)
	}
	md := string(render(t, func(b *bytes.Buffer) error { return c.WriteMarkdown(b) }))
	if !strings.Contains(md, "是否改变无法判断") {
		t.Errorf("Markdown does not say the change is unknown")
	}
	x := openXLSX(t, render(t, func(b *bytes.Buffer) error { return c.Write(b, FormatXLSX) }))
	rows, _ := x.GetRows("概览")
	found := false
	for _, row := range rows {
		if len(row) >= 4 && row[0] == "奖补测算（万元）" {
			found = true
			if row[1] != "暂无法测算" || row[3] != "无法判断（缺营业收入）" {
				t.Errorf("overview reward row %q", row)
			}
		}
	}
	if !found {
		t.Error("no reward row in the overview")
	}
}
