package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Config is what to mutate (targets.txt), the curated mutants
// (curated.txt) and the survivors accepted with a reason (accepted.txt).
type Config struct {
	// Tests maps a package directory to the packages whose tests run
	// against its mutants (default: the package itself).
	Tests   map[string][]string
	Targets []Target
	Curated []Curated
	// Accepted maps a mutant ID to why its survival is acceptable.
	Accepted map[string]string
}

// A Target selects declarations of one file by an anchored regexp.
type Target struct {
	File  string
	Funcs *regexp.Regexp
}

// Curated is a hand-written mutant: the bug a review found or feared.
type Curated struct {
	Name, File, Func, From, To, Why string
}

// Packages lists the package directories with targets or curated
// mutants, in a stable order.
func (c *Config) Packages() []string {
	seen := map[string]bool{}
	for _, t := range c.Targets {
		seen[pkgOf(t.File)] = true
	}
	for _, m := range c.Curated {
		seen[pkgOf(m.File)] = true
	}
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// TestPackages are the go test arguments for a package's mutants.
func (c *Config) TestPackages(pkg string) []string {
	if t := c.Tests[pkg]; len(t) > 0 {
		return t
	}
	return []string{"./" + pkg}
}

// LoadConfig reads the three files from dir.
func LoadConfig(dir string) (*Config, error) {
	c := &Config{Tests: map[string][]string{}, Accepted: map[string]string{}}
	if err := c.loadTargets(filepath.Join(dir, "targets.txt")); err != nil {
		return nil, err
	}
	blocks, err := readBlocks(filepath.Join(dir, "curated.txt"))
	if err != nil {
		return nil, err
	}
	for _, b := range blocks {
		m := Curated{Name: b["name"], File: b["file"], Func: b["func"], From: b["from"], To: b["to"], Why: b["why"]}
		if m.Name == "" || m.File == "" || m.From == "" || m.Why == "" {
			return nil, fmt.Errorf("curated.txt: block at line %s needs name, file, from, to and why", b["@line"])
		}
		c.Curated = append(c.Curated, m)
	}
	blocks, err = readBlocks(filepath.Join(dir, "accepted.txt"))
	if err != nil {
		return nil, err
	}
	for _, b := range blocks {
		if b["id"] == "" || b["why"] == "" {
			return nil, fmt.Errorf("accepted.txt: block at line %s needs id and why", b["@line"])
		}
		for _, id := range strings.Fields(b["id"]) {
			c.Accepted[id] = b["why"]
		}
	}
	return c, nil
}

// targets.txt: "tests PKG TESTPKG..." and "FILE FUNCREGEXP" lines;
// # starts a comment.
func (c *Config) loadTargets(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		switch {
		case len(fields) == 0:
		case fields[0] == "tests" && len(fields) >= 3:
			c.Tests[fields[1]] = fields[2:]
		case len(fields) == 2:
			re, err := regexp.Compile("^(?:" + fields[1] + ")$")
			if err != nil {
				return fmt.Errorf("%s:%d: %v", path, n, err)
			}
			c.Targets = append(c.Targets, Target{File: fields[0], Funcs: re})
		default:
			return fmt.Errorf("%s:%d: want FILE FUNCREGEXP or tests PKG TESTPKG...", path, n)
		}
	}
	return sc.Err()
}

// readBlocks reads "key: value" blocks separated by blank lines; a line
// starting with whitespace continues the previous value, # a comment.
func readBlocks(path string) ([]map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []map[string]string
	var cur map[string]string
	last := ""
	for n, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "#"):
			continue
		case strings.TrimSpace(line) == "":
			if cur != nil {
				out = append(out, cur)
			}
			cur, last = nil, ""
			continue
		case (line[0] == ' ' || line[0] == '\t') && cur != nil && last != "":
			cur[last] += " " + strings.TrimSpace(line)
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want key: value", path, n+1)
		}
		if cur == nil {
			cur = map[string]string{"@line": fmt.Sprint(n + 1)}
		}
		last = strings.TrimSpace(k)
		// from and to keep their spaces: they are code.
		if last == "from" || last == "to" {
			cur[last] = strings.TrimPrefix(v, " ")
		} else {
			cur[last] = strings.TrimSpace(v)
		}
	}
	if cur != nil {
		out = append(out, cur)
	}
	return out, nil
}

// CuratedMutant finds m's From in its file (in its Func when given); it
// must occur exactly once.
func CuratedMutant(root string, m Curated) (Mutant, error) {
	src, err := os.ReadFile(filepath.Join(root, m.File))
	if err != nil {
		return Mutant{}, err
	}
	lo, hi := 0, len(src)
	if m.Func != "" {
		s, e, err := funcRange(src, m.File, m.Func)
		if err != nil {
			return Mutant{}, fmt.Errorf("curated %s: %v", m.Name, err)
		}
		lo, hi = s, e
	}
	body := string(src[lo:hi])
	if n := strings.Count(body, m.From); n != 1 {
		return Mutant{}, fmt.Errorf("curated %s: %q occurs %d times in %s %s (want once): update curated.txt", m.Name, m.From, n, m.File, m.Func)
	}
	start := lo + strings.Index(body, m.From)
	return Mutant{
		ID:    "curated/" + m.Name,
		Pkg:   pkgOf(m.File),
		File:  m.File,
		Line:  1 + strings.Count(string(src[:start]), "\n"),
		Col:   start - strings.LastIndex(string(src[:start]), "\n"),
		Op:    "curated",
		Start: start, End: start + len(m.From),
		Repl: m.To,
		Orig: m.From,
		Why:  m.Why,
	}, nil
}
