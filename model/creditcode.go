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

// registrationAuthorities are the first characters GB 32100 allows (登记管理
// 部门代码): 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教,
// 8 工会, 9 工商 (市场监管), A 中央军委改革和编制办公室, N 农业, Y 其他.
const registrationAuthorities = "123456789ANY"

// provinceCodes are the first two digits of a GB/T 2260 administrative
// division (the code's characters 3–8), plus 10 for codes registered by a
// national authority (100000).
var provinceCodes = map[string]bool{
	"10": true,
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true,
}

// ValidateCreditCode checks the structure GB 32100 gives a code (length,
// character set, a registration authority and an organisation category in
// characters 1–2, an administrative division in 3–8) and the check digit.
// The check digit alone passes codes such as 000000000000000000 (the
// weighted sum of zeros is zero), so the structure is checked too. The
// message names what is wrong.
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
	if strings.IndexByte(registrationAuthorities, code[0]) < 0 {
		return fmt.Errorf("第 1 位（登记管理部门代码）应为 1–9、A、N 或 Y，实际为 %q", code[0])
	}
	if code[1] < '1' || code[1] > '9' {
		return fmt.Errorf("第 2 位（机构类别代码）应为 1–9，实际为 %q", code[1])
	}
	if !provinceCodes[code[2:4]] {
		return fmt.Errorf("第 3–8 位（登记管理机关行政区划码）%s 不是有效的行政区划", code[2:8])
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

// SyntheticCreditCode is the i-th credit code of the clearly synthetic
// enterprises of benchmarks and seeded test platforms ("91410700MA" and
// seven digits of i in the code alphabet, with a valid check character).
func SyntheticCreditCode(i int) (string, error) {
	const digits = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	body := []byte("91410700MA0000000")
	for p, v := 16, i; p >= 10; p-- {
		body[p] = digits[v%31]
		v /= 31
	}
	check, err := CreditCodeCheckChar(string(body))
	if err != nil {
		return "", err
	}
	return string(body) + string(check), nil
}
