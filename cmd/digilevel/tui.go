package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"digilevel/storage"
	"digilevel/ui"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
)

// tuiOptions are the root command's own flags.
type tuiOptions struct {
	accessible bool
}

func (o *tuiOptions) addFlags(root *cobra.Command) {
	root.Flags().BoolVar(&o.accessible, "accessible", false, "逐行提问答题（读屏软件、简易终端；不需要全屏终端）")
}

// runTUI opens the terminal UI, or the plain prompts with --accessible.
func runTUI(ctx context.Context, a *app, o *tuiOptions) error {
	if o.accessible {
		return a.withStore(func(db *storage.DB) error {
			return ui.RunAccessible(ctx, a.streams.in, a.streams.out, a.uiDeps(ctx, db))
		})
	}
	in, inOK := a.raw.in.(*os.File)
	out, outOK := a.raw.out.(*os.File)
	if !inOK || !outOK || !term.IsTerminal(in.Fd()) || !term.IsTerminal(out.Fd()) {
		return exitCodeError{code: exitInput, err: errors.New(ui.Chinese().NoTTY)}
	}
	reexecIfEastAsian()

	db, err := a.openStore()
	if err != nil {
		return err
	}
	defer db.Close()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	d := a.uiDeps(ctx, db)
	d.ExitAfterFirstFrame = a.getenv("DIGILEVEL_EXIT_AFTER_FIRST_FRAME") == "1"
	m, err := ui.New(d)
	if err != nil {
		return err
	}
	// bubbletea's own handler turns SIGTERM into an immediate quit that the
	// model never sees; ours asks the model to save what is on screen first.
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithInput(in), tea.WithOutput(out), tea.WithoutSignalHandler())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT)
	defer signal.Stop(sigs)
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-sigs:
		case <-ctx.Done():
		case <-done:
			return
		}
		p.Send(ui.ShutdownMsg{})
		select { // a hung terminal must not keep the database open forever
		case <-time.After(3 * time.Second):
			p.Kill()
		case <-done:
		}
	}()
	_, err = p.Run()
	if errors.Is(err, tea.ErrProgramKilled) {
		err = nil // answers are committed before the screen moves on
	}
	return err
}

// uiDeps wires the store and the platform into the UI.
func (a *app) uiDeps(ctx context.Context, db *storage.DB) ui.Deps {
	wd, _ := os.Getwd()
	return ui.Deps{
		Store:    db,
		Platform: tuiPlatform{db},
		Puller:   tuiPlatform{db},
		Now:      time.Now,
		User:     osUser(),
		WorkDir:  wd,
		Context:  ctx,
	}
}

// reexecIfEastAsian restarts the process with RUNEWIDTH_EASTASIAN=0 when the
// environment makes box-drawing runes count two cells: x/ansi reads the
// variable once at start, and every border would be drawn half as long.
func reexecIfEastAsian() {
	if ansi.StringWidth("─") == 1 {
		return
	}
	exe, err := os.Executable()
	if err != nil {
		return
	}
	env := []string{"RUNEWIDTH_EASTASIAN=0"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "RUNEWIDTH_EASTASIAN=") {
			env = append(env, kv)
		}
	}
	if err := syscall.Exec(exe, os.Args, env); err != nil {
		fmt.Fprintln(os.Stderr, "digilevel: RUNEWIDTH_EASTASIAN=1 会使界面错位，请设为 0:", err)
	}
}
