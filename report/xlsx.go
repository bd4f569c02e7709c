package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"digilevel/indicators"
	"digilevel/model"
)

// table is one worksheet: a header row and rows of cells. A cell is a
// string, an int, a float64 or nil (empty), so numbers stay numbers.
type table struct {
	name   string
	header []string
	rows   [][]any
	// wrap marks columns of long text, which get a capped width and wrapping.
	wrap map[int]bool
	// highlight marks rows (0-based, header excluded) to fill.
	highlight map[int]bool
}

// Sheet names are capped at 31 runes by Excel; ours are fixed Chinese
// names well under it, but trim anyway so a new name cannot break a file.
func sheetName(s string) string {
	if utf8.RuneCountInString(s) <= 31 {
		return s
	}
	return string([]rune(s)[:31])
}

func points(p indicators.Points) float64 {
	f, _ := strconv.ParseFloat(p.String(), 64)
	return f
}

// decimalCell is a Decimal as a number cell, or nil when absent.
func decimalCell(d model.Decimal) any {
	if d.IsZero() {
		return nil
	}
	f, err := strconv.ParseFloat(string(d), 64)
	if err != nil {
		return string(d)
	}
	return f
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// displayWidth approximates the width of text in Excel's column units: CJK
// and full-width characters count double.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		if r >= 0x1100 && (r <= 0x115f || (r >= 0x2e80 && r <= 0xa4cf) || (r >= 0xac00 && r <= 0xd7a3) || (r >= 0xf900 && r <= 0xfaff) || (r >= 0xfe30 && r <= 0xfe4f) || (r >= 0xff00 && r <= 0xff60) || (r >= 0xffe0 && r <= 0xffe6)) {
			w += 2
		} else {
			w++
		}
	}
	return w
}

// xlsxStyles are the cell styles of every workbook. Body cells align to
// the top, so a short cell beside a tall wrapped one stays on its row's
// first line.
type xlsxStyles struct {
	header, body, wrap, highlight, highlightWrap int
}

func newStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	var err error
	if s.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDF2F7"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	}); err != nil {
		return s, err
	}
	if s.body, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}}); err != nil {
		return s, err
	}
	if s.wrap, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}); err != nil {
		return s, err
	}
	if s.highlight, err = f.NewStyle(&excelize.Style{
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F0FFF4"}},
		Alignment: &excelize.Alignment{Vertical: "top"},
	}); err != nil {
		return s, err
	}
	s.highlightWrap, err = f.NewStyle(&excelize.Style{
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F0FFF4"}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
	})
	return s, err
}

// Print headers of a draft's sheets. A sheet has no page of its own on
// screen, so the header is what marks every printed page, as the HTML page
// header does.
const (
	draftReportHeader     = `&C&"-,Bold"草稿：本报告尚未定稿，不得作为验收或奖补依据`
	draftComparisonHeader = `&C&"-,Bold"草稿：对比所用报告含草稿，结果仅供参考`
	// pageFooter names the sheet and numbers the pages of every printout.
	pageFooter = `&L&A&R第 &P 页，共 &N 页`
)

// Print setup shared by every workbook the project writes (setupSheet).
const (
	// paperA4 is the OOXML paper size code of A4.
	paperA4 = 9
	// landscapeWidth is the total column width (Excel's character units,
	// about 1.85 mm each) above which a sheet prints landscape: an A4
	// portrait page takes about 96 at full size, so up to 110 prints at
	// 87 % or more.
	landscapeWidth = 110
	// sheetBudget is the widest a sheet is made (landscape takes about 143
	// at full size, so this prints at 75 % or more): wider tables get
	// narrower wrapped columns instead of a print too small to read.
	sheetBudget = 190
	// minWrapWidth is the narrowest a column is made to fit the budget.
	minWrapWidth = 14
	// lineHeight is the height in points of one line of 11 pt text with
	// the CJK fonts office programs substitute (等线, Microsoft YaHei,
	// WenQuanYi), which are taller than Calibri's 15 pt rows.
	lineHeight = 15
	// maxRowHeight is the largest row height Excel accepts (points).
	maxRowHeight = 409
)

// workbookInfo is what a workbook's document properties say.
type workbookInfo struct {
	Title   string
	Subject string
	// Created is when the file was made (the writer's clock).
	Created time.Time
}

