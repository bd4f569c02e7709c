package ui

import (
	"fmt"
	"slices"
	"strings"

	"digilevel/model"
)

// survey asks for the site survey of a baseline not begun, where the TUI's
// resume opens the survey screen; an empty first answer skips it, as esc
// does there. Each line is checked as it is typed (the same parsers and
// model rules as the survey screen), so a bad line is asked again alone.
func (p *prompter) survey(s session) (model.Assessment, error) {
	t, dt := p.t, p.t.Diag
	ans, err := p.ask(t.AccSurveyAsk)
	if err != nil || ans != "y" {
		return s.a, err
	}
	p.say("%s", dt.SurveyTitle)
	today := model.BeijingDay(p.d.Now())
	var date string
	for {
		in, err := p.ask(fmt.Sprintf(t.AccSurveyDateFmt, today))
		if err != nil {
			return s.a, err
		}
		if in == "" {
			in = today
		}
		if date, err = model.ParseDate(dt.SurveyDate, in); err == nil {
			break
		}
		p.say(t.AccInvalid, errText(err))
	}
	sv := &model.Survey{Date: date}

	self := ""
	if p.ident.Person != "" {
		self = strings.Join([]string{p.ident.Person, p.ident.Org, dt.SurveyRoleDefault}, ", ")
	}
	p.say("%s: %s", dt.SurveyPeople, t.AccSurveyPeopleHint)
	if err := p.lines(t.AccSurveyLine, func(line string) error {
		ps, err := parseSurveyors(t, line)
		if err != nil {
			return err
		}
		all := append(slices.Clone(sv.Surveyors), ps...)
		if err := (&model.Survey{Date: date, Surveyors: all}).Validate(); err != nil {
			return shownErr(err)
		}
		sv.Surveyors = all
		return nil
	}); err != nil {
		return s.a, err
	}
	if len(sv.Surveyors) == 0 && self != "" {
		ps, _ := parseSurveyors(t, self)
		sv.Surveyors = ps
		p.say(t.AccSurveySelf, self)
	}

	p.say("%s: %s", dt.SurveyFindings, t.AccSurveyFindHint)
	var findings []string
	if err := p.lines(t.AccSurveyLine, func(line string) error {
		all := append(slices.Clone(findings), line)
		if err := model.CheckText(strings.Join(all, "\n"), model.TextRule{Label: dt.SurveyFindings, Max: model.MaxNoteLength, Multiline: true}); err != nil {
			return shownErr(err)
		}
		findings = all
		return nil
	}); err != nil {
		return s.a, err
	}
	sv.Findings = strings.Join(findings, "\n")

	p.say("%s: %s", dt.SurveyPains, t.AccSurveyPainsHint)
	if err := p.lines(t.AccSurveyLine, func(line string) error {
		ps, err := parsePains(t, line)
		if err != nil {
			return err
		}
		all := append(slices.Clone(sv.PainPoints), ps...)
		if err := (&model.Survey{Date: date, PainPoints: all}).Validate(); err != nil {
			return shownErr(err)
		}
		sv.PainPoints = all
		return nil
	}); err != nil {
		return s.a, err
	}

	if err := sv.Validate(); err != nil {
		p.say(t.AccInvalid, errText(err))
		return s.a, nil // the walk goes on; the survey can be written in the TUI or with the CLI
	}
	a, err := p.d.Store.SaveSurvey(s.a.ID, sv, p.change(""))
	if err != nil {
		p.say("%s", errText(err))
		return s.a, nil
	}
	p.say("%s", dt.SurveySaved)
	return a, nil
}

// lines reads lines until an empty one and hands each to take, which
// keeps it or says why not; a line refused is said and asked again.
func (p *prompter) lines(prompt string, take func(string) error) error {
	for {
		line, err := p.ask(prompt)
		if err != nil {
			return err
		}
		if line == "" {
			return nil
		}
		if err := take(line); err != nil {
			p.say(p.t.AccInvalid, errText(err))
		}
	}
}
