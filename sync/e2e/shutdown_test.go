package e2e

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"digilevel/model"
	"digilevel/storage/serverstore"
	"digilevel/sync/internal/fixture"
	"digilevel/sync/protocol"
)

// The server is stopped gracefully (what SIGTERM does) while twenty
// uploaders keep sending: every report it answered 2xx for is in the
// database after reopening, with the receipt it gave.
func TestShutdownKeepsAcceptedReports(t *testing.T) {
	dir := t.TempDir()
	env := fixture.StartServer(t, dir, fixture.EnvOptions{AllowOfficeUpload: true})
	laptop := fixture.SeedLaptop(t, dir, 500, size(2500, 500), 13)
	reports := fixture.Finalized(t, laptop)
	token := env.Token(t, "区工信局", serverstore.RoleOffice)
	ids := make(chan string)
	var mu sync.Mutex
	acked := map[string]protocol.Receipt{}
	firstAcks := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hc := &http.Client{}
			for id := range ids {
				body := reports[id]
				req, _ := http.NewRequest(http.MethodPut, protocol.ReportURL(env.URL, id), strings.NewReader(string(body)))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set(protocol.HeaderSHA256, model.HashReport(body))
				req.Header.Set(protocol.HeaderIdempotencyKey, protocol.IdempotencyKey(id, model.HashReport(body)))
				resp, err := hc.Do(req)
				if err != nil {
					continue // refused or cut: not acknowledged
				}
				var r protocol.Receipt
				err = json.NewDecoder(resp.Body).Decode(&r)
				resp.Body.Close()
				if err == nil && (resp.StatusCode == 200 || resp.StatusCode == 201) {
					mu.Lock()
					acked[id] = r
					if len(acked) == 50 {
						once.Do(func() { close(firstAcks) })
					}
					mu.Unlock()
				}
			}
		}()
	}
	go func() {
		<-firstAcks
		env.Stop() // graceful: in-flight requests finish, new ones are refused
	}()
	for id := range reports {
		ids <- id
	}
	close(ids)
	wg.Wait()
	if err := env.CloseStore(); err != nil {
		t.Fatal(err)
	}
	st, err := serverstore.Open(filepath.Join(dir, "server.db"), serverstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	recs, _ := st.ReportsAfter(0, 0)
	t.Logf("%d of %d reports acknowledged before and during shutdown; %d stored", len(acked), len(reports), len(recs))
	if len(acked) == len(reports) {
		t.Error("every report was acknowledged: the server was not stopped during the uploads")
	}
	for id, r := range acked {
		rec, body, err := st.Report(id)
		if err != nil || rec.Seq != r.ServerSeq || rec.SHA256 != r.SHA256 || string(body) != string(reports[id]) {
			t.Fatalf("acknowledged report %s lost or changed after shutdown: %+v %v", id, rec, err)
		}
	}
	if problems, err := st.Check(); err != nil || len(problems) > 0 {
		t.Fatalf("check after shutdown: %v %v", problems, err)
	}
}
