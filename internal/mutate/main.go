// Command mutate is the project's mutation test: it changes the code that
// decides money and data one small step at a time (a comparison negated or
// moved by one, an arithmetic operator swapped, a constant changed, a call,
// an assignment or a branch removed, a key unbound; plus a curated list of
// bugs reviews found) and runs the affected packages' tests against each
// change. A change no test notices is a surviving mutant: a missing test,
// or a change that is no bug (then accepted.txt says why).
//
// Usage (from the module root; scripts/mutate.sh wraps it):
//
//	go run ./internal/mutate [-curated] [-list] [-match RE] [-j N] [PKG...]
//
// It prints every mutant's outcome and a table of caught/total per
// package, and exits 1 when a package scores below -min or a survivor is
// not accepted. What to mutate is in internal/mutate/targets.txt; the
// method and the latest numbers are in docs/testing.md.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"
)

func main() {
	curatedOnly := flag.Bool("curated", false, "only the curated mutants (the fast subset CI runs)")
	list := flag.Bool("list", false, "list the mutants and run nothing")
	match := flag.String("match", "", "only mutants whose ID matches this regexp")
	jobs := flag.Int("j", 1, "mutants tested at the same time")
	factor := flag.Float64("timeout-factor", 3, "a mutant's time limit is this many times the unmutated run, plus 20s")
	min := flag.Float64("min", 90, "the lowest acceptable score of a package, in percent")
	short := flag.Bool("short", true, "run the tests with -short (skips the LibreOffice, chromium and kill -9 checks)")
	verbose := flag.Bool("v", false, "print the test output of every survivor")
	flag.Parse()

	root, err := os.Getwd()
	if err != nil {
		fail(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		fail(fmt.Errorf("run from the module root (go.mod not found)"))
	}
	cfg, err := LoadConfig(filepath.Join(root, "internal", "mutate"))
	if err != nil {
		fail(err)
	}
	pkgs := flag.Args()
	if len(pkgs) == 0 {
		pkgs = cfg.Packages()
	}
	var re *regexp.Regexp
	if *match != "" {
		if re, err = regexp.Compile(*match); err != nil {
			fail(err)
		}
	}
	mutants, err := collect(root, cfg, pkgs, *curatedOnly, re)
	if err != nil {
		fail(err)
	}
	// An accepted ID that names no mutant any more was written for code
	// that changed: its reason may now sit on another mutant.
	stale := 0
	if !*curatedOnly && re == nil {
		ids := map[string]bool{}
		for _, m := range mutants {
			ids[m.ID] = true
		}
		selected := map[string]bool{}
		for _, p := range pkgs {
			selected[strings.Trim(strings.TrimPrefix(p, "./"), "/")] = true
		}
		for id := range cfg.Accepted {
			file, _, _ := strings.Cut(id, ":")
			if selected[pkgOf(file)] && !ids[id] {
				fmt.Printf("stale\t%s\t(in accepted.txt but no such mutant: update it)\n", id)
				stale++
			}
		}
	}
	if *list {
		for _, m := range mutants {
			fmt.Printf("%s\t%s\n", m.ID, m.Describe())
		}
		fmt.Printf("%d mutants\n", len(mutants))
		return
	}
	tmp, err := os.MkdirTemp("", "digilevel-mutate-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(tmp)
	flags := []string{}
	if *short {
		flags = append(flags, "-short")
	}
	r := &Runner{Root: root, Tmp: tmp, Flags: flags}
	// Stopped (ctrl+c, kill): end the test runs too, not only this process.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		r.Stop()
		os.RemoveAll(tmp)
		os.Exit(130)
	}()

	results := map[string]*tally{}
	unexplained := 0
	for _, pkg := range pkgs {
		var mine []Mutant
		for _, m := range mutants {
			if m.Pkg == pkg {
				mine = append(mine, m)
			}
		}
		if len(mine) == 0 {
			continue
		}
		tests := cfg.TestPackages(pkg)
		start := time.Now()
		st, out, err := r.Baseline(tests, 20*time.Minute)
		if err != nil || st != Survived {
			fmt.Print(out)
			fail(fmt.Errorf("%s: the unmutated tests do not pass (%v %v): fix them first", pkg, st, err))
		}
		base := time.Since(start)
		limit := time.Duration(float64(base)*(*factor)) + 20*time.Second
		fmt.Printf("== %s: %d mutants, tests %s (unmutated %s, limit %s each)\n",
			pkg, len(mine), strings.Join(tests, " "), base.Round(time.Second), limit.Round(time.Second))
		t := &tally{}
		results[pkg] = t
		var mu sync.Mutex
		work := make(chan Mutant)
		var wg sync.WaitGroup
		for w := 0; w < max(*jobs, 1); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for m := range work {
					st, out, err := r.Run(m, tests, limit)
					mu.Lock()
					if err != nil {
						fmt.Printf("error\t%s\t%v\n", m.ID, err)
					} else {
						why, accepted := cfg.Accepted[m.ID]
						t.add(st, accepted)
						mark := ""
						if st == NotViable && m.Op == "curated" {
							// A curated mutant that does not compile tests
							// nothing: the list must be fixed.
							unexplained++
							mark = "\t(a curated mutant must compile: fix curated.txt)"
						}
						if st == Survived {
							if accepted {
								mark = "\t(accepted: " + oneLine(why) + ")"
							} else {
								unexplained++
							}
						}
						fmt.Printf("%-10s\t%s\t%s%s\n", st, m.ID, m.Describe(), mark)
						if st == Survived && *verbose {
							fmt.Println(out)
						}
					}
					mu.Unlock()
				}
			}()
		}
		for _, m := range mine {
			work <- m
		}
		close(work)
		wg.Wait()
	}
	fmt.Println()
	printTable(os.Stdout, pkgs, results)
	low := false
	for _, t := range results {
		if t.score() < *min {
			low = true
		}
	}
	if unexplained > 0 || low || stale > 0 {
		fmt.Printf("\n%d survivors not in internal/mutate/accepted.txt or curated mutants that do not compile; lowest acceptable score %.0f%%\n", unexplained, *min)
		os.Exit(1)
	}
}

