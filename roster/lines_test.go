package roster

import (
	"reflect"
	"strings"
	"testing"
)

// splitLines keeps every byte and cuts after LF, CRLF or a lone CR.
func TestSplitLines(t *testing.T) {
	for in, want := range map[string][]string{
		"":                nil,
		"a":               {"a"},
		"a\n":             {"a\n"},
		"a\nb":            {"a\n", "b"},
		"a\r\nb\r\n":      {"a\r\n", "b\r\n"},
		"a\rb\r":          {"a\r", "b\r"},
		"\r\n\n\r":        {"\r\n", "\n", "\r"},
		"a\r\r\nb":        {"a\r", "\r\n", "b"},
		"甲,1\r\n乙,2\n丙,3": {"甲,1\r\n", "乙,2\n", "丙,3"},
	} {
		var got []string
		for _, l := range splitLines([]byte(in)) {
			got = append(got, string(l))
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("splitLines(%q) = %q, want %q", in, got, want)
		}
		if j := strings.Join(got, ""); j != in {
			t.Errorf("splitLines(%q) lost bytes: %q", in, j)
		}
	}
}

func TestCountLines(t *testing.T) {
	for in, want := range map[string]int{"": 0, "a": 0, "a\nb": 1, "a\r\nb\r\nc": 2, "a\rb": 1, "\r\n\r\n": 2, "\n\r": 2} {
		if got := countLines(in); got != want {
			t.Errorf("countLines(%q) = %d, want %d", in, got, want)
		}
	}
}

// The separator is the one that recognises the most header columns, in
// the first rows; spaces and quotes around a header cell do not matter;
// comma when none is recognised or on a tie.
func TestSniffDelimiter(t *testing.T) {
	for in, want := range map[string]byte{
		"企业名称,统一社会信用代码,批次\n":       ',',
		"企业名称\t统一社会信用代码\t批次\n":     '\t',
		"企业名称;统一社会信用代码;批次\n":       ';',
		" 企业名称 ; 统一社会信用代码 ;批次\n":   ';',
		"名单\n\n企业名称;统一社会信用代码;批次\n": ';',
		"a;b;c\n": ',',
		"'企业名称;'统一社会信用代码\n":            ';',
		"=\"企业名称\";=\"统一社会信用代码\"\n":    ';',
		"\"企业名称\"\t\"统一社会信用代码\"\t批次\n": '\t',
	} {
		if got := sniffDelimiter(in); got != want {
			t.Errorf("sniffDelimiter(%q) = %q, want %q", in, got, want)
		}
	}
}
