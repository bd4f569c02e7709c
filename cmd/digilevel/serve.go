package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"digilevel/report"
	"digilevel/safefile"
	"digilevel/storage/pgstore"
	"digilevel/storage/platform"
	"digilevel/storage/serverstore"
	"digilevel/sync/bundle"
	"digilevel/sync/protocol"
	"digilevel/sync/server"
	"digilevel/web"
	"digilevel/web/platformstore"
)

// serverDBEnv names the platform database when --db is not given.
const serverDBEnv = "DIGILEVEL_SERVER_DB"

// serverTarget is the platform database: --db, else $DIGILEVEL_SERVER_DB.
func (a *app) serverTarget() (string, error) {
	if a.db != "" {
		return a.db, nil
	}
	if v := a.getenv(serverDBEnv); v != "" {
		return v, nil
	}
	return "", usagef("参数错误: 平台服务命令须用 --db 指定服务器数据库（bbolt 文件，或 postgres://… 连接地址），或设置 %s", serverDBEnv)
}

// serverDB opens the platform database: PostgreSQL for a postgres:// URL,
// else the bbolt file.
func (a *app) serverDB() (server.Store, error) {
	target, err := a.serverTarget()
	if err != nil {
		return nil, err
	}
	return openServerDB(target)
}

func openServerDB(target string) (server.Store, error) {
	if pgstore.IsDSN(target) {
		st, err := pgstore.Open(target, pgstore.Options{})
		switch {
		case errors.Is(err, pgstore.ErrNotDatabase), errors.Is(err, pgstore.ErrTooNew):
			return nil, inputError(err)
		case errors.Is(err, pgstore.ErrUnavailable):
			return nil, exitCodeError{code: exitFailure, err: err}
		case err != nil:
			return nil, fmt.Errorf("打开平台数据库 %s: %w", pgstore.Redact(target), err)
		}
		return st, nil
	}
	st, err := serverstore.Open(target, serverstore.Options{})
	switch {
	case errors.Is(err, serverstore.ErrLocked):
		// bbolt allows one process: the running server holds the file.
		return nil, exitCodeError{code: exitLocked, err: fmt.Errorf("%w。bbolt 数据库文件只允许一个进程打开：请先停止 digilevel serve 再执行此命令；"+
			"如需在服务运行时管理令牌、名单和报告，请把平台迁移到 PostgreSQL（digilevel serve migrate --from %s --to postgres://…）", err, target)}
	case errors.Is(err, serverstore.ErrNotDatabase), errors.Is(err, serverstore.ErrTooNew), errors.Is(err, serverstore.ErrNoAccess):
		return nil, inputError(err)
	case err != nil:
		return nil, err
	}
	return st, nil
}

func (a *app) withServerDB(fn func(st server.Store) error) error {
	st, err := a.serverDB()
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(st)
}

type serveOptions struct {
	addr, tlsCert, tlsKey string
	shutdownTimeout       time.Duration
}

