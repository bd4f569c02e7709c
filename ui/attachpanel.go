package ui

import (
	"fmt"
	"strings"

	"digilevel/attach"
	"digilevel/model"
	"digilevel/storage"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// attachPanel is the note and the evidence of one question or scenario:
// a note field, a field to add files (typed, pasted or dragged in: quoted,
// escaped and file:// paths work) and the attached files, each of which
// can take the focus and be removed from a draft. The walk and the
// scenario screen embed it; they own saving.
type attachPanel struct {
	sh    *shared
	ref   string
	note  textinput.Model
	evid  textinput.Model
	files []model.Evidence
	// focus: 0 = outside the panel, 1 = note, 2 = evidence field, 3.. = files.
	focus    int
	removing bool // asking whether to remove the focused file
	noteErr  string
	w        int
}

func newAttachPanel(sh *shared, ref string, a model.Assessment) attachPanel {
	p := attachPanel{sh: sh, ref: ref}
	p.note = panelInput(sh.tx.NotePlaceholder)
	p.note.CharLimit = model.MaxNoteLength
	p.note.SetValue(storedNote(a, ref))
	p.evid = panelInput(sh.tx.EvidenceHint)
	p.evid.CharLimit = 8192
	p.files = a.Evidence[ref]
	return p
}

// storedNote is a stored note as the field shows it (one line, harmless).
func storedNote(a model.Assessment, ref string) string {
	return strings.ReplaceAll(model.DisplaySafe(a.Answers.Notes[ref], false), "\t", " ")
}

func panelInput(placeholder string) textinput.Model {
	ti := textinput.New()
	ti.Prompt = ""
	ti.Placeholder = Display(placeholder)
	ti.Cursor.SetMode(cursor.CursorStatic)
	return ti
}

// stops is the number of focus positions in the panel.
func (p attachPanel) stops() int { return 2 + len(p.files) }

func (p *attachPanel) resize(w int) {
	p.w = w
	p.note.Width = max(w-14, 10)
	p.evid.Width = max(w-14, 10)
}

// setFocus gives the panel's stop i (1-based) the focus; 0 takes it away.
func (p *attachPanel) setFocus(i int) tea.Cmd {
	p.focus = i
	p.removing = false
	p.note.Blur()
	p.evid.Blur()
	switch i {
	case 1:
		return p.note.Focus()
	case 2:
		return p.evid.Focus()
	}
	return nil
}

// typing reports whether a text field of the panel has the focus.
func (p attachPanel) typing() bool { return p.focus == 1 || p.focus == 2 }

// refresh takes the stored files of a (after an add or a remove).
func (p *attachPanel) refresh(a model.Assessment) {
	p.files = a.Evidence[p.ref]
	if p.focus > p.stops() {
		p.setFocus(p.stops())
	}
}

// pendingNote is the typed note when it differs from the stored one; the
// comparison is with the stored note as shown, so passing a question does
// not rewrite an old note.
func (p attachPanel) pendingNote(a model.Assessment) *string {
	n := strings.TrimSpace(p.note.Value())
	if n == strings.TrimSpace(storedNote(a, p.ref)) {
		return nil
	}
	return &n
}

// checkNote applies the one text rule to the typed note.
func (p *attachPanel) checkNote() bool {
	p.noteErr = ""
	if err := model.CheckText(p.note.Value(), model.TextRule{Label: p.sh.tx.NoteLabel, Max: model.MaxNoteLength}); err != nil {
		p.noteErr = errText(err)
		return false
	}
	return true
}

// panelAction is what a key asks of the owning screen.
type panelAction int

const (
	panelNone   panelAction = iota
	panelAdd                // add the typed files (enter on the evidence field)
	panelRemove             // remove the focused file (confirmed)
)

// update handles a key while the panel has the focus.
func (p *attachPanel) update(k tea.KeyMsg) (tea.Cmd, panelAction) {
	keys := p.sh.keys
	if p.removing {
		switch {
		case key.Matches(k, keys.Confirm):
			p.removing = false
			return nil, panelRemove
		case key.Matches(k, keys.Cancel):
			p.removing = false
		}
		return nil, panelNone
	}
	switch p.focus {
	case 1:
		var cmd tea.Cmd
		p.note, cmd = p.note.Update(k)
		p.noteErr = ""
		return cmd, panelNone
	case 2:
		if key.Matches(k, keys.Enter) && strings.TrimSpace(p.evid.Value()) != "" {
			return nil, panelAdd
		}
		var cmd tea.Cmd
		p.evid, cmd = p.evid.Update(k)
		return cmd, panelNone
	}
	if key.Matches(k, keys.Remove) {
		p.removing = true
	}
	return nil, panelNone
}

// key handles a key for the panel of an assessment's item: typing, or
// adding the typed files (which starts a write: saving is true).
func (p *attachPanel) key(k tea.KeyMsg, a model.Assessment) (cmd tea.Cmd, saving bool, err string) {
	cmd, act := p.update(k)
	if act != panelAdd {
		return cmd, false, ""
	}
	if a.State.Frozen() {
		return nil, false, p.sh.tx.ReadOnly
	}
	return addEvidenceCmd(p.sh.deps.Store, a.ID, p.ref, p.evid.Value(), p.sh.change("")), true, ""
}

// done takes the result of an add or a remove: the stored assessment
// replaces a (when something was written), then the error or the
// confirmation to show.
func (p *attachPanel) done(msg evidenceMsg, a *model.Assessment) (err, info string) {
	if msg.a.ID != "" {
		*a = msg.a
		p.refresh(msg.a)
	}
	if msg.err != nil {
		return errText(msg.err), ""
	}
	if msg.removed == "" {
		p.evid.SetValue("")
	}
	return "", evidenceInfo(p.sh.tx, msg)
}

// focused is the attached file with the focus.
func (p attachPanel) focused() (model.Evidence, bool) {
	if i := p.focus - 3; i >= 0 && i < len(p.files) {
		return p.files[i], true
	}
	return model.Evidence{}, false
}

// view draws the panel; focusLine is the line of the focused stop.
func (p attachPanel) view(field func(string, bool) string) (lines []string, focusLine int) {
	st, t := p.sh.st, p.sh.tx
	mark := func(stop int) string {
		if p.focus == stop {
			focusLine = len(lines)
			return "▸ "
		}
		return "  "
	}
	lines = append(lines, mark(1)+pad(t.NoteLabel, 6)+" "+field(p.note.View(), p.focus == 1))
	if p.noteErr != "" {
		for _, l := range wrap(p.noteErr, p.w-4) {
			lines = append(lines, "    "+st.Error.Render(l))
		}
	}
	lines = append(lines, mark(2)+pad(t.EvidenceLabel, 6)+" "+field(p.evid.View(), p.focus == 2))
	for i, ev := range p.files {
		m := mark(3 + i)
		text := fmt.Sprintf(t.EvidenceItemFmt, oneLine(ev.Name()), attach.Size(ev.Size), model.ShortHash(ev.SHA256))
		for j, l := range wrap(text, p.w-9) {
			prefix := "         "
			if j == 0 {
				prefix = m + "       "
			}
			if p.focus == 3+i {
				lines = append(lines, st.Cursor.Render(prefix+l))
			} else {
				lines = append(lines, st.Dim.Render(prefix+l))
			}
		}
		if p.focus == 3+i {
			hint := t.EvidenceRemoveHint
			if p.removing {
				hint = fmt.Sprintf(t.EvidenceRemoveAsk, oneLine(ev.Name()))
			}
			for _, l := range wrap(hint, p.w-9) {
				lines = append(lines, "         "+st.Warn.Render(l))
			}
			focusLine = len(lines) - 1 // the question under the file stays in view
		}
	}
	if p.focus == 2 {
		focusLine = len(lines) - 1 // keep the attached files in view
	}
	return lines, focusLine
}

// addEvidenceCmd reads the typed files (regular files within the limit;
// nothing else is opened) and attaches each; it stops at the first that
// fails, keeping the ones before.
func addEvidenceCmd(st Store, id, ref, typed string, c model.Change) tea.Cmd {
	return func() tea.Msg {
		limit, err := st.EvidenceLimit()
		if err != nil {
			return evidenceMsg{err: err}
		}
		var out evidenceMsg
		for _, path := range attach.Paths(typed, attach.Exists) {
			f, err := attach.Read(path, limit)
			if err == nil {
				out.a, err = st.AddEvidence(id, ref, storage.FromAttach(f), c)
			}
			if err != nil {
				out.err = err
				return out
			}
			out.added = append(out.added, model.Evidence{Path: f.Path}.Name())
		}
		return out
	}
}

func removeEvidenceCmd(st Store, id, ref string, ev model.Evidence, c model.Change) tea.Cmd {
	return func() tea.Msg {
		a, err := st.RemoveEvidence(id, ref, ev.SHA256, c)
		return evidenceMsg{a: a, err: err, removed: ev.Name()}
	}
}

// evidenceInfo is the confirmation of an evidence message.
func evidenceInfo(t *Text, msg evidenceMsg) string {
	if msg.removed != "" {
		return fmt.Sprintf(t.EvidenceRemoved, oneLine(msg.removed))
	}
	return fmt.Sprintf(t.EvidenceAdded, oneLine(strings.Join(msg.added, "、")))
}
