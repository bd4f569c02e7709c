package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"digilevel/indicators"
)

// checkOffline asserts what every HTML output must satisfy: parseable, no
// network reference, no script, and every inline SVG well-formed XML.
func checkOffline(t *testing.T, name string, page []byte) *html.Node {
	t.Helper()
	s := string(page)
	for _, bad := range []string{"http://", "https://", "<script", "url(", "@import"} {
		if strings.Contains(strings.ToLower(s), bad) {
			t.Errorf("%s contains %q", name, bad)
		}
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatalf("%s: parse HTML: %v", name, err)
	}
	var svgs int
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.Data {
		case "script", "iframe", "object", "embed", "link", "img":
			t.Errorf("%s has a <%s> element", name, n.Data)
		case "svg":
			svgs++
			var b bytes.Buffer
			if err := html.Render(&b, n); err != nil {
				t.Fatal(err)
			}
			if err := wellFormed(b.Bytes()); err != nil {
				t.Errorf("%s: svg %d (re-serialized) is not well-formed XML: %v\n%s", name, svgs, err, b.String())
			}
		}
		for _, a := range n.Attr {
			if a.Key == "src" || a.Key == "href" || strings.HasPrefix(a.Key, "on") {
				t.Errorf("%s: <%s %s=%q>", name, n.Data, a.Key, a.Val)
			}
		}
	}
	// The source text of each chart must be well-formed as written, too.
	for rest := s; ; {
		i := strings.Index(rest, "<svg")
		if i < 0 {
			break
		}
		j := strings.Index(rest[i:], "</svg>")
		if j < 0 {
			t.Fatalf("%s: unterminated <svg>", name)
		}
		if err := wellFormed([]byte(rest[i : i+j+len("</svg>")])); err != nil {
			t.Errorf("%s: svg source is not well-formed XML: %v", name, err)
		}
		rest = rest[i+j:]
	}
	return doc
}

