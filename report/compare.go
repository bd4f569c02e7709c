package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"
	"time"

	"digilevel/indicators"
	"digilevel/model"
)

// ComparisonFormat identifies the comparison JSON document.
const ComparisonFormat = "digilevel-comparison/1"

// Comparison sets a baseline (改造前诊断) report against an acceptance
// (改造后验收) report of the same enterprise.
type Comparison struct {
	Baseline   *Report
	Acceptance *Report
	Doc        ComparisonDocument
}

// ComparisonDocument is the comparison's content; its JSON is the json
// output.
type ComparisonDocument struct {
	Format     string            `json:"format"`
	Enterprise EnterpriseRef     `json:"enterprise"`
	Baseline   ComparedReport    `json:"baseline"`
	Acceptance ComparedReport    `json:"acceptance"`
	Score      Change            `json:"score"`
	Level      LevelChange       `json:"level"`
	Dimensions []DimensionChange `json:"dimensions"`
	Questions  []QuestionChange  `json:"questions"`
	Scenarios  []ScenarioChange  `json:"scenarios"`
	Reward     ComparisonReward  `json:"reward"`
	Warnings   []string          `json:"warnings,omitempty"`
	Catalog    model.CatalogRef  `json:"catalog"`
}

// EnterpriseRef names the enterprise.
type EnterpriseRef = model.EnterpriseRef

// ComparedReport identifies one side of the comparison.
type ComparedReport struct {
	ID        string            `json:"id"`
	Kind      model.Kind        `json:"kind"`
	KindLabel string            `json:"kind_label"`
	Draft     bool              `json:"draft"`
	SHA256    string            `json:"sha256"`
	RatedAt   time.Time         `json:"rated_at"`
	Score     indicators.Points `json:"score"`
	Level     int               `json:"level"`
	LevelName string            `json:"level_name"`
	Assessor  model.Assessor    `json:"assessor"`
}

// Change is a before/after number.
type Change struct {
	Before indicators.Points `json:"before"`
	After  indicators.Points `json:"after"`
	Delta  indicators.Points `json:"delta"`
}

// LevelChange is the overall level before and after.
type LevelChange struct {
	Before     int    `json:"before"`
	BeforeName string `json:"before_name"`
	After      int    `json:"after"`
	AfterName  string `json:"after_name"`
	Delta      int    `json:"delta"`
	Text       string `json:"text"`
}

// DimensionChange is one dimension's points before and after.
type DimensionChange struct {
	ID      string            `json:"id"`
	Name    string            `json:"name"`
	Max     indicators.Points `json:"max"`
	Outcome bool              `json:"outcome"`
	Change
}

// QuestionChange is one question's answer and points before and after.
// Outcome marks the 数字化成效 questions, which measure the retrofit's effect.
type QuestionChange struct {
	ID               string            `json:"id"`
	Title            string            `json:"title"`
	Dimension        string            `json:"dimension"`
	Outcome          bool              `json:"outcome"`
	Max              indicators.Points `json:"max"`
	BeforeOptions    []string          `json:"before_options"`
	AfterOptions     []string          `json:"after_options"`
	BeforeText       string            `json:"before_text"`
	AfterText        string            `json:"after_text"`
	Changed          bool              `json:"changed"`
	BeforeDerivation string            `json:"before_derivation,omitempty"`
	AfterDerivation  string            `json:"after_derivation,omitempty"`
	Change
}

// ScenarioChange is one scenario's level before and after.
type ScenarioChange struct {
	ID          string               `json:"id"`
	Name        string               `json:"name"`
	Constrained bool                 `json:"constrained"`
	Before      model.ScenarioRating `json:"before"`
	After       model.ScenarioRating `json:"after"`
	BeforeName  string               `json:"before_name"`
	AfterName   string               `json:"after_name"`
	Delta       int                  `json:"delta"`
}

