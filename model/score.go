package model

import (
	"fmt"

	"digilevel/indicators"
)

// Result is the scored outcome of an answer set.
type Result struct {
	Edition     string `json:"edition"`
	CatalogHash string `json:"catalog_hash"`
	// Score is the base score (数字化基础 + 管理 + 成效), 0–100.
	Score      indicators.Points `json:"score"`
	MaxScore   indicators.Points `json:"max_score"`
	Dimensions []DimensionScore  `json:"dimensions"`
	Questions  []QuestionScore   `json:"questions"`
	Scenarios  []ScenarioResult  `json:"scenario_levels"`
	// Counts[l] counts the scenarios at or above level l (index 0 unused).
	Counts []ScenarioCount `json:"scenario_counts"`
	// Level is the overall level, 0 = no level.
	Level     int    `json:"level"`
	LevelName string `json:"level_name"`
	// Checks explains every level rule, lowest first.
	Checks  []LevelCheck `json:"reasons"`
	Missing []string     `json:"missing,omitempty"`
}

// DimensionScore is the score of one dimension and its sub-dimensions.
type DimensionScore struct {
	ID            string            `json:"id"`
	Name          string            `json:"name"`
	Points        indicators.Points `json:"points"`
	Max           indicators.Points `json:"max"`
	SubDimensions []SubScore        `json:"sub_dimensions"`
}

// SubScore is the score of a sub-dimension.
type SubScore struct {
	ID     string            `json:"id"`
	Name   string            `json:"name"`
	Points indicators.Points `json:"points"`
	Max    indicators.Points `json:"max"`
}

// QuestionScore is the score of one question.
type QuestionScore struct {
	ID       string            `json:"id"`
	Options  []string          `json:"options"`
	Points   indicators.Points `json:"points"`
	Max      indicators.Points `json:"max"`
	Answered bool              `json:"answered"`
}

// ScenarioResult is one scenario's rating.
type ScenarioResult struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Constrained bool           `json:"constrained"`
	Level       ScenarioRating `json:"level"`
	Rated       bool           `json:"rated"`
}

// ScenarioCount counts scenarios at or above a level.
type ScenarioCount struct {
	Level       int `json:"level"`
	Total       int `json:"total"`
	Constrained int `json:"constrained"`
}

// LevelCheck says whether each condition of one level rule holds, with the numbers.
type LevelCheck struct {
	Level     int               `json:"level"`
	Name      string            `json:"name"`
	Score     indicators.Points `json:"score"`
	MinScore  indicators.Points `json:"min_score"`
	ScoreOK   bool              `json:"score_ok"`
	Scenarios int               `json:"scenarios"`
	// MinScenarios and MinConstrained are the gates after the N/A policy.
	MinScenarios   int    `json:"min_scenarios"`
	ScenariosOK    bool   `json:"scenarios_ok"`
	Constrained    int    `json:"constrained"`
	MinConstrained int    `json:"min_constrained"`
	ConstrainedOK  bool   `json:"constrained_ok"`
	Met            bool   `json:"met"`
	Text           string `json:"text"`
}

// Score scores an answer set with a catalog. Unanswered questions score 0
// and unrated scenarios count as below 一级; Result.Missing lists them. The
// answer set must be valid (see AnswerSet.Validate).
func Score(cat *indicators.Catalog, a AnswerSet) (Result, error) {
	if err := a.Validate(cat); err != nil {
		return Result{}, err
	}
	qn, _ := a.questionnaire(cat)
	res := Result{Edition: cat.Edition, CatalogHash: cat.Hash(), MaxScore: cat.TotalPoints, Missing: a.Missing(cat)}
	for _, d := range qn.Dimensions {
		ds := DimensionScore{ID: d.ID, Name: d.Name, Max: d.Points}
		for _, s := range d.SubDimensions {
			ss := SubScore{ID: s.ID, Name: s.Name}
			for _, ind := range s.Indicators {
				for k := range ind.Questions {
					q := &ind.Questions[k]
					qs := scoreQuestion(q, a.Answers[q.ID])
					res.Questions = append(res.Questions, qs)
					ss.Points += qs.Points
					ss.Max += q.Max
				}
			}
			ds.Points += ss.Points
			ds.SubDimensions = append(ds.SubDimensions, ss)
		}
		res.Score += ds.Points
		res.Dimensions = append(res.Dimensions, ds)
	}
	res.Scenarios, res.Counts = countScenarios(cat, a.Scenarios)
	res.Checks = checkLevels(cat, res.Score, res.Scenarios, res.Counts)
	for _, c := range res.Checks {
		if c.Met && c.Level > res.Level {
			res.Level = c.Level
		}
	}
	res.LevelName = cat.LevelName(res.Level)
	return res, nil
}

