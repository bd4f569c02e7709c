package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"digilevel/model"
)

// Estimate is the district reward for one level, or why it cannot be
// estimated. The policy pays on the level rated after the retrofit, on the
// growth of the first full natural year after the rating over the year
// before (model.RewardYears).
type Estimate struct {
	Level      int
	LevelName  string
	RatedYear  int
	BeforeYear int
	AfterYear  int
	// Reward is nil when no estimate was made; Missing or Problem says why.
	Reward *model.Reward
	// Missing names the revenue that is not recorded ("2027 年营业收入").
	Missing string
	// Problem is an input the policy cannot use (for example a batch out of range).
	Problem string
	// Notes are the policy conditions shown with every estimate (Art. 25,
	// Art. 17–18) that the reasons do not already state.
	Notes []string
	// Excluded are the texts of the Art. 25 reasons the office recorded
	// (EstimateRewardWith); any voids the reward.
	Excluded []string
}

// EstimateReward estimates the reward of enterprise e at level, rated at
// ratedAt, using revenue (the enterprise's yearly 营业收入; nil means
// e.Revenue).
func EstimateReward(p model.RewardPolicy, e model.Enterprise, revenue []model.YearRevenue, level int, levelName string, ratedAt time.Time) Estimate {
	return EstimateRewardWith(p, e, revenue, level, levelName, ratedAt, nil)
}

// EstimateRewardWith is EstimateReward with the Art. 25 reasons the district
// office recorded for the enterprise (IDs of the policy's exclusions): any
// of them voids the reward, and the estimate says which.
func EstimateRewardWith(p model.RewardPolicy, e model.Enterprise, revenue []model.YearRevenue, level int, levelName string, ratedAt time.Time, exclusions []string) Estimate {
	if revenue != nil {
		e.Revenue = revenue // e is a copy
	}
	est := Estimate{Level: level, LevelName: levelName, RatedYear: RatedYear(ratedAt)}
	if len(exclusions) > 0 {
		est.Excluded = p.ExclusionTexts(exclusions)
	}
	est.BeforeYear, est.AfterYear = model.RewardYears(est.RatedYear)
	find := func(year int) (model.Decimal, bool) {
		wan, ok := e.RevenueIn(year)
		return wan, ok && !wan.IsZero()
	}
	before, okB := find(est.BeforeYear)
	after, okA := find(est.AfterYear)
	var missing []string
	if !okB {
		missing = append(missing, fmt.Sprintf("%d 年", est.BeforeYear))
	}
	if !okA {
		missing = append(missing, fmt.Sprintf("%d 年", est.AfterYear))
	}
	if r, below := p.BelowRewardLevel(level, levelName); below && len(missing) > 0 {
		est.Reward = &r // nothing at this level, whatever the revenue
	} else if len(missing) > 0 {
		est.Missing = strings.Join(missing, "、") + "营业收入"
	} else {
		r, err := p.EstimateReward(model.RewardInput{
			Level: level, LevelName: levelName, Batch: e.Batch, ZJTX: e.ZJTX, SmartFactory: e.SmartFactory,
			RevenueBefore: before, RevenueAfter: after, PilotIndustry: e.PilotIndustry, Exclusions: exclusions,
		})
		if err != nil {
			est.Problem = err.Error()
		} else {
			est.Reward = &r
		}
	}
	est.Notes = policyNotes(p, e, est.Reward)
	if len(exclusions) > 0 && len(est.Notes) > 0 && len(p.Exclusions) > 0 {
		// The first note assumes no exclusion applies; one was recorded.
		est.Notes[0] = fmt.Sprintf("%s: 主管部门已记录不予支持情形（%s），不予奖励。", p.ExclusionArticle, strings.Join(est.Excluded, "、"))
	}
	return est
}

// policyNotes are the conditions a reader must know even when the numbers
// are missing: the Art. 25 exclusions and, for the city's pilot industries,
// the Art. 17–18 rule (unless the reasons already carry it).
func policyNotes(p model.RewardPolicy, e model.Enterprise, r *model.Reward) []string {
	var notes []string
	if len(p.Exclusions) > 0 {
		texts := make([]string, len(p.Exclusions))
		for i, x := range p.Exclusions {
			texts[i] = x.Text
		}
		notes = append(notes, fmt.Sprintf("%s: 享受奖励的企业如存在%s等情形之一，不予支持；本测算假定均不存在。", p.ExclusionArticle, strings.Join(texts, "、")))
	}
	if e.PilotIndustry && p.PilotIndustryNote != "" && (r == nil || !slices.Contains(r.Reasons, p.PilotIndustryNote)) {
		notes = append(notes, p.PilotIndustryNote)
	}
	return notes
}

