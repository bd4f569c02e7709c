package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"

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
--server 与令牌会被记住（只保存在本机数据库中），之后可省略。令牌的给法（不要写在命令行上，
本机其他用户和 shell 历史都能看到）: --token - 从标准输入读取（在终端上则提示输入，不回显），
或设置环境变量 DIGILEVEL_TOKEN。同一企业的报告按定稿顺序发送。
令牌无效或已吊销、无法解析地址、TLS 证书不可信或地址有误时整个队列暂停并说明原因；
平台拒收某份报告（冲突、过大、内容无效）时标记该报告为「被拒收」；报告的评测机构不是令牌的服务商
（或抽查单位），或报告类型不是该令牌能上传的（抽查报告只能用抽查人员令牌，其他报告只能用服务商令牌）时
标记为「暂缓发送」并说明处理办法，其他报告照常发送；服务器错误或网络中断时稍后重试。
--watch 持续重试（指数退避加随机抖动），网络恢复时立即重试，直到队列清空；两轮之间不占用数据库。
退出码: 0 全部发送；5 有报告被拒收或暂缓发送、需要处理；1 暂停或网络问题、稍后重试。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSync(cmd.Context(), a, o)
		},
	}
	cmd.Flags().StringVar(&o.server, "server", "", "平台地址，如 https://平台地址/（会被记住）")
	cmd.Flags().StringVar(&o.token, "token", "", "访问令牌: - 表示从标准输入读取或提示输入（会被记住；也可用环境变量 DIGILEVEL_TOKEN）")
	cmd.Flags().BoolVar(&o.watch, "watch", false, "持续重试直到队列清空（网络恢复时立即重试）")
	cmd.Flags().BoolVar(&o.json, "json", false, "以 JSON 输出结果")
	cmd.Flags().DurationVar(&o.timeout, "timeout", client.DefaultTimeout, "单次请求超时（默认 30s）")
	cmd.Flags().IntVar(&o.workers, "workers", client.DefaultWorkers, fmt.Sprintf("同时发送的企业数（默认 %d）", client.DefaultWorkers))
	hideDefaults(cmd, "timeout", "workers")

	var statusJSON bool
	status := &cobra.Command{
		Use:   "status",
		Short: "查看发送队列：待发送、已发送、发送失败、被拒收、暂缓发送，以及暂停原因",
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

// maxTokenInput bounds what is read as a token from standard input.
const maxTokenInput = 4096

// syncToken is the token this run was given: --token - reads it from
// standard input (asking without echo on a terminal), DIGILEVEL_TOKEN
// gives it through the environment, and --token TOKEN still works but
// warns that the command line is visible to others. "" keeps the stored one.
func (a *app) syncToken(flag string) (string, error) {
	switch {
	case flag == "-":
		if f, ok := a.raw.in.(*os.File); ok && term.IsTerminal(f.Fd()) {
			fmt.Fprint(a.streams.err, "访问令牌（输入时不显示）: ")
			b, err := term.ReadPassword(f.Fd())
			fmt.Fprintln(a.streams.err)
			if err != nil {
				return "", inputError(fmt.Errorf("读取令牌失败: %v", err))
			}
			return strings.TrimSpace(string(b)), nil
		}
		line, err := bufio.NewReader(io.LimitReader(a.streams.in, maxTokenInput)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", inputError(fmt.Errorf("从标准输入读取令牌失败: %v", err))
		}
		if strings.TrimSpace(line) == "" {
			return "", usagef("参数错误: --token - 要从标准输入读取令牌，但标准输入是空的")
		}
		return strings.TrimSpace(line), nil
	case flag != "":
		a.warn("命令行上的令牌会被本机其他用户（ps）和 shell 历史看到；以后请用 --token -（从标准输入读取或提示输入）或环境变量 DIGILEVEL_TOKEN")
		return strings.TrimSpace(flag), nil
	}
	return strings.TrimSpace(a.getenv("DIGILEVEL_TOKEN")), nil
}

func runSync(ctx context.Context, a *app, o syncOptions) error {
	if o.timeout <= 0 || o.workers <= 0 {
		return usagef("参数错误: --timeout 与 --workers 应为正数")
	}
	token, err := a.syncToken(o.token)
	if err != nil {
		return err
	}
	opts := client.Options{Timeout: o.timeout, Workers: o.workers}
	var c *client.Client
	err = a.withStore(func(db *storage.DB) error {
		if err := client.Remember(db, o.server, token); err != nil {
			return inputError(err)
		}
		opts.Who = a.change(db, "").Who
		if !o.watch {
			c, err = client.New(db, opts)
			if err != nil {
				return inputError(err)
			}
			return runSyncPass(ctx, a, c, db, o)
		}
		_, err := client.New(db, opts) // settings complete?
		if err != nil {
			return inputError(err)
		}
		return nil
	})
	if err != nil || !o.watch {
		return err
	}
	// --watch holds the database only while a pass runs, so the TUI or
	// another command can use it in between.
	c, err = client.NewReopening(a.openStore, opts)
	if err != nil {
		return err
	}
	warnPlainHTTP(a, c)
	pass, locked := 0, false
	res, err := c.Watch(ctx, client.WatchOptions{
		OnPass: func(r client.Result) {
			pass++
			locked = false
			if !o.json {
				fmt.Fprintf(a.streams.out, "第 %d 轮: %s\n", pass, describeResult(r))
			}
		},
		OnLocked: func(error) {
			if !locked && !o.json {
				fmt.Fprintln(a.streams.err, "数据库正被另一个 digilevel 进程使用，稍后再发送…")
			}
			locked = true
		},
	})
	return a.withStore(func(db *storage.DB) error { return syncOutcome(a, db, res, err, o.json) })
}

// runSyncPass sends one pass and says how it ended.
func runSyncPass(ctx context.Context, a *app, c *client.Client, db *storage.DB, o syncOptions) error {
	warnPlainHTTP(a, c)
	res, err := c.SendPending(ctx)
	if err == nil && !o.json {
		fmt.Fprintln(a.streams.out, describeResult(res))
	}
	return syncOutcome(a, db, res, err, o.json)
}

func warnPlainHTTP(a *app, c *client.Client) {
	if plainHTTP(c.Server()) {
		fmt.Fprintf(a.streams.err, "digilevel: 警告: %s 未使用 https，令牌与报告以明文传输\n", c.Server())
	}
}

// syncOutcome is the exit of `sync`: 0 when every report is sent, 1 when
// the queue is paused or reports wait for the network, 5 (partly done)
// when reports wait for a person (rejected, or held for the wrong token).
func syncOutcome(a *app, db *storage.DB, res client.Result, err error, asJSON bool) error {
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("已中断: 还有 %d 份报告未发送", res.Remaining)
	}
	if err != nil {
		return err
	}
	if asJSON {
		if err := printJSON(a.streams.out, res); err != nil {
			return err
		}
	}
	st, err := client.GetStatus(db)
	if err != nil {
		return err
	}
	switch {
	case res.Paused:
		return fmt.Errorf("发送已暂停: %s", res.PauseReason)
	case res.Remaining > 0:
		return fmt.Errorf("还有 %d 份报告未发送（%s），请稍后重试或使用 digilevel sync --watch", res.Remaining, res.LastError)
	case st.Rejected+st.Held > 0:
		var parts []string
		if st.Rejected > 0 {
			parts = append(parts, fmt.Sprintf("被拒收 %d 份（需修订后重新定稿）", st.Rejected))
		}
		if st.Held > 0 {
			parts = append(parts, fmt.Sprintf("暂缓发送 %d 份（当前令牌不能上传：评测机构或报告类型与令牌不符）", st.Held))
		}
		return partialf("%d 份报告需要处理: %s；查看原因与处理办法: digilevel sync status", st.Rejected+st.Held, strings.Join(parts, "，"))
	}
	return nil
}

// describeResult is one line about a pass.
func describeResult(r client.Result) string {
	if r == (client.Result{}) {
		return "没有可以发送的报告（发送队列为空，或只剩需要人处理的报告）"
	}
	parts := []string{fmt.Sprintf("新发送 %d 份", r.Sent)}
	if r.Existing > 0 {
		parts = append(parts, fmt.Sprintf("平台已有 %d 份（已确认）", r.Existing))
	}
	if r.Rejected > 0 {
		parts = append(parts, fmt.Sprintf("被拒收 %d 份", r.Rejected))
	}
	if r.Held > 0 {
		parts = append(parts, fmt.Sprintf("暂缓发送 %d 份（评测机构或报告类型与令牌不符）", r.Held))
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
	fmt.Fprintf(w, "待发送 %d 份，发送失败待重试 %d 份，被拒收 %d 份，暂缓发送 %d 份，已发送 %d 份\n", st.Queued, st.Failed, st.Rejected, st.Held, st.Sent)
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
