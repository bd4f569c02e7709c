// Package webtest seeds a district platform for the dashboard's tests, its
// benchmark and the browser script: clearly synthetic enterprises
// ("合成企业 00001") in three batches, served by a few providers, with
// signed baseline and acceptance reports, revisions and spot-checks, stored
// through the platform's own Put exactly as uploads are. The same options
// give the same platform.
package webtest

import (
	"crypto/ed25519"
	"fmt"
	"math/big"
	"math/rand"
	"sort"
	"time"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage/platform"
	"digilevel/sync/server"
)

// Options say what to seed.
type Options struct {
	// Enterprises to create (each gets a baseline; most an acceptance).
	Enterprises int
	// Providers serve the enterprises in turn (default: four providers).
	Providers []string
	// Inspector is the spot-checking organisation.
	Inspector string
	// SpotCheckEvery: one accepted enterprise in n, drawn at random, is
	// spot-checked (0: none).
	SpotCheckEvery int
	// RevisionPercent of baselines and of acceptances are revised once
	// (default 5).
	RevisionPercent int
	// Seed makes the data (and IDs, keys) reproducible.
	Seed int64
	// Start is the time of the first baseline (default 2025-12-01, Beijing).
	Start time.Time
	// Name, when set, names enterprise i (hostile-name tests).
	Name func(i int) string
}

// DefaultProviders are the four providers of the seeded platform.
var DefaultProviders = []string{"河南甲数字科技有限公司", "新乡乙智能制造服务有限公司", "郑州丙工业互联网有限公司", "洛阳丁信息技术有限公司"}

// DefaultInspector is the seeded spot-checking organisation.
const DefaultInspector = "经开区数字化转型抽查组"

// Result describes what was seeded.
type Result struct {
	// Enterprises are the enterprise files as their latest report carries
	// them (a 规下 enterprise may have become 规上 by its acceptance).
	Enterprises []model.Enterprise
	Reports     int
	SpotChecks  int
	Revisions   int
	// Keys are the signing keys by organisation (providers and inspector).
	Keys map[string]ed25519.PrivateKey
}

// Seed writes the platform. Reports go through st.Put in acceptance order.
func Seed(st server.Store, o Options) (Result, error) {
	if len(o.Providers) == 0 {
		o.Providers = DefaultProviders
	}
	if o.Inspector == "" {
		o.Inspector = DefaultInspector
	}
	if o.RevisionPercent == 0 {
		o.RevisionPercent = 5
	}
	if o.Start.IsZero() {
		o.Start = time.Date(2025, 12, 1, 9, 0, 0, 0, time.FixedZone("UTC+8", 8*3600))
	}
	m, err := NewMaker(o.Seed)
	if err != nil {
		return Result{}, err
	}
	res := Result{Keys: m.keys}
	var pending []item
	for i := range o.Enterprises {
		e, err := Enterprise(i, o, m.rng)
		if err != nil {
			return res, err
		}
		items, err := m.enterpriseReports(o, e, i)
		if err != nil {
			return res, err
		}
		res.Enterprises = append(res.Enterprises, items[len(items)-1].doc.Enterprise)
		pending = append(pending, items...)
	}
	// Accept in the order the reports were finalized, as uploads would arrive.
	sortItems(pending)
	for _, it := range pending {
		if err := put(st, it); err != nil {
			return res, err
		}
		res.Reports++
		switch {
		case it.doc.Kind == model.KindSpotCheck:
			res.SpotChecks++
		case it.doc.Replaces != "":
			res.Revisions++
		}
	}
	return res, nil
}

// Enterprise is the i-th synthetic enterprise file.
func Enterprise(i int, o Options, rng *rand.Rand) (model.Enterprise, error) {
	code, err := model.SyntheticCreditCode(i)
	if err != nil {
		return model.Enterprise{}, err
	}
	name := fmt.Sprintf("合成企业 %05d", i+1)
	if o.Name != nil {
		name = o.Name(i)
	}
	e := model.Enterprise{Code: code, Name: name, Industry: "合成数据", Batch: 1 + i%3,
		Scale: model.ScaleAbove, ZJTX: model.ZJTXNone, Provider: o.Providers[i%len(o.Providers)]}
	switch r := rng.Intn(100); {
	case r < 15:
		e.ZJTX = model.ZJTXProvincial
	case r < 20:
		e.ZJTX = model.ZJTXNational
	}
	if rng.Intn(10) < 3 {
		e.Scale = model.ScaleBelow
	}
	e.SmartFactory = e.ZJTX.IsZJTX() && rng.Intn(3) == 0
	base := 1500 + rng.Intn(20000)
	e.Revenue = []model.YearRevenue{
		{Year: 2025, Wan: model.Decimal(fmt.Sprint(base))},
		{Year: 2026, Wan: model.Decimal(fmt.Sprint(base + rng.Intn(base/5+1)))},
	}
	return e, nil
}

// Maker signs reports of a chosen level for hand-made platforms.
type Maker struct {
	cat    *indicators.Catalog
	pl     *indicators.Planning
	levels [][]model.AnswerSet
	rng    *rand.Rand
	keys   map[string]ed25519.PrivateKey
}

