package storage

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// NewAssessment describes an assessment to start.
type NewAssessment struct {
	Enterprise string
	Kind       model.Kind
	// Catalog defaults to the embedded default edition.
	Catalog  *indicators.Catalog
	Assessor model.Assessor
	// Checks starts a spot-check of a pulled report (its ID): the
	// enterprise and the catalog are the report's, the inspector's org and
	// name are required, and blind mode follows SettingSpotCheckBlind. A
	// spot-check without it is refused: unlinked, it could be compared
	// with nothing and the platform could not tell what it checks.
	Checks string
}

// CreateAssessment starts a draft for an existing enterprise, pinned to its
// catalog (stored in the file so the assessment can always be re-read).
func (db *DB) CreateAssessment(n NewAssessment, c model.Change) (model.Assessment, error) {
	c, err := db.checkChange(c)
	if err != nil {
		return model.Assessment{}, err
	}
	if n.Kind == model.KindSpotCheck && n.Checks == "" {
		return model.Assessment{}, model.Errorf(model.ErrInvalid,
			"抽查须关联被抽查的报告：先拉取服务商的报告（digilevel pull，或终端界面的「抽查」页），再从该报告开始抽查（assessment new --kind spotcheck --checks 报告编号）")
	}
	cat := n.Catalog
	if cat == nil {
		if cat, err = indicators.Embedded(indicators.DefaultEdition); err != nil {
			return model.Assessment{}, err
		}
	}
	id, err := model.NewID(c.Now, nil)
	if err != nil {
		return model.Assessment{}, err
	}
	var a model.Assessment
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		code := model.NormalizeCreditCode(n.Enterprise)
		var checks *spotCheckLink
		if n.Checks != "" {
			var err error
			if checks, cat, err = db.spotCheckLink(tx, n); err != nil {
				return err
			}
			code = model.NormalizeCreditCode(checks.enterprise)
		}
		if _, err := getEnterprise(tx, code); err != nil {
			return err
		}
		device := string(tx.Bucket(bucketMeta).Get(keyDeviceID))
		a, err = model.NewAssessment(model.NewAssessmentOptions{
			ID: id, Enterprise: code, Kind: n.Kind, Catalog: cat, Assessor: withIdentity(tx, n.Assessor), Device: device, Now: c.Now, Checks: checks.ref(),
		})
		if err != nil {
			return err
		}
		if err := putCatalog(tx, cat); err != nil {
			return err
		}
		entry := model.AuditEntry{At: c.Now, Who: c.Who, Action: model.ActionCreate, New: string(n.Kind), Reason: c.Reason}
		if a.Checks != nil {
			entry.Item = a.Checks.ID
			entry.New = fmt.Sprintf("%s（%s）", n.Kind, map[bool]string{true: "盲评", false: "非盲评"}[a.Checks.Blind])
		}
		return putAssessment(tx, a, cat, entry)
	})
	if err != nil {
		return model.Assessment{}, err
	}
	db.rememberCatalog(cat)
	return a, nil
}

// Assessment returns one assessment.
func (db *DB) Assessment(id string) (model.Assessment, error) {
	var a model.Assessment
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		a, err = getAssessment(tx, id)
		return err
	})
	return a, err
}

// Assessments lists the assessments of one enterprise (all when code is
// empty), oldest first. It decodes every record; lists use Summaries.
func (db *DB) Assessments(code string) ([]model.Assessment, error) {
	var out []model.Assessment
	code = model.NormalizeCreditCode(code)
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAssessments).ForEach(func(_, v []byte) error {
			var a model.Assessment
			if err := boltkit.Decode(v, &a); err != nil {
				return err
			}
			if code == "" || a.Enterprise == code {
				out = append(out, a)
			}
			return nil
		})
	})
	return out, err
}

// SaveAnswer records the options chosen for a question. It returns after
// the change and its audit entry are committed to disk.
func (db *DB) SaveAnswer(id, qid string, options []string, c model.Change) (model.Assessment, error) {
	return db.mutate(id, c, func(a *model.Assessment, cat *indicators.Catalog, c model.Change) ([]model.AuditEntry, error) {
		e, err := a.SetAnswer(cat, qid, options, c)
		return []model.AuditEntry{e}, err
	})
}

// SaveRating records a scenario's level.
func (db *DB) SaveRating(id, sid string, r model.ScenarioRating, c model.Change) (model.Assessment, error) {
	return db.mutate(id, c, func(a *model.Assessment, cat *indicators.Catalog, c model.Change) ([]model.AuditEntry, error) {
		e, err := a.SetRating(cat, sid, r, c)
		return []model.AuditEntry{e}, err
	})
}

