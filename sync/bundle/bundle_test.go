package bundle

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage"
)

// signedReports seeds a laptop store and returns its signed reports.
func signedReports(t testing.TB) [][]byte {
	t.Helper()
	db, err := storage.Open(filepath.Join(t.TempDir(), "laptop.db"), storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SeedSynthetic(5, 25, 1); err != nil {
		t.Fatal(err)
	}
	items, _ := db.Outbox()
	var out [][]byte
	for _, it := range items {
		b, err := db.StoredReport(it.AssessmentID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	if len(out) < 2 {
		t.Fatalf("only %d reports", len(out))
	}
	return out
}

func evidence(content string) Evidence {
	return Evidence{Ref: "Q01", Path: "/home/顾问/证明.pdf", SHA256: model.HashReport([]byte(content)), Size: int64(len(content)),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(content)), nil }}
}

func build(t testing.TB, reports [][]byte, ev ...Evidence) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf, "DEV-1", "cHVi", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	for i, r := range reports {
		var e []Evidence
		if i == 0 {
			e = ev
		}
		if err := w.AddReport(r, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteRead(t *testing.T) {
	reports := signedReports(t)
	data := build(t, reports, evidence("照片"), evidence("照片"), evidence("台账"))
	b, err := Read(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Reports) != len(reports) || b.Manifest.Device != "DEV-1" || len(b.Manifest.Reports[0].Evidence) != 3 {
		t.Fatalf("manifest %+v", b.Manifest)
	}
	for i, r := range b.Reports {
		if r.Problem != OK || !bytes.Equal(r.Body, reports[i]) || r.Entry.SHA256 != model.HashReport(reports[i]) {
			t.Errorf("report %d: problem %d, bytes identical %v", i, r.Problem, bytes.Equal(r.Body, reports[i]))
		}
	}
	got, err := b.Evidence(model.HashReport([]byte("台账")))
	if err != nil || string(got) != "台账" {
		t.Errorf("evidence %q %v", got, err)
	}
	if b.HasEvidence(strings.Repeat("0", 64)) {
		t.Error("phantom evidence")
	}
}

func TestWriterRefuses(t *testing.T) {
	reports := signedReports(t)
	w := NewWriter(io.Discard, "DEV-1", "cHVi", time.Now())
	if err := w.AddReport([]byte("{}"), nil); err == nil {
		t.Error("unsigned document added")
	}
	if err := w.AddReport(reports[0], nil); err != nil {
		t.Fatal(err)
	}
	if err := w.AddReport(reports[0], nil); !errors.Is(err, model.ErrExists) {
		t.Errorf("same report twice: %v", err)
	}
	changed := evidence("原件")
	changed.Open = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("改过")), nil }
	if err := w.AddReport(reports[1], []Evidence{changed}); err == nil || !strings.Contains(err.Error(), "被改动") {
		t.Errorf("changed evidence: %v", err)
	}
}

// rezip rebuilds a bundle's entries with edit (nil drops an entry).
func rezip(t testing.TB, data []byte, edit func(name string, b []byte) []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if b = edit(f.Name, b); b != nil {
			w, _ := zw.Create(f.Name)
			w.Write(b)
		}
	}
	zw.Close()
	return buf.Bytes()
}

func TestPerReportProblems(t *testing.T) {
	reports := signedReports(t)
	data := build(t, reports)
	first := ReportFile(mustDoc(t, reports[0]).ID)
	second := ReportFile(mustDoc(t, reports[1]).ID)
	data = rezip(t, data, func(name string, b []byte) []byte {
		switch name {
		case first:
			return nil
		case second:
			return bytes.Repeat([]byte("x"), model.MaxReportSize+1)
		}
		return b
	})
	b, err := Read(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if b.Reports[0].Problem != Missing || b.Reports[1].Problem != TooLarge || b.Reports[2].Problem != OK {
		t.Errorf("problems %d %d %d", b.Reports[0].Problem, b.Reports[1].Problem, b.Reports[2].Problem)
	}
}

func TestDuplicateEntry(t *testing.T) {
	reports := signedReports(t)
	data := build(t, reports[:1])
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range append(zr.File, zr.File[0]) {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	zw.Close()
	if _, err := Read(bytes.NewReader(buf.Bytes()), int64(buf.Len())); !errors.Is(err, ErrBadBundle) || !strings.Contains(err.Error(), "两次") {
		t.Errorf("duplicate entry: %v", err)
	}
}

func mustDoc(t testing.TB, b []byte) model.ReportDocument {
	d, err := model.VerifyReport(b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Read never panics and either refuses a bundle or returns one whose
// every entry name is one of the three allowed forms.
func FuzzRead(f *testing.F) {
	reports := signedReports(f)
	f.Add(build(f, reports[:1], evidence("照片")))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Read(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for name := range b.files {
			if name != ManifestName && !reportName.MatchString(name) && !evidenceName.MatchString(name) {
				t.Fatalf("accepted entry %q", name)
			}
		}
	})
}
