package report

import (
	"testing"

	"digilevel/indicators"
)

// A percentage of points, rounded down; no maximum gives a dash, never a
// division by zero.
func TestPercent(t *testing.T) {
	p := indicators.MustPoints
	for _, c := range []struct {
		p, m indicators.Points
		want string
	}{
		{p("5"), p("10"), "50%"}, {p("1"), p("3"), "33%"}, {p("0.001"), p("0.001"), "100%"},
		{p("2"), p("2"), "100%"}, {0, p("8"), "0%"}, {p("1"), 0, "—"}, {0, 0, "—"}, {p("1"), -1, "—"},
	} {
		if got := percent(c.p, c.m); got != c.want {
			t.Errorf("percent(%s, %s) = %q, want %q", c.p, c.m, got, c.want)
		}
	}
}

// Line breaks never split a Markdown table row; in a paragraph they stay
// breaks, whatever the line ends.
func TestMarkdownLineBreaks(t *testing.T) {
	for in, want := range map[string]string{"两行\n备注": "两行 备注", "两行\r\n备注": "两行 备注", "  ": "—"} {
		if got := mdCell(in); got != want {
			t.Errorf("mdCell(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"两行\n备注": "两行  \n  备注", "两行\r\n备注": "两行  \n  备注"} {
		if got := mdText(in); got != want {
			t.Errorf("mdText(%q) = %q, want %q", in, got, want)
		}
	}
}
