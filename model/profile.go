package model

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Profile is the enterprise profile the pilot platform collects before a
// diagnosis (reference §8.5): what the enterprise makes and how, its
// equipment and software, cloud and network, certifications and honours,
// people and three years of finances. Every field is optional; the report
// shows 未录入 for what is missing.
type Profile struct {
	Region            string         `json:"region,omitempty"`
	IndustrySub       string         `json:"industry_sub,omitempty"` // 二级行业
	EnterpriseType    string         `json:"enterprise_type,omitempty"`
	RegisteredCapital Decimal        `json:"registered_capital_wan,omitempty"` // 万元
	Founded           string         `json:"founded,omitempty"`                // YYYY-MM-DD
	Employees         int            `json:"employees,omitempty"`
	MainProducts      string         `json:"main_products,omitempty"`
	ProcessFlow       string         `json:"process_flow,omitempty"`
	Equipment         string         `json:"equipment,omitempty"` // 智能设备
	Software          []SoftwareItem `json:"software,omitempty"`
	// Cloud is none, public, private or hybrid.
	Cloud string `json:"cloud,omitempty"`
	// Network lists broadband, leased_line, 5g.
	Network        []string      `json:"network,omitempty"`
	Certifications []string      `json:"certifications,omitempty"`
	Honours        []string      `json:"honours,omitempty"`
	Finances       []YearFinance `json:"finances,omitempty"`
	// FundBand is the band of funds for digital transformation, as words.
	FundBand        string   `json:"fund_band,omitempty"`
	PlannedCloud    string   `json:"planned_cloud,omitempty"`
	PlannedSoftware []string `json:"planned_software,omitempty"`
}

// SoftwareItem is one industrial software in use: its area (研发设计,
// 生产制造, 质量, 运营, 仓储), type (CAD, MES, ERP...) and brand/model.
type SoftwareItem struct {
	Area  string `json:"area"`
	Type  string `json:"type"`
	Brand string `json:"brand,omitempty"`
}

// YearFinance is one year's total assets and profit in 万元; revenue lives
// in Enterprise.Revenue, which the reward policy reads.
type YearFinance struct {
	Year   int     `json:"year"`
	Assets Decimal `json:"assets_wan,omitempty"`
	Profit Decimal `json:"profit_wan,omitempty"`
}

// StatusChange is a dated change of 规模 or 专精特新 standing, kept for
// Art. 5's 规下→规上 and 专精特新 targets.
type StatusChange struct {
	Field string `json:"field"` // scale or zjtx
	From  string `json:"from"`
	To    string `json:"to"`
	Date  string `json:"date"` // YYYY-MM-DD, when it took effect
	Note  string `json:"note,omitempty"`
}

// Profile option sets.
var (
	CloudKinds   = map[string]string{"none": "未上云", "public": "公有云", "private": "私有云", "hybrid": "混合云"}
	NetworkKinds = map[string]string{"broadband": "宽带", "leased_line": "专线", "5g": "5G"}
	// SoftwareAreas are the areas of the platform's software inventory.
	SoftwareAreas = []string{"研发设计", "生产制造", "质量", "运营", "仓储"}
)

// Field keys of the profile, used in FieldError.Field; a roster import
// lists the profile.* keys of the columns it has in roster.Result.Fields.
const (
	FieldProfile          = "profile"
	FieldStatus           = "status_history"
	FieldProfileProducts  = "profile.main_products"
	FieldProfileEmployees = "profile.employees"
	FieldProfileFounded   = "profile.founded"
	FieldProfileRegion    = "profile.region"
)

// Text rules of the profile and the survey.
var (
	shortText = func(label string) TextRule { return TextRule{Label: label, Max: MaxNameLength} }
	longText  = func(label string) TextRule { return TextRule{Label: label, Max: MaxNoteLength, Multiline: true} }
)

// ParseDate reads a calendar date YYYY-MM-DD.
func ParseDate(label, s string) (string, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse("2006-01-02", s)
	if err != nil || t.Year() < 1900 || t.Year() > 2100 {
		return "", invalidf("%s 应为日期 YYYY-MM-DD（如 2026-03-02），实际 %q", label, s)
	}
	return t.Format("2006-01-02"), nil
}

