package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"digilevel/model"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
)

// formValues is what the enterprise form edits. It lives on the heap so the
// huh fields' pointers stay valid while bubbletea copies the screen (P3).
type formValues struct {
	code, name, industry, scale, batch, zjtx string
	smart, pilot                             bool
	provider, address, revenue, contacts     string
	notes                                    string
}

// enterpriseLoadedMsg carries the enterprise to edit.
type enterpriseLoadedMsg struct {
	e   model.Enterprise
	err error
}

// formModel is the enterprise file form (一企一档), new or edit. It keeps
// typed work: esc on a changed form asks before discarding, and a credit
// code that already has a file is caught as soon as it is complete, with
// an offer to open that file.
type formModel struct {
	sh       *shared
	editing  bool
	loading  bool
	orig     model.Enterprise
	vals     *formValues
	start    formValues        // the values the form opened with
	existing map[string]string // credit code -> name of every enterprise file
	dup      string            // the typed code names an existing file
	confirm  bool              // esc on a changed form: discard?
	form     *huh.Form
	saving   bool
	err      string
	live     string // the focused field's error, checked as typed
	checks   map[string]fieldCheck
	w, h     int
}

// fieldCheck validates one form field by key; huh itself only validates
// when leaving a field, the form shows this error while typing.
type fieldCheck struct {
	title    string
	validate func(string) error
}

func newForm(sh *shared, code string, existing map[string]string, w, h int) (formModel, tea.Cmd) {
	m := formModel{sh: sh, w: w, h: h, vals: &formValues{batch: "1", zjtx: string(model.ZJTXNone)}, checks: map[string]fieldCheck{}, existing: existing}
	m.start = *m.vals
	if code != "" {
		m.editing, m.loading = true, true
		st := sh.deps.Store
		return m, func() tea.Msg {
			e, err := st.Enterprise(code)
			return enterpriseLoadedMsg{e: e, err: err}
		}
	}
	m.form = m.build()
	return m, m.form.Init()
}

func (m formModel) update(msg tea.Msg) (screen, tea.Cmd) { return m.Update(msg) }
func (m formModel) view() string                         { return m.View() }
func (m formModel) capturing() bool                      { return !m.confirm }
func (m formModel) busy() bool                           { return m.saving }
func (m formModel) resized(w, h int) screen {
	m.SetSize(w, h)
	return m
}

// changed reports typed work that is not saved.
func (m formModel) changed() bool { return m.vals != nil && *m.vals != m.start }

func (m *formModel) SetSize(w, h int) {
	m.w, m.h = w, h
	if m.form != nil {
		m.form = m.form.WithWidth(m.formWidth()).WithHeight(m.formHeight())
	}
}

func (m formModel) formWidth() int  { return min(m.w, 100) }
func (m formModel) formHeight() int { return max(m.h-3, 5) }

// fill copies an enterprise into the form values, made harmless for the
// terminal (stored text may predate the text rule).
func (v *formValues) fill(e model.Enterprise) {
	safe := func(s string) string { return model.DisplaySafe(s, true) }
	e.Name, e.Industry, e.Provider, e.Address, e.Notes = safe(e.Name), safe(e.Industry), safe(e.Provider), safe(e.Address), safe(e.Notes)
	for i, c := range e.Contacts {
		e.Contacts[i] = model.Contact{Name: safe(c.Name), Role: safe(c.Role), Phone: safe(c.Phone), Email: safe(c.Email)}
	}
	v.code, v.name, v.industry = e.Code, e.Name, e.Industry
	v.scale, v.zjtx = string(e.Scale), string(e.ZJTX)
	if v.zjtx == "" {
		v.zjtx = string(model.ZJTXNone)
	}
	v.batch = strconv.Itoa(e.Batch)
	v.smart, v.pilot = e.SmartFactory, e.PilotIndustry
	v.provider, v.address, v.notes = e.Provider, e.Address, e.Notes
	var rev []string
	for _, r := range e.Revenue {
		rev = append(rev, fmt.Sprintf("%d %s", r.Year, r.Wan))
	}
	v.revenue = strings.Join(rev, "\n")
	var cs []string
	for _, c := range e.Contacts {
		cs = append(cs, strings.TrimRight(strings.Join([]string{c.Name, c.Role, c.Phone, c.Email}, ", "), ", "))
	}
	v.contacts = strings.Join(cs, "\n")
}

