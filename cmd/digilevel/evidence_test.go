package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"digilevel/storage"
)

// TestEvidenceCLI: files are copied into the database (a moved original
// changes nothing), quoted, escaped and file:// paths work, the same file
// twice is stored once, a wrong file can be removed, and scenarios take
// notes and evidence.
func TestEvidenceCLI(t *testing.T) {
	c := newCLI(t)
	c.ok("enterprise", "add", "--name", "新乡甲机械有限公司", "--code", code1, "--batch", "1")
	id := strings.TrimSpace(c.ok("assessment", "new", "--enterprise", code1, "--kind", "baseline"))
	dir := t.TempDir()
	photo := filepath.Join(dir, "现场 照片 1.jpg")
	os.WriteFile(photo, []byte("车间照片"), 0o600)

	c.ok("assessment", "evidence", id, "Q01", "'"+photo+"'")
	c.ok("assessment", "evidence", id, "SC06", strings.ReplaceAll(photo, " ", `\ `))
	c.ok("assessment", "note", id, "SC06", "生产管控系统已上线")
	o, e, code := c.run("", "assessment", "evidence", id, "Q01", "file://"+strings.ReplaceAll(photo, " ", "%20"))
	wantInputError(t, o, e, code, "已附有内容相同的佐证材料")
	os.Rename(photo, photo+".moved")

	db, err := storage.Open(c.db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := db.Assessment(id)
	if len(a.Evidence["Q01"]) != 1 || len(a.Evidence["SC06"]) != 1 || a.Answers.Notes["SC06"] != "生产管控系统已上线" {
		t.Fatalf("evidence %+v notes %v", a.Evidence, a.Answers.Notes)
	}
	if got, err := db.EvidenceData(a.Evidence["Q01"][0].SHA256); err != nil || string(got) != "车间照片" {
		t.Fatalf("stored bytes %q %v", got, err)
	}
	db.Close()

	sha := a.Evidence["Q01"][0].SHA256
	c.ok("assessment", "evidence", id, "Q01", "--remove", sha[:8])
	c.ok("assessment", "evidence", id, "SC06", "--remove", sha)
	o, e, code = c.run("", "assessment", "evidence", id, "Q01", "--remove", sha[:8])
	wantInputError(t, o, e, code, "没有校验值以")
	if show := c.ok("assessment", "show", id, "--json"); strings.Contains(show, `"evidence"`) {
		t.Errorf("evidence left after removing:\n%s", show)
	}
}

// TestEvidenceCLIRefusesNonRegular is issue 9 item 8: /dev/zero,
// /dev/urandom and a FIFO are refused at once, before the database is
// opened: with another process holding the database the answer is still
// the bad file (exit 2), not "in use" (exit 3), and nothing hangs. A
// 2 GB file is refused by the one limit.
func TestEvidenceCLIRefusesNonRegular(t *testing.T) {
	c := newCLI(t)
	c.ok("enterprise", "add", "--name", "新乡甲机械有限公司", "--code", code1, "--batch", "1")
	id := strings.TrimSpace(c.ok("assessment", "new", "--enterprise", code1, "--kind", "baseline"))
	dir := t.TempDir()
	fifo := filepath.Join(dir, "管道")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	big := filepath.Join(dir, "录像.mp4")
	f, _ := os.Create(big)
	f.Truncate(2 << 30)
	f.Close()

	held, err := storage.Open(c.db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	for _, tc := range []struct{ path, want string }{
		{"/dev/zero", "设备文件"},
		{"/dev/urandom", "设备文件"},
		{fifo, "管道"},
		{dir, "文件夹"},
		{big, "超过佐证材料上限 64.0 MB"},
	} {
		done := make(chan struct{})
		var o, e string
		var code int
		go func() { o, e, code = c.run("", "assessment", "evidence", id, "Q01", tc.path); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("assessment evidence %s hangs", tc.path)
		}
		wantInputError(t, o, e, code, tc.want)
	}
	a, _ := held.Assessment(id)
	if len(a.Evidence) != 0 {
		t.Fatalf("refused files were attached: %+v", a.Evidence)
	}
}

// TestEvidenceLimitCLI: the configured limit is enforced when adding.
func TestEvidenceLimitCLI(t *testing.T) {
	c := newCLI(t)
	c.ok("enterprise", "add", "--name", "新乡甲机械有限公司", "--code", code1, "--batch", "1")
	id := strings.TrimSpace(c.ok("assessment", "new", "--enterprise", code1, "--kind", "baseline"))
	o, e, code := c.run("", "config", "--evidence-limit", "65")
	wantInputError(t, o, e, code, "1 到 64")
	c.ok("config", "--evidence-limit", "1")
	p := filepath.Join(t.TempDir(), "大.pdf")
	os.WriteFile(p, make([]byte, 1<<20+1), 0o600)
	o, e, code = c.run("", "assessment", "evidence", id, "Q02", p)
	wantInputError(t, o, e, code, "超过佐证材料上限 1.0 MB")
	if !strings.Contains(c.ok("config"), "佐证材料上限（MB，1–64）: 1") {
		t.Error("config does not show the limit")
	}
}

// TestReportWritesEvidence: report --evidence writes the stored copies,
// even after the originals are gone.
func TestReportWritesEvidence(t *testing.T) {
	c := newCLI(t)
	c.ok("enterprise", "add", "--name", "新乡甲机械有限公司", "--code", code1, "--batch", "1")
	id := strings.TrimSpace(c.ok("assessment", "new", "--enterprise", code1, "--kind", "baseline"))
	dir := t.TempDir()
	photo := filepath.Join(dir, "台账.xlsx")
	os.WriteFile(photo, []byte("设备台账"), 0o600)
	c.ok("assessment", "evidence", id, "Q02", photo)
	os.Remove(photo)
	out := filepath.Join(dir, "报告")
	c.ok("report", id, "--format", "md", "-o", filepath.Join(dir, "r.md"), "--evidence", out)
	got, err := os.ReadFile(filepath.Join(out, "Q02_台账.xlsx"))
	if err != nil || string(got) != "设备台账" {
		t.Fatalf("evidence file %q %v", got, err)
	}
}
