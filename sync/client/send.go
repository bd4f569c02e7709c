package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"digilevel/model"
	"digilevel/storage"
	"digilevel/sync/protocol"
)

// Result counts what one pass did.
type Result struct {
	// Sent: accepted by the server now (201).
	Sent int `json:"sent"`
	// Existing: the server had the report already (200); marked sent.
	Existing int `json:"existing"`
	// Rejected: refused (409/413/422); the report needs a person.
	Rejected int `json:"rejected"`
	// Held: refused for this token (403 provider_mismatch or a spot-check
	// kind code, see protocol.HeldCode); the report waits for the right
	// token or a revision, the others go on.
	Held int `json:"held"`
	// Failed: retryable failure (5xx, network); the report stays queued.
	Failed int `json:"failed"`
	// Remaining: reports still to send after this pass.
	Remaining int `json:"remaining"`
	// Paused is set when a global problem stopped the pass; PauseReason
	// says why, in Chinese.
	Paused      bool   `json:"paused"`
	PauseReason string `json:"pause_reason,omitempty"`
	// RetryAfter is the longest wait a server asked for (429/503).
	RetryAfter time.Duration `json:"retry_after,omitempty"`
	// LastError is the last per-report failure or refusal of the pass.
	LastError string `json:"last_error,omitempty"`
}

// Done reports whether nothing is left to send (rejected reports wait for a
// person, not for the network).
func (r Result) Done() bool { return !r.Paused && r.Remaining == 0 }

// stopAfter consecutive retryable failures end a pass early: the server or
// the network is down, and hammering it helps nobody.
const stopAfter = 8

// maxAnswer bounds what is read of an answer.
const maxAnswer = 64 << 10

type outcome int

const (
	outSent outcome = iota + 1
	outRejected
	outHeld
	outRetry
	outGlobal
	outCanceled
)

type attempt struct {
	kind       outcome
	receipt    protocol.Receipt
	reason     string
	retryAfter time.Duration
}

// pass is the shared state of one SendPending.
type pass struct {
	store       *storage.DB
	mu          sync.Mutex
	res         Result
	err         error
	consecutive int
	// stopped: start no further upload. Uploads already on the wire are
	// not cut: their receipts are recorded (a pause or a run of failures
	// must not throw away what the server has accepted).
	stopped bool
	// cancel aborts the uploads in flight: only for a local failure.
	cancel context.CancelFunc
}

func (p *pass) fail(err error) {
	p.mu.Lock()
	if p.err == nil {
		p.err = err
	}
	p.stopped = true
	p.mu.Unlock()
	p.cancel()
}

func (p *pass) stop() {
	p.mu.Lock()
	p.stopped = true
	p.mu.Unlock()
}

func (p *pass) isStopped() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stopped
}

// SendPending runs one pass over the outbox: every unsent report, oldest
// first per enterprise, several enterprises at once. Held reports are tried
// again only with another token than the one they were refused for. It
// returns when every report was tried once, a global problem paused the
// queue, or ctx ended. Every receipt received is stored before it returns,
// including those of uploads that were on the wire when the queue paused.
// The error is a local failure (the store, or storage.ErrLocked when the
// client opens the store per pass and another process holds it) or ctx's
// error; server and network problems are in Result.
func (c *Client) SendPending(parent context.Context) (Result, error) {
	c.pass.Lock()
	defer c.pass.Unlock()
	store, release, err := c.acquire()
	if err != nil {
		return Result{}, err
	}
	defer release()
	items, err := store.Outbox()
	if err != nil {
		return Result{}, fmt.Errorf("读取发送队列: %w", err)
	}
	tag := TokenTag(c.token)
	var order []string
	groups := map[string][]storage.OutboxItem{}
	pending := 0
	for _, it := range items {
		if !it.State.Unsent() || (it.State == model.StateHeld && it.HeldFor == tag) {
			continue
		}
		if _, ok := groups[it.Enterprise]; !ok {
			order = append(order, it.Enterprise)
		}
		groups[it.Enterprise] = append(groups[it.Enterprise], it)
		pending++
	}
	p := &pass{store: store}
	if pending == 0 {
		return Result{}, c.clearPause(p)
	}
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	p.cancel = cancel

	receipts := make(chan storage.Receipt, 256)
	committed := make(chan struct{})
	go c.commitReceipts(p, receipts, committed)

	jobs := make(chan []storage.OutboxItem)
	var wg sync.WaitGroup
	for range min(c.workers, len(order)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for g := range jobs {
				c.sendGroup(ctx, p, g, tag, receipts)
			}
		}()
	}
