package roster

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"digilevel/model"
)

// FuzzReadCSV checks that no input panics, that every file-level error is
// model.ErrInvalid, and that the result is consistent: valid enterprises
// with unique codes, rows in increasing order, every problem explained.
func FuzzReadCSV(f *testing.F) {
	sample, err := os.ReadFile(filepath.Join("testdata", "roster-sample.csv"))
	if err != nil {
		f.Fatal(err)
	}
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(basic))
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range [][]byte{
		sample,
		[]byte(basic),
		gbk,
		[]byte(strings.ReplaceAll(basic, ",", "\t")),
		[]byte(strings.ReplaceAll(basic, "\n", "\r")),
		append([]byte("\uFEFF"), basic...),
		[]byte("企业名称;统一社会信用代码;批次\n\"甲\n乙\";" + codeA + ";第一批\n"),
		[]byte("序号,企业名称,统一社会信用代码,批次,2024年营业收入（元）\n1,甲,'" + codeA + ",1,\"1,000\"\n2,乙,=\"" + codeA + "\",1,-1\n"),
		[]byte("企业名称,统一社会信用代码,批次\n\"unclosed," + codeA + ",1\n"),
		[]byte("\xff\xfe\x00"),
		[]byte("PK\x03\x04"),
		{},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		res, err := ReadCSV(bytes.NewReader(in))
		if err != nil {
			if !errors.Is(err, model.ErrInvalid) {
				t.Fatalf("file error %v is not model.ErrInvalid", err)
			}
			return
		}
		codes := map[string]bool{}
		for i, p := range res.Enterprises {
			if err := p.Enterprise.Validate(); err != nil {
				t.Errorf("row %d accepted but invalid: %v", p.Row, err)
			}
			if codes[p.Enterprise.Code] {
				t.Errorf("row %d: code %s accepted twice", p.Row, p.Enterprise.Code)
			}
			codes[p.Enterprise.Code] = true
			if p.Row < 1 || (i > 0 && p.Row <= res.Enterprises[i-1].Row) {
				t.Errorf("enterprise rows out of order: %d", p.Row)
			}
		}
		for i, p := range res.Problems {
			if p.Err == nil || !errors.Is(p, model.ErrInvalid) || !strings.HasPrefix(p.Error(), "第 ") {
				t.Errorf("problem %d: %v", p.Row, p.Err)
			}
			if p.Row < 1 || (i > 0 && p.Row <= res.Problems[i-1].Row) {
				t.Errorf("problem rows out of order: %d", p.Row)
			}
		}
	})
}
