package report

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"digilevel/indicators"
	"digilevel/model"
)

func openXLSX(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// findRow returns the 1-based row whose first cell is key.
func findRow(t *testing.T, x *excelize.File, sheet, key string) int {
	t.Helper()
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == key {
			return i + 1
		}
	}
	t.Fatalf("%s: no row %q", sheet, key)
	return 0
}

func cell(t *testing.T, x *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := x.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// isNumber tells a number cell from a text cell.
func isNumber(t *testing.T, x *excelize.File, sheet, ref string) bool {
	t.Helper()
	ct, err := x.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	return ct == excelize.CellTypeNumber || ct == excelize.CellTypeUnset
}

func isBold(t *testing.T, x *excelize.File, sheet, ref string) bool {
	t.Helper()
	id, err := x.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := x.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st.Font != nil && st.Font.Bold
}

func TestReportXLSX(t *testing.T) {
	f := fixtures(t)
	path := filepath.Join(t.TempDir(), "验收报告.xlsx")
	if err := WriteFile(path, func(w io.Writer) error { return f.acceptance.Write(w, FormatXLSX) }); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644 (excelize SaveAs would make it 0755)", fi.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	x := openXLSX(t, data)
	if got, want := x.GetSheetList(), []string{"概览", "答题明细", "场景", "问题清单", "需求场景清单"}; !slices.Equal(got, want) {
		t.Fatalf("sheets = %v, want %v", got, want)
	}
	r := findRow(t, x, "概览", "基础得分")
	if v := cell(t, x, "概览", "B"+itoa(r)); v != "56" || !isNumber(t, x, "概览", "B"+itoa(r)) {
		t.Errorf("基础得分 = %q (number %v)", v, isNumber(t, x, "概览", "B"+itoa(r)))
	}
	r = findRow(t, x, "概览", "综合等级")
	if v := cell(t, x, "概览", "B"+itoa(r)); v != "二级" {
		t.Errorf("综合等级 = %q", v)
	}
	r = findRow(t, x, "概览", "奖补测算（万元）")
	if v := cell(t, x, "概览", "B"+itoa(r)); v != "32" || !isNumber(t, x, "概览", "B"+itoa(r)) {
		t.Errorf("奖补测算 = %q", v)
	}
	if !isBold(t, x, "答题明细", "A1") || isBold(t, x, "答题明细", "A2") {
		t.Error("header row of 答题明细 is not the only bold row")
	}
	r = findRow(t, x, "答题明细", "Q12")
	if v := cell(t, x, "答题明细", "I"+itoa(r)); v != "7" || !isNumber(t, x, "答题明细", "I"+itoa(r)) {
		t.Errorf("Q12 得分 = %q", v)
	}
	if v := cell(t, x, "答题明细", "K"+itoa(r)); v != "是" {
		t.Errorf("Q12 成效指标 = %q", v)
	}
	r = findRow(t, x, "场景", "SC06")
	if v := cell(t, x, "场景", "E"+itoa(r)); v != "3" || !isNumber(t, x, "场景", "E"+itoa(r)) || cell(t, x, "场景", "D"+itoa(r)) != "是" {
		t.Errorf("SC06 等级 = %q", v)
	}
	if got, want := cell(t, x, "问题清单", "C2"), f.acceptance.Doc.Problems[0].Title; got != want {
		t.Errorf("问题清单 C2 = %q, want %q", got, want)
	}
	if got := cell(t, x, "需求场景清单", "A2"); got != "1" || !isNumber(t, x, "需求场景清单", "A2") {
		t.Errorf("需求场景清单 A2 = %q", got)
	}
	// 题目 is too long for one line: it wraps (row heights: workbook_test.go).
	id, _ := x.GetCellStyle("答题明细", "E2")
	if st, _ := x.GetStyle(id); st == nil || st.Alignment == nil || !st.Alignment.WrapText {
		t.Error("题目 column does not wrap")
	}
}

// printHeaders returns the print header of every sheet.
func printHeaders(t *testing.T, data []byte) []string {
	t.Helper()
	x := openXLSX(t, data)
	var out []string
	for _, name := range x.GetSheetList() {
		hf, err := x.GetHeaderFooter(name)
		if err != nil {
			t.Fatal(err)
		}
		h := ""
		if hf != nil {
			h = hf.OddHeader
		}
		out = append(out, h)
	}
	return out
}

// A draft workbook is marked 草稿 on every printed page of every sheet; a
// finalized one is not.
func TestXLSXDraftHeader(t *testing.T) {
	f := fixtures(t)
	dc, err := Compare(f.baseline, f.draft)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := Compare(f.baseline, f.acceptance)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		write func(io.Writer) error
		draft bool
	}{
		{"draft report", f.draft.WriteXLSX, true},
		{"draft comparison", dc.WriteXLSX, true},
		{"finalized report", f.acceptance.WriteXLSX, false},
		{"finalized comparison", fc.WriteXLSX, false},
	} {
		for i, h := range printHeaders(t, render(t, func(b *bytes.Buffer) error { return c.write(b) })) {
			if strings.Contains(h, "草稿") != c.draft {
				t.Errorf("%s, sheet %d: print header %q", c.name, i+1, h)
			}
		}
	}
}

