package model_test

import (
	"math/rand"
	"strings"
	"testing"

	"digilevel/model"
)

// gb32100 is a second implementation of the check character, written from
// GB 32100-2015 §4 and Annex (代码字符集 table, 校验码 formula) and sharing
// nothing with model/creditcode.go: the character values come from the
// standard's table, the weights Wi = 3^(i-1) mod 31 are computed, and
// C18 = 31 - (Σ Ci·Wi mod 31), where 31 stands for 0.
type gb32100 struct {
	value  map[byte]int
	char   map[int]byte
	weight [17]int
}

func newGB32100() *gb32100 {
	g := &gb32100{value: map[byte]int{}, char: map[int]byte{}}
	table := []struct {
		c byte
		v int
	}{
		{'0', 0}, {'1', 1}, {'2', 2}, {'3', 3}, {'4', 4}, {'5', 5}, {'6', 6}, {'7', 7}, {'8', 8}, {'9', 9},
		{'A', 10}, {'B', 11}, {'C', 12}, {'D', 13}, {'E', 14}, {'F', 15}, {'G', 16}, {'H', 17},
		{'J', 18}, {'K', 19}, {'L', 20}, {'M', 21}, {'N', 22}, {'P', 23}, {'Q', 24}, {'R', 25},
		{'T', 26}, {'U', 27}, {'W', 28}, {'X', 29}, {'Y', 30},
	}
	for _, e := range table {
		g.value[e.c], g.char[e.v] = e.v, e.c
	}
	w := 1
	for i := range g.weight {
		g.weight[i] = w
		w = w * 3 % 31
	}
	return g
}

