package model

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"digilevel/indicators"
)

// ScenarioRating is the level given to a scenario: 0 (below 一级) to the
// catalog's highest level, or NotApplicable where the catalog allows it.
type ScenarioRating int

// NotApplicable marks a scenario that does not apply to the enterprise. JSON
// writes it as "na".
const NotApplicable ScenarioRating = -1

// MarshalJSON writes the level as a number, or "na".
func (r ScenarioRating) MarshalJSON() ([]byte, error) {
	if r == NotApplicable {
		return []byte(`"na"`), nil
	}
	return strconv.AppendInt(nil, int64(r), 10), nil
}

// UnmarshalJSON reads a level number or "na".
func (r *ScenarioRating) UnmarshalJSON(b []byte) error {
	if string(b) == `"na"` || string(b) == `"NA"` {
		*r = NotApplicable
		return nil
	}
	// As json.Unmarshal into an int, without a second decoder per rating:
	// null leaves 0, an integer literal is parsed, anything else is refused.
	if string(b) == "null" {
		*r = 0
		return nil
	}
	n, err := strconv.Atoi(string(b))
	if err != nil {
		return fmt.Errorf("场景等级应为 0–4 的整数或 \"na\"，实际 %s", b)
	}
	*r = ScenarioRating(n)
	return nil
}

// AnswerSet is everything given for one assessment: chosen options by
// question, scenario ratings, supplementary numbers and notes. It is also the
// input document of `digilevel score`.
type AnswerSet struct {
	Edition       string `json:"edition"`
	Questionnaire string `json:"questionnaire,omitempty"`
	// Answers maps a question ID to its chosen option IDs.
	Answers map[string][]string `json:"answers"`
	// Scenarios maps a scenario ID to its rating.
	Scenarios map[string]ScenarioRating `json:"scenarios"`
	// Numbers maps a question ID to its form field values.
	Numbers map[string]map[string]Decimal `json:"numbers,omitempty"`
	Notes   map[string]string             `json:"notes,omitempty"`
}

// MaxAnswerSetSize bounds an answer document read from a file or stdin.
const MaxAnswerSetSize = 1 << 20

// MaxNoteLength bounds a note, in characters.
const MaxNoteLength = 4000

// DecodeAnswerSet reads an answer document strictly: unknown fields,
// duplicate keys, trailing data and oversized input are errors.
func DecodeAnswerSet(r io.Reader) (AnswerSet, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxAnswerSetSize+1))
	if err != nil {
		return AnswerSet{}, fmt.Errorf("读取答卷: %w", err)
	}
	if len(data) > MaxAnswerSetSize {
		return AnswerSet{}, invalidf("答卷超过 %d 字节上限", MaxAnswerSetSize)
	}
	var a AnswerSet
	if err := DecodeStrictJSON(data, "答卷", &a); err != nil {
		return AnswerSet{}, err
	}
	return a, nil
}

// NewAnswerSet returns an empty answer set for a catalog.
func NewAnswerSet(cat *indicators.Catalog) AnswerSet {
	return AnswerSet{
		Edition:       cat.Edition,
		Questionnaire: cat.DefaultQuestionnaire().ID,
		Answers:       map[string][]string{},
		Scenarios:     map[string]ScenarioRating{},
	}
}

// Clone returns a deep copy, so a caller can change it without touching the original.
func (a AnswerSet) Clone() AnswerSet {
	c := a
	c.Answers = make(map[string][]string, len(a.Answers))
	for k, v := range a.Answers {
		c.Answers[k] = append([]string(nil), v...)
	}
	c.Scenarios = make(map[string]ScenarioRating, len(a.Scenarios))
	for k, v := range a.Scenarios {
		c.Scenarios[k] = v
	}
	if a.Numbers != nil {
		c.Numbers = make(map[string]map[string]Decimal, len(a.Numbers))
		for k, v := range a.Numbers {
			m := make(map[string]Decimal, len(v))
			for f, d := range v {
				m[f] = d
			}
			c.Numbers[k] = m
		}
	}
	if a.Notes != nil {
		c.Notes = make(map[string]string, len(a.Notes))
		for k, v := range a.Notes {
			c.Notes[k] = v
		}
	}
	return c
}

// questionnaire resolves the answer set's questionnaire in the catalog.
func (a AnswerSet) questionnaire(cat *indicators.Catalog) (*indicators.Questionnaire, error) {
	qn, ok := cat.Questionnaire(a.Questionnaire)
	if !ok {
		return nil, invalidf("问卷 %q 不在指标版本 %s 中", a.Questionnaire, cat.Edition)
	}
	return qn, nil
}

// Validate checks every part of the answer set against the catalog. A
// partial set is valid; use Missing for completeness.
func (a AnswerSet) Validate(cat *indicators.Catalog) error {
	if a.Edition != "" && a.Edition != cat.Edition {
		return invalidf("答卷的指标版本为 %q，当前目录为 %q", a.Edition, cat.Edition)
	}
	qn, err := a.questionnaire(cat)
	if err != nil {
		return err
	}
	for _, qid := range sortedKeys(a.Answers) {
		q, ok := qn.Question(qid)
		if !ok {
			return invalidf("题目 %q 不存在", qid)
		}
		if _, err := NormalizeOptions(q, a.Answers[qid]); err != nil {
			return err
		}
	}
	for _, sid := range sortedKeys(a.Scenarios) {
		if err := ValidateRating(cat, sid, a.Scenarios[sid]); err != nil {
			return err
		}
	}
	for _, qid := range sortedKeys(a.Numbers) {
		q, ok := qn.Question(qid)
		if !ok {
			return invalidf("补充数据: 题目 %q 不存在", qid)
		}
		for _, f := range sortedKeys(a.Numbers[qid]) {
			if err := ValidateNumber(q, f, a.Numbers[qid][f]); err != nil {
				return err
			}
		}
	}
	for _, qid := range sortedKeys(a.Notes) {
		_, isQuestion := qn.Question(qid)
		if _, isScenario := cat.Scenario(qid); !isQuestion && !isScenario {
			return invalidf("备注: 题目或场景 %q 不存在", qid)
		}
		// Only the length: scoring (and verifying a signed report, which
		// rescores it) must not depend on what characters a note holds.
		// The text rule applies where a note is entered (SetNote), and
		// renderers show stored notes through DisplaySafe.
		if n := utf8.RuneCountInString(a.Notes[qid]); n > MaxNoteLength {
			return invalidf("%s: 备注 过长（%d 字，上限 %d 字）", qid, n, MaxNoteLength)
		}
	}
	return nil
}

