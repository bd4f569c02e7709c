package ui

import (
	"fmt"
	"strings"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// diagnosisMsg carries an assessment's diagnosis as the store computes it
// (result, priced paths with alternatives, both lists with a person's
// edits, KPI baselines): the review, lists and plan screens read it, so
// the UI never scores or plans itself.
type diagnosisMsg struct {
	id  string
	d   storage.DiagnosisData
	err error
}

func loadDiagnosisCmd(st Store, id string) tea.Cmd {
	return func() tea.Msg {
		d, err := st.Diagnosis(id)
		return diagnosisMsg{id: id, d: d, err: err}
	}
}

// diagHeader is the top of the diagnosis screens: what, whose, the state.
func diagHeader(sh *shared, s session, title string, w int) []string {
	st := sh.st
	right := s.a.State.Label()
	left := title + " ・ " + oneLine(sh.cat.KindLabel(string(s.a.Kind)))
	if s.a.Version > 1 {
		left += fmt.Sprintf(" v%d", s.a.Version)
	}
	left += " ・ " + oneLine(s.ent.Name)
	left = truncate(left, w-width(right)-2)
	line := st.Header.Render(left) + strings.Repeat(" ", max(w-width(left)-width(right), 1)) + st.HeaderDim.Render(right)
	return []string{line, st.Rule.Render(strings.Repeat("─", w))}
}

// levelLabels are the level names 一级..四级 of a catalog, index 0 = 一级.
func levelLabels(cat *indicators.Catalog) []string {
	out := make([]string, cat.MaxLevel())
	for i := range out {
		out[i] = cat.LevelName(i + 1)
	}
	return out
}

// solutionName is a solution as shown: 示例 ones carry 【示例】.
func solutionName(s model.SolutionUse) string {
	return model.Solution{Name: s.Name, Example: s.Example}.DisplayName()
}

// planSummary is the plan in one line (the review shows it).
func planSummary(t *Text, p *model.RetrofitPlan) string {
	total, _ := p.InvestmentTotal()
	return fmt.Sprintf(t.Diag.PlanLineFmt, len(p.Scenarios), len(p.Investments), total, len(p.KPIs), len(p.Milestones))
}

// onPath counts the items of a list on the retrofit path.
func onPath(items []model.ListItem) int {
	n := 0
	for _, it := range items {
		if it.OnPath {
			n++
		}
	}
	return n
}

// lineRecords splits text typed one record a line ("a, b, c": ASCII or
// full-width commas or semicolons) into trimmed fields, keeping an empty
// middle field ("李工,,调查员"), padded to n. bad is the first line
// (1-based) with fewer than least or more than n fields, 0 when none.
func lineRecords(s string, least, n int) (recs [][]string, bad int) {
	for i, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Split(strings.NewReplacer("，", ",", "；", ",", ";", ",").Replace(strings.TrimSpace(line)), ",")
		for len(f) > least && strings.TrimSpace(f[len(f)-1]) == "" {
			f = f[:len(f)-1] // a trailing comma adds no field
		}
		if len(f) < least || len(f) > n {
			return nil, i + 1
		}
		for j := range f {
			f[j] = strings.TrimSpace(f[j])
		}
		for len(f) < n {
			f = append(f, "")
		}
		recs = append(recs, f)
	}
	return recs, 0
}

// upsert replaces the i-th item of a list, or appends v when i < 0.
func upsert[T any](list []T, i int, v T) []T {
	if i >= 0 {
		list[i] = v
		return list
	}
	return append(list, v)
}

// confirmDiscard reads the answer to "discard the changes?": y discards,
// n or esc keeps editing; answered is false for any other key.
func confirmDiscard(k *KeyMap, msg tea.KeyMsg) (answered, discard bool) {
	switch {
	case key.Matches(msg, k.Confirm):
		return true, true
	case key.Matches(msg, k.Cancel):
		return true, false
	}
	return false, false
}

// diagView lays a diagnosis screen out: the header, then the load error,
// the loading line, an open editor (kept in view around its focus) or the
// body, then the message lines at the bottom.
func diagView(sh *shared, s session, title string, w, h int, msg []string, loadErr string, loaded bool, ed *editor, body func(bodyH int) []string) string {
	st, t := sh.st, sh.tx
	out := diagHeader(sh, s, title, w)
	bodyH := h - len(out) - len(msg)
	switch {
	case loadErr != "":
		out = append(out, indent(wrap(loadErr, w), "", st.Error.Render)...)
	case !loaded:
		return strings.Join(append(out, st.Dim.Render(t.Loading)), "\n")
	case ed != nil:
		lines, focus := ed.view()
		lines = append([]string{st.Title.Render(oneLine(ed.title))}, lines...)
		out = append(out, window(t, st, lines, focus+1, bodyH)...)
	default:
		out = append(out, body(bodyH)...)
	}
	return strings.Join(append(out, msg...), "\n")
}
