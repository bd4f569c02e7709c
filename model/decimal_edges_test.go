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
