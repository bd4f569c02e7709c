package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"digilevel/model"
)

type rewardOptions struct {
	level         int
	batch         int
	zjtx          string
	smartFactory  bool
	before, after string
	excluded      []string
	pilotIndustry bool
	json          bool
}

func newRewardCmd(a *app) *cobra.Command {
	var o rewardOptions
	cmd := &cobra.Command{
		Use:   "reward",
		Short: "按经开区政策（第十五至十八、二十五条）测算奖补金额（万元）",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReward(a, o)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.level, "level", 0, "改造后评定等级 0–4")
	f.IntVar(&o.batch, "batch", 0, "改造批次 1–3")
	f.StringVar(&o.zjtx, "zjtx", "none", "专精特新: none | provincial | national")
	f.BoolVar(&o.smartFactory, "smart-factory", false, "拥有省级以上智能工厂（车间）")
	f.StringVar(&o.before, "revenue-before", "", "评定当年营业收入（万元）")
	f.StringVar(&o.after, "revenue-after", "", "评定后第一个自然年度营业收入（万元）")
	f.StringSliceVar(&o.excluded, "excluded", nil, "第二十五条不予支持情形: tax|safety|environment|quality|violation|credit（可多次给出）")
	f.BoolVar(&o.pilotIndustry, "pilot-industry", false, "属于新乡市四个试点行业（第十七、十八条）")
	f.BoolVar(&o.json, "json", false, "以 JSON 输出")
	_ = cmd.MarkFlagRequired("level")
	_ = cmd.MarkFlagRequired("batch")
	_ = cmd.MarkFlagRequired("revenue-before")
	_ = cmd.MarkFlagRequired("revenue-after")
	return cmd
}

func runReward(a *app, o rewardOptions) error {
	zjtx, err := model.ParseZJTX(o.zjtx)
	if err != nil {
		return flagError("zjtx", err)
	}
	before, err := model.ParseDecimal(o.before)
	if err != nil {
		return flagError("revenue-before", err)
	}
	after, err := model.ParseDecimal(o.after)
	if err != nil {
		return flagError("revenue-after", err)
	}
	in := model.RewardInput{
		Level: o.level, Batch: o.batch, ZJTX: zjtx, SmartFactory: o.smartFactory,
		RevenueBefore: before, RevenueAfter: after, Exclusions: o.excluded, PilotIndustry: o.pilotIndustry,
	}
	if cat := a.catalog(); o.level >= 0 && o.level <= cat.MaxLevel() {
		in.LevelName = cat.LevelName(o.level)
	}
	r, err := model.DefaultRewardPolicy().EstimateReward(in)
	if err != nil {
		return withFlagNames(err)
	}
	if o.json {
		return printJSON(a.streams.out, r)
	}
	var b strings.Builder
	if r.Eligible {
		fmt.Fprintf(&b, "奖补测算: %s 万元（比例 %d%%，累计上限 %d 万元）\n", r.AmountWan, r.RatePercent, r.CapWan)
	} else {
		fmt.Fprintf(&b, "奖补测算: 0 万元（不符合奖励条件）\n")
	}
	for _, reason := range r.Reasons {
		fmt.Fprintf(&b, "  %s\n", reason)
	}
	_, err = fmt.Fprint(a.streams.out, b.String())
	return err
}

// flagError reports a bad flag value, naming the flag (exit code 2).
func flagError(flag string, err error) error {
	return model.Errorf(model.ErrInvalid, "--%s: %v", flag, err)
}

// withFlagNames prefixes each field error with the flag that sets it.
func withFlagNames(err error) error {
	var fes model.FieldErrors
	if !asFieldErrors(err, &fes) {
		return err
	}
	parts := make([]string, len(fes))
	for i, fe := range fes {
		parts[i] = fmt.Sprintf("--%s（%s）: %s", fe.Field, fe.Label, fe.Message)
	}
	return model.Errorf(model.ErrInvalid, "%s", strings.Join(parts, "；"))
}
