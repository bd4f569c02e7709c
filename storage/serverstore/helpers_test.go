package serverstore

import (
	"testing"

	"digilevel/sync/server/storetest"
)

// The bbolt tests reuse the conformance suite's seeded laptops and
// submissions (sync/server/storetest) rather than a copy of them.

func seedReports(t testing.TB, enterprises, assessments int, seed int64) []storetest.Report {
	t.Helper()
	return storetest.Seed(t, enterprises, assessments, seed).Reports
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
