package model

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// programmeFixture is a small district worked out by hand below:
//
//	E1 batch 1, roster, 省级专精特新, 规下 then 规上: baseline A 一级 (01-01),
//	   acceptance A 三级 (03-02); spot-check S4 replaced by S1 (agrees, 15/15).
//	E2 batch 1, roster, 规上: baseline A 一级 (01-10) revised to 无等级 (01-20),
//	   acceptance A 一级 (04-10); spot-check S2 rates 二级 (crosses the floor, 12/15).
//	E3 batch 2, roster, 国家级, 规下: baseline B 二级; spot-check S3 could not be compared.
//	E4 batch 2, roster, nothing received.
//	E5 batch 3, not on roster, 规下 then 规上: acceptance B 二级 only.
//	E6 no batch, not on roster: baseline C 一级.
func programmeFixture() ProgrammeInput {
	rep := func(id string, k Kind, provider string, level int, at string) ProgrammeReport {
		return ProgrammeReport{ID: id, Kind: k, Version: 1, Provider: provider, Level: level, FinalizedAt: day(at), ReceivedAt: day(at)}
	}
	revised := func(r ProgrammeReport, by string) ProgrammeReport { r.ReplacedBy = by; return r }
	revision := func(r ProgrammeReport, of string) ProgrammeReport { r.Replaces = of; r.Version = 2; return r }
	spot := func(id, checks string, at string) ProgrammeReport {
		r := rep(id, KindSpotCheck, "区抽查组", 0, at)
		r.Checks = &CheckRef{ID: checks}
		return r
	}
	ent := func(code string, batch int, roster bool, z ZJTX, scale, first Scale, reports ...ProgrammeReport) ProgrammeEnterprise {
		return ProgrammeEnterprise{Profile: Enterprise{Code: code, Name: code, Batch: batch, ZJTX: z, Scale: scale},
			OnRoster: roster, FirstScale: first, Reports: reports}
	}
	return ProgrammeInput{
		Enterprises: []ProgrammeEnterprise{
			ent("E1", 1, true, ZJTXProvincial, ScaleAbove, ScaleBelow,
				rep("B1", KindBaseline, "A", 1, "2026-01-01"), rep("A1", KindAcceptance, "A", 3, "2026-03-02"),
				revised(spot("S4", "A1", "2026-03-10"), "S1"), revision(spot("S1", "A1", "2026-03-11"), "S4")),
			ent("E2", 1, true, ZJTXNone, ScaleAbove, ScaleAbove,
				revised(rep("B2", KindBaseline, "A", 1, "2026-01-10"), "B2r"), revision(rep("B2r", KindBaseline, "A", 0, "2026-01-20"), "B2"),
				rep("A2", KindAcceptance, "A", 1, "2026-04-10"), spot("S2", "A2", "2026-04-20")),
			ent("E3", 2, true, ZJTXNational, ScaleBelow, ScaleBelow,
				rep("B3", KindBaseline, "B", 2, "2026-05-01"), spot("S3", "B3", "2026-05-05")),
			ent("E4", 2, true, ZJTXNone, ScaleBelow, ""),
			ent("E5", 3, false, ZJTXNone, ScaleAbove, ScaleBelow, rep("A5", KindAcceptance, "B", 2, "2026-10-01")),
			ent("E6", 0, false, ZJTXNone, "", "", rep("B6", KindBaseline, "C", 1, "2026-02-01")),
		},
		SpotChecks: []SpotCheckOutcome{
			{SpotCheck: "S1", Enterprise: "E1", Checked: "A1", Provider: "A", Current: true, Compared: true,
				CheckedLevel: 3, SpotLevel: 3, LevelAgree: true, Questions: 15, QuestionsAgree: 15, Severity: SeverityAgree, FinalizedAt: day("2026-03-11")},
			{SpotCheck: "S4", Enterprise: "E1", Checked: "A1", Provider: "A", Current: false, Compared: true,
				CheckedLevel: 3, SpotLevel: 1, Questions: 15, QuestionsAgree: 3, Severity: SeverityCritical, CrossesFloor: true, FinalizedAt: day("2026-03-10")},
			{SpotCheck: "S2", Enterprise: "E2", Checked: "A2", Provider: "A", Current: true, Compared: true,
				CheckedLevel: 1, SpotLevel: 2, CrossesFloor: true, Questions: 15, QuestionsAgree: 12, Severity: SeverityCritical, FinalizedAt: day("2026-04-20")},
			{SpotCheck: "S3", Enterprise: "E3", Checked: "B3", Provider: "B", Current: true, Problem: "被抽查的报告不在平台上", FinalizedAt: day("2026-05-05")},
		},
		Providers: []string{"A", "B", "C", "D"},
		Rejected:  map[string]int{"B": 2, "D": 1},
		Floor:     2,
		MaxLevel:  4,
		Targets:   DefaultRewardPolicy().Targets,
	}
}

