package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"iter"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"digilevel/indicators"
	"digilevel/model"
)

// RollupRow is one enterprise in the district roll-up.
type RollupRow struct {
	CreditCode string
	Name       string
	Batch      int // 0 when not recorded
	Provider   string
	// Contacts are the enterprise's contacts; the roll-up shows the first.
	Contacts []model.Contact
	// KindsDone lists the labels of the kinds with a finalized assessment
	// (改造前诊断, 改造后验收, 抽查), in that order.
	KindsDone []string
	// BaselineLevel and AcceptanceLevel are the level names of the latest
	// finalized assessment of each kind; "" when there is none.
	BaselineLevel   string
	AcceptanceLevel string
	// BaselineID and AcceptanceID are the IDs of those assessments ("" when
	// there is none or a blind spot-check hides it).
	BaselineID, AcceptanceID string
	// Score is the score of the latest finalized baseline or acceptance (a
	// spot-check's score is SpotCheckScore, never this); HasScore is false
	// when there is none.
	Score    indicators.Points
	HasScore bool
	// RewardWan is the estimate on the acceptance level ("" when there is
	// none); RewardNote says why there is none, or the basis.
	RewardWan  model.Decimal
	RewardNote string
	// State is the lifecycle state label of the latest assessment, with its kind.
	State string
	// SpotCheckLevel and SpotCheckScore are the latest finalized
	// spot-check's (HasSpotCheck); SpotCheckResult says how it agrees with
	// the report it checks, or why that is not known.
	SpotCheckLevel  string
	SpotCheckScore  indicators.Points
	HasSpotCheck    bool
	SpotCheckResult string
}

// RollupInput is what this laptop holds about one enterprise: its own
// assessments (any order, revisions included) and the reports pulled from
// other laptops for spot-checks, masked while a blind spot-check seals them.
// Of an assessment only the header is read (kind, state, level, score,
// creation and finalize times, spot-check link), so the export passes the
// summary index's headers rather than whole records.
type RollupInput struct {
	Enterprise  model.Enterprise
	Assessments []model.Assessment
	Pulled      []model.PulledReport
}

// rated is a finalized rating, local or pulled, as the roll-up weighs it.
type rated struct {
	id          string
	kind        model.Kind
	level       int
	score       indicators.Points
	finalizedAt time.Time
	checks      *model.CheckRef
	sealed      bool
}

// NewRollupRow summarises an enterprise. A revision finalizes later than the
// version it replaces, so "latest finalized" picks it. The provider's
// columns (levels, score, reward) read this laptop's baseline and
// acceptance assessments and the pulled ones; a spot-check only ever fills
// the spot-check columns. The row's text is safe to render
// (model.DisplaySafe): it may come from another laptop or an older file.
func NewRollupRow(cat *indicators.Catalog, policy model.RewardPolicy, in RollupInput) RollupRow {
	return model.DisplaySafeCopy(rollupRow(cat, policy, in))
}

