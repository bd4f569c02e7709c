package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"sync"
	"time"

	"digilevel/indicators"
	"digilevel/model"
)

// SpotCheck sets a spot-check (抽查) against the provider's report it
// checks. Doc is model.CompareSpotCheck's result; every format renders it
// and nothing else.
type SpotCheck struct {
	Checked   *Report
	SpotCheck *Report
	Doc       model.SpotCheckComparison
}

// CompareSpotCheck compares a spot-check with the report it checks (see
// model.CompareSpotCheck). The reward estimate on each side's level uses the
// checked report's rating time and policy and the revenue of checked
// (Report.Revenue, which the caller may set from the current 一企一档); the
// spot-check never estimates a reward of its own.
func CompareSpotCheck(checked, spot *Report) (*SpotCheck, error) {
	if checked == nil || spot == nil {
		return nil, model.Errorf(model.ErrInvalid, "对比需要两份报告：被抽查的报告和抽查报告")
	}
	doc, err := model.CompareSpotCheck(model.SpotCheckInput{
		Catalog: checked.Catalog, Checked: checked.Doc, CheckedSHA256: checked.SHA256(),
		SpotCheck: spot.Doc, SpotCheckSHA256: spot.SHA256(), Policy: checked.Policy,
		Reward: SpotCheckReward(checked.Policy, checked.Doc, checked.Revenue),
	})
	if err != nil {
		return nil, err
	}
	return &SpotCheck{Checked: checked, SpotCheck: spot, Doc: doc}, nil
}

// SpotCheckReward is the reward estimate a spot-check comparison shows on
// each side's level (model.SpotCheckInput.Reward): the checked report's
// rating time, policy and enterprise, with revenue (nil: the revenue the
// report carries).
func SpotCheckReward(p model.RewardPolicy, checked model.ReportDocument, revenue []model.YearRevenue) func(level int, name string) model.RewardOutcome {
	return func(level int, name string) model.RewardOutcome {
		est := EstimateReward(p, checked.Enterprise, revenue, level, name, RatedAt(checked))
		out := model.RewardOutcome{Summary: est.Summary()}
		if est.Reward != nil {
			out.Estimated, out.Eligible, out.AmountWan = true, est.Reward.Eligible, est.Reward.AmountWan
		}
		return out
	}
}

// Write renders the comparison in format f.
func (s *SpotCheck) Write(w io.Writer, f Format) error { return writeAs(s, w, f) }

// WriteJSON writes the comparison document, indented, with a final newline.
func (s *SpotCheck) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(s.Doc)
}

func (s *SpotCheck) draft() bool { return s.Doc.Checked.Draft || s.Doc.SpotCheck.Draft }

func (s *SpotCheck) title() string {
	t := "中小企业数字化水平抽查对比"
	if s.draft() {
		t = "【草稿】" + t
	}
	return t
}

// severityLabel names the severity in the page header.
func severityLabel(sev string) string {
	switch sev {
	case model.SeverityCritical:
		return "重大差异"
	case model.SeverityLevel:
		return "等级不一致"
	case model.SeverityDiffer:
		return "部分不一致"
	}
	return "一致"
}

func sideText(d model.SpotCheckSide) string {
	t := fmt.Sprintf("%s报告 %s（第 %d 版），%s %s，评定于 %s，得分 %s，%s", d.KindLabel, d.ID, d.Version,
		d.Assessor.Org, d.Assessor.Person, formatTime(d.RatedAt), d.Score, d.LevelName)
	if d.Draft {
		t += "（草稿）"
	}
	return t
}

func (s *SpotCheck) overview() []kv {
	d := s.Doc
	t := d.Tally
	return []kv{
		{"企业名称", d.Enterprise.Name},
		{"统一社会信用代码", d.Enterprise.Code},
		{"被抽查的报告（服务商）", sideText(d.Checked)},
		{"抽查", sideText(d.SpotCheck)},
		{"评测方式", d.BlindText},
		{"基础得分", fmt.Sprintf("服务商 %s，抽查 %s（%s 分）", d.Score.Checked, d.Score.SpotCheck, signed(d.Score.Delta))},
		{"综合等级", d.Level.Text},
		{"一致程度", fmt.Sprintf("题目 %d/%d 一致，场景 %d/%d 一致；不一致的题目共涉及 %s 分", t.QuestionsAgree, t.Questions, t.ScenariosAgree, t.Scenarios, t.PointsAtStake)},
		{"奖补测算", s.rewardLine()},
		{"指标目录", catalogName(d.Catalog)},
	}
}

