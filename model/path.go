package model

import (
	"fmt"
	"math/bits"
	"sort"

	"digilevel/indicators"
)

// PlanRetrofit is the retrofit path of a diagnosis: the cheapest set of
// changes under the planning data's cost model that provably reaches target
// (the plan is applied and rescored before it is returned), plus up to two
// alternative complete plans that differ in what they change.
//
// "Cheapest" means, in this order: the lowest total cost; then the smallest
// score gain that still covers the deficit (an overshoot is not a merit:
// +0.625 needed is met by +1.25, not by +3.5); then changes in earlier
// questions in catalog order. A baseline plan never changes a question the
// cost model marks as an outcome (Q12–Q15 measure the result of a retrofit).
//
// Alternative 1 may not change the item of the primary plan's costliest step
// (the next costliest if that leaves the target out of reach); alternative 2
// may change neither that item nor the costliest of alternative 1. So each
// plan differs from those before it in at least one item it changes.
func PlanRetrofit(cat *indicators.Catalog, pl *indicators.Planning, a AnswerSet, target int, kind Kind) (GapPlan, error) {
	if pl == nil {
		return GapPlan{}, invalidf("缺少诊断规划数据（改动难度）")
	}
	primary, err := planWithCosts(cat, pl, a, target, kind, nil)
	if err != nil || !primary.Reachable || primary.AlreadyMet {
		return primary, err
	}
	prev := primary
	var excluded []string
	for range 2 {
		alt, ok, err := alternative(cat, pl, a, target, kind, excluded, prev)
		if err != nil {
			return GapPlan{}, err
		}
		if !ok {
			break
		}
		primary.Alternatives = append(primary.Alternatives, alt)
		excluded, prev = alt.Excluded, alt
	}
	return primary, nil
}

// alternative finds the cheapest reachable plan that changes none of
// excluded nor the costliest possible item of prev.
func alternative(cat *indicators.Catalog, pl *indicators.Planning, a AnswerSet, target int, kind Kind, excluded []string, prev GapPlan) (GapPlan, bool, error) {
	for _, item := range stepsByCost(prev) {
		try := append(append([]string(nil), excluded...), item)
		p, err := planWithCosts(cat, pl, a, target, kind, try)
		if err != nil {
			return GapPlan{}, false, err
		}
		if p.Reachable && !p.AlreadyMet {
			p.Excluded = try
			return p, true, nil
		}
	}
	return GapPlan{}, false, nil
}

// stepsByCost lists a plan's changed items, costliest first; ties keep the
// plan's order (questions in catalog order, then scenarios).
func stepsByCost(p GapPlan) []string {
	type step struct {
		id   string
		cost int
	}
	var steps []step
	for _, s := range p.Questions {
		steps = append(steps, step{s.ID, s.Cost})
	}
	for _, s := range p.Scenarios {
		steps = append(steps, step{s.ID, s.Cost})
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].cost > steps[j].cost })
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = s.id
	}
	return out
}

