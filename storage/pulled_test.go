package storage

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
)

const providerOrg = "河南某数字科技有限公司"

var inspector = model.Assessor{Org: "经开区数字化转型办公室", Person: "赵抽查"}

// providerReports finalizes an acceptance assessment on a provider's
// laptop, then revises and finalizes it again, and returns both signed
// reports (v1, v2) and the enterprise code.
func providerReports(t *testing.T) (code string, v1, v2 []byte, v1ID, v2ID string) {
	t.Helper()
	db := newTestDB(t)
	// The provider's laptop: its revisions are signed by its identity.
	if err := db.SetIdentity(model.Assessor{Org: providerOrg, Person: "李工"}); err != nil {
		t.Fatal(err)
	}
	code = validCode(t, "91410700MA44RN9B0")
	e := enterprise(code, "新乡市被抽查机械有限公司")
	if _, err := db.CreateEnterprise(e, who); err != nil {
		t.Fatal(err)
	}
	a, err := db.CreateAssessment(NewAssessment{Enterprise: code, Kind: model.KindAcceptance, Assessor: model.Assessor{Org: providerOrg, Person: "李工"}}, who)
	if err != nil {
		t.Fatal(err)
	}
	answerAll(t, db, a.ID)
	if _, err := db.Finalize(a.ID, who); err != nil {
		t.Fatal(err)
	}
	next, err := db.Revise(a.ID, "补充佐证后更正 Q01", who)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Finalize(next.ID, who); err != nil {
		t.Fatal(err)
	}
	v1, _ = db.StoredReport(a.ID)
	v2, _ = db.StoredReport(next.ID)
	return code, v1, v2, a.ID, next.ID
}

var platform = model.PullOrigin{Source: model.SourcePlatform, Server: "https://平台", ServerSeq: 7, ReceivedAt: t0, Provider: providerOrg}

// resign changes a verified report and signs it with another key, as a
// forger with their own key could.
func resign(t *testing.T, data []byte, change func(d *model.ReportDocument)) []byte {
	t.Helper()
	d, err := model.VerifyReport(data)
	if err != nil {
		t.Fatal(err)
	}
	change(&d)
	out, err := model.SignReport(d, ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, ed25519.SeedSize)))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestStorePulled(t *testing.T) {
	code, v1, v2, v1ID, v2ID := providerReports(t)
	db := newTestDB(t)
	out, err := db.StorePulled(v1, platform, who)
	if err != nil || out.Status != PullStored || !out.EnterpriseCreated || out.Report.Origin.ServerSeq != 7 || out.Report.Assessor.Org != providerOrg {
		t.Fatalf("first pull: %+v %v", out, err)
	}
	e, err := db.Enterprise(code)
	if err != nil || e.Name != "新乡市被抽查机械有限公司" || e.Demo || e.Provider != providerOrg {
		t.Fatalf("enterprise file from the report: %+v %v", e, err)
	}
	if log, _ := db.EnterpriseAuditLog(code); len(log) != 1 || log[0].Action != "enterprise_pull" || !strings.Contains(log[0].Reason, v1ID) {
		t.Errorf("enterprise log %+v", log)
	}
	again, err := db.StorePulled(v1, model.PullOrigin{Source: model.SourceBundle, Bundle: strings.Repeat("b", 64)}, who)
	if err != nil || again.Status != PullExisting || again.Report.Origin.Source != model.SourcePlatform {
		t.Errorf("second pull of the same bytes: %+v %v", again, err)
	}
	if log, _ := db.AuditLog(v1ID); len(log) != 1 || log[0].Action != ActionPull || !strings.Contains(log[0].New, "回执序号 7") {
		t.Errorf("pull log %+v (a repeated pull must add nothing)", log)
	}
	if out, err := db.StorePulled(v2, platform, who); err != nil || out.EnterpriseCreated || out.Status != PullStored {
		t.Fatalf("v2: %+v %v", out, err)
	}
	list, err := db.PulledReports(code)
	if err != nil || len(list) != 2 || list[0].ID != v1ID || list[0].ReplacedBy != v2ID || list[1].ReplacedBy != "" {
		t.Fatalf("list %+v %v", list, err)
	}
	if all, _ := db.PulledReports(""); len(all) != 2 {
		t.Errorf("all pulled: %d", len(all))
	}
	// Asked for as an assessment, a pulled report is said to be one, with
	// where to look, not "不存在".
	if _, err := db.Assessment(v1ID); !errors.Is(err, model.ErrNotFound) || !strings.Contains(err.Error(), "是拉取的报告") || !strings.Contains(err.Error(), "pull list") {
		t.Errorf("a pulled report asked for as an assessment: %v", err)
	}
}