func collect(root string, cfg *Config, pkgs []string, curatedOnly bool, re *regexp.Regexp) ([]Mutant, error) {
	want := map[string]bool{}
	for _, p := range pkgs {
		want[strings.TrimSuffix(strings.TrimPrefix(p, "./"), "/")] = true
	}
	var out []Mutant
	for _, c := range cfg.Curated {
		if !want[pkgOf(c.File)] {
			continue
		}
		m, err := CuratedMutant(root, c)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	if !curatedOnly {
		for _, t := range cfg.Targets {
			if !want[pkgOf(t.File)] {
				continue
			}
			ms, err := Systematic(root, t.File, t.Funcs)
			if err != nil {
				return nil, err
			}
			if len(ms) == 0 {
				return nil, fmt.Errorf("targets.txt: %s %s selects nothing", t.File, t.Funcs)
			}
			out = append(out, ms...)
		}
	}
	if re != nil {
		kept := out[:0]
		for _, m := range out {
			if re.MatchString(m.ID) {
				kept = append(kept, m)
			}
		}
		out = kept
	}
	return out, nil
}

type tally struct {
	caught, timedOut, survived, accepted, notViable int
}

func (t *tally) add(s Status, accepted bool) {
	switch s {
	case Caught:
		t.caught++
	case TimedOut:
		t.timedOut++
	case Survived:
		t.survived++
		if accepted {
			t.accepted++
		}
	case NotViable:
		t.notViable++
	}
}

func (t *tally) total() int { return t.caught + t.timedOut + t.survived }

func (t *tally) score() float64 {
	if t.total() == 0 {
		return 100
	}
	return 100 * float64(t.caught+t.timedOut) / float64(t.total())
}

func printTable(w *os.File, order []string, results map[string]*tally) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "package\tcaught/total\tscore\tsurvived (accepted)\ttimeouts\tnot viable")
	var sum tally
	keys := append([]string(nil), order...)
	sort.Strings(keys)
	for _, p := range keys {
		t, ok := results[p]
		if !ok {
			continue
		}
		fmt.Fprintf(tw, "%s\t%d/%d\t%.1f%%\t%d (%d)\t%d\t%d\n", p, t.caught+t.timedOut, t.total(), t.score(), t.survived, t.accepted, t.timedOut, t.notViable)
		sum.caught += t.caught
		sum.timedOut += t.timedOut
		sum.survived += t.survived
		sum.accepted += t.accepted
		sum.notViable += t.notViable
	}
	fmt.Fprintf(tw, "all\t%d/%d\t%.1f%%\t%d (%d)\t%d\t%d\n", sum.caught+sum.timedOut, sum.total(), sum.score(), sum.survived, sum.accepted, sum.timedOut, sum.notViable)
	tw.Flush()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mutate:", err)
	os.Exit(2)
}
