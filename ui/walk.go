package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"digilevel/indicators"
	"digilevel/model"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// walkModel shows one question: its path, the verbatim text, the options,
// the supplementary numbers with the option they imply, a note and
// evidence files. Changes are local until enter (or leaving the question)
// saves them; the screen moves on only when the save succeeded.
type walkModel struct {
	sh   *shared
	sess session
	qs   []*indicators.Question
	idx  int
	q    *indicators.Question

	cursor int
	chosen []bool
	nums   []textinput.Model
	numErr []string
	note   textinput.Model
	evid   textinput.Model
	focus  int // 0 options, 1..len(nums) numbers, then note, then evidence

	derived    string
	contradict string
	derivedOpt string

	jumping bool
	jump    menu

	saving bool
	err    string
	info   string
	w, h   int
}

func newWalk(sh *shared, s session, idx int, w, h int) walkModel {
	m := walkModel{sh: sh, sess: s, qs: s.questions(), w: w, h: h}
	m.note = m.input(sh.tx.NotePlaceholder)
	m.note.CharLimit = model.MaxNoteLength
	m.evid = m.input(sh.tx.EvidenceHint)
	m.load(min(max(idx, 0), len(m.qs)-1))
	return m
}

func (m walkModel) input(placeholder string) textinput.Model {
	ti := textinput.New()
	ti.Prompt = ""
	ti.Placeholder = Display(placeholder)
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.PromptStyle = m.sh.st.Input
	return ti
}

// load shows question i with what is stored for it.
func (m *walkModel) load(i int) {
	m.idx, m.q = i, m.qs[i]
	q, a := m.q, m.sess.a.Answers
	m.chosen = make([]bool, len(q.Options))
	m.cursor = 0
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
	for j, f := range q.FormFields {
		ti := m.input(f.Unit)
		ti.CharLimit = model.MaxDecimalDigits + 2
		ti.SetValue(string(a.Numbers[q.ID][f.ID]))
		m.nums[j] = ti
	}
	m.note.SetValue(a.Notes[q.ID])
	m.evid.SetValue("")
	m.focus = 0
	m.blurAll()
	m.err, m.info = "", ""
	m.SetSize(m.w, m.h)
	m.refreshDerived()
}

func (m *walkModel) SetSize(w, h int) {
	m.w, m.h = w, h
	fw := min(max(w-46, 10), 24)
	for i := range m.nums {
		m.nums[i].Width = fw
	}
	m.note.Width = max(w-12, 10)
	m.evid.Width = max(w-12, 10)
}

func (m walkModel) frozen() bool { return m.sess.a.State.Frozen() }

func (m walkModel) capturing() bool { return m.focus > 0 && !m.jumping }

func (m *walkModel) blurAll() {
	for i := range m.nums {
		m.nums[i].Blur()
	}
	m.note.Blur()
	m.evid.Blur()
}

func (m *walkModel) setFocus(f int) {
	n := len(m.nums) + 3
	if m.frozen() {
		n = 1
	}
	m.focus = ((f % n) + n) % n
	m.blurAll()
	switch {
	case m.focus == 0:
	case m.focus <= len(m.nums):
		m.nums[m.focus-1].Focus()
	case m.focus == len(m.nums)+1:
		m.note.Focus()
	default:
		m.evid.Focus()
	}
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
			m.numErr[i] = Display(err.Error())
		}
	}
}

// refreshDerived recomputes the option the typed numbers imply.
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
	if set.Numbers == nil {
		set.Numbers = map[string]map[string]model.Decimal{}
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
	if n := strings.TrimSpace(m.note.Value()); n != a.Notes[m.q.ID] {
		p.note = &n
	}
	return p
}

// save writes what is pending and then goes to next (nil: stay).
func (m walkModel) save(next *navMsg) (walkModel, tea.Cmd) {
	p := m.pending()
	if p.empty() {
		if next != nil {
			return m, nav(*next)
		}
		return m, nil
	}
	m.saving, m.err = true, ""
	return m, saveQuestionCmd(m.sh.deps.Store, m.sess.a.ID, m.q.ID, p, m.sh.deps.change(""), next)
}

