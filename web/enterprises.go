package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"digilevel/model"
	"digilevel/report"
	"digilevel/storage/platform"
)

// pageRows is how many rows a paged table shows.
const pageRows = 100

// filterOption is one choice of a filter select.
type filterOption struct {
	Value, Label string
	Selected     bool
}

type filter struct {
	Name, Label string
	Options     []filterOption
}

// enterprisesData is the 企业 page.
type enterprisesData struct {
	Filters []filter
	Q       string
	Table   *table
}

// The filters of the 企业 page and what they keep.
var stageFilters = []struct{ Value, Label string }{
	{"not_diagnosed", "未诊断"}, {"diagnosed", "已诊断"}, {"in_retrofit", "改造中"}, {"accepted", "已验收"}, {"spot_checked", "已抽查"},
}

func (d *Dashboard) enterpriseFilters(s *snapshot, q url.Values) []filter {
	opt := func(name string, pairs ...string) []filterOption {
		out := []filterOption{{Value: "", Label: "全部", Selected: q.Get(name) == ""}}
		for i := 0; i+1 < len(pairs); i += 2 {
			out = append(out, filterOption{Value: pairs[i], Label: pairs[i+1], Selected: q.Get(name) == pairs[i]})
		}
		return out
	}
	var levels []string
	for l := 0; l <= d.catalog.MaxLevel(); l++ {
		levels = append(levels, itoa(l), d.catalog.LevelName(l))
	}
	levels = append(levels, "none", "尚无评定")
	var stages []string
	for _, f := range stageFilters {
		stages = append(stages, f.Value, f.Label)
	}
	var providers []string
	for _, p := range s.providers {
		providers = append(providers, p, safe(p))
	}
	return []filter{
		{"batch", "批次", opt("batch", "1", "第一批", "2", "第二批", "3", "第三批", "0", "未填批次")},
		{"level", "当前等级", opt("level", levels...)},
		{"provider", "服务商", opt("provider", providers...)},
		{"state", "状态", opt("state", stages...)},
		{"scale", "规模", opt("scale", "above", "规上", "below", "规下", "unknown", "未填")},
		{"zjtx", "专精特新", opt("zjtx", "yes", "省级及以上", "provincial", "省级", "national", "国家级", "none", "否")},
	}
}

// matches applies the 企业 page's filters to one enterprise.
func matches(v *entView, q url.Values) bool {
	e, st := v.Profile, v.Status
	if b := q.Get("batch"); b != "" && b != itoa(e.Batch) {
		return false
	}
	if l := q.Get("level"); l != "" {
		level, ok := st.LatestLevel()
		if (l == "none") == ok || ok && l != itoa(level) {
			return false
		}
	}
	if p := q.Get("provider"); p != "" && !served(v, p) {
		return false
	}
	switch q.Get("state") {
	case "not_diagnosed", "in_retrofit", "accepted":
		if string(st.Stage) != q.Get("state") {
			return false
		}
	case "diagnosed":
		if !st.Diagnosed() {
			return false
		}
	case "spot_checked":
		if st.SpotChecks == 0 {
			return false
		}
	}
	switch q.Get("scale") {
	case "above", "below":
		if string(e.Scale) != q.Get("scale") {
			return false
		}
	case "unknown":
		if e.Scale != model.ScaleUnknown {
			return false
		}
	}
	switch z := q.Get("zjtx"); z {
	case "yes":
		if !e.ZJTX.IsZJTX() {
			return false
		}
	case "provincial", "national":
		if string(e.ZJTX) != z {
			return false
		}
	case "none":
		if e.ZJTX.IsZJTX() {
			return false
		}
	}
	if text := strings.TrimSpace(q.Get("q")); text != "" && !strings.Contains(e.Name, text) && !strings.Contains(e.Code, strings.ToUpper(text)) {
		return false
	}
	return true
}

// served reports whether provider p rated the enterprise (a baseline or an
// acceptance) or is its provider on the roster.
func served(v *entView, p string) bool {
	if v.Profile.Provider == p {
		return true
	}
	for _, x := range v.Status.Providers {
		if x == p {
			return true
		}
	}
	return false
}

// providerText is who serves the enterprise: the providers of its reports,
// else the roster's provider.
func providerText(v *entView) string {
	if len(v.Status.Providers) > 0 {
		return strings.Join(v.Status.Providers, "、")
	}
	return v.Profile.Provider
}