func newServeCmd(a *app) *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "运行区县平台的报告接收服务，并管理令牌、报告与数据包导入",
		Long: `运行区县平台的报告接收服务（HTTP API，见 sync/openapi.yaml）。
--db（或环境变量 DIGILEVEL_SERVER_DB）指定服务器数据库：
  bbolt 文件（默认，不存在则创建）：只允许一个进程打开，服务运行时令牌管理等子命令需先停止服务；
  postgres://用户:口令@主机:端口/数据库：可同时运行多个服务进程，子命令可在服务运行时执行，启动时自动完成数据库结构迁移。
收到 SIGTERM 或 Ctrl-C 时停止接收新连接，等待处理中的请求完成后退出（退出码 0）；已回复成功的报告都已写入磁盘。
临近 --shutdown-timeout 时仍在上传的报告得到 503（带 Retry-After），笔记本稍后重发。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withServerDB(func(st server.Store) error { return runServe(cmd, a, st, o) })
		},
	}
	cmd.Flags().StringVar(&o.addr, "addr", "127.0.0.1:8787", "监听地址（默认 127.0.0.1:8787）")
	cmd.Flags().StringVar(&o.tlsCert, "tls-cert", "", "TLS 证书文件（PEM）")
	cmd.Flags().StringVar(&o.tlsKey, "tls-key", "", "TLS 私钥文件（PEM）")
	cmd.Flags().DurationVar(&o.shutdownTimeout, "shutdown-timeout", server.ShutdownTimeout, "停止时等待处理中请求的最长时间（默认 30s）；临近时仍在上传的报告得到 503 并被告知稍后重发")
	cmd.AddCommand(newServeTokenCmd(a), newServeReportsCmd(a), newServeCheckCmd(a), newServeImportCmd(a),
		newServeMigrateCmd(a), newServeRosterCmd(a), newServeExportCmd(a))
	hideDefaults(cmd, "addr", "shutdown-timeout")
	return cmd
}

func runServe(cmd *cobra.Command, a *app, st server.Store, o serveOptions) error {
	if (o.tlsCert == "") != (o.tlsKey == "") {
		return usagef("参数错误: --tls-cert 与 --tls-key 须同时给出")
	}
	if o.shutdownTimeout < time.Second {
		return usagef("参数错误: --shutdown-timeout 至少为 1s")
	}
	logger := server.NewLogger(a.streams.err)
	// The dashboard checks its logins with the server's token rules, and the
	// server routes the dashboard's paths to it: the handler is set once both exist.
	var dashboard http.Handler
	srv, err := server.New(st, server.Options{Logger: logger,
		Dashboard: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { dashboard.ServeHTTP(w, r) })})
	if err != nil {
		return err
	}
	dash, err := web.New(web.Options{Store: platformstore.New(st, srv, nil), Logger: logger})
	if err != nil {
		return err
	}
	dashboard = dash
	go func() {
		// Read the reports now, so the office's first page does not wait.
		if err := dash.Warm(); err != nil {
			logger.Error("dashboard warm-up", "err", err)
		}
	}()
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return inputError(fmt.Errorf("无法监听 %s: %w", o.addr, err))
	}
	scheme := "http"
	if o.tlsCert != "" {
		scheme = "https"
	} else if host, _, _ := net.SplitHostPort(o.addr); !isLoopback(host) {
		fmt.Fprintln(a.streams.err, "digilevel: 警告: 未启用 TLS，令牌与报告以明文传输；请使用 --tls-cert/--tls-key 或置于 HTTPS 反向代理之后")
	}
	fmt.Fprintf(a.streams.err, "digilevel: 平台服务已启动: %s://%s（数据库 %s）；区县管理平台: %s://%s/ （主管部门令牌登录）\n", scheme, ln.Addr(), st.Describe(), scheme, ln.Addr())
	if err := srv.Serve(cmd.Context(), ln, server.ServeOptions{TLSCert: o.tlsCert, TLSKey: o.tlsKey, ShutdownTimeout: o.shutdownTimeout}); err != nil {
		return fmt.Errorf("平台服务: %w", err)
	}
	fmt.Fprintln(a.streams.err, "digilevel: 平台服务已停止")
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func newServeTokenCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "管理访问令牌（bbolt 须在服务停止时执行；PostgreSQL 可随时执行）", Args: cobra.NoArgs}
	var provider, role, expires string
	add := &cobra.Command{
		Use:   "add",
		Short: "创建令牌：标准输出只打印令牌本身（只显示这一次），数据库只保存其摘要",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := platform.ParseRole(role)
			if err != nil {
				return inputError(err)
			}
			now := time.Now()
			exp, err := parseExpiry(expires, now)
			if err != nil {
				return inputError(err)
			}
			return a.withServerDB(func(st server.Store) error {
				secret, tok, err := server.NewToken(provider, r, exp, now)
				if err != nil {
					return inputError(err)
				}
				if err := st.AddToken(tok); err != nil {
					return err
				}
				until := "长期有效"
				if !tok.ExpiresAt.IsZero() {
					until = "有效期至 " + shownMinute(tok.ExpiresAt)
				}
				fmt.Fprintf(a.streams.err, "已创建令牌 %s（%s「%s」，%s）。令牌只显示这一次，请通过可靠渠道交给对方。\n", tok.ID, r.Label(), tok.Provider, until)
				fmt.Fprintln(a.streams.out, secret)
				return nil
			})
		},
	}
	add.Flags().StringVar(&provider, "provider", "", "服务商名称（须与报告中的评测机构名称一致），或抽查组、主管部门名称")
	add.Flags().StringVar(&role, "role", string(platform.RoleProvider), "角色: provider（上传本机构的报告，默认）、inspector（按企业查询、上传本单位的抽查报告）、office（查询全部）")
	hideDefaults(add, "role")
	add.Flags().StringVar(&expires, "expires", "", "过期时间: 日期 2026-12-31（含当天）、时长 720h 或 90d、或 RFC 3339 时间")
	add.MarkFlagRequired("provider")

	var listJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "列出令牌（不显示令牌本身）",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withServerDB(func(st server.Store) error {
				tokens, err := st.Tokens()
				if err != nil {
					return err
				}
				return writeTokens(a.streams.out, tokens, listJSON, time.Now())
			})
		},
	}
	list.Flags().BoolVar(&listJSON, "json", false, "以 JSON 输出")

	revoke := &cobra.Command{
		Use:   "revoke ID",
		Short: "吊销令牌（之后使用它的请求得到 401）",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withServerDB(func(st server.Store) error {
				tok, err := st.RevokeToken(args[0], time.Now())
				if err != nil {
					return err
				}
				fmt.Fprintf(a.streams.out, "已吊销令牌 %s（%s「%s」）\n", tok.ID, tok.Role.Label(), tok.Provider)
				return nil
			})
		},
	}
	var key string
	rebind := &cobra.Command{
		Use:   "rebind ID",
		Short: "重新绑定令牌的设备密钥（服务商更换电脑后）：不给 --key 则清除绑定，下一份上传报告的密钥将被绑定",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if key != "" {
				if raw, err := base64.StdEncoding.DecodeString(key); err != nil || len(raw) != 32 {
					return inputError(fmt.Errorf("--key 应为 base64 编码的 ed25519 公钥（报告 signature.public_key 字段）"))
				}
			}
			return a.withServerDB(func(st server.Store) error {
				old, err := st.Token(args[0])
				if err != nil {
					return err
				}
				tok, err := st.RebindToken(args[0], key, time.Now())
				if err != nil {
					return err
				}
				if key == "" {
					fmt.Fprintf(a.streams.out, "已清除令牌 %s 的设备密钥绑定（原密钥指纹 %s）；下一份上传报告的签名密钥将被绑定\n", tok.ID, platform.Fingerprint(old.PublicKey))
				} else {
					fmt.Fprintf(a.streams.out, "令牌 %s 已绑定设备密钥 %s（原密钥指纹 %s）\n", tok.ID, platform.Fingerprint(key), platform.Fingerprint(old.PublicKey))
				}
				return nil
			})
		},
	}
	rebind.Flags().StringVar(&key, "key", "", "要绑定的公钥（base64）")
	cmd.AddCommand(add, list, revoke, rebind)
	return cmd
}

// parseExpiry reads --expires: "" (never), a date (valid through that day,
// Beijing time), a duration ("720h", "90d") or an RFC 3339 time.
func parseExpiry(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return time.Time{}, nil
	case strings.HasSuffix(s, "d"):
		if days, err := strconv.Atoi(strings.TrimSuffix(s, "d")); err == nil && days > 0 {
			return now.AddDate(0, 0, days), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(d), nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, report.Zone()); err == nil {
		return t.AddDate(0, 0, 1), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--expires %q 无法识别: 应为日期 2026-12-31、时长 720h 或 90d、或 RFC 3339 时间", s)
}

// tokenInfo is a token as listed: never its secret or the secret's hash.
type tokenInfo struct {
	ID             string    `json:"id"`
	Provider       string    `json:"provider"`
	Role           string    `json:"role"`
	Status         string    `json:"status"`
	CreatedAt      time.Time `json:"created_at"`
	ExpiresAt      time.Time `json:"expires_at,omitzero"`
	RevokedAt      time.Time `json:"revoked_at,omitzero"`
	KeyFingerprint string    `json:"key_fingerprint,omitempty"`
	BoundAt        time.Time `json:"bound_at,omitzero"`
}

func writeTokens(w io.Writer, tokens []platform.Token, asJSON bool, now time.Time) error {
	infos := make([]tokenInfo, 0, len(tokens))
	for _, t := range tokens {
		status := "有效"
		switch {
		case !t.RevokedAt.IsZero():
			status = "已吊销"
		case !t.Active(now):
			status = "已过期"
		}
		info := tokenInfo{ID: t.ID, Provider: t.Provider, Role: string(t.Role), Status: status, CreatedAt: inZone(t.CreatedAt),
			ExpiresAt: inZone(t.ExpiresAt), RevokedAt: inZone(t.RevokedAt), BoundAt: inZone(t.BoundAt)}
		if t.PublicKey != "" {
			info.KeyFingerprint = platform.Fingerprint(t.PublicKey)
		}
		infos = append(infos, info)
	}
	if asJSON {
		return printJSON(w, infos)
	}
	var t table
	t.row("编号", "名称", "角色", "状态", "过期时间", "设备密钥")
	for i, info := range infos {
		exp := "长期"
		if !info.ExpiresAt.IsZero() {
			exp = shownMinute(info.ExpiresAt)
		}
		key := info.KeyFingerprint
		if key == "" {
			key = "未绑定"
		}
		t.row(info.ID, info.Provider, tokens[i].Role.Label(), info.Status, exp, key)
	}
	return t.write(w)
}

func newServeReportsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "reports", Short: "查看平台收到的报告", Args: cobra.NoArgs}
	var asJSON bool
	var enterprise string
	list := &cobra.Command{
		Use:   "list",
		Short: "按接收顺序列出报告（编号、SHA-256、企业、服务商、接收时间）",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withServerDB(func(st server.Store) error {
				return listReports(a.streams.out, st, a.catalog(), enterprise, asJSON)
			})
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "以 JSON 输出")
	list.Flags().StringVar(&enterprise, "enterprise", "", "只列出该企业（统一社会信用代码）的报告")
	cmd.AddCommand(list)
	return cmd
}

func newServeCheckCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check",
		Short: "检查服务器数据库：每份报告的校验值与签名、重新计分、序号连续、修订关系、幂等记录、佐证材料（bbolt 与 PostgreSQL 规则相同）",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withServerDB(func(st server.Store) error {
				sum, problems, err := st.Verify()
				if err != nil {
					return err
				}
				if asJSON {
					if err := printJSON(a.streams.out, checkOutput{Database: st.Describe(), Summary: sum, Problems: append([]string{}, problems...)}); err != nil {
						return err
					}
				} else {
					for _, p := range problems {
						fmt.Fprintln(a.streams.out, p)
					}
				}
				if len(problems) > 0 {
					return exitCodeError{code: exitCheck, err: fmt.Errorf("服务器数据库有 %d 个问题", len(problems))}
				}
				if !asJSON {
					fmt.Fprintf(a.streams.out, "服务器数据库完好（%s）: %s\n", st.Describe(), describeSummary(sum))
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "以 JSON 输出（数据库、计数、摘要、问题）")
	return cmd
}

// checkOutput is `serve check --json`.
type checkOutput struct {
	Database string           `json:"database"`
	Summary  platform.Summary `json:"summary"`
	Problems []string         `json:"problems"`
}

func describeSummary(s platform.Summary) string {
	reports := fmt.Sprintf("%d 份报告", s.Reports)
	if s.LastSeq > 0 {
		reports += fmt.Sprintf("（序号 1–%d）", s.LastSeq)
	}
	return fmt.Sprintf("%s，%d 个令牌，%d 条幂等记录，%d 份佐证材料，%d 家名单企业；摘要 %s",
		reports, s.Tokens, s.Idempotency, s.Evidence, s.Roster, s.Digest[:16])
}

func newServeImportCmd(a *app) *cobra.Command {
	var provider, role, output string
	cmd := &cobra.Command{
		Use:   "import BUNDLE",
		Short: "导入服务商或抽查人员交来的数据包（规则与 API 相同），输出回执文件交回",
		Long: `导入用 digilevel bundle export 导出的数据包（zip），规则与 API 上传相同；
