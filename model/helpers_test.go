package model

import (
	"testing"

	"digilevel/indicators"
)

func catalog(t testing.TB) *indicators.Catalog {
	t.Helper()
	c, err := indicators.Embedded("2024")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// zeroAnswers answers every question with its 0-point option and rates
// every scenario 0.
func zeroAnswers(cat *indicators.Catalog) AnswerSet {
	a := NewAnswerSet(cat)
	for _, q := range cat.DefaultQuestionnaire().Questions() {
		for _, o := range q.Options {
			if o.Score == 0 {
				a.Answers[q.ID] = []string{o.ID}
				break
			}
		}
	}
	for _, s := range cat.Scenarios {
		a.Scenarios[s.ID] = 0
	}
	return a
}

// withScore changes the question answers of a so the base score is exactly
// target, found by a subset-sum search over every question's reachable
// scores. It fails the test if the score cannot be reached.
func withScore(t testing.TB, cat *indicators.Catalog, a AnswerSet, target indicators.Points) AnswerSet {
	t.Helper()
	const unit = 25 // every 2024 score is a multiple of 0.025
	qs := cat.DefaultQuestionnaire().Questions()
	n := int(target / unit)
	ways := make([][]questionWay, len(qs))
	// from[i][s] is 1+the way of question i that reaches sum s, 0 if unreachable.
	from := make([][]int, len(qs)+1)
	from[0] = make([]int, n+1)
	from[0][0] = 1
	for i, q := range qs {
		ways[i] = questionWays(q)
		from[i+1] = make([]int, n+1)
		for s := 0; s <= n; s++ {
			if from[i][s] == 0 {
				continue
			}
			for k, w := range ways[i] {
				ns := s + int(w.score/unit)
				if ns <= n && from[i+1][ns] == 0 {
					from[i+1][ns] = k + 1
				}
			}
		}
	}
	if target%unit != 0 || from[len(qs)][n] == 0 {
		t.Fatalf("score %s is not reachable", target)
	}
	out := a.Clone()
	for i, s := len(qs), n; i > 0; i-- {
		w := ways[i-1][from[i][s]-1]
		out.Answers[qs[i-1].ID] = w.opts
		s -= int(w.score / unit)
	}
	return out
}

type questionWay struct {
	score indicators.Points
	opts  []string
}

// questionWays lists one option set per reachable score of a question.
func questionWays(q *indicators.Question) []questionWay {
	seen := map[indicators.Points]bool{}
	var out []questionWay
	add := func(opts []string, s indicators.Points) {
		if !seen[s] {
			seen[s] = true
			out = append(out, questionWay{score: s, opts: opts})
		}
	}
	if q.Type == indicators.Single {
		for _, o := range q.Options {
			add([]string{o.ID}, o.Score)
		}
		return out
	}
	var positive []indicators.Option
	for _, o := range q.Options {
		if o.None {
			add([]string{o.ID}, 0)
		} else {
			positive = append(positive, o)
		}
	}
	for mask := 1; mask < 1<<len(positive); mask++ {
		var opts []string
		var s indicators.Points
		for i, o := range positive {
			if mask&(1<<i) != 0 {
				opts = append(opts, o.ID)
				s += o.Score
			}
		}
		add(opts, s)
	}
	return out
}

// withScenarios rates the first `constrained` 约束性 scenarios and the first
// `others` 指导性 scenarios at level; all others get level-1 (or 0).
func withScenarios(cat *indicators.Catalog, a AnswerSet, level, constrained, others int) AnswerSet {
	out := a.Clone()
	for _, s := range cat.Scenarios {
		r := ScenarioRating(max(level-1, 0))
		if s.Constrained && constrained > 0 {
			r, constrained = ScenarioRating(level), constrained-1
		} else if !s.Constrained && others > 0 {
			r, others = ScenarioRating(level), others-1
		}
		out.Scenarios[s.ID] = r
	}
	return out
}

func mustScore(t testing.TB, cat *indicators.Catalog, a AnswerSet) Result {
	t.Helper()
	r, err := Score(cat, a)
	if err != nil {
		t.Fatalf("Score: %v", err)
	}
	return r
}

func planning(t testing.TB, cat *indicators.Catalog) *indicators.Planning {
	t.Helper()
	p, err := indicators.EmbeddedPlanning(cat)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
