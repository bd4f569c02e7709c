package storage

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
)

func TestEnterpriseCRUDAndImport(t *testing.T) {
	db := newTestDB(t)
	code := validCode(t, "91410700MA44RN9B0")
	e, err := db.CreateEnterprise(enterprise(code, "新乡甲机械有限公司"), who)
	if err != nil {
		t.Fatal(err)
	}
	if e.CreatedAt.IsZero() {
		t.Error("CreatedAt not set")
	}
	if _, err := db.CreateEnterprise(enterprise(code, "重复"), who); !errors.Is(err, model.ErrExists) {
		t.Errorf("duplicate: %v", err)
	}
	bad := enterprise("91410700MA44RN9B00", "校验位错误")
	if _, err := db.CreateEnterprise(bad, who); !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "校验位") {
		t.Errorf("bad code: %v", err)
	}
	neg := enterprise(validCode(t, "91410700MA44RN9B1"), "负收入")
	neg.Revenue[0].Wan = "-1"
	if _, err := db.CreateEnterprise(neg, who); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("negative revenue: %v", err)
	}
	if list, _ := db.Enterprises(); len(list) != 1 {
		t.Errorf("bad inputs changed the store: %d enterprises", len(list))
	}
	e.Name = "新乡甲机械股份有限公司"
	if _, err := db.UpdateEnterprise(e, who); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateEnterprise(enterprise(validCode(t, "91410700MA44RN9B2"), "无此企业"), who); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("update unknown: %v", err)
	}
	log, _ := db.EnterpriseAuditLog(code)
	if len(log) != 2 || log[1].Item != "name" {
		t.Errorf("enterprise audit = %+v", log)
	}
	roster := []model.Enterprise{e, enterprise(validCode(t, "91410700MA44RN9B3"), "乙公司"), enterprise(validCode(t, "91410700MA44RN9B4"), "丙公司")}
	roster[0].Industry = "通用设备制造业"
	st, err := db.ImportEnterprises(roster, who)
	if err != nil || st != (ImportStats{Created: 2, Updated: 1}) {
		t.Fatalf("import = %+v, %v", st, err)
	}
	st, err = db.ImportEnterprises(roster, who)
	if err != nil || st != (ImportStats{Unchanged: 3}) {
		t.Errorf("re-import = %+v, %v", st, err)
	}
	s, _ := db.Summaries()
	if len(s) != 3 {
		t.Errorf("summaries = %d", len(s))
	}
}

