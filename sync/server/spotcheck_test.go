package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage"
	"digilevel/storage/platform"
	"digilevel/sync/bundle"
	"digilevel/sync/internal/fixture"
	"digilevel/sync/protocol"
)

// unit is the inspection unit of the spot-checks below and of its token.
const unit = "区抽查组"

// inspectorDB is an inspector's laptop: one installation key, as the
// platform binds to the inspector's token.
type inspectorDB struct {
	db  *storage.DB
	dir string
}

func newInspector(t *testing.T) inspectorDB {
	t.Helper()
	dir := t.TempDir()
	db, err := storage.Open(filepath.Join(dir, "inspector.db"), storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return inspectorDB{db: db, dir: dir}
}

// spotCheckOf has the inspector of org pull body onto the laptop and
// re-rate it (blind); it returns the spot-check's ID and signed body.
func (in inspectorDB) spotCheckOf(t *testing.T, body []byte, org string) (string, []byte) {
	t.Helper()
	origin := model.PullOrigin{Source: model.SourcePlatform, Server: "http://平台", ServerSeq: 1, ReceivedAt: time.Now(), Provider: provider}
	if _, err := in.db.StorePulled(body, origin, model.Change{Who: "赵抽查"}); err != nil {
		t.Fatal(err)
	}
	a := fixture.SpotCheck(t, in.db, mustDoc(t, body).ID, org, in.dir)
	out, err := in.db.StoredReport(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID, out
}

// listed is the listing entry of a report, read as an inspector would.
func listed(t *testing.T, url, token, code, id string) protocol.ReportInfo {
	t.Helper()
	status, _, data := get(t, url+protocol.ReportsPath+"?enterprise="+code, token)
	var list protocol.ReportList
	if err := json.Unmarshal(data, &list); status != http.StatusOK || err != nil {
		t.Fatalf("listing: %d %s", status, data)
	}
	for _, r := range list.Reports {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("report %s is not listed: %s", id, data)
	return protocol.ReportInfo{}
}

// Issue 11 phase 2: the platform takes spot-checks from inspectors only,
// and only spot-checks from them; it records and lists which report each
// one checks, verifying the link as far as it holds that report.
func TestSpotCheckUploadRules(t *testing.T) {
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
	tok := env.Token(t, provider, platform.RoleProvider)
	inspector := env.Token(t, unit, platform.RoleInspector)
	otherUnit := env.Token(t, "别的抽查组", platform.RoleInspector)
	l := newLaptop(t, 1)
	a, b, rev := l.bodies[l.a], l.bodies[l.b], l.bodies[l.rev]
	code := mustDoc(t, a).Enterprise.Code
	put := func(token, id string, body []byte) (int, protocol.Error) {
		status, data := fixture.Put(t, env.URL, token, id, body, sha(body), protocol.IdempotencyKey(id, sha(body)))
		var e protocol.Error
		if status >= 300 {
			e = errBody(t, data)
		}
		return status, e
	}
	in := newInspector(t)
	spotA, spotABody := in.spotCheckOf(t, a, unit)
	// A copy of b that is not the provider's (another installation signed
	// other content under b's ID), and likewise of the revision.
	forgedB := resign(t, b, func(d *model.ReportDocument) { d.Problems = nil })
	spotB, spotBBody := in.spotCheckOf(t, forgedB, unit)
	forgedRev := resign(t, rev, func(d *model.ReportDocument) { d.Problems = nil })
	spotRev, spotRevBody := in.spotCheckOf(t, forgedRev, unit)
	noLink := resign(t, spotABody, func(d *model.ReportDocument) { d.Checks = nil })
	linkedBaseline := resign(t, b, func(d *model.ReportDocument) { d.Checks = mustDoc(t, spotABody).Checks })

	refusals := []struct {
		name      string
		token, id string
		body      []byte
		status    int
		code      string
		text      string
	}{
		{"provider token uploads a spot-check", tok, spotA, spotABody, 403, protocol.CodeSpotCheckNeedsInspector, "服务商令牌不能上传抽查报告"},
		{"inspector token uploads a baseline", inspector, l.b, b, 403, protocol.CodeInspectorSpotCheckOnly, "抽查人员令牌只能上传抽查报告"},
		{"another unit's inspector token", otherUnit, spotA, spotABody, 403, protocol.CodeProviderMismatch, "抽查单位「别的抽查组」"},
		{"spot-check without a link", inspector, spotA, noLink, 422, protocol.CodeInvalidReport, "没有关联被抽查的报告"},
		{"baseline with a link", tok, l.b, linkedBaseline, 422, protocol.CodeInvalidReport, "只有抽查"},
	}
	for _, c := range refusals {
		status, e := put(c.token, c.id, c.body)
		if status != c.status || e.Code != c.code || !strings.Contains(e.Message, c.text) {
			t.Errorf("%s: %d %+v; want %d %s containing %q", c.name, status, e, c.status, c.code, c.text)
		}
	}
	if last, _ := env.Store.LastSeq(); last != 0 {
		t.Fatalf("the refusals stored %d reports", last)
	}

	// The checked report is not on the platform yet: the spot-check is
	// accepted, its link pending; the provider's report arrives and the
	// link is verified.
	if status, e := put(inspector, spotA, spotABody); status != http.StatusCreated {
		t.Fatalf("inspector's spot-check: %d %+v", status, e)
	}
	info := listed(t, env.URL, inspector, code, spotA)
	if info.Checks == nil || info.Checks.ID != l.a || info.Checks.SHA256 != sha(a) || info.Checks.Kind != string(model.KindBaseline) ||
		info.Checks.Org != provider || !info.Checks.Blind || info.Checks.State != platform.LinkPending || info.Provider != unit {
		t.Fatalf("spot-check before its report: %+v %+v", info, info.Checks)
	}
	if status, e := put(tok, l.a, a); status != http.StatusCreated {
		t.Fatalf("provider's report: %d %+v", status, e)
	}
	if info := listed(t, env.URL, inspector, code, spotA); info.Checks.State != platform.LinkVerified {
		t.Errorf("link after the report arrived: %+v", info.Checks)
	}
	if info := listed(t, env.URL, inspector, code, l.a); info.Checks != nil {
		t.Errorf("the provider's report lists a link: %+v", info.Checks)
	}
	if status, _ := put(inspector, spotA, spotABody); status != http.StatusOK {
		t.Errorf("the same spot-check again: %d", status)
	}

	// The platform holds b, and the spot-check pins another b: refused,
	// nothing stored.
	if status, e := put(tok, l.b, b); status != http.StatusCreated {
		t.Fatalf("provider's b: %d %+v", status, e)
	}
	status, e := put(inspector, spotB, spotBBody)
	if status != http.StatusConflict || e.Code != protocol.CodeCheckedMismatch || !strings.Contains(e.Message, "校验值") || !strings.Contains(e.Message, "重新拉取") {
		t.Errorf("spot-check of another b: %d %+v", status, e)
	}
	if _, _, err := env.Store.Report(spotB); err == nil {
		t.Error("the refused spot-check was stored")
	}

	// A spot-check of a report the platform does not hold yet is taken;
	// when another report arrives under that ID, the provider's report is
	// not refused, and the link is listed as a mismatch.
	if status, e := put(inspector, spotRev, spotRevBody); status != http.StatusCreated {
		t.Fatalf("spot-check of the forged revision: %d %+v", status, e)
	}
	if status, e := put(tok, l.rev, rev); status != http.StatusCreated {
		t.Fatalf("the provider's revision after a spot-check pinned another: %d %+v", status, e)
	}
	if info := listed(t, env.URL, inspector, code, spotRev); info.Checks.State != platform.LinkMismatch {
		t.Errorf("link to a report that arrived different: %+v", info.Checks)
	}
	// The office's listing says the same.
	office := env.Token(t, "区工信局", platform.RoleOffice)
	status, _, data := get(t, env.URL+protocol.ReportsPath, office)
	if status != http.StatusOK || !bytes.Contains(data, []byte(`"state":"mismatch"`)) || !bytes.Contains(data, []byte(`"state":"verified"`)) {
		t.Errorf("office listing: %d %s", status, data)
	}
}

// `serve import` of an inspector's bundle: the same rules as the API, for
// the unit and role the admin names.
func TestImportSpotChecks(t *testing.T) {
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
	l := newLaptop(t, 1)
	a := l.bodies[l.a]
	spotA, spotABody := newInspector(t).spotCheckOf(t, a, unit)
	var buf bytes.Buffer
	w := bundle.NewWriter(&buf, "INSPECTOR-1", "", time.Now())
	if err := w.AddReport(spotABody, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.AddReport(a, nil); err != nil { // the provider's report, carried along
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := bundle.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	// Named as a provider: the spot-check is refused (held on the laptop).
	rf, err := env.Server.Import(b, unit, platform.RoleProvider)
	if err != nil || len(rf.Rejected) != 2 || rf.Rejected[0].ID != spotA || rf.Rejected[0].Code != protocol.CodeSpotCheckNeedsInspector ||
		rf.Rejected[1].Code != protocol.CodeProviderMismatch {
		t.Fatalf("as a provider: %+v %v", rf, err)
	}
	// As the inspection unit: the spot-check goes, the provider's report
	// is not the inspector's to hand in.
	rf, err = env.Server.Import(b, unit, platform.RoleInspector)
	if err != nil || len(rf.Receipts) != 1 || rf.Receipts[0].ID != spotA || len(rf.Rejected) != 1 ||
		rf.Rejected[0].Status != 403 || rf.Rejected[0].Code != protocol.CodeInspectorSpotCheckOnly {
		t.Fatalf("as the inspection unit: %+v %v", rf, err)
	}
	rec, _, err := env.Store.Report(spotA)
	if err != nil || rec.Source != platform.SourceBundle || rec.Checks != l.a || rec.ChecksState != platform.LinkPending {
		t.Errorf("imported spot-check %+v %v", rec, err)
	}
	again, err := env.Server.Import(b, unit, platform.RoleInspector)
	if err != nil || len(again.Receipts) != 1 || again.Receipts[0].ServerSeq != rf.Receipts[0].ServerSeq || again.Receipts[0].Status != protocol.StatusExisting {
		t.Errorf("second import: %+v %v", again, err)
	}
	if _, err := env.Server.Import(b, unit, platform.RoleOffice); err == nil || !strings.Contains(err.Error(), "inspector") {
		t.Errorf("import as office: %v", err)
	}
}
