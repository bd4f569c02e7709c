package model

import (
	"fmt"
	"strings"
	"time"

	"digilevel/indicators"
)

// CheckRef is what a spot-check (抽查) re-rates: the provider's signed
// report, pinned by ID and SHA-256, with its kind and provider, and whether
// the inspector rated blind. It is part of the spot-check's own signed
// report (the `checks` member), so the platform can record which report a
// spot-check checks and a reader can see how it was rated.
type CheckRef struct {
	ID     string `json:"id"`
	SHA256 string `json:"sha256"`
	Kind   Kind   `json:"kind"`
	// Org is the checked report's assessor.org: the service provider.
	Org string `json:"org"`
	// Blind is true when the provider's answers, numbers, notes and level
	// were hidden from the inspector until the spot-check was finalized.
	Blind bool `json:"blind"`
}

func (c *CheckRef) clone() *CheckRef {
	if c == nil {
		return nil
	}
	out := *c
	return &out
}

// validate checks a link for an assessment of kind k; nil is valid.
func (c *CheckRef) validate(k Kind) error {
	if c == nil {
		return nil
	}
	if k != KindSpotCheck {
		return invalidf("只有抽查（spotcheck）可以关联被抽查的报告")
	}
	if !ValidID(c.ID) || !isHexSHA256(c.SHA256) {
		return invalidf("被抽查报告的编号或校验值无效")
	}
	if c.Kind != KindBaseline && c.Kind != KindAcceptance {
		return invalidf("被抽查的报告应为改造前诊断或改造后验收，实际 %q", c.Kind)
	}
	return nil
}

// CheckSpotCheckLink checks the link of a report from another laptop as
// the district platform needs it: a spot-check names the report it checks
// (well-formed, a baseline or acceptance, not itself), and no other kind
// names one. A spot-check made before links existed (kind spotcheck without
// `checks`) is refused: the platform could not say what it checks.
func CheckSpotCheckLink(doc ReportDocument) error {
	switch {
	case doc.Kind == KindSpotCheck && doc.Checks == nil:
		return invalidf("抽查报告 %s 没有关联被抽查的报告（checks），平台无法记录它检查的是哪份报告；"+
			"请拉取被抽查的报告后用 digilevel assessment new --kind spotcheck --checks 报告编号 重新抽查", doc.ID)
	case doc.Checks == nil:
		return nil
	case doc.Checks.ID == doc.ID:
		return invalidf("抽查报告 %s 关联的是它自己", doc.ID)
	}
	if err := doc.Checks.validate(doc.Kind); err != nil {
		return invalidf("报告 %s 的抽查关联无效: %v", doc.ID, err)
	}
	return nil
}

func isHexSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}

// BlindText states how a spot-check was rated, for reports and lists.
func (c *CheckRef) BlindText() string {
	if c == nil {
		return ""
	}
	if c.Blind {
		return "盲评（抽查定稿前，抽查人员看不到服务商的答案、补充数据、备注、得分与等级）"
	}
	return "非盲评（抽查人员评测时可以查看服务商的报告）"
}

// Seal says whether the rating in pulled reports of one enterprise is
// hidden from this laptop's user, and why.
type Seal struct {
	Sealed bool
	Reason string
	// SpotCheck is the blind draft that seals, when there is one.
	SpotCheck string
}

// SealFor decides whether the pulled reports of enterprise code are sealed,
// given this laptop's blind setting and its assessments (any enterprise):
//
//   - a blind spot-check of the enterprise still in draft seals them, whatever
//     the setting says now, so turning blind mode off cannot open a report
//     the inspector is rating blind;
//   - otherwise any linked spot-check of the enterprise (a finalized one, or
//     a draft started with blind mode off) opens them;
//   - with no spot-check yet, blind mode (the default) seals them, so the
//     inspector does not read the provider's level before rating.
func SealFor(blind bool, code string, assessments []Assessment) Seal {
	started := false
	for _, a := range assessments {
		if a.Enterprise != code || a.Kind != KindSpotCheck || a.Checks == nil {
			continue
		}
		if a.State == StateDraft && a.Checks.Blind {
			return Seal{Sealed: true, SpotCheck: a.ID, Reason: fmt.Sprintf(
				"盲评：企业 %s 的抽查 %s 尚未定稿，定稿前不显示服务商报告的答案、补充数据、备注、得分与等级", code, a.ID)}
		}
		started = true
	}
	if started || !blind {
		return Seal{}
	}
	return Seal{Sealed: true, Reason: fmt.Sprintf(
		"盲评：尚未对企业 %s 开始抽查，服务商报告的答案、补充数据、备注、得分与等级暂不显示。"+
			"请先开始抽查（digilevel assessment new --kind spotcheck --checks 报告编号），定稿后即可查看；"+
			"本机不用于抽查时可关闭盲评（digilevel config --spotcheck-blind off）", code)}
}

