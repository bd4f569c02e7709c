package client_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage"
	"digilevel/storage/serverstore"
	"digilevel/sync/client"
	"digilevel/sync/internal/fixture"
	"digilevel/sync/protocol"
)

// Issue 9 item 1, the sync test of its "done when": a laptop holds reports
// of three enterprises, one of them signed for another organisation than
// the token's provider. In the first pass every good report is sent and
// recorded, the wrong one is held with its reason and what to do, and the
// queue is not paused. With the same token the held report is not sent
// again; with the right provider's token it goes.
func TestWrongOrganisationIsHeldNotPaused(t *testing.T) {
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
	dir := t.TempDir()
	db, err := storage.Open(dir+"/laptop.db", storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	const other = "别的服务商"
	var good []string
	var wrong model.Assessment
	for i := range 3 {
		e := fixture.Enterprise(t, db, i+1, provider)
		if i == 0 {
			// First in the queue, so that the others are in flight when
			// it is refused.
			wrong = fixture.Finalize(t, db, e.Code, other, dir)
		}
		for range 3 {
			good = append(good, fixture.Finalize(t, db, e.Code, provider, dir).ID)
		}
	}
	c, err := client.New(db, client.Options{Server: env.URL, Token: env.Token(t, provider, serverstore.RoleProvider), Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.SendPending(context.Background())
	if err != nil || res.Paused || res.Sent != len(good) || res.Held != 1 || res.Remaining != 0 || !res.Done() {
		t.Fatalf("first pass: %+v %v; want %d sent, 1 held, not paused", res, err, len(good))
	}
	for _, id := range good {
		if a, _ := db.Assessment(id); a.State != model.StateSent {
			t.Errorf("good report %s is %s after the first pass", id, a.State)
		}
	}
	st, err := client.GetStatus(db)
	if err != nil || st.Paused || st.Sent != len(good) || st.Held != 1 || len(st.Items) != 1 {
		t.Fatalf("status %+v %v", st, err)
	}
	it := st.Items[0]
	if it.ID != wrong.ID || it.State != string(model.StateHeld) || !strings.Contains(it.LastError, "评测机构为「"+other+"」") ||
		!strings.Contains(it.LastError, "处理办法") || !strings.Contains(it.LastError, "HTTP 403") {
		t.Errorf("held item %+v", it)
	}
	// The same token: nothing to send, nothing paused.
	res, err = c.SendPending(context.Background())
	if err != nil || res != (client.Result{}) {
		t.Errorf("second pass with the same token: %+v %v", res, err)
	}
	// The right provider's token sends it.
	c2, err := client.New(db, client.Options{Server: env.URL, Token: env.Token(t, other, serverstore.RoleProvider)})
	if err != nil {
		t.Fatal(err)
	}
	res, err = c2.SendPending(context.Background())
	if err != nil || res.Sent != 1 || res.Held != 0 {
		t.Errorf("pass with the other provider's token: %+v %v", res, err)
	}
	fixture.RequireExactlyOnce(t, env.Store, fixture.Finalized(t, db), db)
}

// Issue 9 item 1: a pause stops new uploads but keeps the receipts of the
// uploads already on the wire; before, they were cancelled and the reports
// the server had accepted stayed unsent on the laptop, pass after pass.
func TestPauseRecordsReceiptsInFlight(t *testing.T) {
	db := newLaptop(t, 3, 1)
	items, _ := db.Outbox()
	revoked := items[0].AssessmentID
	refused := make(chan struct{})
	var once sync.Once
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.PathValue("id") == revoked {
			// Answer only once the others are on the wire.
			time.Sleep(50 * time.Millisecond)
			jsonError(w, 401, "访问令牌已吊销")
			once.Do(func() { close(refused) })
			return
		}
		<-refused // the server accepts these after the pause began
		receipt(w, r, n)
	})
	res, err := newClient(t, db, f.srv.URL, client.Options{Workers: 3}).SendPending(context.Background())
	if err != nil || !res.Paused || res.Sent != 2 || res.Remaining != 1 {
		t.Fatalf("%+v %v; want paused with the 2 accepted reports recorded", res, err)
	}
	st := states(t, db)
	if len(st) != 1 || st[revoked].State != model.StateQueued {
		t.Errorf("outbox after the pass: %+v", st)
	}
}

// Issue 9 item 2: the platform's receipt is the truth. A bundle's receipts
// file that refuses a report the platform turns out to hold (it got there
// by another way), and a later correct receipt for it, leave the report
// sent, never stuck as rejected.
func TestReceiptsFileReceiptIsTheTruth(t *testing.T) {
	db := newLaptop(t, 2, 1)
	items, _ := db.Outbox()
	a, b := items[0], items[1]
	now := time.Now()
	mixed := protocol.ReceiptsFile{Format: protocol.ReceiptsFormat, Bundle: "x",
		Receipts: []protocol.Receipt{{ID: b.AssessmentID, ServerSeq: 2, ReceivedAt: now, SHA256: b.SHA256, Status: protocol.StatusCreated}},
		Rejected: []protocol.Rejection{
			{ID: a.AssessmentID, SHA256: a.SHA256, Status: 409, Code: protocol.CodeConflict, Message: "编号已存在"},
			// The same file both refuses and acknowledges b: the receipt wins.
			{ID: b.AssessmentID, SHA256: b.SHA256, Status: 409, Code: protocol.CodeConflict, Message: "重复"},
		}}
	res, err := client.ApplyReceipts(db, mixed, model.Change{Who: "测试"})
	if err != nil || res.Marked != 1 || res.Rejected != 1 {
		t.Fatalf("mixed file: %+v %v", res, err)
	}
	if x, _ := db.Assessment(b.AssessmentID); x.State != model.StateSent {
		t.Errorf("b is %s, want sent", x.State)
	}
	if x, _ := db.Assessment(a.AssessmentID); x.State != model.StateRejected {
		t.Fatalf("a is %s, want rejected", x.State)
	}
	// Later the platform's receipt for a arrives (another import, or the
	// platform held it all along): it is sent.
	later := protocol.ReceiptsFile{Format: protocol.ReceiptsFormat, Bundle: "y",
		Receipts: []protocol.Receipt{{ID: a.AssessmentID, ServerSeq: 1, ReceivedAt: now, SHA256: a.SHA256, Status: protocol.StatusExisting}}}
	res, err = client.ApplyReceipts(db, later, model.Change{Who: "测试"})
	if err != nil || res.Marked != 1 {
		t.Fatalf("later receipt: %+v %v", res, err)
	}
	if x, _ := db.Assessment(a.AssessmentID); x.State != model.StateSent {
		t.Errorf("a is %s after its receipt, want sent", x.State)
	}
	if problems, err := db.Check(); err != nil || len(problems) > 0 {
		t.Errorf("check: %v %v", problems, err)
	}
	// A provider refusal in a receipts file holds the report.
	db2 := newLaptop(t, 1, 1)
	it, _ := db2.Outbox()
	res, err = client.ApplyReceipts(db2, protocol.ReceiptsFile{Format: protocol.ReceiptsFormat, Rejected: []protocol.Rejection{
		{ID: it[0].AssessmentID, SHA256: it[0].SHA256, Status: 403, Code: protocol.CodeProviderMismatch, Message: "评测机构不符\x1b]0;x\x07"}}}, model.Change{Who: "测试"})
	if err != nil || res.Held != 1 {
		t.Fatalf("provider refusal: %+v %v", res, err)
	}
	if st := states(t, db2)[it[0].AssessmentID]; st.State != model.StateHeld || strings.ContainsRune(st.LastError, 0x1b) {
		t.Errorf("held item %+v", st)
	}
}

// Issue 9 item 6: text from the network is made safe before it is stored.
func TestServerTextIsSanitized(t *testing.T) {
	db := newLaptop(t, 1, 1)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		jsonError(w, 422, "坏\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07报告\u202e"+strings.Repeat("长", 2000))
	})
	if _, err := newClient(t, db, f.srv.URL, client.Options{}).SendPending(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, it := range states(t, db) {
		for _, r := range it.LastError {
			if model.UnsafeRune(r) {
				t.Fatalf("stored reason %q keeps %U", it.LastError, r)
			}
		}
		if len([]rune(it.LastError)) > 600 {
			t.Errorf("stored reason of %d characters", len([]rune(it.LastError)))
		}
	}
}

