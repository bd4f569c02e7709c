package ui

import (
	"fmt"
	"slices"
	"strings"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/report"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// walkModel shows one question: its path, the verbatim text, the options,
// the supplementary numbers with the option they imply, a note and
// evidence files. Changes are local until enter (or leaving the question)
// saves them; the screen moves on only when the save succeeded.
//
// Keys are few by design: an option's letter picks it (single choice:
// picked, saved, next question) or ticks it (multi choice); enter saves and
// moves on, taking the option the numbers imply when none is chosen.
type walkModel struct {
	sh   *shared
	sess session
	qs   []*indicators.Question
	idx  int
	q    *indicators.Question

	cursor int
	// pointed: the cursor was put on an option (arrows, or the option the
	// numbers imply). Enter with nothing chosen takes only a pointed
	// option: the cursor's starting place (A) is not an answer.
	pointed bool
	chosen  []bool
	nums    []textinput.Model
	numErr  []string
	labels  []string // field labels that say which year
	filled  []bool   // the value was taken from the enterprise file
	panel   attachPanel
	focus   int // 0 options, 1..len(nums) numbers, then the panel's stops

	prefill    map[string]map[string]model.Decimal // numbers from the enterprise file, by question
	derived    string
	contradict string
	derivedOpt string
	years      string // "上年 = 2025 年，前年 = 2024 年" when a field is by year

	jumping bool
	jump    menu

	saving bool
	err    string
	info   string
	w, h   int
}

func newWalk(sh *shared, s session, idx int, w, h int) walkModel {
	m := walkModel{sh: sh, sess: s, qs: s.questions(), w: w, h: h}
	m.prefill = prefills(s)
	m.load(min(max(idx, 0), len(m.qs)-1))
	return m
}

func (m walkModel) update(msg tea.Msg) (screen, tea.Cmd) { return m.Update(msg) }
func (m walkModel) view() string                         { return m.View() }
func (m walkModel) busy() bool                           { return m.saving }
func (m walkModel) resized(w, h int) screen {
	m.SetSize(w, h)
	return m
}
func (m walkModel) flush() (screen, tea.Cmd) {
	if m.saving {
		return m, nil
	}
	return m.save(nil)
}

func (m walkModel) input(placeholder string) textinput.Model {
	ti := textinput.New()
	ti.Prompt = ""
	ti.Placeholder = Display(placeholder)
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.PromptStyle = m.sh.st.Input
	return ti
}

// period says whether a question's number field is of the last year or
// the year before, from the question's own derivation rule (data: the
// current ratio reads last year's figures, the previous ratio the year
// before's). "" when the field is not by year.
func period(q *indicators.Question, field string) string {
	r := q.Derive
	if r == nil || r.Kind != indicators.DeriveChange || r.Current == nil || r.Previous == nil {
		return ""
	}
	ref := q.ID + "." + field
	switch ref {
	case r.Current.Num, r.Current.Den:
		return "last"
	case r.Previous.Num, r.Previous.Den:
		return "prev"
	}
	return ""
}

// assessmentYear is the calendar year (Beijing time) the assessment was
// started in: 上年 is the year before it.
func assessmentYear(s session) int {
	return s.a.CreatedAt.In(report.Zone()).Year()
}

// prefills are the numbers the enterprise file already holds, for the
// fields that ask for them: a revenue field (营业收入, 万元) of the last
// year or the year before takes that year's revenue.
func prefills(s session) map[string]map[string]model.Decimal {
	y := assessmentYear(s)
	revenue := map[int]model.Decimal{}
	for _, r := range s.ent.Revenue {
		revenue[r.Year] = r.Wan
	}
	out := map[string]map[string]model.Decimal{}
	for _, q := range s.questions() {
		for _, f := range q.FormFields {
			if !strings.Contains(f.Label, "营业收入") || f.Unit != "万元" {
				continue
			}
			year := map[string]int{"last": y - 1, "prev": y - 2}[period(q, f.ID)]
			if v, ok := revenue[year]; ok && year != 0 {
				if out[q.ID] == nil {
					out[q.ID] = map[string]model.Decimal{}
				}
				out[q.ID][f.ID] = v
			}
		}
	}
	return out
}

// load shows question i with what is stored for it.
func (m *walkModel) load(i int) {
	t := m.sh.tx
	m.idx, m.q = i, m.qs[i]
	q, a := m.q, m.sess.a.Answers
	m.chosen = make([]bool, len(q.Options))
	m.cursor, m.pointed = 0, false
	first := true
	for _, id := range a.Answers[q.ID] {
		if j := q.OptionIndex(id); j >= 0 {
			m.chosen[j] = true
			if first {
				m.cursor, first = j, false
			}
		}
	}
	m.nums = make([]textinput.Model, len(q.FormFields))
	m.numErr = make([]string, len(q.FormFields))
	m.labels = make([]string, len(q.FormFields))
	m.filled = make([]bool, len(q.FormFields))
	y := assessmentYear(m.sess)
	m.years = ""
	for j, f := range q.FormFields {
		ti := m.input(f.Unit)
		ti.CharLimit = model.MaxDecimalDigits + 2
		v := a.Numbers[q.ID][f.ID]
		if v.IsZero() {
			if p, ok := m.prefill[q.ID][f.ID]; ok {
				v, m.filled[j] = p, true
			}
		}
		ti.SetValue(string(v))
		m.nums[j] = ti
		label := oneLine(f.Label)
		switch period(q, f.ID) {
		case "last":
			if !strings.Contains(label, "上年") {
				label = t.LastYear + label
			}
			m.years = fmt.Sprintf(t.YearsFmt, y-1, y-2)
		case "prev":
			if !strings.Contains(label, "前年") {
				label = t.PrevYear + label
			}
		}
		m.labels[j] = label
	}
	m.panel = newAttachPanel(m.sh, q.ID, m.sess.a)
	m.focus = 0
	m.blurAll()
	m.err, m.info = "", ""
	m.SetSize(m.w, m.h)
	m.refreshDerived()
}

func (m *walkModel) SetSize(w, h int) {
	m.w, m.h = w, h
	fw := min(max(w-50, 10), 24)
	for i := range m.nums {
		m.nums[i].Width = fw
	}
	m.panel.resize(w)
}

func (m walkModel) frozen() bool { return m.sess.a.State.Frozen() }

// capturing is true while a text field has the focus: letters are typed.
func (m walkModel) capturing() bool {
	return !m.jumping && (m.onNumber() || m.panel.typing())
}

func (m walkModel) onNumber() bool { return m.focus >= 1 && m.focus <= len(m.nums) }

// stops is the number of focus positions.
func (m walkModel) stops() int {
	if m.frozen() {
		return 1
	}
	return 1 + len(m.nums) + m.panel.stops()
}

func (m *walkModel) blurAll() {
	for i := range m.nums {
		m.nums[i].Blur()
	}
	m.panel.setFocus(0)
}

func (m *walkModel) setFocus(f int) tea.Cmd {
	n := m.stops()
	m.focus = ((f % n) + n) % n
	m.blurAll()
	switch {
	case m.focus == 0:
	case m.onNumber():
		return m.nums[m.focus-1].Focus()
	default:
		return m.panel.setFocus(m.focus - len(m.nums))
	}
	return nil
}

// chosenIDs lists the chosen options in catalog order.
func (m walkModel) chosenIDs() []string {
	var out []string
	for i, c := range m.chosen {
		if c {
			out = append(out, m.q.Options[i].ID)
		}
	}
	return out
}

// parseNumber reads a typed value of a question's number field with the
// model's rules; empty input is the empty Decimal.
func parseNumber(q *indicators.Question, field, typed string) (model.Decimal, error) {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return "", nil
	}
	d, err := model.ParseDecimal(typed)
	if err == nil {
		err = model.ValidateNumber(q, field, d)
	}
	return d, err
}

