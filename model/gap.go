package model

import (
	"fmt"
	"sort"

	"digilevel/indicators"
)

// GapPlan is a set of changes that lifts an assessment to a target level.
// PlanRetrofit (path.go) prices changes with the planning data's cost model;
// PlanGap, kept for the rating review until it moves to PlanRetrofit, counts
// changes instead. For PlanGap "cheapest" means, in this order: the fewest changed items (questions
// plus scenarios), then the least effort, then the most points gained; ties
// fall to catalog order. Effort counts rungs: for a single-choice question the
// number of score steps climbed, for a multi-choice question the options
// added, for a scenario the levels raised.
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
	// The fields below are set by PlanRetrofit (report format 2); a plan of
	// PlanGap and every plan in a format-1 report leaves them empty.
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

// PlanGap computes the cheapest path from the current answers to target.
func PlanGap(cat *indicators.Catalog, a AnswerSet, target int) (GapPlan, error) {
	rule, ok := cat.Rule(target)
	if !ok {
		return GapPlan{}, invalidf("目标等级应为 1–%d，实际 %d", cat.MaxLevel(), target)
	}
	res, err := Score(cat, a)
	if err != nil {
		return GapPlan{}, err
	}
	qn, _ := a.questionnaire(cat)
	plan := GapPlan{Target: target, TargetName: rule.Name, Reachable: true, ScoreNow: res.Score, Questions: []QuestionStep{}, Scenarios: []ScenarioStep{}}
	if deficit := rule.MinScore - res.Score; deficit > 0 {
		plan.ScoreNeed = deficit
		steps, ok := planQuestions(qn, a, deficit)
		if !ok {
			plan.Reachable = false
			plan.Reason = fmt.Sprintf("所有题目满分仍达不到 %s 分", rule.MinScore)
		}
		plan.Questions = steps
	}
	scSteps, reason := planScenarios(cat, rule, res.Scenarios)
	if reason != "" {
		plan.Reachable = false
		plan.Reason = reason
	}
	plan.Scenarios = scSteps
	plan.ScoreAfter = res.Score
	for _, s := range plan.Questions {
		plan.ScoreAfter += s.Gain
		plan.Effort += s.Effort
	}
	for _, s := range plan.Scenarios {
		plan.Effort += s.To - s.From
	}
	plan.Changes = len(plan.Questions) + len(plan.Scenarios)
	plan.AlreadyMet = plan.Reachable && plan.Changes == 0
	return plan, nil
}

// NextLevel plans the path to the level above the current one; at the top
// level it returns a plan that is already met.
func NextLevel(cat *indicators.Catalog, a AnswerSet, current int) (GapPlan, error) {
	target := current + 1
	if target > cat.MaxLevel() {
		target = cat.MaxLevel()
	}
	return PlanGap(cat, a, target)
}

// choice is one way to raise one question.
type choice struct {
	add    []string
	to     []string
	gain   indicators.Points
	effort int
}

// questionChoices lists, for one question, the best gain for each effort.
func questionChoices(q *indicators.Question, chosen []string) []choice {
	var current indicators.Points
	have := map[string]bool{}
	for _, id := range chosen {
		have[id] = true
		if o, ok := q.Option(id); ok {
			current += o.Score
		}
	}
	var out []choice
	switch q.Type {
	case indicators.Single:
		// Effort climbs the distinct score rungs.
		rungs := distinctScores(q)
		from := rungOf(rungs, current)
		for _, o := range q.Options {
			if o.Score > current {
				out = append(out, choice{add: []string{o.ID}, to: []string{o.ID}, gain: o.Score - current, effort: rungOf(rungs, o.Score) - from})
			}
		}
	case indicators.Multi:
		var free []indicators.Option
		for _, o := range q.Options {
			if !o.None && !have[o.ID] && o.Score > 0 {
				free = append(free, o)
			}
		}
		// Highest scores first; catalog order among equals (stable sort).
		sort.SliceStable(free, func(i, j int) bool { return free[i].Score > free[j].Score })
		var gain indicators.Points
		var added []string
		for k, o := range free {
			gain += o.Score
			added = append(added, o.ID)
			out = append(out, choice{add: append([]string(nil), added...), gain: gain, effort: k + 1})
		}
		for i := range out {
			out[i].to = mergeOptions(q, chosen, out[i].add)
		}
	}
	return out
}

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