// Validate checks every profile field and returns all problems.
func (p Profile) Validate() error {
	var errs FieldErrors
	check := func(s string, r TextRule) {
		if err := CheckText(s, r); err != nil {
			errs.add(FieldProfile, r.Label, strings.TrimPrefix(err.Error(), r.Label+" "))
		}
	}
	for _, f := range []struct{ v, label string }{
		{p.Region, "所在区域"}, {p.IndustrySub, "二级行业"}, {p.EnterpriseType, "企业类型"}, {p.FundBand, "数字化转型资金"},
	} {
		check(f.v, shortText(f.label))
	}
	for _, f := range []struct{ v, label string }{
		{p.MainProducts, "主要产品"}, {p.ProcessFlow, "工艺流程"}, {p.Equipment, "智能设备"},
	} {
		check(f.v, longText(f.label))
	}
	if !p.RegisteredCapital.IsZero() {
		if _, err := ParseDecimal(string(p.RegisteredCapital)); err != nil || p.RegisteredCapital.Sign() < 0 {
			errs.add(FieldProfile, "注册资本", fmt.Sprintf("应为不小于 0 的万元数，实际 %q", p.RegisteredCapital))
		}
	}
	if p.Founded != "" {
		if _, err := ParseDate("成立日期", p.Founded); err != nil {
			errs.add(FieldProfile, "成立日期", err.Error())
		}
	}
	if p.Employees < 0 || p.Employees > 10_000_000 {
		errs.add(FieldProfile, "员工人数", fmt.Sprintf("不合理: %d", p.Employees))
	}
	for i, s := range p.Software {
		label := fmt.Sprintf("工业软件 %d", i+1)
		if !contains(SoftwareAreas, s.Area) {
			errs.add(FieldProfile, label, fmt.Sprintf("领域应为 %s 之一，实际 %q", strings.Join(SoftwareAreas, "、"), s.Area))
		}
		check(s.Type, TextRule{Label: label + " 类型", Max: 50, Required: true})
		check(s.Brand, shortText(label+" 品牌型号"))
	}
	for _, c := range []struct{ v, label string }{{p.Cloud, "云使用"}, {p.PlannedCloud, "计划上云"}} {
		if _, ok := CloudKinds[c.v]; c.v != "" && !ok {
			errs.add(FieldProfile, c.label, fmt.Sprintf("应为 none、public、private 或 hybrid，实际 %q", c.v))
		}
	}
	for _, n := range p.Network {
		if _, ok := NetworkKinds[n]; !ok {
			errs.add(FieldProfile, "网络", fmt.Sprintf("应为 broadband、leased_line 或 5g，实际 %q", n))
		}
	}
	for _, l := range []struct {
		items []string
		label string
	}{{p.Certifications, "认证"}, {p.Honours, "荣誉"}, {p.PlannedSoftware, "计划使用的软件"}} {
		for _, s := range l.items {
			check(s, TextRule{Label: l.label, Max: MaxNameLength, Required: true})
		}
	}
	years := map[int]bool{}
	for _, f := range p.Finances {
		switch {
		case f.Year < 1990 || f.Year > 2100:
			errs.add(FieldProfile, "财务数据", fmt.Sprintf("年份 %d 不合理", f.Year))
		case years[f.Year]:
			errs.add(FieldProfile, "财务数据", fmt.Sprintf("%d 年重复", f.Year))
		}
		years[f.Year] = true
		for _, d := range []struct {
			v     Decimal
			label string
		}{{f.Assets, "资产总额"}, {f.Profit, "利润"}} {
			if d.v.IsZero() {
				continue
			}
			if _, err := ParseDecimal(string(d.v)); err != nil {
				errs.add(FieldProfile, "财务数据", fmt.Sprintf("%d 年%s: %v", f.Year, d.label, err))
			} else if d.label == "资产总额" && d.v.Sign() < 0 {
				errs.add(FieldProfile, "财务数据", fmt.Sprintf("%d 年资产总额为负数", f.Year))
			}
		}
	}
	return errs.err()
}

// Normalize orders finances by year and trims text.
func (p *Profile) Normalize() {
	p.Region, p.IndustrySub, p.EnterpriseType = strings.TrimSpace(p.Region), strings.TrimSpace(p.IndustrySub), strings.TrimSpace(p.EnterpriseType)
	p.MainProducts, p.ProcessFlow, p.Equipment = strings.TrimSpace(p.MainProducts), strings.TrimSpace(p.ProcessFlow), strings.TrimSpace(p.Equipment)
	sort.Slice(p.Finances, func(i, j int) bool { return p.Finances[i].Year < p.Finances[j].Year })
}

// IsZero reports whether nothing was recorded.
func (p *Profile) IsZero() bool {
	if p == nil {
		return true
	}
	return p.Region == "" && p.IndustrySub == "" && p.EnterpriseType == "" && p.RegisteredCapital.IsZero() && p.Founded == "" &&
		p.Employees == 0 && p.MainProducts == "" && p.ProcessFlow == "" && p.Equipment == "" && len(p.Software) == 0 &&
		p.Cloud == "" && len(p.Network) == 0 && len(p.Certifications) == 0 && len(p.Honours) == 0 && len(p.Finances) == 0 &&
		p.FundBand == "" && p.PlannedCloud == "" && len(p.PlannedSoftware) == 0
}

// SetFinance records or replaces one year's assets and profit.
func (p *Profile) SetFinance(f YearFinance) {
	for i := range p.Finances {
		if p.Finances[i].Year == f.Year {
			p.Finances[i] = f
			return
		}
	}
	p.Finances = append(p.Finances, f)
	sort.Slice(p.Finances, func(i, j int) bool { return p.Finances[i].Year < p.Finances[j].Year })
}