func (d *Dashboard) levelText(r *model.ProgrammeReport) string {
	if r == nil {
		return ""
	}
	return d.catalog.LevelName(r.Level)
}

func (d *Dashboard) enterprisesTable(s *snapshot, q url.Values) *table {
	t := &table{Page: "enterprises", Name: "enterprises", Title: "企业名单与进度", Query: cloneQuery(q), Empty: "没有符合条件的企业。",
		Cols: []column{
			{Header: "统一社会信用代码", Kind: report.ColumnID, Width: 22, Sort: "code"},
			{Header: "企业名称", Kind: report.ColumnWrap, Width: 30, Sort: "name"},
			{Header: "批次", Width: 10, Sort: "batch"},
			{Header: "规模", Width: 6}, {Header: "专精特新", Width: 12},
			{Header: "服务商", Kind: report.ColumnWrap, Width: 24, Sort: "provider"},
			{Header: "状态", Width: 8}, {Header: "改造前等级", Width: 10}, {Header: "改造后等级", Width: 10},
			{Header: "抽查", Kind: report.ColumnNumber, Width: 6}, {Header: "在平台名单中", Width: 10},
		}}
	for _, v := range s.enterprises {
		if !matches(v, q) {
			continue
		}
		e := v.Profile
		onRoster := "否（来自报告）"
		if v.OnRoster {
			onRoster = "是"
		}
		t.add("", cell{Text: e.Code, Href: "/enterprises/" + url.PathEscape(e.Code)}, cell{Text: safe(e.Name)}, cell{Text: batchName(e.Batch)},
			cell{Text: e.Scale.Label()}, cell{Text: zjtxText(e.ZJTX)}, cell{Text: safe(providerText(v))}, cell{Text: v.Status.Stage.Label()},
			cell{Text: d.levelText(v.Status.Baseline)}, cell{Text: d.levelText(v.Status.Acceptance)}, num(v.Status.SpotChecks), cell{Text: onRoster})
	}
	if key := q.Get("sort"); key != "" {
		t.sortRows(key, q.Get("desc") != "")
	}
	return t
}

func zjtxText(z model.ZJTX) string {
	if z.IsZJTX() {
		return z.Label()
	}
	return "否"
}

func (d *Dashboard) enterprisesPage(w http.ResponseWriter, r *request) {
	s := d.snapshotOr(w, r)
	if s == nil {
		return
	}
	q := r.URL.Query()
	t := d.enterprisesTable(s, q)
	paginate(t, q)
	data := enterprisesData{Filters: d.enterpriseFilters(s, q), Q: q.Get("q"), Table: t}
	d.render(w, r.Request, http.StatusOK, "enterprises", page{Title: "企业", Nav: "enterprises", CSRF: r.session.CSRF, Snapshot: s, Body: data})
}

// paginate shows one page of a table, by the query's page (1-based).
func paginate(t *table, q url.Values) {
	t.Total, t.Limit = len(t.Rows), pageRows
	n, _ := strconv.Atoi(q.Get("page"))
	if n < 1 {
		n = 1
	}
	t.Offset = min((n-1)*pageRows, max(len(t.Rows)-1, 0)/pageRows*pageRows)
}

// enterpriseData is one enterprise's page.
type enterpriseData struct {
	V           *entView
	Profile     []kv
	Chain       *table
	Compare     string
	RewardLink  string
	Exclusion   []string
	SourceNote  string
	StageLabel  string
	LatestLevel string
}

type kv struct{ K, V string }

// enterpriseOf is the enterprise the path names ({code}), or nil after
// answering the page itself (loading, an error, or 404).
func (d *Dashboard) enterpriseOf(w http.ResponseWriter, r *request) (*snapshot, *entView) {
	s := d.snapshotOr(w, r)
	if s == nil {
		return nil, nil
	}
	v := s.byCode[r.PathValue("code")]
	if v == nil {
		d.errorPage(w, r.Request, http.StatusNotFound, "企业不存在", "平台名单和收到的报告中都没有统一社会信用代码为 "+safe(r.PathValue("code"))+" 的企业；没有做任何改动。")
		return nil, nil
	}
	return s, v
}