func wellFormed(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	for {
		if _, err := d.Token(); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

func byID(doc *html.Node) map[string]*html.Node {
	out := map[string]*html.Node{}
	for n := range doc.Descendants() {
		for _, a := range n.Attr {
			if a.Key == "id" {
				out[a.Val] = n
			}
		}
	}
	return out
}

func text(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

func TestHTML(t *testing.T) {
	f := fixtures(t)
	for name, r := range map[string]*Report{"baseline": f.baseline, "acceptance": f.acceptance, "draft": f.draft} {
		t.Run(name, func(t *testing.T) {
			page := render(t, func(b *bytes.Buffer) error { return r.WriteHTML(b) })
			doc := checkOffline(t, name, page)
			ids := byID(doc)
			var order []string
			for n := range doc.Descendants() {
				if n.Type == html.ElementNode && n.Data == "section" {
					for _, a := range n.Attr {
						if a.Key == "id" {
							order = append(order, a.Val)
						}
					}
				}
			}
			var want []string
			outline := f.cat.ReportOutline
			if isDiagnosis(r.Doc) {
				outline = r.Planning.Outline
			}
			for _, o := range outline {
				want = append(want, o.ID)
				sec, ok := ids[o.ID]
				if !ok {
					t.Errorf("section %q missing", o.ID)
					continue
				}
				if !strings.Contains(text(sec), o.Title) {
					t.Errorf("section %q lacks its title %q", o.ID, o.Title)
				}
			}
			if strings.Join(order, ",") != strings.Join(want, ",") {
				t.Errorf("sections in order %v, want %v", order, want)
			}
			// Two charts, and the QR code of a signed report.
			want2 := 2
			if r.Doc.Signature != nil {
				want2 = 3
			}
			if n := strings.Count(string(page), "<svg"); n != want2 {
				t.Errorf("%d SVGs, want %d", n, want2)
			}
			s := string(page)
			for _, must := range []string{"@page", "size:A4", "counter(page)", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "★", r.SHA256(), r.Doc.Catalog.Hash} {
				if !strings.Contains(s, must) {
					t.Errorf("HTML lacks %q", must)
				}
			}
			body := text(doc)
			for _, c := range r.Doc.Result.Checks {
				if !strings.Contains(body, c.Name) {
					t.Errorf("level check %s not shown", c.Name)
				}
			}
			if r.Doc.Draft {
				title := ""
				for n := range doc.Descendants() {
					if n.Type == html.ElementNode && n.Data == "title" && n.Parent.Data == "head" {
						title = text(n)
					}
				}
				if !strings.Contains(title, "草稿") || !strings.Contains(s, `class="watermark"`) || !strings.Contains(s, "· 草稿") {
					t.Errorf("draft is not marked 草稿 in title %q, watermark and page header", title)
				}
				// The note's markup is text, not elements.
				if strings.Contains(s, "<b>MES</b>") || !strings.Contains(body, "<b>MES</b>") {
					t.Error("note text is not escaped")
				}
			} else if strings.Contains(s, "watermark\"") || strings.Contains(body, "草稿") {
				t.Error("finalized report is marked 草稿")
			}
		})
	}
}

// The sections follow the catalog's outline: its order and titles, and an
// ID this package does not know is skipped.
func TestHTMLFollowsOutline(t *testing.T) {
	f := fixtures(t)
	cat := *f.cat
	cat.ReportOutline = []indicators.OutlineItem{{ID: "signatures", Title: "签字页"}, {ID: "appendix", Title: "附件"}, {ID: "result", Title: "结论"}}
	r := *f.acceptance
	r.Catalog = &cat
	page := render(t, func(b *bytes.Buffer) error { return r.WriteHTML(b) })
	doc := checkOffline(t, "outline", page)
	var got []string
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "h2" {
			got = append(got, text(n))
		}
	}
	if strings.Join(got, ",") != "一、签字页,二、结论" {
		t.Errorf("headings = %v", got)
	}
	md := string(render(t, func(b *bytes.Buffer) error { return r.WriteMarkdown(b) }))
	if !strings.Contains(md, "## 一、签字页") || strings.Contains(md, "企业基本情况") {
		t.Error("markdown does not follow the outline")
	}
}

func TestComparisonHTML(t *testing.T) {
	f := fixtures(t)
	c, err := Compare(f.baseline, f.acceptance)
	if err != nil {
		t.Fatal(err)
	}
	page := render(t, func(b *bytes.Buffer) error { return c.WriteHTML(b) })
	doc := checkOffline(t, "comparison", page)
	body := text(doc)
	for _, must := range []string{"36.6", "56", "由一级提升至二级", "32 万元", "Q12", "成效"} {
		if !strings.Contains(body, must) {
			t.Errorf("comparison lacks %q", must)
		}
	}
	outcome := 0
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "tr" {
			for _, a := range n.Attr {
				if a.Key == "class" && a.Val == "outcome" {
					outcome++
				}
			}
		}
	}
	if outcome != 5 { // the 数字化成效 dimension row and Q12–Q15
		t.Errorf("%d highlighted rows, want 5", outcome)
	}
	if strings.Contains(body, "草稿") {
		t.Error("comparison of finalized reports is marked 草稿")
	}
}

// Text from the enterprise file and the answers cannot break out of its
// context: not from element text, not from the CSS page header.
func TestHTMLEscapesHostileText(t *testing.T) {
	f := fixtures(t)
	r := *f.draft
	hostile := `甲"</style><script>alert(1)</script>\"乙`
	r.Doc.Enterprise.Name = hostile
	r.Doc.Enterprise.Notes = "<img src=x onerror=alert(1)>"
	r.Doc.Assessor.Person = "<svg onload=alert(1)>"
	page := render(t, func(b *bytes.Buffer) error { return r.WriteHTML(b) })
	doc := checkOffline(t, "hostile", page)
	if !strings.Contains(text(doc), hostile) {
		t.Error("the hostile name is not shown as text")
	}
	if n := strings.Count(string(page), "<svg"); n != 2 {
		t.Errorf("%d <svg in the page, want only the 2 charts", n)
	}
}
