// Package ui is digilevel's field terminal UI: a root model that routes
// between one model per screen (identity, welcome, home, enterprise form,
// walk, scenarios, review, sync status, settings).
//
// Rules the code follows: only the root implements tea.Model; each screen
// is a concrete type in its own file whose Update returns its own type, and
// which the root holds through the small screen interface below. All I/O
// runs in commands that capture the values they need; models start no
// goroutines. A write is a command whose success message is what moves the
// screen on, so what the user saw as done is on disk. Text comes from
// [Text], keys from [KeyMap], styles from [Styles].
//
// # Adding a screen
//
// Add a screenID constant, a file with the model and its screen methods,
// and one case in Model.build that makes it from a navMsg. Screens move to
// each other with nav(navMsg{to: ...}); messages meant for more than the
// active screen are handled in Model.route.
package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"digilevel/indicators"
	"digilevel/model"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// MinWidth and MinHeight are the smallest terminal the screens are laid
// out for; below it the UI says so instead of drawing a broken screen.
const (
	MinWidth  = 80
	MinHeight = 24
)

// screen is what the root needs of every screen model.
type screen interface {
	// update handles a message for the active screen.
	update(msg tea.Msg) (screen, tea.Cmd)
	// view draws the screen body (the root adds the status and help lines).
	view() string
	// resized lays the screen out for a body of w x h cells.
	resized(w, h int) screen
	// help lists the screen's keys for the footer and the ? page.
	help() helpKeys
	// capturing reports whether typed letters go to a text field, so they
	// must not act as commands.
	capturing() bool
	// busy reports a write in flight; quitting waits for it.
	busy() bool
}

// shared is what every screen reads. Only ident changes after New, and
// only in the root's Update (when the settings are saved).
type shared struct {
	deps  Deps
	st    *Styles
	keys  *KeyMap
	tx    *Text
	cat   *indicators.Catalog // the default edition, for labels in lists
	ident *model.Assessor
}

// change describes a change made now by the laptop's assessor (else the OS user).
func (sh *shared) change(reason string) model.Change {
	who := sh.ident.Person
	if who == "" {
		who = sh.deps.User
	}
	return model.Change{Who: who, Reason: reason, Now: sh.deps.Now()}
}

// Model is the root model.
type Model struct {
	sh            *shared
	width, height int
	active        screenID
	screens       [screenCount]screen

	// sess is the open assessment, kept while its screens come and go.
	sess     *session
	help     help.Model
	showHelp bool
	status   string
	statusOK bool
	// identityAsked is set once the first-run identity step was shown.
	identityAsked bool
	loaded        struct{ list, ident bool }
	listReadAt    time.Time // when the read of the list on screen began

	quitting bool
	// quitAnyway is set when a save that quitting waited for failed: the
	// next quit key leaves without it, any other key clears it.
	quitAnyway bool
	// syncTag names the one live background send timer; ticks of older
	// timers are dropped, so a manual send does not start a second chain.
	syncTag int
}

// New builds the root model. It does no I/O; Init loads the home list.
func New(d Deps) (Model, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.SyncEvery <= 0 {
		d.SyncEvery = 30 * time.Second
	}
	if d.Context == nil {
		d.Context = context.Background()
	}
	cat, err := indicators.Embedded(indicators.DefaultEdition)
	if err != nil {
		return Model{}, err
	}
	tx := Chinese()
	sh := &shared{deps: d, st: DefaultStyles(), keys: DefaultKeyMap(tx), tx: tx, cat: cat, ident: &model.Assessor{}}
	h := help.New()
	h.Styles = sh.st.Help
	h.ShortSeparator = "  "
	h.FullSeparator = "    "
	h.Ellipsis = ".."
	m := Model{sh: sh, active: screenLoading, help: h, width: MinWidth, height: MinHeight}
	m.screens[screenHome] = newHome(sh)
	m.screens[screenWelcome] = newWelcome(sh)
	m.screens[screenSync] = newSync(sh)
	return m, nil
}

// Init loads the start of the home list and the identity, and starts the
// background sender if there is a platform. The rest of the list loads
// once the first page is on screen (summaryPageMsg).
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{loadSummaryPageCmd(m.sh.deps.Store), loadIdentityCmd(m.sh.deps.Store)}
	if m.sh.deps.Platform != nil {
		cmds = append(cmds, syncTickCmd(m.sh.deps.SyncEvery, m.syncTag))
	}
	return tea.Batch(cmds...)
}