feed:
	for _, e := range order {
		if p.isStopped() {
			break
		}
		select {
		case jobs <- groups[e]:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	close(receipts)
	<-committed

	p.mu.Lock()
	res, perr := p.res, p.err
	p.mu.Unlock()
	res.Remaining = pending - res.Sent - res.Existing - res.Rejected - res.Held
	if perr == nil && !res.Paused {
		perr = parent.Err()
	}
	if perr != nil {
		return res, perr
	}
	switch {
	case res.Paused:
		return res, c.setPause(p, res.PauseReason)
	case res.Sent+res.Existing+res.Rejected+res.Held > 0:
		// The server accepted the token and answered: whatever paused the
		// queue before is over. (A pass that only failed proves nothing.)
		return res, c.clearPause(p)
	}
	return res, nil
}

// sendGroup sends one enterprise's reports in order; a retryable failure
// stops the group so that later reports never overtake it. A refused or
// held report needs a person, so the ones after it go on.
func (c *Client) sendGroup(ctx context.Context, p *pass, group []storage.OutboxItem, tag string, receipts chan<- storage.Receipt) {
	for _, it := range group {
		if ctx.Err() != nil || p.isStopped() {
			return
		}
		a := c.attempt(ctx, p.store, it)
		change := model.Change{Who: c.who, Now: c.now()}
		p.mu.Lock()
		switch a.kind {
		case outSent:
			if a.receipt.Status == protocol.StatusExisting {
				p.res.Existing++
			} else {
				p.res.Sent++
			}
			p.consecutive = 0
		case outRejected:
			p.res.Rejected++
			p.res.LastError = a.reason
			p.consecutive = 0
		case outHeld:
			p.res.Held++
			p.res.LastError = a.reason
			p.consecutive = 0
		case outRetry:
			p.res.Failed++
			p.res.LastError = a.reason
			p.res.RetryAfter = max(p.res.RetryAfter, a.retryAfter)
			p.consecutive++
			if p.consecutive >= stopAfter {
				p.stopped = true
			}
		case outGlobal:
			if !p.res.Paused {
				p.res.Paused, p.res.PauseReason = true, a.reason
			}
			p.stopped = true
		}
		p.mu.Unlock()
		switch a.kind {
		case outSent:
			receipts <- storage.Receipt{
				AssessmentID: a.receipt.ID, ServerSeq: a.receipt.ServerSeq, ReceivedAt: a.receipt.ReceivedAt,
				SHA256: a.receipt.SHA256, Server: c.server}
		case outRejected:
			if err := p.store.MarkRejected(it.AssessmentID, a.reason, change); err != nil {
				p.fail(fmt.Errorf("把报告 %s 标记为被拒收: %w", it.AssessmentID, err))
				return
			}
		case outHeld:
			if err := p.store.MarkHeld(it.AssessmentID, a.reason, tag, change); err != nil {
				p.fail(fmt.Errorf("把报告 %s 标记为暂缓发送: %w", it.AssessmentID, err))
				return
			}
		case outRetry:
			if err := p.store.MarkAttemptFailed(it.AssessmentID, a.reason, change); err != nil {
				p.fail(fmt.Errorf("记录报告 %s 的发送失败: %w", it.AssessmentID, err))
			}
			return
		default:
			return
		}
	}
}

// commitReceipts stores receipts in batches: whatever arrived while the
// previous batch was committing goes into the next transaction.
func (c *Client) commitReceipts(p *pass, in <-chan storage.Receipt, done chan<- struct{}) {
	defer close(done)
	for first := range in {
		batch := []storage.Receipt{first}
	gather:
		for len(batch) < 256 {
			select {
			case it, ok := <-in:
				if !ok {
					break gather
				}
				batch = append(batch, it)
			default:
				break gather
			}
		}
		errs, err := p.store.MarkSentBatch(batch, model.Change{Who: c.who, Now: c.now()})
		if err == nil {
			err = errors.Join(errs...)
		}
		if err != nil {
			p.fail(fmt.Errorf("保存平台回执: %w", err))
			for range in { // drain so senders never block
			}
			return
		}
	}
}

// attempt uploads one report and classifies the answer.
func (c *Client) attempt(ctx context.Context, store *storage.DB, it storage.OutboxItem) attempt {
	body, err := store.StoredReport(it.AssessmentID)
	if err != nil {
		return attempt{kind: outRejected, reason: fmt.Sprintf("读取本地报告失败: %v", err)}
	}
	if sha := model.HashReport(body); sha != it.SHA256 {
		return attempt{kind: outRejected, reason: fmt.Sprintf("本地报告的校验值 %s 与定稿时记录的 %s 不符，未发送", sha[:12], it.SHA256[:12])}
	}
	if a := c.sendEvidence(ctx, body); a != nil {
		return *a
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, protocol.ReportURL(c.server, it.AssessmentID), bytes.NewReader(body))
	if err != nil {
		return attempt{kind: outGlobal, reason: fmt.Sprintf("服务器地址 %s 无效: %v", c.server, err)}
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", protocol.ContentType)
	req.Header.Set("Accept", "application/json")
	req.Header.Set(protocol.HeaderSHA256, it.SHA256)
	req.Header.Set(protocol.HeaderIdempotencyKey, protocol.IdempotencyKey(it.AssessmentID, it.SHA256))
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return attempt{kind: outCanceled}
		}
		a := classifyNetError(c.server, err)
		if a.kind == outRetry && mayBeTLS(err) {
			return c.checkScheme(ctx, a)
		}
		return a
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return attempt{kind: outCanceled}
	case resp.StatusCode < 300:
		// A receipt cut short proves nothing: send again, the server
		// answers with the same receipt.
		return attempt{kind: outRetry, reason: "读取平台回执时连接中断；会自动重试（平台对同一报告回答同一回执，不会重复）"}
	}
	// An error status is an answer even if its body was cut short.
	a := classifyAnswer(resp, data, it)
	if resp.StatusCode == http.StatusBadRequest && !isProtocolError(data) {
		return c.checkScheme(ctx, a)
	}
	return a
}