// Summary is one line: the amount, or why there is none.
func (e Estimate) Summary() string {
	switch {
	case len(e.Excluded) > 0:
		return fmt.Sprintf("0 万元（不予支持: %s）", strings.Join(e.Excluded, "、"))
	case e.Reward != nil && e.Reward.Eligible:
		return fmt.Sprintf("%s 万元（按%s，比例 %d%%，累计上限 %d 万元）", e.Reward.AmountWan, e.LevelName, e.Reward.RatePercent, e.Reward.CapWan)
	case e.Reward != nil:
		return fmt.Sprintf("0 万元（%s不符合奖励条件）", e.LevelName)
	case e.Missing != "":
		return fmt.Sprintf("暂无法测算，一企一档缺少 %s（万元）", e.Missing)
	default:
		return "暂无法测算，" + e.Problem
	}
}

// AmountWan is the estimated amount, or "" when there is no estimate.
func (e Estimate) AmountWan() model.Decimal {
	if e.Reward == nil {
		return ""
	}
	return e.Reward.AmountWan
}

// rewardSection is what the report's reward section says.
type rewardSection struct {
	// Basis explains which level the policy pays on and how this report relates.
	Basis []string
	// Label heads the estimate ("测算" or "预测（仅供参考）"); empty when none is shown.
	Label    string
	Estimate Estimate
	// Shown is false when the estimate is withheld (a spot check, or a
	// baseline projection without the data); Basis then says why.
	Shown bool
	// Policy names the policy and says the estimate is not signed.
	Policy string
}

// rewardFor builds the reward section of a report. Only an acceptance
// rating is paid on (Art. 14); a baseline shows what the pilot target level
// would pay, as a projection, when the revenue exists.
func rewardFor(r *Report) rewardSection {
	doc := r.Doc
	cat := r.Catalog
	ratedAt := RatedAt(doc)
	s := rewardSection{Policy: policyNote(r.Policy)}
	switch doc.Kind {
	case model.KindAcceptance:
		s.Basis = append(s.Basis, fmt.Sprintf("%s本报告为%s，评定等级%s，评定年份 %d 年。", article14, doc.KindLabel, doc.Result.LevelName, RatedYear(ratedAt)))
		if doc.Draft {
			s.Basis = append(s.Basis, "本报告尚为草稿，测算随答卷变化，定稿后以定稿等级为准。")
		}
		s.Label = "奖补测算"
		s.Estimate = EstimateReward(r.Policy, doc.Enterprise, r.Revenue, doc.Result.Level, doc.Result.LevelName, ratedAt)
		s.Shown = true
	case model.KindBaseline:
		level := max(doc.Target.Target, doc.Result.Level)
		name := cat.LevelName(level)
		s.Basis = append(s.Basis, fmt.Sprintf("奖补按%s评定的等级兑现（第十四条），%s的等级（本报告为%s）不作为奖补依据。", cat.KindLabel(string(model.KindAcceptance)), doc.KindLabel, doc.Result.LevelName))
		est := EstimateReward(r.Policy, doc.Enterprise, r.Revenue, level, name, ratedAt)
		s.Estimate = est
		if est.Reward != nil {
			s.Label = "预测（仅供参考）"
			s.Basis = append(s.Basis, fmt.Sprintf("以下为预测：假定改造后验收达到%s，且验收在 %d 年完成，按 %d 年与 %d 年营业收入测算。实际金额以验收等级和届时营业收入为准。", name, est.RatedYear, est.BeforeYear, est.AfterYear))
			s.Shown = true
		} else if est.Missing != "" {
			s.Basis = append(s.Basis, fmt.Sprintf("如需预测达到%s可获得的奖补，须在一企一档中录入 %s（万元）。", name, est.Missing))
		} else {
			s.Basis = append(s.Basis, "无法预测奖补："+est.Problem)
		}
	default:
		s.Basis = append(s.Basis, fmt.Sprintf("%s结果不作为奖补兑现依据；奖补按改造后验收评定的等级兑现（第十四条）。", doc.KindLabel))
		s.Estimate = Estimate{Notes: policyNotes(r.Policy, doc.Enterprise, nil)}
	}
	return s
}
