package model

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"digilevel/indicators"
)

// Kind is the purpose of an assessment.
type Kind string

// Assessment kinds. Their labels are catalog data (pilot.assessment_kinds).
const (
	KindBaseline   Kind = "baseline"   // 改造前诊断
	KindAcceptance Kind = "acceptance" // 改造后验收
	KindSpotCheck  Kind = "spotcheck"  // 抽查
)

// ParseKind reads a kind ID.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(strings.TrimSpace(s)); k {
	case KindBaseline, KindAcceptance, KindSpotCheck:
		return k, nil
	}
	return "", invalidf("评测类型应为 baseline（改造前诊断）、acceptance（改造后验收）或 spotcheck（抽查），实际 %q", s)
}

// State is where an assessment is in its lifecycle. States only move
// forward: draft -> finalized -> queued -> sent, with send_failed (retryable)
// and rejected (needs a person) on the way.
type State string

// Lifecycle states.
const (
	StateDraft      State = "draft"
	StateFinalized  State = "finalized"
	StateQueued     State = "queued"
	StateSent       State = "sent"
	StateSendFailed State = "send_failed"
	StateRejected   State = "rejected"
	// StateHeld is a report the platform refused for the token it was sent
	// with (its 评测机构 is not the token's provider): the report itself may
	// be fine. It is not sent again with the same token; a person either
	// sends it with the right provider's token or revises it.
	StateHeld State = "held"
)

// Label is the Chinese name.
func (s State) Label() string {
	switch s {
	case StateDraft:
		return "草稿"
	case StateFinalized:
		return "已定稿"
	case StateQueued:
		return "待发送"
	case StateSent:
		return "已发送"
	case StateSendFailed:
		return "发送失败"
	case StateRejected:
		return "被拒收"
	case StateHeld:
		return "暂缓发送"
	}
	return string(s)
}

// Frozen reports whether the answers can no longer change.
func (s State) Frozen() bool { return s != StateDraft }

// Unsent reports whether the report still has to reach the platform
// (held reports too: they wait for the right token).
func (s State) Unsent() bool {
	return s == StateFinalized || s == StateQueued || s == StateSendFailed || s == StateHeld
}

// The platform's receipt is the truth: a report it holds is sent, whatever
// the laptop believed before, so every state a report can wait in may
// become sent (a rejected one too, when the platform turns out to hold it).
var transitions = map[State][]State{
	StateDraft:      {StateFinalized},
	StateFinalized:  {StateQueued},
	StateQueued:     {StateSent, StateSendFailed, StateRejected, StateHeld},
	StateSendFailed: {StateQueued, StateSent, StateSendFailed, StateRejected, StateHeld},
	StateHeld:       {StateSent, StateSendFailed, StateRejected, StateHeld},
	StateRejected:   {StateSent},
}

// CanTransition reports whether the lifecycle allows from -> to.
func CanTransition(from, to State) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Assessor is who rates: the service-provider organisation and the person.
type Assessor struct {
	Org    string `json:"org"`
	Person string `json:"person"`
}

// Limits of the assessor's fields, in characters.
const (
	MaxOrgLength    = 100
	MaxPersonLength = 50
)

// Validate checks the assessor's fields under the shared text rule. Both
// may be empty here (a draft can be started before the settings are made).
func (a Assessor) Validate() error {
	if err := CheckText(a.Org, TextRule{Label: "评测机构", Max: MaxOrgLength}); err != nil {
		return err
	}
	return CheckText(a.Person, TextRule{Label: "评测人", Max: MaxPersonLength})
}

// Evidence is a file offered as proof for a question: its path on the
// assessor's laptop and the SHA-256 of its content when it was added.
type Evidence struct {
	Path    string    `json:"path"`
	SHA256  string    `json:"sha256"`
	Size    int64     `json:"size"`
	AddedAt time.Time `json:"added_at"`
}

// ListItem is one line of the 问题清单 or 需求场景清单. Ref names the question
// or scenario it concerns; Current and Target describe the state.
type ListItem struct {
	Ref     string `json:"ref"`
	Title   string `json:"title"`
	Current string `json:"current"`
	Target  string `json:"target"`
	Note    string `json:"note,omitempty"`
	// Set in report format 2: a stable ID (the question or scenario ID,
	// X-/E- for a contradiction or missing evidence, U1... typed by a
	// person), the item's kind, whether it is on the retrofit path and
	// whether a person reworded it.
	ID     string `json:"id,omitempty"`
	Kind   string `json:"kind,omitempty"`
	OnPath bool   `json:"on_path,omitempty"`
	Edited bool   `json:"edited,omitempty"`
}

