package ui

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"digilevel/attach"
	"digilevel/indicators"
	"digilevel/model"
	"digilevel/report"
	"digilevel/storage"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// reviewMode is the review screen's dialog state.
type reviewMode int

const (
	reviewBrowse reviewMode = iota
	reviewConfirm
	reviewRevise
	reviewExport
)

// exportDirMsg carries the default export folder.
type exportDirMsg struct{ dir string }

// reviewModel shows the result: scores, scenario counts, the level and each
// gate with its numbers, the cheapest paths up, answers that contradict
// their numbers and what is missing; it finalizes, revises and exports.
type reviewModel struct {
	sh     *shared
	sess   session
	lines  []string // content, rebuilt when the assessment or width changes
	offset int
	mode   reviewMode

	// diag is the diagnosis from the store (nil while it loads).
	diag    *storage.DiagnosisData
	loadErr string

	missing []string
	reason  textinput.Model
	dir     textinput.Model
	formats []bool // by report.Formats()
	fcursor int    // 0 = folder field, 1.. = formats
	saving  bool
	err     string
	info    string
	w, h    int
}

func newReview(sh *shared, s session, w, h int) reviewModel {
	m := reviewModel{sh: sh, sess: s, w: w, h: h}
	m.reason = textinput.New()
	m.reason.Prompt = sh.tx.ReviseReason
	m.reason.Cursor.SetMode(cursor.CursorStatic)
	m.reason.CharLimit = 200
	m.dir = textinput.New()
	m.dir.Prompt = ""
	m.dir.Cursor.SetMode(cursor.CursorStatic)
	m.formats = make([]bool, len(report.Formats()))
	m.formats[0] = true // HTML
	m.SetSize(w, h)
	return m
}

func (m reviewModel) update(msg tea.Msg) (screen, tea.Cmd) { return m.Update(msg) }
func (m reviewModel) view() string                         { return m.View() }
func (m reviewModel) busy() bool                           { return m.saving }
func (m reviewModel) resized(w, h int) screen {
	m.SetSize(w, h)
	return m
}

// load asks the store for the diagnosis the review shows.
func (m reviewModel) load() tea.Cmd { return loadDiagnosisCmd(m.sh.deps.Store, m.sess.a.ID) }

// openRevise opens the revise dialog (home offers it before a second
// assessment of a kind that has a finalized one).
func (m reviewModel) openRevise() (reviewModel, tea.Cmd) {
	if !m.sess.a.State.Frozen() || m.sess.a.ReplacedBy != "" {
		return m, nil
	}
	m.mode = reviewRevise
	m.reason.SetValue("")
	return m, m.reason.Focus()
}

func (m *reviewModel) SetSize(w, h int) {
	m.w, m.h = w, h
	// A text input draws its width plus a cell for the cursor; the folder
	// line adds the focus mark and the brackets.
	inner := m.dialogInner()
	m.reason.Width = max(inner-width(m.reason.Prompt)-1, 10)
	m.dir.Width = max(inner-width("▸ []")-1, 10)
	m.rebuild()
}

// dialogInner is the text width inside the review's dialogs.
func (m reviewModel) dialogInner() int {
	return min(m.w, 90) - m.sh.st.Dialog.GetHorizontalFrameSize()
}

func (m reviewModel) capturing() bool { return m.mode == reviewRevise || m.mode == reviewExport }

