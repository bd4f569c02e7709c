package serverstore

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage"
	"digilevel/storage/platform"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// newTestStore opens a server database in a temp dir; on cleanup it runs
// Check and fails the test on any problem, then closes it.
func newTestStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "server.db"), Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		problems, err := s.Check()
		if err != nil || len(problems) > 0 {
			t.Errorf("check on cleanup: %v\n%s", err, strings.Join(problems, "\n"))
		}
		s.Close()
	})
	return s
}

// testReport is a signed report from a laptop store.
type testReport struct {
	Body []byte
	Doc  model.ReportDocument
}

// seedReports makes signed reports (the same seed gives the same IDs, but
// every call has its own installation key) with storage.SeedSynthetic (a fifth of
// the assessments are finalized) and returns them with the laptop store.
func seedReports(t testing.TB, enterprises, assessments int, seed int64) ([]testReport, *storage.DB) {
	t.Helper()
	db, err := storage.Open(filepath.Join(t.TempDir(), "laptop.db"), storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.SeedSynthetic(enterprises, assessments, seed); err != nil {
		t.Fatal(err)
	}
	items, err := db.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	var out []testReport
	for _, it := range items {
		out = append(out, loadReport(t, db, it.AssessmentID))
	}
	return out, db
}

func loadReport(t testing.TB, db *storage.DB, id string) testReport {
	t.Helper()
	body, err := db.StoredReport(id)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := model.VerifyReport(body)
	if err != nil {
		t.Fatal(err)
	}
	return testReport{Body: body, Doc: doc}
}

// revise finalizes a revision of a frozen assessment and returns its report.
func revise(t testing.TB, db *storage.DB, id string) testReport {
	t.Helper()
	next, err := db.Revise(id, "更正", model.Change{Who: "测试"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Finalize(next.ID, model.Change{Who: "测试"}); err != nil {
		t.Fatal(err)
	}
	return loadReport(t, db, next.ID)
}

// submission builds what the server would offer Put for a report.
func submission(r testReport, token string) Submission {
	rec := platform.RecordOf(r.Doc, model.HashReport(r.Body), len(r.Body))
	rec.TokenID, rec.Source = token, SourceAPI
	return Submission{
		Record:         rec,
		Body:           r.Body,
		IdempotencyKey: r.Doc.ID + ":" + model.HashReport(r.Body),
	}
}

func addToken(t testing.TB, s *Store, id, provider string, role Role) Token {
	t.Helper()
	tok := Token{ID: id, SecretHash: strings.Repeat("ab", 32), Provider: provider, Role: role, CreatedAt: t0}
	if err := s.AddToken(tok); err != nil {
		t.Fatal(err)
	}
	return tok
}

func mustPut(t testing.TB, s *Store, sub Submission, want Outcome) Result {
	t.Helper()
	res, err := s.Put(sub)
	if err != nil {
		t.Fatalf("Put %s: %v", sub.Record.ID, err)
	}
	if res.Outcome != want {
		t.Fatalf("Put %s: outcome %d (%s), want %d", sub.Record.ID, res.Outcome, res.Reason, want)
	}
	return res
}
