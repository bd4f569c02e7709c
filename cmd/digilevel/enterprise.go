package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/roster"
	"digilevel/storage"
)

// enterpriseFlags are the flags of every enterprise-file field.
type enterpriseFlags struct {
	name, code, industry, scale, zjtx, provider, address, notes string
	batch                                                       int
	smartFactory, pilotIndustry                                 bool
	revenue, contacts                                           []string
}

func (f *enterpriseFlags) add(fs *pflag.FlagSet, withCode bool) {
	fs.StringVar(&f.name, "name", "", "企业名称")
	if withCode {
		fs.StringVar(&f.code, "code", "", "统一社会信用代码（18 位，含校验位）")
	}
	fs.IntVar(&f.batch, "batch", 0, "改造批次 1–3")
	fs.StringVar(&f.industry, "industry", "", "所属行业")
	fs.StringVar(&f.scale, "scale", "", "规模: above（规上）| below（规下）")
	fs.StringVar(&f.zjtx, "zjtx", "", "专精特新: none | provincial | national")
	fs.BoolVar(&f.smartFactory, "smart-factory", false, "拥有省级以上智能工厂（车间）")
	fs.BoolVar(&f.pilotIndustry, "pilot-industry", false, "属于新乡市四个试点行业")
	fs.StringVar(&f.provider, "provider", "", "服务商")
	fs.StringVar(&f.address, "address", "", "地址")
	fs.StringVar(&f.notes, "notes", "", "备注")
	fs.StringArrayVar(&f.revenue, "revenue", nil, "营业收入 YEAR=WAN（万元），可多次给出，如 --revenue 2025=5800")
	fs.StringArrayVar(&f.contacts, "contact", nil, "联系人 \"姓名,职务,电话,邮箱\"，可多次给出（给出即替换全部联系人）")
}

// apply writes the flags that were given onto e. Only changed flags are
// applied, so `edit` leaves the other fields alone.
func (f *enterpriseFlags) apply(fs *pflag.FlagSet, e *model.Enterprise) error {
	changed := fs.Changed
	if changed("name") {
		e.Name = f.name
	}
	if changed("code") {
		e.Code = f.code
	}
	if changed("batch") {
		e.Batch = f.batch
	}
	if changed("industry") {
		e.Industry = f.industry
	}
	if changed("scale") {
		s, err := model.ParseScale(f.scale)
		if err != nil {
			return flagError("scale", err)
		}
		e.Scale = s
	}
	if changed("zjtx") {
		z, err := model.ParseZJTX(f.zjtx)
		if err != nil {
			return flagError("zjtx", err)
		}
		e.ZJTX = z
	}
	if changed("smart-factory") {
		e.SmartFactory = f.smartFactory
	}
	if changed("pilot-industry") {
		e.PilotIndustry = f.pilotIndustry
	}
	if changed("provider") {
		e.Provider = f.provider
	}
	if changed("address") {
		e.Address = f.address
	}
	if changed("notes") {
		e.Notes = f.notes
	}
	years := map[int]bool{}
	for _, r := range f.revenue {
		year, wan, ok := strings.Cut(r, "=")
		y, err := strconv.Atoi(strings.TrimSpace(year))
		if !ok || err != nil {
			return flagError("revenue", fmt.Errorf("应为 年份=万元，如 2025=5800，实际 %q", r))
		}
		if years[y] {
			return flagError("revenue", fmt.Errorf("%d 年给出了两次，请只给一次", y))
		}
		years[y] = true
		if strings.TrimSpace(wan) == "" {
			e.Revenue = slices.DeleteFunc(e.Revenue, func(x model.YearRevenue) bool { return x.Year == y })
			continue
		}
		d, err := model.ParseDecimal(wan)
		if err != nil {
			return flagError("revenue", err)
		}
		e.SetRevenue(y, d)
	}
	if changed("contact") {
		e.Contacts = nil
		for _, c := range f.contacts {
			parts := strings.Split(c, ",")
			if len(parts) > 4 {
				return flagError("contact", fmt.Errorf("应为 \"姓名,职务,电话,邮箱\"（最多 4 项，用英文逗号分隔），实际 %d 项: %q", len(parts), c))
			}
			parts = append(parts, "", "", "")
			e.Contacts = append(e.Contacts, model.Contact{Name: parts[0], Role: parts[1], Phone: parts[2], Email: parts[3]})
		}
	}
	return nil
}

func newEnterpriseCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "enterprise", Short: "企业档案（一企一档）: 新增、修改、查看、导入名单", Args: cobra.NoArgs}

	var addFlags enterpriseFlags
	add := &cobra.Command{
		Use:   "add --name NAME --code CREDIT_CODE --batch N [...]",
		Short: "新增企业档案（成功后在标准输出打印统一社会信用代码）",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			e := model.Enterprise{ZJTX: model.ZJTXNone}
			if err := addFlags.apply(cmd.Flags(), &e); err != nil {
				return err
			}
			return a.withStore(func(db *storage.DB) error {
				e, err := db.CreateEnterprise(e, a.change(db, ""))
				if err != nil {
					return withFlagNames(err)
				}
				fmt.Fprintln(a.streams.out, e.Code)
				return nil
			})
		},
	}
	addFlags.add(add.Flags(), true)

	var editFlags enterpriseFlags
	edit := &cobra.Command{
		Use:   "edit CREDIT_CODE [--name ... 等任意字段]",
		Short: "修改企业档案（只改给出的字段）",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(db *storage.DB) error {
				e, err := db.Enterprise(args[0])
				if err != nil {
					return err
				}
				if err := editFlags.apply(cmd.Flags(), &e); err != nil {
					return err
				}
				if _, err := db.UpdateEnterprise(e, a.change(db, "")); err != nil {
					return withFlagNames(err)
				}
				fmt.Fprintf(a.streams.err, "已更新企业 %s（%s）\n", e.Name, e.Code)
				return nil
			})
		},
	}
	editFlags.add(edit.Flags(), false)

	var listJSON bool
	var listBatch int
	list := &cobra.Command{
		Use:   "list [--json] [--batch N]",
		Short: "列出企业及其评测状态",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(db *storage.DB) error {
				all, err := db.Summaries()
				if err != nil {
					return err
				}
				rows := make([]storage.EnterpriseSummary, 0, len(all))
				for _, s := range all {
					if listBatch == 0 || s.Batch == listBatch {
						rows = append(rows, s)
					}
				}
				if listJSON {
					return printJSON(a.streams.out, rows)
				}
				return writeEnterpriseTable(a.streams.out, a.catalog(), rows)
			})
		},
	}
	list.Flags().BoolVar(&listJSON, "json", false, "以 JSON 输出")
	list.Flags().IntVar(&listBatch, "batch", 0, "只列出某一批次")

	var showJSON bool
	show := &cobra.Command{
		Use:   "show CREDIT_CODE [--json]",
		Short: "查看企业档案及其评测",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(db *storage.DB) error {
				e, err := db.Enterprise(args[0])
				if err != nil {
					return err
				}
				s, err := db.Summary(e.Code)
				if err != nil {
					return err
				}
				if showJSON {
					return printJSON(a.streams.out, struct {
						model.Enterprise
						Assessments []storage.AssessmentSummary `json:"assessments"`
					}{e, s.Assessments})
				}
				return writeEnterprise(a.streams.out, a.catalog(), e, s)
			})
		},
	}
	show.Flags().BoolVar(&showJSON, "json", false, "以 JSON 输出")

	imp := &cobra.Command{
		Use:   "import FILE.csv|FILE.xlsx",
		Short: "导入区里的企业名单（按统一社会信用代码更新，重复导入不产生变化）",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(a, args[0])
		},
	}
	cmd.AddCommand(add, edit, list, show, imp, newProfileCmd(a), newStatusCmd(a))
	return cmd
}

// runImport imports the good rows of a roster and reports the bad ones by
// row number. Fields the file has no column for keep their stored values.
func runImport(a *app, path string) error {
	res, err := readRoster(a, path)
	if err != nil {
		return err
	}
	return a.withStore(func(db *storage.DB) error {
		list := make([]model.Enterprise, 0, len(res.Enterprises))
		for _, p := range res.Enterprises {
			e := p.Enterprise
			if old, err := db.Enterprise(e.Code); err == nil {
				e = old.MergeFields(e, res.Fields)
			}
			list = append(list, e)
		}
		stats, err := db.ImportEnterprises(list, a.change(db, "导入名单 "+path))
		if err != nil {
			return err
		}
		return rosterImported(a, res, stats.Created, stats.Updated, stats.Unchanged)
	})
}

