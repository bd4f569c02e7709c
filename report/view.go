package report

import (
	"fmt"
	"sort"
	"strings"

	"digilevel/indicators"
	"digilevel/model"
)

// view is the render-neutral content of one report. Every format reads it,
// so HTML, Markdown and XLSX say the same thing in the same words.
type view struct {
	Title      string
	Draft      bool
	Enterprise string
	ReportID   string
	KindLabel  string
	SHA256     string
	KeyFP      string
	Catalog    model.CatalogRef
	Sections   []indicators.OutlineItem
	Meta       []kv
	// Revision says which version a revision replaces and why ("" for a
	// first version).
	Revision string
	// Version is the report's version number.
	Version  int
	Profile  []kv
	Contacts []model.Contact
	Revenue  []revenueView

	Score, MaxScore, LevelName string
	P, M                       indicators.Points
	Level                      int
	Dimensions                 []dimView
	Scenarios                  []scenarioView
	Counts                     []countView
	NoLevelLabel               string
	Checks                     []model.LevelCheck
	Missing                    []string
	TargetLevel                int
	MaxLevel                   int
	LevelNames                 []string // index = scenario level, 0 = below level one

	Questions      []questionView
	Contradictions []string
	Problems       []model.ListItem
	Demands        []model.ListItem
	Plans          []planView
	Reward         rewardSection
	Sign           signView
}

type kv struct{ K, V string }

// revenueView is one year's 营业收入; Later marks a figure recorded after the
// report was frozen (the reward estimate may use it).
type revenueView struct {
	Year  int
	Wan   string
	Later bool
	Note  string
}

