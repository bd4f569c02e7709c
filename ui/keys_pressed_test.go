package ui

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"

	"digilevel/model"
)

// The keys each binding answers to, as docs/tui.md and the help screens
// tell them. Every field of KeyMap must be here, and every key listed must
// match (and only these), so a key unbound or bound to the wrong action
// fails here before a person finds it in a factory.
var documentedKeys = map[string][]string{
	"Up": {"up", "k"}, "Down": {"down", "j"}, "Left": {"left", "h"}, "Right": {"right", "l"},
	"PageUp": {"pgup"}, "PageDown": {"pgdown"},
	"ArrowUp": {"up"}, "ArrowDown": {"down"},
	"Enter": {"enter"}, "Toggle": {" "},
	"Tab": {"tab"}, "ShiftTab": {"shift+tab"},
	"Back": {"esc"}, "Help": {"?"}, "HelpAlways": {"f1"},
	"Quit": {"q"}, "ForceQuit": {"ctrl+c"}, "Settings": {"o"},
	"Filter": {"/"}, "Sort": {"s"}, "NewAssessment": {"n"}, "NewEnterprise": {"a"},
	"Edit": {"e"}, "Sync": {"y"},
	"Jump": {"t"}, "Scenarios": {"s"}, "Review": {"r"},
	"Next": {"]", "pgdown"}, "Prev": {"[", "pgup"},
	"Level":    {"0", "1", "2", "3", "4"},
	"Finalize": {"f"}, "Export": {"x"}, "Revise": {"v"},
	"Confirm": {"y"}, "Cancel": {"n", "esc"},
	"Option":  strings.Split("abcdefghijklmnopqrstuvwxyz", ""),
	"Remove":  {"x", "delete"},
	"SendNow": {"s"},
	"Inspect": {"p"}, "PullPlatform": {"g"}, "PullBundle": {"b"},
	"Compare": {"c"}, "Audit": {"a"}, "OnlyDiff": {"d"},
	"Survey": {"u"}, "Lists": {"l"}, "Plan": {"p"}, "Profile": {"i"},
	"Add": {"a"}, "AddPain": {"p"}, "Reword": {"e"},
	"MoveUp": {"K", "shift+up"}, "MoveDown": {"J", "shift+down"}, "MoveTo": {"m"},
}

// keyFor is the message a terminal sends for a key name.
func keyFor(k string) string {
	switch k {
	case " ":
		return "space"
	}
	return k
}

func TestKeyMapBindsDocumentedKeys(t *testing.T) {
	km := DefaultKeyMap(Chinese())
	v := reflect.ValueOf(km).Elem()
	allKeys := []string{"f1", "f2", "home", "end", "backspace", "insert"}
	for _, ks := range documentedKeys {
		allKeys = append(allKeys, ks...)
	}
	for i := 0; i < v.NumField(); i++ {
		name := v.Type().Field(i).Name
		b, ok := v.Field(i).Interface().(key.Binding)
		if !ok {
			continue
		}
		want, ok := documentedKeys[name]
		if !ok {
			t.Errorf("KeyMap.%s is not in documentedKeys: add it with its keys (and to docs/tui.md)", name)
			continue
		}
		if got := b.Keys(); !slices.Equal(got, want) {
			t.Errorf("KeyMap.%s answers %q, documented %q", name, got, want)
		}
		if !b.Enabled() || b.Help().Key == "" || b.Help().Desc == "" {
			t.Errorf("KeyMap.%s is disabled or has no help (%q %q)", name, b.Help().Key, b.Help().Desc)
		}
		for _, k := range allKeys {
			if got := key.Matches(keyMsg(keyFor(k)), b); got != slices.Contains(want, k) {
				t.Errorf("pressing %q: KeyMap.%s matches = %v", k, name, got)
			}
		}
	}
}

var selected = regexp.MustCompile(`(?m)^▸ (\S+)`)

// selection is the home list's selected row (its first word).
func selection(t *testing.T, h *harness) string {
	t.Helper()
	m := selected.FindStringSubmatch(h.view())
	if m == nil {
		t.Fatalf("no selected row:\n%s", h.view())
	}
	return m[1]
}

// The home list: j/k and the arrows move one row, the page keys to the
// ends; q quits.
func TestHomeKeysMoveAndQuit(t *testing.T) {
	fx := newFixture(t, false)
	h := newHarness(t, testDeps(fx.db), 80, 24)
	first, second, third := "【示例】新乡市示例机械制造有限..", "新乡市高新电子科技股份有限公司", "河南省牧野食品有限公司"
	steps := []struct {
		key, want string
	}{
		{"j", second}, {"j", third}, {"k", second}, {"k", first},
		{"down", second}, {"up", first},
		{"pgdown", third}, {"pgup", first},
	}
	for _, s := range steps {
		h.keys(s.key)
		if got := selection(t, h); got != s.want {
			t.Fatalf("after %q the selection is %q, want %q", s.key, got, s.want)
		}
	}
	if h.quit {
		t.Fatal("quit before q")
	}
	h.keys("q")
	if !h.quit {
		t.Fatal("q on the home screen does not quit")
	}
}

