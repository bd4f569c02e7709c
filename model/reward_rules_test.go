package model

import (
	"strings"
	"testing"
)

// What TestEstimateReward's amounts do not show: the article and the cap
// flag, the cap reached exactly (not capped), the note for a level above
// the top tier only there, the batch reason only from the second batch.
func TestRewardArticleCapAndNotes(t *testing.T) {
	p := DefaultRewardPolicy()
	for _, c := range []struct {
		name    string
		in      RewardInput
		article string
		amount  Decimal
		capped  bool
		has     []string
		hasNot  []string
	}{
		{"二级 exactly at the cap: 1000×5% = 50", RewardInput{Level: 2, Batch: 1, ZJTX: ZJTXNational, SmartFactory: true, RevenueBefore: "1000", RevenueAfter: "2000"},
			"第十五条", "50", false, []string{"新增营业收入 = 2000 − 1000 = 1000 万元", "1000 万元 × 5% = 50 万元（未超过累计上限 50 万元）"},
			[]string{"按上限计", p.AboveTopTierNote, "逐批递减"}},
		{"智能工厂 alone: said why it stays at the base rate", RewardInput{Level: 2, Batch: 1, SmartFactory: true, RevenueBefore: "5000", RevenueAfter: "5800"},
			"第十五条", "24", false, []string{"拥有省级以上智能工厂（车间）但非专精特新，政策只对专精特新企业加档"}, nil},
		{"二级 over the cap", RewardInput{Level: 2, Batch: 1, RevenueBefore: "10000", RevenueAfter: "12000"},
			"第十五条", "50", true, []string{"超过第十五条累计上限 50 万元，按上限计"}, nil},
		{"三级 is the top tier: no note", RewardInput{Level: 3, Batch: 1, RevenueBefore: "5000", RevenueAfter: "5800"},
			"第十六条", "32", false, nil, []string{p.AboveTopTierNote}},
		{"四级 paid as 三级, with the note", RewardInput{Level: 4, Batch: 1, RevenueBefore: "5000", RevenueAfter: "5800"},
			"第十六条", "32", false, []string{p.AboveTopTierNote}, nil},
		{"third batch: 2 points less", RewardInput{Level: 2, Batch: 3, RevenueBefore: "5000", RevenueAfter: "5800"},
			"第十五条", "8", false, []string{"第三批企业逐批递减 2 个百分点", "3% → 1%"}, nil},
		{"second batch: 1 point less", RewardInput{Level: 2, Batch: 2, RevenueBefore: "5000", RevenueAfter: "5800"},
			"第十五条", "16", false, []string{"第二批企业逐批递减 1 个百分点", "3% → 2%"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := p.EstimateReward(c.in)
			if err != nil {
				t.Fatal(err)
			}
			reasons := strings.Join(r.Reasons, "\n")
			if r.Article != c.article || r.AmountWan != c.amount || r.Capped != c.capped {
				t.Errorf("article %q amount %s capped %v; want %q %s %v\n%s", r.Article, r.AmountWan, r.Capped, c.article, c.amount, c.capped, reasons)
			}
			for _, s := range c.has {
				if !strings.Contains(reasons, s) {
					t.Errorf("reasons lack %q:\n%s", s, reasons)
				}
			}
			for _, s := range c.hasNot {
				if strings.Contains(reasons, s) {
					t.Errorf("reasons hold %q:\n%s", s, reasons)
				}
			}
		})
	}
}

// The batch decrement is data: with 2 points per batch the third batch
// of a 3% tier would be -1%, which pays nothing rather than a negative
// amount; 5% becomes 1%.
func TestRewardBatchDecrementFromPolicy(t *testing.T) {
	p := DefaultRewardPolicy()
	p.BatchDecrementPercent = 2
	in := RewardInput{Level: 2, Batch: 3, RevenueBefore: "5000", RevenueAfter: "5800"}
	r, err := p.EstimateReward(in)
	if err != nil {
		t.Fatal(err)
	}
	reasons := strings.Join(r.Reasons, "\n")
	if r.RatePercent != 0 || r.AmountWan != "0" || !strings.Contains(reasons, "逐批递减 4 个百分点") || !strings.Contains(reasons, "3% → 0%") {
		t.Errorf("3%% less 2×2: rate %d amount %s\n%s", r.RatePercent, r.AmountWan, reasons)
	}
	in.ZJTX, in.SmartFactory = ZJTXProvincial, true
	if r, _ := p.EstimateReward(in); r.RatePercent != 1 || r.AmountWan != "8" {
		t.Errorf("5%% less 2×2: rate %d amount %s", r.RatePercent, r.AmountWan)
	}
	in.Batch = 2
	if r, _ := p.EstimateReward(in); r.RatePercent != 3 || r.AmountWan != "24" {
		t.Errorf("5%% less 2: rate %d amount %s", r.RatePercent, r.AmountWan)
	}
}