// Assessment is one rating of one enterprise, pinned to its catalog.
type Assessment struct {
	ID         string `json:"id"`
	Enterprise string `json:"enterprise"`
	Kind       Kind   `json:"kind"`
	// Version starts at 1; a revision names the version it replaces.
	Version        int                   `json:"version"`
	Replaces       string                `json:"replaces,omitempty"`
	RevisionReason string                `json:"revision_reason,omitempty"`
	ReplacedBy     string                `json:"replaced_by,omitempty"`
	Edition        string                `json:"edition"`
	CatalogHash    string                `json:"catalog_hash"`
	Assessor       Assessor              `json:"assessor"`
	Device         string                `json:"device"`
	Checks         *CheckRef             `json:"checks,omitempty"` // spot-checks: the report re-rated
	State          State                 `json:"state"`
	Answers        AnswerSet             `json:"answers"`
	Evidence       map[string][]Evidence `json:"evidence,omitempty"`
	// Problems (问题清单) and Demands (需求场景清单) are generated from the gap
	// plan and may be edited while the assessment is a draft.
	Problems []ListItem `json:"problems,omitempty"`
	Demands  []ListItem `json:"demands,omitempty"`
	// ListsEdited is true once a person changed the lists; they are then no
	// longer regenerated.
	ListsEdited bool `json:"lists_edited,omitempty"`
	// Edits are a person's changes to the generated lists (EditList).
	Edits *DiagnosisEdits `json:"list_edits,omitempty"`
	// Survey is the site survey; Plan the retrofit plan (改造方案).
	Survey    *Survey       `json:"survey,omitempty"`
	Plan      *RetrofitPlan `json:"plan,omitempty"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
	// Set at finalize.
	FinalizedAt  time.Time         `json:"finalized_at,omitzero"`
	Score        indicators.Points `json:"score"`
	Level        int               `json:"level"`
	ReportSHA256 string            `json:"report_sha256,omitempty"`
	// Set by the sync relay.
	LastError string    `json:"last_error,omitempty"`
	Attempts  int       `json:"attempts,omitempty"`
	SentAt    time.Time `json:"sent_at,omitzero"`
}

// NewAssessmentOptions are the inputs of NewAssessment.
type NewAssessmentOptions struct {
	ID         string
	Enterprise string
	Kind       Kind
	Catalog    *indicators.Catalog
	Assessor   Assessor
	Device     string
	Checks     *CheckRef // spot-checks only: the report re-rated
	Now        time.Time
}

// NewAssessment starts a draft.
func NewAssessment(o NewAssessmentOptions) (Assessment, error) {
	if _, err := ParseKind(string(o.Kind)); err != nil {
		return Assessment{}, err
	}
	if o.ID == "" || o.Enterprise == "" || o.Catalog == nil {
		return Assessment{}, invalidf("新建评测缺少编号、企业或指标目录")
	}
	if err := o.Checks.validate(o.Kind); err != nil {
		return Assessment{}, err
	}
	if err := o.Assessor.Validate(); err != nil {
		return Assessment{}, err
	}
	now := o.Now.UTC()
	return Assessment{
		ID: o.ID, Enterprise: o.Enterprise, Kind: o.Kind, Version: 1,
		Edition: o.Catalog.Edition, CatalogHash: o.Catalog.Hash(),
		Assessor: o.Assessor, Device: o.Device, Checks: o.Checks.clone(), State: StateDraft,
		Answers: NewAnswerSet(o.Catalog), CreatedAt: now, UpdatedAt: now,
	}, nil
}

// NewID returns a time-ordered unique ID: 48 bits of milliseconds and 80
// random bits in Crockford base32 (26 characters, sortable by creation).
func NewID(now time.Time, random io.Reader) (string, error) {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.UnixMilli())<<16)
	if random == nil {
		random = rand.Reader
	}
	if _, err := io.ReadFull(random, b[6:]); err != nil {
		return "", fmt.Errorf("generate id: %w", err)
	}
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	var out [26]byte
	// 128 bits as 26 base32 digits, most significant first.
	hi, lo := binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
	for i := 25; i >= 0; i-- {
		out[i] = alphabet[lo&31]
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
	return string(out[:]), nil
}

// ValidID reports whether s looks like an ID from NewID.
func ValidID(s string) bool {
	if len(s) != 26 {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789ABCDEFGHJKMNPQRSTVWXYZ", r) {
			return false
		}
	}
	return true
}

// AuditEntry records one change: who, when, what, old -> new, why.
type AuditEntry struct {
	At     time.Time `json:"at"`
	Who    string    `json:"who"`
	Action string    `json:"action"`
	Item   string    `json:"item,omitempty"`
	Old    string    `json:"old,omitempty"`
	New    string    `json:"new,omitempty"`
	Reason string    `json:"reason,omitempty"`
}

// Audit actions.
const (
	ActionCreate   = "create"
	ActionAnswer   = "answer"
	ActionRate     = "rate"
	ActionNote     = "note"
	ActionNumbers  = "numbers"
	ActionEvidence = "evidence"
	ActionLists    = "lists"
	ActionSurvey   = "survey"
	ActionPlan     = "plan"
	ActionFinalize = "finalize"
	ActionState    = "state"
	ActionRevise   = "revise"
)

// Change is what a caller asks to change in a draft, with who and why.
type Change struct {
	Who    string
	Reason string
	Now    time.Time
}

// MaxReasonLength bounds a reason (of a change or a revision), in characters.
const MaxReasonLength = 500

// Validate checks who and why under the shared text rule: both end up in
// the audit log, which `assessment audit` prints to a terminal.
func (c Change) Validate() error {
	if err := CheckText(c.Who, TextRule{Label: "人员", Max: MaxPersonLength}); err != nil {
		return err
	}
	return ValidateReason(c.Reason)
}

// ValidateReason checks the reason of a change or a revision.
func ValidateReason(s string) error {
	return CheckText(s, TextRule{Label: "原因", Max: MaxReasonLength})
}

func (a *Assessment) editable() error {
	if a.State.Frozen() {
		return Errorf(ErrFinalized, "评测 %s 已定稿（当前状态: %s），不能修改；如需更正请用「修订」生成新版本", a.ID, a.State.Label())
	}
	return nil
}

func (a *Assessment) touch(c Change, action, item, old, new string) AuditEntry {
	a.UpdatedAt = c.Now.UTC()
	return AuditEntry{At: a.UpdatedAt, Who: c.Who, Action: action, Item: item, Old: old, New: new, Reason: c.Reason}
}

// draftQuestion checks the assessment is a draft and finds a question.
func (a *Assessment) draftQuestion(cat *indicators.Catalog, qid string) (*indicators.Question, error) {
	if err := a.editable(); err != nil {
		return nil, err
	}
	qn, err := a.Answers.questionnaire(cat)
	if err != nil {
		return nil, err
	}
	q, ok := qn.Question(qid)
	if !ok {
		return nil, invalidf("题目 %q 不存在（Q01–Q%02d）", qid, len(qn.Questions()))
	}
	return q, nil
}

// SetAnswer records the options chosen for a question.
func (a *Assessment) SetAnswer(cat *indicators.Catalog, qid string, options []string, c Change) (AuditEntry, error) {
	q, err := a.draftQuestion(cat, qid)
	if err != nil {
		return AuditEntry{}, err
	}
	norm, err := NormalizeOptions(q, options)
	if err != nil {
		return AuditEntry{}, err
	}
	old := strings.Join(a.Answers.Answers[qid], ",")
	a.Answers.Answers[qid] = norm
	return a.touch(c, ActionAnswer, qid, old, strings.Join(norm, ",")), nil
}

// SetRating records a scenario's level.
func (a *Assessment) SetRating(cat *indicators.Catalog, sid string, r ScenarioRating, c Change) (AuditEntry, error) {
	if err := a.editable(); err != nil {
		return AuditEntry{}, err
	}
	if err := ValidateRating(cat, sid, r); err != nil {
		return AuditEntry{}, err
	}
	old := ""
	if prev, ok := a.Answers.Scenarios[sid]; ok {
		old = ratingText(prev)
	}
	a.Answers.Scenarios[sid] = r
	return a.touch(c, ActionRate, sid, old, ratingText(r)), nil
}

func ratingText(r ScenarioRating) string {
	if r == NotApplicable {
		return "na"
	}
	return fmt.Sprint(int(r))
}

// SetNote records the note of a question or scenario ("" clears it).
func (a *Assessment) SetNote(cat *indicators.Catalog, qid, text string, c Change) (AuditEntry, error) {
	if err := a.draftRef(cat, qid); err != nil {
		return AuditEntry{}, err
	}
	text = NormalizeNewlines(strings.TrimSpace(text))
	if err := ValidateNote(text); err != nil {
		return AuditEntry{}, err
	}
	if a.Answers.Notes == nil {
		a.Answers.Notes = map[string]string{}
	}
	old := a.Answers.Notes[qid]
	if text == "" {
		delete(a.Answers.Notes, qid)
	} else {
		a.Answers.Notes[qid] = text
	}
	return a.touch(c, ActionNote, qid, old, text), nil
}

// SetNumbers records supplementary numbers of a question; an empty value
// clears a field.
func (a *Assessment) SetNumbers(cat *indicators.Catalog, qid string, values map[string]Decimal, c Change) (AuditEntry, error) {
	q, err := a.draftQuestion(cat, qid)
	if err != nil {
		return AuditEntry{}, err
	}
	if len(values) == 0 {
		return AuditEntry{}, invalidf("%s: 没有给出补充数据", qid)
	}
	for _, f := range sortedKeys(values) {
		if err := ValidateNumber(q, f, values[f]); err != nil {
			return AuditEntry{}, err
		}
	}
	if a.Answers.Numbers == nil {
		a.Answers.Numbers = map[string]map[string]Decimal{}
	}
	cur := a.Answers.Numbers[qid]
	old := formatNumbers(cur)
	next := map[string]Decimal{}
	for k, v := range cur {
		next[k] = v
	}
	for k, v := range values {
		if v.IsZero() {
			delete(next, k)
		} else {
			next[k] = v
		}
	}
	if len(next) == 0 {
		delete(a.Answers.Numbers, qid)
	} else {
		a.Answers.Numbers[qid] = next
	}
	return a.touch(c, ActionNumbers, qid, old, formatNumbers(next)), nil
}

func formatNumbers(m map[string]Decimal) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, k+"="+string(m[k]))
	}
	return strings.Join(parts, ",")
}

// Limits of a list item's fields besides MaxListTitle (lists.go).
const (
	MaxListRefLength = 20
	MaxListState     = 2000
)

// ValidateListItem checks one line of a list: a title, and every text
// under the shared text rule (the note may span lines).
func ValidateListItem(it ListItem) error {
	for _, f := range []struct {
		v string
		r TextRule
	}{
		{it.Ref, TextRule{Label: "关联项", Max: MaxListRefLength}},
		{it.ID, TextRule{Label: "编号", Max: MaxListRefLength}},
		{it.Kind, TextRule{Label: "类别", Max: MaxListRefLength}},
		{it.Title, TextRule{Label: "标题", Max: MaxListTitle, Required: true}},
		{it.Current, TextRule{Label: "现状", Max: MaxListState}},
		{it.Target, TextRule{Label: "目标", Max: MaxListState}},
		{it.Note, TextRule{Label: "说明", Max: MaxNoteLength, Multiline: true}},
	} {
		if err := CheckText(f.v, f.r); err != nil {
			return err
		}
	}
	return nil
}

// SetLists replaces the 问题清单 and 需求场景清单 with edited versions.
func (a *Assessment) SetLists(problems, demands []ListItem, c Change) (AuditEntry, error) {
	if err := a.editable(); err != nil {
		return AuditEntry{}, err
	}
	problems, demands = slices.Clone(problems), slices.Clone(demands)
	for _, l := range []struct {
		name  string
		items []ListItem
	}{{"问题清单", problems}, {"需求场景清单", demands}} {
		if len(l.items) > MaxListItems {
			return AuditEntry{}, invalidf("%s最多 %d 项，实际 %d 项", l.name, MaxListItems, len(l.items))
		}
		for i := range l.items {
			l.items[i].Note = NormalizeNewlines(l.items[i].Note)
			if err := ValidateListItem(l.items[i]); err != nil {
				return AuditEntry{}, fmt.Errorf("%s第 %d 项: %w", l.name, i+1, err)
			}
		}
	}
	old := fmt.Sprintf("问题 %d 项，需求 %d 项", len(a.Problems), len(a.Demands))
	a.Problems, a.Demands, a.ListsEdited = problems, demands, true
	return a.touch(c, ActionLists, "", old, fmt.Sprintf("问题 %d 项，需求 %d 项", len(problems), len(demands))), nil
}

// Transition moves the assessment to another state if the lifecycle allows it.
func (a *Assessment) Transition(to State, c Change) (AuditEntry, error) {
	if !CanTransition(a.State, to) {
		return AuditEntry{}, Errorf(ErrState, "评测 %s 不能从「%s」变为「%s」", a.ID, a.State.Label(), to.Label())
	}
	from := a.State
	a.State = to
	return a.touch(c, ActionState, "", string(from), string(to)), nil
}

// Revise starts a new draft version of a frozen assessment, copying its
// answers; the reason is required. The old assessment is marked as replaced.
func (a *Assessment) Revise(newID, reason string, c Change) (Assessment, AuditEntry, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Assessment{}, AuditEntry{}, invalidf("修订必须说明原因")
	}
	if err := ValidateReason(reason); err != nil {
		return Assessment{}, AuditEntry{}, err
	}
	if !a.State.Frozen() {
		return Assessment{}, AuditEntry{}, Errorf(ErrState, "评测 %s 仍是草稿，可直接修改，无需修订", a.ID)
	}
	if a.ReplacedBy != "" {
		return Assessment{}, AuditEntry{}, Errorf(ErrState, "评测 %s 已被 %s 修订，请修订最新版本", a.ID, a.ReplacedBy)
	}
	now := c.Now.UTC()
	next := Assessment{
		ID: newID, Enterprise: a.Enterprise, Kind: a.Kind, Version: a.Version + 1,
		Replaces: a.ID, RevisionReason: reason,
		Edition: a.Edition, CatalogHash: a.CatalogHash, Assessor: a.Assessor, Device: a.Device,
		Checks: a.Checks.clone(), State: StateDraft, Answers: a.Answers.Clone(), Evidence: cloneEvidence(a.Evidence),
		Problems: append([]ListItem(nil), a.Problems...), Demands: append([]ListItem(nil), a.Demands...),
		ListsEdited: a.ListsEdited, Edits: cloneEdits(a.Edits), Survey: cloneSurvey(a.Survey), Plan: a.Plan.Clone(),
		CreatedAt: now, UpdatedAt: now,
	}
	a.ReplacedBy = newID
	c.Reason = reason
	return next, a.touch(c, ActionRevise, "", a.ID, newID), nil
}

func cloneEdits(e *DiagnosisEdits) *DiagnosisEdits {
	if e == nil {
		return nil
	}
	return &DiagnosisEdits{Problems: cloneListEdits(e.Problems), Demands: cloneListEdits(e.Demands)}
}

func cloneSurvey(s *Survey) *Survey {
	if s == nil {
		return nil
	}
	c := *s
	c.Surveyors = append([]Surveyor(nil), s.Surveyors...)
	c.PainPoints = append([]PainPoint(nil), s.PainPoints...)
	return &c
}

func cloneEvidence(m map[string][]Evidence) map[string][]Evidence {
	if m == nil {
		return nil
	}
	out := make(map[string][]Evidence, len(m))
	for k, v := range m {
		out[k] = append([]Evidence(nil), v...)
	}
	return out
}

// Progress counts answered questions and rated scenarios.
func (a *Assessment) Progress(cat *indicators.Catalog) (done, total int) {
	missing := a.Answers.Missing(cat)
	qn, err := a.Answers.questionnaire(cat)
	if err != nil {
		return 0, 0
	}
	total = len(qn.Questions()) + len(cat.Scenarios)
	return total - len(missing), total
}

// OptionsText shows chosen options as "B 文字；C 文字", or 未作答.
func OptionsText(q *indicators.Question, ids []string) string {
	var parts []string
	for _, id := range ids {
		if o, ok := q.Option(id); ok {
			parts = append(parts, id+" "+o.Text)
		}
	}
	if len(parts) == 0 {
		return "未作答"
	}
	return strings.Join(parts, "；")
}
