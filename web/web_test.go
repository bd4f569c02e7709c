package web_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/report"
	"digilevel/storage/platform"
	"digilevel/sync/protocol"
	"digilevel/web"
	"digilevel/web/platformstore"
)

// samples are IDs of the seeded platform the page list needs.
type samples struct {
	code, baseline, acceptance, spot string
}

func findSamples(t *testing.T, e *env) samples {
	t.Helper()
	infos, err := e.store.ReportsAfter(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	byEnt := map[string]map[string]string{}
	for _, r := range infos {
		if byEnt[r.Enterprise] == nil {
			byEnt[r.Enterprise] = map[string]string{}
		}
		if r.Current() {
			byEnt[r.Enterprise][r.Kind] = r.ID
		}
	}
	for code, k := range byEnt {
		if k["baseline"] != "" && k["acceptance"] != "" && k["spotcheck"] != "" {
			return samples{code: code, baseline: k["baseline"], acceptance: k["acceptance"], spot: k["spotcheck"]}
		}
	}
	t.Fatal("no enterprise with a baseline, an acceptance and a spot-check")
	return samples{}
}

// pagePaths are every GET page of the dashboard, with what each shows.
func pagePaths(s samples) map[string]string {
	return map[string]string{
		"/":                                           "分批次进度",
		"/enterprises":                                "企业名单与进度",
		"/enterprises?batch=1&state=accepted":         "企业名单与进度",
		"/enterprises/" + s.code:                      "报告链",
		"/reports/" + s.acceptance:                    "中小企业数字化水平评测报告",
		"/reports/" + s.acceptance + "/json":          `"format":"digilevel-report/`,
		"/compare/" + s.baseline + "/" + s.acceptance: "改造前后",
		"/providers":                                  "服务商绩效",
		"/spotchecks":                                 "抽查与被抽查报告",
		"/spotchecks/" + s.spot:                       "抽查",
		"/rewards":                                    "奖补测算分批次合计",
		"/rewards/" + s.code:                          "第二十五条不予支持情形",
		"/verify":                                     "可以粘贴的内容",
		"/tokens":                                     "新建令牌",
		"/download/providers/providers?format=csv":      "服务商",
		"/download/enterprises/enterprises?format=xlsx": "",
	}
}

func TestPagesForOfficeOnly(t *testing.T) {
	engines(t, func(t *testing.T, pg bool) {
		e := newEnv(t, envOptions{postgres: pg, enterprises: 24})
		s := findSamples(t, e)
		office := e.browser(t)
		office.login(e.office)
		anon := e.browser(t)
		for path, want := range pagePaths(s) {
			t.Run(path, func(t *testing.T) {
				resp, body := office.get(path)
				if resp.StatusCode != http.StatusOK || !strings.Contains(body, want) {
					t.Errorf("office: %d, want 200 with %q\n%.300s", resp.StatusCode, want, body)
				}
				for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Cache-Control"} {
					if resp.Header.Get(h) == "" {
						t.Errorf("header %s missing", h)
					}
				}
				resp, _ = anon.get(path)
				if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
					t.Errorf("no session: %d %q, want 303 to the login page", resp.StatusCode, loc)
				}
			})
		}
	})
}

// sessionFor puts a session of any token straight into the store, as if a
// token of another role had signed in: every route must still refuse it.
func sessionFor(t *testing.T, e *env, secret string) (*browser, string) {
	t.Helper()
	id := strings.SplitN(strings.TrimPrefix(secret, "dlt_"), "_", 2)[0]
	raw := "forged-session-" + id
	sum := sha256.Sum256([]byte(raw))
	x := platform.Session{IDHash: hex.EncodeToString(sum[:]), TokenID: id, CSRF: "csrf-" + id, CreatedAt: e.clock.now(), ExpiresAt: e.clock.now().Add(time.Hour)}
	if err := e.st.PutSession(x); err != nil {
		t.Fatal(err)
	}
	b := e.browser(t)
	u, _ := url.Parse(b.base)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: "dl_session", Value: raw, Path: "/"}})
	return b, x.CSRF
}

