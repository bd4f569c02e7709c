package ui

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"digilevel/model"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
)

// profileValues is what the profile form edits (heap, like formValues).
type profileValues struct {
	region, industrySub, kind, capital, founded, employees string
	products, process, equipment                           string
	software, cloud                                        string
	certs, honours, finances, fundBand, plannedCloud       string
	plannedSoftware                                        string
	scale, zjtx, statusDate, statusNote                    string
}

// profileModel edits the enterprise profile of reference §8.5 (model.Profile:
// products, process, equipment, software by area, cloud, network,
// certifications, honours, employees, finances by year, funds and plans)
// and records a change of 规模 or 专精特新 with the date it took effect
// (storage RecordStatus), which the Art. 5 targets (规下→规上) read. It is
// reached from home with p; saving returns home like the enterprise form.
type profileModel struct {
	sh      *shared
	code    string
	loading bool
	orig    model.Enterprise
	vals    *profileValues
	start   profileValues
	// network is the multi-select's value (a slice, so kept beside vals).
	network  *[]string
	startNet []string
	form     *huh.Form
	confirm  bool
	saving   bool
	err      string
	w, h     int
}

func newProfile(sh *shared, code string, w, h int) (profileModel, tea.Cmd) {
	m := profileModel{sh: sh, code: code, loading: true, vals: &profileValues{}, network: &[]string{}, w: w, h: h}
	st := sh.deps.Store
	return m, func() tea.Msg {
		e, err := st.Enterprise(code)
		return enterpriseLoadedMsg{e: e, err: err}
	}
}

func (m profileModel) update(msg tea.Msg) (screen, tea.Cmd) { return m.Update(msg) }
func (m profileModel) view() string                         { return m.View() }
func (m profileModel) capturing() bool                      { return !m.confirm }
func (m profileModel) busy() bool                           { return m.saving }
func (m profileModel) resized(w, h int) screen {
	m.w, m.h = w, h
	if m.form != nil {
		m.form = m.form.WithWidth(m.formWidth()).WithHeight(m.formHeight())
	}
	return m
}

func (m profileModel) formWidth() int  { return min(m.w, 100) }
func (m profileModel) formHeight() int { return max(m.h-3, 5) }

// fill copies the stored profile into the form, made harmless for the terminal.
func (v *profileValues) fill(e model.Enterprise, today string) {
	safe := func(s string) string { return model.DisplaySafe(s, true) }
	lines := func(ss []string) string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = strings.ReplaceAll(safe(s), "\n", " ")
		}
		return strings.Join(out, "\n")
	}
	p := e.Profile
	if p == nil {
		p = &model.Profile{}
	}
	v.region, v.industrySub, v.kind = safe(p.Region), safe(p.IndustrySub), safe(p.EnterpriseType)
	v.capital, v.founded = string(p.RegisteredCapital), p.Founded
	if p.Employees > 0 {
		v.employees = strconv.Itoa(p.Employees)
	}
	v.products, v.process, v.equipment = safe(p.MainProducts), safe(p.ProcessFlow), safe(p.Equipment)
	var sw []string
	for _, s := range p.Software {
		sw = append(sw, strings.TrimRight(strings.Join([]string{safe(s.Area), safe(s.Type), safe(s.Brand)}, ", "), ", "))
	}
	v.software = strings.Join(sw, "\n")
	v.cloud, v.plannedCloud = p.Cloud, p.PlannedCloud
	v.certs, v.honours, v.plannedSoftware = lines(p.Certifications), lines(p.Honours), lines(p.PlannedSoftware)
	var fin []string
	for _, f := range p.Finances {
		fin = append(fin, strings.TrimSpace(fmt.Sprintf("%d %s %s", f.Year, orDash(string(f.Assets)), orDash(string(f.Profit)))))
	}
	v.finances = strings.Join(fin, "\n")
	v.fundBand = safe(p.FundBand)
	v.scale, v.zjtx = string(e.Scale), string(e.ZJTX)
	if v.zjtx == "" {
		v.zjtx = string(model.ZJTXNone)
	}
	v.statusDate = today
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// splitLines are the non-empty lines of s, trimmed.
func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func parseSoftware(t *Text, s string) ([]model.SoftwareItem, error) {
	recs, bad := lineRecords(s, 2, 3)
	if bad > 0 {
		return nil, fmt.Errorf(t.Diag.ProfileSoftErr, bad)
	}
	var out []model.SoftwareItem
	for _, f := range recs {
		out = append(out, model.SoftwareItem{Area: f[0], Type: f[1], Brand: f[2]})
	}
	return out, nil
}

