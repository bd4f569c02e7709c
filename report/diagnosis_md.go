package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"digilevel/model"
)

// writeDiagnosisMarkdown writes a 转型诊断报告 as Markdown with the content
// and order of the HTML.
func (r *Report) writeDiagnosisMarkdown(w io.Writer) error {
	d := buildDiagnosis(r)
	bw := bufio.NewWriter(w)
	m := mdWriter{&errWriter{w: bw}}
	m.printf("# %s\n\n", d.Title)
	if d.Draft {
		m.printf("> **草稿**：%s\n\n", words.DraftNote)
	}
	m.printf("**%s**　改造前基础得分 **%s** / %s 分，综合等级 **%s**，改造目标 **%s**\n\n", mdText(d.Enterprise), d.Score, d.MaxScore, d.LevelName, d.TargetName)
	m.kvTable(d.Meta)
	for i, s := range d.Outline {
		m.printf("## %s、%s\n\n", chineseNumber(i+1), s.Title)
		switch s.ID {
		case "profile":
			mdDiagProfile(m, d)
		case "status":
			mdDiagStatus(m, d)
		case "result":
			mdResult(m, d.view)
		case "problems":
			mdDiagProblems(m, d)
		case "goals":
			mdDiagGoals(m, d)
		case "solution":
			mdDiagSolution(m, d)
		case "kpis":
			mdDiagKPIs(m, d)
		case "schedule":
			mdDiagSchedule(m, d)
		case "annex":
			mdDiagAnnex(m, d)
		case "signatures":
			mdSignatures(m, d.view)
			if d.QRPayload != "" {
				m.printf("\n%s\n\n二维码内容：`%s`\n", words.QRNote, d.QRPayload)
			}
		}
	}
	if m.err != nil {
		return m.err
	}
	return bw.Flush()
}

func notRecorded(m mdWriter) { m.printf("%s\n\n", words.NotRecorded) }

func mdDiagProfile(m mdWriter, d *diagView) {
	m.kvTable(append(append([]kv(nil), d.Profile...), d.ProfileMore...))
	m.printf("### 在用工业软件\n\n")
	if len(d.Software) == 0 {
		notRecorded(m)
	} else {
		var rows [][]string
		for _, s := range d.Software {
			rows = append(rows, []string{s.Area, s.Type, s.Brand})
		}
		m.table([]string{"领域", "类型", "品牌型号"}, rows)
	}
	m.printf("### 经营数据（万元）\n\n")
	if len(d.Finances) == 0 {
		notRecorded(m)
	} else {
		var rows [][]string
		for _, f := range d.Finances {
			rows = append(rows, []string{fmt.Sprintf("%d 年", f.Year), f.Revenue, f.Assets, f.Profit, f.Note})
		}
		m.table([]string{"年份", "营业收入", "资产总额", "利润", "说明"}, rows)
	}
	if len(d.History) > 0 {
		m.printf("### 规模与专精特新变化\n\n")
		var rows [][]string
		for _, h := range d.History {
			rows = append(rows, []string{h.Date, h.Field, h.From, h.To, h.Note})
		}
		m.table([]string{"生效日期", "项目", "原为", "改为", "说明"}, rows)
	}
	m.printf("### 联系人\n\n")
	if len(d.Contacts) == 0 {
		notRecorded(m)
	} else {
		var rows [][]string
		for _, c := range d.Contacts {
			rows = append(rows, []string{c.Name, c.Role, c.Phone, c.Email})
		}
		m.table([]string{"姓名", "职务", "电话", "邮箱"}, rows)
	}
}

