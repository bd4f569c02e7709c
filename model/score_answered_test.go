package model

import (
	"encoding/json"
	"strings"
	"testing"
)

// A question's score says whether it was answered (an answer of one
// option is one), and its options are a list, never null, in the JSON that
// is signed.
func TestQuestionScoreAnsweredAndOptions(t *testing.T) {
	cat := catalog(t)
	a := NewAnswerSet(cat)
	q := cat.DefaultQuestionnaire().Questions()[0]
	a.Answers[q.ID] = []string{q.Options[len(q.Options)-1].ID}
	r := mustScore(t, cat, a)
	for _, qs := range r.Questions {
		answered := qs.ID == q.ID
		if qs.Answered != answered {
			t.Errorf("%s Answered = %v, want %v", qs.ID, qs.Answered, answered)
		}
		b, _ := json.Marshal(qs)
		if !answered && !strings.Contains(string(b), `"options":[]`) {
			t.Errorf("%s unanswered encodes as %s, want an empty options list", qs.ID, b)
		}
	}
}
