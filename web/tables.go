package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"digilevel/report"
)

// A table is built once per request and rendered twice over: as HTML on
// its page and, through report's sheet writers, as the XLSX or CSV
// download of the same rows.

// column is one column of a table.
type column struct {
	Header string
	Kind   report.ColumnKind
	Width  float64
	// Sort is the key a header link sorts by ("" for a column that does not sort).
	Sort string
	// NoWrap keeps the page's cells on one line (short labels, times).
	NoWrap bool
}

// cell is one value; Href makes it a link on the page.
type cell struct {
	Text string
	Href string
}

// table is a page's table.
type table struct {
	// Page and Name identify the table for its download links.
	Page, Name string
	Title      string
	Cols       []column
	Rows       [][]cell
	// Class marks rows for the page (highlight); parallel to Rows.
	Class []string
	// Query is the page's query (filters, sort) the downloads repeat.
	Query url.Values
	// SortKey and Desc say how the rows are sorted (for the header links).
	SortKey string
	Desc    bool
	// Offset and Total are set on a page that shows Rows[Offset:Offset+Limit].
	Offset, Limit, Total int
	Empty                string
}

func (t *table) add(class string, cells ...cell) {
	t.Rows = append(t.Rows, cells)
	t.Class = append(t.Class, class)
}

// Visible are the rows the page shows (a page of them when paged).
func (t *table) Visible() [][]cell {
	if t.Limit <= 0 {
		return t.Rows
	}
	end := min(t.Offset+t.Limit, len(t.Rows))
	if t.Offset >= end {
		return nil
	}
	return t.Rows[t.Offset:end]
}

// RowClass is the class of the i-th visible row.
func (t *table) RowClass(i int) string {
	i += t.Offset
	if i < len(t.Class) {
		return t.Class[i]
	}
	return ""
}

// Numeric reports whether column i holds numbers (right-aligned).
func (t *table) Numeric(i int) bool { return t.Cols[i].Kind == report.ColumnNumber }

// SortLink is the page's URL sorted by column key (descending when the
// column is already sorted ascending).
func (t *table) SortLink(key string) string {
	q := cloneQuery(t.Query)
	q.Set("sort", key)
	q.Del("desc")
	if key == t.SortKey && !t.Desc {
		q.Set("desc", "1")
	}
	q.Del("page")
	return "?" + q.Encode()
}

// SortMark is ▲ or ▼ on the sorted column.
func (t *table) SortMark(key string) string {
	switch {
	case key != t.SortKey:
		return ""
	case t.Desc:
		return "▼"
	}
	return "▲"
}

// DownloadLink is the table's download in a format.
func (t *table) DownloadLink(format string) string {
	q := cloneQuery(t.Query)
	q.Del("page")
	q.Set("format", format)
	return "/download/" + t.Page + "/" + t.Name + "?" + q.Encode()
}

// Pages are the links of a paged table.
func (t *table) Pages() []pageLink {
	if t.Limit <= 0 || t.Total <= t.Limit {
		return nil
	}
	n := (t.Total + t.Limit - 1) / t.Limit
	cur := t.Offset / t.Limit
	var out []pageLink
	for i := range n {
		if i != 0 && i != n-1 && (i < cur-3 || i > cur+3) {
			if len(out) > 0 && out[len(out)-1].Label != "…" {
				out = append(out, pageLink{Label: "…"})
			}
			continue
		}
		q := cloneQuery(t.Query)
		q.Set("page", fmt.Sprint(i+1))
		out = append(out, pageLink{Label: fmt.Sprint(i + 1), Href: "?" + q.Encode(), Current: i == cur})
	}
	return out
}

type pageLink struct {
	Label, Href string
	Current     bool
}

func cloneQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	return out
}

func encodeQuery(q url.Values) string { return q.Encode() }

// sortRows sorts the rows by a column: numbers as numbers, text as text,
// empty cells last either way. The sort is stable, so the page's order
// decides ties.
func (t *table) sortRows(key string, desc bool) {
	idx := -1
	for i, c := range t.Cols {
		if c.Sort != "" && c.Sort == key {
			idx = i
		}
	}
	if idx < 0 {
		return
	}
	t.SortKey, t.Desc = key, desc
	numeric := t.Cols[idx].Kind == report.ColumnNumber
	// Chinese names sort by pinyin, as people look for them; a collator is
	// not safe for concurrent use, so each sort has its own.
	col := collate.New(language.Chinese)
	order := make([]int, len(t.Rows))
	for i := range order {
		order[i] = i
	}
	less := func(a, b string) bool {
		if numeric {
			var x, y float64
			fmt.Sscan(a, &x)
			fmt.Sscan(b, &y)
			return x < y
		}
		return col.CompareString(a, b) < 0
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := sortText(t.Rows[order[i]][idx].Text), sortText(t.Rows[order[j]][idx].Text)
		if (a == "") != (b == "") {
			return b == ""
		}
		if desc {
			return less(b, a)
		}
		return less(a, b)
	})
	rows, class := make([][]cell, len(order)), make([]string, len(order))
	for i, o := range order {
		rows[i], class[i] = t.Rows[o], t.Class[o]
	}
	t.Rows, t.Class = rows, class
}

