package ui

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"digilevel/attach"
	"digilevel/model"
	"digilevel/solutions"
	"digilevel/storage"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// planRowKind is what a line of the plan screen stands for.
type planRowKind int

const (
	rowGoal planRowKind = iota
	rowScenario
	rowAddScenario
	rowInvest
	rowAddInvest
	rowKPI
	rowMilestone
	rowAddMilestone
	rowImportFile
	rowImportExample
)

// planRow is one selectable line: its kind and which item (index into the
// plan's list, or into the planning data's KPIs).
type planRow struct {
	kind planRowKind
	i    int
}

// planMode is the plan screen's dialog state.
type planMode int

const (
	planBrowse  planMode = iota
	planEdit             // an editor is open
	planRemove           // asking before a removal
	planDiscard          // esc on a changed editor: discard?
)

// planLoadedMsg carries what the plan screen shows besides the plan.
type planLoadedMsg struct {
	id   string
	d    storage.DiagnosisData
	pool []model.Solution
	err  error
}

// suggestMsg carries the pool's solutions for a scenario and level.
type suggestMsg struct {
	scenario string
	level    int
	list     []model.Solution
	err      error
}

// importedMsg reports a solution pool import.
type importedMsg struct {
	stats    storage.ImportStats
	problems []solutions.RowError
	example  bool
	err      error
}

// planModel enters the retrofit plan of a diagnosis (reference §8.6): the
// 改造目标 overall and per chosen scenario, per scenario the solutions
// (suggested from the imported pool for the scenario and its target level,
// or typed in) with provider and deployment, the 投入清单 in 万元 with exact
// totals, the 预期成效 KPIs of Q12–Q15 and the 实施计划. Every change is
// one SavePlan of the whole plan (validated by the model); a dialog closes
// only once its change is on disk. The screen also imports a pool file.
// 示例 solutions carry 【示例】 wherever they appear, with a warning.
type planModel struct {
	sh      *shared
	sess    session
	diag    *storage.DiagnosisData
	pool    []model.Solution
	loadErr string
	loading bool

	rows   []planRow
	cursor int

	mode planMode
	edit planRow // what the editor edits (i = -1: a new item)
	ed   editor
	// The scenario editor's suggestions for its scenario and level, and
	// the solutions it may tick, by key ("sol:ID" or "own:N").
	suggest  []model.Solution
	solByKey map[string]model.SolutionUse

	// focusAfter is the row kind the cursor goes to after a save (-1:
	// stays), focusIndex its item (-1: the last); a saved milestone is
	// found by date and title, as the store sorts them by date.
	focusAfter planRowKind
	focusIndex int
	focusMs    *model.Milestone

	saving bool
	// imported and importBad are an import's messages, shown once the
	// pool is read again.
	imported, importBad string
	err                 string
	info                string
	w, h                int
}

func newPlan(sh *shared, s session, w, h int) (planModel, tea.Cmd) {
	m := planModel{sh: sh, sess: s, loading: true, w: w, h: h}
	return m, m.load()
}

func (m planModel) load() tea.Cmd {
	st, id := m.sh.deps.Store, m.sess.a.ID
	return func() tea.Msg {
		d, err := st.Diagnosis(id)
		if err != nil {
			return planLoadedMsg{id: id, err: err}
		}
		pool, err := st.Solutions()
		return planLoadedMsg{id: id, d: d, pool: pool, err: err}
	}
}

func (m planModel) update(msg tea.Msg) (screen, tea.Cmd) { return m.Update(msg) }
func (m planModel) view() string                         { return m.View() }
func (m planModel) busy() bool                           { return m.saving }
func (m planModel) capturing() bool                      { return m.mode == planEdit && m.ed.typing() }
func (m planModel) resized(w, h int) screen {
	m.w, m.h = w, h
	m.ed.resize(m.dialogWidth())
	return m
}

func (m planModel) dialogWidth() int { return min(m.w, 100) }
func (m planModel) frozen() bool     { return m.sess.a.State.Frozen() }

// plan is a copy of the stored plan to change (an empty one when none).
func (m planModel) plan() *model.RetrofitPlan {
	if p := m.sess.a.Plan.Clone(); p != nil {
		return p
	}
	return &model.RetrofitPlan{}
}

// targetLevel is the overall level the plan aims at (the pilot's by default).
func (m planModel) targetLevel() int {
	if p := m.sess.a.Plan; p != nil && p.TargetLevel > 0 {
		return p.TargetLevel
	}
	return m.sess.cat.Pilot.TargetLevel
}

// buildRows lists the selectable lines in screen order.
func (m *planModel) buildRows() {
	p := m.sess.a.Plan
	if p == nil {
		p = &model.RetrofitPlan{}
	}
	// A finalized plan is read: no lines that add or import.
	open := !m.frozen()
	rows := []planRow{{kind: rowGoal}}
	for i := range p.Scenarios {
		rows = append(rows, planRow{rowScenario, i})
	}
	if open {
		rows = append(rows, planRow{kind: rowAddScenario})
	}
	for i := range p.Investments {
		rows = append(rows, planRow{rowInvest, i})
	}
	if open {
		rows = append(rows, planRow{kind: rowAddInvest})
	}
	if m.diag != nil {
		for i := range m.diag.Planning.KPIs {
			rows = append(rows, planRow{rowKPI, i})
		}
	}
	for i := range p.Milestones {
		rows = append(rows, planRow{rowMilestone, i})
	}
	if open {
		rows = append(rows, planRow{kind: rowAddMilestone}, planRow{kind: rowImportFile}, planRow{kind: rowImportExample})
	}
	m.rows = rows
	m.cursor = min(max(m.cursor, 0), len(rows)-1)
}

