package report

import (
	"fmt"
	"html"
	"strings"
)

// Charts are inline SVG written as well-formed XML with presentation
// attributes (no classes), so they look the same printed, pasted or
// extracted. No xmlns: inline SVG in HTML gets its namespace from the
// parser, and the output must not contain any URL.

const (
	colorBar         = "#2b6cb0"
	colorConstrained = "#c05621"
	colorTrack       = "#e2e8f0"
	colorGrid        = "#cbd5e0"
	colorText        = "#1a202c"
	colorMuted       = "#4a5568"
	colorTarget      = "#c53030"
)

func esc(s string) string { return html.EscapeString(s) }

// dimensionChart draws each dimension's points as a share of its maximum,
// then the base score out of the total.
func dimensionChart(dims []dimView, score, maxScore string, scorePercent int) string {
	const (
		width  = 680
		labelW = 120
		barW   = 380
		rowH   = 34
	)
	type row struct {
		label, value string
		percent      int
		bold         bool
	}
	var rows []row
	for _, d := range dims {
		rows = append(rows, row{d.Name, fmt.Sprintf("%s / %s 分（%d%%）", d.Points, d.Max, d.Percent), d.Percent, false})
	}
	rows = append(rows, row{"基础得分", fmt.Sprintf("%s / %s 分", score, maxScore), scorePercent, true})
	height := len(rows)*rowH + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="各维度得分">`, width, height, width, height)
	b.WriteString(`<title>各维度得分</title>`)
	for i, r := range rows {
		y := i*rowH + 4
		weight := "normal"
		if r.bold {
			weight = "bold"
		}
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="14" font-weight="%s" fill="%s">%s</text>`, y+20, weight, colorText, esc(r.label))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="20" fill="%s"/>`, labelW, y+5, barW, colorTrack)
		w := barW * min(max(r.percent, 0), 100) / 100
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="20" fill="%s"/>`, labelW, y+5, w, colorBar)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="13" fill="%s">%s</text>`, labelW+barW+10, y+20, colorMuted, esc(r.value))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// scenarioChart draws the scenarios' levels on a 0..maxLevel scale, the
// 约束性 ones marked with a star and their own colour, and the pilot target
// level as a dashed line.
func scenarioChart(scen []scenarioView, levelNames []string, maxLevel, target int) string {
	const (
		width  = 680
		labelW = 150
		plotW  = 440
		top    = 28
		rowH   = 22
	)
	if maxLevel < 1 {
		maxLevel = 1
	}
	step := plotW / maxLevel
	legendY := top + len(scen)*rowH + 16
	height := legendY + 24
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="应用场景等级">`, width, height, width, height)
	b.WriteString(`<title>应用场景等级（★ 为约束性场景）</title>`)
	for l := 0; l <= maxLevel; l++ {
		x := labelW + l*step
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="1"/>`, x, top-6, x, top+len(scen)*rowH, colorGrid)
		if l > 0 && l < len(levelNames) {
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="middle" fill="%s">%s</text>`, x, top-10, colorMuted, esc(levelNames[l]))
		}
	}
	for i, s := range scen {
		y := top + i*rowH
		label := s.ID + " " + s.Name
		color := colorBar
		if s.Constrained {
			label = "★ " + label
			color = colorConstrained
		}
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="13" fill="%s">%s</text>`, y+15, colorText, esc(label))
		w := step * min(max(s.Level, 0), maxLevel)
		if w > 0 {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="14" fill="%s"/>`, labelW, y+4, w, color)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" fill="%s">%s</text>`, labelW+w+6, y+15, colorMuted, esc(s.LevelName))
	}
	if target >= 1 && target <= maxLevel {
		x := labelW + target*step
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2" stroke-dasharray="5,4"/>`, x, top-4, x, top+len(scen)*rowH+4, colorTarget)
	}
	// Legend.
	fmt.Fprintf(&b, `<rect x="0" y="%d" width="14" height="14" fill="%s"/>`, legendY, colorConstrained)
	fmt.Fprintf(&b, `<text x="20" y="%d" font-size="12" fill="%s">★ 约束性场景</text>`, legendY+12, colorText)
	fmt.Fprintf(&b, `<rect x="130" y="%d" width="14" height="14" fill="%s"/>`, legendY, colorBar)
	fmt.Fprintf(&b, `<text x="150" y="%d" font-size="12" fill="%s">指导性场景</text>`, legendY+12, colorText)
	if target >= 1 && target < len(levelNames) {
		fmt.Fprintf(&b, `<line x1="250" y1="%d" x2="280" y2="%d" stroke="%s" stroke-width="2" stroke-dasharray="5,4"/>`, legendY+7, legendY+7, colorTarget)
		fmt.Fprintf(&b, `<text x="286" y="%d" font-size="12" fill="%s">试点目标等级（%s）</text>`, legendY+12, colorText, esc(levelNames[target]))
	}
	b.WriteString(`</svg>`)
	return b.String()
}
