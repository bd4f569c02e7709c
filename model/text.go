package model

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text that people type (names, notes, roster cells, survey findings, plan
// items) ends up in terminals, spreadsheets, HTML and signed reports. A
// control character in it can retitle a terminal or write to its clipboard
// (OSC 52), and a bidi override can make a printed name read differently from
// the stored one. So every entry path checks text with CheckText, and every
// renderer that shows stored text of unknown origin passes it through
// DisplaySafe.

// UnsafeRune reports whether r must never be stored in user text: C0 and C1
// control characters (tab and newline are decided by the caller), DEL, the
// bidi embedding, override and isolate characters, and the line and paragraph
// separators.
func UnsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f: // arabic letter mark, LRM, RLM
		return true
	case r >= 0x202a && r <= 0x202e: // LRE, RLE, PDF, LRO, RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI, RLI, FSI, PDI
		return true
	case r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// invisibleRune reports whether r shows nothing on its own: spaces and the
// zero-width characters. A name made only of these is empty.
func invisibleRune(r rune) bool {
	switch r {
	case 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x180e, 0x3164, 0x115f, 0x1160:
		return true
	}
	return unicode.IsSpace(r)
}

// TextRule says what one text field accepts.
type TextRule struct {
	// Label is the field's Chinese name, used in the error.
	Label string
	// Max is the limit in characters (runes); 0 means no limit.
	Max int
	// Multiline allows newlines and tabs (notes, findings).
	Multiline bool
	// Required refuses text that is empty or only invisible characters.
	Required bool
}

// CheckText returns a Chinese error wrapping ErrInvalid when s breaks the
// rule: invalid UTF-8, an unsafe character (see UnsafeRune), newlines in a
// single-line field, more than Max characters, or (Required) nothing visible.
func CheckText(s string, r TextRule) error {
	label := r.Label
	if label == "" {
		label = "文本"
	}
	if !utf8.ValidString(s) {
		return invalidf("%s 含有无效的字符编码，请重新输入（只接受 UTF-8 文本）", label)
	}
	visible := false
	for i, c := range s {
		if (c == '\n' || c == '\t' || c == '\r') && r.Multiline {
			continue
		}
		if UnsafeRune(c) {
			return invalidf("%s 第 %d 个字符是不可见的控制字符（%U），请删除后重新输入", label, utf8.RuneCountInString(s[:i])+1, c)
		}
		if !invisibleRune(c) {
			visible = true
		}
	}
	if r.Required && !visible {
		return invalidf("%s 不能为空", label)
	}
	if n := utf8.RuneCountInString(s); r.Max > 0 && n > r.Max {
		return invalidf("%s 过长（%d 字，上限 %d 字）", label, n, r.Max)
	}
	return nil
}

// DisplaySafe returns s with every unsafe character and every invalid byte
// replaced by a visible placeholder (U+FFFD), keeping newlines and tabs when multiline. Renderers
// use it for text that was stored before CheckText existed or that came from
// another machine, so nothing they emit can act on a terminal.
func DisplaySafe(s string, multiline bool) string {
	clean := utf8.ValidString(s)
	for _, c := range s {
		if UnsafeRune(c) && !(multiline && (c == '\n' || c == '\t')) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, c := range s {
		switch {
		case multiline && (c == '\n' || c == '\t'):
			b.WriteRune(c)
		case UnsafeRune(c):
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}