func scoreQuestion(q *indicators.Question, chosen []string) QuestionScore {
	qs := QuestionScore{ID: q.ID, Options: chosen, Max: q.Max, Answered: len(chosen) > 0}
	if qs.Options == nil {
		qs.Options = []string{}
	}
	for _, id := range chosen {
		if o, ok := q.Option(id); ok {
			qs.Points += o.Score
		}
	}
	return qs
}

func countScenarios(cat *indicators.Catalog, ratings map[string]ScenarioRating) ([]ScenarioResult, []ScenarioCount) {
	out := make([]ScenarioResult, 0, len(cat.Scenarios))
	counts := make([]ScenarioCount, cat.MaxLevel()+1)
	for l := range counts {
		counts[l].Level = l
	}
	for _, s := range cat.Scenarios {
		r, rated := ratings[s.ID]
		out = append(out, ScenarioResult{ID: s.ID, Name: s.Name, Constrained: s.Constrained, Level: r, Rated: rated})
		for l := 1; l <= int(r) && l < len(counts); l++ {
			counts[l].Total++
			if s.Constrained {
				counts[l].Constrained++
			}
		}
	}
	return out, counts
}

// gates returns a rule's scenario gates after the N/A policy.
func gates(cat *indicators.Catalog, rule *indicators.LevelRule, scenarios []ScenarioResult) (minTotal, minConstrained int) {
	minTotal, minConstrained = rule.MinScenarios, rule.MinConstrained
	if cat.ScenarioPolicy.NotApplicableMode != indicators.NAShrinksGates {
		return
	}
	applicable, applicableC := 0, 0
	for _, s := range scenarios {
		if s.Level != NotApplicable {
			applicable++
			if s.Constrained {
				applicableC++
			}
		}
	}
	minTotal = ceilDiv(minTotal*applicable, len(cat.Scenarios))
	minConstrained = ceilDiv(minConstrained*applicableC, cat.Constrained())
	return
}

func ceilDiv(a, b int) int {
	if b == 0 {
		return 0
	}
	return (a + b - 1) / b
}

func checkLevels(cat *indicators.Catalog, score indicators.Points, scenarios []ScenarioResult, counts []ScenarioCount) []LevelCheck {
	checks := make([]LevelCheck, 0, len(cat.Levels.Rules))
	for i := range cat.Levels.Rules {
		r := &cat.Levels.Rules[i]
		minT, minC := gates(cat, r, scenarios)
		c := LevelCheck{
			Level: r.Level, Name: r.Name,
			Score: score, MinScore: r.MinScore, ScoreOK: score >= r.MinScore,
			Scenarios: counts[r.Level].Total, MinScenarios: minT,
			Constrained: counts[r.Level].Constrained, MinConstrained: minC,
		}
		c.ScenariosOK = c.Scenarios >= c.MinScenarios
		c.ConstrainedOK = c.Constrained >= c.MinConstrained
		c.Met = c.ScoreOK && c.ScenariosOK && c.ConstrainedOK
		c.Text = c.explain()
		checks = append(checks, c)
	}
	return checks
}

func mark(ok bool) string {
	if ok {
		return "✓"
	}
	return "✗"
}

// explain renders a check as "二级: 得分 43.5 ≥ 40 ✓; 达到二级的场景 5/6 ✗; 其中约束性 3/3 ✓".
func (c LevelCheck) explain() string {
	cmp := "≥"
	if !c.ScoreOK {
		cmp = "<"
	}
	return fmt.Sprintf("%s: 得分 %s %s %s %s; 达到%s的场景 %d/%d %s; 其中约束性 %d/%d %s",
		c.Name, c.Score, cmp, c.MinScore, mark(c.ScoreOK),
		c.Name, c.Scenarios, c.MinScenarios, mark(c.ScenariosOK),
		c.Constrained, c.MinConstrained, mark(c.ConstrainedOK))
}

// Summary is a readable Chinese account of the result, one line per item.
func (r Result) Summary() []string {
	lines := []string{fmt.Sprintf("总得分 %s / %s，等级: %s", r.Score, r.MaxScore, r.LevelName)}
	for _, d := range r.Dimensions {
		lines = append(lines, fmt.Sprintf("  %s %s / %s", d.Name, d.Points, d.Max))
	}
	for i := len(r.Checks) - 1; i >= 0; i-- {
		lines = append(lines, "  "+r.Checks[i].Text)
	}
	return lines
}
