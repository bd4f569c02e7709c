package ui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
)

// Styles is every style the UI uses. Colours are the 16 basic ANSI ones, so
// they read on light and dark backgrounds without a background query.
// Colour is never the only sign of a state: every choice also has a mark
// ([x], (*), [是], the cursor ▸), so the screens read the same under
// NO_COLOR (termenv then drops every colour and attribute).
type Styles struct {
	Header    lipgloss.Style // top line: app, enterprise
	HeaderDim lipgloss.Style
	Title     lipgloss.Style // question title, screen title
	Path      lipgloss.Style // 维度 › 指标
	Dim       lipgloss.Style // descriptions, hints
	Cursor    lipgloss.Style // the line under the cursor
	Chosen    lipgloss.Style // a chosen option
	Warn      lipgloss.Style
	Error     lipgloss.Style
	OK        lipgloss.Style
	Info      lipgloss.Style
	Rule      lipgloss.Style // horizontal rules
	Box       lipgloss.Style // a bordered panel
	BoxActive lipgloss.Style // the panel under the cursor
	Dialog    lipgloss.Style // modal dialogs
	Input     lipgloss.Style // text field frame (focused)
	InputDim  lipgloss.Style // text field frame (blurred)
	Help      help.Styles
	Form      *huh.Theme
}

// DefaultStyles builds the styles.
func DefaultStyles() *Styles {
	var (
		accent = lipgloss.Color("6") // cyan
		warn   = lipgloss.Color("3") // yellow
		bad    = lipgloss.Color("1") // red
		good   = lipgloss.Color("2") // green
		dim    = lipgloss.Color("8") // grey
		magent = lipgloss.Color("5")
	)
	base := lipgloss.NewStyle()
	s := &Styles{
		Header:    base.Bold(true).Foreground(accent),
		HeaderDim: base.Foreground(dim),
		Title:     base.Bold(true),
		Path:      base.Foreground(accent),
		Dim:       base.Foreground(dim),
		Cursor:    base.Bold(true).Foreground(magent),
		Chosen:    base.Foreground(good),
		Warn:      base.Foreground(warn),
		Error:     base.Bold(true).Foreground(bad),
		OK:        base.Foreground(good),
		Info:      base.Foreground(accent),
		Rule:      base.Foreground(dim),
		Box:       base.Border(lipgloss.RoundedBorder()).BorderForeground(dim).Padding(0, 1),
		Dialog:    base.Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1),
		Input:     base.Foreground(accent),
		InputDim:  base.Foreground(dim),
	}
	s.BoxActive = s.Box.BorderForeground(magent)
	s.Help = help.Styles{
		ShortKey:       base.Foreground(accent),
		ShortDesc:      base.Foreground(dim),
		ShortSeparator: base.Foreground(dim),
		Ellipsis:       base.Foreground(dim),
		FullKey:        base.Foreground(accent),
		FullDesc:       base.Foreground(dim),
		FullSeparator:  base.Foreground(dim),
	}
	s.Form = formTheme()
	return s
}

// formTheme is huh's base16 theme without ambiguous-width symbols.
func formTheme() *huh.Theme {
	t := huh.ThemeBase16()
	for _, fs := range []*huh.FieldStyles{&t.Focused, &t.Blurred} {
		fs.SelectedPrefix = fs.SelectedPrefix.SetString("[x] ")
		fs.UnselectedPrefix = fs.UnselectedPrefix.SetString("[ ] ")
		fs.ErrorIndicator = fs.ErrorIndicator.SetString(" *")
		// Without colour (NO_COLOR, monochrome terminals) the chosen
		// button must still be visible: [是]  否 .
		fs.FocusedButton = fs.FocusedButton.Transform(func(s string) string { return "[" + s + "]" })
		fs.BlurredButton = fs.BlurredButton.Transform(func(s string) string { return " " + s + " " })
	}
	t.Focused.NextIndicator = t.Focused.NextIndicator.SetString(">")
	t.Focused.PrevIndicator = t.Focused.PrevIndicator.SetString("<")
	t.Blurred.NextIndicator = t.Blurred.NextIndicator.UnsetString()
	t.Blurred.PrevIndicator = t.Blurred.PrevIndicator.UnsetString()
	return t
}
