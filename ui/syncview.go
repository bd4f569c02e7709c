package ui

import (
	"fmt"
	"strings"

	"digilevel/model"
	"digilevel/storage"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// syncModel shows the send queue: counts by state and each waiting item
// with its last error. Sending itself is the root's background command.
type syncModel struct {
	sh      *shared
	list    []storage.EnterpriseSummary
	items   []storage.OutboxItem
	loadErr error
	opened  bool // the outbox was loaded once; names, labels and sent follow both lists

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

func (m *syncModel) SetSize(w, h int) { m.w, m.h = w, h }

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
	if msg.err != nil {
		m.result, m.failed = fmt.Sprintf(m.sh.tx.SyncFailedFmt, msg.err), true
	} else {
		m.result, m.failed = fmt.Sprintf(m.sh.tx.SyncResultFmt, msg.res.Sent, msg.res.Failed, msg.res.Rejected), false
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
	case key.Matches(k, keys.SendNow):
		if m.sh.deps.Sender != nil && !m.sending {
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
	out := []string{st.Header.Render(t.SyncTitle), st.Rule.Render(strings.Repeat("─", m.w))}
	if m.sh.deps.Sender == nil {
		for _, l := range wrap(t.SyncNoSender, m.w) {
			out = append(out, st.Warn.Render(l))
		}
	}
	var queued, failed, rejected int
	for _, it := range m.items {
		switch it.State {
		case model.StateSendFailed:
			failed++
		case model.StateRejected:
			rejected++
		default:
			queued++
		}
	}
	out = append(out, "", st.Title.Render(fmt.Sprintf(t.SyncCountsFmt, queued, failed, rejected, m.sent)))
	switch {
	case m.sending:
		out = append(out, st.Dim.Render(t.SyncSending))
	case m.result != "":
		style := st.OK
		if m.failed {
			style = st.Error
		}
		out = append(out, style.Render(truncate(Display(m.result), m.w)))
	}
	if m.loadErr != nil {
		out = append(out, st.Error.Render(truncate(Display(fmt.Sprintf(t.LoadFailed, m.loadErr)), m.w)))
	}
	out = append(out, "", st.Title.Render(t.SyncItemsTitle))
	if len(m.items) == 0 {
		out = append(out, "  "+st.Dim.Render(t.SyncEmpty))
	}
	nameW := min(max(m.w-2-8-2-10-2-16-2, 10), 40)
	for i := m.offset; i < len(m.items); i++ {
		it := m.items[i]
		name := m.names[it.Enterprise]
		if name == "" {
			name = it.Enterprise
		}
		line := "  " + pad(Display(name), nameW) + "  " + pad(it.State.Label(), 8) + "  " + pad(fmt.Sprintf(t.SyncAttemptsFmt, it.Attempts), 10) + "  " + m.label(it.AssessmentID)
		out = append(out, truncate(line, m.w))
		if it.LastError != "" {
			for _, l := range wrap(it.LastError, m.w-6) {
				out = append(out, "      "+st.Error.Render(l))
			}
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
	if m.sh.deps.Sender != nil {
		short = append(short, k.SendNow)
	}
	short = append(short, k.Back, k.Help)
	return helpKeys{short: short, full: [][]key.Binding{short, {k.ForceQuit}}}
}
