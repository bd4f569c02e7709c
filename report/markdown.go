package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"digilevel/indicators"
	"digilevel/model"
)

// noTags neutralises "<" where it could open raw HTML (a tag, a comment)
// in renderers that allow it; "36.6 < 40" stays readable.
func noTags(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '<' && i+1 < len(s) && (s[i+1] == '/' || s[i+1] == '!' || s[i+1] == '?' || (s[i+1]|0x20 >= 'a' && s[i+1]|0x20 <= 'z')) {
			b.WriteString("&lt;")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// mdLinks escapes backslashes and opening brackets, so text typed by a
// person cannot form a link, an image or a link definition: ![](http://…)
// would make the viewer fetch a URL, and a report must not reach the
// network. Every such construct starts with "[", so "]" stays as written.
var mdLinks = strings.NewReplacer(`\`, `\\`, "[", `\[`)

// mdCells is mdLinks plus the pipe, which would end a table cell.
var mdCells = strings.NewReplacer(`\`, `\\`, "[", `\[`, "|", `\|`)

// mdCell makes text safe inside a Markdown table cell: a pipe would end the
// cell, a newline the row, a tag could be rendered as HTML and a bracket
// could open a link.
func mdCell(s string) string {
	s = mdCells.Replace(s)
	s = noTags(s)
	s = strings.ReplaceAll(s, "\r\n", " ")
	s = strings.ReplaceAll(s, "\n", " ")
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// mdText makes free text safe as a Markdown paragraph or list item: raw
// HTML and link syntax are neutralised and line breaks are kept as hard
// breaks.
func mdText(s string) string {
	s = noTags(mdLinks.Replace(s))
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\n", "  \n  ")
}

type mdWriter struct {
	*errWriter
}

func (m mdWriter) table(header []string, rows [][]string) {
	m.printf("| %s |\n", strings.Join(header, " | "))
	seps := make([]string, len(header))
	for i := range seps {
		seps[i] = "---"
	}
	m.printf("| %s |\n", strings.Join(seps, " | "))
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = mdCell(c)
		}
		m.printf("| %s |\n", strings.Join(cells, " | "))
	}
	m.printf("\n")
}

func (m mdWriter) kvTable(rows []kv) {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{r.K, r.V}
	}
	m.table([]string{"项目", "内容"}, out)
}

// percent is p as a whole percentage of m, rounded down.
func percent(p, m indicators.Points) string {
	if m <= 0 {
		return "—"
	}
	return fmt.Sprintf("%d%%", int(p*100/m))
}

func mark(ok bool) string {
	if ok {
		return "✓"
	}
	return "✗"
}

// WriteMarkdown writes the report as Markdown (GitHub tables), for pasting
// into other documents. Charts become tables.
func (r *Report) WriteMarkdown(w io.Writer) error {
	if isDiagnosis(r.Doc) {
		return r.writeDiagnosisMarkdown(w)
	}
	v := buildView(r)
	bw := bufio.NewWriter(w)
	m := mdWriter{&errWriter{w: bw}}
	m.printf("# %s\n\n", v.Title)
	if v.Draft {
		m.printf("> **草稿**：%s\n\n", words.DraftNote)
	}
	m.printf("**%s**　基础得分 **%s** / %s 分，综合等级 **%s**\n\n", mdText(v.Enterprise), v.Score, v.MaxScore, v.LevelName)
	m.kvTable(v.Meta)
	for i, s := range v.Sections {
		m.printf("## %s、%s\n\n", chineseNumber(i+1), s.Title)
		switch s.ID {
		case "profile":
			mdProfile(m, v)
		case "result":
			mdResult(m, v)
		case "answers":
			mdAnswers(m, v)
		case "problems":
			mdList(m, v.Problems, "问题", words.NoProblems)
		case "demands":
			mdList(m, v.Demands, "需求场景", words.NoDemands)
		case "path":
			mdPath(m, v.Plans)
		case "reward":
			mdReward(m, v.Reward)
		case "signatures":
			mdSignatures(m, v)
			if v.KeyFP != "" {
				m.printf("\n%s\n\n二维码内容：`%s`\n", words.QRNote, QRPayload(v.ReportID, v.SHA256))
			}
		}
	}
	if m.err != nil {
		return m.err
	}
	return bw.Flush()
}

func mdProfile(m mdWriter, v *view) {
	m.kvTable(v.Profile)
	m.printf("### 营业收入\n\n")
	if len(v.Revenue) == 0 {
		m.printf("%s\n\n", words.NotRecorded)
	} else {
		var rows [][]string
		for _, y := range v.Revenue {
			rows = append(rows, []string{fmt.Sprintf("%d 年", y.Year), y.Wan, y.Note})
		}
		m.table([]string{"年份", "营业收入（万元）", "说明"}, rows)
	}
	m.printf("### 联系人\n\n")
	if len(v.Contacts) == 0 {
		m.printf("%s\n\n", words.NotRecorded)
	} else {
		var rows [][]string
		for _, c := range v.Contacts {
			rows = append(rows, []string{c.Name, c.Role, c.Phone, c.Email})
		}
		m.table([]string{"姓名", "职务", "电话", "邮箱"}, rows)
	}
}

func mdResult(m mdWriter, v *view) {
	m.printf("基础得分 **%s** / %s 分，综合等级 **%s**", v.Score, v.MaxScore, v.LevelName)
	if len(v.Missing) > 0 {
		m.printf("（尚有未完成项，结果为暂定）\n\n未完成 %d 项：%s", len(v.Missing), strings.Join(v.Missing, "、"))
	}
	m.printf("\n\n### 各维度得分\n\n")
	var rows [][]string
	for _, d := range v.Dimensions {
		for _, s := range d.Subs {
			rows = append(rows, []string{d.Name, s.Name, s.Points.String(), s.Max.String(), percent(s.Points, s.Max)})
		}
		rows = append(rows, []string{d.Name, "合计", d.Points, d.Max, fmt.Sprintf("%d%%", d.Percent)})
	}
	rows = append(rows, []string{"基础得分", "", v.Score, v.MaxScore, percent(v.P, v.M)})
	m.table([]string{"维度", "二级指标", "得分", "满分", "得分率"}, rows)
	m.printf("### 应用场景等级\n\n")
	rows = nil
	for _, s := range v.Scenarios {
		kind := "指导性"
		if s.Constrained {
			kind = "★ 约束性"
		}
		rows = append(rows, []string{s.ID, s.Name, kind, s.LevelName})
	}
	m.table([]string{"编号", "场景", "类型", "等级"}, rows)
	rows = nil
	for _, c := range v.Counts {
		if c.Level > 0 {
			rows = append(rows, []string{c.Name, fmt.Sprint(c.Total), fmt.Sprint(c.Constrained)})
		}
	}
	m.table([]string{"场景等级", "达到该级及以上的场景", "其中约束性场景"}, rows)
	m.printf("### 等级判定\n\n")
	rows = nil
	for _, c := range v.Checks {
		cmp := "≥"
		if !c.ScoreOK {
			cmp = "<"
		}
		verdict := "不满足"
		if c.Met {
			verdict = "满足"
		}
		rows = append(rows, []string{c.Name,
			fmt.Sprintf("%s %s %s %s", c.Score, cmp, c.MinScore, mark(c.ScoreOK)),
			fmt.Sprintf("%d / %d %s", c.Scenarios, c.MinScenarios, mark(c.ScenariosOK)),
			fmt.Sprintf("%d / %d %s", c.Constrained, c.MinConstrained, mark(c.ConstrainedOK)),
			verdict})
	}
	m.table([]string{"等级", "得分条件", "场景条件", "约束性场景条件", "结论"}, rows)
	m.printf("%s\n\n", levelMethod(v.NoLevelLabel))
}

func mdAnswers(m mdWriter, v *view) {
	if len(v.Contradictions) > 0 {
		m.printf("**答案与补充数据不符：**\n\n")
		for _, c := range v.Contradictions {
			m.printf("- %s\n", mdText(c))
		}
		m.printf("\n")
	}
	mdQuestions(m, v.Questions, "###")
	m.printf("### 应用场景（%d 个，★ 为约束性场景）\n\n", len(v.Scenarios))
	var rows [][]string
	for _, s := range v.Scenarios {
		name := s.Name
		if s.Constrained {
			name = "★ " + name
		}
		var ev []string
		for _, e := range s.Evidence {
			ev = append(ev, e.String())
		}
		rows = append(rows, []string{s.ID, name, s.Group, s.LevelName, s.Descriptor, strings.Join(ev, "；")})
	}
	m.table([]string{"编号", "场景", "分组", "等级", "等级描述", "佐证材料"}, rows)
}

// mdQuestions writes question cards under headings of the given level.
func mdQuestions(m mdWriter, qs []questionView, heading string) {
	for _, q := range qs {
		tag := ""
		if q.Outcome {
			tag = "【成效】"
		}
		m.printf("%s %s %s%s%s\n\n", heading, q.ID, q.Title, q.Qualifier, tag)
		m.printf("- 路径：%s；%s；得分 **%s** / %s\n", q.Path, q.Type, q.Points, q.Max)
		if q.Answered {
			parts := make([]string, len(q.Chosen))
			for i, o := range q.Chosen {
				parts[i] = fmt.Sprintf("%s %s（%s 分）", o.ID, o.Text, o.Points)
			}
			m.printf("- 所选：%s\n", mdText(strings.Join(parts, "；")))
		} else {
			m.printf("- 所选：**未作答**\n")
		}
		for _, n := range q.Numbers {
			m.printf("- 补充数据：%s\n", mdText(strings.TrimSpace(n.Label+" "+n.Value+" "+n.Unit)))
		}
		if q.Derivation != "" {
			if q.Contradicts {
				m.printf("- 数据推算：**%s**\n", mdText(q.Derivation))
			} else {
				m.printf("- 数据推算：%s\n", mdText(q.Derivation))
			}
		}
		if q.Note != "" {
			m.printf("- 备注：%s\n", mdText(q.Note))
		}
		if len(q.Evidence) > 0 {
			parts := make([]string, len(q.Evidence))
			for i, e := range q.Evidence {
				parts[i] = e.String()
			}
			m.printf("- 佐证材料：%s\n", mdText(strings.Join(parts, "；")))
		}
		m.printf("\n")
	}
}

func mdList(m mdWriter, items []model.ListItem, what, empty string) {
	if len(items) == 0 {
		m.printf("%s\n\n", empty)
		return
	}
	var rows [][]string
	for i, it := range items {
		rows = append(rows, []string{fmt.Sprint(i + 1), it.Ref, it.Title, it.Current, it.Target, it.Note})
	}
	m.table([]string{"序号", "关联项", what, "现状", "目标", "说明"}, rows)
}

func mdPath(m mdWriter, plans []planView) {
	for _, p := range plans {
		m.printf("### %s\n\n", p.Title)
		for _, l := range p.Lines {
			m.printf("%s\n\n", mdText(l))
		}
		for i, s := range p.Steps {
			m.printf("%d. %s\n", i+1, mdText(s))
		}
		if len(p.Steps) > 0 {
			m.printf("\n")
		}
	}
}

func mdReward(m mdWriter, s rewardSection) {
	for _, b := range s.Basis {
		m.printf("%s\n\n", mdText(b))
	}
	if s.Shown {
		m.printf("**%s：%s**\n\n", s.Label, s.Estimate.Summary())
		if s.Estimate.Reward != nil {
			for i, r := range s.Estimate.Reward.Reasons {
				m.printf("%d. %s\n", i+1, mdText(r))
			}
			m.printf("\n")
		}
	}
	for _, n := range s.Estimate.Notes {
		m.printf("- %s\n", mdText(n))
	}
	if len(s.Estimate.Notes) > 0 {
		m.printf("\n")
	}
	m.printf("%s\n\n", s.Policy)
}

func mdSignatures(m mdWriter, v *view) {
	date := "未定稿（草稿）"
	if v.Sign.Finalized {
		date = v.Sign.Date
	}
	sig := "无（草稿未签名）"
	if v.KeyFP != "" {
		sig = fmt.Sprintf("%s，签名公钥指纹 `%s`", v.Sign.Algorithm, v.KeyFP)
	}
	m.kvTable([]kv{
		{"评测机构", v.Sign.Org},
		{"评测人员", v.Sign.Person},
		{"定稿日期", date},
		{"评测设备", v.Sign.Device},
		{"报告 SHA-256", "`" + v.SHA256 + "`"},
		{"电子签名", sig},
		{"指标目录", fmt.Sprintf("%s `%s`", catalogName(v.Catalog), v.Catalog.Hash)},
	})
	m.printf("%s\n", words.HashNote)
	for _, s := range words.Signers {
		m.printf("\n%s：＿＿＿＿＿＿＿＿＿＿　日期：＿＿＿＿＿＿\n", s)
	}
}