// planQuestions finds the fewest questions, then the least effort, then the
// largest gain that covers the deficit. dp[c][e] holds the best gain using c
// questions and effort e over the questions seen so far.
func planQuestions(qn *indicators.Questionnaire, a AnswerSet, deficit indicators.Points) ([]QuestionStep, bool) {
	qs := qn.Questions()
	menus := make([][]choice, len(qs))
	maxEffort := 0
	for i, q := range qs {
		menus[i] = questionChoices(q, a.Answers[q.ID])
		best := 0
		for _, c := range menus[i] {
			if c.effort > best {
				best = c.effort
			}
		}
		maxEffort += best
	}
	type cell struct {
		ok   bool
		gain indicators.Points
	}
	n := len(qs)
	// layers[i] is the table after the first i questions; kept for backtracking.
	layers := make([][][]cell, n+1)
	newTable := func() [][]cell {
		t := make([][]cell, n+1)
		for c := range t {
			t[c] = make([]cell, maxEffort+1)
		}
		return t
	}
	layers[0] = newTable()
	layers[0][0][0] = cell{ok: true}
	for i := 0; i < n; i++ {
		prev, next := layers[i], newTable()
		for c := 0; c <= i; c++ {
			for e := 0; e <= maxEffort; e++ {
				p := prev[c][e]
				if !p.ok {
					continue
				}
				if !next[c][e].ok || p.gain > next[c][e].gain {
					next[c][e] = p
				}
				for _, ch := range menus[i] {
					ne, g := e+ch.effort, p.gain+ch.gain
					if ne <= maxEffort && (!next[c+1][ne].ok || g > next[c+1][ne].gain) {
						next[c+1][ne] = cell{ok: true, gain: g}
					}
				}
			}
		}
		layers[i+1] = next
	}
	final := layers[n]
	bestC, bestE := -1, -1
	for c := 0; c <= n && bestC < 0; c++ {
		for e := 0; e <= maxEffort; e++ {
			if final[c][e].ok && final[c][e].gain >= deficit {
				bestC, bestE = c, e
				break
			}
		}
	}
	if bestC < 0 {
		return []QuestionStep{}, false
	}
	// Backtrack from the last question, preferring "unchanged" so earlier
	// questions in catalog order carry the changes when results tie.
	var steps []QuestionStep
	c, e, want := bestC, bestE, final[bestC][bestE].gain
	for i := n; i > 0; i-- {
		prev := layers[i-1]
		if prev[c][e].ok && prev[c][e].gain == want {
			continue
		}
		for _, ch := range menus[i-1] {
			pe := e - ch.effort
			if c > 0 && pe >= 0 && prev[c-1][pe].ok && prev[c-1][pe].gain+ch.gain == want {
				q := qs[i-1]
				from := a.Answers[q.ID]
				if from == nil {
					from = []string{}
				}
				steps = append(steps, QuestionStep{ID: q.ID, From: from, To: ch.to, Add: ch.add, Gain: ch.gain, Effort: ch.effort})
				c, e, want = c-1, pe, want-ch.gain
				break
			}
		}
	}
	// Steps were found last to first.
	for i, j := 0, len(steps)-1; i < j; i, j = i+1, j-1 {
		steps[i], steps[j] = steps[j], steps[i]
	}
	return steps, true
}

// planScenarios raises the fewest scenarios to the rule's level: first the
// 约束性 ones the gate still needs, then any others, each time the ones
// closest to the level (ties in catalog order).
func planScenarios(cat *indicators.Catalog, rule *indicators.LevelRule, scenarios []ScenarioResult) ([]ScenarioStep, string) {
	minT, minC := gates(cat, rule, scenarios)
	haveT, haveC := 0, 0
	var below []ScenarioResult
	for _, s := range scenarios {
		switch {
		case s.Level == NotApplicable:
		case int(s.Level) >= rule.Level:
			haveT++
			if s.Constrained {
				haveC++
			}
		default:
			below = append(below, s)
		}
	}
	sort.SliceStable(below, func(i, j int) bool { return below[i].Level > below[j].Level })
	steps := []ScenarioStep{}
	taken := map[string]bool{}
	raise := func(s ScenarioResult) {
		from := int(s.Level)
		if from < 0 {
			from = 0
		}
		steps = append(steps, ScenarioStep{ID: s.ID, Name: s.Name, Constrained: s.Constrained, From: from, To: rule.Level})
		taken[s.ID] = true
		haveT++
		if s.Constrained {
			haveC++
		}
	}
	for _, s := range below {
		if haveC >= minC {
			break
		}
		if s.Constrained {
			raise(s)
		}
	}
	for _, s := range below {
		if haveT >= minT {
			break
		}
		if !taken[s.ID] {
			raise(s)
		}
	}
	if haveC < minC || haveT < minT {
		return steps, fmt.Sprintf("适用的场景不足: %s需要 %d 个场景（其中约束性 %d 个）", rule.Name, minT, minC)
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].ID < steps[j].ID })
	return steps, ""
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