// setupWorkbook sets the document properties: digilevel as the
// application and author, the real creation time (UTC, as OOXML's
// W3CDTF requires; office programs show it in local time), the title and
// subject, Chinese as the language.
func setupWorkbook(f *excelize.File, info workbookInfo) error {
	created := info.Created.UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator:        appName,
		LastModifiedBy: appName,
		Created:        created,
		Modified:       created,
		Title:          info.Title,
		Subject:        info.Subject,
		Language:       "zh-CN",
	}); err != nil {
		return err
	}
	return f.SetAppProps(&excelize.AppProperties{Application: appName})
}

// appName is the application the workbooks name as their author.
const appName = "digilevel"

// setupSheet is the print setup of every sheet the project writes: A4,
// landscape when the columns are wider than a portrait page takes, scaled
// to one page wide (as many pages tall as needed), the header row repeated
// on every page, margins for a binder, the sheet name and page numbers in
// the footer, and header as the page header ("" for none). widths are the
// sheet's column widths.
func setupSheet(f *excelize.File, sheet string, widths []float64, header string) error {
	total := 0.0
	for _, w := range widths {
		total += w
	}
	size, orientation, one, tall := paperA4, "portrait", 1, 0
	if total > landscapeWidth {
		orientation = "landscape"
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orientation, FitToWidth: &one, FitToHeight: &tall}); err != nil {
		return err
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	// Inches: 2 cm left for punching, 1.3 cm right, 1.9 cm top and bottom.
	left, right, top, bottom, hf := 0.79, 0.5, 0.75, 0.75, 0.3
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &left, Right: &right, Top: &top, Bottom: &bottom, Header: &hf, Footer: &hf}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: quoteSheet(sheet) + "!$1:$1", Scope: sheet}); err != nil {
		return err
	}
	return f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddHeader: header, OddFooter: pageFooter})
}

// quoteSheet quotes a sheet name for a reference ('概览').
func quoteSheet(name string) string { return "'" + strings.ReplaceAll(name, "'", "''") + "'" }

// wrappedLines estimates how many lines text takes in a wrapped cell of the
// given column width: each paragraph takes its display width over the
// usable width (the column less a character of padding), rounded up.
func wrappedLines(s string, width float64) int {
	usable := max(width-1, 1)
	lines := 0
	for _, p := range strings.Split(s, "\n") {
		lines += max(1, int(math.Ceil(float64(displayWidth(p))/usable)))
	}
	return lines
}

// rowHeight is the height in points of a row of n lines.
func rowHeight(lines int) float64 {
	return min(float64(lines)*lineHeight+3, maxRowHeight)
}

// writeWorkbook writes the tables as sheets, in order, to w, each with the
// common print setup and the print header header ("" for none). It uses
// f.Write, never SaveAs, which would create an executable file.
func writeWorkbook(w io.Writer, info workbookInfo, header string, tables []table) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := setupWorkbook(f, info); err != nil {
		return err
	}
	for i, t := range tables {
		name := sheetName(t.name)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		widths, err := fillSheet(f, name, t, st)
		if err != nil {
			return fmt.Errorf("工作表 %s: %w", name, err)
		}
		if err := setupSheet(f, name, widths, header); err != nil {
			return fmt.Errorf("工作表 %s: %w", name, err)
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// cellText is what a cell shows, for sizing.
func cellText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	default:
		return fmt.Sprint(x)
	}
}

