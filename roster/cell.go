package roster

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"digilevel/model"
)

// cleanCell trims a cell and undoes the tricks spreadsheets use to keep a
// number as text: a leading apostrophe ('9135…) and a text formula
// (="9135…").
func cleanCell(s string) string {
	s = strings.TrimFunc(s, isBlankRune)
	if len(s) >= 3 && strings.HasPrefix(s, `="`) && strings.HasSuffix(s, `"`) {
		s = strings.TrimFunc(s[2:len(s)-1], isBlankRune)
	}
	if rest, ok := strings.CutPrefix(s, "'"); ok {
		s = strings.TrimFunc(rest, isBlankRune)
	}
	return s
}

// oneLine joins the lines of a cell meant to hold one line (a name, an
// address): a spreadsheet wraps long text with Alt+Enter, which is layout,
// not content. The break goes with the blanks around it; a space is kept
// only between two Latin letters or digits (新乡市红旗\n机械 -> 新乡市红旗机械,
// Smart\nFactory -> Smart Factory). Other control characters stay, for
// model.CheckText to refuse with the row.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") {
		return s
	}
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		if rs[i] != '\n' && rs[i] != '\r' && rs[i] != '\t' {
			out = append(out, rs[i])
			continue
		}
		for len(out) > 0 && isBlankRune(out[len(out)-1]) {
			out = out[:len(out)-1]
		}
		j := i
		for j < len(rs) && isBlankRune(rs[j]) {
			j++
		}
		if len(out) > 0 && j < len(rs) && isLatin(out[len(out)-1]) && isLatin(rs[j]) {
			out = append(out, ' ')
		}
		i = j - 1
	}
	return string(out)
}

func isLatin(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// compact folds full-width forms (ＡＢ１２ typed with a Chinese input method)
// and removes every space.
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if isBlankRune(r) {
			return -1
		}
		return r
	}, width.Fold.String(s))
}

// isEmptyMark reports the marks people write for "nothing" in a table.
func isEmptyMark(s string) bool {
	switch s {
	case "", "-", "--", "/", "—", "——", "无":
		return true
	}
	return false
}

// parseCode compacts a credit code. problem is set when the code was
// obviously mangled by a spreadsheet into a number (9.13501E+17).
func parseCode(s string) (code, problem string) {
	s = compact(s)
	if _, err := strconv.ParseFloat(s, 64); err == nil && strings.ContainsAny(s, "eE") {
		return s, fmt.Sprintf("%q 被表格软件存成了数字，请把该列设为文本后重新填写", s)
	}
	return s, ""
}

// parseBatch reads 1, 第一批, 一, 第1批次, 1.0, 首批 … An out-of-range number
// (第四批) is returned as is for Validate to report.
func parseBatch(s string) (int, string) {
	t := strings.TrimPrefix(compact(s), "第")
	if rest, ok := strings.CutSuffix(t, "批次"); ok {
		t = rest
	} else {
		t = strings.TrimSuffix(t, "批")
	}
	t = strings.TrimSuffix(t, ".0")
	switch t {
	case "":
		return 0, "不能为空"
	case "首", "壹":
		return 1, ""
	case "贰":
		return 2, ""
	case "叁":
		return 3, ""
	}
	if i := strings.Index("一二三四五六七八九", t); i >= 0 && i%len("一") == 0 && len(t) == len("一") {
		return i/len("一") + 1, ""
	}
	if n, err := strconv.Atoi(t); err == nil && len(t) <= 6 {
		return n, ""
	}
	return 0, fmt.Sprintf("无法识别 %q，应为 1、2、3 或 第一批、第二批、第三批", s)
}

// parseBool reads 是/否 in its many spellings; blank is false.
func parseBool(s string) (bool, string) {
	switch strings.ToLower(compact(s)) {
	case "是", "有", "y", "yes", "true", "1", "√", "✓", "✔":
		return true, ""
	case "", "否", "无", "没有", "n", "no", "false", "0", "×", "✗", "-", "--", "/", "—":
		return false, ""
	}
	return false, fmt.Sprintf("无法识别 %q，应为 是 或 否", s)
}

// parseScale reads 规上/规下; blank is unknown.
func parseScale(s string) (model.Scale, string) {
	t := strings.TrimSuffix(strings.ToLower(compact(s)), "企业")
	switch t {
	case "规模以上", "规上工业":
		return model.ScaleAbove, ""
	case "规模以下":
		return model.ScaleBelow, ""
	case "-", "--", "/", "—":
		return model.ScaleUnknown, ""
	}
	if sc, err := model.ParseScale(t); err == nil {
		return sc, ""
	}
	return model.ScaleUnknown, fmt.Sprintf("无法识别 %q，应为 规上 或 规下", s)
}