// SaveNote records (or with "" clears) a question's note.
func (db *DB) SaveNote(id, qid, text string, c model.Change) (model.Assessment, error) {
	return db.mutate(id, c, func(a *model.Assessment, cat *indicators.Catalog, c model.Change) ([]model.AuditEntry, error) {
		e, err := a.SetNote(cat, qid, text, c)
		return []model.AuditEntry{e}, err
	})
}

// SaveNumbers records supplementary numbers of a question.
func (db *DB) SaveNumbers(id, qid string, values map[string]model.Decimal, c model.Change) (model.Assessment, error) {
	return db.mutate(id, c, func(a *model.Assessment, cat *indicators.Catalog, c model.Change) ([]model.AuditEntry, error) {
		e, err := a.SetNumbers(cat, qid, values, c)
		return []model.AuditEntry{e}, err
	})
}

// SaveLists stores an edited 问题清单 and 需求场景清单.
func (db *DB) SaveLists(id string, problems, demands []model.ListItem, c model.Change) (model.Assessment, error) {
	return db.mutate(id, c, func(a *model.Assessment, _ *indicators.Catalog, c model.Change) ([]model.AuditEntry, error) {
		e, err := a.SetLists(problems, demands, c)
		return []model.AuditEntry{e}, err
	})
}

// Finalize freezes a complete draft: it scores it, signs the canonical
// report with the installation key, stores the report, and puts it in the
// outbox, all in one transaction.
func (db *DB) Finalize(id string, c model.Change) (model.Assessment, error) {
	c, err := db.checkChange(c)
	if err != nil {
		return model.Assessment{}, err
	}
	var out model.Assessment
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		a, err := getAssessment(tx, id)
		if err != nil {
			return err
		}
		cat, err := db.catalogFor(tx, a.CatalogHash)
		if err != nil {
			return err
		}
		e, err := getEnterprise(tx, a.Enterprise)
		if err != nil {
			return err
		}
		key, err := signingKey(tx)
		if err != nil {
			return err
		}
		pl, err := db.Planning(cat)
		if err != nil {
			return err
		}
		var entries []model.AuditEntry
		// A draft started before the identity was set is signed by it now.
		if as := withIdentity(tx, a.Assessor); as != a.Assessor {
			entry, err := a.SetAssessor(as, c)
			if err != nil {
				return err
			}
			entries = append(entries, entry)
		}
		report, fin, err := a.Finalize(cat, pl, e, key, c)
		if err != nil {
			return err
		}
		entries = append(entries, fin...)
		if tx.Bucket(bucketReports).Get([]byte(a.ID)) != nil {
			return fmt.Errorf("评测 %s 已有定稿报告，拒绝覆盖: %w", a.ID, model.ErrFinalized)
		}
		if err := tx.Bucket(bucketReports).Put([]byte(a.ID), report); err != nil {
			return err
		}
		if err := enqueue(tx, a, c); err != nil {
			return err
		}
		out = a
		return putAssessment(tx, a, cat, entries...)
	})
	return out, err
}

// Revise starts a new draft version of a frozen assessment; reason is required.
func (db *DB) Revise(id, reason string, c model.Change) (model.Assessment, error) {
	c, err := db.checkChange(c)
	if err != nil {
		return model.Assessment{}, err
	}
	newID, err := model.NewID(c.Now, nil)
	if err != nil {
		return model.Assessment{}, err
	}
	var next model.Assessment
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		old, err := getAssessment(tx, id)
		if err != nil {
			return err
		}
		cat, err := db.catalogFor(tx, old.CatalogHash)
		if err != nil {
			return err
		}
		n, entry, err := old.Revise(newID, reason, c)
		if err != nil {
			return err
		}
		n.Assessor = currentIdentity(tx, n.Assessor)
		next = n
		if err := putAssessment(tx, old, cat, entry); err != nil {
			return err
		}
		if err := addEvidenceUses(tx, n); err != nil {
			return err
		}
		created := model.AuditEntry{At: c.Now, Who: c.Who, Action: model.ActionRevise, Old: old.ID, New: n.ID, Reason: n.RevisionReason}
		return putAssessment(tx, n, cat, created)
	})
	return next, err
}