// rebuild computes the content lines. Scoring and planning happen here,
// not in View, so drawing stays cheap.
func (m *reviewModel) rebuild() {
	if m.sess.cat == nil {
		return
	}
	st, t, cat, a := m.sh.st, m.sh.tx, m.sess.cat, m.sess.a
	w := m.w
	var out []string
	add := func(s ...string) { out = append(out, s...) }
	section := func(title string) { add("", st.Title.Render(title)) }

	switch {
	case m.loadErr != "":
		add(indent(wrap(m.loadErr, w), "", st.Error.Render)...)
		m.lines = out
		return
	case m.diag == nil:
		add(st.Dim.Render(t.Loading))
		m.lines = out
		return
	}
	d := m.diag.Diagnosis
	res := d.Result
	scoreLine := fmt.Sprintf(t.ScoreFmt, res.Score, res.MaxScore, res.LevelName)
	state := a.State.Label()
	if !a.FinalizedAt.IsZero() {
		state = fmt.Sprintf(t.FrozenFmt, state, a.FinalizedAt.In(report.Zone()).Format("2006-01-02 15:04"))
	}
	if width(scoreLine)+2+width(state) <= w {
		add(st.Header.Render(scoreLine) + strings.Repeat(" ", w-width(scoreLine)-width(state)) + st.Dim.Render(state))
	} else {
		add(st.Header.Render(scoreLine))
		add(indent(wrap(state, w), "", st.Dim.Render)...)
	}

	add(spotCheckLines(m.sh, a, w)...)

	m.missing = a.Answers.Missing(cat)
	nq, ns := 0, 0
	for _, id := range m.missing {
		if _, ok := cat.Scenario(id); ok {
			ns++
		} else {
			nq++
		}
	}
	if !a.State.Frozen() {
		if len(m.missing) == 0 {
			add(st.OK.Render(t.Complete))
		} else {
			add(st.Warn.Render(fmt.Sprintf(t.MissingFmt, nq, ns)))
		}
	}

	section(t.DimensionsTitle)
	nameW := 0
	for _, d := range res.Dimensions {
		nameW = max(nameW, width(d.Name))
	}
	for _, d := range res.Dimensions {
		nums := fmt.Sprintf("%6s / %-3s", d.Points, d.Max)
		line := "  " + pad(d.Name, nameW) + "  " + nums + "  " + st.Info.Render(bar(int(d.Points), int(d.Max), 10))
		add(line)
		if w >= 110 {
			var subs []string
			for _, s := range d.SubDimensions {
				subs = append(subs, fmt.Sprintf("%s %s/%s", s.Name, s.Points, s.Max))
			}
			add(indent(wrap(strings.Join(subs, "  "), w-6), "      ", st.Dim.Render)...)
		}
	}

	section(t.CountsTitle)
	for _, c := range res.Counts {
		if c.Level == 0 {
			continue
		}
		add("  " + fmt.Sprintf(t.CountFmt, cat.ScenarioLevelName(c.Level), c.Total, c.Constrained))
	}

	section(t.GatesTitle)
	for _, c := range res.Checks {
		add(m.gateLine(c))
	}

	if res.Level >= cat.MaxLevel() {
		section(t.TopLevel)
	} else {
		section(fmt.Sprintf(t.NextTitleFmt, d.Next.TargetName))
		add(m.planLines(d.Next)...)
	}
	if target := d.Target; target.Target > 0 && res.Level < target.Target && target.Target != d.Next.Target {
		section(fmt.Sprintf(t.TargetTitleFmt, target.TargetName))
		add(m.planLines(target)...)
	}

	section(t.ContradictTitle)
	cs := model.Contradictions(model.Derive(cat, a.Answers))
	if len(cs) == 0 {
		add("  " + st.Dim.Render(t.NoContradict))
	}
	for _, d := range cs {
		for _, l := range wrap(d.Text, w-2) {
			add("  " + st.Warn.Render(l))
		}
	}

	if m.diagnosis() {
		add(m.diagnosisLines()...)
	}

	if len(m.missing) > 0 && !a.State.Frozen() {
		section(t.MissingTitle)
		for _, l := range wrap(strings.Join(m.missing, " "), w-2) {
			add("  " + st.Dim.Render(l))
		}
	}
	m.lines = out
	m.offset = min(m.offset, max(len(m.lines)-m.contentHeight(), 0))
}