func TestComparison(t *testing.T) {
	f := fixtures(t)
	c, err := Compare(f.baseline, f.acceptance)
	if err != nil {
		t.Fatal(err)
	}
	d := c.Doc
	if d.Score.Delta != indicators.MustPoints("19.4") || d.Level.Delta != 1 || d.Level.Text != "由一级提升至二级（提升 1 级）" {
		t.Errorf("score %+v level %+v", d.Score, d.Level)
	}
	var outcome []string
	for _, q := range d.Questions {
		if q.Outcome {
			outcome = append(outcome, q.ID)
		}
		if q.ID == "Q12" && (!q.Changed || q.Delta != indicators.MustPoints("3.5") || q.BeforeText != "B 持平" || q.AfterText != "C 降低") {
			t.Errorf("Q12 change = %+v", q)
		}
	}
	if strings.Join(outcome, ",") != "Q12,Q13,Q14,Q15" {
		t.Errorf("outcome questions = %v", outcome)
	}
	if s := d.Scenarios[5]; s.ID != "SC06" || s.Before != 2 || s.After != 3 || s.Delta != 1 {
		t.Errorf("SC06 = %+v", s)
	}
	if !d.Reward.Estimated || d.Reward.AmountWan != "32" || d.Reward.Level != 2 || d.Reward.AfterYear != 2027 {
		t.Errorf("reward = %+v", d.Reward)
	}
	x := openXLSX(t, render(t, func(b *bytes.Buffer) error { return c.WriteXLSX(b) }))
	if got := x.GetSheetList(); !slices.Equal(got, []string{"概览", "逐题对比", "场景对比"}) {
		t.Errorf("sheets = %v", got)
	}
	r := findRow(t, x, "概览", "基础得分")
	if cell(t, x, "概览", "B"+itoa(r)) != "36.6" || cell(t, x, "概览", "C"+itoa(r)) != "56" || cell(t, x, "概览", "D"+itoa(r)) != "19.4" {
		t.Error("基础得分 row wrong")
	}
	r = findRow(t, x, "逐题对比", "Q13")
	if cell(t, x, "逐题对比", "D"+itoa(r)) != "是" || cell(t, x, "逐题对比", "I"+itoa(r)) != "3.5" {
		t.Error("Q13 row wrong")
	}

	// A draft side is allowed but flagged everywhere.
	dc, err := Compare(f.baseline, f.draft)
	if err != nil {
		t.Fatal(err)
	}
	md := string(render(t, func(b *bytes.Buffer) error { return dc.WriteMarkdown(b) }))
	if !strings.HasPrefix(md, "# 【草稿】") || !strings.Contains(md, "是草稿，对比结果仅供参考") {
		t.Error("comparison with a draft is not marked 草稿")
	}
}

func TestCompareRejectsMismatches(t *testing.T) {
	f := fixtures(t)
	other := otherEnterprise(t)
	raw := finalized(t, f.cat, other, "01JNOTHER00000000000000005", model.KindAcceptance, tAcceptance, acceptanceAnswers())
	foreign, err := FromBytes(f.cat, raw)
	if err != nil {
		t.Fatal(err)
	}
	spot := buildAssessment(t, f.cat, testEnterprise(), "01JNSPOT000000000000000006", model.KindSpotCheck, tDraft, draftAnswers())
	spotDoc, err := model.BuildReport(f.cat, testPlanning(t, f.cat), spot, testEnterprise())
	if err != nil {
		t.Fatal(err)
	}
	spotReport, err := New(f.cat, spotDoc)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		b, a     *Report
		wantText string
	}{
		{"swapped", f.acceptance, f.baseline, "第一份报告应为改造前诊断"},
		{"two baselines", f.baseline, f.baseline, "第二份报告应为改造后验收"},
		{"spot check", f.baseline, spotReport, "实际是「抽查」"},
		{"other enterprise", f.baseline, foreign, "两份报告不属于同一企业：改造前诊断为 新乡市示例机械制造有限公司（91350100M000100Y43），改造后验收为 新乡市另一家电子有限公司"},
		{"missing", f.baseline, nil, "需要两份报告"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compare(tt.b, tt.a)
			if !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("Compare = %v, want %q", err, tt.wantText)
			}
		})
	}
}

