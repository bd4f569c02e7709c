package ui

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"digilevel/model"
	"digilevel/storage"
)

// The flows of issue 10 ("a consultant's field day"), each on the real
// program loop and a real store, each checked in the store.

// TestFlowIdentityBeforeFirstAssessment: the first-run step is skipped;
// starting an assessment asks again, offering the enterprise's 服务商,
// and the draft is signed with what was entered.
func TestFlowIdentityBeforeFirstAssessment(t *testing.T) {
	db, path := newBareDB(t)
	fx := fillFixture(t, db, path, false)
	f := startFlow(t, db)
	f.waitFor("您是谁")
	f.keys("esc")
	f.waitFor("定稿前须填写评测机构")
	f.keys("/", "牧野", "enter", "n")
	f.waitFor("选择评测类型")
	f.keys("enter")
	f.waitFor("您是谁")
	f.waitFor("河南智造数字服务有限公司") // offered from the file
	f.keys("王工", "enter", "enter")
	f.waitFor("现场调研") // a new baseline starts with the survey; esc skips it
	f.keys("esc")
	f.waitFor("第 1/15 题")
	f.quit()
	list, err := db.Assessments(fx.codeE3)
	if err != nil || len(list) != 1 {
		t.Fatalf("assessments %v %v", list, err)
	}
	if want := (model.Assessor{Person: "王工", Org: "河南智造数字服务有限公司"}); list[0].Assessor != want {
		t.Fatalf("draft signed by %+v, want %+v", list[0].Assessor, want)
	}
}

// TestFlowSettings: the settings screen changes the identity, the platform
// and the evidence limit; the connection check says the token belongs to
// another provider and one key adopts it; a draft started afterwards is
// signed with the new identity.
func TestFlowSettings(t *testing.T) {
	fx := newFixture(t, false)
	d := testDeps(fx.db)
	d.Platform = &fakePlatform{who: TokenInfo{Provider: "新乡市某某数字科技有限公司", Role: "provider"}}
	f := startFlowDeps(t, d)
	f.waitFor("3 / 3 家企业")
	f.keys("o")
	f.waitFor("设置")
	f.keys("ctrl+u", "王工", "tab", "tab", "https://pingtai.example/", "tab", "dlt_abc_def", "tab", "ctrl+u", "bad")
	f.keys("enter")
	f.waitFor("佐证材料上限应为 1 到 64")
	if as, _ := fx.db.Identity(); as != testIdentity {
		t.Fatalf("a refused save changed the identity: %+v", as)
	}
	f.keys("backspace", "backspace", "backspace", "20", "enter")
	f.waitFor("令牌属于服务商「新乡市某某数字科技有限公司」")
	// The offer to adopt the token's provider is the third button.
	f.keys("tab", "tab", "tab", "tab")
	f.waitFor("▸[评测机构改为")
	f.keys("enter")
	f.waitFor("连接正常")
	f.keys("esc")
	f.waitFor("3 / 3 家企业")
	f.keys("/", "牧野", "enter", "n", "enter")
	f.waitFor("现场调研")
	f.keys("esc")
	f.waitFor("第 1/15 题")
	f.quit()

	as, _ := fx.db.Identity()
	if as != (model.Assessor{Person: "王工", Org: "新乡市某某数字科技有限公司"}) {
		t.Errorf("identity %+v", as)
	}
	for k, want := range map[string]string{storage.SettingServerURL: "https://pingtai.example/", storage.SettingToken: "dlt_abc_def", storage.SettingEvidenceLimit: "20"} {
		if got, _ := fx.db.Setting(k); got != want {
			t.Errorf("setting %s = %q, want %q", k, got, want)
		}
	}
	list, _ := fx.db.Assessments(fx.codeE3)
	if len(list) != 1 || list[0].Assessor != as {
		t.Errorf("new draft %+v, want signed by %+v", list, as)
	}
}

// TestFlowEvidenceAttachRemove attaches a dropped (quoted) file to a
// question and one to a scenario, moves the originals away, and removes
// the wrong one: the database holds the bytes, the removed file's bytes
// go with it.
func TestFlowEvidenceAttachRemove(t *testing.T) {
	fx := newFixture(t, false)
	dir := t.TempDir()
	ledger := filepath.Join(dir, "人才 台账.xlsx")
	wrong := filepath.Join(dir, "私人照片.jpg")
	os.WriteFile(ledger, []byte("人才台账"), 0o600)
	os.WriteFile(wrong, []byte("不该附上的照片"), 0o600)

	f := startFlow(t, fx.db)
	f.waitFor("3 / 3 家企业")
	f.keys("enter")
	f.waitFor("第 10/15 题")
	f.keys("tab", "tab", "'"+ledger+"' ", "enter")
	f.waitFor("已添加佐证并存入数据库: 人才 台账.xlsx")
	f.keys(wrong, "enter")
	f.waitFor("私人照片.jpg（")
	os.Rename(ledger, ledger+".moved")
	os.Remove(wrong)
	// To the second file, remove it.
	f.keys("tab", "tab", "x")
	f.waitFor("移除佐证「私人照片.jpg」")
	f.keys("y")
	f.waitFor("已移除佐证: 私人照片.jpg")
	// A scenario takes a note and a file too.
	f.keys("shift+tab", "shift+tab", "shift+tab", "shift+tab", "b", "enter")
	f.waitFor("第 11/15 题")
	f.keys("s")
	f.waitFor("场景 2/16")
	f.keys("tab", "已用成本系统", "tab", ledger+".moved", "enter")
	f.waitFor("已添加佐证并存入数据库")
	f.keys("shift+tab", "shift+tab", "2")
	f.waitFor("场景 4/16")
	f.quit()

	a, err := fx.db.Assessment(fx.demo)
	if err != nil {
		t.Fatal(err)
	}
	ev := a.Evidence["Q10"]
	if len(ev) != 1 || ev[0].Path != ledger || a.Answers.Answers["Q10"][0] != "B" {
		t.Fatalf("Q10 evidence %+v answer %v", ev, a.Answers.Answers["Q10"])
	}
	if got, err := fx.db.EvidenceData(ev[0].SHA256); err != nil || string(got) != "人才台账" {
		t.Errorf("stored bytes %q %v", got, err)
	}
	if a.Answers.Notes["SC02"] != "已用成本系统" || len(a.Evidence["SC02"]) != 1 || a.Answers.Scenarios["SC02"] != 2 {
		t.Errorf("SC02: note %q, evidence %+v, level %v", a.Answers.Notes["SC02"], a.Evidence["SC02"], a.Answers.Scenarios["SC02"])
	}
	if _, err := fx.db.EvidenceData(model.HashReport([]byte("不该附上的照片"))); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("the removed file's bytes stayed: %v", err)
	}
}

