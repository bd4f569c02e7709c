package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage"
)

// TestReportLoadVerifiesOnce: loading a finalized report for rendering
// verifies its signed bytes once (the store does; the renderer takes the
// verified document), not once in the store and again in the renderer.
func TestReportLoadVerifiesOnce(t *testing.T) {
	verified := 0
	db, err := storage.Open(filepath.Join(t.TempDir(), "d.db"), storage.Options{VerifyReport: func(b []byte) (model.ReportDocument, error) {
		verified++
		return model.VerifyReport(b)
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	who := model.Change{Who: "李工"}
	if _, err := db.CreateEnterprise(model.Enterprise{Code: code1, Name: "新乡甲机械有限公司", Batch: 1, ZJTX: model.ZJTXNone}, who); err != nil {
		t.Fatal(err)
	}
	a, err := db.CreateAssessment(storage.NewAssessment{Enterprise: code1, Kind: model.KindBaseline, Assessor: model.Assessor{Org: "新乡某数字科技有限公司", Person: "李工"}}, who)
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := indicators.Embedded(indicators.DefaultEdition)
	for _, q := range cat.DefaultQuestionnaire().Questions() {
		if _, err := db.SaveAnswer(a.ID, q.ID, []string{q.Options[len(q.Options)-1].ID}, who); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range cat.Scenarios {
		if _, err := db.SaveRating(a.ID, s.ID, 2, who); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Finalize(a.ID, who); err != nil {
		t.Fatal(err)
	}
	verified = 0
	r, err := loadReport(db, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if verified != 1 {
		t.Errorf("a report load verified %d times, want once", verified)
	}
	stored, _ := db.StoredReport(a.ID)
	if r.Doc.ID != a.ID || !bytes.Equal(r.Bytes(), stored) {
		t.Errorf("loaded %s, bytes equal: %v", r.Doc.ID, bytes.Equal(r.Bytes(), stored))
	}
	// The renderer adds no verification of its own: given the store's
	// verified document with bytes changed after the store's check, it does
	// not look at them again (a second verification would refuse them).
	data, err := db.Report(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	data.Bytes[len(data.Bytes)-2] ^= 1
	if _, err := reportFromData(data); err != nil {
		t.Errorf("the renderer verified the bytes again: %v", err)
	}
}