// parseFinances reads "年份 资产总额 利润" lines; "-" leaves a figure out.
func parseFinances(t *Text, s string) ([]model.YearFinance, error) {
	var out []model.YearFinance
	for i, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		f := strings.FieldsFunc(line, func(r rune) bool { return strings.ContainsRune(" \t,，:：年", r) })
		bad := fmt.Errorf(t.Diag.ProfileFinErr, i+1, line)
		if len(f) < 2 || len(f) > 3 {
			return nil, bad
		}
		y, err := strconv.Atoi(f[0])
		if err != nil {
			return nil, bad
		}
		row := model.YearFinance{Year: y}
		for j, dst := range []*model.Decimal{&row.Assets, &row.Profit} {
			if j+1 >= len(f) || f[j+1] == "-" {
				continue
			}
			d, err := model.ParseDecimal(strings.TrimSuffix(f[j+1], "万元"))
			if err != nil {
				return nil, bad
			}
			*dst = d
		}
		out = append(out, row)
	}
	return out, nil
}

// profile builds the profile from the form; Validate checks every field
// (and every text with model.CheckText).
func (v *profileValues) profile(t *Text, network []string) (*model.Profile, error) {
	dt := t.Diag
	p := &model.Profile{Region: v.region, IndustrySub: v.industrySub, EnterpriseType: v.kind,
		MainProducts: v.products, ProcessFlow: v.process, Equipment: v.equipment, Cloud: v.cloud,
		Network: append([]string(nil), network...), FundBand: strings.TrimSpace(v.fundBand), PlannedCloud: v.plannedCloud,
		Certifications: splitLines(v.certs), Honours: splitLines(v.honours), PlannedSoftware: splitLines(v.plannedSoftware)}
	if c := strings.TrimSpace(v.capital); c != "" {
		d, err := model.ParseDecimal(c)
		if err != nil {
			return nil, fmt.Errorf(dt.ProfileNumberErr, dt.ProfileCapital)
		}
		p.RegisteredCapital = d
	}
	if f := strings.TrimSpace(v.founded); f != "" {
		d, err := model.ParseDate(dt.ProfileFounded, f)
		if err != nil {
			return nil, err
		}
		p.Founded = d
	}
	if n := strings.TrimSpace(v.employees); n != "" {
		e, err := strconv.Atoi(n)
		if err != nil {
			return nil, fmt.Errorf(dt.ProfileNumberErr, dt.ProfileEmployees)
		}
		p.Employees = e
	}
	var err error
	if p.Software, err = parseSoftware(t, v.software); err != nil {
		return nil, err
	}
	if p.Finances, err = parseFinances(t, v.finances); err != nil {
		return nil, err
	}
	p.Normalize()
	return p, p.Validate()
}