// RewardFloor is the lowest level the policy pays for (二级 in Xinxiang).
func (p RewardPolicy) RewardFloor() int {
	if len(p.Tiers) == 0 {
		return 0
	}
	return p.Tiers[0].Level
}

// LevelAgreement compares the level a provider gave with the level a
// spot-check gave: equal, different, or different across the reward floor
// (one at or above it, the other below). Text says it in one line; names
// maps a level to its Chinese name.
type LevelAgreement struct {
	Agree        bool   `json:"agree"`
	CrossesFloor bool   `json:"crosses_floor"`
	Text         string `json:"text"`
}

// CompareLevels states how two levels agree, for the comparison and the
// export alike.
func CompareLevels(checked, spot, floor int, name func(int) string) LevelAgreement {
	if checked == spot {
		return LevelAgreement{Agree: true, Text: fmt.Sprintf("一致（%s）", name(spot))}
	}
	a := LevelAgreement{Text: fmt.Sprintf("不一致：服务商评定%s，抽查评定%s", name(checked), name(spot))}
	if floor > 0 && (checked >= floor) != (spot >= floor) {
		a.CrossesFloor = true
		a.Text += fmt.Sprintf("，跨越%s（奖补起点）", name(floor))
	}
	return a
}

// SpotCheckFormat identifies the spot-check comparison JSON document.
const SpotCheckFormat = "digilevel-spotcheck/1"

// Severity of a spot-check comparison, from none to the strongest.
const (
	SeverityAgree    = "agree"    // every answer and rating the same
	SeverityDiffer   = "differ"   // same level, some answers differ
	SeverityLevel    = "level"    // the levels differ
	SeverityCritical = "critical" // the difference crosses the reward floor or changes the reward estimate
)

// SpotCheckComparison is the account of where a spot-check and the report it
// checks differ. Every view (the JSON, HTML, Markdown and XLSX outputs, the
// TUI) renders this one result.
type SpotCheckComparison struct {
	Format     string        `json:"format"`
	Enterprise EnterpriseRef `json:"enterprise"`
	Catalog    CatalogRef    `json:"catalog"`
	// Blind is how the spot-check was rated (see CheckRef.Blind).
	Blind     bool          `json:"blind"`
	BlindText string        `json:"blind_text"`
	Checked   SpotCheckSide `json:"checked"`
	SpotCheck SpotCheckSide `json:"spotcheck"`
	Score     ScoreGap      `json:"score"`
	Level     LevelGap      `json:"level"`
	Reward    RewardGap     `json:"reward"`
	// Severity is one of the Severity constants; Headline says it in one line.
	Severity        string              `json:"severity"`
	Headline        string              `json:"headline"`
	Flags           []SpotCheckFlag     `json:"flags"`
	Tally           SpotCheckTally      `json:"tally"`
	Questions       []QuestionAgreement `json:"questions"`
	Scenarios       []ScenarioAgreement `json:"scenarios"`
	Contradictions  []SideNote          `json:"contradictions"`
	EvidenceOneSide []EvidenceGap       `json:"evidence_one_side"`
}

// EnterpriseRef names an enterprise.
type EnterpriseRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Sides of a spot-check comparison, as JSON names them.
const (
	SideChecked   = "checked"
	SideSpotCheck = "spotcheck"
)

// SideLabel is the Chinese name of a side.
func SideLabel(side string) string {
	if side == SideSpotCheck {
		return "抽查"
	}
	return "服务商"
}

