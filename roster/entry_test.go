package roster

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// rezip copies an XLSX, passing each part through edit.
func rezip(t *testing.T, data []byte, edit func(name string, b []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		w, _ := zw.Create(f.Name)
		w.Write(edit(f.Name, b))
	}
	zw.Close()
	return out.Bytes()
}

// Issue 9 item 7: a malformed XML row no longer drops every row after it
// silently: the rows before it are imported, and it is reported with the
// row number and what to do.
func TestXLSXMalformedRowIsReported(t *testing.T) {
	good := workbook(t, func(f *excelize.File) {
		setRow(t, f, "Sheet1", 1, "企业名称", "统一社会信用代码", "批次")
		setRow(t, f, "Sheet1", 2, "甲", codeA, 1)
		setRow(t, f, "Sheet1", 3, "乙", codeB, 1)
		setRow(t, f, "Sheet1", 4, "丙", codeC, 1)
	})
	if res, err := ReadXLSX(bytes.NewReader(good)); err != nil || len(res.Enterprises) != 3 || len(res.Problems) != 0 {
		t.Fatalf("precondition: %+v %v", res, err)
	}
	broken := rezip(t, good, func(name string, b []byte) []byte {
		if name != "xl/worksheets/sheet1.xml" {
			return b
		}
		// Row 3 loses the end of a tag: the XML is malformed from there.
		i := bytes.Index(b, []byte(`<row r="3"`))
		j := bytes.Index(b[i:], []byte(`</c>`))
		return append(append(append([]byte{}, b[:i+j]...), []byte(`</c`)...), b[i+j+4:]...)
	})
	res, err := ReadXLSX(bytes.NewReader(broken))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Enterprises) != 1 || res.Enterprises[0].Row != 2 {
		t.Errorf("imported rows %+v, want row 2 only", res.Enterprises)
	}
	if len(res.Problems) != 1 || res.Problems[0].Row != 3 || !strings.Contains(res.Problems[0].Error(), "XML 格式错误") ||
		!strings.Contains(res.Problems[0].Error(), "本行及以下各行都未能读取") {
		t.Errorf("problems %v, want row 3 reported", res.Problems)
	}
}

// Issue 9 item 7: a CSV with a GB18030 header and UTF-8 rows no longer
// imports mojibake: the rows in the other encoding are reported.
func TestMixedEncodingCSVIsReported(t *testing.T) {
	gb := func(s string) []byte {
		b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var in []byte
	in = append(in, gb("企业名称,统一社会信用代码,批次\r\n")...)
	in = append(in, gb("甲公司,"+codeA+",1\r\n")...)
	in = append(in, "乙公司,"+codeB+",1\r\n"...)   // UTF-8
	in = append(in, "C Ltd,"+codeC+",1\r\n"...) // ASCII reads the same in both
	res, err := ReadCSV(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Enterprises) != 2 || res.Enterprises[0].Enterprise.Name != "甲公司" || res.Enterprises[1].Enterprise.Name != "C Ltd" {
		t.Errorf("imported %+v", res.Enterprises)
	}
	if len(res.Problems) != 1 || res.Problems[0].Row != 3 || !strings.Contains(res.Problems[0].Error(), "UTF-8") ||
		!strings.Contains(res.Problems[0].Error(), "GB18030") || !strings.Contains(res.Problems[0].Error(), "混用了两种编码") {
		t.Errorf("problems %v, want row 3 reported as mixed encoding", res.Problems)
	}
	// A UTF-8 file with a BOM and one GB18030 row: that row is reported.
	bom := append([]byte{0xEF, 0xBB, 0xBF}, "企业名称,统一社会信用代码,批次\n甲公司,"+codeA+",1\n"...)
	bom = append(bom, gb("乙公司,"+codeB+",1\n")...)
	res, err = ReadCSV(bytes.NewReader(bom))
	if err != nil || len(res.Enterprises) != 1 || len(res.Problems) != 1 || res.Problems[0].Row != 3 {
		t.Errorf("BOM file: %+v %v", res, err)
	}
}

// Issue 9 items 6 and 8: roster cells follow the text rule, and the roster
// file must be a regular file (a FIFO is refused, not waited on).
func TestRosterCellsAndFileKind(t *testing.T) {
	in := "企业名称,统一社会信用代码,批次,备注\n" +
		"甲\x1b]0;pwned\x07," + codeA + ",1,\n" +
		"乙\u202e," + codeB + ",1,\n" +
		"丙," + codeC + ",1,\"两行\n备注\"\n"
	res, err := ReadCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Enterprises) != 1 || res.Enterprises[0].Enterprise.Notes != "两行\n备注" {
		t.Errorf("imported %+v", res.Enterprises)
	}
	if len(res.Problems) != 2 || !strings.Contains(res.Problems[0].Error(), "控制字符") || !strings.Contains(res.Problems[1].Error(), "U+202E") {
		t.Errorf("problems %v", res.Problems)
	}
	fifo := filepath.Join(t.TempDir(), "名单.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := ReadFile(fifo); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "不是普通文件") {
			t.Errorf("ReadFile(fifo) = %v", err)
		}
	case <-time.After(10 * time.Second):
		os.WriteFile(fifo, nil, 0o600) // unblock
		t.Fatal("ReadFile(fifo) blocked")
	}
}

func TestOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"新乡市红旗\n机械有限公司":      "新乡市红旗机械有限公司",
		"Smart \r\n Factory": "Smart Factory",
		"a\tb":               "a b",
		"无换行":                "无换行",
		"尾\n":                "尾",
	} {
		if got := oneLine(in); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", in, got, want)
		}
	}
}
