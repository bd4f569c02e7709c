package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"digilevel/attach"
	"digilevel/model"
	"digilevel/report"
	"digilevel/storage"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// settingsModel edits this laptop's settings: who rates (评测人, 评测机构),
// the platform address and token (with a connection check that also says
// whether the token's provider is the organisation reports are signed
// with), the evidence size limit and the export folder; and it backs the
// database up while the TUI holds it.
type settingsModel struct {
	sh                                     *shared
	fields                                 fieldSet
	person, org, server, token, limit, dir int

	// The buttons after the fields, in focus order.
	buttons []settingsButton
	// adopt is the token's provider when it differs from the organisation.
	adopt string

	backingUp bool // the backup path field is open
	backup    field
	confirm   bool // esc on a changed form: discard?

	loading bool
	working string // what runs: saving, checking, backing up
	err     string
	info    string
	warn    string
	back    navMsg
	w, h    int
}

type settingsButton int

const (
	buttonSave settingsButton = iota
	buttonCheck
	buttonAdopt
	buttonBackup
)

// settingsLoadedMsg carries the stored settings.
type settingsLoadedMsg struct {
	values map[string]string
	err    error
}

// settingsSavedMsg reports a save; check asks for the connection check next.
type settingsSavedMsg struct {
	as    model.Assessor
	check bool
	err   error
}

// whoamiMsg is the result of the connection check.
type whoamiMsg struct {
	info TokenInfo
	err  error
}

// backupMsg is the result of a backup.
type backupMsg struct {
	path string
	size int64
	err  error
}

func newSettings(sh *shared, providers []string, back navMsg, w, h int) (settingsModel, tea.Cmd) {
	m := settingsModel{sh: sh, back: back, loading: true, w: w, h: h}
	st := sh.deps.Store
	return m, func() tea.Msg {
		values := map[string]string{}
		for _, k := range []string{storage.SettingAssessorPerson, storage.SettingAssessorOrg, storage.SettingServerURL,
			storage.SettingToken, storage.SettingEvidenceLimit, storage.SettingExportDir} {
			v, err := st.Setting(k)
			if err != nil {
				return settingsLoadedMsg{err: err}
			}
			values[k] = v
		}
		return settingsLoadedMsg{values: values}
	}
}

// build makes the fields from the stored values.
func (m settingsModel) build(v map[string]string) settingsModel {
	t := m.sh.tx
	m.fields = fieldSet{sh: m.sh}
	m.person = m.fields.add(newField(m.sh, t.FieldPerson, v[storage.SettingAssessorPerson], t.PersonHint, model.MaxAssessorPerson))
	org := newField(m.sh, t.FieldOrg, v[storage.SettingAssessorOrg], t.OrgHint, model.MaxAssessorOrg)
	org.hint = t.OrgHint
	m.org = m.fields.add(org)
	server := newField(m.sh, t.FieldServer, v[storage.SettingServerURL], "https://", 300)
	server.hint = t.ServerHint
	m.server = m.fields.add(server)
	token := newField(m.sh, t.FieldToken, v[storage.SettingToken], "dlt_...", 200)
	token.input.EchoMode = textinput.EchoPassword
	token.input.EchoCharacter = '*'
	token.hint = t.TokenHint
	m.token = m.fields.add(token)
	limit := v[storage.SettingEvidenceLimit]
	if limit == "" {
		limit = strconv.Itoa(model.MaxEvidenceSize >> 20)
	}
	lf := newField(m.sh, t.FieldLimit, limit, "", 3)
	lf.hint = fmt.Sprintf(t.LimitHintFmt, model.MaxEvidenceSize>>20)
	m.limit = m.fields.add(lf)
	dir := newField(m.sh, t.FieldExportDir, v[storage.SettingExportDir], m.sh.deps.WorkDir, 4096)
	dir.hint = t.ExportDirHint
	m.dir = m.fields.add(dir)
	m.fields.resize(m.inner())
	m.fields.setFocus(0)
	return m.withButtons()
}

func (m settingsModel) withButtons() settingsModel {
	m.buttons = []settingsButton{buttonSave, buttonCheck}
	if m.adopt != "" {
		m.buttons = append(m.buttons, buttonAdopt)
	}
	m.buttons = append(m.buttons, buttonBackup)
	return m
}

