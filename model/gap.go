package model

import (
	"sort"

	"digilevel/indicators"
)

// GapPlan is a set of changes that lifts an assessment to a target level,
// made by PlanRetrofit (path.go), the one planner, which prices changes with
// the planning data's cost model. Effort counts rungs: for a single-choice
// question the number of score steps climbed, for a multi-choice question
// the options added, for a scenario the levels raised.
type GapPlan struct {
	Target     int    `json:"target"`
	TargetName string `json:"target_name"`
	// AlreadyMet is true when the target is reached without change.
	AlreadyMet bool `json:"already_met"`
	// Reachable is false when no change can reach the target (for example,
	// too many scenarios marked not applicable); Reason says why.
	Reachable  bool              `json:"reachable"`
	Reason     string            `json:"reason,omitempty"`
	ScoreNow   indicators.Points `json:"score_now"`
	ScoreNeed  indicators.Points `json:"score_needed"`
	ScoreAfter indicators.Points `json:"score_after"`
	Questions  []QuestionStep    `json:"questions"`
	Scenarios  []ScenarioStep    `json:"scenarios"`
	Changes    int               `json:"changes"`
	Effort     int               `json:"effort"`
	// The fields below are set by PlanRetrofit (report format 2); every plan
	// in a format-1 report (made by the fewest-changes planner it replaced)
	// leaves them empty.
	//
	// Cost is the plan's total under the planning data's cost model, in
	// CostUnit; Planning is that data's hash.
	Cost     int    `json:"cost,omitempty"`
	CostUnit string `json:"cost_unit,omitempty"`
	Planning string `json:"planning,omitempty"`
	// NotLevers lists the 成效 questions a baseline plan may not change.
	NotLevers []string `json:"not_levers,omitempty"`
	// Excluded lists what an alternative was forbidden to change: the
	// costliest items of the plans before it, so it differs from them.
	Excluded []string `json:"excluded,omitempty"`
	// Alternatives are up to two other complete plans to the same target.
	Alternatives []GapPlan `json:"alternatives,omitempty"`
}

// QuestionStep raises one question.
type QuestionStep struct {
	ID     string            `json:"id"`
	From   []string          `json:"from"`
	To     []string          `json:"to"`
	Add    []string          `json:"add"`
	Gain   indicators.Points `json:"gain"`
	Effort int               `json:"effort"`
	Cost   int               `json:"cost,omitempty"`
}

// ScenarioStep raises one scenario.
type ScenarioStep struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Constrained bool   `json:"constrained"`
	From        int    `json:"from"`
	To          int    `json:"to"`
	Cost        int    `json:"cost,omitempty"`
}

// distinctScores are a question's distinct option scores, ascending: the
// rungs a single-choice question climbs.
func distinctScores(q *indicators.Question) []indicators.Points {
	var rungs []indicators.Points
	seen := map[indicators.Points]bool{}
	for _, o := range q.Options {
		if !seen[o.Score] {
			seen[o.Score] = true
			rungs = append(rungs, o.Score)
		}
	}
	sort.Slice(rungs, func(i, j int) bool { return rungs[i] < rungs[j] })
	return rungs
}

func rungOf(rungs []indicators.Points, p indicators.Points) int {
	for i, r := range rungs {
		if r >= p {
			return i
		}
	}
	return len(rungs)
}

// mergeOptions is the chosen set plus added options, without "无", in catalog order.
func mergeOptions(q *indicators.Question, chosen, add []string) []string {
	in := map[string]bool{}
	for _, id := range append(append([]string(nil), chosen...), add...) {
		in[id] = true
	}
	var out []string
	for _, o := range q.Options {
		if in[o.ID] && !o.None {
			out = append(out, o.ID)
		}
	}
	return out
}

// Apply returns a copy of the answers with the plan's changes made.
func (p GapPlan) Apply(a AnswerSet) AnswerSet {
	out := a.Clone()
	for _, s := range p.Questions {
		out.Answers[s.ID] = append([]string(nil), s.To...)
	}
	for _, s := range p.Scenarios {
		out.Scenarios[s.ID] = ScenarioRating(s.To)
	}
	return out
}
