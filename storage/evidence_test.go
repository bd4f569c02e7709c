package storage

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"digilevel/attach"
	"digilevel/model"
)

func storedFiles(t *testing.T, db *DB) int {
	t.Helper()
	n := 0
	db.bolt.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketEvidence).Stats().KeyN
		return nil
	})
	return n
}

func draft(t *testing.T, db *DB, body string) model.Assessment {
	t.Helper()
	code := validCode(t, body)
	if _, err := db.CreateEnterprise(enterprise(code, "佐证企业"+body[14:]), who); err != nil {
		t.Fatal(err)
	}
	a, err := db.CreateAssessment(NewAssessment{Enterprise: code, Kind: model.KindBaseline}, who)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestEvidenceStoredInTheDatabase: the content is copied in when attached,
// so moving or editing the original changes nothing; the same content is
// stored once; the same content twice on one item is refused.
func TestEvidenceStoredInTheDatabase(t *testing.T) {
	db := newTestDB(t)
	a := draft(t, db, "91410700MA44EH001")
	dir := t.TempDir()
	photo := filepath.Join(dir, "现场 照片 1.jpg")
	os.WriteFile(photo, []byte("原始照片"), 0o600)
	f, err := attach.Read(photo, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddEvidence(a.ID, "Q01", FromAttach(f), who); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddEvidence(a.ID, "SC06", FromAttach(f), who); err != nil {
		t.Fatalf("the same file on a scenario: %v", err)
	}
	if _, err := db.AddEvidence(a.ID, "Q01", FromAttach(f), who); !errors.Is(err, model.ErrExists) {
		t.Fatalf("the same file twice on Q01: %v", err)
	}
	if n := storedFiles(t, db); n != 1 {
		t.Fatalf("%d files stored for one content attached twice, want 1", n)
	}
	// The original is edited, then moved away.
	os.WriteFile(photo, []byte("被改过"), 0o600)
	os.Rename(photo, photo+".bak")
	got, err := db.EvidenceData(f.SHA256)
	if err != nil || string(got) != "原始照片" {
		t.Fatalf("stored bytes = %q, %v", got, err)
	}
	answerAll(t, db, a.ID)
	fin, err := db.Finalize(a.ID, who)
	if err != nil {
		t.Fatalf("finalize with a moved original: %v", err)
	}
	rd, err := db.Report(fin.ID)
	if err != nil || len(rd.Document.Evidence["Q01"]) != 1 || rd.Document.Evidence["SC06"][0].SHA256 != f.SHA256 {
		t.Fatalf("report evidence = %+v, %v", rd.Document.Evidence, err)
	}
	if missing, _ := db.MissingEvidence(fin.ID); len(missing) != 0 {
		t.Errorf("missing = %v", missing)
	}
}

// TestEvidenceLimit is issue 9 item 4: one limit, enforced when adding.
func TestEvidenceLimit(t *testing.T) {
	db := newTestDB(t)
	a := draft(t, db, "91410700MA44EH002")
	if n, _ := db.EvidenceLimit(); n != model.MaxEvidenceSize {
		t.Fatalf("default limit %d", n)
	}
	if err := db.SetSettings(map[string]string{SettingEvidenceLimit: "1"}); err != nil {
		t.Fatal(err)
	}
	_, err := db.AddEvidence(a.ID, "Q02", EvidenceFile{Path: "/tmp/大.mp4", Data: make([]byte, 1<<20+1)}, who)
	if !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "超过佐证材料上限 1.0 MB") {
		t.Fatalf("over the limit: %v", err)
	}
	if n := storedFiles(t, db); n != 0 {
		t.Fatalf("a refused file was stored")
	}
	if _, err := db.AddEvidence(a.ID, "Q02", EvidenceFile{Path: "/tmp/刚好.mp4", Data: make([]byte, 1<<20)}, who); err != nil {
		t.Fatalf("at the limit: %v", err)
	}
	for _, bad := range []string{"0", "65", "abc", "-3"} {
		if _, err := ParseEvidenceLimit(bad); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("limit %q accepted", bad)
		}
	}
	if n, err := ParseEvidenceLimit("20 MB"); err != nil || n != 20<<20 {
		t.Errorf("20 MB = %d, %v", n, err)
	}
}