// focusRow puts the cursor on a row of kind (the i-th, or the last of the
// kind when i < 0).
func (m *planModel) focusRow(kind planRowKind, i int) {
	for j, r := range m.rows {
		if r.kind == kind && (r.i == i || i < 0) {
			m.cursor = j
			if i >= 0 {
				return
			}
		}
	}
}

func (m planModel) Update(msg tea.Msg) (planModel, tea.Cmd) {
	dt := m.sh.tx.Diag
	switch msg := msg.(type) {
	case planLoadedMsg:
		if msg.id != m.sess.a.ID {
			return m, nil
		}
		m.loading = false
		if m.saving {
			m.saving, m.info, m.err = false, m.imported, m.importBad
		}
		if msg.err != nil {
			m.loadErr = errText(msg.err)
			return m, nil
		}
		m.diag, m.pool, m.loadErr = &msg.d, msg.pool, ""
		m.sess.a = msg.d.Assessment
		m.buildRows()
		return m, nil
	case suggestMsg:
		if m.mode != planEdit || m.edit.kind != rowScenario {
			return m, nil
		}
		if msg.err != nil {
			m.err = errText(msg.err)
			return m, nil
		}
		if msg.scenario == m.edScenario() && msg.level == m.ed.choiceOf("target")+1 {
			m.suggest = msg.list
			m.fillSolutions()
		}
		return m, nil
	case importedMsg:
		m.saving = false
		if msg.err != nil {
			if m.mode == planEdit {
				m.ed.fail("path", errText(msg.err))
			} else {
				m.err = errText(msg.err)
			}
			return m, nil
		}
		m.mode = planBrowse
		info := fmt.Sprintf(dt.ImportDoneFmt, msg.stats.Created, msg.stats.Updated, msg.stats.Unchanged, len(msg.problems))
		if msg.example {
			info += " " + dt.ImportExample
		}
		m.imported, m.importBad = info, ""
		if len(msg.problems) > 0 {
			// The rows left out are the news: shown as an error, with the counts.
			var ps []string
			for _, p := range msg.problems[:min(len(msg.problems), 3)] {
				ps = append(ps, p.Error())
			}
			m.imported, m.importBad = "", info+"。"+fmt.Sprintf(dt.ImportBadFmt, strings.Join(ps, "；"))
		}
		// Busy until the pool is read again: then the message and the keys.
		m.saving, m.loading = true, true
		return m, m.load()
	case savedMsg:
		m.saving = false
		if msg.err != nil {
			// An editor stays open with what was typed.
			if m.mode == planRemove {
				m.mode = planBrowse
			}
			m.err = errText(msg.err)
			return m, nil
		}
		m.sess.a = msg.a
		m.mode, m.info = planBrowse, msg.info
		m.buildRows()
		if m.focusMs != nil && msg.a.Plan != nil {
			m.focusIndex = slices.Index(msg.a.Plan.Milestones, *m.focusMs)
		}
		if m.focusAfter >= 0 {
			m.focusRow(m.focusAfter, m.focusIndex)
		}
		return m, nil
	case tea.KeyMsg:
		if m.saving || m.loading {
			return m, nil
		}
		m.err = ""
		switch m.mode {
		case planEdit:
			return m.updateEdit(msg)
		case planRemove:
			switch {
			case key.Matches(msg, m.sh.keys.Confirm):
				return m.remove()
			case key.Matches(msg, m.sh.keys.Cancel):
				m.mode = planBrowse
			}
			return m, nil
		case planDiscard:
			if answered, discard := confirmDiscard(m.sh.keys, msg); discard {
				m.mode = planBrowse
			} else if answered {
				m.mode = planEdit
			}
			return m, nil
		}
		return m.updateBrowse(msg)
	}
	return m, nil
}

func (m planModel) updateBrowse(k tea.KeyMsg) (planModel, tea.Cmd) {
	keys := m.sh.keys
	m.info = ""
	switch {
	case key.Matches(k, keys.Back):
		return m, nav(navMsg{to: screenReview})
	case key.Matches(k, keys.Up):
		m.cursor = max(m.cursor-1, 0)
		return m, nil
	case key.Matches(k, keys.Down):
		m.cursor = min(m.cursor+1, len(m.rows)-1)
		return m, nil
	case key.Matches(k, keys.PageUp):
		m.cursor = max(m.cursor-5, 0)
		return m, nil
	case key.Matches(k, keys.PageDown):
		m.cursor = min(m.cursor+5, len(m.rows)-1)
		return m, nil
	}
	if m.diag == nil || len(m.rows) == 0 {
		return m, nil
	}
	row := m.rows[m.cursor]
	switch {
	case key.Matches(k, keys.Enter, keys.Reword):
		if row.kind == rowImportFile || row.kind == rowImportExample {
			return m.openImport(row.kind)
		}
		if m.frozen() {
			m.err = m.sh.tx.Diag.ReadOnlyLists
			return m, nil
		}
		return m.open(row)
	case key.Matches(k, keys.Add):
		// a adds to the section under the cursor.
		add := map[planRowKind]planRowKind{rowScenario: rowAddScenario, rowAddScenario: rowAddScenario, rowInvest: rowAddInvest,
			rowAddInvest: rowAddInvest, rowMilestone: rowAddMilestone, rowAddMilestone: rowAddMilestone}
		a, ok := add[row.kind]
		switch {
		case !ok:
		case m.frozen():
			m.err = m.sh.tx.Diag.ReadOnlyLists
		default:
			return m.open(planRow{kind: a})
		}
		return m, nil
	case key.Matches(k, keys.Remove):
		if m.frozen() {
			m.err = m.sh.tx.Diag.ReadOnlyLists
			return m, nil
		}
		if m.removable(row) {
			m.mode = planRemove
		}
	}
	return m, nil
}