// SpotCheckSide identifies one report of the comparison.
type SpotCheckSide struct {
	ID        string            `json:"id"`
	SHA256    string            `json:"sha256"`
	Kind      Kind              `json:"kind"`
	KindLabel string            `json:"kind_label"`
	Version   int               `json:"version"`
	Draft     bool              `json:"draft"`
	Assessor  Assessor          `json:"assessor"`
	RatedAt   time.Time         `json:"rated_at"`
	Score     indicators.Points `json:"score"`
	Level     int               `json:"level"`
	LevelName string            `json:"level_name"`
}

// ScoreGap is both base scores; Delta is spot-check minus provider.
type ScoreGap struct {
	Checked   indicators.Points `json:"checked"`
	SpotCheck indicators.Points `json:"spotcheck"`
	Delta     indicators.Points `json:"delta"`
}

// LevelGap is both overall levels and how they agree.
type LevelGap struct {
	Checked       int    `json:"checked"`
	CheckedName   string `json:"checked_name"`
	SpotCheck     int    `json:"spotcheck"`
	SpotCheckName string `json:"spotcheck_name"`
	Delta         int    `json:"delta"`
	// Floor is the lowest level the reward policy pays for.
	Floor     int    `json:"floor"`
	FloorName string `json:"floor_name"`
	LevelAgreement
}

// RewardOutcome is a reward estimate reduced to what a comparison shows.
type RewardOutcome struct {
	Estimated bool    `json:"estimated"`
	Eligible  bool    `json:"eligible"`
	AmountWan Decimal `json:"amount_wan,omitempty"`
	Summary   string  `json:"summary"`
}

// RewardGap is the reward estimate on each side's level. Applicable is
// false when the checked report is not the one the reward is paid on (a
// baseline); Basis says on what the estimates rest.
type RewardGap struct {
	Applicable bool          `json:"applicable"`
	Basis      string        `json:"basis"`
	Checked    RewardOutcome `json:"checked"`
	SpotCheck  RewardOutcome `json:"spotcheck"`
	Changed    bool          `json:"changed"`
}

// SpotCheckFlag is one finding, most severe first.
type SpotCheckFlag struct {
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Text     string `json:"text"`
}

// Flag severities and codes.
const (
	FlagCritical = "critical"
	FlagWarning  = "warning"
	FlagInfo     = "info"

	FlagCrossesFloor    = "crosses_floor"
	FlagRewardChanged   = "reward_changed"
	FlagLevelDiffers    = "level_differs"
	FlagAnswersDiffer   = "answers_differ"
	FlagContradiction   = "contradiction"
	FlagEvidenceOneSide = "evidence_one_side"
)

// SpotCheckTally counts agreement.
type SpotCheckTally struct {
	Questions      int `json:"questions"`
	QuestionsAgree int `json:"questions_agree"`
	Scenarios      int `json:"scenarios"`
	ScenariosAgree int `json:"scenarios_agree"`
	// PointsAtStake sums the point differences of the questions that differ.
	PointsAtStake indicators.Points `json:"points_at_stake"`
}

// QuestionAgreement is one question on both sides.
type QuestionAgreement struct {
	ID        string            `json:"id"`
	Title     string            `json:"title"`
	Dimension string            `json:"dimension"`
	Max       indicators.Points `json:"max"`
	Checked   AnswerSide        `json:"checked"`
	SpotCheck AnswerSide        `json:"spotcheck"`
	Agree     bool              `json:"agree"`
	// Delta is the spot-check's points minus the provider's; AtStake its size.
	Delta   indicators.Points `json:"delta"`
	AtStake indicators.Points `json:"at_stake"`
}

// AnswerSide is one side's answer to a question.
type AnswerSide struct {
	Options  []string          `json:"options"`
	Text     string            `json:"text"`
	Points   indicators.Points `json:"points"`
	Evidence int               `json:"evidence"`
	// Contradiction is set when the answer contradicts its own numbers.
	Contradiction string `json:"contradiction,omitempty"`
}