// Issue 9 item 14: a client that opens the store per pass leaves the
// database free between passes, and waits while another process holds it.
func TestReopeningClientReleasesTheDatabase(t *testing.T) {
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
	dir := t.TempDir()
	path := dir + "/laptop.db"
	db, err := storage.Open(path, storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	e := fixture.Enterprise(t, db, 1, provider)
	fixture.Finalize(t, db, e.Code, provider, dir)
	token := env.Token(t, provider, serverstore.RoleProvider)
	if err := client.Remember(db, env.URL, token); err != nil {
		t.Fatal(err)
	}
	db.Close()
	open := func() (*storage.DB, error) {
		return storage.Open(path, storage.Options{Timeout: 50 * time.Millisecond})
	}
	c, err := client.NewReopening(open, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Between passes the database is free for another process.
	other, err := open()
	if err != nil {
		t.Fatalf("database locked while no pass runs: %v", err)
	}
	if _, err := c.SendPending(context.Background()); !strings.Contains(errString(err), "正被另一个") {
		t.Errorf("pass while the database is held = %v, want storage.ErrLocked", err)
	}
	locked := 0
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	go func() {
		time.Sleep(100 * time.Millisecond)
		other.Close()
	}()
	res, err := c.Watch(ctx, client.WatchOptions{MinBackoff: 20 * time.Millisecond, MaxBackoff: 40 * time.Millisecond,
		NetState: func() string { return "" }, OnLocked: func(error) { locked++ }})
	if err != nil || !res.Done() || res.Sent != 1 || locked == 0 {
		t.Fatalf("watch: %+v %v, %d locked passes", res, err, locked)
	}
	again, err := open()
	if err != nil {
		t.Fatalf("database still locked after Watch: %v", err)
	}
	defer again.Close()
	if n, _ := again.Sent(); n != 1 {
		t.Errorf("%d sent", n)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
