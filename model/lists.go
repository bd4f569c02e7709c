package model

import (
	"fmt"
	"sort"
	"strings"

	"digilevel/indicators"
)

// Kinds of list items.
const (
	ItemContradiction = "contradiction" // an answer contradicts its own numbers
	ItemQuestion      = "question"      // a question below its maximum
	ItemScenario      = "scenario"      // a scenario below the target level
	ItemEvidence      = "evidence"      // evidence the planning data expects is missing
	ItemPain          = "pain"          // a pain point typed by a person
	ItemCustom        = "custom"        // any other item typed by a person
)

// The two lists of a diagnosis.
const (
	ListProblems = "problems" // 问题清单
	ListDemands  = "demands"  // 需求场景清单
)

// ListLabel is a list's Chinese name.
func ListLabel(list string) string {
	if list == ListDemands {
		return "需求场景清单"
	}
	return "问题清单"
}

// ListEdits is what a person changed in one generated list. The list is
// regenerated from the answers every time (so it stays complete when an
// answer changes) and the edits are applied on top, by item ID.
type ListEdits struct {
	Removed  []string            `json:"removed,omitempty"`
	Reworded map[string]ListText `json:"reworded,omitempty"`
	Added    []ListItem          `json:"added,omitempty"`
	// Order is the IDs in the order a person set; items not in it follow
	// in generated order.
	Order []string `json:"order,omitempty"`
	// Next numbers the added items (U1, U2, ...), never reused.
	Next int `json:"next,omitempty"`
}

// ListText is a reworded item.
type ListText struct {
	Title string `json:"title"`
	Note  string `json:"note,omitempty"`
}

// DiagnosisEdits holds the edits of both lists.
type DiagnosisEdits struct {
	Problems ListEdits `json:"problems"`
	Demands  ListEdits `json:"demands"`
}

// ListEdit is one change to a list: add (a custom item), pain (a free-text
// pain point in the 问题清单), remove, reword or move (to a 1-based position).
type ListEdit struct {
	List     string
	Op       string
	Item     string
	Ref      string
	Title    string
	Note     string
	Position int
}

// List edit operations.
const (
	OpAdd    = "add"
	OpPain   = "pain"
	OpRemove = "remove"
	OpReword = "reword"
	OpMove   = "move"
)

// Diagnosis is what a diagnosis concludes from an assessment as it stands:
// the result, the retrofit path to the pilot target (with alternatives) and
// to the next level, and both lists with a person's edits applied.
type Diagnosis struct {
	Result   Result
	Target   GapPlan
	Next     GapPlan
	Problems []ListItem
	Demands  []ListItem
}

// Diagnose computes the diagnosis of an assessment under cat and pl.
func Diagnose(cat *indicators.Catalog, pl *indicators.Planning, a Assessment) (Diagnosis, error) {
	res, err := Score(cat, a.Answers)
	if err != nil {
		return Diagnosis{}, err
	}
	next := min(res.Level+1, cat.MaxLevel())
	d := Diagnosis{Result: res}
	if d.Next, err = PlanRetrofit(cat, pl, a.Answers, next, a.Kind); err != nil {
		return Diagnosis{}, err
	}
	if d.Target, err = PlanRetrofit(cat, pl, a.Answers, cat.Pilot.TargetLevel, a.Kind); err != nil {
		return Diagnosis{}, err
	}
	plan := d.Target
	if plan.AlreadyMet {
		plan = d.Next
	}
	problems, demands := DiagnosisLists(cat, pl, a, res, plan)
	if a.ListsEdited {
		// Lists replaced as a whole (assessment lists --set) are the base.
		problems, demands = withIDs(a.Problems, "L"), withIDs(a.Demands, "L")
	}
	var edits DiagnosisEdits
	if a.Edits != nil {
		edits = *a.Edits
	}
	d.Problems = applyEdits(problems, edits.Problems)
	d.Demands = applyEdits(demands, edits.Demands)
	return d, nil
}

func withIDs(items []ListItem, prefix string) []ListItem {
	out := make([]ListItem, len(items))
	for i, it := range items {
		if it.ID == "" {
			it.ID = fmt.Sprintf("%s%d", prefix, i+1)
		}
		out[i] = it
	}
	return out
}

