package model

import (
	"strings"
	"testing"
)

func TestDerive(t *testing.T) {
	cat := catalog(t)
	tests := []struct {
		name    string
		numbers map[string]map[string]Decimal
		chosen  map[string][]string
		q       string
		option  string
		value   string
		problem string
		contra  bool
	}{
		{name: "Q02 exactly 10% is [0-10%]", q: "Q02", option: "A", value: "10",
			numbers: map[string]map[string]Decimal{"Q02": {"total_devices": "200", "digital_devices": "20"}}},
		{name: "Q02 just above 10% is (10%,20%]", q: "Q02", option: "B", value: "10.1",
			numbers: map[string]map[string]Decimal{"Q02": {"total_devices": "1000", "digital_devices": "101"}}},
		{name: "Q02 60% is (40%,60%]", q: "Q02", option: "D", value: "60",
			numbers: map[string]map[string]Decimal{"Q02": {"total_devices": "5", "digital_devices": "3"}}},
		{name: "Q02 100%", q: "Q02", option: "E", value: "100",
			numbers: map[string]map[string]Decimal{"Q02": {"total_devices": "7", "digital_devices": "7"}}},
		{name: "Q02 more digital than total", q: "Q02", problem: "超出最大区间",
			numbers: map[string]map[string]Decimal{"Q02": {"total_devices": "7", "digital_devices": "8"}}},
		{name: "Q02 zero devices", q: "Q02", problem: "为 0",
			numbers: map[string]map[string]Decimal{"Q02": {"total_devices": "0", "digital_devices": "0"}}},
		{name: "Q03 uses Q02's total", q: "Q03", option: "C", value: "25",
			numbers: map[string]map[string]Decimal{"Q02": {"total_devices": "40"}, "Q03": {"networked_devices": "10"}}},
		{name: "Q14 revenue per person up 10%", q: "Q14", option: "C", value: "10",
			numbers: map[string]map[string]Decimal{"Q14": {"employees_last": "100", "revenue_last": "1100", "employees_prev": "100", "revenue_prev": "1000"}}},
		{name: "Q14 within the 1% tolerance is 持平", q: "Q14", option: "B", value: "0.5",
			numbers: map[string]map[string]Decimal{"Q14": {"employees_last": "100", "revenue_last": "1005", "employees_prev": "100", "revenue_prev": "1000"}}},
		{name: "Q14 exactly 1% down is still 持平", q: "Q14", option: "B", value: "-1",
			numbers: map[string]map[string]Decimal{"Q14": {"employees_last": "100", "revenue_last": "990", "employees_prev": "100", "revenue_prev": "1000"}}},
		{name: "Q14 more people, same revenue: down", q: "Q14", option: "A", value: "-9.09",
			numbers: map[string]map[string]Decimal{"Q14": {"employees_last": "110", "revenue_last": "1000", "employees_prev": "100", "revenue_prev": "1000"}}},
		{name: "Q15 cost per revenue down is 降低 (C)", q: "Q15", option: "C", value: "-9.09",
			numbers: map[string]map[string]Decimal{"Q14": {"revenue_last": "1100", "revenue_prev": "1000"}, "Q15": {"cost_last": "900", "cost_prev": "900"}}},
		{name: "Q12 energy per revenue up is 增加 (A), contradicting 降低", q: "Q12", option: "A", value: "20", contra: true,
			chosen:  map[string][]string{"Q12": {"C"}},
			numbers: map[string]map[string]Decimal{"Q14": {"revenue_last": "1000", "revenue_prev": "1000"}, "Q12": {"energy_last": "120", "energy_prev": "100"}}},
		{name: "Q12 missing revenue", q: "Q12", problem: "",
			numbers: map[string]map[string]Decimal{"Q12": {"energy_last": "120", "energy_prev": "100"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewAnswerSet(cat)
			a.Numbers = tt.numbers
			for k, v := range tt.chosen {
				a.Answers[k] = v
			}
			if err := a.Validate(cat); err != nil {
				t.Fatal(err)
			}
			var d Derivation
			for _, x := range Derive(cat, a) {
				if x.Question == tt.q {
					d = x
				}
			}
			if d.Option != tt.option || (tt.value != "" && d.Value != tt.value) || d.Contradicts != tt.contra {
				t.Errorf("derivation = %+v", d)
			}
			if tt.problem != "" && !strings.Contains(d.Problem, tt.problem) {
				t.Errorf("problem = %q, want %q", d.Problem, tt.problem)
			}
			if tt.option == "" && tt.problem == "" && len(d.Missing) == 0 {
				t.Errorf("expected missing numbers: %+v", d)
			}
			if d.Text == "" {
				t.Error("no text")
			}
		})
	}
}

func TestDeriveContradictionText(t *testing.T) {
	cat := catalog(t)
	a := NewAnswerSet(cat)
	a.Answers["Q02"] = []string{"E"}
	a.Numbers = map[string]map[string]Decimal{"Q02": {"total_devices": "100", "digital_devices": "5"}}
	cs := Contradictions(Derive(cat, a))
	if len(cs) != 1 || cs[0].Text != "Q02: 按补充数据计算为 5%，对应选项 A（[0-10%]）；所选 E 与数据不符" {
		t.Errorf("contradictions = %+v", cs)
	}
}
