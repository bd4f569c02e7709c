package web_test

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage/platform"
	"digilevel/sync/protocol"
	"digilevel/web"
	"digilevel/web/webtest"
)

func (e *env) summary(t *testing.T) web.Summary {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+protocol.SummaryPath, nil)
	req.Header.Set("Authorization", "Bearer "+e.office)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s web.Summary
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || resp.StatusCode != 200 {
		t.Fatalf("summary: %d %v", resp.StatusCode, err)
	}
	return s
}

func provider(s web.Summary, name string) web.ProviderSummary {
	for _, p := range s.Providers {
		if p.Provider == name {
			return p
		}
	}
	return web.ProviderSummary{}
}

// TestFiguresFollowThePlatform builds a district report by report and checks
// the figures after each step against what the step must change: the
// dashboard catches up by server sequence, takes a revision that arrives
// before the version it replaces, compares a spot-check once the report it
// checks arrives, and follows the roster, refusals and exclusions.
func TestFiguresFollowThePlatform(t *testing.T) {
	engines(t, func(t *testing.T, pg bool) {
		e := newEnv(t, envOptions{postgres: pg})
		m, err := webtest.NewMaker(5)
		if err != nil {
			t.Fatal(err)
		}
		o := webtest.Options{Providers: []string{"甲", "乙"}}
		ent := func(i, batch int, z model.ZJTX, scale model.Scale) model.Enterprise {
			x, err := webtest.Enterprise(i, o, rand.New(rand.NewSource(1)))
			if err != nil {
				t.Fatal(err)
			}
			x.Batch, x.ZJTX, x.Scale, x.Provider = batch, z, scale, ""
			x.Revenue = []model.YearRevenue{{Year: 2026, Wan: "1000"}, {Year: 2027, Wan: "1500"}}
			return x
		}
		e1 := ent(1, 1, model.ZJTXProvincial, model.ScaleBelow)
		e2 := ent(2, 2, model.ZJTXNone, model.ScaleAbove)
		e3 := ent(3, 3, model.ZJTXNone, model.ScaleAbove)
		t0 := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
		put := func(body []byte) {
			t.Helper()
			if err := webtest.Put(e.st, body); err != nil {
				t.Fatal(err)
			}
		}
		report := func(k model.Kind, level int, org string, at time.Time, x model.Enterprise, checks *model.CheckRef, replaces *model.ReportDocument) (model.ReportDocument, []byte) {
			t.Helper()
			doc, body, err := m.Report(k, level, org, at, x, checks, replaces)
			if err != nil {
				t.Fatal(err)
			}
			return doc, body
		}

		// 1. The roster only: three enterprises, none diagnosed.
		rosterE1 := e1
		rosterE1.Scale = model.ScaleAbove // 小升规 recorded on the roster since
		e.roster(t, rosterE1, e2, e3)
		s := e.summary(t)
		if s.Total.Enterprises != 3 || s.Total.OnRoster != 3 || s.Total.NotDiagnosed != 3 || s.Total.Diagnosed != 0 || s.ServerSeq != 0 {
			t.Fatalf("roster only: %+v", s.Total)
		}

		// 2. E1's baseline by 甲 (一级): diagnosed, in retrofit; the 专精特新 target counts it in progress.
		_, b1 := report(model.KindBaseline, 1, "甲", t0, e1, nil, nil)
		put(b1)
		s = e.summary(t)
		if s.Total.Diagnosed != 1 || s.Total.InRetrofit != 1 || s.Batches[0].InRetrofit != 1 || s.Before.Counts[1] != 1 || s.Targets[0].InProgress != 1 {
			t.Fatalf("after E1's baseline: %+v before %v targets %+v", s.Total, s.Before.Counts, s.Targets)
		}

		// 3. E1's acceptance by 甲 (三级) 60 days later: accepted at the floor,
		// a gain of 2, 60 days; both Art. 5 targets reached (规下 in its report,
		// 规上 on the roster).
		a1, a1Body := report(model.KindAcceptance, 3, "甲", t0.Add(60*24*time.Hour), e1, nil, nil)
		put(a1Body)
		s = e.summary(t)
		jia := provider(s, "甲")
		if s.Total.Accepted != 1 || s.Total.AcceptedAtFloor != 1 || s.Total.FloorPercent != 100 || s.Targets[0].Reached != 1 || s.Targets[1].Reached != 1 {
			t.Fatalf("after E1's acceptance: %+v targets %+v", s.Total, s.Targets)
		}
		if jia.Enterprises != 1 || jia.Baselines != 1 || jia.Acceptances != 1 || jia.AverageGain == nil || *jia.AverageGain != 2 || jia.DaysN != 1 || jia.DaysMean != 60 {
			t.Fatalf("甲 after E1: %+v", jia)
		}

		// 4. E2: a revision of its baseline arrives before the version it
		// replaces (the original came later in a bundle). The revision (无等级) is
		// the current version; the original (二级) only counts as received.
		b2, b2Body := report(model.KindBaseline, 2, "乙", t0.Add(24*time.Hour), e2, nil, nil)
		_, b2rBody := report(model.KindBaseline, 0, "乙", t0.Add(48*time.Hour), e2, nil, &b2)
		put(b2rBody)
		put(b2Body)
		s = e.summary(t)
		yi := provider(s, "乙")
		if s.Before.N != 2 || s.Before.Counts[0] != 1 || s.Before.Counts[2] != 0 || yi.Baselines != 2 || yi.Revisions != 1 || yi.Enterprises != 1 {
			t.Fatalf("after E2's revision first: before %v, 乙 %+v", s.Before.Counts, yi)
		}

		// 5. E3: a spot-check arrives before the acceptance it checks. It counts
		// but cannot be compared; once the acceptance arrives it is compared
		// (乙 rated 二级, the inspector 一级: across the floor).
		a3, a3Body := report(model.KindAcceptance, 2, "乙", t0.Add(90*24*time.Hour), e3, nil, nil)
		ref := &model.CheckRef{ID: a3.ID, SHA256: model.HashReport(a3Body), Kind: model.KindAcceptance, Org: "乙", Blind: true}
		_, s3Body := report(model.KindSpotCheck, 1, webtest.DefaultInspector, t0.Add(100*24*time.Hour), e3, ref, nil)
		put(s3Body)
		s = e.summary(t)
		if s.SpotChecks.Total != 1 || s.SpotChecks.Compared != 0 || s.Total.SpotChecked != 1 {
			t.Fatalf("spot-check before its report: %+v", s.SpotChecks)
		}
		b := e.browser(t)
		csrf := b.login(e.office)
		if _, page := b.get("/spotchecks"); !strings.Contains(page, "尚未收到") {
			t.Error("the spot-check page does not say the checked report is missing")
		}
		put(a3Body)
		s = e.summary(t)
		yi = provider(s, "乙")
		if s.SpotChecks.Compared != 1 || s.SpotChecks.CrossFloor != 1 || yi.SpotChecks != 1 || yi.CrossFloor != 1 || yi.LevelAgreement == nil || *yi.LevelAgreement != 0 {
			t.Fatalf("spot-check after its report: %+v, 乙 %+v", s.SpotChecks, yi)
		}
		if _, page := b.get("/spotchecks"); !strings.Contains(page, `class="crit"`) || !strings.Contains(page, "跨越二级") {
			t.Error("the floor-crossing spot-check is not highlighted")
		}
		if provider(s, webtest.DefaultInspector).Provider != "" {
			t.Error("the inspecting organisation is listed as a provider")
		}

		// 6. A refused upload counts against the provider whose token sent it;
		// an inspection unit's refused upload is not a provider's.
		upload := func(token string, body []byte) {
			t.Helper()
			req, _ := http.NewRequest(http.MethodPut, e.ts.URL+protocol.ReportsPath+"/"+strings.Repeat("0", 26), bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set(protocol.HeaderSHA256, model.HashReport(body))
			req.Header.Set(protocol.HeaderIdempotencyKey, "k")
			resp, err := http.DefaultClient.Do(req)
			if err != nil || resp.StatusCode != http.StatusForbidden {
				t.Fatalf("refused upload: %v %v", resp.StatusCode, err)
			}
			resp.Body.Close()
		}
		_, foreign := report(model.KindBaseline, 1, "甲", t0, e2, nil, nil)
		upload(e.token(t, "乙", platform.RoleProvider), foreign)
		_, notSpot := report(model.KindBaseline, 1, webtest.DefaultInspector, t0, e2, nil, nil)
		upload(e.inspector, notSpot)
		if s = e.summary(t); provider(s, "乙").Rejected != 1 || provider(s, "甲").Rejected != 0 || provider(s, webtest.DefaultInspector).Provider != "" {
			t.Errorf("rejections: 乙 %d, 甲 %d; inspector listed: %+v", provider(s, "乙").Rejected, provider(s, "甲").Rejected, provider(s, webtest.DefaultInspector))
		}
		if _, page := b.get("/providers"); !strings.Contains(page, "抽查人员") || !strings.Contains(page, "只能上传抽查报告") {
			t.Error("the refusals table does not show the inspection unit's refusal")
		}

		// 7. The roster changes: E1 is 规下 again (so the 升规 target no longer
		// counts it) and E2 moves to batch 3.
		e2b3 := e2
		e2b3.Batch = 3
		e.roster(t, e1, e2b3)
		s = e.summary(t)
		if s.Total.OnRoster != 3 || s.Batches[0].Enterprises != 1 || s.Batches[1].Enterprises != 0 || s.Batches[2].Enterprises != 2 || s.Targets[1].Reached != 0 {
			t.Fatalf("after the roster change: %+v batches %+v targets %+v", s.Total, s.Batches, s.Targets)
		}

		// 8. An Art. 25 exclusion voids E3's reward in the totals.
		if resp, _ := b.post("/rewards/"+e3.Code, url.Values{"csrf": {csrf}, "reason": {"credit"}, "note": {"失信名单"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("exclusion: %d", resp.StatusCode)
		}
		_, totals := b.get("/download/rewards/totals?format=csv")
		if !strings.Contains(totals, "合计,2,2,1,1,") {
			t.Errorf("reward totals after the exclusion:\n%s", totals)
		}
		if s.ServerSeq != 6 {
			t.Errorf("server seq %d, want 6 reports", s.ServerSeq)
		}
		_ = a1
	})
}
