package model

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
)

//go:embed policies/xinxiang-etdz-2025.json
var defaultPolicyJSON []byte

// RewardPolicy is a district's reward rules for the level reached after the
// retrofit, as data (the Xinxiang ETDZ plan, Art. 15-18 and 25).
type RewardPolicy struct {
	ID                    string       `json:"id"`
	Name                  string       `json:"name"`
	Period                string       `json:"period"`
	NewRevenueRule        string       `json:"new_revenue_rule"`
	Tiers                 []RewardTier `json:"tiers"`
	AboveTopTierNote      string       `json:"above_top_tier_note"`
	BatchDecrementPercent int          `json:"batch_decrement_percent"`
	BatchArticle          string       `json:"batch_article"`
	ExclusionArticle      string       `json:"exclusion_article"`
	Exclusions            []Exclusion  `json:"exclusions"`
	PilotIndustryNote     string       `json:"pilot_industry_note"`
	// Targets are the plan's numeric goals the office follows (Art. 5).
	Targets []ProgrammeTarget `json:"targets"`
}

// RewardTier is the rate table of one level.
type RewardTier struct {
	Level   int    `json:"level"`
	Name    string `json:"name"`
	Article string `json:"article"`
	// Rates in percent of the new revenue, by the enterprise's standing.
	BasePercent             int `json:"base_percent"`
	ZJTXPercent             int `json:"zjtx_percent"`
	ZJTXSmartFactoryPercent int `json:"zjtx_smart_factory_percent"`
	CapWan                  int `json:"cap_wan"`
}

// Exclusion is a reason of Art. 25 that voids the reward.
type Exclusion struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// DefaultRewardPolicy returns the embedded Xinxiang ETDZ policy.
func DefaultRewardPolicy() RewardPolicy {
	p, err := ParseRewardPolicy(defaultPolicyJSON)
	if err != nil {
		panic(fmt.Sprintf("embedded reward policy: %v", err)) // caught by the package tests
	}
	return p
}

// ParseRewardPolicy decodes and checks a policy document.
func ParseRewardPolicy(data []byte) (RewardPolicy, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p RewardPolicy
	if err := dec.Decode(&p); err != nil {
		return RewardPolicy{}, fmt.Errorf("奖补政策格式错误: %w", err)
	}
	if len(p.Tiers) == 0 {
		return RewardPolicy{}, invalidf("奖补政策没有档位")
	}
	for i, t := range p.Tiers {
		if i > 0 && t.Level <= p.Tiers[i-1].Level {
			return RewardPolicy{}, invalidf("奖补政策档位应按等级递增")
		}
		if t.BasePercent < 0 || t.ZJTXPercent < t.BasePercent || t.ZJTXSmartFactoryPercent < t.ZJTXPercent || t.CapWan <= 0 {
			return RewardPolicy{}, invalidf("奖补政策 %s 的比例或上限无效", t.Article)
		}
	}
	for _, t := range p.Targets {
		switch {
		case t.Metric != MetricZJTXRetrofitted && t.Metric != MetricScaleUpgraded:
			return RewardPolicy{}, invalidf("工作目标的统计口径 %q 未知（可选 %s、%s）", t.Metric, MetricZJTXRetrofitted, MetricScaleUpgraded)
		case t.Goal <= 0 || t.Text == "":
			return RewardPolicy{}, invalidf("工作目标 %s 缺少说明或目标数", t.Metric)
		}
	}
	return p, nil
}

// RewardInput is what the estimate needs.
type RewardInput struct {
	Level        int
	Batch        int
	ZJTX         ZJTX
	SmartFactory bool
	// RevenueBefore is the revenue of the year before the first full
	// natural year after the rating; RevenueAfter that of the first full
	// natural year (both 万元).
	RevenueBefore Decimal
	RevenueAfter  Decimal
	// Exclusions are Art. 25 reasons (IDs of the policy's exclusions).
	Exclusions    []string
	PilotIndustry bool
	// LevelName is the catalog's name of Level, for the explanation.
	LevelName string
}