func (g *gb32100) check(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += g.value[first17[i]] * g.weight[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return g.char[c]
}

// genuineCodes are fixed codes, structurally valid, one for every check
// character (0–9 and A–Y without I, O, Z, S, V). They were generated once
// with the second implementation above, not with the code under test, and
// are kept as literals so that a change of either side shows.
var genuineCodes = []string{
	"82413763126KRDKA60", "14826777UXCBCRYAC1", "5410190580CG8X1312", "54654485E9DABTNJM3",
	"284155851KRRC2HQG4", "A2440724C2MWQ8DN65", "43419143K7KM5JG7X6", "88824181JP9TUF0C87",
	"55441468HNWWRUBDE8", "28822273X9XF8RH4L9", "781062615N0XKH4FFA", "9241735735ME6A16LB",
	"13505562FPEDN7EQ4C", "36448611853562ACMD", "71824786HLDXW7L2LE", "646541059FU032BYWF",
	"713155895UXR7189NG", "28412080DAPGU276EH", "Y7318788NHMJ82LBGJ", "16442414EJHJPH868K",
	"51318142A0B94KQJGL", "N6112250XBQ0051WDM", "62828773G0GFGGEQAN", "73317388AH58M6MN2P",
	"93319039YU7TBEXK7Q", "25318679UANL70HLNR", "N510501008NUJDFN3T", "833161564JRR130EJU",
	"N81178579NUF3989FW", "Y81141628A1UA1TEDX", "36658088DQ8KGFB6TY",
	// Widely published codes (Tencent's, and the one quoted in texts on
	// the standard): the second implementation accepts them too.
	"9144030071526726XG", "91350100M000100Y43",
}

func TestCreditCodeAgainstGB32100(t *testing.T) {
	g := newGB32100()
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	checks := map[byte]bool{}
	for _, code := range genuineCodes {
		if got := g.check(code[:17]); got != code[17] {
			t.Fatalf("fixture %s: GB 32100 gives check %c (the fixture list is wrong)", code, got)
		}
		checks[code[17]] = true
		got, err := model.CreditCodeCheckChar(code[:17])
		if err != nil || got != code[17] {
			t.Errorf("CreditCodeCheckChar(%s) = %c, %v; want %c", code[:17], got, err, code[17])
		}
		if err := model.ValidateCreditCode(code); err != nil {
			t.Errorf("ValidateCreditCode(%s) refuses a valid code: %v", code, err)
		}
		if err := model.ValidateCreditCode(" " + strings.ToLower(code) + " "); err != nil {
			t.Errorf("ValidateCreditCode(%q) refuses a lower-case valid code: %v", strings.ToLower(code), err)
		}
		for i := 0; i < len(alphabet); i++ {
			if c := alphabet[i]; c != code[17] {
				bad := code[:17] + string(c)
				err := model.ValidateCreditCode(bad)
				if err == nil || !strings.Contains(err.Error(), "校验位") {
					t.Errorf("ValidateCreditCode(%s) with a wrong check character = %v, want a 校验位 error", bad, err)
				}
			}
		}
	}
	if len(checks) != len(alphabet) {
		t.Fatalf("the fixtures cover %d check characters, want all %d", len(checks), len(alphabet))
	}
	// Any 17 characters: both implementations agree.
	rng := rand.New(rand.NewSource(32100))
	for n := 0; n < 5000; n++ {
		var b [17]byte
		for i := range b {
			b[i] = alphabet[rng.Intn(len(alphabet))]
		}
		got, err := model.CreditCodeCheckChar(string(b[:]))
		if want := g.check(string(b[:])); err != nil || got != want {
			t.Fatalf("CreditCodeCheckChar(%s) = %c, %v; GB 32100 gives %c", b[:], got, err, want)
		}
	}
}

// Every single wrong character in the first 17 changes the check
// character (GB 32100's check detects any single substitution), so the
// code is refused whichever part it is in.
func TestCreditCodeRefusesEverySingleSubstitution(t *testing.T) {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	for _, code := range genuineCodes[:6] {
		for i := 0; i < 17; i++ {
			for j := 0; j < len(alphabet); j++ {
				if alphabet[j] == code[i] {
					continue
				}
				bad := code[:i] + string(alphabet[j]) + code[i+1:]
				if err := model.ValidateCreditCode(bad); err == nil {
					t.Fatalf("ValidateCreditCode(%s) accepts %s with position %d changed", bad, code, i+1)
				}
			}
		}
	}
}

func TestCreditCodeStructure(t *testing.T) {
	for _, tc := range []struct {
		code, want string
	}{
		{"9141070", "18 位"},
		{"91410700MA0015838Y1", "18 位"},
		{"914107００MA0015838Y", "18 位"},
		{"9141A700MA0015838Y", "第 3–8 位"},
		{"91410/00MA0015838Y", "第 3–8 位"},
		{"91410:00MA0015838Y", "第 3–8 位"},
		{"B1410700MA0015838Y", "第 1 位"},
		{"01410700MA0015838Y", "第 1 位"},
		{"90410700MA0015838Y", "第 2 位"},
		{"9A410700MA0015838Y", "第 2 位"},
		{"91990700MA0015838Y", "行政区划"},
		{"91000000MA0015838Y", "行政区划"},
		{"91410700MI0015838Y", "第 10 位"},
		{"91410700MA0015838I", "第 18 位 'I' 不是允许的字符"},
		{"000000000000000000", "第 1 位"},
	} {
		err := model.ValidateCreditCode(tc.code)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ValidateCreditCode(%s) = %v, want an error naming %q", tc.code, err, tc.want)
		}
	}
	// The edges of each range are accepted: 1 and 9, A, N and Y first;
	// 1 and 9 second; province 10 and 82.
	for _, code := range []string{"11100000000000000", "99820000000000000", "A1410700000000000", "N9410700000000000", "Y1410700000000000"} {
		c, err := model.CreditCodeCheckChar(code)
		if err != nil {
			t.Fatal(err)
		}
		if err := model.ValidateCreditCode(code + string(c)); err != nil {
			t.Errorf("ValidateCreditCode(%s%c) = %v, want nil", code, c, err)
		}
	}
	if _, err := model.CreditCodeCheckChar("9141070"); err == nil {
		t.Error("CreditCodeCheckChar of 7 characters: no error")
	}
}
