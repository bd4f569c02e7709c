package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"digilevel/model"
)

// EvidenceDir is the folder written beside an exported report file
// (base.html -> base_佐证材料) that holds its evidence files.
func EvidenceDir(reportPath string) string {
	return strings.TrimSuffix(reportPath, filepath.Ext(reportPath)) + "_佐证材料"
}

// WriteEvidence writes the evidence files a report names into dir, from
// the bytes data returns for each SHA-256 (the copies stored when they
// were attached, so a moved or edited original does not matter). Files are
// named <item>_<original name>; each is checked against its hash. It
// returns the paths written.
func WriteEvidence(dir string, evidence map[string][]model.Evidence, data func(sha string) ([]byte, error)) ([]string, error) {
	if len(evidence) == 0 {
		return nil, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, &WriteError{Path: dir, Reason: "无法创建文件夹", Err: err}
	}
	refs := make([]string, 0, len(evidence))
	for ref := range evidence {
		refs = append(refs, ref)
	}
	sort.Strings(refs)
	used := map[string]bool{}
	var out []string
	for _, ref := range refs {
		for _, ev := range evidence[ref] {
			b, err := data(ev.SHA256)
			if err != nil {
				return out, fmt.Errorf("%s 的佐证材料 %s: %w", ref, ev.Name(), err)
			}
			if model.HashReport(b) != ev.SHA256 {
				return out, model.Errorf(model.ErrInvalid, "%s 的佐证材料 %s 与报告记录的校验值不符", ref, ev.Name())
			}
			name := safeName(ref + "_" + ev.Name())
			if used[name] {
				ext := filepath.Ext(name)
				name = strings.TrimSuffix(name, ext) + "_" + model.ShortHash(ev.SHA256)[:8] + ext
			}
			used[name] = true
			p := filepath.Join(dir, name)
			if err := WriteFile(p, func(w io.Writer) error { _, err := io.Copy(w, bytes.NewReader(b)); return err }); err != nil {
				return out, err
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// safeName keeps a file name portable: no separators, no control characters.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || model.UnsafeRune(r) {
			return '_'
		}
		return r
	}, s)
}