// ComparisonReward is the reward estimate on the acceptance level.
type ComparisonReward struct {
	Level      int           `json:"level"`
	LevelName  string        `json:"level_name"`
	RatedYear  int           `json:"rated_year"`
	BeforeYear int           `json:"before_year"`
	AfterYear  int           `json:"after_year"`
	Estimated  bool          `json:"estimated"`
	Eligible   bool          `json:"eligible"`
	AmountWan  model.Decimal `json:"amount_wan,omitempty"`
	Summary    string        `json:"summary"`
	Reasons    []string      `json:"reasons"`
	Notes      []string      `json:"notes"`
	Estimate   Estimate      `json:"-"`
}

// Compare checks that baseline is a 改造前诊断 and acceptance a 改造后验收
// report of the same enterprise, scored with the same catalog, and compares
// them question by question and scenario by scenario.
func Compare(baseline, acceptance *Report) (*Comparison, error) {
	if baseline == nil || acceptance == nil {
		return nil, model.Errorf(model.ErrInvalid, "对比需要两份报告：改造前诊断和改造后验收")
	}
	b, a := baseline.Doc, acceptance.Doc
	if b.Kind != model.KindBaseline {
		return nil, model.Errorf(model.ErrInvalid, "对比的第一份报告应为改造前诊断（baseline），实际是「%s」报告 %s", b.KindLabel, b.ID)
	}
	if a.Kind != model.KindAcceptance {
		return nil, model.Errorf(model.ErrInvalid, "对比的第二份报告应为改造后验收（acceptance），实际是「%s」报告 %s", a.KindLabel, a.ID)
	}
	if b.Enterprise.Code != a.Enterprise.Code {
		return nil, model.Errorf(model.ErrInvalid, "两份报告不属于同一企业：改造前诊断为 %s（%s），改造后验收为 %s（%s）", b.Enterprise.Name, b.Enterprise.Code, a.Enterprise.Name, a.Enterprise.Code)
	}
	if b.Catalog.Hash != a.Catalog.Hash {
		return nil, model.Errorf(model.ErrInvalid, "两份报告使用的指标目录不同（%s 版 %s 与 %s 版 %s），无法逐题对比", b.Catalog.Edition, model.ShortHash(b.Catalog.Hash), a.Catalog.Edition, model.ShortHash(a.Catalog.Hash))
	}
	cat := acceptance.Catalog
	qn, ok := cat.Questionnaire(a.Answers.Questionnaire)
	if !ok {
		qn = cat.DefaultQuestionnaire()
	}
	d := ComparisonDocument{
		Format:     ComparisonFormat,
		Enterprise: EnterpriseRef{Code: a.Enterprise.Code, Name: a.Enterprise.Name},
		Baseline:   compared(baseline),
		Acceptance: compared(acceptance),
		Score:      change(b.Result.Score, a.Result.Score),
		Level: LevelChange{Before: b.Result.Level, BeforeName: b.Result.LevelName, After: a.Result.Level, AfterName: a.Result.LevelName,
			Delta: a.Result.Level - b.Result.Level},
		Catalog: a.Catalog,
	}
	switch {
	case d.Level.Delta > 0:
		d.Level.Text = fmt.Sprintf("由%s提升至%s（提升 %d 级）", d.Level.BeforeName, d.Level.AfterName, d.Level.Delta)
	case d.Level.Delta < 0:
		d.Level.Text = fmt.Sprintf("由%s降至%s（下降 %d 级）", d.Level.BeforeName, d.Level.AfterName, -d.Level.Delta)
	default:
		d.Level.Text = fmt.Sprintf("保持%s", d.Level.AfterName)
	}
	if !RatedAt(a).After(RatedAt(b)) {
		d.Warnings = append(d.Warnings, fmt.Sprintf("改造后验收（%s）不晚于改造前诊断（%s），请核对两份报告", formatTime(RatedAt(a)), formatTime(RatedAt(b))))
	}
	for _, r := range []*Report{baseline, acceptance} {
		if r.Doc.Draft {
			d.Warnings = append(d.Warnings, fmt.Sprintf("%s报告 %s 是草稿，对比结果仅供参考", r.Doc.KindLabel, r.Doc.ID))
		}
	}
	before := map[string]model.DimensionScore{}
	for _, x := range b.Result.Dimensions {
		before[x.ID] = x
	}
	for _, x := range a.Result.Dimensions {
		d.Dimensions = append(d.Dimensions, DimensionChange{ID: x.ID, Name: x.Name, Max: x.Max, Outcome: isOutcomeDimension(x.Name), Change: change(before[x.ID].Points, x.Points)})
	}
	bq := map[string]model.QuestionScore{}
	for _, x := range b.Result.Questions {
		bq[x.ID] = x
	}
	bd, ad := derivationsOf(b), derivationsOf(a)
	for _, x := range a.Result.Questions {
		q, ok := qn.Question(x.ID)
		if !ok {
			continue
		}
		old := bq[x.ID]
		qc := QuestionChange{ID: x.ID, Title: q.Title, Max: x.Max,
			BeforeOptions: nonNil(old.Options), AfterOptions: nonNil(x.Options),
			BeforeText: model.OptionsText(q, old.Options), AfterText: model.OptionsText(q, x.Options),
			Change: change(old.Points, x.Points)}
		qc.Changed = strings.Join(qc.BeforeOptions, ",") != strings.Join(qc.AfterOptions, ",")
		if p, ok := qn.PathOf(x.ID); ok {
			qc.Dimension = p.Dimension.Name
			qc.Outcome = isOutcomeDimension(p.Dimension.Name)
		}
		if qc.Outcome {
			qc.BeforeDerivation, qc.AfterDerivation = bd[x.ID].Text, ad[x.ID].Text
		}
		d.Questions = append(d.Questions, qc)
	}
	bs := map[string]model.ScenarioResult{}
	for _, x := range b.Result.Scenarios {
		bs[x.ID] = x
	}
	for _, x := range a.Result.Scenarios {
		old := bs[x.ID]
		sc := ScenarioChange{ID: x.ID, Name: x.Name, Constrained: x.Constrained, Before: old.Level, After: x.Level,
			BeforeName: model.RatingName(cat, old), AfterName: model.RatingName(cat, x)}
		sc.Delta = int(max(x.Level, 0)) - int(max(old.Level, 0))
		d.Scenarios = append(d.Scenarios, sc)
	}
	est := EstimateReward(acceptance.Policy, a.Enterprise, acceptance.Revenue, a.Result.Level, a.Result.LevelName, RatedAt(a))
	d.Reward = ComparisonReward{Level: est.Level, LevelName: est.LevelName, RatedYear: est.RatedYear, BeforeYear: est.BeforeYear, AfterYear: est.AfterYear,
		Summary: est.Summary(), Reasons: []string{}, Notes: est.Notes, Estimate: est}
	if d.Reward.Notes == nil {
		d.Reward.Notes = []string{}
	}
	if est.Reward != nil {
		d.Reward.Estimated, d.Reward.Eligible, d.Reward.AmountWan, d.Reward.Reasons = true, est.Reward.Eligible, est.Reward.AmountWan, est.Reward.Reasons
	}
	return &Comparison{Baseline: baseline, Acceptance: acceptance, Doc: d}, nil
}