// removable reports whether x removes the row's item.
func (m planModel) removable(r planRow) bool {
	switch r.kind {
	case rowScenario, rowInvest, rowMilestone:
		return true
	case rowKPI:
		_, ok := m.kpiTarget(r.i)
		return ok
	}
	return false
}

// kpiTarget is the plan's target for the i-th KPI of the planning data.
func (m planModel) kpiTarget(i int) (model.KPITarget, bool) {
	q := m.diag.Planning.KPIs[i].Question
	if p := m.sess.a.Plan; p != nil {
		for _, k := range p.KPIs {
			if k.Question == q {
				return k, true
			}
		}
	}
	return model.KPITarget{}, false
}

// remove deletes the item under the cursor and saves the plan.
func (m planModel) remove() (planModel, tea.Cmd) {
	row := m.rows[m.cursor]
	p := m.plan()
	switch row.kind {
	case rowScenario:
		p.Scenarios = slices.Delete(p.Scenarios, row.i, row.i+1)
	case rowInvest:
		p.Investments = slices.Delete(p.Investments, row.i, row.i+1)
	case rowMilestone:
		p.Milestones = slices.Delete(p.Milestones, row.i, row.i+1)
	case rowKPI:
		q := m.diag.Planning.KPIs[row.i].Question
		p.KPIs = slices.DeleteFunc(p.KPIs, func(k model.KPITarget) bool { return k.Question == q })
	}
	return m.save(p, m.sh.tx.Diag.PlanRemoved, -1)
}

// save stores the whole plan; the answer closes the dialog. focus names a
// row kind to put the cursor on afterwards (-1: stay).
func (m planModel) save(p *model.RetrofitPlan, done string, focus planRowKind) (planModel, tea.Cmd) {
	m.saving = true
	m.focusAfter, m.focusIndex, m.focusMs = focus, -1, nil
	if m.mode == planEdit && m.edit.i >= 0 {
		m.focusIndex = m.edit.i
	}
	st, id, c := m.sh.deps.Store, m.sess.a.ID, m.sh.change("")
	return m, func() tea.Msg {
		a, err := st.SavePlan(id, p, c)
		return savedMsg{a: a, err: err, info: done}
	}
}

// open opens the editor of a row (a new item for the "+" rows).
func (m planModel) open(row planRow) (planModel, tea.Cmd) {
	dt, cat := m.sh.tx.Diag, m.sess.cat
	p := m.plan()
	m.ed = newEditor(m.sh, "")
	m.edit = row
	var cmd tea.Cmd
	switch row.kind {
	case rowGoal:
		m.ed.title = dt.EdGoalTitle
		m.ed.choice("level", dt.EdTargetLevel, levelLabels(cat), m.targetLevel()-1)
		m.ed.text("goal", dt.EdGoalText, p.Goal, "", model.MaxNoteLength)
		m.ed.text("arch", dt.EdArchitecture, p.Architecture, "", model.MaxNoteLength)
		// The words are what is typed; the level is the pilot's unless changed.
		m.ed.focus = m.ed.index("goal")
	case rowScenario, rowAddScenario:
		g := model.ScenarioGoal{Target: m.targetLevel()}
		m.edit = planRow{kind: rowScenario, i: -1}
		if row.kind == rowScenario {
			g, m.edit.i = p.Scenarios[row.i], row.i
		} else {
			g.Scenario = m.nextScenario(p)
		}
		cmd = m.openScenario(g)
	case rowInvest, rowAddInvest:
		inv := model.Investment{Category: "hardware"}
		m.edit = planRow{kind: rowInvest, i: -1}
		if row.kind == rowInvest {
			inv, m.edit.i = p.Investments[row.i], row.i
		}
		m.openInvest(p, inv)
	case rowKPI:
		def := m.diag.Planning.KPIs[row.i]
		k, ok := m.kpiTarget(row.i)
		if !ok {
			k = model.KPITarget{Baseline: m.diag.KPIBaselines[def.Question]}
		}
		m.ed.title = fmt.Sprintf(dt.EdKPITitleFmt, def.Question+" "+def.Name)
		f := m.ed.text("baseline", dt.EdBaseline+"（"+def.Unit+"）", string(k.Baseline), "", 30)
		if b, ok := m.diag.KPIBaselines[def.Question]; ok {
			f.hint = fmt.Sprintf(dt.EdBaselineHint, b)
		}
		f = m.ed.text("target", dt.EdKPITarget+"（"+def.Unit+"）", string(k.Target), "", 30)
		f.hint = fmt.Sprintf(dt.EdKPIHintFmt, dt.KPIBetter[def.Better])
		m.ed.text("note", dt.EdNote, k.Note, "", model.MaxNoteLength)
		// The target is what is usually typed: start there.
		m.ed.focus = m.ed.index("target")
	case rowMilestone, rowAddMilestone:
		ms := model.Milestone{}
		m.edit = planRow{kind: rowMilestone, i: -1}
		if row.kind == rowMilestone {
			ms, m.edit.i = p.Milestones[row.i], row.i
		}
		m.ed.title = dt.EdMsTitle
		f := m.ed.text("date", dt.EdDate, ms.Date, "YYYY-MM-DD", 10)
		f.hint = dt.SurveyDateHint
		m.ed.text("title", dt.EdMsText, ms.Title, "", model.MaxNameLength)
		m.ed.text("note", dt.EdNote, ms.Note, "", model.MaxNoteLength)
	}
	m.ed.resize(m.dialogWidth())
	m.mode = planEdit
	return m, tea.Batch(cmd, m.ed.applyFocus())
}

