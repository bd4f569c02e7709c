package report

import (
	"fmt"
	"sort"
	"strings"

	"digilevel/indicators"
	"digilevel/model"
)

// DiagnosisTitle is the name the pilot platform gives the baseline
// document (reference §8.5, reportName).
const DiagnosisTitle = "中小企业数字化转型咨询诊断报告"

// isDiagnosis tells a 转型诊断报告 (a baseline in report format 2) from a
// rating report (acceptance, spot check, and every format-1 document,
// which keeps the layout it was signed with).
func isDiagnosis(doc model.ReportDocument) bool {
	return doc.Format != model.ReportFormatV1 && doc.Kind == model.KindBaseline
}

// diagView is the render-neutral content of a 转型诊断报告, in the order of
// the planning data's outline (reference §8.6). Every format reads it.
type diagView struct {
	*view
	Outline []indicators.OutlineItem

	ProfileMore []kv
	// ProfileShort and ProfileLong split the profile for print: short
	// fields two to a row, long texts on rows of their own. The cover
	// already names the enterprise and its code.
	ProfileShort, ProfileLong []kv
	Software                  []model.SoftwareItem
	Finances                  []financeRow
	History                   []historyRow

	Survey       *surveyView
	StatusGroups []statusGroup

	Paths []pathView

	TargetName   string
	Goal         string
	GoalRows     []goalRow
	GoalsEntered bool
	Architecture string
	Solutions    []solutionRow
	AnyExample   bool
	Investments  []investRow
	Total        string
	ByCategory   []kv
	KPIs         []kpiRow
	Milestones   []model.Milestone
	EvidenceRows []evidenceRow
	FinePrint    []string
	QRPayload    string
	PlanningHash string
}

type financeRow struct {
	Year                          int
	Revenue, Assets, Profit, Note string
}

type historyRow struct{ Date, Field, From, To, Note string }

type surveyView struct {
	Date      string
	Surveyors []model.Surveyor
	Findings  string
	Pains     []kv
}

type statusGroup struct {
	Title     string
	Questions []questionView
	Software  bool
}

// pathView is one priced plan: the cheapest or an alternative.
type pathView struct {
	Title   string
	Summary string
	Lines   []string
	Steps   []pathStep
}

type pathStep struct {
	Item, Change, Gain, Cost string
}

type goalRow struct {
	ID, Name                         string
	Constrained, OnPath              bool
	Current, Target, Descriptor, How string
}

type solutionRow struct {
	Scenario, Name, Provider, Deployment, Note string
	Example, FromPool                          bool
}

type investRow struct {
	No                                                          int
	Item, Category, Scenario, Quantity, Unit, UnitPrice, Amount string
	Note                                                        string
}

type kpiRow struct {
	Question, Name, Unit, Answer, Baseline, Target, Note, Better string
}

type evidenceRow struct{ Ref, Name, SHA, Size string }

// knownDiagnosisSection reports whether the diagnosis renderers know an
// outline ID; an outline item with another ID is skipped.
func knownDiagnosisSection(id string) bool {
	switch id {
	case "profile", "status", "result", "problems", "goals", "solution", "kpis", "schedule", "annex", "signatures":
		return true
	}
	return false
}

// statusNewPage lists the diagnosis sections that start a printed page: the
// chapters whose content runs over pages. The others follow on.
func statusNewPage(id string) bool {
	switch id {
	case "status", "result", "problems", "goals", "annex":
		return true
	}
	return false
}