// typedNumbers reads the number fields; ok is false if one is invalid.
func (m walkModel) typedNumbers() (map[string]model.Decimal, bool) {
	out := map[string]model.Decimal{}
	ok := true
	for i, f := range m.q.FormFields {
		d, err := parseNumber(m.q, f.ID, m.nums[i].Value())
		if err != nil {
			ok = false
			continue
		}
		out[f.ID] = d
	}
	return out, ok
}

// validateNumbers refreshes the per-field error texts.
func (m *walkModel) validateNumbers() {
	for i, f := range m.q.FormFields {
		m.numErr[i] = ""
		if _, err := parseNumber(m.q, f.ID, m.nums[i].Value()); err != nil {
			m.numErr[i] = errText(err)
		}
	}
}

// refreshDerived recomputes the option the typed numbers imply, with the
// numbers other questions hold or the enterprise file offers (Q12 reads
// Q14's revenue). While nothing is chosen the cursor follows it, so enter
// accepts it.
func (m *walkModel) refreshDerived() {
	m.derived, m.contradict, m.derivedOpt = "", "", ""
	if m.q.Derive == nil {
		return
	}
	set := m.sess.a.Answers.Clone()
	if ids := m.chosenIDs(); len(ids) > 0 {
		set.Answers[m.q.ID] = ids
	} else {
		delete(set.Answers, m.q.ID)
	}
	if set.Numbers == nil {
		set.Numbers = map[string]map[string]model.Decimal{}
	}
	for qid, fields := range m.prefill {
		for f, v := range fields {
			if set.Numbers[qid][f].IsZero() {
				if set.Numbers[qid] == nil {
					set.Numbers[qid] = map[string]model.Decimal{}
				}
				set.Numbers[qid][f] = v
			}
		}
	}
	nums, _ := m.typedNumbers()
	vals := map[string]model.Decimal{}
	for k, v := range nums {
		if !v.IsZero() {
			vals[k] = v
		}
	}
	if len(vals) == 0 {
		return // nothing typed: a list of missing fields would only be noise
	}
	set.Numbers[m.q.ID] = vals
	for _, d := range model.Derive(m.sess.cat, set) {
		if d.Question != m.q.ID {
			continue
		}
		m.derived = d.Text
		m.derivedOpt = d.Option
		if d.Contradicts {
			m.contradict = strings.Join(d.Chosen, "、")
		}
	}
	if j := m.q.OptionIndex(m.derivedOpt); j >= 0 && len(m.chosenIDs()) == 0 {
		m.cursor, m.pointed = j, true
	}
}