func TestOtherRolesRefused(t *testing.T) {
	e := newEnv(t, envOptions{enterprises: 12})
	s := findSamples(t, e)
	for _, role := range []struct{ name, secret string }{{"provider", e.provider}, {"inspector", e.inspector}} {
		t.Run(role.name, func(t *testing.T) {
			// The login form refuses the token and starts no session.
			b := e.browser(t)
			_, page := b.get("/login")
			resp, body := b.post("/login", url.Values{"csrf": {csrfOf(t, page)}, "token": {role.secret}})
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "仅主管部门（office）令牌可以登录") || b.sessionCookie() != nil {
				t.Errorf("login with a %s token: %d, cookie %v\n%.300s", role.name, resp.StatusCode, b.sessionCookie(), body)
			}
			// A session of that token (forged into the store) opens nothing.
			forged, csrf := sessionFor(t, e, role.secret)
			for path := range pagePaths(s) {
				if resp, _ := forged.get(path); resp.StatusCode != http.StatusForbidden {
					t.Errorf("GET %s with a %s session: %d, want 403", path, role.name, resp.StatusCode)
				}
			}
			for _, path := range []string{"/tokens", "/tokens/x/revoke", "/rewards/" + s.code, "/logout"} {
				if resp, _ := forged.post(path, url.Values{"csrf": {csrf}, "provider": {"冒名"}, "role": {"office"}}); resp.StatusCode != http.StatusForbidden {
					t.Errorf("POST %s with a %s session: %d, want 403", path, role.name, resp.StatusCode)
				}
			}
			// And the summary refuses the token itself.
			req, _ := http.NewRequest(http.MethodGet, e.ts.URL+protocol.SummaryPath, nil)
			req.Header.Set("Authorization", "Bearer "+role.secret)
			if resp, _ := b.do(req); resp.StatusCode != http.StatusForbidden {
				t.Errorf("summary with a %s token: %d", role.name, resp.StatusCode)
			}
		})
	}
	tokens, _ := e.store.Tokens()
	if len(tokens) != 3 {
		t.Errorf("%d tokens after the refused requests, want the 3 of the test", len(tokens))
	}
}

func TestLoginErrors(t *testing.T) {
	e := newEnv(t, envOptions{})
	b := e.browser(t)
	// Each refused form renders a new one with a new anti-forgery value.
	fresh := func() string {
		_, page := b.get("/login")
		return csrfOf(t, page)
	}
	const csrf = "FRESH"
	cases := []struct {
		name    string
		form    url.Values
		headers map[string]string
		status  int
		text    string
	}{
		{"wrong secret", url.Values{"csrf": {csrf}, "token": {e.office[:len(e.office)-2] + "xx"}}, nil, 401, "访问令牌无效"},
		{"not a token", url.Values{"csrf": {csrf}, "token": {"password"}}, nil, 401, "格式错误"},
		{"empty", url.Values{"csrf": {csrf}, "token": {""}}, nil, 400, "请输入"},
		{"no form token", url.Values{"token": {e.office}}, nil, 403, "已过期或来自其他网站"},
		{"wrong form token", url.Values{"csrf": {"x" + csrf}, "token": {e.office}}, nil, 403, "已过期或来自其他网站"},
		{"from another site", url.Values{"csrf": {csrf}, "token": {e.office}}, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, 403, "其他网站"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := c.headers
			if h == nil {
				h = map[string]string{"Origin": b.base}
			}
			if c.form.Get("csrf") != "" {
				c.form.Set("csrf", strings.Replace(c.form.Get("csrf"), csrf, fresh(), 1))
			} else {
				fresh()
			}
			resp, body := b.postWith("/login", c.form, h)
			if resp.StatusCode != c.status || !strings.Contains(body, c.text) || b.sessionCookie() != nil {
				t.Errorf("%d (cookie %v), want %d with %q\n%.300s", resp.StatusCode, b.sessionCookie(), c.status, c.text, body)
			}
			if strings.Contains(body, e.office) {
				t.Error("the page repeats the token")
			}
		})
	}
	// A revoked token is told so.
	id := strings.SplitN(strings.TrimPrefix(e.office, "dlt_"), "_", 2)[0]
	if _, err := e.store.RevokeToken(id, e.clock.now()); err != nil {
		t.Fatal(err)
	}
	if resp, body := b.post("/login", url.Values{"csrf": {fresh()}, "token": {e.office}}); resp.StatusCode != 401 || !strings.Contains(body, "吊销") {
		t.Errorf("revoked token: %d", resp.StatusCode)
	}
	// The redirect after login stays on this site.
	for _, next := range []string{"//evil.example/x", "https://evil.example", "/\\evil", "/login"} {
		office := e.token(t, "局", platform.RoleOffice)
		b := e.browser(t)
		_, page := b.get("/login")
		resp, _ := b.post("/login", url.Values{"csrf": {csrfOf(t, page)}, "token": {office}, "next": {next}})
		if resp.Header.Get("Location") != "/" {
			t.Errorf("next %q led to %q", next, resp.Header.Get("Location"))
		}
	}
}