var moreLines = regexp.MustCompile(`下方还有 (\d+) 行`)

func remaining(t *testing.T, h *harness) string {
	t.Helper()
	m := moreLines.FindStringSubmatch(h.view())
	if m == nil {
		return "0"
	}
	return m[1]
}

// The review scrolls with j/k, the arrows and the page keys; esc goes
// home; t opens the walk, s the scenarios, r the review again; ? shows the
// help and esc closes it; ctrl+c quits.
func TestReviewAndWalkKeys(t *testing.T) {
	fx := newFixture(t, false)
	h := newHarness(t, testDeps(fx.db), 80, 24)
	h.keys("j", "enter")
	if !strings.Contains(h.view(), "等级条件") {
		t.Fatalf("enter on a complete assessment does not open its review:\n%s", h.view())
	}
	top := remaining(t, h)
	for _, s := range []struct {
		key  string
		less bool // scrolled down from the top
	}{{"j", true}, {"k", false}, {"down", true}, {"up", false}, {"pgdown", true}, {"pgup", false}} {
		h.keys(s.key)
		if got := remaining(t, h); (got != top) != s.less {
			t.Fatalf("after %q %s lines below (at the top %s)", s.key, got, top)
		}
	}
	h.keys("t")
	for _, s := range []struct{ key, want string }{
		{"]", "第 2/15 题"}, {"]", "第 3/15 题"}, {"[", "第 2/15 题"}, {"pgdown", "第 3/15 题"}, {"pgup", "第 2/15 题"},
	} {
		h.keys(s.key)
		if !strings.Contains(h.view(), s.want) {
			t.Fatalf("walk: after %q want %s:\n%s", s.key, s.want, h.view())
		}
	}
	h.keys("?")
	if v := h.view(); !strings.Contains(v, "帮助") || !strings.Contains(v, "esc    返回") {
		t.Fatalf("? shows no help:\n%s", v)
	}
	h.keys("esc")
	if !strings.Contains(h.view(), "第 2/15 题") {
		t.Fatalf("esc does not close the help:\n%s", h.view())
	}
	h.keys("r")
	if !strings.Contains(h.view(), "等级条件") {
		t.Fatalf("r does not open the review:\n%s", h.view())
	}
	h.keys("esc")
	if selection(t, h) != "新乡市高新电子科技股份有限公司" {
		t.Fatalf("esc from the review does not go home:\n%s", h.view())
	}
	h.keys("ctrl+c")
	if !h.quit {
		t.Fatal("ctrl+c does not quit")
	}
}

// Scenario rating: h/l, the arrows and j/k move the level, 0–4 rate the
// scenario at once (stored), ] and [ move between scenarios, esc goes
// home saving what is on screen.
func TestScenarioRatingKeys(t *testing.T) {
	fx := newFixture(t, false)
	h := newHarness(t, testDeps(fx.db), 80, 24)
	h.keys("j", "enter", "s")
	level := regexp.MustCompile(`(?m)^▸ \(.\) (\d)`)
	at := func() string {
		m := level.FindStringSubmatch(h.view())
		if m == nil {
			t.Fatalf("no level under the cursor:\n%s", h.view())
		}
		return m[1]
	}
	scenario := regexp.MustCompile(`(SC\d\d) \S+ ・`)
	current := func() string {
		m := scenario.FindStringSubmatch(h.view())
		if m == nil {
			t.Fatalf("no scenario shown:\n%s", h.view())
		}
		return m[1]
	}
	if current() != "SC01" || at() != "2" {
		t.Fatalf("scenarios open on %s at level %s, want SC01 at 2", current(), at())
	}
	for _, s := range []struct{ key, want string }{
		{"l", "3"}, {"h", "2"}, {"right", "3"}, {"left", "2"}, {"j", "3"}, {"k", "2"},
	} {
		h.keys(s.key)
		if got := at(); got != s.want {
			t.Fatalf("after %q the cursor is at level %s, want %s", s.key, got, s.want)
		}
	}
	for _, s := range []struct{ key, want string }{{"]", "SC02"}, {"]", "SC03"}, {"[", "SC02"}, {"pgdown", "SC03"}, {"pgup", "SC02"}} {
		h.keys(s.key)
		if got := current(); got != s.want {
			t.Fatalf("after %q scenario %s, want %s", s.key, got, s.want)
		}
	}
	rated := map[string]model.ScenarioRating{}
	for _, l := range []string{"0", "1", "3", "4", "2"} {
		id := current()
		h.keys(l)
		rated[id] = model.ScenarioRating(l[0] - '0')
		if strings.Contains(h.view(), "等级条件") {
			// Every scenario rated: the review opens; back to the next one.
			h.keys("s")
			for i := 0; i < 16 && current() != nextOf(id); i++ {
				h.keys("]")
			}
		}
		if current() != nextOf(id) {
			t.Fatalf("rating %s with %q did not move on to %s:\n%s", id, l, nextOf(id), h.view())
		}
	}
	a, err := fx.db.Assessment(fx.complete)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range rated {
		if got := a.Answers.Scenarios[id]; got != want {
			t.Errorf("%s stored at %d, want %d", id, got, want)
		}
	}
	h.keys("esc")
	if selection(t, h) != "新乡市高新电子科技股份有限公司" {
		t.Fatalf("esc from the scenarios does not go home:\n%s", h.view())
	}
}