// gateLine renders a level check from its fields (the model's Text uses ≥).
func (m reviewModel) gateLine(c model.LevelCheck) string {
	t, st := m.sh.tx, m.sh.st
	mark := func(ok bool) string {
		if ok {
			return st.OK.Render("✓")
		}
		return st.Error.Render("✗")
	}
	met := st.Error.Render(t.GateNotMet)
	if c.Met {
		met = st.OK.Render(t.GateMet)
	}
	score, scen, cons := t.gate(c, mark)
	return "  " + pad(c.Name, 4) + "  " + score + "  " + scen + "  " + cons + "  " + met
}

// planLines shows a priced path: what it changes and costs, each change
// with its points and cost (leading, so they survive any width; the title
// wraps under them), then the alternatives in a line each.
func (m reviewModel) planLines(p model.GapPlan) []string {
	t, st, cat := m.sh.tx, m.sh.st, m.sess.cat
	switch {
	case p.AlreadyMet:
		return []string{"  " + st.OK.Render(t.PlanMet)}
	case !p.Reachable:
		return indent(wrap(fmt.Sprintf(t.PlanUnreachable, p.Reason), m.w-2), "  ", st.Warn.Render)
	}
	out := indent(wrap(fmt.Sprintf(t.Diag.PathCostFmt, p.Changes, p.CostUnit, p.Cost), m.w-2), "  ", st.Dim.Render)
	if p.ScoreNeed > 0 {
		out = append(out, indent(wrap(fmt.Sprintf(t.PlanScoreFmt, p.ScoreNow, p.ScoreNeed, p.ScoreAfter), m.w-2), "  ", st.Dim.Render)...)
	} else {
		out = append(out, indent(wrap(fmt.Sprintf(t.PlanScoreOKFmt, p.ScoreNow), m.w-2), "  ", st.Dim.Render)...)
	}
	opts := func(ids []string) string {
		if len(ids) == 0 {
			return t.Unanswered
		}
		return strings.Join(ids, ",")
	}
	for _, q := range p.Questions {
		title := ""
		if qq, ok := m.sess.qn.Question(q.ID); ok {
			title = qq.Title
		}
		line := fmt.Sprintf(t.PlanQuestionFmt, q.ID, opts(q.From), opts(q.To), q.Gain, q.Cost, title)
		out = append(out, hang(wrap(line, m.w-6), "  ", "      ")...)
	}
	for _, s := range p.Scenarios {
		line := fmt.Sprintf(t.PlanScenarioFmt, s.ID, cat.ScenarioLevelName(s.From), cat.ScenarioLevelName(s.To), s.Cost, s.Name)
		out = append(out, hang(wrap(line, m.w-6), "  ", "      ")...)
	}
	if len(p.Questions)+len(p.Scenarios) == 0 {
		out = append(out, "  "+st.Dim.Render(t.PlanNone))
	}
	for i, alt := range p.Alternatives {
		var items []string
		for _, q := range alt.Questions {
			items = append(items, fmt.Sprintf(t.Diag.AltItemQFmt, q.ID, opts(q.To)))
		}
		for _, s := range alt.Scenarios {
			items = append(items, fmt.Sprintf(t.Diag.AltItemSFmt, s.ID, cat.ScenarioLevelName(s.To)))
		}
		line := fmt.Sprintf(t.Diag.AltFmt, i+1, alt.CostUnit, alt.Cost, alt.ScoreNow, alt.ScoreAfter, strings.Join(items, "；"))
		out = append(out, hang(wrap(line, m.w-6), "  ", "      ")...)
	}
	return out
}

