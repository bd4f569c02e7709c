package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"digilevel/model"
	"digilevel/sync/protocol"
)

// Whoami asks the platform who a token belongs to (GET /api/v1/whoami):
// the connection check of the settings. Every failure is a Chinese
// sentence saying what to do.
func Whoami(ctx context.Context, server, token string, timeout time.Duration) (protocol.Whoami, error) {
	var who protocol.Whoami
	if err := CheckServerURL(server); err != nil {
		return who, err
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return who, model.Errorf(model.ErrInvalid, "请填写访问令牌（区县主管部门发放，以 dlt_ 开头）")
	}
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	server = strings.TrimRight(server, "/")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, server+protocol.WhoamiPath, nil)
	if err != nil {
		return who, model.Errorf(model.ErrInvalid, "平台地址 %s 无效", server)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	resp, err := NewHTTPClient(timeout).Do(req)
	if err != nil {
		a := classifyNetError(server, err)
		if a.kind == outRetry { // refused, reset, timeout: say what, not "will retry"
			return who, fmt.Errorf("%s", netProblem(server, err))
		}
		return who, fmt.Errorf("%s", a.reason)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	switch {
	case resp.StatusCode == http.StatusOK:
		if json.Unmarshal(data, &who) != nil || who.Provider == "" {
			return who, fmt.Errorf("平台 %s 的回答不是 digilevel 的身份信息: 地址可能有误，或网络需要先登录", server)
		}
		return who, nil
	case resp.StatusCode == http.StatusUnauthorized:
		return who, fmt.Errorf("%s", serverMessage(resp.StatusCode, data, "令牌无效"))
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed:
		return who, fmt.Errorf("平台 %s 不支持身份检查（HTTP %d）: 地址有误或平台版本过旧", server, resp.StatusCode)
	}
	return who, fmt.Errorf("%s", serverMessage(resp.StatusCode, data, "平台暂时无法检查令牌，请稍后再试"))
}
