package ui

import (
	"fmt"
	"sort"
	"strings"

	"digilevel/attach"
	"digilevel/model"
	"digilevel/report"
	"digilevel/storage"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// spotModel is the inspector's screen (抽查): the providers' reports pulled
// onto this laptop, by enterprise, each with the state of its spot-check.
// It pulls more (from the platform or a bundle), starts a spot-check of
// the chosen report, continues a draft one, or opens the comparison of a
// finalized one. While a blind spot-check seals an enterprise the store
// hands its reports out masked (no score, no level), so nothing of the
// provider's rating can show here; the answers never do.
type spotModel struct {
	sh    *shared
	focus string // the enterprise whose reports get the cursor first

	list   []storage.PulledInfo
	spots  map[string][]spotOf // pulled report ID -> this laptop's spot-checks of it
	blind  bool
	loaded bool
	rows   []spotRow
	cursor int // index into rows, always a report row
	offset int

	mode    spotMode
	fields  fieldSet
	codes   int // field indexes in fields
	path    int
	server  string
	working string
	result  []string // the last pull's lines, shown in a dialog
	roff    int      // scroll offset of the result dialog

	err, info string
	w, h      int
}

type spotMode int

const (
	spotBrowse spotMode = iota
	spotPullPlatform
	spotPullBundle
	spotConfirm
	spotResult
)

// spotOf is one of this laptop's spot-checks of a pulled report.
type spotOf struct {
	id      string
	version int
	state   model.State
}

// spotRow is a line of the list: an enterprise heading or a report.
type spotRow struct {
	heading bool
	i       int // index into list
}

// spotDataMsg carries the pulled reports and this laptop's spot-checks of them.
type spotDataMsg struct {
	list  []storage.PulledInfo
	spots map[string][]spotOf
	blind bool
	err   error
}

// platformMsg carries the platform address and whether a token is set.
type platformMsg struct {
	server string
	token  bool
	err    error
}

func newSpot(sh *shared, focus string, w, h int) (spotModel, tea.Cmd) {
	m := spotModel{sh: sh, focus: focus, w: w, h: h}
	return m, loadSpotCmd(sh.deps.Store)
}

func (m spotModel) update(msg tea.Msg) (screen, tea.Cmd) { return m.Update(msg) }
func (m spotModel) view() string                         { return m.View() }

// busy is false even while pulling: every report is stored in its own
// transaction, so quitting loses at most a download, never half a report.
func (m spotModel) busy() bool { return false }
func (m spotModel) capturing() bool {
	return m.mode == spotPullPlatform || m.mode == spotPullBundle
}
func (m spotModel) resized(w, h int) screen {
	m.w, m.h = w, h
	m.fields.resize(m.dialogInner())
	m.clampOffset()
	return m
}

// loadSpotCmd reads the pulled reports and, per chain of versions, this
// laptop's spot-checks of any of them (from the chain's audit trail).
func loadSpotCmd(st Store) tea.Cmd {
	return func() tea.Msg {
		list, err := st.PulledReports("")
		if err != nil {
			return spotDataMsg{err: err}
		}
		msg := spotDataMsg{list: list, spots: map[string][]spotOf{}}
		for _, p := range list {
			if p.ReplacedBy != "" {
				continue // the newest version's trail covers the chain
			}
			trail, err := st.AuditTrail(p.ID)
			if err != nil {
				return spotDataMsg{err: err}
			}
			for _, v := range trail.SpotChecks {
				if v.Origin != storage.OriginLocal || v.Checks == nil || v.ReplacedBy != "" {
					continue
				}
				msg.spots[v.Checks.ID] = append(msg.spots[v.Checks.ID], spotOf{id: v.ID, version: v.Version, state: v.State})
			}
		}
		msg.blind, msg.err = st.SpotCheckBlind()
		return msg
	}
}

func loadPlatformCmd(st Store) tea.Cmd {
	return func() tea.Msg {
		server, err := st.Setting(storage.SettingServerURL)
		if err != nil {
			return platformMsg{err: err}
		}
		token, err := st.Setting(storage.SettingToken)
		return platformMsg{server: server, token: strings.TrimSpace(token) != "", err: err}
	}
}

// createSpotCheckCmd starts a spot-check of a pulled report, signed with
// the laptop's identity (the inspector's unit and name).
func createSpotCheckCmd(st Store, reportID string, as model.Assessor, c model.Change) tea.Cmd {
	return func() tea.Msg {
		a, err := st.CreateAssessment(storage.NewAssessment{Kind: model.KindSpotCheck, Checks: reportID, Assessor: as}, c)
		if err != nil {
			return statusMsg{text: errText(err), isErr: true}
		}
		return openAssessmentMsg{id: a.ID}
	}
}

// createDraftCmd starts what a newDraft describes.
func createDraftCmd(sh *shared, d newDraft) tea.Cmd {
	if d.checks != "" {
		return createSpotCheckCmd(sh.deps.Store, d.checks, *sh.ident, sh.change(""))
	}
	return createAssessmentCmd(sh.deps.Store, d.code, d.kind, sh.change(""))
}

func (m spotModel) setData(msg spotDataMsg) spotModel {
	m.loaded = true
	if msg.err != nil {
		m.err = fmt.Sprintf(m.sh.tx.LoadFailed, errText(msg.err))
		return m
	}
	var cur string
	if m.cursor < len(m.rows) && !m.rows[m.cursor].heading {
		cur = m.list[m.rows[m.cursor].i].ID
	}
	m.list, m.spots, m.blind = msg.list, msg.spots, msg.blind
	// By enterprise (the store's order), then kind and version: IDs order
	// the provider's reports only as closely as its clock did.
	group := map[string]int{}
	for i, p := range m.list {
		if _, ok := group[p.Enterprise]; !ok {
			group[p.Enterprise] = i
		}
	}
	sort.SliceStable(m.list, func(i, j int) bool {
		a, b := m.list[i], m.list[j]
		if a.Enterprise != b.Enterprise {
			return group[a.Enterprise] < group[b.Enterprise]
		}
		if a.Kind != b.Kind {
			return kindRank(a.Kind) < kindRank(b.Kind)
		}
		return a.Version < b.Version
	})
	m.rows = m.rows[:0]
	for i, p := range m.list {
		if i == 0 || m.list[i-1].Enterprise != p.Enterprise {
			m.rows = append(m.rows, spotRow{heading: true, i: i})
		}
		m.rows = append(m.rows, spotRow{i: i})
	}
	m.cursor = m.firstReport(func(p storage.PulledInfo) bool { return p.ID == cur })
	if cur == "" || m.cursor < 0 {
		// The focus enterprise's newest current report, else the first report.
		m.cursor = m.firstReport(func(p storage.PulledInfo) bool { return p.Enterprise == m.focus && p.ReplacedBy == "" })
	}
	if m.cursor < 0 {
		m.cursor = m.firstReport(func(storage.PulledInfo) bool { return true })
	}
	m.cursor = max(m.cursor, 0)
	m.clampOffset()
	return m
}

// kindRank orders report kinds as a retrofit goes: baseline, acceptance.
func kindRank(k model.Kind) int {
	for i, x := range []model.Kind{model.KindBaseline, model.KindAcceptance} {
		if k == x {
			return i
		}
	}
	return 2
}

// firstReport is the row of the first report that ok accepts, -1 if none.
func (m spotModel) firstReport(ok func(storage.PulledInfo) bool) int {
	for r, row := range m.rows {
		if !row.heading && ok(m.list[row.i]) {
			return r
		}
	}
	return -1
}

// selected is the report under the cursor.
func (m spotModel) selected() (storage.PulledInfo, bool) {
	if m.cursor < len(m.rows) && !m.rows[m.cursor].heading {
		return m.list[m.rows[m.cursor].i], true
	}
	return storage.PulledInfo{}, false
}

// current is the newest of this laptop's spot-checks of a report.
func (m spotModel) current(id string) (spotOf, bool) {
	l := m.spots[id]
	if len(l) == 0 {
		return spotOf{}, false
	}
	return l[len(l)-1], true
}

func (m spotModel) Update(msg tea.Msg) (spotModel, tea.Cmd) {
	t := m.sh.tx.Spot
	switch msg := msg.(type) {
	case spotDataMsg:
		return m.setData(msg), nil
	case platformMsg:
		m.working = ""
		switch {
		case msg.err != nil:
			m.err = fmt.Sprintf(m.sh.tx.LoadFailed, errText(msg.err))
		case msg.server == "" || !msg.token:
			m.err = t.PullNotConfigured
		default:
			m.server = msg.server
			return m.openPull(spotPullPlatform)
		}
		return m, nil
	case pulledMsg:
		m.working = ""
		return m.pulled(msg)
	case tea.KeyMsg:
		if m.working != "" {
			return m, nil
		}
		m.err, m.info = "", ""
		switch m.mode {
		case spotPullPlatform, spotPullBundle:
			return m.updatePull(msg)
		case spotConfirm:
			return m.updateConfirm(msg)
		case spotResult:
			return m.updateResult(msg)
		}
		return m.updateBrowse(msg)
	}
	return m, nil
}

func (m spotModel) updateBrowse(k tea.KeyMsg) (spotModel, tea.Cmd) {
	keys := m.sh.keys
	switch {
	case key.Matches(k, keys.Back):
		return m, nav(navMsg{to: screenHome})
	case key.Matches(k, keys.Up):
		m.move(-1)
	case key.Matches(k, keys.Down):
		m.move(1)
	case key.Matches(k, keys.PageUp):
		m.move(-m.listHeight())
	case key.Matches(k, keys.PageDown):
		m.move(m.listHeight())
	case key.Matches(k, keys.Settings):
		return m, nav(navMsg{to: screenSettings, back: &navMsg{to: screenSpot, code: m.focusCode()}})
	case key.Matches(k, keys.PullPlatform):
		if m.sh.deps.Puller == nil {
			m.err = m.sh.tx.Spot.NoPuller
			return m, nil
		}
		m.working = m.sh.tx.Loading
		return m, loadPlatformCmd(m.sh.deps.Store)
	case key.Matches(k, keys.PullBundle):
		if m.sh.deps.Puller == nil {
			m.err = m.sh.tx.Spot.NoPuller
			return m, nil
		}
		return m.openPull(spotPullBundle)
	case key.Matches(k, keys.Audit):
		if p, ok := m.selected(); ok {
			return m, nav(navMsg{to: screenAudit, id: p.ID, back: &navMsg{to: screenSpot, code: p.Enterprise}})
		}
	case key.Matches(k, keys.Enter):
		p, ok := m.selected()
		if !ok {
			return m, nil
		}
		back := &navMsg{to: screenSpot, code: p.Enterprise}
		if s, ok := m.current(p.ID); ok {
			if s.state == model.StateDraft {
				return m, func() tea.Msg { return openAssessmentMsg{id: s.id} }
			}
			return m, nav(navMsg{to: screenCompare, id: s.id, back: back})
		}
		m.mode = spotConfirm
	}
	return m, nil
}

// move steps the cursor over report rows (headings are skipped).
func (m *spotModel) move(n int) {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for ; n > 0; n-- {
		next := m.cursor + step
		for next >= 0 && next < len(m.rows) && m.rows[next].heading {
			next += step
		}
		if next < 0 || next >= len(m.rows) {
			break
		}
		m.cursor = next
	}
	m.clampOffset()
}

// focusCode is the enterprise of the selected report, else the focus.
func (m spotModel) focusCode() string {
	if p, ok := m.selected(); ok {
		return p.Enterprise
	}
	return m.focus
}

func (m spotModel) updateConfirm(k tea.KeyMsg) (spotModel, tea.Cmd) {
	switch {
	case key.Matches(k, m.sh.keys.Confirm):
		m.mode = spotBrowse
		p, ok := m.selected()
		if !ok {
			return m, nil
		}
		if m.sh.ident.Org == "" || m.sh.ident.Person == "" {
			// A spot-check records who checks: ask first, then start it.
			back := navMsg{to: screenSpot, code: p.Enterprise, create: &newDraft{code: p.Enterprise, kind: model.KindSpotCheck, checks: p.ID}}
			return m, nav(navMsg{to: screenIdentity, back: &back})
		}
		return m, createSpotCheckCmd(m.sh.deps.Store, p.ID, *m.sh.ident, m.sh.change(""))
	case key.Matches(k, m.sh.keys.Cancel):
		m.mode = spotBrowse
	}
	return m, nil
}

// openPull opens a pull dialog: the platform one asks for credit codes
// (the selected enterprise's prefilled), the bundle one for the file and,
// optionally, codes.
func (m spotModel) openPull(mode spotMode) (spotModel, tea.Cmd) {
	t := m.sh.tx.Spot
	m.mode = mode
	m.fields = fieldSet{sh: m.sh}
	m.path = -1
	if mode == spotPullBundle {
		f := newField(m.sh, t.FieldBundle, "", "", 4096)
		f.hint = t.BundleHint
		m.path = m.fields.add(f)
	}
	prefill := ""
	if mode == spotPullPlatform {
		prefill = m.focusCode()
	}
	f := newField(m.sh, t.FieldCodes, prefill, "", 2000)
	f.hint = t.CodesHint
	if mode == spotPullBundle {
		f.hint = t.CodesBundleHint
	}
	m.codes = m.fields.add(f)
	m.fields.resize(m.dialogInner())
	return m, m.fields.setFocus(0)
}

func (m spotModel) updatePull(k tea.KeyMsg) (spotModel, tea.Cmd) {
	keys, t := m.sh.keys, m.sh.tx.Spot
	switch {
	case key.Matches(k, keys.Back):
		m.mode = spotBrowse
		return m, nil
	case key.Matches(k, keys.Enter):
		codes, ok := m.parseCodes()
		if !ok {
			return m, nil
		}
		if m.mode == spotPullPlatform {
			if len(codes) == 0 {
				m.fields.fields[m.codes].err = t.NeedCodes
				return m, nil
			}
			m.mode, m.working = spotBrowse, t.PullingPlatform
			m.focus = codes[0]
			return m, pullPlatformCmd(m.sh.deps.Context, m.sh.deps.Puller, codes, m.sh.change("").Who)
		}
		path := m.fields.value(m.path)
		if path == "" {
			m.fields.fields[m.path].err = t.NeedBundle
			return m, m.fields.setFocus(m.path)
		}
		if err := model.CheckText(path, model.TextRule{Label: t.FieldBundle, Max: 4096}); err != nil {
			m.fields.fields[m.path].err = errText(err)
			return m, m.fields.setFocus(m.path)
		}
		// A dropped file arrives quoted or escaped.
		if ps := attach.Paths(path, attach.Exists); len(ps) == 1 {
			path = ps[0]
		}
		m.mode, m.working = spotBrowse, t.PullingBundle
		if len(codes) > 0 {
			m.focus = codes[0]
		}
		return m, pullBundleCmd(m.sh.deps.Puller, path, codes, m.sh.change(""))
	}
	cmd, _ := m.fields.update(k, len(m.fields.fields))
	return m, cmd
}

// parseCodes reads the codes field: credit codes separated by spaces,
// commas or the Chinese comma, each checked as it would be on import.
func (m *spotModel) parseCodes() ([]string, bool) {
	t := m.sh.tx.Spot
	raw := m.fields.value(m.codes)
	var codes []string
	for _, c := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' || r == ';' }) {
		code := model.NormalizeCreditCode(c)
		if err := model.ValidateCreditCode(code); err != nil {
			m.fields.fields[m.codes].err = fmt.Sprintf(t.BadCodeFmt, oneLine(c), errText(err))
			m.fields.setFocus(m.codes)
			return nil, false
		}
		codes = append(codes, code)
	}
	return codes, true
}

