package platform

import (
	"strings"
	"testing"
)

// requireProblems: got are the want problems, in order (each contains
// its want).
func requireProblems(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("problems %q, want %q", got, want)
	}
	for i, w := range want {
		if !strings.Contains(got[i], w) {
			t.Errorf("problem %d is %q, want %q", i, got[i], w)
		}
	}
}

// checker fed with records (no bodies: their "missing body" problems are
// not what these tests look at).
func checker(recs ...Record) *Checker {
	c := NewChecker()
	for _, r := range recs {
		c.Report(r.ID, r, nil)
	}
	return c
}

func TestSequenceChecks(t *testing.T) {
	seqs := func(ns ...uint64) []Record {
		var out []Record
		for i, n := range ns {
			out = append(out, Record{ID: string(rune('A' + i)), Seq: n})
		}
		return out
	}
	cases := []struct {
		name    string
		recs    []Record
		counter uint64
		want    []string // problems about the sequence, in order
	}{
		{"1..3", seqs(1, 2, 3), 3, nil},
		{"none", nil, 0, nil},
		{"a gap", seqs(1, 3), 3, []string{"服务器序号计数器为 3，报告 2 份", "服务器序号不连续: 缺少 [2]"}},
		{"the last missing", seqs(1, 2), 3, []string{"服务器序号计数器为 3，报告 2 份", "缺少 [3]"}},
		{"at most ten missing named", seqs(1), 30, []string{"计数器为 30，报告 1 份", "缺少 [2 3 4 5 6 7 8 9 10 11]"}},
		// Six numbers beyond the counter, so that map order is not sorted by
		// chance (with two it was, half the time).
		{"beyond the counter, sorted", seqs(1, 9, 7, 8, 5, 6, 4), 1, []string{"计数器为 1，报告 7 份",
			"报告 G 的服务器序号 4 超出", "报告 E 的服务器序号 5 超出", "报告 F 的服务器序号 6 超出",
			"报告 C 的服务器序号 7 超出", "报告 D 的服务器序号 8 超出", "报告 B 的服务器序号 9 超出计数器 1"}},
		{"zero", seqs(0, 1), 2, []string{"缺少 [2]", "报告 A 的服务器序号 0 超出计数器 2"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ch := checker(c.recs...)
			before := len(ch.Problems())
			ch.Sequence(c.counter)
			requireProblems(t, ch.Problems()[before:], c.want)
		})
	}
}

func TestReplacementChecks(t *testing.T) {
	a := Record{ID: "A", Seq: 1, Enterprise: "E1"}
	b := Record{ID: "B", Seq: 2, Enterprise: "E1", Replaces: "A"}
	cases := []struct {
		name     string
		recs     []Record
		replaced map[string]string
		want     []string
	}{
		{"a linked revision", []Record{a, b}, map[string]string{"A": "B"}, nil},
		{"a revision of a version not stored", []Record{b}, map[string]string{"A": "B"}, nil},
		{"a link to a missing revision", []Record{a}, map[string]string{"A": "X"}, []string{"A 被 X 取代，但该修订版不存在或未声明"}},
		{"a link the revision does not declare", []Record{a, {ID: "B", Seq: 2, Enterprise: "E1"}}, map[string]string{"A": "B"}, []string{"A 被 B 取代，但该修订版不存在或未声明"}},
		{"a revision of itself", []Record{{ID: "C", Seq: 1, Enterprise: "E1", Replaces: "C"}}, map[string]string{"C": "C"}, []string{"报告 C 声明修订它自己"}},
		{"a revision without its link", []Record{a, b}, map[string]string{}, []string{`修订版 B 声明取代 A，但修订记录为 ""`}},
		{"a revision of another enterprise", []Record{a, {ID: "B", Seq: 2, Enterprise: "E2", Replaces: "A"}}, map[string]string{"A": "B"},
			[]string{"修订版 B 属于企业 E2，被修订的版本 A 属于企业 E1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ch := checker(c.recs...)
			before := len(ch.Problems())
			ch.Replacements(c.replaced)
			requireProblems(t, ch.Problems()[before:], c.want)
		})
	}
}
