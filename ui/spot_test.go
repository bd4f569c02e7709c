package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"
)

// The spot-check screens of issue 11 (抽查): pulled reports, starting a
// blind spot-check, the comparison, the audit view; on real stores. The
// pulls themselves (platform and bundle, through sync/client) are driven
// in cmd/digilevel, where the command wires the client.

// inspectorIdentity is who the inspector's laptop rates as.
var inspectorIdentity = model.Assessor{Org: "经开区数字化转型办公室", Person: "赵抽查"}

const providerOrg = "河南智造数字服务有限公司"

// spotStage is how far the inspector's fixture has come.
type spotStage int

const (
	stagePulled    spotStage = iota // the reports are pulled, nothing started: sealed
	stageDraft                      // a blind spot-check in draft: still sealed
	stageFinalized                  // the spot-check finalized: the comparison is open
)

// spotFixture is an inspector's laptop with a provider's acceptance report
// of one enterprise pulled from the platform in two versions (v2 revised
// with a reason) and a baseline report of another enterprise pulled from a
// bundle.
type spotFixture struct {
	db        *storage.DB
	code      string // the enterprise with the acceptance chain
	other     string // the enterprise with the baseline
	v1, v2    string // the acceptance reports
	baseline  string
	spot      string // the spot-check of v2, from stageDraft on
	providerV []byte // v2's bytes
	// repl maps what differs from run to run (random IDs and device IDs,
	// the hashes of reports signed with random keys) to placeholders of
	// the same width: see stable.
	repl map[string]string
}

// stable replaces the run's random IDs, device IDs and report hashes with
// fixed placeholders of the same width, so goldens do not change from run
// to run and the layout is the one drawn.
func (f spotFixture) stable(v string) string {
	for from, to := range f.repl {
		v = strings.ReplaceAll(v, from, to)
	}
	for from, to := range f.repl {
		if len(from) == 64 { // a report hash, also shown short
			v = strings.ReplaceAll(v, model.ShortHash(from), model.ShortHash(to))
		}
	}
	return v
}

// placeholder names the n-th value of a kind at the width of the original.
func placeholder(orig, kind string, n int) string {
	p := fmt.Sprintf("%s%d", kind, n)
	return p + strings.Repeat("0", max(len(orig)-len(p), 0))
}

