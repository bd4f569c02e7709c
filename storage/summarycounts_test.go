package storage

import (
	"fmt"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
)

// recount is what the kept counts must equal: every summary decoded.
func recount(t *testing.T, db *DB) SummaryCounts {
	t.Helper()
	list, err := db.Summaries()
	if err != nil {
		t.Fatal(err)
	}
	sc := SummaryCounts{States: map[model.State]int{}}
	for _, s := range list {
		sc.add(s, 1)
	}
	for st, n := range sc.States {
		if n == 0 {
			delete(sc.States, st)
		}
	}
	return sc
}

// TestSummaryPageAndCounts: the first page is the start of the full list in
// credit-code order, decodes only its own summaries, and its counts follow
// every change that moves an assessment between states (finalize, send
// failure, refusal, hold, receipt, revision) or adds an enterprise.
func TestSummaryPageAndCounts(t *testing.T) {
	db := newTestDB(t)
	decoded := 0
	db.summaryDecoded = func() { decoded++ }
	expect := func(step string) {
		t.Helper()
		want := recount(t, db)
		decoded = 0
		p, err := db.SummaryPage(5)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(p.Counts, want) {
			t.Errorf("%s: kept counts %+v, index %+v", step, p.Counts, want)
		}
		if decoded != len(p.List) || len(p.List) > 5 {
			t.Errorf("%s: a page of %d decoded %d summaries", step, len(p.List), decoded)
		}
	}
	expect("empty")
	// Enterprises created out of code order.
	var codes []string
	for i := 29; i >= 0; i-- {
		code := validCode(t, fmt.Sprintf("91410700MA44RN%03d", i))
		if _, err := db.CreateEnterprise(enterprise(code, fmt.Sprintf("企业%02d", i)), who); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, code)
	}
	if _, err := db.CreateDemo(who); err != nil {
		t.Fatal(err)
	}
	expect("created")

	finalized := func(code string, kind model.Kind) model.Assessment {
		t.Helper()
		a, err := db.CreateAssessment(NewAssessment{Enterprise: code, Kind: kind}, who)
		if err != nil {
			t.Fatal(err)
		}
		answerAll(t, db, a.ID)
		if a, err = db.Finalize(a.ID, who); err != nil {
			t.Fatal(err)
		}
		return a
	}
	draft, err := db.CreateAssessment(NewAssessment{Enterprise: codes[0], Kind: model.KindBaseline}, who)
	if err != nil {
		t.Fatal(err)
	}
	expect("draft")
	var before []byte
	db.bolt.View(func(tx *bolt.Tx) error {
		before = append(before, tx.Bucket(bucketMeta).Get(keySummaryCounts)...)
		return nil
	})
	if _, err := db.SaveAnswer(draft.ID, "Q01", []string{"B"}, who); err != nil {
		t.Fatal(err)
	}
	db.bolt.View(func(tx *bolt.Tx) error {
		if after := tx.Bucket(bucketMeta).Get(keySummaryCounts); string(after) != string(before) {
			t.Errorf("an answer changed the counts record: %s -> %s", before, after)
		}
		return nil
	})
	queued := finalized(codes[1], model.KindBaseline)
	failed := finalized(codes[2], model.KindAcceptance)
	rejected := finalized(codes[3], model.KindBaseline)
	held := finalized(codes[4], model.KindBaseline)
	sent := finalized(codes[5], model.KindBaseline)
	expect("finalized")
	if err := db.MarkAttemptFailed(failed.ID, "连接超时", who); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkRejected(rejected.ID, "409", who); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkHeld(held.ID, "403", "fp", who); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkSent(sent.ID, Receipt{ServerSeq: 1, SHA256: sent.ReportSHA256}, who); err != nil {
		t.Fatal(err)
	}
	expect("sending")
	if _, err := db.Revise(sent.ID, "Q05 误选", who); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateEnterprise(enterprise(codes[1], "改名"), who); err != nil {
		t.Fatal(err)
	}
	expect("revised")

	p, _ := db.SummaryPage(5)
	c := p.Counts
	if c.Enterprises != 31 || c.States[model.StateQueued] != 1 || c.States[model.StateSendFailed] != 1 || c.States[model.StateRejected] != 1 ||
		c.States[model.StateHeld] != 1 || c.States[model.StateSent] != 1 || c.States[model.StateDraft] != 3 {
		t.Errorf("counts %+v (queued %s)", c, queued.ID)
	}
	all, _ := db.Summaries()
	if p.Complete() || len(p.List) != 5 || !reflect.DeepEqual(p.List, all[:5]) {
		t.Errorf("page %v is not the start of the list", p.List)
	}
	if p, _ := db.SummaryPage(100); !p.Complete() || !reflect.DeepEqual(p.List, all) {
		t.Errorf("a page longer than the list: %d of %d", len(p.List), len(all))
	}

	// Check notices counts that no longer match the index.
	db.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySummaryCounts, []byte(`{"enterprises":3}`))
	})
	problems, err := db.Check()
	if err != nil || len(problems) == 0 {
		t.Errorf("check of wrong counts: %v %v", problems, err)
	}
	// A missing record is counted from the index.
	db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Delete(keySummaryCounts) })
	if p, err := db.SummaryPage(5); err != nil || !reflect.DeepEqual(p.Counts, recount(t, db)) {
		t.Errorf("counts without the record: %+v %v", p.Counts, err)
	}
	db.bolt.Update(countSummaries)
}
