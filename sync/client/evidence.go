package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"digilevel/model"
	"digilevel/storage"
	"digilevel/sync/protocol"
)

// minUploadRate is the slowest uplink an evidence upload is given time
// for, on top of the request timeout: 64 MiB then gets about 17 minutes.
const minUploadRate = 64 << 10 // bytes per second

// sendEvidence uploads, before the report, every evidence file the report
// names that the platform does not have yet (HEAD, then PUT by hash). The
// platform keeps one copy per content, so a file shared by several reports
// or a revision goes once. It returns nil when the platform has them all,
// else the outcome that ends this report's attempt.
func (c *Client) sendEvidence(ctx context.Context, body []byte) *attempt {
	var doc struct {
		Evidence map[string][]model.Evidence `json:"evidence"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return &attempt{kind: outRejected, reason: fmt.Sprintf("读取本地报告的佐证材料清单失败: %v", err)}
	}
	names := map[string]string{}
	for ref, list := range doc.Evidence {
		for _, ev := range list {
			names[ev.SHA256] = ref + " 的 " + ev.Name()
		}
	}
	for _, sha := range model.EvidenceHashes(doc.Evidence) {
		has, a := c.platformHas(ctx, sha)
		if a != nil {
			return a
		}
		if has {
			continue
		}
		data, err := c.store.EvidenceData(sha)
		if errors.Is(err, model.ErrNotFound) {
			return &attempt{kind: outRejected, reason: fmt.Sprintf("佐证材料 %s 不在本机数据库中（升级时原文件已不存在），无法随报告发送: 请修订该报告，移除或重新添加这份佐证后重新定稿", names[sha])}
		} else if err != nil {
			return &attempt{kind: outRetry, reason: fmt.Sprintf("读取本机佐证材料 %s 失败: %v", names[sha], err)}
		}
		if a := c.putEvidence(ctx, sha, data); a != nil {
			return a
		}
	}
	return nil
}

// platformHas asks the platform whether it holds a file.
func (c *Client) platformHas(ctx context.Context, sha string) (bool, *attempt) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, protocol.EvidenceURL(c.server, sha), nil)
	if err != nil {
		return false, &attempt{kind: outGlobal, reason: fmt.Sprintf("服务器地址 %s 无效: %v", c.server, err)}
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return false, &attempt{kind: outCanceled}
		}
		a := classifyNetError(c.server, err)
		return false, &a
	}
	resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return true, nil
	case http.StatusNotFound:
		return false, nil
	}
	a := classifyEvidenceAnswer(resp, nil)
	return false, &a
}

// putEvidence uploads one file, with time for a slow uplink.
func (c *Client) putEvidence(ctx context.Context, sha string, data []byte) *attempt {
	timeout := c.http.Timeout + time.Duration(len(data)/minUploadRate)*time.Second
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, protocol.EvidenceURL(c.server, sha), bytes.NewReader(data))
	if err != nil {
		return &attempt{kind: outGlobal, reason: fmt.Sprintf("服务器地址 %s 无效: %v", c.server, err)}
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", protocol.EvidenceContentType)
	req.Header.Set("Accept", "application/json")
	req.Header.Set(protocol.HeaderSHA256, sha)
	long := *c.http
	long.Timeout = 0 // the context above bounds it
	resp, err := long.Do(req)
	if err != nil {
		if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return &attempt{kind: outCanceled}
		}
		a := classifyNetError(c.server, err)
		return &a
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusCreated {
		var r protocol.EvidenceReceipt
		if json.Unmarshal(answer, &r) != nil || r.SHA256 != sha {
			return &attempt{kind: outGlobal, reason: fmt.Sprintf("服务器的回答不是佐证材料的 digilevel 回执（HTTP %d）: 地址可能有误，或网络需要先登录", resp.StatusCode)}
		}
		return nil
	}
	a := classifyEvidenceAnswer(resp, answer)
	return &a
}

// classifyEvidenceAnswer maps an evidence answer like a report answer:
// 401/403 pause the queue, 413/422 refuse this report, 5xx retries; a
// platform without the evidence routes (404/405) is too old for this
// laptop, which pauses the queue.
func classifyEvidenceAnswer(resp *http.Response, data []byte) attempt {
	switch resp.StatusCode {
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		return attempt{kind: outGlobal, reason: fmt.Sprintf("平台不支持上传佐证材料（HTTP %d）: 平台版本过旧或地址有误，请联系区县主管部门", resp.StatusCode)}
	}
	return classifyAnswer(resp, data, storage.OutboxItem{})
}
