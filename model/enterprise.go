package model

import (
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"sort"
	"strings"
	"time"
)

// Scale says whether an enterprise is 规上 (above designated size) or 规下.
type Scale string

// Scales.
const (
	ScaleUnknown Scale = ""
	ScaleAbove   Scale = "above" // 规上
	ScaleBelow   Scale = "below" // 规下
)

// Label is the Chinese name.
func (s Scale) Label() string {
	switch s {
	case ScaleAbove:
		return "规上"
	case ScaleBelow:
		return "规下"
	}
	return "未填"
}

// ZJTX is the enterprise's 专精特新 standing.
type ZJTX string

// 专精特新 standings.
const (
	ZJTXNone       ZJTX = "none"
	ZJTXProvincial ZJTX = "provincial" // 省级专精特新中小企业
	ZJTXNational   ZJTX = "national"   // 国家级专精特新"小巨人"
)

// Label is the Chinese name.
func (z ZJTX) Label() string {
	switch z {
	case ZJTXProvincial:
		return "省级专精特新"
	case ZJTXNational:
		return "国家级专精特新「小巨人」"
	}
	return "否"
}

// IsZJTX reports whether the enterprise counts as 专精特新 under the policy.
func (z ZJTX) IsZJTX() bool { return z == ZJTXProvincial || z == ZJTXNational }

// ParseZJTX reads a standing from its ID or Chinese label.
func ParseZJTX(s string) (ZJTX, error) {
	switch strings.TrimSpace(s) {
	case "", "none", "否", "无":
		return ZJTXNone, nil
	case "provincial", "省级", "省级专精特新":
		return ZJTXProvincial, nil
	case "national", "国家级", "小巨人", "国家级小巨人":
		return ZJTXNational, nil
	}
	return "", fmt.Errorf("专精特新应为 none、provincial 或 national，实际 %q", s)
}

// ParseScale reads 规上/规下 from its ID or Chinese label.
func ParseScale(s string) (Scale, error) {
	switch strings.TrimSpace(s) {
	case "":
		return ScaleUnknown, nil
	case "above", "规上":
		return ScaleAbove, nil
	case "below", "规下":
		return ScaleBelow, nil
	}
	return "", fmt.Errorf("规模应为 above（规上）或 below（规下），实际 %q", s)
}

// Batches are the district's retrofit batches (policy Art. 6).
const (
	MinBatch = 1
	MaxBatch = 3
)

// YearRevenue is one year's 营业收入 in 万元.
type YearRevenue struct {
	Year int     `json:"year"`
	Wan  Decimal `json:"wan"`
}

// Contact is a person at the enterprise.
type Contact struct {
	Name  string `json:"name"`
	Role  string `json:"role,omitempty"`
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
}

