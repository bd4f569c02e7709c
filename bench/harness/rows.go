package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"digilevel/indicators"
)

type harness struct {
	ctx    context.Context
	work   string
	bin    string
	rounds int
	filter *regexp.Regexp
	table  []line
}

// line is one row of the printed table.
type line struct {
	what, baseline, base, cand, ratio, goal, verdict, note string
}

type row struct {
	what string
	run  func() ([]line, error)
}

type seedSize struct{ enterprises, assessments int }

func (s seedSize) label() string {
	return fmt.Sprintf("%dk/%dk", s.enterprises/1000, s.assessments/1000)
}

func (h *harness) path(name string) string { return filepath.Join(h.work, name) }
func (h *harness) exe(name string) string  { return filepath.Join(h.bin, name) }

// build compiles the programs under test and their baselines.
func (h *harness) build() error {
	for name, pkg := range map[string]string{
		"digilevel": "./cmd/digilevel", "hello": "./bench/hello", "bareframe": "./bench/bareframe", "rollupwriter": "./bench/rollupwriter", "seed": "./bench/seed",
		"platformseed": "./bench/platformseed", "platformread": "./bench/platformread",
	} {
		cmd := exec.CommandContext(h.ctx, "go", "build", "-o", h.exe(name), pkg)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %w", pkg, err)
		}
	}
	// The same program linked statically (no cgo: pure-Go resolver and user
	// lookup), to show what the dynamic loader costs at every start.
	cmd := exec.CommandContext(h.ctx, "go", "build", "-o", h.exe("digilevel-static"), "./cmd/digilevel")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	cmd.Stderr = os.Stderr
	return cmd.Run()
}

// seed returns a seeded file of the given size, building it once.
func (h *harness) seed(s seedSize) (string, error) {
	path := h.path(fmt.Sprintf("seed-%d-%d.db", s.enterprises, s.assessments))
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
		if _, err := os.Stat(path + ".done"); err == nil {
			return path, nil
		}
	}
	os.Remove(path)
	fmt.Fprintf(os.Stderr, "  seeding %s (%s)\n", path, s.label())
	t := time.Now()
	// In its own process: Linux counts a parent's memory in the peak RSS of
	// the programs it starts (Go starts them sharing its memory until exec),
	// so the harness stays small.
	cmd := exec.CommandContext(h.ctx, h.exe("seed"), "-db", path, "-enterprises", fmt.Sprint(s.enterprises), "-assessments", fmt.Sprint(s.assessments))
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("seed: %w", err)
	}
	fi, _ := os.Stat(path)
	fmt.Fprintf(os.Stderr, "  seeded in %s, %d MB\n", time.Since(t).Round(time.Second), fi.Size()>>20)
	return path, os.WriteFile(path+".done", nil, 0o600)
}

func (h *harness) roundsOr(n int) int {
	if h.rounds > 0 {
		return h.rounds
	}
	return n
}

func (h *harness) rows(sizes []seedSize) []row {
	rows := []row{
		{"--help", h.helpRow},
		{"score FILE --json", h.scoreRow},
	}
	for _, s := range sizes {
		rows = append(rows,
			row{"answer save, seeded " + s.label(), func() ([]line, error) { return h.saveRow(s) }},
			row{"export --format xlsx, seeded " + s.label(), func() ([]line, error) { return h.exportRow(s) }},
			row{"check, seeded " + s.label(), func() ([]line, error) { return h.checkRow(s) }},
			row{"exec → first frame, seeded " + s.label(), func() ([]line, error) { return h.firstFrameRow(s) }},
		)
	}
	rows = append(rows, row{"server, 50 clients", h.serverRow}, row{"serve reports list, 10k reports", h.reportsListRow},
		row{"sync client workers", h.workersRow})
	return rows
}

func (h *harness) helpRow() ([]line, error) {
	hello := command{args: []string{h.exe("hello")}}
	help := command{args: []string{h.exe("digilevel"), "--help"}}
	res, err := runPair(h.ctx, hello, help, 5, h.roundsOr(40), nil)
	if err != nil {
		return nil, err
	}
	out := []line{wallLine("`digilevel --help`", "hello-world Go binary", res, "≤ 2×", 2)}
	if l, ok := h.callgrindLine("`digilevel --help` (instructions, callgrind)", hello, help); ok {
		out = append(out, l)
	}
	static := command{args: []string{h.exe("digilevel-static"), "--help"}}
	if res, err := runPair(h.ctx, hello, static, 5, h.roundsOr(40), nil); err == nil {
		l := wallLine("`digilevel --help`, static build (CGO_ENABLED=0)", "hello-world Go binary", res, "≤ 2×", 2)
		l.note = "no dynamic loader; not how `go build` builds by default"
		out = append(out, l)
	}
	return out, nil
}

