// Command browse drives a headless Chromium through the district dashboard
// as office staff would, over the DevTools protocol: it opens the platform,
// is sent to the login page, types the office token into the form and
// submits it, visits every page at 1366x768, checks what each page shows,
// takes a screenshot of each (the window, and the whole page), prints the
// 总览 to PDF, and logs out. It exits 1 on the first check that fails.
//
//	browse -base http://127.0.0.1:8787 -token-file office.tok -out DIR [-chromium chromium]
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/websocket"
)

// check is one page of the walk and what it must show.
type check struct {
	name, path string
	// want are texts the page must contain.
	want []string
}

var walk = []check{
	{"overview", "/", []string{"总览", "分批次进度", "第五条工作目标", "改造前后等级分布", "第一批"}},
	{"enterprises", "/enterprises", []string{"企业名单与进度", "合成企业"}},
	{"enterprises-filtered", "/enterprises?batch=2&state=accepted", []string{"企业名单与进度", "第二批", "已验收"}},
	{"providers", "/providers", []string{"服务商绩效", "抽查等级一致率", "各项指标的定义"}},
	{"spotchecks", "/spotchecks", []string{"抽查与被抽查报告", "服务商评定"}},
	{"rewards", "/rewards", []string{"奖补测算", "不是奖励决定", "分批次合计"}},
	{"verify", "/verify", []string{"核验", "可以粘贴的内容"}},
	{"tokens", "/tokens", []string{"新建令牌", "访问令牌"}},
}

func main() {
	base := flag.String("base", "", "platform URL")
	tokenFile := flag.String("token-file", "", "file holding an office token")
	out := flag.String("out", "dashboard-out", "directory for screenshots and the PDF")
	chromium := flag.String("chromium", "chromium", "browser binary")
	flag.Parse()
	if err := run(*base, *tokenFile, *out, *chromium); err != nil {
		fmt.Fprintln(os.Stderr, "browse: FAIL:", err)
		os.Exit(1)
	}
}