// TestFlowEscAsksBeforeDiscarding: esc on a changed form asks; n keeps
// the typing, y discards it; an unchanged form leaves at once.
func TestFlowEscAsksBeforeDiscarding(t *testing.T) {
	fx := newFixture(t, false)
	f := startFlow(t, fx.db)
	f.waitFor("3 / 3 家企业")
	f.keys("down", "e")
	f.waitFor("编辑企业档案")
	f.waitFor("┃ 企业名称")
	f.keys("（新厂区）", "esc")
	f.waitFor("放弃这些修改")
	f.keys("n")
	f.waitFor("enter 下一项") // back in the form, the typing kept
	f.keys("esc")
	f.waitFor("放弃这些修改")
	f.keys("y")
	f.waitFor("已取消，未保存任何修改")
	if e, _ := fx.db.Enterprise(fx.codeE2); e.Name != "新乡市高新电子科技股份有限公司" {
		t.Fatalf("a discarded edit was saved: %q", e.Name)
	}
	f.keys("e")
	f.waitFor("┃ 企业名称")
	f.keys("esc") // unchanged: no question
	f.waitFor("已取消，未保存任何修改")
	f.quit()
	e, _ := fx.db.Enterprise(fx.codeE2)
	if e.Name != "新乡市高新电子科技股份有限公司" {
		t.Fatalf("a discarded edit was saved: %q", e.Name)
	}
}

// TestFlowDuplicateCode: a credit code that has a file is caught as soon
// as it is typed, and enter opens that file instead of a second one.
func TestFlowDuplicateCode(t *testing.T) {
	fx := newFixture(t, false)
	f := startFlow(t, fx.db)
	f.waitFor("3 / 3 家企业")
	f.keys("a")
	f.waitFor("┃ 统一社会信用代码")
	f.keys(fx.codeE2)
	f.waitFor("已有企业档案「新乡市高新电子")
	f.keys("enter")
	f.waitFor("编辑企业档案  新乡市高新电子科技股份有限公司")
	f.quit()
	if list, _ := fx.db.Summaries(); len(list) != 3 {
		t.Fatalf("%d enterprises, want 3", len(list))
	}
}

// TestFlowSecondBaselineOffersRevision: starting a second baseline where
// one is finalized offers to revise it; taking the offer makes v2 of the
// same baseline, not a parallel one.
func TestFlowSecondBaselineOffersRevision(t *testing.T) {
	fx := newFixture(t, true)
	f := startFlow(t, fx.db)
	f.waitFor("3 / 3 家企业")
	f.keys("/", "电子", "enter", "n")
	f.waitFor("选择评测类型")
	f.keys("enter")
	f.waitFor("修订改造前诊断 v1（推荐）")
	f.keys("enter")
	f.waitFor("修订原因（必填）")
	f.keys("补拍现场照片", "enter")
	f.waitFor("第 1/15 题")
	f.quit()
	list, _ := fx.db.Assessments(fx.codeE2)
	if len(list) != 2 {
		t.Fatalf("%d assessments, want the original and its revision", len(list))
	}
	v1, v2 := list[0], list[1]
	if v1.Replaces != "" {
		v1, v2 = v2, v1 // IDs made in the same millisecond sort at random
	}
	if v1.ReplacedBy != v2.ID || v2.Replaces != v1.ID || v2.Version != 2 || v2.Kind != model.KindBaseline || v2.RevisionReason != "补拍现场照片" {
		t.Fatalf("v1 %+v\nv2 %+v", v1, v2)
	}
}

// TestFlowBackupFromSettings is issue 9 item 14's TUI part: the settings
// back the database up while the TUI holds it; the copy opens and holds
// the same assessments.
func TestFlowBackupFromSettings(t *testing.T) {
	fx := newFixture(t, false)
	dir := t.TempDir()
	target := filepath.Join(dir, "备份 1.db")
	f := startFlow(t, fx.db)
	f.waitFor("3 / 3 家企业")
	f.keys("o")
	f.waitFor("▸ 评测人")
	f.keys("shift+tab", "enter")
	f.waitFor("备份到")
	f.keys("ctrl+u", "'"+target+"'", "enter")
	f.waitFor("已备份到")
	f.quit()
	copyDB, err := storage.Open(target, storage.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	a, err := copyDB.Assessment(fx.demo)
	if err != nil || len(a.Answers.Answers) == 0 {
		t.Fatalf("the backup lacks the demo assessment: %+v %v", a, err)
	}
	if problems, err := copyDB.Check(); err != nil || len(problems) > 0 {
		t.Fatalf("backup check: %v %v", problems, err)
	}
}
