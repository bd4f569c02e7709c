package bundle

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"hash/crc32"
	"io/fs"
	"strconv"
	"strings"
	"testing"

	"digilevel/model"
)

// Every refusal of Read names what is wrong; each case breaks one thing
// of a good bundle (one report with one evidence file).
func TestReadRefuses(t *testing.T) {
	reports := signedReports(t)
	good := build(t, reports[:1], evidence("照片"))
	if _, err := Read(bytes.NewReader(good), int64(len(good))); err != nil {
		t.Fatal(err)
	}
	withManifest := func(edit func(m *Manifest)) []byte {
		return rezip(t, good, func(name string, b []byte) []byte {
			if name != ManifestName {
				return b
			}
			var m Manifest
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			edit(&m)
			out, _ := json.Marshal(m)
			return out
		})
	}
	withEntry := func(hdr *zip.FileHeader, content string) []byte {
		zr, _ := zip.NewReader(bytes.NewReader(good), int64(len(good)))
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, f := range zr.File {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
		}
		w, err := zw.CreateHeader(hdr)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
		zw.Close()
		return buf.Bytes()
	}
	symlink := &zip.FileHeader{Name: EvidenceFile(strings.Repeat("a", 64))}
	symlink.SetMode(fs.ModeSymlink | 0o777)
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"not a zip", []byte("PK but not really"), "不是有效的 zip"},
		{"parent path", withEntry(&zip.FileHeader{Name: "../evil"}, "x"), "不安全的路径"},
		{"absolute path", withEntry(&zip.FileHeader{Name: "/etc/evil"}, "x"), "不安全的路径"},
		{"backslash", withEntry(&zip.FileHeader{Name: `reports\x.json`}, "x"), "不安全的路径"},
		{"drive letter", withEntry(&zip.FileHeader{Name: "c:evil"}, "x"), "不安全的路径"},
		{"unknown entry", withEntry(&zip.FileHeader{Name: "notes.txt"}, "x"), "非法条目"},
		{"symbolic link", withEntry(symlink, "/etc/passwd"), "不是普通文件"},
		{"entry not in the manifest", withEntry(&zip.FileHeader{Name: EvidenceFile(strings.Repeat("b", 64))}, "x"), "未在清单中列出"},
		{"no manifest", rezip(t, good, func(name string, b []byte) []byte {
			if name == ManifestName {
				return nil
			}
			return b
		}), "缺少 manifest.json"},
		{"manifest not JSON", rezip(t, good, func(name string, b []byte) []byte {
			if name == ManifestName {
				return []byte("{")
			}
			return b
		}), "格式错误"},
		{"manifest with an unknown field", rezip(t, good, func(name string, b []byte) []byte {
			if name == ManifestName {
				b = bytes.TrimSpace(b)
				return append(b[:len(b)-1:len(b)-1], `,"extra":1}`...)
			}
			return b
		}), "格式错误"},
		{"other format", withManifest(func(m *Manifest) { m.Format = "digilevel-bundle/2" }), "不受支持"},
		{"report file name not its ID", withManifest(func(m *Manifest) { m.Reports[0].File = "reports/x.json" }), "文件名"},
		{"report listed twice", withManifest(func(m *Manifest) { m.Reports = append(m.Reports, m.Reports[0]) }), "出现两次"},
		{"evidence file name not its hash", withManifest(func(m *Manifest) {
			m.Reports[0].Evidence[0].File = EvidenceFile(strings.Repeat("c", 64))
		}), "佐证材料"},
		{"evidence name not a hash", withManifest(func(m *Manifest) {
			m.Reports[0].Evidence[0].SHA256 = "../../x"
			m.Reports[0].Evidence[0].File = EvidenceFile("../../x")
		}), "佐证材料"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(c.data), int64(len(c.data)))
			if !errors.Is(err, ErrBadBundle) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Read = %v; want ErrBadBundle saying %q", err, c.want)
			}
		})
	}
}

