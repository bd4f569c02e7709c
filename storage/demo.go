package storage

import (
	"errors"

	"digilevel/model"
)

// CreateDemo adds the sample enterprise with a half-finished baseline
// assessment through the normal API (each answer its own transaction), and
// returns the assessment. If the sample exists already it returns its first
// assessment.
func (db *DB) CreateDemo(c model.Change) (model.Assessment, error) {
	c, err := db.checkChange(c)
	if err != nil {
		return model.Assessment{}, err
	}
	if s, err := db.Summary(model.DemoCode); err == nil && len(s.Assessments) > 0 {
		return db.Assessment(s.Assessments[0].ID)
	}
	if _, err := db.CreateEnterprise(model.DemoEnterprise(), c); err != nil && !errors.Is(err, model.ErrExists) {
		return model.Assessment{}, err
	}
	a, err := db.CreateAssessment(NewAssessment{Enterprise: model.DemoCode, Kind: model.KindBaseline, Assessor: model.DemoAssessor()}, c)
	if err != nil {
		return model.Assessment{}, err
	}
	for _, s := range model.DemoAnswerSteps() {
		switch {
		case s.Scenario != "":
			a, err = db.SaveRating(a.ID, s.Scenario, s.Level, c)
		default:
			a, err = db.SaveAnswer(a.ID, s.Question, s.Options, c)
			if err == nil && s.Note != "" {
				a, err = db.SaveNote(a.ID, s.Question, s.Note, c)
			}
			if err == nil && s.Numbers != nil {
				a, err = db.SaveNumbers(a.ID, s.Question, s.Numbers, c)
			}
		}
		if err != nil {
			return model.Assessment{}, err
		}
	}
	return a, nil
}
