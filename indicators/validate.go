package indicators

import (
	"fmt"
	"math/big"
	"strings"
	"unicode"
)

// Rule identifiers. C1-C11 are the checks of the reference (§9); S-rules
// are structural checks of the file format.
const (
	RuleDimensionTotal   = "C1-C3" // a dimension's question maxima add up to its points
	RuleGrandTotal       = "C4"    // dimension points add up to total_points
	RuleMultiSum         = "C5"    // multi choice: positive options add up to the maximum
	RuleSingleMax        = "C6"    // single choice: the highest option is the maximum
	RuleZeroOption       = "C7"    // every question has a 0-point option
	RuleNoneExclusive    = "C8"    // "无" options score 0; every multi choice has exactly one
	RuleWeightedMax      = "C9"    // max = dimension points × sub-dimension % × indicator %
	RuleWeightSum        = "C10"   // children's weights add up to 100%
	RuleScenarios        = "C11"   // scenarios: groups, descriptors per level, feasible gates
	RuleIdentity         = "S1"    // IDs present, well-formed and unique
	RuleText             = "S2"    // display texts present and trimmed
	RuleLevels           = "S3"    // level table contiguous and increasing
	RuleDerive           = "S4"    // derivation rules refer to known fields and options
	RuleDependency       = "S5"    // option dependencies refer to known options
	RulePilot            = "S6"    // target level and assessment kinds
	RuleScenarioPolicy   = "S7"    // N/A policy
	RuleFormat           = "S8"    // file format version and header
	RuleQuestionnaire    = "S9"    // exactly one default questionnaire
	RuleOptionSequence   = "S10"   // option IDs are A, B, C... in order
	RuleQuestionTypeKnow = "S11"   // question type is single or multi
)

// RequiredKinds are the assessment kinds the program needs labels for.
var requiredKinds = []string{"baseline", "acceptance", "spotcheck"}

// ValidationError is one broken rule: the file, the item and the rule.
type ValidationError struct {
	File    string
	Item    string
	Rule    string
	Message string
}

func (e ValidationError) Error() string {
	return fmt.Sprintf("指标目录 %s: %s: 规则 %s: %s", e.File, e.Item, e.Rule, e.Message)
}

// ValidationErrors lists every broken rule of a catalog.
type ValidationErrors []ValidationError