// readRoster reads a roster file and prints its ignored columns and bad
// rows on stderr (the laptop's and the platform's import alike).
func readRoster(a *app, path string) (roster.Result, error) {
	res, err := roster.ReadFile(path)
	if err != nil {
		return res, err
	}
	for _, ig := range res.Ignored {
		fmt.Fprintf(a.streams.err, "提示: 忽略列 %s\n", ig)
	}
	for _, p := range res.Problems {
		fmt.Fprintf(a.streams.err, "%v\n", p)
	}
	return res, nil
}

// rosterImported prints what an import did: rejected rows make it exit 2
// when nothing was imported, 5 (partly done) when the good rows were.
func rosterImported(a *app, res roster.Result, created, updated, unchanged int) error {
	fmt.Fprintf(a.streams.out, "新增 %d，更新 %d，未变 %d，有问题的行 %d\n", created, updated, unchanged, len(res.Problems))
	switch {
	case len(res.Problems) > 0 && len(res.Enterprises) == 0:
		// Nothing was imported: bad input, nothing changed (exit 2).
		return model.Errorf(model.ErrInvalid, "%d 行都未导入（见上方逐行原因），数据库没有变化", len(res.Problems))
	case len(res.Problems) > 0:
		// The good rows are imported and stay: partly done (exit 5).
		return partialf("%d 行未导入（见上方逐行原因），其余 %d 行已导入", len(res.Problems), len(res.Enterprises))
	}
	return nil
}

func writeEnterpriseTable(w io.Writer, cat *indicators.Catalog, rows []storage.EnterpriseSummary) error {
	var t table
	t.row("统一社会信用代码", "企业名称", "批次", "服务商", "评测")
	for _, s := range rows {
		var parts []string
		for _, as := range s.Assessments {
			if as.ReplacedBy == "" {
				parts = append(parts, fmt.Sprintf("%s v%d %s %s", cat.KindLabel(string(as.Kind)), as.Version, as.State.Label(), cat.LevelName(as.Level)))
			}
		}
		t.row(s.Code, s.Name, strconv.Itoa(s.Batch), s.Provider, strings.Join(parts, "；"))
	}
	return t.write(w)
}

func writeEnterprise(w io.Writer, cat *indicators.Catalog, e model.Enterprise, s storage.EnterpriseSummary) error {
	var t table
	line := func(k, v string) {
		if v != "" {
			t.row(k+":", v)
		}
	}
	line("企业名称", e.Name)
	line("信用代码", e.Code)
	line("批次", strconv.Itoa(e.Batch))
	line("所属行业", e.Industry)
	line("规模", e.Scale.Label())
	line("专精特新", e.ZJTX.Label())
	line("智能工厂", yesNo(e.SmartFactory))
	line("试点行业", yesNo(e.PilotIndustry))
	line("服务商", e.Provider)
	line("地址", e.Address)
	for _, r := range e.Revenue {
		line(fmt.Sprintf("%d营收", r.Year), string(r.Wan)+" 万元")
	}
	for _, c := range e.Contacts {
		line("联系人", strings.TrimSpace(strings.Join([]string{c.Name, c.Role, c.Phone, c.Email}, " ")))
	}
	line("备注", e.Notes)
	if err := t.write(w); err != nil {
		return err
	}
	var b strings.Builder
	for _, as := range s.Assessments {
		replaced := ""
		if as.ReplacedBy != "" {
			replaced = "（已被 " + as.ReplacedBy + " 修订）"
		}
		fmt.Fprintf(&b, "评测 %s %s v%d %s 得分 %s %s 进度 %d/%d%s\n", as.ID, cat.KindLabel(string(as.Kind)), as.Version, as.State.Label(), as.Score, cat.LevelName(as.Level), as.Done, as.Total, replaced)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func yesNo(v bool) string {
	if v {
		return "是"
	}
	return "否"
}
