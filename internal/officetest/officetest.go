// Package officetest lets tests check the project's files with programs
// nobody here wrote: LibreOffice Calc headless (Debian's
// libreoffice-calc-nogui) and poppler's pdftotext.
//
// The Debian packages are libreoffice-calc-nogui, poppler-utils and
// fonts-wqy-microhei (.ci/run installs them). A missing one is installed
// when the test runs
// as root with apt-get. When that is impossible the test is skipped with a
// loud message, unless DIGILEVEL_REQUIRE_OFFICE=1 (.ci/run sets it, after
// installing the packages itself): then it fails, so CI can never pass by
// skipping the check.
package officetest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// RequireEnv names the variable that turns a skip into a failure.
const RequireEnv = "DIGILEVEL_REQUIRE_OFFICE"

var installMu sync.Mutex

// Tool returns the path of program from Debian's pkg, installed, skipped
// or failed like the office programs (strace for the fsync check).
func Tool(t testing.TB, program, pkg string) string {
	t.Helper()
	return lookOrInstall(t, program, pkg)
}

// need returns the path of an office program, installing pkg if it is
// missing. Under -short (the mutation run, docs/testing.md) the office
// checks are skipped: they cost seconds each and test our files with
// someone else's reader, not our code's decisions.
func need(t testing.TB, program, pkg string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: " + program + " checks not run")
	}
	return lookOrInstall(t, program, pkg)
}

func lookOrInstall(t testing.TB, program, pkg string) string {
	t.Helper()
	installMu.Lock()
	defer installMu.Unlock()
	if p, err := exec.LookPath(program); err == nil {
		return p
	}
	why := install(pkg)
	if p, err := exec.LookPath(program); err == nil {
		return p
	}
	msg := fmt.Sprintf("%s is not installed and could not be installed (%s): this check did NOT run; install Debian's %s", program, why, pkg)
	if os.Getenv(RequireEnv) == "1" {
		t.Fatal(msg)
	}
	t.Log("SKIP: " + msg)
	t.Skip(msg)
	return ""
}

// install runs apt-get as root; it returns why it could not.
func install(pkg string) string {
	if os.Geteuid() != 0 {
		return "not root"
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return "no apt-get"
	}
	get := func(args ...string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "apt-get", append([]string{"-o", "DPkg::Lock::Timeout=300", "-qq"}, args...)...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("apt-get %s: %v: %s", strings.Join(args, " "), err, lastLine(out))
		}
		return nil
	}
	args := []string{"install", "-y", "--no-install-recommends", pkg}
	if err := get(args...); err != nil {
		if err := get("update"); err != nil {
			return err.Error()
		}
		if err := get(args...); err != nil {
			return err.Error()
		}
	}
	return ""
}

func lastLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// Soffice returns LibreOffice's soffice, installing it if missing; also a
// CJK font, so that rendered pages show Chinese.
func Soffice(t testing.TB) string {
	t.Helper()
	p := need(t, "soffice", "libreoffice-calc-nogui")
	need(t, "fc-list", "fontconfig")
	if out, _ := exec.Command("fc-list", ":lang=zh").Output(); len(strings.TrimSpace(string(out))) == 0 {
		installMu.Lock()
		why := install("fonts-wqy-microhei")
		installMu.Unlock()
		if out, _ := exec.Command("fc-list", ":lang=zh").Output(); len(strings.TrimSpace(string(out))) == 0 {
			msg := "no CJK font (" + why + "): install Debian's fonts-wqy-microhei"
			if os.Getenv(RequireEnv) == "1" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	return p
}

// Convert opens src in LibreOffice headless and saves it in dir with the
// filter to (e.g. "pdf", "xlsx", `csv:Text - txt - csv (StarCalc):44,34,76,1`);
// infilter, when not empty, is the import filter with its options (the
// choices of the import dialog). It returns the written file.
func Convert(t testing.TB, src, dir, to, infilter string) string {
	t.Helper()
	soffice := Soffice(t)
	// A profile of its own: parallel runs of soffice on one profile fail.
	profile := t.TempDir()
	args := []string{"-env:UserInstallation=file://" + profile, "--headless", "--norestore", "--nolockcheck"}
	if infilter != "" {
		args = append(args, "--infilter="+infilter)
	}
	args = append(args, "--convert-to", to, "--outdir", dir, src)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, args...)
	cmd.Env = append(os.Environ(), "HOME="+profile)
	out, err := cmd.CombinedOutput()
	ext, _, _ := strings.Cut(to, ":")
	dst := filepath.Join(dir, strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))+"."+ext)
	if _, serr := os.Stat(dst); err != nil || serr != nil {
		t.Fatalf("soffice %s: %v %v\n%s", strings.Join(args, " "), err, serr, out)
	}
	return dst
}

// PDFText is the text of a PDF's pages as pdftotext -layout lays it out,
// one string per page.
func PDFText(t testing.TB, pdf string) []string {
	t.Helper()
	bin := need(t, "pdftotext", "poppler-utils")
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", pdf, err)
	}
	pages := strings.Split(string(out), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	return pages
}

// PDFPageSizes lists each page's size in points as pdfinfo reports it
// ("595.276 x 841.89 pts (A4)").
func PDFPageSizes(t testing.TB, pdf string) []string {
	t.Helper()
	bin := need(t, "pdfinfo", "poppler-utils")
	out, err := exec.Command(bin, "-f", "1", "-l", "9999", pdf).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", pdf, err)
	}
	var sizes []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "Page") && strings.Contains(line, " size:") {
			_, v, _ := strings.Cut(line, "size:")
			sizes = append(sizes, strings.TrimSpace(v))
		}
	}
	return sizes
}