// pending is the unsaved part of the screen, as a save request.
type pending struct {
	options []string
	numbers map[string]model.Decimal
	note    *string
}

func (p pending) empty() bool { return p.options == nil && p.numbers == nil && p.note == nil }

func (m walkModel) pending() pending {
	var p pending
	if m.frozen() {
		return p
	}
	a := m.sess.a.Answers
	if ids := m.chosenIDs(); len(ids) > 0 && !slices.Equal(ids, a.Answers[m.q.ID]) {
		p.options = ids
	}
	if nums, ok := m.typedNumbers(); ok {
		changed := map[string]model.Decimal{}
		for k, v := range nums {
			if v != a.Numbers[m.q.ID][k] {
				changed[k] = v
			}
		}
		if len(changed) > 0 {
			p.numbers = changed
		}
	}
	p.note = m.panel.pendingNote(m.sess.a)
	return p
}

// save writes what is pending and then goes to next (nil: stay). A note
// that breaks the text rule stops it with the reason under the note.
func (m walkModel) save(next *navMsg) (walkModel, tea.Cmd) {
	p := m.pending()
	if p.note != nil && !m.panel.checkNote() {
		return m, nil
	}
	if p.empty() {
		if next != nil {
			return m, nav(*next)
		}
		return m, nil
	}
	m.saving, m.err = true, ""
	return m, saveQuestionCmd(m.sh.deps.Store, m.sess.a.ID, m.q.ID, p, m.sh.change(""), next)
}