// DiagnosisLists generates the complete 问题清单 and 需求场景清单, ranked:
// contradictions first (the rating itself is in doubt), then the items of
// plan (marked OnPath) in plan order, then scenarios below the plan's
// target (约束性 first, lowest first), questions below their maximum (most
// points missing first; 成效 questions last in a baseline, where they are
// no lever), and evidence the planning data expects but nobody attached.
func DiagnosisLists(cat *indicators.Catalog, pl *indicators.Planning, a Assessment, res Result, plan GapPlan) (problems, demands []ListItem) {
	qn, err := a.Answers.questionnaire(cat)
	if err != nil {
		return []ListItem{}, []ListItem{}
	}
	problems, demands = []ListItem{}, []ListItem{}
	for _, d := range Contradictions(Derive(cat, a.Answers)) {
		q, _ := qn.Question(d.Question)
		implied := d.Option
		if o, ok := q.Option(d.Option); ok {
			implied = d.Option + " " + o.Text
		}
		problems = append(problems, ListItem{ID: "X-" + d.Question, Kind: ItemContradiction, Ref: d.Question,
			Title: q.ID + " 所选答案与补充数据不符", Current: OptionsText(q, d.Chosen), Target: "核实后改为 " + implied, Note: d.Text})
	}
	onPath := map[string]QuestionStep{}
	for _, s := range plan.Questions {
		onPath[s.ID] = s
	}
	scenOnPath := map[string]bool{}
	for _, s := range plan.Scenarios {
		scenOnPath[s.ID] = true
	}
	outcome := func(id string) bool {
		qc, ok := pl.Question(id)
		return ok && qc.Outcome
	}
	questionItem := func(qs QuestionScore) ListItem {
		q, _ := qn.Question(qs.ID)
		it := ListItem{ID: q.ID, Kind: ItemQuestion, Ref: q.ID, Title: q.Title, Current: OptionsText(q, qs.Options),
			Target: missingText(q, qs.Options)}
		it.Note = fmt.Sprintf("得分 %s / %s，差 %s 分", qs.Points, qs.Max, qs.Max-qs.Points)
		if s, ok := onPath[q.ID]; ok {
			it.OnPath = true
			it.Target = OptionsText(q, s.To)
			it.Note += fmt.Sprintf("；路径改动 +%s 分（难度 %d）", s.Gain, s.Cost)
		}
		if outcome(q.ID) && a.Kind == KindBaseline {
			it.Note += "；成效题，衡量改造后的变化，见预期成效"
		}
		return it
	}
	scenarioItem := func(s ScenarioResult, target int) ListItem {
		sc, _ := cat.Scenario(s.ID)
		title := s.Name
		if s.Constrained {
			title += "（约束性）"
		}
		it := ListItem{ID: s.ID, Kind: ItemScenario, Ref: s.ID, Title: title, Current: RatingName(cat, s),
			Target: cat.ScenarioLevelName(target), OnPath: scenOnPath[s.ID]}
		if target >= 1 && target <= len(sc.Descriptors) {
			it.Note = sc.Descriptors[target-1]
		}
		return it
	}
	// Path items in plan order: questions, then scenarios (约束性 first).
	for _, qs := range res.Questions {
		if _, ok := onPath[qs.ID]; ok {
			problems = append(problems, questionItem(qs))
		}
	}
	target := plan.Target
	var below []ScenarioResult
	for _, s := range res.Scenarios {
		if s.Level != NotApplicable && int(s.Level) < target {
			below = append(below, s)
		}
	}
	sort.SliceStable(below, func(i, j int) bool {
		bi, bj := below[i], below[j]
		if scenOnPath[bi.ID] != scenOnPath[bj.ID] {
			return scenOnPath[bi.ID]
		}
		if bi.Constrained != bj.Constrained {
			return bi.Constrained
		}
		return bi.Level < bj.Level
	})
	for _, s := range below {
		it := scenarioItem(s, target)
		p := it
		p.Note = ""
		if s.Constrained {
			p.Note = "计入约束性场景门槛"
		}
		problems = append(problems, p)
		demands = append(demands, it)
	}
	var rest, outcomes []QuestionScore
	for _, qs := range res.Questions {
		if _, ok := onPath[qs.ID]; ok || qs.Points >= qs.Max {
			continue
		}
		if outcome(qs.ID) {
			outcomes = append(outcomes, qs)
		} else {
			rest = append(rest, qs)
		}
	}
	for _, l := range [][]QuestionScore{rest, outcomes} {
		sort.SliceStable(l, func(i, j int) bool { return l[i].Max-l[i].Points > l[j].Max-l[j].Points })
		for _, qs := range l {
			problems = append(problems, questionItem(qs))
		}
	}
	for _, qs := range res.Questions {
		text, ok := pl.EvidenceFor(qs.ID)
		if !ok || qs.Points <= 0 || len(a.Evidence[qs.ID]) > 0 {
			continue
		}
		q, _ := qn.Question(qs.ID)
		problems = append(problems, ListItem{ID: "E-" + qs.ID, Kind: ItemEvidence, Ref: qs.ID, Title: q.ID + " 缺少佐证材料",
			Current: "未附佐证材料", Target: text, Note: fmt.Sprintf("所选答案得 %s 分，应附佐证", qs.Points)})
	}
	if min := pl.ExpectedEvidence.ScenarioMinLevel; min > 0 {
		for _, s := range res.Scenarios {
			if s.Level == NotApplicable || int(s.Level) < min || len(a.Evidence[s.ID]) > 0 {
				continue
			}
			problems = append(problems, ListItem{ID: "E-" + s.ID, Kind: ItemEvidence, Ref: s.ID, Title: s.Name + " 缺少佐证材料",
				Current: "未附佐证材料", Target: pl.ExpectedEvidence.ScenarioText, Note: fmt.Sprintf("评为%s，应附佐证", RatingName(cat, s))})
		}
	}
	return problems, demands
}

