package roster_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"digilevel/internal/officetest"
	"digilevel/model"
	"digilevel/report"
	"digilevel/roster"
)

// allDigitCode returns the n-th valid credit code whose 18 characters are
// all digits: the codes a spreadsheet turns into 9.14107000818366E+17.
func allDigitCode(t *testing.T, n int) string {
	t.Helper()
	for i := 0; ; i++ {
		first := fmt.Sprintf("91410700%09d", 818366000+i*7919)
		c, err := model.CreditCodeCheckChar(first)
		if err != nil {
			t.Fatal(err)
		}
		if c >= '0' && c <= '9' {
			if n == 0 {
				return first + string(c)
			}
			n--
		}
	}
}

func letterCode(t *testing.T, n int) string {
	t.Helper()
	first := fmt.Sprintf("91410700MA%07d", 4400000+n)
	c, err := model.CreditCodeCheckChar(first)
	if err != nil {
		t.Fatal(err)
	}
	return first + string(c)
}

// exportRows are 30 enterprises of the roll-up with the identifiers that
// spreadsheets damage: all-digit credit codes, mobile numbers, numbers
// with a leading zero or plus, and report IDs that read as 1E+24.
func exportRows(t *testing.T) []report.RollupRow {
	t.Helper()
	phones := []string{"13800000000", "0373-5550123", "+86 138 0000 0001", "(0373)5550124", "03735550125", "1380000000 5"}
	ids := []string{"01234567890123456789E12345", "00000000000000000000000001", "01JNBASE000000000000000001", "1E100000000000000000000000"}
	var rows []report.RollupRow
	for i := range 30 {
		code := letterCode(t, i)
		if i%3 == 0 {
			code = allDigitCode(t, i/3)
		}
		r := report.RollupRow{
			CreditCode: code,
			Name:       fmt.Sprintf("新乡市第%d号示例制造有限公司", i+1),
			Batch:      1 + i%3,
			Provider:   "河南某数字科技有限公司",
			Contacts:   []model.Contact{{Name: "王经理", Phone: phones[i%len(phones)]}},
			State:      "无评测",
		}
		if i%2 == 0 {
			r.BaselineID = ids[i%len(ids)]
			r.AcceptanceID = ids[(i+1)%len(ids)]
		}
		if i == 7 {
			r.Provider = "=1+2 恶意服务商"
		}
		rows = append(rows, r)
	}
	return rows
}

func writeExport(t *testing.T, dir string, rows []report.RollupRow) string {
	t.Helper()
	var b bytes.Buffer
	if err := report.WriteRollupCSV(&b, slices.Values(rows)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "export.csv")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkRoster asserts that a roster read back holds every enterprise of
// rows with the fields the export carries, unchanged.
func checkRoster(t *testing.T, what string, res roster.Result, rows []report.RollupRow) {
	t.Helper()
	if len(res.Problems) > 0 {
		t.Fatalf("%s: rows refused: %v", what, res.Problems)
	}
	if len(res.Enterprises) != len(rows) {
		t.Fatalf("%s: %d enterprises read back, want %d", what, len(res.Enterprises), len(rows))
	}
	for i, p := range res.Enterprises {
		e, want := p.Enterprise, rows[i]
		if e.Code != want.CreditCode || e.Name != want.Name || e.Batch != want.Batch || e.Provider != want.Provider {
			t.Errorf("%s row %d: got %s %q batch %d %q, want %s %q batch %d %q", what, p.Row, e.Code, e.Name, e.Batch, e.Provider,
				want.CreditCode, want.Name, want.Batch, want.Provider)
		}
		if len(e.Contacts) != 1 || e.Contacts[0] != want.Contacts[0] {
			t.Errorf("%s row %d: contacts %+v, want %+v", what, p.Row, e.Contacts, want.Contacts)
		}
	}
}

// reportIDs reads the two report-ID columns of a CSV as text.
func reportIDs(t *testing.T, path string) [][2]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	b, a := slices.Index(recs[0], "改造前诊断报告编号"), slices.Index(recs[0], "改造后验收报告编号")
	if b < 0 || a < 0 {
		t.Fatalf("%s: no report ID columns in %v", path, recs[0])
	}
	var out [][2]string
	for _, r := range recs[1:] {
		out = append(out, [2]string{strings.TrimSuffix(strings.TrimPrefix(r[b], `="`), `"`), strings.TrimSuffix(strings.TrimPrefix(r[a], `="`), `"`)})
	}
	return out
}

func wantIDs(rows []report.RollupRow) [][2]string {
	var out [][2]string
	for _, r := range rows {
		out = append(out, [2]string{r.BaselineID, r.AcceptanceID})
	}
	return out
}

// The roll-up CSV goes back through the project's own roster reader with
// every identifier intact.
func TestExportCSVRoundTrip(t *testing.T) {
	rows := exportRows(t)
	path := writeExport(t, t.TempDir(), rows)
	res, err := roster.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	checkRoster(t, "roster reader", res, rows)
	if got := reportIDs(t, path); !slices.Equal(got, wantIDs(rows)) {
		t.Errorf("report IDs = %v", got)
	}
}

// csvImport is LibreOffice's CSV import with the choices of its dialog for
// our file: comma, double quote, UTF-8, from line 1; formulas evaluated
// (the dialog's default).
const csvImport = "CSV:44,34,76,1"

// csvExport is Calc's "save as CSV": comma, double quote, UTF-8.
const csvExport = "csv:Text - txt - csv (StarCalc):44,34,76,1"

// The same file opened in LibreOffice Calc and saved again, as CSV and as
// XLSX, still reads back with every identifier intact. A control file
// without the text marks shows that Calc really does damage such codes.
func TestExportCSVThroughLibreOffice(t *testing.T) {
	officetest.Soffice(t)
	rows := exportRows(t)
	dir := t.TempDir()
	src := writeExport(t, dir, rows)

	asCSV := officetest.Convert(t, src, t.TempDir(), csvExport, csvImport)
	res, err := roster.ReadFile(asCSV)
	if err != nil {
		t.Fatal(err)
	}
	checkRoster(t, "LibreOffice → CSV", res, rows)
	if got := reportIDs(t, asCSV); !slices.Equal(got, wantIDs(rows)) {
		t.Errorf("report IDs after LibreOffice → CSV = %v", got)
	}

	asXLSX := officetest.Convert(t, src, t.TempDir(), "xlsx", csvImport)
	res, err = roster.ReadFile(asXLSX)
	if err != nil {
		t.Fatal(err)
	}
	checkRoster(t, "LibreOffice → XLSX", res, rows)

	// Control: the same code without the text mark becomes a number.
	code := allDigitCode(t, 0)
	plain := filepath.Join(t.TempDir(), "plain.csv")
	if err := os.WriteFile(plain, []byte("\ufeff统一社会信用代码,企业名称,批次\r\n"+code+",某公司,1\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	damaged, err := os.ReadFile(officetest.Convert(t, plain, t.TempDir(), csvExport, csvImport))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(damaged, []byte(code)) {
		t.Fatalf("control: LibreOffice kept the unmarked code %s as text, so this test proves nothing:\n%s", code, damaged)
	}
	t.Logf("control: LibreOffice saved the unmarked code %s as %q", code, strings.Split(string(damaged), "\n")[1])
}
