package model

import (
	"math/big"
	"slices"
	"sort"
	"strings"
	"time"

	"digilevel/indicators"
)

// The district programme as the office follows it (the Xinxiang ETDZ plan:
// batches, Art. 6; levels before and after, Art. 10 and 14; the reward
// floor, Art. 15-16; the Art. 5 targets; spot-checks, Art. 14; provider
// performance, Art. 9 and 14). Every figure here is computed from plain
// inputs the platform collects, so the tests work the answers out by hand.

// ProgrammeReport is one report the platform received, reduced to what the
// programme figures need: the facts of its signed document and of its
// receipt.
type ProgrammeReport struct {
	ID       string
	Seq      uint64
	Kind     Kind
	Version  int
	Replaces string
	// ReplacedBy is the revision that replaces it ("" for a current report).
	ReplacedBy string
	// Provider is the report's assessor.org: the service provider for a
	// baseline or an acceptance, the inspecting organisation for a spot-check.
	Provider    string
	Level       int
	Score       indicators.Points
	FinalizedAt time.Time
	ReceivedAt  time.Time
	// Checks is the report a spot-check checks (nil for other kinds).
	Checks *CheckRef
}

// Current reports whether no revision replaces the report.
func (r ProgrammeReport) Current() bool { return r.ReplacedBy == "" }

// ProgrammeEnterprise is one enterprise of the programme: on the district
// roster, or known from the reports received for it, or both.
type ProgrammeEnterprise struct {
	// Profile is the enterprise file the office goes by: the roster entry
	// when OnRoster, else the file carried by its latest report.
	Profile  Enterprise
	OnRoster bool
	// FirstScale is the scale (规上/规下) recorded in its earliest report,
	// the standing before the retrofit ("" when no report says).
	FirstScale Scale
	// Reports are the reports received for it, in acceptance order.
	Reports []ProgrammeReport
	// Exclusions are the Art. 25 reasons the office recorded (policy
	// exclusion IDs); they void the reward.
	Exclusions []string
}

// Stage is where an enterprise is in the programme, by the reports the
// platform received. Exactly one stage holds for each enterprise.
type Stage string

// Stages.
const (
	// StageNotDiagnosed: no baseline and no acceptance received (未诊断).
	StageNotDiagnosed Stage = "not_diagnosed"
	// StageInRetrofit: a baseline received, no acceptance yet (改造中).
	StageInRetrofit Stage = "in_retrofit"
	// StageAccepted: an acceptance received (已验收).
	StageAccepted Stage = "accepted"
)

// Label is the Chinese name.
func (s Stage) Label() string {
	switch s {
	case StageNotDiagnosed:
		return "未诊断"
	case StageInRetrofit:
		return "改造中"
	case StageAccepted:
		return "已验收"
	}
	return string(s)
}

// EnterpriseStatus is an enterprise's standing derived from its reports.
type EnterpriseStatus struct {
	Stage Stage
	// Baseline and Acceptance are the current (not replaced) report of
	// each kind finalized last; nil when none.
	Baseline   *ProgrammeReport
	Acceptance *ProgrammeReport
	// FirstBaselineAt and FirstAcceptanceAt are the finalize times of the
	// earliest report of each kind, revisions included: when the diagnosis
	// and the acceptance were first made.
	FirstBaselineAt   time.Time
	FirstAcceptanceAt time.Time
	// SpotChecks counts the current spot-checks received.
	SpotChecks int
	// Providers are the providers of its baseline and acceptance reports,
	// sorted.
	Providers []string
}

// Diagnosed reports whether the enterprise is past diagnosis (已诊断): a
// baseline or an acceptance received.
func (s EnterpriseStatus) Diagnosed() bool { return s.Stage != StageNotDiagnosed }

// LatestLevel is the level the office goes by now: the acceptance's when
// there is one, else the baseline's; ok is false with neither.
func (s EnterpriseStatus) LatestLevel() (level int, ok bool) {
	switch {
	case s.Acceptance != nil:
		return s.Acceptance.Level, true
	case s.Baseline != nil:
		return s.Baseline.Level, true
	}
	return 0, false
}