func buildDiagnosis(r *Report) *diagView {
	v := buildView(r)
	doc, cat := r.Doc, r.Catalog
	d := &diagView{view: v}
	d.Title = DiagnosisTitle
	if doc.Draft {
		d.Title = "【草稿】" + DiagnosisTitle
	}
	pl := r.Planning
	outline := cat.ReportOutline
	if pl != nil {
		outline = pl.Outline
		d.PlanningHash = pl.Hash()
	}
	for _, o := range outline {
		if knownDiagnosisSection(o.ID) {
			d.Outline = append(d.Outline, o)
		}
	}
	if doc.Planning != nil {
		d.PlanningHash = doc.Planning.Hash
	}
	e := doc.Enterprise
	p := e.Profile
	if p == nil {
		p = &model.Profile{}
	}
	or := orDash
	d.ProfileMore = []kv{
		{"所在区域", or(p.Region)}, {"二级行业", or(p.IndustrySub)}, {"企业类型", or(p.EnterpriseType)},
		{"注册资本（万元）", or(string(p.RegisteredCapital))}, {"成立日期", or(p.Founded)}, {"员工人数", intOrDash(p.Employees)},
		{"主要产品", or(p.MainProducts)}, {"工艺流程", or(p.ProcessFlow)}, {"智能设备", or(p.Equipment)},
		{"云使用", or(model.CloudKinds[p.Cloud])}, {"网络", or(labels(p.Network, model.NetworkKinds))},
		{"认证", or(strings.Join(p.Certifications, "、"))}, {"荣誉", or(strings.Join(p.Honours, "、"))},
		{"数字化转型资金", or(p.FundBand)}, {"计划上云", or(model.CloudKinds[p.PlannedCloud])},
		{"计划使用的软件", or(strings.Join(p.PlannedSoftware, "、"))},
	}
	long := map[string]bool{"主要产品": true, "工艺流程": true, "智能设备": true, "地址": true, "备注": true}
	for _, row := range append(append([]kv(nil), v.Profile...), d.ProfileMore...) {
		switch {
		case row.K == "企业名称" || row.K == "统一社会信用代码":
		case long[row.K]:
			d.ProfileLong = append(d.ProfileLong, row)
		default:
			d.ProfileShort = append(d.ProfileShort, row)
		}
	}
	d.Software = p.Software
	years := map[int]*financeRow{}
	for _, y := range v.Revenue {
		years[y.Year] = &financeRow{Year: y.Year, Revenue: y.Wan, Note: y.Note}
	}
	for _, f := range p.Finances {
		row := years[f.Year]
		if row == nil {
			row = &financeRow{Year: f.Year}
			years[f.Year] = row
		}
		row.Assets, row.Profit = string(f.Assets), string(f.Profit)
	}
	for _, row := range years {
		for _, s := range []*string{&row.Revenue, &row.Assets, &row.Profit} {
			*s = orDash(*s)
		}
		d.Finances = append(d.Finances, *row)
	}
	sort.Slice(d.Finances, func(i, j int) bool { return d.Finances[i].Year < d.Finances[j].Year })
	for _, h := range e.StatusHistory {
		field := "规模"
		if h.Field == model.FieldZJTX {
			field = "专精特新"
		}
		d.History = append(d.History, historyRow{Date: h.Date, Field: field, From: model.StatusLabel(h.Field, h.From), To: model.StatusLabel(h.Field, h.To), Note: h.Note})
	}

	if s := doc.Survey; s != nil {
		sv := &surveyView{Date: s.Date, Surveyors: s.Surveyors, Findings: s.Findings}
		for _, p := range s.PainPoints {
			sv.Pains = append(sv.Pains, kv{model.PainKinds[p.Kind], p.Text})
		}
		d.Survey = sv
	}
	byID := map[string]questionView{}
	for _, q := range v.Questions {
		byID[q.ID] = q
	}
	if pl != nil {
		for _, g := range pl.StatusGroups {
			sg := statusGroup{Title: g.Title, Software: g.Software}
			for _, id := range g.Questions {
				if q, ok := byID[id]; ok {
					sg.Questions = append(sg.Questions, q)
				}
			}
			d.StatusGroups = append(d.StatusGroups, sg)
		}
	}

	qn, ok := cat.Questionnaire(doc.Answers.Questionnaire)
	if !ok {
		qn = cat.DefaultQuestionnaire()
	}
	target := doc.Target
	d.TargetName = target.TargetName
	d.Paths = append(d.Paths, pricedPath(cat, qn, doc.Result.Checks, target, "最省力的改造路径：达到"+target.TargetName))
	for i, alt := range target.Alternatives {
		d.Paths = append(d.Paths, pricedPath(cat, qn, doc.Result.Checks, alt, fmt.Sprintf("备选路径 %d", i+1)))
	}
	next := doc.NextLevel
	if next.Target != target.Target && next.Target > doc.Result.Level {
		d.Paths = append(d.Paths, pricedPath(cat, qn, doc.Result.Checks, next, "达到下一等级："+next.TargetName))
	}

	plan := doc.Plan
	if plan == nil {
		plan = &model.RetrofitPlan{}
	}
	if plan.TargetLevel > 0 {
		d.TargetName = cat.LevelName(plan.TargetLevel)
	}
	d.Goal, d.Architecture = plan.Goal, plan.Architecture
	d.GoalsEntered = len(plan.Scenarios) > 0
	current := map[string]model.ScenarioResult{}
	for _, s := range doc.Result.Scenarios {
		current[s.ID] = s
	}
	onPath := map[string]bool{}
	for _, s := range target.Scenarios {
		onPath[s.ID] = true
	}
	goal := func(id string, level int, how string) goalRow {
		s := current[id]
		row := goalRow{ID: id, Name: s.Name, Constrained: s.Constrained, OnPath: onPath[id], Current: model.RatingName(cat, s),
			Target: cat.ScenarioLevelName(level), How: how}
		if sc, ok := cat.Scenario(id); ok && level >= 1 && level <= len(sc.Descriptors) {
			row.Descriptor = sc.Descriptors[level-1]
		}
		return row
	}
	if d.GoalsEntered {
		for _, g := range plan.Scenarios {
			var names []string
			for _, s := range g.Solutions {
				names = append(names, solutionName(s))
				d.Solutions = append(d.Solutions, solutionRow{Scenario: g.Scenario + " " + current[g.Scenario].Name, Name: solutionName(s), Provider: orDash(s.Provider),
					Deployment: orDash(model.Deployments[s.Deployment]), Note: s.Note, Example: s.Example, FromPool: s.PoolID != ""})
				d.AnyExample = d.AnyExample || s.Example
			}
			row := goal(g.Scenario, g.Target, strings.Join(names, "、"))
			if g.Note != "" {
				row.How = strings.TrimPrefix(row.How+"；"+g.Note, "；")
			}
			d.GoalRows = append(d.GoalRows, row)
		}
	} else {
		for _, s := range target.Scenarios {
			d.GoalRows = append(d.GoalRows, goal(s.ID, s.To, "路径建议（改造方案尚未填写）"))
		}
	}
	for i, inv := range plan.Investments {
		row := investRow{No: i + 1, Item: inv.Item, Category: model.InvestmentCategories[inv.Category], Quantity: orDash(string(inv.Quantity)),
			Unit: orDash(inv.Unit), UnitPrice: orDash(string(inv.UnitPrice)), Amount: string(inv.Amount), Note: inv.Note, Scenario: "—"}
		if inv.Scenario != "" {
			row.Scenario = inv.Scenario + " " + current[inv.Scenario].Name
		}
		d.Investments = append(d.Investments, row)
	}
	total, byCat := plan.InvestmentTotal()
	d.Total = string(total)
	for _, k := range []string{"hardware", "software", "cloud", "service", "other"} {
		if amt, ok := byCat[k]; ok {
			d.ByCategory = append(d.ByCategory, kv{model.InvestmentCategories[k], string(amt)})
		}
	}
	entered := map[string]model.KPITarget{}
	for _, k := range plan.KPIs {
		entered[k.Question] = k
	}
	var baselines map[string]model.Decimal
	if pl != nil {
		baselines = model.KPIBaselines(cat, pl, doc.Answers)
		for _, def := range pl.KPIs {
			row := kpiRow{Question: def.Question, Name: def.Name, Unit: def.Unit, Baseline: orDash(string(baselines[def.Question])), Target: "未填写", Better: "越低越好"}
			if def.Better == "higher" {
				row.Better = "越高越好"
			}
			if q, ok := qn.Question(def.Question); ok {
				row.Answer = model.OptionsText(q, doc.Answers.Answers[def.Question])
			}
			if k, ok := entered[def.Question]; ok {
				row.Name, row.Unit, row.Target, row.Note = k.Name, k.Unit, string(k.Target), k.Note
				if !k.Baseline.IsZero() {
					row.Baseline = string(k.Baseline)
				}
				delete(entered, def.Question)
			}
			d.KPIs = append(d.KPIs, row)
		}
	}
	for _, k := range plan.KPIs {
		if _, ok := entered[k.Question]; ok {
			d.KPIs = append(d.KPIs, kpiRow{Question: k.Question, Name: k.Name, Unit: k.Unit, Baseline: orDash(string(k.Baseline)), Target: string(k.Target), Note: k.Note})
		}
	}
	d.Milestones = plan.Milestones
	refs := make([]string, 0, len(doc.Evidence))
	for ref := range doc.Evidence {
		refs = append(refs, ref)
	}
	sort.Strings(refs)
	for _, ref := range refs {
		for _, e := range evidenceOf(doc, ref) {
			d.EvidenceRows = append(d.EvidenceRows, evidenceRow{Ref: ref, Name: e.Name, SHA: e.SHA, Size: e.Size})
		}
	}
	d.FinePrint = finePrint(cat, pl)
	if doc.Signature != nil {
		d.QRPayload = QRPayload(doc.ID, v.SHA256)
	}
	return d
}

