package storage

import (
	"errors"
	"testing"

	"digilevel/model"
)

func TestMarkSentBatch(t *testing.T) {
	db := newTestDB(t)
	code := validCode(t, "91410700MA44RN9B0")
	if _, err := db.CreateEnterprise(enterprise(code, "批量回执企业"), who); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for range 3 {
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