// pulled shows what a pull did and reloads the list and the home list
// (a pull may have created enterprise files).
func (m spotModel) pulled(msg pulledMsg) (spotModel, tea.Cmd) {
	t := m.sh.tx.Spot
	reload := tea.Batch(loadSpotCmd(m.sh.deps.Store), loadSummariesCmd(m.sh.deps.Store))
	if msg.err != nil {
		hint := t.PullFailedHint
		if msg.bundle {
			hint = t.PullFailedBundle
		}
		m.err = fmt.Sprintf(t.PullFailedFmt, errText(msg.err)) + "\n" + hint
		if msg.res.Stored == 0 {
			return m, nil
		}
	}
	res := msg.res
	head := fmt.Sprintf(t.ResultFmt, res.Stored, res.Existing, res.Refused)
	if res.Skipped > 0 {
		head += fmt.Sprintf(t.ResultSkippedFmt, res.Skipped)
	}
	lines := []string{head}
	status := map[string]string{PullStored: t.StatusStored, PullExisting: t.StatusExisting, PullRefused: t.StatusRefused, PullSkipped: t.StatusSkipped}
	for _, it := range res.Items {
		name := it.Name
		if name == "" {
			name = it.ID
		}
		kind := m.sh.cat.KindLabel(string(it.Kind))
		if it.Kind == "" {
			kind = it.ID
		}
		lines = append(lines, fmt.Sprintf(t.ItemFmt, status[it.Status], kind, it.Version, oneLine(name), it.Enterprise))
		if it.Reason != "" && it.Status == PullRefused {
			lines = append(lines, "  "+fmt.Sprintf(t.ItemReasonFmt, oneLine(it.Reason)))
		}
	}
	for _, code := range res.EnterprisesCreated {
		lines = append(lines, fmt.Sprintf(t.CreatedFmt, code))
	}
	nf := t.NotFoundPlatform
	if msg.bundle {
		nf = t.NotFoundBundle
	}
	for _, code := range res.NotFound {
		lines = append(lines, fmt.Sprintf(nf, code))
	}
	if res.Refused > 0 {
		lines = append(lines, t.ResultRefusedHint)
	}
	if msg.err == nil {
		m.mode, m.result, m.roff = spotResult, lines, 0
	}
	if len(res.Items) > 0 && res.Items[0].Enterprise != "" {
		m.focus = res.Items[0].Enterprise
	}
	m.rows = nil // the cursor goes to the focus enterprise after the reload
	return m, reload
}