func TestSessionCookieAndLogout(t *testing.T) {
	engines(t, func(t *testing.T, pg bool) {
		e := newEnv(t, envOptions{postgres: pg, enterprises: 6})
		b := e.browser(t)
		set := signInCookie(t, b, e.office, "dl_session", "HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800")
		if strings.Contains(set, "Secure") {
			t.Errorf("plain HTTP cookie marked Secure: %q", set)
		}
		cookie := b.sessionCookie()
		// The platform stores only the hash of the session ID.
		sum := sha256.Sum256([]byte(cookie.Value))
		if _, err := e.st.Session(hex.EncodeToString(sum[:])); err != nil {
			t.Fatalf("session by hash: %v", err)
		}
		if _, err := e.st.Session(cookie.Value); err == nil {
			t.Fatal("session stored under its raw ID")
		}
		_, home := b.get("/")
		csrf := csrfOf(t, home)
		// Logout needs the form token too.
		if resp, _ := b.post("/logout", url.Values{}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("logout without CSRF: %d", resp.StatusCode)
		}
		resp, _ := b.post("/logout", url.Values{"csrf": {csrf}})
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Fatalf("logout: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		// The old cookie, sent again after logout, is refused.
		old := e.browser(t)
		u, _ := url.Parse(old.base)
		old.c.Jar.SetCookies(u, []*http.Cookie{cookie})
		if resp, _ := old.get("/"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("GET with the cookie after logout: %d, want 303 to login", resp.StatusCode)
		}
		if resp, _ := old.post("/tokens", url.Values{"csrf": {csrf}, "provider": {"甲"}, "role": {"provider"}}); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("POST with the cookie after logout: %d, want 401", resp.StatusCode)
		}
	})
}

func TestSessionExpiresAndFollowsItsToken(t *testing.T) {
	engines(t, func(t *testing.T, pg bool) {
		e := newEnv(t, envOptions{postgres: pg})
		b := e.browser(t)
		b.login(e.office)
		e.clock.advance(web.DefaultSessionTTL - time.Minute)
		if resp, _ := b.get("/"); resp.StatusCode != http.StatusOK {
			t.Fatalf("before expiry: %d", resp.StatusCode)
		}
		e.clock.advance(2 * time.Minute)
		if resp, _ := b.get("/"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("after expiry: %d, want 303", resp.StatusCode)
		}
		// Revoking the token ends its sessions at once.
		b.login(e.office)
		id := strings.SplitN(strings.TrimPrefix(e.office, "dlt_"), "_", 2)[0]
		if _, err := e.store.RevokeToken(id, e.clock.now()); err != nil {
			t.Fatal(err)
		}
		if resp, _ := b.get("/providers"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("after revocation: %d, want 303", resp.StatusCode)
		}
	})
}

