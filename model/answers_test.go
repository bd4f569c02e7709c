package model

import (
	"errors"
	"strings"
	"testing"
)

func TestAnswerSetValidate(t *testing.T) {
	cat := catalog(t)
	tests := []struct {
		name   string
		change func(a *AnswerSet)
		want   string
	}{
		{"unknown question", func(a *AnswerSet) { a.Answers["Q16"] = []string{"A"} }, "题目 \"Q16\" 不存在"},
		{"unknown option", func(a *AnswerSet) { a.Answers["Q12"] = []string{"D"} }, "选项 \"D\" 不存在"},
		{"duplicate option", func(a *AnswerSet) { a.Answers["Q01"] = []string{"B", "B"} }, "重复"},
		{"single with two", func(a *AnswerSet) { a.Answers["Q02"] = []string{"B", "C"} }, "单选题"},
		{"none with others", func(a *AnswerSet) { a.Answers["Q06"] = []string{"A", "C"} }, "互斥"},
		{"empty choice", func(a *AnswerSet) { a.Answers["Q06"] = []string{} }, "至少选择"},
		{"unknown scenario", func(a *AnswerSet) { a.Scenarios["SC17"] = 1 }, "场景 \"SC17\" 不存在"},
		{"scenario level 5", func(a *AnswerSet) { a.Scenarios["SC01"] = 5 }, "0–4"},
		{"scenario level -2", func(a *AnswerSet) { a.Scenarios["SC01"] = -2 }, "0–4"},
		{"negative number", func(a *AnswerSet) { a.Numbers = map[string]map[string]Decimal{"Q15": {"cost_last": "-1"}} }, "不能为负数"},
		{"fractional device count", func(a *AnswerSet) {
			a.Numbers = map[string]map[string]Decimal{"Q02": {"total_devices": "10.5"}}
		}, "应为整数"},
		{"unknown field", func(a *AnswerSet) { a.Numbers = map[string]map[string]Decimal{"Q02": {"robots": "1"}} }, "补充数据项 \"robots\" 不存在"},
		{"field on a question without fields", func(a *AnswerSet) { a.Numbers = map[string]map[string]Decimal{"Q01": {"x": "1"}} }, "没有补充数据项"},
		{"edition mismatch", func(a *AnswerSet) { a.Edition = "2022" }, "2022"},
		{"questionnaire unknown", func(a *AnswerSet) { a.Questionnaire = "services" }, "services"},
		{"note too long", func(a *AnswerSet) { a.Notes = map[string]string{"Q01": strings.Repeat("长", MaxNoteLength+1)} }, "备注 过长"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := zeroAnswers(cat)
			tt.change(&a)
			err := a.Validate(cat)
			if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want ErrInvalid containing %q", err, tt.want)
			}
		})
	}
	if err := zeroAnswers(cat).Validate(cat); err != nil {
		t.Errorf("valid set rejected: %v", err)
	}
}

func TestOptionDependencyWhenEnabled(t *testing.T) {
	cat := catalog(t)
	q, _ := cat.DefaultQuestionnaire().Question("Q01")
	if _, err := NormalizeOptions(q, []string{"E"}); err != nil {
		t.Fatalf("dependency is off by default: %v", err)
	}
	q.Dependencies[0].Enabled = true
	if _, err := NormalizeOptions(q, []string{"B", "E"}); err == nil || !strings.Contains(err.Error(), "B、C、D") {
		t.Errorf("enabled dependency not enforced: %v", err)
	}
	got, err := NormalizeOptions(q, []string{"E", "D", "B", "C"})
	if err != nil || strings.Join(got, "") != "BCDE" {
		t.Errorf("NormalizeOptions = %v, %v (want catalog order)", got, err)
	}
}

func TestDecodeAnswerSet(t *testing.T) {
	a, err := DecodeAnswerSet(strings.NewReader(`{"edition":"2024","answers":{"Q01":["B","C"]},"scenarios":{"SC01":2,"SC02":"na"},"numbers":{"Q02":{"total_devices":"12","digital_devices":3}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if a.Scenarios["SC02"] != NotApplicable || a.Numbers["Q02"]["digital_devices"] != "3" {
		t.Errorf("decoded %+v", a)
	}
	bad := map[string]string{
		"empty":     ``,
		"unknown":   `{"answer":{}}`,
		"trailing":  `{} {}`,
		"bad level": `{"scenarios":{"SC01":"high"}}`,
		"bad num":   `{"numbers":{"Q02":{"total_devices":"1e9"}}}`,
		"huge":      `{"notes":{"Q01":"` + strings.Repeat("x", MaxAnswerSetSize) + `"}}`,
	}
	for name, in := range bad {
		if _, err := DecodeAnswerSet(strings.NewReader(in)); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
}

func FuzzAnswerSet(f *testing.F) {
	cat := catalog(f)
	pl := planning(f, cat)
	f.Add([]byte(`{"edition":"2024","answers":{"Q01":["B","C"],"Q02":["E"]},"scenarios":{"SC01":2}}`))
	f.Add([]byte(`{"answers":{"Q06":["A","B"]},"scenarios":{"SC01":"na"},"numbers":{"Q14":{"revenue_last":-5}}}`))
	f.Add([]byte(`{"scenarios":{"SC16":4},"notes":{"Q03":"备注"}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := DecodeAnswerSet(strings.NewReader(string(data)))
		if err != nil {
			return
		}
		r, err := Score(cat, a)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Score error is not ErrInvalid: %v", err)
			}
			return
		}
		if r.Score < 0 || r.Score > cat.TotalPoints || r.Level < 0 || r.Level > cat.MaxLevel() {
			t.Fatalf("out of range: %s level %d", r.Score, r.Level)
		}
		Derive(cat, a)
		if _, err := PlanRetrofit(cat, pl, a, cat.Pilot.TargetLevel, KindBaseline); err != nil {
			t.Fatal(err)
		}
	})
}
