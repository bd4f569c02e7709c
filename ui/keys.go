package ui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key the UI understands; help is generated from it. Screens
// relabel copies for their context (key.Binding is a value).
type KeyMap struct {
	Up, Down, Left, Right key.Binding
	PageUp, PageDown      key.Binding
	// ArrowUp and ArrowDown leave a text field; letters must stay typeable.
	ArrowUp, ArrowDown key.Binding
	Enter, Toggle      key.Binding
	Tab, ShiftTab      key.Binding
	Back, Help         key.Binding
	// HelpAlways opens the help also while a text field has the focus
	// (where ? is typed).
	HelpAlways      key.Binding
	Quit, ForceQuit key.Binding
	Settings        key.Binding

	// Home.
	Filter, Sort                 key.Binding
	NewAssessment, NewEnterprise key.Binding
	Edit, Sync                   key.Binding

	// Walk, scenarios, review.
	Jump, Scenarios, Review key.Binding
	Next, Prev              key.Binding
	Level                   key.Binding // 0–4
	Finalize, Export        key.Binding
	Revise                  key.Binding
	Confirm, Cancel         key.Binding
	// Option is the letter of an option (a-z): picks or toggles it.
	Option key.Binding
	// Remove takes the attached file under the cursor off.
	Remove key.Binding

	// Sync.
	SendNow key.Binding

	// Spot-checks: the pulled reports, pulling, the comparison, the audit view.
	Inspect, PullPlatform, PullBundle key.Binding
	Compare, Audit, OnlyDiff          key.Binding
	// Diagnosis: survey, lists, plan (review), profile (home); adding,
	// rewording and moving list items.
	Survey, Lists, Plan, Profile key.Binding
	Add, AddPain, Reword         key.Binding
	MoveUp, MoveDown, MoveTo     key.Binding
}

// DefaultKeyMap builds the key map with help labels from t.
func DefaultKeyMap(t *Text) *KeyMap {
	h := t.Help
	b := func(keys []string, label, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(label, desc))
	}
	return &KeyMap{
		Up:            b([]string{"up", "k"}, "up/k", h.Up),
		Down:          b([]string{"down", "j"}, "down/j", h.Down),
		Left:          b([]string{"left", "h"}, "left/h", h.Left),
		Right:         b([]string{"right", "l"}, "right/l", h.Right),
		ArrowUp:       b([]string{"up"}, "up", h.Up),
		ArrowDown:     b([]string{"down"}, "down", h.Down),
		PageUp:        b([]string{"pgup"}, "pgup", h.PageUp),
		PageDown:      b([]string{"pgdown"}, "pgdn", h.PageDown),
		Enter:         b([]string{"enter"}, "enter", h.Enter),
		Toggle:        b([]string{" "}, "空格", h.Toggle),
		Tab:           b([]string{"tab"}, "tab", h.Tab),
		ShiftTab:      b([]string{"shift+tab"}, "shift+tab", h.ShiftTab),
		Back:          b([]string{"esc"}, "esc", h.Back),
		Help:          b([]string{"?"}, "?", h.Help),
		HelpAlways:    b([]string{"f1"}, "f1", h.Help),
		Settings:      b([]string{"o"}, "o", h.Settings),
		Quit:          b([]string{"q"}, "q", h.Quit),
		ForceQuit:     b([]string{"ctrl+c"}, "ctrl+c", h.ForceQuit),
		Filter:        b([]string{"/"}, "/", h.Filter),
		Sort:          b([]string{"s"}, "s", h.Sort),
		NewAssessment: b([]string{"n"}, "n", h.NewAssessment),
		NewEnterprise: b([]string{"a"}, "a", h.NewEnterprise),
		Edit:          b([]string{"e"}, "e", h.Edit),
		Sync:          b([]string{"y"}, "y", h.Sync),
		Jump:          b([]string{"t"}, "t", h.Jump),
		Scenarios:     b([]string{"s"}, "s", h.Scenarios),
		Review:        b([]string{"r"}, "r", h.Review),
		Next:          b([]string{"]", "pgdown"}, "]", h.Next),
		Prev:          b([]string{"[", "pgup"}, "[", h.Prev),
		Level:         b([]string{"0", "1", "2", "3", "4"}, "0-4", h.Level),
		Finalize:      b([]string{"f"}, "f", h.Finalize),
		Export:        b([]string{"x"}, "x", h.Export),
		Revise:        b([]string{"v"}, "v", h.Revise),
		Confirm:       b([]string{"y"}, "y", h.Confirm),
		Cancel:        b([]string{"n", "esc"}, "n/esc", h.Cancel),
		SendNow:       b([]string{"s"}, "s", h.SendNow),
		Option:        b(letters(), "a-o", h.Option),
		Remove:        b([]string{"x", "delete"}, "x", h.Remove),
		Inspect:       b([]string{"p"}, "p", t.Spot.HelpInspect),
		PullPlatform:  b([]string{"g"}, "g", t.Spot.HelpPullPlatform),
		PullBundle:    b([]string{"b"}, "b", t.Spot.HelpPullBundle),
		Compare:       b([]string{"c"}, "c", t.Spot.HelpCompare),
		Audit:         b([]string{"a"}, "a", t.Spot.HelpAudit),
		OnlyDiff:      b([]string{"d"}, "d", t.Spot.HelpOnlyDiff),
		Survey:        b([]string{"u"}, "u", t.Diag.HelpSurvey),
		Lists:         b([]string{"l"}, "l", t.Diag.HelpLists),
		Plan:          b([]string{"p"}, "p", t.Diag.HelpPlan),
		Profile:       b([]string{"i"}, "i", t.Diag.HelpProfile),
		Add:           b([]string{"a"}, "a", t.Diag.HelpAdd),
		AddPain:       b([]string{"p"}, "p", t.Diag.HelpPain),
		Reword:        b([]string{"e"}, "e", t.Diag.HelpReword),
		MoveUp:        b([]string{"K", "shift+up"}, "K", t.Diag.HelpMoveUp),
		MoveDown:      b([]string{"J", "shift+down"}, "J", t.Diag.HelpMove),
		MoveTo:        b([]string{"m"}, "m", t.Diag.HelpMoveTo),
	}
}

// letters are the keys a to z.
func letters() []string {
	out := make([]string, 0, 26)
	for r := 'a'; r <= 'z'; r++ {
		out = append(out, string(r))
	}
	return out
}

// relabel returns a copy of k with another description.
func relabel(k key.Binding, desc string) key.Binding {
	k.SetHelp(k.Help().Key, desc)
	return k
}

// helpKeys is implemented by every screen; the root renders its help.
type helpKeys struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h helpKeys) ShortHelp() []key.Binding  { return h.short }
func (h helpKeys) FullHelp() [][]key.Binding { return h.full }
