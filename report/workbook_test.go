package report

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"digilevel/internal/officetest"
)

// workbook is one workbook the project writes, by name.
type workbook struct {
	name string
	data []byte
}

// allWorkbooks renders every kind of workbook: the report (finalized, draft
// and a revision), the before/after comparison, the spot-check comparison
// and the roll-up.
func allWorkbooks(t *testing.T) []workbook {
	t.Helper()
	f := fixtures(t)
	cmp, err := Compare(f.baseline, f.acceptance)
	if err != nil {
		t.Fatal(err)
	}
	rows := rollupFixture(t)
	checked, spot := spotCheckFixture(t)
	sc, err := CompareSpotCheck(checked, spot)
	if err != nil {
		t.Fatal(err)
	}
	out := []workbook{
		{"验收报告", render(t, func(b *bytes.Buffer) error { return f.acceptance.WriteXLSX(b) })},
		{"草稿报告", render(t, func(b *bytes.Buffer) error { return f.draft.WriteXLSX(b) })},
		{"修订报告", render(t, func(b *bytes.Buffer) error { return revisedReport(t, f).WriteXLSX(b) })},
		{"改造前后对比", render(t, func(b *bytes.Buffer) error { return cmp.WriteXLSX(b) })},
		{"抽查对比", render(t, func(b *bytes.Buffer) error { return sc.WriteXLSX(b) })},
		{"企业评测汇总", render(t, func(b *bytes.Buffer) error { return WriteRollupXLSX(b, slices.Values(rows)) })},
	}
	return out
}

// Every workbook prints on A4, one page wide, with the header row on every
// page and the footer naming sheet and page; its properties name digilevel
// and the time it was written; wrapped rows are as tall as their text.
func TestWorkbookPrintSetupAndProperties(t *testing.T) {
	before := time.Now().Add(-time.Second)
	books := allWorkbooks(t)
	after := time.Now().Add(time.Second)
	for _, wb := range books {
		t.Run(wb.name, func(t *testing.T) {
			x := openXLSX(t, wb.data)
			props, err := x.GetDocProps()
			if err != nil {
				t.Fatal(err)
			}
			created, err := time.Parse(time.RFC3339, props.Created)
			if err != nil || created.Before(before.Truncate(time.Second)) || created.After(after) {
				t.Errorf("created %q (%v), want the time of writing", props.Created, err)
			}
			if props.Creator != "digilevel" || props.LastModifiedBy != "digilevel" || props.Title == "" || props.Language != "zh-CN" {
				t.Errorf("doc props = %+v", props)
			}
			app, err := x.GetAppProps()
			if err != nil || app.Application != "digilevel" {
				t.Errorf("app props = %+v %v", app, err)
			}
			names := x.GetDefinedName()
			for _, sheet := range x.GetSheetList() {
				checkSheetSetup(t, x, sheet, names)
			}
		})
	}
}

func checkSheetSetup(t *testing.T, x *excelize.File, sheet string, names []excelize.DefinedName) {
	t.Helper()
	lay, err := x.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if lay.Size == nil || *lay.Size != paperA4 || lay.FitToWidth == nil || *lay.FitToWidth != 1 || lay.FitToHeight == nil || *lay.FitToHeight != 0 || lay.Orientation == nil {
		t.Errorf("%s: page layout = size %v fit %v×%v", sheet, deref(lay.Size), deref(lay.FitToWidth), deref(lay.FitToHeight))
	}
	cols, err := x.GetCols(sheet)
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for i := range cols {
		name, _ := excelize.ColumnNumberToName(i + 1)
		w, _ := x.GetColWidth(sheet, name)
		total += w
	}
	want := "portrait"
	if total > landscapeWidth {
		want = "landscape"
	}
	if lay.Orientation != nil && *lay.Orientation != want {
		t.Errorf("%s: orientation %s for columns %.0f wide, want %s", sheet, *lay.Orientation, total, want)
	}
	props, err := x.GetSheetProps(sheet)
	if err != nil || props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("%s: fit to page not enabled (%v)", sheet, err)
	}
	m, err := x.GetPageMargins(sheet)
	if err != nil || m.Left == nil || *m.Left < 0.5 || m.Top == nil || *m.Top < 0.5 {
		t.Errorf("%s: margins %+v %v", sheet, m, err)
	}
	found := false
	for _, n := range names {
		if n.Name == "_xlnm.Print_Titles" && n.Scope == sheet && strings.HasSuffix(n.RefersTo, "!$1:$1") {
			found = true
		}
	}
	if !found {
		t.Errorf("%s: header row not repeated (defined names %+v)", sheet, names)
	}
	hf, err := x.GetHeaderFooter(sheet)
	if err != nil || hf == nil || !strings.Contains(hf.OddFooter, "&P") {
		t.Errorf("%s: footer %+v %v", sheet, hf, err)
	}
	checkRowHeights(t, x, sheet)
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// checkRowHeights: a row holding wrapped text is at least as tall as the
// lines the text takes in its column, and no text cell is wider than its
// column without wrapping (it would be clipped or spill).
func checkRowHeights(t *testing.T, x *excelize.File, sheet string) {
	t.Helper()
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		need := 1
		for c, v := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			col, _ := excelize.ColumnNumberToName(c + 1)
			width, _ := x.GetColWidth(sheet, col)
			styleID, _ := x.GetCellStyle(sheet, ref)
			st, _ := x.GetStyle(styleID)
			wraps := st != nil && st.Alignment != nil && st.Alignment.WrapText
			if !wraps {
				if displayWidth(v) > int(width) || strings.Contains(v, "\n") {
					t.Errorf("%s!%s: %q is wider than its column (%.0f) and does not wrap", sheet, ref, v, width)
				}
				continue
			}
			need = max(need, wrappedLines(v, width))
		}
		h, err := x.GetRowHeight(sheet, r+1)
		if err != nil {
			t.Fatal(err)
		}
		if h < float64(need)*lineHeight {
			t.Errorf("%s row %d: height %.1f pt for %d lines of text", sheet, r+1, h, need)
		}
	}
}