func compared(r *Report) ComparedReport {
	return ComparedReport{ID: r.Doc.ID, Kind: r.Doc.Kind, KindLabel: r.Doc.KindLabel, Draft: r.Doc.Draft, SHA256: r.SHA256(),
		RatedAt: RatedAt(r.Doc), Score: r.Doc.Result.Score, Level: r.Doc.Result.Level, LevelName: r.Doc.Result.LevelName, Assessor: r.Doc.Assessor}
}

func change(before, after indicators.Points) Change {
	return Change{Before: before, After: after, Delta: after - before}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// derivationsOf indexes a report's derivations by question.
func derivationsOf(d model.ReportDocument) map[string]model.Derivation {
	out := make(map[string]model.Derivation, len(d.Derivations))
	for _, x := range d.Derivations {
		out[x.Question] = x
	}
	return out
}

func signed(p indicators.Points) string {
	if p > 0 {
		return "+" + p.String()
	}
	return p.String()
}

func signedInt(n int) string {
	if n > 0 {
		return fmt.Sprintf("+%d", n)
	}
	return fmt.Sprint(n)
}

// Write renders the comparison in format f.
func (c *Comparison) Write(w io.Writer, f Format) error { return writeAs(c, w, f) }

// WriteJSON writes the comparison document, indented, with a final newline.
func (c *Comparison) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(c.Doc)
}

