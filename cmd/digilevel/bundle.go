package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"digilevel/report"
	"digilevel/safefile"
	"digilevel/storage"
	"digilevel/sync/client"
)

func newBundleCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bundle",
		Short: "无网络时用数据包（zip）交付报告，并导入平台回执",
		Args:  cobra.NoArgs,
	}
	var output string
	export := &cobra.Command{
		Use:   "export",
		Short: "把所有未发送的报告连同佐证材料导出为一个数据包（zip）",
		Long: `把所有未发送的报告（按定稿顺序）连同其佐证材料导出为一个 zip 数据包，附清单（校验值与签名）。
佐证材料文件已不存在或在添加后被改动的报告不导出，并说明原因。
数据包交给区县平台用 digilevel serve import 导入，回执文件再用 digilevel bundle receipts 导入本机。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(db *storage.DB) error { return runBundleExport(a, db, output) })
		},
	}
	export.Flags().StringVarP(&output, "output", "o", "", "数据包文件（默认 digilevel-数据包-<时间>.zip）")
	receipts := &cobra.Command{
		Use:   "receipts FILE",
		Short: "导入平台的回执文件：已接收的报告标记为已发送，被拒收的标记为被拒收",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := safefile.Read(args[0], client.MaxReceiptsSize)
			if err != nil {
				return err
			}
			rf, err := client.ReadReceipts(data)
			if err != nil {
				return inputError(err)
			}
			return a.withStore(func(db *storage.DB) error {
				res, err := client.ApplyReceipts(db, rf, a.change(db, "导入平台回执"))
				if err != nil {
					return err
				}
				fmt.Fprintf(a.streams.out, "已标记为已发送 %d 份（此前已发送 %d 份），被拒收 %d 份，暂缓发送 %d 份，待重试 %d 份\n",
					res.Marked, res.AlreadySent, res.Rejected, res.Held, res.Failed)
				if len(res.Unknown) > 0 {
					fmt.Fprintf(a.streams.err, "digilevel: 警告: 回执中有 %d 份报告不在本机: %s\n", len(res.Unknown), strings.Join(res.Unknown, "、"))
				}
				if res.Rejected+res.Held > 0 {
					// As sync: reports that wait for a person.
					return partialf("%d 份报告被拒收、%d 份暂缓发送，原因与处理办法见 digilevel sync status", res.Rejected, res.Held)
				}
				return nil
			})
		},
	}
	cmd.AddCommand(export, receipts)
	return cmd
}

// errNothingToExport aborts a bundle with no report: the file is not
// written (an existing file of that name stays as it was).
var errNothingToExport = errors.New("nothing to export")

func runBundleExport(a *app, db *storage.DB, output string) error {
	now := time.Now()
	if output == "" {
		output = "digilevel-数据包-" + now.In(report.Zone()).Format("20060102-150405") + ".zip"
	}
	var res client.ExportResult
	err := writeFileAtomic(output, func(w io.Writer) error {
		var err error
		if res, err = client.ExportBundle(db, w, now); err == nil && res.Reports == 0 {
			err = errNothingToExport
		}
		return err
	})
	for _, s := range res.Skipped {
		fmt.Fprintf(a.streams.err, "digilevel: 警告: 报告 %s 未导出: %s\n", s.ID, s.Reason)
	}
	switch {
	case errors.Is(err, errNothingToExport) && len(res.Skipped) > 0:
		return fmt.Errorf("%d 份报告因佐证材料问题未导出，没有生成数据包", len(res.Skipped))
	case errors.Is(err, errNothingToExport):
		fmt.Fprintln(a.streams.out, "没有未发送的报告，没有生成数据包")
		return nil
	case err != nil:
		return err
	}
	abs, _ := filepath.Abs(output)
	fmt.Fprintf(a.streams.out, "已导出 %d 份报告、%d 个佐证材料文件到 %s\n", res.Reports, res.Evidence, abs)
	if len(res.Skipped) > 0 {
		return partialf("%d 份报告因佐证材料问题未导出（见上方说明），其余已写入数据包", len(res.Skipped))
	}
	return nil
}