// diagnosisLines are the review's diagnosis sections: the site survey,
// both lists (path items marked) and the retrofit plan, each with the key
// that opens it.
func (m reviewModel) diagnosisLines() []string {
	t, st, a := m.sh.tx, m.sh.st, m.sess.a
	dt := t.Diag
	var out []string
	add := func(s ...string) { out = append(out, s...) }
	para := func(s string, style func(...string) string) { add(indent(wrap(s, m.w-2), "  ", style)...) }

	sec := func(title string) { add("", st.Title.Render(title)) }

	sec(dt.SurveyTitle)
	if s := a.Survey; s != nil {
		para(fmt.Sprintf(dt.SurveyLineFmt, s.Date, len(s.Surveyors), len(s.PainPoints)), st.Dim.Render)
		for _, p := range s.PainPoints {
			add(hang(wrap(model.PainKinds[p.Kind]+": "+oneLine(p.Text), m.w-4), "  ", "    ")...)
		}
	} else {
		para(dt.SurveyNone, st.Dim.Render)
	}

	d := m.diag.Diagnosis
	for _, l := range []struct {
		name  string
		items []model.ListItem
	}{{model.ListLabel(model.ListProblems), d.Problems}, {model.ListLabel(model.ListDemands), d.Demands}} {
		sec(fmt.Sprintf(dt.ListsTitleFmt, l.name, len(l.items), onPath(l.items)))
		if len(l.items) == 0 {
			para(dt.ListEmpty, st.Dim.Render)
		}
		for i, it := range l.items {
			add(listLine(m.sh, i, it, m.w)...)
		}
	}
	para(dt.ListsHint, st.Dim.Render)

	sec(dt.PlanTitle)
	if a.Plan == nil {
		para(dt.PlanNone, st.Dim.Render)
	} else {
		para(planSummary(t, a.Plan), st.Dim.Render)
	}
	return out
}

// contentHeight is the body less the header (3), the "more below" line and the status line.
func (m reviewModel) contentHeight() int { return max(m.h-3-2, 3) }

func (m reviewModel) Update(msg tea.Msg) (reviewModel, tea.Cmd) {
	switch msg := msg.(type) {
	case diagnosisMsg:
		if msg.id != m.sess.a.ID {
			return m, nil
		}
		m.loadErr = ""
		if msg.err != nil {
			m.loadErr = errText(msg.err)
		} else {
			m.diag = &msg.d
		}
		m.rebuild()
		return m, nil
	case savedMsg:
		m.saving = false
		if msg.err != nil {
			m.err = errText(msg.err)
			return m, nil
		}
		if msg.a.ID != "" {
			m.sess.a = msg.a
		}
		m.info = msg.info
		m.rebuild()
		if msg.next != nil {
			return m, nav(*msg.next)
		}
		return m, nil
	case exportDirMsg:
		m.mode = reviewExport
		m.dir.SetValue(msg.dir)
		m.fcursor = 0
		return m, m.dir.Focus()
	case exportedMsg:
		m.saving = false
		if msg.err != nil {
			m.err = errText(msg.err)
			return m, nil
		}
		m.mode = reviewBrowse
		m.info = fmt.Sprintf(m.sh.tx.ExportDoneFmt, strings.Join(msg.paths, "\n"))
		return m, nil
	case tea.KeyMsg:
		if m.saving {
			return m, nil
		}
		m.err = ""
		switch m.mode {
		case reviewConfirm:
			return m.updateConfirm(msg)
		case reviewRevise:
			return m.updateRevise(msg)
		case reviewExport:
			return m.updateExport(msg)
		}
		return m.updateBrowse(msg)
	}
	return m, nil
}