// bodyHeight is what a screen gets: the terminal less the status and help lines.
func (m Model) bodyHeight() int { return max(m.height-2, 3) }

// tooSmall reports a terminal below the minimum size.
func (m Model) tooSmall() bool { return m.width < MinWidth || m.height < MinHeight }

// persistent screens live for the whole run; the others are built on each
// visit at the current size.
func persistent(id screenID) bool {
	return id == screenHome || id == screenWelcome || id == screenSync
}

func (m *Model) resize() {
	h := m.bodyHeight()
	for id, s := range m.screens {
		if s != nil && (persistent(screenID(id)) || screenID(id) == m.active) {
			m.screens[id] = s.resized(m.width, h)
		}
	}
	m.help.Width = m.width
}

// cur is the active screen, or nil while loading.
func (m Model) cur() screen { return m.screens[m.active] }

// Update routes the message, then goes on with a quit that waited for a
// write: whichever screen or message ended the write, the check is here.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	waiting := m.quitting && m.busy()
	m, cmd := m.update(msg)
	if !waiting || m.busy() {
		return m, cmd
	}
	if err := writeErr(msg); err != nil {
		// What is on screen is not on disk: stay, so it is not lost unseen.
		m.quitting, m.quitAnyway = false, true
		m.setStatus(fmt.Sprintf(m.sh.tx.QuitSaveFailed, errText(err), m.sh.keys.ForceQuit.Help().Key), false)
		return m, cmd
	}
	return m.quit()
}

// writeErr is the error of a failed write to the open assessment or the
// enterprise file; nil for other messages.
func writeErr(msg tea.Msg) error {
	switch msg := msg.(type) {
	case savedMsg:
		return msg.err
	case evidenceMsg:
		return msg.err
	case enterpriseSavedMsg:
		return msg.err
	}
	return nil
}

// update handles global keys, then messages for several screens (route),
// then gives the message to the active screen.
func (m Model) update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return m, nil

	case tea.KeyMsg:
		if key.Matches(msg, m.sh.keys.ForceQuit) {
			return m.quit()
		}
		if m.tooSmall() {
			return m, nil // nothing is typed into a screen nobody can read
		}
		m.quitAnyway = false
		if m.quitting {
			return m, nil
		}
		if m.showHelp {
			if key.Matches(msg, m.sh.keys.Help, m.sh.keys.Back, m.sh.keys.Quit) {
				m.showHelp = false
			}
			return m, nil
		}
		if key.Matches(msg, m.sh.keys.HelpAlways) || (!m.capturing() && key.Matches(msg, m.sh.keys.Help)) {
			m.showHelp = true
			return m, nil
		}
		if !m.capturing() && key.Matches(msg, m.sh.keys.Quit) && (m.active == screenHome || m.active == screenWelcome) {
			return m.quit()
		}
		m.status = ""
	}
	if next, cmd, done := m.route(msg); done {
		return next, cmd
	} else {
		m = next
	}
	s := m.cur()
	if s == nil {
		return m, nil
	}
	var cmd tea.Cmd
	m.screens[m.active], cmd = s.update(msg)
	return m, cmd
}