// ScenarioAgreement is one scenario on both sides.
type ScenarioAgreement struct {
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	Constrained   bool           `json:"constrained"`
	Checked       ScenarioRating `json:"checked"`
	CheckedName   string         `json:"checked_name"`
	SpotCheck     ScenarioRating `json:"spotcheck"`
	SpotCheckName string         `json:"spotcheck_name"`
	Agree         bool           `json:"agree"`
	Delta         int            `json:"delta"`
	CheckedEv     int            `json:"checked_evidence"`
	SpotCheckEv   int            `json:"spotcheck_evidence"`
}

// SideNote is a finding on one side.
type SideNote struct {
	Side string `json:"side"`
	Ref  string `json:"ref"`
	Text string `json:"text"`
}

// EvidenceGap is a question or scenario with evidence on one side only.
type EvidenceGap struct {
	Ref   string `json:"ref"`
	Name  string `json:"name"`
	Side  string `json:"side"`
	Count int    `json:"count"`
	Text  string `json:"text"`
}

// SpotCheckInput is what CompareSpotCheck needs. Reward estimates the
// district reward at a level (the caller knows the revenue and the rating
// year); nil leaves the reward out.
type SpotCheckInput struct {
	Catalog         *indicators.Catalog
	Checked         ReportDocument
	CheckedSHA256   string
	SpotCheck       ReportDocument
	SpotCheckSHA256 string
	Policy          RewardPolicy
	Reward          func(level int, levelName string) RewardOutcome
}

// CompareSpotCheck checks that in.SpotCheck is a spot-check of exactly
// in.Checked (same enterprise, same catalog, the linked ID and SHA-256) and
// sets them side by side: every question and scenario agree or differ with
// both answers and the points at stake, both scores and levels, the reward
// floor and the reward estimate on both levels, answers contradicting their
// own numbers on either side, and evidence present on one side only.
func CompareSpotCheck(in SpotCheckInput) (SpotCheckComparison, error) {
	c, s := in.Checked, in.SpotCheck
	cat := in.Catalog
	switch {
	case cat == nil:
		return SpotCheckComparison{}, invalidf("对比需要指标目录")
	case s.Kind != KindSpotCheck:
		return SpotCheckComparison{}, invalidf("第二份报告应为抽查报告，实际是「%s」报告 %s", s.KindLabel, s.ID)
	case c.Kind != KindBaseline && c.Kind != KindAcceptance:
		return SpotCheckComparison{}, invalidf("第一份报告应为服务商的改造前诊断或改造后验收报告，实际是「%s」报告 %s", c.KindLabel, c.ID)
	case c.Draft:
		return SpotCheckComparison{}, invalidf("被抽查的报告 %s 是草稿，只能对比已定稿的报告", c.ID)
	case c.Enterprise.Code != s.Enterprise.Code:
		return SpotCheckComparison{}, invalidf("两份报告不属于同一企业：被抽查报告为 %s（%s），抽查为 %s（%s）",
			c.Enterprise.Name, c.Enterprise.Code, s.Enterprise.Name, s.Enterprise.Code)
	case c.Catalog.Hash != s.Catalog.Hash:
		return SpotCheckComparison{}, invalidf("两份报告使用的指标目录不同（被抽查报告 %s 版 %s，抽查 %s 版 %s），逐题对比没有意义：抽查须使用被抽查报告的指标目录",
			c.Catalog.Edition, ShortHash(c.Catalog.Hash), s.Catalog.Edition, ShortHash(s.Catalog.Hash))
	case cat.Hash() != c.Catalog.Hash:
		return SpotCheckComparison{}, invalidf("提供的指标目录 %s 不是报告使用的 %s", ShortHash(cat.Hash()), ShortHash(c.Catalog.Hash))
	case s.Checks == nil:
		return SpotCheckComparison{}, invalidf("抽查 %s 没有关联被抽查的报告（新建抽查时用 --checks 指定）", s.ID)
	case s.Checks.ID != c.ID:
		return SpotCheckComparison{}, invalidf("抽查 %s 检查的是报告 %s，不是 %s", s.ID, s.Checks.ID, c.ID)
	case s.Draft && s.Checks.Blind:
		return SpotCheckComparison{}, Errorf(ErrState, "抽查 %s 是盲评，尚未定稿：定稿后才能与服务商的报告对比", s.ID)
	case s.Checks.SHA256 != in.CheckedSHA256:
		return SpotCheckComparison{}, invalidf("抽查 %s 关联的报告 %s 校验值为 %s，提供的报告为 %s：内容不同，不能对比",
			s.ID, c.ID, ShortHash(s.Checks.SHA256), ShortHash(in.CheckedSHA256))
	}
	qn, ok := cat.Questionnaire(c.Answers.Questionnaire)
	if !ok {
		return SpotCheckComparison{}, invalidf("问卷 %q 不在指标目录中", c.Answers.Questionnaire)
	}
	if s.Answers.Questionnaire != c.Answers.Questionnaire {
		return SpotCheckComparison{}, invalidf("两份报告使用的问卷不同（%s 与 %s），无法逐题对比", c.Answers.Questionnaire, s.Answers.Questionnaire)
	}
	out := SpotCheckComparison{
		Format:     SpotCheckFormat,
		Enterprise: EnterpriseRef{Code: c.Enterprise.Code, Name: c.Enterprise.Name},
		Catalog:    c.Catalog, Blind: s.Checks.Blind, BlindText: s.Checks.BlindText(),
		Checked:   side(c, in.CheckedSHA256),
		SpotCheck: side(s, in.SpotCheckSHA256),
		Score:     ScoreGap{Checked: c.Result.Score, SpotCheck: s.Result.Score, Delta: s.Result.Score - c.Result.Score},
		Flags:     []SpotCheckFlag{}, Questions: []QuestionAgreement{}, Scenarios: []ScenarioAgreement{},
		Contradictions: []SideNote{}, EvidenceOneSide: []EvidenceGap{},
	}
	floor := in.Policy.RewardFloor()
	out.Level = LevelGap{Checked: c.Result.Level, CheckedName: c.Result.LevelName, SpotCheck: s.Result.Level, SpotCheckName: s.Result.LevelName,
		Delta: s.Result.Level - c.Result.Level, Floor: floor, FloorName: cat.LevelName(floor),
		LevelAgreement: CompareLevels(c.Result.Level, s.Result.Level, floor, cat.LevelName)}
	out.compareQuestions(qn, c, s)
	out.compareScenarios(cat, c, s)
	out.findContradictions(cat, c, s)
	out.Reward = compareReward(cat, c, s, in.Reward)
	out.judge()
	return out, nil
}

