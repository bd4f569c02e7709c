package ui

import (
	"os"
	"path/filepath"
	"testing"

	"digilevel/model"
	"digilevel/storage"
)

// reopenCounting closes db and opens its file again with every
// verification of a stored report counted.
func reopenCounting(t *testing.T, db *storage.DB) (*storage.DB, *int) {
	t.Helper()
	path := db.Path()
	db.Close()
	n := new(int)
	again, err := storage.Open(path, storage.Options{Now: fixedNow, NoSync: true, VerifyReport: func(b []byte) (model.ReportDocument, error) {
		*n++
		return model.VerifyReport(b)
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { again.Close() })
	return again, n
}

// flipAfterVerify hands the screens the store's verified document with a
// byte of the signed bytes changed after the store checked them: a screen
// that verified them again would refuse them.
type flipAfterVerify struct{ Store }

func flip(b []byte) []byte {
	b = append([]byte(nil), b...)
	b[len(b)-2] ^= 1
	return b
}

func (s flipAfterVerify) Report(id string) (storage.ReportData, error) {
	rd, err := s.Store.Report(id)
	if err == nil && rd.Assessment.State.Frozen() {
		rd.Bytes = flip(rd.Bytes)
	}
	return rd, err
}

func (s flipAfterVerify) SpotCheckPair(id string) (storage.SpotCheckPair, error) {
	p, err := s.Store.SpotCheckPair(id)
	if err == nil && p.SpotCheck.Assessment.State.Frozen() {
		p.SpotCheck.Bytes = flip(p.SpotCheck.Bytes)
	}
	return p, err
}

// TestReportLoadsVerifyOnce: the export of a finalized report and the
// spot-check comparison verify the laptop's own signed report once, in the
// store (counted through storage.Options.VerifyReport), and render the
// document it verified without verifying again (report.FromVerified, as
// the CLI does).
func TestReportLoadsVerifyOnce(t *testing.T) {
	t.Run("export", func(t *testing.T) {
		fx := newFixture(t, true)
		db, verified := reopenCounting(t, fx.db)
		dir := t.TempDir()
		h := newHarness(t, testDeps(flipAfterVerify{db}), 120, 40)
		h.keys("/", "电子", "enter", "enter", "x")
		for range 4 {
			h.keys("backspace")
		}
		*verified = 0
		h.keys(dir, "tab", "space", "tab", "space", "enter") // Markdown only
		if _, err := os.Stat(filepath.Join(dir, "新乡市高新电子科技股份有限公司_改造前诊断_v1.md")); err != nil {
			t.Fatalf("export: %v\n%s", err, h.view())
		}
		if *verified != 1 {
			t.Errorf("the export verified the report %d times, want once", *verified)
		}
	})
	t.Run("compare", func(t *testing.T) {
		f := newSpotFixture(t, stageFinalized)
		db, verified := reopenCounting(t, f.db)
		msg := compareCmd(flipAfterVerify{db}, f.spot)().(comparedMsg)
		if msg.err != nil {
			t.Fatalf("compare: %v", msg.err)
		}
		if *verified != 1 || msg.doc.SpotCheck.ID != f.spot || msg.doc.Checked.ID != f.v2 {
			t.Errorf("the comparison verified the spot-check's report %d times, want once (%s)", *verified, msg.doc.SpotCheck.ID)
		}
	})
}
