package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"digilevel/model"
	"digilevel/report"
)

//go:embed templates/*.html
var templateFS embed.FS

// page is what the layout renders around a page's content.
type page struct {
	Title string
	// Nav is the navigation entry to mark as current ("" for none).
	Nav string
	// CSRF is the session's token for the forms of the page (logout too);
	// empty on the login and error pages, which then show no navigation.
	CSRF string
	// Snapshot describes the data the page shows (nil for none).
	Snapshot *snapshot
	Warnings []string
	// Refresh reloads the page after that many seconds (0: never).
	Refresh int
	Body    any
}

// navItems are the pages in the navigation bar.
var navItems = []struct{ Key, Href, Label string }{
	{"overview", "/", "总览"},
	{"enterprises", "/enterprises", "企业"},
	{"providers", "/providers", "服务商"},
	{"spotchecks", "/spotchecks", "抽查"},
	{"rewards", "/rewards", "奖补"},
	{"verify", "/verify", "核验"},
	{"tokens", "/tokens", "令牌"},
}

// pages are the parsed templates, one set per page.
type pages struct{ sets map[string]*template.Template }

var pageNames = []string{"login", "error", "loading", "overview", "enterprises", "enterprise", "providers", "spotchecks",
	"rewards", "reward", "verify", "tokens", "token_created"}

func parsePages() (*pages, error) {
	p := &pages{sets: map[string]*template.Template{}}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(templateFuncs()).ParseFS(templateFS, "templates/layout.html", "templates/table.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		p.sets[name] = t
	}
	return p, nil
}

// render writes a page; it renders into a buffer first, so a template
// error is a clean 500 rather than half a page.
func (d *Dashboard) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	var buf bytes.Buffer
	if err := d.pages.sets[name].ExecuteTemplate(&buf, "layout.html", layoutData{page: p, Items: navItems}); err != nil {
		d.log.Error("render", "page", name, "err", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, "服务器错误：页面无法生成，请稍后重试。")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

type layoutData struct {
	page
	Items []struct{ Key, Href, Label string }
}

// errorPage tells the user, in Chinese, what went wrong and what to do.
func (d *Dashboard) errorPage(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	d.render(w, r, status, "error", page{Title: title, Body: message})
}

// snapshotOr returns the current snapshot, or answers the page itself
// (loading, or a server error) and nil.
func (d *Dashboard) snapshotOr(w http.ResponseWriter, r *request) *snapshot {
	s, err := d.agg.current()
	if err == nil {
		return s
	}
	if le, ok := err.(*errLoading); ok {
		w.Header().Set("Retry-After", "3")
		d.render(w, r.Request, http.StatusServiceUnavailable, "loading", page{Title: "正在载入", Refresh: 3, CSRF: r.session.CSRF, Body: le.Loaded})
		return nil
	}
	d.log.Error("catch up", "err", err)
	d.errorPage(w, r.Request, http.StatusInternalServerError, "服务器错误", "读取平台数据失败，请稍后重试。")
	return nil
}

// beijing formats a time for people: Beijing time, to the minute.
func beijing(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(report.Zone()).Format("2006-01-02 15:04")
}

func beijingDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(report.Zone()).Format("2006-01-02")
}

// safe is stored text of unknown origin made safe to show (html/template
// escapes HTML; this removes control and bidi characters).
func safe(s string) string { return model.DisplaySafe(s, false) }

func percent(r model.Ratio) string {
	if !r.OK {
		return "—"
	}
	return strconv.Itoa(r.Percent) + "%"
}

func tenths(n int) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	return fmt.Sprintf("%s%d.%d", sign, n/10, n%10)
}

func days(x float64) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0")
}

func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"time":      beijing,
		"date":      beijingDate,
		"safe":      safe,
		"short":     model.ShortHash,
		"percent":   percent,
		"batchName": batchName,
		"add":       func(a, b int) int { return a + b },
		"mul":       func(a, b int) int { return a * b },
		"query":     func(v map[string][]string) string { return encodeQuery(v) },
	}
}

// batchName is a batch in Chinese; 0 is 未填批次.
func batchName(b int) string {
	switch b {
	case 1:
		return "第一批"
	case 2:
		return "第二批"
	case 3:
		return "第三批"
	case 0:
		return "未填批次"
	}
	return "第 " + strconv.Itoa(b) + " 批"
}
