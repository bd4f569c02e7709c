// Package ui is digilevel's field terminal UI: a root model that routes
// between one model per screen (welcome, home, enterprise form, walk,
// scenarios, review, sync status).
//
// Rules the code follows: only the root implements tea.Model; screens are
// concrete types whose Update returns their own type. All I/O runs in
// commands that capture the values they need; models start no goroutines.
// A write is a command whose success message is what moves the screen on,
// so what the user saw as done is on disk. Text comes from [Text], keys from
// [KeyMap], styles from [Styles].
package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"digilevel/indicators"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// shared is what every screen reads and nobody changes after New.
type shared struct {
	deps Deps
	st   *Styles
	keys *KeyMap
	tx   *Text
	cat  *indicators.Catalog // the default edition, for labels in lists
}

// Model is the root model.
type Model struct {
	sh            *shared
	width, height int
	screen        screenID

	welcome welcomeModel
	home    homeModel
	form    formModel
	walk    walkModel
	scen    scenariosModel
	review  reviewModel
	sync    syncModel

	sess     *session
	help     help.Model
	showHelp bool
	status   string
	statusOK bool

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
	sh := &shared{deps: d, st: DefaultStyles(), keys: DefaultKeyMap(tx), tx: tx, cat: cat}
	h := help.New()
	h.Styles = sh.st.Help
	h.ShortSeparator = "  "
	h.FullSeparator = "    "
	h.Ellipsis = ".."
	m := Model{sh: sh, screen: screenLoading, help: h, width: 80, height: 24}
	m.home = newHome(sh)
	m.welcome = newWelcome(sh)
	m.sync = newSync(sh)
	return m, nil
}

// Init loads the home list and starts the background sender if there is one.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{loadSummariesCmd(m.sh.deps.Store)}
	if m.sh.deps.Sender != nil {
		cmds = append(cmds, syncTickCmd(m.sh.deps.SyncEvery, m.syncTag))
	}
	return tea.Batch(cmds...)
}

// bodyHeight is what a screen gets: the terminal less the status and help lines.
func (m Model) bodyHeight() int { return max(m.height-2, 3) }

// resize sizes welcome, home and sync, which live for the whole run, and
// the active one of the others: those are built at the current size on
// each visit, so resizing a stale one (re-scoring a review no longer
// shown) would be wasted.
func (m *Model) resize() {
	h := m.bodyHeight()
	m.welcome.SetSize(m.width, h)
	m.home.SetSize(m.width, h)
	m.sync.SetSize(m.width, h)
	switch m.screen {
	case screenForm:
		m.form.SetSize(m.width, h)
	case screenWalk:
		m.walk.SetSize(m.width, h)
	case screenScenarios:
		m.scen.SetSize(m.width, h)
	case screenReview:
		m.review.SetSize(m.width, h)
	}
	m.help.Width = m.width
}

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
		m.setStatus(fmt.Sprintf(m.sh.tx.QuitSaveFailed, err, m.sh.keys.ForceQuit.Help().Key), false)
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
	case enterpriseSavedMsg:
		return msg.err
	}
	return nil
}

// update routes: global keys, then cross-screen messages, then the active screen.
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
		if !m.capturing() {
			switch {
			case key.Matches(msg, m.sh.keys.Help):
				m.showHelp = true
				return m, nil
			case key.Matches(msg, m.sh.keys.Quit) && (m.screen == screenHome || m.screen == screenWelcome):
				return m.quit()
			}
		}
		m.status = ""

	case ShutdownMsg:
		return m.quit()

	case summariesMsg:
		if msg.err != nil {
			m.setStatus(fmt.Sprintf(m.sh.tx.LoadFailed, msg.err), false)
		}
		m.home = m.home.setData(msg.list)
		m.sync = m.sync.setSummaries(msg.list)
		if m.screen == screenLoading || m.screen == screenWelcome || m.screen == screenHome {
			if len(msg.list) == 0 && msg.err == nil {
				m.screen = screenWelcome
			} else {
				m.screen = screenHome
			}
		}
		if m.sh.deps.ExitAfterFirstFrame {
			return m, tea.Quit
		}
		return m, nil

	case statusMsg:
		m.setStatus(msg.text, !msg.isErr)
		m.welcome.busy = false
		return m, nil

	case openAssessmentMsg:
		return m, loadSessionCmd(m.sh.deps.Store, msg.id)

	case sessionMsg:
		if msg.err != nil {
			m.setStatus(fmt.Sprintf(m.sh.tx.LoadFailed, msg.err), false)
			m.screen = screenHome
			return m, loadSummariesCmd(m.sh.deps.Store)
		}
		s := msg.sess
		m.sess = &s
		return m.navigate(s.resume())

	case navMsg:
		return m.navigate(msg)

	case savedMsg:
		// A revision arrives with a new ID: the new draft takes over the session.
		if msg.a.ID != "" && m.sess != nil {
			m.sess.a = msg.a
		}

	case enterpriseSavedMsg:
		if msg.err == nil {
			m.setStatus(fmt.Sprintf(m.sh.tx.FormSaved, msg.e.Name), true)
			m.screen = screenHome
			m.home = m.home.focusCode(msg.e.Code)
			return m, loadSummariesCmd(m.sh.deps.Store)
		}

	case syncTickMsg:
		if msg.tag != m.syncTag {
			return m, nil
		}
		return m.startSend()

	case sendNowMsg:
		return m.startSend()

	case syncDoneMsg:
		m.sync = m.sync.done(msg)
		m.syncTag++
		cmds := []tea.Cmd{loadSummariesCmd(m.sh.deps.Store), loadOutboxCmd(m.sh.deps.Store)}
		if m.sh.deps.Sender != nil {
			cmds = append(cmds, syncTickCmd(m.sh.deps.SyncEvery, m.syncTag))
		}
		return m, tea.Batch(cmds...)

	case outboxMsg:
		m.sync = m.sync.setOutbox(msg)
		return m, nil
	}

	var cmd tea.Cmd
	switch m.screen {
	case screenWelcome:
		m.welcome, cmd = m.welcome.Update(msg)
	case screenHome:
		m.home, cmd = m.home.Update(msg)
	case screenForm:
		m.form, cmd = m.form.Update(msg)
	case screenWalk:
		m.walk, cmd = m.walk.Update(msg)
	case screenScenarios:
		m.scen, cmd = m.scen.Update(msg)
	case screenReview:
		m.review, cmd = m.review.Update(msg)
	case screenSync:
		m.sync, cmd = m.sync.Update(msg)
	}
	return m, cmd
}

