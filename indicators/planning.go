package indicators

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path"
)

// Planning is the data a diagnosis needs beyond the scoring catalog: what a
// change costs (so the cheapest path is a believable one), where evidence is
// expected, how the 成效 questions become KPIs, and the outline of the
// 转型诊断报告. It is kept apart from the catalog so that editing a cost never
// changes the hash every assessment and signed report is pinned to; a
// report names the planning data it used by its own hash.
type Planning struct {
	Format           int              `json:"format"`
	Edition          string           `json:"edition"`
	Title            string           `json:"title"`
	Notes            []string         `json:"notes,omitempty"`
	Costs            CostModel        `json:"costs"`
	ExpectedEvidence ExpectedEvidence `json:"expected_evidence"`
	KPIs             []KPIDef         `json:"kpis"`
	// StatusGroups arrange the questions in the report's 数字化现状.
	StatusGroups []StatusGroup `json:"status_groups"`
	Outline      []OutlineItem `json:"outline"`
	OutlineNote  string        `json:"outline_note,omitempty"`
	hash         string
	file         string
}

// CostModel prices changes in whole units of relative effort, so the
// planner's sums are exact and its choices deterministic.
type CostModel struct {
	Unit string `json:"unit"`
	// Change is added once for every question a plan changes.
	Change    int            `json:"change"`
	Note      string         `json:"note,omitempty"`
	Questions []QuestionCost `json:"questions"`
	// ScenarioLevelCosts[l-1] is the cost of raising a scenario to level l
	// from the level below.
	ScenarioLevelCosts []int  `json:"scenario_level_costs"`
	ScenarioNote       string `json:"scenario_note,omitempty"`
}

// QuestionCost prices one question. A single-choice question climbs its
// distinct score rungs, StepCosts[i] being the climb from rung i to i+1; a
// multi-choice question pays per added option (OptionCosts, else PerOption).
type QuestionCost struct {
	ID          string         `json:"id"`
	StepCosts   []int          `json:"step_costs,omitempty"`
	PerOption   int            `json:"per_option,omitempty"`
	OptionCosts map[string]int `json:"option_costs,omitempty"`
	// Outcome marks a 成效 question: it measures the result of a retrofit,
	// so a baseline plan never offers it as a lever.
	Outcome bool   `json:"outcome,omitempty"`
	Note    string `json:"note,omitempty"`
}

// ExpectedEvidence says where a diagnosis expects proof: a question answered
// above zero, a scenario rated at or above ScenarioMinLevel.
type ExpectedEvidence struct {
	Questions        []EvidenceRule `json:"questions"`
	ScenarioMinLevel int            `json:"scenario_min_level"`
	ScenarioText     string         `json:"scenario_text"`
}

// EvidenceRule names the evidence a question's answer should carry.
type EvidenceRule struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// KPIDef turns a 成效 question into a measurable KPI: its current value is
// the ratio Value over the question's own numbers.
type KPIDef struct {
	Question string `json:"question"`
	Name     string `json:"name"`
	Unit     string `json:"unit"`
	// Better is "lower" or "higher".
	Better string `json:"better"`
	Value  *Ratio `json:"value,omitempty"`
}

// StatusGroup is one topic of the 数字化现状 section: its questions, and
// whether the software inventory of the profile belongs to it.
type StatusGroup struct {
	Title     string   `json:"title"`
	Questions []string `json:"questions"`
	Software  bool     `json:"software,omitempty"`
}

// PlanningFormat is the planning file format this package reads.
const PlanningFormat = 1

// Hash is the SHA-256 of the planning data's canonical form.
func (p *Planning) Hash() string { return p.hash }

// Question returns the cost entry of a question.
func (p *Planning) Question(id string) (*QuestionCost, bool) {
	for i := range p.Costs.Questions {
		if p.Costs.Questions[i].ID == id {
			return &p.Costs.Questions[i], true
		}
	}
	return nil, false
}

// EvidenceFor returns the evidence a question is expected to carry.
func (p *Planning) EvidenceFor(id string) (string, bool) {
	for _, r := range p.ExpectedEvidence.Questions {
		if r.ID == id {
			return r.Text, true
		}
	}
	return "", false
}

// KPI returns the KPI of a 成效 question.
func (p *Planning) KPI(question string) (*KPIDef, bool) {
	for i := range p.KPIs {
		if p.KPIs[i].Question == question {
			return &p.KPIs[i], true
		}
	}
	return nil, false
}

