package ui

import (
	"fmt"
	"strings"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/report"
	"digilevel/storage"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// compareModel shows a spot-check against the report it checks:
// report.CompareSpotCheck's Doc, the one result every view of a
// comparison renders (the HTML, Markdown, JSON and XLSX of `report
// compare` too). The verdict stands first, boxed, in a double border when
// the difference crosses the reward floor or changes the reward (with both
// amounts); then both sides (side by side from wideCompare columns,
// stacked below), the flags, every question and scenario with both answers,
// contradictions, evidence on one side only and the reward basis.
type compareModel struct {
	sh       *shared
	id       string // the spot-check
	back     navMsg
	doc      *model.SpotCheckComparison
	err      string
	onlyDiff bool
	page     pager
	w, h     int
}

// wideCompare is the width from which the two sides stand side by side.
const wideCompare = 110

// comparedMsg carries a computed comparison.
type comparedMsg struct {
	doc model.SpotCheckComparison
	err error
}

func newCompare(sh *shared, id string, back navMsg, w, h int) (compareModel, tea.Cmd) {
	m := compareModel{sh: sh, id: id, back: back, w: w, h: h, page: pager{h: h - 2}}
	return m, compareCmd(sh.deps.Store, id)
}

// compareCmd loads the pair as `report compare` does (storage.SpotCheckPair
// refuses a blind draft) and compares it. The pulled report is verified
// here (the store keeps it as received); the spot-check's own report was
// verified by the store. The reward estimate reads the
// enterprise file's current revenue: the year after the rating is known
// only later.
func compareCmd(st Store, spotID string) tea.Cmd {
	return func() tea.Msg {
		pair, err := st.SpotCheckPair(spotID)
		if err != nil {
			return comparedMsg{err: err}
		}
		checked, err := report.FromBytes(pair.SpotCheck.Catalog, pair.CheckedBytes)
		if err != nil {
			return comparedMsg{err: err}
		}
		checked.Revenue = pair.Enterprise.Revenue
		spot, err := reportFromData(pair.SpotCheck)
		if err != nil {
			return comparedMsg{err: err}
		}
		c, err := report.CompareSpotCheck(checked, spot)
		if err != nil {
			return comparedMsg{err: err}
		}
		return comparedMsg{doc: c.Doc}
	}
}

func (m compareModel) update(msg tea.Msg) (screen, tea.Cmd) { return m.Update(msg) }
func (m compareModel) view() string                         { return m.View() }
func (m compareModel) capturing() bool                      { return false }
func (m compareModel) busy() bool                           { return false }
func (m compareModel) resized(w, h int) screen {
	m.w, m.h = w, h
	m.page.resize(h - 2) // below the title and the rule
	m.rebuild()
	return m
}

func (m compareModel) Update(msg tea.Msg) (compareModel, tea.Cmd) {
	switch msg := msg.(type) {
	case comparedMsg:
		if msg.err != nil {
			m.err = errText(msg.err)
			return m, nil
		}
		m.doc = &msg.doc
		m.rebuild()
		return m, nil
	case tea.KeyMsg:
		keys := m.sh.keys
		if m.page.scroll(keys, msg) {
			return m, nil
		}
		switch {
		case key.Matches(msg, keys.Back):
			return m, nav(m.back)
		case key.Matches(msg, keys.OnlyDiff) && m.doc != nil:
			m.onlyDiff = !m.onlyDiff
			m.rebuild()
		case key.Matches(msg, keys.Audit) && m.doc != nil:
			back := navMsg{to: screenCompare, id: m.id, back: &m.back}
			return m, nav(navMsg{to: screenAudit, id: m.doc.Checked.ID, back: &back})
		}
	}
	return m, nil
}

func (m compareModel) severity() string {
	t := m.sh.tx.Spot
	switch m.doc.Severity {
	case model.SeverityCritical:
		return t.SevCritical
	case model.SeverityLevel:
		return t.SevLevel
	case model.SeverityDiffer:
		return t.SevDiffer
	}
	return t.SevAgree
}

// rebuild lays the comparison out for the width.
func (m *compareModel) rebuild() {
	if m.doc == nil {
		return
	}
	st, t, d := m.sh.st, m.sh.tx.Spot, m.doc
	w := m.w
	var out []string
	add := func(s ...string) { out = append(out, s...) }
	section := func(title string) { add("", st.Title.Render(title)) }

	add(m.verdict()...)
	add("")
	if w >= wideCompare {
		add(m.sidesWide()...)
	} else {
		add(m.sidesStacked()...)
	}
	tally := fmt.Sprintf(t.TallyFmt, d.Tally.QuestionsAgree, d.Tally.Questions, d.Tally.ScenariosAgree, d.Tally.Scenarios,
		d.Tally.PointsAtStake, d.Score.Checked, d.Score.SpotCheck, signedPoints(d.Score.Delta))
	add(wrap(tally, w)...)

	section(t.FlagsTitle)
	if len(d.Flags) == 0 {
		add("  " + st.Dim.Render(t.NoFlags))
	}
	for _, f := range d.Flags {
		mark, style := "・ ", st.Dim.Render
		switch f.Severity {
		case model.FlagCritical:
			mark, style = t.MarkCritical, st.Error.Render
		case model.FlagWarning:
			mark, style = t.MarkLevel+" ", st.Warn.Render
		}
		for i, l := range wrap(f.Text, w-2-width(mark)) {
			if i == 0 {
				add("  " + style(mark+l))
			} else {
				add("  " + strings.Repeat(" ", width(mark)) + style(l))
			}
		}
	}

	title := t.QuestionsTitle
	if m.onlyDiff {
		title += t.OnlyDiffNote
	}
	section(title)
	add(m.questionLines()...)
	section(t.ScenariosTitle)
	add(m.scenarioLines()...)

	section(t.ContradictTitle)
	if len(d.Contradictions) == 0 {
		add(indent(wrap(t.NoContradict, w-2), "  ", st.Dim.Render)...)
	}
	for _, c := range d.Contradictions {
		add(hang(wrap(c.Ref+" "+c.Text, w-4), "  ", "    ")...)
	}
	section(t.EvidenceTitle)
	if len(d.EvidenceOneSide) == 0 {
		add(indent(wrap(t.NoEvidenceGap, w-2), "  ", st.Dim.Render)...)
	}
	for _, e := range d.EvidenceOneSide {
		add(hang(wrap(e.Text, w-4), "  ", "    ")...)
	}

	section(t.RewardTitle)
	add(indent(wrap(d.Reward.Basis, w-2), "  ", st.Dim.Render)...)
	if d.Reward.Applicable {
		add(hang(wrap(fmt.Sprintf(t.RewardLineFmt, m.levelSide(true), d.Reward.Checked.Summary), w-4), "  ", "    ")...)
		add(hang(wrap(fmt.Sprintf(t.RewardLineFmt, m.levelSide(false), d.Reward.SpotCheck.Summary), w-4), "  ", "    ")...)
	}

	section(t.SourcesTitle)
	for _, s := range []struct {
		label string
		side  model.SpotCheckSide
	}{{t.SideChecked, d.Checked}, {t.SideSpot, d.SpotCheck}} {
		add(hang(wrap(fmt.Sprintf(t.SourceFmt, s.label, s.side.ID, s.side.SHA256), w-4), "  ", "    ")...)
	}
	add(indent(wrap(fmt.Sprintf(t.CatalogFmt, d.Catalog.Edition, model.ShortHash(d.Catalog.Hash)), w-2), "  ", st.Dim.Render)...)
	m.page.set(out)
}

// levelSide names whose level a reward line rests on: 服务商评定的二级.
func (m compareModel) levelSide(checked bool) string {
	if checked {
		return fmt.Sprintf(m.sh.tx.Spot.ByCheckedFmt, m.doc.Level.CheckedName)
	}
	return fmt.Sprintf(m.sh.tx.Spot.BySpotFmt, m.doc.Level.SpotCheckName)
}

// verdict is the headline: in a double border with "!!" when the
// difference crosses the reward floor or changes the reward (both reward
// lines under it), in a single border with "!" when only the levels
// differ, a plain line otherwise. Marks and borders carry the severity
// without colour.
func (m compareModel) verdict() []string {
	st, t, d := m.sh.st, m.sh.tx.Spot, m.doc
	inner := min(m.w, 100) - 4
	switch d.Severity {
	case model.SeverityCritical, model.SeverityLevel:
		mark, border, style := t.MarkLevel, lipgloss.RoundedBorder(), st.Warn
		if d.Severity == model.SeverityCritical {
			mark, border, style = t.MarkCritical, lipgloss.DoubleBorder(), st.Error
		}
		lines := hang(wrap(d.Headline, inner-width(mark)), mark, strings.Repeat(" ", width(mark)))
		if d.Severity == model.SeverityCritical && d.Reward.Applicable {
			for _, side := range []bool{true, false} {
				sum := d.Reward.Checked.Summary
				if !side {
					sum = d.Reward.SpotCheck.Summary
				}
				l := fmt.Sprintf(t.RewardLineFmt, m.levelSide(side), sum)
				lines = append(lines, hang(wrap(l, inner-width(mark)-2), strings.Repeat(" ", width(mark)), strings.Repeat(" ", width(mark)+2))...)
			}
		}
		for i := range lines {
			lines[i] = style.Render(lines[i])
		}
		box := lipgloss.NewStyle().Border(border).BorderForeground(style.GetForeground()).Padding(0, 1).Width(inner + 2)
		return strings.Split(box.Render(strings.Join(lines, "\n")), "\n")
	case model.SeverityDiffer:
		return indent(wrap(d.Headline, m.w), "", st.Warn.Render)
	}
	return indent(wrap(d.Headline, m.w), "", st.OK.Render)
}

// sideLines are one side's facts, each its own line.
func (m compareModel) sideLines(checked bool) []string {
	t, d := m.sh.tx.Spot, m.doc
	s, label := d.Checked, t.SideChecked
	if !checked {
		s, label = d.SpotCheck, t.SideSpot
		mode := t.NotBlindShort
		if d.Blind {
			mode = t.BlindShort
		}
		label += "（" + mode + "）"
	}
	kind := fmt.Sprintf(t.SideLineFmt, s.KindLabel, s.Version, oneLine(s.Assessor.Org), oneLine(s.Assessor.Person))
	if s.Draft {
		kind += t.SideDraft
	}
	lines := []string{label, kind,
		fmt.Sprintf(t.SideRatedFmt, s.RatedAt.In(report.Zone()).Format("2006-01-02 15:04")),
		fmt.Sprintf(t.SideScoreFmt, s.Score, s.LevelName)}
	if d.Reward.Applicable {
		r := d.Reward.Checked
		if !checked {
			r = d.Reward.SpotCheck
		}
		lines = append(lines, fmt.Sprintf(t.SideRewardFmt, r.Summary))
	}
	return lines
}

func (m compareModel) sidesStacked() []string {
	st := m.sh.st
	var out []string
	for _, side := range []bool{true, false} {
		l := m.sideLines(side)
		out = append(out, st.Title.Render(l[0]))
		// Joined by commas: a line may not start with one, so no fact
		// begins a line with its separator.
		out = append(out, hang(wrap(strings.Join(l[1:], "，"), m.w-2), "  ", "  ")...)
	}
	return out
}

func (m compareModel) sidesWide() []string {
	st := m.sh.st
	colW := (m.w - 3) / 2
	var cols [2][]string
	for i, side := range []bool{true, false} {
		l := m.sideLines(side)
		cols[i] = append(cols[i], st.Title.Render(l[0]))
		for _, x := range l[1:] {
			cols[i] = append(cols[i], wrap(x, colW)...)
		}
	}
	return zip(cols[:], []int{colW, colW}, " │ ")
}

// zip sets blocks of lines side by side, each padded to its width.
func zip(cols [][]string, widths []int, sep string) []string {
	n := 0
	for _, c := range cols {
		n = max(n, len(c))
	}
	out := make([]string, n)
	for r := range n {
		var b strings.Builder
		for i, c := range cols {
			cell := ""
			if r < len(c) {
				cell = c[r]
			}
			if i > 0 {
				b.WriteString(sep)
			}
			if i < len(cols)-1 {
				cell += strings.Repeat(" ", max(widths[i]-lipgloss.Width(cell), 0))
			}
			b.WriteString(cell)
		}
		out[r] = strings.TrimRight(b.String(), " ")
	}
	return out
}

func (m compareModel) answer(a model.AnswerSide) string {
	t := m.sh.tx.Spot
	s := fmt.Sprintf(t.AnswerFmt, a.Text, a.Points)
	if a.Contradiction != "" {
		s += t.Contradicts
	}
	if a.Evidence > 0 {
		s += fmt.Sprintf(t.EvidenceFmt, a.Evidence)
	}
	return s
}

func (m compareModel) questionVerdict(q model.QuestionAgreement) string {
	t := m.sh.tx.Spot
	switch {
	case q.Agree:
		return t.Agree
	case q.Delta == 0:
		return t.DifferSamePoints
	}
	return fmt.Sprintf(t.DifferFmt, signedPoints(q.Delta))
}

func (m compareModel) scenarioVerdict(x model.ScenarioAgreement) string {
	if x.Agree {
		return m.sh.tx.Spot.Agree
	}
	return fmt.Sprintf(m.sh.tx.Spot.DifferLevelsFmt, signedInt(x.Delta))
}

// questionLines: at wideCompare columns a table (编号, 题目, 服务商, 抽查,
// 结论); below it, per question a line with its verdict and title, and for a
// question that differs both answers under it.
func (m compareModel) questionLines() []string {
	st, t, d := m.sh.st, m.sh.tx.Spot, m.doc
	w := m.w
	var out []string
	shown := 0
	if w >= wideCompare {
		verdictW := 16
		titleW := 22
		ansW := (w - 4 - 4 - titleW - verdictW - 4*3) / 2
		widths := []int{4, titleW, ansW, ansW, verdictW}
		head := zip([][]string{{t.ColID}, {t.ColQuestion}, {t.SideChecked}, {t.SideSpot}, {t.ColVerdict}}, widths, " │ ")
		out = append(out, indent(head, "  ", st.Dim.Render)...)
		for _, q := range d.Questions {
			if m.onlyDiff && q.Agree {
				continue
			}
			shown++
			v := m.questionVerdict(q)
			checked, spot := m.answer(q.Checked), m.answer(q.SpotCheck)
			if q.Agree { // the same options: their letters say it
				checked, spot = m.agreed(q.Checked), m.agreed(q.SpotCheck)
			}
			cols := [][]string{{q.ID}, wrap(q.Title, titleW), wrap(checked, ansW), wrap(spot, ansW), wrap(v, verdictW)}
			rows := zip(cols, widths, " │ ")
			style := st.Dim.Render
			if !q.Agree {
				style = st.Warn.Render
			}
			for i, r := range rows {
				mark := "  "
				if i == 0 && !q.Agree {
					mark = "* "
				}
				out = append(out, mark+style(r))
			}
		}
	} else {
		for _, q := range d.Questions {
			if m.onlyDiff && q.Agree {
				continue
			}
			shown++
			if q.Agree {
				line := q.ID + " " + t.Agree + " " + m.agreed(q.Checked) + " ・ " + q.Title
				out = append(out, marked(wrap(line, w-6), "  ", st.Dim.Render)...)
				continue
			}
			line := q.ID + " " + m.questionVerdict(q) + " ・ " + q.Title
			out = append(out, marked(wrap(line, w-6), "* ", st.Warn.Render)...)
			for _, s := range []struct {
				label string
				a     model.AnswerSide
			}{{model.SideLabel(model.SideChecked), q.Checked}, {model.SideLabel(model.SideSpotCheck), q.SpotCheck}} {
				prefix := "      " + pad(s.label, 6) + " "
				out = append(out, hang(wrap(m.answer(s.a), w-width(prefix)), prefix, strings.Repeat(" ", width(prefix)))...)
			}
		}
	}
	if shown == 0 {
		out = append(out, "  "+st.OK.Render(t.AllAgreeShown))
	}
	return out
}

func (m compareModel) scenarioLines() []string {
	st, t, d := m.sh.st, m.sh.tx.Spot, m.doc
	w := m.w
	var out []string
	shown := 0
	name := func(x model.ScenarioAgreement) string {
		if x.Constrained {
			return x.Name + "（" + m.sh.tx.ConstrainedMark + "）"
		}
		return x.Name
	}
	if w >= wideCompare {
		nameW, lvlW, verdictW := 30, 12, 12
		widths := []int{4, nameW, lvlW, lvlW, verdictW}
		head := zip([][]string{{t.ColID}, {t.ColScenario}, {model.SideLabel(model.SideChecked)}, {model.SideLabel(model.SideSpotCheck)}, {t.ColVerdict}}, widths, " │ ")
		out = append(out, indent(head, "  ", st.Dim.Render)...)
		for _, x := range d.Scenarios {
			if m.onlyDiff && x.Agree {
				continue
			}
			shown++
			rows := zip([][]string{{x.ID}, wrap(name(x), nameW), {x.CheckedName}, {x.SpotCheckName}, {m.scenarioVerdict(x)}}, widths, " │ ")
			style, mark := st.Dim.Render, "  "
			if !x.Agree {
				style, mark = st.Warn.Render, "* "
			}
			out = append(out, hang(indent(rows, "", style), mark, "  ")...)
		}
	} else {
		for _, x := range d.Scenarios {
			if m.onlyDiff && x.Agree {
				continue
			}
			shown++
			if x.Agree {
				line := x.ID + " " + t.Agree + " " + x.CheckedName + " ・ " + name(x)
				out = append(out, marked(wrap(line, w-6), "  ", st.Dim.Render)...)
				continue
			}
			line := fmt.Sprintf("%s %s ・ %s: %s %s，%s %s", x.ID, m.scenarioVerdict(x), name(x),
				model.SideLabel(model.SideChecked), x.CheckedName, model.SideLabel(model.SideSpotCheck), x.SpotCheckName)
			out = append(out, marked(wrap(line, w-6), "* ", st.Warn.Render)...)
		}
	}
	if shown == 0 {
		out = append(out, "  "+st.OK.Render(t.AllAgreeShown))
	}
	return out
}

// agreed is an answer both sides gave: its option letters and points.
func (m compareModel) agreed(a model.AnswerSide) string {
	letters := strings.Join(a.Options, ",")
	if letters == "" {
		letters = m.sh.tx.Unanswered
	}
	return fmt.Sprintf(m.sh.tx.Spot.AnswerFmt, letters, a.Points)
}

// marked styles wrapped lines, the first after mark, the others indented
// under the text (a mark only on the line it marks).
func marked(lines []string, mark string, style func(...string) string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if i == 0 {
			out[i] = mark + style(l)
		} else {
			out[i] = strings.Repeat(" ", width(mark)+4) + style(l)
		}
	}
	return out
}

