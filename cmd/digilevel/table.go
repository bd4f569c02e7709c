package main

import (
	"io"
	"strings"

	"golang.org/x/text/width"

	"digilevel/model"
)

// table aligns columns by display width: text/tabwriter counts a Chinese
// character as one column, so CJK tables came out ragged.
type table struct {
	rows [][]string
}

// row adds a row; each cell is shown on one line with control and bidi
// characters replaced (stored text must neither act on the terminal nor
// break the columns).
func (t *table) row(cells ...string) {
	safe := make([]string, len(cells))
	for i, c := range cells {
		safe[i] = model.DisplaySafe(c, false)
	}
	t.rows = append(t.rows, safe)
}

func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

func (t *table) write(w io.Writer) error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