// NormalizeOptions checks a choice for a question and returns it in catalog
// order: known option IDs, no duplicates, exactly one for single choice,
// "无" alone, and enabled option dependencies satisfied.
func NormalizeOptions(q *indicators.Question, options []string) ([]string, error) {
	if len(options) == 0 {
		return nil, invalidf("%s: 至少选择一个选项", q.ID)
	}
	seen := map[string]bool{}
	for _, id := range options {
		if _, ok := q.Option(id); !ok {
			return nil, invalidf("%s: 选项 %q 不存在（可选 %s）", q.ID, id, optionList(q))
		}
		if seen[id] {
			return nil, invalidf("%s: 选项 %s 重复", q.ID, id)
		}
		seen[id] = true
	}
	if q.Type == indicators.Single && len(options) != 1 {
		return nil, invalidf("%s 是单选题，只能选一个选项，实际 %d 个", q.ID, len(options))
	}
	for _, o := range q.Options {
		if o.None && seen[o.ID] && len(options) > 1 {
			return nil, invalidf("%s: 「%s」（%s）与其他选项互斥", q.ID, o.Text, o.ID)
		}
	}
	for _, dep := range q.Dependencies {
		if !dep.Enabled || !seen[dep.Option] {
			continue
		}
		for _, r := range dep.Requires {
			if !seen[r] {
				return nil, invalidf("%s: 选择 %s 需要同时选择 %s", q.ID, dep.Option, strings.Join(dep.Requires, "、"))
			}
		}
	}
	out := make([]string, 0, len(options))
	for _, o := range q.Options {
		if seen[o.ID] {
			out = append(out, o.ID)
		}
	}
	return out, nil
}

func optionList(q *indicators.Question) string {
	ids := make([]string, len(q.Options))
	for i, o := range q.Options {
		ids[i] = o.ID
	}
	return strings.Join(ids, "、")
}

// ValidateRating checks a scenario ID and its rating.
func ValidateRating(cat *indicators.Catalog, scenarioID string, r ScenarioRating) error {
	if _, ok := cat.Scenario(scenarioID); !ok {
		return invalidf("场景 %q 不存在（SC01–SC%02d）", scenarioID, len(cat.Scenarios))
	}
	if r == NotApplicable {
		if !cat.ScenarioPolicy.AllowNotApplicable {
			return invalidf("%s: 本指标版本不允许「%s」", scenarioID, cat.ScenarioPolicy.NotApplicableLabel)
		}
		return nil
	}
	if r < 0 || int(r) > cat.MaxLevel() {
		return invalidf("%s: 场景等级应为 0–%d（0 = %s），实际 %d", scenarioID, cat.MaxLevel(), cat.ScenarioPolicy.BelowLevelOneLabel, r)
	}
	return nil
}

// ValidateNumber checks one supplementary number: a known field, not
// negative, and whole for counted units (台, 人).
func ValidateNumber(q *indicators.Question, field string, d Decimal) error {
	f, ok := q.Field(field)
	if !ok {
		var ids []string
		for _, x := range q.FormFields {
			ids = append(ids, x.ID)
		}
		if len(ids) == 0 {
			return invalidf("%s 没有补充数据项", q.ID)
		}
		return invalidf("%s: 补充数据项 %q 不存在（可填 %s）", q.ID, field, strings.Join(ids, "、"))
	}
	if d.IsZero() {
		return nil
	}
	if _, err := ParseDecimal(string(d)); err != nil {
		return invalidf("%s %s: %v", q.ID, f.Label, err)
	}
	if d.Sign() < 0 {
		return invalidf("%s %s: 不能为负数（%s）", q.ID, f.Label, d)
	}
	if (f.Unit == "台" || f.Unit == "人") && !d.IsInteger() {
		return invalidf("%s %s: 应为整数（%s）", q.ID, f.Label, d)
	}
	return nil
}

// ValidateNote checks a free-text note under the shared text rule (lines
// and tabs allowed).
func ValidateNote(s string) error {
	return CheckText(s, TextRule{Label: "备注", Max: MaxNoteLength, Multiline: true})
}

// Missing lists the unanswered questions and unrated scenarios, in catalog order.
func (a AnswerSet) Missing(cat *indicators.Catalog) []string {
	qn, err := a.questionnaire(cat)
	if err != nil {
		return nil
	}
	var out []string
	for _, q := range qn.Questions() {
		if len(a.Answers[q.ID]) == 0 {
			out = append(out, q.ID)
		}
	}
	for _, s := range cat.Scenarios {
		if _, ok := a.Scenarios[s.ID]; !ok {
			out = append(out, s.ID)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