func (d *Dashboard) enterprisePage(w http.ResponseWriter, r *request) {
	s, v := d.enterpriseOf(w, r)
	if v == nil {
		return
	}
	e := v.Profile
	data := enterpriseData{V: v, Chain: d.chainTable(s, v), StageLabel: v.Status.Stage.Label(), RewardLink: "/rewards/" + url.PathEscape(e.Code)}
	if l, ok := v.Status.LatestLevel(); ok {
		data.LatestLevel = d.catalog.LevelName(l)
	}
	data.SourceNote = "一企一档取自平台名单。"
	if !v.OnRoster {
		data.SourceNote = "该企业不在平台名单中，一企一档取自其最近定稿的报告。"
	}
	flag := func(b bool) string {
		if b {
			return "是"
		}
		return "否"
	}
	data.Profile = []kv{{"企业名称", safe(e.Name)}, {"统一社会信用代码", e.Code}, {"批次", batchName(e.Batch)}, {"所属行业", safe(e.Industry)},
		{"规模", e.Scale.Label()}, {"改造前规模（最早的报告）", v.FirstScale.Label()}, {"专精特新", zjtxText(e.ZJTX)},
		{"省级以上智能工厂（车间）", flag(e.SmartFactory)}, {"新乡市试点行业", flag(e.PilotIndustry)}, {"服务商（名单）", safe(e.Provider)}}
	var rev []string
	for _, y := range e.Revenue {
		rev = append(rev, itoa(y.Year)+" 年 "+string(y.Wan)+" 万元")
	}
	data.Profile = append(data.Profile, kv{"营业收入", strings.Join(rev, "；")})
	if b, a := v.Status.Baseline, v.Status.Acceptance; b != nil && a != nil {
		data.Compare = "/compare/" + url.PathEscape(b.ID) + "/" + url.PathEscape(a.ID)
	}
	if v.Exclusion != nil && len(v.Exclusion.Reasons) > 0 {
		data.Exclusion = d.policy.ExclusionTexts(v.Exclusion.Reasons)
	}
	d.render(w, r.Request, http.StatusOK, "enterprise", page{Title: safe(e.Name), Nav: "enterprises", CSRF: r.session.CSRF, Snapshot: s, Body: data})
}

// chainTable is an enterprise's reports in acceptance order: every version
// of every kind, with what replaced what and what checks what.
func (d *Dashboard) chainTable(s *snapshot, v *entView) *table {
	t := &table{Page: "enterprise", Name: "chain", Title: "报告链 " + v.Profile.Code, Query: url.Values{"code": {v.Profile.Code}},
		Empty: "平台尚未收到该企业的报告。",
		Cols: []column{
			{Header: "序号", Kind: report.ColumnNumber, Width: 8}, {Header: "报告编号", Kind: report.ColumnID, Width: 30},
			{Header: "类型", Width: 10, NoWrap: true}, {Header: "版本", Kind: report.ColumnNumber, Width: 6}, {Header: "状态", Kind: report.ColumnWrap, Width: 24},
			{Header: "评测机构", Kind: report.ColumnWrap, Width: 24}, {Header: "等级", Width: 8, NoWrap: true}, {Header: "得分", Kind: report.ColumnNumber, Width: 8},
			{Header: "定稿时间", Width: 18}, {Header: "接收时间", Width: 18}, {Header: "来源", Width: 8, NoWrap: true},
			{Header: "抽查对象 / 对比", Kind: report.ColumnWrap, Width: 30}, {Header: "SHA-256", Kind: report.ColumnID, Width: 66},
		}}
	for _, r := range v.Reports {
		e := s.reports[r.ID]
		state := "当前版本"
		if r.ReplacedBy != "" {
			state = "已被 " + r.ReplacedBy + " 取代"
		}
		if r.Replaces != "" {
			state += "（修订自 " + r.Replaces + "）"
		}
		checks := cell{}
		if r.Kind == model.KindSpotCheck {
			checks = cell{Text: "抽查对比", Href: "/spotchecks/" + url.PathEscape(r.ID)}
			if r.Checks != nil {
				checks.Text = "检查 " + r.Checks.ID + "（查看对比）"
			}
		}
		source := "接口"
		if e.Source == "bundle" {
			source = "数据包"
		}
		class := ""
		if r.ReplacedBy != "" {
			class = "replaced"
		}
		t.add(class, cell{Text: strconv.FormatUint(r.Seq, 10)}, cell{Text: r.ID, Href: "/reports/" + url.PathEscape(r.ID)},
			cell{Text: d.catalog.KindLabel(string(r.Kind))}, num(r.Version), cell{Text: state}, cell{Text: safe(r.Provider)},
			cell{Text: d.catalog.LevelName(r.Level)}, cell{Text: r.Score.String()}, cell{Text: beijing(r.FinalizedAt)},
			cell{Text: beijing(r.ReceivedAt)}, cell{Text: source}, checks, cell{Text: e.SHA256})
	}
	return t
}

