package model

import (
	"fmt"
	"strings"
	"testing"

	"digilevel/indicators"
)

// Every option of every question scores what the catalog says, alone.
func TestScoreEveryQuestionOption(t *testing.T) {
	cat := catalog(t)
	base := zeroAnswers(cat)
	for _, q := range cat.DefaultQuestionnaire().Questions() {
		for _, o := range q.Options {
			t.Run(q.ID+"."+o.ID, func(t *testing.T) {
				a := base.Clone()
				a.Answers[q.ID] = []string{o.ID}
				r := mustScore(t, cat, a)
				if r.Score != o.Score {
					t.Errorf("score = %s, want %s", r.Score, o.Score)
				}
				for _, qs := range r.Questions {
					if qs.ID == q.ID && qs.Points != o.Score {
						t.Errorf("question points = %s, want %s", qs.Points, o.Score)
					}
				}
			})
		}
		if q.Type == indicators.Multi {
			a := base.Clone()
			a.Answers[q.ID] = nil
			for _, o := range q.Options {
				if !o.None {
					a.Answers[q.ID] = append(a.Answers[q.ID], o.ID)
				}
			}
			if r := mustScore(t, cat, a); r.Score != q.Max {
				t.Errorf("%s all positive options = %s, want max %s", q.ID, r.Score, q.Max)
			}
		}
	}
}

// The reference's float trap: exactly 20 in milli-points, 19.999999999999996 in float64.
func TestScoreFloatTrapIsExactly20(t *testing.T) {
	cat := catalog(t)
	a := zeroAnswers(cat)
	a.Answers["Q02"] = []string{"D"}
	a.Answers["Q03"] = []string{"D"}
	a.Answers["Q04"] = []string{"F", "H", "I", "L", "M"}
	a.Answers["Q08"] = []string{"D"}
	a.Answers["Q10"] = []string{"F"}
	a.Answers["Q15"] = []string{"B"}
	a = withScenarios(cat, a, 1, 3, 3)
	r := mustScore(t, cat, a)
	if r.Score != indicators.MustPoints("20") {
		t.Fatalf("score = %s, want exactly 20", r.Score)
	}
	if r.Level != 1 {
		t.Errorf("level = %d, want 1 (score exactly at the 一级 threshold)", r.Level)
	}
	// The same sum in float64, in question order, misses the threshold.
	f := 0.0
	for _, v := range []float64{4.5, 4.5, 0.7, 0.7, 0.7, 0.7, 0.7, 4.5, 1.5, 1.5} {
		f += v
	}
	if f >= 20 {
		t.Logf("float64 sum %v happens to reach 20 on this platform", f)
	}
}

func TestLevelBoundaries(t *testing.T) {
	cat := catalog(t)
	type tc struct {
		name       string
		score      string
		level      int // scenarios rated at this level
		con, other int
		want       int
	}
	var tests []tc
	for _, r := range cat.Levels.Rules {
		at := r.MinScore.String()
		below := (r.MinScore - 25).String()
		others := r.MinScenarios - r.MinConstrained
		tests = append(tests,
			tc{r.Name + " score exactly at threshold", at, r.Level, r.MinConstrained, others, r.Level},
			tc{r.Name + " score 0.025 below", below, r.Level, r.MinConstrained, others, r.Level - 1},
			tc{r.Name + " scenario gate missed by one", at, r.Level, r.MinConstrained, others - 1, r.Level - 1},
			tc{r.Name + " 约束性 missed by one (total still met)", at, r.Level, r.MinConstrained - 1, others + 1, r.Level - 1},
			tc{r.Name + " gate exactly met with extra 约束性", at, r.Level, r.MinScenarios, 0, r.Level},
		)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := withScore(t, cat, zeroAnswers(cat), indicators.MustPoints(tt.score))
			// Lower levels' gates need scenarios at the lower levels too;
			// withScenarios puts all others at level-1, which is enough for
			// every gate below (they never need more scenarios).
			a = withScenarios(cat, a, tt.level, tt.con, tt.other)
			r := mustScore(t, cat, a)
			got := r.Level
			if tt.want < tt.level {
				// A miss falls to the level below only if that level's gates
				// hold with everything at level-1; check the level did drop.
				if got >= tt.level {
					t.Fatalf("level = %d, want below %d\n%s", got, tt.level, strings.Join(r.Summary(), "\n"))
				}
				return
			}
			if got != tt.want {
				t.Fatalf("level = %d, want %d\n%s", got, tt.want, strings.Join(r.Summary(), "\n"))
			}
		})
	}
}

func TestLevelNoLevelBelowTwenty(t *testing.T) {
	cat := catalog(t)
	a := withScenarios(cat, zeroAnswers(cat), 4, 10, 6)
	a = withScore(t, cat, a, indicators.MustPoints("19.975"))
	r := mustScore(t, cat, a)
	if r.Level != 0 || r.LevelName != "无等级" {
		t.Errorf("level = %d %s, want 0 无等级", r.Level, r.LevelName)
	}
}

