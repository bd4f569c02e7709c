package storage

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// Each migration has a case: init writes the layout before it (on top of the
// earlier migrations), check verifies the layout after it.
var migrationTests = []struct {
	name  string
	init  func(tx *bolt.Tx) error
	check func(tx *bolt.Tx) error
}{
	{
		name: "base buckets",
		init: func(tx *bolt.Tx) error { return nil },
		check: func(tx *bolt.Tx) error {
			for _, b := range [][]byte{bucketMeta, bucketKeys, bucketSettings, bucketCatalogs, bucketEnterprises, bucketAssessments, bucketReports, bucketAudit, bucketOutbox, bucketReceipts} {
				if tx.Bucket(b) == nil {
					return fmt.Errorf("bucket %s missing", b)
				}
			}
			if string(tx.Bucket(bucketMeta).Get(keyApp)) != appMarker {
				return fmt.Errorf("app marker missing")
			}
			return nil
		},
	},
	{
		name: "enterprise summary index",
		init: func(tx *bolt.Tx) error {
			// A v1 file with an enterprise and a draft but no index.
			e := model.Enterprise{Code: model.DemoCode, Name: "甲", Batch: 2}
			b, _ := json.Marshal(e)
			if err := tx.Bucket(bucketEnterprises).Put([]byte(e.Code), b); err != nil {
				return err
			}
			a := model.Assessment{ID: "01JAAAAAAAAAAAAAAAAAAAAAAA", Enterprise: e.Code, Kind: model.KindBaseline, Version: 1, State: model.StateDraft,
				Answers: model.AnswerSet{Answers: map[string][]string{"Q05": {"E"}}, Scenarios: map[string]model.ScenarioRating{}}}
			b, _ = json.Marshal(a)
			return tx.Bucket(bucketAssessments).Put([]byte(a.ID), b)
		},
		check: func(tx *bolt.Tx) error {
			v := tx.Bucket(bucketSummaries).Get([]byte(model.DemoCode))
			if v == nil {
				return fmt.Errorf("summary not built")
			}
			s, _ := decodeSummary(v)
			if s.Batch != 2 || len(s.Assessments) != 1 || s.Assessments[0].ID != "01JAAAAAAAAAAAAAAAAAAAAAAA" {
				return fmt.Errorf("summary = %+v", s)
			}
			return nil
		},
	},
	{
		name: "outbox index",
		init: func(tx *bolt.Tx) error {
			// A v2 file with two queued items and no index.
			b := tx.Bucket(bucketOutbox)
			for i, id := range []string{"01JAAAAAAAAAAAAAAAAAAAAAAA", "01JBBBBBBBBBBBBBBBBBBBBBBB"} {
				data, _ := json.Marshal(OutboxItem{Seq: uint64(i + 1), AssessmentID: id, State: model.StateQueued})
				if err := b.Put(boltkit.Itob(uint64(i+1)), data); err != nil {
					return err
				}
			}
			return nil
		},
		check: func(tx *bolt.Tx) error {
			idx := tx.Bucket(bucketOutboxIDs)
			if idx == nil {
				return fmt.Errorf("outbox_ids missing")
			}
			if got := boltkit.Btoi(idx.Get([]byte("01JBBBBBBBBBBBBBBBBBBBBBBB"))); got != 2 {
				return fmt.Errorf("index of the second item = %d, want 2", got)
			}
			return nil
		},
	},
	{
		name: "pulled reports",
		init: func(tx *bolt.Tx) error {
			// A v3 file with a draft spot-check made before links existed.
			e := model.Enterprise{Code: model.DemoCode, Name: "甲", Batch: 1}
			b, _ := json.Marshal(e)
			if err := tx.Bucket(bucketEnterprises).Put([]byte(e.Code), b); err != nil {
				return err
			}
			a := model.Assessment{ID: "01JAAAAAAAAAAAAAAAAAAAAAAA", Enterprise: e.Code, Kind: model.KindSpotCheck, Version: 1, State: model.StateDraft,
				Answers: model.AnswerSet{Answers: map[string][]string{}, Scenarios: map[string]model.ScenarioRating{}}}
			b, _ = json.Marshal(a)
			return tx.Bucket(bucketAssessments).Put([]byte(a.ID), b)
		},
		check: func(tx *bolt.Tx) error {
			for _, b := range [][]byte{bucketPulled, bucketPulledReports, bucketPulledIndex} {
				if tx.Bucket(b) == nil {
					return fmt.Errorf("bucket %s missing", b)
				}
			}
			var a model.Assessment
			if err := boltkit.Decode(tx.Bucket(bucketAssessments).Get([]byte("01JAAAAAAAAAAAAAAAAAAAAAAA")), &a); err != nil || a.Checks != nil || a.Kind != model.KindSpotCheck {
				return fmt.Errorf("old spot-check %+v %v", a, err)
			}
			if s := model.SealFor(true, model.DemoCode, []model.Assessment{a}); !s.Sealed {
				return fmt.Errorf("an unlinked spot-check must not open pulled reports")
			}
			return nil
		},
	},
	{
		name: "solution pool",
		init: func(tx *bolt.Tx) error { return nil },
		check: func(tx *bolt.Tx) error {
			if tx.Bucket(bucketSolutions) == nil {
				return fmt.Errorf("bucket %s missing", bucketSolutions)
			}
			return nil
		},
	},
	{
		name: "evidence in the database",
		init: func(tx *bolt.Tx) error {
			// A v5 draft naming three files by path: one still there, one
			// gone, one changed since it was attached.
			dir, err := os.MkdirTemp("", "digilevel-migrate-")
			if err != nil {
				return err
			}
			f := &migrationFiles
			f.dir, f.kept, f.gone, f.changed = dir, filepath.Join(dir, "台账.xlsx"), filepath.Join(dir, "照片.jpg"), filepath.Join(dir, "截图.png")
			os.WriteFile(f.kept, []byte("台账内容"), 0o600)
			os.WriteFile(f.changed, []byte("改过的截图"), 0o600)
			a := model.Assessment{ID: "01JCCCCCCCCCCCCCCCCCCCCCCC", Enterprise: model.DemoCode, Kind: model.KindBaseline, Version: 1, State: model.StateDraft,
				Answers: model.AnswerSet{Answers: map[string][]string{}, Scenarios: map[string]model.ScenarioRating{}},
				Evidence: map[string][]model.Evidence{
					"Q01":  {{Path: f.kept, SHA256: sha256Hex([]byte("台账内容")), Size: 12}, {Path: f.gone, SHA256: sha256Hex([]byte("照片")), Size: 6}},
					"SC03": {{Path: f.changed, SHA256: sha256Hex([]byte("原截图")), Size: 9}},
				}}
			b, _ := json.Marshal(a)
			return tx.Bucket(bucketAssessments).Put([]byte(a.ID), b)
		},
		check: func(tx *bolt.Tx) error {
			defer os.RemoveAll(migrationFiles.dir)
			ev := tx.Bucket(bucketEvidence)
			if got := ev.Get([]byte(sha256Hex([]byte("台账内容")))); string(got) != "台账内容" {
				return fmt.Errorf("the file still present was not copied in: %q", got)
			}
			if ev.Get([]byte(sha256Hex([]byte("照片")))) != nil || ev.Get([]byte(sha256Hex([]byte("原截图")))) != nil || ev.Stats().KeyN != 1 {
				return fmt.Errorf("a gone or changed file was stored: %d files", ev.Stats().KeyN)
			}
			if tx.Bucket(bucketEvidenceUses).Get(useKey(sha256Hex([]byte("原截图")), "01JCCCCCCCCCCCCCCCCCCCCCCC", "SC03")) == nil {
				return fmt.Errorf("uses not indexed")
			}
			return nil
		},
	},
	{
		name: "summary index v2 (times and spot-check link)",
		init: func(tx *bolt.Tx) error {
			// A v6 file: a finalized spot-check whose summary is in codec 1,
			// which has no times or link (here a bare version byte).
			fin := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			a := model.Assessment{ID: "01JBBBBBBBBBBBBBBBBBBBBBBB", Enterprise: model.DemoCode, Kind: model.KindSpotCheck, Version: 1, State: model.StateFinalized,
				Level: 2, CreatedAt: fin.Add(-time.Hour), FinalizedAt: fin, Checks: &model.CheckRef{ID: "01JCCCCCCCCCCCCCCCCCCCCCCC", Blind: true},
				Answers: model.AnswerSet{Answers: map[string][]string{}, Scenarios: map[string]model.ScenarioRating{}}}
			e, _ := json.Marshal(model.Enterprise{Code: model.DemoCode, Name: "甲", Batch: 1})
			if err := tx.Bucket(bucketEnterprises).Put([]byte(model.DemoCode), e); err != nil {
				return err
			}
			b, _ := json.Marshal(a)
			if err := tx.Bucket(bucketAssessments).Put([]byte(a.ID), b); err != nil {
				return err
			}
			return tx.Bucket(bucketSummaries).Put([]byte(model.DemoCode), []byte{1})
		},
		check: func(tx *bolt.Tx) error {
			s, err := decodeSummary(tx.Bucket(bucketSummaries).Get([]byte(model.DemoCode)))
			if err != nil {
				return err
			}
			for _, l := range s.Assessments {
				if l.ID != "01JBBBBBBBBBBBBBBBBBBBBBBB" {
					continue
				}
				h := l.Header(s.Code)
				if !h.FinalizedAt.Equal(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) || h.CreatedAt.IsZero() || h.Checks == nil || h.Checks.ID != "01JCCCCCCCCCCCCCCCCCCCCCCC" || !h.Checks.Blind {
					return fmt.Errorf("header %+v", h)
				}
				return nil
			}
			return fmt.Errorf("summary %+v has no line for the spot-check", s)
		},
	},
	{
		name: "summary index counts",
		init: func(tx *bolt.Tx) error {
			// A v7 file: two enterprises in the index, one with a draft and
			// a rejected report, and no counts record.
			b := tx.Bucket(bucketSummaries)
			one := EnterpriseSummary{Code: "91410700MA44RN9B0X", Name: "甲", Assessments: []AssessmentSummary{
				{ID: "01JAAAAAAAAAAAAAAAAAAAAAAA", Kind: model.KindBaseline, Version: 1, State: model.StateRejected},
				{ID: "01JBBBBBBBBBBBBBBBBBBBBBBB", Kind: model.KindAcceptance, Version: 1, State: model.StateDraft},
			}}
			two := EnterpriseSummary{Code: model.DemoCode, Name: "乙", Assessments: []AssessmentSummary{}}
			if err := b.Put([]byte(one.Code), encodeSummary(one)); err != nil {
				return err
			}
			if err := b.Put([]byte(two.Code), encodeSummary(two)); err != nil {
				return err
			}
			return tx.Bucket(bucketMeta).Delete(keySummaryCounts)
		},
		check: func(tx *bolt.Tx) error {
			v := tx.Bucket(bucketMeta).Get(keySummaryCounts)
			if v == nil {
				return fmt.Errorf("no counts record")
			}
			sc, err := decodeSummaryCounts(v)
			if err != nil {
				return err
			}
			want := SummaryCounts{Enterprises: 2, States: map[model.State]int{model.StateRejected: 1, model.StateDraft: 1}}
			if !reflect.DeepEqual(sc, want) {
				return fmt.Errorf("counts %+v, want %+v", sc, want)
			}
			return nil
		},
	},
}

