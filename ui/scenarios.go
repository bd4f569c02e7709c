package ui

import (
	"fmt"
	"strconv"
	"strings"

	"digilevel/indicators"
	"digilevel/model"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// scenariosModel rates the 16 scenarios of 数字化经营: the scenarios by
// group on top, the current one's four level descriptors below (side by
// side when there is room, else stacked), a level 0–4 to pick, and the
// scenario's note and evidence (the level gates inspectors question).
type scenariosModel struct {
	sh    *shared
	sess  session
	idx   int
	level int
	// chosen: the level under the cursor was chosen (stored, moved to or
	// typed). Enter on a scenario nobody rated yet rates only a chosen
	// level: the cursor's starting place is not an answer.
	chosen bool
	panel  attachPanel
	focus  int // 0 levels, then the panel's stops

	saving bool
	err    string
	info   string
	w, h   int
}

func newScenarios(sh *shared, s session, sid string, w, h int) scenariosModel {
	m := scenariosModel{sh: sh, sess: s, w: w, h: h}
	m.idx = -1
	for i, sc := range s.cat.Scenarios {
		if sc.ID == sid {
			m.idx = i
		}
	}
	if m.idx < 0 {
		m.idx = 0
		for i, sc := range s.cat.Scenarios {
			if _, ok := s.a.Answers.Scenarios[sc.ID]; !ok {
				m.idx = i
				break
			}
		}
	}
	m.show(m.idx)
	return m
}

func (m scenariosModel) update(msg tea.Msg) (screen, tea.Cmd) { return m.Update(msg) }
func (m scenariosModel) view() string                         { return m.View() }
func (m scenariosModel) capturing() bool                      { return m.panel.typing() }
func (m scenariosModel) busy() bool                           { return m.saving }
func (m scenariosModel) resized(w, h int) screen {
	m.w, m.h = w, h
	m.panel.resize(w)
	return m
}
func (m scenariosModel) flush() (screen, tea.Cmd) {
	if m.saving {
		return m, nil
	}
	return m.save(nil, nil)
}

// show makes scenario i current with its stored level, note and files.
func (m *scenariosModel) show(i int) {
	m.idx = i
	m.level, m.chosen = 0, false
	if r, ok := m.sess.a.Answers.Scenarios[m.cur().ID]; ok && r >= 0 {
		m.level, m.chosen = int(r), true
	}
	m.panel = newAttachPanel(m.sh, m.cur().ID, m.sess.a)
	m.panel.resize(m.w)
	m.focus = 0
}

func (m scenariosModel) cur() *indicators.Scenario { return &m.sess.cat.Scenarios[m.idx] }

func (m scenariosModel) maxLevel() int { return m.sess.cat.MaxLevel() }

func (m scenariosModel) frozen() bool { return m.sess.a.State.Frozen() }

// nextUnrated is the first unrated scenario after the current one (wrapping), if any.
func (m scenariosModel) nextUnrated(rated map[string]model.ScenarioRating) (string, bool) {
	sc := m.sess.cat.Scenarios
	for i := 1; i < len(sc); i++ {
		s := sc[(m.idx+i)%len(sc)]
		if _, ok := rated[s.ID]; !ok {
			return s.ID, true
		}
	}
	return "", false
}

func (m *scenariosModel) setFocus(f int) tea.Cmd {
	n := 1 + m.panel.stops()
	if m.frozen() {
		n = 1
	}
	m.focus = ((f % n) + n) % n
	return m.panel.setFocus(m.focus)
}

func (m scenariosModel) Update(msg tea.Msg) (scenariosModel, tea.Cmd) {
	switch msg := msg.(type) {
	case savedMsg:
		m.saving = false
		if msg.a.ID != "" {
			m.sess.a = msg.a
		}
		if msg.err != nil {
			m.err = errText(msg.err)
			return m, nil
		}
		if msg.next != nil {
			return m, nav(*msg.next)
		}
		return m, nil
	case evidenceMsg:
		m.saving = false
		m.err, m.info = m.panel.done(msg, &m.sess.a)
		return m, nil
	case tea.KeyMsg:
		if m.saving {
			return m, nil
		}
		m.err, m.info = "", ""
		return m.updateKey(msg)
	}
	return m, nil
}

func (m scenariosModel) updateKey(k tea.KeyMsg) (scenariosModel, tea.Cmd) {
	keys := m.sh.keys
	n := len(m.sess.cat.Scenarios)
	if m.panel.removing {
		if _, act := m.panel.update(k); act == panelRemove {
			return m.removeFocused()
		}
		return m, nil
	}
	switch {
	case key.Matches(k, keys.Back):
		return m.save(nil, &navMsg{to: screenHome})
	case key.Matches(k, keys.Tab):
		return m, m.setFocus(m.focus + 1)
	case key.Matches(k, keys.ShiftTab):
		return m, m.setFocus(m.focus - 1)
	case key.Matches(k, keys.PageDown), !m.capturing() && key.Matches(k, keys.Next):
		if m.idx < n-1 {
			return m.save(nil, &navMsg{to: screenScenarios, scenario: m.sess.cat.Scenarios[m.idx+1].ID})
		}
		return m.save(nil, &navMsg{to: screenReview})
	case key.Matches(k, keys.PageUp), !m.capturing() && key.Matches(k, keys.Prev):
		if m.idx > 0 {
			return m.save(nil, &navMsg{to: screenScenarios, scenario: m.sess.cat.Scenarios[m.idx-1].ID})
		}
		return m.save(nil, &navMsg{to: screenWalk, q: len(m.sess.questions()) - 1})
	case key.Matches(k, keys.Enter) && !(m.panel.focus == 2 && strings.TrimSpace(m.panel.evid.Value()) != ""):
		if m.panel.focus >= 3 {
			return m, nil
		}
		if !m.chosen && !m.frozen() {
			if _, rated := m.sess.a.Answers.Scenarios[m.cur().ID]; !rated {
				m.err = m.sh.tx.ChooseLevelFirst
				return m, nil
			}
		}
		return m.pick()
	}
	if m.focus > 0 {
		if key.Matches(k, keys.ArrowUp) {
			return m, m.setFocus(m.focus - 1)
		}
		if key.Matches(k, keys.ArrowDown) {
			return m, m.setFocus(m.focus + 1)
		}
		var cmd tea.Cmd
		cmd, m.saving, m.err = m.panel.key(k, m.sess.a)
		return m, cmd
	}
	switch {
	case key.Matches(k, keys.Up, keys.Left):
		m.level, m.chosen = max(m.level-1, 0), true
	case key.Matches(k, keys.Down, keys.Right):
		m.level, m.chosen = min(m.level+1, m.maxLevel()), true
	case key.Matches(k, keys.Jump):
		return m.save(nil, &navMsg{to: screenWalk, q: 0})
	case key.Matches(k, keys.Review):
		return m.save(nil, &navMsg{to: screenReview})
	case key.Matches(k, keys.Level):
		l, _ := strconv.Atoi(k.String())
		if l > m.maxLevel() {
			return m, nil
		}
		m.level, m.chosen = l, true
		return m.pick()
	}
	return m, nil
}

// pick saves the level under the cursor (and the note), then goes to the
// next unrated scenario, or to the review once all are rated.
func (m scenariosModel) pick() (scenariosModel, tea.Cmd) {
	if m.frozen() {
		m.err = m.sh.tx.ReadOnly
		return m, nil
	}
	rated := map[string]model.ScenarioRating{}
	for k, v := range m.sess.a.Answers.Scenarios {
		rated[k] = v
	}
	sid := m.cur().ID
	rated[sid] = model.ScenarioRating(m.level)
	next := &navMsg{to: screenReview}
	if id, ok := m.nextUnrated(rated); ok {
		next = &navMsg{to: screenScenarios, scenario: id}
	}
	level := m.level
	return m.save(&level, next)
}

// save writes the level (when given and changed) and the note (when
// changed), then goes to next.
func (m scenariosModel) save(level *int, next *navMsg) (scenariosModel, tea.Cmd) {
	if m.frozen() {
		if next != nil {
			return m, nav(*next)
		}
		return m, nil
	}
	sid := m.cur().ID
	if old, ok := m.sess.a.Answers.Scenarios[sid]; level != nil && ok && int(old) == *level {
		level = nil
	}
	note := m.panel.pendingNote(m.sess.a)
	if note != nil && !m.panel.checkNote() {
		return m, nil
	}
	if level == nil && note == nil {
		if next != nil {
			return m, nav(*next)
		}
		return m, nil
	}
	m.saving = true
	st, id, c := m.sh.deps.Store, m.sess.a.ID, m.sh.change("")
	return m, func() tea.Msg {
		var a model.Assessment
		var err error
		if level != nil {
			if a, err = st.SaveRating(id, sid, model.ScenarioRating(*level), c); err != nil {
				return savedMsg{err: err}
			}
		}
		if note != nil {
			if a, err = st.SaveNote(id, sid, *note, c); err != nil {
				return savedMsg{a: a, err: err}
			}
		}
		return savedMsg{a: a, next: next}
	}
}

func (m scenariosModel) removeFocused() (scenariosModel, tea.Cmd) {
	ev, ok := m.panel.focused()
	if !ok || m.frozen() {
		return m, nil
	}
	m.saving = true
	return m, removeEvidenceCmd(m.sh.deps.Store, m.sess.a.ID, m.cur().ID, ev, m.sh.change(""))
}

func (m scenariosModel) ratingText(sid string) string {
	r, ok := m.sess.a.Answers.Scenarios[sid]
	switch {
	case !ok:
		return "-"
	case r == model.NotApplicable:
		return "x"
	}
	return strconv.Itoa(int(r))
}

// grid draws the groups as columns with their scenarios and ratings.
// Every rating stays visible: a narrow terminal gets shorter names.
func (m scenariosModel) grid() []string {
	st, cat := m.sh.st, m.sess.cat
	cw := m.w / max(len(cat.Groups), 1)
	nameW := min(8, cw-1-2-1-2-1-1)
	cols := make([][]string, len(cat.Groups))
	rows := 0
	for gi, g := range cat.Groups {
		col := []string{st.Dim.Render(pad(oneLine(g.Name), cw-1)) + " "}
		for i, sc := range cat.Scenarios {
			if sc.Group != g.ID {
				continue
			}
			mark := " "
			if i == m.idx {
				mark = "▸"
			}
			cons := "  "
			if sc.Constrained {
				cons = m.sh.tx.ConstrainedMark
			}
			num := strings.TrimPrefix(sc.ID, "SC")
			cell := pad(mark+num+" "+pad(oneLine(sc.Name), nameW)+" "+cons+" "+m.ratingText(sc.ID), cw)
			if i == m.idx {
				cell = st.Cursor.Render(cell)
			}
			col = append(col, cell)
		}
		cols[gi] = col
		rows = max(rows, len(col))
	}
	out := make([]string, rows)
	for r := range rows {
		var b strings.Builder
		for _, col := range cols {
			if r < len(col) {
				b.WriteString(col[r])
			} else {
				b.WriteString(strings.Repeat(" ", cw))
			}
		}
		out[r] = strings.TrimRight(b.String(), " ")
	}
	return out
}

func (m scenariosModel) View() string {
	st, t, cat := m.sh.st, m.sh.tx, m.sess.cat
	out := header(m.sh, m.sess, m.w)
	out = append(out, m.grid()...)
	sc := m.cur()
	g, _ := cat.Group(sc.Group)
	title := sc.ID + " " + oneLine(sc.Name) + " ・ " + oneLine(g.Name)
	if sc.Constrained {
		title += " ・ " + t.Constrained
	}
	now := t.Unrated
	if r, ok := m.sess.a.Answers.Scenarios[sc.ID]; ok {
		now = cat.ScenarioLevelName(int(r))
	}
	right := fmt.Sprintf(t.ScenarioOfFmt, m.idx+1, len(cat.Scenarios)) + " ・ " + now
	if m.h >= 30 {
		out = append(out, "")
	}
	if width(title)+2+width(right) <= m.w {
		out = append(out, st.Title.Render(title)+strings.Repeat(" ", m.w-width(title)-width(right))+st.Dim.Render(right))
	} else {
		for _, l := range wrap(title+" ・ "+right, m.w) {
			out = append(out, st.Title.Render(l))
		}
	}
	warn := ""
	if m.frozen() {
		warn = t.ReadOnly
	}
	msg := message(st, t, m.saving, m.err, m.info, warn, m.w)
	var body []string
	focus := 0
	if m.w >= 100 && m.h >= 30 {
		body, focus = m.sideBySide()
	} else {
		body, focus = m.stacked()
	}
	body = append(body, "")
	panel, pf := m.panel.view(func(v string, focused bool) string {
		frame := st.InputDim
		if focused {
			frame = st.Input
		}
		return frame.Render("[") + v + frame.Render("]")
	})
	if m.focus > 0 {
		focus = len(body) + pf
	}
	body = append(body, panel...)
	out = append(out, window(t, st, body, focus, m.h-len(out)-len(msg))...)
	out = append(out, msg...)
	return strings.Join(out, "\n")
}

func (m scenariosModel) mark(level int) string {
	r, ok := m.sess.a.Answers.Scenarios[m.cur().ID]
	if ok && int(r) == level {
		return "(*)"
	}
	return "( )"
}

// stacked lists the levels one under the other (80 columns).
func (m scenariosModel) stacked() ([]string, int) {
	st, cat := m.sh.st, m.sess.cat
	sc := m.cur()
	var out []string
	focus := 0
	for l := 0; l <= m.maxLevel(); l++ {
		cursor := "  "
		if l == m.level && m.focus == 0 {
			cursor = "▸ "
		}
		head := cursor + m.mark(l) + " " + strconv.Itoa(l) + " " + cat.ScenarioLevelName(l) + " "
		text := ""
		if l > 0 && l <= len(sc.Descriptors) {
			text = sc.Descriptors[l-1]
		}
		lines := wrap(text, m.w-width(head))
		for i, line := range lines {
			prefix := head
			if i > 0 {
				prefix = strings.Repeat(" ", width(head))
			}
			s := prefix + line
			if l == m.level {
				s = st.Cursor.Render(s)
			}
			out = append(out, s)
		}
		if l == m.level {
			focus = len(out) - 1
		}
	}
	return out, focus
}

// sideBySide puts the four descriptors in four boxes across (wide terminals).
func (m scenariosModel) sideBySide() ([]string, int) {
	st, cat := m.sh.st, m.sess.cat
	sc := m.cur()
	zero := "  " + m.mark(0) + " 0 " + cat.ScenarioLevelName(0)
	if m.level == 0 {
		zero = st.Cursor.Render("▸ " + m.mark(0) + " 0 " + cat.ScenarioLevelName(0))
	}
	out := []string{zero}
	n := m.maxLevel()
	boxW := m.w / n
	inner := boxW - st.Box.GetHorizontalFrameSize()
	texts := make([][]string, n)
	tall := 0
	for l := 1; l <= n; l++ {
		head := m.mark(l) + " " + strconv.Itoa(l) + " " + cat.ScenarioLevelName(l)
		if l == m.level {
			head = "▸" + head
		}
		lines := []string{head}
		if l <= len(sc.Descriptors) {
			lines = append(lines, wrap(sc.Descriptors[l-1], inner)...)
		}
		texts[l-1] = lines
		tall = max(tall, len(lines))
	}
	var boxes []string
	for l := 1; l <= n; l++ {
		lines := texts[l-1]
		style := st.Box
		if l == m.level {
			lines[0] = st.Cursor.Render(lines[0])
			style = st.BoxActive
		}
		// Equal heights read as one row of four levels.
		boxes = append(boxes, style.Width(inner+st.Box.GetHorizontalPadding()).Height(tall).Render(strings.Join(lines, "\n")))
	}
	row := lipgloss.JoinHorizontal(lipgloss.Top, boxes...)
	out = append(out, strings.Split(row, "\n")...)
	return out, 0
}

func (m scenariosModel) help() helpKeys {
	k, h := m.sh.keys, m.sh.tx.Help
	if m.panel.removing {
		short := []key.Binding{relabel(k.Confirm, h.Remove), k.Cancel}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	}
	if m.panel.focus >= 3 {
		short := []key.Binding{k.Remove, k.Tab, k.ShiftTab, k.Back}
		return helpKeys{short: short, full: [][]key.Binding{short, {k.ForceQuit}}}
	}
	if m.focus > 0 {
		enter := relabel(k.Enter, h.Confirm)
		if m.panel.focus == 2 {
			enter = relabel(k.Enter, h.AddFile)
		}
		short := []key.Binding{enter, k.Tab, k.ShiftTab, k.PageUp, k.PageDown, k.Back, k.HelpAlways}
		return helpKeys{short: short, full: [][]key.Binding{short, {k.ForceQuit}}}
	}
	pick := relabel(k.Enter, h.Confirm)
	tab := relabel(k.Tab, h.NoteEvidence)
	short := []key.Binding{k.Level, pick, k.Up, k.Down, k.Prev, k.Next, tab, relabel(k.Jump, h.Questions), k.Review, k.Back, k.Help}
	return helpKeys{short: short, full: [][]key.Binding{
		{k.Up, k.Down, k.Left, k.Right},
		{k.Level, pick, k.Prev, k.Next},
		{tab, k.ShiftTab},
		{relabel(k.Jump, h.Questions), k.Review, k.Back, k.Help, k.ForceQuit},
	}}
}