func TestCSRF(t *testing.T) {
	engines(t, func(t *testing.T, pg bool) {
		e := newEnv(t, envOptions{postgres: pg, enterprises: 6})
		b := e.browser(t)
		csrf := b.login(e.office)
		form := func(token string) url.Values {
			return url.Values{"csrf": {token}, "provider": {"新服务商"}, "role": {"provider"}}
		}
		cases := []struct {
			name    string
			form    url.Values
			headers map[string]string
		}{
			{"missing", url.Values{"provider": {"新服务商"}, "role": {"provider"}}, nil},
			{"wrong", form("x" + csrf), nil},
			{"another session's", form("csrf-of-someone-else"), nil},
			{"right token, other site (Sec-Fetch-Site)", form(csrf), map[string]string{"Sec-Fetch-Site": "cross-site"}},
			{"right token, other site (Origin)", form(csrf), map[string]string{"Origin": "http://evil.example"}},
			{"right token, Origin null", form(csrf), map[string]string{"Origin": "null"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				var resp *http.Response
				var body string
				if c.headers == nil {
					resp, body = b.post("/tokens", c.form)
				} else {
					resp, body = b.postWith("/tokens", c.form, c.headers)
				}
				if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "防伪令牌") {
					t.Errorf("%d, want 403\n%.300s", resp.StatusCode, body)
				}
			})
		}
		tokens, _ := e.store.Tokens()
		if len(tokens) != 3 {
			t.Fatalf("%d tokens: a refused form created one", len(tokens))
		}
		if resp, body := b.post("/tokens", form(csrf)); resp.StatusCode != http.StatusCreated || !strings.Contains(body, "dlt_") {
			t.Errorf("with the right token: %d", resp.StatusCode)
		}
		// Every other state-changing route checks it as well.
		code := e.seeded.Enterprises[0].Code
		for _, path := range []string{"/tokens/abc/revoke", "/tokens/abc/rebind", "/rewards/" + code, "/logout"} {
			if resp, _ := b.post(path, url.Values{"csrf": {"wrong"}, "reason": {"tax"}, "note": {"x"}}); resp.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s with a wrong CSRF token: %d", path, resp.StatusCode)
			}
		}
	})
}

func TestHostileNamesShownAsText(t *testing.T) {
	long := strings.Repeat("很长的企业名称", 60)
	names := []string{`<script>alert("x")</script>有限公司`, `引号"'&amp;企业`, long, `<img src=x onerror=alert(1)>`}
	e := newEnv(t, envOptions{enterprises: 8, name: func(i int) string { return names[i%len(names)] }})
	// A provider name that is markup too, through a token.
	e.token(t, `<b onmouseover="x">服务商</b>`, platform.RoleProvider)
	b := e.browser(t)
	b.login(e.office)
	s := findSamples(t, e)
	for path := range pagePaths(s) {
		if strings.HasPrefix(path, "/download/") || strings.HasSuffix(path, "/json") {
			continue
		}
		_, body := b.get(path)
		for _, raw := range []string{"<script>alert", "<img src=x", `<b onmouseover`, "onerror=alert(1)>"} {
			if strings.Contains(body, raw) {
				t.Errorf("%s: %q appears unescaped", path, raw)
			}
		}
	}
	_, body := b.get("/enterprises")
	for _, escaped := range []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;有限公司", "引号&#34;&#39;&amp;amp;企业", long} {
		if !strings.Contains(body, escaped) {
			t.Errorf("/enterprises does not show %q as text", escaped)
		}
	}
	_, body = b.get("/tokens")
	if !strings.Contains(body, "&lt;b onmouseover=&#34;x&#34;&gt;服务商&lt;/b&gt;") {
		t.Error("token name not shown as text")
	}
}