func TestStorePulledRefuses(t *testing.T) {
	code, v1, _, _, _ := providerReports(t)
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{5}, ed25519.SeedSize))
	draftDoc, _ := model.VerifyReport(v1)
	draftDoc.Draft, draftDoc.Signature = true, nil
	draft, _ := model.SignReport(draftDoc, other)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"one byte changed", bytes.Replace(v1, []byte(`"person":"李工"`), []byte(`"person":"王工"`), 1), "签名无效"},
		{"score raised and re-signed", resign(t, v1, func(d *model.ReportDocument) { d.Result.Level = 4 }), "不符"},
		{"foreign catalog", resign(t, v1, func(d *model.ReportDocument) { d.Catalog.Hash = strings.Repeat("c", 64) }), "不在本机，无法重新计分"},
		{"draft", draft, "草稿"},
		{"control character in a name", resign(t, v1, func(d *model.ReportDocument) { d.Assessor.Org = "服务商\x1b[2J" }), "控制字符"},
		{"not a report", []byte(`{"format":"x"}`), "报告格式 \"x\" 不受支持"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newTestDB(t)
			_, err := db.StorePulled(tt.data, platform, who)
			if !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want %q", err, tt.want)
			}
			if list, _ := db.PulledReports(""); len(list) != 0 {
				t.Errorf("stored %d reports", len(list))
			}
			if _, err := db.Enterprise(code); !errors.Is(err, model.ErrNotFound) {
				t.Errorf("enterprise created from a refused report: %v", err)
			}
		})
	}
	t.Run("other bytes under a pulled ID", func(t *testing.T) {
		db := newTestDB(t)
		if _, err := db.StorePulled(v1, platform, who); err != nil {
			t.Fatal(err)
		}
		forged := resign(t, v1, func(d *model.ReportDocument) { d.Assessor.Person = "王工" })
		if _, err := db.StorePulled(forged, platform, who); !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "内容不同") {
			t.Errorf("conflict: %v", err)
		}
		_, data, _ := db.PulledReport(firstID(t, db))
		if data != nil {
			t.Error("sealed report handed out")
		}
	})
}

func firstID(t *testing.T, db *DB) string {
	t.Helper()
	list, err := db.PulledReports("")
	if err != nil || len(list) == 0 {
		t.Fatalf("no pulled report: %v", err)
	}
	return list[0].ID
}

func TestOwnReportIsNotPulled(t *testing.T) {
	db := newTestDB(t)
	code := validCode(t, "91410700MA44RN9B0")
	db.CreateEnterprise(enterprise(code, "甲"), who)
	a, _ := db.CreateAssessment(NewAssessment{Enterprise: code, Kind: model.KindAcceptance, Assessor: model.Assessor{Org: providerOrg, Person: "李工"}}, who)
	answerAll(t, db, a.ID)
	db.Finalize(a.ID, who)
	data, _ := db.StoredReport(a.ID)
	if _, err := db.StorePulled(data, platform, who); !errors.Is(err, model.ErrExists) || !strings.Contains(err.Error(), "本机自己的评测") {
		t.Errorf("own report: %v", err)
	}
}

