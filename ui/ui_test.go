package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage"

	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"
)

func TestDisplayReplacesAmbiguousRunes(t *testing.T) {
	cases := []struct{ in, want string }{
		{"数量×100%", "数量x100%"},
		{"B–N 各0.7分", "B-N 各0.7分"},
		{"“小巨人”", "「小巨人」"},
		{"得分 43.5 ≥ 40", "得分 43.5 >= 40"},
		{"甲·乙", "甲・乙"},
		{"★重点…", "*重点..."},
		{"纯中文，无需替换。", "纯中文，无需替换。"},
	}
	for _, c := range cases {
		if got := Display(c.in); got != c.want {
			t.Errorf("Display(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestCatalogDisplayUnambiguous checks every catalog text the screens show:
// after Display none may contain an ambiguous-width symbol.
func TestCatalogDisplayUnambiguous(t *testing.T) {
	cat, err := indicators.Embedded(indicators.DefaultEdition)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	qn := cat.DefaultQuestionnaire()
	for _, q := range qn.Questions() {
		texts = append(texts, q.FullTitle(), q.Description, q.FormHeading)
		for _, o := range q.Options {
			texts = append(texts, o.Text)
		}
		for _, f := range q.FormFields {
			texts = append(texts, f.Label, f.Unit)
		}
		p, _ := qn.PathOf(q.ID)
		texts = append(texts, p.Dimension.Name, p.SubDimension.Name, p.Indicator.Name)
	}
	for _, s := range cat.Scenarios {
		texts = append(texts, s.Name)
		texts = append(texts, s.Descriptors...)
	}
	for _, g := range cat.Groups {
		texts = append(texts, g.Name)
	}
	texts = append(texts, model.DemoEnterprise().Name, model.ZJTXNational.Label())
	for _, s := range texts {
		for _, r := range Display(s) {
			if runewidth.IsAmbiguousWidth(r) {
				t.Errorf("%q keeps ambiguous rune %q after Display", s, r)
			}
		}
	}
}

// TestTextUnambiguous checks the UI's own strings.
func TestTextUnambiguous(t *testing.T) {
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			for _, r := range v.String() {
				if runewidth.IsAmbiguousWidth(r) {
					t.Errorf("text %q has ambiguous rune %q", v.String(), r)
				}
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				walk(v.Field(i))
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				walk(v.MapIndex(k))
			}
		}
	}
	walk(reflect.ValueOf(*Chinese()))
}

// TestWrapCJK checks that long Chinese text wraps within the width, never
// splits a glyph and starts no line with closing punctuation.
func TestWrapCJK(t *testing.T) {
	cat, _ := indicators.Embedded(indicators.DefaultEdition)
	sc, _ := cat.Scenario("SC12")
	// Q01's options in one line: a narrow rune carried down after a wide
	// one once left a line a cell too wide (the comparison's table at 120).
	q01, _ := cat.DefaultQuestionnaire().Question("Q01")
	options := model.OptionsText(q01, []string{"B", "C", "D", "E"})
	for _, w := range []int{20, 26, 31, 37, 61, 79, 80} {
		closing := "在终端界面中: 按 o 打开设置，检查平台地址和令牌（须为抽查人员或主管部门的令牌）；没有网络时按 b 从数据包拉取。"
		for _, text := range append(sc.Descriptors, "ICT(信息通信技术)专业技能 and English words mixed，标点。", options, closing) {
			lines := wrap(text, w)
			joined := strings.Join(lines, "")
			if strings.ReplaceAll(joined, " ", "") != strings.ReplaceAll(Display(text), " ", "") {
				t.Errorf("wrap(%d) lost text:\n%q\n%q", w, joined, Display(text))
			}
			for i, l := range lines {
				if ansi.StringWidth(l) > w {
					t.Errorf("wrap(%d) line %d is %d wide: %q", w, i, ansi.StringWidth(l), l)
				}
				if i > 0 && l != "" && strings.ContainsRune(noLineStart, []rune(l)[0]) {
					t.Errorf("wrap(%d) line %d starts with punctuation: %q", w, i, l)
				}
			}
		}
	}
}

// failingStore makes SaveAnswer fail, to check the walk keeps the answer.
type failingStore struct{ Store }

func (failingStore) SaveAnswer(string, string, []string, model.Change) (model.Assessment, error) {
	return model.Assessment{}, errors.New("磁盘已满")
}

func TestWalkSaveErrorKeepsAnswer(t *testing.T) {
	fx := newFixture(t, false)
	h := newHarness(t, testDeps(failingStore{fx.db}), 80, 24)
	h.keys("enter") // resume the demo at Q10
	h.keys("down", "space", "enter")
	v := h.view()
	if !strings.Contains(v, "磁盘已满") || !strings.Contains(v, "第 10/15 题") || !strings.Contains(v, "[x] B") {
		t.Fatalf("after a failed save the screen should stay on Q10 with B chosen and the error:\n%s", v)
	}
}

// TestQuitSaveErrorStays checks that ctrl+c does not quit when saving the
// screen fails: the answer and the error stay, and a second ctrl+c leaves.
func TestQuitSaveErrorStays(t *testing.T) {
	fx := newFixture(t, false)
	h := newHarness(t, testDeps(failingStore{fx.db}), 80, 24)
	h.keys("enter", "down", "space", "ctrl+c")
	if v := h.view(); h.quit || !strings.Contains(v, "磁盘已满") || !strings.Contains(v, "[x] B") || !strings.Contains(v, "没有退出") {
		t.Fatalf("quit=%v after a failed save; want the walk with B chosen and the error:\n%s", h.quit, v)
	}
	h.keys("ctrl+c")
	if !h.quit {
		t.Fatal("a second ctrl+c after a failed save should quit")
	}
}

// TestQuitWaitsForEvidence presses ctrl+c while an evidence file is being
// added: once that write ends, the choice on screen is saved and the
// program quits.
func TestQuitWaitsForEvidence(t *testing.T) {
	fx := newFixture(t, false)
	photo := filepath.Join(t.TempDir(), "照片.jpg")
	if err := os.WriteFile(photo, []byte("jpeg"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, testDeps(fx.db), 80, 24)
	h.keys("enter", "down", "space", "tab", "tab", photo)
	next, addEvidence := h.m.Update(keyMsg("enter")) // the write is in flight
	h.m = next.(Model)
	h.keys("ctrl+c")
	if h.quit {
		t.Fatal("quit before the evidence write ended")
	}
	h.run(addEvidence)
	if !h.quit {
		t.Fatalf("still running after the evidence write ended:\n%s", h.view())
	}
	a, err := fx.db.Assessment(fx.demo)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Answers.Answers["Q10"]; len(got) != 1 || got[0] != "B" || len(a.Evidence["Q10"]) != 1 {
		t.Fatalf("Q10 = %v with %d evidence files, want [B] and 1", got, len(a.Evidence["Q10"]))
	}
}

func TestEvidence(t *testing.T) {
	fx := newFixture(t, false)
	dir := t.TempDir()
	photo := filepath.Join(dir, "车间照片.jpg")
	if err := os.WriteFile(photo, []byte("jpeg bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, testDeps(fx.db), 80, 24)
	h.keys("enter", "tab", "tab", filepath.Join(dir, "没有这个文件.jpg"), "enter")
	if v := h.view(); !strings.Contains(v, "不存在") {
		t.Fatalf("missing file: want a Chinese error on screen:\n%s", v)
	}
	for range runeLen(filepath.Join(dir, "没有这个文件.jpg")) {
		h.keys("backspace")
	}
	h.keys(photo, "enter")
	if v := h.view(); !strings.Contains(v, "车间照片.jpg（10 B，sha256 ") {
		t.Fatalf("evidence not listed:\n%s", v)
	}
	a, err := fx.db.Assessment(fx.demo)
	if err != nil {
		t.Fatal(err)
	}
	ev := a.Evidence["Q10"]
	if len(ev) != 1 || ev[0].Size != 10 || ev[0].Path != photo || len(ev[0].SHA256) != 64 {
		t.Fatalf("stored evidence = %+v", ev)
	}
}

func TestExportWritesReport(t *testing.T) {
	fx := newFixture(t, false)
	dir := t.TempDir()
	// The report carries its evidence: the stored copy, in a folder beside it.
	if _, err := fx.db.AddEvidence(fx.demo, "Q01", storage.EvidenceFile{Path: "/已删除/工控网.jpg", Data: []byte("工控网照片")}, model.Change{Who: "x"}); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, testDeps(fx.db), 120, 40)
	h.keys("enter", "r", "x")
	for range 4 {
		h.keys("backspace")
	}
	h.keys(dir, "tab", "tab", "space", "enter") // HTML and Markdown
	v := h.view()
	for _, ext := range []string{".html", ".md"} {
		p := filepath.Join(dir, "【示例】新乡市示例机械制造有限公司_改造前诊断_v1_草稿"+ext)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("%v\n%s", err, v)
		}
		if !strings.Contains(string(data), "草稿") {
			t.Errorf("%s is not marked as a draft", p)
		}
	}
	if !strings.Contains(v, "已导出") || !strings.Contains(v, "_佐证材料") {
		t.Errorf("no confirmation on screen:\n%s", v)
	}
	ev, err := os.ReadFile(filepath.Join(dir, "【示例】新乡市示例机械制造有限公司_改造前诊断_v1_草稿_佐证材料", "Q01_工控网.jpg"))
	if err != nil || string(ev) != "工控网照片" {
		t.Errorf("evidence beside the report: %q %v", ev, err)
	}
}

// TestExportFinalizedReadsCurrentRevenue checks that the TUI's export of
// a finalized report, like \`digilevel report\`, estimates the reward from
// the revenue entered after finalizing.
func TestExportFinalizedReadsCurrentRevenue(t *testing.T) {
	fx := newFixture(t, true)
	e, err := fx.db.Enterprise(fx.codeE2)
	if err != nil {
		t.Fatal(err)
	}
	e.Revenue = []model.YearRevenue{{Year: 2027, Wan: "5200"}}
	if _, err := fx.db.UpdateEnterprise(e, model.Change{Who: "测试顾问"}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	h := newHarness(t, testDeps(fx.db), 120, 40)
	h.keys("/", "电子", "enter", "enter", "x")
	for range 4 {
		h.keys("backspace")
	}
	h.keys(dir, "tab", "space", "tab", "space", "enter") // Markdown only
	data, err := os.ReadFile(filepath.Join(dir, e.Name+"_改造前诊断_v1.md"))
	if err != nil {
		t.Fatalf("%v\n%s", err, h.view())
	}
	if !strings.Contains(string(data), "5200") || !strings.Contains(string(data), "取自当前一企一档") {
		t.Errorf("the export does not show the current revenue:\n%s", data)
	}
}

// TestReviewDialogsLongInput types more than fits into the revise and
// export dialogs: the input scrolls on its own line inside the border
// instead of wrapping the border's content.
func TestReviewDialogsLongInput(t *testing.T) {
	for _, w := range []int{80, 120} {
		fx := newFixture(t, true)
		h := newHarness(t, testDeps(fx.db), w, 40)
		h.keys("/", "电子", "enter", "enter", "v", strings.Repeat("补充现场照片", 12))
		checkFrame(t, h.view(), w, 40)
		if !hasLine(h.view(), "修订原因（必填）: ", "现场照片", "│") {
			t.Errorf("%d columns: the reason is not on the prompt's line:\n%s", w, h.view())
		}
		h = newHarness(t, testDeps(newFixture(t, false).db), w, 40)
		h.keys("enter", "r", "x", strings.Repeat("/very/long/path", 10))
		checkFrame(t, h.view(), w, 40)
		if !hasLine(h.view(), "▸ [", "long/path ]", "│") {
			t.Errorf("%d columns: the folder is not on one line:\n%s", w, h.view())
		}
	}
}

// hasLine reports whether one line of view contains every part.
func hasLine(view string, parts ...string) bool {
	for _, l := range strings.Split(view, "\n") {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(l, p)
		}
		if all {
			return true
		}
	}
	return false
}

func TestSyncSendNow(t *testing.T) {
	fx := newFixture(t, true)
	p := &fakePlatform{res: SendResult{Sent: 1}, status: PlatformStatus{Server: "https://平台.example", HasToken: true}}
	d := testDeps(fx.db)
	d.Platform = p
	h := newHarness(t, d, 80, 24)
	h.keys("y", "s")
	if p.calls != 1 {
		t.Fatalf("platform called %d times, want 1", p.calls)
	}
	if v := h.view(); !strings.Contains(v, "发送完成: 成功 1") || !strings.Contains(v, "平台: https://平台.example") {
		t.Fatalf("sync screen:\n%s", v)
	}
}

// TestSyncSentCountFollowsSummaries delivers an empty outbox before the
// summaries that show the report sent (the two loads race after a send
// round): the sent count must follow the summaries.
func TestSyncSentCountFollowsSummaries(t *testing.T) {
	fx := newFixture(t, true)
	h := newHarness(t, testDeps(fx.db), 80, 24)
	h.keys("y")
	list, err := fx.db.Summaries()
	if err != nil {
		t.Fatal(err)
	}
	for i := range list {
		for j := range list[i].Assessments {
			if list[i].Assessments[j].ID == fx.complete {
				list[i].Assessments[j].State = model.StateSent
			}
		}
	}
	h.send(outboxMsg{}, summariesMsg{list: list})
	if v := h.view(); !strings.Contains(v, "已发送 1") {
		t.Fatalf("sent count not updated:\n%s", v)
	}
}

// TestSyncOneTimer checks that a manual send does not start a second
// background timer: the timer that was running before it is dropped.
func TestSyncOneTimer(t *testing.T) {
	fx := newFixture(t, true)
	s := &fakePlatform{res: SendResult{Sent: 1}, status: PlatformStatus{Server: "https://平台.example", HasToken: true}}
	d := testDeps(fx.db)
	d.Platform = s
	h := newHarness(t, d, 80, 24)
	h.keys("y", "s") // manual send; its end starts timer 1
	h.send(syncTickMsg{tag: 0})
	if s.calls != 1 {
		t.Fatalf("the timer from before the manual send sent too: %d calls, want 1", s.calls)
	}
	h.send(syncTickMsg{tag: 1})
	if s.calls != 2 {
		t.Fatalf("the live timer did not send: %d calls, want 2", s.calls)
	}
}

func TestRevisionOpensNewDraft(t *testing.T) {
	fx := newFixture(t, true)
	h := newHarness(t, testDeps(fx.db), 80, 24)
	h.keys("/", "电子", "enter", "enter", "v", "补充现场照片后更正", "enter")
	if v := h.view(); !strings.Contains(v, "v2") || !strings.Contains(v, "第 1/15 题") {
		t.Fatalf("after revising: want the walk of v2:\n%s", v)
	}
	old, _ := fx.db.Assessment(fx.complete)
	if old.ReplacedBy == "" {
		t.Fatal("old version not marked replaced")
	}
	next, _ := fx.db.Assessment(old.ReplacedBy)
	if next.State != model.StateDraft || next.RevisionReason != "补充现场照片后更正" || next.Version != 2 {
		t.Fatalf("revision = %+v", next)
	}
}

// TestAccessibleWalk answers the demo's open questions in plain prompts:
// multi-choice as letters "B,C" and "B C" and numbers, a note and an
// evidence file on a question and on a scenario, the rest skipped; it
// shows the path to the next level and finalizes. Everything is checked
// in the store.
func TestAccessibleWalk(t *testing.T) {
	db, _ := newTestDB(t)
	photo := filepath.Join(t.TempDir(), "现场 照片.jpg")
	os.WriteFile(photo, []byte("现场照片"), 0o600)
	cat, _ := indicators.Embedded(indicators.DefaultEdition)
	input := "y\n"
	answers := map[string]string{"Q10": "B,C", "Q11": "a", "Q15": "1"}
	for _, q := range cat.DefaultQuestionnaire().Questions()[9:] {
		input += strings.Repeat("\n", len(q.FormFields)) // numbers skipped
		if a, ok := answers[q.ID]; ok {
			input += a + "\n"
		} else if q.Type == indicators.Multi {
			input += "B C\n"
		} else {
			input += "1\n"
		}
		if q.ID == "Q10" {
			input += "人才台账已查看\n'" + photo + "'\n" // note, evidence (quoted as a drop)
		} else {
			input += "\n\n" // no note, no evidence
		}
	}
	for i := range 10 {
		input += "2\n"
		if i == 0 {
			input += "成本核算在用\n/dev/zero\n\n" // a device is refused, then skipped
		} else {
			input += "\n\n"
		}
	}
	input += "y\n"
	var out strings.Builder
	if err := RunAccessible(context.Background(), strings.NewReader(input), &out, testDeps(db)); err != nil {
		t.Fatal(err)
	}
	list, _ := db.Assessments(model.DemoCode)
	if len(list) != 1 || list[0].State != model.StateQueued {
		t.Fatalf("accessible walk did not finalize: %+v\n%s", list, out.String())
	}
	a := list[0]
	if got := a.Answers.Answers["Q10"]; strings.Join(got, ",") != "B,C" {
		t.Errorf("Q10 = %v, want [B C] from \"B,C\"", got)
	}
	if a.Answers.Notes["Q10"] != "人才台账已查看" || len(a.Evidence["Q10"]) != 1 || a.Evidence["Q10"][0].Path != photo {
		t.Errorf("Q10 note %q evidence %+v", a.Answers.Notes["Q10"], a.Evidence["Q10"])
	}
	sc := cat.Scenarios[1].ID // the first scenario the demo left open
	if a.Answers.Notes[sc] != "成本核算在用" || len(a.Evidence[sc]) != 0 {
		t.Errorf("%s note %q evidence %+v", sc, a.Answers.Notes[sc], a.Evidence[sc])
	}
	for _, want := range []string{"企业在数字化人才建设方面采取的举措", "已保存 Q15", "SC16", "已定稿", "升到", "最省路径", "已添加佐证", "设备文件"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

// TestAccessibleMultiChoiceErrors: an unreadable multi-choice answer is
// explained (what to type, which options), not a bare 输入无效.
func TestAccessibleMultiChoiceErrors(t *testing.T) {
	fx := newFixture(t, false)
	var out strings.Builder
	err := RunAccessible(context.Background(), strings.NewReader("示例\n1\n1\nB;Z\nb c\n"), &out, testDeps(fx.db))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "无法识别「B;Z」") || !strings.Contains(out.String(), "B,C 或 B C") || !strings.Contains(out.String(), "a-f") {
		t.Errorf("no explanation of a bad multi-choice answer:\n%s", out.String())
	}
	a, _ := fx.db.Assessment(fx.demo)
	if got := a.Answers.Answers["Q10"]; strings.Join(got, ",") != "B,C" {
		t.Fatalf("Q10 = %v, want [B C] from \"b c\"", got)
	}
}

// TestAccessibleAsksIdentity: a first run asks who rates, offering the
// enterprises' 服务商, and stores it.
func TestAccessibleAsksIdentity(t *testing.T) {
	db, path := newBareDB(t)
	fillFixture(t, db, path, false)
	var out strings.Builder
	if err := RunAccessible(context.Background(), strings.NewReader("张伟\n\nq\n"), &out, testDeps(db)); err != nil {
		t.Fatal(err)
	}
	as, _ := db.Identity()
	if as != (model.Assessor{Person: "张伟", Org: "河南智造数字服务有限公司"}) || !strings.Contains(out.String(), "直接回车采用「河南智造数字服务有限公司」") {
		t.Fatalf("identity = %+v\n%s", as, out.String())
	}
}

func TestAccessibleEndOfInput(t *testing.T) {
	fx := newFixture(t, false)
	var out strings.Builder
	err := RunAccessible(context.Background(), strings.NewReader("示例\n1\n1\n2\n"), &out, testDeps(fx.db))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := fx.db.Assessment(fx.demo)
	if got := a.Answers.Answers["Q10"]; len(got) != 1 || got[0] != "B" {
		t.Fatalf("Q10 = %v, want [B] (saved before input ended)\n%s", got, out.String())
	}
}

// TestOptionLetters: a letter picks a single choice and moves on; letters
// tick multi-choice options, also when the terminal delivers several in
// one message ("fgh" typed fast, or sent by tmux).
func TestOptionLetters(t *testing.T) {
	fx := newFixture(t, false)
	h := newHarness(t, testDeps(fx.db), 80, 24)
	h.keys("enter", "t", "up", "up", "up", "up", "up", "up", "enter") // Q04
	h.keys("fgh", "a")                                                // 无 excludes the rest
	if v := h.view(); !strings.Contains(v, "[x] A") || strings.Contains(v, "[x] F") {
		t.Fatalf("无 did not exclude the others:\n%s", v)
	}
	h.keys("a", "fgh", "enter")
	h.keys("c") // Q05 single: C, saved, next
	if v := h.view(); !strings.Contains(v, "第 6/15 题") {
		t.Fatalf("a single-choice letter did not move on:\n%s", v)
	}
	a, _ := fx.db.Assessment(fx.demo)
	if got := strings.Join(a.Answers.Answers["Q04"], ","); got != "F,G,H" {
		t.Errorf("Q04 = %s, want F,G,H", got)
	}
	if got := strings.Join(a.Answers.Answers["Q05"], ","); got != "C" {
		t.Errorf("Q05 = %s, want C", got)
	}
}

// TestEnterTakesDerivedOption: on an unanswered question whose numbers
// imply an option, enter takes it; the revenue comes from the enterprise
// file (the demo has 2024 and 2025).
func TestEnterTakesDerivedOption(t *testing.T) {
	fx := newFixture(t, false)
	h := newHarness(t, testDeps(fx.db), 80, 24)
	h.keys("enter", "t", "down", "down", "down", "down", "enter") // Q14
	h.keys("tab", "52", "tab", "tab", "50", "enter")
	a, _ := fx.db.Assessment(fx.demo)
	if got := a.Answers.Answers["Q14"]; len(got) != 1 || got[0] != "C" {
		t.Fatalf("Q14 = %v, want C (revenue per head up 8.7%%)", got)
	}
	if n := a.Answers.Numbers["Q14"]; n["revenue_last"] != "5200" || n["revenue_prev"] != "4600" || n["employees_last"] != "52" {
		t.Fatalf("Q14 numbers = %v", n)
	}
	// Enter in a number field with no option and nothing implied goes back
	// to the options.
	h.keys("t", "up", "up", "up", "enter", "tab", "12", "enter") // Q11
	if h.m.cur().(walkModel).focus != 0 || !strings.Contains(h.view(), "请先选择一个选项") {
		t.Fatalf("enter without a choice did not return to the options:\n%s", h.view())
	}
}

// TestFinalizeWithoutOrgSaysWhere: a draft nobody signed cannot be
// finalized; the review says where to set the organisation, and after it
// is set in the settings the same draft finalizes signed with it.
func TestFinalizeWithoutOrgSaysWhere(t *testing.T) {
	db, path := newBareDB(t)
	fx := fillFixture(t, db, path, false)
	a, err := db.CreateAssessment(storage.NewAssessment{Enterprise: fx.codeE3, Kind: model.KindBaseline}, model.Change{Who: "x"})
	if err != nil {
		t.Fatal(err)
	}
	answerAll(t, db, a.ID)
	h := newHarness(t, testDeps(db), 80, 24)
	h.keys("esc", "/", "牧野", "enter", "enter", "f")
	if v := h.view(); !strings.Contains(v, "没有填写评测机构") || !strings.Contains(v, "按 o 打开") {
		t.Fatalf("no explanation:\n%s", v)
	}
	h.keys("o", "tab", "河南智造数字服务有限公司", "enter", "esc", "f", "y")
	got, _ := db.Assessment(a.ID)
	if got.State != model.StateQueued || got.Assessor.Org != "河南智造数字服务有限公司" {
		t.Fatalf("after setting the organisation: %s, %+v\n%s", got.State, got.Assessor, h.view())
	}
}