func (h *harness) scoreRow() ([]line, error) {
	file := h.path("answers.json")
	if err := writeAnswers(file); err != nil {
		return nil, err
	}
	hello := command{args: []string{h.exe("hello")}}
	score := command{args: []string{h.exe("digilevel"), "score", file, "--json"}}
	res, err := runPair(h.ctx, hello, score, 5, h.roundsOr(40), nil)
	if err != nil {
		return nil, err
	}
	out := []line{wallLine("`digilevel score FILE --json`", "hello-world Go binary", res, "≤ 2×", 2)}
	if l, ok := h.callgrindLine("`digilevel score FILE --json` (instructions, callgrind)", hello, score); ok {
		out = append(out, l)
	}
	return out, nil
}

// writeAnswers writes a complete answer document of the embedded catalog.
func writeAnswers(path string) error {
	cat, err := indicators.Embedded(indicators.DefaultEdition)
	if err != nil {
		return err
	}
	doc := struct {
		Edition   string              `json:"edition"`
		Answers   map[string][]string `json:"answers"`
		Scenarios map[string]int      `json:"scenarios"`
	}{Edition: indicators.DefaultEdition, Answers: map[string][]string{}, Scenarios: map[string]int{}}
	for i, q := range cat.DefaultQuestionnaire().Questions() {
		doc.Answers[q.ID] = []string{q.Options[i%len(q.Options)].ID}
	}
	for i, s := range cat.Scenarios {
		doc.Scenarios[s.ID] = 1 + i%3
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

func (h *harness) saveRow(s seedSize) ([]line, error) {
	path, err := h.seed(s)
	if err != nil {
		return nil, err
	}
	m, err := h.goBench("./storage", "BenchmarkSavePaired", fmt.Sprintf("%dx", h.roundsOr(300)), "DIGILEVEL_BENCH_DB="+path)
	if err != nil {
		return nil, err
	}
	note := fmt.Sprintf("pages written per commit: save %.1f, bare bbolt %.1f", m["pages/save"], m["pages/bolt4k"])
	ratio := m["save/bolt4k"]
	return []line{
		{what: "answer save, seeded " + s.label(), baseline: "bare bbolt commit of one 4 KiB value, same file",
			base: us(m["bolt4k-µs"]), cand: us(m["save-µs"]), ratio: fmt.Sprintf("%.2f×", ratio), goal: "≤ 1.3×", verdict: verdict(ratio <= 1.3), note: note},
		{what: "answer save, seeded " + s.label(), baseline: "in-place 4 KiB write + fdatasync",
			base: us(m["write4k-µs"]), cand: us(m["save-µs"]), ratio: fmt.Sprintf("%.2f×", m["save/write4k"]), goal: "—", note: "bbolt commits with two fdatasyncs"},
	}, nil
}

func (h *harness) exportRow(s seedSize) ([]line, error) {
	path, err := h.seed(s)
	if err != nil {
		return nil, err
	}
	out := h.path("export.xlsx")
	rm := func() error { os.Remove(out); return nil }
	base := command{args: []string{h.exe("rollupwriter"), "-n", fmt.Sprint(s.enterprises), "-format", "xlsx", "-o", out}, prepare: rm}
	cand := command{args: []string{h.exe("digilevel"), "--db", path, "export", "--format", "xlsx", "-o", out}, prepare: rm}
	rounds := 5
	limit := time.Second
	if s.enterprises > 10000 {
		rounds, limit = 3, 10*time.Second
	}
	res, err := runPair(h.ctx, base, cand, 1, h.roundsOr(rounds), nil)
	os.Remove(out)
	if err != nil {
		return nil, err
	}
	rss := maxRSS(res.Cand)
	l := wallLine("`export --format xlsx`, seeded "+s.label(), "the roll-up writer alone, same rows", res, fmt.Sprintf("≤ %s, peak RSS < 200 MB", limit), 0)
	l.verdict = verdict(res.candWall() <= limit && rss < 200<<10)
	l.note = fmt.Sprintf("peak RSS %s (writer alone %s)", mb(rss), mb(maxRSS(res.Base)))
	return []line{l}, nil
}

func (h *harness) checkRow(s seedSize) ([]line, error) {
	path, err := h.seed(s)
	if err != nil {
		return nil, err
	}
	base := command{args: []string{"cat", path}}
	cand := command{args: []string{h.exe("digilevel"), "--db", path, "check"}}
	rounds := 3
	if s.enterprises > 10000 {
		rounds = 1
	}
	res, err := runPair(h.ctx, base, cand, 0, h.roundsOr(rounds), nil)
	if err != nil {
		return nil, err
	}
	rss := maxRSS(res.Cand)
	fi, _ := os.Stat(path)
	l := wallLine("`check`, seeded "+s.label(), fmt.Sprintf("read the file once (cat, %d MB)", fi.Size()>>20), res, "peak RSS < 200 MB", 0)
	l.verdict = verdict(rss < 200<<10)
	l.note = fmt.Sprintf("peak RSS %s", mb(rss))
	return []line{l}, nil
}

func (h *harness) firstFrameRow(s seedSize) ([]line, error) {
	path, err := h.seed(s)
	if err != nil {
		return nil, err
	}
	rounds := 20
	if s.enterprises > 10000 {
		rounds = 10
	}
	res, err := h.runTTYPair([]string{h.exe("bareframe")}, []string{h.exe("digilevel"), "--db", path}, 3, h.roundsOr(rounds))
	if err != nil {
		return nil, err
	}
	l := wallLine("exec → first frame, seeded "+s.label(), "bare Bubble Tea program (one frame)", res, "≤ 2×, and at 100k no slower than at 10k", 2)
	l.note = fmt.Sprintf("peak RSS %s", mb(maxRSS(res.Cand)))
	return []line{l}, nil
}

func (h *harness) serverRow() ([]line, error) {
	m, err := h.goBench("./sync/e2e", "BenchmarkServerPaired50", fmt.Sprintf("%dx", h.roundsOr(3)))
	if err != nil {
		return nil, err
	}
	return []line{
		{what: "server throughput, 50 clients, 2,500 reports", baseline: "bare durable receiver (append + group-committed fdatasync, 201)",
			base: fmt.Sprintf("%.0f/s", m["bare-reports/s"]), cand: fmt.Sprintf("%.0f/s", m["server-reports/s"]), ratio: fmt.Sprintf("%.2f×", m["tput-ratio"]),
			goal: "≥ 0.5×", verdict: verdict(m["tput-ratio"] >= 0.5)},
		{what: "server p99 latency, 50 clients", baseline: "bare durable receiver",
			base: fmt.Sprintf("%.1f ms", m["bare-p99-ms"]), cand: fmt.Sprintf("%.1f ms", m["server-p99-ms"]), ratio: fmt.Sprintf("%.2f×", m["p99-ratio"]),
			goal: "≤ 2×", verdict: verdict(m["p99-ratio"] <= 2)},
	}, nil
}

// platformEnterprises gives a platform of about 10,000 reports with
// bench/platformseed (webtest.Seed: signed reports stored as uploads are,
// revisions and spot-checks).
const platformEnterprises = 5100

// platform returns a seeded platform database, building it once.
func (h *harness) platform() (path string, reports int, err error) {
	path = h.path(fmt.Sprintf("platform-%d.db", platformEnterprises))
	count := func() (int, error) {
		out, err := exec.CommandContext(h.ctx, h.exe("platformread"), "-db", path).Output()
		if err != nil {
			return 0, fmt.Errorf("platformread: %w", err)
		}
		return strconv.Atoi(strings.TrimSpace(string(out)))
	}
	if _, err := os.Stat(path + ".done"); err == nil {
		n, err := count()
		return path, n, err
	}
	os.Remove(path)
	fmt.Fprintf(os.Stderr, "  seeding %s (%d enterprises)\n", path, platformEnterprises)
	cmd := exec.CommandContext(h.ctx, h.exe("platformseed"), "-db", path, "-enterprises", fmt.Sprint(platformEnterprises))
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", 0, fmt.Errorf("platformseed: %w", err)
	}
	if err := os.WriteFile(path+".done", nil, 0o600); err != nil {
		return "", 0, err
	}
	n, err := count()
	return path, n, err
}

// reportsListRow: `serve reports list` (the table, to /dev/null) beside
// reading the same records from the store alone (bench/platformread: open,
// EachReport, close), both as processes.
func (h *harness) reportsListRow() ([]line, error) {
	path, n, err := h.platform()
	if err != nil {
		return nil, err
	}
	base := command{args: []string{h.exe("platformread"), "-db", path}}
	cand := command{args: []string{h.exe("digilevel"), "--db", path, "serve", "reports", "list"}}
	res, err := runPair(h.ctx, base, cand, 2, h.roundsOr(15), nil)
	if err != nil {
		return nil, err
	}
	fi, _ := os.Stat(path)
	l := wallLine(fmt.Sprintf("`serve reports list`, %s reports (bbolt)", thousands(n)), "read the same records from the store (open, EachReport)", res, "≤ 2×", 2)
	l.note = fmt.Sprintf("peak RSS %s (reading alone %s; opening maps and scans the %d MB file)", mb(maxRSS(res.Cand)), mb(maxRSS(res.Base)), fi.Size()>>20)
	return []line{l}, nil
}

// thousands writes n with a comma every three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func (h *harness) workersRow() ([]line, error) {
	m, err := h.goBench("./sync/e2e", "BenchmarkSyncWorkers", fmt.Sprintf("%dx", h.roundsOr(2)))
	if err != nil {
		return nil, err
	}
	var out []line
	for _, w := range []int{8, 16} {
		out = append(out, line{what: fmt.Sprintf("sync client, %d workers, 2,500 reports to loopback", w), baseline: "4 workers, same reports and server",
			base: fmt.Sprintf("%.0f/s", m["w4-reports/s"]), cand: fmt.Sprintf("%.0f/s", m[fmt.Sprintf("w%d-reports/s", w)]),
			ratio: fmt.Sprintf("%.2f×", m[fmt.Sprintf("w%d/w4", w)]), goal: "measured, to set the default", note: "both stores fsync; the server's speed bounds it (issue 12)"})
	}
	return out, nil
}

