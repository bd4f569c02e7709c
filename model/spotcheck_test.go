package model

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"digilevel/indicators"
)

// answersAt returns a complete answer set at a level: a base score and
// scenarios that meet exactly that level's rule.
func answersAt(t testing.TB, cat *indicators.Catalog, level int) AnswerSet {
	t.Helper()
	switch level {
	case 1:
		return withScenarios(cat, withScore(t, cat, zeroAnswers(cat), indicators.MustPoints("30")), 1, 3, 3)
	case 2:
		return withScenarios(cat, withScore(t, cat, zeroAnswers(cat), indicators.MustPoints("52")), 2, 3, 3)
	case 3:
		return withScenarios(cat, withScore(t, cat, zeroAnswers(cat), indicators.MustPoints("70")), 3, 5, 3)
	}
	t.Fatalf("no answers for level %d", level)
	return AnswerSet{}
}

// signedDoc finalizes an assessment with the given answers and evidence and
// returns its verified document and hash, as the other laptop would send it.
func signedDoc(t testing.TB, cat *indicators.Catalog, o NewAssessmentOptions, answers AnswerSet, evidence map[string][]Evidence, key ed25519.PrivateKey) (ReportDocument, string) {
	t.Helper()
	o.Catalog, o.Device = cat, "laptop"
	if o.Now.IsZero() {
		o.Now = t0
	}
	a, err := NewAssessment(o)
	if err != nil {
		t.Fatal(err)
	}
	a.Answers, a.Evidence = answers.Clone(), evidence
	e := validEnterprise()
	e.Code = o.Enterprise
	data, _, err := a.Finalize(cat, planning(t, cat), e, key, Change{Who: o.Assessor.Person, Now: o.Now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := VerifyReport(data)
	if err != nil {
		t.Fatal(err)
	}
	return doc, HashReport(data)
}

type pairSpec struct {
	kind              Kind
	checked, spot     AnswerSet
	checkedEv, spotEv map[string][]Evidence
}

func makePair(t testing.TB, cat *indicators.Catalog, p pairSpec) SpotCheckInput {
	t.Helper()
	if p.kind == "" {
		p.kind = KindAcceptance
	}
	code := validEnterprise().Code
	checked, sha := signedDoc(t, cat, NewAssessmentOptions{ID: "01JCHECKED0000000000000000", Enterprise: code, Kind: p.kind,
		Assessor: Assessor{Org: "河南某数字科技有限公司", Person: "李工"}}, p.checked, p.checkedEv, testKey())
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))
	spot, spotSHA := signedDoc(t, cat, NewAssessmentOptions{ID: "01JSP0TCHECK00000000000000", Enterprise: code, Kind: KindSpotCheck,
		Assessor: Assessor{Org: "经开区数字化转型办公室", Person: "赵抽查"}, Now: t0.Add(48 * time.Hour),
		Checks: &CheckRef{ID: checked.ID, SHA256: sha, Kind: p.kind, Org: checked.Assessor.Org, Blind: true}}, p.spot, p.spotEv, other)
	policy := DefaultRewardPolicy()
	return SpotCheckInput{Catalog: cat, Checked: checked, CheckedSHA256: sha, SpotCheck: spot, SpotCheckSHA256: spotSHA, Policy: policy,
		Reward: func(level int, name string) RewardOutcome {
			r, err := policy.EstimateReward(RewardInput{Level: level, LevelName: name, Batch: 1, RevenueBefore: "8000", RevenueAfter: "10000"})
			if err != nil {
				t.Fatal(err)
			}
			return RewardOutcome{Estimated: true, Eligible: r.Eligible, AmountWan: r.AmountWan, Summary: name}
		}}
}

// changeOne sets the first question worth something (but less than its
// maximum) to its 0-point option and returns the points it took away.
func changeOne(t *testing.T, cat *indicators.Catalog, a AnswerSet) (AnswerSet, string, indicators.Points) {
	t.Helper()
	res := mustScore(t, cat, a)
	out := a.Clone()
	for _, qs := range res.Questions {
		if qs.Points == 0 {
			continue
		}
		q, _ := cat.DefaultQuestionnaire().Question(qs.ID)
		for _, o := range q.Options {
			if o.Score == 0 {
				out.Answers[q.ID] = []string{o.ID}
				return out, q.ID, qs.Points
			}
		}
	}
	t.Fatal("no question to change")
	return a, "", 0
}

