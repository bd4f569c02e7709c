package web

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"digilevel/model"
	"digilevel/report"
	"digilevel/storage/platform"
)

// tokensData is the 令牌 page.
type tokensData struct {
	Table   *table
	Tokens  []tokenRow
	Message string
	Done    string
	// Form values to refill after a refusal.
	Provider, Role, Expires string
}

// tokenRow is a token as the page shows it: never its secret's hash.
type tokenRow struct {
	ID, Provider       string
	Role               platform.Role
	Status, Expires    string
	Key                string
	CreatedAt, BoundAt time.Time
	Self               bool
}

// keyText names the installation key bound to a token.
func keyText(t platform.Token) string {
	if t.PublicKey == "" {
		return "未绑定"
	}
	return platform.Fingerprint(t.PublicKey)
}

func (d *Dashboard) tokensTable() (*table, error) {
	tokens, err := d.store.Tokens()
	if err != nil {
		return nil, err
	}
	now := d.now()
	t := &table{Page: "tokens", Name: "tokens", Title: "访问令牌", Empty: "还没有令牌。",
		Cols: []column{{Header: "编号", Kind: report.ColumnID, Width: 20}, {Header: "名称", Kind: report.ColumnWrap, Width: 30},
			{Header: "角色", Width: 10}, {Header: "状态", Width: 8}, {Header: "创建时间", Width: 18}, {Header: "过期时间", Width: 18},
			{Header: "设备密钥", Kind: report.ColumnID, Width: 18}, {Header: "绑定时间", Width: 18}}}
	for _, x := range tokens {
		exp := "长期"
		if !x.ExpiresAt.IsZero() {
			exp = beijing(x.ExpiresAt)
		}
		t.add("", cell{Text: x.ID}, cell{Text: safe(x.Provider)}, cell{Text: x.Role.Label()}, cell{Text: tokenStatus(x, now)},
			cell{Text: beijing(x.CreatedAt)}, cell{Text: exp}, cell{Text: keyText(x)}, cell{Text: beijing(x.BoundAt)})
	}
	return t, nil
}

func (d *Dashboard) tokensPage(w http.ResponseWriter, r *request) {
	d.showTokens(w, r, http.StatusOK, tokensData{Done: doneText(r.URL.Query().Get("done"), r.URL.Query().Get("id")), Role: string(platform.RoleProvider)})
}

func doneText(done, id string) string {
	switch done {
	case "revoked":
		return "已吊销令牌 " + safe(id) + "：之后使用它的上传与查询得到 401，用它登录的会话随即失效。"
	case "rebound":
		return "已更新令牌 " + safe(id) + " 的设备密钥绑定。"
	}
	return ""
}

func (d *Dashboard) showTokens(w http.ResponseWriter, r *request, status int, data tokensData) {
	t, err := d.tokensTable()
	if err != nil {
		d.log.Error("tokens", "err", err)
		d.errorPage(w, r.Request, http.StatusInternalServerError, "服务器错误", "读取令牌失败，请稍后重试。")
		return
	}
	tokens, _ := d.store.Tokens()
	now := d.now()
	for _, x := range tokens {
		row := tokenRow{ID: x.ID, Provider: safe(x.Provider), Role: x.Role, Status: tokenStatus(x, now), Expires: "长期", Key: keyText(x),
			CreatedAt: x.CreatedAt, BoundAt: x.BoundAt, Self: x.ID == r.token.ID}
		if !x.ExpiresAt.IsZero() {
			row.Expires = beijing(x.ExpiresAt)
		}
		data.Tokens = append(data.Tokens, row)
	}
	data.Table = t
	d.render(w, r.Request, status, "tokens", page{Title: "令牌", Nav: "tokens", CSRF: r.session.CSRF, Body: data})
}

// parseExpiry reads the form's expiry: empty (never), a date (valid through
// that day, Beijing time) or a number of days.
func parseExpiry(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return time.Time{}, nil
	case strings.HasSuffix(s, "天") || strings.HasSuffix(s, "d"):
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(s, "天"), "d"))
		if err == nil && n > 0 && n <= 3650 {
			return now.AddDate(0, 0, n), nil
		}
	default:
		if t, err := time.ParseInLocation("2006-01-02", s, report.Zone()); err == nil {
			if end := t.AddDate(0, 0, 1); end.After(now) {
				return end, nil
			}
			return time.Time{}, model.Errorf(model.ErrInvalid, "过期日期 %s 已过", s)
		}
	}
	return time.Time{}, model.Errorf(model.ErrInvalid, "过期时间 %q 无法识别：请填日期（如 2026-12-31，当天有效）或天数（如 90天），不填为长期有效", model.DisplaySafe(s, false))
}