func signedPoints(p indicators.Points) string {
	if p > 0 {
		return "+" + p.String()
	}
	return p.String()
}

func signedInt(n int) string {
	if n > 0 {
		return fmt.Sprintf("+%d", n)
	}
	return fmt.Sprint(n)
}

func (m compareModel) View() string {
	st, t := m.sh.st, m.sh.tx.Spot
	w := m.w
	right := ""
	name := ""
	if m.doc != nil {
		right = m.severity()
		name = " ・ " + oneLine(m.doc.Enterprise.Name)
	}
	title := truncate(t.CompareTitle+name, w-width(right)-2)
	out := []string{
		st.Header.Render(title) + strings.Repeat(" ", max(w-width(title)-width(right), 1)) + st.HeaderDim.Render(right),
		st.Rule.Render(strings.Repeat("─", w)),
	}
	switch {
	case m.err != "":
		out = append(out, indent(wrap(m.err, w), "", st.Error.Render)...)
		return strings.Join(out, "\n")
	case m.doc == nil:
		out = append(out, st.Dim.Render(t.Loading))
		return strings.Join(out, "\n")
	}
	out = append(out, m.page.view(st, m.sh.tx)...)
	return strings.Join(out, "\n")
}

func (m compareModel) help() helpKeys {
	k := m.sh.keys
	short := []key.Binding{k.Up, k.Down, k.PageDown, k.OnlyDiff, k.Audit, k.Back}
	return helpKeys{short: short, full: [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown},
		{k.OnlyDiff, k.Audit},
		{k.Back, k.Help, k.ForceQuit},
	}}
}

// reportFromData prepares a local assessment's report as the CLI does: the
// signed bytes once frozen, rendered from the document the store verified
// while loading them (verifying again would double the cost of a load),
// the current document while a draft.
func reportFromData(rd storage.ReportData) (*report.Report, error) {
	if rd.Assessment.State.Frozen() {
		return report.FromVerified(rd.Catalog, rd.Document, rd.Bytes)
	}
	return report.New(rd.Catalog, rd.Document)
}