// missingText says what a question lacks to reach its maximum: the options
// not chosen (multi choice) or the top option (single choice).
func missingText(q *indicators.Question, chosen []string) string {
	have := map[string]bool{}
	for _, id := range chosen {
		have[id] = true
	}
	if q.Type == indicators.Multi {
		var ids []string
		for _, o := range q.Options {
			if !o.None && !have[o.ID] && o.Score > 0 {
				ids = append(ids, o.ID)
			}
		}
		return "尚缺 " + OptionsText(q, ids)
	}
	top := q.Options[0]
	for _, o := range q.Options {
		if o.Score > top.Score {
			top = o
		}
	}
	return "满分项 " + OptionsText(q, []string{top.ID})
}

// applyEdits applies a person's edits to a generated list.
func applyEdits(items []ListItem, e ListEdits) []ListItem {
	removed := map[string]bool{}
	for _, id := range e.Removed {
		removed[id] = true
	}
	all := append(append([]ListItem(nil), items...), e.Added...)
	out := make([]ListItem, 0, len(all))
	for _, it := range all {
		if removed[it.ID] {
			continue
		}
		if t, ok := e.Reworded[it.ID]; ok {
			it.Title, it.Note, it.Edited = t.Title, t.Note, true
		}
		out = append(out, it)
	}
	pos := map[string]int{}
	for i, id := range e.Order {
		pos[id] = i
	}
	sort.SliceStable(out, func(i, j int) bool {
		pi, iok := pos[out[i].ID]
		pj, jok := pos[out[j].ID]
		switch {
		case iok && jok:
			return pi < pj
		case iok != jok:
			return iok
		}
		return false
	})
	return out
}

// Limits of list items typed by a person.
const (
	MaxListTitle = 200
	MaxListItems = 200
)

