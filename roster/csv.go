package roster

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"digilevel/model"
)

// File signatures: an XLSX is a ZIP; a legacy .xls or an encrypted
// workbook is an OLE compound file.
const (
	zipMagic = "PK\x03\x04"
	oleMagic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
)

func readCSV(r io.Reader, lim limits) (Result, error) {
	data, err := readAll(r, lim.bytes)
	if err != nil {
		return Result{}, err
	}
	text, foreign, err := decodeText(data)
	if err != nil {
		return Result{}, err
	}
	rows, err := csvRows(text, sniffDelimiter(text), lim.rows, foreign)
	if err != nil {
		return Result{}, err
	}
	return parse(rows, false)
}

// Text encodings a CSV line can be in.
const (
	encASCII = iota
	encUTF8
	encGB18030
)

func encodingName(e int) string {
	if e == encUTF8 {
		return "UTF-8"
	}
	return "GB18030/GBK"
}

// span is a byte range [start, end) of the decoded text, with the encoding
// its line was in when that was not the file's.
type span struct {
	start, end int
	enc, file  int
}

// decodeText returns the file as UTF-8 text without BOM. A file whose lines
// mix encodings (a GB18030 header saved by one program, UTF-8 rows pasted
// by another) is decoded line by line; the lines not in the file's encoding
// (the encoding of its first line with Chinese text, or UTF-8 after a BOM)
// are returned as foreign, so that their rows are reported instead of
// imported as mojibake.
func decodeText(data []byte) (string, []span, error) {
	declared := false
	switch {
	case bytes.HasPrefix(data, []byte(zipMagic)):
		return "", nil, model.Errorf(model.ErrInvalid, "文件内容是 XLSX 工作簿而不是 CSV：请把扩展名改为 .xlsx")
	case bytes.HasPrefix(data, []byte(oleMagic)):
		return "", nil, model.Errorf(model.ErrInvalid, "文件内容是旧版 .xls 工作簿或加密的工作簿而不是 CSV：请另存为 .xlsx 或 .csv")
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data, declared = data[3:], true
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", nil, model.Errorf(model.ErrInvalid, "无法按 UTF-16 解码文件")
		}
		return checkText(string(b), nil)
	}
	if utf8.Valid(data) {
		return checkText(string(data), nil)
	}
	lines := splitLines(data)
	file, mixed := encASCII, false
	if declared {
		file = encUTF8
	}
	for _, l := range lines {
		e := lineEncoding(l)
		if file == encASCII {
			file = e
		}
		if e != encASCII && e != file {
			mixed = true
		}
	}
	if !mixed {
		// One encoding throughout, and not UTF-8: GB18030 (GBK, GB2312).
		b, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			return "", nil, model.Errorf(model.ErrInvalid, "无法识别文件编码：既不是 UTF-8 也不是 GB18030/GBK")
		}
		return checkText(string(b), nil)
	}
	var b strings.Builder
	var foreign []span
	for _, l := range lines {
		e := lineEncoding(l)
		start := b.Len()
		if e == encGB18030 {
			d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(l)
			if err != nil {
				d = bytes.ToValidUTF8(l, []byte("\uFFFD"))
			}
			b.Write(d)
		} else {
			b.Write(l)
		}
		if e != encASCII && e != file {
			foreign = append(foreign, span{start: start, end: b.Len(), enc: e, file: file})
		}
	}
	return checkText(b.String(), foreign)
}

func checkText(text string, foreign []span) (string, []span, error) {
	if strings.ContainsRune(text, 0) {
		return "", nil, model.Errorf(model.ErrInvalid, "文件含有空字符，不是 CSV 文本文件")
	}
	return text, foreign, nil
}

// splitLines cuts data after each LF, CRLF or CR, keeping the breaks. A
// break byte never occurs inside a GB18030 or UTF-8 character.
func splitLines(data []byte) [][]byte {
	var out [][]byte
	for len(data) > 0 {
		i := bytes.IndexAny(data, "\r\n")
		if i < 0 {
			out = append(out, data)
			break
		}
		j := i + 1
		if data[i] == '\r' && j < len(data) && data[j] == '\n' {
			j++
		}
		out = append(out, data[:j])
		data = data[j:]
	}
	return out
}

func lineEncoding(l []byte) int {
	switch {
	case !utf8.Valid(l):
		return encGB18030
	case bytes.IndexFunc(l, func(r rune) bool { return r >= utf8.RuneSelf }) >= 0:
		return encUTF8
	}
	return encASCII
}

// foreignIn returns the first foreign span overlapping [start, end).
func foreignIn(foreign []span, start, end int) (span, bool) {
	for _, f := range foreign {
		if f.start < end && start < f.end {
			return f, true
		}
	}
	return span{}, false
}