func (es ValidationErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.As find the individual errors.
func (es ValidationErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

type validator struct {
	file string
	errs ValidationErrors
}

func (v *validator) fail(item, rule, format string, args ...any) {
	v.errs = append(v.errs, ValidationError{File: v.file, Item: item, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) text(item, field, s string) {
	switch {
	case s == "":
		v.fail(item, RuleText, "%s为空", field)
	case strings.TrimSpace(s) != s:
		v.fail(item, RuleText, "%s首尾有空白", field)
	}
}

func (v *validator) id(item string, id string, seen map[string]bool) {
	if id == "" {
		v.fail(item, RuleIdentity, "缺少 id")
		return
	}
	for _, r := range id {
		if !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_')) {
			v.fail(item, RuleIdentity, "id %q 只能由字母、数字、点、连字符组成", id)
			return
		}
	}
	if seen[id] {
		v.fail(item, RuleIdentity, "id %q 重复", id)
	}
	seen[id] = true
}

// Validate checks every invariant of the catalog and returns all broken rules
// as ValidationErrors, or nil.
func (c *Catalog) Validate() error {
	v := &validator{file: c.file}
	if c.file == "" {
		v.file = "(未命名)"
	}
	if c.Format != FormatVersion {
		v.fail("format", RuleFormat, "文件格式版本为 %d，本程序读取版本 %d", c.Format, FormatVersion)
	}
	v.text("edition", "版本号", c.Edition)
	v.text("title", "标题", c.Title)
	if c.TotalPoints <= 0 {
		v.fail("total_points", RuleGrandTotal, "总分必须为正数")
	}
	c.validateQuestionnaires(v)
	c.validateScenarios(v)
	c.validateLevels(v)
	c.validatePolicy(v)
	if len(v.errs) > 0 {
		return v.errs
	}
	return nil
}

func (c *Catalog) validateQuestionnaires(v *validator) {
	if len(c.Questionnaires) == 0 {
		v.fail("questionnaires", RuleQuestionnaire, "至少需要一份问卷")
		return
	}
	defaults := 0
	seenQn := map[string]bool{}
	for i := range c.Questionnaires {
		qn := &c.Questionnaires[i]
		v.id("questionnaires["+qn.ID+"]", qn.ID, seenQn)
		v.text(qn.ID, "问卷名称", qn.Name)
		if qn.Default {
			defaults++
		}
		c.validateQuestionnaire(v, qn)
	}
	if defaults != 1 {
		v.fail("questionnaires", RuleQuestionnaire, "应恰有一份默认问卷，实际 %d 份", defaults)
	}
}

func (c *Catalog) validateQuestionnaire(v *validator, qn *Questionnaire) {
	seen := map[string]bool{}
	fields := map[string]bool{} // "QID.field"
	var total Points
	var all []*Question
	for di := range qn.Dimensions {
		d := &qn.Dimensions[di]
		v.id(d.ID, d.ID, seen)
		v.text(d.ID, "维度名称", d.Name)
		total += d.Points
		var dimSum Points
		subWeights := 0
		for si := range d.SubDimensions {
			s := &d.SubDimensions[si]
			v.id(s.ID, s.ID, seen)
			v.text(s.ID, "二级指标名称", s.Name)
			subWeights += s.WeightPercent
			indWeights := 0
			for ii := range s.Indicators {
				ind := &s.Indicators[ii]
				v.id(ind.ID, ind.ID, seen)
				v.text(ind.ID, "三级指标名称", ind.Name)
				indWeights += ind.WeightPercent
				if len(ind.Questions) == 0 {
					v.fail(ind.ID, RuleIdentity, "指标下没有题目")
				}
				var indSum Points
				for k := range ind.Questions {
					q := &ind.Questions[k]
					v.id(q.ID, q.ID, seen)
					c.validateQuestion(v, q)
					indSum += q.Max
					dimSum += q.Max
					all = append(all, q)
					for _, f := range q.FormFields {
						fields[q.ID+"."+f.ID] = true
					}
				}
				// C9: exact in milli-points: points × w1 × w2 / 10000.
				num := int64(d.Points) * int64(s.WeightPercent) * int64(ind.WeightPercent)
				if num%10000 != 0 || Points(num/10000) != indSum {
					v.fail(ind.ID, RuleWeightedMax, "题目满分合计 %s，而 %s×%d%%×%d%% = %s",
						indSum, d.Points, s.WeightPercent, ind.WeightPercent, ratString(big.NewRat(num, 10000*PointsScale)))
				}
			}
			if indWeights != 100 {
				v.fail(s.ID, RuleWeightSum, "下级权重合计 %d%%，应为 100%%", indWeights)
			}
		}
		if subWeights != 100 {
			v.fail(d.ID, RuleWeightSum, "下级权重合计 %d%%，应为 100%%", subWeights)
		}
		if dimSum != d.Points {
			v.fail(d.ID, RuleDimensionTotal, "题目满分合计 %s，维度分值为 %s", dimSum, d.Points)
		}
	}
	if total != c.TotalPoints {
		v.fail(qn.ID, RuleGrandTotal, "维度分值合计 %s，总分应为 %s", total, c.TotalPoints)
	}
	for _, q := range all {
		if q.Derive != nil {
			validateDerive(v, q, fields)
		}
	}
}

func (c *Catalog) validateQuestion(v *validator, q *Question) {
	v.text(q.ID, "题目", q.Title)
	if q.Type != Single && q.Type != Multi {
		v.fail(q.ID, RuleQuestionTypeKnow, "题型 %q 未知（应为 single 或 multi）", q.Type)
	}
	if len(q.Options) < 2 {
		v.fail(q.ID, RuleIdentity, "至少需要两个选项")
		return
	}
	var sumPositive, highest Points
	hasZero := false
	nones := 0
	for i := range q.Options {
		o := &q.Options[i]
		item := q.ID + "." + o.ID
		if want := string(rune('A' + i)); o.ID != want {
			v.fail(item, RuleOptionSequence, "第 %d 个选项的 id 应为 %s", i+1, want)
		}
		v.text(item, "选项文字", o.Text)
		if o.Score < 0 {
			v.fail(item, RuleZeroOption, "分值不能为负")
		}
		if o.Score == 0 {
			hasZero = true
		}
		if o.Score > highest {
			highest = o.Score
		}
		sumPositive += o.Score
		if o.None {
			nones++
			if o.Score != 0 {
				v.fail(item, RuleNoneExclusive, "「无」选项分值应为 0，实际 %s", o.Score)
			}
		}
	}
	if !hasZero {
		v.fail(q.ID, RuleZeroOption, "没有 0 分选项")
	}
	switch q.Type {
	case Multi:
		if sumPositive != q.Max {
			v.fail(q.ID, RuleMultiSum, "多选题正向选项合计 %s，满分为 %s", sumPositive, q.Max)
		}
		if nones != 1 {
			v.fail(q.ID, RuleNoneExclusive, "多选题应恰有一个互斥的「无」选项，实际 %d 个", nones)
		}
	case Single:
		if highest != q.Max {
			v.fail(q.ID, RuleSingleMax, "单选题最高选项 %s，满分为 %s", highest, q.Max)
		}
		if nones > 1 {
			v.fail(q.ID, RuleNoneExclusive, "单选题最多一个「无」选项")
		}
	}
	seenField := map[string]bool{}
	for _, f := range q.FormFields {
		v.id(q.ID+"."+f.ID, f.ID, seenField)
		v.text(q.ID+"."+f.ID, "补充数据标签", f.Label)
	}
	for _, dep := range q.Dependencies {
		item := q.ID + "." + dep.Option
		if _, ok := q.Option(dep.Option); !ok {
			v.fail(item, RuleDependency, "依赖规则引用了不存在的选项 %s", dep.Option)
		}
		if len(dep.Requires) == 0 {
			v.fail(item, RuleDependency, "依赖规则没有前提选项")
		}
		for _, r := range dep.Requires {
			if _, ok := q.Option(r); !ok || r == dep.Option {
				v.fail(item, RuleDependency, "依赖规则的前提选项 %s 无效", r)
			}
		}
	}
	for _, n := range q.Notes {
		v.text(q.ID, "说明", n)
	}
}

func validateDerive(v *validator, q *Question, fields map[string]bool) {
	d := q.Derive
	item := q.ID + ".derive"
	ratio := func(name string, r *Ratio) {
		if r == nil {
			v.fail(item, RuleDerive, "缺少 %s", name)
			return
		}
		for _, ref := range []string{r.Num, r.Den} {
			if ref != "" && !fields[ref] {
				v.fail(item, RuleDerive, "%s 引用了不存在的补充数据 %q", name, ref)
			}
		}
		if r.Num == "" {
			v.fail(item, RuleDerive, "%s 缺少分子", name)
		}
		if r.Scale != "" {
			if x, ok := new(big.Rat).SetString(r.Scale); !ok || x.Sign() <= 0 {
				v.fail(item, RuleDerive, "%s 的倍数 %q 无效", name, r.Scale)
			}
		}
	}
	option := func(name, id string) {
		if _, ok := q.Option(id); !ok {
			v.fail(item, RuleDerive, "%s 指向不存在的选项 %q", name, id)
		}
	}
	switch d.Kind {
	case DeriveBands:
		ratio("value", d.Value)
		if len(d.Bands) == 0 {
			v.fail(item, RuleDerive, "缺少区间")
		}
		var prev *big.Rat
		for _, b := range d.Bands {
			option("bands", b.Option)
			x, ok := new(big.Rat).SetString(b.Max)
			if !ok {
				v.fail(item, RuleDerive, "区间上限 %q 不是数字", b.Max)
				continue
			}
			if prev != nil && x.Cmp(prev) <= 0 {
				v.fail(item, RuleDerive, "区间上限应递增（%s 不大于前一个）", b.Max)
			}
			prev = x
		}
	case DeriveChange:
		ratio("current", d.Current)
		ratio("previous", d.Previous)
		option("increase", d.Increase)
		option("flat", d.Flat)
		option("decrease", d.Decrease)
		if x, ok := new(big.Rat).SetString(d.FlatTolerancePercent); !ok || x.Sign() < 0 {
			v.fail(item, RuleDerive, "持平容差 %q 应为非负数", d.FlatTolerancePercent)
		}
	default:
		v.fail(item, RuleDerive, "推算方式 %q 未知（应为 bands 或 change）", d.Kind)
	}
}

func (c *Catalog) validateScenarios(v *validator) {
	seenGroup := map[string]bool{}
	for _, g := range c.Groups {
		v.id("scenario_groups["+g.ID+"]", g.ID, seenGroup)
		v.text(g.ID, "场景分组名称", g.Name)
	}
	if len(c.Scenarios) == 0 {
		v.fail("scenarios", RuleScenarios, "没有应用场景")
	}
	used := map[string]int{}
	seen := map[string]bool{}
	for i := range c.Scenarios {
		s := &c.Scenarios[i]
		v.id(s.ID, s.ID, seen)
		v.text(s.ID, "场景名称", s.Name)
		if !seenGroup[s.Group] {
			v.fail(s.ID, RuleScenarios, "分组 %q 不存在", s.Group)
		}
		used[s.Group]++
		if len(s.Descriptors) != len(c.Levels.Rules) {
			v.fail(s.ID, RuleScenarios, "应有 %d 个等级描述（每级一个），实际 %d 个", len(c.Levels.Rules), len(s.Descriptors))
		}
		for k, d := range s.Descriptors {
			v.text(fmt.Sprintf("%s.level%d", s.ID, k+1), "等级描述", d)
		}
	}
	for _, g := range c.Groups {
		if used[g.ID] == 0 {
			v.fail(g.ID, RuleScenarios, "分组下没有场景")
		}
	}
	constrained := c.Constrained()
	for _, r := range c.Levels.Rules {
		item := fmt.Sprintf("levels.rules[%d]", r.Level)
		if r.MinScenarios > len(c.Scenarios) {
			v.fail(item, RuleScenarios, "要求 %d 个场景，目录只有 %d 个", r.MinScenarios, len(c.Scenarios))
		}
		if r.MinConstrained > constrained {
			v.fail(item, RuleScenarios, "要求 %d 个约束性场景，目录只有 %d 个", r.MinConstrained, constrained)
		}
		if r.MinConstrained > r.MinScenarios {
			v.fail(item, RuleScenarios, "约束性场景数 %d 大于场景总数要求 %d", r.MinConstrained, r.MinScenarios)
		}
	}
}

func (c *Catalog) validateLevels(v *validator) {
	v.text("levels", "无等级名称", c.Levels.NoLevelLabel)
	if c.Levels.Evaluation != "highest_first" {
		v.fail("levels.evaluation", RuleLevels, "判定顺序 %q 未知（应为 highest_first）", c.Levels.Evaluation)
	}
	if len(c.Levels.Rules) == 0 {
		v.fail("levels", RuleLevels, "没有等级规则")
	}
	for i, r := range c.Levels.Rules {
		item := fmt.Sprintf("levels.rules[%d]", i)
		if r.Level != i+1 {
			v.fail(item, RuleLevels, "等级应按 1、2、3… 顺序排列，第 %d 条为 %d", i+1, r.Level)
		}
		v.text(item, "等级名称", r.Name)
		if r.MinScore < 0 || r.MinScore > c.TotalPoints {
			v.fail(item, RuleLevels, "最低得分 %s 超出 0–%s", r.MinScore, c.TotalPoints)
		}
		if r.MinScenarios < 0 || r.MinConstrained < 0 {
			v.fail(item, RuleLevels, "场景门槛不能为负")
		}
		if i > 0 {
			p := c.Levels.Rules[i-1]
			if r.MinScore <= p.MinScore {
				v.fail(item, RuleLevels, "最低得分应高于下一级（%s ≤ %s）", r.MinScore, p.MinScore)
			}
			if r.MinScenarios < p.MinScenarios || r.MinConstrained < p.MinConstrained {
				v.fail(item, RuleLevels, "场景门槛不应低于下一级")
			}
		}
	}
}

func (c *Catalog) validatePolicy(v *validator) {
	p := c.ScenarioPolicy
	v.text("scenario_policy", "未达一级名称", p.BelowLevelOneLabel)
	v.text("scenario_policy", "不适用名称", p.NotApplicableLabel)
	if p.NotApplicableMode != NACountsAsBelow && p.NotApplicableMode != NAShrinksGates {
		v.fail("scenario_policy", RuleScenarioPolicy, "不适用处理方式 %q 未知（应为 %s 或 %s）", p.NotApplicableMode, NACountsAsBelow, NAShrinksGates)
	}
	if c.Pilot.TargetLevel < 1 || c.Pilot.TargetLevel > len(c.Levels.Rules) {
		v.fail("pilot.target_level", RulePilot, "目标等级 %d 超出 1–%d", c.Pilot.TargetLevel, len(c.Levels.Rules))
	}
	seen := map[string]bool{}
	for _, k := range c.Pilot.Kinds {
		v.id("pilot.assessment_kinds", k.ID, seen)
		v.text("pilot.assessment_kinds."+k.ID, "评测类型名称", k.Label)
	}
	for _, k := range requiredKinds {
		if !seen[k] {
			v.fail("pilot.assessment_kinds", RulePilot, "缺少评测类型 %s 的名称", k)
		}
	}
	seenOutline := map[string]bool{}
	for _, o := range c.ReportOutline {
		v.id("report_outline", o.ID, seenOutline)
		v.text("report_outline."+o.ID, "报告章节标题", o.Title)
	}
}

func ratString(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	return strings.TrimRight(strings.TrimRight(r.FloatString(3), "0"), ".")
}