func (m spotModel) updateResult(k tea.KeyMsg) (spotModel, tea.Cmd) {
	keys := m.sh.keys
	switch {
	case key.Matches(k, keys.Up):
		m.roff = max(m.roff-1, 0)
	case key.Matches(k, keys.Down):
		m.roff = min(m.roff+1, max(len(m.resultLines())-1, 0))
	case key.Matches(k, keys.Enter, keys.Back):
		m.mode = spotBrowse
	}
	return m, nil
}

func (m spotModel) resultLines() []string {
	var out []string
	for i, l := range m.result {
		if i == 0 {
			out = append(out, m.sh.st.Title.Render(l))
			continue
		}
		out = append(out, hang(wrap(l, m.dialogInner()-2), "", "  ")...)
	}
	return out
}

func (m spotModel) dialogInner() int {
	return min(m.w, 90) - m.sh.st.Dialog.GetHorizontalFrameSize()
}

// listHeight is what the list gets: the body less the title and rule (2),
// the rule and the selected report's detail lines under it, and the
// message line.
func (m spotModel) listHeight() int { return max(m.h-2-1-len(m.detailLines())-1, 3) }

func (m *spotModel) clampOffset() {
	h := m.listHeight()
	// The heading of the selected report's enterprise stays in view.
	top := m.cursor
	if top > 0 && m.cursor < len(m.rows) && m.rows[top-1].heading {
		top--
	}
	if top < m.offset {
		m.offset = top
	}
	if m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
	m.offset = max(min(m.offset, len(m.rows)-h), 0)
}