// pricedPath turns a priced plan into readable lines and steps.
func pricedPath(cat *indicators.Catalog, qn *indicators.Questionnaire, checks []model.LevelCheck, p model.GapPlan, title string) pathView {
	pv := pathView{Title: title}
	if len(p.Excluded) == 0 {
		// An alternative shares the primary plan's conditions; only the
		// primary and the next-level plan state them.
		for _, l := range planText(cat, qn, checks, p, title).Lines {
			if !strings.HasPrefix(l, "最少需改动") {
				pv.Lines = append(pv.Lines, l)
			}
		}
	}
	if p.Reachable && !p.AlreadyMet {
		pv.Summary = fmt.Sprintf("改动 %d 项，合计难度 %d（%s），改动后基础得分 %s 分。", p.Changes, p.Cost, p.CostUnit, p.ScoreAfter)
		if len(p.Excluded) > 0 {
			pv.Summary += "本路径不改动 " + strings.Join(p.Excluded, "、") + "。"
		}
	}
	if len(p.NotLevers) > 0 && !p.AlreadyMet && len(p.Excluded) == 0 {
		pv.Lines = append(pv.Lines, "成效题 "+strings.Join(p.NotLevers, "、")+" 衡量改造后的变化，改造前诊断不把它们作为改动手段。")
	}
	for _, s := range p.Questions {
		q, ok := qn.Question(s.ID)
		if !ok {
			continue
		}
		change := fmt.Sprintf("由「%s」改为「%s」", model.OptionsText(q, s.From), model.OptionsText(q, s.To))
		if q.Type == indicators.Multi && len(s.From) > 0 && !noneOnly(q, s.From) {
			change = "增选「" + model.OptionsText(q, s.Add) + "」"
		}
		pv.Steps = append(pv.Steps, pathStep{Item: s.ID + " " + q.Title, Change: change, Gain: "+" + s.Gain.String(), Cost: fmt.Sprint(s.Cost)})
	}
	for _, s := range p.Scenarios {
		name := s.ID + " " + s.Name
		if s.Constrained {
			name += "（约束性）"
		}
		pv.Steps = append(pv.Steps, pathStep{Item: name, Change: fmt.Sprintf("由%s提升至%s", cat.ScenarioLevelName(s.From), cat.ScenarioLevelName(s.To)), Gain: "—", Cost: fmt.Sprint(s.Cost)})
	}
	return pv
}