func side(d ReportDocument, sha string) SpotCheckSide {
	at := d.FinalizedAt
	if at.IsZero() {
		at = d.CreatedAt
	}
	return SpotCheckSide{ID: d.ID, SHA256: sha, Kind: d.Kind, KindLabel: d.KindLabel, Version: d.Version, Draft: d.Draft,
		Assessor: d.Assessor, RatedAt: at, Score: d.Result.Score, Level: d.Result.Level, LevelName: d.Result.LevelName}
}

func (out *SpotCheckComparison) compareQuestions(qn *indicators.Questionnaire, c, s ReportDocument) {
	spot := map[string]QuestionScore{}
	for _, x := range s.Result.Questions {
		spot[x.ID] = x
	}
	for _, x := range c.Result.Questions {
		q, ok := qn.Question(x.ID)
		if !ok {
			continue
		}
		y := spot[x.ID]
		qa := QuestionAgreement{ID: q.ID, Title: q.Title, Max: q.Max,
			Checked:   AnswerSide{Options: nonNilStrings(x.Options), Text: OptionsText(q, x.Options), Points: x.Points, Evidence: len(c.Evidence[q.ID])},
			SpotCheck: AnswerSide{Options: nonNilStrings(y.Options), Text: OptionsText(q, y.Options), Points: y.Points, Evidence: len(s.Evidence[q.ID])},
			Delta:     y.Points - x.Points,
		}
		if p, ok := qn.PathOf(q.ID); ok {
			qa.Dimension = p.Dimension.Name
		}
		qa.Agree = strings.Join(qa.Checked.Options, ",") == strings.Join(qa.SpotCheck.Options, ",")
		qa.AtStake = max(qa.Delta, -qa.Delta)
		out.Tally.Questions++
		if qa.Agree {
			out.Tally.QuestionsAgree++
		}
		out.Tally.PointsAtStake += qa.AtStake
		out.evidenceGap(q.ID, q.Title, qa.Checked.Evidence, qa.SpotCheck.Evidence)
		out.Questions = append(out.Questions, qa)
	}
}