// TestRemoveEvidence: a wrong file comes off a draft and its content goes
// with its last use; a file a finalized report names stays.
func TestRemoveEvidence(t *testing.T) {
	db := newTestDB(t)
	a := draft(t, db, "91410700MA44EH003")
	wrong := EvidenceFile{Path: "/tmp/私人照片.jpg", Data: []byte("不该附上的照片")}
	kept := EvidenceFile{Path: "/tmp/台账.xlsx", Data: []byte("设备台账")}
	a, _ = db.AddEvidence(a.ID, "Q03", wrong, who)
	a, _ = db.AddEvidence(a.ID, "Q03", kept, who)
	sha := a.Evidence["Q03"][0].SHA256
	a, err := db.RemoveEvidence(a.ID, "Q03", sha[:8], who)
	if err != nil || len(a.Evidence["Q03"]) != 1 || a.Evidence["Q03"][0].Path != kept.Path {
		t.Fatalf("after removing: %+v, %v", a.Evidence, err)
	}
	if _, err := db.EvidenceData(sha); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("the removed file's content stayed: %v", err)
	}
	log, _ := db.AuditLog(a.ID)
	if last := log[len(log)-1]; last.Action != model.ActionEvidenceRemove || !strings.Contains(last.Old, "私人照片.jpg") {
		t.Errorf("audit = %+v", last)
	}
	if _, err := db.RemoveEvidence(a.ID, "Q03", "ffffff", who); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("unknown file: %v", err)
	}

	// A revision's removal keeps the content the finalized version names.
	answerAll(t, db, a.ID)
	if _, err := db.Finalize(a.ID, who); err != nil {
		t.Fatal(err)
	}
	keptSHA := a.Evidence["Q03"][0].SHA256
	if _, err := db.RemoveEvidence(a.ID, "Q03", keptSHA, who); !errors.Is(err, model.ErrFinalized) {
		t.Errorf("removing from a finalized assessment: %v", err)
	}
	v2, err := db.Revise(a.ID, "更正佐证", who)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.RemoveEvidence(v2.ID, "Q03", keptSHA, who); err != nil {
		t.Fatal(err)
	}
	if got, err := db.EvidenceData(keptSHA); err != nil || string(got) != "设备台账" {
		t.Errorf("the finalized version's file went with the revision's removal: %q %v", got, err)
	}
}

// TestCheckListsMissingEvidence: a file the database lacks (its original
// was gone when an old database migrated) is listed with its report.
func TestCheckListsMissingEvidence(t *testing.T) {
	db := newTestDB(t)
	a := draft(t, db, "91410700MA44EH004")
	a, _ = db.AddEvidence(a.ID, "Q05", EvidenceFile{Path: "/现场/照片.jpg", Data: []byte("照片")}, who)
	sha := a.Evidence["Q05"][0].SHA256
	var data []byte
	db.bolt.Update(func(tx *bolt.Tx) error {
		data = append([]byte(nil), tx.Bucket(bucketEvidence).Get([]byte(sha))...)
		return tx.Bucket(bucketEvidence).Delete([]byte(sha))
	})
	p, _ := db.Check()
	joined := strings.Join(p, "\n")
	for _, want := range []string{"佐证企业", "改造前诊断 v1", "草稿", a.ID, "/现场/照片.jpg", "不在数据库中", "移除该佐证"} {
		if !strings.Contains(joined, want) {
			t.Errorf("check does not say %q:\n%s", want, joined)
		}
	}
	if missing, _ := db.MissingEvidence(a.ID); len(missing) != 1 {
		t.Errorf("MissingEvidence = %v", missing)
	}
	db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketEvidence).Put([]byte(sha), data) })
}

// TestIdentity: a draft takes the laptop's identity; finalize refuses a
// draft without an organisation, saying where to set it, and signs a draft
// started before the identity was set with it; a revision takes the
// current identity.
func TestIdentity(t *testing.T) {
	db := newTestDB(t)
	db.SetIdentity(model.Assessor{})
	a := draft(t, db, "91410700MA44EH005")
	answerAll(t, db, a.ID)
	_, err := db.Finalize(a.ID, who)
	if !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "评测机构") || !strings.Contains(err.Error(), "config --assessor-org") || !strings.Contains(err.Error(), "设置") {
		t.Fatalf("finalize without an organisation: %v", err)
	}
	if got, _ := db.Assessment(a.ID); got.State != model.StateDraft {
		t.Fatal("a refused finalize changed the state")
	}
	if err := db.SetIdentity(model.Assessor{Org: "河南智造数字服务有限公司", Person: "张工"}); err != nil {
		t.Fatal(err)
	}
	fin, err := db.Finalize(a.ID, who)
	if err != nil || fin.Assessor.Org != "河南智造数字服务有限公司" || fin.Assessor.Person != "张工" {
		t.Fatalf("finalize after setting the identity: %+v, %v", fin.Assessor, err)
	}
	rd, _ := db.Report(fin.ID)
	if rd.Document.Assessor.Org != "河南智造数字服务有限公司" {
		t.Errorf("report signed by %+v", rd.Document.Assessor)
	}
	db.SetIdentity(model.Assessor{Org: "新服务商", Person: "王工"})
	v2, err := db.Revise(fin.ID, "更正", who)
	if err != nil || v2.Assessor != (model.Assessor{Org: "新服务商", Person: "王工"}) {
		t.Fatalf("revision assessor %+v, %v", v2.Assessor, err)
	}
	if err := db.SetIdentity(model.Assessor{Org: "坏\x1b]0;标题\x07"}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("control characters in the organisation: %v", err)
	}
}