func run(base, tokenFile, out, chromium string) error {
	raw, err := os.ReadFile(tokenFile)
	if err != nil {
		return err
	}
	token := strings.TrimSpace(string(raw))
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	b, err := startBrowser(chromium)
	if err != nil {
		return err
	}
	defer b.close()
	c := b.conn
	if _, err := c.call("Page.enable", nil); err != nil {
		return err
	}
	if _, err := c.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": false}); err != nil {
		return err
	}
	// Not signed in: the platform sends the browser to the login page.
	if err := c.navigate(base + "/"); err != nil {
		return err
	}
	if p := c.eval("location.pathname"); p != "/login" {
		return fmt.Errorf("without a session / should lead to /login, got %v", p)
	}
	if err := c.shot(filepath.Join(out, "00-login")); err != nil {
		return err
	}
	// Type the token and submit the form, as a person would.
	js := fmt.Sprintf(`(() => { const f = document.querySelector('form[action="/login"]'); f.querySelector('#token').value = %q; f.submit(); return true })()`, token)
	if err := c.evalAndWait(js); err != nil {
		return err
	}
	if p := c.eval("location.pathname"); p != "/" {
		return fmt.Errorf("after login the browser should be on /, is on %v (page: %.200v)", p, c.eval("document.body.innerText"))
	}
	for i, ck := range walk {
		if err := c.navigate(base + ck.path); err != nil {
			return err
		}
		text, _ := c.eval("document.body.innerText").(string)
		for _, w := range append(ck.want, "退出登录") {
			if !strings.Contains(text, w) {
				return fmt.Errorf("%s: page does not show %q", ck.path, w)
			}
		}
		for _, bad := range []string{"服务器错误", "页面不存在", "无权访问"} {
			if strings.Contains(text, bad) {
				return fmt.Errorf("%s: page shows %q", ck.path, bad)
			}
		}
		// Usable at 1366 px: the page itself never scrolls sideways (wide
		// tables scroll inside their own box).
		if wide, _ := c.eval("document.documentElement.scrollWidth > window.innerWidth").(bool); wide {
			return fmt.Errorf("%s: the page is wider than 1366 px (%v)", ck.path, c.eval("document.documentElement.scrollWidth"))
		}
		name := filepath.Join(out, fmt.Sprintf("%02d-%s", i+1, ck.name))
		if err := c.shot(name); err != nil {
			return err
		}
		fmt.Printf("ok %-22s %s\n", ck.path, name+".png")
	}
	// One enterprise, its first report and a spot-check comparison, by the links on the pages.
	for _, follow := range []struct{ from, link, want, name string }{
		{"/enterprises", `a[href^="/enterprises/"]`, "报告链", "enterprise"},
		{"/enterprises?state=accepted", `a[href^="/enterprises/"]`, "改造前后对比", "enterprise-accepted"},
		{"/spotchecks", `td a[href^="/spotchecks/"]`, "抽查", "spotcheck-compare"},
		{"/rewards", `a[href^="/rewards/"]`, "第二十五条不予支持情形", "reward"},
	} {
		if err := c.navigate(base + follow.from); err != nil {
			return err
		}
		href, _ := c.eval(fmt.Sprintf(`(document.querySelector(%q) || {}).getAttribute ? document.querySelector(%q).getAttribute("href") : ""`, follow.link, follow.link)).(string)
		if href == "" {
			return fmt.Errorf("%s: no link %s", follow.from, follow.link)
		}
		if err := c.navigate(base + href); err != nil {
			return err
		}
		text, _ := c.eval("document.body.innerText").(string)
		if !strings.Contains(text, follow.want) {
			return fmt.Errorf("%s: page does not show %q", href, follow.want)
		}
		if err := c.shot(filepath.Join(out, "20-"+follow.name)); err != nil {
			return err
		}
		fmt.Printf("ok %-22s %s\n", href, follow.name)
		if follow.name == "enterprise" {
			rep, _ := c.eval(`document.querySelector('a[href^="/reports/"]').getAttribute("href")`).(string)
			if err := c.navigate(base + rep); err != nil {
				return err
			}
			// A baseline is the 转型诊断报告, the other kinds rating reports.
			if text, _ := c.eval("document.body.innerText").(string); !strings.Contains(text, "诊断报告") && !strings.Contains(text, "评测报告") {
				return fmt.Errorf("%s: not the report", rep)
			}
			if err := c.shot(filepath.Join(out, "21-report")); err != nil {
				return err
			}
			fmt.Printf("ok %-22s report\n", rep)
		}
	}
	// The 总览 printed.
	if err := c.navigate(base + "/"); err != nil {
		return err
	}
	res, err := c.call("Page.printToPDF", map[string]any{"printBackground": true, "preferCSSPageSize": true})
	if err != nil {
		return err
	}
	if err := writeBase64(filepath.Join(out, "overview.pdf"), res); err != nil {
		return err
	}
	fmt.Println("ok print                  " + filepath.Join(out, "overview.pdf"))
	// Log out: the form in the header; afterwards / leads to the login page again.
	if err := c.evalAndWait(`(() => { document.querySelector('form[action="/logout"]').submit(); return true })()`); err != nil {
		return err
	}
	if err := c.navigate(base + "/"); err != nil {
		return err
	}
	if p := c.eval("location.pathname"); p != "/login" {
		return fmt.Errorf("after logout / should lead to /login, got %v", p)
	}
	fmt.Println("ok logout")
	return nil
}

// browser is a headless Chromium with a DevTools connection to one page.
type browser struct {
	cmd     *exec.Cmd
	profile string
	conn    *conn
}

var listening = regexp.MustCompile(`DevTools listening on (ws://[^ ]+)`)