func mdDiagStatus(m mdWriter, d *diagView) {
	m.printf("### 现场调研\n\n")
	if d.Survey == nil {
		m.printf("未录入现场调研。\n\n")
	} else {
		m.printf("调研日期：%s（调研人员见附件）\n\n", d.Survey.Date)
		if d.Survey.Findings != "" {
			m.printf("%s\n\n", mdText(d.Survey.Findings))
		}
	}
	if len(d.Contradictions) > 0 {
		m.printf("**答案与补充数据不符：**\n\n")
		for _, c := range d.Contradictions {
			m.printf("- %s\n", mdText(c))
		}
		m.printf("\n")
	}
	for _, g := range d.StatusGroups {
		m.printf("### %s\n\n", g.Title)
		if g.Software {
			var parts []string
			for _, s := range d.Software {
				p := s.Area + " " + s.Type
				if s.Brand != "" {
					p += "（" + s.Brand + "）"
				}
				parts = append(parts, p)
			}
			if len(parts) == 0 {
				parts = []string{"未录入"}
			}
			m.printf("在用工业软件：%s\n\n", mdText(strings.Join(parts, "；")))
		}
		mdQuestions(m, g.Questions, "####")
	}
}

func mdDiagList(m mdWriter, items []model.ListItem, what, empty string) {
	if len(items) == 0 {
		m.printf("%s\n\n", empty)
		return
	}
	var rows [][]string
	for i, it := range items {
		id := it.ID
		if it.OnPath {
			id += "（路径）"
		}
		title := it.Title
		if it.Edited {
			title += "（已改写）"
		}
		rows = append(rows, []string{fmt.Sprint(i + 1), id, title, it.Current, it.Target, it.Note})
	}
	m.table([]string{"序号", "编号", what, "现状", "目标", "说明"}, rows)
}

func mdDiagProblems(m mdWriter, d *diagView) {
	m.printf("### 痛点、难点、堵点\n\n")
	if d.Survey == nil || len(d.Survey.Pains) == 0 {
		m.printf("未录入。\n\n")
	} else {
		var rows [][]string
		for _, p := range d.Survey.Pains {
			rows = append(rows, []string{p.K, p.V})
		}
		m.table([]string{"类型", "企业所述"}, rows)
	}
	m.printf("### 问题清单\n\n按重要性排列：答案与数据矛盾、改造路径上的项（标「路径」）、低于目标等级的场景、未满分的题目、缺少的佐证材料。\n\n")
	mdDiagList(m, d.Problems, "问题", words.NoProblems)
	m.printf("### 需求场景清单\n\n")
	mdDiagList(m, d.Demands, "需求场景", words.NoDemands)
	m.printf("### 改造路径\n\n")
	for _, p := range d.Paths {
		m.printf("#### %s\n\n", p.Title)
		for _, l := range p.Lines {
			m.printf("%s\n\n", mdText(l))
		}
		if p.Summary != "" {
			m.printf("**%s**\n\n", mdText(p.Summary))
		}
		if len(p.Steps) > 0 {
			var rows [][]string
			for _, s := range p.Steps {
				rows = append(rows, []string{s.Item, s.Change, s.Gain, s.Cost})
			}
			m.table([]string{"改动项", "改动", "得分", "难度"}, rows)
		}
	}
}

func mdDiagGoals(m mdWriter, d *diagView) {
	m.printf("总体目标：改造后综合等级达到 **%s**\n\n", d.TargetName)
	if d.Goal != "" {
		m.printf("%s\n\n", mdText(d.Goal))
	}
	if !d.GoalsEntered {
		m.printf("改造方案尚未填写，下表为最省力路径建议提升的场景。\n\n")
	}
	if len(d.GoalRows) == 0 {
		m.printf("无需提升场景等级。\n\n")
		return
	}
	var rows [][]string
	for _, g := range d.GoalRows {
		name := g.ID + " " + g.Name
		if g.Constrained {
			name = g.ID + " ★ " + g.Name
		}
		rows = append(rows, []string{name, g.Current, g.Target, g.Descriptor, g.How})
	}
	m.table([]string{"场景", "现状", "目标", "目标等级要求", "实现方式"}, rows)
}