// nextScenario proposes a scenario for a new goal: the first of the
// 需求场景清单 not yet in the plan, else the first scenario not in it.
func (m planModel) nextScenario(p *model.RetrofitPlan) string {
	taken := map[string]bool{}
	for _, g := range p.Scenarios {
		taken[g.Scenario] = true
	}
	for _, it := range m.diag.Diagnosis.Demands {
		if _, ok := m.sess.cat.Scenario(it.Ref); ok && !taken[it.Ref] {
			return it.Ref
		}
	}
	for _, s := range m.sess.cat.Scenarios {
		if !taken[s.ID] {
			return s.ID
		}
	}
	return m.sess.cat.Scenarios[0].ID
}

// scenarioLabel is "SC06 生产管控（约束性）".
func (m planModel) scenarioLabel(id string) string {
	s, ok := m.sess.cat.Scenario(id)
	if !ok {
		return id
	}
	label := s.ID + " " + s.Name
	if s.Constrained {
		label += "（" + m.sh.tx.Constrained + "）"
	}
	return label
}

// openScenario builds the scenario editor: scenario, target level, the
// pool's solutions for them (asked for now) and the ones already chosen,
// a typed solution, a note.
func (m *planModel) openScenario(g model.ScenarioGoal) tea.Cmd {
	dt, cat := m.sh.tx.Diag, m.sess.cat
	m.ed.title = dt.EdScenTitle
	var labels []string
	sel := 0
	for i, s := range cat.Scenarios {
		labels = append(labels, m.scenarioLabel(s.ID))
		if s.ID == g.Scenario {
			sel = i
		}
	}
	m.ed.choice("scenario", dt.EdScenario, labels, sel)
	m.ed.choice("target", dt.EdScenTarget, levelLabels(cat), g.Target-1)
	m.ed.note(dt.EdSuggested)
	m.solByKey = map[string]model.SolutionUse{}
	m.suggest = nil
	own := 0
	for _, s := range g.Solutions {
		k := "sol:" + s.PoolID
		if s.PoolID == "" {
			k = fmt.Sprintf("own:%d", own)
			own++
		}
		m.solByKey[k] = s
		m.ed.check(k, m.solutionLabel(s, nil), true)
	}
	m.ed.text("own_name", dt.EdOwnName, "", "", model.MaxNameLength)
	m.ed.text("own_provider", dt.EdOwnProvider, "", "", model.MaxNameLength)
	m.ed.choice("own_deploy", dt.EdDeployment, []string{dt.EdNone, model.Deployments["cloud"], model.Deployments["local"]}, 0)
	m.ed.text("note", dt.EdNote, g.Note, "", model.MaxNoteLength)
	return suggestCmd(m.sh.deps.Store, cat.Scenarios[sel].ID, g.Target)
}

func suggestCmd(st Store, scenario string, level int) tea.Cmd {
	return func() tea.Msg {
		list, err := st.SuggestSolutions(scenario, level)
		return suggestMsg{scenario: scenario, level: level, list: list, err: err}
	}
}

// edScenario is the scenario chosen in the open scenario editor.
func (m planModel) edScenario() string { return m.sess.cat.Scenarios[m.ed.choiceOf("scenario")].ID }

// solutionLabel shows a solution with its provider, deployment and price;
// a 示例 one is named 【示例】.
func (m planModel) solutionLabel(u model.SolutionUse, s *model.Solution) string {
	parts := []string{solutionName(u)}
	if u.PoolID != "" {
		parts[0] = u.PoolID + " " + parts[0]
	}
	if u.Provider != "" {
		parts = append(parts, u.Provider)
	}
	if d := model.Deployments[u.Deployment]; d != "" {
		parts = append(parts, d)
	}
	if s != nil && s.PriceBand != "" {
		parts = append(parts, s.PriceBand)
	}
	return oneLine(strings.Join(parts, " ・ "))
}

