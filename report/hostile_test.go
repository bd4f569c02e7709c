package report

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"

	"digilevel/model"
)

// hostileName has every character a renderer must escape or neutralise:
// markup, an entity, both quotes, a Markdown pipe, link and escape, and
// terminal controls.
const hostileName = "甲<script>alert(1)</script>&amp;\"'|[链](x)\\乙\x1b[2J\u202e"

// The SVG charts are XML: a label with <, >, &, or quotes stays text
// (a custom catalog can name dimensions and scenarios anything).
func TestChartsEscapeHostileNames(t *testing.T) {
	const name = `维度<b>&"'</b>`
	charts := map[string]string{
		"dimensions": dimensionChart([]dimView{{Name: name, Points: "1", Max: "2", Percent: 50}}, "1", "2", 50),
		"scenarios":  scenarioChart([]scenarioView{{Name: name, Rated: true, Level: 2, LevelName: "二级"}}, []string{"未达一级", "一级", "二级", "三级", "四级"}, 4, 2),
	}
	for what, svg := range charts {
		d := xml.NewDecoder(strings.NewReader(svg))
		d.Strict = true
		var text strings.Builder
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s chart is not well-formed XML: %v\n%s", what, err, svg)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				if tok.Name.Local == "b" {
					t.Errorf("%s chart: the label's <b> became an element", what)
				}
			case xml.CharData:
				text.Write(tok)
			}
		}
		if !strings.Contains(text.String(), name) {
			t.Errorf("%s chart: the label %q is not its text: %q", what, name, text.String())
		}
	}
}

// A hostile name reaches every format as text: HTML parses to the same
// text with no injected element, Markdown neither opens a tag nor splits
// a table cell, XLSX holds the text itself; controls become U+FFFD.
func TestHostileNamesInEveryFormat(t *testing.T) {
	r := hostileReport(t, hostileName, "备注<i>&</i>\"'")
	shown := model.DisplaySafe(hostileName, false)
	if strings.ContainsAny(shown, "\x1b\u202e") || !strings.Contains(shown, "<script>") {
		t.Fatalf("DisplaySafe(%q) = %q", hostileName, shown)
	}

	var h bytes.Buffer
	if err := r.Write(&h, FormatHTML); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(h.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.ElementNode && (n.Data == "script" || n.Data == "i"):
			t.Errorf("HTML: the stored text made a <%s> element", n.Data)
		case n.Type == html.TextNode:
			text.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if !strings.Contains(text.String(), shown) {
		t.Errorf("HTML: the name is not shown as text %q", shown)
	}

	var md bytes.Buffer
	if err := r.Write(&md, FormatMarkdown); err != nil {
		t.Fatal(err)
	}
	out := md.String()
	if strings.Contains(out, "<script>") || strings.Contains(out, "<i>") {
		t.Error("Markdown: the stored text opens a tag")
	}
	if strings.Contains(out, "\x1b") || strings.Contains(out, "\u202e") {
		t.Error("Markdown: a control character got through")
	}
	cells := 0
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "|") && strings.Contains(line, "甲") {
			cells++
			if !strings.Contains(line, `\|\[链](x)\\乙`) {
				t.Errorf("Markdown: the name's pipe, link or backslash is not escaped in the table row %q", line)
			}
		}
	}
	if cells == 0 {
		t.Error("Markdown: the name is in no table row")
	}

	var x bytes.Buffer
	if err := r.Write(&x, FormatXLSX); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(x.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	found := false
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for _, row := range rows {
			for _, c := range row {
				if strings.Contains(c, "\x1b") || strings.Contains(c, "\u202e") {
					t.Errorf("XLSX %s: a control character got through: %q", sheet, c)
				}
				if strings.Contains(c, shown) {
					found = true
				}
			}
		}
	}
	if !found {
		t.Errorf("XLSX: no cell holds the name as text %q", shown)
	}
}
