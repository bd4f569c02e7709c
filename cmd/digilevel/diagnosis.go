package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"digilevel/model"
	"digilevel/solutions"
	"digilevel/storage"
)

// splitFields splits "a,b,c" (ASCII or full-width commas) into at least n
// trimmed parts, keeping empty middle fields ("李工,,调查员").
func splitFields(s string, n int) []string {
	parts := strings.Split(strings.ReplaceAll(s, "，", ","), ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	for len(parts) < n {
		parts = append(parts, "")
	}
	return parts
}

// profileFlags are the flags of the §8.5 profile.
type profileFlags struct {
	region, industrySub, kind, capital, founded, products, process, equipment, cloud, fundBand, plannedCloud string
	employees                                                                                                int
	software, network, certs, honours, finances, plannedSoftware                                             []string
}

func (f *profileFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&f.region, "region", "", "所在区域")
	fs.StringVar(&f.industrySub, "industry-sub", "", "二级行业")
	fs.StringVar(&f.kind, "type", "", "企业类型")
	fs.StringVar(&f.capital, "capital", "", "注册资本（万元）")
	fs.StringVar(&f.founded, "founded", "", "成立日期 YYYY-MM-DD")
	fs.IntVar(&f.employees, "employees", 0, "员工人数")
	fs.StringVar(&f.products, "products", "", "主要产品")
	fs.StringVar(&f.process, "process", "", "工艺流程")
	fs.StringVar(&f.equipment, "equipment", "", "智能设备")
	fs.StringArrayVar(&f.software, "software", nil, "在用工业软件 \"领域,类型,品牌型号\"（领域: 研发设计|生产制造|质量|运营|仓储），可多次给出（给出即替换全部）")
	fs.StringVar(&f.cloud, "cloud", "", "云使用: none | public | private | hybrid")
	fs.StringArrayVar(&f.network, "network", nil, "网络: broadband | leased_line | 5g，可多次给出")
	fs.StringArrayVar(&f.certs, "cert", nil, "认证，可多次给出")
	fs.StringArrayVar(&f.honours, "honour", nil, "荣誉，可多次给出")
	fs.StringArrayVar(&f.finances, "finance", nil, "经营数据 YEAR=资产总额,利润（万元），如 2025=8200,410；YEAR= 删除该年")
	fs.StringVar(&f.fundBand, "fund-band", "", "数字化转型资金（区间，文字）")
	fs.StringVar(&f.plannedCloud, "planned-cloud", "", "计划上云: none | public | private | hybrid")
	fs.StringArrayVar(&f.plannedSoftware, "planned-software", nil, "计划使用的软件类型，可多次给出")
}

// apply writes the given flags onto p; lists given replace the stored ones.
func (f *profileFlags) apply(fs *pflag.FlagSet, p *model.Profile) error {
	changed := fs.Changed
	set := func(name string, dst *string, v string) {
		if changed(name) {
			*dst = strings.TrimSpace(v)
		}
	}
	set("region", &p.Region, f.region)
	set("industry-sub", &p.IndustrySub, f.industrySub)
	set("type", &p.EnterpriseType, f.kind)
	set("products", &p.MainProducts, f.products)
	set("process", &p.ProcessFlow, f.process)
	set("equipment", &p.Equipment, f.equipment)
	set("cloud", &p.Cloud, f.cloud)
	set("fund-band", &p.FundBand, f.fundBand)
	set("planned-cloud", &p.PlannedCloud, f.plannedCloud)
	if changed("capital") {
		p.RegisteredCapital = ""
		if strings.TrimSpace(f.capital) != "" {
			d, err := model.ParseDecimal(f.capital)
			if err != nil {
				return flagError("capital", err)
			}
			p.RegisteredCapital = d
		}
	}
	if changed("founded") {
		p.Founded = ""
		if strings.TrimSpace(f.founded) != "" {
			d, err := model.ParseDate("成立日期", f.founded)
			if err != nil {
				return flagError("founded", err)
			}
			p.Founded = d
		}
	}
	if changed("employees") {
		p.Employees = f.employees
	}
	if changed("software") {
		p.Software = nil
		for _, s := range f.software {
			parts := splitFields(s, 3)
			p.Software = append(p.Software, model.SoftwareItem{Area: parts[0], Type: parts[1], Brand: strings.Join(parts[2:], ",")})
		}
	}
	if changed("network") {
		p.Network = f.network
	}
	if changed("cert") {
		p.Certifications = f.certs
	}
	if changed("honour") {
		p.Honours = f.honours
	}
	if changed("planned-software") {
		p.PlannedSoftware = f.plannedSoftware
	}
	for _, fin := range f.finances {
		year, vals, ok := strings.Cut(fin, "=")
		y, err := strconv.Atoi(strings.TrimSpace(year))
		if !ok || err != nil {
			return flagError("finance", fmt.Errorf("应为 年份=资产总额,利润，如 2025=8200,410，实际 %q", fin))
		}
		if strings.TrimSpace(vals) == "" {
			kept := p.Finances[:0]
			for _, x := range p.Finances {
				if x.Year != y {
					kept = append(kept, x)
				}
			}
			p.Finances = kept
			continue
		}
		parts := splitFields(vals, 2)
		var row = model.YearFinance{Year: y}
		for i, dst := range []*model.Decimal{&row.Assets, &row.Profit} {
			if parts[i] == "" {
				continue
			}
			d, err := model.ParseDecimal(parts[i])
			if err != nil {
				return flagError("finance", err)
			}
			*dst = d
		}
		p.SetFinance(row)
	}
	return nil
}

