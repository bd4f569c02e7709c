// Command bareframe is the first frame's baseline in bench/run.sh: a bare Bubble
// Tea program (alt screen, one lipgloss box of Chinese text) that prints
// one frame and quits.
package main

import (
	"fmt"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

type frame struct{}

func (frame) Init() tea.Cmd                       { return tea.Quit }
func (frame) Update(tea.Msg) (tea.Model, tea.Cmd) { return frame{}, nil }
func (frame) View() string {
	return lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1).
		Render("中小企业数字化水平评测\n一帧之后退出")
}

func main() {
	if _, err := tea.NewProgram(frame{}, tea.WithAltScreen()).Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
