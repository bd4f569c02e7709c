package report

import (
	"io"
	"iter"
)

// Column is one column of a Sheet.
type Column struct {
	Header string
	// Width is the column's width in the workbook (Excel's character units).
	Width float64
	Kind  ColumnKind
}

// Sheet is a table of text cells written as one worksheet or one CSV file,
// through the same writers as the laptop's roll-up and the platform's
// export (writeColumnsXLSX, writeColumnsCSV): the district dashboard's
// tables download with the rows of their page, printed and protected the
// same way.
type Sheet struct {
	Name string
	// Title names the workbook (its properties); "" uses Name.
	Title   string
	Columns []Column
}

// columns are the sheet's columns over rows of strings; a short row's
// missing cells are empty.
func (s Sheet) columns() []column[[]string] {
	out := make([]column[[]string], len(s.Columns))
	for i, c := range s.Columns {
		out[i] = column[[]string]{header: c.Header, width: max(c.Width, 4), kind: c.Kind, value: func(row []string) string {
			if i < len(row) {
				return row[i]
			}
			return ""
		}}
	}
	return out
}

// WriteSheetXLSX writes the rows (one string per column; a row's slice may
// be reused for the next) as one streamed sheet: a frozen header row, wrapped
// long text, numbers as numbers, identifiers as text, A4 print setup.
func WriteSheetXLSX(w io.Writer, s Sheet, rows iter.Seq[[]string]) error {
	title := s.Title
	if title == "" {
		title = s.Name
	}
	return writeColumnsXLSX(w, s.Name, title, s.columns(), rows)
}

// WriteSheetCSV writes the rows as UTF-8 CSV with a byte-order mark,
// identifiers as text formulas and text defused against formulas (see
// WriteRollupCSV).
func WriteSheetCSV(w io.Writer, s Sheet, rows iter.Seq[[]string]) error {
	return writeColumnsCSV(w, s.columns(), rows)
}