// finePrint is what the level and the plan rest on: the level rule as the
// catalog states it, and every note the catalog and the planning data carry
// (the parts of medium confidence).
func finePrint(cat *indicators.Catalog, pl *indicators.Planning) []string {
	out := []string{fmt.Sprintf("等级判定规则按评测平台公布的《%s》执行。%s", cat.Title, levelMethod(cat.Levels.NoLevelLabel))}
	out = append(out, "以下说明摘自指标目录与诊断规划数据，所涉内容为中等可信度：未与官方文本逐字核对、来自独立复现，或为本项目的默认假设。")
	if cat.Source != "" {
		out = append(out, "指标来源："+cat.Source)
	}
	out = append(out, cat.Levels.Notes...)
	for _, n := range []string{cat.ScenarioPolicy.Note, cat.Pilot.Note} {
		if n != "" {
			out = append(out, n)
		}
	}
	for _, q := range cat.DefaultQuestionnaire().Questions() {
		for _, n := range q.Notes {
			out = append(out, q.ID+"："+n)
		}
		for _, o := range q.Options {
			if o.Note != "" {
				out = append(out, q.ID+" 选项 "+o.ID+"："+o.Note)
			}
		}
		for _, dep := range q.Dependencies {
			if dep.Note != "" {
				out = append(out, q.ID+"："+dep.Note)
			}
		}
		if q.Derive != nil && q.Derive.Note != "" {
			out = append(out, q.ID+"："+q.Derive.Note)
		}
	}
	for _, s := range cat.Scenarios {
		for _, n := range s.Notes {
			out = append(out, s.ID+" "+s.Name+"："+n)
		}
	}
	if pl != nil {
		out = append(out, pl.Notes...)
		if pl.OutlineNote != "" {
			out = append(out, pl.OutlineNote)
		}
	}
	return out
}

func solutionName(s model.SolutionUse) string {
	return model.Solution{Name: s.Name, Example: s.Example}.DisplayName()
}

func intOrDash(n int) string {
	if n == 0 {
		return "—"
	}
	return fmt.Sprint(n)
}

func labels(ids []string, names map[string]string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = names[id]
		if out[i] == "" {
			out[i] = id
		}
	}
	return strings.Join(out, "、")
}
