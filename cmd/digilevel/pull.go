package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/report"
	"digilevel/storage"
	"digilevel/sync/client"
)

type pullOptions struct {
	enterprises []string
	bundle      string
	server      string
	token       string
	json        bool
	timeout     time.Duration
}

func newPullCmd(a *app) *cobra.Command {
	var o pullOptions
	cmd := &cobra.Command{
		Use:   "pull --enterprise CODE... | --bundle FILE",
		Short: "抽查: 把服务商的报告从平台或数据包拉取到本机（只读，校验签名并重新计分）",
		Long: `把服务商的定稿报告拉取到本机，供抽查使用：
  digilevel pull --enterprise 统一社会信用代码... [--server URL --token -]   从区县平台拉取（需抽查人员或主管部门令牌；
      --token - 从标准输入读取或提示输入，也可用环境变量 DIGILEVEL_TOKEN）
  digilevel pull --bundle 数据包.zip [--enterprise 统一社会信用代码...]          无网络时从数据包拉取
每份报告入库前都要校验：规范格式、签名、用报告所用的指标目录重新计分、文本安全、企业档案有效；
被改动、草稿或使用本机没有的指标目录的报告被拒收并说明原因，不保存。本机没有该企业的档案时，
按报告建立一企一档。重复拉取不改变任何数据。拉取的报告只读，作为他人的报告保存（服务商、签名密钥、平台回执）。
盲评（默认）：抽查定稿前不显示服务商报告的答案、补充数据、备注、得分与等级。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.timeout <= 0 {
				return usagef("参数错误: --timeout 应为正数")
			}
			switch {
			case o.bundle != "" && (o.server != "" || o.token != ""):
				return usagef("参数错误: --bundle 不能与 --server、--token 同时使用")
			case o.bundle == "" && len(o.enterprises) == 0:
				return usagef("参数错误: 请用 --enterprise 指定企业（统一社会信用代码），或用 --bundle 指定数据包（查看帮助: digilevel pull --help）")
			}
			if o.bundle == "" {
				// As for sync: --token - (stdin or a prompt) or DIGILEVEL_TOKEN.
				tok, err := a.syncToken(o.token)
				if err != nil {
					return err
				}
				o.token = tok
			}
			return a.withStore(func(db *storage.DB) error { return runPull(cmd.Context(), a, db, o) })
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.enterprises, "enterprise", nil, "企业统一社会信用代码（可重复，或用逗号分隔）")
	f.StringVar(&o.bundle, "bundle", "", "从数据包（zip）拉取，无需网络")
	f.StringVar(&o.server, "server", "", "平台地址（会被记住，与 sync 共用）")
	f.StringVar(&o.token, "token", "", "抽查人员或主管部门的访问令牌: - 表示从标准输入读取或提示输入（会被记住，与 sync 共用；也可用环境变量 DIGILEVEL_TOKEN）")
	f.BoolVar(&o.json, "json", false, "以 JSON 输出结果")
	f.DurationVar(&o.timeout, "timeout", client.DefaultTimeout, "单次请求超时（默认 30s）")
	hideDefaults(cmd, "timeout")
	cmd.AddCommand(newPullListCmd(a))
	return cmd
}

func runPull(ctx context.Context, a *app, db *storage.DB, o pullOptions) error {
	var res client.PullResult
	var err error
	if o.bundle != "" {
		res, err = client.PullBundle(db, o.bundle, o.enterprises, a.change(db, "从数据包拉取"))
	} else {
		var c *client.Client
		c, err = client.New(db, client.Options{Server: o.server, Token: o.token, Timeout: o.timeout, Who: a.change(db, "").Who})
		if err != nil {
			return inputError(err)
		}
		if plainHTTP(c.Server()) {
			fmt.Fprintf(a.streams.err, "digilevel: 警告: %s 未使用 https，令牌与报告以明文传输\n", c.Server())
		}
		res, err = c.PullEnterprises(ctx, o.enterprises)
		if err == nil {
			// Remembered only once the platform accepted the token.
			err = client.Remember(db, o.server, o.token)
		}
	}
	if err != nil {
		if res.Stored > 0 {
			writePullResult(a.streams.out, a.catalog(), res)
		}
		return err
	}
	if len(res.Reports) == 0 && len(res.NotFound) > 0 {
		return model.Errorf(model.ErrNotFound, "%s没有企业 %s 的报告，没有拉取任何报告", pullSource(o), strings.Join(res.NotFound, "、"))
	}
	if o.json {
		if err := printJSON(a.streams.out, res); err != nil {
			return err
		}
	} else {
		writePullResult(a.streams.out, a.catalog(), res)
	}
	for _, code := range res.NotFound {
		fmt.Fprintf(a.streams.err, "digilevel: 警告: %s没有企业 %s 的报告\n", pullSource(o), code)
	}
	if res.Refused > 0 {
		return exitCodeError{code: exitCheck, err: fmt.Errorf("%d 份报告未通过校验，没有保存（原因见上方）；其余报告已拉取", res.Refused)}
	}
	return nil
}

func pullSource(o pullOptions) string {
	if o.bundle != "" {
		return "数据包中"
	}
	return "平台上"
}

func writePullResult(w io.Writer, cat *indicators.Catalog, res client.PullResult) {
	labels := map[string]string{client.PullStored: "已拉取", client.PullExisting: "已有", client.PullRefused: "拒收", client.PullSkipped: "跳过"}
	for _, it := range res.Reports {
		line := fmt.Sprintf("%s  %s", labels[it.Status], it.ID)
		if it.Kind != "" {
			line += fmt.Sprintf("  %s 第 %d 版", model.DisplaySafe(cat.KindLabel(string(it.Kind)), false), it.Version)
		}
		line += "  企业 " + it.Enterprise
		if it.Name != "" {
			line += "（" + model.DisplaySafe(it.Name, false) + "）"
		}
		if it.Provider != "" {
			line += "  服务商 " + model.DisplaySafe(it.Provider, false)
		}
		if it.Reason != "" {
			line += "\n    原因: " + model.DisplaySafe(it.Reason, false)
		}
		fmt.Fprintln(w, line)
	}
	for _, code := range res.EnterprisesCreated {
		fmt.Fprintf(w, "已按报告建立企业档案 %s\n", code)
	}
	fmt.Fprintf(w, "新拉取 %d 份，已有 %d 份，拒收 %d 份", res.Stored, res.Existing, res.Refused)
	if res.Skipped > 0 {
		fmt.Fprintf(w, "，跳过本机自己的报告 %d 份", res.Skipped)
	}
	fmt.Fprintln(w)
}

func newPullListCmd(a *app) *cobra.Command {
	var code string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--enterprise CODE] [--json]",
		Short: "列出本机拉取的报告（盲评中不显示得分与等级）",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(db *storage.DB) error {
				list, err := db.PulledReports(code)
				if err != nil {
					return err
				}
				if list == nil {
					list = []storage.PulledInfo{}
				}
				if asJSON {
					return printJSON(a.streams.out, list)
				}
				if len(list) == 0 {
					fmt.Fprintln(a.streams.out, "本机还没有拉取的报告（digilevel pull --enterprise 统一社会信用代码）")
					return nil
				}
				var t table
				t.row("编号", "企业", "类型", "版本", "服务商", "评测人员", "定稿时间", "得分", "等级", "来源", "状态")
				sealed := ""
				for _, p := range list {
					score, level := p.Score.String(), a.catalog().LevelName(p.Level)
					if p.Sealed {
						score, level, sealed = "盲评中", "盲评中", p.SealReason
					}
					state := "当前版本"
					if p.ReplacedBy != "" {
						state = "已被 " + p.ReplacedBy + " 修订"
					}
					t.row(p.ID, model.DisplaySafe(p.EnterpriseName, false), a.catalog().KindLabel(string(p.Kind)), fmt.Sprintf("v%d", p.Version),
						model.DisplaySafe(p.Assessor.Org, false), model.DisplaySafe(p.Assessor.Person, false),
						p.FinalizedAt.In(report.Zone()).Format("2006-01-02 15:04"), score, level, p.Origin.Text(), state)
				}
				if err := t.write(a.streams.out); err != nil {
					return err
				}
				if sealed != "" {
					fmt.Fprintln(a.streams.out, sealed)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&code, "enterprise", "", "只列出某企业")
	cmd.Flags().BoolVar(&asJSON, "json", false, "以 JSON 输出")
	return cmd
}
