package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"digilevel/storage"
	"digilevel/sync/client"
)

type syncOptions struct {
	server  string
	token   string
	watch   bool
	json    bool
	timeout time.Duration
	workers int
}

func newSyncCmd(a *app) *cobra.Command {
	var o syncOptions
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "把已定稿的报告发送到区县平台",
		Long: `把发送队列中已定稿的报告发送到区县平台，每份报告只会被平台接收一次。
--server 与 --token 会被记住，之后可省略。同一企业的报告按定稿顺序发送。
令牌无效、无权上传、无法解析地址、TLS 证书不可信或地址有误时整个队列暂停并说明原因；
平台拒收某份报告（冲突、过大、内容无效）时标记该报告为「被拒收」并继续发送其他报告；
服务器错误或网络中断时稍后重试。--watch 持续重试（指数退避加随机抖动），网络恢复时立即重试，
直到队列清空。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(db *storage.DB) error { return runSync(cmd.Context(), a, db, o) })
		},
	}
	cmd.Flags().StringVar(&o.server, "server", "", "平台地址，如 https://平台地址/（会被记住）")
	cmd.Flags().StringVar(&o.token, "token", "", "访问令牌（区县主管部门发放，会被记住）")
	cmd.Flags().BoolVar(&o.watch, "watch", false, "持续重试直到队列清空（网络恢复时立即重试）")
	cmd.Flags().BoolVar(&o.json, "json", false, "以 JSON 输出结果")
	cmd.Flags().DurationVar(&o.timeout, "timeout", client.DefaultTimeout, "单次请求超时（默认 30s）")
	cmd.Flags().IntVar(&o.workers, "workers", client.DefaultWorkers, "同时发送的企业数（默认 4）")
	hideDefaults(cmd, "timeout", "workers")

	var statusJSON bool
	status := &cobra.Command{
		Use:   "status",
		Short: "查看发送队列：待发送、已发送、发送失败、被拒收，以及暂停原因",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(db *storage.DB) error {
				st, err := client.GetStatus(db)
				if err != nil {
					return err
				}
				if statusJSON {
					st.PausedAt = inZone(st.PausedAt)
					for i := range st.Items {
						st.Items[i].EnqueuedAt, st.Items[i].LastAttemptAt = inZone(st.Items[i].EnqueuedAt), inZone(st.Items[i].LastAttemptAt)
					}
					return printJSON(a.streams.out, st)
				}
				writeSyncStatus(a.streams.out, st)
				return nil
			})
		},
	}
	status.Flags().BoolVar(&statusJSON, "json", false, "以 JSON 输出")
	cmd.AddCommand(status)
	return cmd
}

func runSync(ctx context.Context, a *app, db *storage.DB, o syncOptions) error {
	if o.timeout <= 0 || o.workers <= 0 {
		return usagef("参数错误: --timeout 与 --workers 应为正数")
	}
	if err := client.Remember(db, o.server, o.token); err != nil {
		return inputError(err)
	}
	c, err := client.New(db, client.Options{Timeout: o.timeout, Workers: o.workers, Who: a.change(db, "").Who})
	if err != nil {
		return inputError(err)
	}
	if plainHTTP(c.Server()) {
		fmt.Fprintf(a.streams.err, "digilevel: 警告: %s 未使用 https，令牌与报告以明文传输\n", c.Server())
	}
	var res client.Result
	if o.watch {
		pass := 0
		res, err = c.Watch(ctx, client.WatchOptions{OnPass: func(r client.Result) {
			pass++
			if !o.json {
				fmt.Fprintf(a.streams.out, "第 %d 轮: %s\n", pass, describeResult(r))
			}
		}})
	} else {
		res, err = c.SendPending(ctx)
		if err == nil && !o.json {
			fmt.Fprintln(a.streams.out, describeResult(res))
		}
	}
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("已中断: 还有 %d 份报告未发送", res.Remaining)
	}
	if err != nil {
		return err
	}
	if o.json {
		if err := printJSON(a.streams.out, res); err != nil {
			return err
		}
	}
	switch {
	case res.Paused:
		return fmt.Errorf("发送已暂停: %s", res.PauseReason)
	case res.Remaining > 0:
		return fmt.Errorf("还有 %d 份报告未发送（%s），请稍后重试或使用 digilevel sync --watch", res.Remaining, res.LastError)
	case res.Rejected > 0:
		return fmt.Errorf("%d 份报告被平台拒收，需要修订后重新定稿（查看原因: digilevel sync status）", res.Rejected)
	}
	return nil
}

// describeResult is one line about a pass.
func describeResult(r client.Result) string {
	if r == (client.Result{}) {
		return "发送队列为空，没有需要发送的报告"
	}
	parts := []string{fmt.Sprintf("新发送 %d 份", r.Sent)}
	if r.Existing > 0 {
		parts = append(parts, fmt.Sprintf("平台已有 %d 份（已确认）", r.Existing))
	}
	if r.Rejected > 0 {
		parts = append(parts, fmt.Sprintf("被拒收 %d 份", r.Rejected))
	}
	if r.Failed > 0 {
		parts = append(parts, fmt.Sprintf("发送失败 %d 次（将重试）", r.Failed))
	}
	parts = append(parts, fmt.Sprintf("剩余 %d 份", r.Remaining))
	line := strings.Join(parts, "，")
	if r.Paused {
		line += "；已暂停: " + r.PauseReason
	}
	return line
}

// plainHTTP reports an http:// URL to a host other than loopback.
func plainHTTP(server string) bool {
	u, err := url.Parse(server)
	return err == nil && u.Scheme == "http" && !isLoopback(u.Hostname())
}

func writeSyncStatus(w io.Writer, st client.Status) {
	server := st.Server
	if server == "" {
		server = "（未设置，用 digilevel sync --server 设置）"
	}
	fmt.Fprintf(w, "平台地址: %s\n", server)
	fmt.Fprintf(w, "待发送 %d 份，发送失败待重试 %d 份，被拒收 %d 份，已发送 %d 份\n", st.Queued, st.Failed, st.Rejected, st.Sent)
	if st.Paused {
		fmt.Fprintf(w, "发送已暂停（%s）: %s\n", shownMinute(st.PausedAt), st.PauseReason)
	}
	for _, it := range st.Items {
		line := fmt.Sprintf("  %s  企业 %s  %s", it.ID, it.Enterprise, it.StateLabel)
		if it.Attempts > 0 {
			line += fmt.Sprintf("  尝试 %d 次", it.Attempts)
		}
		if it.LastError != "" {
			line += "  最后错误: " + it.LastError
		}
		fmt.Fprintln(w, line)
	}
}
