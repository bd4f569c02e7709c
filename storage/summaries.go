package storage

import (
	"fmt"
	"slices"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// EnterpriseSummary is one line of the home screen: the enterprise and its
// assessments, kept up to date in the same transaction as every change so
// the list opens without decoding any assessment.
type EnterpriseSummary struct {
	Code        string              `json:"code"`
	Name        string              `json:"name"`
	Batch       int                 `json:"batch"`
	Industry    string              `json:"industry,omitempty"`
	Provider    string              `json:"provider,omitempty"`
	Demo        bool                `json:"demo,omitempty"`
	Assessments []AssessmentSummary `json:"assessments"`
	UpdatedAt   time.Time           `json:"updated_at"`
}

// AssessmentSummary is an assessment as the lists show it.
type AssessmentSummary struct {
	ID         string            `json:"id"`
	Kind       model.Kind        `json:"kind"`
	Version    int               `json:"version"`
	State      model.State       `json:"state"`
	Score      indicators.Points `json:"score"`
	Level      int               `json:"level"`
	Done       int               `json:"done"`
	Total      int               `json:"total"`
	ReplacedBy string            `json:"replaced_by,omitempty"`
	LastError  string            `json:"last_error,omitempty"`
	UpdatedAt  time.Time         `json:"updated_at"`
	// Since codec version 2: what the roll-up export and the blind seal
	// read, so neither decodes an assessment.
	CreatedAt   time.Time `json:"created_at"`
	FinalizedAt time.Time `json:"finalized_at,omitzero"`
	ChecksID    string    `json:"checks_id,omitempty"` // the pulled report a spot-check checks
	ChecksBlind bool      `json:"checks_blind,omitempty"`
}

// Header is the assessment as far as the index knows it: identity, kind,
// version, state, score, level, times and spot-check link, with no
// answers. Rules that read only these (the roll-up row, the blind seal)
// take it in place of the whole record.
func (l AssessmentSummary) Header(enterprise string) model.Assessment {
	a := model.Assessment{ID: l.ID, Enterprise: enterprise, Kind: l.Kind, Version: l.Version, State: l.State, Score: l.Score, Level: l.Level,
		ReplacedBy: l.ReplacedBy, LastError: l.LastError, CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt, FinalizedAt: l.FinalizedAt}
	if l.ChecksID != "" {
		a.Checks = &model.CheckRef{ID: l.ChecksID, Blind: l.ChecksBlind}
	}
	return a
}

// Latest returns the newest assessment of a kind that has not been
// replaced by a revision.
func (s EnterpriseSummary) Latest(kind model.Kind) (AssessmentSummary, bool) {
	for i := len(s.Assessments) - 1; i >= 0; i-- {
		a := s.Assessments[i]
		if a.Kind == kind && a.ReplacedBy == "" {
			return a, true
		}
	}
	return AssessmentSummary{}, false
}

func summarize(a model.Assessment, cat *indicators.Catalog) AssessmentSummary {
	s := AssessmentSummary{
		ID: a.ID, Kind: a.Kind, Version: a.Version, State: a.State, Score: a.Score, Level: a.Level,
		ReplacedBy: a.ReplacedBy, LastError: a.LastError, UpdatedAt: a.UpdatedAt,
		CreatedAt: a.CreatedAt, FinalizedAt: a.FinalizedAt,
	}
	if a.Checks != nil {
		s.ChecksID, s.ChecksBlind = a.Checks.ID, a.Checks.Blind
	}
	if cat != nil {
		s.Done, s.Total = a.Progress(cat)
		if a.State == model.StateDraft {
			// Drafts show their score so far; frozen ones their frozen result.
			if r, err := model.Score(cat, a.Answers); err == nil {
				s.Score, s.Level = r.Score, r.Level
			}
		}
	}
	return s
}

// Summaries lists every enterprise's summary, ordered by credit code.
func (db *DB) Summaries() ([]EnterpriseSummary, error) {
	var out []EnterpriseSummary
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSummaries).ForEach(func(k, v []byte) error {
			s, err := db.decodeSummary(v)
			if err != nil {
				return fmt.Errorf("企业 %s: %w", k, err)
			}
			out = append(out, s)
			return nil
		})
	})
	return out, err
}

// decodeSummary decodes a summary for a list, counted for tests.
func (db *DB) decodeSummary(v []byte) (EnterpriseSummary, error) {
	if db.summaryDecoded != nil {
		db.summaryDecoded()
	}
	return decodeSummary(v)
}

