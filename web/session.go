package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"digilevel/model"
	"digilevel/storage/platform"
)

// Cookie names. Under TLS the session cookie carries the __Host- prefix,
// which browsers accept only with Secure, Path=/ and no Domain.
const (
	cookieSession    = "dl_session"
	cookieSessionTLS = "__Host-dl_session"
	cookieLogin      = "dl_login"
	cookieLoginTLS   = "__Host-dl_login"
)

// request is an office request with its session and token.
type request struct {
	*http.Request
	session platform.Session
	token   platform.Token
}

type officeHandler func(w http.ResponseWriter, r *request)

// office lets a request through only with a valid session of an active
// office token; a POST must also carry the session's CSRF token and come
// from this site. Without a session a GET goes to the login page.
func (d *Dashboard) office(h officeHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, tok, err := d.session(r)
		switch {
		case errors.Is(err, errNoSession):
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			d.errorPage(w, r, http.StatusUnauthorized, "未登录或登录已过期", "请重新登录后再操作；本次操作没有执行。")
			return
		case err != nil:
			d.log.Error("read session", "err", err)
			d.errorPage(w, r, http.StatusInternalServerError, "服务器错误", "读取登录状态失败，请稍后重试。")
			return
		}
		if tok.Role != platform.RoleOffice {
			d.errorPage(w, r, http.StatusForbidden, "无权访问", tok.Role.Label()+"令牌不能使用管理平台：仅主管部门（office）令牌可以登录。")
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
			if err := r.ParseForm(); err != nil {
				d.errorPage(w, r, http.StatusBadRequest, "请求无效", "表单无法读取（过大或格式错误），本次操作没有执行。")
				return
			}
			if !sameSite(r) || !equalSecret(r.PostForm.Get("csrf"), sess.CSRF) {
				d.errorPage(w, r, http.StatusForbidden, "请求被拒绝", "表单的防伪令牌缺失或不符（页面可能已过期，或请求来自其他网站）。请回到页面刷新后重新操作；本次操作没有执行。")
				return
			}
		}
		h(w, &request{Request: r, session: sess, token: tok})
	}
}

var errNoSession = errors.New("no session")

// session reads the request's session and its token. A missing, unknown
// or expired session, or one whose token is no longer active, is
// errNoSession (an expired or orphaned one is deleted on the way).
func (d *Dashboard) session(r *http.Request) (platform.Session, platform.Token, error) {
	c, err := r.Cookie(sessionCookieName(r))
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return platform.Session{}, platform.Token{}, errNoSession
	}
	hash := hashID(c.Value)
	sess, err := d.store.Session(hash)
	switch {
	case errors.Is(err, model.ErrNotFound):
		return sess, platform.Token{}, errNoSession
	case err != nil:
		return sess, platform.Token{}, err
	}
	now := d.now()
	if !sess.Valid(now) {
		_ = d.store.DeleteSession(hash)
		return sess, platform.Token{}, errNoSession
	}
	tok, err := d.store.Token(sess.TokenID)
	switch {
	case errors.Is(err, model.ErrNotFound):
		_ = d.store.DeleteSession(hash)
		return sess, tok, errNoSession
	case err != nil:
		return sess, tok, err
	case !tok.Active(now):
		_ = d.store.DeleteSession(hash)
		return sess, tok, errNoSession
	}
	return sess, tok, nil
}

func sessionCookieName(r *http.Request) string {
	if r.TLS != nil {
		return cookieSessionTLS
	}
	return cookieSession
}

func loginCookieName(r *http.Request) string {
	if r.TLS != nil {
		return cookieLoginTLS
	}
	return cookieLogin
}

// sameSite reports whether a state-changing request comes from this site
// by what the browser says: Sec-Fetch-Site when it is sent (a page cannot
// forge it), else the Origin's host (the scheme is not compared, so a
// TLS-terminating proxy works; "null" is refused). A browser that sends
// neither is left to the CSRF token.
func sameSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin":
		return true
	case "":
	default:
		return false
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		return err == nil && u.Host != "" && u.Host == r.Host
	}
	return true
}