func (c *Comparison) title() string {
	t := "中小企业数字化改造前后对比"
	if c.draft() {
		t = "【草稿】" + t
	}
	return t
}

func (c *Comparison) draft() bool { return c.Doc.Baseline.Draft || c.Doc.Acceptance.Draft }

func (c *Comparison) overview() []kv {
	d := c.Doc
	return []kv{
		{"企业名称", d.Enterprise.Name},
		{"统一社会信用代码", d.Enterprise.Code},
		{"改造前诊断", fmt.Sprintf("报告 %s，评定于 %s，得分 %s，%s", d.Baseline.ID, formatTime(d.Baseline.RatedAt), d.Baseline.Score, d.Baseline.LevelName)},
		{"改造后验收", fmt.Sprintf("报告 %s，评定于 %s，得分 %s，%s", d.Acceptance.ID, formatTime(d.Acceptance.RatedAt), d.Acceptance.Score, d.Acceptance.LevelName)},
		{"基础得分变化", fmt.Sprintf("%s → %s（%s 分）", d.Score.Before, d.Score.After, signed(d.Score.Delta))},
		{"综合等级变化", d.Level.Text},
		{"奖补测算（按验收等级）", d.Reward.Summary},
		{"指标目录", catalogName(d.Catalog)},
	}
}