// Status derives the enterprise's standing from its reports.
func (e ProgrammeEnterprise) Status() EnterpriseStatus {
	var s EnterpriseStatus
	providers := map[string]bool{}
	latest := func(cur *ProgrammeReport, r *ProgrammeReport) *ProgrammeReport {
		if cur == nil || r.FinalizedAt.After(cur.FinalizedAt) {
			return r
		}
		return cur
	}
	first := func(at *time.Time, r ProgrammeReport) {
		if at.IsZero() || r.FinalizedAt.Before(*at) {
			*at = r.FinalizedAt
		}
	}
	for i := range e.Reports {
		r := &e.Reports[i]
		switch r.Kind {
		case KindBaseline:
			providers[r.Provider] = true
			first(&s.FirstBaselineAt, *r)
			if r.Current() {
				s.Baseline = latest(s.Baseline, r)
			}
		case KindAcceptance:
			providers[r.Provider] = true
			first(&s.FirstAcceptanceAt, *r)
			if r.Current() {
				s.Acceptance = latest(s.Acceptance, r)
			}
		case KindSpotCheck:
			if r.Current() {
				s.SpotChecks++
			}
		}
	}
	switch {
	case !s.FirstAcceptanceAt.IsZero():
		s.Stage = StageAccepted
	case !s.FirstBaselineAt.IsZero():
		s.Stage = StageInRetrofit
	default:
		s.Stage = StageNotDiagnosed
	}
	for p := range providers {
		s.Providers = append(s.Providers, p)
	}
	sort.Strings(s.Providers)
	return s
}

// SpotCheckOutcome is one spot-check set beside the report it checks,
// reduced to what the figures and the office's list need. Compared is
// false when the comparison could not be made (the checked report is not
// on the platform, or not with the SHA-256 the spot-check names); Problem
// then says why.
type SpotCheckOutcome struct {
	SpotCheck  string
	Enterprise string
	// Checked is the ID of the checked report; Provider its provider.
	Checked   string
	Provider  string
	Inspector string
	// Current is false when a revision replaces the spot-check.
	Current     bool
	FinalizedAt time.Time
	Compared    bool
	Problem     string
	// The comparison (see SpotCheckComparison), when Compared.
	CheckedLevel   int
	SpotLevel      int
	LevelAgree     bool
	CrossesFloor   bool
	Questions      int
	QuestionsAgree int
	Scenarios      int
	ScenariosAgree int
	Severity       string
	Headline       string
}

// OutcomeOf reduces a spot-check comparison to its outcome.
func OutcomeOf(c SpotCheckComparison) SpotCheckOutcome {
	return SpotCheckOutcome{
		SpotCheck: c.SpotCheck.ID, Enterprise: c.Enterprise.Code, Checked: c.Checked.ID,
		Provider: c.Checked.Assessor.Org, Inspector: c.SpotCheck.Assessor.Org, Current: true,
		FinalizedAt: c.SpotCheck.RatedAt, Compared: true,
		CheckedLevel: c.Level.Checked, SpotLevel: c.Level.SpotCheck, LevelAgree: c.Level.Agree, CrossesFloor: c.Level.CrossesFloor,
		Questions: c.Tally.Questions, QuestionsAgree: c.Tally.QuestionsAgree,
		Scenarios: c.Tally.Scenarios, ScenariosAgree: c.Tally.ScenariosAgree,
		Severity: c.Severity, Headline: c.Headline,
	}
}

// severityRank orders outcomes for the office: floor-crossing and reward
// changes first, then level disagreements, then those not compared (a
// person must look), then answer differences, then agreement.
func (o SpotCheckOutcome) severityRank() int {
	if !o.Compared {
		return 2
	}
	switch o.Severity {
	case SeverityCritical:
		return 0
	case SeverityLevel:
		return 1
	case SeverityDiffer:
		return 3
	}
	return 4
}

// SortSpotChecks orders spot-checks as the office reads them: level
// disagreements first (those crossing the reward floor before the others),
// then the ones that could not be compared, then answer differences, then
// agreement; within a group the latest first.
func SortSpotChecks(list []SpotCheckOutcome) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if ra, rb := a.severityRank(), b.severityRank(); ra != rb {
			return ra < rb
		}
		if !a.FinalizedAt.Equal(b.FinalizedAt) {
			return a.FinalizedAt.After(b.FinalizedAt)
		}
		return a.SpotCheck < b.SpotCheck
	})
}