func rollupRow(cat *indicators.Catalog, policy model.RewardPolicy, in RollupInput) RollupRow {
	e := in.Enterprise
	row := RollupRow{CreditCode: e.Code, Name: e.Name, Batch: e.Batch, Provider: e.Provider, Contacts: e.Contacts, State: "无评测"}
	latest := map[model.Kind]rated{}
	hidden := map[model.Kind]bool{}
	var lastAny *model.Assessment
	spotDraft := false
	consider := func(r rated) {
		if r.sealed {
			hidden[r.kind] = true
			return
		}
		if cur, ok := latest[r.kind]; !ok || r.finalizedAt.After(cur.finalizedAt) {
			latest[r.kind] = r
		}
	}
	for i := range in.Assessments {
		a := &in.Assessments[i]
		if lastAny == nil || a.CreatedAt.After(lastAny.CreatedAt) {
			lastAny = a
		}
		if !a.State.Frozen() {
			spotDraft = spotDraft || a.Kind == model.KindSpotCheck
			continue
		}
		consider(rated{id: a.ID, kind: a.Kind, level: a.Level, score: a.Score, finalizedAt: a.FinalizedAt, checks: a.Checks})
	}
	replaced := map[string]bool{}
	for _, p := range in.Pulled {
		replaced[p.Replaces] = true
	}
	pulled := map[string]model.PulledReport{}
	for _, p := range in.Pulled {
		pulled[p.ID] = p
		if !replaced[p.ID] {
			consider(rated{id: p.ID, kind: p.Kind, level: p.Level, score: p.Score, finalizedAt: p.FinalizedAt, checks: p.Checks, sealed: p.Sealed})
		}
	}
	for _, k := range []model.Kind{model.KindBaseline, model.KindAcceptance, model.KindSpotCheck} {
		if _, ok := latest[k]; ok || hidden[k] {
			row.KindsDone = append(row.KindsDone, cat.KindLabel(string(k)))
		}
	}
	levelOf := func(k model.Kind) string {
		if r, ok := latest[k]; ok {
			return cat.LevelName(r.level)
		}
		if hidden[k] {
			return sealedText
		}
		return ""
	}
	row.BaselineLevel = levelOf(model.KindBaseline)
	row.BaselineID, row.AcceptanceID = latest[model.KindBaseline].id, latest[model.KindAcceptance].id
	var lastFinal *rated
	for _, k := range []model.Kind{model.KindBaseline, model.KindAcceptance} {
		if r, ok := latest[k]; ok && (lastFinal == nil || r.finalizedAt.After(lastFinal.finalizedAt)) {
			lastFinal = &r
		}
	}
	if lastFinal != nil {
		row.Score, row.HasScore = lastFinal.score, true
	}
	if lastAny != nil {
		row.State = cat.KindLabel(string(lastAny.Kind)) + "：" + lastAny.State.Label()
	}
	row.spotCheck(cat, policy, latest, pulled, spotDraft)
	acc, ok := latest[model.KindAcceptance]
	if !ok {
		row.RewardNote = noAcceptanceNote
		if hidden[model.KindAcceptance] {
			row.AcceptanceLevel, row.RewardNote = sealedText, "盲评中：抽查定稿后显示服务商的验收等级与奖补测算"
		}
		return row
	}
	row.AcceptanceLevel = cat.LevelName(acc.level)
	row.RewardWan, row.RewardNote = rewardColumns(EstimateReward(policy, e, nil, acc.level, row.AcceptanceLevel, acc.finalizedAt))
	return row
}

// noAcceptanceNote is the reward column of an enterprise without an
// acceptance rating.
const noAcceptanceNote = "尚无改造后验收评定，奖补按验收等级兑现（第十四条）"

// rewardColumns are the amount and the basis (or why there is none) of a
// reward estimate, as the roll-ups show them.
func rewardColumns(est Estimate) (model.Decimal, string) {
	switch {
	case est.Reward != nil && !est.Reward.Eligible:
		return est.Reward.AmountWan, fmt.Sprintf("%s不符合奖励条件", est.LevelName)
	case est.Reward != nil:
		return est.Reward.AmountWan, fmt.Sprintf("按%s，比例 %d%%，累计上限 %d 万元", est.LevelName, est.Reward.RatePercent, est.Reward.CapWan)
	case est.Missing != "":
		return "", "缺少 " + est.Missing
	}
	return "", est.Problem
}

// sealedText stands in a cell whose value a blind spot-check hides.
const sealedText = "盲评中"

// spotCheck fills the spot-check columns from the latest finalized
// spot-check and the report it checks.
func (row *RollupRow) spotCheck(cat *indicators.Catalog, policy model.RewardPolicy, latest map[model.Kind]rated, pulled map[string]model.PulledReport, draft bool) {
	s, ok := latest[model.KindSpotCheck]
	if !ok {
		if draft {
			row.SpotCheckResult = "抽查进行中（草稿）"
		}
		return
	}
	row.SpotCheckLevel, row.SpotCheckScore, row.HasSpotCheck = cat.LevelName(s.level), s.score, true
	if s.checks == nil {
		row.SpotCheckResult = "未关联被抽查的报告"
		return
	}
	checked, ok := pulled[s.checks.ID]
	switch {
	case !ok:
		row.SpotCheckResult = "被抽查的报告 " + s.checks.ID + " 不在本机"
	case checked.Sealed:
		row.SpotCheckResult = sealedText
	default:
		row.SpotCheckResult = model.CompareLevels(checked.Level, s.level, policy.RewardFloor(), cat.LevelName).Text
	}
}