func newProfileCmd(a *app) *cobra.Command {
	var f profileFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "profile CODE [选项]",
		Short: "企业画像（§8.5）: 不带选项查看，带选项修改给出的项",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(db *storage.DB) error {
				e, err := db.Enterprise(args[0])
				if err != nil {
					return err
				}
				if cmd.Flags().NFlag() > 0 && !(cmd.Flags().NFlag() == 1 && asJSON) {
					p := e.Profile.Clone()
					if err := f.apply(cmd.Flags(), p); err != nil {
						return err
					}
					e.Profile = p
					if e, err = db.UpdateEnterprise(e, a.change(db, "企业画像")); err != nil {
						return withFlagNames(err)
					}
				}
				if asJSON {
					return printJSON(a.streams.out, struct {
						Profile       *model.Profile       `json:"profile"`
						StatusHistory []model.StatusChange `json:"status_history"`
					}{e.Profile, e.StatusHistory})
				}
				return writeProfile(a, e)
			})
		},
	}
	f.add(cmd.Flags())
	cmd.Flags().BoolVar(&asJSON, "json", false, "以 JSON 输出")
	return cmd
}

func writeProfile(a *app, e model.Enterprise) error {
	var t table
	line := func(k, v string) {
		if strings.TrimSpace(v) != "" {
			t.row(k+":", model.DisplaySafe(v, false))
		}
	}
	p := e.Profile
	if p == nil {
		p = &model.Profile{}
	}
	line("企业名称", e.Name)
	line("所在区域", p.Region)
	line("二级行业", p.IndustrySub)
	line("企业类型", p.EnterpriseType)
	line("注册资本", string(p.RegisteredCapital))
	line("成立日期", p.Founded)
	if p.Employees > 0 {
		line("员工人数", strconv.Itoa(p.Employees))
	}
	line("主要产品", p.MainProducts)
	line("工艺流程", p.ProcessFlow)
	line("智能设备", p.Equipment)
	for _, s := range p.Software {
		line("工业软件", strings.TrimSpace(s.Area+" "+s.Type+" "+s.Brand))
	}
	line("云使用", model.CloudKinds[p.Cloud])
	var nets []string
	for _, n := range p.Network {
		nets = append(nets, model.NetworkKinds[n])
	}
	line("网络", strings.Join(nets, "、"))
	line("认证", strings.Join(p.Certifications, "、"))
	line("荣誉", strings.Join(p.Honours, "、"))
	for _, f := range p.Finances {
		line(fmt.Sprintf("%d 年", f.Year), fmt.Sprintf("资产总额 %s 万元，利润 %s 万元", orDashCLI(string(f.Assets)), orDashCLI(string(f.Profit))))
	}
	line("转型资金", p.FundBand)
	line("计划上云", model.CloudKinds[p.PlannedCloud])
	line("计划软件", strings.Join(p.PlannedSoftware, "、"))
	for _, h := range e.StatusHistory {
		field := "规模"
		if h.Field == model.FieldZJTX {
			field = "专精特新"
		}
		line("变化 "+h.Date, fmt.Sprintf("%s: %s → %s %s", field, model.StatusLabel(h.Field, h.From), model.StatusLabel(h.Field, h.To), h.Note))
	}
	return t.write(a.streams.out)
}

