package client_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage"
	"digilevel/storage/serverstore"
	"digilevel/sync/bundle"
	"digilevel/sync/client"
	"digilevel/sync/internal/fixture"
	"digilevel/sync/protocol"
)

// inspectorLaptop is an empty laptop store; Check must pass at cleanup.
func inspectorLaptop(t *testing.T) *storage.DB {
	t.Helper()
	db, err := storage.Open(filepath.Join(t.TempDir(), "inspector.db"), storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if problems, err := db.Check(); err != nil || len(problems) > 0 {
			t.Errorf("inspector laptop check: %v %v", err, problems)
		}
		db.Close()
	})
	return db
}

// uploaded has a provider's laptop send two enterprises' reports (one
// revised) to the test server and returns the laptop and the codes.
func uploaded(t *testing.T, env *fixture.Env) (*storage.DB, []string) {
	t.Helper()
	db := newLaptop(t, 2, 1)
	items, _ := db.Outbox()
	fixture.Revise(t, db, items[0].AssessmentID)
	c, err := client.New(db, client.Options{Server: env.URL, Token: env.Token(t, provider, serverstore.RoleProvider)})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := c.SendPending(context.Background()); err != nil || res.Sent != 3 {
		t.Fatalf("upload: %+v %v", res, err)
	}
	return db, []string{items[0].Enterprise, items[1].Enterprise}
}

func TestPullFromPlatform(t *testing.T) {
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
	provider, codes := uploaded(t, env)
	db := inspectorLaptop(t)
	c, err := client.New(db, client.Options{Server: env.URL, Token: env.Token(t, "区抽查组", serverstore.RoleInspector), Who: "赵抽查"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.PullEnterprises(context.Background(), []string{strings.ToLower(codes[0]), codes[1]})
	if err != nil || res.Stored != 3 || res.Refused != 0 || len(res.EnterprisesCreated) != 2 || len(res.NotFound) != 0 {
		t.Fatalf("pull: %+v %v", res, err)
	}
	for id, body := range fixture.Finalized(t, provider) {
		sha, _ := db.PulledHash(id)
		if sha != model.HashReport(body) {
			t.Errorf("report %s: pulled hash %q", id, sha)
		}
	}
	list, _ := db.PulledReports(codes[0])
	if len(list) != 2 || list[0].ReplacedBy != list[1].ID || list[1].Origin.ServerSeq == 0 || list[1].Origin.Server != env.URL || list[1].Origin.Provider != "测试服务商" {
		t.Errorf("pulled %+v", list)
	}
	if !list[0].Sealed || list[0].Level != 0 {
		t.Errorf("blind mode by default: %+v", list[0])
	}
	if e, err := db.Enterprise(codes[1]); err != nil || e.Name != "测试企业 2" {
		t.Errorf("enterprise from the report: %+v %v", e, err)
	}
	again, err := c.PullEnterprises(context.Background(), codes)
	if err != nil || again.Existing != 3 || again.Stored != 0 {
		t.Errorf("second pull: %+v %v", again, err)
	}
	// An office token reads too; an enterprise without reports is named.
	office, _ := client.New(db, client.Options{Server: env.URL, Token: env.Token(t, "主管部门", serverstore.RoleOffice)})
	res, err = office.PullEnterprises(context.Background(), []string{codes[1], model.DemoCode})
	if err != nil || res.Existing != 1 || len(res.NotFound) != 1 || res.NotFound[0] != model.DemoCode {
		t.Errorf("office pull: %+v %v", res, err)
	}
}

func TestPullRefusesProviderToken(t *testing.T) {
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
	_, codes := uploaded(t, env)
	db := inspectorLaptop(t)
	c, _ := client.New(db, client.Options{Server: env.URL, Token: env.Token(t, provider, serverstore.RoleProvider)})
	_, err := c.PullEnterprises(context.Background(), codes)
	if !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "拉取报告需要抽查人员或主管部门的令牌") || !strings.Contains(err.Error(), "服务商令牌不能查询报告") {
		t.Fatalf("provider token: %v", err)
	}
	if list, _ := db.PulledReports(""); len(list) != 0 {
		t.Errorf("stored %d", len(list))
	}
	if _, err := db.Enterprise(codes[0]); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("enterprise created: %v", err)
	}
	if _, err := c.PullEnterprises(context.Background(), []string{"91410700MA0000001X"}); !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "统一社会信用代码") {
		t.Errorf("bad code: %v", err)
	}
}

