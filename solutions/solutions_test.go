package solutions

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"digilevel/indicators"
	"digilevel/model"
)

func catalog(t *testing.T) *indicators.Catalog {
	t.Helper()
	c, err := indicators.Embedded("2024")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const header = "编号,名称,服务商,适用场景,部署方式,价格区间,参考案例,示例\n"

func write(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadCSV(t *testing.T) {
	cat := catalog(t)
	rows := header +
		"S-1,某 MES,某公司,SC06:2-3;SC05:2,云端,3–8 万元/年,某厂,否\n" +
		"S-2,某网关,某公司,\"SC08:2,3\",本地,,,\n" +
		"\n" +
		"S-3,坏场景,某公司,SC99:2,云端,,,\n" +
		"S-4,坏等级,某公司,SC06:5,云端,,,\n" +
		"S-1,重复,某公司,SC06:2,云端,,,\n" +
		"S-5,坏部署,某公司,SC06:2,边缘,,,\n" +
		"S-6,\x1b]52;c;x\x07,某公司,SC06:2,云端,,,\n"
	for name, data := range map[string][]byte{"utf8.csv": []byte(rows), "bom.csv": append([]byte{0xEF, 0xBB, 0xBF}, rows...)} {
		res, err := ReadFile(write(t, name, data), cat)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Solutions) != 2 || res.Solutions[0].ServesText() != "SC06:2,3;SC05:2" || res.Solutions[1].Deployment != "local" || res.Solutions[0].Source != name {
			t.Errorf("%s: solutions = %+v", name, res.Solutions)
		}
		wantRows := []int{5, 6, 7, 8, 9}
		if len(res.Problems) != len(wantRows) {
			t.Fatalf("%s: problems = %v", name, res.Problems)
		}
		for i, p := range res.Problems {
			if p.Row != wantRows[i] || !errors.Is(p, model.ErrInvalid) {
				t.Errorf("%s: problem %d = %v, want row %d", name, i, p, wantRows[i])
			}
		}
	}
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String(header + "S-1,某 MES,某公司,SC06:2,云端,,,\n")
	if res, err := ReadFile(write(t, "gb.csv", []byte(gb)), cat); err != nil || len(res.Solutions) != 1 || res.Solutions[0].Name != "某 MES" {
		t.Errorf("GB18030: %v %+v", err, res)
	}
	if _, err := ReadFile(write(t, "nohead.csv", []byte("编号,名称\nS-1,甲\n")), cat); err == nil || !strings.Contains(err.Error(), "服务商") {
		t.Errorf("missing columns: %v", err)
	}
}

func TestReadXLSXAndJSON(t *testing.T) {
	cat := catalog(t)
	f := excelize.NewFile()
	for i, row := range [][]any{{"名称", "编号", "服务商", "适用场景", "部署方式", "示例"}, {"某仓储系统", "W-1", "某公司", "SC12:2-3", "cloud", "是"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "pool.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	res, err := ReadFile(p, cat)
	if err != nil || len(res.Solutions) != 1 || !res.Solutions[0].Example || res.Solutions[0].DisplayName() != model.ExampleMark+"某仓储系统" {
		t.Errorf("xlsx: %v %+v", err, res)
	}
	js := `{"format":"digilevel-solutions/1","solutions":[{"id":"J-1","name":"甲","provider":"乙","serves":[{"scenario":"SC03","levels":[2]}]},{"id":"J-2","name":"丙","provider":"丁","serves":[]}]}`
	res, err = ReadFile(write(t, "pool.json", []byte(js)), cat)
	if err != nil || len(res.Solutions) != 1 || len(res.Problems) != 1 || res.Problems[0].Row != 2 {
		t.Errorf("json: %v %+v", err, res)
	}
	for name, data := range map[string]string{
		"wrong format":  `{"format":"x","solutions":[]}`,
		"unknown field": `{"format":"digilevel-solutions/1","solutions":[],"price":1}`,
	} {
		if _, err := ReadFile(write(t, "p.json", []byte(data)), cat); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := ReadFile(write(t, "p.txt", []byte("x")), cat); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("txt: %v", err)
	}
	// Errors are Chinese, with no Go or OS text.
	for name, path := range map[string]string{
		"missing":  filepath.Join(t.TempDir(), "none.csv"),
		"bad json": write(t, "bad.json", []byte("{")),
		"bad xlsx": write(t, "bad.xlsx", []byte("not a zip")),
		"bad csv":  write(t, "bad.csv", []byte(header+"S-1,\"open,某公司\n")),
	} {
		_, err := ReadFile(path, cat)
		if !errors.Is(err, model.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
		for _, english := range []string{"no such file", "invalid character", "zip", "bare", "unexpected"} {
			if strings.Contains(err.Error(), english) {
				t.Errorf("%s: English error text: %v", name, err)
			}
		}
	}
}

// The shipped pool is marked 示例 in the file, in every name, in every
// provider and by the Example flag: it can never pass for real products.
func TestExamplePoolIsMarked(t *testing.T) {
	res, err := ExamplePool(catalog(t))
	if err != nil || len(res.Problems) > 0 || len(res.Solutions) < 3 {
		t.Fatalf("%v %v", err, res.Problems)
	}
	for _, s := range res.Solutions {
		if !s.Example || !strings.HasPrefix(s.Name, model.ExampleMark) || !strings.Contains(s.Provider, "虚构") || !strings.Contains(s.PriceBand, "示例") {
			t.Errorf("not clearly an example: %+v", s)
		}
	}
}