func TestSummary(t *testing.T) {
	engines(t, func(t *testing.T, pg bool) {
		e := newEnv(t, envOptions{postgres: pg, enterprises: 30})
		get := func(auth string) (*http.Response, []byte) {
			req, _ := http.NewRequest(http.MethodGet, e.ts.URL+protocol.SummaryPath, nil)
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var buf bytes.Buffer
			buf.ReadFrom(resp.Body)
			return resp, buf.Bytes()
		}
		for _, c := range []struct {
			auth   string
			status int
			code   string
		}{{"", 401, protocol.CodeUnauthorized}, {"Bearer dlt_x_y", 401, protocol.CodeUnauthorized}, {"Bearer " + e.provider, 403, protocol.CodeForbidden},
			{"Bearer " + e.inspector, 403, protocol.CodeForbidden}} {
			resp, data := get(c.auth)
			var pe protocol.Error
			if err := json.Unmarshal(data, &pe); resp.StatusCode != c.status || err != nil || pe.Code != c.code || pe.Message == "" {
				t.Errorf("auth %q: %d %s", c.auth, resp.StatusCode, data)
			}
		}
		resp, data := get("Bearer " + e.office)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("office: %d %s", resp.StatusCode, data)
		}
		var s web.Summary
		if err := json.Unmarshal(data, &s); err != nil {
			t.Fatal(err)
		}
		// The figures agree with what was seeded and with each other.
		var accepted, reports int
		infos, _ := e.store.ReportsAfter(0, 0)
		acc := map[string]bool{}
		for _, r := range infos {
			if r.Kind == "acceptance" {
				acc[r.Enterprise] = true
			}
			reports++
		}
		accepted = len(acc)
		if s.Format != web.SummaryFormat || s.ServerSeq != uint64(reports) || s.Total.Enterprises != 30 || s.Total.Accepted != accepted ||
			s.Total.Diagnosed != s.Total.InRetrofit+s.Total.Accepted || len(s.Batches) != 3 || s.FloorName != "二级" || len(s.LevelNames) != 5 {
			t.Errorf("summary = %+v", s)
		}
		if s.After.N != s.Total.Accepted || len(s.Targets) != 2 || len(s.Providers) != 4 {
			t.Errorf("levels after %d for %d accepted; targets %d; providers %d", s.After.N, s.Total.Accepted, len(s.Targets), len(s.Providers))
		}
		served := 0
		for _, p := range s.Providers {
			served += p.Enterprises
			if p.Accepted > 0 && p.FloorShare == nil {
				t.Errorf("%s: floor share missing", p.Provider)
			}
		}
		if served != 30 { // one provider per seeded enterprise
			t.Errorf("providers serve %d enterprises, want 30", served)
		}
		if !strings.Contains(string(data), `"generated_at":"`) || !strings.Contains(string(data), "+08:00") {
			t.Errorf("generated_at is not Beijing time with offset: %.200s", data)
		}
	})
}

func TestDownloadsHaveThePageRows(t *testing.T) {
	e := newEnv(t, envOptions{enterprises: 24})
	b := e.browser(t)
	b.login(e.office)
	filter := "batch=2&state=accepted"
	_, page := b.get("/enterprises?" + filter)
	_, csvBody := b.get("/download/enterprises/enterprises?format=csv&" + filter)
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < 2 || recs[0][0] != "统一社会信用代码" {
		t.Fatalf("csv = %v", recs)
	}
	for _, r := range recs[1:] {
		// Identifiers are text formulas in CSV (="…"), so spreadsheets keep them as text.
		code := strings.TrimSuffix(strings.TrimPrefix(r[0], `="`), `"`)
		if r[2] != "第二批" || r[6] != "已验收" || !strings.Contains(page, ">"+code+"<") || r[0] == code {
			t.Errorf("csv row %v is not a row of the page", r)
		}
	}
	if n := strings.Count(page, `<a href="/enterprises/`); n != len(recs)-1 {
		t.Errorf("page has %d rows, csv %d", n, len(recs)-1)
	}
	resp, data := b.get("/download/enterprises/enterprises?format=xlsx&" + filter)
	if resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("xlsx headers %v", resp.Header)
	}
	x, err := excelize.OpenReader(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows(x.GetSheetList()[0])
	if err != nil || len(rows) != len(recs) || `="`+rows[1][0]+`"` != recs[1][0] {
		t.Errorf("xlsx %d rows, csv %d: %v", len(rows), len(recs), err)
	}
	// Every table of every page downloads in both formats.
	s := findSamples(t, e)
	for _, path := range []string{"overview/batches", "overview/levels", "overview/targets", "providers/providers", "providers/rejections",
		"spotchecks/spotchecks", "rewards/totals", "rewards/rewards", "tokens/tokens", "enterprise/chain?code=" + s.code} {
		for _, f := range []string{"xlsx", "csv"} {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			if resp, body := b.get("/download/" + path + sep + "format=" + f); resp.StatusCode != 200 || len(body) < 20 {
				t.Errorf("download %s as %s: %d", path, f, resp.StatusCode)
			}
		}
	}
	if resp, _ := b.get("/download/providers/providers?format=pdf"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown format: %d", resp.StatusCode)
	}
	if resp, _ := b.get("/download/providers/nothing?format=csv"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown table: %d", resp.StatusCode)
	}
}

