package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/report"
	"digilevel/storage/platform"
)

// The aggregate keeps what the pages need in memory and follows the
// platform by its server sequence numbers, which are gap-free and in
// acceptance order (also across several server processes on one
// database): each request first asks the store for the reports after the
// last one it saw, decodes each new report once, and renders from the
// result. So a page costs what changed since the last page, not what the
// platform holds.

// pageSize is how many reports one catch-up step reads.
const pageSize = 1000

// entry is one received report as the aggregate keeps it. Its fields never
// change once created; whether a revision replaces it is in replacedBy.
type entry struct {
	model.ProgrammeReport
	Enterprise     string
	SHA256         string
	Size           int
	Source         string
	KeyFingerprint string
	Problem        string // why the body could not be read ("" when it could)
}

// entState is one enterprise as the reports describe it.
type entState struct {
	code    string
	reports []*entry // acceptance order
	// file is the enterprise file of the report finalized last; firstScale
	// the scale of the earliest report that records one.
	file         model.Enterprise
	fileAt       time.Time
	firstScale   model.Scale
	firstScaleAt time.Time
}

// entView is an enterprise as the pages show it: immutable once built.
type entView struct {
	model.ProgrammeEnterprise
	Status    model.EnterpriseStatus
	Exclusion *platform.Exclusion
}

// Code is the enterprise's credit code.
func (e *entView) Code() string { return e.Profile.Code }

// snapshot is the aggregate at one point: everything a page reads. It is
// never changed after it is published, so pages read it without locks.
type snapshot struct {
	seq         uint64
	builtAt     time.Time
	enterprises []*entView // by batch (0 last), then credit code
	byCode      map[string]*entView
	reports     map[string]*entry
	replacedBy  map[string]string
	programme   model.Programme
	spotChecks  []model.SpotCheckOutcome // sorted for the office
	rejections  []platform.Rejection
	exclusions  map[string][]platform.Exclusion // history by enterprise, oldest first
	providers   []string                        // every provider name, sorted
	problems    []string
	policy      model.RewardPolicy

	rewardsOnce sync.Once
	rewards     []rewardRow
}

// errLoading is returned while the first catch-up of a large platform is
// under way in another request: the page says so and reloads itself.
type errLoading struct{ Loaded int }

func (e *errLoading) Error() string {
	return fmt.Sprintf("正在载入报告（已载入 %d 份）", e.Loaded)
}

// aggregate follows the store. Only one goroutine catches up at a time.
type aggregate struct {
	store     Store
	catalogs  map[string]*indicators.Catalog
	policy    model.RewardPolicy
	maxLevel  int
	now       func() time.Time
	rosterTTL time.Duration

	mu       sync.Mutex // held while catching up and building
	loading  atomic.Bool
	loaded   atomic.Int64
	snap     atomic.Pointer[snapshot]
	lastSeq  uint64
	lastRej  uint64
	lastExcl uint64

	reports    map[string]*entry
	replacedBy map[string]string
	ents       map[string]*entState
	views      map[string]*entView
	dirty      map[string]bool
	spot       map[string]*model.SpotCheckOutcome
	pending    map[string][]string // checked report ID -> spot-checks waiting for it
	rejections []platform.Rejection
	exclusions map[string][]platform.Exclusion
	roster     map[string]model.Enterprise
	rosterAt   time.Time
	tokens     []string
	problems   []string
	queue      []queued
	changed    bool
	// order is the views by batch and code, pos a code's place in it;
	// spotList the spot-check outcomes as the office reads them, made again
	// only when spotDirty.
	order     []*entView
	pos       map[string]int
	spotList  []model.SpotCheckOutcome
	spotDirty bool
}

func newAggregate(st Store, catalogs map[string]*indicators.Catalog, policy model.RewardPolicy, maxLevel int, now func() time.Time, rosterTTL time.Duration) *aggregate {
	return &aggregate{store: st, catalogs: catalogs, policy: policy, maxLevel: maxLevel, now: now, rosterTTL: rosterTTL,
		reports: map[string]*entry{}, replacedBy: map[string]string{}, ents: map[string]*entState{}, views: map[string]*entView{},
		dirty: map[string]bool{}, spot: map[string]*model.SpotCheckOutcome{}, pending: map[string][]string{},
		exclusions: map[string][]platform.Exclusion{}, roster: map[string]model.Enterprise{}, changed: true}
}