// An http:// address for an HTTPS server. The TLS server sees plain text,
// answers 400 and closes; depending on timing the laptop reads that 400 or
// has its upload reset. Both outcomes, and any other 400 that is not a
// digilevel error, are checked the same way: does the address answer a
// TLS handshake? Then the queue pauses with the same message every time.

// checkScheme returns the pause for an http:// address whose server
// speaks TLS, else a unchanged.
func (c *Client) checkScheme(ctx context.Context, a attempt) attempt {
	u, err := url.Parse(c.server)
	if err != nil || u.Scheme != "http" {
		return a
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "80")
	}
	tlsServer := speaksTLS(ctx, host)
	switch {
	case ctx.Err() != nil: // another worker paused the pass meanwhile
		return attempt{kind: outCanceled}
	case !tlsServer:
		return a
	}
	https := "https://" + strings.TrimPrefix(c.server, "http://")
	return attempt{kind: outGlobal, reason: fmt.Sprintf("服务器 %s 是 HTTPS 服务，地址却写成了 http://：请改用 %s（digilevel sync --server %s）", u.Host, https, https)}
}

// speaksTLS reports whether host completes a TLS handshake (or answers it
// with a TLS alert). Nothing is sent over the connection; the certificate
// is not checked because only the protocol is in question.
func speaksTLS(ctx context.Context, host string) bool {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	d := &tls.Dialer{Config: &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}}
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		var alert tls.AlertError
		return errors.As(err, &alert)
	}
	conn.Close()
	return true
}

// mayBeTLS: a connection reset, a broken pipe or an early EOF, what a TLS
// server does to plain text; not a refusal or a timeout.
func mayBeTLS(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return false
	}
	return !errors.Is(err, syscall.ECONNREFUSED)
}

