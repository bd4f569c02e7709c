package ui

import (
	"strings"
	"unicode/utf8"

	"digilevel/model"

	"github.com/charmbracelet/x/ansi"
)

// ambiguous maps East-Asian-ambiguous runes found in the catalog, the model's
// texts and common typing to unambiguous ones. Terminals set to draw
// ambiguous runes two cells wide (common with CJK fonts) would otherwise
// misalign every line and border that contains them. Display only: stored
// data keeps the original runes.
var ambiguous = map[rune]string{
	'×': "x", '÷': "/", '–': "-", '—': "-", '―': "-",
	'“': "「", '”': "」", '‘': "'", '’': "'",
	'·': "・", '•': "・", '…': "...",
	'≥': ">=", '≤': "<=", '±': "+/-", '°': "度",
	'★': "*", '☆': "*", '※': "*", '●': "*", '○': "o", '■': "#", '□': "[ ]",
	'→': "->", '←': "<-", '↑': "^", '↓': "v",
	'①': "(1)", '②': "(2)", '③': "(3)", '④': "(4)", '⑤': "(5)",
	'⑥': "(6)", '⑦': "(7)", '⑧': "(8)", '⑨': "(9)", '⑩': "(10)",
}

// Display is how every text reaches the screen: stored text of unknown
// origin made harmless (model.DisplaySafe: no control or bidi character
// can act on the terminal), tabs as spaces, and ambiguous-width runes
// replaced (see ambiguous). Letters such as é or α are ambiguous too but
// carry meaning, so they are left alone. Newlines stay; wrap breaks on
// them, and oneLine turns them into spaces.
func Display(s string) string {
	s = model.DisplaySafe(s, true)
	if strings.IndexByte(s, '\t') >= 0 {
		s = strings.ReplaceAll(s, "\t", " ")
	}
	clean := true
	for _, r := range s {
		if r >= 0x80 && ambiguous[r] != "" {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		if rep, ok := ambiguous[r]; ok {
			b.WriteString(rep)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// oneLine is Display for places that hold one line (list cells, titles).
func oneLine(s string) string { return strings.ReplaceAll(Display(s), "\n", " ") }

// wrap breaks display text into lines of at most width cells. CJK text has
// no spaces, so breaking inside a run is allowed; ASCII words are kept
// whole where they fit.
func wrap(s string, width int) []string {
	if width < 2 {
		width = 2
	}
	s = Display(s)
	var out []string
	for _, para := range strings.Split(s, "\n") {
		if ansi.StringWidth(para) <= width {
			out = append(out, para)
			continue
		}
		out = append(out, kinsoku(fill(para, width), width)...)
	}
	return out
}

// fill breaks one paragraph greedily. The units are a wide (CJK)
// character, a run of narrow non-space characters (an ASCII word, a path,
// a number) and a space: a line may break between any two units, so
// Chinese flows to the edge while "v1" or "13800000000" stay whole unless
// one is longer than a line.
func fill(para string, width int) []string {
	var lines []string
	var line strings.Builder
	w := 0
	flush := func() {
		lines = append(lines, strings.TrimRight(line.String(), " "))
		line.Reset()
		w = 0
	}
	put := func(unit string, uw int) {
		if w+uw > width && w > 0 {
			flush()
			if strings.TrimSpace(unit) == "" {
				return // no line starts with the space it broke at
			}
		}
		for uw > width { // a word longer than a line is cut where it must
			head := ansi.Truncate(unit, width, "")
			line.WriteString(head)
			flush()
			unit = strings.TrimPrefix(unit, head)
			uw = ansi.StringWidth(unit)
		}
		line.WriteString(unit)
		w += uw
	}
	var word strings.Builder
	ww := 0
	for _, r := range para {
		rw := ansi.StringWidth(string(r))
		if rw == 1 && r != ' ' {
			word.WriteRune(r)
			ww++
			continue
		}
		if ww > 0 {
			put(word.String(), ww)
			word.Reset()
			ww = 0
		}
		put(string(r), rw)
	}
	if ww > 0 {
		put(word.String(), ww)
	}
	if line.Len() > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// indent prefixes each line and styles its text.
func indent(lines []string, prefix string, style func(...string) string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = prefix + style(l)
	}
	return out
}

// hang prefixes the first line with first and the others with rest.
func hang(lines []string, first, rest string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if i == 0 {
			out[i] = first + l
		} else {
			out[i] = rest + l
		}
	}
	return out
}

// noLineStart are closing punctuation marks a line must not start with.
const noLineStart = "，。、；：？！）」』】》〉％,.;:?!)]}%"

// kinsoku moves the last character of a line down when the next line would
// start with closing punctuation, carrying any overflow further down.
func kinsoku(lines []string, width int) []string {
	for i := 1; i < len(lines); i++ {
		first, _ := utf8.DecodeRuneInString(lines[i])
		if !strings.ContainsRune(noLineStart, first) {
			continue
		}
		// Take runes from the end of the line above until the one taken is
		// not closing punctuation itself (「令牌）」 before 「；」 moves both).
		for {
			prev := []rune(lines[i-1])
			if len(prev) < 2 {
				break
			}
			last := prev[len(prev)-1]
			lines[i-1] = string(prev[:len(prev)-1])
			lines[i] = string(last) + lines[i]
			if !strings.ContainsRune(noLineStart, last) {
				break
			}
		}
		// Carry the overflow down, as many runes as it takes: a narrow
		// rune carried out does not make room for a wide one carried in.
		for j := i; j < len(lines) && ansi.StringWidth(lines[j]) > width; j++ {
			for ansi.StringWidth(lines[j]) > width {
				rs := []rune(lines[j])
				lines[j] = string(rs[:len(rs)-1])
				if j+1 == len(lines) {
					lines = append(lines, "")
				}
				lines[j+1] = string(rs[len(rs)-1]) + lines[j+1]
			}
		}
	}
	return lines
}

// truncate cuts s to at most width cells, marking the cut with "..".
func truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	if width <= 2 {
		return ansi.Truncate(s, width, "")
	}
	return ansi.Truncate(s, width, "..")
}

// pad makes s exactly width cells: cut if longer, filled with spaces if shorter.
func pad(s string, width int) string {
	s = truncate(s, width)
	if w := ansi.StringWidth(s); w < width {
		s += strings.Repeat(" ", width-w)
	}
	return s
}

// width is the display width of s in cells.
func width(s string) int { return ansi.StringWidth(s) }

// bar draws a progress bar of n cells with unambiguous block runes.
func bar(done, total, n int) string {
	if n <= 0 {
		return ""
	}
	full := 0
	if total > 0 {
		full = done * n / total
		if done > 0 && full == 0 {
			full = 1
		}
	}
	return strings.Repeat("▰", full) + strings.Repeat("▱", n-full)
}

// clipLines keeps at most h lines of s.
func clipLines(lines []string, h int) []string {
	if h >= 0 && len(lines) > h {
		return lines[:h]
	}
	return lines
}

// fitWidth cuts every line of s to w cells; a safety net for composed blocks.
func fitWidth(lines []string, w int) []string {
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	return lines
}

// runeLen counts characters, for limits stated in characters.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
