package model

import "testing"

// Levels 0 (未达一级) to 4 are estimated (0 and 一级 pay nothing); -1 and 5
// are errors.
func TestRewardLevelRange(t *testing.T) {
	p := DefaultRewardPolicy()
	in := RewardInput{Batch: 1, RevenueBefore: "1000", RevenueAfter: "1500"}
	for level := -1; level <= 5; level++ {
		in.Level = level
		r, err := p.EstimateReward(in)
		valid := level >= 0 && level <= 4
		if (err == nil) != valid {
			t.Errorf("level %d: %v, want valid=%v", level, err, valid)
		}
		if valid && level < 2 && (r.Eligible || r.AmountWan != "0") {
			t.Errorf("level %d pays %s", level, r.AmountWan)
		}
	}
}