// startSend starts a send round unless one is running; its end starts the
// next timer.
func (m Model) startSend() (Model, tea.Cmd) {
	if m.sh.deps.Sender == nil || m.sync.sending {
		return m, nil
	}
	m.sync.sending = true
	return m, sendCmd(m.sh.deps.Context, m.sh.deps.Sender)
}

// navigate switches screens, building the target from the open session.
func (m Model) navigate(n navMsg) (Model, tea.Cmd) {
	m.status = ""
	h := m.bodyHeight()
	switch n.to {
	case screenHome:
		m.screen = screenHome
		if m.sess != nil {
			m.home = m.home.focusCode(m.sess.ent.Code)
		}
		m.sess = nil
		return m, loadSummariesCmd(m.sh.deps.Store)
	case screenForm:
		var cmd tea.Cmd
		m.form, cmd = newForm(m.sh, n.code, m.width, h)
		m.screen = screenForm
		return m, cmd
	case screenSync:
		m.screen = screenSync
		return m, loadOutboxCmd(m.sh.deps.Store)
	case screenWalk:
		if m.sess == nil {
			return m, nil
		}
		m.walk = newWalk(m.sh, *m.sess, n.q, m.width, h)
		m.screen = screenWalk
	case screenScenarios:
		if m.sess == nil {
			return m, nil
		}
		m.scen = newScenarios(m.sh, *m.sess, n.scenario, m.width, h)
		m.screen = screenScenarios
	case screenReview:
		if m.sess == nil {
			return m, nil
		}
		m.review = newReview(m.sh, *m.sess, m.width, h)
		m.screen = screenReview
	}
	return m, nil
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
	if m.screen == screenWalk {
		var cmd tea.Cmd
		m.walk, cmd = m.walk.flush()
		if cmd != nil {
			return m, cmd
		}
	}
	if m.busy() {
		return m, nil
	}
	return m, tea.Quit
}

func (m Model) busy() bool {
	switch m.screen {
	case screenWalk:
		return m.walk.saving
	case screenScenarios:
		return m.scen.saving
	case screenReview:
		return m.review.saving
	case screenForm:
		return m.form.saving
	}
	return false
}

// capturing reports whether the active screen is reading text, so letters
// must go to it rather than act as commands.
func (m Model) capturing() bool {
	switch m.screen {
	case screenHome:
		return m.home.capturing()
	case screenForm:
		return true
	case screenWalk:
		return m.walk.capturing()
	case screenReview:
		return m.review.capturing()
	}
	return false
}

// shortHelp renders as many of the active screen's keys as fit the width;
// bubbles/help misjudges the width of CJK descriptions.
func (m Model) shortHelp() string {
	bs := m.keys().ShortHelp()
	for n := len(bs); n > 0; n-- {
		v := m.help.ShortHelpView(bs[:n])
		if n < len(bs) {
			v += m.sh.st.Dim.Render("  ..")
		}
		if width(v) <= m.width {
			return v
		}
	}
	return ""
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
	switch m.screen {
	case screenWelcome:
		return m.welcome.help()
	case screenHome:
		return m.home.help()
	case screenForm:
		return m.form.help()
	case screenWalk:
		return m.walk.help()
	case screenScenarios:
		return m.scen.help()
	case screenReview:
		return m.review.help()
	case screenSync:
		return m.sync.help()
	}
	return helpKeys{}
}

// View draws the active screen, a status line and the short help.
func (m Model) View() string {
	h := m.bodyHeight()
	var body string
	switch {
	case m.showHelp:
		body = m.sh.st.Title.Render(m.sh.tx.Help.Help) + "\n\n" + m.fullHelp()
	case m.screen == screenLoading:
		body = m.sh.st.Dim.Render(m.sh.tx.Loading)
	case m.screen == screenWelcome:
		body = m.welcome.View()
	case m.screen == screenHome:
		body = m.home.View()
	case m.screen == screenForm:
		body = m.form.View()
	case m.screen == screenWalk:
		body = m.walk.View()
	case m.screen == screenScenarios:
		body = m.scen.View()
	case m.screen == screenReview:
		body = m.review.View()
	case m.screen == screenSync:
		body = m.sync.View()
	}
	lines := strings.Split(body, "\n")
	lines = clipLines(lines, h)
	for len(lines) < h {
		lines = append(lines, "")
	}
	status := ""
	if m.status != "" {
		st := m.sh.st.Error
		if m.statusOK {
			st = m.sh.st.Info
		}
		status = st.Render(truncate(Display(m.status), m.width))
	}
	helpLine := m.shortHelp()
	lines = append(lines, status, helpLine)
	// No clipping to the width here: the golden tests check every line fits,
	// and bubbletea cuts at the terminal edge anyway.
	return strings.Join(lines, "\n")
}
