package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/report"
	"digilevel/storage"
	"digilevel/sync/bundle"
	"digilevel/ui"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// An inspector's day in the terminal UI, wired as the command wires it
// (the sync client against a real `serve`, bundles read by the client):
// pull with a provider's token (refused, nothing stored), set the
// inspector's token in the settings, pull from the platform, refuse a
// tampered and a draft report from bundles, pull from a good bundle, start
// a blind spot-check, walk it in the same screens, finalize, land on the
// comparison and send the spot-check. Every step is checked in the store.
func TestInspectorTUIFlow(t *testing.T) {
	dir := t.TempDir()
	laptop := laptopWithReports(t, dir, 2)
	good := filepath.Join(dir, "交付.zip")
	if _, errs, code := runCLI(t, "", nil, "--db", laptop, "bundle", "export", "-o", good); code != 0 {
		t.Fatalf("bundle export: %s", errs)
	}
	url, providerToken, inspectorToken := platformWithReports(t, dir, laptop)
	ldb, err := storage.Open(laptop, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	reports := map[string][]byte{}
	var codes []string
	all, _ := ldb.Assessments("")
	for _, a := range all {
		body, _ := ldb.StoredReport(a.ID)
		reports[a.Enterprise] = body
		codes = append(codes, a.Enterprise)
	}
	ldb.Close()
	if codes[0] > codes[1] {
		codes[0], codes[1] = codes[1], codes[0]
	}
	fromPlatform, fromBundle := codes[0], codes[1]
	checkedID := reportID(t, reports[fromPlatform])

	// Two bad bundles: a report altered and signed again by another key,
	// and a draft report.
	forged := badBundle(t, dir, "改动.zip", reports[fromPlatform], func(d *model.ReportDocument) { d.Result.Level, d.Result.LevelName = 3, "三级" })
	draft := badBundle(t, dir, "草稿.zip", reports[fromPlatform], func(d *model.ReportDocument) { d.Draft = true })

	path := filepath.Join(dir, "inspector.db")
	db, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The inspection unit is the one the token names: the platform takes
	// the spot-check from it.
	inspector := model.Assessor{Org: "区抽查组", Person: "赵抽查"}
	if err := db.SetIdentity(inspector); err != nil {
		t.Fatal(err)
	}
	// The provider's token by mistake.
	if err := db.SetSettings(map[string]string{storage.SettingServerURL: url, storage.SettingToken: providerToken}); err != nil {
		t.Fatal(err)
	}
	a := &app{getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m, err := ui.New(a.uiDeps(ctx, db))
	if err != nil {
		t.Fatal(err)
	}
	f := &tuiFlow{t: t, tm: teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))}

	f.waitFor("欢迎使用")
	f.keys("down", "down", "enter")
	f.waitFor("本机还没有拉取的服务商报告")
	f.keys("g")
	f.waitFor("从平台拉取服务商的报告")
	f.keys(fromPlatform, "enter")
	f.waitFor("拉取报告需要抽查人员或主管部门的令牌")
	if list, _ := db.PulledReports(""); len(list) != 0 {
		t.Fatalf("a refused pull stored %d reports", len(list))
	}
	if _, err := db.Enterprise(fromPlatform); err == nil {
		t.Fatal("a refused pull created the enterprise file")
	}

	// The inspector's token, set in the settings; the check says what it is.
	f.keys("o")
	f.waitFor("访问令牌")
	f.keys("tab", "tab", "tab", "ctrl+u", inspectorToken, "enter")
	f.waitFor("令牌属于抽查单位「区抽查组」，与评测机构一致")
	f.keys("esc")
	f.waitFor("本机还没有拉取的服务商报告")
	f.keys("g")
	f.waitFor("从平台拉取服务商的报告")
	f.keys("enter") // the code typed before is offered again
	f.waitFor("新拉取 1 份，已有 0 份，拒收 0 份")
	f.waitFor("已按报告建立企业档案 " + fromPlatform)
	f.keys("enter")
	f.waitFor("盲评中")
	if list, _ := db.PulledReports(fromPlatform); len(list) != 1 || list[0].ID != checkedID || !list[0].Sealed || list[0].Origin.ServerSeq == 0 {
		t.Fatalf("pulled from the platform: %+v", list)
	}

	// Bundles: a tampered report and a draft are refused with the reason.
	for _, bad := range []struct{ path, want string }{{forged, "与答卷重新计算的"}, {draft, "是草稿，只能拉取已定稿的报告"}} {
		f.keys("b")
		f.waitFor("从数据包拉取服务商的报告")
		f.keys(bad.path, "enter")
		f.waitFor("拒收 1 份")
		f.waitFor(bad.want)
		f.keys("enter")
		f.waitFor("enter 开始/继续/对比")
	}
	if list, _ := db.PulledReports(""); len(list) != 1 {
		t.Fatalf("refused reports were stored: %d pulled", len(list))
	}
	f.keys("b")
	f.waitFor("从数据包拉取服务商的报告")
	f.keys(good, "tab", fromBundle, "enter")
	f.waitFor("新拉取 1 份")
	f.keys("enter")
	if list, _ := db.PulledReports(fromBundle); len(list) != 1 || list[0].Origin.Source != model.SourceBundle {
		t.Fatalf("pulled from the bundle: %+v", list)
	}

	// The platform's report: start the spot-check, blind.
	f.keys("up")
	f.waitFor("按 enter 开始抽查")
	f.keys("enter")
	f.waitFor("开始抽查？")
	f.keys("y")
	f.waitFor("第 1/15 题")
	spots, _ := db.Assessments(fromPlatform)
	if len(spots) != 1 || spots[0].Checks == nil || spots[0].Checks.ID != checkedID || !spots[0].Checks.Blind || spots[0].Assessor != inspector {
		t.Fatalf("spot-check %+v", spots)
	}
	spot := spots[0].ID
	if list, _ := db.PulledReports(fromPlatform); !list[0].Sealed {
		t.Fatal("the provider's report is open during a blind spot-check")
	}
	for q := 1; q <= 15; q++ {
		f.keys("space", "enter")
		if q < 15 {
			f.waitFor(ordinal(q + 1))
		}
	}
	f.waitFor("场景 1/16")
	for s := 1; s <= 16; s++ {
		f.keys("1")
		if s < 16 {
			f.waitFor("场景 " + itoa(s+1) + "/16")
		}
	}
	f.waitFor("可以定稿")
	f.keys("c") // the blind draft: no comparison yet
	f.waitFor("是盲评，尚未定稿")
	f.keys("f")
	f.waitFor("确认定稿")
	f.keys("y")
	f.waitFor("抽查对比")
	f.waitFor("重大差异")
	// Delivery: the spot-check goes to the platform under the inspector's token.
	f.keys("esc")
	f.waitFor("定稿于")
	f.keys("esc")
	f.waitFor("家企业")
	f.keys("y")
	f.waitFor("同步状态")
	f.keys("s")
	f.waitFor("发送完成: 成功 1")
	f.tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	f.tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))

	s, err := db.Assessment(spot)
	if err != nil || !s.State.Frozen() || len(s.Answers.Answers) != 15 || len(s.Answers.Scenarios) != 16 || s.ReportSHA256 == "" {
		t.Fatalf("the finalized spot-check: %+v %v", s, err)
	}
	pair, err := db.SpotCheckPair(spot)
	if err != nil {
		t.Fatal(err)
	}
	checked, _ := report.FromBytes(pair.SpotCheck.Catalog, pair.CheckedBytes)
	checked.Revenue = pair.Enterprise.Revenue
	own, _ := report.FromBytes(pair.SpotCheck.Catalog, pair.SpotCheck.Bytes)
	c, err := report.CompareSpotCheck(checked, own)
	if err != nil || c.Doc.Severity != model.SeverityCritical || c.Doc.Checked.ID != checkedID || !c.Doc.Blind {
		t.Fatalf("stored comparison: %v %+v", err, c)
	}
	if s, _ := db.Assessment(spot); s.State != model.StateSent {
		t.Errorf("the spot-check after sending: %s", s.State)
	}
}