// enterprise builds the enterprise from the form values on top of base.
func (v *formValues) enterprise(t *Text, base model.Enterprise) (model.Enterprise, error) {
	e := base
	e.Code, e.Name, e.Industry = v.code, v.name, v.industry
	e.Scale, e.ZJTX = model.Scale(v.scale), model.ZJTX(v.zjtx)
	e.Batch, _ = strconv.Atoi(v.batch)
	e.SmartFactory, e.PilotIndustry = v.smart, v.pilot
	e.Provider, e.Address, e.Notes = v.provider, v.address, v.notes
	rev, err := parseRevenue(t, v.revenue)
	if err != nil {
		return e, err
	}
	e.Revenue = rev
	cs, err := parseContacts(t, v.contacts)
	if err != nil {
		return e, err
	}
	e.Contacts = cs
	e.Normalize()
	return e, nil
}

func parseRevenue(t *Text, s string) ([]model.YearRevenue, error) {
	var out []model.YearRevenue
	for i, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		f := strings.FieldsFunc(line, func(r rune) bool { return strings.ContainsRune(" \t,，:：年", r) })
		if len(f) != 2 {
			return nil, fmt.Errorf(t.RevenueLineErr, i+1, line)
		}
		y, err := strconv.Atoi(f[0])
		if err != nil {
			return nil, fmt.Errorf(t.RevenueLineErr, i+1, line)
		}
		d, err := model.ParseDecimal(strings.TrimSuffix(f[1], "万元"))
		if err != nil {
			return nil, fmt.Errorf(t.RevenueLineErr, i+1, line)
		}
		out = append(out, model.YearRevenue{Year: y, Wan: d})
	}
	return out, nil
}

func parseContacts(t *Text, s string) ([]model.Contact, error) {
	var out []model.Contact
	for i, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == '，' || r == ';' || r == '；' })
		if len(f) > 4 {
			return nil, fmt.Errorf(t.ContactLineErr, i+1)
		}
		for len(f) < 4 {
			f = append(f, "")
		}
		out = append(out, model.Contact{Name: strings.TrimSpace(f[0]), Role: strings.TrimSpace(f[1]), Phone: strings.TrimSpace(f[2]), Email: strings.TrimSpace(f[3])})
	}
	return out, nil
}

// fieldError validates one field with the model's own rules: it sets the
// field on an otherwise valid enterprise and keeps that field's errors.
func fieldError(field string, set func(*model.Enterprise)) error {
	e := model.DemoEnterprise()
	e.Demo, e.Revenue, e.Contacts = false, nil, nil
	set(&e)
	var fes model.FieldErrors
	if errors.As(e.Validate(), &fes) {
		var msgs []string
		for _, fe := range fes {
			if fe.Field == field {
				msg := fe.Message
				if field == model.FieldContacts || field == model.FieldRevenue {
					msg = fe.Label + ": " + msg
				}
				msgs = append(msgs, msg)
			}
		}
		if len(msgs) > 0 {
			return errors.New(oneLine(strings.Join(msgs, "；")))
		}
	}
	return nil
}

