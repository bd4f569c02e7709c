package indicators

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Points is a score in thousandths of a point (milli-points). Every score
// of the 2024 edition is a multiple of 0.025, so integer milli-points add up
// exactly where float64 sums do not (0.7+... = 19.999999999999996 < 20).
type Points int64

// PointsScale is the number of Points in one displayed point.
const PointsScale = 1000

// ParsePoints reads a decimal such as "1.875", "40" or "-0.5" exactly. More
// than three decimals is an error: the value could not be stored exactly.
func ParsePoints(s string) (Points, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty number")
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && frac == "") {
		return 0, fmt.Errorf("%q is not a decimal number", s)
	}
	if len(frac) > 3 {
		return 0, fmt.Errorf("%q has more than 3 decimals", s)
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, fmt.Errorf("%q is not a decimal number", s)
			}
		}
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > 1<<40 {
		return 0, fmt.Errorf("%q is out of range", s)
	}
	frac += strings.Repeat("0", 3-len(frac))
	f, _ := strconv.ParseInt(frac, 10, 64)
	p := Points(w*PointsScale + f)
	if neg {
		p = -p
	}
	return p, nil
}

// MustPoints is ParsePoints for constants in tests and examples.
func MustPoints(s string) Points {
	p, err := ParsePoints(s)
	if err != nil {
		panic(err)
	}
	return p
}

// String formats the value with the fewest decimals that keep it exact:
// 43500 -> "43.5", 1875 -> "1.875", 20000 -> "20".
func (p Points) String() string { return string(p.appendText(nil)) }

// appendText appends String's text to b. It formats with strconv, not fmt:
// a report holds hundreds of these and every upload encodes them.
func (p Points) appendText(b []byte) []byte {
	v := int64(p)
	neg := v < 0
	if neg {
		b = append(b, '-')
	}
	// Work on the magnitude as uint64: -MinInt64 does not fit an int64.
	u := uint64(v)
	if neg {
		u = -u
	}
	b = strconv.AppendUint(b, u/PointsScale, 10)
	frac := u % PointsScale
	if frac == 0 {
		return b
	}
	b = append(b, '.', byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
	for b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	return b
}

// MarshalJSON writes the value as a JSON number with exact decimals.
func (p Points) MarshalJSON() ([]byte, error) { return p.appendText(nil), nil }

// UnmarshalJSON reads a JSON number (or a numeric string) without passing
// through float64.
func (p *Points) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	v, err := ParsePoints(s)
	if err != nil {
		return err
	}
	*p = v
	return nil
}
