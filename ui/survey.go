package ui

import (
	"errors"
	"fmt"
	"strings"

	"digilevel/model"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
)

// surveyValues is what the survey form edits; on the heap so the huh
// fields' pointers outlive bubbletea's copies of the screen.
type surveyValues struct {
	date, people, findings, pains string
}

// surveyModel is the site survey (现场调研) of an assessment: date,
// surveyors with agency, role and contact, what was found, and the
// enterprise's 痛点、难点、堵点 in its words. A new baseline opens on it
// before the walk; esc on an untouched form skips it with one key, and the
// review's u comes back to it. The survey is saved (durably) before the
// screen moves on.
type surveyModel struct {
	sh      *shared
	sess    session
	back    navMsg
	vals    *surveyValues
	start   surveyValues
	form    *huh.Form
	confirm bool // esc on a changed form: discard?
	saving  bool
	err     string
	w, h    int
}

func newSurvey(sh *shared, s session, back navMsg, w, h int) (surveyModel, tea.Cmd) {
	m := surveyModel{sh: sh, sess: s, back: back, vals: &surveyValues{}, w: w, h: h}
	m.vals.fill(sh, s.a.Survey)
	m.start = *m.vals
	m.form = m.build()
	return m, m.form.Init()
}

// fill prefills the form: the stored survey, else today and the laptop's
// assessor as the first surveyor, so a consultant types only what was seen.
func (v *surveyValues) fill(sh *shared, s *model.Survey) {
	if s == nil {
		v.date = model.BeijingDay(sh.deps.Now())
		if sh.ident.Person != "" {
			v.people = strings.Join([]string{sh.ident.Person, sh.ident.Org, sh.tx.Diag.SurveyRoleDefault}, ", ")
		}
		return
	}
	safe := func(x string) string { return model.DisplaySafe(x, true) }
	v.date = s.Date
	var people []string
	for _, p := range s.Surveyors {
		people = append(people, strings.TrimRight(strings.Join([]string{safe(p.Name), safe(p.Agency), safe(p.Role), safe(p.Contact)}, ", "), ", "))
	}
	v.people = strings.Join(people, "\n")
	v.findings = safe(s.Findings)
	var pains []string
	for _, p := range s.PainPoints {
		pains = append(pains, model.PainKinds[p.Kind]+": "+strings.ReplaceAll(safe(p.Text), "\n", " "))
	}
	v.pains = strings.Join(pains, "\n")
}

// parseSurveyors reads one surveyor a line: 姓名, 单位, 角色, 联系方式.
func parseSurveyors(t *Text, s string) ([]model.Surveyor, error) {
	recs, bad := lineRecords(s, 1, 4)
	if bad > 0 {
		return nil, fmt.Errorf(t.Diag.SurveyPersonErr, bad)
	}
	var out []model.Surveyor
	for _, f := range recs {
		out = append(out, model.Surveyor{Name: f[0], Agency: f[1], Role: f[2], Contact: f[3]})
	}
	return out, nil
}

// parsePains reads one pain point a line, "难点: 文字"; a line without a
// kind is a 痛点.
func parsePains(t *Text, s string) ([]model.PainPoint, error) {
	var out []model.PainPoint
	for i, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		kind, text := "pain", line
		if head, rest, ok := strings.Cut(strings.Replace(line, "：", ":", 1), ":"); ok {
			if k, err := model.ParsePainKind(head); err == nil {
				kind, text = k, strings.TrimSpace(rest)
			}
		}
		if text == "" {
			return nil, fmt.Errorf(t.Diag.SurveyPainErr, i+1, line)
		}
		out = append(out, model.PainPoint{Kind: kind, Text: text})
	}
	return out, nil
}

// survey builds the survey from the form and checks it with the model's
// rules (every text through model.CheckText).
func (v *surveyValues) survey(t *Text) (*model.Survey, error) {
	date, err := model.ParseDate(t.Diag.SurveyDate, v.date)
	if err != nil {
		return nil, err
	}
	s := &model.Survey{Date: date, Findings: strings.TrimSpace(v.findings)}
	if s.Surveyors, err = parseSurveyors(t, v.people); err != nil {
		return nil, err
	}
	if s.PainPoints, err = parsePains(t, v.pains); err != nil {
		return nil, err
	}
	return s, s.Validate()
}

func (m surveyModel) build() *huh.Form {
	t, v := m.sh.tx, m.vals
	dt := t.Diag
	textErr := func(label string, max int, multi bool) func(string) error {
		return func(s string) error {
			if err := model.CheckText(s, model.TextRule{Label: label, Max: max, Multiline: multi}); err != nil {
				return errors.New(errText(err))
			}
			return nil
		}
	}
	date := huh.NewInput().Key("date").Title(dt.SurveyDate).Description(dt.SurveyDateHint).CharLimit(10).Value(&v.date).
		Validate(func(s string) error {
			if _, err := model.ParseDate(dt.SurveyDate, s); err != nil {
				return errors.New(errText(err))
			}
			return nil
		})
	people := huh.NewText().Key("people").Title(dt.SurveyPeople).Description(dt.SurveyPeopleHint).Lines(3).Value(&v.people).
		Validate(func(s string) error {
			if err := textErr(dt.SurveyPeople, 4000, true)(s); err != nil {
				return err
			}
			ps, err := parseSurveyors(t, s)
			if err != nil {
				return err
			}
			return shownErr((&model.Survey{Date: "2026-01-01", Surveyors: ps}).Validate())
		})
	findings := huh.NewText().Key("findings").Title(dt.SurveyFindings).Description(dt.SurveyFindHint).Lines(4).CharLimit(model.MaxNoteLength).
		Value(&v.findings).Validate(textErr(dt.SurveyFindings, model.MaxNoteLength, true))
	pains := huh.NewText().Key("pains").Title(dt.SurveyPains).Description(dt.SurveyPainsHint).Lines(4).Value(&v.pains).
		Validate(func(s string) error {
			if err := textErr(dt.SurveyPains, model.MaxPainPoints*model.MaxTextLength, true)(s); err != nil {
				return err
			}
			ps, err := parsePains(t, s)
			if err != nil {
				return err
			}
			return shownErr((&model.Survey{Date: "2026-01-01", PainPoints: ps}).Validate())
		})
	return huh.NewForm(
		huh.NewGroup(date, people).Title(dt.SurveyGroupWho),
		huh.NewGroup(findings, pains).Title(dt.SurveyGroupWhat),
	).WithTheme(m.sh.st.Form).WithShowHelp(false).WithShowErrors(false).WithWidth(m.formWidth()).WithHeight(m.formHeight())
}

