package ui

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"digilevel/model"
	"digilevel/storage"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// Sort orders of the home list.
const (
	sortCode = iota
	sortBatch
	sortState
	sortCount
)

// pickKind is what the home picker is choosing.
type pickKind int

const (
	pickNone       pickKind = iota
	pickKindOf              // new assessment: which kind
	pickAssessment          // open one of several assessments
	pickExisting            // the kind has a finalized one (revise?) or a draft (continue?)
)

// pickAction is what a picker line does.
type pickAction struct {
	open   string     // open this assessment
	revise string     // open this finalized assessment's revise dialog
	create model.Kind // start a new draft of this kind
	kinds  bool       // show the kind picker
	spot   bool       // open the spot-check screen (a spot-check starts from a pulled report)
}

// homeModel lists the enterprises. It keeps the whole summary list and an
// index of the rows that pass the filter, in the chosen order; View draws
// only the visible window, so 10,000 enterprises cost what 20 do. Until the
// whole list has loaded it holds the first page (loading is set): the
// counts come from the store, filter and sort wait for the rest.
type homeModel struct {
	sh      *shared
	all     []storage.EnterpriseSummary
	loading bool
	total   int      // enterprises in the store
	search  []string // lower-cased searchable text per enterprise
	rows    []int
	cursor  int
	offset  int
	order   int

	filter    textinput.Model
	filtering bool

	queued, failed, rejected, held int

	pick     pickKind
	pickMenu menu
	pickNote string
	pickDo   []pickAction
	pickFor  storage.EnterpriseSummary // the enterprise the picker is for

	wantCode string // focus this enterprise after the next load
	w, h     int
}

func newHome(sh *shared) homeModel {
	ti := textinput.New()
	ti.Prompt = sh.tx.HomeFilter
	ti.Placeholder = sh.tx.HomeFilterHint
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.CharLimit = 100
	return homeModel{sh: sh, filter: ti}
}

func (m homeModel) update(msg tea.Msg) (screen, tea.Cmd) { return m.Update(msg) }
func (m homeModel) view() string                         { return m.View() }
func (m homeModel) busy() bool                           { return false }
func (m homeModel) resized(w, h int) screen {
	m.w, m.h = w, h
	m.filter.Width = max(w-width(m.filter.Prompt)-1, 10)
	m.clampOffset()
	return m
}

// setPage shows the first page of the list with the store's counts.
func (m homeModel) setPage(p storage.SummaryPage) homeModel {
	m = m.setData(p.List)
	m.loading = !p.Complete()
	m.total = max(p.Counts.Enterprises, len(p.List))
	s := p.Counts.States
	m.queued, m.failed, m.rejected, m.held = s[model.StateQueued]+s[model.StateFinalized], s[model.StateSendFailed], s[model.StateRejected], s[model.StateHeld]
	return m
}

// setData replaces the list and re-applies filter and order.
func (m homeModel) setData(list []storage.EnterpriseSummary) homeModel {
	// The selection is read before the list changes: rows index the old one.
	cur := m.wantCode
	if cur == "" {
		cur = m.selectedCode()
	}
	m.all = list
	m.loading, m.total = false, len(list)
	m.search = nil // built on the first filter keystroke, not before the first frame
	// Counted as SummaryCounts counts them (setPage reads those).
	m.queued, m.failed, m.rejected, m.held = 0, 0, 0, 0
	for _, s := range list {
		for _, a := range s.Assessments {
			switch a.State {
			case model.StateQueued, model.StateFinalized:
				m.queued++
			case model.StateSendFailed:
				m.failed++
			case model.StateRejected:
				m.rejected++
			case model.StateHeld:
				m.held++
			}
		}
	}
	m.wantCode = ""
	m.refilter()
	m.focusCodeNow(cur)
	return m
}

// codes maps every credit code to its enterprise's name: the enterprise
// form checks a typed code against it as soon as it is complete.
func (m homeModel) codes() map[string]string {
	out := make(map[string]string, len(m.all))
	for _, s := range m.all {
		out[s.Code] = s.Name
	}
	return out
}

