package web

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"digilevel/model"
	"digilevel/storage/platform"
	"digilevel/storage/serverstore"
	"digilevel/web/webtest"
)

// TestFactsFromRecordAndPrefix: the aggregate reads a report's enterprise
// file from the start of its body only (decodeFacts stops after it) and
// takes its link, finalization time, level and score from the store's
// record. On a seeded platform (revisions, spot-checks) these equal what
// decoding the whole body gives.
func TestFactsFromRecordAndPrefix(t *testing.T) {
	st, err := serverstore.Open(filepath.Join(t.TempDir(), "platform.db"), serverstore.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := webtest.Seed(st, webtest.Options{Enterprises: 40, SpotCheckEvery: 2, RevisionPercent: 30, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	n, links := 0, 0
	err = st.EachReport(0, func(rec platform.Record) error {
		_, body, err := st.Report(rec.ID)
		if err != nil {
			return err
		}
		var doc model.ReportDocument
		if err := json.Unmarshal(body, &doc); err != nil {
			return err
		}
		var f reportFacts
		if err := decodeFacts(body, &f); err != nil || f.ID != doc.ID || !reflect.DeepEqual(f.Enterprise, doc.Enterprise) {
			t.Errorf("%s: facts %+v, %v", rec.ID, f, err)
		}
		if !reflect.DeepEqual(rec.CheckRef(), doc.Checks) || rec.FinalizedAt != platform.FinalizedAt(doc) ||
			rec.Level != doc.Result.Level || rec.Score != doc.Result.Score {
			t.Errorf("%s: the record's link, time, level or score differ from the body's", rec.ID)
		}
		n++
		if doc.Checks != nil {
			links++
		}
		return nil
	})
	if err != nil || n < 40 || links < 5 {
		t.Fatalf("%d reports, %d spot-checks: %v", n, links, err)
	}
	for _, bad := range []string{`[]`, `{"id":"x"}`, `{"enterprise":{}}`, `{"id":`} {
		if err := decodeFacts([]byte(bad), &reportFacts{}); err == nil {
			t.Errorf("decodeFacts(%s) = nil", bad)
		}
	}
}
