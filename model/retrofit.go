package model

import (
	"fmt"
	"math/big"
	"sort"
	"strings"

	"digilevel/indicators"
)

// RetrofitPlan is the plan of a diagnosis (reference §8.6, sections 5–8):
// the 改造目标, the 改造方案 per chosen scenario with its solutions, the
// 投入清单 in 万元, the 预期成效 KPIs tied to the 成效 questions and the
// 实施计划. A person enters it; nothing in it is computed except totals.
type RetrofitPlan struct {
	// TargetLevel is the overall level aimed at (0: the pilot target).
	TargetLevel int    `json:"target_level,omitempty"`
	Goal        string `json:"goal,omitempty"`
	// Architecture describes systems, integration, hardware and cloud.
	Architecture string         `json:"architecture,omitempty"`
	Scenarios    []ScenarioGoal `json:"scenarios,omitempty"`
	Investments  []Investment   `json:"investments,omitempty"`
	KPIs         []KPITarget    `json:"kpis,omitempty"`
	Milestones   []Milestone    `json:"milestones,omitempty"`
}

// ScenarioGoal is one chosen scenario: the level aimed at and the
// solutions that get it there.
type ScenarioGoal struct {
	Scenario  string        `json:"scenario"`
	Target    int           `json:"target"`
	Solutions []SolutionUse `json:"solutions,omitempty"`
	Note      string        `json:"note,omitempty"`
}

// SolutionUse is a solution chosen for a scenario, copied from the pool
// (PoolID set) or typed in. Example marks a solution of the 示例 pool,
// which is not a real product.
type SolutionUse struct {
	PoolID     string `json:"pool_id,omitempty"`
	Name       string `json:"name"`
	Provider   string `json:"provider,omitempty"`
	Deployment string `json:"deployment,omitempty"` // cloud or local
	Example    bool   `json:"example,omitempty"`
	Note       string `json:"note,omitempty"`
}

// Investment is one line of the 投入清单. Amount is in 万元; when quantity
// and unit price are both given, amount must equal their product exactly.
type Investment struct {
	Item      string  `json:"item"`
	Category  string  `json:"category"` // hardware, software, cloud, service, other
	Scenario  string  `json:"scenario,omitempty"`
	Quantity  Decimal `json:"quantity,omitempty"`
	Unit      string  `json:"unit,omitempty"`
	UnitPrice Decimal `json:"unit_price_wan,omitempty"`
	Amount    Decimal `json:"amount_wan"`
	Note      string  `json:"note,omitempty"`
}

// KPITarget is one 预期成效 KPI: its value now and the value aimed at.
type KPITarget struct {
	Question string  `json:"question"`
	Name     string  `json:"name"`
	Unit     string  `json:"unit,omitempty"`
	Baseline Decimal `json:"baseline,omitempty"`
	Target   Decimal `json:"target"`
	Note     string  `json:"note,omitempty"`
}

// Milestone is one step of the 实施计划.
type Milestone struct {
	Date  string `json:"date"` // YYYY-MM-DD
	Title string `json:"title"`
	Note  string `json:"note,omitempty"`
}

// InvestmentCategories names the categories of the 投入清单.
var InvestmentCategories = map[string]string{"hardware": "硬件", "software": "软件", "cloud": "云服务", "service": "服务", "other": "其他"}

// Deployments names the deployment kinds of a solution.
var Deployments = map[string]string{"cloud": "云端", "local": "本地"}

// Limits of a plan.
const (
	MaxPlanLines = 200
	// MaxAmountPlaces keeps amounts in 万元 to the yuan (0.0001 万元).
	MaxAmountPlaces = 4
)

// Clone returns a deep copy (nil for nil).
func (p *RetrofitPlan) Clone() *RetrofitPlan {
	if p == nil {
		return nil
	}
	c := *p
	c.Scenarios = make([]ScenarioGoal, len(p.Scenarios))
	for i, s := range p.Scenarios {
		s.Solutions = append([]SolutionUse(nil), s.Solutions...)
		c.Scenarios[i] = s
	}
	c.Investments = append([]Investment(nil), p.Investments...)
	c.KPIs = append([]KPITarget(nil), p.KPIs...)
	c.Milestones = append([]Milestone(nil), p.Milestones...)
	return &c
}

// ParseAmount reads an amount in 万元: a non-negative exact decimal with at
// most four places.
func ParseAmount(label, s string) (Decimal, error) {
	d, err := ParseDecimal(s)
	if err != nil {
		return "", invalidf("%s: %v（金额以万元为单位，如 12.5）", label, err)
	}
	if err := checkAmount(label, d); err != nil {
		return "", err
	}
	return d, nil
}