// rollupFixture: one enterprise with both ratings and the revenue to
// estimate, one with a baseline only, one with a draft only.
func rollupFixture(t *testing.T) []RollupRow {
	t.Helper()
	cat := testCatalog(t)
	policy := model.DefaultRewardPolicy()
	e := testEnterprise()
	e.SetRevenue(2027, "6000")
	key := testKey()
	finalize := func(ent model.Enterprise, id string, kind model.Kind, at time.Time, ans answers) model.Assessment {
		a := buildAssessment(t, cat, ent, id, kind, at, ans)
		if _, _, err := a.Finalize(cat, testPlanning(t, cat), ent, key, model.Change{Now: at}); err != nil {
			t.Fatal(err)
		}
		return a
	}
	full := []model.Assessment{
		finalize(e, idAcceptance, model.KindAcceptance, tAcceptance, acceptanceAnswers()),
		finalize(e, idBaseline, model.KindBaseline, tBaseline, baselineAnswers()),
	}
	other := otherEnterprise(t)
	other.Provider = "=1+2 恶意服务商"
	onlyBaseline := []model.Assessment{finalize(other, "01JNOTHER00000000000000005", model.KindBaseline, tBaseline, baselineAnswers())}
	third := testEnterprise()
	third.Code, third.Name, third.Batch = "91410700MA44RN9B0"+"X", "只有草稿的企业", 2
	drafts := []model.Assessment{buildAssessment(t, cat, third, idDraft, model.KindAcceptance, tDraft, draftAnswers())}
	rows := []RollupRow{
		NewRollupRow(cat, policy, RollupInput{Enterprise: e, Assessments: full}),
		NewRollupRow(cat, policy, RollupInput{Enterprise: other, Assessments: onlyBaseline}),
		NewRollupRow(cat, policy, RollupInput{Enterprise: third, Assessments: drafts}),
	}
	return rows
}

func TestRollupRow(t *testing.T) {
	rows := rollupFixture(t)
	r := rows[0]
	if strings.Join(r.KindsDone, ",") != "改造前诊断,改造后验收" || r.BaselineLevel != "一级" || r.AcceptanceLevel != "二级" ||
		!r.HasScore || r.Score != indicators.MustPoints("56") || r.RewardWan != "32" || r.State != "改造后验收：待发送" {
		t.Errorf("full row = %+v", r)
	}
	if r := rows[1]; r.AcceptanceLevel != "" || r.RewardWan != "" || !strings.Contains(r.RewardNote, "尚无改造后验收") || r.Score != indicators.MustPoints("36.6") {
		t.Errorf("baseline-only row = %+v", r)
	}
	if r := rows[2]; len(r.KindsDone) != 0 || r.HasScore || r.State != "改造后验收：草稿" {
		t.Errorf("draft-only row = %+v", r)
	}
	// Acceptance without the next year's revenue: the reason names the year.
	cat := testCatalog(t)
	e := testEnterprise()
	a := buildAssessment(t, cat, e, idAcceptance, model.KindAcceptance, tAcceptance, acceptanceAnswers())
	if _, _, err := a.Finalize(cat, testPlanning(t, cat), e, testKey(), model.Change{Now: tAcceptance}); err != nil {
		t.Fatal(err)
	}
	if r := NewRollupRow(cat, model.DefaultRewardPolicy(), RollupInput{Enterprise: e, Assessments: []model.Assessment{a}}); r.RewardWan != "" || r.RewardNote != "缺少 2027 年营业收入" {
		t.Errorf("missing revenue row = %+v", r)
	}
}

