package roster

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"digilevel/model"
)

// Valid credit codes (check characters computed with
// model.CreditCodeCheckChar; TestCodes checks them).
const (
	codeA = "91410700MA44RN9B0U"
	codeB = "91410700MA45A1B2CR"
	codeC = "91410721MA46X7K3DR"
	// codeBad is codeA with a wrong check character (it should be U).
	codeBad = "91410700MA44RN9B0T"
)

func TestCodes(t *testing.T) {
	for _, c := range []string{codeA, codeB, codeC} {
		if err := model.ValidateCreditCode(c); err != nil {
			t.Errorf("ValidateCreditCode(%q) = %v", c, err)
		}
	}
	if model.ValidateCreditCode(codeBad) == nil {
		t.Errorf("ValidateCreditCode(%q) = nil, want a check digit error", codeBad)
	}
}

const header = "企业名称,统一社会信用代码,批次,所属行业,规模,专精特新,省级以上智能工厂,试点行业,2024年营业收入（万元）,2025年营业收入（万元）,服务商,联系人,联系电话,邮箱,地址,备注"

// basic is a two-row roster in UTF-8.
var basic = header + "\n" +
	"新乡示例机械制造有限公司," + codeA + ",1,通用设备制造业,规上,省级,否,是,5000,5800.5,河南示例数字科技有限公司,王经理,0373-1234567,wang@example.com,新乡经开区示例路1号,已建 MES\n" +
	"新乡示例电机有限公司," + codeB + ",第二批,,规下,,,,,,,,,,,\n"

// wantA is the first enterprise of basic.
func wantA() model.Enterprise {
	return model.Enterprise{
		Code: codeA, Name: "新乡示例机械制造有限公司", Industry: "通用设备制造业", Scale: model.ScaleAbove,
		ZJTX: model.ZJTXProvincial, PilotIndustry: true, Batch: 1,
		Revenue:  []model.YearRevenue{{Year: 2024, Wan: "5000"}, {Year: 2025, Wan: "5800.5"}},
		Contacts: []model.Contact{{Name: "王经理", Phone: "0373-1234567", Email: "wang@example.com"}},
		Provider: "河南示例数字科技有限公司", Address: "新乡经开区示例路1号", Notes: "已建 MES",
	}
}