func (m formModel) build() *huh.Form {
	t, v := m.sh.tx, m.vals
	check := func(key, title string, f func(string) error) func(string) error {
		m.checks[key] = fieldCheck{title: title, validate: f}
		return f
	}
	var code huh.Field
	if m.editing {
		code = huh.NewNote().Title(t.FieldCode).Description(v.code)
	} else {
		code = huh.NewInput().Key("code").Title(t.FieldCode).Description(t.FieldCodeHint).CharLimit(18).Value(&v.code).
			Validate(check("code", t.FieldCode, func(s string) error {
				if strings.TrimSpace(s) == "" {
					return fieldError(model.FieldCode, func(e *model.Enterprise) { e.Code = "" })
				}
				if err := model.ValidateCreditCode(s); err != nil {
					return errors.New(errText(err))
				}
				if name, ok := m.existing[model.NormalizeCreditCode(s)]; ok {
					return fmt.Errorf(t.DuplicateCodeFmt, model.NormalizeCreditCode(s), oneLine(name))
				}
				return nil
			}))
	}
	text := func(key, title string, dst *string, field string, set func(*model.Enterprise, string)) *huh.Input {
		return huh.NewInput().Key(key).Title(title).Value(dst).Validate(check(key, title, func(s string) error {
			if err := model.CheckText(s, model.TextRule{Label: title, Max: 500}); err != nil {
				return errors.New(errText(err))
			}
			return fieldError(field, func(e *model.Enterprise) { set(e, s) })
		}))
	}
	scale := huh.NewSelect[string]().Key("scale").Title(t.FieldScale).Inline(true).Value(&v.scale).Options(
		huh.NewOption(t.ScaleUnknown, ""), huh.NewOption(model.ScaleAbove.Label(), string(model.ScaleAbove)), huh.NewOption(model.ScaleBelow.Label(), string(model.ScaleBelow)))
	var batches []huh.Option[string]
	for b := model.MinBatch; b <= model.MaxBatch; b++ {
		batches = append(batches, huh.NewOption(fmt.Sprintf(t.BatchFmt, b), strconv.Itoa(b)))
	}
	batch := huh.NewSelect[string]().Key("batch").Title(t.FieldBatch).Inline(true).Value(&v.batch).Options(batches...)
	zjtx := huh.NewSelect[string]().Key("zjtx").Title(t.FieldZJTX).Inline(true).Value(&v.zjtx).Options(
		huh.NewOption(Display(model.ZJTXNone.Label()), string(model.ZJTXNone)),
		huh.NewOption(Display(model.ZJTXProvincial.Label()), string(model.ZJTXProvincial)),
		huh.NewOption(Display(model.ZJTXNational.Label()), string(model.ZJTXNational)))
	revenue := huh.NewText().Key("revenue").Title(t.FieldRevenue).Description(t.FieldRevenueHint).Lines(3).Value(&v.revenue).
		Validate(check("revenue", t.FieldRevenue, func(s string) error {
			rev, err := parseRevenue(t, s)
			if err != nil {
				return err
			}
			return fieldError(model.FieldRevenue, func(e *model.Enterprise) { e.Revenue = rev })
		}))
	contacts := huh.NewText().Key("contacts").Title(t.FieldContacts).Description(t.FieldContactsHint).Lines(3).Value(&v.contacts).
		Validate(check("contacts", t.FieldContacts, func(s string) error {
			if err := model.CheckText(s, model.TextRule{Label: t.FieldContacts, Max: 2000, Multiline: true}); err != nil {
				return errors.New(errText(err))
			}
			cs, err := parseContacts(t, s)
			if err != nil {
				return err
			}
			return fieldError(model.FieldContacts, func(e *model.Enterprise) { e.Contacts = cs })
		}))
	notes := huh.NewText().Key("notes").Title(t.FieldNotes).Lines(2).Value(&v.notes).
		Validate(check("notes", t.FieldNotes, func(s string) error {
			if err := model.CheckText(s, model.TextRule{Label: t.FieldNotes, Max: model.MaxNoteLength, Multiline: true}); err != nil {
				return errors.New(errText(err))
			}
			return fieldError("notes", func(e *model.Enterprise) { e.Notes = s })
		}))
	f := huh.NewForm(
		huh.NewGroup(code,
			text("name", t.FieldName, &v.name, model.FieldName, func(e *model.Enterprise, s string) { e.Name = s }),
			text("industry", t.FieldIndustry, &v.industry, model.FieldIndustry, func(e *model.Enterprise, s string) { e.Industry = s }),
			scale, batch,
		).Title(t.GroupBasic),
		huh.NewGroup(zjtx,
			huh.NewConfirm().Key("smart").Title(t.FieldSmart).Affirmative(t.Yes).Negative(t.No).Value(&v.smart),
			huh.NewConfirm().Key("pilot").Title(t.FieldPilot).Affirmative(t.Yes).Negative(t.No).Value(&v.pilot),
			text("provider", t.FieldProvider, &v.provider, model.FieldProvider, func(e *model.Enterprise, s string) { e.Provider = s }),
			text("address", t.FieldAddress, &v.address, "address", func(e *model.Enterprise, s string) { e.Address = s }),
		).Title(t.GroupStanding),
		huh.NewGroup(revenue, contacts, notes).Title(t.GroupMore),
	).WithTheme(m.sh.st.Form).WithShowHelp(false).WithWidth(m.formWidth()).WithHeight(m.formHeight())
	return f
}

