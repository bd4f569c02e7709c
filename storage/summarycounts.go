package storage

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
)

// SummaryCounts are the totals of the summary index: how many enterprises
// it lists and how many of their assessments are in each state (replaced
// ones included, as each summary lists them). They are kept under
// meta/summary_counts in the same transaction as every change to the index,
// so the home screen shows them without decoding every summary.
type SummaryCounts struct {
	Enterprises int                 `json:"enterprises"`
	States      map[model.State]int `json:"states"`
}

// SummaryPage is the start of the home list: the first summaries in credit
// code order (the list's default order) and the counts of the whole index.
type SummaryPage struct {
	List   []EnterpriseSummary
	Counts SummaryCounts
}

// Complete reports whether the page holds every enterprise.
func (p SummaryPage) Complete() bool { return len(p.List) >= p.Counts.Enterprises }

// SummaryPage returns the first n summaries in credit-code order and the
// index's counts, decoding those n summaries only: the home screen draws its
// first frame from it while the whole list loads. Should the counts record
// be missing (Check reports it), they are counted from the index.
func (db *DB) SummaryPage(n int) (SummaryPage, error) {
	var p SummaryPage
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketSummaries).Cursor()
		for k, v := c.First(); k != nil && len(p.List) < n; k, v = c.Next() {
			s, err := db.decodeSummary(v)
			if err != nil {
				return fmt.Errorf("企业 %s: %w", k, err)
			}
			p.List = append(p.List, s)
		}
		var err error
		p.Counts, err = db.summaryCountsInTx(tx)
		return err
	})
	return p, err
}

func (db *DB) summaryCountsInTx(tx *bolt.Tx) (SummaryCounts, error) {
	if v := tx.Bucket(bucketMeta).Get(keySummaryCounts); v != nil {
		return decodeSummaryCounts(v)
	}
	var sc SummaryCounts
	err := tx.Bucket(bucketSummaries).ForEach(func(k, v []byte) error {
		s, err := db.decodeSummary(v)
		if err != nil {
			return fmt.Errorf("企业 %s: %w", k, err)
		}
		sc.add(s, 1)
		return nil
	})
	return sc, err
}

// add counts one enterprise's summary in (sign 1) or out (sign -1).
func (sc *SummaryCounts) add(s EnterpriseSummary, sign int) {
	if sc.States == nil {
		sc.States = map[model.State]int{}
	}
	sc.Enterprises += sign
	for _, a := range s.Assessments {
		sc.States[a.State] += sign
	}
}

func decodeSummaryCounts(v []byte) (SummaryCounts, error) {
	var sc SummaryCounts
	if err := json.Unmarshal(v, &sc); err != nil {
		return sc, fmt.Errorf("列表索引计数无法解析: %w", err)
	}
	if sc.States == nil {
		sc.States = map[model.State]int{}
	}
	return sc, nil
}

// changeSummaryCounts records that the summary old (nil: none) became new
// in the index. It writes only when a count changes: an answer saved into
// a draft changes no count and writes nothing here.
func changeSummaryCounts(tx *bolt.Tx, old *EnterpriseSummary, new EnterpriseSummary) error {
	var delta SummaryCounts
	if old != nil {
		delta.add(*old, -1)
	}
	delta.add(new, 1)
	changed := delta.Enterprises != 0
	for _, n := range delta.States {
		changed = changed || n != 0
	}
	if !changed {
		return nil
	}
	meta := tx.Bucket(bucketMeta)
	sc := SummaryCounts{States: map[model.State]int{}}
	if v := meta.Get(keySummaryCounts); v != nil {
		var err error
		if sc, err = decodeSummaryCounts(v); err != nil {
			return err
		}
	}
	sc.Enterprises += delta.Enterprises
	for st, n := range delta.States {
		if sc.States[st] += n; sc.States[st] == 0 {
			delete(sc.States, st)
		}
	}
	b, err := json.Marshal(sc)
	if err != nil {
		return err
	}
	return meta.Put(keySummaryCounts, b)
}

// countSummaries recounts the whole index into meta/summary_counts
// (migration 8, and after the index is rebuilt).
func countSummaries(tx *bolt.Tx) error {
	sc := SummaryCounts{States: map[model.State]int{}}
	err := tx.Bucket(bucketSummaries).ForEach(func(k, v []byte) error {
		s, err := decodeSummary(v)
		if err != nil {
			return fmt.Errorf("企业 %s: %w", k, err)
		}
		sc.add(s, 1)
		return nil
	})
	if err != nil {
		return err
	}
	for st, n := range sc.States {
		if n == 0 {
			delete(sc.States, st)
		}
	}
	b, err := json.Marshal(sc)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(keySummaryCounts, b)
}
