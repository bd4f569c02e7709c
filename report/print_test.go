package report

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// pdfWord is one word of `pdftotext -bbox` output, in points from the top.
type pdfWord struct {
	XMin, YMin, YMax float64
	Text             string
}

type pdfPage struct {
	Height float64
	Words  []pdfWord
}

// readBBox parses the XHTML of `pdftotext -bbox`.
func readBBox(t *testing.T, data []byte) []pdfPage {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	var pages []pdfPage
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attr := func(name string) float64 {
			for _, a := range se.Attr {
				if a.Name.Local == name {
					f, _ := strconv.ParseFloat(a.Value, 64)
					return f
				}
			}
			return 0
		}
		switch se.Name.Local {
		case "page":
			pages = append(pages, pdfPage{Height: attr("height")})
		case "word":
			w := pdfWord{XMin: attr("xMin"), YMin: attr("yMin"), YMax: attr("yMax")}
			var s string
			if err := dec.DecodeElement(&s, &se); err == nil && len(pages) > 0 {
				w.Text = s
				pages[len(pages)-1].Words = append(pages[len(pages)-1].Words, w)
			}
		}
	}
	return pages
}

// pageMargin is the @page margin (18 mm) in points: the page header and
// footer live there and do not count as content.
const pageMargin = 18 / 25.4 * 72

// body returns the words between the page margins.
func (p pdfPage) body() []pdfWord {
	var out []pdfWord
	for _, w := range p.Words {
		if w.YMin > pageMargin && w.YMax < p.Height-pageMargin {
			out = append(out, w)
		}
	}
	return out
}

// fill is how far down the printable area the content reaches, 0..1.
func (p pdfPage) fill() float64 {
	low := pageMargin
	for _, w := range p.body() {
		low = max(low, w.YMax)
	}
	return (low - pageMargin) / (p.Height - 2*pageMargin)
}

// firstLine is the text of the page's topmost body line, spaces removed.
func (p pdfPage) firstLine() string {
	words := p.body()
	if len(words) == 0 {
		return ""
	}
	top := words[0].YMin
	for _, w := range words {
		top = min(top, w.YMin)
	}
	var line []pdfWord
	for _, w := range words {
		if w.YMin < top+6 {
			line = append(line, w)
		}
	}
	sort.Slice(line, func(i, j int) bool { return line[i].XMin < line[j].XMin })
	var b strings.Builder
	for _, w := range line {
		b.WriteString(w.Text)
	}
	return b.String()
}

// TestPrintedDiagnosis prints the complete diagnosis with headless Chromium
// (the engine the district office prints with) and measures every A4 page
// with poppler's pdftotext: the page count stays in range, and no page is
// less than a third full except the last page of a section (the page before
// a section that starts on a new page, and the final page). Without the
// tools it is skipped, unless DIGILEVEL_PRINT_CHECK=1 (.ci/run) demands it.
func TestPrintedDiagnosis(t *testing.T) {
	chromium, err1 := exec.LookPath("chromium")
	pdftotext, err2 := exec.LookPath("pdftotext")
	if err1 != nil || err2 != nil {
		if os.Getenv("DIGILEVEL_PRINT_CHECK") == "1" {
			t.Fatal("chromium and pdftotext (poppler-utils) are required: apt-get install chromium poppler-utils fonts-wqy-microhei")
		}
		t.Skip("chromium or pdftotext not installed")
	}
	r, _ := diagnosisReport(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "diagnosis.html")
	if err := os.WriteFile(page, render(t, func(b *bytes.Buffer) error { return r.WriteHTML(b) }), 0o644); err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(dir, "diagnosis.pdf")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--no-pdf-header-footer", "--print-to-pdf="+pdf, "file://"+page)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	out, err := exec.CommandContext(ctx, pdftotext, "-bbox", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := readBBox(t, out)
	if n := len(pages); n < 8 || n > 22 {
		t.Errorf("%d pages, want 8–22", n)
	}
	d := buildDiagnosis(r)
	var starts []string
	for i, s := range d.Outline {
		if statusNewPage(s.ID) {
			starts = append(starts, chineseNumber(i+1)+"、"+s.Title)
		}
	}
	startsSection := func(p pdfPage) bool {
		line := p.firstLine()
		for _, s := range starts {
			if strings.HasPrefix(line, s) {
				return true
			}
		}
		return false
	}
	found := 0
	for i, p := range pages {
		if startsSection(p) {
			found++
		}
		last := i == len(pages)-1 || startsSection(pages[i+1])
		t.Logf("page %d: %.0f%% full, first line %q", i+1, 100*p.fill(), p.firstLine())
		if !last && p.fill() < 1.0/3 {
			t.Errorf("page %d is %.0f%% full and not the last page of a section", i+1, 100*p.fill())
		}
	}
	if found != len(starts) {
		t.Errorf("%d of the %d sections that start a page were found at a page top", found, len(starts))
	}
}