// Evidence is read on demand and must hash to its name.
func TestEvidenceIsChecked(t *testing.T) {
	reports := signedReports(t)
	good := build(t, reports[:1], evidence("照片"))
	sha := model.HashReport([]byte("照片"))
	altered := rezip(t, good, func(name string, b []byte) []byte {
		if name == EvidenceFile(sha) {
			return []byte("改过的照片")
		}
		return b
	})
	b, err := Read(bytes.NewReader(altered), int64(len(altered)))
	if err != nil {
		t.Fatal(err)
	}
	if !b.HasEvidence(sha) {
		t.Fatal("HasEvidence misses a file the bundle holds")
	}
	if _, err := b.Evidence(sha); !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "不符") {
		t.Errorf("altered evidence: %v", err)
	}
	if _, err := b.Evidence(strings.Repeat("d", 64)); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("missing evidence: %v", err)
	}
}

// readEntry returns an entry of exactly the limit whole, and refuses one
// byte more, whether the header says so or only the content.
func TestReadEntryLimit(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, size := range map[string]int{"exact": 10, "over": 11} {
		w, _ := zw.Create(name)
		w.Write(bytes.Repeat([]byte("x"), size))
	}
	zw.Close()
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		data, err := readEntry(f, 10)
		switch f.Name {
		case "exact":
			if err != nil || len(data) != 10 {
				t.Errorf("an entry of exactly the limit: %d bytes, %v", len(data), err)
			}
		case "over":
			if !errors.Is(err, errTooLarge) {
				t.Errorf("an entry one byte over the limit: %v", err)
			}
			// A header that understates the size: the content decides.
			f.UncompressedSize64 = 5
			if _, err := readEntry(f, 10); err == nil {
				t.Error("an entry whose header understates its size was read")
			}
		}
	}
}

// More entries than MaxEntries are refused before any is read; exactly
// MaxEntries are counted, not refused for their number.
func TestReadEntryCount(t *testing.T) {
	build := func(n int) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for i := 0; i < n; i++ {
			// Stored and empty: the central directory is what is counted.
			if _, err := zw.CreateHeader(&zip.FileHeader{Name: "e", Method: zip.Store}); err != nil {
				t.Fatal(err)
			}
		}
		zw.Close()
		return buf.Bytes()
	}
	over := build(MaxEntries + 1)
	if _, err := Read(bytes.NewReader(over), int64(len(over))); err == nil || !strings.Contains(err.Error(), "条目过多") {
		t.Errorf("%d entries: %v", MaxEntries+1, err)
	}
	exact := build(MaxEntries)
	if _, err := Read(bytes.NewReader(exact), int64(len(exact))); err == nil || strings.Contains(err.Error(), "条目过多") {
		t.Errorf("%d entries: %v; want refused for another reason than their number", MaxEntries, err)
	}
}

// rawEntry is a stored entry whose header may lie about its size, or
// name a compression method no reader has.
func rawEntry(t *testing.T, zw *zip.Writer, name string, content []byte, declared uint64, method uint16) {
	t.Helper()
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: method, CRC32: crc32.ChecksumIEEE(content),
		CompressedSize64: uint64(len(content)), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(content)
}

