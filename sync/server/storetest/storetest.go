// Package storetest is the conformance suite of server.Store: the same
// tests run against every engine (restic's backend tests are the pattern),
// each engine giving a constructor. engines_test.go runs it on bbolt
// (storage/serverstore) and on a real PostgreSQL 15 (storage/pgstore, via
// storage/pgstore/pgtest).
package storetest

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage"
	"digilevel/storage/platform"
	"digilevel/sync/internal/assess"
	"digilevel/sync/server"
)

// T0 is the clock of every store the suite opens.
var T0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Engine makes stores for the suite.
type Engine struct {
	// Open returns a new, empty store using the clock now; the suite closes it.
	Open func(t testing.TB, now func() time.Time) server.Store
	// Shared returns a second store on the same data as the one Open
	// returned last, as a second server process would have; nil when the
	// engine allows one process only (bbolt).
	Shared func(t testing.TB, now func() time.Time) server.Store
}

// open opens a store that is checked (every problem fails the test) and
// closed at cleanup.
func (e Engine) open(t testing.TB) server.Store {
	t.Helper()
	s := e.Open(t, func() time.Time { return T0 })
	t.Cleanup(func() {
		if problems, err := s.Check(); err != nil || len(problems) > 0 {
			t.Errorf("check on cleanup: %v\n%s", err, strings.Join(problems, "\n"))
		}
		s.Close()
	})
	return s
}

// Run runs every test of the suite as a subtest.
func Run(t *testing.T, e Engine) {
	for _, c := range []struct {
		name string
		fn   func(*testing.T, Engine)
	}{
		{"PutOutcomes", testPutOutcomes},
		{"PutRevisions", testPutRevisions},
		{"KeyBinding", testKeyBinding},
		{"Tokens", testTokens},
		{"ConcurrentPuts", testConcurrentPuts},
		{"Listing", testListing},
		{"SpotCheckLinks", testSpotCheckLinks},
		{"Evidence", testEvidence},
		{"Roster", testRoster},
		{"Restore", testRestore},
		{"CheckSummary", testCheckSummary},
		{"PutAfterClose", testPutAfterClose},
		{"TwoProcesses", testTwoProcesses},
		{"Sessions", testSessions},
		{"Rejections", testRejections},
		{"Exclusions", testExclusions},
		{"DashboardLogsAcrossProcesses", testDashboardLogsAcrossProcesses},
	} {
		t.Run(c.name, func(t *testing.T) { c.fn(t, e) })
	}
}

// Report is a signed report from a laptop store.
type Report struct {
	Body []byte
	Doc  model.ReportDocument
}

// Laptop is a seeded laptop store and its finalized reports.
type Laptop struct {
	DB      *storage.DB
	Reports []Report
}