// 版本 is a number in the workbook; a revision's reason is its own row.
func TestWorkbookVersionIsNumber(t *testing.T) {
	f := fixtures(t)
	x := openXLSX(t, render(t, func(b *bytes.Buffer) error { return revisedReport(t, f).WriteXLSX(b) }))
	r := findRow(t, x, "概览", "版本")
	if v := cell(t, x, "概览", "B"+itoa(r)); v != "2" || !isNumber(t, x, "概览", "B"+itoa(r)) {
		t.Errorf("版本 = %q (number %v)", v, isNumber(t, x, "概览", "B"+itoa(r)))
	}
	r = findRow(t, x, "概览", "修订")
	if v := cell(t, x, "概览", "B"+itoa(r)); !strings.Contains(v, idBaseline) {
		t.Errorf("修订 = %q", v)
	}
}

// LibreOffice prints each workbook on A4 with every column of a sheet on
// one page width: on the overview's pages (their footer names the sheet)
// each label stands on the same line as its value, and the long SHA-256
// line is whole.
func TestWorkbookPrintsOnA4(t *testing.T) {
	officetest.Soffice(t)
	f := fixtures(t)
	dir := t.TempDir()
	for _, wb := range allWorkbooks(t) {
		src := filepath.Join(dir, wb.name+".xlsx")
		if err := os.WriteFile(src, wb.data, 0o644); err != nil {
			t.Fatal(err)
		}
		pdf := officetest.Convert(t, src, dir, "pdf", "")
		for i, size := range officetest.PDFPageSizes(t, pdf) {
			if !strings.Contains(size, "(A4)") {
				t.Errorf("%s page %d: %s, want A4", wb.name, i+1, size)
			}
		}
		if out := os.Getenv("DIGILEVEL_RENDER_DIR"); out != "" {
			data, _ := os.ReadFile(pdf)
			os.WriteFile(filepath.Join(out, wb.name+".pdf"), data, 0o644)
		}
		if wb.name != "验收报告" {
			continue
		}
		var overview []string
		for _, page := range officetest.PDFText(t, pdf) {
			lines := strings.Split(strings.TrimRight(page, "\n "), "\n")
			if strings.HasPrefix(strings.TrimSpace(lines[len(lines)-1]), "概览") {
				overview = append(overview, lines...)
			}
		}
		if len(overview) == 0 {
			t.Fatalf("%s: no page of the overview sheet", wb.name)
		}
		for _, pair := range [][2]string{
			{"企业名称", f.acceptance.Doc.Enterprise.Name},
			{"统一社会信用代码", f.acceptance.Doc.Enterprise.Code},
			{"基础得分", "56"},
			{"报告 SHA-256", f.acceptance.SHA256()},
		} {
			if !slices.ContainsFunc(overview, func(line string) bool {
				return strings.Contains(line, pair[0]) && strings.Contains(line, pair[1])
			}) {
				t.Errorf("overview: %q and %q are not on one line (not one page wide?):\n%s", pair[0], pair[1], strings.Join(overview, "\n"))
			}
		}
	}
}