// goBench runs one Go benchmark and returns its reported metrics.
func (h *harness) goBench(pkg, name, benchtime string, env ...string) (map[string]float64, error) {
	cmd := exec.CommandContext(h.ctx, "go", "test", "-run", "^$", "-bench", "^"+name+"$", "-benchtime", benchtime, "-count", "1", pkg)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go test %s: %v\n%s", name, err, out.String())
	}
	m := map[string]float64{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 3 || !strings.HasPrefix(f[0], name) {
			continue
		}
		for i := 2; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				m[f[i+1]] = v
			}
		}
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("go test %s printed no result:\n%s", name, out.String())
	}
	return m, nil
}

// callgrindLine counts instructions of both programs with callgrind:
// repeatable whatever else the machine does. Go's asynchronous preemption
// signals crash callgrind, so it is switched off for these runs.
func (h *harness) callgrindLine(what string, base, cand command) (line, bool) {
	if _, err := exec.LookPath("valgrind"); err != nil {
		return line{}, false
	}
	count := func(c command) (int64, error) {
		out := h.path("callgrind.out")
		defer os.Remove(out)
		args := append([]string{"--tool=callgrind", "--callgrind-out-file=" + out}, c.args...)
		cmd := exec.CommandContext(h.ctx, "valgrind", args...)
		cmd.Env = append(os.Environ(), "GODEBUG=asyncpreemptoff=1")
		var stderr bytes.Buffer
		cmd.Stderr, cmd.Stdout = &stderr, io.Discard
		if err := cmd.Run(); err != nil {
			return 0, err
		}
		m := regexp.MustCompile(`Collected : (\d+)`).FindStringSubmatch(stderr.String())
		if m == nil {
			return 0, fmt.Errorf("no count")
		}
		return strconv.ParseInt(m[1], 10, 64)
	}
	b, err1 := count(base)
	c, err2 := count(cand)
	if err1 != nil || err2 != nil || b == 0 {
		return line{}, false
	}
	return line{what: what, baseline: "hello-world Go binary", base: millions(b), cand: millions(c), ratio: fmt.Sprintf("%.1f×", float64(c)/float64(b)), goal: "—",
		note: "instruction counts do not move with the machine's load"}, true
}

