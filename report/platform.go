package report

import (
	"fmt"
	"io"
	"iter"
	"sort"
	"strconv"
	"strings"
	"time"

	"digilevel/indicators"
	"digilevel/model"
)

// ReceivedReport is what the platform's export needs of one received
// report: the facts its record keeps (never the body).
type ReceivedReport struct {
	ID          string
	Kind        model.Kind
	Version     int
	Replaces    string
	ReplacedBy  string
	Level       int
	Score       indicators.Points
	FinalizedAt time.Time
	ReceivedAt  time.Time
	Provider    string
	// Checks is the ID of the report a spot-check checks; ChecksMismatch
	// says the report the platform holds under that ID is not the one the
	// spot-check re-rated (its link's state is mismatch).
	Checks         string
	ChecksMismatch bool
}

// PlatformRow is one enterprise in the district platform's export (`serve
// export`): its roster entry, if any, and the reports the platform received
// for it.
type PlatformRow struct {
	CreditCode string
	Name       string
	Batch      int // 0 when not recorded
	Scale      string
	ZJTX       string
	// OnRoster says the enterprise is on the platform's roster; otherwise
	// the columns come from its latest report.
	OnRoster bool
	Provider string
	// Received counts the reports received by kind ("改造前诊断 2 份、…").
	Received string
	// The latest current (not replaced) report of each kind: level names
	// and scores; "" and false when there is none.
	BaselineLevel      string
	BaselineScore      indicators.Points
	HasBaselineScore   bool
	AcceptanceLevel    string
	AcceptanceScore    indicators.Points
	HasAcceptanceScore bool
	// SpotCheckLevel is the level of the latest current spot-check report
	// received for the enterprise ("" when none); SpotCheckResult says how
	// it agrees with the report it checks (as in the laptop's roll-up).
	SpotCheckLevel  string
	SpotCheckResult string
	// Chain describes the revision chains: current versions and replaced ones.
	Chain string
	// RewardWan and RewardNote: the estimate on the acceptance level and
	// its basis, or why there is none (as in the laptop's roll-up).
	RewardWan  model.Decimal
	RewardNote string
	// LastReceived is when the platform last received a report for it.
	LastReceived time.Time
}

var exportKinds = []model.Kind{model.KindBaseline, model.KindAcceptance, model.KindSpotCheck}

// NewPlatformRow summarises an enterprise and the reports received for it
// (any order). The latest current report of a kind is the one finalized
// last among those no revision replaces.
func NewPlatformRow(cat *indicators.Catalog, policy model.RewardPolicy, e model.Enterprise, onRoster bool, reports []ReceivedReport) PlatformRow {
	row := PlatformRow{CreditCode: e.Code, Name: e.Name, Batch: e.Batch, Provider: e.Provider, OnRoster: onRoster,
		Scale: e.Scale.Label(), ZJTX: e.ZJTX.Label()}
	latest := map[model.Kind]*ReceivedReport{}
	count := map[model.Kind]int{}
	current := map[model.Kind][]*ReceivedReport{}
	var last *ReceivedReport
	for i := range reports {
		r := &reports[i]
		count[r.Kind]++
		if r.ReceivedAt.After(row.LastReceived) {
			row.LastReceived = r.ReceivedAt
		}
		// The provider is the last baseline's or acceptance's assessor: a
		// spot-check is the inspector's.
		if r.Kind != model.KindSpotCheck && (last == nil || r.FinalizedAt.After(last.FinalizedAt)) {
			last = r
		}
		if r.ReplacedBy != "" {
			continue
		}
		current[r.Kind] = append(current[r.Kind], r)
		if cur := latest[r.Kind]; cur == nil || r.FinalizedAt.After(cur.FinalizedAt) {
			latest[r.Kind] = r
		}
	}
	if row.Provider == "" && last != nil {
		row.Provider = last.Provider
	}
	var received, chain []string
	for _, k := range exportKinds {
		label := cat.KindLabel(string(k))
		if n := count[k]; n > 0 {
			received = append(received, fmt.Sprintf("%s %d 份", label, n))
			chain = append(chain, chainText(label, n, current[k]))
		}
	}
	row.Received = strings.Join(received, "、")
	row.Chain = strings.Join(chain, "；")
	if len(reports) == 0 {
		row.Received, row.Chain = "未收到报告", ""
	}
	if b := latest[model.KindBaseline]; b != nil {
		row.BaselineLevel, row.BaselineScore, row.HasBaselineScore = cat.LevelName(b.Level), b.Score, true
	}
	if s := latest[model.KindSpotCheck]; s != nil {
		row.SpotCheckLevel, row.SpotCheckResult = cat.LevelName(s.Level), spotCheckResult(cat, policy, *s, reports)
	}
	acc := latest[model.KindAcceptance]
	if acc == nil {
		row.RewardNote = noAcceptanceNote
		return row
	}
	row.AcceptanceLevel, row.AcceptanceScore, row.HasAcceptanceScore = cat.LevelName(acc.Level), acc.Score, true
	row.RewardWan, row.RewardNote = rewardColumns(EstimateReward(policy, e, nil, acc.Level, row.AcceptanceLevel, acc.FinalizedAt))
	return row
}