func (m profileModel) build() *huh.Form {
	t, v := m.sh.tx, m.vals
	dt := t.Diag
	// only checks one field as the model will: a profile holding just
	// that field's value is built and validated, so any complaint is its.
	only := func(set func(*profileValues, string)) func(string) error {
		return func(s string) error {
			var w profileValues
			set(&w, s)
			_, err := w.profile(t, nil)
			return fieldErrs(err)
		}
	}
	line := func(key, title string, dst *string, max int, set func(*profileValues, string)) *huh.Input {
		return huh.NewInput().Key(key).Title(title).CharLimit(max).Value(dst).Validate(only(set))
	}
	text := func(key, title, desc string, dst *string, lines int, set func(*profileValues, string)) *huh.Text {
		return huh.NewText().Key(key).Title(title).Description(desc).Lines(lines).Value(dst).Validate(only(set))
	}
	cloud := func(key, title string, dst *string) *huh.Select[string] {
		opts := []huh.Option[string]{huh.NewOption(dt.ProfileUnset, "")}
		for _, k := range []string{"none", "public", "private", "hybrid"} {
			opts = append(opts, huh.NewOption(model.CloudKinds[k], k))
		}
		return huh.NewSelect[string]().Key(key).Title(title).Inline(true).Options(opts...).Value(dst)
	}
	var network []huh.Option[string]
	for _, k := range []string{"broadband", "leased_line", "5g"} {
		network = append(network, huh.NewOption(model.NetworkKinds[k], k))
	}
	scaleOpts := []huh.Option[string]{}
	if m.orig.Scale == model.ScaleUnknown {
		scaleOpts = append(scaleOpts, huh.NewOption(t.ScaleUnknown, ""))
	}
	scaleOpts = append(scaleOpts, huh.NewOption(model.ScaleAbove.Label(), string(model.ScaleAbove)), huh.NewOption(model.ScaleBelow.Label(), string(model.ScaleBelow)))
	var history []string
	for _, c := range m.orig.StatusHistory {
		field := t.FieldScale
		if c.Field == model.FieldZJTX {
			field = t.FieldZJTX
		}
		history = append(history, Display(fmt.Sprintf(dt.ProfileHistoryFmt, c.Date, field, model.StatusLabel(c.Field, c.From), model.StatusLabel(c.Field, c.To))))
	}
	status := dt.ProfileStatusHint
	if len(history) > 0 {
		status += "\n" + strings.Join(history, "\n")
	}
	return huh.NewForm(
		huh.NewGroup(
			line("region", dt.ProfileRegion, &v.region, model.MaxNameLength, func(w *profileValues, s string) { w.region = s }),
			line("industry_sub", dt.ProfileIndustrySub, &v.industrySub, model.MaxNameLength, func(w *profileValues, s string) { w.industrySub = s }),
			line("type", dt.ProfileType, &v.kind, model.MaxNameLength, func(w *profileValues, s string) { w.kind = s }),
			line("capital", dt.ProfileCapital, &v.capital, 20, func(w *profileValues, s string) { w.capital = s }),
			line("founded", dt.ProfileFounded, &v.founded, 10, func(w *profileValues, s string) { w.founded = s }),
			line("employees", dt.ProfileEmployees, &v.employees, 9, func(w *profileValues, s string) { w.employees = s }),
		).Title(dt.ProfileGroupBasic),
		huh.NewGroup(
			text("products", dt.ProfileProducts, "", &v.products, 2, func(w *profileValues, s string) { w.products = s }),
			text("process", dt.ProfileProcess, "", &v.process, 3, func(w *profileValues, s string) { w.process = s }),
			text("equipment", dt.ProfileEquipment, "", &v.equipment, 2, func(w *profileValues, s string) { w.equipment = s }),
		).Title(dt.ProfileGroupMake),
		huh.NewGroup(
			text("software", dt.ProfileSoftware, dt.ProfileSoftHint, &v.software, 3, func(w *profileValues, s string) { w.software = s }),
			cloud("cloud", dt.ProfileCloud, &v.cloud),
			huh.NewMultiSelect[string]().Key("network").Title(dt.ProfileNetwork).Options(network...).Value(m.network),
		).Title(dt.ProfileGroupIT),
		huh.NewGroup(
			text("certs", dt.ProfileCerts, dt.ProfileLinesHint, &v.certs, 2, func(w *profileValues, s string) { w.certs = s }),
			text("honours", dt.ProfileHonours, dt.ProfileLinesHint, &v.honours, 2, func(w *profileValues, s string) { w.honours = s }),
			text("finances", dt.ProfileFinances, dt.ProfileFinHint, &v.finances, 3, func(w *profileValues, s string) { w.finances = s }),
			line("fund_band", dt.ProfileFundBand, &v.fundBand, model.MaxNameLength, func(w *profileValues, s string) { w.fundBand = s }),
			cloud("planned_cloud", dt.ProfilePlanCloud, &v.plannedCloud),
			text("planned_software", dt.ProfilePlanSoft, dt.ProfileLinesHint, &v.plannedSoftware, 2, func(w *profileValues, s string) { w.plannedSoftware = s }),
		).Title(dt.ProfileGroupMore),
		huh.NewGroup(
			huh.NewNote().Title(dt.ProfileGroupStatus).Description(status),
			huh.NewSelect[string]().Key("scale").Title(t.FieldScale).Inline(true).Options(scaleOpts...).Value(&v.scale),
			huh.NewSelect[string]().Key("zjtx").Title(t.FieldZJTX).Inline(true).Value(&v.zjtx).Options(
				huh.NewOption(Display(model.ZJTXNone.Label()), string(model.ZJTXNone)),
				huh.NewOption(Display(model.ZJTXProvincial.Label()), string(model.ZJTXProvincial)),
				huh.NewOption(Display(model.ZJTXNational.Label()), string(model.ZJTXNational))),
			huh.NewInput().Key("status_date").Title(dt.ProfileStatusDate).CharLimit(10).Value(&v.statusDate).Validate(func(s string) error {
				_, err := model.ParseDate(dt.ProfileStatusDate, s)
				return shownErr(err)
			}),
			huh.NewInput().Key("status_note").Title(dt.ProfileStatusNote).CharLimit(model.MaxNameLength).Value(&v.statusNote).Validate(func(s string) error {
				return shownErr(model.CheckText(s, model.TextRule{Label: dt.ProfileStatusNote, Max: model.MaxNameLength}))
			}),
		),
	).WithTheme(m.sh.st.Form).WithShowHelp(false).WithShowErrors(false).WithWidth(m.formWidth()).WithHeight(m.formHeight())
}

// fieldErrs joins a model error's messages for one field's line.
func fieldErrs(err error) error {
	var fes model.FieldErrors
	if errors.As(err, &fes) {
		var msgs []string
		for _, fe := range fes {
			msgs = append(msgs, fe.Label+": "+fe.Message)
		}
		return errors.New(oneLine(strings.Join(msgs, "；")))
	}
	return shownErr(err)
}