func equalSecret(a, b string) bool {
	return a != "" && b != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// randomID is 32 random bytes, URL-safe.
func randomID() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// hashID is what the platform stores of a session ID.
func hashID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

func (d *Dashboard) setCookie(w http.ResponseWriter, r *http.Request, name, value, path string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: path, MaxAge: maxAge,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
}

// loginData is the login page.
type loginData struct {
	Next    string
	CSRF    string
	Message string
	Bye     bool
}

func (d *Dashboard) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, tok, err := d.session(r); err == nil && tok.Role == platform.RoleOffice {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	d.showLogin(w, r, http.StatusOK, loginData{Next: safeNext(r.URL.Query().Get("next")), Bye: r.URL.Query().Has("bye")})
}

// showLogin renders the login form with a fresh anti-forgery value, sent
// both as a cookie and in the form (the login has no session to hold it).
func (d *Dashboard) showLogin(w http.ResponseWriter, r *http.Request, status int, data loginData) {
	v, err := randomID()
	if err != nil {
		d.errorPage(w, r, http.StatusInternalServerError, "服务器错误", "无法生成登录表单，请稍后重试。")
		return
	}
	loginPath := "/login"
	if r.TLS != nil {
		loginPath = "/" // __Host- cookies must have Path=/
	}
	d.setCookie(w, r, loginCookieName(r), v, loginPath, 3600)
	data.CSRF = v
	d.render(w, r, status, "login", page{Title: "登录", Body: data})
}

func (d *Dashboard) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		d.errorPage(w, r, http.StatusBadRequest, "请求无效", "表单无法读取，请回到登录页重新输入。")
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	c, err := r.Cookie(loginCookieName(r))
	if err != nil || !sameSite(r) || !equalSecret(r.PostForm.Get("csrf"), c.Value) {
		d.showLogin(w, r, http.StatusForbidden, loginData{Next: next, Message: "登录表单已过期或来自其他网站，请重新输入令牌。"})
		return
	}
	raw := strings.TrimSpace(r.PostForm.Get("token"))
	if raw == "" {
		d.showLogin(w, r, http.StatusBadRequest, loginData{Next: next, Message: "请输入主管部门令牌（dlt_ 开头）。"})
		return
	}
	tok, err := d.store.Authenticate(raw)
	var ae *AuthError
	switch {
	case errors.As(err, &ae):
		d.showLogin(w, r, http.StatusUnauthorized, loginData{Next: next, Message: ae.Message})
		return
	case err != nil:
		d.log.Error("authenticate", "err", err)
		d.errorPage(w, r, http.StatusInternalServerError, "服务器错误", "核对令牌失败，请稍后重试。")
		return
	case tok.Role != platform.RoleOffice:
		d.showLogin(w, r, http.StatusForbidden, loginData{Next: next,
			Message: tok.Role.Label() + "令牌不能登录管理平台：仅主管部门（office）令牌可以登录。"})
		return
	}
	id, err1 := randomID()
	csrf, err2 := randomID()
	if err1 != nil || err2 != nil {
		d.errorPage(w, r, http.StatusInternalServerError, "服务器错误", "无法建立会话，请稍后重试。")
		return
	}
	now := d.now()
	if _, err := d.store.DeleteExpiredSessions(now); err != nil {
		d.log.Error("delete expired sessions", "err", err)
	}
	sess := platform.Session{IDHash: hashID(id), TokenID: tok.ID, CSRF: csrf, CreatedAt: now.UTC(), ExpiresAt: now.Add(d.sessionTTL).UTC()}
	if err := d.store.PutSession(sess); err != nil {
		d.log.Error("put session", "err", err)
		d.errorPage(w, r, http.StatusInternalServerError, "服务器错误", "无法建立会话，请稍后重试。")
		return
	}
	d.setCookie(w, r, sessionCookieName(r), id, "/", int(d.sessionTTL.Seconds()))
	loginPath := "/login"
	if r.TLS != nil {
		loginPath = "/"
	}
	d.setCookie(w, r, loginCookieName(r), "", loginPath, -1)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (d *Dashboard) logout(w http.ResponseWriter, r *request) {
	if err := d.store.DeleteSession(r.session.IDHash); err != nil {
		d.log.Error("delete session", "err", err)
		d.errorPage(w, r.Request, http.StatusInternalServerError, "服务器错误", "退出失败，请稍后重试。")
		return
	}
	d.setCookie(w, r.Request, sessionCookieName(r.Request), "", "/", -1)
	http.Redirect(w, r.Request, "/login?bye", http.StatusSeeOther)
}

// safeNext keeps a redirect target on this site: a path, never another
// host ("//evil", "/\evil", "https://…").
func safeNext(s string) string {
	if s == "" || !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.ContainsAny(s, "\\\r\n") || strings.HasPrefix(s, "/login") {
		return "/"
	}
	return s
}