// EditList applies one edit to the 问题清单 or 需求场景清单 of a draft. The
// item must be in the list as Diagnose shows it now.
func (a *Assessment) EditList(cat *indicators.Catalog, pl *indicators.Planning, e ListEdit, c Change) (AuditEntry, error) {
	if err := a.editable(); err != nil {
		return AuditEntry{}, err
	}
	if e.List != ListProblems && e.List != ListDemands {
		return AuditEntry{}, invalidf("清单应为 problems（问题清单）或 demands（需求场景清单），实际 %q", e.List)
	}
	d, err := Diagnose(cat, pl, *a)
	if err != nil {
		return AuditEntry{}, err
	}
	current := d.Problems
	if e.List == ListDemands {
		current = d.Demands
	}
	edits := DiagnosisEdits{}
	if a.Edits != nil {
		edits = *a.Edits
		edits.Problems = cloneListEdits(edits.Problems)
		edits.Demands = cloneListEdits(edits.Demands)
	}
	le := &edits.Problems
	if e.List == ListDemands {
		le = &edits.Demands
	}
	find := func() (ListItem, int, error) {
		for i, it := range current {
			if it.ID == strings.TrimSpace(e.Item) {
				return it, i, nil
			}
		}
		var ids []string
		for _, it := range current {
			ids = append(ids, it.ID)
		}
		return ListItem{}, 0, invalidf("%s中没有编号为 %q 的条目（现有: %s）", ListLabel(e.List), e.Item, strings.Join(ids, "、"))
	}
	title := strings.TrimSpace(e.Title)
	note := strings.TrimSpace(e.Note)
	checkTexts := func() error {
		if err := CheckText(title, TextRule{Label: "条目内容", Max: MaxListTitle, Required: true}); err != nil {
			return err
		}
		return CheckText(note, TextRule{Label: "条目说明", Max: MaxTextLength, Multiline: true})
	}
	var item, old, now string
	switch e.Op {
	case OpAdd, OpPain:
		if e.Op == OpPain && e.List != ListProblems {
			return AuditEntry{}, invalidf("痛点只能加到问题清单")
		}
		if err := checkTexts(); err != nil {
			return AuditEntry{}, err
		}
		if len(current) >= MaxListItems {
			return AuditEntry{}, invalidf("%s已有 %d 条，达到上限", ListLabel(e.List), len(current))
		}
		if err := CheckText(e.Ref, TextRule{Label: "关联项", Max: 20}); err != nil {
			return AuditEntry{}, err
		}
		le.Next++
		kind := ItemCustom
		if e.Op == OpPain {
			kind = ItemPain
		}
		it := ListItem{ID: fmt.Sprintf("U%d", le.Next), Kind: kind, Ref: strings.TrimSpace(e.Ref), Title: title, Note: note}
		le.Added = append(le.Added, it)
		item, now = it.ID, title
	case OpRemove:
		it, _, err := find()
		if err != nil {
			return AuditEntry{}, err
		}
		le.Removed = append(le.Removed, it.ID)
		item, old = it.ID, it.Title
	case OpReword:
		it, _, err := find()
		if err != nil {
			return AuditEntry{}, err
		}
		if err := checkTexts(); err != nil {
			return AuditEntry{}, err
		}
		if le.Reworded == nil {
			le.Reworded = map[string]ListText{}
		}
		le.Reworded[it.ID] = ListText{Title: title, Note: note}
		item, old, now = it.ID, it.Title, title
	case OpMove:
		it, from, err := find()
		if err != nil {
			return AuditEntry{}, err
		}
		if e.Position < 1 || e.Position > len(current) {
			return AuditEntry{}, invalidf("位置应为 1–%d，实际 %d", len(current), e.Position)
		}
		ids := make([]string, 0, len(current))
		for i, x := range current {
			if i != from {
				ids = append(ids, x.ID)
			}
		}
		ids = append(ids[:e.Position-1], append([]string{it.ID}, ids[e.Position-1:]...)...)
		le.Order = ids
		item, old, now = it.ID, fmt.Sprint(from+1), fmt.Sprint(e.Position)
	default:
		return AuditEntry{}, invalidf("操作应为 add、pain、remove、reword 或 move，实际 %q", e.Op)
	}
	a.Edits = &edits
	return a.touch(c, ActionLists, e.List+":"+e.Op+":"+item, old, now), nil
}

func cloneListEdits(e ListEdits) ListEdits {
	out := ListEdits{Next: e.Next}
	out.Removed = append([]string(nil), e.Removed...)
	out.Added = append([]ListItem(nil), e.Added...)
	out.Order = append([]string(nil), e.Order...)
	if e.Reworded != nil {
		out.Reworded = make(map[string]ListText, len(e.Reworded))
		for k, v := range e.Reworded {
			out.Reworded[k] = v
		}
	}
	return out
}
