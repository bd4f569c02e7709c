package main

import (
	"errors"
	"fmt"
	"syscall"

	"digilevel/model"
	"digilevel/safefile"
)

// Exit codes of the binary (the README's table says the same).
const (
	exitOK      = 0 // success: everything asked for was done
	exitFailure = 1 // an unexpected failure (I/O, the network, a bug); the message says what; what was done is kept
	exitInput   = 2 // bad input: a flag, a file, an ID, a value; nothing was changed
	exitLocked  = 3 // the database is in use by another digilevel process; nothing was changed
	exitCheck   = 4 // `check` or `verify` found a problem
	exitPartial = 5 // partly done: the good items were done and kept, the others are named on stderr with the reason
)

// usageError marks a command-line mistake (unknown flag, missing argument).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// exitCodeError carries a specific exit code with its message.
type exitCodeError struct {
	code int
	err  error
}

func (e exitCodeError) Error() string { return e.err.Error() }
func (e exitCodeError) Unwrap() error { return e.err }

// partialf reports a command that did part of its work: what was done is
// kept, the message says what was not (exit 5).
func partialf(format string, args ...any) error {
	return exitCodeError{code: exitPartial, err: fmt.Errorf(format, args...)}
}

// exitCodeFor maps an error to the documented exit code.
func exitCodeFor(err error) int {
	var ec exitCodeError
	var ue usageError
	var fileErr *safefile.Error
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ec):
		return ec.code
	case errors.As(err, &fileErr) && (errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EIO)):
		return exitFailure // the disk, not the input
	case errors.As(err, &ue), errors.As(err, &fileErr), errors.Is(err, model.ErrInvalid), errors.Is(err, model.ErrNotFound),
		errors.Is(err, model.ErrExists), errors.Is(err, model.ErrFinalized), errors.Is(err, model.ErrIncomplete),
		errors.Is(err, model.ErrState):
		return exitInput
	}
	return exitFailure
}

// exit prints the error (if any) on stderr and returns its exit code.
func (a *app) exit(err error) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(a.streams.err, "digilevel: 错误: %v\n", err)
	return exitCodeFor(err)
}
