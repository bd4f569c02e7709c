package model

import (
	"fmt"
	"math/big"
	"strings"

	"digilevel/indicators"
)

// Derivation is the option a question's own numbers imply, and whether the
// chosen answer contradicts it.
type Derivation struct {
	Question string `json:"question"`
	// Known is false while numbers are missing; Missing names them.
	Known   bool     `json:"known"`
	Missing []string `json:"missing,omitempty"`
	// Option is the implied option; Value is the computed figure (a
	// percentage for bands, a relative change in percent for changes).
	Option string `json:"option,omitempty"`
	Value  string `json:"value,omitempty"`
	// Problem explains numbers that cannot be used (a zero denominator, a
	// rate over 100%).
	Problem     string   `json:"problem,omitempty"`
	Chosen      []string `json:"chosen,omitempty"`
	Contradicts bool     `json:"contradicts"`
	Text        string   `json:"text"`
}

// Derive computes the implied option of every question that has a
// derivation rule, in catalog order.
func Derive(cat *indicators.Catalog, a AnswerSet) []Derivation {
	qn, err := a.questionnaire(cat)
	if err != nil {
		return nil
	}
	var out []Derivation
	for _, q := range qn.Questions() {
		if q.Derive != nil {
			out = append(out, deriveOne(qn, q, a))
		}
	}
	return out
}

// Contradictions keeps the derivations whose answer contradicts its numbers.
func Contradictions(ds []Derivation) []Derivation {
	var out []Derivation
	for _, d := range ds {
		if d.Contradicts {
			out = append(out, d)
		}
	}
	return out
}

func deriveOne(qn *indicators.Questionnaire, q *indicators.Question, a AnswerSet) Derivation {
	d := Derivation{Question: q.ID, Chosen: a.Answers[q.ID]}
	r := q.Derive
	var missing []string
	value := func(ratio *indicators.Ratio) (*big.Rat, string) { return ratioValue(qn, a, ratio, &missing) }
	switch r.Kind {
	case indicators.DeriveBands:
		v, problem := value(r.Value)
		if v == nil {
			d.Problem = problem
			break
		}
		d.Value = string(DecimalFromRat(v, 2))
		for _, b := range r.Bands {
			max, _ := new(big.Rat).SetString(b.Max)
			if v.Cmp(max) <= 0 {
				d.Option = b.Option
				break
			}
		}
		if d.Option == "" {
			d.Problem = fmt.Sprintf("比率 %s%% 超出最大区间，请核对数量", d.Value)
		}
	case indicators.DeriveChange:
		cur, p1 := value(r.Current)
		prev, p2 := value(r.Previous)
		if cur == nil || prev == nil {
			d.Problem = p1 + p2
			break
		}
		if prev.Sign() == 0 {
			d.Problem = "前一期数值为 0，无法计算变化"
			break
		}
		change := new(big.Rat).Sub(cur, prev)
		change.Quo(change, prev)
		change.Mul(change, big.NewRat(100, 1))
		tol, _ := new(big.Rat).SetString(r.FlatTolerancePercent)
		d.Value = string(DecimalFromRat(change, 2))
		switch {
		case new(big.Rat).Abs(change).Cmp(tol) <= 0:
			d.Option = r.Flat
		case change.Sign() > 0:
			d.Option = r.Increase
		default:
			d.Option = r.Decrease
		}
	}
	d.Missing = missing
	d.Known = d.Option != ""
	if d.Known && len(d.Chosen) > 0 && (len(d.Chosen) != 1 || d.Chosen[0] != d.Option) {
		d.Contradicts = true
	}
	d.Text = d.describe(q)
	return d
}

func (d Derivation) describe(q *indicators.Question) string {
	switch {
	case len(d.Missing) > 0:
		return fmt.Sprintf("%s: 缺少补充数据 %s，无法推算", q.ID, strings.Join(d.Missing, "、"))
	case d.Problem != "":
		return fmt.Sprintf("%s: %s", q.ID, d.Problem)
	}
	o, _ := q.Option(d.Option)
	what := "按补充数据计算为"
	if q.Derive.Kind == indicators.DeriveChange {
		what = "按补充数据计算变化"
	}
	s := fmt.Sprintf("%s: %s %s%%，对应选项 %s（%s）", q.ID, what, d.Value, d.Option, o.Text)
	if d.Contradicts {
		s += fmt.Sprintf("；所选 %s 与数据不符", strings.Join(d.Chosen, "、"))
	}
	return s
}

// ratioValue computes Num/Den×Scale of a ratio over the answers' numbers;
// a missing number is added to missing by its label, a zero denominator
// is a problem in words.
func ratioValue(qn *indicators.Questionnaire, a AnswerSet, ratio *indicators.Ratio, missing *[]string) (*big.Rat, string) {
	num, ok1 := lookupNumber(qn, a, ratio.Num, missing)
	den := big.NewRat(1, 1)
	ok2 := true
	if ratio.Den != "" {
		den, ok2 = lookupNumber(qn, a, ratio.Den, missing)
	}
	if !ok1 || !ok2 {
		return nil, ""
	}
	if den.Sign() == 0 {
		return nil, fmt.Sprintf("%s 为 0，无法计算", fieldLabel(qn, ratio.Den))
	}
	v := new(big.Rat).Quo(num, den)
	if ratio.Scale != "" {
		s, _ := new(big.Rat).SetString(ratio.Scale)
		v.Mul(v, s)
	}
	return v, ""
}

// lookupNumber reads "QID.field" from the answer set; a missing value is
// recorded by its label.
func lookupNumber(qn *indicators.Questionnaire, a AnswerSet, ref string, missing *[]string) (*big.Rat, bool) {
	qid, field, _ := strings.Cut(ref, ".")
	v := a.Numbers[qid][field]
	if v.IsZero() {
		*missing = append(*missing, fieldLabel(qn, ref))
		return nil, false
	}
	return v.Rat(), true
}

func fieldLabel(qn *indicators.Questionnaire, ref string) string {
	qid, field, _ := strings.Cut(ref, ".")
	if q, ok := qn.Question(qid); ok {
		if f, ok := q.Field(field); ok {
			return qid + "「" + f.Label + "」"
		}
	}
	return ref
}