// spotCheckResult compares a spot-check with the report it checks, when the
// platform received that report too.
func spotCheckResult(cat *indicators.Catalog, policy model.RewardPolicy, spot ReceivedReport, reports []ReceivedReport) string {
	if spot.Checks == "" {
		return "未关联被抽查的报告"
	}
	if spot.ChecksMismatch {
		return "平台收到的报告 " + spot.Checks + " 不是抽查所依据的那一份，请核实"
	}
	for _, r := range reports {
		if r.ID == spot.Checks {
			return model.CompareLevels(r.Level, spot.Level, policy.RewardFloor(), cat.LevelName).Text
		}
	}
	return "被抽查的报告 " + spot.Checks + " 平台未收到"
}

// chainText describes one kind's reports: which versions are current and
// how many were replaced by revisions.
func chainText(label string, n int, current []*ReceivedReport) string {
	sort.Slice(current, func(i, j int) bool { return current[i].Version < current[j].Version })
	versions := make([]string, len(current))
	for i, r := range current {
		versions[i] = "v" + strconv.Itoa(r.Version)
	}
	replaced := n - len(current)
	switch {
	case len(current) == 0:
		return fmt.Sprintf("%s: %d 份均已被取代（修订版未收到）", label, n)
	case len(current) > 1 && replaced > 0:
		return fmt.Sprintf("%s: %d 份当前版本（%s），%d 份已被取代", label, len(current), strings.Join(versions, "、"), replaced)
	case len(current) > 1:
		return fmt.Sprintf("%s: %d 份当前版本（%s）", label, len(current), strings.Join(versions, "、"))
	case replaced > 0:
		return fmt.Sprintf("%s: 当前 %s，%d 份已被取代", label, versions[0], replaced)
	}
	return fmt.Sprintf("%s: 当前 %s", label, versions[0])
}

// platformColumns are the platform export's columns, in the roll-up's
// column model (identifiers kept as text, long text wrapped, exact numbers).
func platformColumns() []column[PlatformRow] {
	points := func(p indicators.Points, ok bool) string {
		if ok {
			return p.String()
		}
		return ""
	}
	return []column[PlatformRow]{
		{"统一社会信用代码", 20, ColumnID, func(r PlatformRow) string { return r.CreditCode }},
		{"企业名称", 22, ColumnWrap, func(r PlatformRow) string { return r.Name }},
		{"批次", 5, ColumnNumber, func(r PlatformRow) string {
			if r.Batch > 0 {
				return strconv.Itoa(r.Batch)
			}
			return ""
		}},
		{"规模", 6, ColumnText, func(r PlatformRow) string { return r.Scale }},
		{"专精特新", 12, ColumnWrap, func(r PlatformRow) string { return r.ZJTX }},
		{"在平台名单中", 7, ColumnText, func(r PlatformRow) string { return yesNo(r.OnRoster) }},
		{"服务商", 16, ColumnWrap, func(r PlatformRow) string { return r.Provider }},
		{"收到的报告", 16, ColumnWrap, func(r PlatformRow) string { return r.Received }},
		{"改造前诊断等级", 7, ColumnText, func(r PlatformRow) string { return r.BaselineLevel }},
		{"改造前诊断得分", 7, ColumnNumber, func(r PlatformRow) string { return points(r.BaselineScore, r.HasBaselineScore) }},
		{"改造后验收等级", 7, ColumnText, func(r PlatformRow) string { return r.AcceptanceLevel }},
		{"改造后验收得分", 7, ColumnNumber, func(r PlatformRow) string { return points(r.AcceptanceScore, r.HasAcceptanceScore) }},
		{"抽查等级", 7, ColumnText, func(r PlatformRow) string { return r.SpotCheckLevel }},
		{"抽查结论", 20, ColumnWrap, func(r PlatformRow) string { return r.SpotCheckResult }},
		{"修订情况", 22, ColumnWrap, func(r PlatformRow) string { return r.Chain }},
		{"奖补测算（万元）", 8, ColumnNumber, func(r PlatformRow) string { return string(r.RewardWan) }},
		{"奖补说明", 24, ColumnWrap, func(r PlatformRow) string { return r.RewardNote }},
		{"最近接收时间", 12, ColumnText, func(r PlatformRow) string { return r.lastReceived() }},
	}
}

func (r PlatformRow) lastReceived() string {
	if r.LastReceived.IsZero() {
		return ""
	}
	return r.LastReceived.In(Zone()).Format("2006-01-02 15:04")
}

// WritePlatformXLSX writes the rows as one sheet (named as the laptop's
// roll-up) through excelize's StreamWriter, so memory stays flat.
func WritePlatformXLSX(w io.Writer, rows iter.Seq[PlatformRow]) error {
	return writeColumnsXLSX(w, RollupSheet, "平台企业汇总", platformColumns(), rows)
}

// WritePlatformCSV writes the rows as UTF-8 CSV with a byte-order mark,
// identifiers as text formulas (see WriteRollupCSV).
func WritePlatformCSV(w io.Writer, rows iter.Seq[PlatformRow]) error {
	return writeColumnsCSV(w, platformColumns(), rows)
}