// sniffDelimiter picks the separator that yields the best header among the
// first rows: the one with most recognized columns (comma on a tie or when
// none is recognized).
func sniffDelimiter(text string) byte {
	best, bestKnown := byte(','), 0
	for _, d := range []byte{',', '\t', ';'} {
		sc := csvScanner{text: text, delim: d}
		var rec []string
		for range headerSearchRows {
			var ok bool
			if rec, _, _, ok = sc.next(rec); !ok {
				break
			}
			for i := range rec {
				rec[i] = cleanCell(rec[i])
			}
			if l, _ := readHeader(1, rec); l.known > bestKnown {
				best, bestKnown = d, l.known
			}
		}
	}
	return best
}

// csvRows reads the non-blank records with their row numbers. A record
// whose quoted cell never closes becomes a row error.
func csvRows(text string, delim byte, maxRows int, foreign []span) ([]rawRow, error) {
	sc := csvScanner{text: text, delim: delim}
	var (
		rows []rawRow
		rec  []string
	)
	for num := 1; ; num++ {
		var (
			lines        int
			unclosed, ok bool
		)
		start := sc.pos
		if rec, lines, unclosed, ok = sc.next(rec); !ok {
			return rows, nil
		}
		r := rawRow{num: num}
		if f, bad := foreignIn(foreign, start, sc.pos); bad {
			r.err = model.Errorf(model.ErrInvalid, "本行的文字编码（%s）与文件其余部分（%s）不同：文件混用了两种编码，本行未导入；请用表格软件把整个文件另存为「CSV UTF-8」后重新导入",
				encodingName(f.enc), encodingName(f.file))
		} else if unclosed {
			r.err = model.Errorf(model.ErrInvalid, "CSV 格式错误: 英文双引号没有闭合，从这一行起到文件末尾共 %d 行未能读取（单元格中的双引号应写成两个，并给整个单元格加上双引号）", lines)
		} else {
			r.cells = make([]string, len(rec))
			for i, c := range rec {
				r.cells[i] = cleanCell(c)
			}
			if isBlank(r.cells) {
				continue
			}
		}
		if len(rows) >= maxRows {
			return nil, tooManyRows(maxRows)
		}
		rows = append(rows, r)
	}
}

// csvScanner splits CSV text into records the way spreadsheet programs
// read it, so each record is one spreadsheet row: a blank line is a (blank)
// record; a quoted cell may span lines and has "" for a quote; a quote
// elsewhere in a cell is literal; lines end with LF, CRLF or CR.
type csvScanner struct {
	text  string
	pos   int
	delim byte // an ASCII separator, so bytes can be compared in UTF-8
}

// next reads the next record into rec[:0]. lines is how many lines it
// spans; unclosed says a quoted cell ran to the end of the text; ok is false
// at the end.
func (s *csvScanner) next(rec []string) (_ []string, lines int, unclosed, ok bool) {
	t, i := s.text, s.pos
	if i >= len(t) {
		return rec[:0], 0, false, false
	}
	rec, lines = rec[:0], 1
	var b strings.Builder
	for {
		b.Reset()
		if t[i] == '"' {
			for i++; ; {
				j := strings.IndexByte(t[i:], '"')
				if j < 0 {
					lines += countLines(strings.TrimRight(t[i:], "\r\n"))
					b.WriteString(t[i:])
					i, unclosed = len(t), true
					break
				}
				lines += countLines(t[i : i+j])
				b.WriteString(t[i : i+j])
				i += j + 1
				if i < len(t) && t[i] == '"' {
					b.WriteByte('"')
					i++
					continue
				}
				break
			}
		}
		j := i
		for j < len(t) && t[j] != s.delim && t[j] != '\n' && t[j] != '\r' {
			j++
		}
		b.WriteString(t[i:j])
		rec = append(rec, b.String())
		i = j + 1
		switch {
		case j == len(t):
			i = j
		case t[j] == s.delim && i < len(t):
			continue
		case t[j] == s.delim:
			rec = append(rec, "") // a separator at the very end
		case t[j] == '\r' && i < len(t) && t[i] == '\n':
			i++
		}
		s.pos = i
		return rec, lines, unclosed, true
	}
}

// countLines counts the line breaks (LF, CRLF or CR) in s.
func countLines(s string) int {
	return strings.Count(s, "\n") + strings.Count(s, "\r") - strings.Count(s, "\r\n")
}

// DecodeText returns a CSV file's bytes as UTF-8 text without BOM: UTF-8
// (with or without BOM), UTF-16 with BOM or GB18030, with a Chinese error
// for a workbook saved under a .csv name. Other importers (solutions/) read
// spreadsheets' CSV exports the same way. A file whose lines mix two
// encodings is an error naming the first line in the other encoding (the
// roster itself reports such rows one by one).
func DecodeText(data []byte) (string, error) {
	text, foreign, err := decodeText(data)
	if err != nil || len(foreign) == 0 {
		return text, err
	}
	f := foreign[0]
	line := strings.Count(text[:f.start], "\n") + strings.Count(text[:f.start], "\r") - strings.Count(text[:f.start], "\r\n") + 1
	return "", model.Errorf(model.ErrInvalid, "文件混用了两种编码：第 %d 行是 %s，文件其余部分是 %s；请用表格软件把整个文件另存为「CSV UTF-8」后重新导入",
		line, encodingName(f.enc), encodingName(f.file))
}