// parseZJTX reads a 专精特新 standing; blank is none.
func parseZJTX(s string) (model.ZJTX, string) {
	t := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`"'“”‘’「」『』`, r) {
			return -1
		}
		return r
	}, strings.ToLower(compact(s)))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "企业"), "中小")
	switch {
	case isEmptyMark(t) || t == "非专精特新":
		return model.ZJTXNone, ""
	case t == "省级专精特新":
		return model.ZJTXProvincial, ""
	case t == "国家级专精特新" || t == "专精特新小巨人" || t == "国家级专精特新小巨人" || t == "国家专精特新小巨人":
		return model.ZJTXNational, ""
	}
	if z, err := model.ParseZJTX(t); err == nil {
		return z, ""
	}
	msg := fmt.Sprintf("无法识别 %q，应为 否、省级 或 国家级（小巨人）", s)
	switch {
	case t == "是":
		msg += "；请写明省级或国家级"
	case containsAny(t, "市", "区", "县"):
		msg += "；市级及以下请填「否」"
	}
	return "", msg
}

// parseRevenue reads one revenue cell of a column in unit u and returns it
// in 万元; ok is false for a blank cell. spreadsheet says the text is a raw
// spreadsheet number, which is rounded to the 15 significant digits the
// spreadsheet shows (5800.499999999999 is 5800.5).
func parseRevenue(s string, u unit, spreadsheet bool) (d model.Decimal, ok bool, problem string) {
	t := strings.ReplaceAll(compact(s), ",", "")
	if u == 0 {
		if rest, cut := strings.CutSuffix(t, "万元"); cut {
			t = rest
		} else {
			t = strings.TrimSuffix(t, "万")
		}
	}
	if isEmptyMark(t) {
		return "", false, ""
	}
	if spreadsheet {
		t = roundSpreadsheetNumber(t)
	}
	v, err := model.ParseDecimal(t)
	if err != nil {
		return "", true, err.Error()
	}
	if u == 0 {
		return v, true, ""
	}
	_, frac, _ := strings.Cut(string(v), ".")
	r := v.Rat()
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(int(u)))), nil))
	if u < 0 {
		r.Quo(r, scale)
	} else {
		r.Mul(r, scale)
	}
	return model.DecimalFromRat(r, len(frac)+max(0, -int(u))), true, ""
}

// roundSpreadsheetNumber rounds a raw binary-float text to 15 significant
// digits; other text is returned unchanged.
func roundSpreadsheetNumber(s string) string {
	if s == "" || strings.Trim(s, "0123456789.+-eE") != "" {
		return s
	}
	digits := 0
	for _, r := range strings.TrimLeft(strings.SplitN(strings.ToLower(s), "e", 2)[0], "+-0.") {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits <= 15 && !strings.ContainsAny(s, "eE") {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(f, 'e', 14, 64))
	if !ok || r.Num().BitLen() > 256 || r.Denom().BitLen() > 256 {
		return s // far outside any revenue; ParseDecimal reports it
	}
	return string(model.DecimalFromRat(r, 20))
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// parseEmployees reads a head count; a spreadsheet may write 120 as "120.0".
func parseEmployees(s string) (int, string) {
	s = strings.TrimSuffix(strings.TrimSuffix(compact(s), "人"), ".0")
	if s == "" || isEmptyMark(s) {
		return 0, ""
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Sprintf("应为人数（整数），实际 %q", s)
	}
	return n, ""
}

// parseFounded reads a date written 2012-05-18, 2012/5/18, 2012.5.18 or
// 2012年5月18日.
func parseFounded(s string) (string, string) {
	s = compact(s)
	if s == "" || isEmptyMark(s) {
		return "", ""
	}
	r := strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-")
	parts := strings.Split(r.Replace(s), "-")
	if len(parts) == 3 {
		y, e1 := strconv.Atoi(parts[0])
		m, e2 := strconv.Atoi(parts[1])
		d, e3 := strconv.Atoi(parts[2])
		if e1 == nil && e2 == nil && e3 == nil {
			if date, err := model.ParseDate("成立日期", fmt.Sprintf("%04d-%02d-%02d", y, m, d)); err == nil {
				return date, ""
			}
		}
	}
	return "", fmt.Sprintf("应为日期，如 2012-05-18，实际 %q", s)
}
