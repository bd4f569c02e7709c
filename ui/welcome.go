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

// view draws the items, wrapping long ones under themselves.
func (mn menu) view(st *Styles, w int) []string {
	out := make([]string, 0, len(mn.items))
	for i, it := range mn.items {
		for j, l := range wrap(oneLine(it), w-2) {
			prefix := "  "
			if j == 0 && i == mn.cursor {
				prefix = "▸ "
			}
			if i == mn.cursor {
				out = append(out, st.Cursor.Render(prefix+l))
			} else {
				out = append(out, prefix+l)
			}
		}
	}
	return out
}

// welcomeModel is the first-run screen of an empty database.
type welcomeModel struct {
	sh   *shared
	menu menu
	// creating is set while the sample is being created.
	creating bool
	w, h     int
}

func newWelcome(sh *shared) welcomeModel {
	t := sh.tx
	return welcomeModel{sh: sh, menu: menu{items: []string{t.WelcomeNew, t.WelcomeDemo, t.Spot.WelcomeItem, t.WelcomeQuit}}}
}

func (m welcomeModel) update(msg tea.Msg) (screen, tea.Cmd) { return m.Update(msg) }
func (m welcomeModel) view() string                         { return m.View() }
func (m welcomeModel) capturing() bool                      { return false }
func (m welcomeModel) busy() bool                           { return m.creating }
func (m welcomeModel) resized(w, h int) screen {
	m.w, m.h = w, h
	return m
}

func (m welcomeModel) Update(msg tea.Msg) (welcomeModel, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok || m.creating {
		return m, nil
	}
	switch m.menu.update(m.sh.keys, k) {
	case 0:
		return m, nav(navMsg{to: screenForm})
	case 1:
		m.creating = true
		return m, createDemoCmd(m.sh.deps.Store, m.sh.change(""))
	case 2:
		return m, nav(navMsg{to: screenSpot})
	case 3:
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
	if m.creating {
		lines = append(lines, "", st.Dim.Render(t.DemoCreating))
	}
	box := st.Dialog.Width(inner + st.Dialog.GetHorizontalPadding()).Render(strings.Join(lines, "\n"))
	return st.Header.Render(t.AppName) + "\n\n" + box
}

func (m welcomeModel) help() helpKeys {
	k := m.sh.keys
	short := []key.Binding{k.Up, k.Down, relabel(k.Enter, m.sh.tx.Help.Select), k.Quit, k.Help}
	return helpKeys{short: short, full: [][]key.Binding{short, {k.Help, k.ForceQuit}}}
}