func TestBlindSpotCheck(t *testing.T) {
	code, v1, v2, v1ID, v2ID := providerReports(t)
	db := newTestDB(t)
	for _, data := range [][]byte{v1, v2} {
		if _, err := db.StorePulled(data, platform, who); err != nil {
			t.Fatal(err)
		}
	}
	requireSealed := func(want bool) {
		t.Helper()
		_, data, err := db.PulledReport(v2ID)
		if want && (!errors.Is(err, model.ErrState) || !strings.Contains(err.Error(), "盲评") || data != nil) {
			t.Errorf("sealed report opened: %v", err)
		}
		if !want && (err != nil || data == nil) {
			t.Errorf("open report refused: %v", err)
		}
		list, _ := db.PulledReports(code)
		for _, p := range list {
			if want != p.Sealed || want && (p.Level != 0 || p.Score != 0 || p.SealReason == "") {
				t.Errorf("listed %s: sealed %v level %d score %s", p.ID, p.Sealed, p.Level, p.Score)
			}
		}
		trail, err := db.AuditTrail(v1ID)
		if err != nil || trail.Sealed != want || (want && trail.Versions[0].Level != nil) || (!want && trail.Versions[0].Level == nil) {
			t.Errorf("trail sealed %v, level %v, %v", trail.Sealed, trail.Versions[0].Level, err)
		}
	}
	requireSealed(true) // blind mode, nothing started

	spot := NewAssessment{Kind: model.KindSpotCheck, Checks: v2ID, Assessor: inspector}
	tests := []struct {
		name   string
		change func(n *NewAssessment)
		kind   error
		want   string
	}{
		{"unknown report", func(n *NewAssessment) { n.Checks = "01JUNKNOWN0000000000000000" }, model.ErrNotFound, "先用 digilevel pull"},
		{"not a spot-check", func(n *NewAssessment) { n.Kind = model.KindAcceptance }, model.ErrInvalid, "只有抽查"},
		{"revised version", func(n *NewAssessment) { n.Checks = v1ID }, model.ErrInvalid, "已被修订为 " + v2ID},
		{"no inspector name", func(n *NewAssessment) { n.Assessor.Person = "" }, model.ErrInvalid, "抽查人员"},
		{"another enterprise", func(n *NewAssessment) { n.Enterprise = model.DemoCode }, model.ErrInvalid, "而不是"},
		{"no link", func(n *NewAssessment) { n.Checks, n.Enterprise = "", code }, model.ErrInvalid, "抽查须关联被抽查的报告"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := spot
			tt.change(&n)
			if _, err := db.CreateAssessment(n, who); !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
		})
	}
	s, err := db.CreateAssessment(spot, who)
	if err != nil || s.Enterprise != code || s.Checks == nil || !s.Checks.Blind || s.Checks.SHA256 != model.HashReport(v2) || s.Checks.Org != providerOrg {
		t.Fatalf("spot-check %+v %v", s.Checks, err)
	}
	if _, err := db.CreateAssessment(spot, who); !errors.Is(err, model.ErrExists) || !strings.Contains(err.Error(), s.ID) {
		t.Errorf("a second draft of the same report: %v", err)
	}
	db.SetSettings(map[string]string{SettingSpotCheckBlind: "off"})
	requireSealed(true) // a blind draft keeps them sealed whatever the setting says
	answerAll(t, db, s.ID)
	if _, err := db.SpotCheckPair(s.ID); !errors.Is(err, model.ErrState) || !strings.Contains(err.Error(), "盲评，尚未定稿") {
		t.Errorf("pair of a blind draft: %v", err)
	}
	if _, err := db.Finalize(s.ID, who); err != nil {
		t.Fatal(err)
	}
	requireSealed(false)
	pair, err := db.SpotCheckPair(s.ID)
	if err != nil || pair.Checked.ID != v2ID || !bytes.Equal(pair.CheckedBytes, v2) || pair.SpotCheck.Assessment.ID != s.ID || pair.Enterprise.Code != code {
		t.Errorf("pair %+v %v", pair.Checked, err)
	}
	if _, err := db.SpotCheckPair(v2ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("pair of a pulled report: %v", err)
	}
	report, _ := db.StoredReport(s.ID)
	doc, _ := model.VerifyReport(report)
	if doc.Checks == nil || doc.Checks.ID != v2ID || !doc.Checks.Blind {
		t.Errorf("the spot-check's report carries %+v", doc.Checks)
	}

	trail, err := db.AuditTrail(v2ID)
	if err != nil || len(trail.Versions) != 2 || trail.Versions[0].ID != v1ID || trail.Versions[0].ReplacedBy != v2ID || trail.Versions[1].RevisionReason == "" {
		t.Fatalf("trail %+v %v", trail.Versions, err)
	}
	if len(trail.SpotChecks) != 1 || trail.SpotChecks[0].ID != s.ID || trail.SpotChecks[0].Origin != OriginLocal || trail.SpotChecks[0].Level == nil || len(trail.SpotChecks[0].Log) == 0 {
		t.Errorf("spot-checks %+v", trail.SpotChecks)
	}
	if v := trail.Versions[1]; v.Origin != OriginPulled || v.Pulled == nil || v.Pulled.ServerSeq != 7 || v.ReportSHA256 != model.HashReport(v2) || len(v.Log) != 1 {
		t.Errorf("pulled version %+v", v)
	}
	own, err := db.AuditTrail(s.ID)
	if err != nil || len(own.Versions) != 1 || own.Versions[0].Checks == nil || len(own.SpotChecks) != 0 || own.Kind != model.KindSpotCheck {
		t.Errorf("the spot-check's own trail %+v %v", own, err)
	}
	var records EnterpriseRecords
	db.EachEnterprise(func(r EnterpriseRecords) error {
		if r.Enterprise.Code == code {
			records = r
		}
		return nil
	})
	if len(records.Pulled) != 2 || records.Seal.Sealed || records.Pulled[1].Level == 0 {
		t.Errorf("records %+v", records)
	}
}

