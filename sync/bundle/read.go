package bundle

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"digilevel/model"
	"digilevel/safefile"
)

// ErrBadBundle is wrapped by every error that makes a whole bundle unusable.
var ErrBadBundle = model.Errorf(model.ErrInvalid, "数据包无效")

func bad(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadBundle, fmt.Sprintf(format, args...))
}

// Bundle is a bundle that passed the structural checks. Problems of one
// report (missing file, too large) are kept in Report.Problem for the
// importer to refuse that report alone.
type Bundle struct {
	Manifest Manifest
	Reports  []Report
	// SHA256 is the hash of the bundle file.
	SHA256 string
	files  map[string]*zip.File
}

// Report is one report of a bundle with its bytes, or the problem that
// kept them from being read.
type Report struct {
	Entry   ReportEntry
	Body    []byte
	Problem Problem
}

// Problem is why one report of a bundle cannot be read.
type Problem int

// Problems of a report in a bundle.
const (
	OK Problem = iota
	// Missing: the manifest lists the report but the bundle lacks its file.
	Missing
	// TooLarge: the report file exceeds model.MaxReportSize.
	TooLarge
)

// Open reads a bundle file: a regular file only (a FIFO or a device
// would block or never end), opened without waiting.
func Open(path string) (*Bundle, io.Closer, error) {
	f, size, err := safefile.Open(path, math.MaxInt64)
	if err != nil {
		return nil, nil, fmt.Errorf("数据包%w", err)
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("读取数据包: %w", err)
	}
	b, err := Read(f, size)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	b.SHA256 = hex.EncodeToString(h.Sum(nil))
	return b, f, nil
}

// Read checks a bundle's structure and reads its manifest and reports;
// evidence files are read on demand with Evidence. r must stay readable
// while the Bundle is used.
func Read(r io.ReaderAt, size int64) (*Bundle, error) {
	zr, err := zip.NewReader(r, size)
	if errors.Is(err, zip.ErrInsecurePath) {
		return nil, bad("包含不安全的路径（如 ../ 或绝对路径）")
	}
	if err != nil {
		return nil, bad("不是有效的 zip 文件（文件已损坏，或不是 digilevel 导出的数据包），请重新导出后再试")
	}
	if len(zr.File) > MaxEntries {
		return nil, bad("条目过多（%d）", len(zr.File))
	}
	b := &Bundle{files: map[string]*zip.File{}}
	for _, f := range zr.File {
		name := f.Name
		switch {
		case name == ManifestName, reportName.MatchString(name), evidenceName.MatchString(name):
		case strings.Contains(name, "..") || strings.HasPrefix(name, "/") || strings.Contains(name, `\`) || strings.Contains(name, ":"):
			return nil, bad("包含不安全的路径 %q", name)
		default:
			return nil, bad("非法条目 %q（只允许 manifest.json、reports/<编号>.json、evidence/<sha256>）", name)
		}
		if !f.Mode().IsRegular() {
			return nil, bad("条目 %q 不是普通文件", name)
		}
		if _, dup := b.files[name]; dup {
			return nil, bad("条目 %q 出现两次", name)
		}
		b.files[name] = f
	}
	mf, ok := b.files[ManifestName]
	if !ok {
		return nil, bad("缺少 %s", ManifestName)
	}
	data, err := readEntry(mf, MaxManifestSize)
	if err != nil {
		return nil, bad("%s: %v", ManifestName, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b.Manifest); err != nil {
		return nil, bad("%s 格式错误（不是有效的 JSON，或含有不认识的项），数据包可能被改动过，请重新导出", ManifestName)
	}
	if b.Manifest.Format != Format {
		return nil, bad("格式 %q 不受支持（应为 %s）", b.Manifest.Format, Format)
	}
	if err := b.readReports(); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *Bundle) readReports() error {
	listed := map[string]bool{ManifestName: true}
	for _, e := range b.Manifest.Reports {
		if e.File != ReportFile(e.ID) || !reportName.MatchString(e.File) {
			return bad("清单中报告 %q 的文件名 %q 无效", e.ID, e.File)
		}
		if listed[e.File] {
			return bad("清单中报告 %s 出现两次", e.ID)
		}
		listed[e.File] = true
		for _, ev := range e.Evidence {
			if ev.File != EvidenceFile(ev.SHA256) || !evidenceName.MatchString(ev.File) {
				return bad("清单中佐证材料 %q 的文件名 %q 无效", ev.Path, ev.File)
			}
			listed[ev.File] = true
		}
		r := Report{Entry: e}
		if f, ok := b.files[e.File]; !ok {
			r.Problem = Missing
		} else {
			body, err := readEntry(f, model.MaxReportSize)
			switch {
			case errors.Is(err, errTooLarge):
				r.Problem = TooLarge
			case err != nil:
				return bad("%s: %v", e.File, err)
			}
			r.Body = body
		}
		b.Reports = append(b.Reports, r)
	}
	for name := range b.files {
		if !listed[name] {
			return bad("条目 %q 未在清单中列出", name)
		}
	}
	return nil
}

// HasEvidence reports whether the bundle holds an evidence file.
func (b *Bundle) HasEvidence(sha256 string) bool {
	_, ok := b.files[EvidenceFile(sha256)]
	return ok
}

// Evidence reads an evidence file and checks that its content hashes to
// its name.
func (b *Bundle) Evidence(sha string) ([]byte, error) {
	f, ok := b.files[EvidenceFile(sha)]
	if !ok {
		return nil, model.Errorf(model.ErrNotFound, "数据包中缺少佐证材料 %s", sha)
	}
	data, err := readEntry(f, MaxEvidenceSize)
	if err != nil {
		return nil, model.Errorf(model.ErrInvalid, "佐证材料 %s: %v", sha, err)
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != sha {
		return nil, model.Errorf(model.ErrInvalid, "佐证材料 %s 的内容与校验值不符", sha)
	}
	return data, nil
}

var errTooLarge = errors.New("超过大小上限")

// readEntry reads at most limit bytes; the declared size is not trusted.
func readEntry(f *zip.File, limit int64) ([]byte, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, errTooLarge
	}
	rc, err := f.Open()
	if err != nil {
		return nil, entryErr(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, entryErr(err)
	}
	if int64(len(data)) > limit {
		return nil, errTooLarge
	}
	return data, nil
}

// entryErr says in Chinese why an entry could not be read: archive/zip and
// compress/flate answer in English ("zip: checksum error", "flate: corrupt
// input"), and that text must not reach a user.
func entryErr(err error) error {
	switch {
	case errors.Is(err, zip.ErrChecksum):
		return errors.New("内容校验失败：数据包已损坏或被改动过，请重新导出")
	case errors.Is(err, zip.ErrAlgorithm):
		return errors.New("使用了不支持的压缩方法：请用 digilevel bundle export 重新导出")
	default:
		return errors.New("无法解压：数据包已损坏或被改动过，请重新导出")
	}
}
