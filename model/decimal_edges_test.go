package model

import (
	"strings"
	"testing"
)

// Spaces around a number are dropped; an empty value says so.
func TestParseDecimalSpacesAndEmpty(t *testing.T) {
	if d, err := ParseDecimal(" 12.50\t"); err != nil || d != "12.5" {
		t.Errorf("ParseDecimal with spaces = %q, %v", d, err)
	}
	for _, s := range []string{"", "  "} {
		if _, err := ParseDecimal(s); err == nil || !strings.Contains(err.Error(), "空值") {
			t.Errorf("ParseDecimal(%q) = %v, want the empty-value error", s, err)
		}
	}
}

// The policy compares the first natural year after the rating with the
// year before it (第十五条): a rating in 2025 compares 2026 with 2025.
func TestRewardYears(t *testing.T) {
	if before, after := RewardYears(2025); before != 2025 || after != 2026 {
		t.Errorf("RewardYears(2025) = %d, %d; want 2025, 2026", before, after)
	}
}

// The shape of a decimal: digits on both sides of one point, at most
// MaxDecimalDigits digits in all.
func TestParseDecimalShape(t *testing.T) {
	d30 := strings.Repeat("1", 20) + "." + strings.Repeat("2", 10)
	d31 := strings.Repeat("1", 25) + "." + strings.Repeat("2", 6)
	for _, c := range []struct {
		in   string
		want Decimal
		ok   bool
	}{
		{"+5", "5", true}, {"-0.125", "-0.125", true}, {"0.0", "0", true},
		{d30, Decimal(d30), true}, {strings.Repeat("9", 30), Decimal(strings.Repeat("9", 30)), true},
		{d31, "", false}, {strings.Repeat("9", 31), "", false},
		{"1.", "", false}, {".5", "", false}, {"-", "", false}, {"--5", "", false},
		{"1.2.3", "", false}, {"1e3", "", false}, {"1,000", "", false}, {"１２", "", false},
	} {
		got, err := ParseDecimal(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseDecimal(%q) = %q, %v; want %q ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}
