package storage

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/indicators"
	"digilevel/model"
)

// SeedSynthetic fills the database with clearly synthetic enterprises
// ("合成企业 00001") and assessments for benchmarks and load tests, in the
// shape the real API leaves behind: every answer, rating, correction, note,
// supplementary number and evidence file goes through the model's own
// methods and is written with its audit entry; answers follow an enterprise's
// maturity (so levels spread as in a district), a fifth of the assessments
// are finalized (signed, in the outbox), some finalized ones have a revision
// (a draft that replaces them), the rest are drafts at various stages.
// Records go through the same encoding, audit and index code as real ones,
// in transactions of a few hundred enterprises. The same seed gives the
// same data; the count of assessments is exact. SeedSynthetic attaches no
// evidence files (Seed with Evidence does).
func (db *DB) SeedSynthetic(enterprises, assessments int, seed int64) error {
	return db.Seed(SeedOptions{Enterprises: enterprises, Assessments: assessments, Seed: seed})
}

// SeedOptions describe a synthetic database.
type SeedOptions struct {
	Enterprises, Assessments int
	Seed                     int64
	// Evidence attaches files to about a quarter of the answers, stored in
	// the database as AddEvidence stores them (a few KB each). Benchmarks
	// use it; the sync tests' fault runs do not (each file is a request).
	Evidence bool
}

