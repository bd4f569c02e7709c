package model

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// Issue 9 item 10: the structure GB 32100 gives a credit code is checked,
// not only the check digit (which all zeros pass).
func TestCreditCodeStructure(t *testing.T) {
	if c, _ := CreditCodeCheckChar("00000000000000000"); c != '0' {
		t.Fatalf("precondition: all zeros have check character %c, want 0", c)
	}
	tests := []struct{ code, want string }{
		{"000000000000000000", "第 1 位（登记管理部门代码）"},
		{"B1410700MA44RN9B0U", "第 1 位（登记管理部门代码）"},
		{"90410700MA44RN9B0U", "第 2 位（机构类别代码）"},
		{"91000000MA44RN9B0U", "不是有效的行政区划"},
		{"91990000MA44RN9B0U", "不是有效的行政区划"},
	}
	for _, tt := range tests {
		err := ValidateCreditCode(tt.code)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ValidateCreditCode(%q) = %v, want %q", tt.code, err, tt.want)
		}
	}
	e := validEnterprise()
	e.Code = "000000000000000000"
	if err := e.Validate(); err == nil {
		t.Error("an enterprise with credit code 000000000000000000 was accepted")
	}
}

// Issue 9 items 6 and 10: every text field of the enterprise file follows
// the shared text rule, so names of zero-width characters, bidi overrides,
// control characters and invalid UTF-8 are refused wherever they come from.
func TestEnterpriseTextRule(t *testing.T) {
	tests := []struct {
		name, field, want string
		change            func(e *Enterprise)
	}{
		{"zero width name", FieldName, "企业名称: 不能为空", func(e *Enterprise) { e.Name = "\u200b\u200c\u200d" }},
		{"rtl override name", FieldName, "U+202E", func(e *Enterprise) { e.Name = "公司\u202egpj.exe" }},
		{"invalid utf8 name", FieldName, "无效的字符编码", func(e *Enterprise) { e.Name = "公司\xff" }},
		{"osc title in name", FieldName, "U+001B", func(e *Enterprise) { e.Name = "公司\x1b]0;pwned\x07" }},
		{"newline in name", FieldName, "不能换行", func(e *Enterprise) { e.Name = "第一行\n第二行" }},
		{"osc52 in notes", FieldNotes, "U+001B", func(e *Enterprise) { e.Notes = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07" }},
		{"c1 in address", FieldAddress, "U+009B", func(e *Enterprise) { e.Address = "路\u009b31m" }},
		{"bidi in provider", FieldProvider, "U+2067", func(e *Enterprise) { e.Provider = "\u2067服务商\u2069" }},
		{"control in industry", FieldIndustry, "U+0007", func(e *Enterprise) { e.Industry = "制造\a" }},
		{"control in contact", FieldContacts, "联系人 1 姓名", func(e *Enterprise) { e.Contacts[0].Name = "王\x1b[2J" }},
		{"control in code", FieldCode, "U+001B", func(e *Enterprise) { e.Code = "\x1b91350100M000100Y4" }},
		{"too many contacts", FieldContacts, "最多", func(e *Enterprise) {
			e.Contacts = make([]Contact, MaxContacts+1)
			for i := range e.Contacts {
				e.Contacts[i] = Contact{Name: "王"}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEnterprise()
			tt.change(&e)
			e.Normalize()
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
	e := validEnterprise()
	e.Notes = "第一行\r\n第二行\t制表\r第三行"
	e.Normalize()
	if err := e.Validate(); err != nil || e.Notes != "第一行\n第二行\t制表\n第三行" {
		t.Errorf("multi-line notes: %q %v", e.Notes, err)
	}
	// A carriage return left in place could overwrite a line on a terminal.
	if err := CheckText("真实\r伪造", TextRule{Label: "备注", Multiline: true}); err == nil {
		t.Error("a lone carriage return was accepted")
	}
}

// Issue 9 items 6 and 11: the assessor, reasons, notes and list items have
// the text rule and a length limit.
func TestAssessmentTextRule(t *testing.T) {
	cat := catalog(t)
	long := strings.Repeat("长", MaxReasonLength+1)
	if err := (Assessor{Org: strings.Repeat("机", MaxOrgLength+1)}).Validate(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "评测机构 过长") {
		t.Errorf("long org: %v", err)
	}
	if err := (Assessor{Person: "李\u202e工"}).Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("bidi person: %v", err)
	}
	_, err := NewAssessment(NewAssessmentOptions{ID: "01JABCDEFGHJKMNPQRSTVWXYZ0", Enterprise: "x", Kind: KindBaseline, Catalog: cat,
		Assessor: Assessor{Org: "服务商\x1b]0;x\x07"}, Now: t0})
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("NewAssessment with a control character in the org: %v", err)
	}
	if err := (Change{Who: "李工", Reason: long}).Validate(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "原因 过长") {
		t.Errorf("long reason: %v", err)
	}
	a, _ := draft(t, cat)
	c := Change{Who: "李工", Now: t0}
	if _, err := a.SetNote(cat, "Q01", "备注\x1b[31m红", c); !errors.Is(err, ErrInvalid) {
		t.Errorf("note with an escape: %v", err)
	}
	if _, err := a.SetNote(cat, "Q01", "两行\n备注", c); err != nil {
		t.Errorf("two-line note: %v", err)
	}
	for _, it := range []ListItem{
		{Ref: "Q01", Title: "标题\u202e"},
		{Ref: "Q01", Title: "\u200b"},
		{Ref: "Q01", Title: "标题", Note: "\x07"},
		{Ref: strings.Repeat("Q", MaxListRefLength+1), Title: "标题"},
	} {
		if _, err := a.SetLists([]ListItem{it}, nil, c); !errors.Is(err, ErrInvalid) {
			t.Errorf("SetLists(%+v) = %v, want ErrInvalid", it, err)
		}
	}
	if _, err := a.SetLists(make([]ListItem, MaxListItems+1), nil, c); !errors.Is(err, ErrInvalid) {
		t.Errorf("too many list items: %v", err)
	}
	a.State = StateQueued
	if _, _, err := a.Revise("01JB0000000000000000000000", long, c); !errors.Is(err, ErrInvalid) {
		t.Errorf("revise with a long reason: %v", err)
	}
}

// Issue 9 item 2: the platform's receipt is the truth, so a rejected or
// held report may still become sent; item 1: a held report is its own state.
func TestHeldAndRejectedMayBecomeSent(t *testing.T) {
	for _, from := range []State{StateQueued, StateSendFailed, StateHeld, StateRejected} {
		if !CanTransition(from, StateSent) {
			t.Errorf("%s -> sent not allowed", from)
		}
	}
	for _, from := range []State{StateQueued, StateSendFailed, StateHeld} {
		if !CanTransition(from, StateHeld) {
			t.Errorf("%s -> held not allowed", from)
		}
	}
	if CanTransition(StateRejected, StateQueued) || CanTransition(StateSent, StateRejected) || CanTransition(StateDraft, StateHeld) {
		t.Error("a transition outside the lifecycle is allowed")
	}
	if !StateHeld.Unsent() || StateHeld.Label() != "暂缓发送" {
		t.Errorf("held: unsent %v, label %q", StateHeld.Unsent(), StateHeld.Label())
	}
}

// Issue 9 item 11: strict JSON, not what encoding/json lets pass.
func TestCheckJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"a":1}`, ""},
		{` {"a":[1,{"b":2},{"b":3}]} ` + "\n", ""},
		{`{"a":1}}}}]]]`, "多余内容"},
		{`{"a":1} {"a":2}`, "多余内容"},
		{`{"a":1,"a":2}`, `键 "a" 重复`},
		{`{"x":{"a":1,"b":{"a":1},"a":2}}`, `键 "a" 重复`},
		{`[{"a":1},{"a":1}]`, ""},
		{``, "为空"},
		{`{"a":`, "不完整"},
		{`{"a" 1}`, "语法错误"},
	}
	for _, tt := range tests {
		err := CheckJSON([]byte(tt.in), "答卷")
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("CheckJSON(%q) = %v", tt.in, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrInvalid)):
			t.Errorf("CheckJSON(%q) = %v, want %q", tt.in, err, tt.want)
		}
	}
	var a AnswerSet
	if _, err := DecodeAnswerSet(strings.NewReader(`{"edition":"2024","answers":{"Q01":["B"]},"scenarios":{}}}}}]]]`)); err == nil {
		t.Error("DecodeAnswerSet accepted trailing }}}]]]")
	}
	if _, err := DecodeAnswerSet(strings.NewReader(`{"edition":"2024","answers":{"Q01":["B"],"Q01":["C"]},"scenarios":{}}`)); err == nil {
		t.Error("DecodeAnswerSet accepted a duplicate key")
	}
	if err := DecodeStrictJSON([]byte(`{"edition":"2024","bogus":1}`), "答卷", &a); err == nil || !strings.Contains(err.Error(), "未知字段") {
		t.Errorf("unknown field: %v", err)
	}
}

func TestDisplaySafeCopy(t *testing.T) {
	type inner struct {
		Text  string
		Items []string
		M     map[string]string
		P     *string
		hide  string
	}
	bad := "a\x1b]52;c;x\x07\u202eb"
	in := inner{Text: bad, Items: []string{bad}, M: map[string]string{bad: bad}, P: &bad, hide: bad}
	out := DisplaySafeCopy(in)
	check := func(s string) {
		t.Helper()
		for _, r := range s {
			if UnsafeRune(r) {
				t.Fatalf("%q kept %U", s, r)
			}
		}
	}
	check(out.Text)
	check(out.Items[0])
	check(*out.P)
	for k, v := range out.M {
		check(k)
		check(v)
	}
	if in.Text != bad || *in.P != bad || out.hide != bad || !utf8.ValidString(out.Text) {
		t.Error("the original was changed, or an unexported field was not copied")
	}
	doc := ReportDocument{Enterprise: Enterprise{Name: bad, Revenue: []YearRevenue{{Year: 2025, Wan: "5800"}}}}
	safe := DisplaySafeCopy(doc)
	check(safe.Enterprise.Name)
	if safe.Enterprise.Revenue[0].Wan != "5800" {
		t.Errorf("a decimal changed: %q", safe.Enterprise.Revenue[0].Wan)
	}
}
