package bundle

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"digilevel/model"
)

// Writer builds a bundle. Add reports with AddReport, then Close; the
// manifest is written last.
type Writer struct {
	zw       *zip.Writer
	manifest Manifest
	evidence map[string]bool
	reports  map[string]bool
}

// NewWriter starts a bundle on w.
func NewWriter(w io.Writer, device, publicKey string, now time.Time) *Writer {
	return &Writer{
		zw:       zip.NewWriter(w),
		manifest: Manifest{Format: Format, CreatedAt: now.UTC(), Device: device, PublicKey: publicKey, Reports: []ReportEntry{}},
		evidence: map[string]bool{},
		reports:  map[string]bool{},
	}
}

// Evidence is an evidence file to add: open returns its content, which must
// hash to SHA256.
type Evidence struct {
	Ref    string
	Path   string
	SHA256 string
	Size   int64
	Open   func() (io.ReadCloser, error)
}

// AddReport adds a signed report and its evidence files. The report must
// verify; each evidence file must hash to what the report says, checked
// while it is copied (a file that changed makes the whole bundle invalid, so
// the caller must discard it).
func (w *Writer) AddReport(body []byte, evidence []Evidence) error {
	doc, err := model.VerifyReport(body)
	if err != nil {
		return err
	}
	if w.reports[doc.ID] {
		return model.Errorf(model.ErrExists, "报告 %s 已在包中", doc.ID)
	}
	entry := ReportEntry{
		ID: doc.ID, Enterprise: doc.Enterprise.Code, Provider: doc.Assessor.Org, Replaces: doc.Replaces,
		SHA256: model.HashReport(body), Size: len(body), Signature: doc.Signature.Value,
		File: ReportFile(doc.ID), Evidence: []EvidenceEntry{},
	}
	for _, ev := range evidence {
		entry.Evidence = append(entry.Evidence, EvidenceEntry{Ref: ev.Ref, Path: ev.Path, SHA256: ev.SHA256, Size: ev.Size, File: EvidenceFile(ev.SHA256)})
		if w.evidence[ev.SHA256] {
			continue
		}
		if err := w.copyEvidence(ev); err != nil {
			return err
		}
		w.evidence[ev.SHA256] = true
	}
	f, err := w.zw.CreateHeader(&zip.FileHeader{Name: entry.File, Method: zip.Deflate, Modified: w.manifest.CreatedAt})
	if err != nil {
		return fmt.Errorf("写入数据包条目 %s: %w", entry.File, err)
	}
	if _, err := f.Write(body); err != nil {
		return fmt.Errorf("写入数据包条目 %s: %w", entry.File, err)
	}
	w.reports[doc.ID] = true
	w.manifest.Reports = append(w.manifest.Reports, entry)
	return nil
}

func (w *Writer) copyEvidence(ev Evidence) error {
	r, err := ev.Open()
	if err != nil {
		return fmt.Errorf("佐证材料 %s: %w", ev.Path, err)
	}
	defer r.Close()
	name := EvidenceFile(ev.SHA256)
	f, err := w.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: w.manifest.CreatedAt})
	if err != nil {
		return fmt.Errorf("写入数据包条目 %s: %w", name, err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, MaxEvidenceSize+1))
	if err != nil {
		return fmt.Errorf("佐证材料 %s: %w", ev.Path, err)
	}
	if n > MaxEvidenceSize {
		return model.Errorf(model.ErrInvalid, "佐证材料 %s 超过 %d MiB 上限", ev.Path, MaxEvidenceSize>>20)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != ev.SHA256 {
		return model.Errorf(model.ErrInvalid, "佐证材料 %s 在添加后被改动（校验值 %s，报告记录 %s）", ev.Path, got[:12], ev.SHA256[:12])
	}
	return nil
}

// Close writes the manifest and the zip directory.
func (w *Writer) Close() error {
	f, err := w.zw.CreateHeader(&zip.FileHeader{Name: ManifestName, Method: zip.Deflate, Modified: w.manifest.CreatedAt})
	if err != nil {
		return fmt.Errorf("写入数据包清单: %w", err)
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(w.manifest); err != nil {
		return fmt.Errorf("写入数据包清单: %w", err)
	}
	if err := w.zw.Close(); err != nil {
		return fmt.Errorf("完成数据包: %w", err)
	}
	return nil
}