// sortText drops what a number cell shows around its value ("50%", "—").
func sortText(s string) string {
	s = strings.TrimSuffix(s, "%")
	if s == "—" {
		return ""
	}
	return s
}

// sheet is the table as report's writers take it.
func (t *table) sheet() report.Sheet {
	s := report.Sheet{Name: t.Title}
	for _, c := range t.Cols {
		s.Columns = append(s.Columns, report.Column{Header: c.Header, Width: c.Width, Kind: c.Kind})
	}
	return s
}

// cells yields every row (all pages) as strings; a number column drops
// what the page shows around the number.
func (t *table) cells(yield func([]string) bool) {
	rec := make([]string, len(t.Cols))
	for _, row := range t.Rows {
		for i, c := range row {
			rec[i] = c.Text
			if t.Cols[i].Kind == report.ColumnNumber {
				rec[i] = sortText(c.Text)
			}
		}
		if !yield(rec) {
			return
		}
	}
}

// download writes a table of a page as XLSX or CSV: the page builds its
// tables from the same query, unpaged.
func (d *Dashboard) download(w http.ResponseWriter, r *request) {
	s := d.snapshotOr(w, r)
	if s == nil {
		return
	}
	format := r.URL.Query().Get("format")
	if format != "xlsx" && format != "csv" {
		d.errorPage(w, r.Request, http.StatusBadRequest, "格式无效", "下载格式应为 xlsx 或 csv。")
		return
	}
	var tables []*table
	switch r.PathValue("page") {
	case "overview":
		tables = d.overviewTables(s)
	case "enterprises":
		tables = []*table{d.enterprisesTable(s, r.URL.Query())}
	case "enterprise":
		if v := s.byCode[r.URL.Query().Get("code")]; v != nil {
			tables = []*table{d.chainTable(s, v)}
		}
	case "providers":
		tables = []*table{d.providersTable(s, r.URL.Query()), d.rejectionsTable(s)}
	case "spotchecks":
		tables = []*table{d.spotChecksTable(s)}
	case "rewards":
		tables = d.rewardsTables(s)
	case "tokens":
		t, err := d.tokensTable()
		if err != nil {
			d.log.Error("tokens", "err", err)
			d.errorPage(w, r.Request, http.StatusInternalServerError, "服务器错误", "读取令牌失败，请稍后重试。")
			return
		}
		tables = []*table{t}
	}
	var t *table
	for _, x := range tables {
		if x.Name == r.PathValue("table") {
			t = x
		}
	}
	if t == nil {
		d.errorPage(w, r.Request, http.StatusNotFound, "表格不存在", "没有这个可下载的表格，请从页面上的下载链接下载。")
		return
	}
	file := t.Title + "." + format
	h := w.Header()
	// An ASCII name for old clients, the Chinese one (RFC 5987) for the others.
	h.Set("Content-Disposition", `attachment; filename="digilevel-`+t.Page+"-"+t.Name+"."+format+`"; filename*=UTF-8''`+url.PathEscape(file))
	var err error
	if format == "csv" {
		h.Set("Content-Type", "text/csv; charset=utf-8")
		err = report.WriteSheetCSV(w, t.sheet(), t.cells)
	} else {
		h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		err = report.WriteSheetXLSX(w, t.sheet(), t.cells)
	}
	if err != nil {
		d.log.Error("download", "table", t.Name, "err", err)
	}
}

// CellClass is the class of the cells of column i on the page.
func (t *table) CellClass(i int) string {
	c := t.Cols[i]
	switch {
	case c.Kind == report.ColumnNumber:
		return "num"
	case c.Kind == report.ColumnID && c.Width >= 60:
		return "hash" // a SHA-256 breaks anywhere rather than widen the table
	case c.Kind == report.ColumnID:
		return "id"
	case c.NoWrap || c.Width == 18 || c.Kind == report.ColumnText && c.Width <= 10:
		return "nw"
	}
	return ""
}