func TestEnterpriseStatus(t *testing.T) {
	in := programmeFixture()
	tests := []struct {
		code                 string
		stage                Stage
		baseline, acceptance string
		firstBase, firstAcc  string
		spot                 int
		latest               int
		providers            []string
	}{
		{"E1", StageAccepted, "B1", "A1", "2026-01-01", "2026-03-02", 1, 3, []string{"A"}},
		// The revision B2r is current; the first diagnosis is still B2's date.
		{"E2", StageAccepted, "B2r", "A2", "2026-01-10", "2026-04-10", 1, 1, []string{"A"}},
		{"E3", StageInRetrofit, "B3", "", "2026-05-01", "", 1, 2, []string{"B"}},
		{"E4", StageNotDiagnosed, "", "", "", "", 0, -1, nil},
		{"E5", StageAccepted, "", "A5", "", "2026-10-01", 0, 2, []string{"B"}},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			var e ProgrammeEnterprise
			for _, x := range in.Enterprises {
				if x.Profile.Code == tt.code {
					e = x
				}
			}
			s := e.Status()
			id := func(r *ProgrammeReport) string {
				if r == nil {
					return ""
				}
				return r.ID
			}
			date := func(t time.Time) string {
				if t.IsZero() {
					return ""
				}
				return t.Format("2006-01-02")
			}
			if s.Stage != tt.stage || id(s.Baseline) != tt.baseline || id(s.Acceptance) != tt.acceptance ||
				date(s.FirstBaselineAt) != tt.firstBase || date(s.FirstAcceptanceAt) != tt.firstAcc || s.SpotChecks != tt.spot {
				t.Errorf("status = %s base %s acc %s first %s/%s spot %d", s.Stage, id(s.Baseline), id(s.Acceptance),
					date(s.FirstBaselineAt), date(s.FirstAcceptanceAt), s.SpotChecks)
			}
			level, ok := s.LatestLevel()
			if (tt.latest >= 0) != ok || ok && level != tt.latest {
				t.Errorf("LatestLevel = %d, %v; want %d", level, ok, tt.latest)
			}
			if !reflect.DeepEqual(s.Providers, tt.providers) {
				t.Errorf("Providers = %v, want %v", s.Providers, tt.providers)
			}
			if s.Diagnosed() != (tt.stage != StageNotDiagnosed) {
				t.Errorf("Diagnosed = %v", s.Diagnosed())
			}
		})
	}
}

func TestComputeProgrammeBatches(t *testing.T) {
	p := ComputeProgramme(programmeFixture())
	want := []BatchFigures{
		// E1, E2: both accepted, E1 (三级) at the floor, E2 (一级) not: 1 of 2 = 50 %.
		{Batch: 1, Enterprises: 2, OnRoster: 2, Diagnosed: 2, Accepted: 2, SpotChecked: 2, AcceptedAtFloor: 1, FloorPercent: 50},
		// E3 in retrofit (its spot-check counts), E4 not diagnosed.
		{Batch: 2, Enterprises: 2, OnRoster: 2, NotDiagnosed: 1, Diagnosed: 1, InRetrofit: 1, SpotChecked: 1},
		// E5: known from its report only, accepted at 二级.
		{Batch: 3, Enterprises: 1, NotOnRoster: 1, Diagnosed: 1, Accepted: 1, AcceptedAtFloor: 1, FloorPercent: 100},
		// E6: no batch recorded, listed last.
		{Batch: 0, Enterprises: 1, NotOnRoster: 1, Diagnosed: 1, InRetrofit: 1},
	}
	if !reflect.DeepEqual(p.Batches, want) {
		t.Errorf("Batches =\n%+v\nwant\n%+v", p.Batches, want)
	}
	// 6 enterprises; 2 of the 3 accepted reach 二级: 66.7 % rounds to 67.
	total := BatchFigures{Enterprises: 6, OnRoster: 4, NotOnRoster: 2, NotDiagnosed: 1, Diagnosed: 5, InRetrofit: 2, Accepted: 3,
		SpotChecked: 3, AcceptedAtFloor: 2, FloorPercent: 67}
	if p.Total != total {
		t.Errorf("Total = %+v, want %+v", p.Total, total)
	}
}