func TestRollupXLSXAndCSV(t *testing.T) {
	rows := rollupFixture(t)
	dir := t.TempDir()
	xpath, cpath := filepath.Join(dir, "汇总.xlsx"), filepath.Join(dir, "汇总.csv")
	if err := WriteFile(xpath, func(w io.Writer) error { return WriteRollupXLSX(w, slices.Values(rows)) }); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(cpath, func(w io.Writer) error { return WriteRollupCSV(w, slices.Values(rows)) }); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(xpath)
	x := openXLSX(t, data)
	if got := x.GetSheetList(); !slices.Equal(got, []string{RollupSheet}) {
		t.Fatalf("sheets = %v", got)
	}
	all, err := x.GetRows(RollupSheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 || all[0][0] != "统一社会信用代码" || !isBold(t, x, RollupSheet, "A1") {
		t.Fatalf("rows = %v", all)
	}
	col := columnIndex(all[0])
	r2 := all[1]
	if r2[col["企业名称"]] != testEnterprise().Name || r2[col["改造后验收等级"]] != "二级" || r2[col["最新得分"]] != "56" || r2[col["奖补测算（万元）"]] != "32" ||
		r2[col["改造后验收报告编号"]] != idAcceptance || r2[col["联系电话"]] != "0373-1234567" {
		t.Errorf("row 2 = %v", r2)
	}
	for _, name := range []string{"批次", "最新得分", "奖补测算（万元）"} {
		ref, _ := excelize.CoordinatesToCellName(col[name]+1, 2)
		if !isNumber(t, x, RollupSheet, ref) {
			t.Errorf("%s (%s) is not a number cell", name, ref)
		}
	}
	for _, name := range []string{"统一社会信用代码", "联系电话", "改造前诊断报告编号"} {
		ref, _ := excelize.CoordinatesToCellName(col[name]+1, 2)
		if ct, _ := x.GetCellType(RollupSheet, ref); ct == excelize.CellTypeNumber {
			t.Errorf("identifier %s (%s) is a number cell", name, ref)
		}
	}
	provider, _ := excelize.CoordinatesToCellName(col["服务商"]+1, 3)
	if all[2][col["服务商"]] != "=1+2 恶意服务商" {
		t.Errorf("xlsx text cell changed: %q", all[2][col["服务商"]])
	}
	if f, _ := x.GetCellFormula(RollupSheet, provider); f != "" {
		t.Errorf("text became a formula: %q", f)
	}

	raw, _ := os.ReadFile(cpath)
	if !bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
		t.Fatal("CSV lacks the UTF-8 BOM")
	}
	recs, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || !slices.Equal(recs[0], all[0]) {
		t.Fatalf("csv = %v", recs)
	}
	if r := recs[1]; r[col["最新得分"]] != "56" || r[col["奖补测算（万元）"]] != "32" || recs[2][col["奖补测算（万元）"]] != "" || recs[3][col["批次"]] != "2" {
		t.Errorf("csv numbers = %v", recs)
	}
	// Identifiers are text formulas a spreadsheet shows as text; free
	// text that looks like a formula is defused.
	if r := recs[1]; r[col["统一社会信用代码"]] != `="`+testEnterprise().Code+`"` || r[col["联系电话"]] != `="0373-1234567"` ||
		r[col["改造前诊断报告编号"]] != `="`+idBaseline+`"` || recs[2][col["改造后验收报告编号"]] != "" {
		t.Errorf("csv identifiers = %v", r)
	}
	if recs[2][col["服务商"]] != "'=1+2 恶意服务商" {
		t.Errorf("formula-like text not defused: %q", recs[2][col["服务商"]])
	}
}

// columnIndex maps header names to their 0-based column.
func columnIndex(header []string) map[string]int {
	m := map[string]int{}
	for i, h := range header {
		m[h] = i
	}
	return m
}

// synthRows yields n roll-up rows without building assessments.
func synthRows(n int) iter.Seq[RollupRow] {
	return func(yield func(RollupRow) bool) {
		for i := range n {
			r := RollupRow{CreditCode: "91410700MA44RN9B0" + string(rune('0'+i%10)), Name: "新乡市第" + itoa(i) + "号示例制造有限公司",
				Batch: 1 + i%3, Provider: "河南某数字科技有限公司", KindsDone: []string{"改造前诊断", "改造后验收"},
				BaselineLevel: "一级", AcceptanceLevel: "二级", Score: indicators.Points(40000 + i%60000), HasScore: true,
				RewardWan: "32", RewardNote: "按二级，比例 4%，累计上限 50 万元", State: "改造后验收：已发送"}
			if !yield(r) {
				return
			}
		}
	}
}

func TestRollupLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	data := render(t, func(b *bytes.Buffer) error { return WriteRollupXLSX(b, synthRows(2000)) })
	x := openXLSX(t, data)
	rows, err := x.GetRows(RollupSheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2001 || rows[2000][1] != "新乡市第1999号示例制造有限公司" {
		t.Errorf("%d rows, last %v", len(rows), rows[len(rows)-1])
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
