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
	// Score is the score of the latest finalized assessment; HasScore is
	// false when there is none.
	Score    indicators.Points
	HasScore bool
	// RewardWan is the estimate on the acceptance level ("" when there is
	// none); RewardNote says why there is none, or the basis.
	RewardWan  model.Decimal
	RewardNote string
	// State is the lifecycle state label of the latest assessment, with its kind.
	State string
}

// NewRollupRow summarises an enterprise and its assessments (any order,
// revisions included). A revision finalizes later than the version it
// replaces, so "latest finalized" picks it.
func NewRollupRow(cat *indicators.Catalog, policy model.RewardPolicy, e model.Enterprise, assessments []model.Assessment) RollupRow {
	row := RollupRow{CreditCode: e.Code, Name: e.Name, Batch: e.Batch, Provider: e.Provider, State: "无评测"}
	latest := map[model.Kind]*model.Assessment{}
	var lastFinal, lastAny *model.Assessment
	for i := range assessments {
		a := &assessments[i]
		if lastAny == nil || a.CreatedAt.After(lastAny.CreatedAt) {
			lastAny = a
		}
		if !a.State.Frozen() {
			continue
		}
		if cur := latest[a.Kind]; cur == nil || a.FinalizedAt.After(cur.FinalizedAt) {
			latest[a.Kind] = a
		}
		if lastFinal == nil || a.FinalizedAt.After(lastFinal.FinalizedAt) {
			lastFinal = a
		}
	}
	for _, k := range []model.Kind{model.KindBaseline, model.KindAcceptance, model.KindSpotCheck} {
		if latest[k] != nil {
			row.KindsDone = append(row.KindsDone, cat.KindLabel(string(k)))
		}
	}
	if a := latest[model.KindBaseline]; a != nil {
		row.BaselineLevel = cat.LevelName(a.Level)
	}
	if lastFinal != nil {
		row.Score, row.HasScore = lastFinal.Score, true
	}
	if lastAny != nil {
		row.State = cat.KindLabel(string(lastAny.Kind)) + "：" + lastAny.State.Label()
	}
	acc := latest[model.KindAcceptance]
	if acc == nil {
		row.RewardNote = "尚无改造后验收评定，奖补按验收等级兑现（第十四条）"
		return row
	}
	row.AcceptanceLevel = cat.LevelName(acc.Level)
	est := EstimateReward(policy, e, nil, acc.Level, row.AcceptanceLevel, acc.FinalizedAt)
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
	return []string{"统一社会信用代码", "企业名称", "批次", "服务商", "已完成评测", "改造前诊断等级", "改造后验收等级", "最新得分", "奖补测算（万元）", "奖补说明", "状态"}
}

// rollupWidths are fixed so the stream can set them before the first row.
func rollupWidths() []float64 { return []float64{22, 36, 6, 24, 24, 14, 14, 10, 16, 40, 22} }

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