func levelName(t *testing.T, level int) string {
	t.Helper()
	cat, err := indicators.Embedded(indicators.DefaultEdition)
	if err != nil {
		t.Fatal(err)
	}
	return cat.LevelName(level)
}

func TestVerifyPage(t *testing.T) {
	e := newEnv(t, envOptions{enterprises: 6})
	b := e.browser(t)
	b.login(e.office)
	infos, _ := e.store.ReportsAfter(0, 1)
	r := infos[0]
	other := strings.Repeat("ab", 32)
	missing, _ := model.NewID(time.Now(), nil)
	cases := []struct {
		name, query string
		status      int
		want        string
	}{
		{"match", "id=" + r.ID + "&sha256=" + r.SHA256, 200, "一致：平台保存的正是这份报告"},
		{"match, upper-case hash", "id=" + r.ID + "&sha256=" + strings.ToUpper(r.SHA256), 200, "一致"},
		{"other content", "id=" + r.ID + "&sha256=" + other, 200, "内容与所给的不同"},
		{"missing", "id=" + missing + "&sha256=" + other, 200, "平台上没有编号为 " + missing},
		{"QR URL", "payload=" + url.QueryEscape("https://平台/verify?id="+r.ID+"&sha256="+r.SHA256), 200, "一致"},
		{"QR text", "payload=" + url.QueryEscape("digilevel-report:"+r.ID+":"+r.SHA256), 200, "一致"},
		{"printed QR code", "payload=" + url.QueryEscape(report.QRPayload(r.ID, r.SHA256)), 200, "一致"},
		{"bad ID", "id=12345&sha256=" + other, 400, "没有找到报告编号"},
		{"no hash", "id=" + r.ID, 400, "没有找到 SHA-256"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := b.get("/verify?" + c.query)
			if resp.StatusCode != c.status || !strings.Contains(body, c.want) {
				t.Errorf("%d, want %d with %q\n%.400s", resp.StatusCode, c.status, c.want, body)
			}
			if c.want == "一致：平台保存的正是这份报告" && (!strings.Contains(body, r.SHA256) || !strings.Contains(body, "服务器序号")) {
				t.Error("the match does not show the receipt")
			}
			// The level is the record's, the name the body's enterprise file.
			if c.want == "一致：平台保存的正是这份报告" && (!strings.Contains(body, "<td>"+levelName(t, r.Level)+"</td>") || !strings.Contains(body, "合成企业")) {
				t.Errorf("the match does not show the level %d and the enterprise\n%.2000s", r.Level, body)
			}
		})
	}
}

func TestParseReportRef(t *testing.T) {
	id, _ := model.NewID(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), nil)
	sha := strings.Repeat("0a", 32)
	ok := []string{
		id + " " + sha,
		sha + "\n" + id,
		"digilevel-report:" + id + ":" + sha,
		report.QRPayload(id, sha), // what the printed report's QR code holds
		"https://platform.example/verify?id=" + id + "&sha256=" + sha,
		"/verify?report=" + id + "&hash=" + strings.ToUpper(sha),
		`{"id":"` + id + `","sha256":"` + sha + `"}`,
		"报告编号：" + id + "，SHA-256：" + sha,
	}
	for _, s := range ok {
		gotID, gotSHA, err := web.ParseReportRef(s)
		if err != nil || gotID != id || gotSHA != sha {
			t.Errorf("ParseReportRef(%q) = %q, %q, %v", s, gotID, gotSHA, err)
		}
	}
	id2, _ := model.NewID(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), nil)
	for _, s := range []string{"", id, sha, id + " " + id2 + " " + sha, id + " " + sha + " " + strings.Repeat("1b", 32), "https://x/verify?id=" + id} {
		if _, _, err := web.ParseReportRef(s); err == nil {
			t.Errorf("ParseReportRef(%q) accepted", s)
		}
	}
}