// SortRollup orders rows by batch, then credit code, for a stable export.
func SortRollup(rows []RollupRow) {
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Batch != rows[j].Batch {
			return rows[i].Batch < rows[j].Batch
		}
		return rows[i].CreditCode < rows[j].CreditCode
	})
}

// RollupSheet is the roll-up worksheet's name.
const RollupSheet = "企业评测汇总"

// ColumnKind says how the cells of a column are written.
type ColumnKind int

// Column kinds.
const (
	// ColumnText is free text: a string cell; in CSV defused against formulas.
	ColumnText ColumnKind = iota
	// ColumnWrap is long free text: as ColumnText, wrapped in the workbook.
	ColumnWrap
	// ColumnID is an identifier (credit code, report ID, phone number): text
	// that spreadsheet programs must never turn into a number or a date.
	ColumnID
	// ColumnNumber is an exact decimal: a number cell, digits as written in CSV.
	ColumnNumber
)

// column is one column of a roll-up table (rows of type R), in both
// formats: the laptop's roll-up and the platform's export share the writers.
type column[R any] struct {
	header string
	width  float64
	kind   ColumnKind
	value  func(R) string
}

// rollupColumn is one column of the laptop's roll-up.
type rollupColumn = column[RollupRow]

// rollupColumns are the roll-up's columns in order, with widths that print
// on one landscape A4 page width at about two thirds of full size. The first columns carry
// the roster's own names (统一社会信用代码, 企业名称, 批次, 服务商, 联系人,
// 联系电话), so `digilevel enterprise import` reads an export back.
func rollupColumns() []rollupColumn {
	contact := func(r RollupRow) model.Contact {
		if len(r.Contacts) == 0 {
			return model.Contact{}
		}
		return r.Contacts[0]
	}
	return []rollupColumn{
		{"统一社会信用代码", 20, ColumnID, func(r RollupRow) string { return r.CreditCode }},
		{"企业名称", 22, ColumnWrap, func(r RollupRow) string { return r.Name }},
		{"批次", 5, ColumnNumber, func(r RollupRow) string {
			if r.Batch > 0 {
				return strconv.Itoa(r.Batch)
			}
			return ""
		}},
		{"服务商", 16, ColumnWrap, func(r RollupRow) string { return r.Provider }},
		{"联系人", 8, ColumnWrap, func(r RollupRow) string { return contact(r).Name }},
		{"联系电话", 14, ColumnID, func(r RollupRow) string { return contact(r).Phone }},
		{"已完成评测", 12, ColumnWrap, func(r RollupRow) string { return strings.Join(r.KindsDone, "、") }},
		{"改造前诊断等级", 7, ColumnText, func(r RollupRow) string { return r.BaselineLevel }},
		{"改造后验收等级", 7, ColumnText, func(r RollupRow) string { return r.AcceptanceLevel }},
		{"最新得分", 7, ColumnNumber, func(r RollupRow) string {
			if r.HasScore {
				return r.Score.String()
			}
			return ""
		}},
		{"奖补测算（万元）", 8, ColumnNumber, func(r RollupRow) string { return string(r.RewardWan) }},
		{"奖补说明", 24, ColumnWrap, func(r RollupRow) string { return r.RewardNote }},
		{"状态", 12, ColumnWrap, func(r RollupRow) string { return r.State }},
		{"抽查等级", 7, ColumnText, func(r RollupRow) string { return r.SpotCheckLevel }},
		{"抽查得分", 7, ColumnNumber, func(r RollupRow) string {
			if r.HasSpotCheck {
				return r.SpotCheckScore.String()
			}
			return ""
		}},
		{"抽查结论", 20, ColumnWrap, func(r RollupRow) string { return r.SpotCheckResult }},
		{"改造前诊断报告编号", 28, ColumnID, func(r RollupRow) string { return r.BaselineID }},
		{"改造后验收报告编号", 28, ColumnID, func(r RollupRow) string { return r.AcceptanceID }},
	}
}