// fillSolutions puts the suggestions for the editor's scenario and level
// in the editor, after those already ticked (kept across changes).
func (m *planModel) fillSolutions() {
	dt := m.sh.tx.Diag
	ticked := map[string]bool{}
	origs := map[string]string{}
	var keep []edField
	first := -1
	for i, f := range m.ed.fields {
		if strings.HasPrefix(f.key, "sol:") || strings.HasPrefix(f.key, "own:") || f.key == "nosuggest" || f.key == "examplewarn" {
			if first < 0 {
				first = i
			}
			if f.checked {
				ticked[f.key] = true
			}
			origs[f.key] = f.orig
			continue
		}
		keep = append(keep, f)
	}
	if first < 0 {
		first = m.ed.index("own_name")
	}
	var sols []edField
	example := false
	// Those ticked first (from the goal or this dialog), then the rest.
	var keys []string
	for _, f := range m.ed.fields {
		if ticked[f.key] {
			keys = append(keys, f.key)
		}
	}
	seen := map[string]bool{}
	byID := map[string]*model.Solution{}
	for i := range m.suggest {
		byID["sol:"+m.suggest[i].ID] = &m.suggest[i]
	}
	for _, k := range keys {
		seen[k] = true
		u := m.solByKey[k]
		sols = append(sols, edField{kind: edCheck, key: k, label: m.solutionLabel(u, byID[k]), checked: true, orig: origs[k]})
		example = example || u.Example
	}
	for _, s := range m.suggest {
		k := "sol:" + s.ID
		if seen[k] {
			continue
		}
		m.solByKey[k] = s.Use()
		sols = append(sols, edField{kind: edCheck, key: k, label: m.solutionLabel(s.Use(), &s), orig: origs[k]})
		example = example || s.Example
	}
	if len(m.suggest) == 0 {
		level := m.sess.cat.LevelName(m.ed.choiceOf("target") + 1)
		sols = append(sols, edField{kind: edNote, key: "nosuggest", label: fmt.Sprintf(dt.EdNoSuggestFmt, m.edScenario(), level)})
	}
	if example {
		sols = append(sols, edField{kind: edNote, key: "examplewarn", label: dt.ExampleWarn})
	}
	focusKey := m.ed.focusKey()
	// Every field before the first solution line was kept, in order.
	insert := min(first, len(keep))
	m.ed.fields = slices.Concat(keep[:insert], sols, keep[insert:])
	m.ed.focus = max(m.ed.index(focusKey), 0)
	m.ed.resize(m.dialogWidth())
	m.ed.applyFocus()
}

// openInvest builds the editor of one line of the 投入清单.
func (m *planModel) openInvest(p *model.RetrofitPlan, inv model.Investment) {
	dt := m.sh.tx.Diag
	m.ed.title = dt.EdInvTitle
	m.ed.text("item", dt.EdItem, inv.Item, "", model.MaxNameLength)
	cats := []string{"hardware", "software", "cloud", "service", "other"}
	var labels []string
	for _, c := range cats {
		labels = append(labels, model.InvestmentCategories[c])
	}
	m.ed.choice("category", dt.EdCategory, labels, slices.Index(cats, inv.Category))
	m.ed.text("quantity", dt.EdQuantity, string(inv.Quantity), "", 20)
	m.ed.text("unit", dt.EdUnit, inv.Unit, "", 20)
	m.ed.text("unit_price", dt.EdUnitPrice, string(inv.UnitPrice), "", 20)
	f := m.ed.text("amount", dt.EdAmount, string(inv.Amount), "", 20)
	f.hint = dt.EdAmountHint
	scen := []string{dt.EdNone}
	sel := 0
	for _, g := range p.Scenarios {
		scen = append(scen, m.scenarioLabel(g.Scenario))
		if g.Scenario == inv.Scenario {
			sel = len(scen) - 1
		}
	}
	m.ed.choice("scenario", dt.EdInvScenario, scen, sel)
	m.ed.text("note", dt.EdNote, inv.Note, "", model.MaxNoteLength)
}

// openImport opens the pool file dialog, or imports the shipped 示例 pool.
func (m planModel) openImport(kind planRowKind) (planModel, tea.Cmd) {
	dt := m.sh.tx.Diag
	if kind == rowImportExample {
		m.saving = true
		return m, importCmd(m.sh.deps.Store, m.sess, "", m.sh.change(solutions.ExamplePoolName))
	}
	m.ed = newEditor(m.sh, dt.EdImportTitle)
	m.edit = planRow{kind: kind}
	f := m.ed.text("path", dt.EdImportPath, "", "", 4096)
	f.hint = dt.EdImportHint
	m.ed.resize(m.dialogWidth())
	m.mode = planEdit
	return m, m.ed.applyFocus()
}

// importCmd reads a pool file (path "" = the shipped 示例 pool) and adds
// its good rows to the pool; bad rows come back with their reasons.
func importCmd(st Store, s session, path string, c model.Change) tea.Cmd {
	cat := s.cat
	return func() tea.Msg {
		var res solutions.Result
		var err error
		if path == "" {
			res, err = solutions.ExamplePool(cat)
		} else {
			res, err = solutions.ReadFile(path, cat)
		}
		if err != nil {
			return importedMsg{err: err}
		}
		stats, err := st.ImportSolutions(res.Solutions, c)
		return importedMsg{stats: stats, problems: res.Problems, example: path == "", err: err}
	}
}

func (m planModel) updateEdit(k tea.KeyMsg) (planModel, tea.Cmd) {
	keys := m.sh.keys
	switch {
	case key.Matches(k, keys.Back):
		if m.ed.changed() {
			m.mode = planDiscard
			return m, nil
		}
		m.mode = planBrowse
		return m, nil
	case key.Matches(k, keys.Enter):
		m.ed.clearErrors()
		return m.submit()
	}
	before := m.edScenarioLevel()
	cmd, changed := m.ed.update(k)
	if changed && m.edit.kind == rowScenario {
		if now := m.edScenarioLevel(); now != before {
			return m, tea.Batch(cmd, suggestCmd(m.sh.deps.Store, m.edScenario(), m.ed.choiceOf("target")+1))
		}
	}
	return m, cmd
}

// edScenarioLevel names the scenario editor's scenario and level ("" in
// other editors).
func (m planModel) edScenarioLevel() string {
	if m.mode != planEdit || m.edit.kind != rowScenario {
		return ""
	}
	return fmt.Sprintf("%s:%d", m.edScenario(), m.ed.choiceOf("target"))
}

// checkTexts runs model.CheckText over the editor's text fields.
func (m *planModel) checkTexts(rules map[string]model.TextRule) {
	for k, r := range rules {
		if err := model.CheckText(m.ed.value(k), r); err != nil {
			m.ed.fail(k, errText(err))
		}
	}
}

