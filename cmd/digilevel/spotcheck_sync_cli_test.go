package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"digilevel/model"
	"digilevel/storage"
	"digilevel/sync/protocol"
)

// Issue 11 phase 2, end to end through the binary's entry point and a real
// `serve`: a provider's laptop syncs its reports; an inspector pulls one,
// rates it blind, finalizes and syncs with the inspector's token; the
// platform lists the spot-check with its link, verified. A provider's
// token sending the spot-check (by sync, or straight at the API) is
// refused with a clear Chinese reason and nothing is stored. An inspector's
// bundle is imported for the inspection unit (`serve import --role
// inspector`), not for a provider.
func TestSpotCheckSyncCLI(t *testing.T) {
	dir := t.TempDir()
	laptop := laptopWithReports(t, dir, 2)
	srv := filepath.Join(dir, "server.db")
	token := func(args ...string) string {
		out, errs, code := runCLI(t, "", nil, append([]string{"--db", srv, "serve", "token", "add"}, args...)...)
		if code != 0 {
			t.Fatalf("token: %s", errs)
		}
		return strings.TrimSpace(out)
	}
	const unit = "经开区数字化转型办公室"
	providerToken := token("--provider", testProvider)
	inspectorToken := token("--provider", unit, "--role", "inspector")
	officeToken := token("--provider", "经开区经济发展和统计局", "--role", "office")
	addr := freeAddr(t)
	stop := serveInProcess(t, srv, addr)
	url := "http://" + addr
	if _, errs, code := runCLI(t, "", nil, "--db", laptop, "sync", "--server", url, "--token", providerToken); code != 0 {
		t.Fatalf("provider sync: %s", errs)
	}
	ldb, _ := storage.Open(laptop, storage.Options{})
	all, _ := ldb.Assessments("")
	ldb.Close()
	checked, other := all[0], all[1]

	// The inspector: identity, pull, blind re-rating, finalize.
	c := newCLI(t)
	c.ok("config", "--assessor-org", unit, "--assessor", "赵抽查")
	c.ok("pull", "--enterprise", checked.Enterprise+","+other.Enterprise, "--server", url, "--token", inspectorToken)
	spot := strings.TrimSpace(c.ok("assessment", "new", "--kind", "spotcheck", "--checks", checked.ID))
	rateAll(t, c, spot, 0)
	c.ok("assessment", "finalize", spot)

	// With a provider's token the spot-check is held, with the reason in
	// Chinese and what to do; the queue is not paused.
	out, errs, code := c.run("", "sync", "--token", providerToken)
	if code != exitPartial || !strings.Contains(out, "暂缓发送 1 份") || !strings.Contains(errs, "digilevel sync status") {
		t.Fatalf("sync with a provider's token: %d %q %q", code, out, errs)
	}
	var st struct {
		Held   int
		Paused bool
		Items  []struct {
			ID, State string
			LastError string `json:"last_error"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(c.ok("sync", "status", "--json")), &st); err != nil || st.Held != 1 || st.Paused || len(st.Items) != 1 ||
		st.Items[0].ID != spot || !strings.Contains(st.Items[0].LastError, "服务商令牌不能上传抽查报告") ||
		!strings.Contains(st.Items[0].LastError, "用抽查人员令牌发送") {
		t.Fatalf("status after the refusal: %+v %v", st, err)
	}
	// Straight at the API with a provider's token: 403, its own code, a
	// Chinese message; nothing stored.
	body := storedReport(t, c.db, spot)
	req, _ := http.NewRequest(http.MethodPut, protocol.ReportURL(url, spot), bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+providerToken)
	req.Header.Set(protocol.HeaderSHA256, model.HashReport(body))
	req.Header.Set(protocol.HeaderIdempotencyKey, protocol.IdempotencyKey(spot, model.HashReport(body)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var e protocol.Error
	if json.Unmarshal(data, &e); resp.StatusCode != http.StatusForbidden || e.Code != protocol.CodeSpotCheckNeedsInspector ||
		!strings.Contains(e.Message, "抽查报告只能由抽查人员用抽查人员（inspector）令牌上传") {
		t.Fatalf("provider token PUT of a spot-check: %d %s", resp.StatusCode, data)
	}
	if n := len(officeListing(t, url, officeToken)); n != 2 {
		t.Fatalf("the platform holds %d reports after the refusals, want the provider's 2", n)
	}

	// The inspector's token: sent.
	if out, errs, code := c.run("", "sync", "--token", inspectorToken); code != 0 || !strings.Contains(out, "新发送 1 份") {
		t.Fatalf("sync with the inspector's token: %d %q %q", code, out, errs)
	}
	list := officeListing(t, url, officeToken)
	if len(list) != 3 || list[2].ID != spot || list[2].Provider != unit || list[2].Checks == nil ||
		list[2].Checks.ID != checked.ID || list[2].Checks.SHA256 != checked.ReportSHA256 || list[2].Checks.State != "verified" || !list[2].Checks.Blind {
		t.Fatalf("office listing after the spot-check: %+v", list)
	}

	// A second spot-check goes in a bundle: refused for a provider,
	// accepted for the inspection unit; the receipts mark it sent.
	spot2 := strings.TrimSpace(c.ok("assessment", "new", "--kind", "spotcheck", "--checks", other.ID))
	rateAll(t, c, spot2, 2)
	c.ok("assessment", "finalize", spot2)
	zip := filepath.Join(dir, "抽查.zip")
	c.ok("bundle", "export", "-o", zip)
	if code, errs := stop(); code != 0 {
		t.Fatalf("serve: %d %s", code, errs)
	}
	refused := filepath.Join(dir, "拒收回执.json")
	out, errs, code = runCLI(t, "", nil, "--db", srv, "serve", "import", "--provider", unit, "-o", refused, zip)
	if code != exitPartial || !strings.Contains(errs, "拒收 1 份") || !strings.Contains(errs, "不能作为服务商交来的报告导入") || !strings.Contains(errs, "回执已写出") {
		t.Errorf("import as a provider: %d %q", code, errs)
	}
	// Its receipts hold the spot-check on the laptop (it waits for a person: exit 5).
	if out, errs, code := c.run("", "bundle", "receipts", refused); code != exitPartial || !strings.Contains(out, "暂缓发送 1 份") || !strings.Contains(errs, "sync status") {
		t.Errorf("receipts of the refusal: %d %q %q", code, out, errs)
	}
	out, errs, code = runCLI(t, "", nil, "--db", srv, "serve", "import", "--provider", unit, "--role", "office", zip)
	wantInputError(t, out, errs, code, "inspector（抽查单位）")
	receipts := filepath.Join(dir, "回执.json")
	if _, errs, code := runCLI(t, "", nil, "--db", srv, "serve", "import", "--provider", unit, "--role", "inspector", "-o", receipts, zip); code != 0 ||
		!strings.Contains(errs, "接收 1 份（新 1 份") {
		t.Fatalf("import as the inspection unit: %d %q", code, errs)
	}
	if out := c.ok("bundle", "receipts", receipts); !strings.Contains(out, "已标记为已发送 1 份") {
		t.Errorf("receipts: %s", out)
	}
	if out := c.ok("sync", "status"); !strings.Contains(out, "已发送 2 份") {
		t.Errorf("status after the receipts: %s", out)
	}

	// `serve reports list` shows the links.
	out, errs, code = runCLI(t, "", nil, "--db", srv, "serve", "reports", "list", "--json")
	var infos []protocol.ReportInfo
	if err := json.Unmarshal([]byte(out), &infos); err != nil || code != 0 || len(infos) != 4 {
		t.Fatalf("reports list --json: %d %v %s", code, err, errs)
	}
	for _, r := range infos[2:] {
		if r.Kind != "spotcheck" || r.Checks == nil || r.Checks.State != "verified" || r.Checks.Org != testProvider {
			t.Errorf("listed spot-check %+v %+v", r, r.Checks)
		}
	}
	if infos[0].Checks != nil {
		t.Errorf("a provider's report lists a link: %+v", infos[0].Checks)
	}
	out, _, _ = runCLI(t, "", nil, "--db", srv, "serve", "reports", "list")
	if !strings.Contains(out, "抽查（被抽查报告 "+checked.ID+"，已核对）") || !strings.Contains(out, "改造前诊断") {
		t.Errorf("reports list:\n%s", out)
	}
	if out, _, code := runCLI(t, "", nil, "--db", srv, "serve", "check"); code != 0 || !strings.Contains(out, "4 份报告") {
		t.Errorf("serve check: %d %s", code, out)
	}
}

// storedReport reads a finalized report's bytes from a laptop database.
func storedReport(t *testing.T, path, id string) []byte {
	t.Helper()
	db, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	body, err := db.StoredReport(id)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// officeListing is the platform's full listing, read with an office token.
func officeListing(t *testing.T, url, token string) []protocol.ReportInfo {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url+protocol.ReportsPath, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list protocol.ReportList
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("listing: %d %v", resp.StatusCode, err)
	}
	return list.Reports
}