// TargetMetric names what an Art. 5 target counts; the policy file names
// the metric, the code knows how to count it.
type TargetMetric string

// Target metrics.
const (
	// MetricZJTXRetrofitted counts accepted enterprises (the retrofit is
	// complete) that are 省级 or 国家级 专精特新.
	MetricZJTXRetrofitted TargetMetric = "zjtx_retrofitted"
	// MetricScaleUpgraded counts accepted enterprises that were 规下 in
	// their earliest report and are 规上 now (小升规).
	MetricScaleUpgraded TargetMetric = "scale_upgraded"
)

// ProgrammeTarget is one numeric goal of the district plan.
type ProgrammeTarget struct {
	Metric  TargetMetric `json:"metric"`
	Article string       `json:"article"`
	Text    string       `json:"text"`
	Goal    int          `json:"goal"`
	Unit    string       `json:"unit"`
}

// TargetProgress is how far the programme is towards a target: Reached
// counts the enterprises that count; InProgress those that would count once
// accepted; Percent is Reached over Goal, capped at 100.
type TargetProgress struct {
	ProgrammeTarget
	Reached    int `json:"reached"`
	InProgress int `json:"in_progress"`
	Percent    int `json:"percent"`
}

// BatchFigures are the counts of one batch (Batch 0: not recorded), or of
// the whole programme in Programme.Total.
type BatchFigures struct {
	Batch int `json:"batch"`
	// Enterprises counts every enterprise: on the roster or with reports.
	Enterprises int `json:"enterprises"`
	// OnRoster counts those on the platform's roster; NotOnRoster those
	// known only from reports.
	OnRoster    int `json:"on_roster"`
	NotOnRoster int `json:"not_on_roster"`
	// NotDiagnosed + Diagnosed = Enterprises; InRetrofit + Accepted = Diagnosed.
	NotDiagnosed int `json:"not_diagnosed"`
	Diagnosed    int `json:"diagnosed"`
	InRetrofit   int `json:"in_retrofit"`
	Accepted     int `json:"accepted"`
	// SpotChecked counts enterprises with a current spot-check.
	SpotChecked int `json:"spot_checked"`
	// AcceptedAtFloor counts accepted enterprises whose current acceptance
	// reaches the reward floor (二级); FloorPercent is its share of Accepted
	// in whole percent (0 when none is accepted).
	AcceptedAtFloor int `json:"accepted_at_floor"`
	FloorPercent    int `json:"floor_percent"`
}

// LevelDistribution counts enterprises by level: Counts[l] is level l
// (0 = no level), N their sum.
type LevelDistribution struct {
	Counts []int `json:"counts"`
	N      int   `json:"n"`
}

// ProviderFigures is one service provider's performance (Art. 9, 14).
type ProviderFigures struct {
	Provider string `json:"provider"`
	// Enterprises served: with a baseline or acceptance by the provider.
	Enterprises int `json:"enterprises"`
	// Reports received from it, by kind; Revisions counts those that
	// revise an earlier version (included in the kinds' counts).
	Baselines   int `json:"baselines"`
	Acceptances int `json:"acceptances"`
	Revisions   int `json:"revisions"`
	// Gains: enterprises whose current acceptance is the provider's and
	// which have a current baseline; GainSum is the sum of acceptance level
	// minus baseline level over them.
	Gains   int `json:"gain_n"`
	GainSum int `json:"gain_sum"`
	// Accepted counts enterprises whose current acceptance is the
	// provider's; AtFloor those of them at or above the reward floor.
	Accepted int `json:"accepted"`
	AtFloor  int `json:"accepted_at_floor"`
	// Spot-checks of the provider's reports that were compared: how many,
	// how many agree on the level, how many disagree across the floor, and
	// the questions compared and agreeing over all of them.
	SpotChecks       int `json:"spot_checks"`
	LevelsAgree      int `json:"levels_agree"`
	CrossFloor       int `json:"cross_floor"`
	QuestionsChecked int `json:"questions_checked"`
	QuestionsAgree   int `json:"questions_agree"`
	// Rejected counts uploads the platform refused for a reason of the
	// report itself (see the platform's rejection log).
	Rejected int `json:"rejected"`
	// Days from the first baseline to the first acceptance of each
	// enterprise the provider accepted and that has a baseline.
	DaysN      int     `json:"days_n"`
	DaysMean   float64 `json:"days_mean"`
	DaysMedian float64 `json:"days_median"`
}