--provider 为交来数据包的服务商（或抽查单位），须与报告中的评测机构一致。
--role inspector 导入抽查人员交来的抽查报告（如同用该单位的抽查人员令牌上传：只接收抽查报告）；
默认 provider（只接收改造前诊断与改造后验收，抽查报告被拒收）。每份报告的佐证材料须在包中。
回执文件（JSON）写到 -o 指定的文件或标准输出，交回后用 digilevel bundle receipts 导入。
重复导入同一数据包不会改变任何数据，回执相同。`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := platform.ParseRole(role)
			if err != nil {
				return inputError(err)
			}
			b, closer, err := bundle.Open(args[0])
			if err != nil {
				return inputError(err)
			}
			defer closer.Close()
			return a.withServerDB(func(st server.Store) error {
				srv, err := server.New(st, server.Options{})
				if err != nil {
					return err
				}
				rf, err := srv.Import(b, provider, r)
				if err != nil {
					return inputError(err)
				}
				if err := writeReceipts(a, output, rf); err != nil {
					return err
				}
				created := 0
				for _, r := range rf.Receipts {
					if r.Status == protocol.StatusCreated {
						created++
					}
				}
				fmt.Fprintf(a.streams.err, "数据包 %s: 接收 %d 份（新 %d 份，平台已有 %d 份），拒收 %d 份\n",
					filepath.Base(args[0]), len(rf.Receipts), created, len(rf.Receipts)-created, len(rf.Rejected))
				for _, r := range rf.Rejected {
					fmt.Fprintf(a.streams.err, "  拒收 %s: %s\n", r.ID, r.Message)
				}
				if len(rf.Rejected) > 0 {
					// The receipts are written: they carry the refusals back
					// to the laptop, which holds or rejects each report.
					return partialf("%d 份报告被拒收（原因见上）；回执已写出，请交回笔记本用 digilevel bundle receipts 导入", len(rf.Rejected))
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&provider, "provider", "", "交来数据包的服务商（或抽查单位）名称")
	cmd.Flags().StringVar(&role, "role", string(platform.RoleProvider), "交来者的角色: provider（服务商，默认）或 inspector（抽查单位，只接收抽查报告）")
	hideDefaults(cmd, "role")
	cmd.Flags().StringVarP(&output, "output", "o", "", "回执文件（默认写到标准输出）")
	cmd.MarkFlagRequired("provider")
	return cmd
}

func writeReceipts(a *app, path string, rf protocol.ReceiptsFile) error {
	if path == "" {
		return printJSON(a.streams.out, rf)
	}
	return writeFileAtomic(path, func(w io.Writer) error { return printJSON(w, rf) })
}

// writeFileAtomic writes a file with safefile.Write: beside its final name,
// synced and renamed into place, so a reader never sees half a file; never
// over a directory, a device, a link or a database.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	return safefile.Write(path, safefile.WriteOptions{}, write)
}

// hideDefaults keeps pflag from printing "(default ...)" in English; the
// flag's Chinese usage text names the default itself.
func hideDefaults(cmd *cobra.Command, names ...string) {
	for _, n := range names {
		if f := cmd.Flags().Lookup(n); f != nil {
			switch f.Value.Type() {
			case "int":
				f.DefValue = "0"
			case "duration":
				f.DefValue = "0s"
			default:
				f.DefValue = ""
			}
		}
	}
}
