package model

import (
	"errors"
	"strings"
	"testing"
)

// Worked by hand from the plan's text (Art. 15, 16, 18, 25).
func TestEstimateReward(t *testing.T) {
	p := DefaultRewardPolicy()
	tests := []struct {
		name     string
		in       RewardInput
		amount   string
		rate     int
		cap      int
		eligible bool
		reason   string
	}{
		{"Art.15 二级 batch 1 base: 800×3%", RewardInput{Level: 2, Batch: 1, RevenueBefore: "5000", RevenueAfter: "5800"}, "24", 3, 50, true, "第十五条"},
		{"Art.15 专精特新: 800×4%", RewardInput{Level: 2, Batch: 1, ZJTX: ZJTXProvincial, RevenueBefore: "5000", RevenueAfter: "5800"}, "32", 4, 50, true, "省级专精特新"},
		{"Art.15 专精特新+智能工厂: 800×5%", RewardInput{Level: 2, Batch: 1, ZJTX: ZJTXNational, SmartFactory: true, RevenueBefore: "5000", RevenueAfter: "5800"}, "40", 5, 50, true, "智能工厂"},
		{"Art.15 智能工厂 alone stays at base 3%", RewardInput{Level: 2, Batch: 1, SmartFactory: true, RevenueBefore: "5000", RevenueAfter: "5800"}, "24", 3, 50, true, "非专精特新"},
		{"Art.15 batch 2: 3%-1 = 2%", RewardInput{Level: 2, Batch: 2, RevenueBefore: "5000", RevenueAfter: "5800"}, "16", 2, 50, true, "第二批"},
		{"Art.15 batch 3: 3%-2 = 1%", RewardInput{Level: 2, Batch: 3, RevenueBefore: "5000", RevenueAfter: "5800"}, "8", 1, 50, true, "第三批"},
		{"Art.15 cap 50万: 2000×3% = 60 -> 50", RewardInput{Level: 2, Batch: 1, RevenueBefore: "10000", RevenueAfter: "12000"}, "50", 3, 50, true, "上限 50"},
		{"Art.16 三级 batch 1 专精特新+智能工厂: 6%, cap 70", RewardInput{Level: 3, Batch: 1, ZJTX: ZJTXProvincial, SmartFactory: true, RevenueBefore: "8000", RevenueAfter: "10000"}, "70", 6, 70, true, "第十六条"},
		{"Art.16 三级 batch 3 base: 4%-2 = 2%", RewardInput{Level: 3, Batch: 3, RevenueBefore: "5000", RevenueAfter: "5800"}, "16", 2, 70, true, "第十六条"},
		{"四级 is paid as 三级", RewardInput{Level: 4, Batch: 1, RevenueBefore: "5000", RevenueAfter: "5800"}, "32", 4, 70, true, "四级按三级"},
		{"一级 gets nothing", RewardInput{Level: 1, LevelName: "一级", Batch: 1, RevenueBefore: "5000", RevenueAfter: "5800"}, "0", 0, 0, false, "评定等级为一级，未达到第十五条规定的最低奖励等级（二级）"},
		{"revenue fell: new revenue is 0, not negative", RewardInput{Level: 2, Batch: 1, RevenueBefore: "5800", RevenueAfter: "5000"}, "0", 3, 50, true, "= 0 万元"},
		{"Art.25 exclusion", RewardInput{Level: 3, Batch: 1, RevenueBefore: "5000", RevenueAfter: "5800", Exclusions: []string{"safety"}}, "0", 0, 70, false, "第二十五条"},
		{"Art.17/18 pilot industry noted", RewardInput{Level: 2, Batch: 1, RevenueBefore: "5000", RevenueAfter: "5800", PilotIndustry: true}, "24", 3, 50, true, "就高不重复"},
		{"exact decimals: 1111.1111×3%", RewardInput{Level: 2, Batch: 1, RevenueBefore: "1234.5678", RevenueAfter: "2345.6789"}, "33.3333", 3, 50, true, "1111.1111"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := p.EstimateReward(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(r.AmountWan) != tt.amount || r.RatePercent != tt.rate || r.CapWan != tt.cap || r.Eligible != tt.eligible {
				t.Errorf("reward = %s 万元 at %d%% cap %d eligible %v\n%s", r.AmountWan, r.RatePercent, r.CapWan, r.Eligible, strings.Join(r.Reasons, "\n"))
			}
			if !strings.Contains(strings.Join(r.Reasons, "\n"), tt.reason) {
				t.Errorf("reasons lack %q:\n%s", tt.reason, strings.Join(r.Reasons, "\n"))
			}
		})
	}
}

func TestEstimateRewardBadInput(t *testing.T) {
	p := DefaultRewardPolicy()
	tests := []struct {
		in   RewardInput
		want string
	}{
		{RewardInput{Level: 2, Batch: 1, RevenueBefore: "-5", RevenueAfter: "10"}, "基准年营业收入: 不能为负数"},
		{RewardInput{Level: 2, Batch: 4, RevenueBefore: "5", RevenueAfter: "10"}, "批次: 应为 1–3"},
		{RewardInput{Level: 2, Batch: 1, RevenueAfter: "10"}, "基准年营业收入: 不能为空"},
		{RewardInput{Level: 7, Batch: 1, RevenueBefore: "5", RevenueAfter: "10"}, "等级"},
		{RewardInput{Level: 2, Batch: 1, RevenueBefore: "5", RevenueAfter: "10", Exclusions: []string{"weather"}}, "不予支持情形: \"weather\" 未知"},
	}
	for _, tt := range tests {
		_, err := p.EstimateReward(tt.in)
		if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("EstimateReward(%+v) = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestParseRewardPolicyRejectsBadData(t *testing.T) {
	for _, doc := range []string{`{}`, `{"tiers":[{"level":2,"base_percent":3,"zjtx_percent":2,"zjtx_smart_factory_percent":5,"cap_wan":50}]}`, `{"tiers":[],"extra":1}`} {
		if _, err := ParseRewardPolicy([]byte(doc)); err == nil {
			t.Errorf("ParseRewardPolicy(%s) accepted", doc)
		}
	}
}