// Seed makes signed reports with storage.SeedSynthetic (a fifth of the
// assessments finalized): the same seed gives the same IDs, every call its
// own installation key.
func Seed(t testing.TB, enterprises, assessments int, seed int64) Laptop {
	t.Helper()
	db, err := storage.Open(filepath.Join(t.TempDir(), "laptop.db"), storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.SeedSynthetic(enterprises, assessments, seed); err != nil {
		t.Fatal(err)
	}
	items, err := db.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	l := Laptop{DB: db}
	for _, it := range items {
		l.Reports = append(l.Reports, l.load(t, it.AssessmentID))
	}
	return l
}

func (l Laptop) load(t testing.TB, id string) Report {
	t.Helper()
	body, err := l.DB.StoredReport(id)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := model.VerifyReport(body)
	if err != nil {
		t.Fatal(err)
	}
	return Report{Body: body, Doc: doc}
}

// Revise finalizes a revision of a frozen assessment and returns its report.
func (l Laptop) Revise(t testing.TB, id string) Report {
	t.Helper()
	next, err := l.DB.Revise(id, "更正", model.Change{Who: "测试"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.DB.Finalize(next.ID, model.Change{Who: "测试"}); err != nil {
		t.Fatal(err)
	}
	return l.load(t, next.ID)
}

// SpotCheck makes an inspector's finalized spot-check of a report, on a
// laptop of its own that pulled the report, and returns it.
func SpotCheck(t testing.TB, of Report) Report {
	t.Helper()
	db, err := storage.Open(filepath.Join(t.TempDir(), "inspector.db"), storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	who := model.Change{Who: "测试"}
	origin := model.PullOrigin{Source: model.SourcePlatform, Server: "https://平台", ServerSeq: 1, ReceivedAt: T0, Provider: of.Doc.Assessor.Org}
	if _, err := db.StorePulled(of.Body, origin, who); err != nil {
		t.Fatal(err)
	}
	a, err := db.CreateAssessment(storage.NewAssessment{Kind: model.KindSpotCheck, Checks: of.Doc.ID,
		Assessor: model.Assessor{Org: "经开区数字化转型办公室", Person: "赵抽查"}}, who)
	if err != nil {
		t.Fatal(err)
	}
	assess.AnswerAll(t, db, a.ID)
	if _, err := db.Finalize(a.ID, who); err != nil {
		t.Fatal(err)
	}
	return Laptop{DB: db}.load(t, a.ID)
}

// Submission is what the server offers Put for a report.
func Submission(r Report, token string) platform.Submission {
	rec := platform.RecordOf(r.Doc, model.HashReport(r.Body), len(r.Body))
	rec.TokenID, rec.Source = token, platform.SourceAPI
	return platform.Submission{Record: rec, Body: r.Body, IdempotencyKey: r.Doc.ID + ":" + rec.SHA256}
}

func addToken(t testing.TB, s server.Store, id, provider string, role platform.Role) platform.Token {
	t.Helper()
	tok := platform.Token{ID: id, SecretHash: strings.Repeat("ab", 32), Provider: provider, Role: role, CreatedAt: T0}
	if err := s.AddToken(tok); err != nil {
		t.Fatal(err)
	}
	return tok
}

// MustPut puts a submission and fails the test unless the outcome is want.
func MustPut(t testing.TB, s server.Store, sub platform.Submission, want platform.Outcome) platform.Result {
	t.Helper()
	res, err := s.Put(sub)
	if err != nil {
		t.Fatalf("Put %s: %v", sub.Record.ID, err)
	}
	if res.Outcome != want {
		t.Fatalf("Put %s: outcome %d (%s), want %d", sub.Record.ID, res.Outcome, res.Reason, want)
	}
	return res
}

func testPutOutcomes(t *testing.T, e Engine) {
	s := e.open(t)
	reports := Seed(t, 10, 50, 1).Reports
	if len(reports) < 3 {
		t.Fatalf("only %d reports seeded", len(reports))
	}
	r := reports[0]
	first := MustPut(t, s, Submission(r, ""), platform.Created)
	if first.Record.Seq != 1 || !first.Record.ReceivedAt.Equal(T0) || first.Record.Size != len(r.Body) ||
		first.Record.Level != r.Doc.Result.Level || first.Record.Score != r.Doc.Result.Score {
		t.Errorf("created record %+v", first.Record)
	}
	again := MustPut(t, s, Submission(r, ""), platform.Existing)
	if again.Record.Seq != first.Record.Seq || !again.Record.ReceivedAt.Equal(first.Record.ReceivedAt) {
		t.Errorf("same report again: %+v, want the original receipt %+v", again.Record, first.Record)
	}
	t.Run("same id, other hash", func(t *testing.T) {
		other := Submission(reports[1], "")
		other.Record.ID = r.Doc.ID
		other.IdempotencyKey = ""
		res := MustPut(t, s, other, platform.Conflict)
		if !strings.Contains(res.Reason, r.Doc.ID) {
			t.Errorf("reason %q does not name the report", res.Reason)
		}
	})
	t.Run("idempotency key reused", func(t *testing.T) {
		sub := Submission(reports[1], "")
		sub.IdempotencyKey = Submission(r, "").IdempotencyKey
		MustPut(t, s, sub, platform.Conflict)
	})
	t.Run("revision of itself", func(t *testing.T) {
		sub := Submission(reports[2], "")
		sub.Record.Replaces = sub.Record.ID
		MustPut(t, s, sub, platform.Conflict)
	})
	rec, body, err := s.Report(r.Doc.ID)
	if err != nil || !bytes.Equal(body, r.Body) || rec.Seq != 1 {
		t.Errorf("stored body differs from the upload (%v)", err)
	}
	if _, _, err := s.Report("NOPE"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("unknown report: %v", err)
	}
	if body, err := s.ReportBody(r.Doc.ID); err != nil || !bytes.Equal(body, r.Body) {
		t.Errorf("ReportBody differs from the upload (%v)", err)
	}
	if _, err := s.ReportBody("NOPE"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("unknown report's body: %v", err)
	}
	if bodies, err := s.ReportBodies([]string{r.Doc.ID, r.Doc.ID}); err != nil || len(bodies) != 2 || !bytes.Equal(bodies[0], r.Body) || !bytes.Equal(bodies[1], r.Body) {
		t.Errorf("ReportBodies of one report twice: %d bodies (%v)", len(bodies), err)
	}
	if _, err := s.ReportBodies([]string{r.Doc.ID, "NOPE"}); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("ReportBodies with an unknown report: %v", err)
	}
	if bodies, err := s.ReportBodies(nil); err != nil || len(bodies) != 0 {
		t.Errorf("ReportBodies of none: %d, %v", len(bodies), err)
	}
	if seq, _ := s.LastSeq(); seq != 1 {
		t.Errorf("last seq %d after one accepted report", seq)
	}
}

func testPutRevisions(t *testing.T, e Engine) {
	s := e.open(t)
	l := Seed(t, 10, 50, 1)
	orig := l.Reports[0]
	rev := l.Revise(t, orig.Doc.ID)
	MustPut(t, s, Submission(orig, ""), platform.Created)
	MustPut(t, s, Submission(rev, ""), platform.Created)
	recs, err := s.Reports(orig.Doc.Enterprise.Code)
	if err != nil || len(recs) != 2 || recs[0].ReplacedBy != rev.Doc.ID || recs[1].ReplacedBy != "" {
		t.Fatalf("enterprise reports %+v %v", recs, err)
	}
	// In the order asked for, not the store's.
	if bodies, err := s.ReportBodies([]string{rev.Doc.ID, orig.Doc.ID}); err != nil || len(bodies) != 2 || !bytes.Equal(bodies[0], rev.Body) || !bytes.Equal(bodies[1], orig.Body) {
		t.Errorf("ReportBodies(revision, original) not in the order asked (%v)", err)
	}
	again := MustPut(t, s, Submission(orig, ""), platform.Existing)
	if again.Record.ReplacedBy != rev.Doc.ID {
		t.Errorf("existing record does not say it is replaced: %+v", again.Record)
	}
	rev2 := l.Revise(t, rev.Doc.ID)
	MustPut(t, s, Submission(rev2, ""), platform.Created)
	stale := Submission(l.Reports[1], "")
	stale.Record.Replaces = orig.Doc.ID
	stale.Record.Enterprise = orig.Doc.Enterprise.Code
	stale.IdempotencyKey = ""
	if res := MustPut(t, s, stale, platform.Conflict); !strings.Contains(res.Reason, "不是当前版本") {
		t.Errorf("reason %q", res.Reason)
	}
	t.Run("revision before the original", func(t *testing.T) {
		s := e.open(t)
		o := l.Reports[1]
		r := l.Revise(t, o.Doc.ID)
		MustPut(t, s, Submission(r, ""), platform.Created)
		created := MustPut(t, s, Submission(o, ""), platform.Created)
		if created.Record.ReplacedBy != r.Doc.ID {
			t.Errorf("original arriving late is not marked replaced: %+v", created.Record)
		}
	})
}

func testKeyBinding(t *testing.T, e Engine) {
	s := e.open(t)
	reports := Seed(t, 10, 50, 1).Reports
	addToken(t, s, "TOK1", "合成服务商 00", platform.RoleProvider)
	MustPut(t, s, Submission(reports[0], "TOK1"), platform.Created)
	tok, _ := s.Token("TOK1")
	if tok.PublicKey != reports[0].Doc.Signature.PublicKey || !tok.BoundAt.Equal(T0) {
		t.Fatalf("first key not bound: %+v", tok)
	}
	other := Seed(t, 10, 50, 2).Reports
	res := MustPut(t, s, Submission(other[0], "TOK1"), platform.KeyMismatch)
	if !strings.Contains(res.Reason, "rebind") {
		t.Errorf("reason %q does not say how to fix it", res.Reason)
	}
	if _, err := s.RebindToken("TOK1", "", T0); err != nil {
		t.Fatal(err)
	}
	MustPut(t, s, Submission(other[0], "TOK1"), platform.Created)
	MustPut(t, s, Submission(reports[1], "TOK1"), platform.KeyMismatch)
	if _, err := s.RevokeToken("TOK1", T0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	MustPut(t, s, Submission(other[1], "TOK1"), platform.TokenInactive)
	if _, err := s.Put(Submission(other[2], "NO-SUCH-TOKEN")); err == nil {
		t.Error("a report with an unknown token was stored")
	}
}

func testTokens(t *testing.T, e Engine) {
	s := e.open(t)
	addToken(t, s, "B", "服务商乙", platform.RoleInspector)
	addToken(t, s, "A", "服务商甲", platform.RoleProvider)
	zero := strings.Repeat("0", 64)
	if err := s.AddToken(platform.Token{ID: "A", SecretHash: zero, Provider: "x", Role: platform.RoleOffice}); !errors.Is(err, model.ErrExists) {
		t.Errorf("duplicate token id: %v", err)
	}
	if err := s.AddToken(platform.Token{ID: "C", SecretHash: "short", Provider: "x", Role: platform.RoleOffice}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("bad hash: %v", err)
	}
	if err := s.AddToken(platform.Token{ID: "D", SecretHash: zero, Provider: "x", Role: "admin"}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("bad role: %v", err)
	}
	list, err := s.Tokens()
	if err != nil || len(list) != 2 || list[0].ID != "A" || list[1].ID != "B" || list[1].Role != platform.RoleInspector {
		t.Errorf("tokens %+v %v", list, err)
	}
	if _, err := s.RevokeToken("nope", T0); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("revoke unknown: %v", err)
	}
	if _, err := s.Token("nope"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("read unknown: %v", err)
	}
	tok, _ := s.RevokeToken("A", T0)
	tok2, _ := s.RevokeToken("A", T0.Add(time.Hour))
	if !tok.RevokedAt.Equal(T0) || !tok2.RevokedAt.Equal(T0) || tok.Active(T0) {
		t.Errorf("revoked twice: %v %v", tok.RevokedAt, tok2.RevokedAt)
	}
	bound, err := s.RebindToken("B", "a2V5", T0)
	if err != nil || bound.PublicKey != "a2V5" || !bound.BoundAt.Equal(T0) {
		t.Errorf("rebind with a key: %+v %v", bound, err)
	}
	cleared, err := s.RebindToken("B", "", T0)
	if err != nil || cleared.PublicKey != "" || !cleared.BoundAt.IsZero() {
		t.Errorf("rebind without a key: %+v %v", cleared, err)
	}
}

// Many goroutines put the same and different reports at once: each report
// is stored exactly once, duplicates get the original receipt, and the
// sequence is 1..n.
func testConcurrentPuts(t *testing.T, e Engine) {
	s := e.open(t)
	reports := Seed(t, 40, 400, 1).Reports
	putAll(t, []server.Store{s}, reports, 8)
}

// putAll has workers goroutines per store put every report, and checks
// that each was stored once with one receipt and the sequence is 1..n.
func putAll(t *testing.T, stores []server.Store, reports []Report, workers int) {
	t.Helper()
	var wg sync.WaitGroup
	seqs := make([][]uint64, len(reports))
	var mu sync.Mutex
	for _, s := range stores {
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range reports {
					i := (i + w*7) % len(reports) // workers start at different reports
					res, err := s.Put(Submission(reports[i], ""))
					if err != nil || (res.Outcome != platform.Created && res.Outcome != platform.Existing) {
						t.Errorf("put %d: %v %+v", i, err, res)
						return
					}
					mu.Lock()
					seqs[i] = append(seqs[i], res.Record.Seq)
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	for i, got := range seqs {
		for _, seq := range got {
			if seq != got[0] {
				t.Fatalf("report %d got receipts %v", i, got)
			}
		}
	}
	for _, s := range stores {
		if last, _ := s.LastSeq(); last != uint64(len(reports)) {
			t.Errorf("last seq %d for %d distinct reports", last, len(reports))
		}
		all, _ := s.ReportsAfter(0, 0)
		for i, r := range all {
			if r.Seq != uint64(i+1) {
				t.Fatalf("sequence has a gap or repeat at %d: %d", i+1, r.Seq)
			}
		}
	}
}

func testListing(t *testing.T, e Engine) {
	s := e.open(t)
	reports := Seed(t, 20, 100, 3).Reports
	for _, r := range reports {
		MustPut(t, s, Submission(r, ""), platform.Created)
	}
	all, err := s.ReportsAfter(0, 0)
	page, _ := s.ReportsAfter(5, 3)
	if err != nil || len(all) != len(reports) || len(page) != 3 || page[0].Seq != 6 || page[0].ID != reports[5].Doc.ID {
		t.Fatalf("listing: %d of %d, page %+v (%v)", len(all), len(reports), page, err)
	}
	var streamed []platform.Record
	if err := s.EachReport(2, func(r platform.Record) error { streamed = append(streamed, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(streamed) != len(reports)-2 || streamed[0].Seq != 3 {
		t.Fatalf("EachReport after 2: %d records, first %+v", len(streamed), streamed[0])
	}
	for i, r := range streamed {
		if want := all[i+2]; r != want {
			t.Fatalf("EachReport %d: %+v, ReportsAfter %+v", i, r, want)
		}
		doc := reports[i+2].Doc
		if r.Level != doc.Result.Level || r.Score != doc.Result.Score || !r.FinalizedAt.Equal(platform.FinalizedAt(doc)) ||
			r.Kind != string(doc.Kind) || r.Enterprise != doc.Enterprise.Code || r.Provider != doc.Assessor.Org {
			t.Fatalf("record %+v does not say what its report says", r)
		}
	}
	spot := SpotCheck(t, reports[3])
	res := MustPut(t, s, Submission(spot, ""), platform.Created)
	if res.Record.Checks != reports[3].Doc.ID || res.Record.Kind != string(model.KindSpotCheck) ||
		res.Record.ChecksState != platform.LinkVerified {
		t.Errorf("spot-check record %+v does not name the report it checks", res.Record)
	}
	if got, _, _ := s.Report(spot.Doc.ID); got != res.Record {
		t.Errorf("stored spot-check %+v, Put gave %+v", got, res.Record)
	}
	stop := errors.New("stop")
	n := 0
	if err := s.EachReport(0, func(platform.Record) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("EachReport does not stop at fn's error: %v after %d", err, n)
	}
	code := reports[0].Doc.Enterprise.Code
	byEnt, err := s.Reports(code)
	want := 0
	for _, r := range reports {
		if r.Doc.Enterprise.Code == code {
			want++
		}
	}
	if err != nil || len(byEnt) != want || byEnt[0].Enterprise != code {
		t.Errorf("reports of %s: %d, want %d (%v)", code, len(byEnt), want, err)
	}
	if none, err := s.Reports("NOPE"); err != nil || len(none) != 0 {
		t.Errorf("reports of an unknown enterprise: %v %v", none, err)
	}
}

// Forge signs other content under a report's ID with another key: a copy
// that is not the one the platform holds.
func Forge(t testing.TB, r Report) Report {
	t.Helper()
	doc := r.Doc
	doc.Signature = nil
	doc.Problems = nil
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	body, err := model.SignReport(doc, key)
	if err != nil {
		t.Fatal(err)
	}
	out, err := model.VerifyReport(body)
	if err != nil {
		t.Fatal(err)
	}
	return Report{Body: body, Doc: out}
}

// A spot-check's link: recorded from its body, checked against the report
// it names when the platform holds it (refused when it pins another), and
// its state derived on every read, also when the checked report arrives
// after the spot-check.
func testSpotCheckLinks(t *testing.T, e Engine) {
	s := e.open(t)
	reports := Seed(t, 10, 60, 9).Reports
	if len(reports) < 5 {
		t.Fatalf("only %d reports seeded", len(reports))
	}
	state := func(id string) string {
		t.Helper()
		rec, _, err := s.Report(id)
		if err != nil {
			t.Fatal(err)
		}
		var listed []string
		byEnt, _ := s.Reports(rec.Enterprise)
		all, _ := s.ReportsAfter(0, 0)
		var streamed []platform.Record
		s.EachReport(0, func(r platform.Record) error { streamed = append(streamed, r); return nil })
		for _, list := range [][]platform.Record{byEnt, all, streamed} {
			for _, r := range list {
				if r.ID == id {
					listed = append(listed, r.ChecksState)
				}
			}
		}
		if len(listed) != 3 || listed[0] != rec.ChecksState || listed[1] != rec.ChecksState || listed[2] != rec.ChecksState {
			t.Errorf("link state of %s: Report %q, Reports/ReportsAfter/EachReport %v", id, rec.ChecksState, listed)
		}
		return rec.ChecksState
	}

	// Before the checked report: pending, with the whole link recorded.
	checked := reports[0]
	spot := SpotCheck(t, checked)
	res := MustPut(t, s, Submission(spot, ""), platform.Created)
	r := res.Record
	if r.Checks != checked.Doc.ID || r.ChecksSHA256 != model.HashReport(checked.Body) || r.ChecksKind != string(checked.Doc.Kind) ||
		r.ChecksOrg != checked.Doc.Assessor.Org || !r.ChecksBlind || r.ChecksState != platform.LinkPending {
		t.Fatalf("spot-check before its report: %+v", r)
	}
	if got := state(spot.Doc.ID); got != platform.LinkPending {
		t.Errorf("stored state %q, want pending", got)
	}
	MustPut(t, s, Submission(checked, ""), platform.Created)
	if got := state(spot.Doc.ID); got != platform.LinkVerified {
		t.Errorf("state after the checked report arrived %q, want verified", got)
	}
	if again := MustPut(t, s, Submission(spot, ""), platform.Existing); again.Record.ChecksState != platform.LinkVerified {
		t.Errorf("existing spot-check %+v", again.Record)
	}
	if got := state(checked.Doc.ID); got != "" {
		t.Errorf("the checked report has a link state %q", got)
	}

	// The checked report is stored and the link pins another: refused,
	// whichever part differs; nothing stored.
	other := reports[1]
	MustPut(t, s, Submission(other, ""), platform.Created)
	last, _ := s.LastSeq()
	forgedSpot := SpotCheck(t, Forge(t, other))
	res = MustPut(t, s, Submission(forgedSpot, ""), platform.CheckedMismatch)
	if !strings.Contains(res.Reason, "校验值") || !strings.Contains(res.Reason, other.Doc.ID) {
		t.Errorf("reason %q", res.Reason)
	}
	good := SpotCheck(t, other)
	for _, c := range []struct {
		name   string
		change func(*platform.Record)
		want   string
	}{
		{"enterprise", func(r *platform.Record) { r.Enterprise = reports[2].Doc.Enterprise.Code + "X" }, "属于企业"},
		{"kind", func(r *platform.Record) { r.ChecksKind = "spotcheck" }, "类型"},
		{"provider", func(r *platform.Record) { r.ChecksOrg = "别的服务商" }, "服务商"},
	} {
		sub := Submission(good, "")
		c.change(&sub.Record)
		if res := MustPut(t, s, sub, platform.CheckedMismatch); !strings.Contains(res.Reason, c.want) {
			t.Errorf("%s differs: reason %q", c.name, res.Reason)
		}
	}
	if now, _ := s.LastSeq(); now != last {
		t.Fatalf("refused spot-checks took sequence numbers: %d -> %d", last, now)
	}
	if _, _, err := s.Report(forgedSpot.Doc.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("refused spot-check stored: %v", err)
	}

	// Pinned before, another report arrives under the ID: the provider's
	// report is taken, the link is a mismatch.
	late := reports[2]
	pinned := SpotCheck(t, Forge(t, late))
	MustPut(t, s, Submission(pinned, ""), platform.Created)
	MustPut(t, s, Submission(late, ""), platform.Created)
	if got := state(pinned.Doc.ID); got != platform.LinkMismatch {
		t.Errorf("state after another report arrived %q, want mismatch", got)
	}

	// A spot-check and its report at the same moment (one group commit,
	// or two): verified either way.
	pair := reports[3]
	pairSpot := SpotCheck(t, pair)
	var wg sync.WaitGroup
	for _, r := range []Report{pairSpot, pair} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if res, err := s.Put(Submission(r, "")); err != nil || res.Outcome != platform.Created {
				t.Errorf("put %s: %+v %v", r.Doc.ID, res, err)
			}
		}()
	}
	wg.Wait()
	if got := state(pairSpot.Doc.ID); got != platform.LinkVerified {
		t.Errorf("state after a concurrent put %q, want verified", got)
	}
}

func testEvidence(t *testing.T, e Engine) {
	s := e.open(t)
	sha, created, err := s.PutEvidence([]byte("营业执照扫描件"))
	if err != nil || !created || len(sha) != 64 {
		t.Fatalf("%s %v %v", sha, created, err)
	}
	if _, created, _ := s.PutEvidence([]byte("营业执照扫描件")); created {
		t.Error("same content stored twice")
	}
	s.PutEvidence([]byte("设备台账"))
	got, err := s.Evidence(sha)
	if ok, _ := s.HasEvidence(sha); !ok || err != nil || string(got) != "营业执照扫描件" {
		t.Errorf("evidence %q %v", got, err)
	}
	if ok, err := s.HasEvidence(strings.Repeat("0", 64)); ok || err != nil {
		t.Errorf("unknown evidence: %v %v", ok, err)
	}
	if _, err := s.Evidence("00"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("missing evidence: %v", err)
	}
	var all []string
	s.EachEvidence(func(sha string) error { all = append(all, sha); return nil })
	if len(all) != 2 || all[0] > all[1] {
		t.Errorf("EachEvidence: %v", all)
	}
}

// enterprise is a valid roster entry built from n.
func enterprise(t testing.TB, n, batch int) model.Enterprise {
	t.Helper()
	body := fmt.Sprintf("91410700MA%07d", n)
	ch, err := model.CreditCodeCheckChar(body)
	if err != nil {
		t.Fatal(err)
	}
	return model.Enterprise{Code: body + string(ch), Name: fmt.Sprintf("名单企业 %d", n), Batch: batch, ZJTX: model.ZJTXProvincial,
		Scale: model.ScaleBelow, SmartFactory: n%2 == 0, Provider: "合成服务商 01",
		Revenue: []model.YearRevenue{{Year: 2025, Wan: "1200"}}, Contacts: []model.Contact{{Name: "张三", Phone: "13800000000"}}}
}

func testRoster(t *testing.T, e Engine) {
	s := e.open(t)
	all := []string{model.FieldName, model.FieldCode, model.FieldBatch, model.FieldScale, model.FieldZJTX, model.FieldSmartFactory,
		model.FieldProvider, model.FieldRevenue, model.FieldContacts}
	list := []model.Enterprise{enterprise(t, 3, 2), enterprise(t, 1, 1), enterprise(t, 2, 2), enterprise(t, 4, 1)}
	stats, err := s.ImportRoster(list, all, T0)
	if err != nil || stats != (platform.ImportStats{Created: 4}) {
		t.Fatalf("first import %+v %v", stats, err)
	}
	stats, err = s.ImportRoster(list, all, T0.Add(time.Hour))
	if err != nil || stats != (platform.ImportStats{Unchanged: 4}) {
		t.Fatalf("same roster again %+v %v", stats, err)
	}
	// A file with only name, code, batch and revenue: contacts, scale and
	// the other years stay; batch 2 -> 3 moves the entry.
	upd := enterprise(t, 3, 3)
	upd.Name, upd.Contacts, upd.Scale = "改名企业", nil, model.ScaleAbove
	upd.Revenue = []model.YearRevenue{{Year: 2026, Wan: "1500"}}
	stats, err = s.ImportRoster([]model.Enterprise{upd}, []string{model.FieldName, model.FieldCode, model.FieldBatch, model.FieldRevenue}, T0.Add(2*time.Hour))
	if err != nil || stats != (platform.ImportStats{Updated: 1}) {
		t.Fatalf("partial update %+v %v", stats, err)
	}
	got, err := s.RosterEnterprise(strings.ToLower(upd.Code))
	if err != nil || got.Name != "改名企业" || got.Batch != 3 || got.Scale != model.ScaleBelow || len(got.Contacts) != 1 ||
		len(got.Revenue) != 2 || !got.CreatedAt.Equal(T0) || !got.UpdatedAt.Equal(T0.Add(2*time.Hour)) {
		t.Errorf("merged entry %+v %v", got, err)
	}
	if _, err := s.RosterEnterprise("91410700MA00000990"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("unknown entry: %v", err)
	}
	var order []string
	s.EachRosterEnterprise(0, func(e model.Enterprise) error {
		order = append(order, fmt.Sprintf("%d:%s", e.Batch, e.Name))
		return nil
	})
	want := "1:名单企业 1,1:名单企业 4,2:名单企业 2,3:改名企业"
	if strings.Join(order, ",") != want {
		t.Errorf("roster order %v, want %s", order, want)
	}
	order = nil
	s.EachRosterEnterprise(2, func(e model.Enterprise) error { order = append(order, e.Name); return nil })
	if strings.Join(order, ",") != "名单企业 2" {
		t.Errorf("batch 2: %v", order)
	}
	bad := enterprise(t, 5, 1)
	bad.Name = ""
	if _, err := s.ImportRoster([]model.Enterprise{enterprise(t, 6, 1), bad}, all, T0); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("invalid entry: %v", err)
	}
	if _, err := s.RosterEnterprise(enterprise(t, 6, 1).Code); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("an import with an invalid entry stored the valid one: %v", err)
	}
}

// Restoring what another store holds gives the same records, receipts,
// tokens and idempotency records, and doing it twice changes nothing.
func testRestore(t *testing.T, e Engine) {
	src := e.open(t)
	l := Seed(t, 10, 60, 4)
	addToken(t, src, "TOK1", "合成服务商 00", platform.RoleProvider)
	rev := l.Revise(t, l.Reports[0].Doc.ID)
	MustPut(t, src, Submission(rev, ""), platform.Created) // the revision before its original
	for _, r := range l.Reports {
		MustPut(t, src, Submission(r, ""), platform.Created)
	}
	spot := MustPut(t, src, Submission(SpotCheck(t, l.Reports[1]), ""), platform.Created).Record
	src.PutEvidence([]byte("照片"))
	all := []string{model.FieldName, model.FieldBatch}
	if _, err := src.ImportRoster([]model.Enterprise{enterprise(t, 1, 1), enterprise(t, 2, 3)}, all, T0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := src.RecordRejection(platform.Rejection{Provider: "合成服务商 00", Role: platform.RoleProvider, ReportID: "R", Code: "conflict", Status: 409}); err != nil {
		t.Fatal(err)
	}
	if _, err := src.RecordExclusion(platform.Exclusion{Enterprise: enterprise(t, 1, 1).Code, Reasons: []string{"tax"}, Note: "函", By: "经发局"}); err != nil {
		t.Fatal(err)
	}
	dst := e.open(t)
	copyAll(t, src, dst)
	copyAll(t, src, dst) // idempotent
	ra, _ := src.RejectionsAfter(0, 0)
	rb, _ := dst.RejectionsAfter(0, 0)
	xa, _ := src.ExclusionsAfter(0)
	xb, _ := dst.ExclusionsAfter(0)
	if len(rb) != 1 || fmt.Sprint(ra) != fmt.Sprint(rb) || len(xb) != 1 || fmt.Sprint(xa) != fmt.Sprint(xb) {
		t.Errorf("dashboard records not copied: %+v %+v / %+v %+v", ra, rb, xa, xb)
	}
	a, _ := src.ReportsAfter(0, 0)
	b, _ := dst.ReportsAfter(0, 0)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("restored listing differs:\n%v\n%v", a, b)
	}
	sa, _, _ := src.Verify()
	sb, _, _ := dst.Verify()
	if sa != sb || sa.Reports != len(l.Reports)+2 || sa.Tokens != 1 || sa.Evidence != 1 || sa.Idempotency != len(l.Reports)+2 || sa.Roster != 2 {
		t.Errorf("summaries differ or are wrong:\n%+v\n%+v", sa, sb)
	}
	if got, _, _ := dst.Report(spot.ID); got.Checks == "" || got.ChecksSHA256 != spot.ChecksSHA256 || got.ChecksState != platform.LinkVerified {
		t.Errorf("restored spot-check %+v, was %+v", got, spot)
	}
	// A different report under a stored ID or sequence number is refused.
	other := a[1]
	other.SHA256 = a[2].SHA256
	if _, err := dst.RestoreReport(other, l.Reports[1].Body); err == nil {
		t.Error("restore of a different body under a stored ID succeeded")
	}
	moved := a[1]
	moved.Seq = 1
	_, body, _ := src.Report(moved.ID)
	if _, err := dst.RestoreReport(moved, body); err == nil {
		t.Error("restore under another sequence number succeeded")
	}
}

func copyAll(t *testing.T, src, dst server.Store) {
	t.Helper()
	if _, err := server.Migrate(src, dst); err != nil {
		t.Fatal(err)
	}
}

func testCheckSummary(t *testing.T, e Engine) {
	s := e.open(t)
	sum, problems, err := s.Verify()
	if err != nil || len(problems) > 0 || sum.Reports != 0 || sum.Digest == "" {
		t.Fatalf("empty store: %+v %v %v", sum, problems, err)
	}
	reports := Seed(t, 10, 50, 5).Reports
	for _, r := range reports[:3] {
		MustPut(t, s, Submission(r, ""), platform.Created)
	}
	s.ImportRoster([]model.Enterprise{enterprise(t, 1, 1)}, []string{model.FieldName}, T0)
	sum2, problems, err := s.Verify()
	if err != nil || len(problems) > 0 || sum2.Reports != 3 || sum2.LastSeq != 3 || sum2.Roster != 1 || sum2.Digest == sum.Digest {
		t.Fatalf("after three reports: %+v %v %v", sum2, problems, err)
	}
	if !strings.Contains(s.Describe(), " ") {
		t.Errorf("Describe %q does not name engine and database", s.Describe())
	}
}

func testPutAfterClose(t *testing.T, e Engine) {
	s := e.Open(t, func() time.Time { return T0 })
	reports := Seed(t, 10, 50, 1).Reports
	s.Close()
	if _, err := s.Put(Submission(reports[0], "")); !errors.Is(err, platform.ErrClosed) {
		t.Errorf("put after close: %v", err)
	}
}

// Two stores on the same data (two server processes) put the same
// reports at once, with revisions and a token binding racing: every report
// once, one receipt each, sequence 1..n, one key bound.
func testTwoProcesses(t *testing.T, e Engine) {
	if e.Shared == nil {
		t.Skip("engine allows one process only")
	}
	a := e.open(t)
	b := e.Shared(t, func() time.Time { return T0 })
	t.Cleanup(func() { b.Close() })
	l := Seed(t, 40, 400, 6)
	reports := l.Reports
	putAll(t, []server.Store{a, b}, reports, 6)
	// Two revisions of one version race (made on two copies of the
	// laptop: the same seed gives the same IDs): exactly one wins.
	v1, v2 := l.Revise(t, reports[0].Doc.ID), Seed(t, 40, 400, 6).Revise(t, reports[0].Doc.ID)
	var wg sync.WaitGroup
	outcomes := make([]platform.Outcome, 2)
	for i, pair := range []struct {
		s server.Store
		r Report
	}{{a, v1}, {b, v2}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := pair.s.Put(Submission(pair.r, ""))
			if err != nil {
				t.Error(err)
			}
			outcomes[i] = res.Outcome
		}()
	}
	wg.Wait()
	if (outcomes[0] == platform.Created) == (outcomes[1] == platform.Created) ||
		(outcomes[0] != platform.Conflict && outcomes[1] != platform.Conflict) {
		t.Errorf("two revisions of one version: outcomes %v, want one created and one conflict", outcomes)
	}
	// One token, two laptops, two processes: one key is bound, the other
	// report is refused.
	addToken(t, a, "RACE", "合成服务商", platform.RoleProvider)
	x, y := Seed(t, 5, 25, 7).Reports[0], Seed(t, 5, 25, 8).Reports[1]
	wg.Add(2)
	for i, pair := range []struct {
		s server.Store
		r Report
	}{{a, x}, {b, y}} {
		go func() {
			defer wg.Done()
			res, err := pair.s.Put(Submission(pair.r, "RACE"))
			if err != nil {
				t.Error(err)
			}
			outcomes[i] = res.Outcome
		}()
	}
	wg.Wait()
	tok, _ := b.Token("RACE")
	winner := map[bool]Report{true: x, false: y}[outcomes[0] == platform.Created]
	if (outcomes[0] == platform.Created) == (outcomes[1] == platform.Created) || tok.PublicKey != winner.Doc.Signature.PublicKey {
		t.Errorf("key binding race: outcomes %v, bound %s", outcomes, platform.Fingerprint(tok.PublicKey))
	}
}

func testSessions(t *testing.T, e Engine) {
	s := e.open(t)
	hash := strings.Repeat("a", 64)
	x := platform.Session{IDHash: hash, TokenID: "TOK", CSRF: "csrf", CreatedAt: T0, ExpiresAt: T0.Add(time.Hour)}
	if err := s.PutSession(x); err != nil {
		t.Fatal(err)
	}
	if err := s.PutSession(x); !errors.Is(err, model.ErrExists) {
		t.Errorf("second PutSession: %v, want ErrExists", err)
	}
	if err := s.PutSession(platform.Session{IDHash: "short"}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("invalid session: %v", err)
	}
	got, err := s.Session(hash)
	if err != nil || got != x {
		t.Fatalf("Session = %+v, %v; want %+v", got, err, x)
	}
	old := platform.Session{IDHash: strings.Repeat("b", 64), TokenID: "TOK", CSRF: "c", CreatedAt: T0.Add(-2 * time.Hour), ExpiresAt: T0.Add(-time.Minute)}
	if err := s.PutSession(old); err != nil {
		t.Fatal(err)
	}
	if n, err := s.DeleteExpiredSessions(T0); err != nil || n != 1 {
		t.Errorf("DeleteExpiredSessions = %d, %v; want 1", n, err)
	}
	if _, err := s.Session(old.IDHash); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("expired session still there: %v", err)
	}
	if err := s.DeleteSession(hash); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(hash); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("deleted session: %v", err)
	}
	if err := s.DeleteSession(hash); err != nil {
		t.Errorf("deleting twice: %v", err)
	}
}

func testRejections(t *testing.T, e Engine) {
	s := e.open(t)
	r := platform.Rejection{Provider: "甲服务商", Role: platform.RoleProvider, TokenID: "TOK", Source: platform.SourceAPI, ReportID: "R1",
		SHA256: strings.Repeat("1", 64), Status: 422, Code: "invalid_report", Message: "签名无效", At: T0.Add(1500 * time.Nanosecond)}
	for i, want := range []bool{true, false} {
		created, err := s.RecordRejection(r)
		if err != nil || created != want {
			t.Fatalf("RecordRejection #%d = %v, %v; want %v", i, created, err, want)
		}
	}
	r2 := r
	r2.Code, r2.Status = "conflict", 409
	if created, err := s.RecordRejection(r2); err != nil || !created {
		t.Fatalf("another reason: %v, %v", created, err)
	}
	if _, err := s.RecordRejection(platform.Rejection{Code: "x"}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("no provider: %v", err)
	}
	all, err := s.RejectionsAfter(0, 0)
	if err != nil || len(all) != 2 || all[0].Seq != 1 || all[1].Seq != 2 || all[1].Code != "conflict" || all[0].Role != platform.RoleProvider {
		t.Fatalf("RejectionsAfter(0) = %+v, %v", all, err)
	}
	// Times are kept to the microsecond, in UTC, on every engine.
	if !all[0].At.Equal(T0.Add(time.Microsecond)) || all[0].At.Location() != time.UTC {
		t.Errorf("stored time %v", all[0].At)
	}
	if rest, _ := s.RejectionsAfter(1, 0); len(rest) != 1 || rest[0].Seq != 2 {
		t.Errorf("RejectionsAfter(1) = %+v", rest)
	}
	if one, _ := s.RejectionsAfter(0, 1); len(one) != 1 || one[0].Seq != 1 {
		t.Errorf("limit 1 gave %+v", one)
	}
	// Restored elsewhere with their numbers; again: nothing changes; another
	// record under a number in use is refused.
	dst := e.open(t)
	for range 2 {
		for _, x := range all {
			if err := dst.RestoreRejection(x); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got, _ := dst.RejectionsAfter(0, 0); fmt.Sprint(got) != fmt.Sprint(all) {
		t.Errorf("restored %+v\nwant %+v", got, all)
	}
	other := all[0]
	other.Message = "另一原因"
	if err := dst.RestoreRejection(other); err == nil {
		t.Error("another rejection under a stored number was restored")
	}
	// The next one continues after the restored numbers.
	r3 := r
	r3.ReportID = "R3"
	if _, err := dst.RecordRejection(r3); err != nil {
		t.Fatal(err)
	}
	if got, _ := dst.RejectionsAfter(2, 0); len(got) != 1 || got[0].Seq != 3 {
		t.Errorf("after a restore: %+v", got)
	}
}

func testExclusions(t *testing.T, e Engine) {
	s := e.open(t)
	x, err := s.RecordExclusion(platform.Exclusion{Enterprise: "91410700MA0000001W", Reasons: []string{"tax", "safety"}, Note: "税务局函", By: "经发局", At: T0})
	if err != nil || x.Seq != 1 || !x.At.Equal(T0) {
		t.Fatalf("RecordExclusion = %+v, %v", x, err)
	}
	y, err := s.RecordExclusion(platform.Exclusion{Enterprise: "91410700MA0000001W", By: "经发局"})
	if err != nil || y.Seq != 2 || y.Reasons == nil || !y.At.Equal(T0) {
		t.Fatalf("withdrawal = %+v, %v", y, err)
	}
	if _, err := s.RecordExclusion(platform.Exclusion{Enterprise: "x"}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("no author: %v", err)
	}
	all, err := s.ExclusionsAfter(0)
	if err != nil || len(all) != 2 || strings.Join(all[0].Reasons, ",") != "tax,safety" || len(all[1].Reasons) != 0 || all[0].Note != "税务局函" {
		t.Fatalf("ExclusionsAfter = %+v, %v", all, err)
	}
	if rest, _ := s.ExclusionsAfter(2); len(rest) != 0 {
		t.Errorf("after 2: %+v", rest)
	}
	dst := e.open(t)
	for range 2 {
		for _, x := range all {
			if err := dst.RestoreExclusion(x); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got, _ := dst.ExclusionsAfter(0); fmt.Sprint(got) != fmt.Sprint(all) {
		t.Errorf("restored %+v\nwant %+v", got, all)
	}
	changed := all[1]
	changed.Note = "改过"
	if err := dst.RestoreExclusion(changed); err == nil {
		t.Error("another exclusion under a stored number was restored")
	}
	if next, err := dst.RecordExclusion(platform.Exclusion{Enterprise: "91410700MA0000001W", By: "经发局"}); err != nil || next.Seq != 3 {
		t.Errorf("after a restore: %+v %v", next, err)
	}
}

// testDashboardLogsAcrossProcesses: two server processes append to the
// logs at once; the numbers are 1..n without gaps or repeats, so a reader
// that follows "after n" misses none.
func testDashboardLogsAcrossProcesses(t *testing.T, e Engine) {
	if e.Shared == nil {
		t.Skip("engine allows one process only")
	}
	a := e.open(t)
	b := e.Shared(t, func() time.Time { return T0 })
	t.Cleanup(func() { b.Close() })
	const each = 20
	var wg sync.WaitGroup
	for p, s := range []server.Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if _, err := s.RecordExclusion(platform.Exclusion{Enterprise: fmt.Sprintf("E%d-%d", p, i), By: "经发局"}); err != nil {
					t.Error(err)
				}
				r := platform.Rejection{Provider: "甲", Role: platform.RoleProvider, ReportID: fmt.Sprintf("R%d-%d", p, i), Code: "conflict", Status: 409}
				if _, err := s.RecordRejection(r); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	xs, _ := b.ExclusionsAfter(0)
	rs, _ := a.RejectionsAfter(0, 0)
	if len(xs) != 2*each || len(rs) != 2*each {
		t.Fatalf("%d exclusions, %d rejections, want %d each", len(xs), len(rs), 2*each)
	}
	for i := range xs {
		if xs[i].Seq != uint64(i+1) || rs[i].Seq != uint64(i+1) {
			t.Fatalf("numbers not 1..n: exclusion %d, rejection %d at %d", xs[i].Seq, rs[i].Seq, i)
		}
	}
}
