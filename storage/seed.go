package storage

import (
	"crypto/ed25519"
	"fmt"
	"math/rand"
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/indicators"
	"digilevel/model"
)

// SeedSynthetic fills the database with clearly synthetic enterprises
// ("合成企业 00001") and assessments for benchmarks and load tests: a fifth
// of the assessments are finalized (signed, in the outbox), the rest are
// drafts at various stages. Records go through the same encoding, audit and
// index code as real ones, in transactions of a few hundred enterprises.
// The same seed gives the same data.
func (db *DB) SeedSynthetic(enterprises, assessments int, seed int64) error {
	cat, err := indicators.Embedded(indicators.DefaultEdition)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewSource(seed))
	qs := cat.DefaultQuestionnaire().Questions()
	base := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	perEnterprise := 0
	if enterprises > 0 {
		perEnterprise = assessments / enterprises
	}
	extra := assessments - perEnterprise*enterprises
	const batch = 250
	for start := 0; start < enterprises; start += batch {
		err := db.bolt.Update(func(tx *bolt.Tx) error {
			if err := putCatalog(tx, cat); err != nil {
				return err
			}
			key, err := signingKey(tx)
			if err != nil {
				return err
			}
			device := string(tx.Bucket(bucketMeta).Get(keyDeviceID))
			for i := start; i < start+batch && i < enterprises; i++ {
				now := base.Add(time.Duration(i) * time.Minute)
				e, err := syntheticEnterprise(i, now)
				if err != nil {
					return err
				}
				if err := putEnterprise(tx, e, model.AuditEntry{At: now, Who: "seed", Action: "enterprise_create", New: e.Name}); err != nil {
					return err
				}
				n := perEnterprise
				if i < extra {
					n++
				}
				for k := 0; k < n; k++ {
					if err := db.seedAssessment(tx, cat, qs, rng, e, device, key, now.Add(time.Duration(k)*time.Second), k); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("seed enterprises %d-%d: %w", start, start+batch, err)
		}
	}
	return nil
}

func syntheticEnterprise(i int, now time.Time) (model.Enterprise, error) {
	code, err := model.SyntheticCreditCode(i)
	if err != nil {
		return model.Enterprise{}, err
	}
	return model.Enterprise{
		Code: code, Name: fmt.Sprintf("合成企业 %05d", i+1), Industry: "合成数据",
		ZJTX: model.ZJTXNone, Batch: 1 + i%3, Provider: fmt.Sprintf("合成服务商 %02d", i%17),
		Revenue:   []model.YearRevenue{{Year: 2025, Wan: model.Decimal(fmt.Sprint(1000 + i%5000))}},
		CreatedAt: now, UpdatedAt: now,
	}, nil
}

func (db *DB) seedAssessment(tx *bolt.Tx, cat *indicators.Catalog, qs []*indicators.Question, rng *rand.Rand, e model.Enterprise, device string, key ed25519.PrivateKey, now time.Time, k int) error {
	id, err := model.NewID(now, rng)
	if err != nil {
		return err
	}
	// A provider's laptop: baselines and acceptances. Spot-checks are the
	// inspectors', linked to a pulled report, and the platform refuses them
	// from a provider's token.
	kinds := []model.Kind{model.KindBaseline, model.KindAcceptance}
	a, err := model.NewAssessment(model.NewAssessmentOptions{ID: id, Enterprise: e.Code, Kind: kinds[k%len(kinds)], Catalog: cat, Device: device, Now: now,
		Assessor: model.Assessor{Org: e.Provider, Person: "合成顾问"}})
	if err != nil {
		return err
	}
	finalize := rng.Intn(5) == 0
	answered := len(qs)
	if !finalize {
		answered = rng.Intn(len(qs) + 1)
	}
	c := model.Change{Who: "seed", Now: now}
	for _, q := range qs[:answered] {
		o := q.Options[rng.Intn(len(q.Options))]
		if _, err := a.SetAnswer(cat, q.ID, []string{o.ID}, c); err != nil {
			return err
		}
	}
	if finalize || rng.Intn(2) == 0 {
		for _, s := range cat.Scenarios {
			if _, err := a.SetRating(cat, s.ID, model.ScenarioRating(rng.Intn(5)), c); err != nil {
				return err
			}
		}
	}
	if !finalize {
		return putAssessment(tx, a, cat, model.AuditEntry{At: now, Who: "seed", Action: model.ActionCreate})
	}
	pl, err := db.Planning(cat)
	if err != nil {
		return err
	}
	report, entries, err := a.Finalize(cat, pl, e, key, c)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketReports).Put([]byte(a.ID), report); err != nil {
		return err
	}
	if err := enqueue(tx, a, c); err != nil {
		return err
	}
	return putAssessment(tx, a, cat, entries...)
}