const comparisonTemplate = `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="digilevel">
<title>{{.Title}} - {{.Doc.Enterprise.Name}}</title>
<style>{{template "css"}}` + pageCSS + `</style>
</head>
<body>
{{if .Draft}}<div class="watermark" aria-hidden="true">草稿</div>
{{end}}<header class="cover">
<p class="doc-kind">改造前后对比</p>
<h1>{{if .Draft}}<span class="draft-badge">草稿</span>{{end}}中小企业数字化改造前后对比</h1>
<p class="subtitle">{{.Doc.Enterprise.Name}}</p>
<p class="headline">基础得分 <b>{{.Doc.Score.Before}}</b> → <b>{{.Doc.Score.After}}</b>（{{signed .Doc.Score.Delta}} 分）　综合等级 {{.Doc.Level.Text}}</p>
{{range .Doc.Warnings}}<p class="box-warn">{{.}}</p>
{{end}}<table class="kv">
{{range .Overview}}<tr><th>{{.K}}</th><td>{{.V}}</td></tr>
{{end}}</table>
</header>
<main>
<section id="dimensions" class="section">
<h2>一、各维度得分变化</h2>
<table class="grid"><thead><tr><th>维度</th><th class="num">满分</th><th class="num">改造前</th><th class="num">改造后</th><th class="num">变化</th></tr></thead><tbody>
{{range .Doc.Dimensions}}<tr{{if .Outcome}} class="outcome"{{end}}><td>{{.Name}}{{if .Outcome}}<span class="tag tag-outcome">成效</span>{{end}}</td><td class="num">{{.Max}}</td><td class="num">{{.Before}}</td><td class="num">{{.After}}</td><td class="num {{updown .Delta}}">{{signed .Delta}}</td></tr>
{{end}}<tr><th>基础得分</th><th class="num">{{.MaxScore}}</th><th class="num">{{.Doc.Score.Before}}</th><th class="num">{{.Doc.Score.After}}</th><th class="num">{{signed .Doc.Score.Delta}}</th></tr>
</tbody></table>
</section>
<section id="questions" class="section page-break">
<h2>二、逐题对比</h2>
<p class="muted">绿色底色为数字化成效题（{{.OutcomeIDs}}），反映改造成效。</p>
<table class="grid"><thead><tr><th>题号</th><th>题目</th><th>改造前</th><th>改造后</th><th class="num">得分变化</th></tr></thead><tbody>
{{range .Doc.Questions}}<tr{{if .Outcome}} class="outcome"{{end}}><td class="nw">{{.ID}}{{if .Outcome}}<span class="tag tag-outcome">成效</span>{{end}}</td><td>{{.Title}}{{if .AfterDerivation}}<br><span class="muted">验收数据：{{.AfterDerivation}}</span>{{end}}</td><td>{{.BeforeText}}</td><td>{{.AfterText}}</td><td class="num {{updown .Delta}}">{{.Before}} → {{.After}}（{{signed .Delta}}）</td></tr>
{{end}}</tbody></table>
</section>
<section id="scenarios" class="section page-break">
<h2>三、应用场景对比</h2>
<table class="grid"><thead><tr><th>编号</th><th>场景</th><th>改造前</th><th>改造后</th><th class="num">变化</th></tr></thead><tbody>
{{range .Doc.Scenarios}}<tr><td class="nw">{{.ID}}</td><td class="nw">{{if .Constrained}}<span class="constrained">★ {{.Name}}</span>{{else}}{{.Name}}{{end}}</td><td class="nw">{{.BeforeName}}</td><td class="nw">{{.AfterName}}</td><td class="num {{updownInt .Delta}}">{{signedInt .Delta}}</td></tr>
{{end}}</tbody></table>
<p class="muted">{{words.ConstrainedMark}}</p>
</section>
<section id="reward" class="section">
<h2>四、奖补测算（按改造后验收等级）</h2>
<p>{{.RewardBasis}}</p>
<div class="reward"><p class="amount">{{.Doc.Reward.Summary}}</p>
{{if .Doc.Reward.Reasons}}<ol>
{{range .Doc.Reward.Reasons}}<li>{{.}}</li>
{{end}}</ol>
{{end}}</div>
{{if .Doc.Reward.Notes}}<ul class="muted">
{{range .Doc.Reward.Notes}}<li>{{.}}</li>
{{end}}</ul>
{{end}}<p class="muted">{{.PolicyNote}}</p>
</section>
<section id="sources" class="section">
<h2>五、报告来源</h2>
<table class="grid"><thead><tr><th>报告</th><th>编号</th><th>评测人员</th><th>报告 SHA-256</th></tr></thead><tbody>
{{range .Sides}}<tr><td>{{.KindLabel}}{{if .Draft}}（草稿）{{end}}</td><td>{{.ID}}</td><td>{{.Assessor.Org}} {{.Assessor.Person}}</td><td><code class="hash">{{.SHA256}}</code></td></tr>
{{end}}</tbody></table>
<p class="muted">指标目录 {{catalogName .Doc.Catalog}}<code class="hash">{{.Doc.Catalog.Hash}}</code></p>
</section>
</main>
</body>
</html>`

var comparisonTemplates = sync.OnceValue(func() *template.Template {
	funcs := templateFuncs()
	funcs["signed"] = signed
	funcs["signedInt"] = signedInt
	funcs["updown"] = func(p indicators.Points) string { return upDown(int(p)) }
	funcs["updownInt"] = upDown
	t := template.New("comparison").Funcs(funcs)
	template.Must(t.New("css").Parse(reportCSS))
	return template.Must(t.Parse(comparisonTemplate))
})

func upDown(n int) string {
	switch {
	case n > 0:
		return "up"
	case n < 0:
		return "down"
	}
	return ""
}

// rewardBasis says what the comparison's estimate is paid on.
func (c *Comparison) rewardBasis() string {
	return fmt.Sprintf("%s验收等级%s，评定年份 %d 年。", article14, c.Doc.Reward.LevelName, c.Doc.Reward.RatedYear)
}

func (c *Comparison) outcomeIDs() string {
	var ids []string
	for _, q := range c.Doc.Questions {
		if q.Outcome {
			ids = append(ids, q.ID)
		}
	}
	if len(ids) == 0 {
		return "无"
	}
	return ids[0] + "–" + ids[len(ids)-1]
}

