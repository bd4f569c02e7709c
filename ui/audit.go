package ui

import (
	"fmt"
	"strings"
	"time"

	"digilevel/model"
	"digilevel/report"
	"digilevel/storage"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// auditModel shows the full history of an assessment chain
// (storage.AuditTrail, the same record `assessment audit` prints): every
// version, this laptop's own or pulled, with its revision reason, who
// rated on which device, when it was created and finalized, its score and
// level (not while a blind spot-check seals a pulled one), the report's
// SHA-256, the platform's receipt or where it was pulled from, its audit
// log (who, when, what, from what to what, why), and the spot-checks of
// any version.
type auditModel struct {
	sh    *shared
	id    string
	back  navMsg
	trail *storage.AuditTrail
	err   string
	page  pager
	w, h  int
}

// trailMsg carries a loaded audit trail.
type trailMsg struct {
	trail storage.AuditTrail
	err   error
}

func newAudit(sh *shared, id string, back navMsg, w, h int) (auditModel, tea.Cmd) {
	st := sh.deps.Store
	return auditModel{sh: sh, id: id, back: back, w: w, h: h, page: pager{h: h - 2}}, func() tea.Msg {
		t, err := st.AuditTrail(id)
		return trailMsg{trail: t, err: err}
	}
}

func (m auditModel) update(msg tea.Msg) (screen, tea.Cmd) { return m.Update(msg) }
func (m auditModel) view() string                         { return m.View() }
func (m auditModel) capturing() bool                      { return false }
func (m auditModel) busy() bool                           { return false }
func (m auditModel) resized(w, h int) screen {
	m.w, m.h = w, h
	m.page.resize(h - 2) // below the title and the rule
	m.rebuild()
	return m
}

func (m auditModel) Update(msg tea.Msg) (auditModel, tea.Cmd) {
	switch msg := msg.(type) {
	case trailMsg:
		if msg.err != nil {
			m.err = errText(msg.err)
			return m, nil
		}
		m.trail = &msg.trail
		m.rebuild()
	case tea.KeyMsg:
		if key.Matches(msg, m.sh.keys.Back) {
			return m, nav(m.back)
		}
		m.page.scroll(m.sh.keys, msg)
	}
	return m, nil
}

// beijing is a time as people read it here.
func beijing(t time.Time) string { return t.In(report.Zone()).Format("2006-01-02 15:04") }

func (m *auditModel) rebuild() {
	if m.trail == nil {
		return
	}
	st, t, tr := m.sh.st, m.sh.tx.Spot, m.trail
	w := m.w
	var out []string
	add := func(s ...string) { out = append(out, s...) }
	add(indent(wrap(oneLine(tr.Enterprise.Name)+"  "+tr.Enterprise.Code, w), "", st.Title.Render)...)
	add(st.Dim.Render(fmt.Sprintf(t.AuditVersions, len(tr.Versions))))
	if tr.Sealed { // the store's reason names commands; this screen says it its way
		add(indent(wrap(t.SealedNote, w), "", st.Warn.Render)...)
	}
	version := func(v storage.TrailVersion) {
		origin := t.AuditOriginLocal
		if v.Origin == storage.OriginPulled {
			origin = t.AuditOriginPulled
		}
		head := fmt.Sprintf(t.AuditVersionFmt, v.Version, v.ID, origin)
		if v.ID == tr.Requested {
			head = "▸ " + head
		} else {
			head = "  " + head
		}
		add("", st.Title.Render(head))
		item := func(s string, style func(...string) string) {
			add(indent(hang(wrap(s, w-6), "", "  "), "    ", style)...)
		}
		item(fmt.Sprintf(t.AuditByFmt, oneLine(v.Assessor.Org), oneLine(v.Assessor.Person), oneLine(v.Device)), st.Dim.Render)
		if v.Replaces != "" {
			reason := oneLine(v.RevisionReason)
			if tr.Sealed && v.Origin == storage.OriginPulled {
				reason = t.Sealed // the provider's reason may tell an answer
			}
			item(fmt.Sprintf(t.AuditReviseFmt, v.Replaces, reason), st.Info.Render)
		}
		if v.Checks != nil {
			item(fmt.Sprintf(t.AuditChecksFmt, v.Checks.ID, oneLine(v.Checks.Org), v.Checks.BlindText()), st.Info.Render)
		}
		facts := []string{fmt.Sprintf(t.AuditCreatedFmt, beijing(v.CreatedAt))}
		if v.State != "" {
			facts = append(facts, fmt.Sprintf(t.AuditStateFmt, v.State.Label()))
		}
		if !v.FinalizedAt.IsZero() {
			facts = append(facts, fmt.Sprintf(t.AuditFinalFmt, beijing(v.FinalizedAt)))
		}
		switch {
		case v.Level != nil && v.Score != nil:
			facts = append(facts, fmt.Sprintf(t.AuditScoreFmt, *v.Score, m.sh.cat.LevelName(*v.Level)))
		case v.Origin == storage.OriginPulled:
			facts = append(facts, t.AuditSealed)
		}
		item(strings.Join(facts, " ・ "), func(s ...string) string { return strings.Join(s, "") })
		if v.ReportSHA256 != "" {
			item(fmt.Sprintf(t.AuditSHAFmt, v.ReportSHA256), st.Dim.Render)
		}
		if v.Receipt != nil {
			item(fmt.Sprintf(t.AuditReceiptFmt, oneLine(v.Receipt.Server), v.Receipt.ServerSeq, beijing(v.Receipt.ReceivedAt)), st.OK.Render)
		}
		if v.Pulled != nil {
			s := fmt.Sprintf(t.AuditPulledFmt, oneLine(v.Pulled.Text()))
			if !v.Pulled.ReceivedAt.IsZero() {
				s += fmt.Sprintf(t.AuditPulledAtFmt, beijing(v.Pulled.ReceivedAt))
			}
			item(s, st.Dim.Render)
		}
		if v.ReplacedBy != "" {
			item(fmt.Sprintf(t.AuditReplacedFmt, v.ReplacedBy), st.Warn.Render)
		}
	}
	for _, v := range tr.Versions {
		version(v)
	}
	add("", st.Title.Render(fmt.Sprintf(t.AuditSpotsFmt, len(tr.SpotChecks))))
	if len(tr.SpotChecks) == 0 {
		add("  " + st.Dim.Render(t.AuditNoSpots))
	}
	for _, v := range tr.SpotChecks {
		version(v)
	}
	// The logs last: the chain and its spot-checks stay on the first pages.
	add("", st.Title.Render(t.AuditLogsTitle))
	for _, v := range append(append([]storage.TrailVersion{}, tr.Versions...), tr.SpotChecks...) {
		add(indent(wrap(fmt.Sprintf(t.AuditLogFmt, m.sh.cat.KindLabel(string(v.Kind)), v.Version, v.ID, len(v.Log)), w-2), "  ", st.Dim.Render)...)
		for _, e := range v.Log {
			add(hang(wrap(m.entry(e), w-6), "    ", "      ")...)
		}
	}
	m.page.set(out)
}

// entry is one audit log line: when, who, what, from what to what, why.
func (m auditModel) entry(e model.AuditEntry) string {
	t := m.sh.tx.Spot
	action := t.Actions[e.Action]
	if action == "" {
		action = e.Action
	}
	switch e.Action {
	case model.ActionState, model.ActionFinalize:
		// State changes are stored as state names; people read labels.
		e.Old, e.New = model.State(e.Old).Label(), model.State(e.New).Label()
	case model.ActionCreate:
		// The kind created, as stored ("spotcheck（盲评）").
		for _, k := range []model.Kind{model.KindBaseline, model.KindAcceptance, model.KindSpotCheck} {
			if rest, ok := strings.CutPrefix(e.New, string(k)); ok {
				e.New = m.sh.cat.KindLabel(string(k)) + rest
				break
			}
		}
	}
	line := fmt.Sprintf(t.AuditEntryFmt, beijing(e.At), oneLine(e.Who), action)
	if e.Item != "" {
		line += " " + oneLine(e.Item)
	}
	switch {
	case e.Old != "" && e.New != "":
		line += ": " + oneLine(e.Old) + " -> " + oneLine(e.New)
	case e.New != "":
		line += ": " + oneLine(e.New)
	case e.Old != "":
		line += ": " + oneLine(e.Old) + " -> "
	}
	if e.Reason != "" {
		line += "（" + oneLine(e.Reason) + "）"
	}
	return line
}

func (m auditModel) View() string {
	st, t := m.sh.st, m.sh.tx.Spot
	w := m.w
	kind := ""
	if m.trail != nil {
		kind = m.sh.cat.KindLabel(string(m.trail.Kind))
	}
	title := truncate(fmt.Sprintf(t.AuditTitleFmt, kind), w)
	out := []string{st.Header.Render(title), st.Rule.Render(strings.Repeat("─", w))}
	switch {
	case m.err != "":
		out = append(out, indent(wrap(m.err, w), "", st.Error.Render)...)
		return strings.Join(out, "\n")
	case m.trail == nil:
		out = append(out, st.Dim.Render(m.sh.tx.Loading))
		return strings.Join(out, "\n")
	}
	out = append(out, m.page.view(st, m.sh.tx)...)
	return strings.Join(out, "\n")
}

func (m auditModel) help() helpKeys {
	k := m.sh.keys
	short := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Back}
	return helpKeys{short: short, full: [][]key.Binding{short, {k.Help, k.ForceQuit}}}
}
