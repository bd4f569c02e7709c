package ui

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// flow runs the real program loop (teatest) on a real store.
type flow struct {
	t    *testing.T
	tm   *teatest.TestModel
	buf  []byte // everything the program printed
	mark int    // where the last awaited text started
}

func startFlow(t *testing.T, st Store) *flow {
	t.Helper()
	return startFlowDeps(t, testDeps(st))
}

func startFlowDeps(t *testing.T, d Deps) *flow {
	t.Helper()
	m, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	return &flow{t: t, tm: teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))}
}

// waitFor waits until the program prints s after the previous awaited
// text (teatest.WaitFor would drop output a later wait needs: one frame
// often holds two awaited texts). A save that fails keeps the old screen
// and times out here.
func (f *flow) waitFor(s string) {
	f.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	tmp := make([]byte, 64<<10)
	for {
		n, _ := f.tm.Output().Read(tmp)
		f.buf = append(f.buf, tmp[:n]...)
		if i := bytes.Index(f.buf[f.mark:], []byte(s)); i >= 0 {
			f.mark += i
			return
		}
		if time.Now().After(deadline) {
			tail := f.buf[max(len(f.buf)-3000, 0):]
			f.t.Fatalf("screen never showed %q; last output:\n%s", s, tail)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (f *flow) keys(ks ...string) {
	for _, k := range ks {
		f.tm.Send(keyMsg(k))
	}
}

func (f *flow) quit() Model {
	f.t.Helper()
	f.tm.Send(keyMsg("ctrl+c"))
	return f.tm.FinalModel(f.t, teatest.WithFinalTimeout(5*time.Second)).(Model)
}

func reopen(t *testing.T, path string) *storage.DB {
	t.Helper()
	db, err := storage.Open(path, storage.Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// TestFlowCreateWalkQuitResumeFinalize creates an enterprise from the
// keyboard, answers six questions, quits, reopens the database, checks the
// walk resumes at Q07, finishes every question and scenario and finalizes;
// each step is checked in the store, not only on screen.
func TestFlowCreateWalkQuitResumeFinalize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "digilevel.db")
	db := reopen(t, path)
	code := creditCode(t, "91410700MA03TRNX4")

	f := startFlow(t, db)
	// First run: who rates with this laptop.
	f.waitFor("您是谁")
	f.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("张伟")})
	f.keys("enter")
	f.waitFor("▸ 评测机构")
	f.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("河南智造数字服务有限公司")})
	f.keys("enter")
	f.waitFor("欢迎使用")
	if as, err := db.Identity(); err != nil || as != (model.Assessor{Person: "张伟", Org: "河南智造数字服务有限公司"}) {
		t.Fatalf("stored identity %+v, %v", as, err)
	}
	f.keys("enter")
	f.waitFor("新建企业档案")
	// huh moves to the next field through a command, so wait for each field
	// to take the focus before typing into it.
	field := func(title string, typed ...string) {
		f.waitFor("┃ " + title)
		for _, s := range typed {
			f.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)})
		}
		f.keys("enter")
	}
	field("统一社会信用代码", code)
	field("企业名称", "新乡市飞腾精密机械有限公司")
	field("所属行业", "专用设备制造业")
	field("规模")
	field("改造批次")
	field("专精特新")
	field("拥有省级以上智能工厂")
	field("属于市级试点产业")
	field("服务商")
	field("地址")
	field("营业收入", "2025 5200")
	field("联系人", "张伟, 厂长, 13800000000")
	field("备注")
	f.waitFor("已保存企业档案")
	f.keys("n")
	f.waitFor("选择评测类型")
	f.keys("enter")
	f.waitFor("现场调研") // before the walk, skipped with one key
	f.keys("esc")
	f.waitFor("第 1/15 题")
	for q := 1; q <= 6; q++ {
		f.keys("space", "enter")
		f.waitFor(fmt.Sprintf("第 %d/15 题", q+1))
	}
	f.quit()
	db.Close()

	db = reopen(t, path)
	e, err := db.Enterprise(code)
	if err != nil {
		t.Fatal(err)
	}
	if e.Name != "新乡市飞腾精密机械有限公司" || e.Industry != "专用设备制造业" || len(e.Revenue) != 1 || len(e.Contacts) != 1 || e.Contacts[0].Phone != "13800000000" {
		t.Fatalf("stored enterprise = %+v", e)
	}
	list, err := db.Assessments(code)
	if err != nil || len(list) != 1 {
		t.Fatalf("assessments = %v, %v", list, err)
	}
	a := list[0]
	if len(a.Answers.Answers) != 6 || a.State != model.StateDraft {
		t.Fatalf("after quitting: %d answers, state %s; want 6, draft", len(a.Answers.Answers), a.State)
	}
	for _, q := range []string{"Q01", "Q02", "Q03", "Q04", "Q05", "Q06"} {
		if len(a.Answers.Answers[q]) == 0 {
			t.Errorf("%s not stored", q)
		}
	}

	f = startFlow(t, db)
	f.waitFor("飞腾")
	f.keys("enter")
	f.waitFor("第 7/15 题") // resumes at the first unanswered question
	for q := 7; q <= 15; q++ {
		f.keys("space", "enter")
		if q < 15 {
			f.waitFor(fmt.Sprintf("第 %d/15 题", q+1))
		}
	}
	f.waitFor("场景 1/16")
	for s := 1; s <= 16; s++ {
		f.keys("2")
		if s < 16 {
			f.waitFor(fmt.Sprintf("场景 %d/16", s+1))
		}
	}
	f.waitFor("可以定稿")
	f.keys("f")
	f.waitFor("确认定稿")
	f.keys("y")
	f.waitFor("已定稿")
	final := f.quit()
	if final.active != screenReview {
		t.Errorf("final screen %d, want review", final.active)
	}
	db.Close()

	db = reopen(t, path)
	defer db.Close()
	a, err = db.Assessment(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a.State != model.StateQueued || len(a.Answers.Answers) != 15 || len(a.Answers.Scenarios) != 16 || a.ReportSHA256 == "" ||
		a.Assessor != (model.Assessor{Person: "张伟", Org: "河南智造数字服务有限公司"}) {
		t.Fatalf("finalized: state %s, %d answers, %d scenarios, report %q, assessor %+v", a.State, len(a.Answers.Answers), len(a.Answers.Scenarios), a.ReportSHA256, a.Assessor)
	}
	out, err := db.Outbox()
	if err != nil || len(out) != 1 || out[0].AssessmentID != a.ID {
		t.Fatalf("outbox = %v, %v", out, err)
	}
}

// TestFlowQuitSavesScreen checks that ctrl+c saves the choice on screen
// before quitting, and that a save error keeps the answer on screen.
func TestFlowQuitSavesScreen(t *testing.T) {
	fx := newFixture(t, false)
	f := startFlow(t, fx.db)
	f.waitFor("示例")
	f.keys("enter")
	f.waitFor("第 10/15 题")
	f.keys("down", "space") // Q10: choose B, do not press enter
	f.waitFor("[x] B")
	f.quit()
	a, err := fx.db.Assessment(fx.demo)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Answers.Answers["Q10"]; len(got) != 1 || got[0] != "B" {
		t.Fatalf("Q10 = %v after ctrl+c, want [B]", got)
	}
}
