package model

import (
	"math/rand"
	"reflect"
	"sort"
	"testing"

	"digilevel/indicators"
)

// A set one rung short of 二级 in score (39.25) with the scenario gate met.
func nearLevelTwo(cat *indicators.Catalog) AnswerSet {
	a := zeroAnswers(cat)
	a.Answers["Q01"] = []string{"B", "C", "D", "E"}
	a.Answers["Q02"] = []string{"E"}
	a.Answers["Q03"] = []string{"E"}
	a.Answers["Q05"] = []string{"E"}
	a.Answers["Q06"] = []string{"B", "C", "D", "E"}
	a.Answers["Q07"] = []string{"B"}
	a.Answers["Q08"] = []string{"C"}
	return withScenarios(cat, a, 2, 3, 3)
}

func TestGapScoreOnly(t *testing.T) {
	cat := catalog(t)
	a := nearLevelTwo(cat)
	if r := mustScore(t, cat, a); r.Score != indicators.MustPoints("39.25") || r.Level != 1 {
		t.Fatalf("fixture: score %s level %d", r.Score, r.Level)
	}
	p, err := PlanGap(cat, a, 2)
	if err != nil {
		t.Fatal(err)
	}
	if p.ScoreNeed != indicators.MustPoints("0.75") || len(p.Scenarios) != 0 || p.Changes != 1 || p.Effort != 1 {
		t.Fatalf("plan = %+v", p)
	}
	// One rung of one question; among those the largest gain, first in
	// catalog order: Q12 增加 -> 持平 (+3.5).
	s := p.Questions[0]
	if s.ID != "Q12" || !reflect.DeepEqual(s.To, []string{"B"}) || s.Gain != indicators.MustPoints("3.5") {
		t.Errorf("step = %+v", s)
	}
	if r := mustScore(t, cat, p.Apply(a)); r.Level != 2 {
		t.Errorf("after the plan: level %d", r.Level)
	}
}

func TestGapMultiChoiceAddsHighestOptions(t *testing.T) {
	cat := catalog(t)
	a := nearLevelTwo(cat)
	// Leave only Q04 (multi) with room: every other question at its maximum
	// or pinned, so the plan must add Q04 options, 人力资源 (0.9) first.
	for _, q := range cat.DefaultQuestionnaire().Questions() {
		if q.ID != "Q04" {
			a.Answers[q.ID] = a.Answers[q.ID][:1]
		}
	}
	p, err := PlanGap(cat, withScore(t, cat, a, indicators.MustPoints("0")), 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.ScoreNeed != indicators.MustPoints("20") || p.Changes < 2 {
		t.Fatalf("plan = %+v", p)
	}
	for _, s := range p.Questions {
		if s.ID == "Q04" && s.Add[0] != "O" {
			t.Errorf("Q04 adds %v, want 人力资源 (O) first", s.Add)
		}
	}
}

func TestGapScenariosConstrainedFirst(t *testing.T) {
	cat := catalog(t)
	a := withScore(t, cat, zeroAnswers(cat), indicators.MustPoints("45"))
	// 2 约束性 + 5 指导性 at 二级: the total gate (6) holds, 约束性 (3) misses one.
	a = withScenarios(cat, a, 2, 2, 5)
	p, err := PlanGap(cat, a, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []ScenarioStep{{ID: "SC06", Name: "生产管控", Constrained: true, From: 1, To: 2}}
	if !reflect.DeepEqual(p.Scenarios, want) || len(p.Questions) != 0 {
		t.Errorf("plan scenarios = %+v, questions %+v", p.Scenarios, p.Questions)
	}
	// To 三级 from here: score 45 -> 60 and 8 scenarios at 三级, 5 约束性.
	p3, _ := PlanGap(cat, a, 3)
	con := 0
	for _, s := range p3.Scenarios {
		if s.Constrained {
			con++
		}
	}
	if len(p3.Scenarios) != 8 || con < 5 {
		t.Errorf("三级 scenarios: %d (%d 约束性)", len(p3.Scenarios), con)
	}
	if r := mustScore(t, cat, p3.Apply(a)); r.Level < 3 {
		t.Errorf("after the 三级 plan: level %d", r.Level)
	}
}

func TestGapAlreadyMetAndUnreachable(t *testing.T) {
	cat := catalog(t)
	a := withScenarios(cat, withScore(t, cat, zeroAnswers(cat), indicators.MustPoints("61")), 3, 5, 3)
	p, _ := PlanGap(cat, a, 2)
	if !p.AlreadyMet || p.Changes != 0 {
		t.Errorf("plan = %+v", p)
	}
	cat.ScenarioPolicy.AllowNotApplicable = true
	for _, s := range cat.Scenarios {
		a.Scenarios[s.ID] = NotApplicable
	}
	p, _ = PlanGap(cat, a, 2)
	if p.Reachable || p.Reason == "" {
		t.Errorf("all N/A should be unreachable: %+v", p)
	}
	if _, err := PlanGap(cat, a, 5); err == nil {
		t.Error("target 5 accepted")
	}
}

// Property: over random answer sets, every plan reaches its target, uses the
// fewest questions possible and is the same when computed twice.
func TestGapPlansReachTargetMinimally(t *testing.T) {
	cat := catalog(t)
	rng := rand.New(rand.NewSource(1))
	qs := cat.DefaultQuestionnaire().Questions()
	for i := 0; i < 300; i++ {
		a := NewAnswerSet(cat)
		for _, q := range qs {
			ways := questionWays(q)
			a.Answers[q.ID] = ways[rng.Intn(len(ways))].opts
		}
		for _, s := range cat.Scenarios {
			a.Scenarios[s.ID] = ScenarioRating(rng.Intn(5))
		}
		for target := 1; target <= 4; target++ {
			p, err := PlanGap(cat, a, target)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := PlanGap(cat, a, target)
			if !reflect.DeepEqual(p, again) {
				t.Fatal("plan is not deterministic")
			}
			r := mustScore(t, cat, p.Apply(a))
			if r.Level < target {
				t.Fatalf("plan to %d leaves level %d: %+v", target, r.Level, p)
			}
			// No plan with one question fewer can cover the deficit.
			if n := len(p.Questions); n > 0 {
				var head []indicators.Points
				for _, qsc := range mustScore(t, cat, a).Questions {
					head = append(head, qsc.Max-qsc.Points)
				}
				sort.Slice(head, func(i, j int) bool { return head[i] > head[j] })
				var best indicators.Points
				for _, h := range head[:n-1] {
					best += h
				}
				if best >= p.ScoreNeed {
					t.Fatalf("%d questions could cover %s but the plan uses %d", n-1, p.ScoreNeed, n)
				}
			}
		}
	}
}

func BenchmarkPlanGap(b *testing.B) {
	cat := catalog(b)
	a := withScenarios(cat, withScore(b, cat, zeroAnswers(cat), indicators.MustPoints("12.5")), 1, 3, 3)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PlanGap(cat, a, 3); err != nil {
			b.Fatal(err)
		}
	}
}
