package model

import (
	"fmt"
	"strings"
)

// The 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character set
// (digits and capitals without I, O, Z, S, V); the last one is a check digit
// over the first 17 with weights 3^i mod 31.
const creditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// NormalizeCreditCode trims the code and upper-cases it.
func NormalizeCreditCode(code string) string {
	return strings.ToUpper(strings.TrimSpace(code))
}

// CreditCodeCheckChar computes the check character of the first 17
// characters of a code.
func CreditCodeCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fmt.Errorf("需要 17 位，实际 %d 位", len(first17))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCodeAlphabet, first17[i])
		if v < 0 {
			return 0, fmt.Errorf("第 %d 位 %q 不是允许的字符（数字或除 I、O、Z、S、V 外的大写字母）", i+1, first17[i])
		}
		sum += v * creditCodeWeights[i]
	}
	c := (31 - sum%31) % 31
	return creditCodeAlphabet[c], nil
}

// ValidateCreditCode checks length, character set, the administrative
// division digits and the check digit. The message names what is wrong.
func ValidateCreditCode(code string) error {
	code = NormalizeCreditCode(code)
	if n := len([]rune(code)); n != 18 || len(code) != 18 {
		return fmt.Errorf("应为 18 位，实际 %d 位", n)
	}
	for i := 2; i < 8; i++ {
		if code[i] < '0' || code[i] > '9' {
			return fmt.Errorf("第 3–8 位（登记管理机关行政区划码）应为数字，第 %d 位为 %q", i+1, code[i])
		}
	}
	want, err := CreditCodeCheckChar(code[:17])
	if err != nil {
		return err
	}
	if strings.IndexByte(creditCodeAlphabet, code[17]) < 0 {
		return fmt.Errorf("第 18 位 %q 不是允许的字符", code[17])
	}
	if code[17] != want {
		return fmt.Errorf("校验位错误: 第 18 位应为 %c，实际为 %c", want, code[17])
	}
	return nil
}
