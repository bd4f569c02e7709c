package model

import (
	"fmt"
	"strings"
)

// Survey is the site survey (现场调研) of one assessment: when, who, what was
// found and the enterprise's pain points in words (Art. 10: 机理、流程、工艺;
// 痛点、难点、堵点). It is recorded before the walk and may be skipped.
type Survey struct {
	Date       string      `json:"date"` // YYYY-MM-DD
	Surveyors  []Surveyor  `json:"surveyors,omitempty"`
	Findings   string      `json:"findings,omitempty"`
	PainPoints []PainPoint `json:"pain_points,omitempty"`
}

// Surveyor is one person of the survey (the platform's siteSurveyPeopleList).
type Surveyor struct {
	Name    string `json:"name"`
	Agency  string `json:"agency,omitempty"`
	Role    string `json:"role,omitempty"` // 调查员 by default on the platform
	Contact string `json:"contact,omitempty"`
}

// PainPoint is one 痛点, 难点 or 堵点 in the enterprise's words.
type PainPoint struct {
	Kind string `json:"kind"` // pain, difficulty or blockage
	Text string `json:"text"`
}

// PainKinds names the kinds of pain points.
var PainKinds = map[string]string{"pain": "痛点", "difficulty": "难点", "blockage": "堵点"}

// ParsePainKind reads a kind from its ID or Chinese name.
func ParsePainKind(s string) (string, error) {
	s = strings.TrimSpace(s)
	for id, label := range PainKinds {
		if s == id || s == label {
			return id, nil
		}
	}
	return "", invalidf("类型应为 pain（痛点）、difficulty（难点）或 blockage（堵点），实际 %q", s)
}

// Limits of the survey.
const (
	MaxSurveyors  = 20
	MaxPainPoints = 50
)

// Validate checks the survey; every text passes CheckText.
func (s Survey) Validate() error {
	if _, err := ParseDate("调研日期", s.Date); err != nil {
		return err
	}
	if len(s.Surveyors) > MaxSurveyors || len(s.PainPoints) > MaxPainPoints {
		return invalidf("调研人员最多 %d 人、痛点最多 %d 条", MaxSurveyors, MaxPainPoints)
	}
	for i, p := range s.Surveyors {
		label := fmt.Sprintf("调研人员 %d", i+1)
		for _, f := range []struct {
			v    string
			rule TextRule
		}{
			{p.Name, TextRule{Label: label + " 姓名", Max: MaxNameLength, Required: true}},
			{p.Agency, shortText(label + " 单位")},
			{p.Role, shortText(label + " 角色")},
			{p.Contact, shortText(label + " 联系方式")},
		} {
			if err := CheckText(f.v, f.rule); err != nil {
				return err
			}
		}
	}
	if err := CheckText(s.Findings, longText("调研情况")); err != nil {
		return err
	}
	for i, p := range s.PainPoints {
		if _, ok := PainKinds[p.Kind]; !ok {
			return invalidf("痛点 %d: 类型应为 pain、difficulty 或 blockage，实际 %q", i+1, p.Kind)
		}
		if err := CheckText(p.Text, TextRule{Label: fmt.Sprintf("痛点 %d", i+1), Max: MaxTextLength, Multiline: true, Required: true}); err != nil {
			return err
		}
	}
	return nil
}

// SetSurvey records the site survey of a draft (nil clears it).
func (a *Assessment) SetSurvey(s *Survey, c Change) (AuditEntry, error) {
	if err := a.editable(); err != nil {
		return AuditEntry{}, err
	}
	if s != nil {
		d, err := ParseDate("调研日期", s.Date)
		if err != nil {
			return AuditEntry{}, err
		}
		s.Date = d
		s.Findings = strings.TrimSpace(s.Findings)
		for i := range s.Surveyors {
			p := &s.Surveyors[i]
			p.Name, p.Agency, p.Role, p.Contact = strings.TrimSpace(p.Name), strings.TrimSpace(p.Agency), strings.TrimSpace(p.Role), strings.TrimSpace(p.Contact)
		}
		for i := range s.PainPoints {
			s.PainPoints[i].Text = strings.TrimSpace(s.PainPoints[i].Text)
		}
		if err := s.Validate(); err != nil {
			return AuditEntry{}, err
		}
	}
	old := surveySummary(a.Survey)
	a.Survey = s
	return a.touch(c, ActionSurvey, "", old, surveySummary(s)), nil
}

func surveySummary(s *Survey) string {
	if s == nil {
		return ""
	}
	return fmt.Sprintf("%s，调研人员 %d 人，痛点 %d 条", s.Date, len(s.Surveyors), len(s.PainPoints))
}