func (out *SpotCheckComparison) compareScenarios(cat *indicators.Catalog, c, s ReportDocument) {
	spot := map[string]ScenarioResult{}
	for _, x := range s.Result.Scenarios {
		spot[x.ID] = x
	}
	for _, x := range c.Result.Scenarios {
		y := spot[x.ID]
		sa := ScenarioAgreement{ID: x.ID, Name: x.Name, Constrained: x.Constrained,
			Checked: x.Level, CheckedName: RatingName(cat, x), SpotCheck: y.Level, SpotCheckName: RatingName(cat, y),
			Agree: x.Level == y.Level && x.Rated == y.Rated, Delta: int(max(y.Level, 0)) - int(max(x.Level, 0)),
			CheckedEv: len(c.Evidence[x.ID]), SpotCheckEv: len(s.Evidence[x.ID])}
		out.Tally.Scenarios++
		if sa.Agree {
			out.Tally.ScenariosAgree++
		}
		out.evidenceGap(x.ID, x.Name, sa.CheckedEv, sa.SpotCheckEv)
		out.Scenarios = append(out.Scenarios, sa)
	}
}

// RatingName is a scenario rating's Chinese name: 未评, the catalog's N/A
// label or its level name.
func RatingName(cat *indicators.Catalog, s ScenarioResult) string {
	switch {
	case !s.Rated:
		return "未评"
	case s.Level == NotApplicable:
		return cat.ScenarioPolicy.NotApplicableLabel
	}
	return cat.ScenarioLevelName(int(s.Level))
}

func (out *SpotCheckComparison) evidenceGap(ref, name string, checked, spot int) {
	switch {
	case checked > 0 && spot == 0:
		out.EvidenceOneSide = append(out.EvidenceOneSide, EvidenceGap{Ref: ref, Name: name, Side: SideChecked, Count: checked,
			Text: fmt.Sprintf("%s %s：仅服务商附有佐证材料（%d 份），抽查未附", ref, name, checked)})
	case spot > 0 && checked == 0:
		out.EvidenceOneSide = append(out.EvidenceOneSide, EvidenceGap{Ref: ref, Name: name, Side: SideSpotCheck, Count: spot,
			Text: fmt.Sprintf("%s %s：仅抽查附有佐证材料（%d 份），服务商未附", ref, name, spot)})
	}
}

// findContradictions recomputes each side's derived answers: the signed
// derivations are not rescored on the way in, the answers and numbers are.
func (out *SpotCheckComparison) findContradictions(cat *indicators.Catalog, c, s ReportDocument) {
	index := map[string]int{}
	for i, q := range out.Questions {
		index[q.ID] = i
	}
	for _, x := range []struct {
		side string
		doc  ReportDocument
	}{{SideChecked, c}, {SideSpotCheck, s}} {
		for _, d := range Contradictions(Derive(cat, x.doc.Answers)) {
			out.Contradictions = append(out.Contradictions, SideNote{Side: x.side, Ref: d.Question, Text: SideLabel(x.side) + "：" + d.Text})
			if i, ok := index[d.Question]; ok {
				if x.side == SideChecked {
					out.Questions[i].Checked.Contradiction = d.Text
				} else {
					out.Questions[i].SpotCheck.Contradiction = d.Text
				}
			}
		}
	}
}

func compareReward(cat *indicators.Catalog, c, s ReportDocument, estimate func(int, string) RewardOutcome) RewardGap {
	if c.Kind != KindAcceptance {
		return RewardGap{Basis: fmt.Sprintf("被抽查的是%s报告；奖补按改造后验收评定的等级兑现（第十四条），此处不测算奖补。", c.KindLabel)}
	}
	if estimate == nil {
		return RewardGap{Basis: "未提供奖补政策，不测算奖补。"}
	}
	g := RewardGap{Applicable: true,
		Basis:     fmt.Sprintf("按被抽查的改造后验收报告的评定时间，分别以服务商评定的%s和抽查评定的%s测算奖补；抽查本身不产生奖补。", c.Result.LevelName, s.Result.LevelName),
		Checked:   estimate(c.Result.Level, c.Result.LevelName),
		SpotCheck: estimate(s.Result.Level, s.Result.LevelName),
	}
	g.Changed = g.Checked.Estimated && g.SpotCheck.Estimated &&
		(g.Checked.Eligible != g.SpotCheck.Eligible || g.Checked.AmountWan != g.SpotCheck.AmountWan)
	return g
}

