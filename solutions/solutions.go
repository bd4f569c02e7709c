// Package solutions reads a pool of 小快轻准 digital-transformation
// solutions (Art. 4, 8, 11 of the district plan: 供需适配) from JSON, CSV or
// XLSX into model.Solution values, reporting bad rows by number with the
// reason, like roster/ does for enterprise rosters.
//
// # File format
//
// JSON (UTF-8):
//
//	{"format": "digilevel-solutions/1", "example": false, "solutions": [
//	  {"id": "S-001", "name": "…", "provider": "…",
//	   "serves": [{"scenario": "SC06", "levels": [2, 3]}],
//	   "price_band": "3–8 万元/年", "deployment": "cloud", "references": "…"}]}
//
// "example": true at the top marks the whole file as a 示例 pool; a
// solution may also carry "example": true itself.
//
// CSV (UTF-8, with or without BOM, or GB18030) and XLSX (first sheet) have a
// header row with these columns, in any order (the first five required):
//
//	编号 | 名称 | 服务商 | 适用场景 | 部署方式 | 价格区间 | 参考案例 | 示例
//
// 适用场景 lists scenarios with the levels served, e.g. "SC06:2-3;SC05:2"
// (ranges or comma lists); 部署方式 is 云端/本地 (or cloud/local); 示例 is
// 是/否. Every text passes model.CheckText; one bad row never stops the
// others.
package solutions

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/roster"
	"digilevel/safefile"
)

// Format is the JSON pool format this package reads.
const Format = "digilevel-solutions/1"

// MaxFileSize bounds a pool file.
const MaxFileSize = 8 << 20

// RowError is one rejected solution: its row (CSV/XLSX line, or position
// in the JSON list) and why.
type RowError struct {
	Row int
	Err error
}

func (e RowError) Error() string { return fmt.Sprintf("第 %d 行: %v", e.Row, e.Err) }

// Unwrap exposes the cause.
func (e RowError) Unwrap() error { return e.Err }

// Result is what a pool file holds: the good solutions and the bad rows.
type Result struct {
	Solutions []model.Solution
	Problems  []RowError
}

// ReadFile reads a pool by its extension: .json, .csv or .xlsx.
func ReadFile(path string, cat *indicators.Catalog) (Result, error) {
	// A regular file only, opened without blocking (a FIFO or a device
	// would hang or never end).
	data, err := safefile.Read(path, MaxFileSize)
	switch {
	case errors.Is(err, safefile.ErrTooLarge):
		return Result{}, model.Errorf(model.ErrInvalid, "解决方案文件 %s 超过 %d 字节上限", path, MaxFileSize)
	case err != nil:
		return Result{}, model.Errorf(model.ErrInvalid, "解决方案文件%v", err)
	}
	source := filepath.Base(path)
	var res Result
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		res, err = readJSON(data, cat)
	case ".csv":
		var text string
		if text, err = roster.DecodeText(data); err == nil {
			var rows [][]string
			var lines []int
			if rows, lines, err = csvRecords(text); err == nil {
				res, err = readRows(rows, lines, cat)
			}
		}
	case ".xlsx":
		res, err = readXLSX(data, cat)
	default:
		return Result{}, model.Errorf(model.ErrInvalid, "解决方案文件应为 .json、.csv 或 .xlsx，实际 %q", filepath.Ext(path))
	}
	if err != nil {
		return Result{}, err
	}
	for i := range res.Solutions {
		res.Solutions[i].Source = source
	}
	return res, nil
}

type poolFile struct {
	Format    string           `json:"format"`
	Example   bool             `json:"example"`
	Title     string           `json:"title,omitempty"`
	Note      string           `json:"note,omitempty"`
	Solutions []model.Solution `json:"solutions"`
}

func readJSON(data []byte, cat *indicators.Catalog) (Result, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f poolFile
	if err := dec.Decode(&f); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return Result{}, model.Errorf(model.ErrInvalid, "解决方案文件不是有效的 JSON（第 %d 字节附近）", syn.Offset)
		case errors.As(err, &typ):
			return Result{}, model.Errorf(model.ErrInvalid, "解决方案文件的字段 %q 类型不对", typ.Field)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return Result{}, model.Errorf(model.ErrInvalid, "解决方案文件含有未知字段 %s（见 docs/diagnosis.md 的文件格式）", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return Result{}, model.Errorf(model.ErrInvalid, "解决方案文件不是有效的 JSON")
	}
	if f.Format != Format {
		return Result{}, model.Errorf(model.ErrInvalid, "解决方案文件格式应为 %s，实际 %q", Format, f.Format)
	}
	if len(f.Solutions) > model.MaxPoolSize {
		return Result{}, model.Errorf(model.ErrInvalid, "解决方案超过 %d 条上限", model.MaxPoolSize)
	}
	var res Result
	seen := map[string]bool{}
	for i, s := range f.Solutions {
		s.Example = s.Example || f.Example
		s.Source = ""
		if err := check(s, cat, seen); err != nil {
			res.Problems = append(res.Problems, RowError{Row: i + 1, Err: err})
			continue
		}
		res.Solutions = append(res.Solutions, s)
	}
	return res, nil
}

func check(s model.Solution, cat *indicators.Catalog, seen map[string]bool) error {
	if err := s.Validate(cat); err != nil {
		return err
	}
	if seen[s.ID] {
		return model.Errorf(model.ErrInvalid, "编号 %s 重复", s.ID)
	}
	seen[s.ID] = true
	return nil
}