// flush saves what is on screen before the program quits.
func (m walkModel) flush() (walkModel, tea.Cmd) {
	if m.saving {
		return m, nil
	}
	return m.save(nil)
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

// evidenceMsg is the result of adding an evidence file.
type evidenceMsg struct {
	a    model.Assessment
	err  error
	path string
}

func addEvidenceCmd(st Store, t *Text, id, ref, path string, c model.Change) tea.Cmd {
	return func() tea.Msg {
		ev, err := hashFile(t, path)
		if err != nil {
			return evidenceMsg{err: err}
		}
		a, err := st.AddEvidence(id, ref, ev, c)
		return evidenceMsg{a: a, err: err, path: ev.Path}
	}
}

// HashEvidence reads a file offered as evidence: its absolute path, size and
// SHA-256. Errors are Chinese and name the path. The CLI uses it too.
func HashEvidence(path string) (model.Evidence, error) { return hashFile(Chinese(), path) }

// hashFile is HashEvidence in the UI's language.
func hashFile(t *Text, path string) (model.Evidence, error) {
	if strings.HasPrefix(path, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, path[2:])
		}
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return model.Evidence{}, fmt.Errorf(t.FileNotFound, path)
	case errors.Is(err, fs.ErrPermission):
		return model.Evidence{}, fmt.Errorf(t.FileDenied, path)
	case err != nil:
		return model.Evidence{}, fmt.Errorf(t.FileUnreadable, path, err)
	case fi.IsDir():
		return model.Evidence{}, fmt.Errorf(t.FileIsDir, path)
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrPermission) {
		return model.Evidence{}, fmt.Errorf(t.FileDenied, path)
	} else if err != nil {
		return model.Evidence{}, fmt.Errorf(t.FileUnreadable, path, err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return model.Evidence{}, fmt.Errorf(t.FileUnreadable, path, err)
	}
	return model.Evidence{Path: path, SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}, nil
}

func (m walkModel) Update(msg tea.Msg) (walkModel, tea.Cmd) {
	switch msg := msg.(type) {
	case savedMsg:
		m.saving = false
		if msg.a.ID != "" {
			m.sess.a = msg.a
		}
		if msg.err != nil {
			m.err = Display(msg.err.Error())
			return m, nil
		}
		if msg.next != nil {
			return m, nav(*msg.next)
		}
		m.info = m.sh.tx.Saved
		return m, nil
	case evidenceMsg:
		m.saving = false
		if msg.err != nil {
			m.err = Display(msg.err.Error())
			return m, nil
		}
		m.sess.a = msg.a
		m.evid.SetValue("")
		m.info = fmt.Sprintf(m.sh.tx.EvidenceAdded, filepath.Base(msg.path))
		return m, nil
	case tea.KeyMsg:
		if m.saving {
			return m, nil
		}
		m.info = ""
		if m.jumping {
			return m.updateJump(msg)
		}
		return m.updateKey(msg)
	}
	return m, nil
}