// rowStatus says where the spot-check of a report stands.
func (m spotModel) rowStatus(p storage.PulledInfo) string {
	t := m.sh.tx.Spot
	if s, ok := m.current(p.ID); ok {
		if s.state == model.StateDraft {
			return t.Checking
		}
		return fmt.Sprintf(t.CheckedFmt, s.version)
	}
	if p.ReplacedBy != "" {
		return t.Replaced
	}
	return t.NotChecked
}

func (m spotModel) rating(p storage.PulledInfo) string {
	if p.Sealed {
		return m.sh.tx.Spot.Sealed
	}
	return fmt.Sprintf(m.sh.tx.Spot.RatingFmt, p.Score, m.sh.cat.LevelName(p.Level))
}

func (m spotModel) View() string {
	st, t := m.sh.st, m.sh.tx.Spot
	w := m.w
	enterprises := 0
	for _, r := range m.rows {
		if r.heading {
			enterprises++
		}
	}
	count := fmt.Sprintf(t.CountFmt, len(m.list), enterprises)
	title := truncate(t.Title, w-width(count)-2)
	out := []string{
		st.Header.Render(title) + strings.Repeat(" ", max(w-width(title)-width(count), 1)) + st.HeaderDim.Render(count),
		st.Rule.Render(strings.Repeat("─", w)),
	}
	msg := message(st, m.sh.tx, m.working != "", m.err, m.info, "", w)
	if m.working != "" {
		msg = []string{st.Dim.Render(m.working)}
	}
	if len(msg) == 1 && msg[0] == "" {
		msg = nil
	}
	room := max(m.h-len(out)-len(msg), 1)
	var body []string
	switch {
	case !m.loaded:
		body = append(body, st.Dim.Render(t.LoadingList))
	case len(m.list) == 0:
		body = append(body, indent(wrap(t.Empty, w), "", st.Dim.Render)...)
	default:
		// A long message takes its lines from the list, never from the
		// details of the selected report.
		details := m.detailLines()
		visible := max(min(m.listHeight(), room-1-len(details)), 1)
		body = append(body, m.listLines(visible)...)
		for len(body) < visible {
			body = append(body, "")
		}
		body = append(body, st.Rule.Render(strings.Repeat("─", w)))
		body = append(body, details...)
	}
	// The message stands above the key line, as on every screen.
	for len(body) < room && len(msg) > 0 {
		body = append(body, "")
	}
	if dialog := m.dialog(); len(dialog) > 0 {
		inner := m.dialogInner()
		box := strings.Split(st.Dialog.Width(inner+st.Dialog.GetHorizontalPadding()).Render(strings.Join(dialog, "\n")), "\n")
		body = append(clipLines(body, max(room-len(box), 0)), box...)
	}
	out = append(out, clipLines(body, room)...)
	out = append(out, msg...)
	return strings.Join(out, "\n")
}