// Reward is an estimate with the reasons that produced it.
type Reward struct {
	Eligible      bool     `json:"eligible"`
	AmountWan     Decimal  `json:"amount_wan"`
	NewRevenueWan Decimal  `json:"new_revenue_wan"`
	RatePercent   int      `json:"rate_percent"`
	CapWan        int      `json:"cap_wan"`
	Capped        bool     `json:"capped"`
	Article       string   `json:"article,omitempty"`
	Reasons       []string `json:"reasons"`
}

// EstimateReward applies the policy. It never returns a negative amount; an
// input it cannot use is an error naming the field.
func (p RewardPolicy) EstimateReward(in RewardInput) (Reward, error) {
	var errs FieldErrors
	if in.Batch < MinBatch || in.Batch > MaxBatch {
		errs.add("batch", "批次", fmt.Sprintf("应为 %d–%d，实际 %d", MinBatch, MaxBatch, in.Batch))
	}
	if in.Level < 0 || in.Level > 4 {
		errs.add("level", "等级", fmt.Sprintf("应为 0–4，实际 %d", in.Level))
	}
	for _, f := range []struct {
		key, label string
		v          Decimal
	}{{"revenue-before", "基准年营业收入", in.RevenueBefore}, {"revenue-after", "评定后首个自然年度营业收入", in.RevenueAfter}} {
		switch {
		case f.v.IsZero():
			errs.add(f.key, f.label, "不能为空（单位: 万元）")
		case f.v.Sign() < 0:
			errs.add(f.key, f.label, fmt.Sprintf("不能为负数（%s 万元）", f.v))
		}
	}
	var excluded []string
	for _, id := range in.Exclusions {
		ex, ok := p.exclusion(id)
		if !ok {
			errs.add("excluded", "不予支持情形", fmt.Sprintf("%q 未知（可选 %s）", id, p.exclusionIDs()))
			continue
		}
		excluded = append(excluded, ex.Text)
	}
	if err := errs.err(); err != nil {
		return Reward{}, err
	}

	r := Reward{AmountWan: "0", Reasons: []string{}}
	newRev := new(big.Rat).Sub(in.RevenueAfter.Rat(), in.RevenueBefore.Rat())
	if newRev.Sign() < 0 {
		newRev.SetInt64(0)
	}
	r.NewRevenueWan = DecimalFromRat(newRev, 4)
	r.Reasons = append(r.Reasons, fmt.Sprintf("新增营业收入 = %s − %s = %s 万元（%s）", in.RevenueAfter, in.RevenueBefore, r.NewRevenueWan, p.NewRevenueRule))
	if in.PilotIndustry {
		r.Reasons = append(r.Reasons, p.PilotIndustryNote)
	}
	tier, ok := p.tierFor(in.Level)
	if !ok {
		r.Reasons = append(r.Reasons, p.belowTiers(in))
		return r, nil
	}
	r.Article = tier.Article
	if in.Level > tier.Level {
		r.Reasons = append(r.Reasons, p.AboveTopTierNote)
	}
	rate := tier.BasePercent
	standing := "非专精特新企业，按基础比例"
	switch {
	case in.ZJTX.IsZJTX() && in.SmartFactory:
		rate = tier.ZJTXSmartFactoryPercent
		standing = "专精特新（" + in.ZJTX.Label() + "）且拥有省级以上智能工厂（车间）"
	case in.ZJTX.IsZJTX():
		rate = tier.ZJTXPercent
		standing = "专精特新（" + in.ZJTX.Label() + "）"
	case in.SmartFactory:
		standing = "拥有省级以上智能工厂（车间）但非专精特新，政策只对专精特新企业加档，按基础比例"
	}
	firstBatchRate := rate
	rate -= (in.Batch - 1) * p.BatchDecrementPercent
	if rate < 0 {
		rate = 0
	}
	r.RatePercent, r.CapWan = rate, tier.CapWan
	r.Reasons = append(r.Reasons, fmt.Sprintf("%s（%s档）: %s，第一批比例 %d%%", tier.Article, tier.Name, standing, firstBatchRate))
	if in.Batch > 1 {
		r.Reasons = append(r.Reasons, fmt.Sprintf("第%s批企业逐批递减 %d 个百分点（%s）: %d%% → %d%%", batchLabel(in.Batch), (in.Batch-1)*p.BatchDecrementPercent, p.BatchArticle, firstBatchRate, rate))
	}
	if len(excluded) > 0 {
		r.RatePercent = 0
		r.Reasons = append(r.Reasons, fmt.Sprintf("存在%s规定的不予支持情形: %s，不予奖励", p.ExclusionArticle, strings.Join(excluded, "、")))
		return r, nil
	}
	amount := new(big.Rat).Mul(newRev, big.NewRat(int64(rate), 100))
	capWan := big.NewRat(int64(tier.CapWan), 1)
	r.Eligible = true
	if amount.Cmp(capWan) > 0 {
		r.Capped = true
		r.Reasons = append(r.Reasons, fmt.Sprintf("%s 万元 × %d%% = %s 万元，超过%s累计上限 %d 万元，按上限计", r.NewRevenueWan, rate, DecimalFromRat(amount, 4), tier.Article, tier.CapWan))
		amount = capWan
	} else {
		r.Reasons = append(r.Reasons, fmt.Sprintf("%s 万元 × %d%% = %s 万元（未超过累计上限 %d 万元）", r.NewRevenueWan, rate, DecimalFromRat(amount, 4), tier.CapWan))
	}
	r.AmountWan = DecimalFromRat(amount, 4)
	return r, nil
}

