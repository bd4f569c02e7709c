package roster

import (
	"bytes"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"digilevel/model"
)

// rosterSheet is the sheet read in preference to the first one.
const rosterSheet = "企业名单"

func readXLSX(r io.Reader, lim limits) (Result, error) {
	data, err := readAll(r, lim.bytes)
	if err != nil {
		return Result{}, err
	}
	switch {
	case bytes.HasPrefix(data, []byte(oleMagic)):
		return Result{}, model.Errorf(model.ErrInvalid, "文件是旧版 .xls 工作簿或加密的工作簿：请取消密码并另存为 .xlsx 或 .csv")
	case !bytes.HasPrefix(data, []byte(zipMagic)):
		return Result{}, model.Errorf(model.ErrInvalid, "文件不是 XLSX 工作簿")
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipSize})
	if err != nil {
		return Result{}, model.Errorf(model.ErrInvalid, "无法读取 XLSX 工作簿: %w", err)
	}
	defer f.Close()

	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return Result{}, model.Errorf(model.ErrInvalid, "XLSX 工作簿中没有工作表")
	}
	sheet := sheets[0]
	for _, s := range sheets {
		if strings.TrimSpace(s) == rosterSheet {
			sheet = s
			break
		}
	}
	it, err := f.Rows(sheet)
	if err != nil {
		return Result{}, model.Errorf(model.ErrInvalid, "无法读取工作表「%s」: %w", sheet, err)
	}
	defer it.Close()
	var rows []rawRow
	// Next visits every row number, gaps included, so num is the row number.
	for num := 1; it.Next(); num++ {
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return Result{}, model.Errorf(model.ErrInvalid, "无法读取工作表「%s」第 %d 行: %w", sheet, num, err)
		}
		for i, c := range cells {
			cells[i] = cleanCell(c)
		}
		if isBlank(cells) {
			continue
		}
		if len(rows) >= lim.rows {
			return Result{}, tooManyRows(lim.rows)
		}
		rows = append(rows, rawRow{num: num, cells: cells})
	}
	if err := it.Error(); err != nil {
		return Result{}, model.Errorf(model.ErrInvalid, "无法读取工作表「%s」: %w", sheet, err)
	}
	// The iterator ends silently at malformed XML: find where, so that the
	// rows from there on are reported instead of dropped.
	broken, err := brokenSheetRow(data, sheet)
	if err != nil {
		return Result{}, model.Errorf(model.ErrInvalid, "无法读取工作表「%s」: %v", sheet, err)
	}
	if broken > 0 {
		kept := rows[:0]
		for _, r := range rows {
			if r.num < broken {
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	res, err := parse(rows, true)
	if err != nil {
		if broken > 0 {
			return Result{}, model.Errorf(model.ErrInvalid, "工作表「%s」从第 %d 行起内容损坏（XML 格式错误），无法读取：请用 Excel 或 WPS 打开后重新保存，再导入", sheet, broken)
		}
		return Result{}, err
	}
	if broken > 0 {
		res.Problems = append(res.Problems, RowError{Row: broken, Err: model.Errorf(model.ErrInvalid,
			"从本行起工作表内容损坏（XML 格式错误），本行及以下各行都未能读取、未导入；请用 Excel 或 WPS 打开后重新保存，再导入")})
	}
	res.Sheet = sheet
	return res, nil
}