// current catches up with the store and returns the snapshot. While
// another request is loading a large backlog it returns *errLoading rather
// than wait.
func (a *aggregate) current() (*snapshot, error) {
	if !a.mu.TryLock() {
		if a.loading.Load() {
			return nil, &errLoading{Loaded: int(a.loaded.Load())}
		}
		a.mu.Lock()
	}
	defer a.mu.Unlock()
	if err := a.catchUp(); err != nil {
		return nil, err
	}
	if s := a.snap.Load(); s != nil && !a.changed {
		return s, nil
	}
	s := a.build()
	a.snap.Store(s)
	a.changed = false
	return s, nil
}

// catchUp reads what is new: reports, refusals, exclusions, tokens, and
// the roster when it is older than rosterTTL.
func (a *aggregate) catchUp() error {
	if a.snap.Load() == nil {
		a.loading.Store(true) // the first load: before the first read, which may be long
	}
	defer a.loading.Store(false)
	for {
		infos, err := a.store.ReportsAfter(a.lastSeq, pageSize)
		if err != nil {
			return fmt.Errorf("读取报告列表: %w", err)
		}
		if len(infos) == 0 {
			break
		}
		// Another request waits for a short catch-up, but not for the
		// first load or a long backlog: it is told to come back.
		if len(infos) == pageSize {
			a.loading.Store(true)
		}
		fetched, err := a.fetch(infos)
		if err != nil {
			return err
		}
		for i, info := range infos {
			a.add(info, fetched[i])
			a.lastSeq = info.Seq
			a.loaded.Add(1)
		}
		a.changed = true
		if len(infos) < pageSize {
			break
		}
	}
	if err := a.runComparisons(); err != nil {
		return err
	}
	rej, err := a.store.RejectionsAfter(a.lastRej, 0)
	if err != nil {
		return fmt.Errorf("读取拒收记录: %w", err)
	}
	if len(rej) > 0 {
		a.rejections = append(a.rejections, rej...)
		a.lastRej = rej[len(rej)-1].Seq
		a.changed = true
	}
	excl, err := a.store.ExclusionsAfter(a.lastExcl)
	if err != nil {
		return fmt.Errorf("读取不予支持情形记录: %w", err)
	}
	for _, x := range excl {
		a.exclusions[x.Enterprise] = append(a.exclusions[x.Enterprise], x)
		a.lastExcl = x.Seq
		a.dirty[x.Enterprise] = true
		a.changed = true
	}
	tokens, err := a.store.Tokens()
	if err != nil {
		return fmt.Errorf("读取令牌: %w", err)
	}
	names := map[string]bool{}
	for _, t := range tokens {
		if t.Role == platform.RoleProvider {
			names[t.Provider] = true
		}
	}
	list := make([]string, 0, len(names))
	for n := range names {
		list = append(list, n)
	}
	sort.Strings(list)
	if !slices.Equal(list, a.tokens) {
		a.tokens = list
		a.changed = true
	}
	if a.rosterAt.IsZero() || a.now().Sub(a.rosterAt) >= a.rosterTTL {
		return a.reloadRoster()
	}
	return nil
}

// reloadRoster reads the roster and marks the enterprises whose entry
// changed (or appeared, or went).
func (a *aggregate) reloadRoster() error {
	var list []model.Enterprise
	if err := a.store.EachRosterEnterprise(0, func(e model.Enterprise) error {
		list = append(list, e)
		return nil
	}); err != nil {
		return fmt.Errorf("读取企业名单: %w", err)
	}
	next := make(map[string]model.Enterprise, len(list))
	var changed []string
	for _, e := range list {
		next[e.Code] = e
		if old, ok := a.roster[e.Code]; !ok || !sameEnterprise(old, e) {
			changed = append(changed, e.Code)
		}
	}
	for code := range a.roster {
		if _, ok := next[code]; !ok {
			changed = append(changed, code)
		}
	}
	a.roster, a.rosterAt = next, a.now()
	for _, code := range changed {
		a.dirty[code] = true
		a.changed = true
		// The spot-checks' reward comparison reads the roster's revenue.
		if st := a.ents[code]; st != nil {
			for _, e := range st.reports {
				if e.Kind == model.KindSpotCheck && e.Problem == "" {
					a.compare(e)
				}
			}
		}
	}
	return a.runComparisons()
}

