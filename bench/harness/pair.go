package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"syscall"
	"time"
)

// command is one program run of a pair.
type command struct {
	name string
	args []string
	env  []string
	// prepare runs before every run, outside the timing (e.g. removes an output file).
	prepare func() error `json:"-"`
}

// runResult is one run: wall time and the peak resident set size.
type runResult struct {
	Wall  time.Duration
	RSSKB int64
}

// pairResult holds both sides of a pair, round by round.
type pairResult struct {
	Base, Cand []runResult
}

// runOnce runs c with stdin and stdout on tty (nil: /dev/null) and
// measures it.
func runOnce(ctx context.Context, c command, tty *os.File) (runResult, error) {
	if c.prepare != nil {
		if err := c.prepare(); err != nil {
			return runResult{}, err
		}
	}
	cmd := exec.CommandContext(ctx, c.args[0], c.args[1:]...)
	cmd.Env = append(os.Environ(), c.env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if tty != nil {
		cmd.Stdin, cmd.Stdout = tty, tty
	}
	t := time.Now()
	err := cmd.Run()
	wall := time.Since(t)
	if err != nil {
		return runResult{}, fmt.Errorf("%s: %v: %s", strings.Join(c.args, " "), err, strings.TrimSpace(stderr.String()))
	}
	rss := int64(0)
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss // KiB on Linux
	}
	return runResult{Wall: wall, RSSKB: rss}, nil
}

// runPair runs the baseline and the candidate for warm-up rounds, then
// rounds interleaved A B B A A B ..., so drift in the machine's load falls
// on both sides alike.
func runPair(ctx context.Context, base, cand command, warmup, rounds int, tty *os.File) (pairResult, error) {
	var res pairResult
	for r := -warmup; r < rounds; r++ {
		order := []bool{false, true}
		if r%2 != 0 {
			order = []bool{true, false}
		}
		for _, isCand := range order {
			c := base
			if isCand {
				c = cand
			}
			x, err := runOnce(ctx, c, tty)
			if err != nil {
				return res, err
			}
			if r < 0 {
				continue
			}
			if isCand {
				res.Cand = append(res.Cand, x)
			} else {
				res.Base = append(res.Base, x)
			}
		}
	}
	return res, nil
}

func (p pairResult) baseWall() time.Duration { return medianDuration(walls(p.Base)) }
func (p pairResult) candWall() time.Duration { return medianDuration(walls(p.Cand)) }

// ratio is the median of the rounds' ratios: each round's two runs shared
// the machine's state at that moment.
func (p pairResult) ratio() float64 {
	r := make([]float64, len(p.Cand))
	for i := range p.Cand {
		r[i] = float64(p.Cand[i].Wall) / float64(p.Base[i].Wall)
	}
	return medianFloat(r)
}

func maxRSS(rs []runResult) int64 {
	m := int64(0)
	for _, r := range rs {
		m = max(m, r.RSSKB)
	}
	return m
}

func walls(rs []runResult) []time.Duration {
	out := make([]time.Duration, len(rs))
	for i, r := range rs {
		out[i] = r.Wall
	}
	return out
}

func medianDuration(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func medianFloat(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// ttyPairMain is `harness tty-pair`: runPair with both programs on this
// process's terminal (for the TUI's first frame, inside a tmux pane),
// writing the result as JSON to -out.
//
//	harness tty-pair -out FILE -warmup N -rounds N -- BASE... -- CAND...
func ttyPairMain(args []string) int {
	fs := flag.NewFlagSet("tty-pair", flag.ContinueOnError)
	out := fs.String("out", "", "result file")
	warmup := fs.Int("warmup", 3, "warm-up rounds")
	rounds := fs.Int("rounds", 20, "rounds")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	rest := fs.Args() // flag.Parse has consumed the first "--"
	if len(rest) > 0 && rest[0] == "--" {
		rest = rest[1:]
	}
	sep := -1
	for i, a := range rest {
		if a == "--" {
			sep = i
			break
		}
	}
	if sep <= 0 || sep == len(rest)-1 {
		fmt.Fprintln(os.Stderr, "tty-pair: -- BASE... -- CAND...")
		return 2
	}
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	write := func(v any) int {
		b, _ := json.Marshal(v)
		if err := os.WriteFile(*out, b, 0o600); err != nil {
			return 1
		}
		return 0
	}
	if err != nil {
		return write(map[string]string{"error": err.Error()})
	}
	defer tty.Close()
	// The candidate is told by environment to quit after its first frame.
	base := command{name: "base", args: rest[:sep]}
	cand := command{name: "cand", args: rest[sep+1:], env: []string{"DIGILEVEL_EXIT_AFTER_FIRST_FRAME=1"}}
	res, err := runPair(context.Background(), base, cand, *warmup, *rounds, tty)
	if err != nil {
		return write(map[string]string{"error": err.Error()})
	}
	return write(res)
}

// runTTYPair runs tty-pair inside a detached tmux session of 120x40, waits
// for it and reads its result.
func (h *harness) runTTYPair(base, cand []string, warmup, rounds int) (pairResult, error) {
	if _, err := exec.LookPath("tmux"); err != nil {
		return pairResult{}, errors.New("tmux is missing (apt-get install -y tmux)")
	}
	self, err := os.Executable()
	if err != nil {
		return pairResult{}, err
	}
	out := h.path("tty-pair.json")
	os.Remove(out)
	sock := fmt.Sprintf("digilevel-bench-%d", os.Getpid())
	args := append([]string{self, "tty-pair", "-out", out, "-warmup", fmt.Sprint(warmup), "-rounds", fmt.Sprint(rounds), "--"}, base...)
	args = append(append(args, "--"), cand...)
	script := "env TERM=xterm-256color LANG=C.UTF-8 " + shellJoin(args) + "; tmux -L " + sock + " wait-for -S done"
	if err := exec.CommandContext(h.ctx, "tmux", "-L", sock, "new-session", "-d", "-x", "120", "-y", "40", script).Run(); err != nil {
		return pairResult{}, fmt.Errorf("tmux: %w", err)
	}
	defer exec.Command("tmux", "-L", sock, "kill-server").Run()
	if err := exec.CommandContext(h.ctx, "tmux", "-L", sock, "wait-for", "done").Run(); err != nil {
		return pairResult{}, fmt.Errorf("tmux wait: %w", err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return pairResult{}, err
	}
	var failed struct{ Error string }
	if json.Unmarshal(b, &failed) == nil && failed.Error != "" {
		return pairResult{}, errors.New(failed.Error)
	}
	var res pairResult
	return res, json.Unmarshal(b, &res)
}

func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}