// submit checks the open editor, changes a copy of the plan and saves it.
func (m planModel) submit() (planModel, tea.Cmd) {
	dt := m.sh.tx.Diag
	if m.edit.kind == rowImportFile {
		path := m.ed.value("path")
		if path == "" {
			m.ed.fail("path", dt.EdImportNeed)
			return m, nil
		}
		if err := model.CheckText(path, model.TextRule{Label: dt.EdImportPath, Max: 4096}); err != nil {
			m.ed.fail("path", errText(err))
			return m, nil
		}
		if ps := attach.Paths(path, attach.Exists); len(ps) == 1 {
			path = ps[0]
		}
		m.saving = true
		return m, importCmd(m.sh.deps.Store, m.sess, path, m.sh.change(path))
	}
	p := m.plan()
	long := func(label string) model.TextRule {
		return model.TextRule{Label: label, Max: model.MaxNoteLength, Multiline: true}
	}
	name := func(label string, required bool) model.TextRule {
		return model.TextRule{Label: label, Max: model.MaxNameLength, Required: required}
	}
	switch m.edit.kind {
	case rowGoal:
		m.checkTexts(map[string]model.TextRule{"goal": long(dt.EdGoalText), "arch": long(dt.EdArchitecture)})
		if m.ed.failed() {
			return m, nil
		}
		p.TargetLevel = m.ed.choiceOf("level") + 1
		p.Goal, p.Architecture = m.ed.value("goal"), m.ed.value("arch")
		return m.save(p, dt.PlanSaved, rowGoal)
	case rowScenario:
		m.checkTexts(map[string]model.TextRule{"own_name": name(dt.EdOwnName, false), "own_provider": name(dt.EdOwnProvider, false), "note": long(dt.EdNote)})
		if m.ed.failed() {
			return m, nil
		}
		g := model.ScenarioGoal{Scenario: m.edScenario(), Target: m.ed.choiceOf("target") + 1, Note: m.ed.value("note")}
		for i, other := range p.Scenarios {
			if other.Scenario == g.Scenario && i != m.edit.i {
				m.ed.fail("scenario", fmt.Sprintf(dt.EdScenTaken, g.Scenario))
				return m, nil
			}
		}
		for _, f := range m.ed.fields {
			if f.kind == edCheck && f.checked {
				g.Solutions = append(g.Solutions, m.solByKey[f.key])
			}
		}
		if own := m.ed.value("own_name"); own != "" {
			dep := []string{"", "cloud", "local"}[m.ed.choiceOf("own_deploy")]
			g.Solutions = append(g.Solutions, model.SolutionUse{Name: own, Provider: m.ed.value("own_provider"), Deployment: dep})
		} else if m.ed.value("own_provider") != "" {
			m.ed.fail("own_name", model.CheckText("", name(dt.EdOwnName, true)).Error())
			return m, nil
		}
		p.Scenarios = upsert(p.Scenarios, m.edit.i, g)
		return m.save(p, dt.PlanSaved, rowScenario)
	case rowInvest:
		inv, ok := m.investment(p)
		if !ok {
			return m, nil
		}
		p.Investments = upsert(p.Investments, m.edit.i, inv)
		return m.save(p, dt.PlanSaved, rowInvest)
	case rowKPI:
		def := m.diag.Planning.KPIs[m.edit.i]
		m.checkTexts(map[string]model.TextRule{"note": long(dt.EdNote)})
		k := model.KPITarget{Question: def.Question, Name: def.Name, Unit: def.Unit, Note: m.ed.value("note")}
		for _, f := range []struct {
			key, label string
			dst        *model.Decimal
			required   bool
		}{{"baseline", dt.EdBaseline, &k.Baseline, false}, {"target", dt.EdKPITarget, &k.Target, true}} {
			v := m.ed.value(f.key)
			if v == "" {
				if f.required {
					m.ed.fail(f.key, model.CheckText("", model.TextRule{Label: f.label, Required: true}).Error())
				}
				continue
			}
			d, err := model.ParseDecimal(v)
			if err != nil {
				m.ed.fail(f.key, f.label+": "+errText(err))
				continue
			}
			*f.dst = d
		}
		if m.ed.failed() {
			return m, nil
		}
		p.KPIs = slices.DeleteFunc(p.KPIs, func(x model.KPITarget) bool { return x.Question == def.Question })
		p.KPIs = append(p.KPIs, k)
		slices.SortFunc(p.KPIs, func(a, b model.KPITarget) int { return strings.Compare(a.Question, b.Question) })
		return m.save(p, dt.PlanSaved, -1)
	case rowMilestone:
		m.checkTexts(map[string]model.TextRule{"title": name(dt.EdMsText, true), "note": long(dt.EdNote)})
		date, err := model.ParseDate(dt.EdDate, m.ed.value("date"))
		if err != nil {
			m.ed.fail("date", errText(err))
		}
		if m.ed.failed() {
			return m, nil
		}
		ms := model.Milestone{Date: date, Title: m.ed.value("title"), Note: m.ed.value("note")}
		p.Milestones = upsert(p.Milestones, m.edit.i, ms)
		m, cmd := m.save(p, dt.PlanSaved, rowMilestone)
		m.focusMs = &ms
		return m, cmd
	}
	return m, nil
}