// judge sets the flags, the severity and the headline, most severe first.
func (out *SpotCheckComparison) judge() {
	l := out.Level
	add := func(sev, code, format string, args ...any) {
		out.Flags = append(out.Flags, SpotCheckFlag{Severity: sev, Code: code, Text: fmt.Sprintf(format, args...)})
	}
	if l.CrossesFloor {
		add(FlagCritical, FlagCrossesFloor, "等级差异跨越%s（奖补起点）：服务商评定%s，抽查评定%s", l.FloorName, l.CheckedName, l.SpotCheckName)
	}
	if out.Reward.Changed {
		add(FlagCritical, FlagRewardChanged, "奖补测算随等级改变：按服务商评定的%s为 %s 万元，按抽查评定的%s为 %s 万元",
			l.CheckedName, amountText(out.Reward.Checked), l.SpotCheckName, amountText(out.Reward.SpotCheck))
	}
	if !l.Agree {
		add(FlagWarning, FlagLevelDiffers, "综合等级不一致：服务商评定%s（%s 分），抽查评定%s（%s 分）", l.CheckedName, out.Score.Checked, l.SpotCheckName, out.Score.SpotCheck)
	}
	qDiff, sDiff := out.Tally.Questions-out.Tally.QuestionsAgree, out.Tally.Scenarios-out.Tally.ScenariosAgree
	if qDiff+sDiff > 0 {
		add(FlagWarning, FlagAnswersDiffer, "%d 道题、%d 个场景评定不同，涉及 %s 分；基础得分 %s → %s（%s）",
			qDiff, sDiff, out.Tally.PointsAtStake, out.Score.Checked, out.Score.SpotCheck, signedPoints(out.Score.Delta))
	}
	for _, n := range out.Contradictions {
		add(FlagWarning, FlagContradiction, "答案与补充数据矛盾（%s）", n.Text)
	}
	for _, e := range out.EvidenceOneSide {
		add(FlagInfo, FlagEvidenceOneSide, "%s", e.Text)
	}
	switch {
	case l.CrossesFloor || out.Reward.Changed:
		out.Severity = SeverityCritical
		out.Headline = fmt.Sprintf("重大差异：服务商评定%s，抽查评定%s", l.CheckedName, l.SpotCheckName)
		if l.CrossesFloor {
			out.Headline += fmt.Sprintf("，跨越%s（奖补起点）", l.FloorName)
		}
		if out.Reward.Changed {
			out.Headline += fmt.Sprintf("；奖补测算 %s 万元 → %s 万元", amountText(out.Reward.Checked), amountText(out.Reward.SpotCheck))
		}
	case !l.Agree:
		out.Severity = SeverityLevel
		out.Headline = fmt.Sprintf("等级不一致：服务商评定%s，抽查评定%s", l.CheckedName, l.SpotCheckName)
	case qDiff+sDiff > 0:
		out.Severity = SeverityDiffer
		out.Headline = fmt.Sprintf("等级一致（%s），但 %d 道题、%d 个场景评定不同；基础得分 %s → %s", l.SpotCheckName, qDiff, sDiff, out.Score.Checked, out.Score.SpotCheck)
	default:
		out.Severity = SeverityAgree
		out.Headline = fmt.Sprintf("两次评定一致：逐题逐场景相同，均为%s（%s 分）", l.SpotCheckName, out.Score.SpotCheck)
	}
}

func amountText(r RewardOutcome) string {
	if !r.Estimated {
		return "—"
	}
	if r.AmountWan.IsZero() {
		return "0"
	}
	return string(r.AmountWan)
}

func signedPoints(p indicators.Points) string {
	if p > 0 {
		return "+" + p.String()
	}
	return p.String()
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