func (m reviewModel) updateBrowse(k tea.KeyMsg) (reviewModel, tea.Cmd) {
	keys := m.sh.keys
	m.info = ""
	maxOff := max(len(m.lines)-m.contentHeight(), 0)
	switch {
	case key.Matches(k, keys.Back):
		return m, nav(navMsg{to: screenHome})
	case key.Matches(k, keys.Up):
		m.offset = max(m.offset-1, 0)
	case key.Matches(k, keys.Down):
		m.offset = min(m.offset+1, maxOff)
	case key.Matches(k, keys.PageUp):
		m.offset = max(m.offset-m.contentHeight(), 0)
	case key.Matches(k, keys.PageDown):
		m.offset = min(m.offset+m.contentHeight(), maxOff)
	case key.Matches(k, keys.Jump):
		return m, nav(navMsg{to: screenWalk, q: 0})
	case key.Matches(k, keys.Scenarios):
		return m, nav(navMsg{to: screenScenarios})
	case key.Matches(k, keys.Settings):
		return m, nav(navMsg{to: screenSettings, back: &navMsg{to: screenReview}})
	case !m.diagnosis() && key.Matches(k, keys.Survey, keys.Lists, keys.Plan):
		// Acceptance and spot-check reports are ratings, not diagnoses.
	case key.Matches(k, keys.Survey):
		if m.sess.a.State.Frozen() {
			m.err = m.sh.tx.Diag.ReadOnlySurvey
			return m, nil
		}
		return m, nav(navMsg{to: screenSurvey, back: &navMsg{to: screenReview}})
	case key.Matches(k, keys.Lists):
		return m, nav(navMsg{to: screenLists})
	case key.Matches(k, keys.Plan):
		return m, nav(navMsg{to: screenPlan})
	case key.Matches(k, keys.Finalize):
		switch {
		case m.sess.a.State.Frozen():
			m.err = m.sh.tx.ReadOnly
		case len(m.missing) > 0:
			m.err = fmt.Sprintf(m.sh.tx.FinalizeMissing, strings.Join(m.missing, " "))
		case m.sess.a.Assessor.Org == "" && m.sh.ident.Org == "":
			// The store would refuse it: say so before asking to confirm.
			m.err = m.sh.tx.FinalizeNoOrg
		default:
			m.mode = reviewConfirm
		}
	case key.Matches(k, keys.Revise):
		return m.openRevise()
	case key.Matches(k, keys.Compare):
		return m.compare()
	case key.Matches(k, keys.Audit):
		return m, nav(navMsg{to: screenAudit, id: m.sess.a.ID, back: &navMsg{to: screenReview}})
	case key.Matches(k, keys.Export):
		st, wd := m.sh.deps.Store, m.sh.deps.WorkDir
		return m, func() tea.Msg {
			dir, _ := st.Setting(storage.SettingExportDir)
			if dir == "" {
				dir = wd
			}
			return exportDirMsg{dir: dir}
		}
	}
	return m, nil
}

func (m reviewModel) updateConfirm(k tea.KeyMsg) (reviewModel, tea.Cmd) {
	switch {
	case key.Matches(k, m.sh.keys.Confirm):
		m.mode = reviewBrowse
		m.saving = true
		st, id, c, done := m.sh.deps.Store, m.sess.a.ID, m.sh.change(""), m.sh.tx.FinalizeDone
		next := afterFinalize(m.sess.a, done)
		return m, func() tea.Msg {
			a, err := st.Finalize(id, c)
			return savedMsg{a: a, err: err, info: done, next: next}
		}
	case key.Matches(k, m.sh.keys.Cancel):
		m.mode = reviewBrowse
	}
	return m, nil
}

func (m reviewModel) updateRevise(k tea.KeyMsg) (reviewModel, tea.Cmd) {
	switch {
	case key.Matches(k, m.sh.keys.Back):
		m.mode = reviewBrowse
		m.reason.Blur()
		return m, nil
	case key.Matches(k, m.sh.keys.Enter):
		reason := strings.TrimSpace(m.reason.Value())
		if reason == "" {
			m.err = m.sh.tx.ReviseNeedReason
			return m, nil
		}
		if err := model.CheckText(reason, model.TextRule{Label: m.sh.tx.ReviseReasonLabel, Max: 200}); err != nil {
			m.err = errText(err)
			return m, nil
		}
		m.mode = reviewBrowse
		m.reason.Blur()
		m.saving = true
		st, id, c := m.sh.deps.Store, m.sess.a.ID, m.sh.change(reason)
		f := m.sh.tx.RevisedFmt
		return m, func() tea.Msg {
			a, err := st.Revise(id, reason, c)
			if err != nil {
				return savedMsg{err: err}
			}
			return savedMsg{a: a, info: fmt.Sprintf(f, a.Version), next: &navMsg{to: screenWalk, q: 0}}
		}
	}
	var cmd tea.Cmd
	m.reason, cmd = m.reason.Update(k)
	return m, cmd
}