func sameEnterprise(a, b model.Enterprise) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// reportFacts is the part of a report document the aggregate reads that
// the store's record does not hold: the enterprise file the report carries.
// Kind, version, level, score, finalization time and the spot-check link
// come from the record (platform.RecordOf took them from the verified
// document). The platform verified every body before it accepted it, so
// the body is decoded here without checking its signature again.
type reportFacts struct {
	ID         string
	Enterprise model.Enterprise
}

// fetched is a report's facts, read and decoded ahead of add.
type fetched struct {
	facts reportFacts
	ok    bool
}

// fetchBatch is how many bodies one store read returns: one query on
// PostgreSQL instead of one per report, small enough that the batches
// spread over every core.
const fetchBatch = 64

// fetch reads and decodes the bodies of a page of reports on every core:
// reading and decoding is most of the cost of catching up, and each report
// is independent of the others. Bodies are read a batch at a time.
func (a *aggregate) fetch(infos []platform.Record) ([]fetched, error) {
	out := make([]fetched, len(infos))
	batches := (len(infos) + fetchBatch - 1) / fetchBatch
	errs := make([]error, batches)
	parallel(batches, func(b int) {
		page := infos[b*fetchBatch : min((b+1)*fetchBatch, len(infos))]
		ids := make([]string, len(page))
		for i, info := range page {
			ids[i] = info.ID
		}
		bodies, err := a.store.ReportBodies(ids)
		if err != nil {
			errs[b] = fmt.Errorf("读取报告 %s 起的 %d 份: %w", ids[0], len(ids), err)
			return
		}
		for i, body := range bodies {
			f := &out[b*fetchBatch+i]
			f.ok = decodeFacts(body, &f.facts) == nil && f.facts.ID == ids[i]
		}
	})
	return out, errors.Join(errs...)
}

// parallel runs fn(0..n-1) on GOMAXPROCS goroutines.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// add takes in one report: its facts, its place in its enterprise's chain
// and, for a spot-check or a report a spot-check waits for, a comparison
// to make (runComparisons makes them).
func (a *aggregate) add(info platform.Record, got fetched) {
	e := &entry{
		ProgrammeReport: model.ProgrammeReport{ID: info.ID, Seq: info.Seq, Kind: model.Kind(info.Kind), Version: info.Version,
			Replaces: info.Replaces, Provider: info.Provider, ReceivedAt: info.ReceivedAt},
		Enterprise: info.Enterprise, SHA256: info.SHA256, Size: info.Size, Source: info.Source, KeyFingerprint: platform.Fingerprint(info.PublicKey),
	}
	f := got.facts
	if !got.ok {
		e.Problem = "报告原文无法读取"
		a.problems = append(a.problems, fmt.Sprintf("报告 %s 的原文无法读取，未计入统计", info.ID))
	} else {
		e.Level, e.Score, e.FinalizedAt, e.Checks = info.Level, info.Score, info.FinalizedAt, info.CheckRef()
	}
	a.reports[e.ID] = e
	// The first revision of a version replaces it (the platform refuses a
	// second one); a revision may arrive before the version it replaces.
	if info.ReplacedBy != "" {
		a.replacedBy[e.ID] = info.ReplacedBy
	}
	if e.Replaces != "" && a.replacedBy[e.Replaces] == "" {
		a.replacedBy[e.Replaces] = e.ID
	}
	if r := a.reports[e.Replaces]; r != nil {
		a.dirty[r.Enterprise] = true
	}
	st := a.ents[e.Enterprise]
	if st == nil {
		st = &entState{code: e.Enterprise}
		a.ents[e.Enterprise] = st
	}
	st.reports = append(st.reports, e)
	if e.Problem == "" {
		if st.fileAt.IsZero() || !e.FinalizedAt.Before(st.fileAt) {
			st.file, st.fileAt = f.Enterprise, e.FinalizedAt
		}
		if f.Enterprise.Scale != "" && (st.firstScaleAt.IsZero() || e.FinalizedAt.Before(st.firstScaleAt)) {
			st.firstScale, st.firstScaleAt = f.Enterprise.Scale, e.FinalizedAt
		}
	}
	a.dirty[e.Enterprise] = true
	if e.Kind == model.KindSpotCheck {
		a.spotDirty = true // a new spot-check, or a revision that replaces one
	}
	if e.Kind == model.KindSpotCheck && e.Problem == "" {
		a.compare(e)
	}
	for _, id := range a.pending[e.ID] {
		a.compare(a.reports[id])
	}
	delete(a.pending, e.ID)
}

