package roster

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"digilevel/model"
)

// field is a roster column's meaning.
type field int

const (
	fieldNone field = iota
	fieldName
	fieldCode
	fieldBatch
	fieldIndustry
	fieldScale
	fieldZJTX
	fieldSmartFactory
	fieldPilotIndustry
	fieldProvider
	fieldContact
	fieldRole
	fieldPhone
	fieldEmail
	fieldAddress
	fieldNotes
	fieldRevenue
	fieldProducts
	fieldEmployees
	fieldFounded
	fieldRegion
	fieldEnd // one past the last field
)

// label is the column's canonical Chinese name.
func (f field) label() string {
	switch f {
	case fieldName:
		return "企业名称"
	case fieldCode:
		return "统一社会信用代码"
	case fieldBatch:
		return "批次"
	case fieldIndustry:
		return "所属行业"
	case fieldScale:
		return "规模"
	case fieldZJTX:
		return "专精特新"
	case fieldSmartFactory:
		return "省级以上智能工厂"
	case fieldPilotIndustry:
		return "试点行业"
	case fieldProvider:
		return "服务商"
	case fieldContact:
		return "联系人"
	case fieldRole:
		return "职务"
	case fieldPhone:
		return "联系电话"
	case fieldEmail:
		return "邮箱"
	case fieldAddress:
		return "地址"
	case fieldNotes:
		return "备注"
	case fieldRevenue:
		return "营业收入"
	case fieldProducts:
		return "主要产品"
	case fieldEmployees:
		return "员工人数"
	case fieldFounded:
		return "成立日期"
	case fieldRegion:
		return "所在区域"
	}
	return ""
}

// key is the model field key the column fills.
func (f field) key() string {
	switch f {
	case fieldName:
		return model.FieldName
	case fieldCode:
		return model.FieldCode
	case fieldBatch:
		return model.FieldBatch
	case fieldIndustry:
		return model.FieldIndustry
	case fieldScale:
		return model.FieldScale
	case fieldZJTX:
		return model.FieldZJTX
	case fieldSmartFactory:
		return model.FieldSmartFactory
	case fieldPilotIndustry:
		return model.FieldPilotIndustry
	case fieldProvider:
		return model.FieldProvider
	case fieldContact, fieldRole, fieldPhone, fieldEmail:
		return model.FieldContacts
	case fieldAddress:
		return model.FieldAddress
	case fieldNotes:
		return model.FieldNotes
	case fieldRevenue:
		return model.FieldRevenue
	case fieldProducts:
		return model.FieldProfileProducts
	case fieldEmployees:
		return model.FieldProfileEmployees
	case fieldFounded:
		return model.FieldProfileFounded
	case fieldRegion:
		return model.FieldProfileRegion
	}
	return ""
}

// fieldFor maps a normalized header (see headerKey) to its field.
func fieldFor(key string) field {
	switch key {
	case "企业名称", "名称", "企业名", "企业全称", "公司名称", "单位名称", "name":
		return fieldName
	case "统一社会信用代码", "社会信用代码", "信用代码", "统一代码", "code", "uscc":
		return fieldCode
	case "批次", "改造批次", "试点批次", "转型批次", "batch":
		return fieldBatch
	case "所属行业", "行业", "行业类别", "行业分类", "industry":
		return fieldIndustry
	case "规模", "企业规模", "规上规下", "规上/规下", "scale":
		return fieldScale
	case "专精特新", "专精特新等级", "专精特新级别", "专精特新类型", "zjtx":
		return fieldZJTX
	case "省级以上智能工厂", "智能工厂", "省级以上智能工厂/车间", "智能工厂/车间", "有省级以上智能工厂", "smart_factory":
		return fieldSmartFactory
	case "试点行业", "属于试点行业", "试点行业企业", "pilot_industry":
		return fieldPilotIndustry
	case "服务商", "服务商名称", "数字化服务商", "改造服务商", "provider":
		return fieldProvider
	case "联系人", "联系人姓名", "contact":
		return fieldContact
	case "职务", "联系人职务", "role":
		return fieldRole
	case "联系电话", "电话", "联系人电话", "手机", "手机号", "手机号码", "phone":
		return fieldPhone
	case "邮箱", "电子邮箱", "电子邮件", "email", "e-mail":
		return fieldEmail
	case "地址", "企业地址", "注册地址", "通讯地址", "经营地址", "address":
		return fieldAddress
	case "备注", "说明", "notes", "note":
		return fieldNotes
	case "主要产品", "主营产品", "产品", "main_products":
		return fieldProducts
	case "员工人数", "职工人数", "从业人数", "员工数", "employees":
		return fieldEmployees
	case "成立日期", "成立时间", "注册日期", "founded":
		return fieldFounded
	case "所在区域", "区域", "所在地区", "region":
		return fieldRegion
	}
	return fieldNone
}