// wallLine is a line of two wall-time medians and their paired ratio;
// goal > 0 judges the ratio against it.
func wallLine(what, baseline string, res pairResult, goal string, ratioGoal float64) line {
	r := res.ratio()
	l := line{what: what, baseline: baseline, base: dur(res.baseWall()), cand: dur(res.candWall()), ratio: fmt.Sprintf("%.2f×", r), goal: goal}
	if ratioGoal > 0 {
		l.verdict = verdict(r <= ratioGoal)
	}
	return l
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**not met**"
}

func dur(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= 10*time.Millisecond:
		return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000)
	default:
		return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000)
	}
}

func us(v float64) string {
	if v >= 1000 {
		return fmt.Sprintf("%.2f ms", v/1000)
	}
	return fmt.Sprintf("%.0f µs", v)
}

func mb(kb int64) string { return fmt.Sprintf("%d MB", kb>>10) }

func millions(n int64) string { return fmt.Sprintf("%.1f M", float64(n)/1e6) }

func printTable(w io.Writer, lines []line) {
	fmt.Fprintln(w, "| What | Baseline | Baseline | digilevel | Ratio | Goal | | Note |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	for _, l := range lines {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", l.what, l.baseline, l.base, l.cand, l.ratio, l.goal, l.verdict, l.note)
	}
}