// route handles the messages that concern the root or screens other than
// the active one. done is false when the active screen should see msg too.
func (m Model) route(msg tea.Msg) (Model, tea.Cmd, bool) {
	switch msg := msg.(type) {
	case ShutdownMsg:
		m, cmd := m.quit()
		return m, cmd, true

	case summaryPageMsg:
		if m.loaded.list {
			return m, nil, true // the whole list is already there
		}
		if msg.err != nil {
			m.setStatus(fmt.Sprintf(m.sh.tx.LoadFailed, errText(msg.err)), false)
		}
		m.screens[screenHome] = m.home().setPage(msg.page)
		m.loaded.list = true
		var cmd tea.Cmd
		if msg.err == nil && !msg.page.Complete() {
			// The first frame is drawn from the page; the whole list (for
			// filtering, sorting, scrolling on and the sync screen) loads
			// in the background.
			cmd = loadSummariesCmd(m.sh.deps.Store)
		} else {
			m.screens[screenSync] = m.syncScreen().setSummaries(msg.page.List)
		}
		if m.active == screenLoading || m.active == screenWelcome || m.active == screenHome {
			m = m.landing()
		}
		if m.sh.deps.ExitAfterFirstFrame {
			// The whole list would load after this frame; closing the
			// store would wait for that read, and what is measured is the
			// time to this frame.
			cmd = nil
			if m.loaded.ident {
				cmd = tea.Quit
			}
		}
		return m, cmd, true

	case summariesMsg:
		if msg.readAt.Before(m.listReadAt) {
			return m, nil, true // a newer list is already shown
		}
		m.listReadAt = msg.readAt
		if msg.err != nil {
			m.setStatus(fmt.Sprintf(m.sh.tx.LoadFailed, errText(msg.err)), false)
		}
		m.screens[screenHome] = m.home().setData(msg.list)
		m.screens[screenSync] = m.syncScreen().setSummaries(msg.list)
		m.loaded.list = true
		if m.active == screenLoading || m.active == screenWelcome || m.active == screenHome {
			m = m.landing()
		}
		if m.sh.deps.ExitAfterFirstFrame && m.loaded.ident {
			return m, tea.Quit, true
		}
		return m, nil, true

	case identityMsg:
		if msg.err == nil {
			*m.sh.ident = msg.as
		}
		m.loaded.ident = true
		if m.active == screenLoading || m.active == screenWelcome || m.active == screenHome {
			m = m.landing()
		}
		if m.sh.deps.ExitAfterFirstFrame && m.loaded.list {
			return m, tea.Quit, true
		}
		return m, nil, true

	case identitySavedMsg:
		if msg.err == nil {
			*m.sh.ident = msg.as
		}
		return m, nil, false

	case settingsSavedMsg:
		if msg.err == nil {
			*m.sh.ident = msg.as
		}
		return m, nil, false

	case statusMsg:
		m.setStatus(msg.text, !msg.isErr)
		if w, ok := m.screens[screenWelcome].(welcomeModel); ok {
			w.creating = false
			m.screens[screenWelcome] = w
		}
		return m, nil, true

	case openAssessmentMsg:
		return m, loadSessionCmd(m.sh.deps.Store, msg.id, msg.then), true

	case sessionMsg:
		if msg.err != nil {
			m.setStatus(fmt.Sprintf(m.sh.tx.LoadFailed, errText(msg.err)), false)
			m.active = screenHome
			return m, loadSummariesCmd(m.sh.deps.Store), true
		}
		s := msg.sess
		m.sess = &s
		n := s.resume()
		if msg.then != nil {
			n = *msg.then
		}
		m, cmd := m.navigate(n)
		return m, cmd, true

	case navMsg:
		m, cmd := m.navigate(msg)
		return m, cmd, true

	case savedMsg:
		// A revision arrives with a new ID: the new draft takes over the session.
		if msg.a.ID != "" && m.sess != nil {
			m.sess.a = msg.a
		}
	case evidenceMsg:
		if msg.a.ID != "" && m.sess != nil {
			m.sess.a = msg.a
		}

	case enterpriseSavedMsg:
		if msg.err == nil {
			m.setStatus(fmt.Sprintf(m.sh.tx.FormSaved, Display(msg.e.Name)), true)
			m.active = screenHome
			m.screens[screenHome] = m.home().focusCode(msg.e.Code)
			return m, loadSummariesCmd(m.sh.deps.Store), true
		}

	case syncTickMsg:
		if msg.tag != m.syncTag {
			return m, nil, true
		}
		m, cmd := m.startSend()
		return m, cmd, true

	case sendNowMsg:
		m, cmd := m.startSend()
		return m, cmd, true

	case syncDoneMsg:
		m.screens[screenSync] = m.syncScreen().done(msg)
		m.syncTag++
		cmds := []tea.Cmd{loadSummariesCmd(m.sh.deps.Store), loadOutboxCmd(m.sh.deps.Store, m.sh.deps.Platform)}
		if m.sh.deps.Platform != nil {
			cmds = append(cmds, syncTickCmd(m.sh.deps.SyncEvery, m.syncTag))
		}
		return m, tea.Batch(cmds...), true

	case outboxMsg:
		m.screens[screenSync] = m.syncScreen().setOutbox(msg)
		return m, nil, true
	}
	return m, nil, false
}

// landing picks the first screen once the list and the identity are
// loaded: the identity step on a laptop that does not know who rates with
// it (once per run), else the welcome on an empty database, else home.
func (m Model) landing() Model {
	if !m.loaded.list || !m.loaded.ident {
		return m
	}
	if !m.identityAsked && (m.sh.ident.Org == "" || m.sh.ident.Person == "") && !m.sh.deps.ExitAfterFirstFrame {
		m.identityAsked = true
		m.active = screenIdentity
		m.screens[screenIdentity] = newIdentity(m.sh, m.home().providers(), "", navMsg{to: screenHome}, m.width, m.bodyHeight())
		return m
	}
	if m.active == screenIdentity {
		return m
	}
	if len(m.home().all) == 0 {
		m.active = screenWelcome
	} else {
		m.active = screenHome
	}
	return m
}

