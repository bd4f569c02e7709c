package client_test

import (
	"context"
	"strings"
	"testing"

	"digilevel/model"
	"digilevel/storage/platform"
	"digilevel/storage/serverstore"
	"digilevel/sync/client"
	"digilevel/sync/internal/fixture"
	"digilevel/sync/protocol"
)

// Issue 11 phase 2: an inspector's laptop sends its spot-check. The kind
// refusals are about one report and the token it was sent with: the
// report is held with what to do, the queue is not paused, and the right
// token sends it. The platform records the link, verified against the
// provider's report it holds.
func TestSpotCheckSyncHoldsWrongKinds(t *testing.T) {
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
	providerDB, codes := uploaded(t, env)
	const unit = "经开区抽查组"
	db := inspectorLaptop(t)
	dir := t.TempDir()
	inspector := env.Token(t, unit, serverstore.RoleInspector)
	puller, err := client.New(db, client.Options{Server: env.URL, Token: inspector, Who: "赵抽查"})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := puller.PullEnterprises(context.Background(), codes[1:]); err != nil || res.Stored != 1 {
		t.Fatalf("pull: %+v %v", res, err)
	}
	pulled, _ := db.PulledReports(codes[1])
	checked := pulled[0]
	spot := fixture.SpotCheck(t, db, checked.ID, unit, dir, "抽查现场记录")
	// The inspector also made a baseline of the unit's own on this laptop:
	// that is no spot-check.
	own := fixture.Finalize(t, db, codes[1], unit, dir)

	// A provider's token: the spot-check and the baseline are held, each
	// with its own reason, and nothing reaches the platform.
	providerToken := env.Token(t, provider, serverstore.RoleProvider)
	c, err := client.New(db, client.Options{Server: env.URL, Token: providerToken})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.SendPending(context.Background())
	if err != nil || res.Paused || res.Held != 2 || res.Sent != 0 {
		t.Fatalf("pass with a provider's token: %+v %v; want 2 held, not paused", res, err)
	}
	st := states(t, db)
	if it := st[spot.ID]; it.State != model.StateHeld || !strings.Contains(it.LastError, "服务商令牌不能上传抽查报告") ||
		!strings.Contains(it.LastError, "用抽查人员令牌发送") {
		t.Errorf("held spot-check %+v", it)
	}
	if it := st[own.ID]; it.State != model.StateHeld || !strings.Contains(it.LastError, "评测机构为「"+unit+"」") {
		t.Errorf("held baseline %+v", it)
	}
	if recs, _ := env.Store.Reports(codes[1]); len(recs) != 1 {
		t.Fatalf("the platform stored %d reports of %s after the refusals, want the provider's 1", len(recs), codes[1])
	}

	// The inspector's token: the spot-check goes (with its evidence), the
	// baseline is held for the inspector's token too.
	c, err = client.New(db, client.Options{Server: env.URL, Token: inspector})
	if err != nil {
		t.Fatal(err)
	}
	res, err = c.SendPending(context.Background())
	if err != nil || res.Paused || res.Sent != 1 || res.Held != 1 {
		t.Fatalf("pass with the inspector's token: %+v %v; want 1 sent, 1 held", res, err)
	}
	if it := states(t, db)[own.ID]; it.State != model.StateHeld || !strings.Contains(it.LastError, "抽查人员令牌只能上传抽查报告") ||
		!strings.Contains(it.LastError, "服务商）的令牌发送") {
		t.Errorf("baseline held for the inspector's token %+v", it)
	}
	rec, _, err := env.Store.Report(spot.ID)
	if err != nil || rec.Checks != checked.ID || rec.ChecksSHA256 != checked.SHA256 || rec.ChecksOrg != provider ||
		!rec.ChecksBlind || rec.ChecksState != platform.LinkVerified || rec.Provider != unit {
		t.Fatalf("stored spot-check %+v %v", rec, err)
	}
	if _, body, _ := env.Store.Report(spot.ID); string(body) != string(fixture.Finalized(t, db)[spot.ID]) {
		t.Error("the platform's spot-check differs from the laptop's")
	}
	if recs, _ := env.Store.ReportsAfter(0, 0); len(recs) != len(fixture.Finalized(t, providerDB))+1 {
		t.Errorf("the platform holds %d reports, want the provider's and the spot-check", len(recs))
	}
	if items, _ := db.Outbox(); len(items) != 1 || items[0].AssessmentID != own.ID {
		t.Errorf("outbox %+v, want the held baseline only", items)
	}
	ev, _ := db.Assessment(spot.ID)
	files := ev.Evidence["Q01"]
	if len(files) != 1 {
		t.Fatalf("spot-check evidence %+v", ev.Evidence)
	}
	if ok, _ := env.Store.HasEvidence(files[0].SHA256); !ok {
		t.Errorf("the spot-check's evidence %s did not reach the platform", files[0].Path)
	}
}

// A receipts file that refuses a report for who handed the bundle in (a
// spot-check from a provider, a provider's report from an inspector, a
// laptop key no token of the unit is bound to) holds it: the report is
// valid and leaves again in the next bundle or sync, never 被拒收.
func TestReceiptsFileHoldsSpotCheckKindRefusals(t *testing.T) {
	for _, code := range []string{protocol.CodeSpotCheckNeedsInspector, protocol.CodeInspectorSpotCheckOnly, protocol.CodeKeyMismatch} {
		db := newLaptop(t, 1, 1)
		it, _ := db.Outbox()
		res, err := client.ApplyReceipts(db, protocol.ReceiptsFile{Format: protocol.ReceiptsFormat, Rejected: []protocol.Rejection{
			{ID: it[0].AssessmentID, SHA256: it[0].SHA256, Status: 403, Code: code, Message: "令牌不能上传这类报告"}}}, model.Change{Who: "测试"})
		if err != nil || res.Held != 1 {
			t.Fatalf("%s: %+v %v", code, res, err)
		}
		if st := states(t, db)[it[0].AssessmentID]; st.State != model.StateHeld || !strings.Contains(st.LastError, "处理办法") {
			t.Errorf("%s: held item %+v", code, st)
		}
		if again, _ := db.Outbox(); len(again) != 1 || !again[0].State.Unsent() {
			t.Errorf("%s: the held report would not leave in the next bundle: %+v", code, again)
		}
	}
}