func (s *SpotCheck) rewardLine() string {
	r := s.Doc.Reward
	if !r.Applicable {
		return r.Basis
	}
	line := fmt.Sprintf("按服务商评定的%s：%s；按抽查评定的%s：%s", s.Doc.Level.CheckedName, r.Checked.Summary, s.Doc.Level.SpotCheckName, r.SpotCheck.Summary)
	switch {
	case r.Changed:
		line += "（奖补随之改变）"
	case !r.Checked.Estimated || !r.SpotCheck.Estimated:
		line += "（是否改变无法判断：一企一档缺营业收入）"
	}
	return line
}

// questionVerdict is the 结论 cell of a question.
func questionVerdict(q model.QuestionAgreement) string {
	switch {
	case q.Agree:
		return "一致"
	case q.Delta == 0:
		return "选项不同，得分相同"
	}
	return fmt.Sprintf("不同，%s 分", signed(q.Delta))
}

func answerCell(a model.AnswerSide) string {
	t := fmt.Sprintf("%s（%s 分）", a.Text, a.Points)
	if a.Contradiction != "" {
		t += "；与补充数据矛盾"
	}
	if a.Evidence > 0 {
		t += fmt.Sprintf("；佐证 %d 份", a.Evidence)
	}
	return t
}

func scenarioVerdict(x model.ScenarioAgreement) string {
	if x.Agree {
		return "一致"
	}
	return fmt.Sprintf("不同，%s 级", signedInt(x.Delta))
}

func scenarioName(x model.ScenarioAgreement) string {
	if x.Constrained {
		return "★ " + x.Name
	}
	return x.Name
}

const spotCheckTemplate = `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="digilevel">
<title>{{.Title}} - {{.Doc.Enterprise.Name}}</title>
<style>{{template "css"}}` + pageCSS + `
.verdict{border:3px solid #2f855a;background:#f0fff4;padding:6px 12px;margin:.6em 0;font-size:13pt;font-weight:bold}
.verdict.level{border-color:#c05621;background:#fffaf0}
.verdict.differ{border-color:#b7791f;background:#fffff0}
.verdict.critical{border:4px double #c53030;background:#fff5f5;color:#9b2c2c;font-size:15pt}
.flags li.critical{color:#9b2c2c;font-weight:bold}
.flags li.warning{color:#975a16}
tr.differ td{background:#fff5f5}
</style>
</head>
<body>
{{if .Draft}}<div class="watermark" aria-hidden="true">草稿</div>
{{end}}<header class="cover">
<p class="doc-kind">抽查对比</p>
<h1>{{if .Draft}}<span class="draft-badge">草稿</span>{{end}}中小企业数字化水平抽查对比</h1>
<p class="subtitle">{{.Doc.Enterprise.Name}}</p>
<p class="verdict {{.Doc.Severity}}" role="alert">{{.Doc.Headline}}</p>
{{if .Doc.Flags}}<ul class="flags">
{{range .Doc.Flags}}<li class="{{.Severity}}">{{.Text}}</li>
{{end}}</ul>
{{end}}<table class="kv">
{{range .Overview}}<tr><th>{{.K}}</th><td>{{.V}}</td></tr>
{{end}}</table>
</header>
<main>
<section id="questions" class="section page-break">
<h2>一、逐题对比</h2>
<p class="muted">底色标出两次评定不同的题目；分值变化为抽查得分减服务商得分。</p>
<table class="grid"><thead><tr><th class="nw">题号</th><th>题目</th><th>服务商</th><th>抽查</th><th class="num">结论</th></tr></thead><tbody>
{{range .Doc.Questions}}<tr{{if not .Agree}} class="differ"{{end}}><td class="nw">{{.ID}}</td><td>{{.Title}}</td><td>{{answer .Checked}}</td><td>{{answer .SpotCheck}}</td><td class="num">{{qverdict .}}</td></tr>
{{end}}</tbody></table>
</section>
<section id="scenarios" class="section page-break">
<h2>二、应用场景对比</h2>
<table class="grid"><thead><tr><th>编号</th><th>场景</th><th>服务商</th><th>抽查</th><th class="num">结论</th></tr></thead><tbody>
{{range .Doc.Scenarios}}<tr{{if not .Agree}} class="differ"{{end}}><td class="nw">{{.ID}}</td><td class="nw">{{sname .}}</td><td class="nw">{{.CheckedName}}</td><td class="nw">{{.SpotCheckName}}</td><td class="num">{{sverdict .}}</td></tr>
{{end}}</tbody></table>
<p class="muted">{{words.ConstrainedMark}}</p>
</section>
<section id="contradictions" class="section">
<h2>三、答案与补充数据矛盾</h2>
{{if .Doc.Contradictions}}<ul>
{{range .Doc.Contradictions}}<li>{{.Text}}</li>
{{end}}</ul>
{{else}}<p>双方答案均与各自的补充数据相符（或未填补充数据）。</p>
{{end}}</section>
<section id="evidence" class="section">
<h2>四、仅一方附有佐证材料</h2>
{{if .Doc.EvidenceOneSide}}<ul>
{{range .Doc.EvidenceOneSide}}<li>{{.Text}}</li>
{{end}}</ul>
{{else}}<p>没有仅一方附有佐证材料的题目或场景。</p>
{{end}}</section>
<section id="reward" class="section">
<h2>五、奖补测算</h2>
<p>{{.Doc.Reward.Basis}}</p>
{{if .Doc.Reward.Applicable}}<table class="grid"><thead><tr><th>依据</th><th>等级</th><th>奖补测算</th></tr></thead><tbody>
<tr><td>服务商评定</td><td>{{.Doc.Level.CheckedName}}</td><td>{{.Doc.Reward.Checked.Summary}}</td></tr>
<tr><td>抽查评定</td><td>{{.Doc.Level.SpotCheckName}}</td><td>{{.Doc.Reward.SpotCheck.Summary}}</td></tr>
</tbody></table>
{{end}}<p class="muted">{{.PolicyNote}}</p>
</section>
<section id="sources" class="section">
<h2>六、报告来源</h2>
<table class="grid"><thead><tr><th>报告</th><th>编号</th><th>评测人员</th><th>报告 SHA-256</th></tr></thead><tbody>
<tr><td>被抽查的报告（{{.Doc.Checked.KindLabel}}）</td><td>{{.Doc.Checked.ID}}</td><td>{{.Doc.Checked.Assessor.Org}} {{.Doc.Checked.Assessor.Person}}</td><td><code class="hash">{{.Doc.Checked.SHA256}}</code></td></tr>
<tr><td>抽查{{if .Doc.SpotCheck.Draft}}（草稿）{{end}}</td><td>{{.Doc.SpotCheck.ID}}</td><td>{{.Doc.SpotCheck.Assessor.Org}} {{.Doc.SpotCheck.Assessor.Person}}</td><td><code class="hash">{{.Doc.SpotCheck.SHA256}}</code></td></tr>
</tbody></table>
<p class="muted">指标目录 {{catalogName .Doc.Catalog}}<code class="hash">{{.Doc.Catalog.Hash}}</code></p>
</section>
</main>
</body>
</html>`

