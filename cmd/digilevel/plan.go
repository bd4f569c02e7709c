package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"digilevel/model"
	"digilevel/storage"
)

// editPlan reads a draft's plan, lets change edit a copy, and stores it:
// the one path every `assessment plan` subcommand takes. The model checks
// the whole plan (texts, exact amounts, dates) before anything is written.
func (a *app) editPlan(id, reason string, change func(db *storage.DB, d storage.DiagnosisData, p *model.RetrofitPlan) error) error {
	return a.withStore(func(db *storage.DB) error {
		d, err := db.Diagnosis(id)
		if err != nil {
			return err
		}
		p := d.Assessment.Plan.Clone()
		if p == nil {
			p = &model.RetrofitPlan{}
		}
		if err := change(db, d, p); err != nil {
			return err
		}
		as, err := db.SavePlan(id, p, a.change(db, reason))
		if err != nil {
			return err
		}
		total, _ := as.Plan.InvestmentTotal()
		fmt.Fprintf(a.streams.out, "已保存改造方案: 场景 %d 个，投入 %d 项共 %s 万元，成效指标 %d 项，里程碑 %d 个\n",
			len(as.Plan.Scenarios), len(as.Plan.Investments), total, len(as.Plan.KPIs), len(as.Plan.Milestones))
		return nil
	})
}

// removeAt removes the 1-based position n of a list, or says what exists.
func removeAt[T any](list []T, n string, what string) ([]T, error) {
	i, err := strconv.Atoi(n)
	if err != nil || i < 1 || i > len(list) {
		return nil, model.Errorf(model.ErrInvalid, "%s序号应为 1–%d，实际 %q", what, len(list), n)
	}
	return append(list[:i-1], list[i:]...), nil
}

func newPlanCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "plan ID [--json]",
		Short: "改造方案: 查看；子命令填写改造目标、场景与方案、投入清单、成效指标、实施计划",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(db *storage.DB) error {
				d, err := db.Diagnosis(args[0])
				if err != nil {
					return err
				}
				p := d.Assessment.Plan
				if asJSON {
					return printJSON(a.streams.out, p)
				}
				if p == nil {
					fmt.Fprintln(a.streams.out, "尚未填写改造方案。")
					return nil
				}
				return writeRetrofitPlan(a, d, p)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "以 JSON 输出")

	var level int
	var goal, arch string
	goalCmd := &cobra.Command{
		Use:   "goal ID [--level N] [--goal TEXT] [--architecture TEXT]",
		Short: "改造目标（总体等级与说明）与系统架构",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fs := cmd.Flags()
			return a.editPlan(args[0], "改造目标", func(_ *storage.DB, _ storage.DiagnosisData, p *model.RetrofitPlan) error {
				if fs.Changed("level") {
					p.TargetLevel = level
				}
				if fs.Changed("goal") {
					p.Goal = goal
				}
				if fs.Changed("architecture") {
					p.Architecture = arch
				}
				return nil
			})
		},
	}
	goalCmd.Flags().IntVar(&level, "level", 0, "改造后目标等级 1–4")
	goalCmd.Flags().StringVar(&goal, "goal", "", "改造目标说明")
	goalCmd.Flags().StringVar(&arch, "architecture", "", "系统与集成架构、硬件、云")

	var target int
	var poolIDs, custom []string
	var note string
	var remove bool
	scenarioCmd := &cobra.Command{
		Use:   "scenario ID SCID --target N [--solution POOL_ID]... [--custom \"名称,服务商,cloud|local\"]... [--note TEXT] | --remove",
		Short: "选定一个场景: 目标等级与解决方案（来自方案池或自填；再次给出即替换该场景）",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			sc := strings.ToUpper(args[1])
			return a.editPlan(args[0], "改造场景 "+sc, func(db *storage.DB, d storage.DiagnosisData, p *model.RetrofitPlan) error {
				pool, err := db.Solutions()
				if err != nil {
					return err
				}
				kept := p.Scenarios[:0]
				for _, g := range p.Scenarios {
					if g.Scenario != sc {
						kept = append(kept, g)
					}
				}
				p.Scenarios = kept
				if remove {
					return nil
				}
				if target == 0 {
					return usagef("参数错误: 须给出 --target（目标等级 1–4）")
				}
				g := model.ScenarioGoal{Scenario: sc, Target: target, Note: note}
				for _, id := range poolIDs {
					var found *model.Solution
					for i := range pool {
						if pool[i].ID == id {
							found = &pool[i]
						}
					}
					if found == nil {
						return model.Errorf(model.ErrInvalid, "方案池中没有编号为 %q 的解决方案（查看: digilevel solutions list --scenario %s --level %d）", id, sc, target)
					}
					if !found.Serving(sc, target) {
						return model.Errorf(model.ErrInvalid, "解决方案 %s 不适用于 %s 的%d级（它适用于 %s）", id, sc, target, found.ServesText())
					}
					g.Solutions = append(g.Solutions, found.Use())
				}
				for _, c := range custom {
					f := splitFields(c, 3)
					dep := f[2]
					switch dep {
					case "云端", "云":
						dep = "cloud"
					case "本地":
						dep = "local"
					}
					g.Solutions = append(g.Solutions, model.SolutionUse{Name: f[0], Provider: f[1], Deployment: dep})
				}
				p.Scenarios = append(p.Scenarios, g)
				return nil
			})
		},
	}
	scenarioCmd.Flags().IntVar(&target, "target", 0, "该场景的目标等级 1–4")
	scenarioCmd.Flags().StringArrayVar(&poolIDs, "solution", nil, "方案池中的解决方案编号，可多次给出")
	scenarioCmd.Flags().StringArrayVar(&custom, "custom", nil, "自填解决方案 \"名称,服务商,cloud|local\"，可多次给出")
	scenarioCmd.Flags().StringVar(&note, "note", "", "说明")
	scenarioCmd.Flags().BoolVar(&remove, "remove", false, "从方案中删去该场景")

	var item, category, amount, quantity, unit, unitPrice, invScenario, invNote, invRemove string
	investCmd := &cobra.Command{
		Use:   "invest ID --item TEXT --category hardware|software|cloud|service|other --amount WAN [--quantity Q --unit U --unit-price WAN --scenario SCID --note TEXT] | --remove N",
		Short: "投入清单: 增加一项（金额以万元为单位，精确到元），或按序号删去",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.editPlan(args[0], "投入清单", func(_ *storage.DB, _ storage.DiagnosisData, p *model.RetrofitPlan) error {
				if invRemove != "" {
					var err error
					p.Investments, err = removeAt(p.Investments, invRemove, "投入清单")
					return err
				}
				if item == "" || category == "" || amount == "" {
					return usagef("参数错误: 增加一项须给出 --item、--category 与 --amount")
				}
				inv := model.Investment{Item: item, Category: category, Unit: unit, Scenario: strings.ToUpper(invScenario), Note: invNote}
				var err error
				if inv.Amount, err = model.ParseAmount("金额", amount); err != nil {
					return err
				}
				if quantity != "" {
					if inv.Quantity, err = model.ParseAmount("数量", quantity); err != nil {
						return err
					}
				}
				if unitPrice != "" {
					if inv.UnitPrice, err = model.ParseAmount("单价", unitPrice); err != nil {
						return err
					}
				}
				p.Investments = append(p.Investments, inv)
				return nil
			})
		},
	}
	for _, f := range []struct {
		p          *string
		name, help string
	}{{&item, "item", "项目名称"}, {&category, "category", "类别: hardware（硬件）| software（软件）| cloud（云服务）| service（服务）| other"},
		{&amount, "amount", "金额（万元）"}, {&quantity, "quantity", "数量"}, {&unit, "unit", "单位"}, {&unitPrice, "unit-price", "单价（万元）；与数量同时给出时金额须等于数量 × 单价"},
		{&invScenario, "scenario", "关联场景，如 SC06"}, {&invNote, "note", "说明"}, {&invRemove, "remove", "删去第 N 项"}} {
		investCmd.Flags().StringVar(f.p, f.name, "", f.help)
	}

	var kpiTarget, kpiBaseline, kpiName, kpiUnit, kpiNote string
	var kpiRemove bool
	kpiCmd := &cobra.Command{
		Use:   "kpi ID QID --target VALUE [--baseline VALUE] [--name TEXT --unit TEXT --note TEXT] | --remove",
		Short: "预期成效指标（Q12–Q15）: 目标值；名称、单位与现值默认取诊断规划数据和补充数据",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			qid := strings.ToUpper(args[1])
			return a.editPlan(args[0], "成效指标 "+qid, func(_ *storage.DB, d storage.DiagnosisData, p *model.RetrofitPlan) error {
				kept := p.KPIs[:0]
				for _, k := range p.KPIs {
					if k.Question != qid {
						kept = append(kept, k)
					}
				}
				p.KPIs = kept
				if kpiRemove {
					return nil
				}
				if kpiTarget == "" {
					return usagef("参数错误: 须给出 --target")
				}
				k := model.KPITarget{Question: qid, Name: kpiName, Unit: kpiUnit, Note: kpiNote, Baseline: d.KPIBaselines[qid]}
				if def, ok := d.Planning.KPI(qid); ok {
					if k.Name == "" {
						k.Name = def.Name
					}
					if k.Unit == "" {
						k.Unit = def.Unit
					}
				}
				var err error
				if k.Target, err = model.ParseDecimal(kpiTarget); err != nil {
					return flagError("target", err)
				}
				if kpiBaseline != "" {
					if k.Baseline, err = model.ParseDecimal(kpiBaseline); err != nil {
						return flagError("baseline", err)
					}
				}
				p.KPIs = append(p.KPIs, k)
				return nil
			})
		},
	}
	kpiCmd.Flags().StringVar(&kpiTarget, "target", "", "目标值")
	kpiCmd.Flags().StringVar(&kpiBaseline, "baseline", "", "现值（默认按补充数据计算）")
	kpiCmd.Flags().StringVar(&kpiName, "name", "", "指标名称")
	kpiCmd.Flags().StringVar(&kpiUnit, "unit", "", "单位")
	kpiCmd.Flags().StringVar(&kpiNote, "note", "", "说明")
	kpiCmd.Flags().BoolVar(&kpiRemove, "remove", false, "删去该指标")

	var msDate, msTitle, msNote, msRemove string
	milestoneCmd := &cobra.Command{
		Use:   "milestone ID --date YYYY-MM-DD --title TEXT [--note TEXT] | --remove N",
		Short: "实施计划: 增加一个里程碑（按日期排列），或按序号删去",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.editPlan(args[0], "实施计划", func(_ *storage.DB, _ storage.DiagnosisData, p *model.RetrofitPlan) error {
				if msRemove != "" {
					var err error
					p.Milestones, err = removeAt(p.Milestones, msRemove, "里程碑")
					return err
				}
				if msDate == "" || msTitle == "" {
					return usagef("参数错误: 增加里程碑须给出 --date 与 --title")
				}
				p.Milestones = append(p.Milestones, model.Milestone{Date: msDate, Title: msTitle, Note: msNote})
				return nil
			})
		},
	}
	milestoneCmd.Flags().StringVar(&msDate, "date", "", "日期 YYYY-MM-DD")
	milestoneCmd.Flags().StringVar(&msTitle, "title", "", "里程碑")
	milestoneCmd.Flags().StringVar(&msNote, "note", "", "说明")
	milestoneCmd.Flags().StringVar(&msRemove, "remove", "", "删去第 N 个")

	clearCmd := &cobra.Command{
		Use:   "clear ID",
		Short: "清除改造方案",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(db *storage.DB) error {
				_, err := db.SavePlan(args[0], nil, a.change(db, "清除改造方案"))
				return err
			})
		},
	}
	cmd.AddCommand(goalCmd, scenarioCmd, investCmd, kpiCmd, milestoneCmd, clearCmd)
	return cmd
}

