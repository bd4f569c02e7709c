package model

import (
	"fmt"
	"reflect"
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
	// Multiline allows newlines and tabs (notes, findings); a carriage
	// return is refused (it can make a terminal overwrite a line), so
	// entry paths pass text through NormalizeNewlines first.
	Multiline bool
	// Required refuses text that is empty or only invisible characters.
	Required bool
}

// CheckText returns a Chinese error wrapping ErrInvalid when s breaks the
// rule: invalid UTF-8, an unsafe character (see UnsafeRune), newlines in a
// single-line field, more than Max characters, or (Required) nothing visible.
func CheckText(s string, r TextRule) error {
	if msg := textProblem(s, r); msg != "" {
		return invalidf("%s %s", r.label(), msg)
	}
	return nil
}

func (r TextRule) label() string {
	if r.Label == "" {
		return "文本"
	}
	return r.Label
}

// textProblem is CheckText's message without the field's label, for
// validators that report it as a FieldError of their own.
func textProblem(s string, r TextRule) string {
	if !utf8.ValidString(s) {
		return "含有无效的字符编码，请重新输入（只接受 UTF-8 文本）"
	}
	visible := false
	for i, c := range s {
		if (c == '\n' || c == '\t') && r.Multiline {
			continue
		}
		if c == '\n' || c == '\r' {
			return "不能换行，请写在一行内"
		}
		if UnsafeRune(c) {
			return fmt.Sprintf("第 %d 个字符是不可见的控制字符（%U），请删除后重新输入", utf8.RuneCountInString(s[:i])+1, c)
		}
		if !invisibleRune(c) {
			visible = true
		}
	}
	if r.Required && !visible {
		return "不能为空"
	}
	if n := utf8.RuneCountInString(s); r.Max > 0 && n > r.Max {
		return fmt.Sprintf("过长（%d 字，上限 %d 字）", n, r.Max)
	}
	return ""
}

// NormalizeNewlines turns Windows (CRLF) and old Mac (CR) line breaks into
// "\n", as text pasted or imported from other programs comes.
func NormalizeNewlines(s string) string {
	if !strings.ContainsRune(s, '\r') {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
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

// DisplaySafeCopy returns a deep copy of v in which every string (struct
// fields, slice elements, map keys and values, at any depth) has passed
// through DisplaySafe with newlines and tabs kept. Renderers of whole
// documents use it once instead of remembering every text field: a field
// added later is covered too. Unexported fields are copied as they are.
func DisplaySafeCopy[T any](v T) T {
	in := reflect.ValueOf(&v).Elem()
	out := reflect.New(in.Type()).Elem()
	safeCopy(out, in)
	return out.Interface().(T)
}

func safeCopy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.String:
		dst.SetString(DisplaySafe(src.String(), true))
	case reflect.Struct:
		dst.Set(src) // unexported fields and non-text values as they are
		for i := range src.NumField() {
			if dst.Field(i).CanSet() {
				safeCopy(dst.Field(i), src.Field(i))
			}
		}
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			safeCopy(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Array:
		for i := range src.Len() {
			safeCopy(dst.Index(i), src.Index(i))
		}
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		it := src.MapRange()
		for it.Next() {
			k := reflect.New(src.Type().Key()).Elem()
			safeCopy(k, it.Key())
			e := reflect.New(src.Type().Elem()).Elem()
			safeCopy(e, it.Value())
			m.SetMapIndex(k, e)
		}
		dst.Set(m)
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		safeCopy(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		e := reflect.New(src.Elem().Type()).Elem()
		safeCopy(e, src.Elem())
		dst.Set(e)
	default:
		dst.Set(src)
	}
}