// reportPage is a received report as the laptop renders it (package
// report), with the current enterprise file's revenue for the estimate.
func (d *Dashboard) reportPage(w http.ResponseWriter, r *request) {
	s := d.snapshotOr(w, r)
	if s == nil {
		return
	}
	rep, ok := d.openStored(w, r, s, r.PathValue("id"))
	if !ok {
		return
	}
	d.writeDocument(w, r, func(b *strings.Builder) error { return rep.WriteHTML(b) })
}

// openStored reads a report from the platform and prepares it for
// rendering, answering the error page itself when it cannot.
func (d *Dashboard) openStored(w http.ResponseWriter, r *request, s *snapshot, id string) (*report.Report, bool) {
	_, body, ok := d.stored(w, r, id)
	if !ok {
		return nil, false
	}
	rep, err := openReport(d.catalogs, body)
	if err != nil {
		d.errorPage(w, r.Request, http.StatusUnprocessableEntity, "报告无法显示", "报告 "+safe(id)+" 无法显示: "+err.Error())
		return nil, false
	}
	rep.Policy = d.policy
	if v := s.byCode[rep.Doc.Enterprise.Code]; v != nil && v.OnRoster {
		rep.Revenue = append([]model.YearRevenue{}, v.Profile.Revenue...)
	}
	return rep, true
}

// writeDocument answers a whole HTML document of package report (it has
// its own head and print styles; no navigation is added to it).
func (d *Dashboard) writeDocument(w http.ResponseWriter, r *request, write func(*strings.Builder) error) {
	var b strings.Builder
	if err := write(&b); err != nil {
		d.log.Error("render document", "path", r.URL.Path, "err", err)
		d.errorPage(w, r.Request, http.StatusInternalServerError, "服务器错误", "文档无法生成，请稍后重试。")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write([]byte(b.String()))
	}
}

// stored reads a report from the platform, answering the error page
// itself when it cannot (ok false).
func (d *Dashboard) stored(w http.ResponseWriter, r *request, id string) (platform.Record, []byte, bool) {
	info, body, err := d.store.Report(id)
	switch {
	case errors.Is(err, model.ErrNotFound):
		d.errorPage(w, r.Request, http.StatusNotFound, "报告不存在", "平台上没有编号为 "+safe(id)+" 的报告。")
		return info, nil, false
	case err != nil:
		d.log.Error("read report", "id", id, "err", err)
		d.errorPage(w, r.Request, http.StatusInternalServerError, "服务器错误", "读取报告失败，请稍后重试。")
		return info, nil, false
	}
	return info, body, true
}

// reportJSON is the report's bytes exactly as received.
func (d *Dashboard) reportJSON(w http.ResponseWriter, r *request) {
	info, body, ok := d.stored(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+info.ID+`.json"`)
	h.Set("X-Content-SHA256", info.SHA256)
	w.Write(body)
}

// comparePage is the before/after comparison of two reports.
func (d *Dashboard) comparePage(w http.ResponseWriter, r *request) {
	s := d.snapshotOr(w, r)
	if s == nil {
		return
	}
	b, ok := d.openStored(w, r, s, r.PathValue("baseline"))
	if !ok {
		return
	}
	a, ok := d.openStored(w, r, s, r.PathValue("acceptance"))
	if !ok {
		return
	}
	cmp, err := report.Compare(b, a)
	if err != nil {
		d.errorPage(w, r.Request, http.StatusUnprocessableEntity, "无法对比", err.Error())
		return
	}
	d.writeDocument(w, r, func(out *strings.Builder) error { return cmp.WriteHTML(out) })
}