func (m Model) home() homeModel       { return m.screens[screenHome].(homeModel) }
func (m Model) syncScreen() syncModel { return m.screens[screenSync].(syncModel) }

// startSend starts a send round unless one is running; its end starts the
// next timer.
func (m Model) startSend() (Model, tea.Cmd) {
	s := m.syncScreen()
	if m.sh.deps.Platform == nil || s.sending {
		return m, nil
	}
	s.sending = true
	m.screens[screenSync] = s
	return m, sendCmd(m.sh.deps.Context, m.sh.deps.Platform)
}

// navigate switches screens, building the target (see build).
func (m Model) navigate(n navMsg) (Model, tea.Cmd) {
	m.status = ""
	if n.status != "" {
		m.setStatus(n.status, !n.statusErr)
	}
	if n.to == screenHome {
		if m.sess != nil {
			m.screens[screenHome] = m.home().focusCode(m.sess.ent.Code)
		}
		m.sess = nil
	}
	s, cmd, ok := m.build(n)
	if !ok {
		return m, nil
	}
	m.screens[n.to] = s
	m.active = n.to
	if n.create != nil {
		cmd = tea.Batch(cmd, createDraftCmd(m.sh, *n.create))
	}
	return m, cmd
}

// build makes the screen a navMsg asks for: persistent screens are reused,
// the others are made at the current size. ok is false when the screen
// needs an open assessment and there is none.
func (m Model) build(n navMsg) (screen, tea.Cmd, bool) {
	w, h := m.width, m.bodyHeight()
	switch n.to {
	case screenHome:
		return m.screens[screenHome], loadSummariesCmd(m.sh.deps.Store), true
	case screenWelcome:
		return m.screens[screenWelcome], nil, true
	case screenSync:
		return m.screens[screenSync], loadOutboxCmd(m.sh.deps.Store, m.sh.deps.Platform), true
	case screenForm:
		f, cmd := newForm(m.sh, n.code, m.home().codes(), w, h)
		return f, cmd, true
	case screenIdentity:
		back := navMsg{to: screenHome}
		if n.back != nil {
			back = *n.back
		}
		return newIdentity(m.sh, m.home().providers(), n.suggest, back, w, h), nil, true
	case screenSettings:
		back := navMsg{to: screenHome}
		if n.back != nil {
			back = *n.back
		}
		s, cmd := newSettings(m.sh, m.home().providers(), back, w, h)
		return s, cmd, true
	case screenSpot:
		s, cmd := newSpot(m.sh, n.code, w, h)
		return s, cmd, true
	case screenCompare, screenAudit:
		back := navMsg{to: screenHome}
		if n.back != nil {
			back = *n.back
		}
		if n.to == screenCompare {
			s, cmd := newCompare(m.sh, n.id, back, w, h)
			return s, cmd, true
		}
		s, cmd := newAudit(m.sh, n.id, back, w, h)
		return s, cmd, true
	case screenProfile:
		p, cmd := newProfile(m.sh, n.code, w, h)
		return p, cmd, true
	}
	if m.sess == nil {
		return nil, nil, false
	}
	switch n.to {
	case screenWalk:
		return newWalk(m.sh, *m.sess, n.q, w, h), nil, true
	case screenScenarios:
		return newScenarios(m.sh, *m.sess, n.scenario, w, h), nil, true
	case screenReview:
		r := newReview(m.sh, *m.sess, w, h)
		cmd := r.load()
		if n.revise {
			var open tea.Cmd
			r, open = r.openRevise()
			cmd = tea.Batch(cmd, open)
		}
		return r, cmd, true
	case screenSurvey:
		back := m.sess.resumeWalk()
		if n.back != nil {
			back = *n.back
		}
		sv, cmd := newSurvey(m.sh, *m.sess, back, w, h)
		return sv, cmd, true
	case screenLists:
		l, cmd := newLists(m.sh, *m.sess, w, h)
		return l, cmd, true
	case screenPlan:
		p, cmd := newPlan(m.sh, *m.sess, w, h)
		return p, cmd, true
	}
	return nil, nil, false
}

