package ui

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	"digilevel/model"
	"digilevel/storage"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"
	"github.com/muesli/termenv"
)

// Goldens are plain text: no colour escapes whatever the terminal is.
func init() { lipgloss.SetColorProfile(termenv.Ascii) }

// fixedNow is the clock of every test, so goldens do not change with the date.
func fixedNow() time.Time { return time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC) }

// testIdentity is who the test laptops rate as.
var testIdentity = model.Assessor{Org: "测试服务商", Person: "测试顾问"}

// newTestDB opens a real store in a temporary directory, with the
// identity set (as on a laptop past its first run).
func newTestDB(t testing.TB) (*storage.DB, string) {
	t.Helper()
	db, path := newBareDB(t)
	if err := db.SetIdentity(testIdentity); err != nil {
		t.Fatal(err)
	}
	return db, path
}

// newBareDB is a first run: no identity yet. Screens do not depend on
// fsync, so the store skips it (durability is tested in storage and by
// the flows that reopen the file).
func newBareDB(t testing.TB) (*storage.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "digilevel.db")
	db, err := storage.Open(path, storage.Options{Now: fixedNow, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func testDeps(st Store) Deps {
	return Deps{Store: st, Now: fixedNow, User: "测试顾问", WorkDir: "/tmp"}
}

// harness drives the root model synchronously: it runs every command a
// message produces and feeds the results back, so a test sees the screen
// after all saves finished. Commands that do not return quickly are ticks
// (cursor blink, the sync timer) and are dropped.
type harness struct {
	t    testing.TB
	m    Model
	quit bool
}

func newHarness(t testing.TB, d Deps, w, h int) *harness {
	t.Helper()
	m, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	hs := &harness{t: t, m: m}
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	hs.run(m.Init())
	return hs
}

func (h *harness) send(msgs ...tea.Msg) *harness {
	h.t.Helper()
	for _, msg := range msgs {
		next, cmd := h.m.Update(msg)
		h.m = next.(Model)
		h.run(cmd)
	}
	return h
}

// keys sends key presses: names ("enter", "esc", "tab", "shift+tab", "up",
// "down", "left", "right", "space", "pgdown", "pgup", "ctrl+c") or text.
func (h *harness) keys(ks ...string) *harness {
	h.t.Helper()
	for _, k := range ks {
		h.send(keyMsg(k))
	}
	return h
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "ctrl+u":
		return tea.KeyMsg{Type: tea.KeyCtrlU}
	case "delete":
		return tea.KeyMsg{Type: tea.KeyDelete}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	if cmd == nil {
		return
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(300 * time.Millisecond):
		return // a tick
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	case tea.QuitMsg:
		h.quit = true
	default:
		// tea.Sequence's message type is unexported: a slice of commands.
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
			for i := 0; i < v.Len(); i++ {
				h.run(v.Index(i).Interface().(tea.Cmd))
			}
			return
		}
		h.send(msg)
	}
}

func (h *harness) view() string { return ansi.Strip(h.m.View()) }

// checkFrame asserts what every screen must satisfy: no line wider than the
// terminal, no more lines than it has, no ambiguous-width rune outside box
// drawing.
func checkFrame(t testing.TB, view string, w, hgt int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > hgt {
		t.Errorf("%d lines, terminal has %d", len(lines), hgt)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got > w {
			t.Errorf("line %d is %d cells wide, terminal %d: %q", i+1, got, w, l)
		}
		for _, r := range l {
			if r >= 0x2500 && r <= 0x257F { // box drawing: the borders themselves
				continue
			}
			if runewidth.IsAmbiguousWidth(r) && !unicode.IsLetter(r) {
				t.Errorf("line %d has ambiguous-width rune %q (%U): %q", i+1, r, r, l)
			}
		}
	}
}

// fakePlatform stands in for the district platform (the real one, through
// the sync client, is tested in cmd/digilevel and by scripts/e2e-tui.sh).
type fakePlatform struct {
	calls  int
	res    SendResult
	status PlatformStatus
	who    TokenInfo
	whoErr error
}

func (f *fakePlatform) SendPending(context.Context) (SendResult, error) {
	f.calls++
	return f.res, nil
}

func (f *fakePlatform) Status() (PlatformStatus, error) { return f.status, nil }

func (f *fakePlatform) CheckServer(s string) error {
	if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
		return model.Errorf(model.ErrInvalid, "服务器地址 %q 无效: 应为 http(s)://主机[:端口][/路径]", s)
	}
	return nil
}

func (f *fakePlatform) Whoami(context.Context, string, string) (TokenInfo, error) {
	return f.who, f.whoErr
}