// nextOf is the scenario after id (SC01 → SC02).
func nextOf(id string) string {
	n := int(id[2]-'0')*10 + int(id[3]-'0') + 1
	return "SC" + string(rune('0'+n/10)) + string(rune('0'+n%10))
}

// TestScenarioEnterNeedsAChoice: on a scenario nobody rated, Enter does not
// rate the cursor's starting place (未达一级): it asks for a level, and
// stores nothing; a typed level rates and moves on, and the Enter that
// follows it by habit is refused on the next scenario too.
func TestScenarioEnterNeedsAChoice(t *testing.T) {
	fx := newFixture(t, false)
	h := newHarness(t, testDeps(fx.db), 80, 24)
	h.keys("enter", "s") // the demo's draft, its first unrated scenario
	a, _ := fx.db.Assessment(fx.demo)
	before := len(a.Answers.Scenarios)
	h.keys("enter")
	if v := h.view(); !strings.Contains(v, "请先选择等级") {
		t.Fatalf("Enter on an unrated scenario:\n%s", v)
	}
	if a, _ = fx.db.Assessment(fx.demo); len(a.Answers.Scenarios) != before {
		t.Fatalf("Enter without a choice stored a rating: %d → %d", before, len(a.Answers.Scenarios))
	}
	h.keys("1", "enter")
	if a, _ = fx.db.Assessment(fx.demo); len(a.Answers.Scenarios) != before+1 {
		t.Fatalf("after 1 and a habitual Enter: %d ratings, want %d", len(a.Answers.Scenarios), before+1)
	}
	if v := h.view(); !strings.Contains(v, "请先选择等级") {
		t.Fatalf("the habitual Enter on the next scenario:\n%s", v)
	}
	// Moving the cursor is a choice: right then left chooses 0.
	h.keys("right", "left", "enter")
	if a, _ = fx.db.Assessment(fx.demo); len(a.Answers.Scenarios) != before+2 {
		t.Fatalf("a level chosen with the arrows was not stored: %d ratings", len(a.Answers.Scenarios))
	}
}

// TestSingleChoiceEnterNeedsAChoice: on a single choice nobody answered,
// Enter does not answer with the cursor's starting place (A): it asks for
// an option and stores nothing; an option the arrows point at is taken.
func TestSingleChoiceEnterNeedsAChoice(t *testing.T) {
	fx := newFixture(t, false)
	h := newHarness(t, testDeps(fx.db), 80, 24)
	h.keys("enter", "]") // the demo resumes at Q10; Q11 is a single choice not answered
	if v := h.view(); !strings.Contains(v, "第 11/15 题") {
		t.Fatalf("not on Q11:\n%s", v)
	}
	h.keys("enter")
	if v := h.view(); !strings.Contains(v, "请先选择一个选项") || !strings.Contains(v, "第 11/15 题") {
		t.Fatalf("Enter with nothing chosen:\n%s", v)
	}
	if a, _ := fx.db.Assessment(fx.demo); len(a.Answers.Answers["Q11"]) != 0 {
		t.Fatalf("Enter without a choice stored Q11 = %v", a.Answers.Answers["Q11"])
	}
	h.keys("down", "enter")
	if a, _ := fx.db.Assessment(fx.demo); strings.Join(a.Answers.Answers["Q11"], ",") != "B" {
		t.Fatalf("the option pointed at: Q11 = %v, want B", a.Answers.Answers["Q11"])
	}
	if v := h.view(); !strings.Contains(v, "第 12/15 题") {
		t.Fatalf("did not move on after saving:\n%s", v)
	}
}

// TestNumbersSavedWhenEnterAsksForAChoice: Enter on a question with numbers
// typed but no option asks for the option and saves the numbers meanwhile:
// a crash before the choice loses nothing typed.
func TestNumbersSavedWhenEnterAsksForAChoice(t *testing.T) {
	fx := newFixture(t, false)
	h := newHarness(t, testDeps(fx.db), 80, 24)
	h.keys("enter", "]", "tab", "35", "enter") // Q11: its one number field, then Enter
	v := h.view()
	if !strings.Contains(v, "请先选择一个选项") || !strings.Contains(v, "第 11/15 题") {
		t.Fatalf("Enter with a number and no option:\n%s", v)
	}
	a, _ := fx.db.Assessment(fx.demo)
	if len(a.Answers.Answers["Q11"]) != 0 {
		t.Errorf("an option was stored: %v", a.Answers.Answers["Q11"])
	}
	nums := a.Answers.Numbers["Q11"]
	if len(nums) != 1 {
		t.Fatalf("the typed number was not saved: %v", nums)
	}
	for _, v := range nums {
		if v != "35" {
			t.Errorf("saved %q, want 35", v)
		}
	}
}
