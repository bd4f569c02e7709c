package ui

import (
	"fmt"
	"strconv"
	"strings"

	"digilevel/model"
	"digilevel/storage"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// listsMode is the lists screen's dialog state.
type listsMode int

const (
	listsBrowse  listsMode = iota
	listsEdit              // the add, pain or reword dialog is open
	listsRemove            // asking before a removal
	listsDiscard           // esc on a changed dialog: discard?
)

// listsModel shows the 问题清单 and the 需求场景清单 as the store computes
// them (regenerated from the answers, a person's edits applied) and edits
// them before finalizing: add an item, add a pain point in the enterprise's
// words, remove, reword, move. Each edit is one store call; the screen
// shows the lists again only once the edit is on disk and reloaded.
type listsModel struct {
	sh      *shared
	sess    session
	diag    *storage.DiagnosisData
	loadErr string
	loading bool

	list   string // model.ListProblems or model.ListDemands
	cursor map[string]int
	want   string // focus this item ID after the next load

	mode listsMode
	op   string         // the dialog's edit: model.OpAdd, OpPain, OpReword or OpMove
	item model.ListItem // the item reworded or removed
	ed   editor

	// saving covers an edit and the reload after it: the edited list is
	// shown, with done as its message, only once both are through.
	saving bool
	done   string
	err    string
	info   string
	w, h   int
}

func newLists(sh *shared, s session, w, h int) (listsModel, tea.Cmd) {
	m := listsModel{sh: sh, sess: s, list: model.ListProblems, cursor: map[string]int{}, loading: true, w: w, h: h}
	return m, loadDiagnosisCmd(sh.deps.Store, s.a.ID)
}

func (m listsModel) update(msg tea.Msg) (screen, tea.Cmd) { return m.Update(msg) }
func (m listsModel) view() string                         { return m.View() }
func (m listsModel) busy() bool                           { return m.saving }
func (m listsModel) capturing() bool                      { return m.mode == listsEdit && m.ed.typing() }
func (m listsModel) resized(w, h int) screen {
	m.w, m.h = w, h
	m.ed.resize(m.dialogWidth())
	return m
}

func (m listsModel) dialogWidth() int { return min(m.w, 100) }

func (m listsModel) frozen() bool { return m.sess.a.State.Frozen() }

// items is the list on screen.
func (m listsModel) items() []model.ListItem {
	if m.diag == nil {
		return nil
	}
	if m.list == model.ListDemands {
		return m.diag.Diagnosis.Demands
	}
	return m.diag.Diagnosis.Problems
}

func (m listsModel) current() (model.ListItem, int, bool) {
	items := m.items()
	i := m.cursor[m.list]
	if i < 0 || i >= len(items) {
		return model.ListItem{}, 0, false
	}
	return items[i], i, true
}

func (m listsModel) Update(msg tea.Msg) (listsModel, tea.Cmd) {
	switch msg := msg.(type) {
	case diagnosisMsg:
		if msg.id != m.sess.a.ID {
			return m, nil
		}
		m.loading = false
		if m.saving {
			m.saving, m.mode, m.info = false, listsBrowse, m.done
		}
		if msg.err != nil {
			m.loadErr = errText(msg.err)
			return m, nil
		}
		m.diag, m.loadErr = &msg.d, ""
		m.sess.a = msg.d.Assessment
		m.focusWanted()
		return m, nil
	case savedMsg:
		if msg.err != nil {
			m.saving = false
			if m.mode == listsEdit {
				m.ed.fail(m.ed.fields[0].key, errText(msg.err))
			} else {
				m.mode, m.err = listsBrowse, errText(msg.err)
			}
			return m, nil
		}
		m.sess.a = msg.a
		m.done = msg.info
		m.loading = true
		return m, loadDiagnosisCmd(m.sh.deps.Store, m.sess.a.ID)
	case tea.KeyMsg:
		if m.saving || m.loading {
			return m, nil
		}
		m.err = ""
		switch m.mode {
		case listsEdit:
			return m.updateEdit(msg)
		case listsRemove:
			return m.updateRemove(msg)
		case listsDiscard:
			if answered, discard := confirmDiscard(m.sh.keys, msg); discard {
				m.mode = listsBrowse
			} else if answered {
				m.mode = listsEdit
			}
			return m, nil
		}
		return m.updateBrowse(msg)
	}
	return m, nil
}

// focusWanted puts the cursor on the item named by want, else keeps it in range.
func (m *listsModel) focusWanted() {
	items := m.items()
	if m.want != "" {
		for i, it := range items {
			if it.ID == m.want {
				m.cursor[m.list] = i
			}
		}
		m.want = ""
	}
	for _, l := range []string{model.ListProblems, model.ListDemands} {
		n := len(m.diag.Diagnosis.Problems)
		if l == model.ListDemands {
			n = len(m.diag.Diagnosis.Demands)
		}
		m.cursor[l] = min(max(m.cursor[l], 0), max(n-1, 0))
	}
}

func (m listsModel) updateBrowse(k tea.KeyMsg) (listsModel, tea.Cmd) {
	keys, dt := m.sh.keys, m.sh.tx.Diag
	m.info = ""
	n := len(m.items())
	i := m.cursor[m.list]
	switch {
	case key.Matches(k, keys.Back):
		return m, nav(navMsg{to: screenReview})
	case key.Matches(k, keys.Up):
		m.cursor[m.list] = max(i-1, 0)
		return m, nil
	case key.Matches(k, keys.Down):
		m.cursor[m.list] = max(min(i+1, n-1), 0)
		return m, nil
	case key.Matches(k, keys.PageUp):
		m.cursor[m.list] = max(i-m.listHeight(), 0)
		return m, nil
	case key.Matches(k, keys.PageDown):
		m.cursor[m.list] = max(min(i+m.listHeight(), n-1), 0)
		return m, nil
	case key.Matches(k, keys.Tab, keys.ShiftTab):
		if m.list == model.ListProblems {
			m.list = model.ListDemands
		} else {
			m.list = model.ListProblems
		}
		return m, nil
	}
	if m.diag == nil {
		return m, nil
	}
	edit := key.Matches(k, keys.Add, keys.AddPain, keys.Reword, keys.Enter, keys.Remove, keys.MoveUp, keys.MoveDown, keys.MoveTo)
	if edit && m.frozen() {
		m.err = dt.ReadOnlyLists
		return m, nil
	}
	it, idx, ok := m.current()
	switch {
	case key.Matches(k, keys.Add):
		return m.openEdit(model.OpAdd, model.ListItem{})
	case key.Matches(k, keys.AddPain):
		// A pain point belongs in the 问题清单, whichever list is shown.
		m.list = model.ListProblems
		return m.openEdit(model.OpPain, model.ListItem{})
	case !ok:
	case key.Matches(k, keys.Reword, keys.Enter):
		return m.openEdit(model.OpReword, it)
	case key.Matches(k, keys.Remove):
		m.mode, m.item = listsRemove, it
	case key.Matches(k, keys.MoveTo):
		return m.openEdit(model.OpMove, it)
	case key.Matches(k, keys.MoveUp):
		if idx == 0 {
			m.info = dt.ListTop
			return m, nil
		}
		return m.edit(model.ListEdit{Op: model.OpMove, Item: it.ID, Position: idx}, dt.ListMoved, it.ID)
	case key.Matches(k, keys.MoveDown):
		if idx == n-1 {
			m.info = dt.ListBottom
			return m, nil
		}
		return m.edit(model.ListEdit{Op: model.OpMove, Item: it.ID, Position: idx + 2}, dt.ListMoved, it.ID)
	}
	return m, nil
}

// openEdit opens the dialog of an add, a pain point or a rewording.
func (m listsModel) openEdit(op string, it model.ListItem) (listsModel, tea.Cmd) {
	dt := m.sh.tx.Diag
	title := map[string]string{model.OpAdd: dt.ListAddTitle, model.OpPain: dt.ListPainTitle, model.OpReword: dt.ListEditTitle}[op]
	switch op {
	case model.OpReword:
		title += " " + it.ID
	case model.OpAdd:
		title += "（" + model.ListLabel(m.list) + "）"
	}
	m.ed = newEditor(m.sh, title)
	if op == model.OpMove {
		m.ed.title = fmt.Sprintf(dt.ListMoveTitle, it.ID+" "+oneLine(it.Title))
		_, idx, _ := m.current()
		f := m.ed.text("position", dt.ListPosition, fmt.Sprint(idx+1), "", 4)
		f.hint = fmt.Sprintf(dt.ListPosHintFmt, len(m.items()))
		m.ed.resize(m.dialogWidth())
		m.mode, m.op, m.item = listsEdit, op, it
		return m, m.ed.applyFocus()
	}
	m.ed.text("title", dt.ListItemTitle, it.Title, "", model.MaxListTitle)
	m.ed.text("note", dt.ListItemNote, it.Note, "", model.MaxTextLength)
	if op == model.OpAdd {
		f := m.ed.text("ref", dt.ListItemRef, "", "", model.MaxListRefLength)
		f.hint = dt.ListRefHint
	}
	m.ed.resize(m.dialogWidth())
	m.mode, m.op, m.item = listsEdit, op, it
	return m, m.ed.applyFocus()
}

func (m listsModel) updateEdit(k tea.KeyMsg) (listsModel, tea.Cmd) {
	keys, dt := m.sh.keys, m.sh.tx.Diag
	switch {
	case key.Matches(k, keys.Back):
		if m.ed.changed() {
			m.mode = listsDiscard
			return m, nil
		}
		m.mode = listsBrowse
		return m, nil
	case key.Matches(k, keys.Enter) && m.op == model.OpMove:
		m.ed.clearErrors()
		n, err := strconv.Atoi(m.ed.value("position"))
		if err != nil || n < 1 || n > len(m.items()) {
			m.ed.fail("position", fmt.Sprintf(dt.ListPosErrFmt, m.ed.value("position"), len(m.items())))
			return m, nil
		}
		return m.edit(model.ListEdit{Op: model.OpMove, Item: m.item.ID, Position: n}, dt.ListMoved, m.item.ID)
	case key.Matches(k, keys.Enter):
		m.ed.clearErrors()
		rules := []struct {
			key  string
			rule model.TextRule
		}{
			{"title", model.TextRule{Label: dt.ListItemTitle, Max: model.MaxListTitle, Required: true}},
			{"note", model.TextRule{Label: dt.ListItemNote, Max: model.MaxTextLength}},
			{"ref", model.TextRule{Label: dt.ListItemRef, Max: model.MaxListRefLength}},
		}
		for _, r := range rules {
			if err := model.CheckText(m.ed.value(r.key), r.rule); err != nil {
				m.ed.fail(r.key, errText(err))
			}
		}
		if m.ed.failed() {
			return m, nil
		}
		e := model.ListEdit{Op: m.op, Title: m.ed.value("title"), Note: m.ed.value("note"), Ref: strings.ToUpper(m.ed.value("ref"))}
		switch m.op {
		case model.OpReword:
			e.Item = m.item.ID
			return m.edit(e, dt.ListReworded, m.item.ID)
		default:
			return m.edit(e, dt.ListAdded, "")
		}
	}
	cmd, _ := m.ed.update(k)
	return m, cmd
}

func (m listsModel) updateRemove(k tea.KeyMsg) (listsModel, tea.Cmd) {
	switch {
	case key.Matches(k, m.sh.keys.Confirm):
		return m.edit(model.ListEdit{Op: model.OpRemove, Item: m.item.ID}, m.sh.tx.Diag.ListRemoved, "")
	case key.Matches(k, m.sh.keys.Cancel):
		m.mode = listsBrowse
	}
	return m, nil
}

// edit writes one list edit; the store's answer moves the screen on.
// focus names the item to keep the cursor on ("" for a new item: the one
// the edit adds).
func (m listsModel) edit(e model.ListEdit, done, focus string) (listsModel, tea.Cmd) {
	e.List = m.list
	m.saving = true
	m.want = focus
	st, id, c := m.sh.deps.Store, m.sess.a.ID, m.sh.change("")
	list := m.list
	if focus == "" && (e.Op == model.OpAdd || e.Op == model.OpPain) {
		// The store numbers added items U1, U2...: the next one is known.
		next := 0
		if m.sess.a.Edits != nil {
			next = m.sess.a.Edits.Problems.Next
			if list == model.ListDemands {
				next = m.sess.a.Edits.Demands.Next
			}
		}
		m.want = fmt.Sprintf("U%d", next+1)
	}
	return m, func() tea.Msg {
		a, err := st.EditList(id, e, c)
		return savedMsg{a: a, err: err, info: done}
	}
}

// listLine is one item in a list: its rank, the path mark, its ID and
// title, wrapped under itself. The first line starts with two spaces the
// lists screen replaces with its cursor.
func listLine(sh *shared, i int, it model.ListItem, w int) []string {
	mark := " "
	if it.OnPath {
		mark = sh.tx.Diag.PathMark
	}
	head := fmt.Sprintf("%2d %s %s ", i+1, mark, it.ID)
	title := oneLine(it.Title)
	if it.Edited {
		title += sh.tx.Diag.ListEditedMark
	}
	lines := wrap(title, max(w-2-width(head), 10))
	return hang(lines, "  "+head, strings.Repeat(" ", 2+width(head)))
}

// listHeight is the rows the list gets: the body less the header (2),
// the tabs, the rule, the detail (up to 6) and the message.
func (m listsModel) listHeight() int { return max(m.h-2-1-1-6-1, 4) }

// detail says everything about the selected item.
func (m listsModel) detail() []string {
	st, dt := m.sh.st, m.sh.tx.Diag
	it, _, ok := m.current()
	if !ok {
		return nil
	}
	head := it.ID
	if k := dt.ListKindLabels[it.Kind]; k != "" {
		head += " ・ " + k
	}
	if it.Ref != "" && it.Ref != it.ID {
		head += " ・ " + it.Ref
	}
	if it.OnPath {
		head += " ・ " + dt.PathMark + " " + dt.PathOn
	}
	var out []string
	out = append(out, indent(wrap(head, m.w), "", st.Info.Render)...)
	for _, f := range []struct{ label, v string }{{dt.ListCurrent, it.Current}, {dt.ListTarget, it.Target}, {dt.ListNote, it.Note}} {
		if strings.TrimSpace(f.v) == "" {
			continue
		}
		out = append(out, hang(wrap(oneLine(f.v), m.w-width(f.label)), f.label, strings.Repeat(" ", width(f.label)))...)
	}
	return out
}

func (m listsModel) View() string {
	st, t := m.sh.st, m.sh.tx
	dt := t.Diag
	warn := ""
	if m.frozen() {
		warn = dt.ReadOnlyLists
	}
	msg := message(st, t, m.saving, m.err, m.info, warn, m.w)
	switch m.mode {
	case listsRemove:
		msg = indent(wrap(fmt.Sprintf(dt.ListRemoveAsk, m.item.ID+" "+oneLine(m.item.Title)), m.w), "", st.Warn.Render)
	case listsDiscard:
		msg = indent(wrap(dt.DiscardDialog, m.w), "", st.Warn.Render)
	}
	var ed *editor
	if m.mode == listsEdit || m.mode == listsDiscard {
		ed = &m.ed
	}
	return diagView(m.sh, m.sess, dt.ListsScreen, m.w, m.h, msg, m.loadErr, m.diag != nil, ed, m.body)
}

// body is the tabs, the list around its cursor and the selected item's detail.
func (m listsModel) body(bodyH int) []string {
	st, t := m.sh.st, m.sh.tx
	dt := t.Diag
	// Tabs: the list shown is in brackets, so it reads without colour.
	var tabs []string
	for _, l := range []struct {
		id    string
		items []model.ListItem
	}{{model.ListProblems, m.diag.Diagnosis.Problems}, {model.ListDemands, m.diag.Diagnosis.Demands}} {
		label := fmt.Sprintf(dt.ListCountFmt, model.ListLabel(l.id), len(l.items))
		if l.id == m.list {
			tabs = append(tabs, st.Cursor.Render("["+label+"]"))
		} else {
			tabs = append(tabs, " "+label+" ")
		}
	}
	out := []string{strings.Join(tabs, "  ")}
	detail := clipLines(m.detail(), 6)
	listH := max(bodyH-1-1-len(detail), 3)
	var rows []string
	focus := 0
	items := m.items()
	if len(items) == 0 {
		rows = append(rows, "  "+st.Dim.Render(dt.ListEmpty))
	}
	for i, it := range items {
		lines := listLine(m.sh, i, it, m.w)
		if i == m.cursor[m.list] {
			focus = len(rows)
			lines[0] = "▸ " + lines[0][2:]
			for j := range lines {
				lines[j] = st.Cursor.Render(lines[j])
			}
		}
		rows = append(rows, lines...)
	}
	rows = window(t, st, rows, focus, listH)
	for len(rows) < listH {
		rows = append(rows, "")
	}
	out = append(out, rows...)
	out = append(out, st.Rule.Render(strings.Repeat("─", m.w)))
	return append(out, detail...)
}

func (m listsModel) help() helpKeys {
	k, h, dt := m.sh.keys, m.sh.tx.Help, m.sh.tx.Diag
	switch m.mode {
	case listsEdit:
		return m.ed.help(h.SaveSettings)
	case listsRemove:
		short := []key.Binding{relabel(k.Confirm, h.Remove), k.Cancel}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	case listsDiscard:
		short := []key.Binding{relabel(k.Confirm, h.Discard), relabel(k.Cancel, h.KeepEditing)}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	}
	sw := relabel(k.Tab, dt.HelpSwitch)
	if m.frozen() {
		short := []key.Binding{k.Up, k.Down, sw, k.Back, k.Help}
		return helpKeys{short: short, full: [][]key.Binding{short, {k.PageUp, k.PageDown, k.ForceQuit}}}
	}
	// K and J share one footer entry, so tab and esc stay visible at 80 columns.
	move := key.NewBinding(key.WithKeys("K", "J"), key.WithHelp("K/J", dt.HelpOrder))
	short := []key.Binding{k.Add, k.AddPain, k.Reword, k.Remove, move, sw, k.Back, k.Up, k.Down, k.Help}
	return helpKeys{short: short, full: [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, sw},
		{k.Add, k.AddPain, k.Reword, k.Remove},
		{k.MoveUp, k.MoveDown, k.MoveTo},
		{k.Back, k.Help, k.ForceQuit},
	}}
}
