package roster

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"digilevel/model"
)

// workbook builds an XLSX in memory: fill gets the file to write cells into.
func workbook(t *testing.T, fill func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	fill(f)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func set(t *testing.T, f *excelize.File, sheet, cell string, v any) {
	t.Helper()
	if err := f.SetCellValue(sheet, cell, v); err != nil {
		t.Fatal(err)
	}
}

func setRow(t *testing.T, f *excelize.File, sheet string, row int, vs ...any) {
	t.Helper()
	cell, err := excelize.CoordinatesToCellName(1, row)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow(sheet, cell, &vs); err != nil {
		t.Fatal(err)
	}
}

func TestReadXLSX(t *testing.T) {
	const sheet = "企业名单"
	data := workbook(t, func(f *excelize.File) {
		// A notes sheet comes first; the roster sheet is found by name.
		if err := f.SetSheetName("Sheet1", "填表说明"); err != nil {
			t.Fatal(err)
		}
		set(t, f, "填表说明", "A1", "批次填 1–3")
		if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
		set(t, f, sheet, "A1", "新乡经开区 2025 年数字化转型试点企业名单")
		if err := f.MergeCell(sheet, "A1", "H1"); err != nil {
			t.Fatal(err)
		}
		setRow(t, f, sheet, 2, "序号", "企业名称", "统一社会信用代码", "批次", "智能工厂", "2024年营业收入（万元）", "2025年\n营业收入（万元）", "联系人", "联系电话")
		setRow(t, f, sheet, 3, 1, "新乡示例机械制造有限公司", "'"+codeA, 1, true, 5000, 5800.5, "王经理", 3731234567)
		setRow(t, f, sheet, 4, 2, "新乡示例电机有限公司", codeB, "第二批", false, 0.1+0.2, 1234.5600000000001, "", "")
		// Row 5 is left empty; row 6 has an out-of-range batch, a
		// negative revenue and a credit code typed as a number.
		setRow(t, f, sheet, 6, 3, "新乡示例食品有限公司", nil, 4, "否", -5)
		// Excel writes a number of more than 15 digits in E notation.
		if err := f.SetCellDefault(sheet, "C6", "9.1410721E+17"); err != nil {
			t.Fatal(err)
		}
		setRow(t, f, sheet, 7, 4, "新乡示例化工有限公司", codeA, 2)
	})

	res, err := ReadXLSX(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if res.Sheet != sheet {
		t.Errorf("Sheet = %q, want %q", res.Sheet, sheet)
	}
	if want := []string{"序号"}; !reflect.DeepEqual(res.Ignored, want) {
		t.Errorf("Ignored = %q, want %q", res.Ignored, want)
	}
	if len(res.Enterprises) != 2 {
		t.Fatalf("enterprises = %+v, problems %v", res.Enterprises, res.Problems)
	}
	a, b := res.Enterprises[0], res.Enterprises[1]
	if a.Row != 3 || b.Row != 4 {
		t.Errorf("rows = %d, %d, want 3, 4", a.Row, b.Row)
	}
	wantA := model.Enterprise{
		Code: codeA, Name: "新乡示例机械制造有限公司", ZJTX: model.ZJTXNone, SmartFactory: true, Batch: 1,
		Revenue:  []model.YearRevenue{{Year: 2024, Wan: "5000"}, {Year: 2025, Wan: "5800.5"}},
		Contacts: []model.Contact{{Name: "王经理", Phone: "3731234567"}},
	}
	if !reflect.DeepEqual(a.Enterprise, wantA) {
		t.Errorf("row 3 =\n%+v\nwant\n%+v", a.Enterprise, wantA)
	}
	wantRevenue := []model.YearRevenue{{Year: 2024, Wan: "0.3"}, {Year: 2025, Wan: "1234.56"}}
	if b.Enterprise.Code != codeB || b.Enterprise.Batch != 2 || b.Enterprise.SmartFactory || !reflect.DeepEqual(b.Enterprise.Revenue, wantRevenue) {
		t.Errorf("row 4 = %+v", b.Enterprise)
	}

	wantProblems := map[int][]string{
		6: {"统一社会信用代码: \"9.1410721E+17\" 被表格软件存成了数字", "批次: 应为 1–3，实际 4", "营业收入: 2024 年为负数"},
		7: {"统一社会信用代码: 与第 3 行重复"},
	}
	if len(res.Problems) != len(wantProblems) {
		t.Errorf("problems = %v", res.Problems)
	}
	for _, p := range res.Problems {
		for _, want := range wantProblems[p.Row] {
			if !strings.Contains(p.Error(), want) {
				t.Errorf("problem %q, want it to contain %q", p.Error(), want)
			}
		}
	}
}

func TestReadXLSXFirstSheet(t *testing.T) {
	data := workbook(t, func(f *excelize.File) {
		setRow(t, f, "Sheet1", 1, "企业名称", "统一社会信用代码", "批次")
		setRow(t, f, "Sheet1", 2, "甲", codeA, 3)
		if _, err := f.NewSheet("其他"); err != nil {
			t.Fatal(err)
		}
	})
	res, err := ReadXLSX(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if res.Sheet != "Sheet1" || len(res.Enterprises) != 1 || res.Enterprises[0].Row != 2 || res.Enterprises[0].Enterprise.Batch != 3 {
		t.Errorf("ReadXLSX() = %+v", res)
	}

	// ReadFile picks the reader by extension, in any case.
	path := filepath.Join(t.TempDir(), "名单.XLSX")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if res, err := ReadFile(path); err != nil || len(res.Enterprises) != 1 {
		t.Errorf("ReadFile(.XLSX) = %+v, %v", res, err)
	}
}

func TestReadXLSXErrors(t *testing.T) {
	noBatch := workbook(t, func(f *excelize.File) {
		setRow(t, f, "Sheet1", 1, "企业名称", "统一社会信用代码")
	})
	empty := workbook(t, func(*excelize.File) {})
	many := workbook(t, func(f *excelize.File) {
		setRow(t, f, "Sheet1", 1, "企业名称", "统一社会信用代码", "批次")
		for r := 2; r <= 5; r++ {
			setRow(t, f, "Sheet1", r, "甲", codeA, 1)
		}
	})
	for _, tt := range []struct {
		name string
		data []byte
		lim  limits
		want string
	}{
		{"missing column", noBatch, defaultLimits(), "名单缺少必填列「批次」"},
		{"empty sheet", empty, defaultLimits(), "名单是空的"},
		{"too many rows", many, limits{bytes: MaxFileSize, rows: 4}, "名单超过 4 行的上限"},
		{"too big", many, limits{bytes: 100, rows: 10}, "名单文件超过 100 字节的上限"},
		{"not a workbook", []byte("企业名称,统一社会信用代码,批次\n"), defaultLimits(), "文件不是 XLSX 工作簿"},
		{"legacy xls", []byte(oleMagic + "rest"), defaultLimits(), "旧版 .xls"},
		{"broken zip", []byte(zipMagic + "rest"), defaultLimits(), "无法读取 XLSX 工作簿"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readXLSX(bytes.NewReader(tt.data), tt.lim)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, model.ErrInvalid) {
				t.Errorf("readXLSX() error = %v, want %q", err, tt.want)
			}
		})
	}
}
