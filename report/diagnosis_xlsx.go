package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"digilevel/model"
)

// writeDiagnosisXLSX writes a 转型诊断报告 as a workbook with one sheet per
// part, in the order of the document; amounts are number cells in 万元.
func (r *Report) writeDiagnosisXLSX(w io.Writer) error {
	d := buildDiagnosis(r)
	header := ""
	if d.Draft {
		header = draftReportHeader
	}
	info := workbookInfo{Title: DiagnosisTitle + " " + d.Enterprise, Subject: d.KindLabel + " " + d.ReportID, Created: time.Now()}
	return writeWorkbook(w, info, header, []table{
		diagOverviewTable(d), surveyTable(d), answersTable(d.view), scenariosTable(d.view),
		diagListTable("问题清单", "问题", d.Problems), diagListTable("需求场景清单", "需求场景", d.Demands),
		pathsTable(d), goalsTable(d), solutionsTable(d), investmentsTable(d), kpisTable(d), milestonesTable(d), finePrintTable(d),
	})
}

func diagOverviewTable(d *diagView) table {
	t := overviewTable(d.view)
	t.name = "概览"
	head := []any{"文档", d.Title}
	t.rows = append([][]any{head}, t.rows...)
	add := func(k string, val any) { t.rows = append(t.rows, []any{k, val}) }
	for _, p := range append(append([]kv(nil), d.Profile...), d.ProfileMore...) {
		add(p.K, p.V)
	}
	for _, s := range d.Software {
		add("在用工业软件 "+s.Area, strings.TrimSpace(s.Type+" "+s.Brand))
	}
	for _, f := range d.Finances {
		add(fmt.Sprintf("%d 年资产总额（万元）", f.Year), decimalOrDash(f.Assets))
		add(fmt.Sprintf("%d 年利润（万元）", f.Year), decimalOrDash(f.Profit))
	}
	for _, h := range d.History {
		add("变化 "+h.Date, fmt.Sprintf("%s：%s → %s %s", h.Field, h.From, h.To, h.Note))
	}
	add("改造目标等级", d.TargetName)
	add("投入合计（万元）", decimalCell(model.Decimal(d.Total)))
	if d.QRPayload != "" {
		add("二维码内容", d.QRPayload)
	}
	if d.PlanningHash != "" {
		add("诊断规划数据哈希", d.PlanningHash)
	}
	return t
}

func decimalOrDash(s string) any {
	if s == "—" || s == "" {
		return "—"
	}
	return decimalCell(model.Decimal(s))
}

func surveyTable(d *diagView) table {
	t := table{name: "现场调研", header: []string{"项目", "内容", "单位", "角色", "联系方式"}, wrap: wrapCols(1)}
	if d.Survey == nil {
		t.rows = append(t.rows, []any{"现场调研", "未录入"})
		return t
	}
	t.rows = append(t.rows, []any{"调研日期", d.Survey.Date})
	for _, s := range d.Survey.Surveyors {
		t.rows = append(t.rows, []any{"调研人员", s.Name, s.Agency, s.Role, s.Contact})
	}
	t.rows = append(t.rows, []any{"调研情况", d.Survey.Findings})
	for _, p := range d.Survey.Pains {
		t.rows = append(t.rows, []any{p.K, p.V})
	}
	return t
}

func diagListTable(name, what string, items []model.ListItem) table {
	t := table{name: name, header: []string{"序号", "编号", "类型", "在改造路径上", what, "现状", "目标", "说明", "已改写"}, wrap: wrapCols(4, 5, 6, 7), highlight: map[int]bool{}}
	for i, it := range items {
		t.rows = append(t.rows, []any{i + 1, it.ID, itemKindLabel(it.Kind), yesNo(it.OnPath), it.Title, it.Current, it.Target, it.Note, yesNo(it.Edited)})
		if it.OnPath {
			t.highlight[i] = true
		}
	}
	return t
}

