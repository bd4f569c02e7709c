package roster

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/text/width"

	"digilevel/model"
	"digilevel/safefile"
)

// Input limits.
const (
	// MaxFileSize bounds the size of a roster file in bytes.
	MaxFileSize = 32 << 20
	// MaxRows bounds the non-blank rows of a roster, header included.
	MaxRows = 100_000
	// headerSearchRows is how many non-blank rows may come before the header.
	headerSearchRows = 10
	// maxUnzipSize bounds the uncompressed size of an XLSX file.
	maxUnzipSize = 256 << 20
)

// Result is what a roster holds: the enterprises of the good rows, the
// problems of the bad ones, and the columns that were not used.
type Result struct {
	// Enterprises are the good rows in file order, normalized and valid.
	Enterprises []Parsed
	// Problems are the bad rows in file order.
	Problems []RowError
	// Ignored lists the header cells of unrecognized or duplicate columns,
	// as written (a duplicate says which column it repeats).
	Ignored []string
	// Fields lists the model field keys (model.FieldName, model.FieldBatch,
	// model.FieldSmartFactory, …) the file has a column for, so an update can leave
	// the other fields of an existing enterprise alone.
	Fields []string
	// Sheet is the worksheet read (XLSX only).
	Sheet string
}

// Parsed is a good row: its row number and the enterprise it describes.
type Parsed struct {
	Row        int
	Enterprise model.Enterprise
}

// RowError is a bad row: its row number and why it is bad. Err is usually a
// model.FieldErrors listing every problem of the row; it wraps
// model.ErrInvalid.
type RowError struct {
	Row int
	Err error
}

func (e RowError) Error() string { return fmt.Sprintf("第 %d 行: %v", e.Row, e.Err) }

// Unwrap returns the row's error.
func (e RowError) Unwrap() error { return e.Err }

// limits are the input bounds; tests use small ones.
type limits struct {
	bytes int64
	rows  int
}

func defaultLimits() limits { return limits{bytes: MaxFileSize, rows: MaxRows} }

// ReadFile reads a roster file, choosing the format by its extension (.csv
// or .xlsx, in any case).
func ReadFile(path string) (Result, error) {
	var read func(io.Reader, limits) (Result, error)
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv":
		read = readCSV
	case ".xlsx":
		read = readXLSX
	case ".xls", ".et", ".wps":
		return Result{}, model.Errorf(model.ErrInvalid, "不支持旧版表格格式 %s：请在 Excel 或 WPS 中另存为 .xlsx 或 .csv", ext)
	default:
		return Result{}, model.Errorf(model.ErrInvalid, "不支持的名单文件类型 %q：请使用 .csv 或 .xlsx", ext)
	}
	// Only a regular file, opened without blocking: a FIFO or a device
	// would hang or never end.
	f, _, err := safefile.Open(path, MaxFileSize)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Result{}, model.Errorf(model.ErrNotFound, "名单文件不存在: %s", path)
	case errors.Is(err, safefile.ErrTooLarge):
		return Result{}, tooBig(MaxFileSize)
	case err != nil:
		return Result{}, model.Errorf(model.ErrInvalid, "名单文件%v", err)
	}
	defer f.Close()
	return read(f, defaultLimits())
}

// ReadCSV reads a roster in CSV: UTF-8 (with or without BOM), GB18030/GBK
// or UTF-16 with BOM; separated by commas, tabs or semicolons.
func ReadCSV(r io.Reader) (Result, error) { return readCSV(r, defaultLimits()) }

// ReadXLSX reads a roster from the sheet named 企业名单 of an XLSX workbook,
// or from its first sheet if there is no such sheet.
func ReadXLSX(r io.Reader) (Result, error) { return readXLSX(r, defaultLimits()) }

// readAll reads at most lim bytes.
func readAll(r io.Reader, lim int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, lim+1))
	if err != nil {
		return nil, fmt.Errorf("读取名单文件: %w", err)
	}
	if int64(len(data)) > lim {
		return nil, tooBig(lim)
	}
	return data, nil
}

func tooBig(lim int64) error {
	if lim >= 1<<20 {
		return model.Errorf(model.ErrInvalid, "名单文件超过 %d MiB 的上限，请拆分后分批导入", lim>>20)
	}
	return model.Errorf(model.ErrInvalid, "名单文件超过 %d 字节的上限，请拆分后分批导入", lim)
}

func tooManyRows(lim int) error {
	return model.Errorf(model.ErrInvalid, "名单超过 %d 行的上限，请拆分后分批导入", lim)
}

// rawRow is a non-blank row of cleaned cells and its row number.
type rawRow struct {
	num   int
	cells []string
	err   error // a row the file format could not read (CSV quoting)
}

