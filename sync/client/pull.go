package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"digilevel/model"
	"digilevel/storage"
	"digilevel/sync/bundle"
	"digilevel/sync/protocol"
)

// An inspector pulls a provider's reports onto the laptop before going into
// the factory: from the platform with an inspector or office token (the
// read endpoints GET /api/v1/reports?enterprise= and GET
// /api/v1/reports/{id}), or from a bundle file without network. Every report
// is checked on the way in (storage.StorePulled); one refused report never
// stops the others.

// Pull outcomes of one report.
const (
	PullStored   = "stored"
	PullExisting = "existing"
	PullRefused  = "refused"
	// PullSkipped: this laptop's own report, which needs no pull.
	PullSkipped = "skipped"
)

// PullResult is what a pull did, report by report.
type PullResult struct {
	Reports  []PulledItem `json:"reports"`
	Stored   int          `json:"stored"`
	Existing int          `json:"existing"`
	Refused  int          `json:"refused"`
	Skipped  int          `json:"skipped"`
	// EnterprisesCreated lists the enterprise files created from a report.
	EnterprisesCreated []string `json:"enterprises_created"`
	// NotFound lists the enterprises asked for that have no report.
	NotFound []string `json:"not_found"`
}

// PulledItem is one report of a pull. Reason says why a report was refused.
type PulledItem struct {
	ID         string     `json:"id"`
	Enterprise string     `json:"enterprise"`
	Name       string     `json:"enterprise_name,omitempty"`
	Kind       model.Kind `json:"kind,omitempty"`
	Version    int        `json:"version,omitempty"`
	Provider   string     `json:"provider,omitempty"`
	Status     string     `json:"status"`
	Reason     string     `json:"reason,omitempty"`
}

func newPullResult() PullResult {
	return PullResult{Reports: []PulledItem{}, EnterprisesCreated: []string{}, NotFound: []string{}}
}

// take stores one report's bytes and records the outcome. A refusal (bad
// bytes, a conflict) or a skip (this laptop's own report) is an item; a
// storage failure is returned.
func (r *PullResult) take(store *storage.DB, data []byte, item PulledItem, origin model.PullOrigin, c model.Change) error {
	out, err := store.StorePulled(data, origin, c)
	switch {
	case err == nil:
		p := out.Report
		item.Enterprise, item.Name, item.Kind, item.Version, item.Provider = p.Enterprise, p.EnterpriseName, p.Kind, p.Version, p.Assessor.Org
		if out.Status == storage.PullExisting {
			item.Status = PullExisting
			r.Existing++
		} else {
			item.Status = PullStored
			r.Stored++
		}
		if out.EnterpriseCreated {
			r.EnterprisesCreated = append(r.EnterprisesCreated, p.Enterprise)
		}
	case errors.Is(err, model.ErrExists):
		item.Status, item.Reason = PullSkipped, err.Error()
		r.Skipped++
	case errors.Is(err, model.ErrInvalid):
		r.refuse(item, err.Error())
		return nil
	default:
		return fmt.Errorf("保存报告 %s: %w", item.ID, err)
	}
	r.Reports = append(r.Reports, item)
	return nil
}

// refuse records a report that was not taken, and why.
func (r *PullResult) refuse(item PulledItem, reason string) {
	item.Status, item.Reason = PullRefused, reason
	r.Refused++
	r.Reports = append(r.Reports, item)
}

// maxListing bounds the answer of a listing: an enterprise has a handful of
// reports, 16 MiB is thousands.
const maxListing = 16 << 20

