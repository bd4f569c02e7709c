// Package assess completes assessments for tests: it depends on nothing of
// sync, so the fixture and the store conformance suite (which the engines'
// own tests import) can share it.
package assess

import (
	"testing"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage"
)

var who = model.Change{Who: "测试"}

// AnswerAll answers every question of a draft with its last option and
// rates every scenario 2: a complete assessment, ready to finalize.
func AnswerAll(t testing.TB, db *storage.DB, id string) {
	t.Helper()
	cat, err := indicators.Embedded(indicators.DefaultEdition)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range cat.DefaultQuestionnaire().Questions() {
		if _, err := db.SaveAnswer(id, q.ID, []string{q.Options[len(q.Options)-1].ID}, who); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range cat.Scenarios {
		if _, err := db.SaveRating(id, s.ID, 2, who); err != nil {
			t.Fatal(err)
		}
	}
}