// investment reads the investment editor: amounts in 万元 as exact
// decimals (model.ParseAmount); an empty amount is quantity x unit price,
// computed exactly; a given one must equal it.
func (m *planModel) investment(p *model.RetrofitPlan) (model.Investment, bool) {
	dt := m.sh.tx.Diag
	m.checkTexts(map[string]model.TextRule{
		"item": {Label: dt.EdItem, Max: model.MaxNameLength, Required: true},
		"unit": {Label: dt.EdUnit, Max: 20},
		"note": {Label: dt.EdNote, Max: model.MaxNoteLength, Multiline: true},
	})
	cats := []string{"hardware", "software", "cloud", "service", "other"}
	inv := model.Investment{Item: m.ed.value("item"), Category: cats[m.ed.choiceOf("category")], Unit: m.ed.value("unit"), Note: m.ed.value("note")}
	if s := m.ed.choiceOf("scenario"); s > 0 && s <= len(p.Scenarios) {
		inv.Scenario = p.Scenarios[s-1].Scenario
	}
	for _, f := range []struct {
		key, label string
		dst        *model.Decimal
	}{{"quantity", dt.EdQuantity, &inv.Quantity}, {"unit_price", dt.EdUnitPrice, &inv.UnitPrice}, {"amount", dt.EdAmount, &inv.Amount}} {
		v := m.ed.value(f.key)
		if v == "" {
			continue
		}
		d, err := model.ParseAmount(f.label, v)
		if err != nil {
			m.ed.fail(f.key, errText(err))
			continue
		}
		*f.dst = d
	}
	if m.ed.failed() {
		return inv, false
	}
	if !inv.Quantity.IsZero() && !inv.UnitPrice.IsZero() {
		product := new(big.Rat).Mul(inv.Quantity.Rat(), inv.UnitPrice.Rat())
		exact := model.DecimalFromRat(product, 8)
		switch {
		case inv.Amount.IsZero():
			d, err := model.ParseAmount(dt.EdAmount, string(exact))
			if err != nil {
				m.ed.fail("amount", errText(err))
				return inv, false
			}
			inv.Amount = d
		case product.Cmp(inv.Amount.Rat()) != 0:
			m.ed.fail("amount", fmt.Sprintf(dt.EdAmountFmt, inv.Amount, inv.Quantity, inv.UnitPrice, exact))
			return inv, false
		}
	}
	if inv.Amount.IsZero() {
		m.ed.fail("amount", dt.EdAmountNeeded)
		return inv, false
	}
	return inv, true
}

// rowLines draws one row; the first line starts with two spaces the
// cursor replaces.
func (m planModel) rowLines(r planRow) []string {
	dt, cat, st := m.sh.tx.Diag, m.sess.cat, m.sh.st
	p := m.sess.a.Plan
	if p == nil {
		p = &model.RetrofitPlan{}
	}
	w := m.w - 4
	item := func(s string) []string { return hang(wrap(s, w), "  ", "    ") }
	switch r.kind {
	case rowGoal:
		out := item(fmt.Sprintf(dt.PlanGoalFmt, cat.LevelName(m.targetLevel())) + " ・ " + orText(oneLine(p.Goal), dt.PlanNoGoalText))
		if p.Architecture != "" {
			out = append(out, indent(wrap(fmt.Sprintf(dt.PlanArchFmt, oneLine(p.Architecture)), w), "    ", st.Dim.Render)...)
		}
		return out
	case rowScenario:
		g := p.Scenarios[r.i]
		out := item(fmt.Sprintf(dt.PlanScenFmt, g.Scenario, strings.TrimPrefix(m.scenarioLabel(g.Scenario), g.Scenario+" "), cat.LevelName(g.Target)))
		var names []string
		for _, s := range g.Solutions {
			names = append(names, m.solutionLabel(s, nil))
		}
		sols := dt.PlanNoSolutions
		if len(names) > 0 {
			sols = strings.Join(names, "；")
		}
		out = append(out, indent(wrap(sols, w), "    ", st.Dim.Render)...)
		return out
	case rowInvest:
		inv := p.Investments[r.i]
		s := fmt.Sprintf(dt.PlanInvFmt, r.i+1, oneLine(inv.Item), model.InvestmentCategories[inv.Category], inv.Amount)
		if !inv.Quantity.IsZero() && !inv.UnitPrice.IsZero() {
			s += " ・ " + fmt.Sprintf(dt.PlanInvQtyFmt, inv.Quantity, oneLine(inv.Unit), inv.UnitPrice)
		}
		if inv.Scenario != "" {
			s += " ・ " + inv.Scenario
		}
		return item(s)
	case rowKPI:
		def := m.diag.Planning.KPIs[r.i]
		k, ok := m.kpiTarget(r.i)
		base, target := string(m.diag.KPIBaselines[def.Question]), dt.PlanKPIUnset
		if ok {
			base, target = string(k.Baseline), string(k.Target)
		}
		return item(fmt.Sprintf(dt.PlanKPIFmt, def.Question, def.Name, orText(base, "-"), target, def.Unit))
	case rowMilestone:
		ms := p.Milestones[r.i]
		return item(ms.Date + " " + oneLine(ms.Title))
	}
	label := map[planRowKind]string{rowAddScenario: dt.PlanAddScenario, rowAddInvest: dt.PlanAddInvest,
		rowAddMilestone: dt.PlanAddMilestone, rowImportFile: dt.PlanImportFile, rowImportExample: dt.PlanImportExample}[r.kind]
	return indent(item(label), "", st.Info.Render)
}

