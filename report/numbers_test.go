package report

import (
	"fmt"
	"strings"
	"testing"

	"digilevel/indicators"
	"digilevel/model"
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

func TestChineseNumber(t *testing.T) {
	for n, want := range map[int]string{0: "零", 1: "一", 9: "九", 10: "十", 11: "11", -1: "-1"} {
		if got := chineseNumber(n); got != want {
			t.Errorf("chineseNumber(%d) = %q, want %q", n, got, want)
		}
	}
}

// File sizes at every unit edge.
func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{
		-1: "", 0: "", 1: "1 B", 1023: "1023 B", 1024: "1.0 KB", 1536: "1.5 KB",
		1024*1024 - 1: "1024.0 KB", 1024 * 1024: "1.0 MB", 5 * 1024 * 1024: "5.0 MB", 1536 * 1024 * 1024: "1536.0 MB",
	} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// A year listed without an amount is missing: the estimate names the year
// rather than failing on an empty number; no estimate has no amount.
func TestEstimateRewardEmptyRevenueIsMissing(t *testing.T) {
	e := testEnterprise()
	rated := tBaseline
	year := RatedYear(rated)
	rev := []model.YearRevenue{{Year: year, Wan: ""}, {Year: year + 1, Wan: "5000"}}
	est := EstimateReward(model.DefaultRewardPolicy(), e, rev, 2, "二级", rated)
	if est.Reward != nil || est.Missing == "" || !strings.Contains(est.Missing, fmt.Sprint(year)) || est.Problem != "" {
		t.Errorf("an empty revenue: %+v", est)
	}
	if est.AmountWan() != "" {
		t.Errorf("AmountWan without an estimate = %q", est.AmountWan())
	}
	rev[0].Wan = "4000"
	est = EstimateReward(model.DefaultRewardPolicy(), e, rev, 2, "二级", rated)
	if est.Reward == nil || est.AmountWan() != est.Reward.AmountWan || est.AmountWan() == "" {
		t.Errorf("with both revenues: %+v", est)
	}
}