// isBlank reports a row of empty cells.
func isBlank(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

// parse turns rows into the result. spreadsheet says cells are raw
// spreadsheet values (numbers in binary-float text).
func parse(rows []rawRow, spreadsheet bool) (Result, error) {
	var res Result
	if len(rows) == 0 {
		return res, model.Errorf(model.ErrInvalid, "名单是空的：没有任何数据行")
	}
	var (
		lay   layout
		found bool
		start int
	)
	for i, r := range rows[:min(len(rows), headerSearchRows)] {
		if r.err != nil {
			continue
		}
		l, err := readHeader(r.num, r.cells)
		if l.isHeader() {
			if err != nil {
				return res, err
			}
			lay, found, start = l, true, i+1
			break
		}
	}
	if !found {
		return res, model.Errorf(model.ErrInvalid, "没有找到表头：前 %d 个非空行中都没有「企业名称」或「统一社会信用代码」列", headerSearchRows)
	}
	if m := lay.missing(); len(m) > 0 {
		return res, model.Errorf(model.ErrInvalid, "名单缺少必填列%s（表头在第 %d 行）", strings.Join(m, ""), lay.row)
	}
	res.Ignored, res.Fields = lay.ignored, lay.fields()
	seen := map[string]int{} // credit code → first row
	for _, r := range rows[start:] {
		if r.err != nil {
			res.Problems = append(res.Problems, RowError{Row: r.num, Err: r.err})
			continue
		}
		e, err := lay.enterprise(r.cells, spreadsheet)
		if model.ValidateCreditCode(e.Code) == nil {
			if first, dup := seen[e.Code]; dup {
				err = append(err, &model.FieldError{Field: model.FieldCode, Label: fieldCode.label(), Message: fmt.Sprintf("与第 %d 行重复", first)})
			} else {
				seen[e.Code] = r.num
			}
		}
		if len(err) > 0 {
			sort.SliceStable(err, func(i, j int) bool { return fieldRank(err[i].Field) < fieldRank(err[j].Field) })
			res.Problems = append(res.Problems, RowError{Row: r.num, Err: err})
			continue
		}
		res.Enterprises = append(res.Enterprises, Parsed{Row: r.num, Enterprise: e})
	}
	return res, nil
}

// enterprise builds, normalizes and validates the enterprise of a data row.
// The errors are the parsing problems, then Validate's for the fields that
// parsed.
func (l layout) enterprise(cells []string, spreadsheet bool) (model.Enterprise, model.FieldErrors) {
	get := func(f field) string {
		if c, ok := l.byField[f]; ok && c.index < len(cells) {
			if f == fieldNotes {
				return cells[c.index]
			}
			return oneLine(cells[c.index])
		}
		return ""
	}
	var errs model.FieldErrors
	bad := map[string]bool{}
	add := func(f field, label, msg string) {
		if msg != "" {
			errs = append(errs, &model.FieldError{Field: f.key(), Label: label, Message: msg})
			bad[f.key()] = true
		}
	}
	var e model.Enterprise
	var msg string
	e.Name = get(fieldName)
	e.Code, msg = parseCode(get(fieldCode))
	add(fieldCode, fieldCode.label(), msg)
	e.Batch, msg = parseBatch(get(fieldBatch))
	add(fieldBatch, fieldBatch.label(), msg)
	e.Industry = get(fieldIndustry)
	e.Scale, msg = parseScale(get(fieldScale))
	add(fieldScale, fieldScale.label(), msg)
	e.ZJTX, msg = parseZJTX(get(fieldZJTX))
	add(fieldZJTX, fieldZJTX.label(), msg)
	e.SmartFactory, msg = parseBool(get(fieldSmartFactory))
	add(fieldSmartFactory, fieldSmartFactory.label(), msg)
	e.PilotIndustry, msg = parseBool(get(fieldPilotIndustry))
	add(fieldPilotIndustry, fieldPilotIndustry.label(), msg)
	for _, c := range l.revenue {
		if c.index >= len(cells) {
			continue
		}
		v, ok, msg := parseRevenue(cells[c.index], c.unit, spreadsheet)
		add(fieldRevenue, fieldRevenue.label(), prefix(fmt.Sprintf("%d 年: ", c.year), msg))
		if ok && msg == "" {
			e.Revenue = append(e.Revenue, model.YearRevenue{Year: c.year, Wan: v})
		}
	}
	if name, role, phone, email := get(fieldContact), get(fieldRole), width.Fold.String(get(fieldPhone)), width.Fold.String(get(fieldEmail)); name+role+phone+email != "" {
		e.Contacts = []model.Contact{{Name: name, Role: role, Phone: phone, Email: email}}
	}
	e.Provider = get(fieldProvider)
	e.Address = get(fieldAddress)
	e.Notes = get(fieldNotes)
	var p model.Profile
	p.MainProducts, p.Region = get(fieldProducts), get(fieldRegion)
	p.Employees, msg = parseEmployees(get(fieldEmployees))
	add(fieldEmployees, fieldEmployees.label(), msg)
	p.Founded, msg = parseFounded(get(fieldFounded))
	add(fieldFounded, fieldFounded.label(), msg)
	if !p.IsZero() {
		e.Profile = &p
	}
	e.Normalize()

	var verrs model.FieldErrors
	if err := e.Validate(); err != nil && !errors.As(err, &verrs) {
		verrs = model.FieldErrors{{Field: "", Label: "企业", Message: err.Error()}}
	}
	for _, fe := range verrs {
		if !bad[fe.Field] {
			errs = append(errs, fe)
		}
	}
	return e, errs
}

// fieldRank orders field errors as the columns of a typical roster.
func fieldRank(key string) int {
	for i, k := range []string{model.FieldName, model.FieldCode, model.FieldBatch, model.FieldIndustry, model.FieldScale,
		model.FieldZJTX, model.FieldSmartFactory, model.FieldPilotIndustry, model.FieldRevenue, model.FieldProvider, model.FieldContacts, model.FieldAddress, model.FieldNotes} {
		if k == key {
			return i
		}
	}
	return 100
}

func prefix(p, msg string) string {
	if msg == "" {
		return ""
	}
	return p + msg
}