func (m reviewModel) updateExport(k tea.KeyMsg) (reviewModel, tea.Cmd) {
	keys := m.sh.keys
	n := len(m.formats)
	switch {
	case key.Matches(k, keys.Back):
		m.mode = reviewBrowse
		m.dir.Blur()
		return m, nil
	case key.Matches(k, keys.Tab, keys.ArrowDown):
		m.fcursor = (m.fcursor + 1) % (n + 1)
	case key.Matches(k, keys.ShiftTab, keys.ArrowUp):
		m.fcursor = (m.fcursor + n) % (n + 1)
	case key.Matches(k, keys.Enter):
		dir := strings.TrimSpace(m.dir.Value())
		if dir == "" {
			m.err = m.sh.tx.ExportNeedDir
			return m, nil
		}
		if err := model.CheckText(dir, model.TextRule{Label: m.sh.tx.FieldExportDir, Max: 4096}); err != nil {
			m.err = errText(err)
			return m, nil
		}
		if ps := attach.Paths(dir, attach.Exists); len(ps) == 1 {
			dir = ps[0]
		}
		var fs []report.Format
		for i, f := range report.Formats() {
			if m.formats[i] {
				fs = append(fs, f)
			}
		}
		if len(fs) == 0 {
			fs = []report.Format{report.FormatHTML}
		}
		m.saving = true
		return m, exportCmd(m.sh.deps.Store, m.sh.cat, m.sess, dir, fs)
	case m.fcursor > 0 && key.Matches(k, keys.Toggle):
		m.formats[m.fcursor-1] = !m.formats[m.fcursor-1]
		return m, nil
	}
	if m.fcursor == 0 {
		m.dir.Focus()
		var cmd tea.Cmd
		m.dir, cmd = m.dir.Update(k)
		return m, cmd
	}
	m.dir.Blur()
	return m, nil
}

// exportCmd writes the report in each format into dir and reports the paths.
func exportCmd(st Store, labels *indicators.Catalog, s session, dir string, formats []report.Format) tea.Cmd {
	base := exportBase(labels, s)
	id := s.a.ID
	return func() tea.Msg {
		rd, err := st.Report(id)
		if err != nil {
			return exportedMsg{err: err}
		}
		r, err := reportFromData(rd)
		if err != nil {
			return exportedMsg{err: err}
		}
		// As in `digilevel report`: the reward estimate reads the current
		// 一企一档 revenue, because the year after the rating comes later.
		if e, err := st.Enterprise(rd.Assessment.Enterprise); err == nil {
			r.Revenue = e.Revenue
		}
		var paths []string
		for _, f := range formats {
			p := filepath.Join(dir, base+f.Ext())
			if err := report.WriteFile(p, func(w io.Writer) error { return r.Write(w, f) }); err != nil {
				return exportedMsg{paths: paths, err: err}
			}
			paths = append(paths, p)
		}
		// The evidence goes with the report: the stored copies, in a folder
		// beside it (listed as the folder, not file by file).
		if len(rd.Document.Evidence) > 0 {
			evDir := report.EvidenceDir(filepath.Join(dir, base))
			if _, err := report.WriteEvidence(evDir, rd.Document.Evidence, st.EvidenceData); err != nil {
				return exportedMsg{paths: paths, err: err}
			}
			paths = append(paths, evDir+string(filepath.Separator))
		}
		return exportedMsg{paths: paths}
	}
}

// exportBase names report files: 企业名_评测类型_v1[_草稿].
func exportBase(cat *indicators.Catalog, s session) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || model.UnsafeRune(r) {
			return '_'
		}
		return r
	}, s.ent.Name)
	base := fmt.Sprintf("%s_%s_v%d", name, cat.KindLabel(string(s.a.Kind)), s.a.Version)
	if !s.a.State.Frozen() {
		base += "_草稿"
	}
	return base
}