// compare decides what can be said of a spot-check now: when the platform
// holds exactly the report it checks, the comparison is queued for
// runComparisons; otherwise the outcome says why there is none.
func (a *aggregate) compare(spot *entry) {
	o := &model.SpotCheckOutcome{SpotCheck: spot.ID, Enterprise: spot.Enterprise, Inspector: spot.Provider, FinalizedAt: spot.FinalizedAt}
	a.spot[spot.ID] = o
	a.dirty[spot.Enterprise] = true
	a.spotDirty = true
	if spot.Checks == nil {
		o.Problem = "抽查报告没有关联被抽查的报告"
		return
	}
	o.Checked, o.Provider = spot.Checks.ID, spot.Checks.Org
	checked := a.reports[spot.Checks.ID]
	switch {
	case checked == nil:
		o.Problem = "被抽查的报告 " + spot.Checks.ID + " 尚未收到"
		a.pending[spot.Checks.ID] = append(a.pending[spot.Checks.ID], spot.ID)
		return
	case checked.SHA256 != spot.Checks.SHA256:
		o.Problem = fmt.Sprintf("平台上的报告 %s 校验值为 %s，抽查关联的是 %s：不是同一份报告", checked.ID, model.ShortHash(checked.SHA256), model.ShortHash(spot.Checks.SHA256))
		return
	}
	o.Provider = checked.Provider
	a.queue = append(a.queue, queued{spot: spot, checked: checked, revenue: a.revenue(spot.Enterprise)})
}

// queued is a comparison to make.
type queued struct {
	spot, checked *entry
	revenue       []model.YearRevenue
}

// runComparisons makes the queued comparisons on every core. As on the
// laptop, the reward part reads the current enterprise file's revenue: the
// roster's when the enterprise is on it (reloadRoster compares again when
// it changes), else the revenue the checked report carries.
func (a *aggregate) runComparisons() error {
	q := a.queue
	a.queue = nil
	results := make([]model.SpotCheckOutcome, len(q))
	errs := make([]error, len(q))
	parallel(len(q), func(i int) { results[i], errs[i] = a.outcome(q[i]) })
	for i, x := range q {
		cur := a.spot[x.spot.ID]
		switch {
		case cur == nil || cur.Checked != x.checked.ID:
		case errs[i] != nil:
			// A failed read is tried again at the next catch-up.
			cur.Problem = "读取报告失败，稍后重试"
			a.queue = append(a.queue, x)
		default:
			*cur = results[i]
		}
	}
	return errors.Join(errs...)
}

// outcome compares one spot-check with the report it checks. The bodies
// are the platform's, verified when they were accepted: they are decoded
// here, not verified again (the report pages verify what they show).
func (a *aggregate) outcome(x queued) (model.SpotCheckOutcome, error) {
	o := model.SpotCheckOutcome{SpotCheck: x.spot.ID, Enterprise: x.spot.Enterprise, Checked: x.checked.ID, Provider: x.checked.Provider,
		Inspector: x.spot.Provider, FinalizedAt: x.spot.FinalizedAt}
	var docs [2]model.ReportDocument
	for i, e := range []*entry{x.checked, x.spot} {
		body, err := a.store.ReportBody(e.ID)
		if err != nil {
			return o, fmt.Errorf("读取报告 %s: %w", e.ID, err)
		}
		if err := json.Unmarshal(body, &docs[i]); err != nil {
			o.Problem = "报告 " + e.ID + " 的原文无法读取"
			return o, nil
		}
	}
	cat, ok := a.catalogs[docs[0].Catalog.Hash]
	if !ok {
		o.Problem = "报告使用的指标目录不是平台认可的版本"
		return o, nil
	}
	cmp, err := model.CompareSpotCheck(model.SpotCheckInput{Catalog: cat, Checked: docs[0], CheckedSHA256: x.checked.SHA256,
		SpotCheck: docs[1], SpotCheckSHA256: x.spot.SHA256, Policy: a.policy,
		Reward: report.SpotCheckReward(a.policy, docs[0], x.revenue)})
	if err != nil {
		o.Problem = "无法对比: " + err.Error()
		return o, nil
	}
	return model.OutcomeOf(cmp), nil
}