func TestExplanationText(t *testing.T) {
	cat := catalog(t)
	a := withScore(t, cat, zeroAnswers(cat), indicators.MustPoints("43.5"))
	a = withScenarios(cat, a, 2, 3, 2)
	r := mustScore(t, cat, a)
	want := "二级: 得分 43.5 ≥ 40 ✓; 达到二级的场景 5/6 ✗; 其中约束性 3/3 ✓"
	if got := r.Checks[1].Text; got != want {
		t.Errorf("check text\n got %s\nwant %s", got, want)
	}
	if r.Level != 1 {
		t.Errorf("level = %d, want 1", r.Level)
	}
	want3 := "三级: 得分 43.5 < 60 ✗; 达到三级的场景 0/8 ✗; 其中约束性 0/5 ✗"
	if got := r.Checks[2].Text; got != want3 {
		t.Errorf("check text\n got %s\nwant %s", got, want3)
	}
}

func TestScoreDimensionsAndCounts(t *testing.T) {
	cat := catalog(t)
	a := zeroAnswers(cat)
	a.Answers["Q01"] = []string{"B", "C"}
	a.Answers["Q09"] = []string{"B", "C", "D", "E"}
	a.Answers["Q13"] = []string{"C"}
	a.Scenarios["SC01"] = 3 // 约束性
	a.Scenarios["SC02"] = 2
	a.Scenarios["SC16"] = 4
	r := mustScore(t, cat, a)
	got := fmt.Sprintf("%s/%s/%s total %s", r.Dimensions[0].Points, r.Dimensions[1].Points, r.Dimensions[2].Points, r.Score)
	if got != "4/7.5/7 total 18.5" {
		t.Errorf("dimensions = %s", got)
	}
	if sub := r.Dimensions[0].SubDimensions[0]; sub.Name != "设备系统" || sub.Points != indicators.MustPoints("4") || sub.Max != indicators.MustPoints("20") {
		t.Errorf("设备系统 = %+v", sub)
	}
	var counts []string
	for _, c := range r.Counts[1:] {
		counts = append(counts, fmt.Sprintf("%d:%d/%d", c.Level, c.Total, c.Constrained))
	}
	if s := strings.Join(counts, " "); s != "1:3/1 2:3/1 3:2/1 4:1/0" {
		t.Errorf("counts = %s", s)
	}
}

func TestScoreMissingAndPartial(t *testing.T) {
	cat := catalog(t)
	a := NewAnswerSet(cat)
	a.Answers["Q05"] = []string{"E"}
	a.Scenarios["SC03"] = 2
	r := mustScore(t, cat, a)
	if r.Score != indicators.MustPoints("10") || len(r.Missing) != 14+15 {
		t.Errorf("score %s, missing %d", r.Score, len(r.Missing))
	}
	if r.Missing[0] != "Q01" || r.Missing[len(r.Missing)-1] != "SC16" {
		t.Errorf("missing order: %v", r.Missing)
	}
}

func TestNotApplicablePolicy(t *testing.T) {
	cat := catalog(t)
	a := withScore(t, cat, zeroAnswers(cat), indicators.MustPoints("40"))
	a = withScenarios(cat, a, 2, 3, 3)
	a.Scenarios["SC16"] = NotApplicable
	if _, err := Score(cat, a); err == nil || !strings.Contains(err.Error(), "不允许") {
		t.Fatalf("N/A accepted although the catalog forbids it: %v", err)
	}
	cat.ScenarioPolicy.AllowNotApplicable = true
	r := mustScore(t, cat, a)
	if r.Level != 2 {
		t.Errorf("count_as_below: level = %d, want 2", r.Level)
	}
	// Shrinking gates: 8 scenarios not applicable halves the gate to 3 (ceil 6×8/16).
	cat.ScenarioPolicy.NotApplicableMode = indicators.NAShrinksGates
	b := withScenarios(cat, a, 2, 2, 1)
	for _, id := range []string{"SC09", "SC10", "SC11", "SC12", "SC13", "SC14", "SC15", "SC16"} {
		b.Scenarios[id] = NotApplicable
	}
	r = mustScore(t, cat, b)
	if r.Checks[1].MinScenarios != 3 || r.Checks[1].MinConstrained != 2 || r.Level != 2 {
		t.Errorf("shrink_gates: gate %d/%d, level %d", r.Checks[1].MinScenarios, r.Checks[1].MinConstrained, r.Level)
	}
}

func BenchmarkScore(b *testing.B) {
	cat := catalog(b)
	a := withScenarios(cat, withScore(b, cat, zeroAnswers(cat), indicators.MustPoints("43.5")), 2, 3, 3)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Score(cat, a); err != nil {
			b.Fatal(err)
		}
	}
}