func checkAmount(label string, d Decimal) error {
	if d.Sign() < 0 {
		return invalidf("%s 不能为负数（%s 万元）", label, d)
	}
	if _, frac, ok := strings.Cut(string(d), "."); ok && len(frac) > MaxAmountPlaces {
		return invalidf("%s 最多 %d 位小数（万元精确到元），实际 %s", label, MaxAmountPlaces, d)
	}
	return nil
}

// Validate checks the plan against the catalog: known scenarios and
// levels, KPIs of known questions, exact amounts, dates, and every text.
func (p *RetrofitPlan) Validate(cat *indicators.Catalog) error {
	if p.TargetLevel < 0 || p.TargetLevel > cat.MaxLevel() {
		return invalidf("改造目标等级应为 1–%d，实际 %d", cat.MaxLevel(), p.TargetLevel)
	}
	if err := CheckText(p.Goal, longText("改造目标")); err != nil {
		return err
	}
	if err := CheckText(p.Architecture, longText("系统与集成架构")); err != nil {
		return err
	}
	if n := len(p.Scenarios) + len(p.Investments) + len(p.KPIs) + len(p.Milestones); n > MaxPlanLines {
		return invalidf("改造方案条目过多（%d 条，上限 %d）", n, MaxPlanLines)
	}
	seen := map[string]bool{}
	for _, g := range p.Scenarios {
		if _, ok := cat.Scenario(g.Scenario); !ok {
			return invalidf("场景 %q 不存在（SC01–SC%02d）", g.Scenario, len(cat.Scenarios))
		}
		if seen[g.Scenario] {
			return invalidf("场景 %s 重复", g.Scenario)
		}
		seen[g.Scenario] = true
		if g.Target < 1 || g.Target > cat.MaxLevel() {
			return invalidf("%s 的目标等级应为 1–%d，实际 %d", g.Scenario, cat.MaxLevel(), g.Target)
		}
		if err := CheckText(g.Note, longText(g.Scenario+" 说明")); err != nil {
			return err
		}
		for i, s := range g.Solutions {
			label := fmt.Sprintf("%s 方案 %d", g.Scenario, i+1)
			if err := CheckText(s.Name, TextRule{Label: label + " 名称", Max: MaxNameLength, Required: true}); err != nil {
				return err
			}
			for _, f := range []struct{ v, l string }{{s.Provider, " 服务商"}, {s.PoolID, " 资源池编号"}} {
				if err := CheckText(f.v, shortText(label+f.l)); err != nil {
					return err
				}
			}
			if err := CheckText(s.Note, longText(label+" 说明")); err != nil {
				return err
			}
			if _, ok := Deployments[s.Deployment]; s.Deployment != "" && !ok {
				return invalidf("%s 部署方式应为 cloud（云端）或 local（本地），实际 %q", label, s.Deployment)
			}
		}
	}
	for i, inv := range p.Investments {
		label := fmt.Sprintf("投入清单第 %d 项", i+1)
		if err := CheckText(inv.Item, TextRule{Label: label + " 名称", Max: MaxNameLength, Required: true}); err != nil {
			return err
		}
		if _, ok := InvestmentCategories[inv.Category]; !ok {
			return invalidf("%s 类别应为 hardware、software、cloud、service 或 other，实际 %q", label, inv.Category)
		}
		if inv.Scenario != "" {
			if _, ok := cat.Scenario(inv.Scenario); !ok {
				return invalidf("%s 关联的场景 %q 不存在", label, inv.Scenario)
			}
		}
		if err := CheckText(inv.Unit, TextRule{Label: label + " 单位", Max: 20}); err != nil {
			return err
		}
		if err := CheckText(inv.Note, longText(label+" 说明")); err != nil {
			return err
		}
		if inv.Amount.IsZero() {
			return invalidf("%s 缺少金额（万元）", label)
		}
		for _, d := range []struct {
			v Decimal
			l string
		}{{inv.Amount, " 金额"}, {inv.UnitPrice, " 单价"}, {inv.Quantity, " 数量"}} {
			if d.v.IsZero() {
				continue
			}
			if _, err := ParseDecimal(string(d.v)); err != nil {
				return invalidf("%s: %v", label+d.l, err)
			}
			if err := checkAmount(label+d.l, d.v); err != nil {
				return err
			}
		}
		if !inv.Quantity.IsZero() && !inv.UnitPrice.IsZero() {
			want := new(big.Rat).Mul(inv.Quantity.Rat(), inv.UnitPrice.Rat())
			if want.Cmp(inv.Amount.Rat()) != 0 {
				return invalidf("%s 金额 %s 万元不等于数量 %s × 单价 %s = %s 万元", label, inv.Amount, inv.Quantity, inv.UnitPrice, DecimalFromRat(want, 8))
			}
		}
	}
	kpiSeen := map[string]bool{}
	qn := cat.DefaultQuestionnaire()
	for _, k := range p.KPIs {
		if _, ok := qn.Question(k.Question); !ok {
			return invalidf("成效指标关联的题目 %q 不存在", k.Question)
		}
		if kpiSeen[k.Question] {
			return invalidf("成效指标 %s 重复", k.Question)
		}
		kpiSeen[k.Question] = true
		if err := CheckText(k.Name, TextRule{Label: k.Question + " 指标名称", Max: MaxNameLength, Required: true}); err != nil {
			return err
		}
		if err := CheckText(k.Unit, TextRule{Label: k.Question + " 单位", Max: 30}); err != nil {
			return err
		}
		if err := CheckText(k.Note, longText(k.Question+" 说明")); err != nil {
			return err
		}
		if k.Target.IsZero() {
			return invalidf("成效指标 %s 缺少目标值", k.Question)
		}
		for _, d := range []Decimal{k.Baseline, k.Target} {
			if d.IsZero() {
				continue
			}
			if _, err := ParseDecimal(string(d)); err != nil {
				return invalidf("成效指标 %s: %v", k.Question, err)
			}
		}
	}
	for i, m := range p.Milestones {
		label := fmt.Sprintf("里程碑 %d", i+1)
		if _, err := ParseDate(label+" 日期", m.Date); err != nil {
			return err
		}
		if err := CheckText(m.Title, TextRule{Label: label + " 内容", Max: MaxNameLength, Required: true}); err != nil {
			return err
		}
		if err := CheckText(m.Note, longText(label+" 说明")); err != nil {
			return err
		}
	}
	return nil
}

