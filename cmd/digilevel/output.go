package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/term"

	"digilevel/model"
)

// textWriter is what every command prints through (stdout and stderr): it
// replaces control and bidi-override characters and invalid UTF-8 with a
// visible U+FFFD (model.DisplaySafe; newlines and tabs stay), so that text
// stored in the database or received from the network can never act on the
// terminal, and it remembers the first write error, so that output lost on
// a full disk or a closed pipe is a failure, not exit 0.
type textWriter struct {
	w       io.Writer
	pending []byte // the start of a UTF-8 sequence cut by the last Write
	err     error
}

func newTextWriter(w io.Writer) *textWriter { return &textWriter{w: w} }

func (t *textWriter) Write(p []byte) (int, error) {
	if t.err != nil {
		return 0, t.err
	}
	n := len(p)
	if len(t.pending) > 0 {
		p = append(t.pending, p...)
		t.pending = nil
	}
	// Keep an incomplete sequence at the end for the next Write (a CR too:
	// it may be the start of a CRLF).
	if cut := incompleteTail(p); cut > 0 {
		t.pending = append([]byte(nil), p[len(p)-cut:]...)
		p = p[:len(p)-cut]
	} else if cut := len(p) - len(bytes.TrimSuffix(p, []byte("\r"))); cut > 0 {
		t.pending = append([]byte(nil), p[len(p)-cut:]...)
		p = p[:len(p)-cut]
	}
	t.write(p)
	if t.err != nil {
		return 0, t.err
	}
	return n, nil
}

func (t *textWriter) write(p []byte) {
	if len(p) == 0 || t.err != nil {
		return
	}
	_, t.err = io.WriteString(t.w, terminalSafe(string(p)))
}

// terminalSafe is model.DisplaySafe keeping newlines, tabs and CRLF line
// ends (CSV output uses them); a lone CR, which lets a line overwrite what
// was printed before, is replaced like any control character.
func terminalSafe(s string) string {
	if !strings.Contains(s, "\r\n") {
		return model.DisplaySafe(s, true)
	}
	parts := strings.Split(s, "\r\n")
	for i, p := range parts {
		parts[i] = model.DisplaySafe(p, true)
	}
	return strings.Join(parts, "\r\n")
}

// Close writes what is left of a cut sequence (as U+FFFD) and returns the
// first write error.
func (t *textWriter) Close() error {
	if len(t.pending) > 0 {
		t.write(t.pending)
		t.pending = nil
	}
	return t.err
}

// incompleteTail is the length of a UTF-8 sequence that p ends inside of.
func incompleteTail(p []byte) int {
	for i := 1; i <= 3 && i <= len(p); i++ {
		c := p[len(p)-i]
		if c < 0x80 {
			return 0
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(p[len(p)-i:]) {
				return i
			}
			return 0
		}
	}
	return 0
}

// jsonSafe rewrites every unsafe character of encoded JSON as a \u escape:
// the same JSON value, but nothing in the bytes can act on a terminal
// (encoding/json escapes C0 controls itself, not C1 or bidi characters).
// Encoded JSON has non-ASCII only inside strings, where \uXXXX is valid.
func jsonSafe(b []byte) []byte {
	if model.DisplaySafe(string(b), true) == string(b) {
		return b
	}
	var out bytes.Buffer
	out.Grow(len(b) + 16)
	for _, r := range string(b) {
		if model.UnsafeRune(r) && r != '\n' && r != '\t' {
			fmt.Fprintf(&out, `\u%04x`, r)
			continue
		}
		out.WriteRune(r)
	}
	return out.Bytes()
}

// rawStdout is where bytes that must stay exact go (a report's signed JSON):
// the process's stdout when it is a file or a pipe. On a terminal they go
// through the text writer like everything else: a person reads them there,
// and a control character would act on the terminal.
func (a *app) rawStdout() io.Writer {
	if f, ok := a.raw.out.(*os.File); ok && term.IsTerminal(f.Fd()) {
		return a.streams.out
	}
	return a.raw.out
}
