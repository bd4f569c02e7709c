package ui

import (
	"strings"

	"digilevel/model"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// edKind is what an editor field holds.
type edKind int

const (
	edText   edKind = iota // one line of text
	edChoice               // one of a few values, left/right
	edCheck                // ticked or not, space
	edNote                 // a line to read, never focused
)

// edField is one field of an editor.
type edField struct {
	kind    edKind
	key     string // the caller's name for it
	label   string
	hint    string // shown under the field while it has the focus
	input   textinput.Model
	choices []string // labels (edChoice)
	choice  int
	checked bool
	err     string
	orig    string // the starting value, to tell a changed dialog
}

func (f edField) value() string {
	switch f.kind {
	case edText:
		return strings.TrimSpace(f.input.Value())
	case edChoice:
		return f.choices[f.choice]
	case edCheck:
		if f.checked {
			return "x"
		}
	}
	return ""
}

// editor is a dialog of labelled fields: text lines, choices (left and
// right) and ticks (space), with one focus moved by tab, shift+tab and the
// arrows. The list, plan and pool dialogs use it; their screens handle
// enter (save) and esc (cancel, asking first when something changed).
// Every field's error shows under it, wrapped.
type editor struct {
	sh     *shared
	title  string
	fields []edField
	focus  int
	w      int
}

func newEditor(sh *shared, title string) editor { return editor{sh: sh, title: title, focus: -1} }

func (e *editor) add(f edField) {
	e.fields = append(e.fields, f)
	if e.focus < 0 && f.kind != edNote {
		e.focus = len(e.fields) - 1
		e.applyFocus()
	}
}

// text adds a line of text of at most limit characters.
func (e *editor) text(key, label, value, placeholder string, limit int) *edField {
	ti := textinput.New()
	ti.Prompt = ""
	ti.Placeholder = Display(placeholder)
	ti.CharLimit = limit
	ti.Cursor.SetMode(cursor.CursorStatic)
	// Stored text made harmless, not rewritten: Display's width-safe
	// replacements would be saved back (the enterprise form does the same).
	ti.SetValue(strings.ReplaceAll(model.DisplaySafe(value, true), "\n", " "))
	e.add(edField{kind: edText, key: key, label: label, input: ti, orig: ti.Value()})
	return &e.fields[len(e.fields)-1]
}

// choice adds a choice among labels, starting at sel.
func (e *editor) choice(key, label string, labels []string, sel int) *edField {
	sel = min(max(sel, 0), len(labels)-1)
	e.add(edField{kind: edChoice, key: key, label: label, choices: labels, choice: sel, orig: labels[sel]})
	return &e.fields[len(e.fields)-1]
}

// check adds a tick box.
func (e *editor) check(key, label string, on bool) *edField {
	f := edField{kind: edCheck, key: key, label: label, checked: on}
	f.orig = f.value()
	e.add(f)
	return &e.fields[len(e.fields)-1]
}

// note adds a line to read.
func (e *editor) note(text string) { e.add(edField{kind: edNote, label: text}) }

func (e editor) index(key string) int {
	for i, f := range e.fields {
		if f.key == key {
			return i
		}
	}
	return -1
}

// get returns the field of key (a zero field when there is none).
func (e editor) get(key string) edField {
	if i := e.index(key); i >= 0 {
		return e.fields[i]
	}
	return edField{}
}

func (e editor) value(key string) string { return e.get(key).value() }

func (e editor) choiceOf(key string) int { return e.get(key).choice }

// fail puts an error under a field and moves the focus to it.
func (e *editor) fail(key, msg string) {
	if i := e.index(key); i >= 0 {
		e.fields[i].err = msg
		e.focus = i
		e.applyFocus()
	}
}

// failed reports whether any field shows an error.
func (e editor) failed() bool {
	for _, f := range e.fields {
		if f.err != "" {
			return true
		}
	}
	return false
}

func (e *editor) clearErrors() {
	for i := range e.fields {
		e.fields[i].err = ""
	}
}

// changed reports whether any field differs from its start.
func (e editor) changed() bool {
	for _, f := range e.fields {
		if f.kind != edNote && f.value() != strings.TrimSpace(f.orig) {
			return true
		}
	}
	return false
}

// typing reports a text field with the focus: letters are typed into it.
func (e editor) typing() bool {
	return e.focus >= 0 && e.focus < len(e.fields) && e.fields[e.focus].kind == edText
}

func (e editor) focusKey() string {
	if e.focus >= 0 && e.focus < len(e.fields) {
		return e.fields[e.focus].key
	}
	return ""
}

func (e *editor) applyFocus() tea.Cmd {
	var cmd tea.Cmd
	for i := range e.fields {
		if e.fields[i].kind != edText {
			continue
		}
		if i == e.focus {
			cmd = e.fields[i].input.Focus()
		} else {
			e.fields[i].input.Blur()
		}
	}
	return cmd
}

// move shifts the focus by d, skipping notes, wrapping around.
func (e *editor) move(d int) tea.Cmd {
	n := len(e.fields)
	for step := 1; step <= n; step++ {
		i := ((e.focus+d*step)%n + n) % n
		if e.fields[i].kind != edNote {
			e.focus = i
			break
		}
	}
	return e.applyFocus()
}

func (e *editor) resize(w int) {
	e.w = w
	lw := e.labelWidth()
	for i := range e.fields {
		e.fields[i].input.Width = max(w-2-lw-1-3, 8)
	}
}

func (e editor) labelWidth() int {
	w := 0
	for _, f := range e.fields {
		if f.kind == edText || f.kind == edChoice {
			w = max(w, width(f.label))
		}
	}
	return min(w, 16)
}

// update handles a key for the focused field. It reports changed when a
// value changed (a choice or a tick), so the caller can react.
func (e *editor) update(k tea.KeyMsg) (cmd tea.Cmd, changed bool) {
	keys := e.sh.keys
	switch {
	case key.Matches(k, keys.Tab, keys.ArrowDown):
		return e.move(1), false
	case key.Matches(k, keys.ShiftTab, keys.ArrowUp):
		return e.move(-1), false
	}
	if e.focus < 0 || e.focus >= len(e.fields) {
		return nil, false
	}
	f := &e.fields[e.focus]
	switch f.kind {
	case edText:
		var cmd tea.Cmd
		f.input, cmd = f.input.Update(k)
		f.err = ""
		return cmd, false
	case edChoice:
		switch {
		case key.Matches(k, keys.Left):
			f.choice = (f.choice + len(f.choices) - 1) % len(f.choices)
		case key.Matches(k, keys.Right, keys.Toggle):
			f.choice = (f.choice + 1) % len(f.choices)
		default:
			return nil, false
		}
		f.err = ""
		return nil, true
	case edCheck:
		if key.Matches(k, keys.Toggle) {
			f.checked = !f.checked
			f.err = ""
			return nil, true
		}
	}
	return nil, false
}

// view draws the fields; focusLine is the line of the focused field, so a
// screen can keep it in view.
func (e editor) view() (lines []string, focusLine int) {
	st := e.sh.st
	lw := e.labelWidth()
	indent := strings.Repeat(" ", 2+lw+1)
	for i, f := range e.fields {
		focused := i == e.focus
		mark := "  "
		if focused {
			mark = "▸ "
			focusLine = len(lines)
		}
		switch f.kind {
		case edNote:
			for _, l := range wrap(f.label, e.w-2) {
				lines = append(lines, "  "+st.Dim.Render(l))
			}
			continue
		case edText:
			frame := st.InputDim
			if focused {
				frame = st.Input
			}
			labels := wrap(f.label, lw)
			lines = append(lines, mark+pad(labels[0], lw)+" "+frame.Render("[")+pad(f.input.View(), f.input.Width+1)+frame.Render("]"))
			for _, l := range labels[1:] {
				lines = append(lines, "  "+l)
			}
		case edChoice:
			v := "  " + oneLine(f.choices[f.choice]) + "  "
			if focused {
				v = "< " + oneLine(f.choices[f.choice]) + " >"
			}
			labels := wrap(f.label, lw)
			line := mark + pad(labels[0], lw) + " " + v
			if focused {
				line = st.Cursor.Render(line)
			}
			lines = append(lines, line)
			for _, l := range labels[1:] {
				lines = append(lines, "  "+l)
			}
		case edCheck:
			box := "[ ] "
			if f.checked {
				box = "[x] "
			}
			for j, l := range wrap(f.label, e.w-6) {
				prefix := "      "
				if j == 0 {
					prefix = mark + box
				}
				line := prefix + l
				switch {
				case focused:
					line = st.Cursor.Render(line)
				case f.checked:
					line = st.Chosen.Render(line)
				}
				lines = append(lines, line)
			}
		}
		under := indent
		if f.kind == edCheck {
			under = "      "
		}
		switch {
		case f.err != "":
			for _, l := range wrap(f.err, e.w-len(under)) {
				lines = append(lines, under+st.Error.Render(l))
			}
		case focused && f.hint != "":
			for _, l := range wrap(f.hint, e.w-len(under)) {
				lines = append(lines, under+st.Dim.Render(l))
			}
		}
	}
	return lines, focusLine
}

// editorHelp lists the keys of an open editor.
func (e editor) help(save string) helpKeys {
	k, h := e.sh.keys, e.sh.tx.Help
	short := []key.Binding{relabel(k.Enter, save), k.Tab, k.ShiftTab}
	if e.focus >= 0 && e.focus < len(e.fields) {
		switch e.fields[e.focus].kind {
		case edChoice:
			short = append(short, relabel(k.Left, h.Pick))
		case edCheck:
			short = append(short, k.Toggle)
		}
	}
	short = append(short, relabel(k.Back, h.Cancel), k.HelpAlways)
	return helpKeys{short: short, full: [][]key.Binding{short, {k.ArrowUp, k.ArrowDown, k.ForceQuit}}}
}