func saveQuestionCmd(st Store, id, qid string, p pending, c model.Change, next *navMsg) tea.Cmd {
	return func() tea.Msg {
		var a model.Assessment
		if p.options != nil {
			got, err := st.SaveAnswer(id, qid, p.options, c)
			if err != nil {
				return savedMsg{a: a, err: err}
			}
			a = got
		}
		if p.numbers != nil {
			got, err := st.SaveNumbers(id, qid, p.numbers, c)
			if err != nil {
				return savedMsg{a: a, err: err}
			}
			a = got
		}
		if p.note != nil {
			got, err := st.SaveNote(id, qid, *p.note, c)
			if err != nil {
				return savedMsg{a: a, err: err}
			}
			a = got
		}
		return savedMsg{a: a, next: next}
	}
}

func (m walkModel) Update(msg tea.Msg) (walkModel, tea.Cmd) {
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
		m.info = m.sh.tx.Saved
		return m, nil
	case evidenceMsg:
		m.saving = false
		m.err, m.info = m.panel.done(msg, &m.sess.a)
		return m, nil
	case tea.KeyMsg:
		if m.saving {
			return m, nil
		}
		m.info, m.err = "", ""
		if m.jumping {
			return m.updateJump(msg)
		}
		return m.updateKey(msg)
	}
	return m, nil
}

// optionKeys are the options the letters of a key message name on this
// question, or nil when any rune is not an option letter. A terminal
// delivers letters typed (or pasted, or sent by tmux) in one burst as one
// message, so "bc" ticks B and C.
func (m walkModel) optionKeys(k tea.KeyMsg) []int {
	if k.Type != tea.KeyRunes || len(k.Runes) == 0 || k.Alt || k.Paste {
		return nil
	}
	var out []int
	for _, r := range k.Runes {
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		i := -1
		if r >= 'A' && r <= 'Z' {
			i = m.q.OptionIndex(string(r))
		}
		if i < 0 {
			return nil
		}
		out = append(out, i)
	}
	return out
}

func (m walkModel) updateKey(k tea.KeyMsg) (walkModel, tea.Cmd) {
	keys := m.sh.keys
	last := len(m.qs) - 1
	if m.panel.removing {
		cmd, act := m.panel.update(k)
		if act == panelRemove {
			return m.removeFocused()
		}
		return m, cmd
	}
	switch {
	case key.Matches(k, keys.Back):
		return m.save(&navMsg{to: screenHome})
	case key.Matches(k, keys.Tab):
		return m, m.setFocus(m.focus + 1)
	case key.Matches(k, keys.ShiftTab):
		return m, m.setFocus(m.focus - 1)
	case key.Matches(k, keys.PageDown), !m.capturing() && key.Matches(k, keys.Next):
		if m.idx == last {
			return m.save(&navMsg{to: screenScenarios})
		}
		return m.save(&navMsg{to: screenWalk, q: m.idx + 1})
	case key.Matches(k, keys.PageUp), !m.capturing() && key.Matches(k, keys.Prev):
		if m.idx == 0 {
			return m, nil
		}
		return m.save(&navMsg{to: screenWalk, q: m.idx - 1})
	case key.Matches(k, keys.Enter) && !(m.panel.focus == 2 && strings.TrimSpace(m.panel.evid.Value()) != ""):
		if m.panel.focus >= 3 {
			return m, nil
		}
		return m.enter()
	}
	if m.focus > 0 {
		if key.Matches(k, keys.ArrowUp) {
			return m, m.setFocus(m.focus - 1)
		}
		if key.Matches(k, keys.ArrowDown) {
			return m, m.setFocus(m.focus + 1)
		}
		if m.onNumber() {
			var cmd tea.Cmd
			m.nums[m.focus-1], cmd = m.nums[m.focus-1].Update(k)
			m.filled[m.focus-1] = false
			m.validateNumbers()
			m.refreshDerived()
			return m, cmd
		}
		var cmd tea.Cmd
		cmd, m.saving, m.err = m.panel.key(k, m.sess.a)
		return m, cmd
	}
	if opts := m.optionKeys(k); opts != nil {
		if m.q.Type == indicators.Single {
			return m.pickOption(opts[0]) // the rest was typed for a screen already gone
		}
		for _, i := range opts {
			var cmd tea.Cmd
			if m, cmd = m.pickOption(i); cmd != nil || m.err != "" {
				return m, cmd
			}
		}
		return m, nil
	}
	switch {
	case key.Matches(k, keys.ArrowUp):
		if m.cursor > 0 {
			m.cursor--
		}
		m.pointed = true
	case key.Matches(k, keys.ArrowDown):
		if m.cursor < len(m.q.Options)-1 {
			m.cursor++
		}
		m.pointed = true
	case key.Matches(k, keys.Toggle):
		if m.frozen() {
			m.err = m.sh.tx.ReadOnly
			return m, nil
		}
		m.toggle(m.cursor)
		m.refreshDerived()
	case key.Matches(k, keys.Jump):
		m.openJump()
	case key.Matches(k, keys.Scenarios):
		return m.save(&navMsg{to: screenScenarios})
	case key.Matches(k, keys.Review):
		return m.save(&navMsg{to: screenReview})
	}
	return m, nil
}