func itemKindLabel(k string) string {
	switch k {
	case model.ItemContradiction:
		return "答案与数据不符"
	case model.ItemQuestion:
		return "题目"
	case model.ItemScenario:
		return "场景"
	case model.ItemEvidence:
		return "佐证材料"
	case model.ItemPain:
		return "痛点"
	case model.ItemCustom:
		return "补充"
	}
	return k
}

func pathsTable(d *diagView) table {
	t := table{name: "改造路径", header: []string{"路径", "改动项", "改动", "得分", "难度"}, wrap: wrapCols(1, 2)}
	for _, p := range d.Paths {
		for _, l := range p.Lines {
			t.rows = append(t.rows, []any{p.Title, l})
		}
		if p.Summary != "" {
			t.rows = append(t.rows, []any{p.Title, p.Summary})
		}
		for _, s := range p.Steps {
			t.rows = append(t.rows, []any{p.Title, s.Item, s.Change, s.Gain, s.Cost})
		}
	}
	return t
}

func goalsTable(d *diagView) table {
	t := table{name: "改造目标", header: []string{"场景", "约束性", "现状", "目标", "目标等级要求", "实现方式"}, wrap: wrapCols(4, 5)}
	t.rows = append(t.rows, []any{"总体目标", "", d.LevelName, d.TargetName, d.Goal})
	for _, g := range d.GoalRows {
		t.rows = append(t.rows, []any{g.ID + " " + g.Name, yesNo(g.Constrained), g.Current, g.Target, g.Descriptor, g.How})
	}
	return t
}

func solutionsTable(d *diagView) table {
	t := table{name: "改造方案", header: []string{"场景", "解决方案", "服务商", "部署", "示例（虚构）", "说明"}, wrap: wrapCols(1, 5)}
	if d.Architecture != "" {
		t.rows = append(t.rows, []any{"系统与集成架构", d.Architecture})
	}
	for _, s := range d.Solutions {
		t.rows = append(t.rows, []any{s.Scenario, s.Name, s.Provider, s.Deployment, yesNo(s.Example), s.Note})
	}
	if d.AnyExample {
		t.rows = append(t.rows, []any{"提示", words.ExampleWarning})
	}
	return t
}

func investmentsTable(d *diagView) table {
	t := table{name: "投入清单", header: []string{"序号", "项目", "类别", "关联场景", "数量", "单位", "单价（万元）", "金额（万元）", "说明"}, wrap: wrapCols(1, 8)}
	for _, inv := range d.Investments {
		t.rows = append(t.rows, []any{inv.No, inv.Item, inv.Category, inv.Scenario, decimalOrDash(inv.Quantity), inv.Unit, decimalOrDash(inv.UnitPrice), decimalCell(model.Decimal(inv.Amount)), inv.Note})
	}
	for _, c := range d.ByCategory {
		t.rows = append(t.rows, []any{nil, "其中" + c.K, nil, nil, nil, nil, nil, decimalCell(model.Decimal(c.V))})
	}
	t.rows = append(t.rows, []any{nil, "合计", nil, nil, nil, nil, nil, decimalCell(model.Decimal(d.Total))})
	return t
}

func kpisTable(d *diagView) table {
	t := table{name: "预期成效", header: []string{"题目", "指标", "单位", "方向", "改造前所选", "现值", "目标值", "说明"}, wrap: wrapCols(1, 4, 7)}
	for _, k := range d.KPIs {
		t.rows = append(t.rows, []any{k.Question, k.Name, k.Unit, k.Better, k.Answer, decimalOrDash(k.Baseline), decimalOrDash(k.Target), k.Note})
	}
	return t
}

func milestonesTable(d *diagView) table {
	t := table{name: "实施计划", header: []string{"日期", "里程碑", "说明"}, wrap: wrapCols(1, 2)}
	for _, m := range d.Milestones {
		t.rows = append(t.rows, []any{m.Date, m.Title, m.Note})
	}
	return t
}

func finePrintTable(d *diagView) table {
	t := table{name: "说明", header: []string{"序号", "说明"}, wrap: wrapCols(1)}
	for i, f := range d.FinePrint {
		t.rows = append(t.rows, []any{i + 1, f})
	}
	return t
}
