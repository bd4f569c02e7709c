package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// field is one labelled line of text in a fieldSet.
type field struct {
	label string
	hint  string // shown under the field while it has the focus
	input textinput.Model
	err   string
	orig  string // the value it started with, to tell a changed form
}

// fieldSet is a column of labelled text fields with one focus, moved with
// tab, shift+tab and the arrows. The identity step and the settings use
// it; it draws errors and hints wrapped under their field.
type fieldSet struct {
	sh     *shared
	fields []field
	focus  int
	w      int
}

func newField(sh *shared, label, value, placeholder string, limit int) field {
	ti := textinput.New()
	ti.Prompt = ""
	ti.Placeholder = placeholder
	ti.CharLimit = limit
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.SetValue(oneLine(value))
	return field{label: label, input: ti, orig: ti.Value()}
}

func (f *fieldSet) add(fl field) int {
	f.fields = append(f.fields, fl)
	return len(f.fields) - 1
}

func (f fieldSet) value(i int) string { return strings.TrimSpace(f.fields[i].input.Value()) }

func (f *fieldSet) set(i int, v string) { f.fields[i].input.SetValue(v) }

// changed reports whether any field differs from what it started with.
func (f fieldSet) changed() bool {
	for _, fl := range f.fields {
		if strings.TrimSpace(fl.input.Value()) != strings.TrimSpace(fl.orig) {
			return true
		}
	}
	return false
}

// settled marks the current values as the saved ones.
func (f *fieldSet) settled() {
	for i := range f.fields {
		f.fields[i].orig = f.fields[i].input.Value()
	}
}

func (f fieldSet) labelWidth() int {
	w := 0
	for _, fl := range f.fields {
		w = max(w, width(fl.label))
	}
	return w
}

func (f *fieldSet) resize(w int) {
	f.w = w
	for i := range f.fields {
		// mark 2, label, space, the brackets and the cursor cell.
		f.fields[i].input.Width = min(max(w-2-f.labelWidth()-1-3, 8), 56)
	}
}

// setFocus moves the focus to field i (n = len: none has it).
func (f *fieldSet) setFocus(i int) tea.Cmd {
	f.focus = i
	var cmd tea.Cmd
	for j := range f.fields {
		if j == i {
			cmd = f.fields[j].input.Focus()
		} else {
			f.fields[j].input.Blur()
		}
	}
	return cmd
}

// update moves the focus or edits the focused field. moved reports a
// focus key; the caller handles enter and esc.
func (f *fieldSet) update(k tea.KeyMsg, stops int) (tea.Cmd, bool) {
	keys := f.sh.keys
	switch {
	case key.Matches(k, keys.Tab, keys.ArrowDown):
		return f.setFocus((f.focus + 1) % stops), true
	case key.Matches(k, keys.ShiftTab, keys.ArrowUp):
		return f.setFocus((f.focus + stops - 1) % stops), true
	}
	if f.focus < len(f.fields) {
		var cmd tea.Cmd
		f.fields[f.focus].input, cmd = f.fields[f.focus].input.Update(k)
		f.fields[f.focus].err = ""
		return cmd, false
	}
	return nil, false
}

func (f fieldSet) view() []string {
	st := f.sh.st
	lw := f.labelWidth()
	var out []string
	for i, fl := range f.fields {
		mark, frame := "  ", st.InputDim
		if i == f.focus {
			mark, frame = "▸ ", st.Input
		}
		// The input draws its placeholder a cell narrower than a value.
		out = append(out, mark+pad(fl.label, lw)+" "+frame.Render("[")+pad(fl.input.View(), fl.input.Width+1)+frame.Render("]"))
		indent := strings.Repeat(" ", 2+lw+1)
		if fl.err != "" {
			for _, l := range wrap(fl.err, f.w-len(indent)) {
				out = append(out, indent+st.Error.Render(l))
			}
		} else if i == f.focus && fl.hint != "" {
			for _, l := range wrap(fl.hint, f.w-len(indent)) {
				out = append(out, indent+st.Dim.Render(l))
			}
		}
	}
	return out
}
