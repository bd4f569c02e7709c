package storage

import (
	bolt "go.etcd.io/bbolt"

	"digilevel/indicators"
	"digilevel/model"
)

// Planning returns the planning data (costs, expected evidence, KPIs,
// report outline) shipped for a catalog's edition, checked against that
// catalog and cached by the catalog's hash.
func (db *DB) Planning(cat *indicators.Catalog) (*indicators.Planning, error) {
	db.mu.Lock()
	p, ok := db.planning[cat.Hash()]
	db.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := indicators.EmbeddedPlanning(cat)
	if err != nil {
		return nil, model.Errorf(model.ErrInvalid, "指标目录 %s 无法做诊断规划: %v", model.ShortHash(cat.Hash()), err)
	}
	db.mu.Lock()
	db.planning[cat.Hash()] = p
	db.mu.Unlock()
	return p, nil
}

// DiagnosisData is a draft's diagnosis as it stands, with what produced it.
type DiagnosisData struct {
	Assessment model.Assessment
	Catalog    *indicators.Catalog
	Planning   *indicators.Planning
	Diagnosis  model.Diagnosis
	// KPIBaselines are the current KPI values computed from the answers.
	KPIBaselines map[string]model.Decimal
}

// Diagnosis computes an assessment's diagnosis: result, priced plans with
// alternatives, and the 问题清单 and 需求场景清单 with a person's edits.
func (db *DB) Diagnosis(id string) (DiagnosisData, error) {
	var d DiagnosisData
	err := db.bolt.View(func(tx *bolt.Tx) error {
		a, err := getAssessment(tx, id)
		if err != nil {
			return err
		}
		cat, err := db.catalogFor(tx, a.CatalogHash)
		if err != nil {
			return err
		}
		pl, err := db.Planning(cat)
		if err != nil {
			return err
		}
		d.Assessment, d.Catalog, d.Planning = a, cat, pl
		if d.Diagnosis, err = model.Diagnose(cat, pl, a); err != nil {
			return err
		}
		d.KPIBaselines = model.KPIBaselines(cat, pl, a.Answers)
		return nil
	})
	return d, err
}

// SaveSurvey records (nil clears) the site survey of a draft.
func (db *DB) SaveSurvey(id string, s *model.Survey, c model.Change) (model.Assessment, error) {
	return db.mutate(id, c, func(a *model.Assessment, _ *indicators.Catalog, c model.Change) ([]model.AuditEntry, error) {
		e, err := a.SetSurvey(s, c)
		return []model.AuditEntry{e}, err
	})
}

// EditList applies one edit (add, pain, remove, reword, move) to the
// 问题清单 or 需求场景清单 of a draft.
func (db *DB) EditList(id string, edit model.ListEdit, c model.Change) (model.Assessment, error) {
	return db.mutate(id, c, func(a *model.Assessment, cat *indicators.Catalog, c model.Change) ([]model.AuditEntry, error) {
		pl, err := db.Planning(cat)
		if err != nil {
			return nil, err
		}
		e, err := a.EditList(cat, pl, edit, c)
		return []model.AuditEntry{e}, err
	})
}

// SavePlan records (nil clears) the retrofit plan of a draft.
func (db *DB) SavePlan(id string, p *model.RetrofitPlan, c model.Change) (model.Assessment, error) {
	return db.mutate(id, c, func(a *model.Assessment, cat *indicators.Catalog, c model.Change) ([]model.AuditEntry, error) {
		e, err := a.SetPlan(cat, p, c)
		return []model.AuditEntry{e}, err
	})
}

// RecordStatus changes an enterprise's 规模 (field "scale") or 专精特新
// standing (field "zjtx") as of date, keeping the change in its history.
func (db *DB) RecordStatus(code, field, value, date, note string, c model.Change) (model.Enterprise, error) {
	c = db.change(c)
	var out model.Enterprise
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		e, err := getEnterprise(tx, model.NormalizeCreditCode(code))
		if err != nil {
			return err
		}
		if err := e.RecordStatus(field, value, date, note, model.BeijingDay(c.Now)); err != nil {
			return err
		}
		if err := e.Validate(); err != nil {
			return err
		}
		e.UpdatedAt = c.Now
		out = e
		return putEnterprise(tx, e, model.AuditEntry{At: c.Now, Who: c.Who, Action: "enterprise_status", Item: field, New: value + "@" + date, Reason: c.Reason})
	})
	return out, err
}