// listLines draws the visible rows: an enterprise heading (name, code),
// then its reports (kind and version, provider, finalized, rating, state).
func (m spotModel) listLines(visible int) []string {
	st, t := m.sh.st, m.sh.tx.Spot
	w := m.w
	start := m.offset
	if m.cursor >= start+visible {
		start = m.cursor - visible + 1
	}
	end := min(start+visible, len(m.rows))
	const kindW, dateW = 14, 15
	rateW, stateW := width(t.Sealed), 0
	for _, r := range m.rows[start:end] {
		if !r.heading {
			p := m.list[r.i]
			rateW = max(rateW, width(m.rating(p)))
			stateW = max(stateW, width(m.rowStatus(p)))
		}
	}
	provW := min(max(w-4-kindW-dateW-rateW-stateW-4, 8), 40)
	var out []string
	for r := start; r < end; r++ {
		row := m.rows[r]
		p := m.list[row.i]
		if row.heading {
			code := "  " + p.Enterprise
			out = append(out, st.Title.Render(truncate(oneLine(p.EnterpriseName), w-width(code)))+st.Dim.Render(code))
			continue
		}
		kind := fmt.Sprintf("%s v%d", m.sh.cat.KindLabel(string(p.Kind)), p.Version)
		line := pad(kind, kindW) + " " + pad(oneLine(p.Assessor.Org), provW) + " " +
			pad(fmt.Sprintf(t.FinalizedFmt, p.FinalizedAt.In(report.Zone()).Format("2006-01-02")), dateW) + " " +
			pad(m.rating(p), rateW) + " " + m.rowStatus(p)
		if r == m.cursor {
			out = append(out, st.Cursor.Render("  ▸ "+line))
		} else {
			out = append(out, "    "+line)
		}
	}
	return out
}