// Enterprise is the enterprise file (一企一档). Code, the 统一社会信用代码, is
// its identity.
type Enterprise struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Industry string `json:"industry,omitempty"`
	Scale    Scale  `json:"scale,omitempty"`
	ZJTX     ZJTX   `json:"zjtx"`
	// SmartFactory: owns a 省级以上智能工厂(车间).
	SmartFactory bool `json:"smart_factory"`
	// PilotIndustry: belongs to one of the city's four pilot industries
	// (policy Art. 17), so Art. 18 "就高不重复" applies.
	PilotIndustry bool          `json:"pilot_industry"`
	Batch         int           `json:"batch"`
	Revenue       []YearRevenue `json:"revenue,omitempty"`
	Contacts      []Contact     `json:"contacts,omitempty"`
	Provider      string        `json:"provider,omitempty"`
	Address       string        `json:"address,omitempty"`
	Notes         string        `json:"notes,omitempty"`
	// Profile is the §8.5 profile; StatusHistory the dated changes of 规模
	// and 专精特新 standing (both optional, absent in format-1 reports).
	Profile       *Profile       `json:"profile,omitempty"`
	StatusHistory []StatusChange `json:"status_history,omitempty"`
	// Demo marks the sample enterprise offered on first run.
	Demo      bool      `json:"demo,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Field keys of the enterprise file, used in FieldError.Field.
const (
	FieldName     = "name"
	FieldCode     = "code"
	FieldIndustry = "industry"
	FieldScale    = "scale"
	FieldZJTX     = "zjtx"
	FieldBatch    = "batch"
	FieldRevenue  = "revenue"
	FieldContacts = "contacts"
	FieldProvider = "provider"
	// The keys below are the JSON names too; a roster import lists them in
	// roster.Result.Fields to say which fields it carries.
	FieldSmartFactory  = "smart_factory"
	FieldPilotIndustry = "pilot_industry"
	FieldAddress       = "address"
	FieldNotes         = "notes"
)

// Limits on free text, in characters.
const (
	MaxNameLength = 100
	MaxTextLength = 500
	// MaxContacts bounds the contacts of one enterprise.
	MaxContacts = 20
)

// Normalize trims text fields, upper-cases the code and orders revenue by year.
func (e *Enterprise) Normalize() {
	e.Code = NormalizeCreditCode(e.Code)
	e.Name = strings.TrimSpace(e.Name)
	e.Industry = strings.TrimSpace(e.Industry)
	e.Provider = strings.TrimSpace(e.Provider)
	e.Address = strings.TrimSpace(e.Address)
	e.Notes = NormalizeNewlines(e.Notes)
	if e.ZJTX == "" {
		e.ZJTX = ZJTXNone
	}
	sort.Slice(e.Revenue, func(i, j int) bool { return e.Revenue[i].Year < e.Revenue[j].Year })
	if e.Profile != nil {
		e.Profile.Normalize()
		if e.Profile.IsZero() {
			e.Profile = nil
		}
	}
	for i := range e.Contacts {
		c := &e.Contacts[i]
		c.Name, c.Role, c.Phone, c.Email = strings.TrimSpace(c.Name), strings.TrimSpace(c.Role), strings.TrimSpace(c.Phone), strings.TrimSpace(c.Email)
	}
}

// Validate checks every field and returns all problems as FieldErrors, each
// in Chinese and naming its field. Text fields follow the shared text rule
// (CheckText): no control or bidi-override character, valid UTF-8, a length
// limit, one line except the notes. Every entry path (CLI, TUI, roster,
// reports pulled from the platform) stores enterprises through here.
func (e Enterprise) Validate() error {
	var errs FieldErrors
	errs.text(FieldName, e.Name, TextRule{Label: "企业名称", Max: MaxNameLength, Required: true})
	switch {
	case strings.TrimSpace(e.Code) == "":
		errs.add(FieldCode, "统一社会信用代码", "不能为空")
	case !errs.text(FieldCode, e.Code, TextRule{Label: "统一社会信用代码"}):
	default:
		if err := ValidateCreditCode(e.Code); err != nil {
			errs.add(FieldCode, "统一社会信用代码", err.Error())
		}
	}
	if e.Batch < MinBatch || e.Batch > MaxBatch {
		errs.add(FieldBatch, "批次", fmt.Sprintf("应为 %d–%d，实际 %d", MinBatch, MaxBatch, e.Batch))
	}
	switch e.Scale {
	case ScaleUnknown, ScaleAbove, ScaleBelow:
	default:
		errs.add(FieldScale, "规模", fmt.Sprintf("应为规上或规下，实际 %q", e.Scale))
	}
	switch e.ZJTX {
	case "", ZJTXNone, ZJTXProvincial, ZJTXNational:
	default:
		errs.add(FieldZJTX, "专精特新", fmt.Sprintf("应为 none、provincial 或 national，实际 %q", e.ZJTX))
	}
	years := map[int]bool{}
	for _, r := range e.Revenue {
		switch {
		case r.Year < 1990 || r.Year > 2100:
			errs.add(FieldRevenue, "营业收入", fmt.Sprintf("年份 %d 不合理", r.Year))
		case years[r.Year]:
			errs.add(FieldRevenue, "营业收入", fmt.Sprintf("%d 年重复", r.Year))
		case r.Wan.IsZero():
			errs.add(FieldRevenue, "营业收入", fmt.Sprintf("%d 年缺少金额", r.Year))
		default:
			if _, err := ParseDecimal(string(r.Wan)); err != nil {
				errs.add(FieldRevenue, "营业收入", fmt.Sprintf("%d 年: %v", r.Year, err))
			} else if r.Wan.Sign() < 0 {
				errs.add(FieldRevenue, "营业收入", fmt.Sprintf("%d 年为负数（%s 万元）", r.Year, r.Wan))
			}
		}
		years[r.Year] = true
	}
	if len(e.Contacts) > MaxContacts {
		errs.add(FieldContacts, "联系人", fmt.Sprintf("最多 %d 位，实际 %d 位", MaxContacts, len(e.Contacts)))
	}
	for i, c := range e.Contacts {
		label := fmt.Sprintf("联系人 %d", i+1)
		ok := true
		for _, f := range []struct{ what, v string }{{"姓名", c.Name}, {"职务", c.Role}, {"电话", c.Phone}, {"邮箱", c.Email}} {
			ok = errs.text(FieldContacts, f.v, TextRule{Label: label + " " + f.what, Max: MaxNameLength}) && ok
		}
		if !ok {
			continue
		}
		// A roster may give only a phone number; a contact needs at least one way to reach someone.
		if strings.TrimSpace(c.Name) == "" && c.Phone == "" && c.Email == "" {
			errs.add(FieldContacts, label, "姓名、电话、邮箱至少填一项")
		}
		if c.Phone != "" && !validPhone(c.Phone) {
			errs.add(FieldContacts, label, fmt.Sprintf("电话 %q 格式不正确", c.Phone))
		}
		if c.Email != "" {
			if _, err := mail.ParseAddress(c.Email); err != nil {
				errs.add(FieldContacts, label, fmt.Sprintf("邮箱 %q 格式不正确", c.Email))
			}
		}
	}
	errs.text(FieldIndustry, e.Industry, TextRule{Label: "所属行业", Max: MaxTextLength})
	errs.text(FieldProvider, e.Provider, TextRule{Label: "服务商", Max: MaxTextLength})
	errs.text(FieldAddress, e.Address, TextRule{Label: "地址", Max: MaxTextLength})
	errs.text(FieldNotes, e.Notes, TextRule{Label: "备注", Max: MaxTextLength, Multiline: true})
	if e.Profile != nil {
		var pe FieldErrors
		if errors.As(e.Profile.Validate(), &pe) {
			errs = append(errs, pe...)
		}
	}
	validateHistory(e.StatusHistory, &errs)
	return errs.err()
}

// validPhone accepts digits with optional +, spaces, hyphens and brackets,
// 7 to 20 digits in all (landlines with area code, mobiles, extensions).
func validPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+- ()（）", r):
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 20
}

// RevenueIn returns the revenue of a year, if recorded.
func (e Enterprise) RevenueIn(year int) (Decimal, bool) {
	for _, r := range e.Revenue {
		if r.Year == year {
			return r.Wan, true
		}
	}
	return "", false
}

// SetRevenue records or replaces one year's revenue.
func (e *Enterprise) SetRevenue(year int, wan Decimal) {
	for i := range e.Revenue {
		if e.Revenue[i].Year == year {
			e.Revenue[i].Wan = wan
			return
		}
	}
	e.Revenue = append(e.Revenue, YearRevenue{Year: year, Wan: wan})
	sort.Slice(e.Revenue, func(i, j int) bool { return e.Revenue[i].Year < e.Revenue[j].Year })
}

// MergeFields returns e with the fields named in fields (model field keys,
// as roster.Result.Fields lists them) taken from from; every other field
// keeps e's value, so a roster without a contacts column leaves the contacts
// typed in the field alone. Revenue is merged by year.
func (e Enterprise) MergeFields(from Enterprise, fields []string) Enterprise {
	has := map[string]bool{}
	for _, f := range fields {
		has[f] = true
	}
	out := e
	set := func(key string, apply func()) {
		if has[key] {
			apply()
		}
	}
	set(FieldName, func() { out.Name = from.Name })
	set(FieldBatch, func() { out.Batch = from.Batch })
	set(FieldIndustry, func() { out.Industry = from.Industry })
	set(FieldScale, func() { out.Scale = from.Scale })
	set(FieldZJTX, func() { out.ZJTX = from.ZJTX })
	set(FieldSmartFactory, func() { out.SmartFactory = from.SmartFactory })
	set(FieldPilotIndustry, func() { out.PilotIndustry = from.PilotIndustry })
	set(FieldProvider, func() { out.Provider = from.Provider })
	set(FieldAddress, func() { out.Address = from.Address })
	set(FieldNotes, func() { out.Notes = from.Notes })
	set(FieldContacts, func() { out.Contacts = from.Contacts })
	profile := func(key string, apply func(p, from *Profile)) {
		if !has[key] {
			return
		}
		p := out.Profile.Clone()
		src := from.Profile
		if src == nil {
			src = &Profile{}
		}
		apply(p, src)
		out.Profile = p
	}
	profile(FieldProfileProducts, func(p, f *Profile) { p.MainProducts = f.MainProducts })
	profile(FieldProfileEmployees, func(p, f *Profile) { p.Employees = f.Employees })
	profile(FieldProfileFounded, func(p, f *Profile) { p.Founded = f.Founded })
	profile(FieldProfileRegion, func(p, f *Profile) { p.Region = f.Region })
	if has[FieldRevenue] {
		out.Revenue = slices.Clone(e.Revenue)
		for _, r := range from.Revenue {
			out.SetRevenue(r.Year, r.Wan)
		}
	}
	return out
}