// contradict gives Q02 numbers that imply another option than the one chosen.
func contradict(a AnswerSet) AnswerSet {
	out := a.Clone()
	nums := map[string]Decimal{"total_devices": "7", "digital_devices": "7"} // 100%: option E
	if len(a.Answers["Q02"]) == 1 && a.Answers["Q02"][0] == "E" {
		nums = map[string]Decimal{"total_devices": "200", "digital_devices": "20"} // 10%: option A
	}
	out.Numbers = map[string]map[string]Decimal{"Q02": nums}
	return out
}

func evidence(name string) []Evidence {
	return []Evidence{{Path: "/现场/" + name, SHA256: strings.Repeat("ab", 32), Size: 10, AddedAt: t0}}
}

func TestCompareSpotCheck(t *testing.T) {
	cat := catalog(t)
	l1, l2, l3 := answersAt(t, cat, 1), answersAt(t, cat, 2), answersAt(t, cat, 3)
	oneOff, changedQ, lost := changeOne(t, cat, l3)
	tests := []struct {
		name  string
		pair  pairSpec
		check func(t *testing.T, c SpotCheckComparison)
	}{
		{"identical ratings", pairSpec{checked: l3, spot: l3}, func(t *testing.T, c SpotCheckComparison) {
			if c.Severity != SeverityAgree || len(c.Flags) != 0 || !c.Level.Agree || c.Score.Delta != 0 {
				t.Errorf("severity %s flags %v level %+v", c.Severity, c.Flags, c.Level)
			}
			if c.Tally != (SpotCheckTally{Questions: 15, QuestionsAgree: 15, Scenarios: 16, ScenariosAgree: 16}) {
				t.Errorf("tally %+v", c.Tally)
			}
			if !strings.Contains(c.Headline, "两次评定一致") || !strings.Contains(c.Headline, "三级") {
				t.Errorf("headline %q", c.Headline)
			}
			if c.Reward.Changed || !c.Reward.Applicable || c.Reward.Checked.AmountWan != "70" {
				t.Errorf("reward %+v", c.Reward)
			}
		}},
		{"one question apart", pairSpec{checked: l3, spot: oneOff}, func(t *testing.T, c SpotCheckComparison) {
			if c.Severity != SeverityDiffer || !c.Level.Agree {
				t.Errorf("severity %s level %+v", c.Severity, c.Level)
			}
			var differ []QuestionAgreement
			for _, q := range c.Questions {
				if !q.Agree {
					differ = append(differ, q)
				}
			}
			if len(differ) != 1 || differ[0].ID != changedQ || differ[0].AtStake != lost || differ[0].Delta != -lost {
				t.Fatalf("differing questions %+v, want %s at stake %s", differ, changedQ, lost)
			}
			q := differ[0]
			if q.Checked.Text == q.SpotCheck.Text || q.SpotCheck.Points != 0 || q.Checked.Points != lost {
				t.Errorf("both answers: %+v / %+v", q.Checked, q.SpotCheck)
			}
			if c.Tally.QuestionsAgree != 14 || c.Tally.PointsAtStake != lost || c.Score.Delta != -lost {
				t.Errorf("tally %+v score %+v", c.Tally, c.Score)
			}
			if len(c.Flags) != 1 || c.Flags[0].Code != FlagAnswersDiffer || !strings.Contains(c.Flags[0].Text, "1 道题、0 个场景") {
				t.Errorf("flags %+v", c.Flags)
			}
		}},
		{"level disagreement across 二级 with both reward estimates", pairSpec{checked: l2, spot: l1}, func(t *testing.T, c SpotCheckComparison) {
			if c.Severity != SeverityCritical || c.Level.Agree || !c.Level.CrossesFloor || c.Level.FloorName != "二级" {
				t.Fatalf("severity %s level %+v", c.Severity, c.Level)
			}
			// 2,000 万元 new revenue × 3% = 60, capped at 50 for 二级; 一级 pays nothing.
			if !c.Reward.Changed || c.Reward.Checked.AmountWan != "50" || c.Reward.SpotCheck.Eligible || !c.Reward.SpotCheck.Estimated {
				t.Fatalf("reward %+v", c.Reward)
			}
			codes := []string{}
			for _, f := range c.Flags {
				codes = append(codes, f.Code)
			}
			if strings.Join(codes[:3], ",") != "crosses_floor,reward_changed,level_differs" || c.Flags[0].Severity != FlagCritical {
				t.Errorf("flags %v", c.Flags)
			}
			for _, want := range []string{"重大差异", "服务商评定二级", "抽查评定一级", "跨越二级（奖补起点）", "50 万元 → 0 万元"} {
				if !strings.Contains(c.Headline, want) {
					t.Errorf("headline %q lacks %q", c.Headline, want)
				}
			}
			if !strings.Contains(c.Flags[1].Text, "二级为 50 万元") || !strings.Contains(c.Flags[1].Text, "一级为 0 万元") {
				t.Errorf("reward flag %q", c.Flags[1].Text)
			}
		}},
		{"level disagreement above the floor on a baseline", pairSpec{kind: KindBaseline, checked: l3, spot: l2}, func(t *testing.T, c SpotCheckComparison) {
			if c.Severity != SeverityLevel || c.Level.CrossesFloor || c.Reward.Applicable || c.Reward.Changed {
				t.Errorf("severity %s level %+v reward %+v", c.Severity, c.Level, c.Reward)
			}
			if !strings.Contains(c.Reward.Basis, "不测算奖补") || c.Level.Text != "不一致：服务商评定三级，抽查评定二级" {
				t.Errorf("basis %q level %q", c.Reward.Basis, c.Level.Text)
			}
		}},
		{"contradictions on both sides", pairSpec{checked: contradict(l3), spot: contradict(l3)}, func(t *testing.T, c SpotCheckComparison) {
			if len(c.Contradictions) != 2 || c.Contradictions[0].Side != SideChecked || c.Contradictions[1].Side != SideSpotCheck {
				t.Fatalf("contradictions %+v", c.Contradictions)
			}
			for _, q := range c.Questions {
				if q.ID == "Q02" && (q.Checked.Contradiction == "" || q.SpotCheck.Contradiction == "") {
					t.Errorf("Q02 sides %+v / %+v", q.Checked, q.SpotCheck)
				}
			}
			if !strings.HasPrefix(c.Contradictions[0].Text, "服务商：Q02") || !strings.HasPrefix(c.Contradictions[1].Text, "抽查：Q02") {
				t.Errorf("texts %q %q", c.Contradictions[0].Text, c.Contradictions[1].Text)
			}
			if c.Severity != SeverityAgree {
				t.Errorf("same answers on both sides: severity %s", c.Severity)
			}
		}},
		{"evidence on one side", pairSpec{checked: l3, spot: l3,
			checkedEv: map[string][]Evidence{"Q05": evidence("台账.pdf")}, spotEv: map[string][]Evidence{"SC03": evidence("照片.jpg")}},
			func(t *testing.T, c SpotCheckComparison) {
				if len(c.EvidenceOneSide) != 2 {
					t.Fatalf("evidence gaps %+v", c.EvidenceOneSide)
				}
				q, s := c.EvidenceOneSide[0], c.EvidenceOneSide[1]
				if q.Ref != "Q05" || q.Side != SideChecked || s.Ref != "SC03" || s.Side != SideSpotCheck {
					t.Errorf("gaps %+v %+v", q, s)
				}
				if !strings.Contains(q.Text, "仅服务商附有佐证材料") || !strings.Contains(s.Text, "仅抽查附有佐证材料") {
					t.Errorf("texts %q %q", q.Text, s.Text)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := CompareSpotCheck(makePair(t, cat, tt.pair))
			if err != nil {
				t.Fatal(err)
			}
			if c.Format != SpotCheckFormat || !c.Blind || !strings.HasPrefix(c.BlindText, "盲评") || c.Checked.Assessor.Person != "李工" || c.SpotCheck.Assessor.Person != "赵抽查" {
				t.Errorf("header %+v", c)
			}
			tt.check(t, c)
		})
	}
}

func TestCompareSpotCheckRefuses(t *testing.T) {
	cat := catalog(t)
	l3 := answersAt(t, cat, 3)
	other, err := indicators.Parse("city.json", func() []byte {
		data, _ := cat.Canonical()
		return bytes.Replace(data, []byte(cat.Title), []byte(cat.Title+"（某市版）"), 1)
	}())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(in *SpotCheckInput)
		want   string
	}{
		{"different catalog hashes", func(in *SpotCheckInput) { in.SpotCheck.Catalog.Hash = other.Hash() }, "两份报告使用的指标目录不同"},
		{"unrelated enterprises", func(in *SpotCheckInput) { in.SpotCheck.Enterprise.Code = DemoCode }, "两份报告不属于同一企业"},
		{"second is not a spot-check", func(in *SpotCheckInput) { in.SpotCheck.Kind = KindAcceptance }, "第二份报告应为抽查报告"},
		{"first is a spot-check", func(in *SpotCheckInput) { in.Checked.Kind, in.Checked.KindLabel = KindSpotCheck, "抽查" }, "第一份报告应为服务商的"},
		{"checked is a draft", func(in *SpotCheckInput) { in.Checked.Draft = true }, "是草稿"},
		{"not linked", func(in *SpotCheckInput) { in.SpotCheck.Checks = nil }, "没有关联被抽查的报告"},
		{"linked to another report", func(in *SpotCheckInput) { in.SpotCheck.Checks.ID = "01JOTHER000000000000000000" }, "检查的是报告 01JOTHER"},
		{"blind spot-check still a draft", func(in *SpotCheckInput) { in.SpotCheck.Draft = true }, "盲评，尚未定稿"},
		{"linked report's bytes differ", func(in *SpotCheckInput) { in.CheckedSHA256 = strings.Repeat("0", 64) }, "内容不同，不能对比"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := makePair(t, cat, pairSpec{checked: l3, spot: l3})
			tt.change(&in)
			_, err := CompareSpotCheck(in)
			if !(errors.Is(err, ErrInvalid) || errors.Is(err, ErrState)) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
		})
	}
}

