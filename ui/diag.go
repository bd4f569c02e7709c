package ui

import (
	"fmt"
	"strings"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage"

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