func (m profileModel) Update(msg tea.Msg) (profileModel, tea.Cmd) {
	switch msg := msg.(type) {
	case enterpriseLoadedMsg:
		m.loading = false
		if msg.err != nil {
			return m, nav(navMsg{to: screenHome, status: errText(msg.err), statusErr: true})
		}
		m.orig = msg.e
		m.vals.fill(msg.e, model.BeijingDay(m.sh.deps.Now()))
		m.start = *m.vals
		*m.network = append([]string(nil), msg.e.Profile.Clone().Network...)
		m.startNet = append([]string(nil), *m.network...)
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
			if answered, discard := confirmDiscard(keys, msg); discard {
				return m, nav(navMsg{to: screenHome, status: m.sh.tx.FormCancelled})
			} else if answered {
				m.confirm = false
			}
			return m, nil
		}
		if key.Matches(msg, keys.Back) {
			if *m.vals != m.start || !slices.Equal(*m.network, m.startNet) {
				m.confirm = true
				return m, nil
			}
			return m, nav(navMsg{to: screenHome})
		}
		m.err = ""
	}
	if m.form == nil {
		return m, nil
	}
	f, cmd := m.form.Update(msg)
	if ff, ok := f.(*huh.Form); ok {
		m.form = ff
	}
	if m.form.State == huh.StateCompleted {
		return m.save()
	}
	return m, cmd
}

// save records the dated status changes first (each with its date, so the
// history says when the enterprise became 规上), then the profile on top
// of the enterprise as those left it.
func (m profileModel) save() (profileModel, tea.Cmd) {
	t := m.sh.tx
	p, err := m.vals.profile(t, *m.network)
	if err == nil {
		_, err = model.ParseDate(t.Diag.ProfileStatusDate, m.vals.statusDate)
	}
	if err == nil {
		err = model.CheckText(m.vals.statusNote, model.TextRule{Label: t.Diag.ProfileStatusNote, Max: model.MaxNameLength})
	}
	if err != nil {
		m.err = errText(err)
		m.form = m.build()
		return m, m.form.Init()
	}
	type change struct{ field, value string }
	var changes []change
	if m.vals.scale != string(m.orig.Scale) && m.vals.scale != "" {
		changes = append(changes, change{model.FieldScale, m.vals.scale})
	}
	oldZ := m.orig.ZJTX
	if oldZ == "" {
		oldZ = model.ZJTXNone
	}
	if m.vals.zjtx != string(oldZ) {
		changes = append(changes, change{model.FieldZJTX, m.vals.zjtx})
	}
	m.saving = true
	st, code, c := m.sh.deps.Store, m.orig.Code, m.sh.change("")
	date, note := m.vals.statusDate, strings.TrimSpace(m.vals.statusNote)
	return m, func() tea.Msg {
		e, err := st.Enterprise(code)
		if err != nil {
			return enterpriseSavedMsg{err: err}
		}
		for _, ch := range changes {
			if e, err = st.RecordStatus(code, ch.field, ch.value, date, note, c); err != nil {
				return enterpriseSavedMsg{err: err}
			}
		}
		if p.IsZero() {
			p = nil
		}
		e.Profile = p
		e, err = st.UpdateEnterprise(e, c)
		return enterpriseSavedMsg{e: e, err: err}
	}
}

func (m profileModel) View() string {
	st, t := m.sh.st, m.sh.tx
	title := t.Diag.ProfileTitle
	if m.orig.Name != "" {
		title += "  " + oneLine(m.orig.Name)
	}
	out := []string{st.Header.Render(truncate(title, m.w))}
	switch {
	case m.confirm:
		out = append(out, indent(wrap(t.DiscardAsk, m.w), "", st.Warn.Render)...)
	case m.err != "":
		out = append(out, indent(wrap(m.err, m.w), "", st.Error.Render)...)
	case m.saving:
		out = append(out, st.Dim.Render(t.Saving))
	case m.form != nil:
		out = append(out, formErrors(st, m.form, m.w)...)
	default:
		out = append(out, "")
	}
	switch {
	case m.loading:
		out = append(out, st.Dim.Render(t.Loading))
	case m.form != nil:
		out = append(out, m.form.View())
	}
	return strings.Join(out, "\n")
}

func (m profileModel) help() helpKeys {
	k, h := m.sh.keys, m.sh.tx.Help
	if m.confirm {
		short := []key.Binding{relabel(k.Confirm, h.Discard), relabel(k.Cancel, h.KeepEditing)}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	}
	short := []key.Binding{relabel(k.Enter, h.Next), k.ShiftTab, relabel(k.Left, h.Pick), k.Toggle, relabel(k.Back, h.Cancel), k.HelpAlways}
	return helpKeys{short: short, full: [][]key.Binding{short, {k.ForceQuit}}}
}