// A platform that serves a report altered after signing (re-signed with
// another key so the signature holds, the score raised): the report is
// refused with the reason and nothing is stored; the good one is stored.
func TestPullRefusesTamperedReport(t *testing.T) {
	laptop := newLaptop(t, 1, 2)
	all := fixture.Finalized(t, laptop)
	var good, bad []byte
	for _, body := range all {
		if good == nil {
			good = body
		} else {
			bad = body
		}
	}
	doc, _ := model.VerifyReport(bad)
	doc.Result.Level = 4
	doc.Result.LevelName = "四级"
	forged, err := model.SignReport(doc, ed25519.NewKeyFromSeed(bytes.Repeat([]byte{4}, ed25519.SeedSize)))
	if err != nil {
		t.Fatal(err)
	}
	served := map[string][]byte{}
	var infos []protocol.ReportInfo
	for i, body := range [][]byte{good, forged} {
		d, _ := model.VerifyReport(body)
		served[d.ID] = body
		infos = append(infos, protocol.ReportInfo{ID: d.ID, ServerSeq: uint64(i + 1), SHA256: model.HashReport(body), Enterprise: d.Enterprise.Code,
			Provider: provider, Kind: string(d.Kind), Version: 1, ReceivedAt: time.Now()})
	}
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Path == protocol.ReportsPath {
			json.NewEncoder(w).Encode(protocol.ReportList{Reports: infos})
			return
		}
		body := served[r.PathValue("id")]
		w.Header().Set(protocol.HeaderSHA256, model.HashReport(body))
		w.Write(body)
	})
	db := inspectorLaptop(t)
	c := newClient(t, db, f.srv.URL, client.Options{})
	res, err := c.PullEnterprises(context.Background(), []string{doc.Enterprise.Code})
	if err != nil || res.Stored != 1 || res.Refused != 1 {
		t.Fatalf("pull: %+v %v", res, err)
	}
	refused := res.Reports[1]
	if refused.ID != doc.ID || refused.Status != client.PullRefused || !strings.Contains(refused.Reason, "与答卷重新计算的") {
		t.Errorf("refused %+v", refused)
	}
	if sha, _ := db.PulledHash(doc.ID); sha != "" {
		t.Error("the forged report was stored")
	}
}

func TestPullFromBundle(t *testing.T) {
	provider := newLaptop(t, 2, 1)
	dir := t.TempDir()
	path := filepath.Join(dir, "b.zip")
	var buf bytes.Buffer
	if _, err := client.ExportBundle(provider, &buf, time.Now()); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, buf.Bytes(), 0o600)
	items, _ := provider.Outbox()
	db := inspectorLaptop(t)
	c := model.Change{Who: "赵抽查"}
	res, err := client.PullBundle(db, path, []string{items[1].Enterprise}, c)
	if err != nil || res.Stored != 1 || res.Reports[0].Enterprise != items[1].Enterprise {
		t.Fatalf("filtered pull: %+v %v", res, err)
	}
	res, err = client.PullBundle(db, path, nil, c)
	if err != nil || res.Stored != 1 || res.Existing != 1 {
		t.Fatalf("whole bundle: %+v %v", res, err)
	}
	list, _ := db.PulledReports("")
	if len(list) != 2 || list[0].Origin.Source != model.SourceBundle || len(list[0].Origin.Bundle) != 64 || list[0].Origin.BundleDevice == "" {
		t.Errorf("origin %+v", list[0].Origin)
	}
	// A bundle carrying an altered report: that report is refused, nothing stored.
	body, _ := provider.StoredReport(items[0].AssessmentID)
	doc, _ := model.VerifyReport(body)
	doc.Result.Score += 1000
	forged, _ := model.SignReport(doc, ed25519.NewKeyFromSeed(bytes.Repeat([]byte{4}, ed25519.SeedSize)))
	var bad bytes.Buffer
	w := bundle.NewWriter(&bad, "DEV-X", "", time.Now())
	if err := w.AddReport(forged, nil); err != nil {
		t.Fatal(err)
	}
	w.Close()
	badPath := filepath.Join(dir, "bad.zip")
	os.WriteFile(badPath, bad.Bytes(), 0o600)
	other := inspectorLaptop(t)
	res, err = client.PullBundle(other, badPath, nil, c)
	if err != nil || res.Refused != 1 || !strings.Contains(res.Reports[0].Reason, "不符") {
		t.Fatalf("forged bundle: %+v %v", res, err)
	}
	if l, _ := other.PulledReports(""); len(l) != 0 {
		t.Errorf("stored %d", len(l))
	}
	os.WriteFile(badPath, []byte("not a zip"), 0o600)
	if _, err := client.PullBundle(other, badPath, nil, c); !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "数据包无效") {
		t.Errorf("junk file: %v", err)
	}
	if _, err := client.PullBundle(other, filepath.Join(dir, "missing.zip"), nil, c); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("missing file: %v", err)
	}
}