func writeRetrofitPlan(a *app, d storage.DiagnosisData, p *model.RetrofitPlan) error {
	cat := d.Catalog
	var t table
	safe := func(s string) string { return model.DisplaySafe(s, false) }
	level := cat.Pilot.TargetLevel
	if p.TargetLevel > 0 {
		level = p.TargetLevel
	}
	t.row("改造目标:", cat.LevelName(level)+" "+safe(p.Goal))
	if p.Architecture != "" {
		t.row("系统架构:", safe(p.Architecture))
	}
	for _, g := range p.Scenarios {
		var names []string
		for _, s := range g.Solutions {
			names = append(names, model.Solution{Name: s.Name, Example: s.Example}.DisplayName()+"（"+s.Provider+"）")
		}
		t.row("场景 "+g.Scenario+":", fmt.Sprintf("目标%s；%s", cat.ScenarioLevelName(g.Target), safe(strings.Join(names, "、"))))
	}
	for i, inv := range p.Investments {
		t.row(fmt.Sprintf("投入 %d:", i+1), fmt.Sprintf("%s（%s）%s 万元", safe(inv.Item), model.InvestmentCategories[inv.Category], inv.Amount))
	}
	total, _ := p.InvestmentTotal()
	t.row("投入合计:", string(total)+" 万元")
	for _, k := range p.KPIs {
		t.row("成效 "+k.Question+":", fmt.Sprintf("%s 现值 %s → 目标 %s %s", safe(k.Name), orDashCLI(string(k.Baseline)), k.Target, safe(k.Unit)))
	}
	for i, m := range p.Milestones {
		t.row(fmt.Sprintf("里程碑 %d:", i+1), m.Date+" "+safe(m.Title))
	}
	return t.write(a.streams.out)
}
