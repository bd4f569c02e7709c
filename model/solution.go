package model

import (
	"fmt"
	"sort"
	"strings"

	"digilevel/indicators"
)

// Solution is one 小快轻准 solution of the pool (Art. 4, 11): what it is,
// who provides it, which scenarios and levels it serves, its price band,
// deployment and references. Example marks a solution of the shipped 示例
// pool, which is invented and must never be presented as a real product.
type Solution struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Provider   string          `json:"provider"`
	Serves     []ScenarioLevel `json:"serves"`
	PriceBand  string          `json:"price_band,omitempty"`
	Deployment string          `json:"deployment,omitempty"` // cloud or local
	References string          `json:"references,omitempty"`
	Example    bool            `json:"example,omitempty"`
	Source     string          `json:"source,omitempty"` // the file it was imported from
}

// ScenarioLevel is a scenario and the levels a solution brings it to.
type ScenarioLevel struct {
	Scenario string `json:"scenario"`
	Levels   []int  `json:"levels"`
}

// ExampleMark is put before the name of every 示例 solution wherever it is
// shown, so an invented product never reads as a real one.
const ExampleMark = "【示例】"

// DisplayName is the name as shown: 示例 solutions carry ExampleMark.
func (s Solution) DisplayName() string {
	if s.Example && !strings.HasPrefix(s.Name, ExampleMark) {
		return ExampleMark + s.Name
	}
	return s.Name
}

// MaxPoolSize bounds a solution pool file.
const MaxPoolSize = 5000

// Validate checks one solution against the catalog.
func (s Solution) Validate(cat *indicators.Catalog) error {
	if err := CheckText(s.ID, TextRule{Label: "编号", Max: 40, Required: true}); err != nil {
		return err
	}
	for _, r := range s.ID {
		if r <= ' ' || strings.ContainsRune(`/\`, r) {
			return invalidf("编号 %q 不能含空白或斜杠", s.ID)
		}
	}
	for _, f := range []struct {
		v    string
		rule TextRule
	}{
		{s.Name, TextRule{Label: "名称", Max: MaxNameLength, Required: true}},
		{s.Provider, TextRule{Label: "服务商", Max: MaxNameLength, Required: true}},
		{s.PriceBand, shortText("价格区间")},
		{s.References, TextRule{Label: "参考案例", Max: MaxTextLength, Multiline: true}},
	} {
		if err := CheckText(f.v, f.rule); err != nil {
			return err
		}
	}
	if _, ok := Deployments[s.Deployment]; s.Deployment != "" && !ok {
		return invalidf("部署方式应为 cloud（云端）或 local（本地），实际 %q", s.Deployment)
	}
	if len(s.Serves) == 0 {
		return invalidf("缺少适用场景（如 SC06:2-3）")
	}
	for _, sl := range s.Serves {
		if _, ok := cat.Scenario(sl.Scenario); !ok {
			return invalidf("适用场景 %q 不存在（SC01–SC%02d）", sl.Scenario, len(cat.Scenarios))
		}
		if len(sl.Levels) == 0 {
			return invalidf("%s 缺少适用等级", sl.Scenario)
		}
		for _, l := range sl.Levels {
			if l < 1 || l > cat.MaxLevel() {
				return invalidf("%s 的适用等级应为 1–%d，实际 %d", sl.Scenario, cat.MaxLevel(), l)
			}
		}
	}
	return nil
}

// Serving reports whether the solution serves scenario at level.
func (s Solution) Serving(scenario string, level int) bool {
	for _, sl := range s.Serves {
		if sl.Scenario == scenario {
			for _, l := range sl.Levels {
				if l == level {
					return true
				}
			}
		}
	}
	return false
}

// MatchSolutions suggests the pool's solutions for a scenario and target
// level: real ones before 示例 ones, then by ID.
func MatchSolutions(pool []Solution, scenario string, level int) []Solution {
	var out []Solution
	for _, s := range pool {
		if s.Serving(scenario, level) {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Example != out[j].Example {
			return !out[i].Example
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Use copies a pool solution into a plan.
func (s Solution) Use() SolutionUse {
	return SolutionUse{PoolID: s.ID, Name: s.Name, Provider: s.Provider, Deployment: s.Deployment, Example: s.Example}
}

// ServesText writes the scenarios and levels as "SC06:2-3;SC05:2".
func (s Solution) ServesText() string {
	parts := make([]string, len(s.Serves))
	for i, sl := range s.Serves {
		lv := make([]string, len(sl.Levels))
		for k, l := range sl.Levels {
			lv[k] = fmt.Sprint(l)
		}
		parts[i] = sl.Scenario + ":" + strings.Join(lv, ",")
	}
	return strings.Join(parts, ";")
}