func TestComputeProgrammeLevelsAndTargets(t *testing.T) {
	p := ComputeProgramme(programmeFixture())
	// Current baselines: E1 一级, E2 无等级 (the revision), E3 二级, E6 一级.
	if want := (LevelDistribution{Counts: []int{1, 2, 1, 0, 0}, N: 4}); !reflect.DeepEqual(p.Before, want) {
		t.Errorf("Before = %+v, want %+v", p.Before, want)
	}
	// Current acceptances: E1 三级, E2 一级, E5 二级.
	if want := (LevelDistribution{Counts: []int{0, 1, 1, 1, 0}, N: 3}); !reflect.DeepEqual(p.After, want) {
		t.Errorf("After = %+v, want %+v", p.After, want)
	}
	if len(p.Targets) != 2 {
		t.Fatalf("targets: %+v", p.Targets)
	}
	// 专精特新: E1 (省级) accepted; E3 (国家级) in retrofit. 1 of 50 = 2 %.
	if got := p.Targets[0]; got.Metric != MetricZJTXRetrofitted || got.Reached != 1 || got.InProgress != 1 || got.Percent != 2 || got.Goal != 50 {
		t.Errorf("zjtx target = %+v", got)
	}
	// 小升规: E1 and E5 were 规下 and are 规上 after acceptance; E3 is 规下 in
	// retrofit. 2 of 20 = 10 %.
	if got := p.Targets[1]; got.Metric != MetricScaleUpgraded || got.Reached != 2 || got.InProgress != 1 || got.Percent != 10 || got.Goal != 20 {
		t.Errorf("scale target = %+v", got)
	}
}

func TestComputeProgrammeProviders(t *testing.T) {
	p := ComputeProgramme(programmeFixture())
	want := []ProviderFigures{
		// A: B1, B2, B2r (a revision) and A1, A2 for E1 and E2. Gains: E1 三级 − 一级 = 2,
		// E2 一级 − 无等级 = 1: 3 over 2 = 1.5. Days: E1 01-01 → 03-02 = 60,
		// E2 01-10 (the first baseline, not the revision) → 04-10 = 90.
		// Spot-checks: S1 agrees (15/15), S2 crosses the floor (12/15); S4 is replaced.
		{Provider: "A", Enterprises: 2, Baselines: 3, Acceptances: 2, Revisions: 1, Gains: 2, GainSum: 3, Accepted: 2, AtFloor: 1,
			SpotChecks: 2, LevelsAgree: 1, CrossFloor: 1, QuestionsChecked: 30, QuestionsAgree: 27, DaysN: 2, DaysMean: 75, DaysMedian: 75},
		// B: E3's baseline, E5's acceptance (no baseline: no gain, no days); S3 not compared; 2 refused uploads.
		{Provider: "B", Enterprises: 2, Baselines: 1, Acceptances: 1, Accepted: 1, AtFloor: 1, Rejected: 2},
		{Provider: "C", Enterprises: 1, Baselines: 1},
		// D has a token and one refused upload, nothing received.
		{Provider: "D", Rejected: 1},
	}
	if !reflect.DeepEqual(p.Providers, want) {
		t.Errorf("Providers =\n%+v\nwant\n%+v", p.Providers, want)
	}
	a := p.Providers[0]
	if g, ok := a.AverageGain(); !ok || g != 15 {
		t.Errorf("AverageGain = %d, %v; want 15 tenths", g, ok)
	}
	if r := a.FloorShare(); r != (Ratio{50, true}) {
		t.Errorf("FloorShare = %+v", r)
	}
	if r := a.LevelAgreement(); r != (Ratio{50, true}) {
		t.Errorf("LevelAgreement = %+v", r)
	}
	if r := a.QuestionAgreement(); r != (Ratio{90, true}) {
		t.Errorf("QuestionAgreement = %+v", r)
	}
	d := p.Providers[3]
	if _, ok := d.AverageGain(); ok {
		t.Error("D has no gain to average")
	}
	if r := d.FloorShare(); r.OK {
		t.Errorf("D FloorShare defined: %+v", r)
	}
	if want := (SpotCheckFigures{Total: 3, Compared: 2, LevelsAgree: 1, LevelsDiffer: 1, CrossFloor: 1}); p.SpotChecks != want {
		t.Errorf("SpotChecks = %+v, want %+v", p.SpotChecks, want)
	}
}

func TestProviderDaysMedian(t *testing.T) {
	// Three accepted enterprises by one provider after 10, 30 and 110 days:
	// mean 50, median 30.
	var in ProgrammeInput
	in.MaxLevel, in.Floor = 4, 2
	for i, d := range []string{"2026-01-11", "2026-01-31", "2026-04-21"} {
		in.Enterprises = append(in.Enterprises, ProgrammeEnterprise{Profile: Enterprise{Code: string(rune('a' + i)), Batch: 1}, Reports: []ProgrammeReport{
			{ID: "b" + d, Kind: KindBaseline, Provider: "P", Level: 1, FinalizedAt: day("2026-01-01")},
			{ID: "a" + d, Kind: KindAcceptance, Provider: "P", Level: 2, FinalizedAt: day(d)},
		}})
	}
	p := ComputeProgramme(in).Providers[0]
	if p.DaysN != 3 || p.DaysMean != 50 || p.DaysMedian != 30 {
		t.Errorf("days: n %d mean %v median %v", p.DaysN, p.DaysMean, p.DaysMedian)
	}
	if g, _ := p.AverageGain(); g != 10 {
		t.Errorf("gain %d tenths, want 10", g)
	}
}

