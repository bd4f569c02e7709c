package indicators

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestEmbeddedPlanning(t *testing.T) {
	cat, err := Embedded("2024")
	if err != nil {
		t.Fatal(err)
	}
	p, err := EmbeddedPlanning(cat)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Hash()) != 64 {
		t.Error("no hash")
	}
	for _, id := range []string{"Q12", "Q13", "Q14", "Q15"} {
		if q, ok := p.Question(id); !ok || !q.Outcome {
			t.Errorf("%s is not an outcome question", id)
		}
		if _, ok := p.KPI(id); !ok {
			t.Errorf("%s has no KPI", id)
		}
	}
	// The planning data never changes the catalog's identity.
	if cat.Hash() != "a92b489bb2e29054de79f9f63dd3336675076bdd7482bdc239c946fa482467b3" {
		t.Errorf("catalog hash changed to %s: old assessments and reports would no longer find their catalog", cat.Hash())
	}
	if eds := Editions(); len(eds) != 1 || eds[0] != "2024" {
		t.Errorf("editions = %v", eds)
	}
}

func TestPlanningValidation(t *testing.T) {
	cat, _ := Embedded("2024")
	raw, err := os.ReadFile("editions/planning/2024.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, old, new, rule string }{
		{"a rung unpriced", `"step_costs": [6, 8, 10, 12]`, `"step_costs": [6, 8, 10]`, RuleCostCoverage},
		{"zero cost", `"per_option": 2`, `"per_option": 0`, RuleCostCoverage},
		{"negative step", `"step_costs": [4, 4, 4, 4]`, `"step_costs": [4, -4, 4, 4]`, RuleCostPositive},
		{"unknown question", `{"id": "Q01", "option_costs"`, `{"id": "Q99", "option_costs"`, RuleCostCoverage},
		{"KPI of a lever", `{"question": "Q12", "name"`, `{"question": "Q05", "name"`, RuleKPIRefs},
		{"KPI of an unknown field", `"Q13.pass_rate"`, `"Q13.rate"`, RuleKPIRefs},
		{"scenario costs per level", `"scenario_level_costs": [2, 4, 6, 10]`, `"scenario_level_costs": [2, 4, 6]`, RuleScenarioCostSize},
		{"other edition", `"edition": "2024"`, `"edition": "2022"`, RulePlanningFormat},
		{"evidence of an unknown question", `{"id": "Q09", "text"`, `{"id": "Q90", "text"`, RuleEvidenceRefs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := bytes.Replace(raw, []byte(tt.old), []byte(tt.new), 1)
			if bytes.Equal(data, raw) {
				t.Fatalf("fixture %q not found", tt.old)
			}
			_, err := ParsePlanning("test.json", data, cat)
			var ves ValidationErrors
			if !errors.As(err, &ves) {
				t.Fatalf("err = %v", err)
			}
			found := false
			for _, v := range ves {
				found = found || v.Rule == tt.rule
			}
			if !found || !strings.Contains(err.Error(), "test.json") {
				t.Errorf("err = %v, want rule %s", err, tt.rule)
			}
		})
	}
	if _, err := ParsePlanning("x.json", []byte(`{"format":1,"typo":true}`), cat); err == nil || !strings.Contains(err.Error(), "格式错误") {
		t.Errorf("unknown field: %v", err)
	}
}