func gb18030(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadCSV(t *testing.T) {
	type tc struct {
		name     string
		in       []byte
		rows     []int          // rows of the good enterprises
		problems map[int]string // bad row → text its error must contain
		ignored  []string
		err      string // a file-level error must contain this
		check    func(t *testing.T, res Result)
	}
	checkA := func(t *testing.T, res Result) {
		t.Helper()
		if got := res.Enterprises[0].Enterprise; !reflect.DeepEqual(got, wantA()) {
			t.Errorf("enterprise =\n%+v\nwant\n%+v", got, wantA())
		}
		if got := res.Enterprises[1].Enterprise; got.Batch != 2 || got.Scale != model.ScaleBelow || got.ZJTX != model.ZJTXNone || got.Contacts != nil {
			t.Errorf("second enterprise = %+v", got)
		}
	}
	tabbed := strings.ReplaceAll(strings.ReplaceAll(basic, ",", "\t"), "\t\t", "\t\t")
	utf16 := func(s string) []byte {
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := []tc{
		{name: "utf-8", in: []byte(basic), rows: []int{2, 3}, check: checkA},
		{name: "utf-8 bom", in: append([]byte("\uFEFF"), basic...), rows: []int{2, 3}, check: checkA},
		{name: "gb18030", in: gb18030(t, basic), rows: []int{2, 3}, check: checkA},
		{name: "utf-16 bom", in: utf16(strings.ReplaceAll(basic, "\n", "\r\n")), rows: []int{2, 3}, check: checkA},
		{name: "crlf", in: []byte(strings.ReplaceAll(basic, "\n", "\r\n")), rows: []int{2, 3}, check: checkA},
		{name: "tab separated", in: []byte(tabbed), rows: []int{2, 3}, check: checkA},
		{name: "semicolon separated, addresses with commas", in: []byte(
			"企业名称;统一社会信用代码;批次;地址\n" +
				"甲;" + codeA + ";1;新乡市,经开区,示例路,1号\n"), rows: []int{2},
			check: func(t *testing.T, res Result) {
				if got := res.Enterprises[0].Enterprise.Address; got != "新乡市,经开区,示例路,1号" {
					t.Errorf("address = %q", got)
				}
			}},
		{name: "reordered columns and synonyms", in: []byte(
			"备注, 联系人电话 ,所属行业（国标）,营业收入2024,2025营业收入（万元）,* 企业名称（必填）,批 次,统一社会信用代码（18位）,是否属于试点行业,智能工厂（车间）,企业规模,专精特新等级,联系人,电子邮箱,数字化服务商,注册地址\n" +
				"已建 MES,0373-1234567,通用设备制造业,5000,\"5,800.5\",新乡示例机械制造有限公司,第一批," + codeA + ",是,N,规模以上企业,省级专精特新中小企业,王经理,wang@example.com,河南示例数字科技有限公司,新乡经开区示例路1号\n"),
			rows: []int{2},
			check: func(t *testing.T, res Result) {
				if got := res.Enterprises[0].Enterprise; !reflect.DeepEqual(got, wantA()) {
					t.Errorf("enterprise =\n%+v\nwant\n%+v", got, wantA())
				}
				if len(res.Ignored) != 0 {
					t.Errorf("Ignored = %q", res.Ignored)
				}
			}},
		{name: "value spellings", in: []byte(
			"企业名称,统一社会信用代码,批次,专精特新,智能工厂,试点行业,规模\n" +
				"甲," + codeA + ",一,小巨人,Y,true,规上\n" +
				"乙," + codeB + ",第3批次,国家级专精特新“小巨人”企业,√,1,below\n" +
				"丁," + codeBad + ",第十批,,,,\n" +
				"丙," + codeC + ",2,none,false,0,\n"),
			rows:     []int{2, 3, 5},
			problems: map[int]string{4: "批次: 无法识别 \"第十批\"，应为 1、2、3 或 第一批、第二批、第三批"},
			check: func(t *testing.T, res Result) {
				e := res.Enterprises
				if e[0].Enterprise.Batch != 1 || e[0].Enterprise.ZJTX != model.ZJTXNational || !e[0].Enterprise.SmartFactory || !e[0].Enterprise.PilotIndustry {
					t.Errorf("row 2 = %+v", e[0].Enterprise)
				}
				if e[1].Enterprise.Batch != 3 || e[1].Enterprise.ZJTX != model.ZJTXNational || !e[1].Enterprise.SmartFactory || e[1].Enterprise.Scale != model.ScaleBelow {
					t.Errorf("row 3 = %+v", e[1].Enterprise)
				}
				if e[2].Enterprise.ZJTX != model.ZJTXNone || e[2].Enterprise.SmartFactory || e[2].Enterprise.Scale != model.ScaleUnknown {
					t.Errorf("row 5 = %+v", e[2].Enterprise)
				}
			}},
		{name: "codes kept as text", in: []byte(
			"企业名称,统一社会信用代码,批次\n" +
				"甲,'" + codeA + ",1\n" +
				"乙,=\"" + codeB + "\",1\n" +
				"丙,９１４１０７２１ＭＡ４６Ｘ７Ｋ３ＤＲ,1\n" +
				"丁,9.14107E+17,1\n"),
			rows:     []int{2, 3, 4},
			problems: map[int]string{5: "统一社会信用代码: \"9.14107E+17\" 被表格软件存成了数字"},
			check: func(t *testing.T, res Result) {
				for i, want := range []string{codeA, codeB, codeC} {
					if got := res.Enterprises[i].Enterprise.Code; got != want {
						t.Errorf("code %d = %q, want %q", i, got, want)
					}
				}
			}},
		{name: "revenue units", in: []byte(
			"企业名称,统一社会信用代码,批次,2024年营业收入（元）,2025年营业收入(千元)\n" +
				"甲," + codeA + ",1,\"58,000,000\",58000.5\n"),
			rows: []int{2},
			check: func(t *testing.T, res Result) {
				want := []model.YearRevenue{{Year: 2024, Wan: "5800"}, {Year: 2025, Wan: "5800.05"}}
				if got := res.Enterprises[0].Enterprise.Revenue; !reflect.DeepEqual(got, want) {
					t.Errorf("revenue = %v, want %v", got, want)
				}
			}},
		{name: "bad check digit", in: []byte(header + "\n甲," + codeBad + ",1,,,,,,,,,,,,,\n"),
			problems: map[int]string{2: "第 2 行: 统一社会信用代码: 校验位错误: 第 18 位应为 U，实际为 T"}},
		{name: "negative revenue", in: []byte(header + "\n甲," + codeA + ",1,,,,,,-5,10,,,,,,\n"),
			problems: map[int]string{2: "营业收入: 2024 年为负数（-5 万元）"}},
		{name: "revenue not a number", in: []byte(header + "\n甲," + codeA + ",1,,,,,,约五千,,,,,,,\n"),
			problems: map[int]string{2: "营业收入: 2024 年: 不是有效数字"}},
		{name: "batch 4", in: []byte(header + "\n甲," + codeA + ",4,,,,,,,,,,,,,\n"),
			problems: map[int]string{2: "第 2 行: 批次: 应为 1–3，实际 4"}},
		{name: "every problem of a row", in: []byte(header + "\n," + codeBad + ",第五批,,中型,市级,也许,,,,,,12345,not-an-email,,\n"),
			problems: map[int]string{2: "第 2 行: 企业名称: 不能为空；统一社会信用代码: 校验位错误: 第 18 位应为 U，实际为 T；" +
				"批次: 应为 1–3，实际 5；规模: 无法识别 \"中型\"，应为 规上 或 规下；" +
				"专精特新: 无法识别 \"市级\"，应为 否、省级 或 国家级（小巨人）；市级及以下请填「否」；" +
				"省级以上智能工厂: 无法识别 \"也许\"，应为 是 或 否；" +
				"联系人 1: 电话 \"12345\" 格式不正确；联系人 1: 邮箱 \"not-an-email\" 格式不正确"}},
		{name: "duplicate code", in: []byte(
			"企业名称,统一社会信用代码,批次\n甲," + codeA + ",1\n乙," + codeB + ",1\n丙," + strings.ToLower(codeA) + ",2\n"),
			rows: []int{2, 3}, problems: map[int]string{4: "第 4 行: 统一社会信用代码: 与第 2 行重复"}},
		{name: "duplicate of a bad row", in: []byte(
			"企业名称,统一社会信用代码,批次\n甲," + codeA + ",9\n乙," + codeA + ",1\n"),
			problems: map[int]string{2: "批次", 3: "与第 2 行重复"}},
		{name: "blank lines keep spreadsheet row numbers", in: []byte(
			"企业名称,统一社会信用代码,批次\n\n甲," + codeA + ",1\n,,\n  ,\t, \n\n乙," + codeB + ",4\n\"丙\n（多行名称）\"," + codeC + ",1\n丁,x,1\n"),
			rows: []int{3, 8}, problems: map[int]string{7: "批次", 9: "统一社会信用代码"},
			check: func(t *testing.T, res Result) {
				// A wrapped cell is one name (issue 9: names are one line).
				if got := res.Enterprises[1].Enterprise.Name; got != "丙（多行名称）" {
					t.Errorf("multi-line name = %q", got)
				}
			}},
		{name: "title rows above the header", in: []byte(
			"新乡经开区 2025 年中小企业数字化转型试点企业名单,,\n制表日期：2025-03-01,,\n\n序号,企业名称,统一社会信用代码,批次\n1,甲," + codeA + ",1\n"),
			rows: []int{5}, ignored: []string{"序号"}},
		{name: "ignored and duplicate columns", in: []byte(
			"序号,企业名称,统一社会信用代码,批次,联系人,联系电话,手机,2024年营业收入增长率（%）\n1,甲," + codeA + ",1,王经理,0373-1234567,13800000001,12%\n"),
			rows: []int{2}, ignored: []string{"序号", "手机（与「联系电话」重复）", "2024年营业收入增长率（%）"}},
		{name: "quotes inside an unquoted cell are literal", in: []byte(
			"企业名称,统一社会信用代码,批次\n新乡\"示例\"公司," + codeA + ",1\n\"乙\"\"丙\"\"\"," + codeB + ",1\n"),
			rows: []int{2, 3},
			check: func(t *testing.T, res Result) {
				if a, b := res.Enterprises[0].Enterprise.Name, res.Enterprises[1].Enterprise.Name; a != `新乡"示例"公司` || b != `乙"丙"` {
					t.Errorf("names = %q, %q", a, b)
				}
			}},
		{name: "unclosed quote", in: []byte(
			"企业名称,统一社会信用代码,批次\n乙," + codeB + ",1\n\"甲," + codeA + ",1\n丙," + codeC + ",1\n"),
			rows: []int{2}, problems: map[int]string{3: "英文双引号没有闭合，从这一行起到文件末尾共 2 行未能读取"}},
		{name: "missing required column", in: []byte("企业名称,统一社会信用代码,所属行业\n甲," + codeA + ",制造业\n"),
			err: "名单缺少必填列「批次」（表头在第 1 行）"},
		{name: "missing two required columns", in: []byte("统一社会信用代码\n" + codeA + "\n"),
			err: "名单缺少必填列「企业名称」「批次」"},
		{name: "no header", in: []byte("a,b,c\n1,2,3\n"), err: "没有找到表头"},
		{name: "revenue without year", in: []byte("企业名称,统一社会信用代码,批次,营业收入（万元）\n"),
			err: "营业收入列「营业收入（万元）」应写明一个年份"},
		{name: "revenue without year after the name column", in: []byte("统一社会信用代码,上年营业收入,企业名称,批次\n"),
			err: "营业收入列「上年营业收入」应写明一个年份"},
		{name: "two columns for one year", in: []byte("企业名称,统一社会信用代码,批次,2024年营业收入,营业收入2024（元）\n"),
			err: "都是 2024 年营业收入"},
		{name: "empty", in: nil, err: "名单是空的"},
		{name: "header only", in: []byte(header + "\n"), rows: nil},
		{name: "xlsx named csv", in: []byte("PK\x03\x04rest"), err: "请把扩展名改为 .xlsx"},
		{name: "binary", in: []byte("企业名称\x00"), err: "不是 CSV 文本文件"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ReadCSV(bytes.NewReader(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ReadCSV() error = %v, want %q", err, tt.err)
				}
				if !errors.Is(err, model.ErrInvalid) {
					t.Errorf("error %v is not model.ErrInvalid", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadCSV() error = %v", err)
			}
			var rows []int
			for _, p := range res.Enterprises {
				rows = append(rows, p.Row)
			}
			if !reflect.DeepEqual(rows, tt.rows) {
				t.Errorf("enterprise rows = %v, want %v; problems: %v", rows, tt.rows, res.Problems)
			}
			if len(res.Problems) != len(tt.problems) {
				t.Errorf("problems = %v, want rows %v", res.Problems, tt.problems)
			}
			for _, p := range res.Problems {
				want, ok := tt.problems[p.Row]
				if !ok || !strings.Contains(p.Error(), want) {
					t.Errorf("problem %q, want row %d to contain %q", p.Error(), p.Row, want)
				}
				if !errors.Is(p, model.ErrInvalid) {
					t.Errorf("problem %v is not model.ErrInvalid", p)
				}
			}
			if !reflect.DeepEqual(res.Ignored, tt.ignored) {
				t.Errorf("Ignored = %q, want %q", res.Ignored, tt.ignored)
			}
			if tt.check != nil && len(res.Enterprises) == len(tt.rows) {
				tt.check(t, res)
			}
		})
	}
}

func TestRowErrorFields(t *testing.T) {
	res, err := ReadCSV(strings.NewReader(header + "\n甲," + codeA + ",4,,,,,,-1,,,,,,,\n"))
	if err != nil || len(res.Problems) != 1 {
		t.Fatalf("ReadCSV() = %+v, %v", res, err)
	}
	var fes model.FieldErrors
	if !errors.As(res.Problems[0], &fes) {
		t.Fatalf("problem %v holds no model.FieldErrors", res.Problems[0])
	}
	var keys []string
	for _, fe := range fes {
		keys = append(keys, fe.Field)
	}
	if want := []string{model.FieldBatch, model.FieldRevenue}; !reflect.DeepEqual(keys, want) {
		t.Errorf("fields = %v, want %v", keys, want)
	}
}

func TestFields(t *testing.T) {
	res, err := ReadCSV(strings.NewReader("企业名称,统一社会信用代码,批次,电话,2024年营业收入\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{model.FieldName, model.FieldCode, model.FieldBatch, model.FieldContacts, model.FieldRevenue}
	if !reflect.DeepEqual(res.Fields, want) {
		t.Errorf("Fields = %v, want %v", res.Fields, want)
	}
}

func TestLimits(t *testing.T) {
	in := "企业名称,统一社会信用代码,批次\n甲," + codeA + ",1\n乙," + codeB + ",1\n"
	if _, err := readCSV(strings.NewReader(in), limits{bytes: 20, rows: 10}); err == nil || !strings.Contains(err.Error(), "名单文件超过 20 字节的上限") {
		t.Errorf("byte limit: error = %v", err)
	}
	if _, err := readCSV(strings.NewReader(in), limits{bytes: 1000, rows: 2}); err == nil || !strings.Contains(err.Error(), "名单超过 2 行的上限") {
		t.Errorf("row limit: error = %v", err)
	}
	if res, err := readCSV(strings.NewReader(in), limits{bytes: int64(len(in)), rows: 3}); err != nil || len(res.Enterprises) != 2 {
		t.Errorf("at the limits: %+v, %v", res, err)
	}
	big := bytes.Repeat([]byte{'a'}, MaxFileSize+1)
	if _, err := ReadCSV(bytes.NewReader(big)); err == nil || !strings.Contains(err.Error(), "32 MiB") {
		t.Errorf("ReadCSV(33 MiB) error = %v", err)
	}
}

func TestReadFile(t *testing.T) {
	res, err := ReadFile(filepath.Join("testdata", "roster-sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Enterprises) != 4 || len(res.Problems) != 1 || res.Problems[0].Row != 5 {
		t.Errorf("sample: %d enterprises, problems %v; want 4 and one on row 5", len(res.Enterprises), res.Problems)
	}
	for _, p := range res.Enterprises {
		if err := p.Enterprise.Validate(); err != nil {
			t.Errorf("row %d: %v", p.Row, err)
		}
	}

	dir := t.TempDir()
	sample, err := os.ReadFile(filepath.Join("testdata", "roster-sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	upper := filepath.Join(dir, "名单.CSV")
	if err := os.WriteFile(upper, sample, 0o600); err != nil {
		t.Fatal(err)
	}
	if res, err := ReadFile(upper); err != nil || len(res.Enterprises) != 4 {
		t.Errorf("ReadFile(.CSV) = %d enterprises, %v", len(res.Enterprises), err)
	}

	if err := os.Mkdir(filepath.Join(dir, "目录.csv"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path, want string
		kind       error
	}{
		{filepath.Join(dir, "名单.txt"), "不支持的名单文件类型 \".txt\"", model.ErrInvalid},
		{filepath.Join(dir, "名单"), "不支持的名单文件类型", model.ErrInvalid},
		{filepath.Join(dir, "名单.xls"), "另存为 .xlsx 或 .csv", model.ErrInvalid},
		{filepath.Join(dir, "missing.csv"), "名单文件不存在", model.ErrNotFound},
		{filepath.Join(dir, "目录.csv"), "这是一个目录", model.ErrInvalid},
	} {
		_, err := ReadFile(tt.path)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, tt.kind) {
			t.Errorf("ReadFile(%q) error = %v, want %q (%v)", tt.path, err, tt.want, tt.kind)
		}
	}
}

func TestParseRevenue(t *testing.T) {
	for _, tt := range []struct {
		in          string
		u           unit
		spreadsheet bool
		want        model.Decimal
		ok          bool
		problem     string
	}{
		{"5800", 0, false, "5800", true, ""},
		{"5800万元", 0, false, "5800", true, ""},
		{"５８００．５", 0, false, "5800.5", true, ""},
		{"-", 0, false, "", false, ""},
		{"", 0, false, "", false, ""},
		{"1e3", 0, false, "", true, "不是有效数字"},
		{"1e3", 0, true, "1000", true, ""},
		{"5800.499999999999", 0, true, "5800.5", true, ""},
		{"0.30000000000000004", 0, true, "0.3", true, ""},
		{"1.5", 4, false, "15000", true, ""},
		{"12345", -4, false, "1.2345", true, ""},
		{"1e400", 0, true, "", true, "不是有效数字"},
		{"NaN", 0, true, "", true, "不是有效数字"},
	} {
		got, ok, problem := parseRevenue(tt.in, tt.u, tt.spreadsheet)
		if got != tt.want || ok != tt.ok || !strings.Contains(problem, tt.problem) || (tt.problem == "") != (problem == "") {
			t.Errorf("parseRevenue(%q, %d, %v) = %q, %v, %q; want %q, %v, %q", tt.in, tt.u, tt.spreadsheet, got, ok, problem, tt.want, tt.ok, tt.problem)
		}
	}
}

func TestCSVScanner(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want [][]string
	}{
		{"", nil},
		{"a,b", [][]string{{"a", "b"}}},
		{"a,b\n", [][]string{{"a", "b"}}},
		{"a,b,\n", [][]string{{"a", "b", ""}}},
		{"a,b,", [][]string{{"a", "b", ""}}},
		{"a\n\nb\n", [][]string{{"a"}, {""}, {"b"}}},
		{"a\r\nb\rc\n", [][]string{{"a"}, {"b"}, {"c"}}},
		{"\"a,\"\"b\"\"\nc\",d\n", [][]string{{"a,\"b\"\nc", "d"}}},
		{"\"a\"b,c", [][]string{{"ab", "c"}}},
		{"a\"b\",c", [][]string{{"a\"b\"", "c"}}},
		{"=\"0123\",x", [][]string{{"=\"0123\"", "x"}}},
		{"\"open,x\ny\n", [][]string{{"open,x\ny\n"}}},
		{",", [][]string{{"", ""}}},
	} {
		sc := csvScanner{text: tt.in, delim: ','}
		var got [][]string
		var rec []string
		for {
			var ok bool
			if rec, _, _, ok = sc.next(rec); !ok {
				break
			}
			got = append(got, append([]string(nil), rec...))
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("scan(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