func TestRatioAndRounding(t *testing.T) {
	tests := []struct {
		num, den int
		want     Ratio
	}{{0, 0, Ratio{}}, {1, 3, Ratio{33, true}}, {2, 3, Ratio{67, true}}, {1, 2, Ratio{50, true}}, {1, 8, Ratio{13, true}}}
	for _, tt := range tests {
		if got := ratio(tt.num, tt.den); got != tt.want {
			t.Errorf("ratio(%d, %d) = %+v, want %+v", tt.num, tt.den, got, tt.want)
		}
	}
	// A negative average gain (levels lost) rounds away from zero as well.
	p := ProviderFigures{Gains: 4, GainSum: -3}
	if g, _ := p.AverageGain(); g != -8 {
		t.Errorf("gain -0.75 = %d tenths, want -8", g)
	}
}

func TestSortSpotChecks(t *testing.T) {
	list := []SpotCheckOutcome{
		{SpotCheck: "agree", Compared: true, Severity: SeverityAgree},
		{SpotCheck: "differ", Compared: true, Severity: SeverityDiffer},
		{SpotCheck: "missing", Problem: "x"},
		{SpotCheck: "level", Compared: true, Severity: SeverityLevel},
		{SpotCheck: "critical-old", Compared: true, Severity: SeverityCritical, FinalizedAt: day("2026-01-01")},
		{SpotCheck: "critical-new", Compared: true, Severity: SeverityCritical, FinalizedAt: day("2026-02-01")},
	}
	SortSpotChecks(list)
	var got []string
	for _, o := range list {
		got = append(got, o.SpotCheck)
	}
	want := []string{"critical-new", "critical-old", "level", "missing", "differ", "agree"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}

func TestSumRewards(t *testing.T) {
	lines := []RewardLine{
		{Batch: 1, Estimated: true, Eligible: true, AmountWan: "12.5"},
		{Batch: 1, Estimated: true, Eligible: true, AmountWan: "7.25"},
		{Batch: 2, Estimated: true, Excluded: true, AmountWan: "0"},
		{Batch: 2},
		{Batch: 0, Estimated: true, Eligible: true, AmountWan: "3"},
		{Batch: 3, Estimated: true, AmountWan: "0"}, // below the floor
	}
	by, total := SumRewards(lines)
	want := []RewardTotals{
		{Batch: 1, Accepted: 2, Estimated: 2, Eligible: 2, AmountWan: "19.75"},
		{Batch: 2, Accepted: 2, Estimated: 1, Excluded: 1, AmountWan: "0"},
		{Batch: 3, Accepted: 1, Estimated: 1, AmountWan: "0"},
		{Batch: 0, Accepted: 1, Estimated: 1, Eligible: 1, AmountWan: "3"},
	}
	if !reflect.DeepEqual(by, want) {
		t.Errorf("by batch =\n%+v\nwant\n%+v", by, want)
	}
	if want := (RewardTotals{Accepted: 6, Estimated: 5, Eligible: 3, Excluded: 1, AmountWan: "22.75"}); total != want {
		t.Errorf("total = %+v, want %+v", total, want)
	}
}

func TestExclusionTexts(t *testing.T) {
	p := DefaultRewardPolicy()
	got := p.ExclusionTexts([]string{"safety", "tax", "其他：见会议纪要"})
	want := []string{"未依法诚信纳税", "当年发生重大安全生产事故", "其他：见会议纪要"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ExclusionTexts = %v, want %v", got, want)
	}
}

func TestPolicyTargetsValidated(t *testing.T) {
	base := `{"tiers":[{"level":2,"name":"二级","article":"第十五条","base_percent":3,"zjtx_percent":4,"zjtx_smart_factory_percent":5,"cap_wan":50}],"targets":[%s]}`
	for _, bad := range []string{`{"metric":"unknown","text":"x","goal":1}`, `{"metric":"scale_upgraded","text":"x","goal":0}`} {
		if _, err := ParseRewardPolicy([]byte(fmt.Sprintf(base, bad))); err == nil {
			t.Errorf("target %s accepted", bad)
		}
	}
	if _, err := ParseRewardPolicy([]byte(fmt.Sprintf(base, `{"metric":"scale_upgraded","text":"升规","goal":20,"unit":"家"}`))); err != nil {
		t.Error(err)
	}
}