// revenueRows merges the frozen revenue with the one the estimate reads,
// by year, so a reader sees every figure the estimate used and which ones
// are not part of the signed document.
func revenueRows(frozen, current []model.YearRevenue) []revenueView {
	byYear := map[int]revenueView{}
	for _, y := range frozen {
		byYear[y.Year] = revenueView{Year: y.Year, Wan: string(y.Wan)}
	}
	for _, y := range current {
		if old, ok := byYear[y.Year]; ok && old.Wan == string(y.Wan) {
			continue
		}
		note := "取自当前一企一档（报告中未记录），仅用于奖补测算"
		if old, ok := byYear[y.Year]; ok {
			note = fmt.Sprintf("取自当前一企一档（报告中为 %s），仅用于奖补测算", old.Wan)
		}
		byYear[y.Year] = revenueView{Year: y.Year, Wan: string(y.Wan), Later: true, Note: note}
	}
	out := make([]revenueView, 0, len(byYear))
	for _, v := range byYear {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out
}

type countView struct {
	Level, Total, Constrained int
	Name                      string
}

type dimView struct {
	ID, Name, Points, Max string
	P, M                  indicators.Points
	Percent               int
	Subs                  []model.SubScore
	Outcome               bool
}

type scenarioView struct {
	ID, Name, Group string
	Constrained     bool
	Rated           bool
	NA              bool
	Level           int
	LevelName       string
	Descriptor      string
	Evidence        []evidenceView
}

type questionView struct {
	ID, Title, Qualifier, Path, Type string
	Dimension, Sub, Indicator        string
	Outcome                          bool
	Points, Max                      string
	P, M                             indicators.Points
	Answered                         bool
	Chosen                           []optionView
	Numbers                          []numberView
	Note                             string
	Derivation                       string
	Contradicts                      bool
	Evidence                         []evidenceView
}

type optionView struct{ ID, Text, Points string }

type numberView struct{ Label, Value, Unit string }

type evidenceView struct{ Name, SHA, Size string }

type planView struct {
	Title string
	Lines []string
	Steps []string
}

type signView struct {
	Org, Person, Date, Device string
	Finalized                 bool
	Algorithm                 string
}

// knownSection reports whether this package can render an outline ID; an
// outline item with another ID is skipped.
func knownSection(id string) bool {
	switch id {
	case "profile", "result", "answers", "problems", "demands", "path", "reward", "signatures":
		return true
	}
	return false
}

// newPage marks the sections that start a printed page.
func newPage(id string) bool {
	switch id {
	case "result", "answers", "problems", "path", "signatures":
		return true
	}
	return false
}

// isOutcomeDimension tells the 数字化成效 dimension (Q12–Q15) by its name,
// which is catalog data.
func isOutcomeDimension(name string) bool { return strings.Contains(name, "成效") }

func reportTitle(doc model.ReportDocument) string {
	t := "中小企业数字化水平评测报告（" + doc.KindLabel + "）"
	if doc.Draft {
		t = "【草稿】" + t
	}
	return t
}

func buildView(r *Report) *view {
	doc := r.Doc
	cat := r.Catalog
	qn, ok := cat.Questionnaire(doc.Answers.Questionnaire)
	if !ok {
		qn = cat.DefaultQuestionnaire()
	}
	v := &view{
		Title: reportTitle(doc), Draft: doc.Draft, Enterprise: doc.Enterprise.Name,
		ReportID: doc.ID, KindLabel: doc.KindLabel, SHA256: r.SHA256(), KeyFP: KeyFingerprint(doc.Signature),
		Catalog: doc.Catalog, Contacts: doc.Enterprise.Contacts, Revenue: revenueRows(doc.Enterprise.Revenue, r.Revenue),
		P: doc.Result.Score, M: doc.Result.MaxScore,
		Score: doc.Result.Score.String(), MaxScore: doc.Result.MaxScore.String(), LevelName: doc.Result.LevelName,
		Level: doc.Result.Level, NoLevelLabel: cat.Levels.NoLevelLabel, Checks: doc.Result.Checks, Missing: doc.Result.Missing,
		TargetLevel: cat.Pilot.TargetLevel, MaxLevel: cat.MaxLevel(),
		Problems: doc.Problems, Demands: doc.Demands,
	}
	for _, o := range cat.ReportOutline {
		if knownSection(o.ID) {
			v.Sections = append(v.Sections, o)
		}
	}
	for _, c := range doc.Result.Counts {
		v.Counts = append(v.Counts, countView{Level: c.Level, Total: c.Total, Constrained: c.Constrained, Name: cat.ScenarioLevelName(c.Level)})
	}
	for l := 0; l <= cat.MaxLevel(); l++ {
		v.LevelNames = append(v.LevelNames, cat.ScenarioLevelName(l))
	}

	state := "已定稿"
	if doc.Draft {
		state = "草稿（未定稿，不得作为奖补或验收依据）"
	}
	v.Version = doc.Version
	version := kv{K: "版本", V: fmt.Sprint(doc.Version)}
	if doc.Replaces != "" {
		v.Revision = fmt.Sprintf("修订 %s，原因：%s", doc.Replaces, doc.RevisionReason)
		version.V += "（" + v.Revision + "）"
	}
	v.Meta = []kv{
		{"企业名称", doc.Enterprise.Name},
		{"统一社会信用代码", doc.Enterprise.Code},
		{"评测类型", doc.KindLabel},
		{"报告编号", doc.ID},
		version,
		{"状态", state},
		{"评测机构", doc.Assessor.Org},
		{"评测人员", doc.Assessor.Person},
		{"创建时间", formatTime(doc.CreatedAt)},
	}
	v.Meta = append(v.Meta, spotCheckMeta(cat, doc)...)
	if !doc.FinalizedAt.IsZero() {
		v.Meta = append(v.Meta, kv{K: "定稿时间", V: formatTime(doc.FinalizedAt)})
	}
	v.Meta = append(v.Meta, kv{K: "指标版本", V: catalogName(doc.Catalog)})

	e := doc.Enterprise
	batch := "未填"
	if e.Batch > 0 {
		batch = fmt.Sprintf("第%s批", chineseNumber(e.Batch))
	}
	v.Profile = []kv{
		{"企业名称", e.Name},
		{"统一社会信用代码", e.Code},
		{"所属行业", orDash(e.Industry)},
		{"规模", e.Scale.Label()},
		{"专精特新", e.ZJTX.Label()},
		{"省级以上智能工厂（车间）", yesNo(e.SmartFactory)},
		{"属于新乡市四个试点行业", yesNo(e.PilotIndustry)},
		{"改造批次", batch},
		{"服务商", orDash(e.Provider)},
		{"地址", orDash(e.Address)},
	}
	if e.Notes != "" {
		v.Profile = append(v.Profile, kv{K: "备注", V: e.Notes})
	}

	for _, d := range doc.Result.Dimensions {
		dv := dimView{ID: d.ID, Name: d.Name, Points: d.Points.String(), Max: d.Max.String(), P: d.Points, M: d.Max, Subs: d.SubDimensions, Outcome: isOutcomeDimension(d.Name)}
		if d.Max > 0 {
			dv.Percent = int(d.Points * 100 / d.Max)
		}
		v.Dimensions = append(v.Dimensions, dv)
	}

	for _, s := range doc.Result.Scenarios {
		sv := scenarioView{ID: s.ID, Name: s.Name, Constrained: s.Constrained, Rated: s.Rated, Level: int(s.Level), Evidence: evidenceOf(doc, s.ID)}
		sc, _ := cat.Scenario(s.ID)
		if sc != nil {
			if g, ok := cat.Group(sc.Group); ok {
				sv.Group = g.Name
			}
		}
		sv.LevelName = model.RatingName(cat, s)
		switch {
		case !s.Rated:
			sv.Level = 0
		case s.Level == model.NotApplicable:
			sv.NA = true
			sv.Level = 0
		case sc != nil && s.Level >= 1 && int(s.Level) <= len(sc.Descriptors):
			sv.Descriptor = sc.Descriptors[s.Level-1]
		}
		v.Scenarios = append(v.Scenarios, sv)
	}

	derivations := derivationsOf(doc)
	for _, qs := range doc.Result.Questions {
		q, ok := qn.Question(qs.ID)
		if !ok {
			continue
		}
		qv := questionView{ID: q.ID, Title: q.Title, Qualifier: q.Qualifier, Type: "单选",
			Points: qs.Points.String(), Max: qs.Max.String(), P: qs.Points, M: qs.Max, Answered: qs.Answered,
			Note: doc.Answers.Notes[q.ID], Evidence: evidenceOf(doc, q.ID)}
		if q.Type == indicators.Multi {
			qv.Type = "多选"
		}
		if p, ok := qn.PathOf(q.ID); ok {
			qv.Dimension, qv.Sub, qv.Indicator = p.Dimension.Name, p.SubDimension.Name, p.Indicator.Name
			qv.Outcome = isOutcomeDimension(p.Dimension.Name)
			qv.Path = p.Dimension.Name + " › " + p.SubDimension.Name + " › " + p.Indicator.Name
		}
		for _, id := range qs.Options {
			if o, ok := q.Option(id); ok {
				qv.Chosen = append(qv.Chosen, optionView{ID: o.ID, Text: o.Text, Points: o.Score.String()})
			}
		}
		nums := doc.Answers.Numbers[q.ID]
		for _, f := range q.FormFields {
			if val, ok := nums[f.ID]; ok && !val.IsZero() {
				qv.Numbers = append(qv.Numbers, numberView{Label: f.Label, Value: string(val), Unit: f.Unit})
			}
		}
		if d, ok := derivations[q.ID]; ok {
			qv.Derivation = d.Text
			qv.Contradicts = d.Contradicts
			if d.Contradicts {
				v.Contradictions = append(v.Contradictions, d.Text)
			}
		}
		v.Questions = append(v.Questions, qv)
	}

	v.Plans = plans(cat, qn, doc)
	v.Reward = rewardFor(r)
	v.Sign = signView{Org: doc.Assessor.Org, Person: doc.Assessor.Person, Device: doc.Device, Finalized: !doc.FinalizedAt.IsZero()}
	if v.Sign.Finalized {
		v.Sign.Date = formatDate(doc.FinalizedAt)
	}
	if doc.Signature != nil {
		v.Sign.Algorithm = doc.Signature.Algorithm
	}
	return v
}

// catalogName is the catalog title, with the edition when the title does
// not already name it.
func catalogName(c model.CatalogRef) string {
	if strings.Contains(c.Title, c.Edition) {
		return c.Title
	}
	return fmt.Sprintf("%s（%s 版）", c.Title, c.Edition)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func chineseNumber(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	if n >= 0 && n < len(digits) {
		return digits[n]
	}
	return fmt.Sprint(n)
}

// evidenceOf lists the evidence of a question or scenario by file name only:
// the assessor's folder layout is not the enterprise's business.
func evidenceOf(doc model.ReportDocument, ref string) []evidenceView {
	var out []evidenceView
	for _, e := range doc.Evidence[ref] {
		out = append(out, evidenceView{Name: baseName(e.Path), SHA: model.ShortHash(e.SHA256), Size: formatSize(e.Size)})
	}
	return out
}

// baseName takes the last element of a Unix or Windows path; the evidence
// may have been added on either.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 && i < len(p)-1 {
		return p[i+1:]
	}
	return p
}