// InvestmentTotal is the exact sum of the 投入清单 in 万元, overall and by category.
func (p *RetrofitPlan) InvestmentTotal() (total Decimal, byCategory map[string]Decimal) {
	sum := new(big.Rat)
	cats := map[string]*big.Rat{}
	if p != nil {
		for _, inv := range p.Investments {
			r := inv.Amount.Rat()
			sum.Add(sum, r)
			if cats[inv.Category] == nil {
				cats[inv.Category] = new(big.Rat)
			}
			cats[inv.Category].Add(cats[inv.Category], r)
		}
	}
	byCategory = map[string]Decimal{}
	for k, v := range cats {
		byCategory[k] = DecimalFromRat(v, MaxAmountPlaces)
	}
	return DecimalFromRat(sum, MaxAmountPlaces), byCategory
}

// SetPlan records the retrofit plan of a draft (nil clears it). Milestones
// are kept in date order.
func (a *Assessment) SetPlan(cat *indicators.Catalog, p *RetrofitPlan, c Change) (AuditEntry, error) {
	if err := a.editable(); err != nil {
		return AuditEntry{}, err
	}
	if p != nil {
		p = p.Clone()
		for i := range p.Milestones {
			d, err := ParseDate(fmt.Sprintf("里程碑 %d 日期", i+1), p.Milestones[i].Date)
			if err != nil {
				return AuditEntry{}, err
			}
			p.Milestones[i].Date = d
		}
		sort.SliceStable(p.Milestones, func(i, j int) bool { return p.Milestones[i].Date < p.Milestones[j].Date })
		if err := p.Validate(cat); err != nil {
			return AuditEntry{}, err
		}
	}
	old := planSummary(a.Plan)
	a.Plan = p
	return a.touch(c, ActionPlan, "", old, planSummary(p)), nil
}

func planSummary(p *RetrofitPlan) string {
	if p == nil {
		return ""
	}
	total, _ := p.InvestmentTotal()
	return fmt.Sprintf("场景 %d 个，投入 %d 项共 %s 万元，成效指标 %d 项，里程碑 %d 个", len(p.Scenarios), len(p.Investments), total, len(p.KPIs), len(p.Milestones))
}

// KPIBaselines computes the current value of every KPI the planning data
// defines from the answers' numbers (absent where a number is missing).
func KPIBaselines(cat *indicators.Catalog, pl *indicators.Planning, a AnswerSet) map[string]Decimal {
	out := map[string]Decimal{}
	qn, err := a.questionnaire(cat)
	if err != nil {
		return out
	}
	for _, k := range pl.KPIs {
		if k.Value == nil {
			continue
		}
		var missing []string
		v, _ := ratioValue(qn, a, k.Value, &missing)
		if v == nil {
			continue
		}
		out[k.Question] = DecimalFromRat(v, 2)
	}
	return out
}