// pickOption is an option's letter: a single choice is picked, saved and
// the walk moves on; a multi choice option is ticked or unticked.
func (m walkModel) pickOption(i int) (walkModel, tea.Cmd) {
	if m.frozen() {
		m.err = m.sh.tx.ReadOnly
		return m, nil
	}
	m.cursor = i
	m.toggle(i)
	m.refreshDerived()
	if m.q.Type == indicators.Single {
		return m.enter()
	}
	return m, nil
}

func (m walkModel) removeFocused() (walkModel, tea.Cmd) {
	ev, ok := m.panel.focused()
	if !ok {
		return m, nil
	}
	if m.frozen() {
		m.err = m.sh.tx.ReadOnly
		return m, nil
	}
	m.saving = true
	return m, removeEvidenceCmd(m.sh.deps.Store, m.sess.a.ID, m.q.ID, ev, m.sh.change(""))
}

// toggle chooses option i: single choice replaces, multi choice flips;
// 无 excludes every other option.
func (m *walkModel) toggle(i int) {
	if m.q.Type == indicators.Single {
		for j := range m.chosen {
			m.chosen[j] = j == i
		}
		return
	}
	m.chosen[i] = !m.chosen[i]
	if !m.chosen[i] {
		return
	}
	cleared := false
	for j, o := range m.q.Options {
		if j != i && m.chosen[j] && (o.None || m.q.Options[i].None) {
			m.chosen[j] = false
			cleared = true
		}
	}
	if cleared {
		m.info = m.sh.tx.NotExclusive
	}
}

// enter saves and moves to the next question (after the last: scenarios).
// With nothing chosen it takes the option the cursor was put on for a single
// choice (the cursor follows the option the numbers imply).
func (m walkModel) enter() (walkModel, tea.Cmd) {
	if m.frozen() {
		return m.save(m.nextNav())
	}
	if m.q.Type == indicators.Single && m.focus == 0 && m.pointed && !m.chosen[m.cursor] {
		m.toggle(m.cursor)
		m.refreshDerived()
	}
	if len(m.chosenIDs()) == 0 {
		if j := m.q.OptionIndex(m.derivedOpt); j >= 0 {
			m.toggle(j)
			m.refreshDerived()
		} else {
			// Back to the options, where a letter chooses; the numbers and
			// the note typed so far are saved now (the Enter gave them), so
			// a crash before the choice loses nothing typed.
			m, save := m.save(nil)
			m.err = m.sh.tx.ChooseFirst
			return m, tea.Batch(save, m.setFocus(0))
		}
	}
	if _, ok := m.typedNumbers(); !ok {
		m.validateNumbers()
		return m, nil
	}
	return m.save(m.nextNav())
}

