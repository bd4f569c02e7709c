package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"digilevel/model"
)

// hostileReport signs a finalized report whose text holds whatever the
// caller gives: a report finalized before the text rule, or signed on a
// laptop that does not apply it. CheckText is bypassed on purpose.
func hostileReport(t testing.TB, name, note string) *Report {
	t.Helper()
	cat := testCatalog(t)
	e := testEnterprise()
	e.Name, e.Notes, e.Address = name, note, note
	e.Contacts[0].Name = name
	a := buildAssessment(t, cat, e, idBaseline, model.KindBaseline, tBaseline, baselineAnswers())
	a.Answers.Notes = map[string]string{"Q01": note}
	a.Assessor = model.Assessor{Org: name, Person: note}
	a.ListsEdited = true
	a.Problems = []model.ListItem{{Ref: "Q01", Title: name, Current: note, Target: note, Note: note}}
	data, _, err := a.Finalize(cat, testPlanning(t, cat), e, testKey(), model.Change{Who: "李工", Now: tBaseline})
	if err != nil {
		t.Fatal(err)
	}
	r, err := FromBytes(cat, data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(r.Bytes(), data) {
		t.Fatal("the JSON bytes changed")
	}
	return r
}

// requireSafe fails when out holds a control or bidi-override character
// (newlines and tabs aside) or invalid UTF-8.
func requireSafe(t testing.TB, what, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("%s is not valid UTF-8", what)
	}
	for i, r := range out {
		if model.UnsafeRune(r) && r != '\n' && r != '\t' {
			t.Fatalf("%s emits %U at byte %d: %q", what, r, i, out[max(0, i-40):min(len(out), i+40)])
		}
	}
}

// renderAll renders a report as HTML, Markdown and XLSX (every cell's text)
// and checks that none emits an unsafe character.
func renderAll(t testing.TB, r *Report) {
	t.Helper()
	for _, f := range []Format{FormatHTML, FormatMarkdown} {
		var b bytes.Buffer
		if err := r.Write(&b, f); err != nil {
			t.Fatal(err)
		}
		requireSafe(t, string(f), b.String())
	}
	var b bytes.Buffer
	if err := r.Write(&b, FormatXLSX); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for _, sheet := range x.GetSheetList() {
		rows, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			requireSafe(t, "xlsx "+sheet, strings.Join(row, "\t"))
		}
	}
}

// Issue 9 item 6: stored text of unknown origin is rendered safely in
// every format; the signed JSON stays byte for byte.
func TestRenderersShowStoredTextSafely(t *testing.T) {
	r := hostileReport(t, "红旗\x1b]0;pwned\x07机械\u202egpj.exe", "备注\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07\u2067第二行\r\n\u009b31m")
	renderAll(t, r)
	if !strings.Contains(r.Doc.Enterprise.Name, "红旗") || !strings.Contains(r.Doc.Enterprise.Name, "\ufffd") {
		t.Errorf("name rendered as %q", r.Doc.Enterprise.Name)
	}
	if !bytes.Contains(r.Bytes(), []byte(`\u001b]0;pwned`)) {
		t.Error("the signed bytes were altered")
	}
	c, err := Compare(hostileReport(t, "甲\x1b[2J", "乙\u202e"), r)
	if err == nil {
		for _, f := range []Format{FormatHTML, FormatMarkdown} {
			var b bytes.Buffer
			if err := c.Write(&b, f); err != nil {
				t.Fatal(err)
			}
			requireSafe(t, "compare "+string(f), b.String())
		}
	}
	row := NewRollupRow(testCatalog(t), model.DefaultRewardPolicy(), RollupInput{Enterprise: model.Enterprise{Code: "x", Name: "名\x1b]0;x\x07", Provider: "\u202e商"}})
	requireSafe(t, "rollup", row.Name+row.Provider)
}

// FuzzReportText renders reports holding arbitrary text and asserts no
// format emits a control or bidi-override character.
func FuzzReportText(f *testing.F) {
	for _, s := range []string{"新乡市红旗机械有限公司", "\x1b]52;c;eA==\x07", "\u202e\u2066x\u2069", "\xff\xfe", "a\r\nb\tc", "\u0085\u009b"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, name, note string) {
		// Invalid UTF-8 cannot be signed in canonical form (encoding/json
		// writes U+FFFD): such a report never exists.
		name, note = strings.ToValidUTF8(name, "?"), strings.ToValidUTF8(note, "?")
		if strings.TrimSpace(name) == "" {
			name = "名" + name
		}
		renderAll(t, hostileReport(t, name, note))
	})
}