// rowName names a row's item in a question.
func (m planModel) rowName(r planRow) string {
	p := m.plan()
	switch r.kind {
	case rowScenario:
		return m.scenarioLabel(p.Scenarios[r.i].Scenario)
	case rowInvest:
		return oneLine(p.Investments[r.i].Item)
	case rowMilestone:
		return p.Milestones[r.i].Date + " " + oneLine(p.Milestones[r.i].Title)
	case rowKPI:
		def := m.diag.Planning.KPIs[r.i]
		return def.Question + " " + def.Name
	}
	return ""
}

func orText(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}

// body draws the sections with their rows; focus is the cursor's line.
func (m planModel) body() (lines []string, focus int) {
	st, dt := m.sh.st, m.sh.tx.Diag
	p := m.sess.a.Plan
	section := func(title string) {
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, st.Title.Render(title))
	}
	dim := func(s string) { lines = append(lines, indent(wrap(s, m.w-2), "  ", st.Dim.Render)...) }
	poolSection := func() {
		section(dt.PlanPoolSection)
		ex := 0
		for _, s := range m.pool {
			if s.Example {
				ex++
			}
		}
		if len(m.pool) == 0 {
			dim(dt.PlanPoolEmpty)
		} else {
			dim(fmt.Sprintf(dt.PlanPoolFmt, len(m.pool), ex))
		}
	}
	example := false
	for j, r := range m.rows {
		switch {
		case j == 0:
			section(dt.PlanGoalSection)
		case r.kind == rowScenario && r.i == 0, r.kind == rowAddScenario && (p == nil || len(p.Scenarios) == 0):
			section(dt.PlanScenSection)
		case r.kind == rowInvest && r.i == 0, r.kind == rowAddInvest && (p == nil || len(p.Investments) == 0):
			section(dt.PlanInvSection)
		case r.kind == rowKPI && r.i == 0:
			section(dt.PlanKPISection)
		case r.kind == rowMilestone && r.i == 0, r.kind == rowAddMilestone && (p == nil || len(p.Milestones) == 0):
			section(dt.PlanMsSection)
		case r.kind == rowImportFile:
			poolSection()
		}
		rl := m.rowLines(r)
		if j == m.cursor {
			focus = len(lines)
			rl[0] = "▸ " + rl[0][2:]
			for i := range rl {
				rl[i] = st.Cursor.Render(rl[i])
			}
		}
		lines = append(lines, rl...)
		if r.kind == rowScenario {
			for _, s := range p.Scenarios[r.i].Solutions {
				example = example || s.Example
			}
			// Under the last scenario: 示例 solutions are not real products.
			if r.i == len(p.Scenarios)-1 && example {
				lines = append(lines, indent(wrap(dt.ExampleWarn, m.w-4), "    ", st.Warn.Render)...)
			}
		}
		lastInvest := r.kind == rowAddInvest || (m.frozen() && r.kind == rowInvest && r.i == len(p.Investments)-1)
		if lastInvest && p != nil && len(p.Investments) > 0 {
			total, by := p.InvestmentTotal()
			var parts []string
			for _, c := range []string{"hardware", "software", "cloud", "service", "other"} {
				if v, ok := by[c]; ok {
					parts = append(parts, model.InvestmentCategories[c]+" "+string(v))
				}
			}
			lines = append(lines, indent(wrap(fmt.Sprintf(dt.PlanTotalFmt, total)+"（"+strings.Join(parts, " ・ ")+"）", m.w-2), "  ", st.Title.Render)...)
		}
	}
	if m.frozen() {
		poolSection()
	}
	return lines, focus
}

func (m planModel) View() string {
	st, t := m.sh.st, m.sh.tx
	dt := t.Diag
	warn := ""
	if m.frozen() {
		warn = dt.ReadOnlyLists
	}
	msg := message(st, t, m.saving, m.err, m.info, warn, m.w)
	switch m.mode {
	case planRemove:
		msg = indent(wrap(fmt.Sprintf(dt.PlanRemoveAsk, m.rowName(m.rows[m.cursor])), m.w), "", st.Warn.Render)
	case planDiscard:
		msg = indent(wrap(dt.DiscardDialog, m.w), "", st.Warn.Render)
	}
	var ed *editor
	if m.mode == planEdit || m.mode == planDiscard {
		ed = &m.ed
	}
	return diagView(m.sh, m.sess, dt.PlanScreen, m.w, m.h, msg, m.loadErr, m.diag != nil, ed, func(bodyH int) []string {
		lines, focus := m.body()
		return window(t, st, lines, focus, bodyH)
	})
}

func (m planModel) help() helpKeys {
	k, h := m.sh.keys, m.sh.tx.Help
	dt := m.sh.tx.Diag
	switch m.mode {
	case planEdit:
		if m.edit.kind == rowImportFile {
			return m.ed.help(dt.HelpImport)
		}
		return m.ed.help(h.SaveSettings)
	case planRemove:
		short := []key.Binding{relabel(k.Confirm, h.Remove), k.Cancel}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	case planDiscard:
		short := []key.Binding{relabel(k.Confirm, h.Discard), relabel(k.Cancel, h.KeepEditing)}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	}
	if m.frozen() {
		short := []key.Binding{k.Up, k.Down, k.Back, k.Help}
		return helpKeys{short: short, full: [][]key.Binding{short, {k.PageUp, k.PageDown, k.ForceQuit}}}
	}
	edit := relabel(k.Enter, dt.HelpEdit)
	short := []key.Binding{edit, k.Add, k.Remove, k.Up, k.Down, k.Back, k.Help}
	return helpKeys{short: short, full: [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown},
		{edit, k.Add, k.Remove},
		{k.Back, k.Help, k.ForceQuit},
	}}
}