func (m walkModel) nextNav() *navMsg {
	if m.idx == len(m.qs)-1 {
		return &navMsg{to: screenScenarios}
	}
	return &navMsg{to: screenWalk, q: m.idx + 1}
}

func (m *walkModel) openJump() {
	m.jumping = true
	m.jump = menu{cursor: m.idx}
	a := m.sess.a.Answers
	for _, q := range m.qs {
		mark := "[ ]"
		if len(a.Answers[q.ID]) > 0 {
			mark = "[x]"
		}
		m.jump.items = append(m.jump.items, mark+" "+q.ID+" "+q.Title)
	}
	rated := len(a.Scenarios)
	m.jump.items = append(m.jump.items,
		fmt.Sprintf("    %s（%d/%d）", m.sh.tx.Scenarios, rated, len(m.sess.cat.Scenarios)),
		"    "+m.sh.tx.ReviewTitle)
}

func (m walkModel) updateJump(k tea.KeyMsg) (walkModel, tea.Cmd) {
	if key.Matches(k, m.sh.keys.Back, m.sh.keys.Jump) {
		m.jumping = false
		return m, nil
	}
	i := m.jump.update(m.sh.keys, k)
	if i < 0 {
		return m, nil
	}
	m.jumping = false
	switch {
	case i < len(m.qs):
		return m.save(&navMsg{to: screenWalk, q: i})
	case i == len(m.qs):
		return m.save(&navMsg{to: screenScenarios})
	}
	return m.save(&navMsg{to: screenReview})
}

// header draws the lines every assessment screen starts with: who and
// what, and the progress by dimension.
func header(sh *shared, s session, w int) []string {
	st := sh.st
	left := oneLine(sh.cat.KindLabel(string(s.a.Kind)))
	if s.a.Version > 1 {
		left += fmt.Sprintf(" v%d", s.a.Version)
	}
	left += " ・ " + oneLine(s.ent.Name)
	right := s.a.State.Label()
	left = truncate(left, w-width(right)-2)
	line1 := st.Header.Render(left) + strings.Repeat(" ", max(w-width(left)-width(right), 1)) + st.HeaderDim.Render(right)

	type part struct {
		name        string
		done, total int
	}
	var parts []part
	a := s.a.Answers
	for _, d := range s.qn.Dimensions {
		p := part{name: d.Name}
		for _, sd := range d.SubDimensions {
			for _, in := range sd.Indicators {
				for _, q := range in.Questions {
					p.total++
					if len(a.Answers[q.ID]) > 0 {
						p.done++
					}
				}
			}
		}
		parts = append(parts, p)
	}
	parts = append(parts, part{name: sh.tx.Scenarios, done: len(a.Scenarios), total: len(s.cat.Scenarios)})
	fixed := 0
	for _, p := range parts {
		fixed += width(p.name) + 1 + 1 + width(fmt.Sprintf("%d/%d", p.done, p.total)) + 2
	}
	n := max(min((w-fixed)/len(parts), 10), 1)
	var segs []string
	for _, p := range parts {
		segs = append(segs, st.Dim.Render(p.name)+" "+st.Info.Render(bar(p.done, p.total, n))+" "+fmt.Sprintf("%d/%d", p.done, p.total))
	}
	return append([]string{line1}, append(wrapJoin(segs, "  ", w), st.Rule.Render(strings.Repeat("─", w)))...)
}

// window keeps focus visible in at most h lines, noting what is cut below.
func window(t *Text, st *Styles, lines []string, focus, h int) []string {
	switch {
	case len(lines) <= h:
		return lines
	case h < 1: // a terminal too short for the screen's fixed lines
		return nil
	case h == 1:
		return lines[min(focus, len(lines)-1):][:1]
	}
	h--
	off := 0
	if focus >= h {
		off = focus - h + 1
	}
	off = min(off, len(lines)-h)
	out := slices.Clone(lines[off : off+h])
	if rest := len(lines) - off - h; rest > 0 {
		out = append(out, st.Dim.Render(fmt.Sprintf(t.MoreBelow, rest)))
	} else {
		out = append(out, "")
	}
	return out
}

