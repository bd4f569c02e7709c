package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// pager scrolls prepared lines below a screen's fixed title: the
// spot-check comparison and the audit view. The last line it draws says
// how many lines are below, when some are.
type pager struct {
	lines  []string
	offset int
	h      int // lines it may draw
}

// room is what the lines get: the height less the "more below" line.
func (p pager) room() int { return max(p.h-1, 3) }

func (p *pager) set(lines []string) {
	p.lines = lines
	p.offset = min(p.offset, max(len(p.lines)-p.room(), 0))
}

func (p *pager) resize(h int) {
	p.h = h
	p.set(p.lines)
}

// scroll moves by a line or a page; it reports whether k was a scrolling key.
func (p *pager) scroll(keys *KeyMap, k tea.KeyMsg) bool {
	last := max(len(p.lines)-p.room(), 0)
	switch {
	case key.Matches(k, keys.Up):
		p.offset = max(p.offset-1, 0)
	case key.Matches(k, keys.Down):
		p.offset = min(p.offset+1, last)
	case key.Matches(k, keys.PageUp):
		p.offset = max(p.offset-p.room(), 0)
	case key.Matches(k, keys.PageDown):
		p.offset = min(p.offset+p.room(), last)
	default:
		return false
	}
	return true
}

func (p pager) view(st *Styles, tx *Text) []string {
	end := min(p.offset+p.room(), len(p.lines))
	out := append([]string{}, p.lines[p.offset:end]...)
	if rest := len(p.lines) - end; rest > 0 {
		out = append(out, st.Dim.Render(fmt.Sprintf(tx.MoreBelow, rest)))
	}
	return out
}