func (m reviewModel) View() string {
	st, t := m.sh.st, m.sh.tx
	out := header(m.sh, m.sess, m.w)
	msg := message(st, t, m.saving, m.err, m.info, "", m.w)
	if len(msg) == 1 && msg[0] == "" {
		msg = nil
	}
	ch := max(m.h-len(out)-len(msg)-1, 3)
	end := min(m.offset+ch, len(m.lines))
	body := append([]string{}, m.lines[m.offset:end]...)
	if rest := len(m.lines) - end; rest > 0 {
		body = append(body, st.Dim.Render(fmt.Sprintf(t.MoreBelow, rest)))
	}
	inner := m.dialogInner()
	var dialog []string
	switch m.mode {
	case reviewConfirm:
		for _, l := range t.FinalizeAsk {
			dialog = append(dialog, wrap(l, inner)...)
		}
	case reviewRevise:
		dialog = append(dialog, wrap(t.ReviseAsk, inner)...)
		dialog = append(dialog, m.reason.View())
	case reviewExport:
		dialog = append(dialog, st.Title.Render(t.ExportTitle), t.ExportDir)
		mark := "  "
		if m.fcursor == 0 {
			mark = "▸ "
		}
		dialog = append(dialog, mark+"["+m.dir.View()+"]", t.ExportFormat)
		for i, f := range report.Formats() {
			box := "[ ] "
			if m.formats[i] {
				box = "[x] "
			}
			line := "  " + box + strings.ToUpper(string(f))
			if m.fcursor == i+1 {
				line = st.Cursor.Render("▸ " + box + strings.ToUpper(string(f)))
			}
			dialog = append(dialog, line)
		}
		if !m.sess.a.State.Frozen() {
			dialog = append(dialog, st.Dim.Render(t.ExportDraftNote))
		}
	}
	if len(dialog) > 0 {
		box := strings.Split(st.Dialog.Width(inner+st.Dialog.GetHorizontalPadding()).Render(strings.Join(dialog, "\n")), "\n")
		// The dialog takes the bottom of the content area.
		keep := max(ch-len(box), 0)
		body = append(clipLines(body, keep), box...)
	}
	out = append(out, body...)
	out = append(out, msg...)
	return strings.Join(out, "\n")
}

func (m reviewModel) help() helpKeys {
	k, h := m.sh.keys, m.sh.tx.Help
	switch m.mode {
	case reviewConfirm:
		short := []key.Binding{k.Confirm, k.Cancel}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	case reviewRevise:
		short := []key.Binding{relabel(k.Enter, h.Revise), relabel(k.Back, h.Cancel)}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	case reviewExport:
		short := []key.Binding{k.Tab, k.Toggle, relabel(k.Enter, h.Export), relabel(k.Back, h.Cancel)}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	}
	short := []key.Binding{k.Finalize, k.Export}
	if m.sess.a.State.Frozen() {
		short = []key.Binding{k.Export, k.Revise}
	}
	if m.sess.a.Checks != nil {
		short = append(short, k.Compare)
	}
	questions := relabel(k.Jump, h.Questions) // t opens the first question here
	diag := []key.Binding{}
	if m.diagnosis() {
		diag = append(diag, k.Lists, k.Plan)
		if !m.sess.a.State.Frozen() {
			diag = append(diag, k.Survey)
		}
	}
	short = append(short, diag...)
	short = append(short, k.Up, k.Down, questions, k.Scenarios, k.Settings, k.Back, k.Help)
	full := [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown},
		{k.Finalize, k.Export, k.Revise},
	}
	if len(diag) > 0 {
		full = append(full, diag)
	}
	return helpKeys{short: short, full: append(full,
		[]key.Binding{questions, k.Scenarios, k.Settings, k.Compare, k.Audit},
		[]key.Binding{k.Back, k.Help, k.ForceQuit},
	)}
}

// diagnosis reports a baseline: its report is the 转型诊断报告, with the
// survey, the lists and the plan the review shows and opens.
func (m reviewModel) diagnosis() bool { return m.sess.a.Kind == model.KindBaseline }