func TestAssessmentLifecycleThroughTheStore(t *testing.T) {
	db := newTestDB(t)
	code := validCode(t, "91410700MA44RN9B0")
	db.CreateEnterprise(enterprise(code, "新乡甲机械有限公司"), who)
	if _, err := db.CreateAssessment(NewAssessment{Enterprise: validCode(t, "91410700MA44RN9B9"), Kind: model.KindBaseline}, who); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("unknown enterprise: %v", err)
	}
	if _, err := db.CreateAssessment(NewAssessment{Enterprise: code, Kind: "audit"}, who); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("bad kind: %v", err)
	}
	a, err := db.CreateAssessment(NewAssessment{Enterprise: code, Kind: model.KindBaseline, Assessor: model.Assessor{Org: "服务商", Person: "李工"}}, who)
	if err != nil {
		t.Fatal(err)
	}
	if !model.ValidID(a.ID) || a.Device == "" || a.CatalogHash != catalog(t).Hash() {
		t.Errorf("new assessment = %+v", a)
	}
	if _, err := db.SaveAnswer(a.ID, "Q01", []string{"B"}, who); err != nil {
		t.Fatal(err)
	}
	before, _ := db.Assessment(a.ID)
	beforeLog, _ := db.AuditLog(a.ID)
	// Every bad input is refused and changes nothing.
	bad := []struct {
		name string
		do   func() error
		want error
	}{
		{"unknown question", func() error { _, err := db.SaveAnswer(a.ID, "Q99", []string{"A"}, who); return err }, model.ErrInvalid},
		{"unknown option", func() error { _, err := db.SaveAnswer(a.ID, "Q01", []string{"Z"}, who); return err }, model.ErrInvalid},
		{"none with others", func() error { _, err := db.SaveAnswer(a.ID, "Q01", []string{"A", "B"}, who); return err }, model.ErrInvalid},
		{"bad rating", func() error { _, err := db.SaveRating(a.ID, "SC01", 9, who); return err }, model.ErrInvalid},
		{"unknown assessment", func() error { _, err := db.SaveAnswer("NOPE", "Q01", []string{"B"}, who); return err }, model.ErrNotFound},
		{"negative number", func() error {
			_, err := db.SaveNumbers(a.ID, "Q14", map[string]model.Decimal{"revenue_last": "-3"}, who)
			return err
		}, model.ErrInvalid},
		{"finalize incomplete", func() error { _, err := db.Finalize(a.ID, who); return err }, model.ErrIncomplete},
	}
	for _, b := range bad {
		if err := b.do(); !errors.Is(err, b.want) {
			t.Errorf("%s: %v, want %v", b.name, err, b.want)
		}
	}
	after, _ := db.Assessment(a.ID)
	afterLog, _ := db.AuditLog(a.ID)
	if !reflect.DeepEqual(before, after) || len(afterLog) != len(beforeLog) {
		t.Fatal("a refused change modified the assessment or its audit log")
	}
	if out, _ := db.Outbox(); len(out) != 0 {
		t.Fatal("incomplete finalize touched the outbox")
	}

	answerAll(t, db, a.ID)
	if _, err := db.SaveNote(a.ID, "Q05", "ERP 已上线", who); err != nil {
		t.Fatal(err)
	}
	fin, err := db.Finalize(a.ID, who)
	if err != nil {
		t.Fatal(err)
	}
	if fin.State != model.StateQueued || fin.ReportSHA256 == "" {
		t.Errorf("finalized = %s %q", fin.State, fin.ReportSHA256)
	}
	out, _ := db.Outbox()
	if len(out) != 1 || out[0].AssessmentID != a.ID || out[0].SHA256 != fin.ReportSHA256 {
		t.Errorf("outbox = %+v", out)
	}
	r, err := db.Report(a.ID)
	if err != nil || model.HashReport(r.Bytes) != fin.ReportSHA256 || r.Document.Draft {
		t.Errorf("report: %v", err)
	}
	if _, err := db.SaveAnswer(a.ID, "Q02", []string{"A"}, who); !errors.Is(err, model.ErrFinalized) {
		t.Errorf("answer on finalized: %v", err)
	}
	if _, err := db.Finalize(a.ID, who); !errors.Is(err, model.ErrFinalized) {
		t.Errorf("second finalize: %v", err)
	}
	log, _ := db.AuditLog(a.ID)
	if log[0].Action != model.ActionCreate || log[len(log)-1].New != string(model.StateQueued) || log[1].Who != "李工" {
		t.Errorf("audit log: first %+v last %+v", log[0], log[len(log)-1])
	}

	// Sending: a retryable failure, then success.
	if err := db.MarkAttemptFailed(a.ID, "连接超时", who); err != nil {
		t.Fatal(err)
	}
	s, _ := db.Summary(code)
	if s.Assessments[0].State != model.StateSendFailed || s.Assessments[0].LastError != "连接超时" {
		t.Errorf("summary after failure: %+v", s.Assessments[0])
	}
	if err := db.MarkSent(a.ID, Receipt{ServerSeq: 7, SHA256: "wrong"}, who); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("receipt with wrong hash: %v", err)
	}
	if err := db.MarkSent(a.ID, Receipt{ServerSeq: 7, SHA256: fin.ReportSHA256, Server: "http://127.0.0.1"}, who); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkSent(a.ID, Receipt{ServerSeq: 7, SHA256: fin.ReportSHA256}, who); err != nil {
		t.Errorf("repeated receipt: %v", err)
	}
	if out, _ := db.Outbox(); len(out) != 0 {
		t.Errorf("outbox after sent: %+v", out)
	}
	if rc, err := db.Receipt(a.ID); err != nil || rc.ServerSeq != 7 {
		t.Errorf("receipt = %+v %v", rc, err)
	}

	// A correction is a new version that names the one it replaces.
	if _, err := db.Revise(a.ID, "", who); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("revise without reason: %v", err)
	}
	v2, err := db.Revise(a.ID, "Q05 误选", who)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := db.Assessment(a.ID)
	if v2.Replaces != a.ID || old.ReplacedBy != v2.ID || v2.Version != 2 || v2.State != model.StateDraft {
		t.Errorf("revision %+v / old replaced by %q", v2, old.ReplacedBy)
	}
	s, _ = db.Summary(code)
	latest, _ := s.Latest(model.KindBaseline)
	if latest.ID != v2.ID {
		t.Errorf("latest baseline = %s, want the revision", latest.ID)
	}
}

func TestRejectedStaysInOutbox(t *testing.T) {
	db := newTestDB(t)
	code := validCode(t, "91410700MA44RN9B0")
	db.CreateEnterprise(enterprise(code, "甲"), who)
	a, _ := db.CreateAssessment(NewAssessment{Enterprise: code, Kind: model.KindAcceptance}, who)
	answerAll(t, db, a.ID)
	db.Finalize(a.ID, who)
	if err := db.MarkRejected(a.ID, "409: 同一编号内容不同", who); err != nil {
		t.Fatal(err)
	}
	out, _ := db.Outbox()
	if len(out) != 1 || out[0].State != model.StateRejected || out[0].LastError == "" {
		t.Errorf("outbox = %+v", out)
	}
	if err := db.MarkAttemptFailed(a.ID, "x", who); !errors.Is(err, model.ErrState) {
		t.Errorf("rejected -> send_failed: %v", err)
	}
}

