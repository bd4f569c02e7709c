package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Status is what the tests made of a mutant.
type Status string

const (
	Caught    Status = "caught"
	TimedOut  Status = "timeout"    // caught: the suite would hang
	Survived  Status = "SURVIVED"   // every test passed
	NotViable Status = "not-viable" // does not compile: not counted
)

// Runner runs the tests of a package against one mutant at a time. The
// mutated file is given to go test as an overlay (-overlay), so the work
// tree is never written and runs can go on side by side.
type Runner struct {
	Root  string   // module root
	Tmp   string   // scratch directory
	Flags []string // extra go test flags (-short, -run …)

	mu      sync.Mutex
	running map[int]bool // process groups of the go test runs under way
}

// Stop ends every test run under way (when the mutation run is stopped).
func (r *Runner) Stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for pgid := range r.running {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
}

func (r *Runner) track(pgid int, on bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running == nil {
		r.running = map[int]bool{}
	}
	if on {
		r.running[pgid] = true
	} else {
		delete(r.running, pgid)
	}
}

// Run applies m and runs pkgs' tests within limit.
func (r *Runner) Run(m Mutant, pkgs []string, limit time.Duration) (Status, string, error) {
	abs := filepath.Join(r.Root, m.File)
	src, err := os.ReadFile(abs)
	if err != nil {
		return "", "", err
	}
	mutated := make([]byte, 0, len(src)+len(m.Repl))
	mutated = append(mutated, src[:m.Start]...)
	mutated = append(mutated, m.Repl...)
	mutated = append(mutated, src[m.End:]...)
	dir, err := os.MkdirTemp(r.Tmp, "mutant-")
	if err != nil {
		return "", "", err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, filepath.Base(m.File))
	if err := os.WriteFile(file, mutated, 0o600); err != nil {
		return "", "", err
	}
	overlay, _ := json.Marshal(map[string]map[string]string{"Replace": {abs: file}})
	ov := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(ov, overlay, 0o600); err != nil {
		return "", "", err
	}
	return r.goTest(append([]string{"-overlay=" + ov}, pkgs...), limit)
}

// Baseline runs pkgs' tests unmutated; they must pass.
func (r *Runner) Baseline(pkgs []string, limit time.Duration) (Status, string, error) {
	return r.goTest(pkgs, limit)
}

func (r *Runner) goTest(args []string, limit time.Duration) (Status, string, error) {
	full := append([]string{"test", "-count=1", "-failfast", "-vet=off",
		"-timeout=" + (limit + 30*time.Second).String()}, r.Flags...)
	full = append(full, args...)
	cmd := exec.Command("go", full...)
	cmd.Dir = r.Root
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// Its own process group, so a timeout ends the test binary and any
	// child it started, not only the go command.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return "", "", err
	}
	r.track(cmd.Process.Pid, true)
	defer r.track(cmd.Process.Pid, false)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		return TimedOut, out.String(), nil
	}
	text := out.String()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return Survived, text, nil
	case !errors.As(err, &exit):
		return "", text, err
	case strings.Contains(text, "[build failed]") || strings.Contains(text, "[setup failed]"):
		return NotViable, text, nil
	}
	return Caught, text, nil
}
