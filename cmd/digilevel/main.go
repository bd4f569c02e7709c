// Command digilevel rates Chinese SMEs with the MIIT 《中小企业数字化水平评测指标》:
// an offline terminal UI for the field, and a scripting CLI over the same store.
//
// This package only parses flags, wires the packages together and maps
// errors to exit codes; see exitcode.go for the codes.
package main

import (
	"context"
	"errors"
	"fmt"
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

// run executes one command line and returns the exit code. Commands print
// through textWriters (see output.go); the terminal UI gets the raw streams.
func run(ctx context.Context, args []string, s streams, getenv func(string) string) int {
	out, errOut := newTextWriter(s.out), newTextWriter(s.err)
	a := &app{streams: streams{in: s.in, out: out, err: errOut}, raw: s, getenv: getenv}
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetIn(s.in)
	root.SetOut(out)
	root.SetErr(errOut)
	err := root.ExecuteContext(ctx)
	code := a.exit(translateCobraError(err))
	if werr := out.Close(); werr != nil && code == exitOK {
		// The command's result never reached its reader (a full disk, a
		// closed pipe): `assessment new > /dev/full` must not exit 0.
		code = a.exit(fmt.Errorf("无法写出结果（标准输出）: %s", writeFailure(werr)))
		if code == exitOK || code == exitInput {
			code = exitFailure
		}
	}
	for _, w := range a.warnings {
		fmt.Fprintf(errOut, "digilevel: 警告: %s\n", w)
	}
	errOut.Close()
	return code
}

// writeFailure says in Chinese why standard output could not be written.
func writeFailure(err error) string {
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return "磁盘空间不足"
	case errors.Is(err, syscall.EPIPE):
		return "读取输出的程序已退出（管道已关闭）"
	case errors.Is(err, syscall.EIO):
		return "输入输出错误"
	case errors.Is(err, os.ErrClosed):
		return "标准输出已关闭"
	}
	return err.Error()
}
