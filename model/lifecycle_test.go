package model

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"digilevel/indicators"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func testKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
}

func draft(t *testing.T, cat *indicators.Catalog) (Assessment, Enterprise) {
	t.Helper()
	e := validEnterprise()
	a, err := NewAssessment(NewAssessmentOptions{ID: "01JABCDEFGHJKMNPQRSTVWXYZ0", Enterprise: e.Code, Kind: KindBaseline, Catalog: cat, Assessor: Assessor{Org: "服务商", Person: "李工"}, Device: "laptop-1", Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	return a, e
}

func complete(t *testing.T, cat *indicators.Catalog, a *Assessment) {
	t.Helper()
	full := withScenarios(cat, withScore(t, cat, zeroAnswers(cat), indicators.MustPoints("43.5")), 2, 3, 3)
	c := Change{Who: "李工", Now: t0}
	for _, q := range cat.DefaultQuestionnaire().Questions() {
		if _, err := a.SetAnswer(cat, q.ID, full.Answers[q.ID], c); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range cat.Scenarios {
		if _, err := a.SetRating(cat, s.ID, full.Scenarios[s.ID], c); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLifecycleFinalizeAndVerify(t *testing.T) {
	cat := catalog(t)
	a, e := draft(t, cat)
	c := Change{Who: "李工", Now: t0.Add(time.Hour)}
	if _, _, err := a.Finalize(cat, planning(t, cat), e, testKey(), c); !errors.Is(err, ErrIncomplete) || !strings.Contains(err.Error(), "还缺 31 项") {
		t.Fatalf("finalize incomplete: %v", err)
	}
	audit, err := a.SetAnswer(cat, "Q01", []string{"C", "B"}, c)
	if err != nil || audit.Old != "" || audit.New != "B,C" || audit.Action != ActionAnswer || audit.Who != "李工" {
		t.Fatalf("audit = %+v, %v", audit, err)
	}
	complete(t, cat, &a)
	data, entries, err := a.Finalize(cat, planning(t, cat), e, testKey(), c)
	if err != nil {
		t.Fatal(err)
	}
	if a.State != StateQueued || a.Level != 2 || a.Score != indicators.MustPoints("43.5") || a.ReportSHA256 != HashReport(data) || len(entries) != 2 {
		t.Errorf("after finalize: state %s level %d score %s entries %d", a.State, a.Level, a.Score, len(entries))
	}
	doc, err := VerifyReport(data)
	if err != nil {
		t.Fatalf("VerifyReport: %v", err)
	}
	if doc.Draft || doc.FinalizedAt.IsZero() || doc.Result.Level != 2 || len(doc.Problems) == 0 || doc.KindLabel != "改造前诊断" {
		t.Errorf("doc = draft %v, level %d, problems %d, kind %s", doc.Draft, doc.Result.Level, len(doc.Problems), doc.KindLabel)
	}
	if err := CheckReportScore(cat, doc); err != nil {
		t.Errorf("CheckReportScore: %v", err)
	}
	// Frozen: every change is refused.
	if _, err := a.SetAnswer(cat, "Q02", []string{"A"}, c); !errors.Is(err, ErrFinalized) {
		t.Errorf("answer on finalized: %v", err)
	}
	if _, err := a.SetNote(cat, "Q02", "x", c); !errors.Is(err, ErrFinalized) {
		t.Errorf("note on finalized: %v", err)
	}
	if _, _, err := a.Finalize(cat, planning(t, cat), e, testKey(), c); !errors.Is(err, ErrFinalized) {
		t.Errorf("second finalize: %v", err)
	}
}

func TestVerifyReportDetectsTampering(t *testing.T) {
	cat := catalog(t)
	data := finalizedReport(t)
	tampered := map[string][]byte{
		"level raised in place": bytes.Replace(data, []byte(`"level":2,"level_name":"二级"`), []byte(`"level":3,"level_name":"三级"`), 1),
		"answer changed":        bytes.Replace(data, []byte(`"answers":{"Q01":[`), []byte(`"answers":{"Q01":["E",`), 1),
		"reformatted":           append([]byte(" "), data...),
		"signature removed":     bytes.Replace(data, data[bytes.Index(data, []byte(`,"signature"`)):len(data)-1], nil, 1),
		"junk":                  []byte("{"),
		"extra field":           bytes.Replace(data, []byte(`{"format"`), []byte(`{"x":1,"format"`), 1),
	}
	for name, b := range tampered {
		if bytes.Equal(b, data) {
			t.Fatalf("%s: fixture did not change the bytes", name)
		}
		if _, err := VerifyReport(b); !errors.Is(err, ErrTampered) || !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: VerifyReport = %v", name, err)
		}
	}
	// Re-signed with another key after changing the score: the signature
	// holds but the rescoring does not.
	doc, _ := VerifyReport(data)
	doc.Result.Score += 1000
	forged, _ := SignReport(doc, ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32)))
	d2, err := VerifyReport(forged)
	if err != nil {
		t.Fatalf("re-signed document should verify as a signature: %v", err)
	}
	if err := CheckReportScore(cat, d2); !errors.Is(err, ErrTampered) {
		t.Errorf("CheckReportScore(forged) = %v", err)
	}
}

func TestReviseAndTransitions(t *testing.T) {
	cat := catalog(t)
	a, e := draft(t, cat)
	if _, _, err := a.Revise("B", "更正", Change{Now: t0}); !errors.Is(err, ErrState) {
		t.Errorf("revise draft: %v", err)
	}
	complete(t, cat, &a)
	if _, _, err := a.Finalize(cat, planning(t, cat), e, testKey(), Change{Now: t0}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Revise("01JB0000000000000000000000", "  ", Change{Now: t0}); !errors.Is(err, ErrInvalid) {
		t.Errorf("revise without reason: %v", err)
	}
	next, audit, err := a.Revise("01JB0000000000000000000000", "Q05 误选", Change{Who: "李工", Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	if next.Version != 2 || next.Replaces != a.ID || next.State != StateDraft || a.ReplacedBy != next.ID || audit.Reason != "Q05 误选" {
		t.Errorf("revision = %+v / %+v", next, audit)
	}
	if len(next.Answers.Answers) != 15 {
		t.Errorf("answers not copied")
	}
	if _, _, err := a.Revise("C", "again", Change{Now: t0}); !errors.Is(err, ErrState) {
		t.Errorf("second revise of the same version: %v", err)
	}
	for _, tt := range []struct {
		from, to State
		ok       bool
	}{
		{StateDraft, StateFinalized, true}, {StateDraft, StateSent, false}, {StateQueued, StateSent, true},
		{StateSent, StateQueued, false}, {StateRejected, StateQueued, false}, {StateSendFailed, StateQueued, true},
		{StateQueued, StateDraft, false},
	} {
		if got := CanTransition(tt.from, tt.to); got != tt.ok {
			t.Errorf("CanTransition(%s, %s) = %v", tt.from, tt.to, got)
		}
	}
}

func TestNewID(t *testing.T) {
	seen := map[string]bool{}
	prev := ""
	for i := 0; i < 1000; i++ {
		id, err := NewID(t0.Add(time.Duration(i)*time.Millisecond), nil)
		if err != nil || !ValidID(id) || seen[id] || id <= prev {
			t.Fatalf("NewID %d = %q, %v (prev %q)", i, id, err, prev)
		}
		seen[id], prev = true, id
	}
}

func TestSetNumbersAndEvidence(t *testing.T) {
	cat := catalog(t)
	a, _ := draft(t, cat)
	c := Change{Now: t0}
	if _, err := a.SetNumbers(cat, "Q02", map[string]Decimal{"total_devices": "120", "digital_devices": "60"}, c); err != nil {
		t.Fatal(err)
	}
	audit, err := a.SetNumbers(cat, "Q02", map[string]Decimal{"digital_devices": ""}, c)
	if err != nil || audit.Old != "digital_devices=60,total_devices=120" || audit.New != "total_devices=120" {
		t.Errorf("clear field: %+v %v", audit, err)
	}
	if _, err := a.SetNumbers(cat, "Q02", map[string]Decimal{"total_devices": "-3"}, c); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative accepted: %v", err)
	}
	ev := Evidence{Path: "/home/li/照片/车间.jpg", SHA256: strings.Repeat("ab", 32), Size: 10}
	if _, err := a.AddEvidence(cat, "Q01", ev, c); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddEvidence(cat, "Q01", ev, c); !errors.Is(err, ErrExists) {
		t.Errorf("duplicate evidence: %v", err)
	}
	if _, err := a.AddEvidence(cat, "Q99", ev, c); !errors.Is(err, ErrInvalid) {
		t.Errorf("evidence on unknown item: %v", err)
	}
}

func TestDemo(t *testing.T) {
	cat := catalog(t)
	e := DemoEnterprise()
	if err := e.Validate(); err != nil {
		t.Fatalf("demo enterprise invalid: %v", err)
	}
	a, err := NewAssessment(NewAssessmentOptions{ID: "X", Enterprise: e.Code, Kind: KindBaseline, Catalog: cat, Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	c := Change{Who: DemoAssessor().Person, Now: t0}
	for _, s := range DemoAnswerSteps() {
		if s.Scenario != "" {
			_, err = a.SetRating(cat, s.Scenario, s.Level, c)
		} else {
			_, err = a.SetAnswer(cat, s.Question, s.Options, c)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	done, total := a.Progress(cat)
	if done == 0 || done >= total {
		t.Errorf("demo should be half finished: %d/%d", done, total)
	}
}

// TestVerifyReportEncodesOnce counts the canonical encodings of one
// verification: one, to compare with the bytes; the signed bytes are cut
// from them (they used to be encoded a second time). They must be exactly
// the document encoded without its signature.
func TestVerifyReportEncodesOnce(t *testing.T) {
	data := finalizedReport(t)
	encodings := 0
	doc, err := verifyReport(data, func(d ReportDocument) ([]byte, error) {
		encodings++
		return d.Canonical()
	})
	if err != nil || encodings != 1 {
		t.Fatalf("verifyReport: %d encodings, %v", encodings, err)
	}
	doc.Signature = nil
	want, err := doc.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	got, err := withoutSignature(data, *mustVerify(t, data).Signature)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("withoutSignature = %s, %v\nwant %s", got, err, want)
	}
	// A signature member that is not the document's last bytes is refused.
	if _, err := withoutSignature(append(data[:len(data)-1:len(data)-1], ` }`...), *mustVerify(t, data).Signature); !errors.Is(err, ErrTampered) {
		t.Errorf("withoutSignature(moved) = %v", err)
	}
}

func mustVerify(t *testing.T, data []byte) ReportDocument {
	t.Helper()
	doc, err := VerifyReport(data)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestCheckReportScoreComparesEveryMember: a re-signed report whose score
// and level are right but any other member of its result differs from the
// rescoring is refused (the comparison is of values now, not encodings).
func TestCheckReportScoreComparesEveryMember(t *testing.T) {
	cat := catalog(t)
	data := finalizedReport(t)
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	changes := map[string]func(*Result){
		"same result":       func(*Result) {},
		"gate text":         func(r *Result) { r.Checks[0].Text += "。" },
		"question points":   func(r *Result) { r.Questions[0].Points += 25 },
		"question options":  func(r *Result) { r.Questions[0].Options = append(r.Questions[0].Options, "Z") },
		"scenario rated":    func(r *Result) { r.Scenarios[0].Rated = !r.Scenarios[0].Rated },
		"count":             func(r *Result) { r.Counts[1].Total++ },
		"missing listed":    func(r *Result) { r.Missing = []string{"Q01"} },
		"empty missing":     func(r *Result) { r.Missing = []string{} },
		"sub-dimension max": func(r *Result) { r.Dimensions[0].SubDimensions[0].Max++ },
	}
	for name, change := range changes {
		doc := mustVerify(t, data)
		change(&doc.Result)
		forged, err := SignReport(doc, key)
		if err != nil {
			t.Fatal(err)
		}
		err = CheckReportScore(cat, mustVerify(t, forged))
		if ok := name == "same result" || name == "empty missing"; ok != (err == nil) {
			t.Errorf("%s: CheckReportScore = %v", name, err)
		}
	}
}

// TestVerifyReportSaysWhy: a canonical document is decoded by the fast
// path; anything else is decoded again strictly, so the refusal names the
// reason as before.
func TestVerifyReportSaysWhy(t *testing.T) {
	data := finalizedReport(t)
	cases := map[string]struct {
		body []byte
		want string
	}{
		"unknown member":  {bytes.Replace(data, []byte(`{"format"`), []byte(`{"x":1,"format"`), 1), `unknown field "x"`},
		"trailing data":   {append(bytes.Clone(data), ` {}`...), "多余内容"},
		"reformatted":     {append([]byte(" "), data...), "不是规范格式"},
		"trailing space":  {append(bytes.Clone(data), ' '), "不是规范格式"},
		"unknown format":  {bytes.Replace(data, []byte(ReportFormat), []byte("digilevel-report/9"), 1), "不受支持"},
		"not JSON":        {data[:len(data)-1], "不是有效的 JSON 文档"},
		"key case":        {bytes.Replace(data, []byte(`{"format"`), []byte(`{"FORMAT"`), 1), "不是规范格式"},
		"duplicated key":  {bytes.Replace(data, []byte(`{"format":`), []byte(`{"format":"x","format":`), 1), "不是规范格式"},
		"signature moved": {bytes.Replace(data, data[bytes.Index(data, []byte(`,"signature"`)):len(data)-1], nil, 1), "没有签名"},
	}
	for name, c := range cases {
		if _, err := VerifyReport(c.body); !errors.Is(err, ErrTampered) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}

// finalizedReport is the signed report of a complete assessment.
func finalizedReport(t *testing.T) []byte {
	t.Helper()
	cat := catalog(t)
	a, e := draft(t, cat)
	complete(t, cat, &a)
	data, _, err := a.Finalize(cat, planning(t, cat), e, testKey(), Change{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	return data
}