func newSpotFixture(t testing.TB, stage spotStage) spotFixture {
	t.Helper()
	provider, err := storage.Open(filepath.Join(t.TempDir(), "provider.db"),
		storage.Options{Now: func() time.Time { return fixedNow().Add(-48 * time.Hour) }, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer provider.Close()
	c := model.Change{Who: "李工"}
	as := model.Assessor{Org: providerOrg, Person: "李工"}
	f := spotFixture{code: creditCode(t, "91410700MA45RPC1K"), other: creditCode(t, "91410700MA46RPC2L")}
	// Revenue of the rating year and the next: the reward on each level can be estimated.
	e := model.Enterprise{Code: f.code, Name: "新乡市华瑞精密机械有限公司", Industry: "通用设备制造业", Scale: model.ScaleAbove,
		ZJTX: model.ZJTXProvincial, Batch: 1, Provider: providerOrg,
		Revenue: []model.YearRevenue{{Year: 2026, Wan: "6000"}, {Year: 2027, Wan: "6800"}}}
	e2 := model.Enterprise{Code: f.other, Name: "河南省卫辉食品有限公司", Industry: "食品制造业", Scale: model.ScaleBelow, Batch: 2, Provider: providerOrg}
	for _, e := range []model.Enterprise{e, e2} {
		if _, err := provider.CreateEnterprise(e, c); err != nil {
			t.Fatal(err)
		}
	}
	a, err := provider.CreateAssessment(storage.NewAssessment{Enterprise: f.code, Kind: model.KindAcceptance, Assessor: as}, c)
	if err != nil {
		t.Fatal(err)
	}
	answerAllAs(t, provider, a.ID, "李工")
	// The provider's numbers for Q02 imply D, the answer is the best: a
	// contradiction on the provider's side; evidence on Q01 on its side only.
	if _, err := provider.SaveNumbers(a.ID, "Q02", map[string]model.Decimal{"total_devices": "120", "digital_devices": "66"}, c); err != nil {
		t.Fatal(err)
	}
	if _, err := provider.AddEvidence(a.ID, "Q01", storage.EvidenceFile{Path: "/现场/网络拓扑.jpg", Data: []byte("拓扑图")}, c); err != nil {
		t.Fatal(err)
	}
	if _, err := provider.Finalize(a.ID, c); err != nil {
		t.Fatal(err)
	}
	v2, err := provider.Revise(a.ID, "补充现场照片后更正备注", c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provider.Finalize(v2.ID, c); err != nil {
		t.Fatal(err)
	}
	b, err := provider.CreateAssessment(storage.NewAssessment{Enterprise: f.other, Kind: model.KindBaseline, Assessor: as}, c)
	if err != nil {
		t.Fatal(err)
	}
	answerAllAs(t, provider, b.ID, "李工")
	if _, err := provider.Finalize(b.ID, c); err != nil {
		t.Fatal(err)
	}
	f.v1, f.v2, f.baseline = a.ID, v2.ID, b.ID
	f.repl = map[string]string{a.ID: placeholder(a.ID, "01JPROVIDERV", 1), v2.ID: placeholder(v2.ID, "01JPROVIDERV", 2),
		b.ID: placeholder(b.ID, "01JPROVIDERB", 1)}

	db, _ := newBareDB(t)
	if err := db.SetIdentity(inspectorIdentity); err != nil {
		t.Fatal(err)
	}
	f.db = db
	ic := model.Change{Who: inspectorIdentity.Person}
	for i, id := range []string{f.v1, f.v2, f.baseline} {
		body, err := provider.StoredReport(id)
		if err != nil {
			t.Fatal(err)
		}
		origin := model.PullOrigin{Source: model.SourcePlatform, Server: "https://pingtai.xinxiang.example", ServerSeq: uint64(11 + i),
			ReceivedAt: fixedNow().Add(-24 * time.Hour), Provider: providerOrg}
		if id == f.baseline {
			origin = model.PullOrigin{Source: model.SourceBundle, Bundle: model.HashReport([]byte("数据包")), BundleDevice: "DEV-PROVIDER"}
		}
		out, err := db.StorePulled(body, origin, ic)
		if err != nil {
			t.Fatal(err)
		}
		f.repl[out.Report.SHA256] = placeholder(out.Report.SHA256, "abcdef", i+1)
		f.repl[out.Report.Device] = placeholder(out.Report.Device, "DEV-PROVIDER", 1)
		if id == f.v2 {
			f.providerV = body
		}
	}
	if stage == stagePulled {
		return f
	}
	s, err := db.CreateAssessment(storage.NewAssessment{Kind: model.KindSpotCheck, Checks: f.v2, Assessor: inspectorIdentity}, ic)
	if err != nil {
		t.Fatal(err)
	}
	f.spot = s.ID
	f.repl[s.ID] = placeholder(s.ID, "01JSPOTCHECK", 1)
	f.repl[s.Device] = placeholder(s.Device, "DEV-INSPECTOR", 1)
	if stage == stageDraft {
		return f
	}
	rateLower(t, db, s.ID)
	s, err = db.Finalize(s.ID, ic)
	if err != nil {
		t.Fatal(err)
	}
	f.repl[s.ReportSHA256] = placeholder(s.ReportSHA256, "fedcba", 1)
	return f
}

// rateLower answers as answerAll does, except two questions lower, and
// rates every scenario 一级: the level falls below 二级.
func rateLower(t testing.TB, db *storage.DB, id string) {
	t.Helper()
	answerAllAs(t, db, id, inspectorIdentity.Person)
	c := model.Change{Who: inspectorIdentity.Person}
	for _, qa := range [][2]string{{"Q02", "C"}, {"Q05", "A"}} {
		if _, err := db.SaveAnswer(id, qa[0], []string{qa[1]}, c); err != nil {
			t.Fatal(err)
		}
	}
	cat, _ := indicators.Embedded(indicators.DefaultEdition)
	for _, s := range cat.Scenarios {
		if _, err := db.SaveRating(id, s.ID, 1, c); err != nil {
			t.Fatal(err)
		}
	}
}

// spotCase is one spot-check screen and how to reach it.
type spotCase struct {
	name  string
	stage spotStage
	keys  []string
	// held: a finalized report of this laptop was refused for its token.
	held bool
}

var spotScreens = []spotCase{
	{name: "spot_list_sealed", keys: []string{"p"}},
	{name: "spot_confirm_start", keys: []string{"p", "enter"}},
	{name: "spot_pull_bundle", keys: []string{"p", "b"}},
	{name: "spot_list_draft", stage: stageDraft, keys: []string{"p"}},
	{name: "spot_review_draft", stage: stageDraft, keys: []string{"p", "enter", "r", "c"}},
	{name: "spot_list_checked", stage: stageFinalized, keys: []string{"p"}},
	{name: "compare", stage: stageFinalized, keys: []string{"p", "enter"}},
	{name: "compare_questions", stage: stageFinalized, keys: []string{"p", "enter", "pgdown"}},
	{name: "compare_only_diff", stage: stageFinalized, keys: []string{"p", "enter", "d", "pgdown"}},
	{name: "audit", stage: stageFinalized, keys: []string{"p", "enter", "a"}},
	{name: "audit_spotchecks", stage: stageFinalized, keys: []string{"p", "enter", "a", "pgdown"}},
	{name: "sync_held", held: true, keys: []string{"y"}},
}

// TestSpotScreens renders the spot-check screens at 80x24 and 120x40 with
// real content: the comparison stacked at 80 columns and side by side at
// 120 (go test ./ui -update rewrites the goldens; TestGoldensCutNothing
// checks them too).
func TestSpotScreens(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		for _, sc := range spotScreens {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, size.w, size.h), func(t *testing.T) {
				v := renderSpot(t, sc, size.w, size.h)
				checkFrame(t, v, size.w, size.h)
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}

// TestSpotScreensNoColor: the same at 80x24 under NO_COLOR, where the
// severity must show by its mark (!!, !) and border alone.
func TestSpotScreensNoColor(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	lipgloss.SetColorProfile(termenv.EnvColorProfile())
	for _, sc := range spotScreens {
		t.Run(sc.name, func(t *testing.T) {
			v := renderSpot(t, sc, 80, 24)
			if strings.Contains(v, "\x1b") {
				t.Fatalf("escape sequences under NO_COLOR:\n%q", v)
			}
			golden.RequireEqual(t, []byte(v))
		})
	}
}

func renderSpot(t *testing.T, sc spotCase, w, h int) string {
	t.Helper()
	st, stable := spotStore(t, sc)
	d := testDeps(st)
	d.Platform = &fakePlatform{status: PlatformStatus{Server: "https://pingtai.xinxiang.example/", HasToken: true}}
	d.Puller = &recordingPuller{}
	hs := newHarness(t, d, w, h)
	hs.keys(sc.keys...)
	return stable(hs.view())
}

// spotStore is the store a case starts from and how its view is made stable.
func spotStore(t *testing.T, sc spotCase) (Store, func(string) string) {
	t.Helper()
	if sc.held {
		fx := newFixture(t, true)
		reason := "报告的评测机构与令牌的服务商不符（HTTP 403）。处理办法: 如报告属于其他服务商，请用该服务商的令牌发送（digilevel sync --token -）；如评测机构填错，请更正设置（digilevel config --assessor-org）后修订报告（digilevel assessment revise）"
		if err := fx.db.MarkHeld(fx.complete, reason, "0123456789abcdef", model.Change{Who: "同步"}); err != nil {
			t.Fatal(err)
		}
		return fx.db, func(s string) string { return s }
	}
	f := newSpotFixture(t, sc.stage)
	return f.db, f.stable
}

// TestSpotComparisonIsTheModelsResult: what the comparison screen shows
// is report.CompareSpotCheck's Doc: its headline, both reward amounts and
// every differing question.
func TestSpotComparisonIsTheModelsResult(t *testing.T) {
	f := newSpotFixture(t, stageFinalized)
	msg := compareCmd(f.db, f.spot)().(comparedMsg)
	if msg.err != nil {
		t.Fatal(msg.err)
	}
	d := msg.doc
	if d.Severity != model.SeverityCritical || !d.Level.CrossesFloor || !d.Reward.Changed || d.Checked.ID != f.v2 || d.SpotCheck.ID != f.spot {
		t.Fatalf("comparison %s %+v %+v", d.Severity, d.Level, d.Reward)
	}
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		h := newHarness(t, testDeps(f.db), size.w, size.h)
		h.keys("p", "enter")
		var all strings.Builder
		for range 30 {
			all.WriteString(h.view())
			h.keys("pgdown")
		}
		// The text without borders, marks and line breaks.
		text := strings.Map(func(r rune) rune {
			if r >= 0x2500 && r <= 0x257F || r == '!' {
				return -1
			}
			return r
		}, strings.Join(strings.Fields(all.String()), ""))
		for _, want := range []string{d.Headline, d.Reward.Checked.Summary, d.Reward.SpotCheck.Summary, "Q02", "Q05", d.Checked.SHA256, d.SpotCheck.SHA256} {
			if !strings.Contains(text, strings.Join(strings.Fields(Display(want)), "")) {
				t.Errorf("%dx%d: the screens never show %q", size.w, size.h, want)
			}
		}
	}
}

// TestSpotStartBlind starts a spot-check from the list: it is linked to
// the pulled report, signed by the inspector, blind; the list then says
// it is in progress and the provider's level stays hidden.
func TestSpotStartBlind(t *testing.T) {
	f := newSpotFixture(t, stagePulled)
	h := newHarness(t, testDeps(f.db), 80, 24)
	h.keys("p")
	if v := h.view(); !strings.Contains(v, "盲评中") || strings.Contains(v, "二级") {
		t.Fatalf("sealed list shows a level:\n%s", v)
	}
	h.keys("enter", "y")
	if v := h.view(); !strings.Contains(v, "第 1/15 题") || !strings.Contains(v, "抽查") {
		t.Fatalf("after 开始抽查:\n%s", v)
	}
	list, err := f.db.Assessments(f.code)
	if err != nil || len(list) != 1 {
		t.Fatalf("assessments %v %v", list, err)
	}
	s := list[0]
	if s.Kind != model.KindSpotCheck || s.Checks == nil || s.Checks.ID != f.v2 || !s.Checks.Blind || s.Assessor != inspectorIdentity {
		t.Fatalf("spot-check %+v checks %+v", s, s.Checks)
	}
	h.keys("esc", "p")
	if v := h.view(); !strings.Contains(v, "抽查中（草稿）") || strings.Contains(v, "二级") {
		t.Errorf("list during the blind draft:\n%s", v)
	}
}

// Bad inputs on the spot-check screens: each a clear Chinese message and
// nothing stored.
func TestSpotBadInputs(t *testing.T) {
	t.Run("a revised version", func(t *testing.T) {
		f := newSpotFixture(t, stagePulled)
		h := newHarness(t, testDeps(f.db), 80, 24)
		h.keys("p", "up", "up", "up") // to v1 of the acceptance chain
		if v := h.view(); !strings.Contains(v, "修订前的版本") {
			t.Fatalf("cursor not on v1:\n%s", v)
		}
		h.keys("enter", "y")
		if v := h.view(); !strings.Contains(strings.ReplaceAll(v, "\n", ""), "已被修订为 "+f.v2) {
			t.Errorf("no reason:\n%s", v)
		}
		requireNoAssessments(t, f.db, f.code)
	})
	t.Run("compare a blind draft", func(t *testing.T) {
		f := newSpotFixture(t, stageDraft)
		h := newHarness(t, testDeps(f.db), 80, 24)
		h.keys("p", "enter", "r", "c")
		v := strings.ReplaceAll(h.view(), "\n", "")
		if !strings.Contains(v, "是盲评，尚未定稿") || strings.Contains(v, "抽查对比 ・") {
			t.Errorf("comparison of a blind draft:\n%s", h.view())
		}
		if _, err := f.db.SpotCheckPair(f.spot); !errors.Is(err, model.ErrState) {
			t.Errorf("pair %v", err)
		}
	})
	t.Run("bad credit code", func(t *testing.T) {
		f := newSpotFixture(t, stagePulled)
		d := testDeps(f.db)
		p := &recordingPuller{}
		d.Puller = p
		h := newHarness(t, d, 80, 24)
		h.keys("p", "b", "/tmp/数据包.zip", "tab", "91410700MA0000001X", "enter")
		if v := h.view(); !strings.Contains(strings.ReplaceAll(v, "\n", ""), "统一社会信用代码「91410700MA0000001X」无效") || p.calls != 0 {
			t.Errorf("bad code: %d calls\n%s", p.calls, v)
		}
	})
	t.Run("platform not configured", func(t *testing.T) {
		f := newSpotFixture(t, stagePulled)
		d := testDeps(f.db)
		p := &recordingPuller{}
		d.Puller = p
		h := newHarness(t, d, 80, 24)
		h.keys("p", "g")
		if v := strings.ReplaceAll(h.view(), "\n", ""); !strings.Contains(v, "尚未设置平台地址或访问令牌") || p.calls != 0 {
			t.Errorf("not configured: %d calls\n%s", p.calls, h.view())
		}
	})
}

func requireNoAssessments(t *testing.T, db *storage.DB, code string) {
	t.Helper()
	if list, err := db.Assessments(code); err != nil || len(list) != 0 {
		t.Errorf("stored %d assessments (%v), want none", len(list), err)
	}
}

// TestKindPickerOffersNoUnlinkedSpotCheck: the kind picker's spot-check
// line leads to the pulled reports, never to a draft of its own; the
// store refuses an unlinked one too.
func TestKindPickerOffersNoUnlinkedSpotCheck(t *testing.T) {
	fx := newFixture(t, false)
	h := newHarness(t, testDeps(fx.db), 80, 24)
	h.keys("/", "牧野", "enter", "n", "down", "down", "enter")
	if v := h.view(); !strings.Contains(v, "拉取的服务商报告") || !strings.Contains(v, "本机还没有拉取") {
		t.Fatalf("the picker's 抽查:\n%s", v)
	}
	requireNoAssessments(t, fx.db, fx.codeE3)
	_, err := fx.db.CreateAssessment(storage.NewAssessment{Enterprise: fx.codeE3, Kind: model.KindSpotCheck}, model.Change{Who: "x"})
	if !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "抽查须关联被抽查的报告") {
		t.Errorf("unlinked spot-check: %v", err)
	}
}

// recordingPuller counts calls; it pulls nothing (the real pulls are
// tested with sync/client in cmd/digilevel).
type recordingPuller struct{ calls int }

func (p *recordingPuller) PullPlatform(ctx context.Context, codes []string, who string) (PullResult, error) {
	p.calls++
	return PullResult{}, nil
}

func (p *recordingPuller) PullBundle(string, []string, model.Change) (PullResult, error) {
	p.calls++
	return PullResult{}, nil
}

// hostileSpotStore returns pulled reports and audit trails whose text is
// the fuzzer's (a tampered database, a report that slipped past the text
// rule).
type hostileSpotStore struct {
	Store
	text string
}

func (s hostileSpotStore) PulledReports(code string) ([]storage.PulledInfo, error) {
	list, err := s.Store.PulledReports(code)
	for i := range list {
		p := &list[i]
		p.EnterpriseName += s.text
		p.Assessor = model.Assessor{Org: s.text, Person: s.text}
		p.RevisionReason, p.Origin.Server = s.text, "https://x/"+s.text
	}
	return list, err
}

func (s hostileSpotStore) AuditTrail(id string) (storage.AuditTrail, error) {
	t, err := s.Store.AuditTrail(id)
	t.Enterprise.Name += s.text
	for _, l := range [][]storage.TrailVersion{t.Versions, t.SpotChecks} {
		for i := range l {
			v := &l[i]
			v.Assessor, v.Device, v.RevisionReason = model.Assessor{Org: s.text, Person: s.text}, s.text, s.text
			for j := range v.Log {
				v.Log[j].Who, v.Log[j].Old, v.Log[j].New, v.Log[j].Reason = s.text, s.text, s.text, s.text
			}
		}
	}
	return t, err
}

// hostilePuller answers a pull with the fuzzer's text as names and reasons.
type hostilePuller struct{ text string }

func (p hostilePuller) PullPlatform(context.Context, []string, string) (PullResult, error) {
	return PullResult{}, errors.New(p.text)
}

func (p hostilePuller) PullBundle(string, []string, model.Change) (PullResult, error) {
	return PullResult{Refused: 1, Items: []PullItem{{ID: p.text, Enterprise: p.text, Name: p.text, Status: PullRefused, Reason: p.text}},
		NotFound: []string{p.text}}, nil
}

// FuzzSpotScreensRenderSafely: whatever pulled reports, audit logs and
// pull results hold, the spot-check screens emit no control or bidi rune.
func FuzzSpotScreensRenderSafely(f *testing.F) {
	for _, seed := range []string{"\x1b]0;被改的标题\x07", "新乡\u202e司公限有\u202c", "\x9b31m红字\u0085", "制表\t回车\r换行\n结束"} {
		f.Add(seed)
	}
	fx := newSpotFixture(f, stageFinalized)
	screens := [][]string{
		{"p"},                          // the pulled reports
		{"p", "a"},                     // the audit view
		{"p", "a", "pgdown", "pgdown"}, // its logs
		{"p", "enter"},                 // the comparison
		{"p", "b", "/x.zip", "enter"},  // a pull's result
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, keys := range screens {
			d := testDeps(hostileSpotStore{Store: fx.db, text: text})
			d.Puller = hostilePuller{text: text}
			h := newHarness(t, d, 100, 30)
			h.keys(keys...)
			v := sgr.ReplaceAllString(h.m.View(), "")
			for _, r := range v {
				if r != '\n' && model.UnsafeRune(r) {
					t.Fatalf("screen after %v emits %U from stored text %q:\n%s", keys, r, text, h.m.View())
				}
			}
		}
	})
}

// BenchmarkCompareView draws the comparison at 120x40 (laid out when it
// arrives, not in View). Goal: < 1 ms, as the other screens.
func BenchmarkCompareView(b *testing.B) {
	f := newSpotFixture(b, stageFinalized)
	h := newHarness(b, testDeps(f.db), 120, 40)
	h.keys("p", "enter")
	b.ResetTimer()
	for b.Loop() {
		_ = h.m.View()
	}
}

// BenchmarkCompareOpen is what opening the comparison costs: the pair read,
// both reports verified and parsed, compared, and laid out at 120x40.
func BenchmarkCompareOpen(b *testing.B) {
	f := newSpotFixture(b, stageFinalized)
	sh := newHarness(b, testDeps(f.db), 120, 40).m.sh
	b.ResetTimer()
	for b.Loop() {
		m, cmd := newCompare(sh, f.spot, navMsg{to: screenHome}, 120, 38)
		m, _ = m.Update(cmd())
		if m.doc == nil {
			b.Fatal(m.err)
		}
	}
}

// BenchmarkSpotListLoad reads the pulled reports and, per chain, the
// spot-checks of it (its audit trail): the spot-check screen's load.
func BenchmarkSpotListLoad(b *testing.B) {
	f := newSpotFixture(b, stageFinalized)
	cmd := loadSpotCmd(f.db)
	b.ResetTimer()
	for b.Loop() {
		if msg := cmd().(spotDataMsg); msg.err != nil {
			b.Fatal(msg.err)
		}
	}
}
