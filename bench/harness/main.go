// Command harness is bench/run.sh: it builds the programs, seeds the
// databases, runs every benchmark beside its baseline in the same pass
// (interleaved, the order alternating A B B A, so a noisy machine moves both
// alike) and prints one table: what, baseline, digilevel, ratio, goal.
//
//	go run ./bench/harness [-large] [-rounds N] [-only REGEXP] [-keep DIR]
//
// Everything it makes lives in one temporary directory that it removes at
// the end (also on Ctrl-C), unless -keep names a directory to reuse: then
// seeds already there are reused and nothing is removed.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "tty-pair" {
		os.Exit(ttyPairMain(os.Args[2:]))
	}
	large := flag.Bool("large", false, "also seed and measure 100,000 enterprises / 500,000 assessments (about 10 GB, 10+ minutes to seed)")
	rounds := flag.Int("rounds", 0, "rounds per pair (default: per row)")
	only := flag.String("only", "", "run only the rows whose name matches")
	keep := flag.String("keep", "", "work directory to reuse and keep (seeds are reused)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := run(ctx, config{large: *large, rounds: *rounds, only: *only, keep: *keep})
	os.Exit(code)
}

type config struct {
	large  bool
	rounds int
	only   string
	keep   string
}

func run(ctx context.Context, c config) int {
	work := c.keep
	if work == "" {
		var err error
		if work, err = os.MkdirTemp("", "digilevel-bench-*"); err != nil {
			fmt.Fprintln(os.Stderr, "harness:", err)
			return 1
		}
		defer os.RemoveAll(work)
	} else if err := os.MkdirAll(work, 0o700); err != nil {
		fmt.Fprintln(os.Stderr, "harness:", err)
		return 1
	}
	var filter *regexp.Regexp
	if c.only != "" {
		filter = regexp.MustCompile(c.only)
	}
	h := &harness{ctx: ctx, work: work, bin: filepath.Join(work, "bin"), rounds: c.rounds, filter: filter}
	if err := h.build(); err != nil {
		fmt.Fprintln(os.Stderr, "harness: build:", err)
		return 1
	}
	sizes := []seedSize{{10000, 50000}}
	if c.large {
		sizes = append(sizes, seedSize{100000, 500000})
	}
	fmt.Fprintf(os.Stderr, "machine: %s\n", machine())
	for _, r := range h.rows(sizes) {
		if ctx.Err() != nil {
			break
		}
		if filter != nil && !filter.MatchString(r.what) {
			continue
		}
		fmt.Fprintf(os.Stderr, "running: %s\n", r.what)
		t0 := time.Now()
		lines, err := r.run()
		if err != nil {
			fmt.Fprintf(os.Stderr, "  %s: %v\n", r.what, err)
			lines = []line{{what: r.what, note: "failed: " + firstLine(err.Error())}}
		}
		fmt.Fprintf(os.Stderr, "  done in %s\n", time.Since(t0).Round(time.Second))
		h.table = append(h.table, lines...)
	}
	fmt.Printf("Machine: %s\n\n", machine())
	printTable(os.Stdout, h.table)
	fmt.Printf("\nPeak RSS of the harness itself: %s. Linux counts it in the peak RSS of every program the harness starts, so it is the floor of that column.\n", mb(selfMaxRSS()))
	if ctx.Err() != nil {
		return 1
	}
	return 0
}

// machine names what the numbers were measured on.
func machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	load := ""
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = ", load " + strings.Join(strings.Fields(string(b))[:3], " ")
	}
	return fmt.Sprintf("%s, %d cores, %s, %s%s, %s", cpu, runtime.NumCPU(), runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH, load, time.Now().UTC().Format("2006-01-02 15:04 UTC"))
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// selfMaxRSS is this process's own peak resident set size, in KiB.
func selfMaxRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss
}