// EmbeddedPlanning parses the planning data shipped for a catalog's edition
// and validates it against that catalog.
func EmbeddedPlanning(cat *Catalog) (*Planning, error) {
	name := path.Join("editions", "planning", cat.Edition+".json")
	data, err := editionFiles.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("指标版本 %s 没有内置的诊断规划数据", cat.Edition)
	}
	return ParsePlanning(name, data, cat)
}

// LoadPlanning reads a user-supplied planning file for cat.
func LoadPlanning(filename string, cat *Catalog) (*Planning, error) {
	data, err := os.ReadFile(filename)
	if err != nil {
		return nil, fmt.Errorf("读取诊断规划数据 %s: %w", filename, err)
	}
	if len(data) > MaxCatalogSize {
		return nil, fmt.Errorf("诊断规划数据 %s 超过 %d 字节上限", filename, MaxCatalogSize)
	}
	return ParsePlanning(filename, data, cat)
}

// ParsePlanning decodes planning data strictly and checks it against cat:
// every question and option it names exists, every step of a single-choice
// question is priced, costs are positive, KPI ratios name known fields.
func ParsePlanning(name string, data []byte, cat *Catalog) (*Planning, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Planning
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("诊断规划数据 %s 格式错误: %w", name, describeJSONError(err))
	}
	if dec.More() {
		return nil, fmt.Errorf("诊断规划数据 %s 格式错误: JSON 之后还有多余内容", name)
	}
	p.file = name
	if err := p.Validate(cat); err != nil {
		return nil, err
	}
	canonical, err := json.Marshal(&p)
	if err != nil {
		return nil, fmt.Errorf("诊断规划数据 %s: %w", name, err)
	}
	sum := sha256.Sum256(canonical)
	p.hash = hex.EncodeToString(sum[:])
	return &p, nil
}

// Rule identifiers of planning validation.
const (
	RulePlanningFormat   = "P1" // format and edition
	RuleCostCoverage     = "P2" // every scored question priced, every rung or option
	RuleCostPositive     = "P3" // costs are positive whole units
	RuleEvidenceRefs     = "P4" // expected evidence names known questions
	RuleKPIRefs          = "P5" // KPIs name 成效 questions and known fields
	RulePlanningOutline  = "P6" // outline present, IDs unique
	RuleScenarioCostSize = "P7" // one scenario cost per level
)

