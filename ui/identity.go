package ui

import (
	"strings"

	"digilevel/model"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// identityModel is the first-run step: who rates with this laptop (评测人)
// and for which organisation (评测机构). Reports are signed with both, and
// the platform accepts a report only from its token's provider, so the
// organisation offered first is a 服务商 named in the enterprise files.
// It comes up at start while either is unknown, and again before the first
// assessment if it was skipped.
type identityModel struct {
	sh     *shared
	fields fieldSet
	person int
	org    int
	back   navMsg
	saving bool
	err    string
	w, h   int
}

func newIdentity(sh *shared, providers []string, suggest string, back navMsg, w, h int) identityModel {
	t := sh.tx
	m := identityModel{sh: sh, back: back, fields: fieldSet{sh: sh}}
	org := sh.ident.Org
	if org == "" {
		org = strings.TrimSpace(suggest)
	}
	if org == "" && len(providers) > 0 {
		org = providers[0]
	}
	m.person = m.fields.add(newField(sh, t.FieldPerson, sh.ident.Person, t.PersonHint, model.MaxAssessorPerson))
	orgField := newField(sh, t.FieldOrg, org, t.OrgHint, model.MaxAssessorOrg)
	orgField.hint = t.OrgHint
	if len(providers) > 0 {
		orgField.hint = t.OrgFromFiles + strings.Join(oneLines(providers, 3), "、")
	}
	m.org = m.fields.add(orgField)
	first := m.person
	if sh.ident.Person != "" {
		first = m.org
	}
	m.fields.setFocus(first)
	return m.resized(w, h).(identityModel)
}

// oneLines shows at most n texts for a one-line list.
func oneLines(ss []string, n int) []string {
	out := make([]string, 0, n)
	for i, s := range ss {
		if i == n {
			break
		}
		out = append(out, "「"+oneLine(s)+"」")
	}
	return out
}

func (m identityModel) update(msg tea.Msg) (screen, tea.Cmd) { return m.Update(msg) }
func (m identityModel) view() string                         { return m.View() }
func (m identityModel) capturing() bool                      { return true }
func (m identityModel) busy() bool                           { return m.saving }
func (m identityModel) resized(w, h int) screen {
	m.w, m.h = w, h
	m.fields.resize(m.inner())
	return m
}

func (m identityModel) inner() int {
	return min(m.w, 90) - m.sh.st.Dialog.GetHorizontalFrameSize()
}

func (m identityModel) Update(msg tea.Msg) (identityModel, tea.Cmd) {
	switch msg := msg.(type) {
	case identitySavedMsg:
		m.saving = false
		if msg.err != nil {
			m.err = errText(msg.err)
			return m, nil
		}
		back := m.back
		back.status = m.sh.tx.IdentitySaved
		return m, nav(back)
	case tea.KeyMsg:
		if m.saving {
			return m, nil
		}
		m.err = ""
		keys := m.sh.keys
		switch {
		case key.Matches(msg, keys.Back):
			back := m.back
			back.create = nil // nothing is started without knowing who rates
			back.status = m.sh.tx.IdentitySkipped
			return m, nav(back)
		case key.Matches(msg, keys.Enter):
			if m.fields.focus == m.person && m.fields.value(m.org) == "" {
				return m, m.fields.setFocus(m.org)
			}
			return m.save()
		}
		cmd, _ := m.fields.update(msg, len(m.fields.fields))
		return m, cmd
	}
	return m, nil
}

// save checks both names with the one text rule and stores them.
func (m identityModel) save() (identityModel, tea.Cmd) {
	t := m.sh.tx
	as := model.Assessor{Person: m.fields.value(m.person), Org: m.fields.value(m.org)}
	ok := true
	for _, c := range []struct {
		i    int
		v    string
		rule model.TextRule
	}{
		{m.person, as.Person, model.TextRule{Label: t.FieldPerson, Max: model.MaxAssessorPerson, Required: true}},
		{m.org, as.Org, model.TextRule{Label: t.FieldOrg, Max: model.MaxAssessorOrg, Required: true}},
	} {
		if err := model.CheckText(c.v, c.rule); err != nil {
			m.fields.fields[c.i].err = errText(err)
			if ok {
				m.fields.setFocus(c.i)
			}
			ok = false
		}
	}
	if !ok {
		return m, nil
	}
	m.saving = true
	st := m.sh.deps.Store
	return m, func() tea.Msg { return identitySavedMsg{as: as, err: st.SetIdentity(as)} }
}

func (m identityModel) View() string {
	st, t := m.sh.st, m.sh.tx
	inner := m.inner()
	lines := []string{st.Title.Render(t.IdentityTitle)}
	for _, p := range t.IdentityBody {
		lines = append(lines, wrap(p, inner)...)
	}
	lines = append(lines, "")
	lines = append(lines, m.fields.view()...)
	switch {
	case m.saving:
		lines = append(lines, "", st.Dim.Render(t.Saving))
	case m.err != "":
		lines = append(lines, "")
		for _, l := range wrap(m.err, inner) {
			lines = append(lines, st.Error.Render(l))
		}
	}
	box := st.Dialog.Width(inner + st.Dialog.GetHorizontalPadding()).Render(strings.Join(lines, "\n"))
	return st.Header.Render(t.AppName) + "\n\n" + box
}

func (m identityModel) help() helpKeys {
	k, h := m.sh.keys, m.sh.tx.Help
	short := []key.Binding{relabel(k.Enter, h.SaveSettings), k.Tab, relabel(k.Back, h.Later), k.HelpAlways}
	return helpKeys{short: short, full: [][]key.Binding{short, {k.ShiftTab, k.ForceQuit}}}
}
