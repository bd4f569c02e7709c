package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"
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
	return fillFixture(t, db, path, finalize)
}

func fillFixture(t testing.TB, db *storage.DB, path string, finalize bool) fixture {
	t.Helper()
	c := model.Change{Who: "测试顾问"}
	demo, err := db.CreateDemo(c)
	if err != nil {
		t.Fatal(err)
	}
	f := fixture{db: db, path: path, demo: demo.ID, codeE2: creditCode(t, "91410700MA01E1EC2"), codeE3: creditCode(t, "91410700MA02F00D3")}
	e2 := model.Enterprise{Code: f.codeE2, Name: "新乡市高新电子科技股份有限公司", Industry: "计算机、通信和其他电子设备制造业", Scale: model.ScaleAbove, ZJTX: model.ZJTXNational, Batch: 2, Provider: "河南智造数字服务有限公司"}
	e3 := model.Enterprise{Code: f.codeE3, Name: "河南省牧野食品有限公司", Industry: "食品制造业", Scale: model.ScaleBelow, Batch: 3, Provider: "河南智造数字服务有限公司"}
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
	answerAllAs(t, db, id, "测试顾问")
}

// answerAllAs is answerAll by who.
func answerAllAs(t testing.TB, db *storage.DB, id, who string) {
	t.Helper()
	cat, err := indicators.Embedded(indicators.DefaultEdition)
	if err != nil {
		t.Fatal(err)
	}
	c := model.Change{Who: who}
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

// screenCase is one screen the goldens cover and how to reach it.
type screenCase struct {
	name       string
	empty      bool // start from an empty database
	noIdentity bool // the laptop does not know who rates yet (first run)
	finalize   bool // the complete draft is finalized first
	platform   *fakePlatform
	keys       []string
	// prep adds to the fixture before the screen opens (diag_test.go).
	prep func(t testing.TB, fx fixture)
}

// paused is a platform whose queue is paused, with the reason.
func paused() *fakePlatform {
	return &fakePlatform{status: PlatformStatus{Server: "https://pingtai.xinxiang.example/", HasToken: true,
		PauseReason: "令牌无效或无权上传（HTTP 401）", PausedAt: fixedNow()}}
}

// mismatch is a platform whose token belongs to another provider.
func mismatch() *fakePlatform {
	return &fakePlatform{who: TokenInfo{Provider: "新乡市某某数字科技有限公司", Role: "provider"}}
}

// screens lists every screen the goldens cover and how to reach it.
var screens = []screenCase{
	{name: "identity_first_run", noIdentity: true},
	{name: "welcome", empty: true},
	{name: "home"},
	{name: "home_filter", keys: []string{"/", "电子"}},
	{name: "home_new_assessment", keys: []string{"n"}},
	// A second baseline where one is finalized: revising is offered first.
	{name: "home_second_baseline", finalize: true, keys: []string{"/", "电子", "enter", "n", "enter"}},
	{name: "help_home", keys: []string{"?"}},
	{name: "form_new", keys: []string{"a", "91410700MA00DEMX01"}},
	// A credit code that has a file already, caught as soon as it is typed.
	{name: "form_duplicate_code", keys: []string{"a", "91410700MA00DEMX0Q"}},
	{name: "form_discard_ask", keys: []string{"e", "x", "esc"}},
	{name: "form_edit", keys: []string{"e"}},
	{name: "settings", keys: []string{"o"}},
	{name: "settings_org_differs", platform: mismatch(), keys: []string{"o", "tab", "tab", "https://pingtai.example/", "tab", "dlt_abc_def", "enter"}},
	{name: "settings_backup", keys: []string{"o", "shift+tab", "enter"}},
	{name: "walk_resume", keys: []string{"enter"}},
	{name: "walk_jump", keys: []string{"enter", "t"}},
	// Q02 with its numbers; choosing C contradicts them (55% implies D).
	{name: "walk_q02_contradiction", keys: []string{"enter", "t", "up", "up", "up", "up", "up", "up", "up", "up", "enter", "up", "space"}},
	{name: "walk_q04_multi", keys: []string{"enter", "t", "up", "up", "up", "up", "up", "up", "enter"}},
	// Q14: revenue taken from the enterprise file, labels that say the year.
	{name: "walk_q14_numbers", keys: []string{"enter", "t", "down", "down", "down", "down", "enter", "tab", "52", "tab", "tab", "50"}},
	{name: "walk_note_evidence", keys: []string{"enter", "tab", "现场查看了工控网", "tab"}},
	{name: "help_walk", keys: []string{"enter", "?"}},
	// SC12 has the longest descriptor (四级); the cursor is on it.
	{name: "scenarios_sc12", keys: []string{"enter", "s", "]", "]", "]", "]", "]", "]", "]", "]", "]", "]", "down", "down", "down", "down"}},
	{name: "scenarios_note", keys: []string{"enter", "s", "tab", "客户订单系统已上线"}},
	{name: "review_draft", keys: []string{"enter", "r"}},
	{name: "review_export", keys: []string{"enter", "r", "x"}},
	{name: "review_finalize_confirm", keys: []string{"/", "电子", "enter", "enter", "f"}},
	{name: "review_finalized", finalize: true, keys: []string{"/", "电子", "enter", "enter"}},
	{name: "review_revise", finalize: true, keys: []string{"/", "电子", "enter", "enter", "v", "补充现场照片后更正"}},
	{name: "sync_not_configured", finalize: true, platform: &fakePlatform{}, keys: []string{"y"}},
	{name: "sync_paused", finalize: true, platform: paused(), keys: []string{"y"}},
}

func init() { screens = append(screens, diagScreens...) }

// TestScreens renders every screen at 80x24 and 120x40 with real content
// and compares it with testdata/TestScreens/*.golden (go test ./ui -update).
func TestScreens(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		for _, sc := range screens {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, size.w, size.h), func(t *testing.T) {
				v := renderScreen(t, sc, size.w, size.h)
				checkFrame(t, v, size.w, size.h)
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}

// renderScreen draws a screen case at a size.
func renderScreen(t *testing.T, sc screenCase, w, h int) string {
	t.Helper()
	d := testDeps(screenStore(t, sc))
	if sc.platform != nil {
		p := *sc.platform
		d.Platform = &p
	}
	hs := newHarness(t, d, w, h)
	hs.keys(sc.keys...)
	return hs.view()
}

// TestScreensNoColor renders every screen at 80x24 the way a terminal
// under NO_COLOR shows it: termenv then picks the Ascii profile, which
// drops every colour and attribute, so each choice must show by its mark
// ([x], (*), [是], ▸). Goldens in testdata/TestScreensNoColor.
func TestScreensNoColor(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	if p := termenv.EnvColorProfile(); p != termenv.Ascii {
		t.Fatalf("under NO_COLOR termenv picks profile %v, want Ascii", p)
	}
	lipgloss.SetColorProfile(termenv.EnvColorProfile())
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			v := renderScreen(t, sc, 80, 24)
			if strings.Contains(v, "\x1b") {
				t.Fatalf("escape sequences under NO_COLOR:\n%q", v)
			}
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// TestMonochromeChoicesDiffer toggles each kind of choice and checks the
// screen text changes: under NO_COLOR a choice shown only by colour would
// look the same either way (the 是/否 fields did).
func TestMonochromeChoicesDiffer(t *testing.T) {
	cases := []struct {
		name         string
		keys, toggle []string
	}{
		{"form 是/否", []string{"e", "enter", "enter", "enter", "enter", "enter", "enter"}, []string{"left"}},
		{"walk single choice", []string{"enter", "t", "down", "enter"}, []string{"space"}},
		{"walk multi choice", []string{"enter"}, []string{"space"}},
		{"export format", []string{"enter", "r", "x", "tab", "tab"}, []string{"space"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, testDeps(newFixture(t, false).db), 80, 24)
			h.keys(c.keys...)
			before := h.view()
			h.keys(c.toggle...)
			if after := h.view(); after == before {
				t.Errorf("choosing changes nothing on screen without colour:\n%s", after)
			}
		})
	}
}

// TestScreensTooSmall: below 80x24 every screen says the minimum size
// instead of drawing a broken one (the 60x20 scenario grid lost its
// ratings), and typing does nothing there.
func TestScreensTooSmall(t *testing.T) {
	for _, size := range []struct{ w, h int }{{79, 24}, {80, 23}, {40, 12}} {
		for _, sc := range screens {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, size.w, size.h), func(t *testing.T) {
				v := renderScreen(t, sc, size.w, size.h)
				checkFrame(t, v, size.w, size.h)
				if size.h >= 3 && !strings.Contains(strings.ReplaceAll(v, "\n", ""), "至少需要") {
					t.Errorf("no minimum-size message:\n%s", v)
				}
			})
		}
	}
	fx := newFixture(t, false)
	h := newHarness(t, testDeps(fx.db), 60, 20)
	h.keys("enter", "b", "enter")
	if a, _ := fx.db.Assessment(fx.demo); len(a.Answers.Answers["Q10"]) != 0 {
		t.Fatalf("keys typed on a too-small terminal were saved: %v", a.Answers.Answers["Q10"])
	}
	golden.RequireEqual(t, []byte(h.view()))
}