func TestTokenPages(t *testing.T) {
	engines(t, func(t *testing.T, pg bool) {
		e := newEnv(t, envOptions{postgres: pg})
		b := e.browser(t)
		csrf := b.login(e.office)
		resp, body := b.post("/tokens", url.Values{"csrf": {csrf}, "provider": {"新乡戊科技有限公司"}, "role": {"provider"}, "expires": {"90天"}})
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d\n%.300s", resp.StatusCode, body)
		}
		secret := regexpFind(body, `dlt_[a-z0-9]+_[a-z0-9]+`)
		if secret == "" || !strings.Contains(body, "只显示这一次") || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("the new secret is not shown once: %.400s", body)
		}
		tok, err := e.store.Authenticate(secret)
		if err != nil || tok.Provider != "新乡戊科技有限公司" || tok.Role != platform.RoleProvider || tok.ExpiresAt.IsZero() {
			t.Fatalf("created token %+v: %v", tok, err)
		}
		_, list := b.get("/tokens")
		if strings.Contains(list, secret) || strings.Contains(list, secret[len(secret)-20:]) {
			t.Error("the list shows the secret")
		}
		if !strings.Contains(list, tok.ID) {
			t.Error("the list lacks the new token")
		}
		// Refusals: no name, unknown role, bad expiry, control characters; nothing is created.
		for _, f := range []url.Values{
			{"provider": {" "}, "role": {"provider"}}, {"provider": {"甲"}, "role": {"admin"}},
			{"provider": {"甲"}, "role": {"provider"}, "expires": {"明年"}}, {"provider": {"甲\x1b[2J"}, "role": {"provider"}},
			{"provider": {"甲"}, "role": {"provider"}, "expires": {"2020-01-01"}},
		} {
			f.Set("csrf", csrf)
			if resp, body := b.post("/tokens", f); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "令牌没有创建") {
				t.Errorf("form %v: %d", f, resp.StatusCode)
			}
		}
		if all, _ := e.store.Tokens(); len(all) != 4 {
			t.Errorf("%d tokens after refusals, want 4", len(all))
		}
		// Rebind to a key, then revoke.
		pub, _, _ := ed25519.GenerateKey(nil)
		key := base64.StdEncoding.EncodeToString(pub)
		if resp, _ := b.post("/tokens/"+tok.ID+"/rebind", url.Values{"csrf": {csrf}, "key": {"not base64!"}}); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("bad key: %d", resp.StatusCode)
		}
		if resp, _ := b.post("/tokens/"+tok.ID+"/rebind", url.Values{"csrf": {csrf}, "key": {key}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("rebind: %d", resp.StatusCode)
		}
		if got, _ := e.store.Token(tok.ID); got.PublicKey == "" {
			t.Error("rebind bound no key")
		}
		if resp, _ := b.post("/tokens/"+tok.ID+"/revoke", url.Values{"csrf": {csrf}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("revoke: %d", resp.StatusCode)
		}
		if _, err := e.store.Authenticate(secret); err == nil {
			t.Error("revoked token still authenticates")
		}
		if resp, _ := b.post("/tokens/nosuch/revoke", url.Values{"csrf": {csrf}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("revoke unknown: %d", resp.StatusCode)
		}
		// An office token made in the browser signs in.
		resp, body = b.post("/tokens", url.Values{"csrf": {csrf}, "provider": {"经发局二科"}, "role": {"office"}})
		office2 := regexpFind(body, `dlt_[a-z0-9]+_[a-z0-9]+`)
		e.browser(t).login(office2)
	})
}

