package model

import (
	"testing"

	"digilevel/indicators"
)

// Shrinking gates with an uneven share of not-applicable scenarios: 4 of
// 16 N/A leave 12 applicable, so the 一级 gate of 6 becomes ceil(6×12/16)
// = 5 (counting the N/A ones instead would give 2).
func TestShrinkGatesCountApplicable(t *testing.T) {
	cat := catalog(t)
	cat.ScenarioPolicy.AllowNotApplicable = true
	cat.ScenarioPolicy.NotApplicableMode = indicators.NAShrinksGates
	a := withScenarios(cat, withScore(t, cat, zeroAnswers(cat), indicators.MustPoints("40")), 1, 3, 3)
	na := 0
	naConstrained := 0
	for _, s := range cat.Scenarios {
		if na < 4 && !s.Constrained {
			a.Scenarios[s.ID] = NotApplicable
			na++
		}
	}
	for _, s := range cat.Scenarios {
		if naConstrained < 1 && s.Constrained {
			a.Scenarios[s.ID] = NotApplicable
			naConstrained++
		}
	}
	r := mustScore(t, cat, a)
	total, constrained := len(cat.Scenarios), cat.Constrained()
	applicable, applicableC := total-na-naConstrained, constrained-naConstrained
	for _, c := range r.Checks {
		rule := cat.Levels.Rules[c.Level-1]
		wantT := (rule.MinScenarios*applicable + total - 1) / total
		wantC := (rule.MinConstrained*applicableC + constrained - 1) / constrained
		if c.MinScenarios != wantT || c.MinConstrained != wantC {
			t.Errorf("level %d: gates %d/%d, want %d/%d (%d of %d applicable, %d of %d constrained)",
				c.Level, c.MinScenarios, c.MinConstrained, wantT, wantC, applicable, total, applicableC, constrained)
		}
	}
	if r.Checks[0].MinScenarios != 5 {
		t.Errorf("一级 gate %d, want 5", r.Checks[0].MinScenarios)
	}
}

func TestCeilDiv(t *testing.T) {
	for _, c := range []struct{ a, b, want int }{{7, 1, 7}, {9, 4, 3}, {8, 4, 2}, {0, 5, 0}, {3, 0, 0}} {
		if got := ceilDiv(c.a, c.b); got != c.want {
			t.Errorf("ceilDiv(%d, %d) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
