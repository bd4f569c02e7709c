package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

const sample = `package sample

import "fmt"

var limits = [2]int{10, 20}

func Max(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func Sum(xs []int) (n int) {
	for i := 0; i < len(xs); i++ {
		n += xs[i]
	}
	if n < 0 && !ok(n) {
		return 0
	}
	log(fmt.Errorf("at %d", n+1))
	return n * 2
}

func Keys() []string { return []string{"esc", "q"} }

func Pass(f func() (int, error)) (int, error) {
	n, err := f()
	if err != nil {
		return 0, err
	}
	if err != nil {
		return 0, fmt.Errorf("wrapped: %w", err)
	}
	return n, nil
}

func ok(n int) bool { return true }
func log(error)     {}
`

func writeModule(t *testing.T, test string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":                "module sample\n\ngo 1.26\n",
		"sample/sample.go":      sample,
		"sample/max_test.go":    test,
		"internal/mutate/.keep": "",
	}
	for name, content := range files {
		path := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func find(t *testing.T, ms []Mutant, id string) Mutant {
	t.Helper()
	for _, m := range ms {
		if m.ID == id {
			return m
		}
	}
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.ID+" "+m.Describe())
	}
	t.Fatalf("no mutant %s among:\n%s", id, strings.Join(ids, "\n"))
	return Mutant{}
}

func apply(t *testing.T, root string, m Mutant) string {
	src, err := os.ReadFile(filepath.Join(root, m.File))
	if err != nil {
		t.Fatal(err)
	}
	return string(src[:m.Start]) + m.Repl + string(src[m.End:])
}

func TestSystematicOperators(t *testing.T) {
	root := writeModule(t, "package sample\n")
	ms, err := Systematic(root, "sample/sample.go", regexp.MustCompile(`^(?:Max|Sum|Keys|limits)$`))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		id, contains string
	}{
		{"sample/sample.go:Max/negate#1", "if a <= b {"},
		{"sample/sample.go:Max/boundary#1", "if a >= b {"},
		{"sample/sample.go:Max/branch#1", "if false && (a > b) {"},
		{"sample/sample.go:Sum/incdec#1", "i--"},
		{"sample/sample.go:Sum/assign#1", "if false { n += xs[i] }"},
		{"sample/sample.go:Sum/logical#1", "n < 0 || !ok(n)"},
		{"sample/sample.go:Sum/not#1", "n < 0 && ok(n)"},
		{"sample/sample.go:Sum/arith#1", "return n / 2"},
		{"sample/sample.go:Sum/call#1", "if false { log(fmt.Errorf(\"at %d\", n+1)) }"},
		{"sample/sample.go:Keys/drop#1", `[]string{"q"}`},
		{"sample/sample.go:Keys/drop#2", `[]string{"esc"}`},
		{"sample/sample.go:limits/const#1", "[2]int{11, 20}"},
	}
	for _, c := range cases {
		m := find(t, ms, c.id)
		if got := apply(t, root, m); !strings.Contains(got, c.contains) {
			t.Errorf("%s: mutated source lacks %q:\n%s", c.id, c.contains, got)
		}
	}
	for _, m := range ms {
		switch {
		case m.Line == 21 && m.Op != opCall:
			t.Errorf("%s mutates inside an error message: %s", m.ID, m.Describe())
		case m.Op == opConst && m.Orig == "2" && m.Line == 5:
			t.Errorf("%s mutates an array length", m.ID)
		case m.Op == opCall && strings.Contains(m.Orig, "i++"):
			t.Errorf("%s removes a for loop's post statement", m.ID)
		}
	}
	// A plain `if err != nil { return …, err }` is negated, not removed; a
	// wrapping one is removed too.
	pass, _ := Systematic(root, "sample/sample.go", regexp.MustCompile(`^Pass$`))
	branches := 0
	for _, m := range pass {
		if m.Op == opBranch {
			branches++
		}
	}
	if branches != 1 || find(t, pass, "sample/sample.go:Pass/negate#2").Repl != "==" {
		t.Errorf("Pass: %d branch mutants, want 1 (the wrapping return)", branches)
	}
	// IDs count per function: a mutant keeps its ID when another function
	// changes.
	again, _ := Systematic(root, "sample/sample.go", regexp.MustCompile(`^Max$`))
	if find(t, again, "sample/sample.go:Max/negate#1").Repl != "<=" {
		t.Error("IDs depend on what else is selected")
	}
}

func TestCuratedMustMatchOnce(t *testing.T) {
	root := writeModule(t, "package sample\n")
	m, err := CuratedMutant(root, Curated{Name: "max", File: "sample/sample.go", Func: "Max", From: "a > b", To: "a < b", Why: "x"})
	if err != nil || m.ID != "curated/max" || !strings.Contains(apply(t, root, m), "if a < b {") {
		t.Fatalf("%+v %v", m, err)
	}
	if _, err := CuratedMutant(root, Curated{Name: "twice", File: "sample/sample.go", From: "return", To: "", Why: "x"}); err == nil {
		t.Error("a From that occurs several times was accepted")
	}
	if _, err := CuratedMutant(root, Curated{Name: "gone", File: "sample/sample.go", Func: "Nope", From: "a", To: "", Why: "x"}); err == nil {
		t.Error("an unknown function was accepted")
	}
}

func TestReadBlocks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.txt")
	os.WriteFile(path, []byte("# comment\nid: a b\n  c\nwhy: one\n  two\n\nname: x\nfrom:  a  b\n"), 0o644)
	blocks, err := readBlocks(path)
	if err != nil || len(blocks) != 2 {
		t.Fatalf("%v %v", blocks, err)
	}
	if blocks[0]["id"] != "a b c" || blocks[0]["why"] != "one two" || blocks[1]["from"] != " a  b" {
		t.Errorf("%q", blocks)
	}
}

// The runner tells a caught mutant from a survivor and from one that does
// not compile, on a real go test of a small module.
func TestRunnerClassifies(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds a module three times")
	}
	root := writeModule(t, `package sample

import "testing"

func TestMax(t *testing.T) {
	if Max(1, 2) != 2 || Max(3, 2) != 3 {
		t.Fatal("Max")
	}
}
`)
	ms, err := Systematic(root, "sample/sample.go", regexp.MustCompile(`^Max$`))
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{Root: root, Tmp: t.TempDir()}
	broken := find(t, ms, "sample/sample.go:Max/negate#1")
	broken.ID, broken.Repl = "broken", "<=>"
	for _, c := range []struct {
		m    Mutant
		want Status
	}{
		{find(t, ms, "sample/sample.go:Max/negate#1"), Caught},
		{find(t, ms, "sample/sample.go:Max/boundary#1"), Survived}, // a >= b: the same maximum
		{broken, NotViable},
	} {
		st, out, err := r.Run(c.m, []string{"./sample"}, 2*time.Minute)
		if err != nil || st != c.want {
			t.Errorf("%s: %s %v, want %s\n%s", c.m.ID, st, err, c.want, out)
		}
	}
	if src, _ := os.ReadFile(filepath.Join(root, "sample/sample.go")); string(src) != sample {
		t.Error("the run changed the work tree")
	}
}