// WriteHTML writes the comparison as one self-contained HTML file.
func (c *Comparison) WriteHTML(w io.Writer) error {
	right := "改造前后对比"
	if c.draft() {
		right += " · 草稿"
	}
	data := struct {
		Doc                     ComparisonDocument
		Title                   string
		Draft                   bool
		Header, HeaderRight     string
		Overview                []kv
		MaxScore                indicators.Points
		OutcomeIDs              string
		RewardBasis, PolicyNote string
		Sides                   []ComparedReport
	}{
		Doc: c.Doc, Title: c.title(), Draft: c.draft(), Header: c.Doc.Enterprise.Name, HeaderRight: right,
		Overview: c.overview(), MaxScore: c.Acceptance.Doc.Result.MaxScore, OutcomeIDs: c.outcomeIDs(),
		RewardBasis: c.rewardBasis(), PolicyNote: policyNote(c.Acceptance.Policy),
		Sides: []ComparedReport{c.Doc.Baseline, c.Doc.Acceptance},
	}
	bw := bufio.NewWriter(w)
	if err := comparisonTemplates().Execute(bw, data); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteMarkdown writes the comparison as Markdown.
func (c *Comparison) WriteMarkdown(w io.Writer) error {
	d := c.Doc
	bw := bufio.NewWriter(w)
	m := mdWriter{&errWriter{w: bw}}
	m.printf("# %s\n\n", c.title())
	for _, x := range d.Warnings {
		m.printf("> **注意**：%s\n\n", mdText(x))
	}
	m.kvTable(c.overview())
	m.printf("## 一、各维度得分变化\n\n")
	var rows [][]string
	for _, x := range d.Dimensions {
		name := x.Name
		if x.Outcome {
			name += "【成效】"
		}
		rows = append(rows, []string{name, x.Max.String(), x.Before.String(), x.After.String(), signed(x.Delta)})
	}
	rows = append(rows, []string{"基础得分", c.Acceptance.Doc.Result.MaxScore.String(), d.Score.Before.String(), d.Score.After.String(), signed(d.Score.Delta)})
	m.table([]string{"维度", "满分", "改造前", "改造后", "变化"}, rows)
	m.printf("## 二、逐题对比\n\n标【成效】的为数字化成效题（%s），反映改造成效。\n\n", c.outcomeIDs())
	rows = nil
	for _, q := range d.Questions {
		id, title := q.ID, q.Title
		if q.Outcome {
			id = "**" + q.ID + "【成效】**"
			if q.AfterDerivation != "" {
				title += "（验收数据：" + q.AfterDerivation + "）"
			}
		}
		rows = append(rows, []string{id, title, q.BeforeText, q.AfterText, fmt.Sprintf("%s → %s（%s）", q.Before, q.After, signed(q.Delta))})
	}
	m.table([]string{"题号", "题目", "改造前", "改造后", "得分变化"}, rows)
	m.printf("## 三、应用场景对比\n\n")
	rows = nil
	for _, s := range d.Scenarios {
		name := s.Name
		if s.Constrained {
			name = "★ " + name
		}
		rows = append(rows, []string{s.ID, name, s.BeforeName, s.AfterName, signedInt(s.Delta)})
	}
	m.table([]string{"编号", "场景", "改造前", "改造后", "变化"}, rows)
	m.printf("%s\n\n", words.ConstrainedMark)
	m.printf("## 四、奖补测算（按改造后验收等级）\n\n")
	m.printf("%s\n\n", c.rewardBasis())
	m.printf("**奖补测算：%s**\n\n", d.Reward.Summary)
	for i, r := range d.Reward.Reasons {
		m.printf("%d. %s\n", i+1, mdText(r))
	}
	if len(d.Reward.Reasons) > 0 {
		m.printf("\n")
	}
	for _, n := range d.Reward.Notes {
		m.printf("- %s\n", mdText(n))
	}
	if len(d.Reward.Notes) > 0 {
		m.printf("\n")
	}
	m.printf("%s\n\n", policyNote(c.Acceptance.Policy))
	m.printf("## 五、报告来源\n\n")
	rows = nil
	for _, s := range []ComparedReport{d.Baseline, d.Acceptance} {
		label := s.KindLabel
		if s.Draft {
			label += "（草稿）"
		}
		rows = append(rows, []string{label, s.ID, s.Assessor.Org + " " + s.Assessor.Person, "`" + s.SHA256 + "`"})
	}
	m.table([]string{"报告", "编号", "评测人员", "报告 SHA-256"}, rows)
	m.printf("指标目录：%s `%s`\n", catalogName(d.Catalog), d.Catalog.Hash)
	if m.err != nil {
		return m.err
	}
	return bw.Flush()
}

// WriteXLSX writes the comparison as a workbook: 概览, 逐题对比, 场景对比.
func (c *Comparison) WriteXLSX(w io.Writer) error {
	d := c.Doc
	ov := table{name: "概览", header: []string{"项目", "改造前", "改造后", "变化"}, wrap: wrapCols(1, 2)}
	ov.rows = append(ov.rows,
		[]any{"企业名称", d.Enterprise.Name, d.Enterprise.Name, nil},
		[]any{"统一社会信用代码", d.Enterprise.Code, d.Enterprise.Code, nil},
		[]any{"报告编号", d.Baseline.ID, d.Acceptance.ID, nil},
		[]any{"评定时间", formatTime(d.Baseline.RatedAt), formatTime(d.Acceptance.RatedAt), nil},
		[]any{"基础得分", points(d.Score.Before), points(d.Score.After), points(d.Score.Delta)},
		[]any{"综合等级", d.Level.BeforeName, d.Level.AfterName, d.Level.Delta},
	)
	for _, x := range d.Dimensions {
		ov.rows = append(ov.rows, []any{x.Name + "得分", points(x.Before), points(x.After), points(x.Delta)})
	}
	var amount any = d.Reward.Summary
	if d.Reward.Estimated {
		amount = decimalCell(d.Reward.AmountWan)
	}
	ov.rows = append(ov.rows, []any{"奖补测算（万元，按验收等级）", nil, amount, nil})
	ov.rows = append(ov.rows, []any{"测算说明", nil, strings.Join(append(append([]string{}, d.Reward.Reasons...), d.Reward.Notes...), "\n"), nil})
	for _, x := range d.Warnings {
		ov.rows = append(ov.rows, []any{"注意", nil, x, nil})
	}
	qt := table{name: "逐题对比", header: []string{"题号", "维度", "题目", "成效指标", "改造前选项", "改造后选项", "改造前得分", "改造后得分", "得分变化", "满分", "验收数据推算"},
		wrap: wrapCols(2, 4, 5, 10), highlight: map[int]bool{}}
	for i, q := range d.Questions {
		qt.rows = append(qt.rows, []any{q.ID, q.Dimension, q.Title, yesNo(q.Outcome), q.BeforeText, q.AfterText, points(q.Before), points(q.After), points(q.Delta), points(q.Max), q.AfterDerivation})
		if q.Outcome {
			qt.highlight[i] = true
		}
	}
	st := table{name: "场景对比", header: []string{"编号", "场景", "约束性", "改造前等级", "改造后等级", "改造前", "改造后", "变化"}}
	for _, s := range d.Scenarios {
		st.rows = append(st.rows, []any{s.ID, s.Name, yesNo(s.Constrained), ratingCell(s.Before), ratingCell(s.After), s.BeforeName, s.AfterName, s.Delta})
	}
	header := ""
	if c.draft() {
		header = draftComparisonHeader
	}
	info := workbookInfo{Title: "改造前后对比 " + d.Enterprise.Name, Subject: d.Baseline.ID + " → " + d.Acceptance.ID, Created: time.Now()}
	return writeWorkbook(w, info, header, []table{ov, qt, st})
}

// ratingCell is a scenario level as a number, or empty when not applicable.
func ratingCell(r model.ScenarioRating) any {
	if r == model.NotApplicable {
		return nil
	}
	return int(r)
}