func (m walkModel) updateKey(k tea.KeyMsg) (walkModel, tea.Cmd) {
	keys := m.sh.keys
	last := len(m.qs) - 1
	switch {
	case key.Matches(k, keys.Back):
		return m.save(&navMsg{to: screenHome})
	case key.Matches(k, keys.Tab):
		m.setFocus(m.focus + 1)
		return m, nil
	case key.Matches(k, keys.ShiftTab):
		m.setFocus(m.focus - 1)
		return m, nil
	case key.Matches(k, keys.PageDown), m.focus == 0 && key.Matches(k, keys.Next):
		if m.idx == last {
			return m.save(&navMsg{to: screenScenarios})
		}
		return m.save(&navMsg{to: screenWalk, q: m.idx + 1})
	case key.Matches(k, keys.PageUp), m.focus == 0 && key.Matches(k, keys.Prev):
		if m.idx == 0 {
			return m, nil
		}
		return m.save(&navMsg{to: screenWalk, q: m.idx - 1})
	case key.Matches(k, keys.Enter):
		return m.enter()
	}
	if m.focus > 0 {
		if key.Matches(k, keys.ArrowUp) {
			m.setFocus(m.focus - 1)
			return m, nil
		}
		if key.Matches(k, keys.ArrowDown) {
			m.setFocus(m.focus + 1)
			return m, nil
		}
		var cmd tea.Cmd
		switch {
		case m.focus <= len(m.nums):
			m.nums[m.focus-1], cmd = m.nums[m.focus-1].Update(k)
			m.validateNumbers()
			m.refreshDerived()
		case m.focus == len(m.nums)+1:
			m.note, cmd = m.note.Update(k)
		default:
			m.evid, cmd = m.evid.Update(k)
		}
		return m, cmd
	}
	switch {
	case key.Matches(k, keys.Up):
		if m.cursor > 0 {
			m.cursor--
		}
	case key.Matches(k, keys.Down):
		if m.cursor < len(m.q.Options)-1 {
			m.cursor++
		}
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
// On the evidence field it adds the typed file instead.
func (m walkModel) enter() (walkModel, tea.Cmd) {
	if m.frozen() {
		return m.save(m.nextNav())
	}
	if m.focus == len(m.nums)+2 && strings.TrimSpace(m.evid.Value()) != "" {
		m.saving, m.err = true, ""
		return m, addEvidenceCmd(m.sh.deps.Store, m.sh.tx, m.sess.a.ID, m.q.ID, strings.TrimSpace(m.evid.Value()), m.sh.deps.change(""))
	}
	if m.focus == 0 && m.q.Type == indicators.Single {
		m.toggle(m.cursor)
		m.refreshDerived()
	}
	if len(m.chosenIDs()) == 0 {
		m.err = m.sh.tx.ChooseFirst
		return m, nil
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

// header draws the two lines every assessment screen starts with: who and
// what, and the progress by dimension.
func header(sh *shared, s session, w int) []string {
	st := sh.st
	left := Display(sh.cat.KindLabel(string(s.a.Kind)))
	if s.a.Version > 1 {
		left += fmt.Sprintf(" v%d", s.a.Version)
	}
	left += " ・ " + Display(s.ent.Name)
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
	line2 := strings.Join(segs, "  ")
	if width(line2) > w {
		line2 = truncate(line2, w)
	}
	return []string{line1, line2, st.Rule.Render(strings.Repeat("─", w))}
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

func (m walkModel) View() string {
	st, t := m.sh.st, m.sh.tx
	out := header(m.sh, m.sess, m.w)
	bodyH := m.h - len(out)
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
	path := q.ID + " ・ " + Display(p.Dimension.Name+" › "+p.SubDimension.Name+" › "+p.Indicator.Name)
	if width(path)+2+width(right) <= m.w {
		body = append(body, st.Path.Render(path)+strings.Repeat(" ", m.w-width(path)-width(right))+st.Dim.Render(right))
	} else {
		body = append(body, st.Path.Render(truncate(path, m.w)), st.Dim.Render(truncate(right, m.w)))
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
		body = append(body, "", st.Dim.Render(Display(heading)))
		labelW := 0
		for _, f := range q.FormFields {
			labelW = max(labelW, width(Display(f.Label)))
		}
		labelW = min(labelW, m.w-m.nums[0].Width-6)
		for i, f := range q.FormFields {
			mark := "  "
			if m.focus == i+1 {
				mark = "▸ "
				focusLine = len(body)
			}
			body = append(body, mark+pad(Display(f.Label), labelW)+" "+m.field(m.nums[i].View(), m.focus == i+1))
			if m.numErr[i] != "" {
				body = append(body, st.Error.Render(truncate("    "+m.numErr[i], m.w)))
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
	noteMark, evMark := "  ", "  "
	if m.focus == len(m.nums)+1 {
		noteMark, focusLine = "▸ ", len(body)
	}
	body = append(body, noteMark+pad(t.NoteLabel, 6)+" "+m.field(m.note.View(), m.focus == len(m.nums)+1))
	if m.focus == len(m.nums)+2 {
		evMark, focusLine = "▸ ", len(body)
	}
	body = append(body, evMark+pad(t.EvidenceLabel, 6)+" "+m.field(m.evid.View(), m.focus == len(m.nums)+2))
	for _, ev := range m.sess.a.Evidence[q.ID] {
		short := ev.SHA256
		if len(short) > 12 {
			short = short[:12]
		}
		body = append(body, st.Dim.Render(truncate("         "+Display(fmt.Sprintf(t.EvidenceItemFmt, filepath.Base(ev.Path), humanSize(ev.Size), short)), m.w)))
	}
	if m.focus == len(m.nums)+2 {
		focusLine = len(body) - 1 // keep the attached files in view
	}
	// The message line stays put under the scrolling body, so an error
	// never pushes the question out of view.
	msg := ""
	switch {
	case m.saving:
		msg = st.Dim.Render(t.Saving)
	case m.err != "":
		msg = st.Error.Render(truncate(m.err, m.w))
	case m.info != "":
		msg = st.Info.Render(truncate(m.info, m.w))
	case m.frozen():
		msg = st.Warn.Render(truncate(t.ReadOnly, m.w))
	}
	out = append(out, window(t, st, body, focusLine, bodyH-1)...)
	out = append(out, msg)
	return strings.Join(out, "\n")
}

// field frames a text field's view so its extent is visible.
func (m walkModel) field(v string, focused bool) string {
	if focused {
		return m.sh.st.Input.Render("[") + v + m.sh.st.Input.Render("]")
	}
	return m.sh.st.InputDim.Render("[") + v + m.sh.st.InputDim.Render("]")
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func (m walkModel) help() helpKeys {
	k, h := m.sh.keys, m.sh.tx.Help
	save := relabel(k.Enter, h.Save)
	if m.jumping {
		short := []key.Binding{k.Up, k.Down, relabel(k.Enter, h.Jump), relabel(k.Back, h.Cancel)}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	}
	if m.focus > 0 {
		short := []key.Binding{save, k.Tab, k.ShiftTab, k.PageUp, k.PageDown, k.Back}
		return helpKeys{short: short, full: [][]key.Binding{short, {k.ArrowUp, k.ArrowDown, k.ForceQuit}}}
	}
	short := []key.Binding{k.Up, k.Down, k.Toggle, save, k.Tab, k.Prev, k.Next, k.Jump, k.Scenarios, k.Review, k.Back, k.Help}
	return helpKeys{short: short, full: [][]key.Binding{
		{k.Up, k.Down, k.Toggle, save},
		{k.Tab, k.ShiftTab, k.Prev, k.Next},
		{k.Jump, k.Scenarios, k.Review},
		{k.Back, k.Help, k.ForceQuit},
	}}
}
