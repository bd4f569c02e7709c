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
	// KindsDone lists the labels of the kinds with a finalized assessment
	// (改造前诊断, 改造后验收, 抽查), in that order.
	KindsDone []string
	// BaselineLevel and AcceptanceLevel are the level names of the latest
	// finalized assessment of each kind; "" when there is none.
	BaselineLevel   string
	AcceptanceLevel string
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
type RollupInput struct {
	Enterprise  model.Enterprise
	Assessments []model.Assessment
	Pulled      []model.PulledReport
}

// rated is a finalized rating, local or pulled, as the roll-up weighs it.
type rated struct {
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
// the spot-check columns.
func NewRollupRow(cat *indicators.Catalog, policy model.RewardPolicy, in RollupInput) RollupRow {
	e := in.Enterprise
	row := RollupRow{CreditCode: e.Code, Name: e.Name, Batch: e.Batch, Provider: e.Provider, State: "无评测"}
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
		consider(rated{kind: a.Kind, level: a.Level, score: a.Score, finalizedAt: a.FinalizedAt, checks: a.Checks})
	}
	replaced := map[string]bool{}
	for _, p := range in.Pulled {
		replaced[p.Replaces] = true
	}
	pulled := map[string]model.PulledReport{}
	for _, p := range in.Pulled {
		pulled[p.ID] = p
		if !replaced[p.ID] {
			consider(rated{kind: p.Kind, level: p.Level, score: p.Score, finalizedAt: p.FinalizedAt, checks: p.Checks, sealed: p.Sealed})
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
		row.RewardNote = "尚无改造后验收评定，奖补按验收等级兑现（第十四条）"
		if hidden[model.KindAcceptance] {
			row.AcceptanceLevel, row.RewardNote = sealedText, "盲评中：抽查定稿后显示服务商的验收等级与奖补测算"
		}
		return row
	}
	row.AcceptanceLevel = cat.LevelName(acc.level)
	est := EstimateReward(policy, e, nil, acc.level, row.AcceptanceLevel, acc.finalizedAt)
	switch {
	case est.Reward != nil:
		row.RewardWan = est.Reward.AmountWan
		if !est.Reward.Eligible {
			row.RewardNote = fmt.Sprintf("%s不符合奖励条件", row.AcceptanceLevel)
		} else {
			row.RewardNote = fmt.Sprintf("按%s，比例 %d%%，累计上限 %d 万元", row.AcceptanceLevel, est.Reward.RatePercent, est.Reward.CapWan)
		}
	case est.Missing != "":
		row.RewardNote = "缺少 " + est.Missing
	default:
		row.RewardNote = est.Problem
	}
	return row
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

func rollupHeader() []string {
	return []string{"统一社会信用代码", "企业名称", "批次", "服务商", "已完成评测", "改造前诊断等级", "改造后验收等级", "最新得分", "奖补测算（万元）", "奖补说明", "状态",
		"抽查等级", "抽查得分", "抽查结论"}
}

// rollupWidths are fixed so the stream can set them before the first row.
func rollupWidths() []float64 {
	return []float64{22, 36, 6, 24, 24, 14, 14, 10, 16, 40, 22, 10, 10, 40}
}

// WriteRollupXLSX writes the rows as one sheet through excelize's
// StreamWriter, so memory stays flat for tens of thousands of rows.
func WriteRollupXLSX(w io.Writer, rows iter.Seq[RollupRow]) error {
	f := excelize.NewFile()
	defer f.Close()
	name := sheetName(RollupSheet)
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{
		Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDF2F7"}},
	})
	if err != nil {
		return err
	}
	for i, wd := range rollupWidths() {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	names := rollupHeader()
	header := make([]any, len(names))
	for i, h := range names {
		header[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	n := 1
	cells := make([]any, len(names))
	for row := range rows {
		n++
		cells[0], cells[1] = row.CreditCode, row.Name
		cells[2] = nil
		if row.Batch > 0 {
			cells[2] = row.Batch
		}
		cells[3], cells[4] = row.Provider, strings.Join(row.KindsDone, "、")
		cells[5], cells[6] = row.BaselineLevel, row.AcceptanceLevel
		cells[7] = nil
		if row.HasScore {
			cells[7] = points(row.Score)
		}
		cells[8] = decimalCell(row.RewardWan)
		cells[9], cells[10] = row.RewardNote, row.State
		cells[11], cells[12] = row.SpotCheckLevel, nil
		if row.HasSpotCheck {
			cells[12] = points(row.SpotCheckScore)
		}
		cells[13] = row.SpotCheckResult
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// WriteRollupCSV writes the rows as UTF-8 CSV with a byte-order mark, which
// Excel needs to read Chinese correctly.
func WriteRollupCSV(w io.Writer, rows iter.Seq[RollupRow]) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true // what Excel writes and expects
	names := rollupHeader()
	if err := cw.Write(names); err != nil {
		return err
	}
	rec := make([]string, len(names))
	for row := range rows {
		rec[0], rec[1] = csvText(row.CreditCode), csvText(row.Name)
		rec[2] = ""
		if row.Batch > 0 {
			rec[2] = strconv.Itoa(row.Batch)
		}
		rec[3], rec[4] = csvText(row.Provider), csvText(strings.Join(row.KindsDone, "、"))
		rec[5], rec[6] = csvText(row.BaselineLevel), csvText(row.AcceptanceLevel)
		rec[7] = ""
		if row.HasScore {
			rec[7] = row.Score.String()
		}
		rec[8], rec[9], rec[10] = string(row.RewardWan), csvText(row.RewardNote), csvText(row.State)
		rec[11], rec[12] = csvText(row.SpotCheckLevel), ""
		if row.HasSpotCheck {
			rec[12] = row.SpotCheckScore.String()
		}
		rec[13] = csvText(row.SpotCheckResult)
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