// planWithCosts is one cheapest plan that changes nothing in exclude.
func planWithCosts(cat *indicators.Catalog, pl *indicators.Planning, a AnswerSet, target int, kind Kind, exclude []string) (GapPlan, error) {
	rule, ok := cat.Rule(target)
	if !ok {
		return GapPlan{}, invalidf("目标等级应为 1–%d，实际 %d", cat.MaxLevel(), target)
	}
	res, err := Score(cat, a)
	if err != nil {
		return GapPlan{}, err
	}
	qn, _ := a.questionnaire(cat)
	skip := map[string]bool{}
	for _, id := range exclude {
		skip[id] = true
	}
	plan := GapPlan{Target: target, TargetName: rule.Name, Reachable: true, ScoreNow: res.Score,
		Questions: []QuestionStep{}, Scenarios: []ScenarioStep{}, CostUnit: pl.Costs.Unit, Planning: pl.Hash()}
	if kind == KindBaseline {
		for _, qc := range pl.Costs.Questions {
			if qc.Outcome {
				plan.NotLevers = append(plan.NotLevers, qc.ID)
				skip[qc.ID] = true
			}
		}
	}
	if deficit := rule.MinScore - res.Score; deficit > 0 {
		plan.ScoreNeed = deficit
		steps, ok := cheapestQuestions(qn, pl, a, deficit, skip)
		if !ok {
			plan.Reachable = false
			plan.Reason = fmt.Sprintf("可改动的题目全部满分仍达不到 %s 分", rule.MinScore)
			if len(plan.NotLevers) > 0 {
				plan.Reason = fmt.Sprintf("不计成效题（改造前不作为改动手段），其余题目全部满分仍达不到 %s 分", rule.MinScore)
			}
		}
		plan.Questions = steps
	}
	scSteps, reason := cheapestScenarios(cat, pl, rule, res.Scenarios, skip)
	if reason != "" && plan.Reachable {
		plan.Reachable = false
		plan.Reason = reason
	}
	plan.Scenarios = scSteps
	plan.ScoreAfter = res.Score
	for _, s := range plan.Questions {
		plan.ScoreAfter += s.Gain
		plan.Effort += s.Effort
		plan.Cost += s.Cost
	}
	for _, s := range plan.Scenarios {
		plan.Effort += s.To - s.From
		plan.Cost += s.Cost
	}
	plan.Changes = len(plan.Questions) + len(plan.Scenarios)
	plan.AlreadyMet = plan.Reachable && plan.Changes == 0
	if plan.Reachable && !plan.AlreadyMet {
		// The plan's promise, checked: applied and rescored it reaches target.
		after, err := Score(cat, plan.Apply(a))
		if err != nil {
			return GapPlan{}, err
		}
		if after.Level < target {
			return GapPlan{}, fmt.Errorf("internal: plan to %s leaves level %d", rule.Name, after.Level)
		}
	}
	return plan, nil
}

// pricedChoice is one way to raise one question, with its cost.
type pricedChoice struct {
	add, to []string
	gain    indicators.Points
	cost    int
	effort  int
}