func (m settingsModel) update(msg tea.Msg) (screen, tea.Cmd) { return m.Update(msg) }
func (m settingsModel) view() string                         { return m.View() }
func (m settingsModel) capturing() bool                      { return !m.confirm }
func (m settingsModel) busy() bool                           { return m.working != "" }
func (m settingsModel) resized(w, h int) screen {
	m.w, m.h = w, h
	m.fields.resize(m.inner())
	m.backup.input.Width = max(m.inner()-width(m.sh.tx.BackupTo)-7, 8)
	return m
}

func (m settingsModel) inner() int { return min(m.w, 100) }

// stops is the number of focus positions: fields, then buttons.
func (m settingsModel) stops() int { return len(m.fields.fields) + len(m.buttons) }

func (m settingsModel) Update(msg tea.Msg) (settingsModel, tea.Cmd) {
	t := m.sh.tx
	switch msg := msg.(type) {
	case settingsLoadedMsg:
		m.loading = false
		if msg.err != nil {
			m.err = errText(msg.err)
			return m, nil
		}
		return m.build(msg.values), nil
	case settingsSavedMsg:
		m.working = ""
		if msg.err != nil {
			m.err = errText(msg.err)
			return m, nil
		}
		m.fields.settled()
		m.info = t.SettingsSaved
		if msg.check {
			return m.check()
		}
		return m, nil
	case whoamiMsg:
		m.working = ""
		m.adopt = ""
		if msg.err != nil {
			m.warn = fmt.Sprintf(t.CheckFailedFmt, errText(msg.err))
			return m.withButtons(), nil
		}
		org := m.fields.value(m.org)
		switch {
		case msg.info.Role == "office":
			// The office's token reads (a pull) but uploads nothing.
			m.info = fmt.Sprintf(t.Spot.CheckReaderFmt, oneLine(msg.info.Provider), roleName(t, msg.info.Role))
			m.warn = fmt.Sprintf(t.CheckNotProviderFmt, oneLine(msg.info.Provider), msg.info.Role)
		case msg.info.Role != "provider" && msg.info.Role != "inspector": // inspectors upload their spot-checks
			m.warn = fmt.Sprintf(t.CheckNotProviderFmt, oneLine(msg.info.Provider), msg.info.Role)
		case msg.info.Provider != org:
			m.warn = fmt.Sprintf(t.CheckOrgDiffersFmt, oneLine(msg.info.Provider), oneLine(org))
			m.adopt = msg.info.Provider
		case msg.info.Role == "inspector":
			m.info = fmt.Sprintf(t.Spot.CheckInspectorFmt, oneLine(msg.info.Provider))
			m.warn = ""
		default:
			m.info = fmt.Sprintf(t.CheckOKFmt, oneLine(msg.info.Provider))
			m.warn = ""
		}
		return m.withButtons(), nil
	case backupMsg:
		m.working = ""
		if msg.err != nil {
			m.err = errText(msg.err)
			return m, nil
		}
		m.backingUp = false
		m.info = fmt.Sprintf(t.BackupDoneFmt, msg.path, attach.Size(msg.size))
		return m, nil
	case tea.KeyMsg:
		if m.working != "" || m.loading {
			return m, nil
		}
		return m.updateKey(msg)
	}
	return m, nil
}

func (m settingsModel) updateKey(k tea.KeyMsg) (settingsModel, tea.Cmd) {
	keys := m.sh.keys
	if m.confirm {
		switch {
		case key.Matches(k, keys.Confirm):
			return m, nav(m.back)
		case key.Matches(k, keys.Cancel):
			m.confirm = false
		}
		return m, nil
	}
	if m.backingUp {
		switch {
		case key.Matches(k, keys.Back):
			m.backingUp = false
			return m, nil
		case key.Matches(k, keys.Enter):
			return m.runBackup()
		}
		var cmd tea.Cmd
		m.backup.input, cmd = m.backup.input.Update(k)
		m.backup.err = ""
		return m, cmd
	}
	m.err = ""
	switch {
	case key.Matches(k, keys.Back):
		if m.fields.changed() {
			m.confirm = true
			return m, nil
		}
		return m, nav(m.back)
	case key.Matches(k, keys.Enter):
		if m.fields.focus < len(m.fields.fields) {
			return m.save(false)
		}
		switch m.buttons[m.fields.focus-len(m.fields.fields)] {
		case buttonSave:
			return m.save(false)
		case buttonCheck:
			return m.save(true)
		case buttonAdopt:
			m.fields.set(m.org, m.adopt)
			m.adopt = ""
			m = m.withButtons()
			m.fields.setFocus(m.org)
			return m.save(true)
		case buttonBackup:
			return m.openBackup()
		}
	}
	cmd, _ := m.fields.update(k, m.stops())
	return m, cmd
}

