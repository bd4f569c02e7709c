package model

import (
	"strings"

	"digilevel/indicators"
)

// MaxEvidenceSize is the one upper bound of an evidence file, in bytes,
// wherever one is read: when it is attached (the laptop's configurable
// limit can only be lower), in a bundle, and on the platform. A file the
// laptop accepted can therefore always leave it.
const MaxEvidenceSize = 64 << 20

// MaxEvidencePath bounds the recorded original path, in characters.
const MaxEvidencePath = 4096

// Audit action of removing an attachment; adding is ActionEvidence.
const ActionEvidenceRemove = "evidence_remove"

// draftRef checks the assessment is a draft and that ref names one of its
// questions or one of the catalog's scenarios: notes and evidence belong to
// either.
func (a *Assessment) draftRef(cat *indicators.Catalog, ref string) error {
	if err := a.editable(); err != nil {
		return err
	}
	qn, err := a.Answers.questionnaire(cat)
	if err != nil {
		return err
	}
	if _, ok := qn.Question(ref); ok {
		return nil
	}
	if _, ok := cat.Scenario(ref); ok {
		return nil
	}
	return invalidf("题目或场景 %q 不存在（题目 Q01–Q%02d，场景 SC01–SC%02d）", ref, len(qn.Questions()), len(cat.Scenarios))
}

// AddEvidence attaches a file to a question or scenario. The caller has
// stored the content under ev.SHA256; the assessment records the original
// path (for people), the hash and the size. The same content twice on one
// item is refused; the same content on two items is one stored file.
func (a *Assessment) AddEvidence(cat *indicators.Catalog, ref string, ev Evidence, c Change) (AuditEntry, error) {
	if err := a.draftRef(cat, ref); err != nil {
		return AuditEntry{}, err
	}
	if strings.TrimSpace(ev.Path) == "" || len(ev.SHA256) != 64 {
		return AuditEntry{}, invalidf("佐证材料缺少路径或校验值")
	}
	if err := CheckText(ev.Path, TextRule{Label: "佐证文件路径", Max: MaxEvidencePath}); err != nil {
		return AuditEntry{}, err
	}
	if ev.Size < 0 || ev.Size > MaxEvidenceSize {
		return AuditEntry{}, invalidf("佐证材料 %s 有 %d 字节，超过上限 %d MB", ev.Path, ev.Size, MaxEvidenceSize>>20)
	}
	for _, e := range a.Evidence[ref] {
		if e.SHA256 == ev.SHA256 {
			return AuditEntry{}, Errorf(ErrExists, "%s 已附有内容相同的佐证材料 %s", ref, baseName(e.Path))
		}
	}
	if a.Evidence == nil {
		a.Evidence = map[string][]Evidence{}
	}
	ev.AddedAt = c.Now.UTC()
	a.Evidence[ref] = append(a.Evidence[ref], ev)
	return a.touch(c, ActionEvidence, ref, "", ev.Path+" sha256:"+ShortHash(ev.SHA256)), nil
}

// RemoveEvidence takes an attachment off a question or scenario of a
// draft; sha names it (a unique prefix of at least 6 hex digits is enough).
// It returns the removed entry.
func (a *Assessment) RemoveEvidence(cat *indicators.Catalog, ref, sha string, c Change) (Evidence, AuditEntry, error) {
	if err := a.draftRef(cat, ref); err != nil {
		return Evidence{}, AuditEntry{}, err
	}
	sha = strings.ToLower(strings.TrimSpace(sha))
	if len(sha) < 6 {
		return Evidence{}, AuditEntry{}, invalidf("请给出佐证材料的校验值（sha256，至少前 6 位）")
	}
	list := a.Evidence[ref]
	at := -1
	for i, e := range list {
		if strings.HasPrefix(e.SHA256, sha) {
			if at >= 0 {
				return Evidence{}, AuditEntry{}, invalidf("%s 有多个佐证材料的校验值以 %s 开头，请多给几位", ref, sha)
			}
			at = i
		}
	}
	if at < 0 {
		return Evidence{}, AuditEntry{}, Errorf(ErrNotFound, "%s 没有校验值以 %s 开头的佐证材料", ref, sha)
	}
	gone := list[at]
	rest := append(append([]Evidence(nil), list[:at]...), list[at+1:]...)
	if len(rest) == 0 {
		delete(a.Evidence, ref)
	} else {
		a.Evidence[ref] = rest
	}
	return gone, a.touch(c, ActionEvidenceRemove, ref, gone.Path+" sha256:"+ShortHash(gone.SHA256), ""), nil
}

// EvidenceHashes lists the distinct SHA-256 of every file an assessment or
// report names, in the order of first appearance by item ID.
func EvidenceHashes(ev map[string][]Evidence) []string {
	var out []string
	seen := map[string]bool{}
	for _, ref := range sortedKeys(ev) {
		for _, e := range ev[ref] {
			if !seen[e.SHA256] {
				seen[e.SHA256] = true
				out = append(out, e.SHA256)
			}
		}
	}
	return out
}

// baseName is the last element of a slash or backslash path.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// Name is the file name of an attachment, for lists and reports.
func (e Evidence) Name() string { return baseName(e.Path) }