// mutate is the one path for changing a draft: read, change, write the
// record, its audit entries and its summary line in one transaction.
func (db *DB) mutate(id string, c model.Change, fn func(*model.Assessment, *indicators.Catalog, model.Change) ([]model.AuditEntry, error)) (model.Assessment, error) {
	return db.mutateTx(id, c, func(_ *bolt.Tx, a *model.Assessment, cat *indicators.Catalog, c model.Change) ([]model.AuditEntry, error) {
		return fn(a, cat, c)
	})
}

// mutateTx is mutate for changes that also write other buckets in the
// same transaction (evidence content).
func (db *DB) mutateTx(id string, c model.Change, fn func(*bolt.Tx, *model.Assessment, *indicators.Catalog, model.Change) ([]model.AuditEntry, error)) (model.Assessment, error) {
	c, err := db.checkChange(c)
	if err != nil {
		return model.Assessment{}, err
	}
	var out model.Assessment
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		a, err := getAssessment(tx, id)
		if err != nil {
			return err
		}
		cat, err := db.catalogFor(tx, a.CatalogHash)
		if err != nil {
			return err
		}
		entries, err := fn(tx, &a, cat, c)
		if err != nil {
			return err
		}
		out = a
		return putAssessment(tx, a, cat, entries...)
	})
	return out, err
}

func getAssessment(tx *bolt.Tx, id string) (model.Assessment, error) {
	var a model.Assessment
	v := tx.Bucket(bucketAssessments).Get([]byte(id))
	if v == nil {
		if tx.Bucket(bucketPulled).Get([]byte(id)) != nil {
			// Someone else's report, pulled for a spot-check: not an
			// assessment of this laptop, but not missing either.
			return a, notFound("%s 是拉取的报告（他人的评测），不是本机的评测：用 digilevel pull list 查看，digilevel assessment audit %s 查看其审计记录，digilevel report %s 生成文件", id, id, id)
		}
		return a, notFound("评测 %s 不存在", id)
	}
	return a, boltkit.Decode(v, &a)
}

func putAssessment(tx *bolt.Tx, a model.Assessment, cat *indicators.Catalog, entries ...model.AuditEntry) error {
	if err := boltkit.PutJSON(tx.Bucket(bucketAssessments), []byte(a.ID), a); err != nil {
		return err
	}
	for _, e := range entries {
		if err := appendAudit(tx, a.ID, e); err != nil {
			return err
		}
	}
	return putSummaryAssessment(tx, a, cat)
}

// catalogFor resolves a catalog hash inside a transaction, using the cache.
func (db *DB) catalogFor(tx *bolt.Tx, hash string) (*indicators.Catalog, error) {
	db.mu.Lock()
	c, ok := db.catalogs[hash]
	db.mu.Unlock()
	if ok {
		return c, nil
	}
	c, err := catalogInTx(tx, hash)
	if err != nil {
		return nil, err
	}
	db.rememberCatalog(c)
	return c, nil
}

func (db *DB) rememberCatalog(c *indicators.Catalog) {
	db.mu.Lock()
	db.catalogs[c.Hash()] = c
	db.mu.Unlock()
}

// ReportData is an assessment's report: the document and its bytes. For a
// frozen assessment the bytes are the stored, signed ones and Document is
// their verified decoding (Report has verified them, so a renderer need
// not again: report.FromVerified); for a draft the document is built from
// the current answers and marked draft.
type ReportData struct {
	Assessment model.Assessment
	Catalog    *indicators.Catalog
	Document   model.ReportDocument
	Bytes      []byte
}

// Report loads or builds the report of an assessment.
func (db *DB) Report(id string) (ReportData, error) {
	var r ReportData
	err := db.bolt.View(func(tx *bolt.Tx) error {
		a, err := getAssessment(tx, id)
		if err != nil {
			return err
		}
		cat, err := db.catalogFor(tx, a.CatalogHash)
		if err != nil {
			return err
		}
		r.Assessment, r.Catalog = a, cat
		if stored := tx.Bucket(bucketReports).Get([]byte(id)); stored != nil {
			r.Bytes = append([]byte(nil), stored...)
			r.Document, err = db.verify(r.Bytes)
			return err
		}
		e, err := getEnterprise(tx, a.Enterprise)
		if err != nil {
			return err
		}
		pl, err := db.Planning(cat)
		if err != nil {
			return err
		}
		if r.Document, err = model.BuildReport(cat, pl, a, e); err != nil {
			return err
		}
		r.Bytes, err = r.Document.Canonical()
		return err
	})
	return r, err
}