// WriteRollupXLSX writes the rows as one sheet through excelize's
// StreamWriter, so memory stays flat for tens of thousands of rows.
func WriteRollupXLSX(w io.Writer, rows iter.Seq[RollupRow]) error {
	return writeColumnsXLSX(w, RollupSheet, "企业评测汇总", rollupColumns(), rows)
}

// writeColumnsXLSX writes one streamed sheet of a roll-up table: a frozen
// header row, then a row per item, wrapped text and page setup for A4.
func writeColumnsXLSX[R any](w io.Writer, sheet, title string, cols []column[R], rows iter.Seq[R]) error {
	f := excelize.NewFile()
	defer f.Close()
	name := sheetName(sheet)
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = c.width
	}
	// Page setup and properties first: the stream writer must be the last
	// thing to touch its sheet.
	if err := setupWorkbook(f, workbookInfo{Title: title, Created: time.Now()}); err != nil {
		return err
	}
	if err := setupSheet(f, name, widths, ""); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(cols))
	headerLines := 1
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: st.header, Value: c.header}
		headerLines = max(headerLines, wrappedLines(c.header, c.width))
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: rowHeight(headerLines)}); err != nil {
		return err
	}
	n := 1
	cells := make([]any, len(cols))
	for row := range rows {
		n++
		lines := 1
		for i, c := range cols {
			v := c.value(row)
			switch c.kind {
			case ColumnNumber:
				cells[i] = excelize.Cell{StyleID: st.body, Value: numberCell(v)}
			case ColumnWrap:
				cells[i] = excelize.Cell{StyleID: st.wrap, Value: v}
				lines = max(lines, wrappedLines(v, c.width))
			default:
				cells[i] = excelize.Cell{StyleID: st.body, Value: v}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := sw.SetRow(cell, cells, excelize.RowOpts{Height: rowHeight(lines)}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// numberCell is an exact decimal text as a number cell, nil when empty.
func numberCell(s string) any {
	if s == "" {
		return nil
	}
	return decimalCell(model.Decimal(s))
}

// WriteRollupCSV writes the rows as UTF-8 CSV with a byte-order mark, which
// Excel needs to read Chinese correctly. Identifiers are written as text
// formulas (="9141…") so that Excel, WPS and LibreOffice keep them as text:
// an all-digit credit code or a mobile number would otherwise become a
// number (9.14107E+17) and be lost when the file is saved. The roster
// importer reads both forms.
func WriteRollupCSV(w io.Writer, rows iter.Seq[RollupRow]) error {
	return writeColumnsCSV(w, rollupColumns(), rows)
}

// writeColumnsCSV writes a roll-up table as CSV (see WriteRollupCSV).
func writeColumnsCSV[R any](w io.Writer, cols []column[R], rows iter.Seq[R]) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true // what Excel writes and expects
	rec := make([]string, len(cols))
	for i, c := range cols {
		rec[i] = c.header
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for row := range rows {
		for i, c := range cols {
			v := c.value(row)
			switch c.kind {
			case ColumnNumber:
				rec[i] = v
			case ColumnID:
				rec[i] = csvIdentifier(v)
			default:
				rec[i] = csvText(v)
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// csvText defuses text that a spreadsheet would run as a formula (CSV
// injection): a leading = + - @ gets a quote mark, as OWASP advises.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// csvIdentifier writes an identifier as a formula that is only a string
// literal (="…"): spreadsheets show its text and never read it as a number
// or a date. The formula cannot run anything: an identifier with a double
// quote (never a valid code, ID or phone number) is written as plain text.
func csvIdentifier(s string) string {
	if s == "" || strings.ContainsAny(s, "\"\r\n") {
		return csvText(s)
	}
	return `="` + s + `"`
}