func TestCompareLevels(t *testing.T) {
	cat := catalog(t)
	for _, tt := range []struct {
		checked, spot int
		agree, cross  bool
		text          string
	}{
		{3, 3, true, false, "一致（三级）"},
		{3, 2, false, false, "不一致：服务商评定三级，抽查评定二级"},
		{2, 1, false, true, "不一致：服务商评定二级，抽查评定一级，跨越二级（奖补起点）"},
		{0, 2, false, true, "不一致：服务商评定无等级，抽查评定二级，跨越二级（奖补起点）"},
	} {
		got := CompareLevels(tt.checked, tt.spot, 2, cat.LevelName)
		if got.Agree != tt.agree || got.CrossesFloor != tt.cross || got.Text != tt.text {
			t.Errorf("%d vs %d: %+v", tt.checked, tt.spot, got)
		}
	}
}

func TestSealFor(t *testing.T) {
	code := validEnterprise().Code
	link := func(blind bool) *CheckRef {
		return &CheckRef{ID: "01JCHECKED0000000000000000", SHA256: strings.Repeat("a", 64), Kind: KindAcceptance, Blind: blind}
	}
	draft := Assessment{ID: "S1", Enterprise: code, Kind: KindSpotCheck, State: StateDraft, Checks: link(true)}
	final := Assessment{ID: "S2", Enterprise: code, Kind: KindSpotCheck, State: StateQueued, Checks: link(true)}
	open := Assessment{ID: "S3", Enterprise: code, Kind: KindSpotCheck, State: StateDraft, Checks: link(false)}
	elsewhere := Assessment{ID: "S4", Enterprise: DemoCode, Kind: KindSpotCheck, State: StateDraft, Checks: link(true)}
	tests := []struct {
		name   string
		blind  bool
		list   []Assessment
		sealed bool
		want   string
	}{
		{"blind mode, nothing started", true, nil, true, "尚未对企业"},
		{"blind mode off, nothing started", false, nil, false, ""},
		{"blind draft seals even with the setting off", false, []Assessment{final, draft}, true, "抽查 S1 尚未定稿"},
		{"finalized spot-check opens", true, []Assessment{final}, false, ""},
		{"non-blind draft opens", true, []Assessment{open}, false, ""},
		{"another enterprise's draft does not count", true, []Assessment{elsewhere, final}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := SealFor(tt.blind, code, tt.list)
			if s.Sealed != tt.sealed || !strings.Contains(s.Reason, tt.want) {
				t.Errorf("%+v", s)
			}
		})
	}
}

