// Package client is the laptop's side of sync: it sends the outbox of the
// local store to the district platform, oldest first per enterprise, and
// records each receipt, refusal or failure in the store.
//
// # Failure behaviour
//
//   - a problem of the laptop or the token (401, 403 forbidden or
//     key_mismatch, DNS, TLS, a wrong URL, an answer that is not a
//     digilevel receipt) pauses the whole queue: no further upload starts,
//     the receipts of uploads already on the wire are recorded, no item is
//     marked, and the reason is kept for `sync status`;
//   - a refusal of one report (409/413/422) marks that report rejected with
//     the server's reason (it needs a person: a revision) and the pass goes
//     on with the next one;
//   - a report refused for the token it was sent with (403
//     provider_mismatch: its 评测机构 is not the token's provider;
//     spotcheck_requires_inspector: a spot-check sent with a provider's
//     token; inspector_spotcheck_only: a provider's kind sent with an
//     inspector's token) is held with the reason and what to do, and the
//     pass goes on; it is tried again only with another token;
//   - a server error (5xx, 429) or a network error marks the report
//     send_failed; later reports of the same enterprise wait for it (FIFO
//     per enterprise), other enterprises go on;
//   - the server answers a report it already has with its original receipt,
//     so resending after any failure or crash is safe: a report reaches the
//     platform exactly once.
//
// Client.SendPending is one pass, for a TUI to run in the background;
// Client.Watch repeats passes with backoff and jitter until the queue is
// empty, waking early when the network changes.
package client

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"digilevel/model"
	"digilevel/storage"
)

// Defaults of Options.
const (
	DefaultTimeout = 30 * time.Second
	// DefaultWorkers was measured (sync/e2e.BenchmarkSyncWorkers, run by
	// bench/run.sh): against 4, 8 workers sent 1.50x the reports per
	// second and 16 workers 1.53x, so 8 takes the gain without doubling
	// the connections each laptop opens to the platform.
	DefaultWorkers = 8
)

// Settings the client keeps in the store besides storage.SettingServerURL
// and storage.SettingToken.
const (
	SettingPauseReason = "sync_pause_reason"
	SettingPausedAt    = "sync_paused_at"
)

// Options configure a Client. Server and Token default to the store's
// settings.
type Options struct {
	// Server is the platform's base URL, e.g. https://platform.example/.
	Server string
	// Token is the provider's access token.
	Token string
	// HTTPClient replaces the default client (NewHTTPClient(Timeout)).
	HTTPClient *http.Client
	// Timeout bounds one request, from dialling to the end of the answer.
	Timeout time.Duration
	// Workers is how many enterprises are sent in parallel (reports of one
	// enterprise always go one after the other, oldest first).
	Workers int
	// Who is recorded in the audit log (default "同步").
	Who string
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Client sends a store's outbox. It is safe for concurrent use: passes do
// not overlap (a second SendPending waits for the one running), so a TUI
// may call SendPending while Watch runs on the same Client.
type Client struct {
	pass  sync.Mutex // one pass at a time
	store *storage.DB
	// open, when set, opens the store for one pass (store is nil): the
	// database is locked only while a pass runs.
	open    func() (*storage.DB, error)
	server  string
	token   string
	http    *http.Client
	workers int
	who     string
	now     func() time.Time
}

// New builds a client. Missing Server or Token are read from the store's
// settings; both must then be known.
func New(store *storage.DB, o Options) (*Client, error) {
	if o.Server == "" {
		s, err := store.Setting(storage.SettingServerURL)
		if err != nil {
			return nil, err
		}
		o.Server = s
	}
	if o.Token == "" {
		s, err := store.Setting(storage.SettingToken)
		if err != nil {
			return nil, err
		}
		o.Token = s
	}
	if err := CheckServerURL(o.Server); err != nil {
		return nil, err
	}
	if strings.TrimSpace(o.Token) == "" {
		return nil, model.Errorf(model.ErrInvalid, "尚未设置访问令牌: 请用 --token -（从标准输入读取或提示输入）或环境变量 DIGILEVEL_TOKEN 给出（区县主管部门发放）")
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.HTTPClient == nil {
		o.HTTPClient = NewHTTPClient(o.Timeout)
	}
	if o.Workers <= 0 {
		o.Workers = DefaultWorkers
	}
	if o.Who == "" {
		o.Who = "同步"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Client{store: store, server: strings.TrimRight(o.Server, "/"), token: strings.TrimSpace(o.Token),
		http: o.HTTPClient, workers: o.Workers, who: o.Who, now: o.Now}, nil
}

// NewReopening builds a client that opens the store only for each pass and
// closes it after, so that another digilevel process (the TUI, a command)
// can use the database between passes (`sync --watch`). open is called once
// here to read the settings. A pass that finds the database in use returns
// storage.ErrLocked; Watch waits and tries again.
func NewReopening(open func() (*storage.DB, error), o Options) (*Client, error) {
	store, err := open()
	if err != nil {
		return nil, err
	}
	c, err := New(store, o)
	if cerr := store.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("关闭数据库: %w", cerr)
	}
	if err != nil {
		return nil, err
	}
	c.store, c.open = nil, open
	return c, nil
}

// acquire returns the store for one pass and what releases it.
func (c *Client) acquire() (*storage.DB, func(), error) {
	if c.open == nil {
		return c.store, func() {}, nil
	}
	store, err := c.open()
	if err != nil {
		return nil, nil, err
	}
	return store, func() { store.Close() }, nil
}

// TokenTag identifies a token in the store without keeping it: the first
// 16 hex digits of its SHA-256. A held report records the tag of the token
// it was refused for.
func TokenTag(token string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return hex.EncodeToString(sum[:8])
}

// Server is the base URL the client sends to.
func (c *Client) Server() string { return c.server }

// CheckServerURL accepts http and https URLs with a host and no query.
func CheckServerURL(s string) error {
	if strings.TrimSpace(s) == "" {
		return model.Errorf(model.ErrInvalid, "尚未设置服务器地址: 请用 --server 指定，例如 https://平台地址/")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return model.Errorf(model.ErrInvalid, "服务器地址 %q 无效: 应为 http(s)://主机[:端口][/路径]", s)
	}
	return nil
}

// Remember stores the server URL and token as the defaults of later runs;
// empty values leave the stored ones alone.
func Remember(store *storage.DB, server, token string) error {
	values := map[string]string{}
	if server != "" {
		if err := CheckServerURL(server); err != nil {
			return err
		}
		values[storage.SettingServerURL] = server
	}
	if token != "" {
		values[storage.SettingToken] = strings.TrimSpace(token)
	}
	if len(values) == 0 {
		return nil
	}
	if err := store.SetSettings(values); err != nil {
		return fmt.Errorf("保存同步设置: %w", err)
	}
	return nil
}

// NewHTTPClient is the default HTTP client: every phase has a timeout,
// redirects are not followed (a redirect means a wrong URL), TLS 1.2+.
func NewHTTPClient(timeout time.Duration) *http.Client {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: timeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