// pricedChoices lists the distinct (cost, gain) ways to raise a question,
// cheapest first, then the smallest gain; for one (cost, gain) the options
// earliest in catalog order.
func pricedChoices(q *indicators.Question, qc *indicators.QuestionCost, change int, chosen []string) []pricedChoice {
	var current indicators.Points
	have := map[string]bool{}
	for _, id := range chosen {
		have[id] = true
		if o, ok := q.Option(id); ok {
			current += o.Score
		}
	}
	var out []pricedChoice
	switch q.Type {
	case indicators.Single:
		rungs := distinctScores(q)
		from := rungOf(rungs, current)
		for _, o := range q.Options {
			if o.Score <= current {
				continue
			}
			to := rungOf(rungs, o.Score)
			cost := change
			for i := from; i < to && i < len(qc.StepCosts); i++ {
				cost += qc.StepCosts[i]
			}
			out = append(out, pricedChoice{add: []string{o.ID}, to: []string{o.ID}, gain: o.Score - current, cost: cost, effort: to - from})
		}
	case indicators.Multi:
		type key struct {
			cost int
			gain indicators.Points
		}
		// Subsets of the free options by (cost, gain), built in catalog
		// order so the first subset found for a pair is kept.
		subsets := map[key][]string{{0, 0}: nil}
		order := []key{{0, 0}}
		for _, o := range q.Options {
			if o.None || have[o.ID] || o.Score <= 0 {
				continue
			}
			c, ok := qc.OptionCosts[o.ID]
			if !ok {
				c = qc.PerOption
			}
			n := len(order)
			for i := 0; i < n; i++ {
				k := order[i]
				nk := key{k.cost + c, k.gain + o.Score}
				if _, seen := subsets[nk]; !seen {
					subsets[nk] = append(append([]string(nil), subsets[k]...), o.ID)
					order = append(order, nk)
				}
			}
		}
		for _, k := range order[1:] {
			add := subsets[k]
			out = append(out, pricedChoice{add: add, to: mergeOptions(q, chosen, add), gain: k.gain, cost: change + k.cost, effort: len(add)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].cost != out[j].cost {
			return out[i].cost < out[j].cost
		}
		return out[i].gain < out[j].gain
	})
	return out
}

// bitset is a set of small non-negative integers (gains in grid units).
type bitset []uint64

func (b bitset) has(i int) bool { return i >= 0 && i/64 < len(b) && b[i/64]&(1<<(i%64)) != 0 }

// orShifted sets b |= src << n.
func (b bitset) orShifted(src bitset, n int) {
	w, r := n/64, uint(n%64)
	for i := len(src) - 1; i >= 0; i-- {
		if src[i] == 0 {
			continue
		}
		if j := i + w; j < len(b) {
			b[j] |= src[i] << r
		}
		if j := i + w + 1; r != 0 && j < len(b) {
			b[j] |= src[i] >> (64 - r)
		}
	}
}

// firstAtLeast is the smallest member >= i, or -1.
func (b bitset) firstAtLeast(i int) int {
	for w := i / 64; w < len(b); w++ {
		word := b[w]
		if w == i/64 {
			word &= ^uint64(0) << (i % 64)
		}
		if word != 0 {
			return w*64 + bits.TrailingZeros64(word)
		}
	}
	return -1
}

// cheapestQuestions finds the cheapest question changes that cover the
// deficit exactly as PlanRetrofit defines it. Phase one finds the least
// total cost C whose best gain covers the deficit; phase two finds, among
// plans of cost exactly C, the smallest covering gain, over the grid of
// the options' common divisor so every sum is exact.
func cheapestQuestions(qn *indicators.Questionnaire, pl *indicators.Planning, a AnswerSet, deficit indicators.Points, skip map[string]bool) ([]QuestionStep, bool) {
	qs := qn.Questions()
	menus := make([][]pricedChoice, len(qs))
	maxCost := 0
	unit := indicators.Points(0)
	for i, q := range qs {
		for _, o := range q.Options {
			unit = gcdPoints(unit, o.Score)
		}
		qc, ok := pl.Question(q.ID)
		if !ok || skip[q.ID] {
			continue
		}
		menus[i] = pricedChoices(q, qc, pl.Costs.Change, a.Answers[q.ID])
		most := 0
		for _, c := range menus[i] {
			most = max(most, c.cost)
		}
		maxCost += most
	}
	if unit <= 0 {
		return []QuestionStep{}, false
	}
	// Phase one: best[c] is the largest gain of any plan costing exactly c.
	best := make([]indicators.Points, maxCost+1)
	for c := range best {
		best[c] = -1
	}
	best[0] = 0
	for _, menu := range menus {
		next := append([]indicators.Points(nil), best...)
		for c, g := range best {
			if g < 0 {
				continue
			}
			for _, ch := range menu {
				if nc := c + ch.cost; nc <= maxCost && g+ch.gain > next[nc] {
					next[nc] = g + ch.gain
				}
			}
		}
		best = next
	}
	target := -1
	for c, g := range best {
		if g >= deficit {
			target = c
			break
		}
	}
	if target < 0 {
		return []QuestionStep{}, false
	}
	// Phase two: reach[i][c] holds the gains (in grid units) of plans over
	// the first i questions costing exactly c <= target.
	maxUnits := int(deficit/unit) + 1
	for _, menu := range menus {
		g := 0
		for _, ch := range menu {
			g = max(g, int(ch.gain/unit))
		}
		maxUnits += g
	}
	words := maxUnits/64 + 1
	reach := make([][]bitset, len(qs)+1)
	// One backing array for every layer: the table is rebuilt per plan, and
	// separate small slices made the garbage collector the main cost.
	backing := make([]uint64, (len(qs)+1)*(target+1)*words)
	layer := 0
	newLayer := func() []bitset {
		l := make([]bitset, target+1)
		for c := range l {
			off := (layer*(target+1) + c) * words
			l[c] = bitset(backing[off : off+words : off+words])
		}
		layer++
		return l
	}
	reach[0] = newLayer()
	reach[0][0][0] = 1
	for i, menu := range menus {
		prev, next := reach[i], newLayer()
		for c := 0; c <= target; c++ {
			copy(next[c], prev[c])
		}
		for _, ch := range menu {
			for c := 0; c+ch.cost <= target; c++ {
				next[c+ch.cost].orShifted(prev[c], int(ch.gain/unit))
			}
		}
		reach[i+1] = next
	}
	need := int((deficit + unit - 1) / unit)
	g := reach[len(qs)][target].firstAtLeast(need)
	if g < 0 {
		return []QuestionStep{}, false
	}
	// Backtrack from the last question, preferring "unchanged", so earlier
	// questions carry the changes when plans tie.
	var steps []QuestionStep
	c := target
	for i := len(qs); i > 0; i-- {
		prev := reach[i-1]
		if prev[c].has(g) {
			continue
		}
		for _, ch := range menus[i-1] {
			pc, pg := c-ch.cost, g-int(ch.gain/unit)
			if pc >= 0 && pg >= 0 && prev[pc].has(pg) {
				q := qs[i-1]
				from := a.Answers[q.ID]
				if from == nil {
					from = []string{}
				}
				steps = append(steps, QuestionStep{ID: q.ID, From: from, To: ch.to, Add: ch.add, Gain: ch.gain, Effort: ch.effort, Cost: ch.cost})
				c, g = pc, pg
				break
			}
		}
	}
	for i, j := 0, len(steps)-1; i < j; i, j = i+1, j-1 {
		steps[i], steps[j] = steps[j], steps[i]
	}
	return steps, true
}

func gcdPoints(a, b indicators.Points) indicators.Points {
	if a < 0 {
		a = -a
	}
	if b < 0 {
		b = -b
	}
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// cheapestScenarios raises the cheapest scenarios to the rule's level: the
// 约束性 ones the gate still needs, then the cheapest of the rest; ties in
// catalog order. Choosing the cheapest needed 约束性 first and then the
// cheapest remaining is optimal for "at least m 约束性 among at least n".
func cheapestScenarios(cat *indicators.Catalog, pl *indicators.Planning, rule *indicators.LevelRule, scenarios []ScenarioResult, skip map[string]bool) ([]ScenarioStep, string) {
	minT, minC := gates(cat, rule, scenarios)
	haveT, haveC := 0, 0
	type cand struct {
		s    ScenarioResult
		cost int
	}
	var below []cand
	for _, s := range scenarios {
		switch {
		case s.Level == NotApplicable:
		case int(s.Level) >= rule.Level:
			haveT++
			if s.Constrained {
				haveC++
			}
		case !skip[s.ID]:
			cost := 0
			for l := max(int(s.Level), 0) + 1; l <= rule.Level && l-1 < len(pl.Costs.ScenarioLevelCosts); l++ {
				cost += pl.Costs.ScenarioLevelCosts[l-1]
			}
			below = append(below, cand{s, cost})
		}
	}
	sort.SliceStable(below, func(i, j int) bool { return below[i].cost < below[j].cost })
	steps := []ScenarioStep{}
	taken := map[string]bool{}
	raise := func(c cand) {
		from := max(int(c.s.Level), 0)
		steps = append(steps, ScenarioStep{ID: c.s.ID, Name: c.s.Name, Constrained: c.s.Constrained, From: from, To: rule.Level, Cost: c.cost})
		taken[c.s.ID] = true
		haveT++
		if c.s.Constrained {
			haveC++
		}
	}
	for _, c := range below {
		if haveC >= minC {
			break
		}
		if c.s.Constrained {
			raise(c)
		}
	}
	for _, c := range below {
		if haveT >= minT {
			break
		}
		if !taken[c.s.ID] {
			raise(c)
		}
	}
	if haveC < minC || haveT < minT {
		return steps, fmt.Sprintf("可提升的场景不足: %s需要 %d 个场景（其中约束性 %d 个）", rule.Name, minT, minC)
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].ID < steps[j].ID })
	return steps, ""
}