func TestCheckRefOnlyOnSpotChecks(t *testing.T) {
	cat := catalog(t)
	ref := &CheckRef{ID: "01JCHECKED0000000000000000", SHA256: strings.Repeat("a", 64), Kind: KindAcceptance, Blind: true}
	o := NewAssessmentOptions{ID: "01JABCDEFGHJKMNPQRSTVWXYZ0", Enterprise: validEnterprise().Code, Kind: KindAcceptance, Catalog: cat, Now: t0, Checks: ref}
	if _, err := NewAssessment(o); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "只有抽查") {
		t.Errorf("acceptance with a link: %v", err)
	}
	o.Kind = KindSpotCheck
	a, err := NewAssessment(o)
	if err != nil || a.Checks == nil || a.Checks == ref {
		t.Fatalf("spot-check: %+v %v (the link must be copied)", a.Checks, err)
	}
	a.State = StateQueued
	next, _, err := a.Revise("01JABCDEFGHJKMNPQRSTVWXYZ1", "更正", Change{Now: t0})
	if err != nil || next.Checks == nil || *next.Checks != *ref {
		t.Errorf("a revision keeps the link: %+v %v", next.Checks, err)
	}
	bad := *ref
	bad.Kind = KindSpotCheck
	o.Checks = &bad
	if _, err := NewAssessment(o); !errors.Is(err, ErrInvalid) {
		t.Errorf("a spot-check of a spot-check: %v", err)
	}
}