// NewMaker prepares answer sets of every level and signing keys.
func NewMaker(seed int64) (*Maker, error) {
	cat, err := indicators.Embedded(indicators.DefaultEdition)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewSource(seed))
	levels, err := LevelTemplates(cat, rng)
	if err != nil {
		return nil, err
	}
	pl, err := indicators.EmbeddedPlanning(cat)
	if err != nil {
		return nil, err
	}
	return &Maker{cat: cat, pl: pl, levels: levels, rng: rng, keys: map[string]ed25519.PrivateKey{}}, nil
}

// Key is the signing key of an organisation (one per organisation).
func (m *Maker) Key(org string) ed25519.PrivateKey {
	if k, ok := m.keys[org]; ok {
		return k
	}
	seed := make([]byte, ed25519.SeedSize)
	m.rng.Read(seed)
	m.keys[org] = ed25519.NewKeyFromSeed(seed)
	return m.keys[org]
}

// Report signs a finalized report of kind and level by org, finalized at
// at, for enterprise e; checks links a spot-check, replaces makes a revision.
func (m *Maker) Report(kind model.Kind, level int, org string, at time.Time, e model.Enterprise, checks *model.CheckRef, replaces *model.ReportDocument) (model.ReportDocument, []byte, error) {
	answers := m.levels[level][m.rng.Intn(len(m.levels[level]))]
	it, err := build(m.cat, m.pl, kind, answers, org, at, e, checks, replaces, m.Key(org), m.rng)
	return it.doc, it.body, err
}

// Put stores a signed report on the platform as an upload would.
func Put(st server.Store, body []byte) error {
	doc, err := model.VerifyReport(body)
	if err != nil {
		return err
	}
	return put(st, item{doc: doc, body: body})
}

// item is one report to store.
type item struct {
	doc  model.ReportDocument
	body []byte
	at   time.Time
}

func sortItems(items []item) {
	// Insertion order is per enterprise; a stable sort by time interleaves them.
	sortStable(items, func(a, b item) bool { return a.at.Before(b.at) })
}