func mdDiagSolution(m mdWriter, d *diagView) {
	if d.Architecture != "" {
		m.printf("### 系统与集成架构、硬件与云\n\n%s\n\n", mdText(d.Architecture))
	}
	m.printf("### 小快轻准解决方案\n\n")
	if d.AnyExample {
		m.printf("> %s\n\n", words.ExampleWarning)
	}
	if len(d.Solutions) == 0 {
		m.printf("未填写。\n\n")
	} else {
		var rows [][]string
		for _, s := range d.Solutions {
			rows = append(rows, []string{s.Scenario, s.Name, s.Provider, s.Deployment, s.Note})
		}
		m.table([]string{"场景", "解决方案", "服务商", "部署", "说明"}, rows)
	}
	m.printf("### 投入清单（万元）\n\n")
	if len(d.Investments) == 0 {
		m.printf("未填写。\n\n")
		return
	}
	var rows [][]string
	for _, inv := range d.Investments {
		rows = append(rows, []string{fmt.Sprint(inv.No), inv.Item, inv.Category, inv.Scenario, inv.Quantity, inv.Unit, inv.UnitPrice, inv.Amount, inv.Note})
	}
	for _, c := range d.ByCategory {
		rows = append(rows, []string{"", "其中" + c.K, "", "", "", "", "", c.V, ""})
	}
	rows = append(rows, []string{"", "**合计**", "", "", "", "", "", "**" + d.Total + "**", ""})
	m.table([]string{"序号", "项目", "类别", "关联场景", "数量", "单位", "单价", "金额", "说明"}, rows)
}

func mdDiagKPIs(m mdWriter, d *diagView) {
	m.printf("预期成效对应评测指标的数字化成效题（改造后衡量）；现值按改造前补充数据计算。\n\n")
	if len(d.KPIs) > 0 {
		var rows [][]string
		for _, k := range d.KPIs {
			name := k.Name
			if k.Better != "" {
				name += "（" + k.Better + "）"
			}
			rows = append(rows, []string{k.Question, name, k.Unit, k.Answer, k.Baseline, k.Target, k.Note})
		}
		m.table([]string{"题目", "指标", "单位", "改造前所选", "现值", "目标值", "说明"}, rows)
	}
	m.printf("### 奖补预测\n\n")
	mdReward(m, d.Reward)
}

func mdDiagSchedule(m mdWriter, d *diagView) {
	if len(d.Milestones) == 0 {
		m.printf("未填写。\n\n")
		return
	}
	var rows [][]string
	for _, ms := range d.Milestones {
		rows = append(rows, []string{ms.Date, ms.Title, ms.Note})
	}
	m.table([]string{"日期", "里程碑", "说明"}, rows)
}

func mdDiagAnnex(m mdWriter, d *diagView) {
	m.printf("### 现场调研记录\n\n")
	if d.Survey == nil {
		m.printf("未录入现场调研。\n\n")
	} else {
		m.printf("调研日期：%s\n\n", d.Survey.Date)
		if len(d.Survey.Surveyors) > 0 {
			var rows [][]string
			for _, s := range d.Survey.Surveyors {
				rows = append(rows, []string{s.Name, s.Agency, s.Role, s.Contact})
			}
			m.table([]string{"姓名", "单位", "角色", "联系方式"}, rows)
		}
	}
	m.printf("### 佐证材料清单\n\n")
	if len(d.EvidenceRows) == 0 {
		m.printf("未附佐证材料。\n\n")
	} else {
		var rows [][]string
		for _, e := range d.EvidenceRows {
			rows = append(rows, []string{e.Ref, e.Name, "`" + e.SHA + "`", e.Size})
		}
		m.table([]string{"关联项", "文件", "SHA-256（前 12 位）", "大小"}, rows)
	}
	m.printf("### 说明\n\n")
	for i, f := range d.FinePrint {
		m.printf("%d. %s\n", i+1, mdText(f))
	}
	m.printf("\n")
}
