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
	return storetest.MustPut(t, s, sub, want)
}
