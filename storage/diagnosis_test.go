package storage

import (
	"errors"
	"testing"

	"digilevel/model"
)

// The diagnosis API the TUI will call: survey, list edits, plan and the
// pool, each committed with its audit entry and kept in the signed report.
func TestDiagnosisAPI(t *testing.T) {
	db := newTestDB(t)
	code := validCode(t, "91410700MA44RN9B0")
	if _, err := db.CreateEnterprise(enterprise(code, "甲"), who); err != nil {
		t.Fatal(err)
	}
	a, err := db.CreateAssessment(NewAssessment{Enterprise: code, Kind: model.KindBaseline}, who)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveSurvey(a.ID, &model.Survey{Date: "2026-03-01", PainPoints: []model.PainPoint{{Kind: "pain", Text: "交期延误"}}}, who); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveSurvey(a.ID, &model.Survey{Date: "昨天"}, who); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("bad survey: %v", err)
	}
	if _, err := db.EditList(a.ID, model.ListEdit{List: model.ListProblems, Op: model.OpPain, Title: "设备数据采不上来"}, who); err != nil {
		t.Fatal(err)
	}
	cat := catalog(t)
	stats, err := db.ImportSolutions([]model.Solution{{ID: "S1", Name: "某 MES", Provider: "某公司", Serves: []model.ScenarioLevel{{Scenario: "SC06", Levels: []int{2}}}}}, who)
	if err != nil || stats.Created != 1 {
		t.Fatalf("import: %v %+v", err, stats)
	}
	if stats, _ := db.ImportSolutions([]model.Solution{{ID: "S1", Name: "某 MES", Provider: "某公司", Serves: []model.ScenarioLevel{{Scenario: "SC06", Levels: []int{2}}}}}, who); stats.Unchanged != 1 {
		t.Errorf("re-import: %+v", stats)
	}
	sugg, err := db.SuggestSolutions("SC06", 2)
	if err != nil || len(sugg) != 1 {
		t.Fatalf("suggest: %v %v", err, sugg)
	}
	plan := &model.RetrofitPlan{Scenarios: []model.ScenarioGoal{{Scenario: "SC06", Target: 2, Solutions: []model.SolutionUse{sugg[0].Use()}}},
		Investments: []model.Investment{{Item: "MES", Category: "software", Amount: "8.8"}}}
	if _, err := db.SavePlan(a.ID, plan, who); err != nil {
		t.Fatal(err)
	}
	d, err := db.Diagnosis(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Diagnosis.Problems[0].Kind != model.ItemPain && d.Diagnosis.Problems[len(d.Diagnosis.Problems)-1].Kind != model.ItemPain {
		t.Errorf("pain point not listed: %+v", d.Diagnosis.Problems)
	}
	if d.Planning == nil || d.Catalog.Hash() != cat.Hash() {
		t.Error("diagnosis lacks its catalog or planning data")
	}
	log, _ := db.AuditLog(a.ID)
	actions := map[string]int{}
	for _, e := range log {
		actions[e.Action]++
	}
	if actions[model.ActionSurvey] != 1 || actions[model.ActionLists] != 1 || actions[model.ActionPlan] != 1 {
		t.Errorf("audit actions = %v", actions)
	}
	answerAll(t, db, a.ID)
	if _, err := db.Finalize(a.ID, who); err != nil {
		t.Fatal(err)
	}
	r, err := db.Report(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	doc := r.Document
	if doc.Format != model.ReportFormat || doc.Survey == nil || doc.Plan == nil || doc.Plan.Investments[0].Amount != "8.8" || doc.Planning == nil {
		t.Errorf("signed report lacks the diagnosis: %+v", doc)
	}
	if _, err := db.SavePlan(a.ID, nil, who); !errors.Is(err, model.ErrFinalized) {
		t.Errorf("plan after finalize: %v", err)
	}
}

func TestRecordStatusAndTrackedEdits(t *testing.T) {
	db := newTestDB(t)
	code := validCode(t, "91410700MA44RN9B0")
	e := enterprise(code, "甲")
	e.Scale = model.ScaleBelow
	if _, err := db.CreateEnterprise(e, who); err != nil {
		t.Fatal(err)
	}
	got, err := db.RecordStatus(code, model.FieldScale, "above", "2025-12-31", "年报", who)
	if err != nil || got.Scale != model.ScaleAbove || len(got.StatusHistory) != 1 {
		t.Fatalf("RecordStatus = %+v, %v", got, err)
	}
	got.ZJTX = model.ZJTXProvincial
	c := who
	c.Now = t0
	if got, err = db.UpdateEnterprise(got, c); err != nil {
		t.Fatal(err)
	}
	if len(got.StatusHistory) != 2 || got.StatusHistory[1].Date != "2026-03-02" || got.StatusHistory[1].To != "provincial" {
		t.Errorf("an edit of 专精特新 was not dated: %+v", got.StatusHistory)
	}
	if _, err := db.RecordStatus(code, model.FieldZJTX, "national", "2026-13-01", "", who); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("bad date: %v", err)
	}
	log, _ := db.EnterpriseAuditLog(code)
	if len(log) < 3 {
		t.Errorf("audit = %+v", log)
	}
}
