package storage

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
)

// TestCheckHoldsOneAssessmentAtATime: Check streams the assessments. With
// 300 assessments of about 130 KB each (40 MB if held together), the live
// heap during the check grows by far less than that: only small facts per
// record are kept, never the records.
func TestCheckHoldsOneAssessmentAtATime(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "big.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	code := validCode(t, "91410700MA44RN9B0")
	if _, err := db.CreateEnterprise(enterprise(code, "大记录企业"), who); err != nil {
		t.Fatal(err)
	}
	cat := catalog(t)
	note := strings.Repeat("现场记录", model.MaxNoteLength/4)
	const n = 300
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		for i := range n {
			now := t0.Add(time.Duration(i) * time.Minute)
			id, err := model.NewID(now, nil)
			if err != nil {
				return err
			}
			a, err := model.NewAssessment(model.NewAssessmentOptions{ID: id, Enterprise: code, Kind: model.KindBaseline, Catalog: cat, Now: now})
			if err != nil {
				return err
			}
			for _, q := range cat.DefaultQuestionnaire().Questions()[:10] {
				if _, err := a.SetNote(cat, q.ID, note, model.Change{Who: "李工", Now: now}); err != nil {
					return err
				}
			}
			if err := putAssessment(tx, a, cat); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base, peak, seen := ms.HeapAlloc, ms.HeapAlloc, 0
	db.checkProgress = func() {
		seen++
		if seen%20 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	problems, err := db.Check()
	if err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", err, problems)
	}
	if seen != n {
		t.Fatalf("checked %d assessments, want %d", seen, n)
	}
	const held = n * 10 * model.MaxNoteLength * 3 // bytes of notes if all were held
	if grew := peak - min(base, peak); grew > held/8 {
		t.Errorf("live heap grew by %d KB during the check; holding every assessment would be %d KB", grew>>10, held>>10)
	}
}
