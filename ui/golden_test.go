package ui

import (
	"fmt"
	"testing"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// TestEastAsianWidthPinned fails early with the reason when the tests run
// with RUNEWIDTH_EASTASIAN=1: every golden would differ in its borders.
func TestEastAsianWidthPinned(t *testing.T) {
	if got := ansi.StringWidth("─"); got != 1 {
		t.Fatalf(`ansi.StringWidth("─") = %d, want 1: run the tests with RUNEWIDTH_EASTASIAN=0 (.ci/run exports it)`, got)
	}
}

// creditCode completes 17 characters with their check character.
func creditCode(t testing.TB, first17 string) string {
	t.Helper()
	c, err := model.CreditCodeCheckChar(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(c)
}

// fixture is the database behind the screen tests: the demo enterprise
// with its half-finished assessment, an enterprise with a complete draft
// and one without an assessment.
type fixture struct {
	db        *storage.DB
	path      string
	demo      string // demo assessment ID
	complete  string // complete draft ID
	codeE2    string
	codeE3    string
	finalized bool
}

func newFixture(t testing.TB, finalize bool) fixture {
	t.Helper()
	db, path := newTestDB(t)
	c := model.Change{Who: "测试顾问"}
	demo, err := db.CreateDemo(c)
	if err != nil {
		t.Fatal(err)
	}
	f := fixture{db: db, path: path, demo: demo.ID, codeE2: creditCode(t, "91410700MA01E1EC2"), codeE3: creditCode(t, "91410700MA02F00D3")}
	e2 := model.Enterprise{Code: f.codeE2, Name: "新乡市高新电子科技股份有限公司", Industry: "计算机、通信和其他电子设备制造业", Scale: model.ScaleAbove, ZJTX: model.ZJTXNational, Batch: 2, Provider: "河南智造数字服务有限公司"}
	e3 := model.Enterprise{Code: f.codeE3, Name: "河南省牧野食品有限公司", Industry: "食品制造业", Scale: model.ScaleBelow, Batch: 3}
	for _, e := range []model.Enterprise{e2, e3} {
		if _, err := db.CreateEnterprise(e, c); err != nil {
			t.Fatal(err)
		}
	}
	a, err := db.CreateAssessment(storage.NewAssessment{Enterprise: f.codeE2, Kind: model.KindBaseline, Assessor: model.Assessor{Org: "河南智造数字服务有限公司", Person: "李工"}}, c)
	if err != nil {
		t.Fatal(err)
	}
	f.complete = a.ID
	answerAll(t, db, a.ID)
	if finalize {
		if _, err := db.Finalize(a.ID, c); err != nil {
			t.Fatal(err)
		}
		f.finalized = true
	}
	return f
}

// answerAll answers every question with its best option(s) and rates every
// scenario 二级, which gives a complete assessment at 二级.
func answerAll(t testing.TB, db *storage.DB, id string) {
	t.Helper()
	cat, err := indicators.Embedded(indicators.DefaultEdition)
	if err != nil {
		t.Fatal(err)
	}
	c := model.Change{Who: "测试顾问"}
	for _, q := range cat.DefaultQuestionnaire().Questions() {
		var opts []string
		best := 0
		for i, o := range q.Options {
			if q.Type == indicators.Multi && !o.None {
				opts = append(opts, o.ID)
			}
			if o.Score > q.Options[best].Score {
				best = i
			}
		}
		if q.Type == indicators.Single {
			opts = []string{q.Options[best].ID}
		}
		if _, err := db.SaveAnswer(id, q.ID, opts, c); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range cat.Scenarios {
		if _, err := db.SaveRating(id, s.ID, 2, c); err != nil {
			t.Fatal(err)
		}
	}
}

// screens lists every screen the goldens cover and how to reach it.
var screens = []struct {
	name     string
	empty    bool // start from an empty database
	finalize bool // the complete draft is finalized first
	keys     []string
}{
	{name: "welcome", empty: true},
	{name: "home"},
	{name: "home_filter", keys: []string{"/", "电子"}},
	{name: "home_new_assessment", keys: []string{"n"}},
	{name: "help_home", keys: []string{"?"}},
	{name: "form_new", keys: []string{"a", "91410700MA00DEMX01"}},
	{name: "form_edit", keys: []string{"e"}},
	{name: "walk_resume", keys: []string{"enter"}},
	{name: "walk_jump", keys: []string{"enter", "g"}},
	// Q02 with its numbers; choosing C contradicts them (55% implies D).
	{name: "walk_q02_contradiction", keys: []string{"enter", "g", "up", "up", "up", "up", "up", "up", "up", "up", "enter", "up", "space"}},
	{name: "walk_q04_multi", keys: []string{"enter", "g", "up", "up", "up", "up", "up", "up", "enter"}},
	{name: "walk_q14_numbers", keys: []string{"enter", "g", "down", "down", "down", "down", "enter", "tab", "52", "tab", "5200", "tab", "50", "tab", "4600"}},
	{name: "help_walk", keys: []string{"enter", "?"}},
	// SC12 has the longest descriptor (四级); the cursor is on it.
	{name: "scenarios_sc12", keys: []string{"enter", "c", "tab", "tab", "tab", "tab", "tab", "tab", "tab", "tab", "tab", "tab", "down", "down", "down", "down"}},
	{name: "review_draft", keys: []string{"enter", "r"}},
	{name: "review_export", keys: []string{"enter", "r", "x"}},
	{name: "review_finalize_confirm", keys: []string{"/", "电子", "enter", "enter", "f"}},
	{name: "review_finalized", finalize: true, keys: []string{"/", "电子", "enter", "enter"}},
	{name: "review_revise", finalize: true, keys: []string{"/", "电子", "enter", "enter", "v", "补充现场照片后更正"}},
	{name: "sync_no_sender", finalize: true, keys: []string{"y"}},
}

// TestScreens renders every screen at 80x24 and 120x40 with real content
// and compares it with testdata/TestScreens/*.golden (go test ./ui -update).
func TestScreens(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		for _, sc := range screens {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, size.w, size.h), func(t *testing.T) {
				h := newHarness(t, testDeps(screenStore(t, sc.empty, sc.finalize)), size.w, size.h)
				h.keys(sc.keys...)
				v := h.view()
				checkFrame(t, v, size.w, size.h)
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}

// TestScreensNarrowTerminal checks that every screen still fits terminals
// narrower than 80 columns.
func TestScreensNarrowTerminal(t *testing.T) {
	for _, size := range []struct{ w, h int }{{60, 20}, {50, 16}} {
		for _, sc := range screens {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, size.w, size.h), func(t *testing.T) {
				h := newHarness(t, testDeps(screenStore(t, sc.empty, sc.finalize)), size.w, size.h)
				h.keys(sc.keys...)
				checkFrame(t, h.view(), size.w, size.h)
			})
		}
	}
}

// TestScreensShortTerminal draws every screen on terminals too short for
// its fixed lines: drawing must not fail, whatever is cut.
func TestScreensShortTerminal(t *testing.T) {
	for _, size := range []struct{ w, h int }{{40, 12}, {30, 6}, {20, 3}} {
		for _, sc := range screens {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, size.w, size.h), func(t *testing.T) {
				h := newHarness(t, testDeps(screenStore(t, sc.empty, sc.finalize)), size.w, size.h)
				h.keys(sc.keys...)
				_ = h.view()
			})
		}
	}
}

// screenStore is the database a screen test starts from.
func screenStore(t *testing.T, empty, finalize bool) Store {
	if empty {
		db, _ := newTestDB(t)
		return db
	}
	return newFixture(t, finalize).db
}