// cutMark finds a line that ends in ".." where a cut would hide what
// people must read: a key hint, an error or status reason, a file name.
// Every golden at 80 columns is checked; the only ".." allowed are inside
// a line (a long enterprise name in its list column, a credit code's
// shortened head), never at its end.
func TestGoldensCutNothing(t *testing.T) {
	files, err := filepath.Glob("testdata/*/*.golden")
	if err != nil || len(files) == 0 {
		t.Fatalf("no goldens: %v", err)
	}
	checked := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		wide := false
		for _, l := range lines {
			wide = wide || ansi.StringWidth(l) > 80
		}
		if wide {
			continue // a 120-column screen
		}
		checked++
		for i, l := range lines {
			trimmed := strings.TrimRight(l, " │╮╯")
			if strings.HasSuffix(trimmed, "..") && !strings.HasSuffix(trimmed, "...") {
				t.Errorf("%s line %d ends in a cut: %q", f, i+1, l)
			}
		}
		if last := lines[len(lines)-1]; !strings.Contains(last, "帮助") {
			t.Errorf("%s: the key line does not keep the help key: %q", f, last)
		}
	}
	if checked < len(screens) {
		t.Errorf("only %d goldens at 80 columns checked", checked)
	}
}

// screenStore is the database a screen test starts from.
func screenStore(t *testing.T, sc screenCase) Store {
	switch {
	case sc.empty:
		db, _ := newTestDB(t)
		return db
	case sc.noIdentity:
		db, path := newBareDB(t)
		return fillFixture(t, db, path, sc.finalize).db
	}
	fx := newFixture(t, sc.finalize)
	if sc.prep != nil {
		sc.prep(t, fx)
	}
	return fx.db
}