// Validate checks the planning data against the catalog it plans for.
func (p *Planning) Validate(cat *Catalog) error {
	v := &validator{file: p.file}
	if v.file == "" {
		v.file = "(未命名)"
	}
	if p.Format != PlanningFormat {
		v.fail("format", RulePlanningFormat, "文件格式版本为 %d，本程序读取版本 %d", p.Format, PlanningFormat)
	}
	if p.Edition != cat.Edition {
		v.fail("edition", RulePlanningFormat, "适用的指标版本为 %q，目录为 %q", p.Edition, cat.Edition)
	}
	v.text("title", "标题", p.Title)
	v.text("costs.unit", "难度单位", p.Costs.Unit)
	if p.Costs.Change < 0 {
		v.fail("costs.change", RuleCostPositive, "每题改动的固定难度不能为负")
	}
	qn := cat.DefaultQuestionnaire()
	priced := map[string]bool{}
	for _, qc := range p.Costs.Questions {
		item := "costs.questions." + qc.ID
		q, ok := qn.Question(qc.ID)
		if !ok {
			v.fail(item, RuleCostCoverage, "题目 %q 不在指标目录中", qc.ID)
			continue
		}
		if priced[qc.ID] {
			v.fail(item, RuleCostCoverage, "重复定价")
		}
		priced[qc.ID] = true
		switch q.Type {
		case Single:
			rungs := distinctRungs(q)
			if len(qc.StepCosts) != rungs-1 {
				v.fail(item, RuleCostCoverage, "单选题有 %d 级分值台阶，应给出 %d 个台阶难度，实际 %d 个", rungs, rungs-1, len(qc.StepCosts))
			}
			for _, c := range qc.StepCosts {
				if c <= 0 {
					v.fail(item, RuleCostPositive, "台阶难度应为正整数，实际 %d", c)
				}
			}
			if qc.PerOption != 0 || len(qc.OptionCosts) > 0 {
				v.fail(item, RuleCostCoverage, "单选题只用 step_costs")
			}
		case Multi:
			if len(qc.StepCosts) > 0 {
				v.fail(item, RuleCostCoverage, "多选题只用 per_option 或 option_costs")
			}
			for id, c := range qc.OptionCosts {
				o, ok := q.Option(id)
				switch {
				case !ok:
					v.fail(item, RuleCostCoverage, "选项 %q 不存在", id)
				case o.None:
					v.fail(item, RuleCostCoverage, "「无」选项不需要定价")
				case c <= 0:
					v.fail(item, RuleCostPositive, "选项 %s 的难度应为正整数，实际 %d", id, c)
				}
			}
			for _, o := range q.Options {
				if o.None || o.Score == 0 {
					continue
				}
				if _, ok := qc.OptionCosts[o.ID]; !ok && qc.PerOption <= 0 {
					v.fail(item, RuleCostCoverage, "选项 %s 没有难度（给出 option_costs 或正的 per_option）", o.ID)
				}
			}
		}
	}
	for _, q := range qn.Questions() {
		if !priced[q.ID] {
			v.fail("costs.questions", RuleCostCoverage, "题目 %s 没有定价", q.ID)
		}
	}
	if len(p.Costs.ScenarioLevelCosts) != cat.MaxLevel() {
		v.fail("costs.scenario_level_costs", RuleScenarioCostSize, "应有 %d 个（每级一个），实际 %d 个", cat.MaxLevel(), len(p.Costs.ScenarioLevelCosts))
	}
	for _, c := range p.Costs.ScenarioLevelCosts {
		if c <= 0 {
			v.fail("costs.scenario_level_costs", RuleCostPositive, "场景难度应为正整数，实际 %d", c)
		}
	}
	for _, r := range p.ExpectedEvidence.Questions {
		if _, ok := qn.Question(r.ID); !ok {
			v.fail("expected_evidence."+r.ID, RuleEvidenceRefs, "题目 %q 不在指标目录中", r.ID)
		}
		v.text("expected_evidence."+r.ID, "应有佐证说明", r.Text)
	}
	if l := p.ExpectedEvidence.ScenarioMinLevel; l < 0 || l > cat.MaxLevel() {
		v.fail("expected_evidence.scenario_min_level", RuleEvidenceRefs, "应为 0–%d（0 表示场景不要求佐证），实际 %d", cat.MaxLevel(), l)
	}
	fields := map[string]bool{}
	for _, q := range qn.Questions() {
		for _, f := range q.FormFields {
			fields[q.ID+"."+f.ID] = true
		}
	}
	for _, k := range p.KPIs {
		item := "kpis." + k.Question
		if qc, ok := p.Question(k.Question); !ok || !qc.Outcome {
			v.fail(item, RuleKPIRefs, "成效指标应对应一道标为 outcome 的题目")
		}
		v.text(item, "指标名称", k.Name)
		if k.Better != "lower" && k.Better != "higher" {
			v.fail(item, RuleKPIRefs, "better 应为 lower 或 higher，实际 %q", k.Better)
		}
		if k.Value != nil {
			for _, ref := range []string{k.Value.Num, k.Value.Den} {
				if ref != "" && !fields[ref] {
					v.fail(item, RuleKPIRefs, "引用了不存在的补充数据 %q", ref)
				}
			}
			if k.Value.Scale != "" {
				if x, ok := new(big.Rat).SetString(k.Value.Scale); !ok || x.Sign() <= 0 {
					v.fail(item, RuleKPIRefs, "倍数 %q 无效", k.Value.Scale)
				}
			}
		}
	}
	for i, g := range p.StatusGroups {
		item := fmt.Sprintf("status_groups[%d]", i)
		v.text(item, "分组标题", g.Title)
		for _, id := range g.Questions {
			if _, ok := qn.Question(id); !ok {
				v.fail(item, RuleEvidenceRefs, "题目 %q 不在指标目录中", id)
			}
		}
	}
	if len(p.Outline) == 0 {
		v.fail("outline", RulePlanningOutline, "缺少报告提纲")
	}
	seen := map[string]bool{}
	for _, o := range p.Outline {
		v.id("outline", o.ID, seen)
		v.text("outline."+o.ID, "章节标题", o.Title)
	}
	if len(v.errs) > 0 {
		return v.errs
	}
	return nil
}

// distinctRungs counts the distinct option scores of a question.
func distinctRungs(q *Question) int {
	seen := map[Points]bool{}
	for _, o := range q.Options {
		seen[o.Score] = true
	}
	return len(seen)
}