func (m formModel) Update(msg tea.Msg) (formModel, tea.Cmd) {
	switch msg := msg.(type) {
	case enterpriseLoadedMsg:
		m.loading = false
		if msg.err != nil {
			return m, nav(navMsg{to: screenHome, status: errText(msg.err), statusErr: true})
		}
		m.orig = msg.e
		m.vals.fill(msg.e)
		m.start = *m.vals
		m.form = m.build()
		return m, m.form.Init()
	case enterpriseSavedMsg:
		m.saving = false
		if msg.err != nil {
			m.err = errText(msg.err)
			m.form = m.build()
			return m, m.form.Init()
		}
		return m, nil
	case tea.KeyMsg:
		if m.saving || m.loading {
			return m, nil
		}
		keys := m.sh.keys
		if m.confirm {
			switch {
			case key.Matches(msg, keys.Confirm):
				return m, nav(navMsg{to: screenHome, status: m.sh.tx.FormCancelled})
			case key.Matches(msg, keys.Cancel):
				m.confirm = false
			}
			return m, nil
		}
		switch {
		case key.Matches(msg, keys.Back) && m.changed():
			m.confirm = true
			return m, nil
		case key.Matches(msg, keys.Back):
			return m, nav(navMsg{to: screenHome, status: m.sh.tx.FormCancelled})
		case key.Matches(msg, keys.Enter) && m.dup != "" && m.focusedKey() == "code":
			// The file exists: open it instead of typing a second one.
			return m, nav(navMsg{to: screenForm, code: m.dup})
		}
	}
	if m.form == nil {
		return m, nil
	}
	f, cmd := m.form.Update(msg)
	if ff, ok := f.(*huh.Form); ok {
		m.form = ff
	}
	if _, ok := msg.(tea.KeyMsg); ok {
		m.live = m.liveError()
		m.dup = ""
		if m.focusedKey() == "code" {
			if _, ok := m.existing[model.NormalizeCreditCode(m.vals.code)]; ok && !m.editing {
				m.dup = model.NormalizeCreditCode(m.vals.code)
			}
		}
	}
	if m.form.State == huh.StateCompleted {
		e, err := m.vals.enterprise(m.sh.tx, m.orig)
		if err == nil {
			err = e.Validate()
		}
		if err != nil {
			m.err = errText(err)
			m.form = m.build()
			return m, m.form.Init()
		}
		m.err = ""
		m.saving = true
		return m, saveEnterpriseCmd(m.sh.deps.Store, e, m.editing, m.sh.change(""))
	}
	return m, cmd
}

// focusedKey is the key of the focused huh field ("" when none).
func (m formModel) focusedKey() string {
	if m.form == nil {
		return ""
	}
	if f := m.form.GetFocusedField(); f != nil {
		return f.GetKey()
	}
	return ""
}

// liveError checks the focused field's current value.
func (m formModel) liveError() string {
	fld := m.form.GetFocusedField()
	if fld == nil {
		return ""
	}
	c, ok := m.checks[fld.GetKey()]
	if !ok {
		return ""
	}
	s, _ := fld.GetValue().(string)
	if strings.TrimSpace(s) == "" {
		return "" // an empty field is judged when leaving it
	}
	if err := c.validate(s); err != nil {
		return c.title + ": " + err.Error()
	}
	return ""
}

func saveEnterpriseCmd(st Store, e model.Enterprise, update bool, c model.Change) tea.Cmd {
	return func() tea.Msg {
		var out model.Enterprise
		var err error
		if update {
			out, err = st.UpdateEnterprise(e, c)
		} else {
			out, err = st.CreateEnterprise(e, c)
		}
		return enterpriseSavedMsg{e: out, err: err}
	}
}

func (m formModel) View() string {
	st, t := m.sh.st, m.sh.tx
	title := t.FormNewTitle
	if m.editing {
		title = t.FormEditTitle + "  " + Display(m.orig.Name)
	}
	out := []string{st.Header.Render(truncate(oneLine(title), m.w))}
	switch {
	case m.confirm:
		out = append(out, indent(wrap(t.DiscardAsk, m.w), "", st.Warn.Render)...)
	case m.live != "":
		out = append(out, indent(wrap(m.live, m.w), "", st.Error.Render)...)
	default:
		out = append(out, "")
	}
	switch {
	case m.loading:
		out = append(out, st.Dim.Render(t.Loading))
	case m.form != nil:
		out = append(out, m.form.View())
	}
	if m.saving {
		out = append(out, st.Dim.Render(t.Saving))
	}
	if m.err != "" {
		for _, l := range wrap(m.err, m.w) {
			out = append(out, st.Error.Render(l))
		}
	}
	return strings.Join(out, "\n")
}

func (m formModel) help() helpKeys {
	k, h := m.sh.keys, m.sh.tx.Help
	if m.confirm {
		short := []key.Binding{relabel(k.Confirm, h.Discard), relabel(k.Cancel, h.KeepEditing)}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	}
	enter := relabel(k.Enter, h.Next)
	if m.dup != "" {
		enter = relabel(k.Enter, h.OpenExisting)
	}
	short := []key.Binding{enter, k.ShiftTab, relabel(k.Left, h.Pick), relabel(k.Back, h.Cancel), k.HelpAlways}
	return helpKeys{short: short, full: [][]key.Binding{short, {k.ForceQuit}}}
}