// headerKey normalizes a header cell: full-width forms folded, spaces,
// stars, colons and question marks removed, bracketed text split off into
// inner, ASCII lower-cased, a leading 是否 dropped.
func headerKey(s string) (base, inner string) {
	var b, in strings.Builder
	depth := 0
	for _, r := range width.Fold.String(s) {
		switch {
		case isBlankRune(r) || strings.ContainsRune("*:?", r):
			continue
		case strings.ContainsRune("([{【〔「『《<", r):
			depth++
			continue
		case strings.ContainsRune(")]}】〕」』》>", r):
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth > 0 {
			in.WriteRune(r)
		} else {
			b.WriteRune(r)
		}
	}
	base = strings.TrimPrefix(strings.ToLower(b.String()), "是否")
	return base, strings.ToLower(in.String())
}

// A unit of a revenue column, as the power of ten that converts it to 万元.
type unit int

// revenueHeader recognizes a revenue column. ok is false when the header is
// not about revenue; err is set when it is but lacks a usable year or unit.
func revenueHeader(header, base, inner string) (year int, u unit, ok bool, err error) {
	full := base + inner
	if !containsAny(full, "营业收入", "营收", "revenue") || containsAny(full, "率", "增长", "增幅", "%", "占比", "比重", "比例") {
		return 0, 0, false, nil
	}
	var years []int
	for _, run := range digitRuns(full) {
		if len(run) == 4 {
			if y, _ := strconv.Atoi(run); y >= 1990 && y <= 2100 {
				years = append(years, y)
			}
		}
	}
	if len(years) != 1 {
		return 0, 0, true, model.Errorf(model.ErrInvalid, "营业收入列「%s」应写明一个年份，例如「2024年营业收入（万元）」", header)
	}
	if containsAny(full, "美元", "港元", "港币", "欧元", "日元") {
		return 0, 0, true, model.Errorf(model.ErrInvalid, "营业收入列「%s」的币种不支持，请换算为人民币万元", header)
	}
	// Longest unit names first: 万元 also contains 元.
	for _, ru := range [...]struct {
		name string
		exp  unit
	}{{"百万元", 2}, {"亿元", 4}, {"千元", -1}, {"万元", 0}, {"元", -4}} {
		if strings.Contains(full, ru.name) {
			return years[0], ru.exp, true, nil
		}
	}
	return years[0], 0, true, nil
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// digitRuns returns the maximal runs of ASCII digits in s.
func digitRuns(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
}

// column is one used column of the file.
type column struct {
	index  int    // 0-based
	header string // as written
	field  field
	year   int  // revenue columns
	unit   unit // revenue columns
}

// layout is the column layout read from the header row.
type layout struct {
	row     int              // the header's row number
	byField map[field]column // the first column of each field except revenue
	revenue []column         // one per year, in column order
	ignored []string
	known   int // recognized columns
}

// readHeader maps a header row. err is the first file-level problem with a
// column (a revenue column without a year, two columns for one year); the
// other columns are still mapped. Missing required columns are checked by
// the caller.
func readHeader(row int, cells []string) (l layout, err error) {
	l = layout{row: row, byField: map[field]column{}}
	years := map[int]column{}
	for i, h := range cells {
		if h == "" {
			continue
		}
		base, inner := headerKey(h)
		c := column{index: i, header: h, field: fieldFor(base)}
		if c.field == fieldNone {
			year, u, ok, yerr := revenueHeader(h, base, inner)
			switch {
			case yerr != nil:
				err = cmp.Or(err, yerr)
				continue
			case ok:
				c.field, c.year, c.unit = fieldRevenue, year, u
			}
		}
		switch {
		case c.field == fieldNone:
			l.ignored = append(l.ignored, h)
			continue
		case c.field == fieldRevenue:
			if first, dup := years[c.year]; dup {
				err = cmp.Or(err, model.Errorf(model.ErrInvalid, "列「%s」与列「%s」都是 %d 年营业收入", h, first.header, c.year))
				continue
			}
			years[c.year] = c
			l.revenue = append(l.revenue, c)
		default:
			if first, dup := l.byField[c.field]; dup {
				l.ignored = append(l.ignored, fmt.Sprintf("%s（与「%s」重复）", h, first.header))
				continue
			}
			l.byField[c.field] = c
		}
		l.known++
	}
	return l, err
}

// isHeader reports whether the layout looks like a roster header.
func (l layout) isHeader() bool {
	_, name := l.byField[fieldName]
	_, code := l.byField[fieldCode]
	return name || code
}

// missing returns the required columns the layout lacks.
func (l layout) missing() []string {
	var out []string
	for _, f := range []field{fieldName, fieldCode, fieldBatch} {
		if _, ok := l.byField[f]; !ok {
			out = append(out, "「"+f.label()+"」")
		}
	}
	return out
}

// fields lists the model field keys the layout has columns for.
func (l layout) fields() []string {
	var out []string
	seen := map[string]bool{}
	for f := fieldName; f < fieldEnd; f++ {
		_, ok := l.byField[f]
		if f == fieldRevenue {
			ok = len(l.revenue) > 0
		}
		if k := f.key(); ok && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// isBlankRune reports spaces and the invisible characters copy-paste leaves.
func isBlankRune(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}