func orDashCLI(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func newStatusCmd(a *app) *cobra.Command {
	var scale, zjtx, date, note string
	cmd := &cobra.Command{
		Use:   "status CODE (--scale above|below | --zjtx none|provincial|national) --date YYYY-MM-DD [--note TEXT]",
		Short: "记录规模（规上/规下）或专精特新的变化及生效日期（保留历史）",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			field, value := "", ""
			switch {
			case cmd.Flags().Changed("scale") == cmd.Flags().Changed("zjtx"):
				return usagef("参数错误: 须且只能给出 --scale 或 --zjtx 之一")
			case cmd.Flags().Changed("scale"):
				field, value = model.FieldScale, scale
			default:
				field, value = model.FieldZJTX, zjtx
			}
			return a.withStore(func(db *storage.DB) error {
				e, err := db.RecordStatus(args[0], field, value, date, note, a.change(db, note))
				if err != nil {
					return err
				}
				fmt.Fprintf(a.streams.out, "已记录 %s: 规模 %s，专精特新 %s（共 %d 条变化记录）\n", e.Code, e.Scale.Label(), e.ZJTX.Label(), len(e.StatusHistory))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&scale, "scale", "", "规模: above（规上）| below（规下）")
	cmd.Flags().StringVar(&zjtx, "zjtx", "", "专精特新: none | provincial | national")
	cmd.Flags().StringVar(&date, "date", "", "生效日期 YYYY-MM-DD（必填）")
	cmd.Flags().StringVar(&note, "note", "", "说明（如依据的文件）")
	_ = cmd.MarkFlagRequired("date")
	return cmd
}

func newSurveyCmd(a *app) *cobra.Command {
	var date, findings string
	var surveyors, pains []string
	var clear, asJSON bool
	cmd := &cobra.Command{
		Use:   "survey ID [--date YYYY-MM-DD] [--surveyor \"姓名,单位,角色,联系方式\"]... [--findings TEXT] [--pain \"痛点|难点|堵点:文字\"]... [--clear]",
		Short: "现场调研: 不带选项查看，带选项修改（给出的人员或痛点替换原有的）",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fs := cmd.Flags()
			return a.withStore(func(db *storage.DB) error {
				as, err := db.Assessment(args[0])
				if err != nil {
					return err
				}
				s := as.Survey
				switch {
				case clear:
					if as, err = db.SaveSurvey(args[0], nil, a.change(db, "清除现场调研")); err != nil {
						return err
					}
					s = nil
				case fs.Changed("date") || fs.Changed("surveyor") || fs.Changed("findings") || fs.Changed("pain"):
					next := model.Survey{}
					if s != nil {
						next = *s
					}
					if fs.Changed("date") {
						next.Date = date
					}
					if next.Date == "" {
						return usagef("参数错误: 首次录入现场调研须给出 --date YYYY-MM-DD")
					}
					if fs.Changed("surveyor") {
						next.Surveyors = nil
						for _, p := range surveyors {
							f := splitFields(p, 4)
							next.Surveyors = append(next.Surveyors, model.Surveyor{Name: f[0], Agency: f[1], Role: f[2], Contact: strings.Join(f[3:], ",")})
						}
					}
					if fs.Changed("findings") {
						next.Findings = findings
					}
					if fs.Changed("pain") {
						next.PainPoints = nil
						for _, p := range pains {
							kind, text, ok := strings.Cut(strings.Replace(p, "：", ":", 1), ":")
							if !ok {
								return flagError("pain", fmt.Errorf("应为 类型:文字，如 \"痛点:交期经常延误\"，实际 %q", p))
							}
							k, err := model.ParsePainKind(kind)
							if err != nil {
								return flagError("pain", err)
							}
							next.PainPoints = append(next.PainPoints, model.PainPoint{Kind: k, Text: text})
						}
					}
					if as, err = db.SaveSurvey(args[0], &next, a.change(db, "现场调研")); err != nil {
						return err
					}
					s = as.Survey
				}
				if asJSON {
					return printJSON(a.streams.out, s)
				}
				if s == nil {
					fmt.Fprintln(a.streams.out, "未录入现场调研。")
					return nil
				}
				var t table
				t.row("调研日期:", s.Date)
				for _, p := range s.Surveyors {
					t.row("调研人员:", model.DisplaySafe(strings.Join([]string{p.Name, p.Agency, p.Role, p.Contact}, " "), false))
				}
				t.row("调研情况:", model.DisplaySafe(s.Findings, false))
				for _, p := range s.PainPoints {
					t.row(model.PainKinds[p.Kind]+":", model.DisplaySafe(p.Text, false))
				}
				return t.write(a.streams.out)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&date, "date", "", "调研日期 YYYY-MM-DD")
	f.StringArrayVar(&surveyors, "surveyor", nil, "调研人员 \"姓名,单位,角色,联系方式\"，可多次给出")
	f.StringVar(&findings, "findings", "", "调研情况（机理、流程、工艺等）")
	f.StringArrayVar(&pains, "pain", nil, "痛点、难点或堵点 \"类型:文字\"，可多次给出")
	f.BoolVar(&clear, "clear", false, "清除现场调研")
	f.BoolVar(&asJSON, "json", false, "以 JSON 输出")
	return cmd
}

// listEditCmd builds one list-editing subcommand of `assessment lists`.
func listEditCmd(a *app, use, short string, args cobra.PositionalArgs, op string, build func(args []string) (model.ListEdit, error)) *cobra.Command {
	var list, note, title, ref string
	cmd := &cobra.Command{
		Use: use, Short: short, Args: args,
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := build(args)
			if err != nil {
				return err
			}
			e.Op = op
			if e.List == "" {
				e.List = list
			}
			if cmd.Flags().Lookup("title") != nil && e.Title == "" {
				e.Title = title
			}
			if cmd.Flags().Lookup("note") != nil {
				e.Note = note
			}
			if cmd.Flags().Lookup("ref") != nil {
				e.Ref = ref
			}
			return a.withStore(func(db *storage.DB) error {
				if _, err := db.EditList(args[0], e, a.change(db, "编辑清单")); err != nil {
					return err
				}
				d, err := db.Diagnosis(args[0])
				if err != nil {
					return err
				}
				items := d.Diagnosis.Problems
				if e.List == model.ListDemands {
					items = d.Diagnosis.Demands
				}
				return writeList(a, e.List, items)
			})
		},
	}
	if op != model.OpPain {
		cmd.Flags().StringVar(&list, "list", model.ListProblems, "清单: problems（问题清单）| demands（需求场景清单）")
	} else {
		list = model.ListProblems
	}
	switch op {
	case model.OpAdd, model.OpReword:
		cmd.Flags().StringVar(&title, "title", "", "条目内容")
		cmd.Flags().StringVar(&note, "note", "", "说明")
		if op == model.OpAdd {
			cmd.Flags().StringVar(&ref, "ref", "", "关联的题目或场景（可选）")
		}
		_ = cmd.MarkFlagRequired("title")
	case model.OpPain:
		cmd.Flags().StringVar(&note, "note", "", "说明")
	}
	return cmd
}

func writeList(a *app, list string, items []model.ListItem) error {
	var t table
	t.row("序号", "编号", "路径", model.ListLabel(list), "现状", "目标")
	for i, it := range items {
		path := ""
		if it.OnPath {
			path = "路径"
		}
		t.row(strconv.Itoa(i+1), it.ID, path, model.DisplaySafe(it.Title, false), model.DisplaySafe(it.Current, false), model.DisplaySafe(it.Target, false))
	}
	return t.write(a.streams.out)
}

func addListEditCmds(a *app, lists *cobra.Command) {
	lists.AddCommand(
		listEditCmd(a, "add ID --title TEXT [--list problems|demands] [--note TEXT] [--ref QID|SCID]", "在清单中增加一条", cobra.ExactArgs(1), model.OpAdd,
			func(args []string) (model.ListEdit, error) { return model.ListEdit{}, nil }),
		listEditCmd(a, "pain ID TEXT [--note TEXT]", "在问题清单中增加一条企业所述的痛点", cobra.ExactArgs(2), model.OpPain,
			func(args []string) (model.ListEdit, error) { return model.ListEdit{Title: args[1]}, nil }),
		listEditCmd(a, "remove ID ITEM [--list problems|demands]", "从清单中删去一条（按编号，如 Q07、SC06、U1）", cobra.ExactArgs(2), model.OpRemove,
			func(args []string) (model.ListEdit, error) {
				return model.ListEdit{Item: strings.ToUpper(args[1])}, nil
			}),
		listEditCmd(a, "reword ID ITEM --title TEXT [--note TEXT] [--list problems|demands]", "改写一条的内容与说明", cobra.ExactArgs(2), model.OpReword,
			func(args []string) (model.ListEdit, error) {
				return model.ListEdit{Item: strings.ToUpper(args[1])}, nil
			}),
		listEditCmd(a, "move ID ITEM POSITION [--list problems|demands]", "把一条移到第 POSITION 位", cobra.ExactArgs(3), model.OpMove,
			func(args []string) (model.ListEdit, error) {
				n, err := strconv.Atoi(args[2])
				if err != nil {
					return model.ListEdit{}, model.Errorf(model.ErrInvalid, "位置应为正整数，实际 %q", args[2])
				}
				return model.ListEdit{Item: strings.ToUpper(args[1]), Position: n}, nil
			}),
	)
}

func newSolutionsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "solutions", Short: "小快轻准解决方案池: 导入、查看、按场景匹配", Args: cobra.NoArgs}
	var example bool
	imp := &cobra.Command{
		Use:   "import FILE.xlsx|FILE.csv|FILE.json | --example",
		Short: "导入解决方案（按编号新增或更新；坏行逐行报告原因，其余照常导入）",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if example == (len(args) == 1) {
				return usagef("参数错误: 给出一个文件，或用 --example 导入内置示例池")
			}
			cat := a.catalog()
			var res solutions.Result
			var err error
			source := solutions.ExamplePoolName
			if example {
				res, err = solutions.ExamplePool(cat)
			} else {
				source = args[0]
				res, err = solutions.ReadFile(args[0], cat)
			}
			if err != nil {
				return err
			}
			for _, p := range res.Problems {
				fmt.Fprintf(a.streams.err, "%v\n", p)
			}
			return a.withStore(func(db *storage.DB) error {
				stats, err := db.ImportSolutions(res.Solutions, a.change(db, "导入解决方案 "+source))
				if err != nil {
					return err
				}
				fmt.Fprintf(a.streams.out, "新增 %d，更新 %d，未变 %d，有问题的行 %d\n", stats.Created, stats.Updated, stats.Unchanged, len(res.Problems))
				if example {
					fmt.Fprintln(a.streams.out, "注意: 示例池中的方案与服务商均为虚构，只用于演示，名称均带「【示例】」。")
				}
				if len(res.Problems) > 0 {
					return model.Errorf(model.ErrInvalid, "%d 行未导入（见上方逐行原因），其余 %d 条已导入", len(res.Problems), len(res.Solutions))
				}
				return nil
			})
		},
	}
	imp.Flags().BoolVar(&example, "example", false, "导入内置的示例池（虚构，标「示例」）")
	var asJSON bool
	var scenario string
	var level int
	list := &cobra.Command{
		Use:   "list [--scenario SCID --level N] [--json]",
		Short: "列出解决方案池；给出场景与等级时只列出适用的（真实方案在前，示例在后）",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if (scenario == "") != (level == 0) {
				return usagef("参数错误: --scenario 与 --level 须同时给出")
			}
			return a.withStore(func(db *storage.DB) error {
				var pool []model.Solution
				var err error
				if scenario != "" {
					pool, err = db.SuggestSolutions(strings.ToUpper(scenario), level)
				} else {
					pool, err = db.Solutions()
				}
				if err != nil {
					return err
				}
				if asJSON {
					if pool == nil {
						pool = []model.Solution{}
					}
					return printJSON(a.streams.out, pool)
				}
				var t table
				t.row("编号", "名称", "服务商", "适用场景", "部署", "价格区间")
				for _, s := range pool {
					t.row(s.ID, model.DisplaySafe(s.DisplayName(), false), model.DisplaySafe(s.Provider, false), s.ServesText(), model.Deployments[s.Deployment], model.DisplaySafe(s.PriceBand, false))
				}
				return t.write(a.streams.out)
			})
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "以 JSON 输出")
	list.Flags().StringVar(&scenario, "scenario", "", "场景编号，如 SC06")
	list.Flags().IntVar(&level, "level", 0, "目标等级 1–4")
	cmd.AddCommand(imp, list)
	return cmd
}