func formatSize(n int64) string {
	switch {
	case n <= 0:
		return ""
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/1024/1024)
	}
}

func (e evidenceView) String() string {
	s := e.Name + "（sha256 " + e.SHA + "…"
	if e.Size != "" {
		s += "，" + e.Size
	}
	return s + "）"
}

// plans turns the gap plans into readable steps: the pilot target first,
// then the next level when it differs.
func plans(cat *indicators.Catalog, qn *indicators.Questionnaire, doc model.ReportDocument) []planView {
	var out []planView
	target, next := doc.Target, doc.NextLevel
	out = append(out, planText(cat, qn, doc.Result.Checks, target, fmt.Sprintf("试点目标等级：%s", target.TargetName)))
	if next.Target != target.Target && next.Target > doc.Result.Level {
		out = append(out, planText(cat, qn, doc.Result.Checks, next, fmt.Sprintf("下一等级：%s", next.TargetName)))
	}
	return out
}

// planText states the target's conditions with the gates of the result's
// level check, which are after the catalog's N/A policy (the rule's own
// numbers are not what the level was judged on when N/A shrinks the gates;
// the plan changes no N/A rating, so they hold after it too).
func planText(cat *indicators.Catalog, qn *indicators.Questionnaire, checks []model.LevelCheck, p model.GapPlan, title string) planView {
	pv := planView{Title: title}
	for _, c := range checks {
		if c.Level != p.Target {
			continue
		}
		line := fmt.Sprintf("%s条件：基础得分不低于 %s 分，至少 %d 个场景达到%s，其中约束性场景不少于 %d 个", c.Name, c.MinScore, c.MinScenarios, c.Name, c.MinConstrained)
		if rule, ok := cat.Rule(c.Level); ok && (rule.MinScenarios != c.MinScenarios || rule.MinConstrained != c.MinConstrained) {
			line += fmt.Sprintf("（已按不适用场景折算，原要求 %d 个、约束性 %d 个）", rule.MinScenarios, rule.MinConstrained)
		}
		pv.Lines = append(pv.Lines, line+"。")
	}
	switch {
	case p.AlreadyMet:
		pv.Lines = append(pv.Lines, fmt.Sprintf("当前已满足%s的全部条件，无需改动。", p.TargetName))
		return pv
	case !p.Reachable:
		pv.Lines = append(pv.Lines, fmt.Sprintf("按现有答卷无法达到%s：%s。", p.TargetName, p.Reason))
	}
	if p.ScoreNeed > 0 {
		pv.Lines = append(pv.Lines, fmt.Sprintf("基础得分需由 %s 分提高到不低于 %s 分（还差 %s 分）。", p.ScoreNow, p.ScoreNow+p.ScoreNeed, p.ScoreNeed))
	}
	for _, s := range p.Questions {
		q, ok := qn.Question(s.ID)
		if !ok {
			continue
		}
		if q.Type == indicators.Multi && len(s.From) > 0 && !noneOnly(q, s.From) {
			pv.Steps = append(pv.Steps, fmt.Sprintf("%s %s：在已选「%s」基础上增选「%s」，得分 +%s", s.ID, q.Title, strings.Join(s.From, "、"), model.OptionsText(q, s.Add), s.Gain))
		} else {
			pv.Steps = append(pv.Steps, fmt.Sprintf("%s %s：由「%s」改为「%s」，得分 +%s", s.ID, q.Title, model.OptionsText(q, s.From), model.OptionsText(q, s.To), s.Gain))
		}
	}
	for _, s := range p.Scenarios {
		name := s.Name
		if s.Constrained {
			name += "（约束性）"
		}
		step := fmt.Sprintf("%s %s：由%s提升至%s", s.ID, name, cat.ScenarioLevelName(s.From), cat.ScenarioLevelName(s.To))
		if sc, ok := cat.Scenario(s.ID); ok && s.To >= 1 && s.To <= len(sc.Descriptors) {
			step += "。" + cat.ScenarioLevelName(s.To) + "要求：" + sc.Descriptors[s.To-1]
		}
		pv.Steps = append(pv.Steps, step)
	}
	if p.Changes > 0 {
		pv.Lines = append(pv.Lines, fmt.Sprintf("最少需改动 %d 项（%d 道题、%d 个场景），改动后基础得分 %s 分。", p.Changes, len(p.Questions), len(p.Scenarios), p.ScoreAfter))
	}
	return pv
}

// noneOnly reports whether the chosen set is just the "无" option, which a
// multi-choice step replaces rather than extends.
func noneOnly(q *indicators.Question, ids []string) bool {
	for _, id := range ids {
		if o, ok := q.Option(id); !ok || !o.None {
			return false
		}
	}
	return true
}