// Ratio is a share as a whole percent and whether it is defined (a
// denominator above zero).
type Ratio struct {
	Percent int
	OK      bool
}

func ratio(num, den int) Ratio {
	if den <= 0 {
		return Ratio{}
	}
	return Ratio{Percent: (num*100 + den/2) / den, OK: true}
}

// AverageGain is the average level gain in tenths of a level (rounded), ok
// false when no enterprise counts.
func (p ProviderFigures) AverageGain() (tenths int, ok bool) {
	if p.Gains == 0 {
		return 0, false
	}
	return roundDiv(p.GainSum*10, p.Gains), true
}

// FloorShare is the share of accepted enterprises at or above the floor.
func (p ProviderFigures) FloorShare() Ratio { return ratio(p.AtFloor, p.Accepted) }

// LevelAgreement is the share of compared spot-checks agreeing on the level.
func (p ProviderFigures) LevelAgreement() Ratio { return ratio(p.LevelsAgree, p.SpotChecks) }

// QuestionAgreement is the share of compared questions answered alike.
func (p ProviderFigures) QuestionAgreement() Ratio {
	return ratio(p.QuestionsAgree, p.QuestionsChecked)
}

// roundDiv divides rounding half away from zero.
func roundDiv(a, b int) int {
	if (a < 0) != (b < 0) {
		return -((abs(a) + abs(b)/2) / abs(b))
	}
	return (abs(a) + abs(b)/2) / abs(b)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// SpotCheckFigures are the programme's spot-check totals (current
// spot-checks only).
type SpotCheckFigures struct {
	Total        int `json:"total"`
	Compared     int `json:"compared"`
	LevelsAgree  int `json:"levels_agree"`
	LevelsDiffer int `json:"levels_differ"`
	CrossFloor   int `json:"cross_floor"`
}

// ProgrammeInput is everything the figures are computed from.
type ProgrammeInput struct {
	Enterprises []ProgrammeEnterprise
	SpotChecks  []SpotCheckOutcome
	// Providers are provider names known otherwise (their tokens): listed
	// even before their first report.
	Providers []string
	// Rejected counts refused uploads by provider.
	Rejected map[string]int
	// Floor is the lowest level the reward policy pays for (二级).
	Floor int
	// MaxLevel is the catalog's highest level (四级).
	MaxLevel int
	Targets  []ProgrammeTarget
}

// Programme is the district's figures: by batch and in total, the level
// distribution before and after the retrofit, the Art. 5 targets, each
// provider's performance and the spot-check totals.
type Programme struct {
	Batches    []BatchFigures    `json:"batches"`
	Total      BatchFigures      `json:"total"`
	Before     LevelDistribution `json:"levels_before"`
	After      LevelDistribution `json:"levels_after"`
	Targets    []TargetProgress  `json:"targets"`
	Providers  []ProviderFigures `json:"providers"`
	SpotChecks SpotCheckFigures  `json:"spot_checks"`
}

// ComputeProgramme computes the figures. Batches lists batches MinBatch to
// MaxBatch always, and batch 0 (not recorded) only when some enterprise has
// none. Before counts the current baseline level of every enterprise with
// one, After the current acceptance level. Providers are sorted by name.
func ComputeProgramme(in ProgrammeInput) Programme {
	out := Programme{
		Before:  LevelDistribution{Counts: make([]int, in.MaxLevel+1)},
		After:   LevelDistribution{Counts: make([]int, in.MaxLevel+1)},
		Targets: make([]TargetProgress, len(in.Targets)),
	}
	batches := map[int]*BatchFigures{}
	for b := MinBatch; b <= MaxBatch; b++ {
		batches[b] = &BatchFigures{Batch: b}
	}
	providers := map[string]*ProviderFigures{}
	provider := func(name string) *ProviderFigures {
		p := providers[name]
		if p == nil {
			p = &ProviderFigures{Provider: name}
			providers[name] = p
		}
		return p
	}
	for _, name := range in.Providers {
		provider(name)
	}
	for i, t := range in.Targets {
		out.Targets[i].ProgrammeTarget = t
	}
	days := map[string][]float64{}
	for _, e := range in.Enterprises {
		s := e.Status()
		b := batches[e.Profile.Batch]
		if b == nil {
			b = &BatchFigures{Batch: e.Profile.Batch}
			batches[e.Profile.Batch] = b
		}
		b.add(e, s, in.Floor)
		if s.Baseline != nil {
			out.Before.add(s.Baseline.Level)
		}
		if s.Acceptance != nil {
			out.After.add(s.Acceptance.Level)
		}
		for i := range out.Targets {
			out.Targets[i].count(e, s)
		}
		served := map[string]bool{}
		for _, r := range e.Reports {
			if r.Kind != KindBaseline && r.Kind != KindAcceptance {
				continue
			}
			p := provider(r.Provider)
			served[r.Provider] = true
			if r.Kind == KindBaseline {
				p.Baselines++
			} else {
				p.Acceptances++
			}
			if r.Replaces != "" {
				p.Revisions++
			}
		}
		for name := range served {
			providers[name].Enterprises++
		}
		if a := s.Acceptance; a != nil {
			p := provider(a.Provider)
			p.Accepted++
			if a.Level >= in.Floor {
				p.AtFloor++
			}
			if s.Baseline != nil {
				p.Gains++
				p.GainSum += a.Level - s.Baseline.Level
			}
			if !s.FirstBaselineAt.IsZero() {
				days[a.Provider] = append(days[a.Provider], s.FirstAcceptanceAt.Sub(s.FirstBaselineAt).Hours()/24)
			}
		}
	}
	for _, o := range in.SpotChecks {
		if !o.Current {
			continue
		}
		out.SpotChecks.Total++
		if !o.Compared {
			continue
		}
		out.SpotChecks.Compared++
		if o.LevelAgree {
			out.SpotChecks.LevelsAgree++
		} else {
			out.SpotChecks.LevelsDiffer++
		}
		if o.CrossesFloor {
			out.SpotChecks.CrossFloor++
		}
		p := provider(o.Provider)
		p.SpotChecks++
		if o.LevelAgree {
			p.LevelsAgree++
		}
		if o.CrossesFloor {
			p.CrossFloor++
		}
		p.QuestionsChecked += o.Questions
		p.QuestionsAgree += o.QuestionsAgree
	}
	for name, n := range in.Rejected {
		provider(name).Rejected += n
	}
	for name, d := range days {
		p := providers[name]
		p.DaysN, p.DaysMean, p.DaysMedian = len(d), mean(d), median(d)
	}
	keys := make([]int, 0, len(batches))
	for b, f := range batches {
		if b >= MinBatch && b <= MaxBatch || f.Enterprises > 0 {
			keys = append(keys, b)
		}
	}
	sort.Ints(keys)
	// Batch 0 (not recorded) goes last, after the real batches.
	if len(keys) > 0 && keys[0] < MinBatch {
		keys = append(keys[1:], keys[0])
	}
	out.Total.Batch = 0
	for _, k := range keys {
		f := batches[k]
		f.FloorPercent = ratio(f.AcceptedAtFloor, f.Accepted).Percent
		out.Batches = append(out.Batches, *f)
		out.Total.sum(*f)
	}
	out.Total.FloorPercent = ratio(out.Total.AcceptedAtFloor, out.Total.Accepted).Percent
	for i := range out.Targets {
		t := &out.Targets[i]
		if t.Goal > 0 {
			t.Percent = min(t.Reached*100/t.Goal, 100)
		}
	}
	for _, p := range providers {
		out.Providers = append(out.Providers, *p)
	}
	sort.Slice(out.Providers, func(i, j int) bool { return out.Providers[i].Provider < out.Providers[j].Provider })
	return out
}

func (b *BatchFigures) add(e ProgrammeEnterprise, s EnterpriseStatus, floor int) {
	b.Enterprises++
	if e.OnRoster {
		b.OnRoster++
	} else {
		b.NotOnRoster++
	}
	switch s.Stage {
	case StageNotDiagnosed:
		b.NotDiagnosed++
	case StageInRetrofit:
		b.Diagnosed++
		b.InRetrofit++
	case StageAccepted:
		b.Diagnosed++
		b.Accepted++
		if s.Acceptance != nil && s.Acceptance.Level >= floor {
			b.AcceptedAtFloor++
		}
	}
	if s.SpotChecks > 0 {
		b.SpotChecked++
	}
}

func (b *BatchFigures) sum(f BatchFigures) {
	b.Enterprises += f.Enterprises
	b.OnRoster += f.OnRoster
	b.NotOnRoster += f.NotOnRoster
	b.NotDiagnosed += f.NotDiagnosed
	b.Diagnosed += f.Diagnosed
	b.InRetrofit += f.InRetrofit
	b.Accepted += f.Accepted
	b.SpotChecked += f.SpotChecked
	b.AcceptedAtFloor += f.AcceptedAtFloor
}

func (d *LevelDistribution) add(level int) {
	if level < 0 || level >= len(d.Counts) {
		return
	}
	d.Counts[level]++
	d.N++
}

// count adds an enterprise to a target's progress. An enterprise whose
// acceptance was received but which was revised down keeps counting: the
// metric is about the enterprise's standing, not the level.
func (t *TargetProgress) count(e ProgrammeEnterprise, s EnterpriseStatus) {
	switch t.Metric {
	case MetricZJTXRetrofitted:
		if !e.Profile.ZJTX.IsZJTX() {
			return
		}
	case MetricScaleUpgraded:
		if e.FirstScale != ScaleBelow {
			return
		}
		if s.Stage == StageAccepted && e.Profile.Scale != ScaleAbove {
			// Accepted but not (yet) 规上: neither reached nor in progress.
			return
		}
	default:
		return
	}
	switch s.Stage {
	case StageAccepted:
		t.Reached++
	case StageInRetrofit:
		t.InProgress++
	}
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// RewardLine is one accepted enterprise's reward estimate, as the totals
// need it: Estimated false when the estimate could not be made (revenue
// missing); Excluded when the office recorded an Art. 25 reason.
type RewardLine struct {
	Batch     int
	Estimated bool
	Eligible  bool
	Excluded  bool
	AmountWan Decimal
}

// RewardTotals are one batch's reward estimates summed (Batch 0 in the
// grand total: every batch).
type RewardTotals struct {
	Batch     int     `json:"batch"`
	Accepted  int     `json:"accepted"`
	Estimated int     `json:"estimated"`
	Eligible  int     `json:"eligible"`
	Excluded  int     `json:"excluded"`
	AmountWan Decimal `json:"amount_wan"`
}

// SumRewards totals reward lines by batch (ordered, batch 0 last) and in
// all, exactly (decimal arithmetic, four places).
func SumRewards(lines []RewardLine) (byBatch []RewardTotals, total RewardTotals) {
	sums := map[int]*big.Rat{}
	totals := map[int]*RewardTotals{}
	all := new(big.Rat)
	for _, l := range lines {
		t := totals[l.Batch]
		if t == nil {
			t = &RewardTotals{Batch: l.Batch}
			totals[l.Batch] = t
			sums[l.Batch] = new(big.Rat)
		}
		for _, x := range []*RewardTotals{t, &total} {
			x.Accepted++
			if l.Estimated {
				x.Estimated++
			}
			if l.Excluded {
				x.Excluded++
			}
			if l.Eligible {
				x.Eligible++
			}
		}
		if l.Eligible && !l.AmountWan.IsZero() {
			sums[l.Batch].Add(sums[l.Batch], l.AmountWan.Rat())
			all.Add(all, l.AmountWan.Rat())
		}
	}
	keys := make([]int, 0, len(totals))
	for b := range totals {
		keys = append(keys, b)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if (a == 0) != (b == 0) {
			return b == 0
		}
		return a < b
	})
	for _, b := range keys {
		t := totals[b]
		t.AmountWan = DecimalFromRat(sums[b], 4)
		byBatch = append(byBatch, *t)
	}
	total.AmountWan = DecimalFromRat(all, 4)
	return byBatch, total
}

// ExclusionTexts are the Chinese texts of recorded exclusion IDs, in the
// policy's order; an ID the policy does not know is kept as written.
func (p RewardPolicy) ExclusionTexts(ids []string) []string {
	var out []string
	known := map[string]bool{}
	for _, x := range p.Exclusions {
		if slices.Contains(ids, x.ID) {
			out = append(out, x.Text)
			known[x.ID] = true
		}
	}
	for _, id := range ids {
		if !known[id] {
			out = append(out, strings.TrimSpace(id))
		}
	}
	return out
}
