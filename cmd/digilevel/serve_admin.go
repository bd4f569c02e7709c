package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"digilevel/model"
	"digilevel/report"
	"digilevel/storage/pgstore"
	"digilevel/sync/server"
)

func newServeMigrateCmd(a *app) *cobra.Command {
	var from, to string
	cmd := &cobra.Command{
		Use:   "migrate --from FILE --to postgres://...",
		Short: "把 bbolt 平台数据库复制到 PostgreSQL（令牌、报告原文与回执、序号、幂等记录、佐证材料、名单），可重复执行，完成后两边核对",
		Long: `把 bbolt 平台数据库（--from，须先停止使用它的服务）复制到 PostgreSQL（--to，空数据库或上次迁移的目标）。
报告逐字节复制并保留原回执（服务器序号与接收时间），令牌保留摘要、绑定的设备密钥、过期与吊销。
重复执行只补上缺少的部分；目标中已有不同的内容时停止并说明。完成后对两边执行与 serve check 相同的检查，
计数与摘要一致才算成功（否则退出码 4）。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if from == "" || to == "" {
				return usagef("参数错误: 须同时给出 --from（bbolt 文件）与 --to（postgres://… 连接地址）")
			}
			if pgstore.IsDSN(from) || !pgstore.IsDSN(to) {
				return usagef("参数错误: --from 应为 bbolt 数据库文件，--to 应为 postgres://… 连接地址")
			}
			src, err := openServerDB(from)
			if err != nil {
				return err
			}
			defer src.Close()
			dst, err := openServerDB(to)
			if err != nil {
				return err
			}
			defer dst.Close()
			start := time.Now()
			st, err := server.Migrate(src, dst)
			if err != nil {
				return fmt.Errorf("迁移中断（已复制的部分保留，修正后可重新执行）: %w", err)
			}
			fmt.Fprintf(a.streams.err, "已复制: 报告 %d 份（新 %d 份），令牌 %d 个，幂等记录 %d 条，佐证材料 %d 份（新 %d 份），名单企业 %d 家，拒收记录 %d 条，不予支持情形记录 %d 条，用时 %s\n",
				st.Reports, st.NewReports, st.Tokens, st.Idempotency, st.Evidence, st.NewEvidence, st.Roster, st.Rejections, st.Exclusions, time.Since(start).Round(time.Millisecond))
			var sums [2]string
			for i, s := range []server.Store{src, dst} {
				sum, problems, err := s.Verify()
				if err != nil {
					return err
				}
				for _, p := range problems {
					fmt.Fprintf(a.streams.out, "%s: %s\n", s.Describe(), p)
				}
				if len(problems) > 0 {
					return exitCodeError{code: exitCheck, err: fmt.Errorf("%s 有 %d 个问题", s.Describe(), len(problems))}
				}
				fmt.Fprintf(a.streams.out, "%s: %s\n", s.Describe(), describeSummary(sum))
				sums[i] = fmt.Sprintf("%+v", sum)
			}
			if sums[0] != sums[1] {
				return exitCodeError{code: exitCheck, err: fmt.Errorf("两边的计数或摘要不一致: 目标数据库中还有源数据库没有的数据？请用空数据库重新迁移")}
			}
			fmt.Fprintln(a.streams.out, "迁移完成，两边计数与摘要一致。之后请用 --db "+pgstore.Redact(to)+" 运行 digilevel serve")
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "源: bbolt 平台数据库文件")
	cmd.Flags().StringVar(&to, "to", "", "目标: PostgreSQL 连接地址 postgres://用户:口令@主机:端口/数据库")
	return cmd
}

func newServeRosterCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "roster", Short: "平台上的区县企业名单（尚无报告的企业也在平台上）", Args: cobra.NoArgs}
	imp := &cobra.Command{
		Use:   "import FILE.csv|FILE.xlsx",
		Short: "导入企业名单（格式与规则同 digilevel enterprise import）：逐行报告有问题的行，其余导入；按信用代码更新，文件中没有的列保留原值",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			res, err := readRoster(a, args[0])
			if err != nil {
				return err
			}
			list := make([]model.Enterprise, 0, len(res.Enterprises))
			for _, p := range res.Enterprises {
				list = append(list, p.Enterprise)
			}
			return a.withServerDB(func(st server.Store) error {
				stats, err := st.ImportRoster(list, res.Fields, time.Now())
				if err != nil {
					return err
				}
				return rosterImported(a, res, stats.Created, stats.Updated, stats.Unchanged)
			})
		},
	}
	cmd.AddCommand(imp)
	return cmd
}

func newServeExportCmd(a *app) *cobra.Command {
	var format, out string
	var batch int
	cmd := &cobra.Command{
		Use:   "export [--format xlsx|csv] [-o FILE] [--batch N]",
		Short: "导出平台汇总: 名单中每家企业与收到的每份报告（批次、服务商、收到的报告、改造前后等级与得分、抽查等级、修订情况、奖补测算与依据）",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkExportFlags(format, batch); err != nil {
				return err
			}
			return a.withServerDB(func(st server.Store) error {
				rows, rowsErr := server.ExportRows(st, a.catalog(), model.DefaultRewardPolicy(), batch)
				write := func(w io.Writer) error {
					var err error
					if format == "csv" {
						err = report.WritePlatformCSV(w, rows)
					} else {
						err = report.WritePlatformXLSX(w, rows)
					}
					if err == nil {
						err = rowsErr()
					}
					return err
				}
				if out == "" && format == "csv" {
					return write(a.streams.out)
				}
				if out == "" {
					out = "平台企业汇总" + report.FormatXLSX.Ext()
				}
				return a.writeOutput(out, "", report.FormatXLSX, write)
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "xlsx", "输出格式: xlsx | csv")
	cmd.Flags().StringVarP(&out, "output", "o", "", "输出文件（csv 不给则写到标准输出）")
	cmd.Flags().IntVar(&batch, "batch", 0, "只导出某一批次")
	return cmd
}