// enterpriseReports makes one enterprise's reports: a baseline (sometimes
// revised), usually an acceptance some months later with a level at least
// the baseline's, and for some a spot-check that agrees or not.
func (m *Maker) enterpriseReports(o Options, e model.Enterprise, i int) ([]item, error) {
	cat, rng := m.cat, m.rng
	provider := e.Provider
	batchStart := o.Start.AddDate(0, 3*(e.Batch-1), 0)
	t := batchStart.Add(time.Duration(rng.Intn(40*24)) * time.Hour)
	baseLevel := []int{0, 1, 1, 1, 2, 2}[rng.Intn(6)]
	var out []item
	mk := func(kind model.Kind, level int, org string, at time.Time, ent model.Enterprise, checks *model.CheckRef, replaces *model.ReportDocument) (item, error) {
		answers := m.levels[level][rng.Intn(len(m.levels[level]))]
		return build(cat, m.pl, kind, answers, org, at, ent, checks, replaces, m.Key(org), rng)
	}
	b, err := mk(model.KindBaseline, baseLevel, provider, t, e, nil, nil)
	if err != nil {
		return nil, err
	}
	out = append(out, b)
	if rng.Intn(100) < o.RevisionPercent { // a corrected baseline, a few days later
		rev, err := mk(model.KindBaseline, baseLevel, provider, t.Add(72*time.Hour), e, nil, &b.doc)
		if err != nil {
			return nil, err
		}
		out = append(out, rev)
	}
	if rng.Intn(10) < 3 { // still in retrofit
		return out, nil
	}
	gain := []int{0, 1, 1, 1, 2, 2}[rng.Intn(6)]
	accLevel := min(baseLevel+gain, cat.MaxLevel())
	after := e
	if e.Scale == model.ScaleBelow && rng.Intn(3) == 0 { // 小升规 during the retrofit
		after.Scale = model.ScaleAbove
	}
	last, _ := e.RevenueIn(2026)
	grown := last.Rat()
	grown.Mul(grown, big.NewRat(int64(100+rng.Intn(35)), 100))
	after.Revenue = append(append([]model.YearRevenue{}, e.Revenue...), model.YearRevenue{Year: 2027, Wan: model.DecimalFromRat(grown, 0)})
	accAt := t.Add(time.Duration(45+rng.Intn(55)) * 24 * time.Hour)
	a, err := mk(model.KindAcceptance, accLevel, provider, accAt, after, nil, nil)
	if err != nil {
		return nil, err
	}
	out = append(out, a)
	if rng.Intn(100) < o.RevisionPercent { // a corrected acceptance
		rev, err := mk(model.KindAcceptance, accLevel, provider, accAt.Add(48*time.Hour), after, nil, &a.doc)
		if err != nil {
			return nil, err
		}
		out = append(out, rev)
		a = rev
	}
	if o.SpotCheckEvery > 0 && rng.Intn(o.SpotCheckEvery) == 0 {
		spotLevel := accLevel
		switch r := rng.Intn(10); {
		case r < 2 && accLevel > 0:
			spotLevel = accLevel - 1
		case r < 3 && accLevel < cat.MaxLevel():
			spotLevel = accLevel + 1
		}
		ref := &model.CheckRef{ID: a.doc.ID, SHA256: model.HashReport(a.body), Kind: model.KindAcceptance, Org: provider, Blind: true}
		s, err := mk(model.KindSpotCheck, spotLevel, o.Inspector, accAt.Add(time.Duration(7+rng.Intn(14))*24*time.Hour), after, ref, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// build signs one report document.
func build(cat *indicators.Catalog, pl *indicators.Planning, kind model.Kind, answers model.AnswerSet, org string, at time.Time, e model.Enterprise, checks *model.CheckRef, replaces *model.ReportDocument, key ed25519.PrivateKey, rng *rand.Rand) (item, error) {
	id, err := model.NewID(at, rng)
	if err != nil {
		return item{}, err
	}
	a, err := model.NewAssessment(model.NewAssessmentOptions{ID: id, Enterprise: e.Code, Kind: kind, Catalog: cat, Checks: checks,
		Assessor: model.Assessor{Org: org, Person: "合成评测员"}, Device: "seed-" + org, Now: at.Add(-2 * time.Hour)})
	if err != nil {
		return item{}, err
	}
	a.Answers = answers.Clone()
	if replaces != nil {
		a.Version, a.Replaces, a.RevisionReason = replaces.Version+1, replaces.ID, "更正笔误"
	}
	body, _, err := a.Finalize(cat, pl, e, key, model.Change{Who: "seed", Now: at})
	if err != nil {
		return item{}, fmt.Errorf("seed %s: %w", kind, err)
	}
	doc, err := model.VerifyReport(body)
	if err != nil {
		return item{}, err
	}
	return item{doc: doc, body: body, at: at}, nil
}

// put stores one report as the server's accept would.
func put(st server.Store, it item) error {
	d := it.doc
	rec := platform.RecordOf(d, model.HashReport(it.body), len(it.body))
	rec.Source = platform.SourceAPI
	res, err := st.Put(platform.Submission{Record: rec, Body: it.body})
	if err != nil {
		return err
	}
	if res.Outcome != platform.Created {
		return fmt.Errorf("seed report %s: outcome %d %s", d.ID, res.Outcome, res.Reason)
	}
	return nil
}

// LevelTemplates finds complete answer sets of every level (index = level,
// several each), by scoring random answer sets drawn at every quality.
func LevelTemplates(cat *indicators.Catalog, rng *rand.Rand) ([][]model.AnswerSet, error) {
	const want = 3
	out := make([][]model.AnswerSet, cat.MaxLevel()+1)
	qs := cat.DefaultQuestionnaire().Questions()
	for try := 0; try < 20000; try++ {
		quality := rng.Float64()
		a := model.NewAnswerSet(cat)
		for _, q := range qs {
			best := 0
			for i, opt := range q.Options {
				if opt.Score > q.Options[best].Score {
					best = i
				}
			}
			pick := rng.Intn(len(q.Options))
			good := rng.Float64() < quality
			if good {
				pick = best
			}
			a.Answers[q.ID] = []string{q.Options[pick].ID}
			if q.Type == indicators.Multi && good {
				// Every option but 「无」: the question's full points.
				var all []string
				for _, opt := range q.Options {
					if !opt.None {
						all = append(all, opt.ID)
					}
				}
				a.Answers[q.ID] = all
			}
		}
		for _, s := range cat.Scenarios {
			r := int(quality*float64(cat.MaxLevel()) + rng.Float64()*1.5 - 0.5)
			a.Scenarios[s.ID] = model.ScenarioRating(min(max(r, 0), cat.MaxLevel()))
		}
		res, err := model.Score(cat, a)
		if err != nil {
			return nil, err
		}
		if len(res.Missing) > 0 || len(out[res.Level]) >= want {
			continue
		}
		out[res.Level] = append(out[res.Level], a)
		done := true
		for _, l := range out {
			done = done && len(l) >= want
		}
		if done {
			return out, nil
		}
	}
	for l, list := range out {
		if len(list) == 0 {
			return nil, fmt.Errorf("no answer set of level %d found", l)
		}
	}
	return out, nil
}

func sortStable(items []item, less func(a, b item) bool) {
	sort.SliceStable(items, func(i, j int) bool { return less(items[i], items[j]) })
}

// Roster is a district roster for a seeded platform: every seeded
// enterprise but every seventh (those are known from their reports only), and
// extra enterprises after them with no report yet (未诊断).
func Roster(res Result, extra int, o Options) ([]model.Enterprise, error) {
	if len(o.Providers) == 0 {
		o.Providers = DefaultProviders
	}
	var out []model.Enterprise
	for i, e := range res.Enterprises {
		if i%7 != 6 {
			out = append(out, e)
		}
	}
	rng := rand.New(rand.NewSource(o.Seed + 1))
	for i := range extra {
		e, err := Enterprise(len(res.Enterprises)+i, o, rng)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}