// An entry's header is checked before its content is read: a declared
// size over the limit is too large even when the content is small, and an
// unknown compression method is an error, not a crash.
func TestEntryHeadersAreChecked(t *testing.T) {
	reports := signedReports(t)
	good := build(t, reports[:1], evidence("照片"))
	sha := model.HashReport([]byte("照片"))
	zr, _ := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	rebuild := func(replace string, add func(zw *zip.Writer)) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, f := range zr.File {
			if f.Name != replace {
				zw.Copy(f)
			}
		}
		add(zw)
		zw.Close()
		return buf.Bytes()
	}
	read := func(data []byte) (*Bundle, error) { return Read(bytes.NewReader(data), int64(len(data))) }

	big := rebuild(ManifestName, func(zw *zip.Writer) {
		rawEntry(t, zw, ManifestName, []byte("{}"), MaxManifestSize+1, zip.Store)
	})
	if _, err := read(big); err == nil || !strings.Contains(err.Error(), "超过大小上限") {
		t.Errorf("a manifest declared over the limit: %v", err)
	}
	unknown := rebuild(ManifestName, func(zw *zip.Writer) { rawEntry(t, zw, ManifestName, []byte("{}"), 2, 99) })
	if _, err := read(unknown); !errors.Is(err, ErrBadBundle) || !strings.Contains(err.Error(), ManifestName) {
		t.Errorf("a manifest in an unknown compression: %v", err)
	}
	bigEvidence := rebuild(EvidenceFile(sha), func(zw *zip.Writer) {
		rawEntry(t, zw, EvidenceFile(sha), []byte("照片"), MaxEvidenceSize+1, zip.Store)
	})
	b, err := read(bigEvidence)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Evidence(sha); !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "超过大小上限") {
		t.Errorf("evidence declared over the limit: %v", err)
	}

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	rawEntry(t, zw, "small", []byte("12345"), 11, zip.Store)
	zw.Close()
	zr2, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if _, err := readEntry(zr2.File[0], 10); !errors.Is(err, errTooLarge) {
		t.Errorf("declared 11 bytes, limit 10: %v; want too large from the header", err)
	}
}

// A report ID that makes a path: the file name is its ID's, but not a
// report name.
func TestReportIDMustBeAName(t *testing.T) {
	reports := signedReports(t)
	good := build(t, reports[:1])
	data := rezip(t, good, func(name string, b []byte) []byte {
		if name != ManifestName {
			return b
		}
		var m Manifest
		json.Unmarshal(b, &m)
		m.Reports[0].ID = "../../etc/passwd"
		m.Reports[0].File = ReportFile(m.Reports[0].ID)
		out, _ := json.Marshal(m)
		return out
	})
	if _, err := Read(bytes.NewReader(data), int64(len(data))); !errors.Is(err, ErrBadBundle) || !strings.Contains(err.Error(), "文件名") {
		t.Errorf("Read = %v", err)
	}
}

// With GODEBUG=zipinsecurepath=0 the zip reader itself refuses a path
// like ../x; the message is the same as without it.
func TestInsecurePathUnderGodebug(t *testing.T) {
	t.Setenv("GODEBUG", "zipinsecurepath=0")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("../evil")
	w.Write([]byte("x"))
	zw.Close()
	_, err := Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if !errors.Is(err, ErrBadBundle) || !strings.Contains(err.Error(), "不安全的路径") {
		t.Errorf("Read = %v", err)
	}
	if _, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len())); !errors.Is(err, zip.ErrInsecurePath) {
		t.Skipf("GODEBUG set at run time is not seen by archive/zip here (%v)", err)
	}
}

// TestDamagedBundleSaysWhyInChinese: a byte changed inside a compressed
// entry, or a file that is no zip at all, is refused in Chinese: the English
// of archive/zip and compress/flate ("zip: checksum error") never reaches a
// user.
func TestDamagedBundleSaysWhyInChinese(t *testing.T) {
	good := build(t, signedReports(t)[:1])
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var off int64 = -1
	var size uint64
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "reports/") {
			if off, err = f.DataOffset(); err != nil {
				t.Fatal(err)
			}
			size = f.CompressedSize64
		}
	}
	if off < 0 || size < 64 {
		t.Fatalf("no compressed report entry (offset %d, %d bytes)", off, size)
	}
	cases := map[string][]byte{"junk": []byte("not a zip")}
	for _, at := range []int64{off + 20, off + int64(size)/2, off + int64(size) - 8} {
		bad := bytes.Clone(good)
		bad[at] ^= 0x55
		cases["flipped at "+strconv.FormatInt(at-off, 10)] = bad
	}
	for name, data := range cases {
		_, err := Read(bytes.NewReader(data), int64(len(data)))
		if !errors.Is(err, ErrBadBundle) {
			t.Errorf("%s: %v, want a bad bundle", name, err)
			continue
		}
		msg := err.Error()
		if strings.Contains(msg, "zip:") || strings.Contains(msg, "flate") || !strings.Contains(msg, "数据包") {
			t.Errorf("%s: %q is not a Chinese reason", name, msg)
		}
	}
}