// save checks every field with the one text rule (and the address and the
// limit with their own), stores them in one transaction, then runs the
// connection check when asked or when there is a platform to check.
func (m settingsModel) save(check bool) (settingsModel, tea.Cmd) {
	t := m.sh.tx
	m.info, m.warn = "", ""
	as := model.Assessor{Person: m.fields.value(m.person), Org: m.fields.value(m.org)}
	server, token := m.fields.value(m.server), m.fields.value(m.token)
	values := map[string]string{
		storage.SettingServerURL: server, storage.SettingToken: token, storage.SettingExportDir: m.fields.value(m.dir),
	}
	bad := -1
	fail := func(i int, err error) {
		m.fields.fields[i].err = errText(err)
		if bad < 0 {
			bad = i
		}
	}
	rules := []struct {
		i    int
		rule model.TextRule
	}{
		{m.person, model.TextRule{Label: t.FieldPerson, Max: model.MaxAssessorPerson}},
		{m.org, model.TextRule{Label: t.FieldOrg, Max: model.MaxAssessorOrg}},
		{m.server, model.TextRule{Label: t.FieldServer, Max: 300}},
		{m.token, model.TextRule{Label: t.FieldToken, Max: 200}},
		{m.dir, model.TextRule{Label: t.FieldExportDir, Max: 4096}},
	}
	for _, r := range rules {
		if err := model.CheckText(m.fields.value(r.i), r.rule); err != nil {
			fail(r.i, err)
		}
	}
	if p := m.sh.deps.Platform; p != nil && server != "" && m.fields.fields[m.server].err == "" {
		if err := p.CheckServer(server); err != nil {
			fail(m.server, err)
		}
	}
	n, err := storage.ParseEvidenceLimit(m.fields.value(m.limit))
	if err != nil {
		fail(m.limit, err)
	}
	values[storage.SettingEvidenceLimit] = strconv.FormatInt(n>>20, 10)
	if bad >= 0 {
		m.fields.setFocus(bad)
		return m, nil
	}
	check = check || (m.sh.deps.Platform != nil && server != "" && token != "" &&
		(m.fields.fields[m.server].orig != server || m.fields.fields[m.token].orig != token || m.fields.fields[m.org].orig != as.Org))
	m.working = t.Saving
	st := m.sh.deps.Store
	return m, func() tea.Msg {
		if err := st.SetIdentity(as); err != nil {
			return settingsSavedMsg{err: err}
		}
		return settingsSavedMsg{as: as, check: check, err: st.SetSettings(values)}
	}
}

// check asks the platform whose the token is.
func (m settingsModel) check() (settingsModel, tea.Cmd) {
	p := m.sh.deps.Platform
	server, token := m.fields.value(m.server), m.fields.value(m.token)
	if p == nil {
		m.warn = m.sh.tx.NoPlatform
		return m, nil
	}
	if server == "" || token == "" {
		m.warn = m.sh.tx.CheckNeedsBoth
		return m, nil
	}
	m.working = m.sh.tx.Checking
	ctx := m.sh.deps.Context
	return m, func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		info, err := p.Whoami(ctx, server, token)
		return whoamiMsg{info: info, err: err}
	}
}

func (m settingsModel) openBackup() (settingsModel, tea.Cmd) {
	t := m.sh.tx
	dir := m.fields.value(m.dir)
	if dir == "" {
		dir = m.sh.deps.WorkDir
	}
	name := fmt.Sprintf(t.BackupNameFmt, m.sh.deps.Now().In(report.Zone()).Format("20060102-1504"))
	m.backup = newField(m.sh, t.BackupTo, filepath.Join(dir, name), "", 4096)
	m.backup.input.Width = max(m.inner()-width(t.BackupTo)-7, 8)
	m.backingUp = true
	return m, m.backup.input.Focus()
}