// detailLines describe the selected report and what enter does with it.
func (m spotModel) detailLines() []string {
	st, t := m.sh.st, m.sh.tx.Spot
	p, ok := m.selected()
	if !ok {
		return nil
	}
	at := p.PulledAt.In(report.Zone()).Format("2006-01-02 15:04")
	lines := indent(wrap(fmt.Sprintf(t.DetailFmt, p.ID, oneLine(p.Assessor.Person), oneLine(p.Origin.Text()), at), m.w), "", st.Dim.Render)
	if p.Replaces != "" && p.RevisionReason != "" && !p.Sealed { // a reason may tell an answer
		lines = append(lines, indent(wrap(fmt.Sprintf(t.DetailRevision, oneLine(p.RevisionReason)), m.w), "", st.Dim.Render)...)
	}
	if p.Sealed {
		lines = append(lines, indent(wrap(t.SealedNote, m.w), "", st.Warn.Render)...)
	}
	var act string
	switch s, ok := m.current(p.ID); {
	case ok && s.state == model.StateDraft:
		act = fmt.Sprintf(t.ActContinueFmt, s.id)
	case ok:
		act = fmt.Sprintf(t.ActCompareFmt, s.id)
	case p.ReplacedBy != "":
		act = fmt.Sprintf(t.ActReplacedFmt, p.ReplacedBy)
	default:
		act = t.ActStart
	}
	return append(lines, indent(wrap(act, m.w), "", st.Info.Render)...)
}

