package storage

import (
	"errors"
	"strings"
	"testing"

	"digilevel/model"
)

// finalizedReports creates an enterprise with n finalized, queued reports.
func finalizedReports(t *testing.T, db *DB, name string, n int) []string {
	t.Helper()
	code := validCode(t, "91410700MA44RN9B0")
	if _, err := db.CreateEnterprise(enterprise(code, name), who); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for range n {
		a, err := db.CreateAssessment(NewAssessment{Enterprise: code, Kind: model.KindBaseline}, who)
		if err != nil {
			t.Fatal(err)
		}
		answerAll(t, db, a.ID)
		if _, err := db.Finalize(a.ID, who); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	return ids
}

func TestMarkSentBatch(t *testing.T) {
	db := newTestDB(t)
	ids := finalizedReports(t, db, "批量回执企业", 3)
	items, _ := db.Outbox()
	batch := []Receipt{
		{AssessmentID: ids[0], ServerSeq: 7, SHA256: items[0].SHA256, Server: "http://x"},
		{AssessmentID: ids[1], ServerSeq: 8, SHA256: "bad"},
		{AssessmentID: ids[2], ServerSeq: 9, SHA256: items[2].SHA256},
		{AssessmentID: "NOPE", SHA256: "x"},
	}
	errs, err := db.MarkSentBatch(batch, who)
	if err != nil {
		t.Fatal(err)
	}
	if errs[0] != nil || !errors.Is(errs[1], model.ErrInvalid) || errs[2] != nil || !errors.Is(errs[3], model.ErrNotFound) {
		t.Fatalf("per-item errors %v", errs)
	}
	left, _ := db.Outbox()
	if len(left) != 1 || left[0].AssessmentID != ids[1] {
		t.Fatalf("outbox after batch: %+v", left)
	}
	r, err := db.Receipt(ids[0])
	if err != nil || r.ServerSeq != 7 || r.Server != "http://x" {
		t.Errorf("receipt %+v %v", r, err)
	}
	if a, _ := db.Assessment(ids[2]); a.State != model.StateSent || a.SentAt.IsZero() {
		t.Errorf("assessment %s state %s", a.ID, a.State)
	}
	// Again: no-op for the ones already sent.
	if errs, err := db.MarkSentBatch(batch[:1], who); err != nil || errs[0] != nil {
		t.Errorf("second batch: %v %v", errs, err)
	}
	if n, err := db.Sent(); err != nil || n != 2 {
		t.Errorf("Sent() = %d, %v; want 2", n, err)
	}
}

// Issue 9 items 1 and 2: a held or rejected report that the platform turns
// out to hold becomes sent; a held item keeps its reason and the token it
// was refused for.
func TestReceiptWinsOverRejectedAndHeld(t *testing.T) {
	db := newTestDB(t)
	ids := finalizedReports(t, db, "回执为准企业", 2)
	if err := db.MarkRejected(ids[0], "冲突（HTTP 409）", who); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkHeld(ids[1], "评测机构不符（HTTP 403）", "tok1", who); err != nil {
		t.Fatal(err)
	}
	items, _ := db.Outbox()
	if items[1].State != model.StateHeld || items[1].HeldFor != "tok1" || items[1].LastError != "评测机构不符（HTTP 403）" {
		t.Fatalf("held item %+v", items[1])
	}
	var batch []Receipt
	for i, it := range items {
		batch = append(batch, Receipt{AssessmentID: it.AssessmentID, ServerSeq: uint64(i + 1), SHA256: it.SHA256})
	}
	errs, err := db.MarkSentBatch(batch, who)
	if err != nil || errors.Join(errs...) != nil {
		t.Fatalf("MarkSentBatch: %v %v", errs, err)
	}
	for _, id := range ids {
		if a, _ := db.Assessment(id); a.State != model.StateSent {
			t.Errorf("%s is %s, want sent", id, a.State)
		}
	}
	if left, _ := db.Outbox(); len(left) != 0 {
		t.Errorf("outbox after receipts: %+v", left)
	}
	if problems, err := db.Check(); err != nil || len(problems) > 0 {
		t.Errorf("check: %v %v", problems, err)
	}
}

// Issue 9 items 6 and 11: settings follow the shared text rule.
func TestSettingsTextRule(t *testing.T) {
	db := newTestDB(t)
	for k, v := range map[string]string{
		SettingAssessorOrg:    "服务商\x1b]0;x\x07",
		SettingAssessorPerson: "李\u202e工",
		SettingExportDir:      "/tmp/\n",
		SettingToken:          "dlt_a_b\x1b",
	} {
		if err := db.SetSettings(map[string]string{k: v, SettingServerURL: "http://ok"}); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("SetSettings(%s=%q) = %v", k, v, err)
		}
	}
	if v, _ := db.Setting(SettingServerURL); v != "" {
		t.Errorf("a refused batch stored %q", v)
	}
	if err := db.SetSettings(map[string]string{SettingAssessorOrg: strings.Repeat("机", model.MaxOrgLength+1)}); err == nil || !strings.Contains(err.Error(), "过长") {
		t.Error("an overlong organisation was stored")
	}
}