// RecordStatus changes the enterprise's 规模 (field "scale") or 专精特新
// standing (field "zjtx") as of date and keeps the change in its history.
// Setting the current value again records nothing. Changes are recorded
// as they happen: a date after today (Beijing, YYYY-MM-DD) is refused, as
// the current value would claim a standing not yet reached, and so is a
// date before the field's latest recorded change, after which the current
// value would no longer be the latest one.
func (e *Enterprise) RecordStatus(field, value, date, note, today string) error {
	d, err := ParseDate("生效日期", date)
	if err != nil {
		return err
	}
	if err := CheckText(note, shortText("说明")); err != nil {
		return err
	}
	var from, to, label string
	switch field {
	case FieldScale:
		s, err := ParseScale(value)
		if err != nil || s == ScaleUnknown {
			return invalidf("规模应为 above（规上）或 below（规下），实际 %q", value)
		}
		from, to, label = string(e.Scale), string(s), "规模"
	case FieldZJTX:
		z, err := ParseZJTX(value)
		if err != nil {
			return Errorf(ErrInvalid, "%v", err)
		}
		from, to, label = string(e.ZJTX), string(z), "专精特新"
	default:
		return invalidf("只记录规模（scale）或专精特新（zjtx）的变化，实际 %q", field)
	}
	if d > today {
		return invalidf("生效日期 %s 晚于今天（%s）：只记录已经发生的变化，到那天以后再记录", d, today)
	}
	for _, h := range e.StatusHistory {
		if h.Field == field && h.Date > d {
			return invalidf("生效日期 %s 早于%s最近一次变化（%s 起为%s）：请按时间先后记录，当前%s以最近一次变化为准", d, label, h.Date, StatusLabel(field, h.To), label)
		}
	}
	if from == to {
		return nil
	}
	switch field {
	case FieldScale:
		e.Scale = Scale(to)
	case FieldZJTX:
		e.ZJTX = ZJTX(to)
	}
	e.StatusHistory = append(e.StatusHistory, StatusChange{Field: field, From: from, To: to, Date: d, Note: strings.TrimSpace(note)})
	return nil
}

// TrackStatus adds a history entry for every change of 规模 or 专精特新
// between old and e that e's history does not already explain, dated day.
// Storage calls it on every update, so an edit never loses the date a
// standing changed.
func (e *Enterprise) TrackStatus(old Enterprise, day string) {
	add := func(field, from, to string) {
		if from == to {
			return
		}
		if n := len(e.StatusHistory); n > len(old.StatusHistory) {
			last := e.StatusHistory[n-1]
			if last.Field == field && last.To == to {
				return
			}
		}
		e.StatusHistory = append(e.StatusHistory, StatusChange{Field: field, From: from, To: to, Date: day})
	}
	add(FieldScale, string(old.Scale), string(e.Scale))
	oldZ, newZ := old.ZJTX, e.ZJTX
	if oldZ == "" {
		oldZ = ZJTXNone
	}
	if newZ == "" {
		newZ = ZJTXNone
	}
	add(FieldZJTX, string(oldZ), string(newZ))
}

// StatusLabel names a history entry's value in Chinese.
func StatusLabel(field, value string) string {
	switch field {
	case FieldScale:
		return Scale(value).Label()
	case FieldZJTX:
		return ZJTX(value).Label()
	}
	return value
}

func validateHistory(h []StatusChange, errs *FieldErrors) {
	for i, c := range h {
		label := fmt.Sprintf("变化记录 %d", i+1)
		if c.Field != FieldScale && c.Field != FieldZJTX {
			errs.add(FieldStatus, label, fmt.Sprintf("项目应为 scale 或 zjtx，实际 %q", c.Field))
		}
		if _, err := ParseDate("日期", c.Date); err != nil {
			errs.add(FieldStatus, label, err.Error())
		}
		if err := CheckText(c.Note, shortText("说明")); err != nil {
			errs.add(FieldStatus, label, err.Error())
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// BeijingDay is the calendar date of t in Beijing time (UTC+8, the zone of
// report.Zone), the date a change made at t took effect.
func BeijingDay(t time.Time) string {
	return t.In(time.FixedZone("UTC+8", 8*3600)).Format("2006-01-02")
}

// Clone returns a deep copy; the copy of nil is an empty profile, ready to fill.
func (p *Profile) Clone() *Profile {
	if p == nil {
		return &Profile{}
	}
	c := *p
	c.Software = append([]SoftwareItem(nil), p.Software...)
	c.Network = append([]string(nil), p.Network...)
	c.Certifications = append([]string(nil), p.Certifications...)
	c.Honours = append([]string(nil), p.Honours...)
	c.Finances = append([]YearFinance(nil), p.Finances...)
	c.PlannedSoftware = append([]string(nil), p.PlannedSoftware...)
	return &c
}