// dialog is the open dialog's lines (none while browsing).
func (m spotModel) dialog() []string {
	st, t := m.sh.st, m.sh.tx.Spot
	inner := m.dialogInner()
	var lines []string
	switch m.mode {
	case spotPullPlatform:
		lines = append(lines, st.Title.Render(t.PullPlatformTitle))
		lines = append(lines, indent(wrap(fmt.Sprintf(t.PullServerFmt, oneLine(m.server)), inner), "", st.Dim.Render)...)
		lines = append(lines, m.fields.view()...)
	case spotPullBundle:
		lines = append(lines, st.Title.Render(t.PullBundleTitle))
		lines = append(lines, m.fields.view()...)
	case spotConfirm:
		p, ok := m.selected()
		if !ok {
			return nil
		}
		lines = append(lines, st.Title.Render(t.ConfirmTitle))
		at := p.FinalizedAt.In(report.Zone()).Format("2006-01-02")
		lines = append(lines, wrap(fmt.Sprintf(t.ConfirmReportFmt, m.sh.cat.KindLabel(string(p.Kind)), p.Version, oneLine(p.Assessor.Org), at), inner)...)
		lines = append(lines, wrap(fmt.Sprintf(t.ConfirmEntFmt, oneLine(p.EnterpriseName), p.Enterprise), inner)...)
		switch {
		case m.blind && p.SealReason != "":
			lines = append(lines, indent(wrap(t.ConfirmBlind, inner), "", st.Warn.Render)...)
		case m.blind:
			// Its reports are open here already (a spot-check of the
			// enterprise was finalized): the store records it not blind.
			lines = append(lines, indent(wrap(t.ConfirmSeen, inner), "", st.Warn.Render)...)
		default:
			lines = append(lines, indent(wrap(t.ConfirmNotBlind, inner), "", st.Warn.Render)...)
		}
		if m.sh.ident.Org != "" {
			lines = append(lines, wrap(fmt.Sprintf(t.ConfirmWhoFmt, oneLine(m.sh.ident.Org), oneLine(m.sh.ident.Person)), inner)...)
		}
		lines = append(lines, t.ConfirmAsk)
	case spotResult:
		rl := m.resultLines()
		room := max(m.h-2-2-2, 3) // title and rule, the dialog's border, the message line
		lines = append(lines, st.Title.Render(t.ResultTitle))
		end := min(m.roff+room-1, len(rl))
		lines = append(lines, rl[m.roff:end]...)
		if rest := len(rl) - end; rest > 0 {
			lines = append(lines, st.Dim.Render(fmt.Sprintf(m.sh.tx.MoreBelow, rest)))
		}
	}
	return lines
}