func startBrowser(bin string) (*browser, error) {
	profile, err := os.MkdirTemp("", "browse-profile-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--hide-scrollbars", "--remote-debugging-port=0", "--remote-allow-origins=*",
		"--user-data-dir="+profile, "--window-size=1366,768", "about:blank")
	dieWithParent(cmd)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	b := &browser{cmd: cmd, profile: profile}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	var wsURL string
	select {
	case wsURL = <-found:
	case <-time.After(30 * time.Second):
		b.close()
		return nil, errors.New("chromium did not start its DevTools endpoint within 30 s")
	}
	// The page target of about:blank.
	host := strings.TrimPrefix(strings.SplitN(wsURL, "/devtools/", 2)[0], "ws://")
	resp, err := http.Get("http://" + host + "/json/list")
	if err != nil {
		b.close()
		return nil, err
	}
	defer resp.Body.Close()
	var targets []struct{ Type, WebSocketDebuggerURL string }
	if err := json.NewDecoder(resp.Body).Decode(&targets); err != nil {
		b.close()
		return nil, err
	}
	for _, t := range targets {
		if t.Type == "page" {
			ws, err := websocket.Dial(t.WebSocketDebuggerURL, "", "http://"+host)
			if err != nil {
				b.close()
				return nil, err
			}
			ws.MaxPayloadBytes = 64 << 20
			b.conn = &conn{ws: ws}
			return b, nil
		}
	}
	b.close()
	return nil, errors.New("chromium has no page target")
}

func (b *browser) close() {
	if b.conn != nil {
		b.conn.ws.Close()
	}
	b.cmd.Process.Kill()
	b.cmd.Wait()
	os.RemoveAll(b.profile)
}

// conn is a DevTools connection: one request at a time, events read and
// kept until a caller waits for one.
type conn struct {
	ws     *websocket.Conn
	next   int
	events []string
}

type message struct {
	ID     int             `json:"id"`
	Method string          `json:"method"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

func (c *conn) call(method string, params any) (json.RawMessage, error) {
	c.next++
	req := map[string]any{"id": c.next, "method": method}
	if params != nil {
		req["params"] = params
	}
	if err := websocket.JSON.Send(c.ws, req); err != nil {
		return nil, err
	}
	c.ws.SetReadDeadline(time.Now().Add(60 * time.Second))
	for {
		var m message
		if err := websocket.JSON.Receive(c.ws, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", method, err)
		}
		if m.ID == 0 {
			c.events = append(c.events, m.Method)
			continue
		}
		if m.ID != c.next {
			continue
		}
		if m.Error != nil {
			return nil, fmt.Errorf("%s: %s", method, m.Error.Message)
		}
		return m.Result, nil
	}
}

// waitLoad waits for the page's load event.
func (c *conn) waitLoad() error {
	for _, e := range c.events {
		if e == "Page.loadEventFired" {
			c.events = nil
			return nil
		}
	}
	c.ws.SetReadDeadline(time.Now().Add(60 * time.Second))
	for {
		var m message
		if err := websocket.JSON.Receive(c.ws, &m); err != nil {
			return fmt.Errorf("waiting for the page to load: %w", err)
		}
		if m.Method == "Page.loadEventFired" {
			c.events = nil
			return nil
		}
	}
}

func (c *conn) navigate(url string) error {
	c.events = nil
	if _, err := c.call("Page.navigate", map[string]any{"url": url}); err != nil {
		return err
	}
	return c.waitLoad()
}

// eval runs an expression in the page (DevTools evaluation: the page's own
// policy forbids scripts, which is the point) and returns its value.
func (c *conn) eval(expr string) any {
	res, err := c.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true})
	if err != nil {
		return err.Error()
	}
	var r struct {
		Result struct {
			Value any `json:"value"`
		} `json:"result"`
	}
	json.Unmarshal(res, &r)
	return r.Result.Value
}

// evalAndWait runs an expression that submits a form and waits for the
// next page.
func (c *conn) evalAndWait(expr string) error {
	c.events = nil
	if _, err := c.call("Runtime.evaluate", map[string]any{"expression": expr}); err != nil {
		return err
	}
	return c.waitLoad()
}

// shot saves the window (1366x768) as name.png and the whole page as
// name-full.png.
func (c *conn) shot(name string) error {
	res, err := c.call("Page.captureScreenshot", map[string]any{"format": "png"})
	if err != nil {
		return err
	}
	if err := writeBase64(name+".png", res); err != nil {
		return err
	}
	res, err = c.call("Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true})
	if err != nil {
		return err
	}
	return writeBase64(name+"-full.png", res)
}

func writeBase64(path string, res json.RawMessage) error {
	var r struct {
		Data string `json:"data"`
	}
	if err := json.Unmarshal(res, &r); err != nil {
		return err
	}
	data, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
