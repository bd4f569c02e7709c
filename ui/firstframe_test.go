package ui

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
)

// countingStore counts the summaries the UI asks the store for.
type countingStore struct {
	Store
	mu        sync.Mutex
	pages     []int // n of each SummaryPage call
	pageRows  int   // summaries SummaryPage returned
	fullLoads int   // Summaries calls
}

func (s *countingStore) SummaryPage(n int) (storage.SummaryPage, error) {
	p, err := s.Store.SummaryPage(n)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages = append(s.pages, n)
	s.pageRows += len(p.List)
	return p, err
}

func (s *countingStore) Summaries() ([]storage.EnterpriseSummary, error) {
	s.mu.Lock()
	s.fullLoads++
	s.mu.Unlock()
	return s.Store.Summaries()
}

// bigList fills db with n enterprises and, on enterprises past the first
// page, one report in each state the home screen counts (queued, failed,
// rejected, held) and a sent one, which it does not count.
func bigList(t *testing.T, db *storage.DB, n int) []string {
	t.Helper()
	c := model.Change{Who: "测试顾问"}
	var list []model.Enterprise
	var codes []string
	for i := range n {
		code := creditCode(t, fmt.Sprintf("91410700MA%07d", i))
		codes = append(codes, code)
		list = append(list, model.Enterprise{Code: code, Name: fmt.Sprintf("新乡市第%03d机械有限公司", i), Batch: 1 + i%3, Industry: "通用设备制造业"})
	}
	if _, err := db.ImportEnterprises(list, c); err != nil {
		t.Fatal(err)
	}
	finalized := func(code string) model.Assessment {
		t.Helper()
		a, err := db.CreateAssessment(storage.NewAssessment{Enterprise: code, Kind: model.KindBaseline, Assessor: testIdentity}, c)
		if err != nil {
			t.Fatal(err)
		}
		answerAll(t, db, a.ID)
		if a, err = db.Finalize(a.ID, c); err != nil {
			t.Fatal(err)
		}
		return a
	}
	finalized(codes[n-1]) // queued
	if err := db.MarkAttemptFailed(finalized(codes[n-2]).ID, "连接超时", c); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkRejected(finalized(codes[n-3]).ID, "409", c); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkHeld(finalized(codes[n-4]).ID, "403", "fp", c); err != nil {
		t.Fatal(err)
	}
	sent := finalized(codes[n-5])
	if err := db.MarkSent(sent.ID, storage.Receipt{ServerSeq: 1, SHA256: sent.ReportSHA256}, c); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateAssessment(storage.NewAssessment{Enterprise: codes[n-6], Kind: model.KindBaseline, Assessor: testIdentity}, c); err != nil {
		t.Fatal(err)
	}
	return codes
}