// migrationFiles holds the evidence files of the "evidence in the database"
// case: one still there, one gone, one changed after it was attached.
var migrationFiles = struct{ dir, kept, gone, changed string }{}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func TestMigrations(t *testing.T) {
	if len(migrationTests) != len(migrations) {
		t.Fatalf("each migration must have a test case: %d tests, %d migrations", len(migrationTests), len(migrations))
	}
	for i, mt := range migrationTests {
		t.Run(mt.name, func(t *testing.T) {
			if migrations[i].Name != mt.name {
				t.Fatalf("test %d is for %q, migration is %q", i, mt.name, migrations[i].Name)
			}
			path := filepath.Join(t.TempDir(), "m.db")
			bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: DefaultTimeout})
			if err != nil {
				t.Fatal(err)
			}
			// Bring the file to version i, then write the old layout.
			err = bdb.Update(func(tx *bolt.Tx) error {
				for _, m := range migrations[:i] {
					if err := m.Apply(tx); err != nil {
						return err
					}
				}
				if i > 0 {
					if err := tx.Bucket(bucketMeta).Put(keySchemaVersion, boltkit.Itob(uint64(i))); err != nil {
						return err
					}
				}
				return mt.init(tx)
			})
			bdb.Close()
			if err != nil {
				t.Fatal(err)
			}
			db, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.bolt.View(mt.check); err != nil {
				t.Error(err)
			}
			db.bolt.View(func(tx *bolt.Tx) error {
				if v := boltkit.Btoi(tx.Bucket(bucketMeta).Get(keySchemaVersion)); v != uint64(len(migrations)) {
					t.Errorf("schema version %d", v)
				}
				return nil
			})
		})
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	db, _ := Open(path, Options{})
	db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchemaVersion, boltkit.Itob(99)) })
	db.Close()
	if _, err := Open(path, Options{}); err == nil {
		t.Error("a file from a newer digilevel was opened")
	}
}