// quit saves what the active screen holds unsaved, then quits once no write
// is in flight (Update calls it again when one ends). Every answer the user
// moved past is already on disk.
func (m Model) quit() (Model, tea.Cmd) {
	if m.quitAnyway {
		return m, tea.Quit
	}
	if m.quitting && m.busy() {
		return m, nil
	}
	m.quitting = true
	if f, ok := m.cur().(flusher); ok {
		s, cmd := f.flush()
		m.screens[m.active] = s
		if cmd != nil {
			return m, cmd
		}
	}
	if m.busy() {
		return m, nil
	}
	return m, tea.Quit
}

// flusher is a screen holding typed work that quitting saves first.
type flusher interface {
	flush() (screen, tea.Cmd)
}

func (m Model) busy() bool {
	s := m.cur()
	return s != nil && s.busy()
}

func (m Model) capturing() bool {
	s := m.cur()
	return s != nil && s.capturing()
}

// shortHelp renders as many of the active screen's keys as fit the width,
// always ending with the help key, so "? 帮助" is never cut off;
// bubbles/help misjudges the width of CJK descriptions.
func (m Model) shortHelp() string {
	helpKey := m.sh.keys.Help
	if m.capturing() {
		helpKey = m.sh.keys.HelpAlways
	}
	var bs []key.Binding
	for _, b := range m.keys().ShortHelp() {
		if b.Help() != m.sh.keys.Help.Help() && b.Help() != m.sh.keys.HelpAlways.Help() {
			bs = append(bs, b)
		}
	}
	tail := m.help.ShortHelpView([]key.Binding{helpKey})
	for n := len(bs); n >= 0; n-- {
		v := m.help.ShortHelpView(bs[:n])
		if n < len(bs) {
			v += m.sh.st.Dim.Render("  ...")
		}
		if n > 0 {
			v += "  "
		}
		v += tail
		if width(v) <= m.width {
			return v
		}
	}
	return tail
}

// fullHelp lays the active screen's key groups out in as many columns as
// fit the width, starting a new row of columns when the next would not:
// on a narrow terminal every key stays listed.
func (m Model) fullHelp() string {
	var rows []string
	var row [][]key.Binding
	for _, g := range m.keys().FullHelp() {
		if len(row) > 0 && lipgloss.Width(m.help.FullHelpView(append(row, g))) > m.width {
			rows = append(rows, m.help.FullHelpView(row))
			row = nil
		}
		row = append(row, g)
	}
	if len(row) > 0 {
		rows = append(rows, m.help.FullHelpView(row))
	}
	return strings.Join(rows, "\n\n")
}

func (m *Model) setStatus(s string, ok bool) { m.status, m.statusOK = s, ok }

func (m Model) keys() help.KeyMap {
	if s := m.cur(); s != nil {
		return s.help()
	}
	return helpKeys{}
}

// View draws the active screen, a status line and the short help. A status
// too long for one line takes more lines from the bottom of the body: it is
// wrapped, never cut.
func (m Model) View() string {
	if m.tooSmall() {
		return m.tooSmallView()
	}
	h := m.bodyHeight()
	var body string
	switch {
	case m.showHelp:
		body = m.sh.st.Title.Render(m.sh.tx.Help.Help) + "\n\n" + m.fullHelp()
	case m.cur() == nil:
		body = m.sh.st.Dim.Render(m.sh.tx.Loading)
	default:
		body = m.cur().view()
	}
	var status []string
	if m.status != "" {
		st := m.sh.st.Error
		if m.statusOK {
			st = m.sh.st.Info
		}
		for _, l := range wrap(m.status, m.width) {
			status = append(status, st.Render(l))
		}
		status = clipLines(status, 3)
	} else {
		status = []string{""}
	}
	bh := h + 1 - len(status)
	lines := strings.Split(body, "\n")
	lines = clipLines(lines, bh)
	for len(lines) < bh {
		lines = append(lines, "")
	}
	lines = append(lines, status...)
	lines = append(lines, m.shortHelp())
	// No clipping to the width here: the golden tests check every line fits,
	// and bubbletea cuts at the terminal edge anyway.
	return strings.Join(lines, "\n")
}

// tooSmallView says how big the terminal must be, in as few cells as fit.
func (m Model) tooSmallView() string {
	t := m.sh.tx
	msg := fmt.Sprintf(t.TooSmallFmt, m.width, m.height, MinWidth, MinHeight)
	lines := wrap(msg, max(m.width, 2))
	lines = append(lines, wrap(t.TooSmallHint, max(m.width, 2))...)
	return strings.Join(clipLines(lines, max(m.height, 1)), "\n")
}
