package model

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		rule TextRule
		ok   bool
	}{
		{"plain chinese", "新乡市红旗机械有限公司", TextRule{Label: "企业名称", Max: 100, Required: true}, true},
		{"empty optional", "", TextRule{Label: "地址"}, true},
		{"empty required", "", TextRule{Label: "企业名称", Required: true}, false},
		{"only spaces", "  \u3000 ", TextRule{Label: "企业名称", Required: true}, false},
		{"only zero width", "\u200b\u200c\u200d\ufeff", TextRule{Label: "企业名称", Required: true}, false},
		{"zero width inside visible text", "红\u200d旗", TextRule{Label: "企业名称", Required: true}, true},
		{"osc title", "公司\x1b]0;pwned\x07", TextRule{Label: "企业名称"}, false},
		{"osc52 clipboard", "\x1b]52;c;Y3VybA==\x07", TextRule{Label: "备注", Multiline: true}, false},
		{"c1 csi", "a\u009b31m", TextRule{Label: "备注"}, false},
		{"del", "a\x7f", TextRule{Label: "备注"}, false},
		{"rtl override", "公司\u202egpj.exe", TextRule{Label: "企业名称"}, false},
		{"bidi isolate", "\u2067x\u2069", TextRule{Label: "企业名称"}, false},
		{"invalid utf8", "\xff\xfe", TextRule{Label: "企业名称"}, false},
		{"newline single line", "第一行\n第二行", TextRule{Label: "企业名称"}, false},
		{"newline multiline", "第一行\n第二行\t制表", TextRule{Label: "备注", Multiline: true}, true},
		{"too long", strings.Repeat("字", 11), TextRule{Label: "企业名称", Max: 10}, false},
		{"at limit", strings.Repeat("字", 10), TextRule{Label: "企业名称", Max: 10}, true},
		{"line separator", "a\u2028b", TextRule{Label: "备注", Multiline: true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckText(tt.in, tt.rule)
			if tt.ok && err != nil {
				t.Fatalf("CheckText(%q) = %v, want nil", tt.in, err)
			}
			if !tt.ok {
				if err == nil {
					t.Fatalf("CheckText(%q) = nil, want an error", tt.in)
				}
				if !errors.Is(err, ErrInvalid) {
					t.Errorf("error %v does not wrap ErrInvalid", err)
				}
				if !strings.Contains(err.Error(), tt.rule.Label) {
					t.Errorf("error %q does not name the field %q", err, tt.rule.Label)
				}
			}
		})
	}
}

func TestDisplaySafe(t *testing.T) {
	tests := []struct {
		in, want  string
		multiline bool
	}{
		{"红旗机械", "红旗机械", false},
		{"a\x1b]0;x\x07b", "a\ufffd]0;x\ufffdb", false},
		{"a\nb", "a\ufffdb", false},
		{"a\nb\tc", "a\nb\tc", true},
		{"x\u202ey", "x\ufffdy", false},
		{"\xffok", "\ufffdok", false},
	}
	for _, tt := range tests {
		if got := DisplaySafe(tt.in, tt.multiline); got != tt.want {
			t.Errorf("DisplaySafe(%q, %v) = %q, want %q", tt.in, tt.multiline, got, tt.want)
		}
	}
}

func FuzzDisplaySafe(f *testing.F) {
	for _, s := range []string{"红旗", "\x1b]52;c;x\x07", "\u202e", "\xff", "a\nb"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, multiline bool) {
		out := DisplaySafe(s, multiline)
		if !utf8.ValidString(out) {
			t.Fatalf("DisplaySafe(%q) is not valid UTF-8: %q", s, out)
		}
		for _, c := range out {
			if UnsafeRune(c) && !(multiline && (c == '\n' || c == '\t')) {
				t.Fatalf("DisplaySafe(%q) kept unsafe %U", s, c)
			}
		}
		if CheckText(out, TextRule{Multiline: multiline}) != nil && utf8.ValidString(s) {
			// Whatever DisplaySafe returns must itself be acceptable text.
			t.Fatalf("DisplaySafe(%q) = %q, which CheckText refuses", s, out)
		}
	})
}
