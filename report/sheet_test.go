package report

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"
)

func TestWriteSheet(t *testing.T) {
	s := Sheet{Name: "服务商绩效", Columns: []Column{
		{Header: "统一社会信用代码", Width: 22, Kind: ColumnID},
		{Header: "服务商", Width: 20, Kind: ColumnText},
		{Header: "平均等级提升", Width: 10, Kind: ColumnNumber},
		{Header: "说明", Width: 40, Kind: ColumnWrap},
	}}
	rows := [][]string{
		{"91410700MA0000001W", "=HYPERLINK(\"x\")", "1.5", "第一行\n第二行"},
		{"000123", "甲", "", "短"},
		{"x"}, // a short row leaves the other cells empty
	}
	x := openXLSX(t, render(t, func(b *bytes.Buffer) error { return WriteSheetXLSX(b, s, slices.Values(rows)) }))
	got, err := x.GetRows("服务商绩效")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[0][2] != "平均等级提升" || !isBold(t, x, "服务商绩效", "A1") {
		t.Fatalf("rows = %q", got)
	}
	if got[1][0] != "91410700MA0000001W" || got[1][2] != "1.5" || !isNumber(t, x, "服务商绩效", "C2") || got[1][3] != "第一行\n第二行" {
		t.Errorf("row 2 = %q", got[1])
	}
	// An identifier of digits stays text (leading zeros kept; in CSV a text
	// formula, which spreadsheets show as its text), an empty
	// number is an empty cell, and text never becomes a formula.
	if got[2][0] != "000123" || isNumber(t, x, "服务商绩效", "A3") || len(got[2]) > 2 && got[2][2] != "" {
		t.Errorf("row 3 = %q", got[2])
	}
	if f, _ := x.GetCellFormula("服务商绩效", "B2"); f != "" {
		t.Errorf("text became a formula: %q", f)
	}

	raw := render(t, func(b *bytes.Buffer) error { return WriteSheetCSV(b, s, slices.Values(rows)) })
	if !bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) || !bytes.Contains(raw, []byte("\r\n")) {
		t.Fatal("CSV lacks the BOM or CRLF")
	}
	recs, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"统一社会信用代码", "服务商", "平均等级提升", "说明"},
		{`="91410700MA0000001W"`, "'=HYPERLINK(\"x\")", "1.5", "第一行\n第二行"},
		{`="000123"`, "甲", "", "短"},
		{`="x"`, "", "", ""},
	}
	if !slices.EqualFunc(recs, want, slices.Equal) {
		t.Errorf("csv = %q\nwant %q", recs, want)
	}
}
