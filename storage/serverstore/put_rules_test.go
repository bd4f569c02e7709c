package serverstore

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"digilevel/sync/server/storetest"
)

// A revision must belong to the enterprise of the version it replaces
// when the platform holds that version; a revision of a version it does
// not hold yet is accepted (the original may arrive later).
func TestRevisionOfAnotherEnterpriseIsAConflict(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "server.db"), Options{Now: func() time.Time { return storetest.T0 }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l := storetest.Seed(t, 10, 50, 1)
	orig := l.Reports[0]
	mustPut(t, s, storetest.Submission(orig, ""), Created)
	var other storetest.Report
	for _, r := range l.Reports {
		if r.Doc.Enterprise.Code != orig.Doc.Enterprise.Code {
			other = r
			break
		}
	}
	sub := storetest.Submission(other, "")
	sub.Record.Replaces = orig.Doc.ID
	res := mustPut(t, s, sub, Conflict)
	if !strings.Contains(res.Reason, "属于企业") || !strings.Contains(res.Reason, orig.Doc.Enterprise.Code) {
		t.Errorf("reason %q does not name both enterprises", res.Reason)
	}
	// The same revision of a version the platform does not hold: accepted.
	sub.Record.Replaces = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
	mustPut(t, s, sub, Created)
	if seq, _ := s.LastSeq(); seq != 2 {
		t.Errorf("%d reports stored, want 2", seq)
	}
}

// A submission naming a token the store does not hold is an error, not a
// report stored under no token.
func TestPutWithUnknownTokenFails(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "server.db"), Options{Now: func() time.Time { return storetest.T0 }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := storetest.Seed(t, 10, 50, 1).Reports[0]
	if res, err := s.Put(storetest.Submission(r, "NOPE")); err == nil {
		t.Fatalf("Put under an unknown token = %+v, nil", res)
	}
	if seq, _ := s.LastSeq(); seq != 0 {
		t.Errorf("%d reports stored", seq)
	}
}
