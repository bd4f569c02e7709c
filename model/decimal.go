package model

import (
	"fmt"
	"math/big"
	"strings"
)

// Decimal is an exact decimal number kept as its canonical text ("1234.5").
// The zero value is "no value". JSON accepts a number or a numeric string and
// writes a number.
type Decimal string

// MaxDecimalDigits bounds the digits of any number a user types, so a
// hostile input cannot make math/big work hard.
const MaxDecimalDigits = 30

// ParseDecimal reads a plain decimal ("12", "-3.5", "0.125"); no exponent,
// no thousands separators.
func ParseDecimal(s string) (Decimal, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("不是数字: 空值")
	}
	body := strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	whole, frac, dot := strings.Cut(body, ".")
	if whole == "" || (dot && frac == "") || len(whole)+len(frac) > MaxDecimalDigits {
		return "", fmt.Errorf("不是有效数字: %q", s)
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return "", fmt.Errorf("不是有效数字: %q", s)
		}
	}
	r, _ := new(big.Rat).SetString(s)
	return DecimalFromRat(r, len(frac)), nil
}

// MustDecimal is ParseDecimal for constants.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DecimalFromRat formats r with at most places decimals (half away from
// zero), trailing zeros removed.
func DecimalFromRat(r *big.Rat, places int) Decimal {
	s := r.FloatString(places)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return Decimal(s)
}

// IsZero reports whether the value is absent.
func (d Decimal) IsZero() bool { return d == "" }

// Rat is the exact value; an absent value is 0.
func (d Decimal) Rat() *big.Rat {
	r, ok := new(big.Rat).SetString(string(d))
	if !ok {
		return new(big.Rat)
	}
	return r
}

// Sign is -1, 0 or +1.
func (d Decimal) Sign() int { return d.Rat().Sign() }

// IsInteger reports whether the value has no fractional part.
func (d Decimal) IsInteger() bool { return d.Rat().IsInt() }

func (d Decimal) String() string { return string(d) }

// MarshalJSON writes a JSON number (null when absent).
func (d Decimal) MarshalJSON() ([]byte, error) {
	if d == "" {
		return []byte("null"), nil
	}
	return []byte(d), nil
}

// UnmarshalJSON accepts 12.5, "12.5" and null.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		*d = ""
		return nil
	}
	s = strings.Trim(s, `"`)
	v, err := ParseDecimal(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