// isProtocolError reports whether data is a digilevel error body.
func isProtocolError(data []byte) bool {
	var e protocol.Error
	return json.Unmarshal(data, &e) == nil && e.Code != "" && e.Message != ""
}

func classifyAnswer(resp *http.Response, data []byte, it storage.OutboxItem) attempt {
	status := resp.StatusCode
	e := serverError(status, data)
	switch {
	case status == http.StatusOK || status == http.StatusCreated:
		var r protocol.Receipt
		if err := json.Unmarshal(data, &r); err != nil || r.ID != it.AssessmentID || r.SHA256 != it.SHA256 || r.ServerSeq == 0 {
			return attempt{kind: outGlobal, reason: fmt.Sprintf("服务器的回答不是本报告的 digilevel 回执（HTTP %d）: 地址可能有误，或网络需要先登录", status)}
		}
		return attempt{kind: outSent, receipt: r}
	case status == http.StatusForbidden && protocol.HeldCode(e.Code):
		// About this report and this token, not the token alone: hold
		// it, send the others.
		return attempt{kind: outHeld, reason: heldReason(e.Code, e.text("平台不接受用当前令牌上传这份报告"), status)}
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return attempt{kind: outGlobal, reason: e.say("令牌无效或无权上传", status)}
	case status == http.StatusConflict || status == http.StatusRequestEntityTooLarge || status == http.StatusUnprocessableEntity:
		return attempt{kind: outRejected, reason: e.say("服务器拒收", status)}
	case status == http.StatusTooManyRequests || status >= 500:
		return attempt{kind: outRetry, reason: e.say("服务器暂时不可用", status), retryAfter: retryAfter(resp)}
	case status >= 300 && status < 400:
		return attempt{kind: outGlobal, reason: fmt.Sprintf("服务器地址被重定向到 %s（HTTP %d），请检查地址", serverText(resp.Header.Get("Location")), status)}
	}
	return attempt{kind: outGlobal, reason: e.say("服务器地址可能有误或版本不兼容", status)}
}

// heldReason says why a report is held and what a person can do about it,
// by the platform's code (see protocol.HeldCode).
func heldReason(code, msg string, status int) string {
	switch code {
	case protocol.CodeSpotCheckNeedsInspector:
		return fmt.Sprintf("%s（HTTP %d）。处理办法: 用抽查人员令牌发送（digilevel sync --token -）；抽查报告的评测机构须与令牌所属的抽查单位一致", msg, status)
	case protocol.CodeInspectorSpotCheckOnly:
		return fmt.Sprintf("%s（HTTP %d）。处理办法: 用该报告评测机构（服务商）的令牌发送（digilevel sync --token -）", msg, status)
	case protocol.CodeKeyMismatch:
		return fmt.Sprintf("%s（HTTP %d）。处理办法: 本机的签名密钥还没有绑定到该单位的令牌。请主管部门为本机签发令牌，用它发送一次（digilevel sync --token -），"+
			"或请主管部门把令牌改绑到本机（digilevel serve token rebind）后重新导出数据包交来；报告本身有效，不必修订", msg, status)
	}
	return fmt.Sprintf("%s（HTTP %d）。处理办法: 如报告属于其他服务商（或抽查单位），请用其令牌发送（digilevel sync --token -）；"+
		"如评测机构填错，请更正设置（digilevel config --assessor-org）后修订报告（digilevel assessment revise）", msg, status)
}

// errorBody is the error body of an answer, if it is a digilevel one.
type errorBody struct{ protocol.Error }

func serverError(status int, data []byte) errorBody {
	var e protocol.Error
	if status >= 300 && json.Unmarshal(data, &e) == nil {
		return errorBody{e}
	}
	return errorBody{}
}

// text is the server's message made safe to store and show, or fallback.
func (e errorBody) text(fallback string) string {
	if m := serverText(e.Message); m != "" {
		return m
	}
	return fallback
}

// say is the message with the HTTP status, as kept in the queue.
func (e errorBody) say(fallback string, status int) string {
	return fmt.Sprintf("%s（HTTP %d）", e.text(fallback), status)
}