func readXLSX(data []byte, cat *indicators.Catalog) (Result, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return Result{}, model.Errorf(model.ErrInvalid, "不是有效的 XLSX 工作簿（旧版 .xls 或加密的工作簿请另存为 .xlsx 或 .csv）")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return Result{}, model.Errorf(model.ErrInvalid, "工作簿没有工作表")
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return Result{}, model.Errorf(model.ErrInvalid, "无法读取工作表 %s", sheets[0])
	}
	lines := make([]int, len(rows))
	for i := range lines {
		lines[i] = i + 1
	}
	return readRows(rows, lines, cat)
}

// csvRecords reads every record with the line it starts on, so a problem
// names the line a person sees in an editor (encoding/csv skips blank
// lines, which would shift a plain count).
func csvRecords(text string) ([][]string, []int, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	var rows [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, lines, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, nil, model.Errorf(model.ErrInvalid, "CSV 第 %d 行格式错误（引号不配对或引号位置不对）", pe.StartLine)
			}
			return nil, nil, model.Errorf(model.ErrInvalid, "CSV 格式错误")
		}
		if len(rows) > model.MaxPoolSize {
			return nil, nil, model.Errorf(model.ErrInvalid, "解决方案超过 %d 条上限", model.MaxPoolSize)
		}
		line, _ := r.FieldPos(0)
		rows = append(rows, rec)
		lines = append(lines, line)
	}
}

// Column keys of the CSV/XLSX header.
var columns = map[string]string{
	"编号": "id", "名称": "name", "解决方案名称": "name", "服务商": "provider", "适用场景": "serves",
	"部署方式": "deployment", "价格区间": "price", "参考案例": "references", "示例": "example",
}

func readRows(rows [][]string, lines []int, cat *indicators.Catalog) (Result, error) {
	if len(rows) == 0 {
		return Result{}, model.Errorf(model.ErrInvalid, "文件为空")
	}
	if len(rows)-1 > model.MaxPoolSize {
		return Result{}, model.Errorf(model.ErrInvalid, "解决方案超过 %d 条上限", model.MaxPoolSize)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		if k, ok := columns[strings.TrimSpace(h)]; ok {
			col[k] = i
		}
	}
	var missing []string
	for _, k := range []struct{ key, label string }{{"id", "编号"}, {"name", "名称"}, {"provider", "服务商"}, {"serves", "适用场景"}, {"deployment", "部署方式"}} {
		if _, ok := col[k.key]; !ok {
			missing = append(missing, k.label)
		}
	}
	if len(missing) > 0 {
		return Result{}, model.Errorf(model.ErrInvalid, "表头缺少列: %s（应有 编号、名称、服务商、适用场景、部署方式，可选 价格区间、参考案例、示例）", strings.Join(missing, "、"))
	}
	cell := func(row []string, key string) string {
		i, ok := col[key]
		if !ok || i >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[i])
	}
	var res Result
	seen := map[string]bool{}
	for n, row := range rows[1:] {
		blank := true
		for _, c := range row {
			if strings.TrimSpace(c) != "" {
				blank = false
			}
		}
		if blank {
			continue
		}
		s, err := parseRow(cell, row)
		if err == nil {
			err = check(s, cat, seen)
		}
		if err != nil {
			res.Problems = append(res.Problems, RowError{Row: lines[n+1], Err: err})
			continue
		}
		res.Solutions = append(res.Solutions, s)
	}
	return res, nil
}

func parseRow(cell func([]string, string) string, row []string) (model.Solution, error) {
	s := model.Solution{ID: cell(row, "id"), Name: cell(row, "name"), Provider: cell(row, "provider"),
		PriceBand: cell(row, "price"), References: cell(row, "references")}
	switch d := cell(row, "deployment"); d {
	case "云端", "云", "cloud", "SaaS", "saas":
		s.Deployment = "cloud"
	case "本地", "local", "本地部署":
		s.Deployment = "local"
	case "":
	default:
		return s, model.Errorf(model.ErrInvalid, "部署方式应为 云端 或 本地，实际 %q", d)
	}
	switch e := cell(row, "example"); e {
	case "是", "示例", "yes", "true", "1":
		s.Example = true
	case "", "否", "no", "false", "0":
	default:
		return s, model.Errorf(model.ErrInvalid, "示例列应为 是 或 否，实际 %q", e)
	}
	serves, err := ParseServes(cell(row, "serves"))
	if err != nil {
		return s, err
	}
	s.Serves = serves
	return s, nil
}

// ParseServes reads "SC06:2-3;SC05:2,3" into scenarios and levels.
func ParseServes(text string) ([]model.ScenarioLevel, error) {
	var out []model.ScenarioLevel
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == ';' || r == '；' || r == '\n' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		sc, lv, ok := strings.Cut(strings.ReplaceAll(part, "：", ":"), ":")
		if !ok {
			return nil, model.Errorf(model.ErrInvalid, "适用场景 %q 应写成 场景:等级，如 SC06:2-3", part)
		}
		sl := model.ScenarioLevel{Scenario: strings.ToUpper(strings.TrimSpace(sc))}
		for _, r := range strings.FieldsFunc(lv, func(r rune) bool { return r == ',' || r == '，' || r == ' ' }) {
			lo, hi, isRange := strings.Cut(r, "-")
			a, err1 := strconv.Atoi(lo)
			b := a
			var err2 error
			if isRange {
				b, err2 = strconv.Atoi(hi)
			}
			if err1 != nil || err2 != nil || b < a || b-a > 10 {
				return nil, model.Errorf(model.ErrInvalid, "适用场景 %q 的等级 %q 应为 1–4 的数字或范围（如 2-3）", part, r)
			}
			for l := a; l <= b; l++ {
				sl.Levels = append(sl.Levels, l)
			}
		}
		out = append(out, sl)
	}
	return out, nil
}
