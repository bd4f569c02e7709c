package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// menu is a vertical list of choices with a cursor.
type menu struct {
	items  []string
	cursor int
}

// update moves the cursor; it returns the chosen index on enter, else -1.
func (mn *menu) update(k *KeyMap, msg tea.KeyMsg) int {
	switch {
	case key.Matches(msg, k.Up):
		if mn.cursor > 0 {
			mn.cursor--
		}
	case key.Matches(msg, k.Down):
		if mn.cursor < len(mn.items)-1 {
			mn.cursor++
		}
	case key.Matches(msg, k.Enter):
		return mn.cursor
	}
	return -1
}

func (mn menu) view(st *Styles, w int) []string {
	out := make([]string, 0, len(mn.items))
	for i, it := range mn.items {
		it = truncate(Display(it), w-2)
		if i == mn.cursor {
			out = append(out, st.Cursor.Render("▸ "+it))
		} else {
			out = append(out, "  "+it)
		}
	}
	return out
}

// welcomeModel is the first-run screen of an empty database.
type welcomeModel struct {
	sh   *shared
	menu menu
	busy bool
	w, h int
}

func newWelcome(sh *shared) welcomeModel {
	t := sh.tx
	return welcomeModel{sh: sh, menu: menu{items: []string{t.WelcomeNew, t.WelcomeDemo, t.WelcomeQuit}}}
}

func (m *welcomeModel) SetSize(w, h int) { m.w, m.h = w, h }

func (m welcomeModel) Update(msg tea.Msg) (welcomeModel, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok || m.busy {
		return m, nil
	}
	switch m.menu.update(m.sh.keys, k) {
	case 0:
		return m, nav(navMsg{to: screenForm})
	case 1:
		m.busy = true
		return m, createDemoCmd(m.sh.deps.Store, m.sh.deps.change(""))
	case 2:
		return m, func() tea.Msg { return ShutdownMsg{} }
	}
	return m, nil
}

func (m welcomeModel) View() string {
	st, t := m.sh.st, m.sh.tx
	inner := min(m.w, 76) - st.Dialog.GetHorizontalFrameSize()
	var lines []string
	lines = append(lines, st.Title.Render(t.WelcomeTitle), "")
	for _, p := range t.WelcomeBody {
		lines = append(lines, wrap(p, inner)...)
	}
	lines = append(lines, "")
	lines = append(lines, m.menu.view(st, inner)...)
	if m.busy {
		lines = append(lines, "", st.Dim.Render(t.DemoCreating))
	}
	box := st.Dialog.Width(inner + st.Dialog.GetHorizontalPadding()).Render(strings.Join(lines, "\n"))
	return st.Header.Render(t.AppName) + "\n\n" + box
}

func (m welcomeModel) help() helpKeys {
	k := m.sh.keys
	short := []key.Binding{k.Up, k.Down, relabel(k.Enter, m.sh.tx.Help.Select), k.Quit}
	return helpKeys{short: short, full: [][]key.Binding{short, {k.Help, k.ForceQuit}}}
}