func TestExclusionsRecorded(t *testing.T) {
	engines(t, func(t *testing.T, pg bool) {
		e := newEnv(t, envOptions{postgres: pg, enterprises: 24})
		b := e.browser(t)
		csrf := b.login(e.office)
		s := findSamples(t, e)
		path := "/rewards/" + s.code
		// Refused: a reason without a note, and an unknown reason; nothing saved.
		for _, f := range []url.Values{{"reason": {"tax"}}, {"reason": {"weather"}, "note": {"x"}}} {
			f.Set("csrf", csrf)
			if resp, body := b.post(path, f); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "记录没有保存") {
				t.Errorf("form %v: %d", f, resp.StatusCode)
			}
		}
		if list, _ := e.st.ExclusionsAfter(0); len(list) != 0 {
			t.Fatalf("refused forms saved %d records", len(list))
		}
		resp, _ := b.post(path, url.Values{"csrf": {csrf}, "reason": {"tax", "safety"}, "note": {"区税务局 2026 年 12 月函"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("record: %d", resp.StatusCode)
		}
		_, page := b.get(path + "?saved")
		for _, want := range []string{"已保存", "不予支持: 未依法诚信纳税、当年发生重大安全生产事故", "区税务局 2026 年 12 月函", "经开区经济发展和统计局"} {
			if !strings.Contains(page, want) {
				t.Errorf("reward page lacks %q", want)
			}
		}
		_, list := b.get("/download/rewards/rewards?format=csv")
		if !strings.Contains(list, "未依法诚信纳税") {
			t.Error("the rewards table does not show the exclusion")
		}
		// Withdrawn: the history keeps both records, the estimate is back.
		b.post(path, url.Values{"csrf": {csrf}})
		_, page = b.get(path)
		if strings.Contains(page, "不予支持: 未依法诚信纳税") || !strings.Contains(page, "撤销（无不予支持情形）") {
			t.Error("withdrawal not shown")
		}
		if all, _ := e.st.ExclusionsAfter(0); len(all) != 2 {
			t.Errorf("%d exclusion records, want 2", len(all))
		}
	})
}

func regexpFind(s, pattern string) string {
	return regexpMust(pattern).FindString(s)
}

// gated holds the dashboard's first read of the reports until the gate
// opens.
type gated struct {
	*platformstore.Store
	entered, gate chan struct{}
	first         sync.Once
}

func (g *gated) ReportsAfter(after uint64, limit int) ([]platform.Record, error) {
	g.first.Do(func() {
		g.entered <- struct{}{}
		<-g.gate
	})
	return g.Store.ReportsAfter(after, limit)
}

func TestFirstLoadPage(t *testing.T) {
	e := newEnv(t, envOptions{enterprises: 3})
	g := &gated{Store: e.store, entered: make(chan struct{}, 1), gate: make(chan struct{})}
	d, err := web.New(web.Options{Store: g, Now: e.clock.now, RosterTTL: -1})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(d)
	defer ts.Close()
	b := e.browser(t)
	b.base = ts.URL
	// Sign in without opening a page yet: the login needs no report.
	_, page := b.get("/login")
	if resp, _ := b.post("/login", url.Values{"csrf": {csrfOf(t, page)}, "token": {e.office}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	warm := make(chan error, 1)
	go func() { warm <- d.Warm() }()
	<-g.entered
	resp, body := b.get("/providers")
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" ||
		!strings.Contains(body, "正在读取收到的报告") || !strings.Contains(body, `http-equiv="refresh"`) {
		t.Errorf("during the first load: %d %q\n%.300s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	close(g.gate)
	if err := <-warm; err != nil {
		t.Fatal(err)
	}
	if resp, _ := b.get("/providers"); resp.StatusCode != http.StatusOK {
		t.Errorf("after the first load: %d", resp.StatusCode)
	}
}

func TestSessionCookieUnderTLS(t *testing.T) {
	e := newEnv(t, envOptions{})
	d, err := web.New(web.Options{Store: e.store, Now: e.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(d)
	defer ts.Close()
	b := e.browser(t)
	b.base = ts.URL
	b.c.Transport = ts.Client().Transport
	set := signInCookie(t, b, e.office, "__Host-dl_session", "Secure", "HttpOnly", "SameSite=Strict", "Path=/")
	if strings.Contains(set, "Domain=") {
		t.Errorf("__Host- cookie with a Domain: %q", set)
	}
	resp, body := b.get("/")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "分批次进度") || resp.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("over TLS: %d, HSTS %q", resp.StatusCode, resp.Header.Get("Strict-Transport-Security"))
	}
}

// signInCookie signs in through the form with secret and returns the
// Set-Cookie header of the session cookie name, which must carry attrs.
func signInCookie(t *testing.T, b *browser, secret, name string, attrs ...string) string {
	t.Helper()
	_, page := b.get("/login")
	resp, _ := b.post("/login", url.Values{"csrf": {csrfOf(t, page)}, "token": {secret}})
	var set string
	for _, h := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(h, name+"=") {
			set = h
		}
	}
	for _, attr := range attrs {
		if !strings.Contains(set, attr) {
			t.Errorf("session cookie %q lacks %s", set, attr)
		}
	}
	return set
}