// TestFirstFrameDecodesOnePage: with more enterprises than a page, the
// first frame is drawn from one page of the summary index (no full load
// before it), with the store's counts: the total and the queue counts are
// those of the whole list. The rest loads afterwards in a command; until it
// arrives the screen says so and filter and sort wait; then they work on
// every enterprise.
func TestFirstFrameDecodesOnePage(t *testing.T) {
	db, _ := newTestDB(t)
	const n = 2*homePageSize + 50
	codes := bigList(t, db, n)
	st := &countingStore{Store: db}
	m, err := New(testDeps(st))
	if err != nil {
		t.Fatal(err)
	}
	var later []tea.Cmd
	deliver := func(msg tea.Msg) {
		next, cmd := m.Update(msg)
		m = next.(Model)
		if cmd != nil {
			later = append(later, cmd)
		}
	}
	deliver(tea.WindowSizeMsg{Width: 80, Height: 24})
	batch, ok := m.Init()().(tea.BatchMsg)
	if !ok {
		t.Fatal("Init is not a batch")
	}
	for _, cmd := range batch {
		deliver(cmd())
	}

	// The first frame.
	if st.fullLoads != 0 || len(st.pages) != 1 || st.pages[0] > homePageSize || st.pageRows > homePageSize {
		t.Fatalf("before the first frame: %d full loads, pages %v, %d summaries", st.fullLoads, st.pages, st.pageRows)
	}
	h := &harness{t: t, m: m}
	first := h.view()
	checkFrame(t, first, 80, 24)
	for _, want := range []string{"新乡市第000机械有限公司", fmt.Sprintf("%d / %d 家企业", homePageSize, n), "待发送 1 ・ 发送失败 1 ・ 被拒收 1 ・ 暂缓发送 1", "正在载入其余企业"} {
		if !strings.Contains(first, want) {
			t.Errorf("first frame lacks %q:\n%s", want, first)
		}
	}
	t.Run("loading", func(t *testing.T) { golden.RequireEqual(t, []byte(first)) })
	pageCounts := [4]int{h.m.home().queued, h.m.home().failed, h.m.home().rejected, h.m.home().held}
	// While loading: filter and sort wait, the cursor stops at the page's end.
	h.keys("/", "s")
	if hm := h.m.home(); hm.filtering || hm.order != sortCode {
		t.Errorf("filter or sort acted on a partial list: filtering %v, order %d", hm.filtering, hm.order)
	}
	for range 10 {
		h.keys("pgdown")
	}
	if c := h.m.home().cursor; c != homePageSize-1 {
		t.Errorf("cursor %d after paging through the first page", c)
	}

	// The rest arrives.
	if len(later) != 1 {
		t.Fatalf("%d commands after the first frame, want the full load", len(later))
	}
	h.run(later[0])
	if st.fullLoads != 1 {
		t.Fatalf("%d full loads", st.fullLoads)
	}
	hm := h.m.home()
	if full := [4]int{hm.queued, hm.failed, hm.rejected, hm.held}; full != pageCounts || full != [4]int{1, 1, 1, 1} {
		t.Errorf("queue counts: from the store's counts %v, from the whole list %v", pageCounts, full)
	}
	if hm.cursor != homePageSize-1 || hm.selectedCode() != codes[homePageSize-1] {
		t.Errorf("the selection moved when the list loaded: row %d", hm.cursor)
	}
	loaded := h.view()
	if strings.Contains(loaded, "正在载入") || !strings.Contains(loaded, fmt.Sprintf("%d / %d 家企业", n, n)) {
		t.Errorf("after loading:\n%s", loaded)
	}
	t.Run("loaded", func(t *testing.T) { golden.RequireEqual(t, []byte(loaded)) })
	h.keys("pgdown")
	if c := h.m.home().cursor; c <= homePageSize-1 {
		t.Errorf("cursor %d: cannot scroll past the first page once loaded", c)
	}
	h.keys("/", "第230")
	if v := h.view(); !strings.Contains(v, "1 / 250 家企业") || !strings.Contains(v, "新乡市第230机械有限公司") {
		t.Errorf("filter past the first page:\n%s", v)
	}
}

// TestFirstFrameSmallListLoadsOnce: when the first page holds every
// enterprise, nothing more is loaded and nothing says it is loading.
func TestFirstFrameSmallListLoadsOnce(t *testing.T) {
	fx := newFixture(t, true)
	st := &countingStore{Store: fx.db}
	h := newHarness(t, testDeps(st), 80, 24)
	if st.fullLoads != 0 || len(st.pages) != 1 {
		t.Errorf("%d full loads, pages %v", st.fullLoads, st.pages)
	}
	if v := h.view(); strings.Contains(v, "正在载入") || !strings.Contains(v, "3 / 3 家企业") || !strings.Contains(v, "待发送 1") {
		t.Errorf("home:\n%s", v)
	}
}

// TestExitAfterFirstFrame: what bench/run.sh measures quits once the first
// page and the identity are on screen, without the full load (closing the
// store would wait for it).
func TestExitAfterFirstFrame(t *testing.T) {
	db, _ := newTestDB(t)
	bigList(t, db, homePageSize+10)
	st := &countingStore{Store: db}
	d := testDeps(st)
	d.ExitAfterFirstFrame = true
	h := newHarness(t, d, 120, 40)
	if !h.quit || st.fullLoads != 0 || len(st.pages) != 1 {
		t.Errorf("quit %v, %d full loads, pages %v", h.quit, st.fullLoads, st.pages)
	}
	if v := h.view(); !strings.Contains(v, "新乡市第000机械有限公司") {
		t.Errorf("the frame it quits after:\n%s", v)
	}
}

// TestOlderListLoadIgnored: two loads of the list can be in flight (the
// first frame's background load and a reload after a change); the one that
// began reading later holds the newer list and wins, whichever arrives last.
func TestOlderListLoadIgnored(t *testing.T) {
	fx := newFixture(t, true)
	h := newHarness(t, testDeps(fx.db), 80, 24)
	list, err := fx.db.Summaries()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	newer := summariesMsg{list: list, readAt: now}
	older := summariesMsg{list: list[:1], readAt: now.Add(-time.Second)}
	h.send(newer)
	h.send(older)
	if got := len(h.m.home().all); got != len(list) {
		t.Errorf("an older load replaced the list: %d enterprises shown, want %d", got, len(list))
	}
	h.send(summariesMsg{list: list[:2], readAt: now.Add(time.Second)})
	if got := len(h.m.home().all); got != 2 {
		t.Errorf("a newer load was ignored: %d enterprises shown, want 2", got)
	}
}