// BelowRewardLevel is the reward of a level no tier rewards: nothing, with
// the reason, whatever the revenue, so it is known before any revenue is
// (the reward a 一级 spot-check leaves is 0, not unknown). ok is false
// when a tier rewards the level.
func (p RewardPolicy) BelowRewardLevel(level int, levelName string) (r Reward, ok bool) {
	if _, rewarded := p.tierFor(level); rewarded || level < 0 || level > 4 {
		return Reward{}, false
	}
	return Reward{AmountWan: "0", Reasons: []string{p.belowTiers(RewardInput{Level: level, LevelName: levelName})}}, true
}

func (p RewardPolicy) belowTiers(in RewardInput) string {
	return fmt.Sprintf("评定等级为%s，未达到%s规定的最低奖励等级（%s），不予奖励", in.levelName(), p.Tiers[0].Article, p.Tiers[0].Name)
}

// tierFor picks the tier of a level: the highest tier at or below it.
func (p RewardPolicy) tierFor(level int) (RewardTier, bool) {
	var best RewardTier
	found := false
	for _, t := range p.Tiers {
		if t.Level <= level {
			best, found = t, true
		}
	}
	return best, found
}

func (p RewardPolicy) exclusion(id string) (Exclusion, bool) {
	for _, e := range p.Exclusions {
		if e.ID == id || e.Text == id {
			return e, true
		}
	}
	return Exclusion{}, false
}

func (p RewardPolicy) exclusionIDs() string {
	ids := make([]string, len(p.Exclusions))
	for i, e := range p.Exclusions {
		ids[i] = e.ID + "（" + e.Text + "）"
	}
	return strings.Join(ids, "、")
}

func (in RewardInput) levelName() string {
	if in.LevelName != "" {
		return in.LevelName
	}
	return fmt.Sprintf("等级 %d", in.Level)
}

func batchLabel(b int) string {
	return [...]string{"零", "一", "二", "三"}[min(max(b, 0), 3)]
}

// RewardYears returns the years whose revenues the policy compares for a
// rating made in ratedYear: the first full natural year after it, and the
// year before that.
func RewardYears(ratedYear int) (before, after int) { return ratedYear, ratedYear + 1 }