var spotCheckTemplates = sync.OnceValue(func() *template.Template {
	funcs := templateFuncs()
	funcs["answer"] = answerCell
	funcs["qverdict"] = questionVerdict
	funcs["sverdict"] = scenarioVerdict
	funcs["sname"] = scenarioName
	t := template.New("spotcheck").Funcs(funcs)
	template.Must(t.New("css").Parse(reportCSS))
	return template.Must(t.Parse(spotCheckTemplate))
})

// WriteHTML writes the comparison as one self-contained HTML file; the
// verdict stands at the top, in red and double-bordered when the difference
// crosses the reward floor or changes the reward.
func (s *SpotCheck) WriteHTML(w io.Writer) error {
	right := "抽查对比 · " + severityLabel(s.Doc.Severity)
	if s.draft() {
		right += " · 草稿"
	}
	data := struct {
		Doc                 model.SpotCheckComparison
		Title               string
		Draft               bool
		Header, HeaderRight string
		Overview            []kv
		PolicyNote          string
	}{
		Doc: s.Doc, Title: s.title(), Draft: s.draft(), Header: s.Doc.Enterprise.Name, HeaderRight: right,
		Overview: s.overview(), PolicyNote: policyNote(s.Checked.Policy),
	}
	bw := bufio.NewWriter(w)
	if err := spotCheckTemplates().Execute(bw, data); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteMarkdown writes the comparison as Markdown.
func (s *SpotCheck) WriteMarkdown(w io.Writer) error {
	d := s.Doc
	bw := bufio.NewWriter(w)
	m := mdWriter{&errWriter{w: bw}}
	m.printf("# %s\n\n", s.title())
	m.printf("> **%s**\n\n", mdText(d.Headline))
	for _, f := range d.Flags {
		mark := ""
		if f.Severity == model.FlagCritical {
			mark = "**"
		}
		m.printf("- %s%s%s\n", mark, mdText(f.Text), mark)
	}
	if len(d.Flags) > 0 {
		m.printf("\n")
	}
	m.kvTable(s.overview())
	m.printf("## 一、逐题对比\n\n分值变化为抽查得分减服务商得分。\n\n")
	var rows [][]string
	for _, q := range d.Questions {
		id := q.ID
		if !q.Agree {
			id = "**" + q.ID + "**"
		}
		rows = append(rows, []string{id, q.Title, answerCell(q.Checked), answerCell(q.SpotCheck), questionVerdict(q)})
	}
	m.table([]string{"题号", "题目", "服务商", "抽查", "结论"}, rows)
	m.printf("## 二、应用场景对比\n\n")
	rows = nil
	for _, x := range d.Scenarios {
		id := x.ID
		if !x.Agree {
			id = "**" + x.ID + "**"
		}
		rows = append(rows, []string{id, scenarioName(x), x.CheckedName, x.SpotCheckName, scenarioVerdict(x)})
	}
	m.table([]string{"编号", "场景", "服务商", "抽查", "结论"}, rows)
	m.printf("%s\n\n", words.ConstrainedMark)
	var texts []string
	for _, c := range d.Contradictions {
		texts = append(texts, c.Text)
	}
	m.bullets("## 三、答案与补充数据矛盾", texts, "双方答案均与各自的补充数据相符（或未填补充数据）。")
	texts = nil
	for _, e := range d.EvidenceOneSide {
		texts = append(texts, e.Text)
	}
	m.bullets("## 四、仅一方附有佐证材料", texts, "没有仅一方附有佐证材料的题目或场景。")
	m.printf("## 五、奖补测算\n\n%s\n\n", mdText(d.Reward.Basis))
	if d.Reward.Applicable {
		m.table([]string{"依据", "等级", "奖补测算"}, [][]string{
			{"服务商评定", d.Level.CheckedName, d.Reward.Checked.Summary},
			{"抽查评定", d.Level.SpotCheckName, d.Reward.SpotCheck.Summary},
		})
	}
	m.printf("%s\n\n", policyNote(s.Checked.Policy))
	m.printf("## 六、报告来源\n\n")
	spotLabel := "抽查"
	if d.SpotCheck.Draft {
		spotLabel += "（草稿）"
	}
	m.table([]string{"报告", "编号", "评测人员", "报告 SHA-256"}, [][]string{
		{"被抽查的报告（" + d.Checked.KindLabel + "）", d.Checked.ID, d.Checked.Assessor.Org + " " + d.Checked.Assessor.Person, "`" + d.Checked.SHA256 + "`"},
		{spotLabel, d.SpotCheck.ID, d.SpotCheck.Assessor.Org + " " + d.SpotCheck.Assessor.Person, "`" + d.SpotCheck.SHA256 + "`"},
	})
	m.printf("指标目录：%s `%s`\n", catalogName(d.Catalog), d.Catalog.Hash)
	if m.err != nil {
		return m.err
	}
	return bw.Flush()
}

// WriteXLSX writes the comparison as a workbook: 概览 (the verdict and
// every flag first), 逐题对比 and 场景对比, differing rows filled.
func (s *SpotCheck) WriteXLSX(w io.Writer) error {
	d := s.Doc
	ov := table{name: "概览", header: []string{"项目", "服务商", "抽查", "结论"}, wrap: wrapCols(1, 2, 3), highlight: map[int]bool{}}
	ov.rows = append(ov.rows, []any{"结论", nil, nil, d.Headline})
	if d.Severity != model.SeverityAgree {
		ov.highlight[0] = true
	}
	for _, f := range d.Flags {
		ov.rows = append(ov.rows, []any{"差异提示", nil, nil, f.Text})
	}
	ov.rows = append(ov.rows,
		[]any{"企业名称", d.Enterprise.Name, d.Enterprise.Name, nil},
		[]any{"统一社会信用代码", d.Enterprise.Code, d.Enterprise.Code, nil},
		[]any{"报告编号", d.Checked.ID, d.SpotCheck.ID, nil},
		[]any{"评测类型", d.Checked.KindLabel, d.SpotCheck.KindLabel, nil},
		[]any{"评测机构", d.Checked.Assessor.Org, d.SpotCheck.Assessor.Org, nil},
		[]any{"评测人员", d.Checked.Assessor.Person, d.SpotCheck.Assessor.Person, nil},
		[]any{"评定时间", formatTime(d.Checked.RatedAt), formatTime(d.SpotCheck.RatedAt), nil},
		[]any{"评测方式", nil, nil, d.BlindText},
		[]any{"基础得分", points(d.Score.Checked), points(d.Score.SpotCheck), points(d.Score.Delta)},
		[]any{"综合等级", d.Level.CheckedName, d.Level.SpotCheckName, d.Level.Text},
		[]any{"一致的题目", nil, nil, fmt.Sprintf("%d/%d", d.Tally.QuestionsAgree, d.Tally.Questions)},
		[]any{"一致的场景", nil, nil, fmt.Sprintf("%d/%d", d.Tally.ScenariosAgree, d.Tally.Scenarios)},
		[]any{"不一致题目涉及分值", nil, nil, points(d.Tally.PointsAtStake)},
	)
	if d.Reward.Applicable {
		changed := "不变"
		switch {
		case d.Reward.Changed:
			changed = "改变"
		case !d.Reward.Checked.Estimated || !d.Reward.SpotCheck.Estimated:
			// One side lacks revenue: whether the reward changes is unknown.
			changed = "无法判断（缺营业收入）"
		}
		ov.rows = append(ov.rows, []any{"奖补测算（万元）", rewardCell(d.Reward.Checked), rewardCell(d.Reward.SpotCheck), changed})
	}
	ov.rows = append(ov.rows,
		[]any{"奖补说明", d.Reward.Checked.Summary, d.Reward.SpotCheck.Summary, d.Reward.Basis},
		[]any{"报告 SHA-256", d.Checked.SHA256, d.SpotCheck.SHA256, nil},
		[]any{"指标目录", nil, nil, catalogName(d.Catalog) + " " + d.Catalog.Hash},
	)
	qt := table{name: "逐题对比", header: []string{"题号", "维度", "题目", "服务商选项", "抽查选项", "服务商得分", "抽查得分", "分值变化", "满分", "一致", "服务商数据矛盾", "抽查数据矛盾", "服务商佐证", "抽查佐证"},
		wrap: wrapCols(2, 3, 4, 10, 11), highlight: map[int]bool{}}
	for i, q := range d.Questions {
		qt.rows = append(qt.rows, []any{q.ID, q.Dimension, q.Title, q.Checked.Text, q.SpotCheck.Text, points(q.Checked.Points), points(q.SpotCheck.Points),
			points(q.Delta), points(q.Max), yesNo(q.Agree), q.Checked.Contradiction, q.SpotCheck.Contradiction, q.Checked.Evidence, q.SpotCheck.Evidence})
		qt.highlight[i] = !q.Agree
	}
	st := table{name: "场景对比", header: []string{"编号", "场景", "约束性", "服务商等级", "抽查等级", "服务商", "抽查", "变化", "一致", "服务商佐证", "抽查佐证"}, highlight: map[int]bool{}}
	for i, x := range d.Scenarios {
		st.rows = append(st.rows, []any{x.ID, x.Name, yesNo(x.Constrained), ratingCell(x.Checked), ratingCell(x.SpotCheck), x.CheckedName, x.SpotCheckName, x.Delta, yesNo(x.Agree), x.CheckedEv, x.SpotCheckEv})
		st.highlight[i] = !x.Agree
	}
	header := ""
	if s.draft() {
		header = draftComparisonHeader
	}
	info := workbookInfo{Title: "抽查对比 " + d.Enterprise.Name, Subject: d.Checked.ID + " ↔ " + d.SpotCheck.ID, Created: time.Now()}
	return writeWorkbook(w, info, header, []table{ov, qt, st})
}

func rewardCell(r model.RewardOutcome) any {
	if !r.Estimated {
		return "暂无法测算"
	}
	if r.AmountWan.IsZero() {
		return 0.0
	}
	return decimalCell(r.AmountWan)
}

// spotCheckMeta is what a spot-check's own report says about its link:
// what it checks and how it was rated. Other kinds say nothing.
func spotCheckMeta(cat *indicators.Catalog, doc model.ReportDocument) []kv {
	c := doc.Checks
	if c == nil {
		return nil
	}
	return []kv{
		{"被抽查的报告", fmt.Sprintf("%s报告 %s（%s），SHA-256 %s", cat.KindLabel(string(c.Kind)), c.ID, c.Org, c.SHA256)},
		{"评测方式", c.BlindText()},
	}
}

// bullets writes a heading and a list of items, or the empty sentence.
func (m mdWriter) bullets(heading string, items []string, empty string) {
	m.printf("%s\n\n", heading)
	if len(items) == 0 {
		m.printf("%s\n\n", empty)
		return
	}
	for _, it := range items {
		m.printf("- %s\n", mdText(it))
	}
	m.printf("\n")
}