// serverMessage is the server's message (made safe, see serverText) with
// the HTTP status, or fallback for an answer that is not a digilevel error.
func serverMessage(status int, data []byte, fallback string) string {
	return serverError(status, data).say(fallback, status)
}

// maxServerText bounds a server message kept in the store, in characters.
const maxServerText = 500

// serverText makes text from the network safe to store and print: what the
// server says ends up in `sync status` on a terminal, so control and bidi
// characters are replaced (model.DisplaySafe) and the length is bounded.
func serverText(s string) string {
	s = strings.TrimSpace(model.DisplaySafe(s, false))
	if r := []rune(s); len(r) > maxServerText {
		s = string(r[:maxServerText]) + "…"
	}
	return s
}

func retryAfter(resp *http.Response) time.Duration {
	v := resp.Header.Get("Retry-After")
	if secs, err := strconv.Atoi(v); err == nil && secs > 0 {
		return min(time.Duration(secs)*time.Second, time.Hour)
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(time.Until(t), 0), time.Hour)
	}
	return 0
}

// classifyNetError: DNS and TLS problems pause the queue (retrying the next
// report cannot help); everything else (refused, reset, timeout) is a
// retryable failure of this report.
func classifyNetError(server string, err error) attempt {
	var dns *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	switch {
	case errors.As(err, &dns):
		return attempt{kind: outGlobal, reason: fmt.Sprintf("无法解析服务器地址 %s（DNS）: 网络未连接或地址有误", dns.Name)}
	case errors.As(err, &unknownCA), errors.As(err, &hostErr), errors.As(err, &invalid), errors.As(err, &verify):
		return attempt{kind: outGlobal, reason: fmt.Sprintf("平台 %s 的 TLS 证书不可信（证书过期、域名不符或不是受信任机构签发）: 请向区县主管部门核实平台地址和证书", server)}
	case errors.As(err, &record), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"),
		strings.Contains(err.Error(), "tls: "):
		return attempt{kind: outGlobal, reason: fmt.Sprintf("与平台 %s 的 TLS 连接失败: 请检查地址开头的 http:// 或 https:// 是否写错", server)}
	case strings.Contains(err.Error(), "unsupported protocol scheme"):
		return attempt{kind: outGlobal, reason: fmt.Sprintf("服务器地址 %s 无效", server)}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return attempt{kind: outRetry, reason: fmt.Sprintf("服务器 %s 响应超时: 网络太慢或平台繁忙，会自动重试", server)}
	}
	return attempt{kind: outRetry, reason: netReason(server, err)}
}

// netReason says in Chinese what a network failure means and what to do;
// Go's own text ("dial tcp ...: connect: connection refused") never
// reaches the consultant.
func netReason(server string, err error) string {
	return netProblem(server, err) + "；会自动重试"
}

// netProblem is netReason without the promise to retry (the settings'
// connection check does not retry).
func netProblem(server string, err error) string {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("无法连接平台 %s（连接被拒绝）: 平台服务未运行，或地址、端口有误，请在「设置」中检查平台地址", server)
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Sprintf("与平台 %s 的连接中断", server)
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETDOWN):
		return fmt.Sprintf("无法连接平台 %s（网络不可达）: 请检查网络连接", server)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Sprintf("平台 %s 响应超时: 网络太慢或平台繁忙", server)
	}
	return fmt.Sprintf("无法连接平台 %s（网络错误）: 请检查网络连接", server)
}

func (c *Client) setPause(p *pass, reason string) error {
	if v, err := p.store.Setting(SettingPauseReason); err == nil && v == reason {
		return nil // keep the time it first paused; no needless commit
	}
	err := p.store.SetSettings(map[string]string{SettingPauseReason: reason, SettingPausedAt: c.now().UTC().Format(time.RFC3339)})
	if err != nil {
		return fmt.Errorf("保存暂停原因: %w", err)
	}
	return nil
}

func (c *Client) clearPause(p *pass) error {
	v, err := p.store.Setting(SettingPauseReason)
	if err != nil || v == "" {
		return err
	}
	if err := p.store.SetSettings(map[string]string{SettingPauseReason: "", SettingPausedAt: ""}); err != nil {
		return fmt.Errorf("清除暂停原因: %w", err)
	}
	return nil
}