// comparison builds the spot-check comparison of a stored spot-check body
// and the checked report, verified, for the comparison page.
func (a *aggregate) comparison(checkedID string, spotBody []byte, revenue []model.YearRevenue) (*report.SpotCheck, error) {
	_, checkedBody, err := a.store.Report(checkedID)
	if err != nil {
		return nil, err
	}
	checked, err := openReport(a.catalogs, checkedBody)
	if err != nil {
		return nil, err
	}
	spot, err := openReport(a.catalogs, spotBody)
	if err != nil {
		return nil, err
	}
	checked.Policy, spot.Policy = a.policy, a.policy
	if revenue != nil {
		checked.Revenue = revenue
	}
	return report.CompareSpotCheck(checked, spot)
}

// revenue is the roster's revenue of an enterprise, nil when it is not on
// the roster (the report's own is used then).
func (a *aggregate) revenue(code string) []model.YearRevenue {
	if e, ok := a.roster[code]; ok {
		return append([]model.YearRevenue{}, e.Revenue...)
	}
	return nil
}

// openReport prepares stored bytes for rendering with the catalog they name.
func openReport(catalogs map[string]*indicators.Catalog, body []byte) (*report.Report, error) {
	var head struct {
		Catalog model.CatalogRef `json:"catalog"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return nil, model.Errorf(model.ErrTampered, "报告不是有效的 JSON 文档")
	}
	cat, ok := catalogs[head.Catalog.Hash]
	if !ok {
		return nil, model.Errorf(model.ErrInvalid, "报告使用的指标目录 %s 不是平台认可的版本", model.ShortHash(head.Catalog.Hash))
	}
	return report.FromBytes(cat, body)
}

// build publishes a new snapshot: the enterprises that changed get a new
// view, the others keep theirs, and the figures are computed again.
func (a *aggregate) build() *snapshot {
	for code := range a.roster {
		if a.views[code] == nil {
			a.dirty[code] = true
		}
	}
	// The order (batch, code) changes only when an enterprise comes, goes
	// or changes batch; otherwise the changed views take their old places.
	reorder := a.order == nil
	for code := range a.dirty {
		old := a.views[code]
		v := a.view(code)
		switch {
		case v == nil:
			delete(a.views, code)
			reorder = reorder || old != nil
			continue
		case old == nil || old.Profile.Batch != v.Profile.Batch:
			reorder = true
		}
		a.views[code] = v
		if !reorder {
			a.order[a.pos[code]] = v
		}
	}
	clear(a.dirty)
	if reorder {
		a.order = a.order[:0]
		for _, v := range a.views {
			a.order = append(a.order, v)
		}
		sort.Slice(a.order, func(i, j int) bool { return enterpriseBefore(a.order[i].Profile, a.order[j].Profile) })
		a.pos = make(map[string]int, len(a.order))
		for i, v := range a.order {
			a.pos[v.Profile.Code] = i
		}
	}
	if a.spotDirty {
		list := make([]model.SpotCheckOutcome, 0, len(a.spot))
		for _, o := range a.spot {
			x := *o
			x.Current = a.replacedBy[x.SpotCheck] == ""
			list = append(list, x)
		}
		model.SortSpotChecks(list)
		a.spotList, a.spotDirty = list, false
	}
	s := &snapshot{seq: a.lastSeq, builtAt: a.now(), byCode: maps.Clone(a.views), enterprises: slices.Clone(a.order),
		reports: maps.Clone(a.reports), replacedBy: maps.Clone(a.replacedBy), policy: a.policy, spotChecks: a.spotList,
		rejections: a.rejections[:len(a.rejections):len(a.rejections)], problems: a.problems[:len(a.problems):len(a.problems)],
		exclusions: make(map[string][]platform.Exclusion, len(a.exclusions))}
	for k, v := range a.exclusions {
		s.exclusions[k] = v[:len(v):len(v)]
	}
	in := model.ProgrammeInput{Floor: a.policy.RewardFloor(), MaxLevel: a.maxLevel, Targets: a.policy.Targets,
		Providers: a.tokens, Rejected: map[string]int{}, SpotChecks: s.spotChecks}
	in.Enterprises = make([]model.ProgrammeEnterprise, len(s.enterprises))
	for i, v := range s.enterprises {
		in.Enterprises[i] = v.ProgrammeEnterprise
	}
	for _, r := range a.rejections {
		// An inspection unit's refusals are its own, not a provider's.
		if r.Role != platform.RoleProvider {
			continue
		}
		in.Rejected[r.Provider]++
	}
	s.programme = model.ComputeProgramme(in)
	for _, p := range s.programme.Providers {
		s.providers = append(s.providers, p.Provider)
	}
	return s
}

// enterpriseBefore orders enterprises by batch (unrecorded last), then
// credit code.
func enterpriseBefore(a, b model.Enterprise) bool {
	if a.Batch != b.Batch {
		if a.Batch == 0 || b.Batch == 0 {
			return b.Batch == 0
		}
		return a.Batch < b.Batch
	}
	return a.Code < b.Code
}

// view builds one enterprise's view from the roster and its reports; nil
// when it has neither.
func (a *aggregate) view(code string) *entView {
	st := a.ents[code]
	entry, onRoster := a.roster[code]
	if st == nil && !onRoster {
		return nil
	}
	v := &entView{}
	v.OnRoster = onRoster
	switch {
	case onRoster:
		v.Profile = entry
	case st != nil && !st.fileAt.IsZero():
		v.Profile = st.file
	default:
		v.Profile = model.Enterprise{Code: code}
	}
	if v.Profile.Name == "" && st != nil {
		v.Profile.Name = st.file.Name
	}
	if st != nil {
		v.FirstScale = st.firstScale
		v.Reports = make([]model.ProgrammeReport, 0, len(st.reports))
		for _, e := range st.reports {
			if e.Problem != "" {
				continue
			}
			r := e.ProgrammeReport
			r.ReplacedBy = a.replacedBy[e.ID]
			v.Reports = append(v.Reports, r)
		}
	}
	if hist := a.exclusions[code]; len(hist) > 0 {
		last := hist[len(hist)-1]
		v.Exclusions = last.Reasons
		v.Exclusion = &last
	}
	v.Status = v.ProgrammeEnterprise.Status()
	return v
}

// decodeFacts reads the facts of a stored report body: its ID and the
// enterprise file. Both are among the document's first members (format,
// id, version, ..., enterprise), so it stops reading there: decoding the
// whole 20-30 KB body for them was most of the first load's time (4 of
// 8.5 CPU seconds at 30,000 reports). Members before them are skipped as
// raw values, whatever their order.
func decodeFacts(body []byte, f *reportFacts) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return errNoFacts
	}
	var haveID, haveEnterprise bool
	for !(haveID && haveEnterprise) && dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case "id":
			err, haveID = dec.Decode(&f.ID), true
		case "enterprise":
			err, haveEnterprise = dec.Decode(&f.Enterprise), true
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return err
		}
	}
	if !(haveID && haveEnterprise) {
		return errNoFacts
	}
	return nil
}

var errNoFacts = errors.New("report body without id or enterprise")

// Seq is the last report the snapshot includes.
func (s *snapshot) Seq() uint64 { return s.seq }

// ReportCount is how many reports the snapshot includes.
func (s *snapshot) ReportCount() int { return len(s.reports) }

// BuiltAt is when the snapshot was made.
func (s *snapshot) BuiltAt() time.Time { return s.builtAt }
