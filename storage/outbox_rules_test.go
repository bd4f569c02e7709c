package storage

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
)

// finalizedReport is a finalized baseline of a new enterprise, queued.
func finalizedReport(t *testing.T, db *DB, body string) model.Assessment {
	t.Helper()
	code := validCode(t, body)
	if _, err := db.CreateEnterprise(enterprise(code, "出队测试企业"), who); err != nil {
		t.Fatal(err)
	}
	a, err := db.CreateAssessment(NewAssessment{Enterprise: code, Kind: model.KindBaseline}, who)
	if err != nil {
		t.Fatal(err)
	}
	answerAll(t, db, a.ID)
	fin, err := db.Finalize(a.ID, who)
	if err != nil {
		t.Fatal(err)
	}
	return fin
}

func lastAudit(t *testing.T, db *DB, id string) model.AuditEntry {
	t.Helper()
	log, err := db.AuditLog(id)
	if err != nil || len(log) == 0 {
		t.Fatalf("audit log: %v", err)
	}
	return log[len(log)-1]
}

// Each failed attempt is counted on the assessment and its queue item,
// and the reason is in the audit log; an unknown report or a transition
// the lifecycle forbids is an error and changes nothing.
func TestOutboxMarksCountAndExplain(t *testing.T) {
	db := newTestDB(t)
	a := finalizedReport(t, db, "91410700MA44RN9B0")
	for i, reason := range []string{"服务器暂时不可用（HTTP 503）", "连接被重置"} {
		if err := db.MarkAttemptFailed(a.ID, reason, who); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Assessment(a.ID)
		items, _ := db.Outbox()
		if got.Attempts != i+1 || len(items) != 1 || items[0].Attempts != i+1 || items[0].LastError != reason || got.LastError != reason {
			t.Fatalf("after %d failures: assessment %d attempts %q, queue %+v", i+1, got.Attempts, got.LastError, items)
		}
		if e := lastAudit(t, db, a.ID); e.Reason != reason {
			t.Errorf("audit entry reason %q, want %q", e.Reason, reason)
		}
	}
	if err := db.MarkRejected("01ARZ3NDEKTSV4RRFFQ69G5FAV", "x", who); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("an unknown report: %v", err)
	}
	draft, err := db.CreateAssessment(NewAssessment{Enterprise: a.Enterprise, Kind: model.KindAcceptance}, who)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MarkRejected(draft.ID, "x", who); err == nil {
		t.Error("a draft was marked rejected")
	}
	if got, _ := db.Assessment(draft.ID); got.State != model.StateDraft || got.Attempts != 0 {
		t.Errorf("the refused mark changed the draft: %+v", got)
	}
}

// A batch of receipts: each is stored with the platform's sequence number
// in the audit log; a receipt for a report that is not finalized fails
// alone; a change whose person breaks the text rule is refused before
// anything.
func TestMarkSentBatchPerItem(t *testing.T) {
	db := newTestDB(t)
	a := finalizedReport(t, db, "91410700MA44RN9B0")
	draft, err := db.CreateAssessment(NewAssessment{Enterprise: a.Enterprise, Kind: model.KindAcceptance}, who)
	if err != nil {
		t.Fatal(err)
	}
	receipts := []Receipt{
		{AssessmentID: a.ID, ServerSeq: 42, ReceivedAt: time.Now(), SHA256: a.ReportSHA256},
		{AssessmentID: draft.ID, ServerSeq: 43, ReceivedAt: time.Now(), SHA256: draft.ReportSHA256},
	}
	if _, err := db.MarkSentBatch(receipts, model.Change{Who: "李\x1b]0;x\x07工"}); err == nil {
		t.Error("a change with a control character in its person was accepted")
	}
	if got, _ := db.Assessment(a.ID); got.State == model.StateSent {
		t.Fatal("the refused change marked the report sent")
	}
	errs, err := db.MarkSentBatch(receipts, who)
	if err != nil || len(errs) != 2 || errs[0] != nil || errs[1] == nil {
		t.Fatalf("MarkSentBatch = %v, %v; want the draft's receipt to fail alone", errs, err)
	}
	if got, _ := db.Assessment(a.ID); got.State != model.StateSent {
		t.Errorf("state %s", got.State)
	}
	if e := lastAudit(t, db, a.ID); e.Reason != "平台回执序号 42" {
		t.Errorf("audit entry reason %q", e.Reason)
	}
	if items, _ := db.Outbox(); len(items) != 0 {
		t.Errorf("a sent report is still queued: %+v", items)
	}
}

// A second Open of a database in use returns "in use" after the default
// timeout instead of waiting for ever (bbolt waits for ever with 0).
func TestSecondOpenIsRefusedNotHung(t *testing.T) {
	path := filepath.Join(t.TempDir(), "digilevel.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	done := make(chan error, 1)
	go func() {
		second, err := Open(path, Options{})
		if err == nil {
			second.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrLocked) {
			t.Errorf("second Open = %v, want ErrLocked", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("a second Open is still waiting after a minute")
	}
}

// A read-only open checks that the file is a digilevel database, and
// releases the file when it is not.
func TestReadOnlyOpenChecksAndReleases(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	if _, err := Open(path, Options{ReadOnly: true}); !errors.Is(err, ErrNotDatabase) {
		t.Fatalf("read-only open of another bbolt file = %v", err)
	}
	b, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("the refused open kept the file locked: %v", err)
	}
	b.Close()
}
