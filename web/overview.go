package web

import (
	"fmt"
	"net/http"
	"strconv"

	"digilevel/model"
	"digilevel/report"
)

// overviewData is the 总览 page.
type overviewData struct {
	Total     model.BatchFigures
	Batches   *table
	Levels    *table
	Targets   []model.TargetProgress
	TargetTab *table
	Chart     levelChart
	Spot      model.SpotCheckFigures
	FloorName string
	Problems  []string
}

func (d *Dashboard) overviewPage(w http.ResponseWriter, r *request) {
	s := d.snapshotOr(w, r)
	if s == nil {
		return
	}
	tables := d.overviewTables(s)
	data := overviewData{Total: s.programme.Total, Batches: tables[0], Levels: tables[1], TargetTab: tables[2],
		Targets: s.programme.Targets, Chart: d.levelChart(s.programme.Before, s.programme.After), Spot: s.programme.SpotChecks,
		FloorName: d.catalog.LevelName(d.policy.RewardFloor()), Problems: s.problems}
	d.render(w, r.Request, http.StatusOK, "overview", page{Title: "总览", Nav: "overview", CSRF: r.session.CSRF, Snapshot: s, Body: data})
}

func itoa(n int) string { return strconv.Itoa(n) }

func num(n int) cell { return cell{Text: itoa(n)} }

// overviewTables are the batch counts, the level distribution and the
// Art. 5 targets.
func (d *Dashboard) overviewTables(s *snapshot) []*table {
	p := s.programme
	floor := d.catalog.LevelName(d.policy.RewardFloor())
	n := func(h string) column { return column{Header: h, Kind: report.ColumnNumber, Width: 10} }
	batches := &table{Page: "overview", Name: "batches", Title: "分批次进度",
		Cols: []column{{Header: "批次", Width: 10}, n("企业"), n("名单内"), n("名单外"), n("未诊断"), n("已诊断"), n("其中改造中"),
			n("已验收"), n("已抽查"), n("验收达到" + floor), n(floor + "占验收比例")}}
	row := func(label string, f model.BatchFigures, class string) {
		share := "—"
		if f.Accepted > 0 {
			share = itoa(f.FloorPercent) + "%"
		}
		batches.add(class, cell{Text: label}, num(f.Enterprises), num(f.OnRoster), num(f.NotOnRoster), num(f.NotDiagnosed),
			num(f.Diagnosed), num(f.InRetrofit), num(f.Accepted), num(f.SpotChecked), num(f.AcceptedAtFloor), cell{Text: share})
	}
	for _, b := range p.Batches {
		row(batchName(b.Batch), b, "")
	}
	row("合计", p.Total, "total")

	levels := &table{Page: "overview", Name: "levels", Title: "等级分布（家数）",
		Cols: []column{{Header: "等级", Width: 12}, n("改造前（诊断）"), n("改造后（验收）")}}
	for l := range p.Before.Counts {
		levels.add("", cell{Text: d.catalog.LevelName(l)}, num(p.Before.Counts[l]), num(p.After.Counts[l]))
	}
	levels.add("total", cell{Text: "合计"}, num(p.Before.N), num(p.After.N))

	targets := &table{Page: "overview", Name: "targets", Title: "工作目标完成情况",
		Cols: []column{{Header: "目标", Width: 44, Kind: report.ColumnWrap}, {Header: "条款", Width: 8}, n("目标数"), n("已完成"), n("改造中"), n("完成率")}}
	for _, t := range p.Targets {
		targets.add("", cell{Text: t.Text}, cell{Text: t.Article}, num(t.Goal), num(t.Reached), num(t.InProgress), cell{Text: itoa(t.Percent) + "%"})
	}
	return []*table{batches, levels, targets}
}

// levelChart is the grouped bar chart of levels before and after, drawn
// as inline SVG (no script, prints as vectors).
type levelChart struct {
	Width, Height int
	Bars          []chartBar
	Labels        []chartLabel
	Grid          []chartLabel
	Baseline      int
}

type chartBar struct {
	X, Y, W, H int
	After      bool
	Value      int
	TextY      int
}

type chartLabel struct {
	X, Y int
	Text string
}

func (d *Dashboard) levelChart(before, after model.LevelDistribution) levelChart {
	const left, top, bottom, groupW, barW = 44, 34, 36, 120, 40
	c := levelChart{Height: 240}
	c.Width = left + groupW*len(before.Counts) + 10
	c.Baseline = c.Height - bottom
	peak := 1
	for i := range before.Counts {
		peak = max(peak, before.Counts[i], after.Counts[i])
	}
	// A round step for the scale: 1, 2, 5, 10, 20, 50, … with at most five steps.
	step := 1
	for i := 0; peak > step*5; i++ {
		if i%3 == 1 {
			step = step * 5 / 2
		} else {
			step *= 2
		}
	}
	scaleTop := (peak + step - 1) / step * step
	height := c.Baseline - top
	for v := 0; v <= scaleTop; v += step {
		y := c.Baseline - v*height/scaleTop
		c.Grid = append(c.Grid, chartLabel{X: left - 6, Y: y, Text: itoa(v)})
	}
	for i := range before.Counts {
		x := left + i*groupW + 16
		for j, v := range []int{before.Counts[i], after.Counts[i]} {
			h := v * height / scaleTop
			c.Bars = append(c.Bars, chartBar{X: x + j*(barW+6), Y: c.Baseline - h, W: barW, H: h, After: j == 1, Value: v, TextY: c.Baseline - h - 4})
		}
		c.Labels = append(c.Labels, chartLabel{X: x + barW + 3, Y: c.Baseline + 18, Text: d.catalog.LevelName(i)})
	}
	return c
}

// loadingText is the loading page's message.
func loadingText(n int) string { return fmt.Sprintf("已载入 %d 份报告", n) }