// formErrors are the huh group's field errors, wrapped, for the line
// under the title (huh's own footer falls below the screen), or one empty
// line.
func formErrors(st *Styles, f *huh.Form, w int) []string {
	var out []string
	for _, err := range f.Errors() {
		out = append(out, indent(wrap(err.Error(), w), "", st.Error.Render)...)
	}
	if len(out) == 0 {
		return []string{""}
	}
	return clipLines(out, 3)
}

// shownErr is an error as the UI shows it, nil for nil.
func shownErr(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(errText(err))
}

func (m surveyModel) update(msg tea.Msg) (screen, tea.Cmd) { return m.Update(msg) }
func (m surveyModel) view() string                         { return m.View() }
func (m surveyModel) capturing() bool                      { return !m.confirm }
func (m surveyModel) busy() bool                           { return m.saving }
func (m surveyModel) resized(w, h int) screen {
	m.w, m.h = w, h
	m.form = m.form.WithWidth(m.formWidth()).WithHeight(m.formHeight())
	return m
}

func (m surveyModel) formWidth() int  { return min(m.w, 100) }
func (m surveyModel) formHeight() int { return max(m.h-4, 5) }

func (m surveyModel) changed() bool { return *m.vals != m.start }

func (m surveyModel) Update(msg tea.Msg) (surveyModel, tea.Cmd) {
	dt := m.sh.tx.Diag
	switch msg := msg.(type) {
	case savedMsg:
		m.saving = false
		if msg.err != nil {
			m.err = errText(msg.err)
			m.form = m.build()
			return m, m.form.Init()
		}
		back := m.back
		back.status = dt.SurveySaved
		return m, nav(back)
	case tea.KeyMsg:
		if m.saving {
			return m, nil
		}
		keys := m.sh.keys
		if m.confirm {
			if answered, discard := confirmDiscard(keys, msg); discard {
				back := m.back
				back.status = m.sh.tx.FormCancelled
				return m, nav(back)
			} else if answered {
				m.confirm = false
			}
			return m, nil
		}
		if key.Matches(msg, keys.Back) {
			if m.changed() {
				m.confirm = true
				return m, nil
			}
			back := m.back
			if m.sess.a.Survey == nil {
				back.status = dt.SurveySkipped
			}
			return m, nav(back)
		}
		m.err = ""
	}
	f, cmd := m.form.Update(msg)
	if ff, ok := f.(*huh.Form); ok {
		m.form = ff
	}
	if m.form.State == huh.StateCompleted {
		s, err := m.vals.survey(m.sh.tx)
		if err != nil {
			m.err = errText(err)
			m.form = m.build()
			return m, m.form.Init()
		}
		m.saving = true
		st, id, c := m.sh.deps.Store, m.sess.a.ID, m.sh.change("")
		return m, func() tea.Msg {
			a, err := st.SaveSurvey(id, s, c)
			return savedMsg{a: a, err: err}
		}
	}
	return m, cmd
}

func (m surveyModel) View() string {
	st, t := m.sh.st, m.sh.tx
	title := t.Diag.SurveyFormTitle
	if m.back.to == screenReview {
		title = t.Diag.SurveyTitle // no longer before the walk
	}
	out := diagHeader(m.sh, m.sess, title, m.w)
	switch {
	case m.confirm:
		out = append(out, indent(wrap(t.DiscardAsk, m.w), "", st.Warn.Render)...)
	case m.saving:
		out = append(out, st.Dim.Render(t.Saving))
	case m.err != "":
		out = append(out, indent(wrap(m.err, m.w), "", st.Error.Render)...)
	default:
		out = append(out, formErrors(st, m.form, m.w)...)
	}
	out = append(out, m.form.View())
	return strings.Join(out, "\n")
}

func (m surveyModel) help() helpKeys {
	k, h, dt := m.sh.keys, m.sh.tx.Help, m.sh.tx.Diag
	if m.confirm {
		short := []key.Binding{relabel(k.Confirm, h.Discard), relabel(k.Cancel, h.KeepEditing)}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	}
	back := relabel(k.Back, dt.HelpSkip)
	if m.sess.a.Survey != nil || m.changed() {
		back = relabel(k.Back, h.Cancel)
	}
	short := []key.Binding{back, relabel(k.Enter, dt.HelpSaveNext), k.ShiftTab, k.HelpAlways}
	return helpKeys{short: short, full: [][]key.Binding{short, {k.ForceQuit}}}
}