// ordinal is the walk's "第 n/15 题".
func ordinal(n int) string { return "第 " + itoa(n) + "/15 题" }

func reportID(t *testing.T, body []byte) string {
	t.Helper()
	d, err := model.VerifyReport(body)
	if err != nil {
		t.Fatal(err)
	}
	return d.ID
}

// badBundle writes a bundle holding body changed by change and signed
// again by another key.
func badBundle(t *testing.T, dir, name string, body []byte, change func(*model.ReportDocument)) string {
	t.Helper()
	doc, err := model.VerifyReport(body)
	if err != nil {
		t.Fatal(err)
	}
	change(&doc)
	signed, err := model.SignReport(doc, ed25519.NewKeyFromSeed(bytes.Repeat([]byte{4}, ed25519.SeedSize)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := bundle.NewWriter(&buf, "DEV-X", "", time.Now())
	if err := w.AddReport(signed, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// tuiFlow drives the program loop (teatest) and waits for texts in order.
type tuiFlow struct {
	t    *testing.T
	tm   *teatest.TestModel
	buf  []byte
	mark int
}

func (f *tuiFlow) waitFor(s string) {
	f.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	tmp := make([]byte, 64<<10)
	for {
		n, _ := f.tm.Output().Read(tmp)
		f.buf = append(f.buf, tmp[:n]...)
		if i := bytes.Index(f.buf[f.mark:], []byte(s)); i >= 0 {
			f.mark += i
			return
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("screen never showed %q; last output:\n%s", s, f.buf[max(len(f.buf)-3000, 0):])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (f *tuiFlow) keys(ks ...string) {
	for _, k := range ks {
		var msg tea.KeyMsg
		switch k {
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		case "tab":
			msg = tea.KeyMsg{Type: tea.KeyTab}
		case "up":
			msg = tea.KeyMsg{Type: tea.KeyUp}
		case "down":
			msg = tea.KeyMsg{Type: tea.KeyDown}
		case "space":
			msg = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
		case "ctrl+u":
			msg = tea.KeyMsg{Type: tea.KeyCtrlU}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		f.tm.Send(msg)
	}
}