// message is the screen's status under the body: saving, the error or the
// confirmation, wrapped (never cut).
func message(st *Styles, t *Text, saving bool, err, info, warn string, w int) []string {
	var text string
	var style func(...string) string
	switch {
	case saving:
		text, style = t.Saving, st.Dim.Render
	case err != "":
		text, style = err, st.Error.Render
	case info != "":
		text, style = info, st.Info.Render
	case warn != "":
		text, style = warn, st.Warn.Render
	default:
		return []string{""}
	}
	var out []string
	for _, l := range wrap(text, w) {
		out = append(out, style(l))
	}
	return out
}

func (m walkModel) View() string {
	st, t := m.sh.st, m.sh.tx
	out := header(m.sh, m.sess, m.w)
	warn := ""
	if m.frozen() {
		warn = t.ReadOnly
	}
	msg := message(st, t, m.saving, m.err, m.info, warn, m.w)
	bodyH := m.h - len(out) - len(msg)
	if m.jumping {
		out = append(out, st.Title.Render(t.JumpTitle))
		items := m.jump.view(st, m.w)
		out = append(out, window(t, st, items, m.jump.cursor, bodyH-1)...)
		return strings.Join(out, "\n")
	}
	var body []string
	focusLine := 0
	q := m.q
	p, _ := m.sess.qn.PathOf(q.ID)
	right := fmt.Sprintf(t.QuestionOfFmt, m.idx+1, len(m.qs)) + " ・ " + t.questionType(q) + " ・ " + fmt.Sprintf(t.PointsFmt, q.Max)
	path := q.ID + " ・ " + oneLine(p.Dimension.Name+" › "+p.SubDimension.Name+" › "+p.Indicator.Name)
	if width(path)+2+width(right) <= m.w {
		body = append(body, st.Path.Render(path)+strings.Repeat(" ", m.w-width(path)-width(right))+st.Dim.Render(right))
	} else {
		for _, l := range wrap(path, m.w) {
			body = append(body, st.Path.Render(l))
		}
		body = append(body, st.Dim.Render(right))
	}
	for _, l := range wrap(q.FullTitle(), m.w) {
		body = append(body, st.Title.Render(l))
	}
	if q.Description != "" {
		for _, l := range wrap(q.Description, m.w) {
			body = append(body, st.Dim.Render(l))
		}
	}
	body = append(body, "")
	for i, o := range q.Options {
		mark := "( ) "
		switch {
		case q.Type == indicators.Multi && m.chosen[i]:
			mark = "[x] "
		case q.Type == indicators.Multi:
			mark = "[ ] "
		case m.chosen[i]:
			mark = "(*) "
		}
		text := o.ID + "  " + o.Text
		if o.ID == m.derivedOpt {
			text += "  " + t.DerivedMark
		}
		lines := wrap(text, m.w-6)
		for j, l := range lines {
			prefix := "      "
			if j == 0 {
				prefix = "  " + mark
				if i == m.cursor && m.focus == 0 {
					prefix = "▸ " + mark
				}
			}
			line := prefix + l
			switch {
			case i == m.cursor && m.focus == 0:
				line = st.Cursor.Render(line)
			case m.chosen[i]:
				line = st.Chosen.Render(line)
			}
			body = append(body, line)
		}
		if i == m.cursor {
			focusLine = len(body) - 1
		}
	}
	if len(q.FormFields) > 0 {
		heading := q.FormHeading
		if heading == "" {
			heading = t.FormHeading
		}
		if m.years != "" {
			heading += "（" + m.years + "）"
		}
		body = append(body, "")
		for _, l := range wrap(heading, m.w) {
			body = append(body, st.Dim.Render(l))
		}
		labelW := 0
		for _, l := range m.labels {
			labelW = max(labelW, width(l))
		}
		labelW = min(labelW, m.w-m.nums[0].Width-6-width(t.FromFile))
		for i := range q.FormFields {
			mark := "  "
			if m.focus == i+1 {
				mark = "▸ "
				focusLine = len(body)
			}
			// A label too long for its column continues on the lines below.
			labels := wrap(m.labels[i], labelW)
			line := mark + pad(labels[0], labelW) + " " + m.field(m.nums[i].View(), m.focus == i+1)
			if m.filled[i] {
				line += st.Dim.Render(t.FromFile)
			}
			body = append(body, line)
			for _, l := range labels[1:] {
				body = append(body, "  "+l)
			}
			if m.numErr[i] != "" {
				for _, l := range wrap(m.numErr[i], m.w-4) {
					body = append(body, "    "+st.Error.Render(l))
				}
			}
		}
		if m.derived != "" {
			style := st.Info
			if m.contradict != "" { // the model's text names the contradiction
				style = st.Warn
			}
			for _, l := range wrap(fmt.Sprintf(t.DerivedFmt, m.derived), m.w-2) {
				body = append(body, "  "+style.Render(l))
			}
		}
	}
	body = append(body, "")
	panel, pf := m.panel.view(m.field)
	if m.focus > len(m.nums) {
		focusLine = len(body) + pf
	}
	body = append(body, panel...)
	// The message lines stay put under the scrolling body, so an error
	// never pushes the question out of view.
	out = append(out, window(t, st, body, focusLine, bodyH)...)
	out = append(out, msg...)
	return strings.Join(out, "\n")
}