// createTokenData is the page that shows a new token once.
type createTokenData struct {
	Secret   string
	Token    platform.Token
	Expires  string
	RoleNote string
}

func (d *Dashboard) createToken(w http.ResponseWriter, r *request) {
	form := tokensData{Provider: r.PostForm.Get("provider"), Role: r.PostForm.Get("role"), Expires: r.PostForm.Get("expires")}
	provider := strings.TrimSpace(form.Provider)
	refuse := func(msg string) {
		form.Message = msg + " 令牌没有创建。"
		d.showTokens(w, r, http.StatusBadRequest, form)
	}
	if err := model.CheckText(provider, model.TextRule{Label: "名称", Max: model.MaxNameLength, Required: true}); err != nil {
		refuse(err.Error() + "。")
		return
	}
	role, err := platform.ParseRole(form.Role)
	if err != nil {
		refuse("请选择角色：服务商、抽查人员或主管部门。")
		return
	}
	now := d.now()
	expires, err := parseExpiry(form.Expires, now)
	if err != nil {
		refuse(err.Error() + "。")
		return
	}
	secret, tok, err := d.store.CreateToken(provider, role, expires)
	switch {
	case errors.Is(err, model.ErrInvalid):
		refuse(err.Error() + "。")
		return
	case err != nil:
		d.log.Error("create token", "err", err)
		d.errorPage(w, r.Request, http.StatusInternalServerError, "服务器错误", "创建令牌失败，请稍后重试；令牌没有创建。")
		return
	}
	data := createTokenData{Secret: secret, Token: tok, Expires: "长期有效"}
	data.Token.Provider = safe(tok.Provider)
	if !tok.ExpiresAt.IsZero() {
		data.Expires = "有效期至 " + beijing(tok.ExpiresAt)
	}
	switch role {
	case platform.RoleProvider:
		data.RoleNote = "服务商令牌的名称须与其报告中的评测机构名称完全一致；第一份上传报告的设备密钥将绑定到该令牌。"
	case platform.RoleInspector:
		data.RoleNote = "抽查人员令牌可以按企业拉取报告（digilevel pull）。"
	case platform.RoleOffice:
		data.RoleNote = "主管部门令牌可以登录本管理平台并查询全部报告。"
	}
	// The secret is in this answer only: never stored, never logged, not cached.
	d.render(w, r.Request, http.StatusCreated, "token_created", page{Title: "令牌已创建", Nav: "tokens", CSRF: r.session.CSRF, Body: data})
}

func (d *Dashboard) revokeToken(w http.ResponseWriter, r *request) {
	id := r.PathValue("id")
	tok, err := d.store.RevokeToken(id, d.now())
	if d.tokenChangeFailed(w, r, id, err, "吊销") {
		return
	}
	http.Redirect(w, r.Request, "/tokens?done=revoked&id="+url.QueryEscape(tok.ID), http.StatusSeeOther)
}

func (d *Dashboard) rebindToken(w http.ResponseWriter, r *request) {
	id := r.PathValue("id")
	key := strings.TrimSpace(r.PostForm.Get("key"))
	if key != "" {
		if raw, err := base64.StdEncoding.DecodeString(key); err != nil || len(raw) != 32 {
			d.showTokens(w, r, http.StatusBadRequest, tokensData{Role: string(platform.RoleProvider),
				Message: "设备公钥应为 base64 编码的 ed25519 公钥（报告 signature.public_key 字段的值）；不填则清除绑定。绑定没有改变。"})
			return
		}
	}
	tok, err := d.store.RebindToken(id, key, d.now())
	if d.tokenChangeFailed(w, r, id, err, "重新绑定") {
		return
	}
	http.Redirect(w, r.Request, "/tokens?done=rebound&id="+url.QueryEscape(tok.ID), http.StatusSeeOther)
}

// tokenChangeFailed answers the error page of a failed change of a token
// (what: 吊销, 重新绑定) and reports whether there was one.
func (d *Dashboard) tokenChangeFailed(w http.ResponseWriter, r *request, id string, err error, what string) bool {
	switch {
	case errors.Is(err, model.ErrNotFound):
		d.errorPage(w, r.Request, http.StatusNotFound, "令牌不存在", "没有编号为 "+safe(id)+" 的令牌；没有做任何改动。")
		return true
	case err != nil:
		d.log.Error("change token", "what", what, "err", err)
		d.errorPage(w, r.Request, http.StatusInternalServerError, "服务器错误", what+"失败，请稍后重试。")
		return true
	}
	return false
}