func TestCheckPulled(t *testing.T) {
	cat := catalog(t)
	a, e := draft(t, cat)
	complete(t, cat, &a)
	a.Answers.Notes = map[string]string{"Q01": "第一行\n第二行"}
	good, _, err := a.Finalize(cat, planning(t, cat), e, testKey(), Change{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	if doc, err := CheckPulled(cat, good); err != nil || doc.ID != a.ID {
		t.Fatalf("a good report: %v", err)
	}
	resign := func(change func(d *ReportDocument)) []byte {
		d, err := VerifyReport(good)
		if err != nil {
			t.Fatal(err)
		}
		change(&d)
		data, err := SignReport(d, testKey())
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"altered byte", bytes.Replace(good, []byte(`"Q01":["`), []byte(`"Q01":[ "`), 1), "不是规范格式"},
		{"altered and re-signed score", resign(func(d *ReportDocument) { d.Result.Score += 1000 }), "不符"},
		{"draft", resign(func(d *ReportDocument) { d.Draft = true }), "草稿"},
		{"bidi override in the enterprise name", resign(func(d *ReportDocument) { d.Enterprise.Name = "新乡\u202e司公" }), "企业名称"},
		{"escape sequence in a note", resign(func(d *ReportDocument) { d.Answers.Notes["Q01"] = "\x1b]52;c;aGk=\x07" }), "控制字符"},
		{"newline in the assessor's name", resign(func(d *ReportDocument) { d.Assessor.Person = "李\n工" }), "评测人员"},
		{"bad credit code", resign(func(d *ReportDocument) { d.Enterprise.Code = "91350100M000100Y44" }), "企业档案无效"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CheckPulled(cat, tt.data)
			if !errors.Is(err, ErrTampered) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
		})
	}
}

// BenchmarkCompareSpotCheck compares two complete reports that differ in
// level, with contradictions and evidence; BenchmarkScore is its baseline.
func BenchmarkCompareSpotCheck(b *testing.B) {
	cat := catalog(b)
	in := makePair(b, cat, pairSpec{checked: contradict(answersAt(b, cat, 3)), spot: answersAt(b, cat, 2),
		checkedEv: map[string][]Evidence{"Q05": evidence("台账.pdf")}})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CompareSpotCheck(in); err != nil {
			b.Fatal(err)
		}
	}
}

// What the platform requires of a report's spot-check link.
func TestCheckSpotCheckLink(t *testing.T) {
	const id, other = "01JABCDEFGHJKMNPQRSTVWXYZ0", "01JABCDEFGHJKMNPQRSTVWXYZ1"
	sha := strings.Repeat("ab", 32)
	link := func(c CheckRef) *CheckRef { return &c }
	good := CheckRef{ID: other, SHA256: sha, Kind: KindAcceptance, Org: "服务商", Blind: true}
	for _, tt := range []struct {
		name   string
		kind   Kind
		checks *CheckRef
		want   string // "" valid
	}{
		{"baseline without link", KindBaseline, nil, ""},
		{"spot-check with link", KindSpotCheck, link(good), ""},
		{"spot-check without link", KindSpotCheck, nil, "没有关联被抽查的报告"},
		{"acceptance with link", KindAcceptance, link(good), "只有抽查"},
		{"checks itself", KindSpotCheck, link(CheckRef{ID: id, SHA256: sha, Kind: KindBaseline}), "关联的是它自己"},
		{"bad hash", KindSpotCheck, link(CheckRef{ID: other, SHA256: "abc", Kind: KindBaseline}), "编号或校验值无效"},
		{"checks a spot-check", KindSpotCheck, link(CheckRef{ID: other, SHA256: sha, Kind: KindSpotCheck}), "应为改造前诊断或改造后验收"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckSpotCheckLink(ReportDocument{ID: id, Kind: tt.kind, Checks: tt.checks})
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.want != "" && (err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v, want ErrInvalid with %q", err, tt.want)
			}
		})
	}
}