// Seed is SeedSynthetic with options.
func (db *DB) Seed(o SeedOptions) error {
	enterprises, assessments, seed := o.Enterprises, o.Assessments, o.Seed
	cat, err := indicators.Embedded(indicators.DefaultEdition)
	if err != nil {
		return err
	}
	pl, err := db.Planning(cat)
	if err != nil {
		return err
	}
	s := &seeder{db: db, cat: cat, pl: pl, rng: rand.New(rand.NewSource(seed)), qs: cat.DefaultQuestionnaire().Questions(), evidence: o.Evidence}
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
			s.tx, s.key, s.device = tx, key, string(tx.Bucket(bucketMeta).Get(keyDeviceID))
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
				if err := s.enterprise(e, n, now); err != nil {
					return err
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

// seeder holds what every synthetic assessment of one run needs.
type seeder struct {
	db       *DB
	cat      *indicators.Catalog
	pl       *indicators.Planning
	rng      *rand.Rand
	qs       []*indicators.Question
	tx       *bolt.Tx
	key      ed25519.PrivateKey
	device   string
	evidence bool
}

var seedNotes = []string{
	"现场查看了生产管理系统，主要工序已录入，但数据仍靠班组长手工汇总后补录。",
	"企业提供了近三个月的系统截图与操作记录，与访谈内容一致。",
	"设备联网率按设备台账统计，部分老旧设备尚无数据接口。",
	"财务软件已上云，采购与库存仍用表格管理，计划年内接入。",
	"负责人表示明年有改造预算，优先考虑质量追溯。",
}

// enterprise writes n assessments of one enterprise: kinds in turn, a
// maturity that biases its answers, and for a finalized one sometimes a
// revision, which takes the next slot.
func (s *seeder) enterprise(e model.Enterprise, n int, now time.Time) error {
	maturity := s.rng.Float64()
	// A provider's laptop: baselines and acceptances. Spot-checks are the
	// inspectors', linked to a pulled report, and the platform refuses them
	// from a provider's token.
	kinds := []model.Kind{model.KindBaseline, model.KindAcceptance}
	for k := 0; k < n; k++ {
		at := now.Add(time.Duration(k) * time.Hour)
		a, err := s.assessment(e, kinds[k%len(kinds)], maturity, at)
		if err != nil {
			return err
		}
		if !a.State.Frozen() || k+1 >= n || s.rng.Intn(10) != 0 {
			continue
		}
		k++
		if err := s.revise(a, at.Add(30*time.Minute)); err != nil {
			return err
		}
	}
	return nil
}

// clock advances a change's time by a realistic pause between two inputs.
func (s *seeder) clock(c *model.Change) {
	c.Now = c.Now.Add(time.Duration(20+s.rng.Intn(90)) * time.Second)
}

func (s *seeder) assessment(e model.Enterprise, kind model.Kind, maturity float64, now time.Time) (model.Assessment, error) {
	id, err := model.NewID(now, s.rng)
	if err != nil {
		return model.Assessment{}, err
	}
	a, err := model.NewAssessment(model.NewAssessmentOptions{ID: id, Enterprise: e.Code, Kind: kind, Catalog: s.cat, Device: s.device, Now: now,
		Assessor: model.Assessor{Org: e.Provider, Person: "合成顾问"}})
	if err != nil {
		return model.Assessment{}, err
	}
	entries := []model.AuditEntry{{At: now, Who: "seed", Action: model.ActionCreate, New: string(kind)}}
	finalize := s.rng.Intn(5) == 0
	answered := len(s.qs)
	if !finalize {
		answered = s.rng.Intn(len(s.qs) + 1)
	}
	c := model.Change{Who: "合成顾问", Now: now}
	for _, q := range s.qs[:answered] {
		more, err := s.answer(&a, q, maturity, &c)
		if err != nil {
			return model.Assessment{}, err
		}
		entries = append(entries, more...)
	}
	if finalize || answered == len(s.qs) || s.rng.Intn(2) == 0 {
		for _, sc := range s.cat.Scenarios {
			s.clock(&c)
			r := model.ScenarioRating(min(4, int(maturity*5*s.rng.Float64()+maturity*2)))
			entry, err := a.SetRating(s.cat, sc.ID, r, c)
			if err != nil {
				return model.Assessment{}, err
			}
			entries = append(entries, entry)
		}
	}
	if !finalize {
		return a, putAssessment(s.tx, a, s.cat, entries...)
	}
	s.clock(&c)
	report, fin, err := a.Finalize(s.cat, s.pl, e, s.key, c)
	if err != nil {
		return model.Assessment{}, err
	}
	if err := s.tx.Bucket(bucketReports).Put([]byte(a.ID), report); err != nil {
		return model.Assessment{}, err
	}
	if err := enqueue(s.tx, a, c); err != nil {
		return model.Assessment{}, err
	}
	return a, putAssessment(s.tx, a, s.cat, append(entries, fin...)...)
}

// answer answers one question as a consultant does: an option near the
// enterprise's maturity (several for a multi-choice question), sometimes a
// correction, supplementary numbers where the question asks for them, a
// note and evidence files now and then. One audit entry per change.
func (s *seeder) answer(a *model.Assessment, q *indicators.Question, maturity float64, c *model.Change) ([]model.AuditEntry, error) {
	var entries []model.AuditEntry
	step := func(e model.AuditEntry, err error) error {
		if err == nil {
			entries = append(entries, e)
		}
		return err
	}
	s.clock(c)
	if err := step(a.SetAnswer(s.cat, q.ID, s.options(q, maturity), *c)); err != nil {
		return nil, err
	}
	if s.rng.Intn(5) == 0 { // a correction after a second look
		s.clock(c)
		if err := step(a.SetAnswer(s.cat, q.ID, s.options(q, maturity), *c)); err != nil {
			return nil, err
		}
	}
	if len(q.FormFields) > 0 && s.rng.Intn(5) < 3 {
		values := map[string]model.Decimal{}
		for _, f := range q.FormFields {
			v := fmt.Sprintf("%d.%d", 5+s.rng.Intn(400), s.rng.Intn(10))
			if f.Unit == "台" || f.Unit == "人" { // counted things are whole
				v = fmt.Sprint(5 + s.rng.Intn(400))
			}
			values[f.ID] = model.MustDecimal(v) // normalized, as the CLI and the TUI parse it
		}
		s.clock(c)
		if err := step(a.SetNumbers(s.cat, q.ID, values, *c)); err != nil {
			return nil, err
		}
	}
	if s.rng.Intn(10) < 3 {
		s.clock(c)
		if err := step(a.SetNote(s.cat, q.ID, seedNotes[s.rng.Intn(len(seedNotes))], *c)); err != nil {
			return nil, err
		}
	}
	files := s.rng.Intn(8) - 5 // a quarter of the answers have 1-2 files
	if !s.evidence {
		files = 0
	}
	for n := files; n > 0; n-- {
		// Stored in the database as AddEvidence stores them; the content is
		// a few KB of unique bytes, not a photo's megabytes, to keep the
		// seeded file's size about the records.
		data := fmt.Appendf(nil, "合成佐证 %s %s %d %x", a.ID, q.ID, n, s.rng.Int63())
		data = append(data, make([]byte, 2048+s.rng.Intn(6144))...)
		sum := sha256.Sum256(data)
		sha := hex.EncodeToString(sum[:])
		ev := model.Evidence{Path: fmt.Sprintf("D:/现场资料/%s/%s-%d.jpg", a.Enterprise, q.ID, n), SHA256: sha, Size: int64(len(data))}
		s.clock(c)
		if err := step(a.AddEvidence(s.cat, q.ID, ev, *c)); err != nil {
			return nil, err
		}
		if err := putEvidenceData(s.tx, sha, data); err != nil {
			return nil, err
		}
		if err := addEvidenceUse(s.tx, sha, a.ID, q.ID); err != nil {
			return nil, err
		}
	}
	return entries, nil
}

// options picks an answer near the maturity: for a single-choice question
// the option at that rank give or take one, for a multi-choice question
// each real option with the maturity's probability, 「无」 when none.
func (s *seeder) options(q *indicators.Question, maturity float64) []string {
	if q.Type == indicators.Multi {
		var out []string
		var none string
		for _, o := range q.Options {
			if o.None {
				none = o.ID
				continue
			}
			if s.rng.Float64() < maturity {
				out = append(out, o.ID)
			}
		}
		if len(out) == 0 && none != "" {
			return []string{none}
		}
		if len(out) == 0 {
			return []string{q.Options[0].ID}
		}
		return out
	}
	i := int(maturity*float64(len(q.Options))) + s.rng.Intn(3) - 1
	return []string{q.Options[max(0, min(len(q.Options)-1, i))].ID}
}

// revise starts a revision of a finalized assessment, as a provider does
// after the district asks for a correction, and changes a few answers.
func (s *seeder) revise(old model.Assessment, now time.Time) error {
	id, err := model.NewID(now, s.rng)
	if err != nil {
		return err
	}
	c := model.Change{Who: "合成顾问", Now: now, Reason: "区里复核后更正部分答案"}
	next, entry, err := old.Revise(id, c.Reason, c)
	if err != nil {
		return err
	}
	if err := addEvidenceUses(s.tx, next); err != nil { // the revision keeps the files
		return err
	}
	if err := putAssessment(s.tx, old, s.cat, entry); err != nil {
		return err
	}
	entries := []model.AuditEntry{{At: now, Who: c.Who, Action: model.ActionRevise, Old: old.ID, New: next.ID, Reason: next.RevisionReason}}
	c.Reason = ""
	for range 1 + s.rng.Intn(3) {
		q := s.qs[s.rng.Intn(len(s.qs))]
		s.clock(&c)
		e, err := next.SetAnswer(s.cat, q.ID, s.options(q, s.rng.Float64()), c)
		if err != nil {
			return err
		}
		entries = append(entries, e)
	}
	return putAssessment(s.tx, next, s.cat, entries...)
}

// CompactSeed rewrites a seeded file at path without its free pages. Seeding
// writes in large transactions, whose freed pages would leave the file with
// a free-page list of thousands of entries that every commit writes again;
// a file grown by years of single-answer commits reuses its few freed pages
// and has a short list. Benchmarks measure commits on the compacted file.
func CompactSeed(path string) error {
	tmp := path + ".compact"
	src, err := bolt.Open(path, FileMode, &bolt.Options{ReadOnly: true, Timeout: DefaultTimeout})
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := bolt.Open(tmp, FileMode, &bolt.Options{Timeout: DefaultTimeout, NoSync: true, FreelistType: bolt.FreelistMapType})
	if err != nil {
		return err
	}
	err = bolt.Compact(dst, src, 64<<20)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("compact %s: %w", path, err)
	}
	src.Close()
	return os.Rename(tmp, path)
}