// PullEnterprises pulls every report the platform holds of the enterprises
// (credit codes), oldest first, into the store. Reports already pulled with
// the same hash are not downloaded again. A token the platform refuses (a
// provider's token, an expired one) or a network failure stops the pull
// with an error that says why, and stores nothing more; errors about the
// token and the address wrap model.ErrInvalid.
func (c *Client) PullEnterprises(ctx context.Context, codes []string) (PullResult, error) {
	res := newPullResult()
	for _, raw := range codes {
		code := model.NormalizeCreditCode(raw)
		if err := model.ValidateCreditCode(code); err != nil {
			return res, model.Errorf(model.ErrInvalid, "统一社会信用代码 %q 无效: %v", raw, err)
		}
	}
	change := model.Change{Who: c.who, Now: c.now(), Reason: "从平台拉取"}
	for _, raw := range codes {
		code := model.NormalizeCreditCode(raw)
		var list protocol.ReportList
		if err := c.getJSON(ctx, protocol.ReportsPath+"?enterprise="+url.QueryEscape(code), &list); err != nil {
			return res, err
		}
		if len(list.Reports) == 0 {
			res.NotFound = append(res.NotFound, code)
			continue
		}
		for _, info := range list.Reports {
			item := PulledItem{ID: info.ID, Enterprise: info.Enterprise, Kind: model.Kind(info.Kind), Version: info.Version, Provider: info.Provider}
			if have, err := c.store.PulledHash(info.ID); err != nil {
				return res, err
			} else if have != "" && have == info.SHA256 {
				item.Status = PullExisting
				res.Existing++
				res.Reports = append(res.Reports, item)
				continue
			}
			body, seq, err := c.getReport(ctx, info)
			if errors.Is(err, errBadBody) {
				res.refuse(item, err.Error())
				continue
			}
			if err != nil {
				return res, err
			}
			origin := model.PullOrigin{Source: model.SourcePlatform, Server: c.server, ServerSeq: seq, ReceivedAt: info.ReceivedAt, Provider: info.Provider}
			change.Now = c.now()
			if err := res.take(c.store, body, item, origin, change); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

// errBadBody marks a report whose bytes did not arrive as listed: that
// report is refused, the pull goes on.
var errBadBody = model.Errorf(model.ErrInvalid, "报告下载不完整或与平台登记的校验值不符")

// getReport downloads one report and checks its bytes against the listing
// and the header. The sequence number is the header's.
func (c *Client) getReport(ctx context.Context, info protocol.ReportInfo) ([]byte, uint64, error) {
	resp, err := c.get(ctx, protocol.ReportsPath+"/"+url.PathEscape(info.ID))
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, model.MaxReportSize+1))
	if err != nil {
		return nil, 0, fmt.Errorf("下载报告 %s 时连接中断: %v", info.ID, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, 0, c.answerError(resp.StatusCode, body)
	}
	sha := model.HashReport(body)
	if len(body) > model.MaxReportSize || sha != info.SHA256 || resp.Header.Get(protocol.HeaderSHA256) != sha {
		return nil, 0, fmt.Errorf("%w: 报告 %s 收到 %d 字节，校验值 %s，平台登记为 %s", errBadBody, info.ID, len(body), model.ShortHash(sha), model.ShortHash(info.SHA256))
	}
	seq, err := strconv.ParseUint(resp.Header.Get("X-Server-Seq"), 10, 64)
	if err != nil || seq != info.ServerSeq {
		seq = info.ServerSeq
	}
	return body, seq, nil
}

func (c *Client) getJSON(ctx context.Context, path string, v any) error {
	resp, err := c.get(ctx, path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxListing))
	if err != nil {
		return fmt.Errorf("读取平台的回答时连接中断: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		return c.answerError(resp.StatusCode, data)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return model.Errorf(model.ErrInvalid, "服务器 %s 的回答不是 digilevel 平台的报告列表: 地址可能有误，或网络需要先登录", c.server)
	}
	return nil
}

func (c *Client) get(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.server+path, nil)
	if err != nil {
		return nil, model.Errorf(model.ErrInvalid, "服务器地址 %s 无效", c.server)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		a := classifyNetError(c.server, err)
		if a.kind == outGlobal {
			return nil, model.Errorf(model.ErrInvalid, "%s", a.reason)
		}
		return nil, fmt.Errorf("无法连接平台 %s，请检查网络后重试（无网络时可用 digilevel pull --bundle 数据包）: %s", c.server, a.reason)
	}
	return resp, nil
}

// answerError explains an error answer of the platform in Chinese.
func (c *Client) answerError(status int, data []byte) error {
	switch {
	case status == http.StatusUnauthorized:
		return model.Errorf(model.ErrInvalid, "平台不接受当前令牌: %s。请向区县主管部门申请抽查人员令牌（命令行用 --token 给出，终端界面在设置中填写）", serverMessage(status, data, "令牌无效"))
	case status == http.StatusForbidden:
		return model.Errorf(model.ErrInvalid, "拉取报告需要抽查人员或主管部门的令牌，平台拒绝了当前令牌: %s。服务商令牌只能上传报告；请向区县主管部门申请抽查人员令牌（命令行用 --token 给出，终端界面在设置中填写）",
			serverMessage(status, data, "无权查询报告"))
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed || (status >= 300 && status < 400):
		return model.Errorf(model.ErrInvalid, "服务器地址 %s 可能有误: %s", c.server, serverMessage(status, data, "不是 digilevel 平台"))
	case status == http.StatusBadRequest:
		return model.Errorf(model.ErrInvalid, "%s", serverMessage(status, data, "请求无效"))
	}
	return fmt.Errorf("平台暂时不可用，请稍后重试: %s", serverMessage(status, data, "服务器错误"))
}

// PullBundle pulls the reports of a bundle file (digilevel-bundle/1) into
// the store: every report, or only those of the enterprises in codes. The
// manifest's hash and signature of each report must match its bytes; the
// bundle's own hash and device are recorded as the origin. A bundle that is
// not one (see bundle.Read) is refused whole, wrapping model.ErrInvalid.
func PullBundle(store *storage.DB, path string, codes []string, c model.Change) (PullResult, error) {
	res := newPullResult()
	want := map[string]bool{}
	for _, raw := range codes {
		code := model.NormalizeCreditCode(raw)
		if err := model.ValidateCreditCode(code); err != nil {
			return res, model.Errorf(model.ErrInvalid, "统一社会信用代码 %q 无效: %v", raw, err)
		}
		want[code] = true
	}
	b, closer, err := bundle.Open(path)
	if err != nil {
		if errors.Is(err, model.ErrInvalid) {
			return res, err
		}
		return res, model.Errorf(model.ErrInvalid, "%v", err)
	}
	defer closer.Close()
	origin := model.PullOrigin{Source: model.SourceBundle, Bundle: b.SHA256, BundleDevice: b.Manifest.Device}
	if c.Reason == "" {
		c.Reason = "从数据包拉取"
	}
	found := map[string]bool{}
	for _, r := range b.Reports {
		e := r.Entry
		if len(want) > 0 && !want[model.NormalizeCreditCode(e.Enterprise)] {
			continue
		}
		found[model.NormalizeCreditCode(e.Enterprise)] = true
		item := PulledItem{ID: e.ID, Enterprise: e.Enterprise, Provider: e.Provider}
		switch r.Problem {
		case bundle.Missing:
			res.refuse(item, fmt.Sprintf("数据包中缺少报告文件 %s", e.File))
			continue
		case bundle.TooLarge:
			res.refuse(item, fmt.Sprintf("报告文件 %s 超过 %d 字节上限", e.File, model.MaxReportSize))
			continue
		}
		if reason := manifestMismatch(e, r.Body); reason != "" {
			res.refuse(item, reason)
			continue
		}
		if err := res.take(store, r.Body, item, origin, c); err != nil {
			return res, err
		}
	}
	for code := range want {
		if !found[code] {
			res.NotFound = append(res.NotFound, code)
		}
	}
	return res, nil
}

// manifestMismatch compares a manifest entry with the report bytes; the
// report is then verified on its own by StorePulled.
func manifestMismatch(e bundle.ReportEntry, body []byte) string {
	doc, err := model.VerifyReport(body)
	switch {
	case err != nil:
		return err.Error()
	case model.HashReport(body) != e.SHA256:
		return fmt.Sprintf("报告 %s 的校验值与数据包清单不符", e.ID)
	case doc.ID != e.ID || doc.Enterprise.Code != e.Enterprise:
		return fmt.Sprintf("报告 %s 的编号或企业与数据包清单不符", e.ID)
	case doc.Signature == nil || doc.Signature.Value != e.Signature:
		return fmt.Sprintf("报告 %s 的签名与数据包清单不符", e.ID)
	}
	return ""
}
