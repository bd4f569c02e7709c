package e2e

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
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

const provider = "测试服务商"

// bundleLaptop has three finalized reports with evidence (two sharing a
// file's content) and a revision.
func bundleLaptop(t *testing.T) (*storage.DB, string) {
	t.Helper()
	db, dir := openLaptop(t)
	e1 := fixture.Enterprise(t, db, 1, provider)
	e2 := fixture.Enterprise(t, db, 2, provider)
	a := fixture.Finalize(t, db, e1.Code, provider, dir, "设备台账", "数据采集截图")
	fixture.Finalize(t, db, e2.Code, provider, dir, "设备台账")
	fixture.Finalize(t, db, e2.Code, provider, dir)
	fixture.Revise(t, db, a.ID)
	return db, dir
}

// openLaptop opens an empty laptop store (no fsync) in a temp dir.
func openLaptop(t *testing.T) (*storage.DB, string) {
	t.Helper()
	dir := t.TempDir()
	db, err := storage.Open(filepath.Join(dir, "laptop.db"), storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dir
}

func export(t *testing.T, db *storage.DB, path string) client.ExportResult {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := client.ExportBundle(db, f, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return res
}

func importFile(t *testing.T, env *fixture.Env, path, provider string) protocol.ReceiptsFile {
	t.Helper()
	b, closer, err := bundle.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	rf, err := env.Server.Import(b, provider, serverstore.RoleProvider)
	if err != nil {
		t.Fatal(err)
	}
	return rf
}

func TestBundleRoundTrip(t *testing.T) {
	db, dir := bundleLaptop(t)
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
	path := filepath.Join(dir, "bundle.zip")
	res := export(t, db, path)
	if res.Reports != 4 || res.Evidence != 2 || len(res.Skipped) != 0 {
		t.Fatalf("export %+v", res)
	}
	rf := importFile(t, env, path, provider)
	if len(rf.Receipts) != 4 || len(rf.Rejected) != 0 || rf.Receipts[0].Status != protocol.StatusCreated || rf.Format != protocol.ReceiptsFormat {
		t.Fatalf("import %+v", rf)
	}
	for _, content := range []string{"设备台账", "数据采集截图"} {
		if got, err := env.Store.Evidence(model.HashReport([]byte(content))); err != nil || string(got) != content {
			t.Errorf("evidence %q on the server: %q %v", content, got, err)
		}
	}
	// Importing twice changes nothing and gives the same receipts.
	seq, _ := env.Store.LastSeq()
	again := importFile(t, env, path, provider)
	if seq2, _ := env.Store.LastSeq(); seq2 != seq || len(again.Receipts) != 4 {
		t.Fatalf("second import: seq %d -> %d, %+v", seq, seq2, again)
	}
	for i, r := range again.Receipts {
		if r.ServerSeq != rf.Receipts[i].ServerSeq || !r.ReceivedAt.Equal(rf.Receipts[i].ReceivedAt) || r.Status != protocol.StatusExisting {
			t.Errorf("second import receipt %+v, first %+v", r, rf.Receipts[i])
		}
	}
	applied, err := client.ApplyReceipts(db, rf, model.Change{Who: "测试"})
	if err != nil || applied.Marked != 4 {
		t.Fatalf("apply %+v %v", applied, err)
	}
	applied, err = client.ApplyReceipts(db, again, model.Change{Who: "测试"})
	if err != nil || applied.Marked != 0 || applied.AlreadySent != 4 {
		t.Fatalf("apply twice %+v %v", applied, err)
	}
	fixture.RequireExactlyOnce(t, env.Store, fixture.Finalized(t, db), db)
	// Nothing unsent is left: the next bundle is empty.
	if res := export(t, db, filepath.Join(dir, "empty.zip")); res.Reports != 0 {
		t.Errorf("second export %+v", res)
	}
}

// rewrite copies a bundle, letting edit drop or change entries (return
// nil to drop) and adding extra entries.
func rewrite(t *testing.T, src, dst string, edit func(name string, data []byte) []byte, extra map[string]string) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if edit != nil {
			if data = edit(f.Name, data); data == nil {
				continue
			}
		}
		w, _ := zw.Create(f.Name)
		w.Write(data)
	}
	for name, content := range extra {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	zw.Close()
	if err := os.WriteFile(dst, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestBundleBadInputs(t *testing.T) {
	db, dir := bundleLaptop(t)
	good := filepath.Join(dir, "good.zip")
	export(t, db, good)
	items, _ := db.Outbox()
	first := items[0].AssessmentID // has two evidence files
	revision := items[3].AssessmentID

	for _, c := range []struct {
		name  string
		extra map[string]string
		edit  func(string, []byte) []byte
		want  string
	}{
		{"path traversal", map[string]string{"../../home/user/.bashrc": "x"}, nil, "路径"},
		{"traversal inside a known folder", map[string]string{"reports/../../x.json": "x"}, nil, "路径"},
		{"absolute path", map[string]string{"/etc/cron.d/x": "x"}, nil, "路径"},
		{"backslashes", map[string]string{`evidence\..\..\x`: "x"}, nil, "路径"},
		{"unknown name", map[string]string{"reports/readme.txt": "x"}, nil, "非法条目"},
		{"entry not in the manifest", map[string]string{"evidence/" + strings.Repeat("a", 64): "x"}, nil, "未在清单中列出"},
		{"no manifest", nil, func(name string, data []byte) []byte {
			if name == bundle.ManifestName {
				return nil
			}
			return data
		}, "manifest.json"},
		{"junk manifest", nil, func(name string, data []byte) []byte {
			if name == bundle.ManifestName {
				return []byte("{")
			}
			return data
		}, "格式错误"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.zip")
			rewrite(t, good, path, c.edit, c.extra)
			_, _, err := bundle.Open(path)
			if !errors.Is(err, bundle.ErrBadBundle) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v; want a bad bundle error containing %q", err, c.want)
			}
		})
	}
	t.Run("not a zip", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "x.zip")
		os.WriteFile(path, []byte("PK nonsense"), 0o600)
		if _, _, err := bundle.Open(path); !errors.Is(err, bundle.ErrBadBundle) {
			t.Errorf("%v", err)
		}
	})

	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
	doc, _ := model.VerifyReport(must(db.StoredReport(first)))
	missingEvidence := doc.Evidence["Q01"][1].SHA256
	t.Run("a moved original changes nothing: the bundle carries the stored bytes", func(t *testing.T) {
		gone := doc.Evidence["Q01"][1]
		os.Remove(gone.Path)
		path := filepath.Join(t.TempDir(), "b.zip")
		res := export(t, db, path)
		if len(res.Skipped) != 0 || res.Reports != len(items) {
			t.Errorf("%+v", res)
		}
		b, closer, err := bundle.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer closer.Close()
		if got, err := b.Evidence(gone.SHA256); err != nil || model.HashReport(got) != gone.SHA256 {
			t.Errorf("the bundle's copy of %s: %v", gone.Path, err)
		}
	})
	t.Run("missing evidence file and altered report", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "partial.zip")
		second := items[1].AssessmentID
		rewrite(t, good, path, func(name string, data []byte) []byte {
			switch name {
			case bundle.EvidenceFile(missingEvidence):
				return nil
			case bundle.ReportFile(second):
				return bytes.Replace(data, []byte("测试企业"), []byte("冒名企业"), 1)
			}
			return data
		}, nil)
		rf := importFile(t, env, path, provider)
		// The revision of first carries the same evidence: refused too.
		if len(rf.Rejected) != 3 || len(rf.Receipts) != len(items)-3 {
			t.Fatalf("%+v", rf)
		}
		for _, r := range rf.Rejected {
			switch r.ID {
			case first, revision:
				if r.Status != 422 || r.Code != protocol.CodeMissingFile || !strings.Contains(r.Message, "佐证材料") {
					t.Errorf("missing evidence: %+v", r)
				}
			case second:
				if r.Status != 422 || r.Code != protocol.CodeInvalidReport {
					t.Errorf("altered report: %+v", r)
				}
			default:
				t.Errorf("unexpected rejection %+v", r)
			}
		}
		// The laptop marks the refused ones rejected with the reason.
		applied, err := client.ApplyReceipts(db, rf, model.Change{Who: "测试"})
		if err != nil || applied.Rejected != 3 || applied.Marked != len(items)-3 {
			t.Fatalf("apply %+v %v", applied, err)
		}
		if a, _ := db.Assessment(first); a.State != model.StateRejected || !strings.Contains(a.LastError, "佐证材料") {
			t.Errorf("first: %s %q", a.State, a.LastError)
		}
		// The office sees the three refusals against the provider, from the bundle.
		kept, err := env.Store.RejectionsAfter(0, 0)
		if err != nil || len(kept) != 3 || kept[0].Provider != provider || kept[0].Source != serverstore.SourceBundle || kept[0].Role != serverstore.RoleProvider {
			t.Errorf("rejections kept: %+v %v", kept, err)
		}
	})
	t.Run("another provider hands it in", func(t *testing.T) {
		rf := importFile(t, env, good, "别的服务商")
		if len(rf.Receipts) != 0 || len(rf.Rejected) != len(items) || rf.Rejected[0].Status != 403 {
			t.Errorf("%+v", rf)
		}
	})
	t.Run("key not bound to the provider's token", func(t *testing.T) {
		env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
		tok := env.Token(t, provider, serverstore.RoleProvider)
		if _, err := env.Store.RebindToken(fixture.TokenID(tok), "b3RoZXIga2V5", time.Now()); err != nil {
			t.Fatal(err)
		}
		rf := importFile(t, env, good, provider)
		if len(rf.Receipts) != 0 || rf.Rejected[0].Code != protocol.CodeKeyMismatch {
			t.Errorf("%+v", rf)
		}
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