func TestSpotCheckOfOwnAssessments(t *testing.T) {
	db := newTestDB(t)
	code := validCode(t, "91410700MA44RN9B0")
	db.CreateEnterprise(enterprise(code, "甲"), who)
	a, _ := db.CreateAssessment(NewAssessment{Enterprise: code, Kind: model.KindAcceptance, Assessor: inspector}, who)
	n := NewAssessment{Kind: model.KindSpotCheck, Checks: a.ID, Assessor: inspector}
	if _, err := db.CreateAssessment(n, who); !errors.Is(err, model.ErrState) || !strings.Contains(err.Error(), "是草稿，不能抽查") {
		t.Errorf("a draft: %v", err)
	}
	answerAll(t, db, a.ID)
	db.Finalize(a.ID, who)
	if _, err := db.CreateAssessment(n, who); !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "本机自己的评测") {
		t.Errorf("own finalized assessment: %v", err)
	}
}

func TestBlindModeOff(t *testing.T) {
	_, _, v2, _, v2ID := providerReports(t)
	db := newTestDB(t)
	db.StorePulled(v2, platform, who)
	db.SetSettings(map[string]string{SettingSpotCheckBlind: "off"})
	if blind, _ := db.SpotCheckBlind(); blind {
		t.Fatal("setting off")
	}
	if _, data, err := db.PulledReport(v2ID); err != nil || data == nil {
		t.Errorf("blind mode off: %v", err)
	}
	s, err := db.CreateAssessment(NewAssessment{Kind: model.KindSpotCheck, Checks: v2ID, Assessor: inspector}, who)
	if err != nil || s.Checks.Blind {
		t.Errorf("spot-check with blind mode off: %+v %v", s.Checks, err)
	}
	if log, _ := db.AuditLog(s.ID); len(log) != 1 || log[0].Item != v2ID || !strings.Contains(log[0].New, "非盲评") {
		t.Errorf("create entry %+v", log)
	}
}

func TestCheckFindsPulledTampering(t *testing.T) {
	_, _, v2, _, v2ID := providerReports(t)
	path := t.TempDir() + "/i.db"
	db, err := Open(path, Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.StorePulled(v2, platform, who); err != nil {
		t.Fatal(err)
	}
	if p, _ := db.Check(); len(p) != 0 {
		t.Fatalf("clean: %v", p)
	}
	db.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPulledReports).Put([]byte(v2ID), bytes.Replace(v2, []byte("李工"), []byte("王工"), 1))
	})
	p, _ := db.Check()
	if len(p) != 1 || !strings.Contains(p[0], "拉取的报告 "+v2ID+" 被改动") {
		t.Errorf("problems %v", p)
	}
}

// TestSpotCheckAfterAFinalizedOneIsNotBlind: once a spot-check of the
// enterprise is finalized its pulled reports are open on this laptop, so a
// further spot-check is recorded as not blind, though blind mode is on: the
// signed link never claims the inspector could not see what they could.
func TestSpotCheckAfterAFinalizedOneIsNotBlind(t *testing.T) {
	_, _, v2, _, v2ID := providerReports(t)
	db := newTestDB(t)
	if _, err := db.StorePulled(v2, platform, who); err != nil {
		t.Fatal(err)
	}
	n := NewAssessment{Kind: model.KindSpotCheck, Checks: v2ID, Assessor: inspector}
	first, err := db.CreateAssessment(n, who)
	if err != nil || !first.Checks.Blind {
		t.Fatalf("first spot-check: %+v %v", first.Checks, err)
	}
	answerAll(t, db, first.ID)
	if _, err := db.Finalize(first.ID, who); err != nil {
		t.Fatal(err)
	}
	if seal, _ := db.Seal(first.Enterprise); seal.Sealed {
		t.Fatalf("still sealed after the spot-check was finalized: %+v", seal)
	}
	second, err := db.CreateAssessment(n, who)
	if err != nil || second.Checks.Blind {
		t.Fatalf("second spot-check with the reports open: %+v %v", second.Checks, err)
	}
	if log, _ := db.AuditLog(second.ID); len(log) != 1 || !strings.Contains(log[0].New, "非盲评") {
		t.Errorf("create entry %+v", log)
	}
}
