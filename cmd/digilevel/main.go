// Command digilevel rates Chinese SMEs with the MIIT 《中小企业数字化水平评测指标》:
// an offline terminal UI for the field, and a scripting CLI over the same store.
//
// This package only parses flags, wires the packages together and maps
// errors to exit codes; see exitcode.go for the codes.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Version is set with -ldflags "-X main.Version=..." when building a release.
var Version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], streams{in: os.Stdin, out: os.Stdout, err: os.Stderr}, os.Getenv)
	stop()
	os.Exit(code)
}

// streams are the process's standard streams, replaced in tests.
type streams struct {
	in  io.Reader
	out io.Writer
	err io.Writer
}

// run executes one command line and returns the exit code.
func run(ctx context.Context, args []string, s streams, getenv func(string) string) int {
	a := &app{streams: s, getenv: getenv}
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetIn(s.in)
	root.SetOut(s.out)
	root.SetErr(s.err)
	err := root.ExecuteContext(ctx)
	return a.exit(translateCobraError(err))
}