func (m settingsModel) runBackup() (settingsModel, tea.Cmd) {
	path := strings.TrimSpace(m.backup.input.Value())
	if path == "" {
		m.backup.err = m.sh.tx.BackupNeedPath
		return m, nil
	}
	if err := model.CheckText(path, model.TextRule{Label: m.sh.tx.BackupTo, Max: 4096}); err != nil {
		m.backup.err = errText(err)
		return m, nil
	}
	if ps := attach.Paths(path, attach.Exists); len(ps) == 1 {
		path = ps[0]
	}
	m.working = m.sh.tx.BackingUp
	st := m.sh.deps.Store
	return m, func() tea.Msg {
		if err := st.Backup(path); err != nil {
			return backupMsg{err: err}
		}
		var size int64
		if fi, err := os.Stat(path); err == nil {
			size = fi.Size()
		}
		return backupMsg{path: path, size: size}
	}
}

func (m settingsModel) View() string {
	st, t := m.sh.st, m.sh.tx
	w := m.inner()
	out := []string{st.Header.Render(t.SettingsTitle), st.Rule.Render(strings.Repeat("─", m.w))}
	if m.loading {
		return strings.Join(append(out, st.Dim.Render(t.Loading)), "\n")
	}
	out = append(out, m.fields.view()...)
	out = append(out, "")
	var buttons []string
	for i, b := range m.buttons {
		label := map[settingsButton]string{buttonSave: t.ButtonSave, buttonCheck: t.ButtonCheck, buttonBackup: t.ButtonBackup,
			buttonAdopt: fmt.Sprintf(t.ButtonAdoptFmt, oneLine(m.adopt))}[b]
		if m.fields.focus == len(m.fields.fields)+i {
			buttons = append(buttons, st.Cursor.Render("▸["+label+"]"))
		} else {
			buttons = append(buttons, " ["+label+"]")
		}
	}
	out = append(out, wrapJoin(buttons, " ", m.w)...)
	if m.backingUp {
		out = append(out, "", st.Title.Render(t.BackupTitle))
		out = append(out, wrap(t.BackupBody, w)...)
		out = append(out, "▸ "+t.BackupTo+" "+st.Input.Render("[")+m.backup.input.View()+st.Input.Render("]"))
		if m.backup.err != "" {
			for _, l := range wrap(m.backup.err, w) {
				out = append(out, st.Error.Render(l))
			}
		}
	}
	msg := func(s string, style func(...string) string) {
		for _, l := range wrap(s, w) {
			out = append(out, style(l))
		}
	}
	out = append(out, "")
	switch {
	case m.confirm:
		msg(t.DiscardAsk, st.Warn.Render)
	case m.working != "":
		msg(m.working, st.Dim.Render)
	}
	if m.err != "" {
		msg(m.err, st.Error.Render)
	}
	if m.info != "" {
		msg(m.info, st.OK.Render)
	}
	if m.warn != "" {
		msg(m.warn, st.Warn.Render)
	}
	return strings.Join(out, "\n")
}

// wrapJoin joins parts with sep into lines of at most w cells, breaking
// only between parts.
func wrapJoin(parts []string, sep string, w int) []string {
	var out []string
	line := ""
	for _, p := range parts {
		switch {
		case line == "":
			line = p
		case width(line)+width(sep)+width(p) <= w:
			line += sep + p
		default:
			out = append(out, line)
			line = p
		}
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

func (m settingsModel) help() helpKeys {
	k, h := m.sh.keys, m.sh.tx.Help
	if m.confirm {
		short := []key.Binding{relabel(k.Confirm, h.Discard), relabel(k.Cancel, h.KeepEditing)}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	}
	if m.backingUp {
		short := []key.Binding{relabel(k.Enter, h.Backup), relabel(k.Back, h.Cancel), k.HelpAlways}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	}
	short := []key.Binding{relabel(k.Enter, h.SaveSettings), k.Tab, k.ShiftTab, k.Back, k.HelpAlways}
	return helpKeys{short: short, full: [][]key.Binding{short, {k.ArrowUp, k.ArrowDown, k.ForceQuit}}}
}