// providers lists the 服务商 named in the enterprise files, most frequent
// first: the identity step offers them as the organisation.
func (m homeModel) providers() []string {
	count := map[string]int{}
	for _, s := range m.all {
		if p := strings.TrimSpace(s.Provider); p != "" && !s.Demo {
			count[p]++
		}
	}
	out := make([]string, 0, len(count))
	for p := range count {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if count[out[i]] != count[out[j]] {
			return count[out[i]] > count[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

// focusCode selects an enterprise once the list is (re)loaded.
func (m homeModel) focusCode(code string) homeModel {
	m.wantCode = code
	return m
}

func (m *homeModel) focusCodeNow(code string) {
	if code == "" {
		return
	}
	for i, r := range m.rows {
		if m.all[r].Code == code {
			m.cursor = i
			m.clampOffset()
			return
		}
	}
}

func (m homeModel) selectedCode() string {
	if m.cursor < len(m.rows) && len(m.rows) > 0 {
		return m.all[m.rows[m.cursor]].Code
	}
	return ""
}

// refilter rebuilds rows from the filter text and the sort order.
func (m *homeModel) refilter() {
	q := strings.ToLower(strings.TrimSpace(m.filter.Value()))
	if q != "" && len(m.search) != len(m.all) {
		m.search = make([]string, len(m.all))
		for i, s := range m.all {
			m.search[i] = strings.ToLower(s.Name + "\x00" + s.Code + "\x00" + s.Industry + "\x00" + s.Provider)
		}
	}
	m.rows = slices.Grow(m.rows[:0], len(m.all))
	for i := range m.all {
		if q == "" || strings.Contains(m.search[i], q) {
			m.rows = append(m.rows, i)
		}
	}
	switch m.order {
	case sortBatch:
		sort.SliceStable(m.rows, func(i, j int) bool {
			a, b := m.all[m.rows[i]].Batch, m.all[m.rows[j]].Batch
			if a == 0 {
				a = 99
			}
			if b == 0 {
				b = 99
			}
			return a < b
		})
	case sortState:
		sort.SliceStable(m.rows, func(i, j int) bool {
			return stateRank(m.all[m.rows[i]]) < stateRank(m.all[m.rows[j]])
		})
	}
	if m.cursor >= len(m.rows) {
		m.cursor = max(len(m.rows)-1, 0)
	}
	m.clampOffset()
}

// stateRank orders enterprises by what needs attention first.
func stateRank(s storage.EnterpriseSummary) int {
	a, ok := latest(s)
	if !ok {
		return 6
	}
	switch a.State {
	case model.StateRejected:
		return 0
	case model.StateSendFailed:
		return 1
	case model.StateDraft:
		return 2
	case model.StateQueued, model.StateFinalized:
		return 3
	case model.StateSent:
		return 4
	}
	return 5
}

// latest is the newest assessment not replaced by a revision.
func latest(s storage.EnterpriseSummary) (storage.AssessmentSummary, bool) {
	for i := len(s.Assessments) - 1; i >= 0; i-- {
		if s.Assessments[i].ReplacedBy == "" {
			return s.Assessments[i], true
		}
	}
	return storage.AssessmentSummary{}, false
}

func live(s storage.EnterpriseSummary) []storage.AssessmentSummary {
	var out []storage.AssessmentSummary
	for _, a := range s.Assessments {
		if a.ReplacedBy == "" {
			out = append(out, a)
		}
	}
	return out
}

// listHeight is the number of rows the list can show (header 3, the rule
// and the two detail lines of the selected enterprise 3).
func (m homeModel) listHeight() int { return max(m.h-6, 1) }

func (m *homeModel) clampOffset() {
	h := m.listHeight()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
	if m.offset > max(len(m.rows)-h, 0) {
		m.offset = max(len(m.rows)-h, 0)
	}
}

func (m homeModel) capturing() bool { return m.filtering }

func (m homeModel) Update(msg tea.Msg) (homeModel, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	keys := m.sh.keys
	if m.pick != pickNone {
		return m.updatePick(k)
	}
	if m.filtering {
		switch {
		case key.Matches(k, keys.Back):
			m.filter.SetValue("")
			m.filtering = false
			m.filter.Blur()
			m.refilter()
		case key.Matches(k, keys.Enter, keys.ArrowUp, keys.ArrowDown):
			m.filtering = false
			m.filter.Blur()
		default:
			var cmd tea.Cmd
			m.filter, cmd = m.filter.Update(k)
			m.cursor = 0
			m.refilter()
			return m, cmd
		}
		return m, nil
	}
	switch {
	case key.Matches(k, keys.Up):
		if m.cursor > 0 {
			m.cursor--
		}
	case key.Matches(k, keys.Down):
		if m.cursor < len(m.rows)-1 {
			m.cursor++
		}
	case key.Matches(k, keys.PageUp):
		m.cursor = max(m.cursor-m.listHeight(), 0)
	case key.Matches(k, keys.PageDown):
		m.cursor = max(min(m.cursor+m.listHeight(), len(m.rows)-1), 0)
	case m.loading && key.Matches(k, keys.Filter, keys.Sort):
		// The second line says they work once the whole list is loaded.
	case key.Matches(k, keys.Filter):
		m.filtering = true
		return m, m.filter.Focus()
	case key.Matches(k, keys.Back):
		if m.filter.Value() != "" {
			m.filter.SetValue("")
			m.refilter()
		}
	case key.Matches(k, keys.Sort):
		code := m.selectedCode()
		m.order = (m.order + 1) % sortCount
		m.refilter()
		m.focusCodeNow(code)
	case key.Matches(k, keys.NewEnterprise):
		return m, nav(navMsg{to: screenForm})
	case key.Matches(k, keys.Sync):
		return m, nav(navMsg{to: screenSync})
	case key.Matches(k, keys.Settings):
		return m, nav(navMsg{to: screenSettings})
	case key.Matches(k, keys.Inspect):
		return m, nav(navMsg{to: screenSpot, code: m.selectedCode()})
	case len(m.rows) == 0:
	case key.Matches(k, keys.Edit):
		return m, nav(navMsg{to: screenForm, code: m.selectedCode()})
	case key.Matches(k, keys.Profile):
		return m, nav(navMsg{to: screenProfile, code: m.selectedCode()})
	case key.Matches(k, keys.NewAssessment):
		m.openKindPicker(m.all[m.rows[m.cursor]])
	case key.Matches(k, keys.Enter):
		s := m.all[m.rows[m.cursor]]
		l := live(s)
		switch len(l) {
		case 0:
			m.openKindPicker(s)
		case 1:
			return m, func() tea.Msg { return openAssessmentMsg{id: l[0].ID} }
		default:
			m.pick, m.pickFor, m.pickNote = pickAssessment, s, m.sh.tx.PickAssessTitle
			m.pickMenu, m.pickDo = menu{}, nil
			for i := len(l) - 1; i >= 0; i-- {
				m.addPick(m.assessmentLine(l[i], true), pickAction{open: l[i].ID})
			}
			m.addPick(m.sh.tx.NewAssessment, pickAction{kinds: true})
		}
	}
	m.clampOffset()
	return m, nil
}

func (m *homeModel) addPick(label string, a pickAction) {
	m.pickMenu.items = append(m.pickMenu.items, label)
	m.pickDo = append(m.pickDo, a)
}

func (m *homeModel) openKindPicker(s storage.EnterpriseSummary) {
	m.pick, m.pickFor, m.pickNote = pickKindOf, s, m.sh.tx.PickKindTitle
	m.pickMenu, m.pickDo = menu{}, nil
	for _, k := range assessmentKinds() {
		m.addPick(m.sh.cat.KindLabel(string(k)), pickAction{create: k})
	}
	m.addPick(m.sh.tx.Spot.KindItem, pickAction{spot: true})
}

// offerExisting is asked before a second assessment of a kind: with a
// finalized one, revising it is what a correction needs (a parallel draft
// would be a second, conflicting rating); with a draft, continuing it.
// ok is false when the kind has neither.
func (m *homeModel) offerExisting(kind model.Kind) bool {
	t := m.sh.tx
	label := m.sh.cat.KindLabel(string(kind))
	for _, a := range slices.Backward(live(m.pickFor)) {
		if a.Kind != kind {
			continue
		}
		m.pick, m.pickMenu, m.pickDo = pickExisting, menu{}, nil
		if a.State == model.StateDraft {
			m.pickNote = fmt.Sprintf(t.HasDraftFmt, label, a.Version)
			m.addPick(fmt.Sprintf(t.ContinueDraftFmt, label, a.Version), pickAction{open: a.ID})
		} else {
			m.pickNote = fmt.Sprintf(t.HasFinalFmt, label, a.Version, a.State.Label())
			m.addPick(fmt.Sprintf(t.ReviseFinalFmt, label, a.Version), pickAction{revise: a.ID})
		}
		m.addPick(fmt.Sprintf(t.NewAnywayFmt, label), pickAction{create: kind})
		return true
	}
	return false
}

func (m homeModel) updatePick(k tea.KeyMsg) (homeModel, tea.Cmd) {
	if key.Matches(k, m.sh.keys.Back) {
		m.pick = pickNone
		return m, nil
	}
	i := m.pickMenu.update(m.sh.keys, k)
	if i < 0 {
		return m, nil
	}
	do, was := m.pickDo[i], m.pick
	m.pick = pickNone
	switch {
	case do.open != "":
		return m, func() tea.Msg { return openAssessmentMsg{id: do.open} }
	case do.revise != "":
		return m, func() tea.Msg { return openAssessmentMsg{id: do.revise, then: &navMsg{to: screenReview, revise: true}} }
	case do.kinds:
		m.openKindPicker(m.pickFor)
		return m, nil
	case do.spot:
		return m, nav(navMsg{to: screenSpot, code: m.pickFor.Code})
	}
	if was == pickKindOf && m.offerExisting(do.create) {
		return m, nil
	}
	d := m.sh.deps
	create := createAssessmentCmd(d.Store, m.pickFor.Code, do.create, m.sh.change(""))
	if m.sh.ident.Org == "" {
		// Nobody said who rates yet: ask now, offering this enterprise's
		// 服务商, then start the draft.
		return m, nav(navMsg{to: screenIdentity, suggest: m.pickFor.Provider, back: &navMsg{to: screenHome, create: &newDraft{code: m.pickFor.Code, kind: do.create}}})
	}
	return m, create
}

// assessmentLine is "改造前诊断 v1 草稿 15/31 二级".
func (m homeModel) assessmentLine(a storage.AssessmentSummary, withKind bool) string {
	var b strings.Builder
	if withKind {
		b.WriteString(m.sh.cat.KindLabel(string(a.Kind)))
		if a.Version > 1 {
			fmt.Fprintf(&b, " v%d", a.Version)
		}
		b.WriteString(" ")
	}
	b.WriteString(a.State.Label())
	if a.State == model.StateDraft {
		fmt.Fprintf(&b, " "+m.sh.tx.HomeDoneFmt, a.Done, a.Total)
	}
	b.WriteString(" " + m.sh.cat.LevelName(a.Level))
	return b.String()
}

func (m homeModel) View() string {
	st, t := m.sh.st, m.sh.tx
	var out []string
	count := fmt.Sprintf(t.HomeCountFmt, len(m.rows), m.total)
	title := truncate(t.AppName, m.w-width(count)-2)
	out = append(out, st.Header.Render(title)+strings.Repeat(" ", max(m.w-width(title)-width(count), 1))+st.HeaderDim.Render(count))
	sortName := []string{t.SortCode, t.SortBatch, t.SortState}[m.order]
	queue := fmt.Sprintf(t.HomeQueueFmt, m.queued, m.failed, m.rejected)
	if m.held > 0 {
		// Held reports wait for the consultant (another provider's token or
		// a corrected identity), so they are shown only when there are some.
		queue += fmt.Sprintf(t.HomeHeldFmt, m.held)
	}
	if m.filtering || m.filter.Value() != "" {
		out = append(out, truncate(m.filter.View(), m.w))
	} else {
		left := fmt.Sprintf(t.HomeSortFmt, sortName) + "  /" + t.Help.Filter
		if m.loading {
			left = t.HomeLoadingRest
			if width(left)+width(queue)+1 > m.w {
				left = t.HomeLoadingShort
			}
		}
		if width(left)+width(queue)+1 > m.w {
			left = ""
		}
		out = append(out, st.Dim.Render(left)+strings.Repeat(" ", max(m.w-width(left)-width(queue), 0))+st.Warn.Render(queue))
	}
	out = append(out, st.Rule.Render(strings.Repeat("─", m.w)))

	if m.pick != pickNone {
		inner := min(m.w, 76) - st.Dialog.GetHorizontalFrameSize()
		lines := []string{st.Title.Render(truncate(oneLine(m.pickFor.Name), inner))}
		lines = append(lines, wrap(m.pickNote, inner)...)
		lines = append(lines, "")
		lines = append(lines, m.pickMenu.view(st, inner)...)
		out = append(out, st.Dialog.Width(inner+st.Dialog.GetHorizontalPadding()).Render(strings.Join(lines, "\n")))
		return strings.Join(out, "\n")
	}

	if len(m.rows) == 0 {
		out = append(out, st.Dim.Render(t.HomeNoMatch))
		return strings.Join(out, "\n")
	}
	// Columns: cursor 2, name, the latest assessment (kind, state,
	// progress, level), batch, credit code. The code is last and gives way
	// first: its district prefix is the same for every enterprise, so it
	// keeps its distinguishing tail; the detail line below shows it whole.
	end := min(m.offset+m.listHeight(), len(m.rows))
	statusW := 0
	for i := m.offset; i < end; i++ {
		statusW = max(statusW, width(m.status(m.all[m.rows[i]])))
	}
	const batchW = 6
	codeW := 18
	if m.w < 100 {
		codeW = 10
	}
	nameW := max(m.w-2-statusW-batchW-codeW-3, 10)
	for i := m.offset; i < end; i++ {
		s := m.all[m.rows[i]]
		batch := t.HomeNoBatch
		if s.Batch > 0 {
			batch = fmt.Sprintf(t.HomeBatchFmt, s.Batch)
		}
		line := pad(oneLine(s.Name), nameW) + " " + pad(m.status(s), statusW) + " " + pad(batch, batchW) + " " + shortCode(s.Code, codeW)
		if i == m.cursor {
			out = append(out, st.Cursor.Render("▸ "+line))
		} else {
			out = append(out, "  "+line)
		}
	}
	for len(out) < 3+m.listHeight() {
		out = append(out, "")
	}
	s := m.all[m.rows[m.cursor]]
	detail := oneLine(s.Name) + " ・ " + s.Code
	if s.Provider != "" {
		detail += " ・ " + t.FieldProvider + " " + oneLine(s.Provider)
	}
	if s.Industry != "" {
		detail += " ・ " + oneLine(s.Industry)
	}
	out = append(out, st.Rule.Render(strings.Repeat("─", m.w)))
	for _, l := range clipLines(wrap(detail, m.w), 2) {
		out = append(out, st.Dim.Render(l))
	}
	return strings.Join(out, "\n")
}

// status is the latest assessment of an enterprise for its row.
func (m homeModel) status(s storage.EnterpriseSummary) string {
	if a, ok := latest(s); ok {
		return m.assessmentLine(a, true)
	}
	return m.sh.tx.HomeNoAssess
}

// shortCode keeps a credit code's tail when it must shorten: the first
// characters (registration authority, district) are the same for every
// enterprise of a pilot.
func shortCode(code string, w int) string {
	if width(code) <= w {
		return code
	}
	if w <= 2 {
		return ""
	}
	return ".." + code[len(code)-(w-2):]
}

func (m homeModel) help() helpKeys {
	k, h := m.sh.keys, m.sh.tx.Help
	if m.filtering {
		short := []key.Binding{relabel(k.Enter, h.Confirm), relabel(k.Back, h.Cancel)}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	}
	if m.pick != pickNone {
		short := []key.Binding{k.Up, k.Down, relabel(k.Enter, h.Select), relabel(k.Back, h.Cancel)}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	}
	open := relabel(k.Enter, h.Open)
	short := []key.Binding{open, k.NewAssessment, k.NewEnterprise, k.Edit, k.Filter, k.Sort, k.Sync, k.Inspect, k.Settings, k.Profile, k.Quit}
	if m.loading {
		// Filter and sort wait for the whole list (the second line says so).
		short = slices.DeleteFunc(short, func(b key.Binding) bool { return b.Help() == k.Filter.Help() || b.Help() == k.Sort.Help() })
	}
	return helpKeys{short: short, full: [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown},
		{open, k.NewAssessment, k.NewEnterprise, k.Edit, k.Profile},
		{k.Filter, k.Sort, k.Sync, k.Inspect, k.Settings},
		{k.Help, k.Quit, k.ForceQuit},
	}}
}
