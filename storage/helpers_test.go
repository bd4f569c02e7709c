package storage

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"digilevel/indicators"
	"digilevel/model"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// newTestDB opens a database in a temp dir with testIdentity set; on
// cleanup it runs Check and fails the test on any problem, then closes it.
func newTestDB(t testing.TB) *DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data", "digilevel.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	// A configured laptop: drafts and reports are signed by this identity.
	if err := db.SetIdentity(testIdentity); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		problems, err := db.Check()
		if err != nil || len(problems) > 0 {
			t.Errorf("check on cleanup: %v\n%s", err, strings.Join(problems, "\n"))
		}
		db.Close()
	})
	return db
}

func catalog(t testing.TB) *indicators.Catalog {
	t.Helper()
	c, err := indicators.Embedded("2024")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func enterprise(code, name string) model.Enterprise {
	return model.Enterprise{Code: code, Name: name, Batch: 1, ZJTX: model.ZJTXNone,
		Revenue: []model.YearRevenue{{Year: 2025, Wan: "3000"}}}
}

// validCode builds a valid credit code from a 17-character body.
func validCode(t testing.TB, body string) string {
	t.Helper()
	ch, err := model.CreditCodeCheckChar(body)
	if err != nil {
		t.Fatal(err)
	}
	return body + string(ch)
}

var who = model.Change{Who: "李工"}

// testIdentity is the identity newTestDB configures.
var testIdentity = model.Assessor{Org: "测试服务商", Person: "李工"}

// answerAll answers every question with its first positive option (or the
// 0 option for Q12-Q15) and rates every scenario 2.
func answerAll(t testing.TB, db *DB, id string) model.Assessment {
	t.Helper()
	cat := catalog(t)
	var a model.Assessment
	var err error
	for _, q := range cat.DefaultQuestionnaire().Questions() {
		opt := q.Options[len(q.Options)-1].ID
		if a, err = db.SaveAnswer(id, q.ID, []string{opt}, who); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range cat.Scenarios {
		if a, err = db.SaveRating(id, s.ID, 2, who); err != nil {
			t.Fatal(err)
		}
	}
	return a
}
