package model

import (
	"math/rand"
	"testing"
	"time"
)

// The 需求场景清单 (and the scenario part of the 问题清单) is ranked: the
// scenarios the retrofit plan raises first, then 约束性 before others,
// then the lowest level first, ties in catalog order. The report and UI
// goldens show one case; this checks the rule on random assessments.
func TestScenarioListOrder(t *testing.T) {
	cat := catalog(t)
	pl := planning(t, cat)
	catIndex := map[string]int{}
	for i, s := range cat.Scenarios {
		catIndex[s.ID] = i
	}
	qs := cat.DefaultQuestionnaire().Questions()
	rng := rand.New(rand.NewSource(17))
	runs := 120
	if testing.Short() {
		runs = 40
	}
	checked := 0
	for n := 0; n < runs; n++ {
		a, err := NewAssessment(NewAssessmentOptions{ID: "A", Enterprise: DemoCode, Kind: KindBaseline, Catalog: cat, Now: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range qs {
			ways := questionWays(q)
			a.Answers.Answers[q.ID] = ways[rng.Intn(len(ways))].opts
		}
		for _, s := range cat.Scenarios {
			a.Answers.Scenarios[s.ID] = ScenarioRating(rng.Intn(5))
		}
		d, err := Diagnose(cat, pl, a)
		if err != nil {
			t.Fatal(err)
		}
		plan := d.Target
		if plan.AlreadyMet {
			plan = d.Next
		}
		onPlan := map[string]bool{}
		for _, s := range plan.Scenarios {
			onPlan[s.ID] = true
		}
		level := map[string]ScenarioResult{}
		want := 0
		for _, s := range d.Result.Scenarios {
			level[s.ID] = s
			if s.Level != NotApplicable && int(s.Level) < plan.Target {
				want++
			}
		}
		if len(d.Demands) != want {
			t.Fatalf("run %d: %d demands, want the %d scenarios below %d", n, len(d.Demands), want, plan.Target)
		}
		rank := func(id string) [4]int {
			s := level[id]
			r := [4]int{1, 1, int(s.Level), catIndex[id]}
			if onPlan[id] {
				r[0] = 0
			}
			if s.Constrained {
				r[1] = 0
			}
			return r
		}
		for i, it := range d.Demands {
			if it.OnPath != onPlan[it.ID] {
				t.Fatalf("run %d: %s OnPath = %v, the plan says %v", n, it.ID, it.OnPath, onPlan[it.ID])
			}
			if i == 0 {
				continue
			}
			prev, cur := rank(d.Demands[i-1].ID), rank(it.ID)
			if less(cur, prev) {
				t.Fatalf("run %d: %s %v listed after %s %v", n, it.ID, cur, d.Demands[i-1].ID, prev)
			}
			checked++
		}
		// The same scenarios, in the same order, in the 问题清单.
		var inProblems []string
		for _, it := range d.Problems {
			if it.Kind == ItemScenario {
				inProblems = append(inProblems, it.ID)
			}
		}
		for i, it := range d.Demands {
			if i >= len(inProblems) || inProblems[i] != it.ID {
				t.Fatalf("run %d: the 问题清单's scenarios %v differ from the 需求场景清单", n, inProblems)
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d neighbouring pairs checked", checked)
	}
}

func less(a, b [4]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}
