package model

import (
	"errors"
	"strings"
	"testing"
)

func TestCreditCode(t *testing.T) {
	valid := []string{
		"91350100M000100Y43", // the example used throughout GB 32100 material
		"91350100m000100y43", // lower case is normalised
		" 91350100M000100Y43 ",
	}
	// Bodies from each registration authority, with the computed check digit.
	for _, body := range []string{"91410700MA44RN9B0", "12100000400000662", "52410700MJ0000061", "93410727MA9F00004", "Y1410700MD0000000"} {
		ch, err := CreditCodeCheckChar(body)
		if err != nil {
			t.Fatal(err)
		}
		valid = append(valid, body+string(ch))
	}
	for _, code := range valid {
		if err := ValidateCreditCode(code); err != nil {
			t.Errorf("ValidateCreditCode(%q) = %v", code, err)
		}
	}
	invalid := []struct{ code, want string }{
		{"91350100M000100Y44", "校验位错误: 第 18 位应为 3，实际为 4"},
		{"91350100M000100Y4", "应为 18 位"},
		{"91350100M000100Y433", "应为 18 位"},
		{"91350100M0001I0Y43", "不是允许的字符"},
		{"91350100M0001O0Y43", "不是允许的字符"},
		{"9135A100M000100Y43", "行政区划码"},
		{"91350100M000100Y4Z", "第 18 位"},
		{"统一社会信用代码统一社会信用代码统一", "应为 18 位"},
		{"", "应为 18 位"},
	}
	for _, tt := range invalid {
		err := ValidateCreditCode(tt.code)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ValidateCreditCode(%q) = %v, want %q", tt.code, err, tt.want)
		}
	}
}

func validEnterprise() Enterprise {
	return Enterprise{
		Code: "91350100M000100Y43", Name: "新乡市示例机械制造有限公司", Industry: "通用设备制造业",
		Scale: ScaleAbove, ZJTX: ZJTXProvincial, Batch: 1,
		Revenue:  []YearRevenue{{Year: 2025, Wan: "5800"}, {Year: 2024, Wan: "5000"}},
		Contacts: []Contact{{Name: "王经理", Role: "生产经理", Phone: "0373-1234567", Email: "wang@example.com"}},
		Provider: "河南某数字科技有限公司",
	}
}

func TestEnterpriseValidate(t *testing.T) {
	e := validEnterprise()
	e.Normalize()
	if err := e.Validate(); err != nil {
		t.Fatalf("valid enterprise rejected: %v", err)
	}
	if e.Revenue[0].Year != 2024 {
		t.Errorf("revenue not sorted by year")
	}
	tests := []struct {
		name, field, want string
		change            func(e *Enterprise)
	}{
		{"empty name", FieldName, "企业名称: 不能为空", func(e *Enterprise) { e.Name = "  " }},
		{"long name", FieldName, "过长", func(e *Enterprise) { e.Name = strings.Repeat("名", 101) }},
		{"bad check digit", FieldCode, "统一社会信用代码: 校验位错误", func(e *Enterprise) { e.Code = "91350100M000100Y44" }},
		{"missing code", FieldCode, "统一社会信用代码: 不能为空", func(e *Enterprise) { e.Code = "" }},
		{"batch 0", FieldBatch, "批次: 应为 1–3，实际 0", func(e *Enterprise) { e.Batch = 0 }},
		{"batch 4", FieldBatch, "批次", func(e *Enterprise) { e.Batch = 4 }},
		{"negative revenue", FieldRevenue, "营业收入: 2025 年为负数（-1 万元）", func(e *Enterprise) { e.Revenue[0].Wan = "-1" }},
		{"duplicate year", FieldRevenue, "重复", func(e *Enterprise) { e.Revenue[1].Year = 2025 }},
		{"odd year", FieldRevenue, "不合理", func(e *Enterprise) { e.Revenue[1].Year = 225 }},
		{"bad scale", FieldScale, "规模", func(e *Enterprise) { e.Scale = "huge" }},
		{"bad zjtx", FieldZJTX, "专精特新", func(e *Enterprise) { e.ZJTX = "city" }},
		{"bad phone", FieldContacts, "电话", func(e *Enterprise) { e.Contacts[0].Phone = "call me" }},
		{"bad email", FieldContacts, "邮箱", func(e *Enterprise) { e.Contacts[0].Email = "wang@" }},
		{"empty contact", FieldContacts, "至少填一项", func(e *Enterprise) { e.Contacts[0] = Contact{Role: "经理"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEnterprise()
			tt.change(&e)
			err := e.Validate()
			var fe *FieldError
			if !errors.As(err, &fe) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate() = %v, want a FieldError", err)
			}
			if fe.Field != tt.field || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v (field %s), want %s containing %q", err, fe.Field, tt.field, tt.want)
			}
		})
	}
	// Every problem is reported, not only the first.
	e = Enterprise{Batch: 9}
	var errs FieldErrors
	if err := e.Validate(); !errors.As(err, &errs) || len(errs) != 3 {
		t.Errorf("want 3 field errors (name, code, batch), got %v", err)
	}
}

func TestParseEnums(t *testing.T) {
	for in, want := range map[string]ZJTX{"": ZJTXNone, "省级": ZJTXProvincial, "national": ZJTXNational, "小巨人": ZJTXNational} {
		if got, err := ParseZJTX(in); err != nil || got != want {
			t.Errorf("ParseZJTX(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseZJTX("市级"); err == nil {
		t.Error("ParseZJTX(市级) accepted")
	}
	if s, err := ParseScale("规下"); err != nil || s != ScaleBelow {
		t.Errorf("ParseScale = %v %v", s, err)
	}
}

func TestSyntheticCreditCode(t *testing.T) {
	seen := map[string]bool{}
	for _, i := range []int{0, 1, 30, 31, 9999, 27_000_000} {
		code, err := SyntheticCreditCode(i)
		if err != nil || ValidateCreditCode(code) != nil || seen[code] || code[:10] != "91410700MA" {
			t.Errorf("SyntheticCreditCode(%d) = %q, %v", i, code, err)
		}
		seen[code] = true
	}
}