// Summary returns one enterprise's summary.
func (db *DB) Summary(code string) (EnterpriseSummary, error) {
	var s EnterpriseSummary
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSummaries).Get([]byte(model.NormalizeCreditCode(code)))
		if v == nil {
			return notFound("企业 %s 不存在", code)
		}
		var err error
		s, err = decodeSummary(v)
		return err
	})
	return s, err
}

// putSummaryEnterprise refreshes the enterprise part of its summary.
func putSummaryEnterprise(tx *bolt.Tx, e model.Enterprise) error {
	b := tx.Bucket(bucketSummaries)
	var s EnterpriseSummary
	var old *EnterpriseSummary
	if v := b.Get([]byte(e.Code)); v != nil {
		var err error
		if s, err = decodeSummary(v); err != nil {
			return err
		}
		old = &EnterpriseSummary{Assessments: s.Assessments}
	}
	s.Code, s.Name, s.Batch, s.Industry, s.Provider, s.Demo = e.Code, e.Name, e.Batch, e.Industry, e.Provider, e.Demo
	if s.Assessments == nil {
		s.Assessments = []AssessmentSummary{}
	}
	if e.UpdatedAt.After(s.UpdatedAt) {
		s.UpdatedAt = e.UpdatedAt
	}
	if err := changeSummaryCounts(tx, old, s); err != nil {
		return err
	}
	return b.Put([]byte(e.Code), encodeSummary(s))
}

// putSummaryAssessment records an assessment's current line in its enterprise's summary.
func putSummaryAssessment(tx *bolt.Tx, a model.Assessment, cat *indicators.Catalog) error {
	b := tx.Bucket(bucketSummaries)
	v := b.Get([]byte(a.Enterprise))
	if v == nil {
		return notFound("企业 %s 不存在", a.Enterprise)
	}
	s, err := decodeSummary(v)
	if err != nil {
		return err
	}
	old := EnterpriseSummary{Assessments: slices.Clone(s.Assessments)}
	line := summarize(a, cat)
	replaced := false
	for i := range s.Assessments {
		if s.Assessments[i].ID == a.ID {
			s.Assessments[i], replaced = line, true
		}
	}
	if !replaced {
		s.Assessments = append(s.Assessments, line)
		sort.Slice(s.Assessments, func(i, j int) bool { return s.Assessments[i].ID < s.Assessments[j].ID })
	}
	if a.UpdatedAt.After(s.UpdatedAt) {
		s.UpdatedAt = a.UpdatedAt
	}
	if err := changeSummaryCounts(tx, &old, s); err != nil {
		return err
	}
	return b.Put([]byte(a.Enterprise), encodeSummary(s))
}

// rebuildSummaries recomputes the whole index from the records (migration
// v2 and repair).
func rebuildSummaries(tx *bolt.Tx) error { return rebuildIndex(tx, false) }

// rebuildIndex recomputes the index; skipOrphans leaves out assessments
// whose enterprise has no file instead of failing.
func rebuildIndex(tx *bolt.Tx, skipOrphans bool) error {
	b := tx.Bucket(bucketSummaries)
	var keys [][]byte
	_ = b.ForEach(func(k, _ []byte) error { keys = append(keys, append([]byte(nil), k...)); return nil })
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	// The counts start again from the empty index; every put below adds to them.
	if err := tx.Bucket(bucketMeta).Delete(keySummaryCounts); err != nil {
		return err
	}
	err := tx.Bucket(bucketEnterprises).ForEach(func(_, v []byte) error {
		var e model.Enterprise
		if err := boltkit.Decode(v, &e); err != nil {
			return err
		}
		return putSummaryEnterprise(tx, e)
	})
	if err != nil {
		return err
	}
	cats := map[string]*indicators.Catalog{}
	return tx.Bucket(bucketAssessments).ForEach(func(_, v []byte) error {
		var a model.Assessment
		if err := boltkit.Decode(v, &a); err != nil {
			return err
		}
		if skipOrphans && b.Get([]byte(a.Enterprise)) == nil {
			return nil
		}
		cat, ok := cats[a.CatalogHash]
		if !ok {
			cat, _ = catalogInTx(tx, a.CatalogHash)
			cats[a.CatalogHash] = cat
		}
		return putSummaryAssessment(tx, a, cat)
	})
}