func TestCheckFindsTampering(t *testing.T) {
	db := newTestDB(t)
	code := validCode(t, "91410700MA44RN9B0")
	db.CreateEnterprise(enterprise(code, "甲"), who)
	a, _ := db.CreateAssessment(NewAssessment{Enterprise: code, Kind: model.KindBaseline}, who)
	answerAll(t, db, a.ID)
	db.Finalize(a.ID, who)
	if p, _ := db.Check(); len(p) != 0 {
		t.Fatalf("clean db: %v", p)
	}
	report, _ := db.StoredReport(a.ID)
	// Someone edits the level inside the stored report, and a summary line.
	tampered := strings.Replace(string(report), `"level":2,"level_name":"二级"`, `"level":3,"level_name":"三级"`, 1)
	db.bolt.Update(func(tx *bolt.Tx) error {
		tx.Bucket(bucketReports).Put([]byte(a.ID), []byte(tampered))
		s, _ := decodeSummary(tx.Bucket(bucketSummaries).Get([]byte(code)))
		s.Assessments[0].Level = 4
		return tx.Bucket(bucketSummaries).Put([]byte(code), encodeSummary(s))
	})
	p, err := db.Check()
	joined := strings.Join(p, "\n")
	if err != nil || !strings.Contains(joined, "报告被改动") || !strings.Contains(joined, "列表索引与评测") {
		t.Errorf("check = %v\n%s", err, joined)
	}
	// Put it back so the cleanup check passes.
	db.bolt.Update(func(tx *bolt.Tx) error {
		tx.Bucket(bucketReports).Put([]byte(a.ID), report)
		return rebuildSummaries(tx)
	})
}

func TestSettings(t *testing.T) {
	db := newTestDB(t)
	if err := db.SetSettings(map[string]string{SettingServerURL: "http://127.0.0.1:8787", SettingToken: "t"}); err != nil {
		t.Fatal(err)
	}
	if v, _ := db.Setting(SettingServerURL); v != "http://127.0.0.1:8787" {
		t.Errorf("setting = %q", v)
	}
	db.SetSettings(map[string]string{SettingToken: ""})
	if v, _ := db.Setting(SettingToken); v != "" {
		t.Errorf("deleted setting = %q", v)
	}
}

func TestEachEnterprise(t *testing.T) {
	db := newTestDB(t)
	if _, err := db.CreateDemo(who); err != nil {
		t.Fatal(err)
	}
	code := validCode(t, "91410700MA44RN9B0")
	db.CreateEnterprise(enterprise(code, "乙"), who)
	var names []string
	var counts []int
	err := db.EachEnterprise(func(r EnterpriseRecords) error {
		names = append(names, r.Enterprise.Name)
		counts = append(counts, len(r.Headers))
		return nil
	})
	if err != nil || len(names) != 2 || counts[0]+counts[1] != 1 {
		t.Errorf("EachEnterprise: %v %v %v", names, counts, err)
	}
}

// TestEachEnterpriseReadsNoAssessment: the roll-up's iteration reads the
// summary index, never an assessment record, so its cost does not grow
// with the records' size. With every assessment record removed behind the
// store's back it still yields the same headers.
func TestEachEnterpriseReadsNoAssessment(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "d.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetIdentity(testIdentity); err != nil {
		t.Fatal(err)
	}
	code := validCode(t, "91410700MA44RN9B0")
	db.CreateEnterprise(enterprise(code, "甲"), who)
	a, _ := db.CreateAssessment(NewAssessment{Enterprise: code, Kind: model.KindAcceptance}, who)
	answerAll(t, db, a.ID)
	fin, err := db.Finalize(a.ID, who)
	if err != nil {
		t.Fatal(err)
	}
	draft, _ := db.CreateAssessment(NewAssessment{Enterprise: code, Kind: model.KindBaseline}, who)
	headers := func() []model.Assessment {
		var out []model.Assessment
		if err := db.EachEnterprise(func(r EnterpriseRecords) error { out = append(out, r.Headers...); return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := headers()
	if len(before) != 2 || before[0].ID != fin.ID || before[0].Level != fin.Level || before[0].Score != fin.Score ||
		!before[0].FinalizedAt.Equal(fin.FinalizedAt) || !before[0].CreatedAt.Equal(fin.CreatedAt) || before[0].State != fin.State ||
		before[1].ID != draft.ID || before[1].State != model.StateDraft || before[1].Answers.Answers != nil {
		t.Fatalf("headers %+v", before)
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketAssessments); err != nil {
			return err
		}
		_, err := tx.CreateBucket(bucketAssessments)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if after := headers(); !reflect.DeepEqual(after, before) {
		t.Errorf("without the records: %+v, with: %+v", after, before)
	}
}