// fillSheet writes the table and sizes it: each column as wide as its
// longest line up to a cap; a column with longer text or line breaks
// wraps, and every row is as tall as its wrapped text needs, so nothing is
// clipped or drawn over the next row. It returns the column widths.
func fillSheet(f *excelize.File, name string, t table, st xlsxStyles) ([]float64, error) {
	ncol := len(t.header)
	longest, longestWord := make([]int, ncol), make([]int, ncol)
	wrap := map[int]bool{}
	header := make([]any, ncol)
	for i, h := range t.header {
		header[i] = h
		longest[i] = displayWidth(h)
		wrap[i] = t.wrap[i]
	}
	if err := f.SetSheetRow(name, "A1", &header); err != nil {
		return nil, err
	}
	for r, row := range t.rows {
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := f.SetSheetRow(name, cell, &row); err != nil {
			return nil, err
		}
		for c, v := range row[:min(len(row), ncol)] {
			s := cellText(v)
			if strings.Contains(s, "\n") {
				wrap[c] = true
			}
			for _, line := range strings.Split(s, "\n") {
				longest[c] = max(longest[c], displayWidth(line))
			}
			longestWord[c] = max(longestWord[c], asciiWord(s))
		}
	}
	widths := columnWidths(longest, longestWord, wrap)
	last, _ := excelize.ColumnNumberToName(ncol)
	if err := f.SetCellStyle(name, "A1", last+"1", st.header); err != nil {
		return nil, err
	}
	headerLines := 1
	for c := range ncol {
		col, _ := excelize.ColumnNumberToName(c + 1)
		if err := f.SetColWidth(name, col, col, widths[c]); err != nil {
			return nil, err
		}
		headerLines = max(headerLines, wrappedLines(t.header[c], widths[c]))
		style := st.body
		if wrap[c] {
			style = st.wrap
		}
		if len(t.rows) > 0 {
			if err := f.SetCellStyle(name, col+"2", fmt.Sprintf("%s%d", col, len(t.rows)+1), style); err != nil {
				return nil, err
			}
		}
	}
	if err := f.SetRowHeight(name, 1, rowHeight(headerLines)); err != nil {
		return nil, err
	}
	for r, row := range t.rows {
		lines := 1
		for c, v := range row[:min(len(row), ncol)] {
			if wrap[c] {
				lines = max(lines, wrappedLines(cellText(v), widths[c]))
			}
		}
		if err := f.SetRowHeight(name, r+2, rowHeight(lines)); err != nil {
			return nil, err
		}
		if !t.highlight[r] {
			continue
		}
		for c := range ncol {
			col, _ := excelize.ColumnNumberToName(c + 1)
			style := st.highlight
			if wrap[c] {
				style = st.highlightWrap
			}
			cell := fmt.Sprintf("%s%d", col, r+2)
			if err := f.SetCellStyle(name, cell, cell, style); err != nil {
				return nil, err
			}
		}
	}
	return widths, f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// Column width caps: columns up to textCap, those declared wrapped up to
// wrapCap, either wider up to wordCap for an unbreakable word (a SHA-256
// line stays whole); longer text wraps.
const (
	textCap = 40
	wrapCap = 50
	wordCap = 68
)

// columnWidths sizes the columns (see fillSheet) and marks in wrap the
// columns whose text no longer fits on one line. When the sheet is wider
// than sheetBudget, the widest columns are narrowed to a common width, no
// less than minWrapWidth, until it fits.
func columnWidths(longest, longestWord []int, wrap map[int]bool) []float64 {
	n := len(longest)
	widths := make([]float64, n)
	for c := range n {
		limit := textCap
		if wrap[c] {
			limit = wrapCap
		}
		limit = min(max(limit, longestWord[c]), wordCap)
		if longest[c] > limit {
			wrap[c] = true
		}
		widths[c] = float64(min(max(longest[c], 6), limit) + 2)
	}
	total := func() float64 {
		t := 0.0
		for _, w := range widths {
			t += w
		}
		return t
	}
	for limit := float64(wrapCap + 2); total() > sheetBudget && limit > minWrapWidth; limit-- {
		for c := range widths {
			if widths[c] > limit {
				widths[c] = limit
				wrap[c] = true
			}
		}
	}
	return widths
}

// asciiWord is the display width of the longest run of printable ASCII
// without spaces in s: where a wrapped cell cannot break (hashes, paths).
func asciiWord(s string) int {
	longest, run := 0, 0
	for _, r := range s {
		if r > ' ' && r < 0x7f {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

func wrapCols(cols ...int) map[int]bool {
	m := map[int]bool{}
	for _, c := range cols {
		m[c] = true
	}
	return m
}

// WriteXLSX writes the report as a workbook with the sheets 概览, 答题明细,
// 场景, 问题清单 and 需求场景清单. A draft's sheets print 草稿 in the page
// header.
func (r *Report) WriteXLSX(w io.Writer) error {
	if isDiagnosis(r.Doc) {
		return r.writeDiagnosisXLSX(w)
	}
	v := buildView(r)
	header := ""
	if v.Draft {
		header = draftReportHeader
	}
	info := workbookInfo{Title: "转型诊断报告 " + v.Enterprise, Subject: v.KindLabel + " " + v.ReportID, Created: time.Now()}
	return writeWorkbook(w, info, header, []table{overviewTable(v), answersTable(v), scenariosTable(v), listTable("问题清单", "问题", v.Problems), listTable("需求场景清单", "需求场景", v.Demands)})
}

func overviewTable(v *view) table {
	t := table{name: "概览", header: []string{"项目", "内容"}, wrap: wrapCols(1)}
	add := func(k string, val any) { t.rows = append(t.rows, []any{k, val}) }
	for _, m := range v.Meta {
		if m.K == "版本" { // a number in the workbook; the revision on its own row
			add(m.K, v.Version)
			if rev := v.Revision; rev != "" {
				add("修订", rev)
			}
			continue
		}
		add(m.K, m.V)
	}
	for _, y := range v.Revenue {
		k := fmt.Sprintf("%d 年营业收入（万元）", y.Year)
		if y.Later {
			k += "（" + y.Note + "）"
		}
		add(k, decimalCell(model.Decimal(y.Wan)))
	}
	add("基础得分", points(v.P))
	add("满分", points(v.M))
	add("综合等级", v.LevelName)
	add("等级数值", v.Level)
	for _, d := range v.Dimensions {
		add(d.Name+"得分", points(d.P))
	}
	for _, c := range v.Counts {
		if c.Level > 0 {
			add(fmt.Sprintf("达到%s及以上的场景数", c.Name), c.Total)
			add(fmt.Sprintf("其中约束性场景数（%s）", c.Name), c.Constrained)
		}
	}
	for _, c := range v.Checks {
		add("等级判定 "+c.Name, c.Text)
	}
	if len(v.Missing) > 0 {
		add("未完成项", strings.Join(v.Missing, "、"))
	}
	est := v.Reward.Estimate
	if v.Reward.Shown && est.Reward != nil {
		add(v.Reward.Label+"（万元）", decimalCell(est.Reward.AmountWan))
		add("测算说明", strings.Join(est.Reward.Reasons, "\n"))
	} else {
		add("奖补测算", strings.Join(v.Reward.Basis, "\n"))
		if v.Reward.Shown {
			add("测算说明", est.Summary())
		}
	}
	if len(est.Notes) > 0 {
		add("政策提示", strings.Join(est.Notes, "\n"))
	}
	add("报告 SHA-256", v.SHA256)
	if v.KeyFP != "" {
		add("签名公钥指纹", v.KeyFP)
	}
	add("指标目录哈希", v.Catalog.Hash)
	return t
}

func answersTable(v *view) table {
	t := table{name: "答题明细", header: []string{"题号", "维度", "二级指标", "指标", "题目", "题型", "所选选项", "选项内容", "得分", "满分", "成效指标", "补充数据", "数据推算", "与数据不符", "备注", "佐证材料"},
		wrap: wrapCols(4, 7, 11, 12, 14, 15), highlight: map[int]bool{}}
	for i, q := range v.Questions {
		var ids, texts, nums, ev []string
		for _, o := range q.Chosen {
			ids = append(ids, o.ID)
			texts = append(texts, fmt.Sprintf("%s %s（%s 分）", o.ID, o.Text, o.Points))
		}
		for _, n := range q.Numbers {
			nums = append(nums, strings.TrimSpace(fmt.Sprintf("%s %s %s", n.Label, n.Value, n.Unit)))
		}
		for _, e := range q.Evidence {
			ev = append(ev, e.String())
		}
		chosen := strings.Join(ids, "、")
		if !q.Answered {
			chosen = "未作答"
		}
		t.rows = append(t.rows, []any{q.ID, q.Dimension, q.Sub, q.Indicator, q.Title + q.Qualifier, q.Type, chosen,
			strings.Join(texts, "\n"), points(q.P), points(q.M), yesNo(q.Outcome), strings.Join(nums, "\n"),
			q.Derivation, yesNo(q.Contradicts), q.Note, strings.Join(ev, "\n")})
		if q.Outcome {
			t.highlight[i] = true
		}
	}
	return t
}

func scenariosTable(v *view) table {
	t := table{name: "场景", header: []string{"编号", "场景", "分组", "约束性", "等级", "等级名称", "等级描述", "佐证材料"}, wrap: wrapCols(6, 7)}
	for _, s := range v.Scenarios {
		var level any
		if s.Rated && !s.NA {
			level = s.Level
		}
		var ev []string
		for _, e := range s.Evidence {
			ev = append(ev, e.String())
		}
		t.rows = append(t.rows, []any{s.ID, s.Name, s.Group, yesNo(s.Constrained), level, s.LevelName, s.Descriptor, strings.Join(ev, "\n")})
	}
	return t
}

func listTable(name, what string, items []model.ListItem) table {
	t := table{name: name, header: []string{"序号", "关联项", what, "现状", "目标", "说明"}, wrap: wrapCols(2, 3, 4, 5)}
	for i, it := range items {
		t.rows = append(t.rows, []any{i + 1, it.Ref, it.Title, it.Current, it.Target, it.Note})
	}
	return t
}