// field frames a text field's view so its extent is visible.
func (m walkModel) field(v string, focused bool) string {
	if focused {
		return m.sh.st.Input.Render("[") + v + m.sh.st.Input.Render("]")
	}
	return m.sh.st.InputDim.Render("[") + v + m.sh.st.InputDim.Render("]")
}

func (m walkModel) help() helpKeys {
	k, h := m.sh.keys, m.sh.tx.Help
	save := relabel(k.Enter, h.Save)
	if m.jumping {
		short := []key.Binding{k.Up, k.Down, relabel(k.Enter, h.Jump), relabel(k.Back, h.Cancel)}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	}
	if m.panel.removing {
		short := []key.Binding{relabel(k.Confirm, h.Remove), k.Cancel}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	}
	if m.panel.focus >= 3 {
		short := []key.Binding{k.Remove, k.Tab, k.ShiftTab, k.ArrowUp, k.ArrowDown, k.Back}
		return helpKeys{short: short, full: [][]key.Binding{short, {k.PageUp, k.PageDown, k.ForceQuit}}}
	}
	if m.focus > 0 {
		enter := save
		if m.panel.focus == 2 {
			enter = relabel(k.Enter, h.AddFile)
		}
		short := []key.Binding{enter, k.Tab, k.ShiftTab, k.PageUp, k.PageDown, k.Back, k.HelpAlways}
		return helpKeys{short: short, full: [][]key.Binding{short, {k.ArrowUp, k.ArrowDown, k.ForceQuit}}}
	}
	option := k.Option
	option.SetHelp(optionRange(m.q), h.Option)
	if m.q.Type == indicators.Single {
		// The letter saves and moves on: the footer says so, so that no one
		// chooses first and then types this question's numbers into the next.
		option.SetHelp(optionRange(m.q), h.OptionPick)
	}
	short := []key.Binding{option, save, k.ArrowUp, k.ArrowDown, k.Toggle, k.Tab, k.Prev, k.Next, k.Jump, k.Scenarios, k.Review, k.Back, k.Help}
	return helpKeys{short: short, full: [][]key.Binding{
		{option, k.ArrowUp, k.ArrowDown, k.Toggle, save},
		{k.Tab, k.ShiftTab, k.Prev, k.Next},
		{k.Jump, k.Scenarios, k.Review},
		{k.Back, k.Help, k.HelpAlways, k.ForceQuit},
	}}
}

// optionRange is "a-e" for a question with options A to E.
func optionRange(q *indicators.Question) string {
	if len(q.Options) == 0 {
		return ""
	}
	return strings.ToLower(q.Options[0].ID + "-" + q.Options[len(q.Options)-1].ID)
}
