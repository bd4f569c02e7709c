package ui

import (
	"fmt"
	"strings"

	"digilevel/model"
	"digilevel/report"
	"digilevel/storage"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// syncModel shows the send queue: where it goes (the platform address),
// whether sending is paused and why, counts by state, and each waiting
// item with its last error in Chinese. Sending itself is the root's
// background command; the screen reloads after every round.
type syncModel struct {
	sh       *shared
	list     []storage.EnterpriseSummary
	items    []storage.OutboxItem
	platform PlatformStatus
	loadErr  error
	opened   bool // the outbox was loaded once; names, labels and sent follow both lists

	names  map[string]string // credit code -> name
	labels map[string]string // assessment ID -> "改造前诊断 v1"
	sent   int

	sending bool
	result  string
	failed  bool
	offset  int
	w, h    int
}

func newSync(sh *shared) syncModel { return syncModel{sh: sh} }

func (m syncModel) update(msg tea.Msg) (screen, tea.Cmd) { return m.Update(msg) }
func (m syncModel) view() string                         { return m.View() }
func (m syncModel) capturing() bool                      { return false }
func (m syncModel) busy() bool                           { return false }
func (m syncModel) resized(w, h int) screen {
	m.w, m.h = w, h
	return m
}

// setSummaries keeps the list; names are looked up once the outbox has
// loaded, so the home screen's first frame does not pay for maps of 10,000
// names.
func (m syncModel) setSummaries(list []storage.EnterpriseSummary) syncModel {
	m.list = list
	if m.opened {
		m = m.index()
	}
	return m
}

func (m syncModel) setOutbox(msg outboxMsg) syncModel {
	m.items, m.loadErr, m.opened = msg.items, msg.err, true
	m.platform = msg.platform
	m.offset = min(m.offset, max(len(m.items)-1, 0))
	return m.index()
}

// index derives names, labels and the sent count from the summaries and
// the outbox, whichever of the two arrived last.
func (m syncModel) index() syncModel {
	want := map[string]bool{}
	for _, it := range m.items {
		want[it.AssessmentID] = true
	}
	m.names, m.labels, m.sent = map[string]string{}, map[string]string{}, 0
	for _, s := range m.list {
		for _, a := range s.Assessments {
			if a.State == model.StateSent {
				m.sent++
			}
			if want[a.ID] {
				m.names[s.Code] = s.Name
				m.labels[a.ID] = fmt.Sprintf("%s v%d", m.sh.cat.KindLabel(string(a.Kind)), a.Version)
			}
		}
	}
	return m
}

func (m syncModel) done(msg syncDoneMsg) syncModel {
	m.sending = false
	t := m.sh.tx
	switch {
	case msg.err == nil && msg.res.Skipped:
	case msg.err != nil:
		m.result, m.failed = fmt.Sprintf(t.SyncFailedFmt, errText(msg.err)), true
	case msg.res.Paused:
		m.result, m.failed = fmt.Sprintf(t.SyncPausedFmt, oneLine(msg.res.PauseReason)), true
	default:
		m.result, m.failed = fmt.Sprintf(t.SyncResultFmt, msg.res.Sent, msg.res.Failed, msg.res.Rejected, msg.res.Held), false
	}
	return m
}

func (m syncModel) Update(msg tea.Msg) (syncModel, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	keys := m.sh.keys
	switch {
	case key.Matches(k, keys.Back):
		return m, nav(navMsg{to: screenHome})
	case key.Matches(k, keys.Settings):
		return m, nav(navMsg{to: screenSettings, back: &navMsg{to: screenSync}})
	case key.Matches(k, keys.SendNow):
		if m.sh.deps.Platform != nil && m.platform.Configured() && !m.sending {
			return m, func() tea.Msg { return sendNowMsg{} }
		}
	case key.Matches(k, keys.Up):
		m.offset = max(m.offset-1, 0)
	case key.Matches(k, keys.Down):
		m.offset = min(m.offset+1, max(len(m.items)-1, 0))
	}
	return m, nil
}

func (m syncModel) View() string {
	st, t := m.sh.st, m.sh.tx
	w := m.w
	out := []string{st.Header.Render(t.SyncTitle), st.Rule.Render(strings.Repeat("─", w))}
	add := func(style func(...string) string, s string, prefix string) {
		for _, l := range wrap(s, w-width(prefix)) {
			out = append(out, prefix+style(l))
		}
	}
	switch {
	case m.sh.deps.Platform == nil:
		add(st.Warn.Render, t.NoPlatform, "")
	case !m.platform.Configured():
		add(st.Warn.Render, t.SyncNotConfigured, "")
	default:
		add(st.Dim.Render, fmt.Sprintf(t.SyncServerFmt, m.platform.Server), "")
	}
	if m.platform.PauseReason != "" {
		at := ""
		if !m.platform.PausedAt.IsZero() {
			at = m.platform.PausedAt.In(report.Zone()).Format("01-02 15:04")
		}
		add(st.Error.Render, fmt.Sprintf(t.SyncPausedAtFmt, at, oneLine(m.platform.PauseReason)), "")
		add(st.Warn.Render, t.SyncPausedHint, "")
	}
	var queued, failed, rejected, held int
	for _, it := range m.items {
		switch it.State {
		case model.StateSendFailed:
			failed++
		case model.StateRejected:
			rejected++
		case model.StateHeld:
			held++
		default:
			queued++
		}
	}
	out = append(out, "", st.Title.Render(fmt.Sprintf(t.SyncCountsFmt, queued, failed, rejected, held, m.sent)))
	switch {
	case m.sending:
		out = append(out, st.Dim.Render(t.SyncSending))
	case m.result != "":
		style := st.OK.Render
		if m.failed {
			style = st.Error.Render
		}
		add(style, m.result, "")
	}
	if m.loadErr != nil {
		add(st.Error.Render, fmt.Sprintf(t.LoadFailed, errText(m.loadErr)), "")
	}
	out = append(out, "", st.Title.Render(t.SyncItemsTitle))
	if len(m.items) == 0 {
		out = append(out, "  "+st.Dim.Render(t.SyncEmpty))
	}
	for i := m.offset; i < len(m.items); i++ {
		it := m.items[i]
		name := m.names[it.Enterprise]
		if name == "" {
			name = it.Enterprise
		}
		tries := t.SyncNotTried
		if it.Attempts > 0 {
			tries = fmt.Sprintf(t.SyncAttemptsFmt, it.Attempts)
		}
		line := oneLine(name) + " ・ " + m.label(it.AssessmentID) + " ・ " + it.State.Label() + " ・ " + tries
		for j, l := range wrap(line, w-2) {
			if j == 0 {
				out = append(out, "  "+l)
			} else {
				out = append(out, "    "+l)
			}
		}
		if reason := it.LastError; reason != "" {
			if it.State == model.StateHeld {
				// The stored reason ends with what to do at the command
				// line; the hint below says it for this screen.
				if i := strings.Index(reason, "处理办法"); i > 0 {
					reason = reason[:i]
				}
			}
			add(st.Error.Render, oneLine(reason), "      ")
		}
		switch it.State {
		case model.StateRejected:
			add(st.Warn.Render, t.SyncRejectedHint, "      ")
		case model.StateHeld:
			add(st.Warn.Render, t.SyncHeldHint, "      ")
		}
	}
	return strings.Join(out, "\n")
}

// label names an assessment by kind and version; the ID is random and long.
func (m syncModel) label(id string) string {
	if l, ok := m.labels[id]; ok {
		return l
	}
	return id
}

func (m syncModel) help() helpKeys {
	k := m.sh.keys
	short := []key.Binding{k.Up, k.Down}
	if m.sh.deps.Platform != nil && m.platform.Configured() {
		short = append(short, k.SendNow)
	}
	short = append(short, k.Settings, k.Back, k.Help)
	return helpKeys{short: short, full: [][]key.Binding{short, {k.ForceQuit}}}
}