func (m spotModel) help() helpKeys {
	k, h, t := m.sh.keys, m.sh.tx.Help, m.sh.tx.Spot
	switch m.mode {
	case spotPullPlatform, spotPullBundle:
		short := []key.Binding{relabel(k.Enter, t.HelpPull), k.Tab, relabel(k.Back, h.Cancel), k.HelpAlways}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	case spotConfirm:
		short := []key.Binding{relabel(k.Confirm, t.HelpBegin), k.Cancel}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	case spotResult:
		short := []key.Binding{k.Up, k.Down, relabel(k.Enter, t.HelpDismiss)}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	}
	open := relabel(k.Enter, t.HelpStart)
	short := []key.Binding{open, k.PullPlatform, k.PullBundle, k.Audit, k.Up, k.Down, k.Settings, k.Back}
	return helpKeys{short: short, full: [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown},
		{open, k.PullPlatform, k.PullBundle, k.Audit},
		{k.Settings, k.Back, k.Help, k.ForceQuit},
	}}
}

// spotCheckLines tell, at the top of a spot-check's review, which report it
// checks and how (blind or not), without anything of that report's rating.
func spotCheckLines(sh *shared, a model.Assessment, w int) []string {
	if a.Checks == nil {
		return nil
	}
	t := sh.tx.Spot
	mode := t.NotBlindShort
	if a.Checks.Blind {
		mode = t.BlindShort
	}
	s := fmt.Sprintf(t.ReviewChecksFmt, sh.cat.KindLabel(string(a.Checks.Kind)), a.Checks.ID, oneLine(a.Checks.Org), mode)
	return indent(wrap(s, w), "", sh.st.Info.Render)
}

// afterFinalize is where finalizing leads: a spot-check goes on to its
// comparison with the provider's report (the seal is lifted by then).
func afterFinalize(a model.Assessment, status string) *navMsg {
	if a.Checks == nil {
		return nil
	}
	return &navMsg{to: screenCompare, id: a.ID, back: &navMsg{to: screenReview}, status: status}
}

// compare opens the comparison of a spot-check, unless it is a blind
// draft: the provider's report stays sealed until it is finalized.
func (m reviewModel) compare() (reviewModel, tea.Cmd) {
	a := m.sess.a
	switch {
	case a.Checks == nil:
		m.err = m.sh.tx.Spot.NotSpotCheck
	case a.State == model.StateDraft && a.Checks.Blind:
		m.err = fmt.Sprintf(m.sh.tx.Spot.BlindDraftFmt, a.ID)
	default:
		return m, nav(navMsg{to: screenCompare, id: a.ID, back: &navMsg{to: screenReview}})
	}
	return m, nil
}
