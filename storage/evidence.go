package storage

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"

	bolt "go.etcd.io/bbolt"

	"digilevel/attach"
	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// Evidence files live in the database, content-addressed: a moved or edited
// original changes nothing, the same photo on two questions or in a
// revision is stored once, and reports, bundles and sync carry the stored
// bytes. See doc.go for the buckets.
var (
	bucketEvidence     = []byte("evidence")      // since v4: <sha256 hex> -> file content
	bucketEvidenceUses = []byte("evidence_uses") // since v4: <sha256>/<assessment id>/<item> -> ""
)

// SettingEvidenceLimit is the largest file that may be attached, in MiB
// (1 to model.MaxEvidenceSize>>20; unset means the maximum).
const SettingEvidenceLimit = "evidence_limit_mb"

// EvidenceLimit is the configured limit in bytes.
func (db *DB) EvidenceLimit() (int64, error) {
	var n int64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		n = evidenceLimit(tx)
		return nil
	})
	return n, err
}

func evidenceLimit(tx *bolt.Tx) int64 {
	v := string(tx.Bucket(bucketSettings).Get([]byte(SettingEvidenceLimit)))
	mb, err := strconv.ParseInt(v, 10, 64)
	if err != nil || mb <= 0 || mb<<20 > model.MaxEvidenceSize {
		return model.MaxEvidenceSize
	}
	return mb << 20
}

// ParseEvidenceLimit reads a limit typed in MB, for the settings.
func ParseEvidenceLimit(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.ToUpper(s)), "MB"))
	mb, err := strconv.ParseInt(s, 10, 64)
	if err != nil || mb < 1 || mb<<20 > model.MaxEvidenceSize {
		return 0, model.Errorf(model.ErrInvalid, "佐证材料上限应为 1 到 %d 之间的整数（MB），实际 %q", model.MaxEvidenceSize>>20, s)
	}
	return mb << 20, nil
}

// EvidenceFile is a file being attached: where it was and its content.
type EvidenceFile struct {
	Path string
	Data []byte
}

// FromAttach is the EvidenceFile of a file read with attach.Read.
func FromAttach(f attach.File) EvidenceFile { return EvidenceFile{Path: f.Path, Data: f.Data} }

// AddEvidence stores a file's content (once per content) and attaches it
// to a question or scenario of a draft, in one transaction. A file over
// the configured limit is refused.
func (db *DB) AddEvidence(id, ref string, f EvidenceFile, c model.Change) (model.Assessment, error) {
	sum := sha256.Sum256(f.Data)
	sha := hex.EncodeToString(sum[:])
	return db.mutateTx(id, c, func(tx *bolt.Tx, a *model.Assessment, cat *indicators.Catalog, c model.Change) ([]model.AuditEntry, error) {
		if limit := evidenceLimit(tx); int64(len(f.Data)) > limit {
			return nil, model.Errorf(model.ErrInvalid, "%s 有 %s，超过佐证材料上限 %s: 请压缩或拆分后再添加（上限在「设置」中，最高 %s）",
				f.Path, attach.Size(int64(len(f.Data))), attach.Size(limit), attach.Size(model.MaxEvidenceSize))
		}
		e, err := a.AddEvidence(cat, ref, model.Evidence{Path: f.Path, SHA256: sha, Size: int64(len(f.Data))}, c)
		if err != nil {
			return nil, err
		}
		if err := putEvidenceData(tx, sha, f.Data); err != nil {
			return nil, err
		}
		return []model.AuditEntry{e}, addEvidenceUse(tx, sha, a.ID, ref)
	})
}

// RemoveEvidence takes an attachment off a draft (sha: its hash or a
// unique prefix). The stored content goes when nothing refers to it any
// more; a finalized report's files are never removed.
func (db *DB) RemoveEvidence(id, ref, sha string, c model.Change) (model.Assessment, error) {
	return db.mutateTx(id, c, func(tx *bolt.Tx, a *model.Assessment, cat *indicators.Catalog, c model.Change) ([]model.AuditEntry, error) {
		gone, e, err := a.RemoveEvidence(cat, ref, sha, c)
		if err != nil {
			return nil, err
		}
		return []model.AuditEntry{e}, dropEvidenceUse(tx, gone.SHA256, a.ID, ref)
	})
}

// EvidenceData returns a stored evidence file.
func (db *DB) EvidenceData(sha string) ([]byte, error) {
	var out []byte
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketEvidence).Get([]byte(sha))
		if v == nil {
			return notFound("佐证材料 %s 不在数据库中", model.ShortHash(sha))
		}
		out = bytes.Clone(v)
		return nil
	})
	return out, err
}

// MissingEvidence lists the files an assessment names that are not in the
// database (an old database whose originals were gone when it migrated).
func (db *DB) MissingEvidence(id string) ([]model.Evidence, error) {
	var out []model.Evidence
	err := db.bolt.View(func(tx *bolt.Tx) error {
		a, err := getAssessment(tx, id)
		if err != nil {
			return err
		}
		out = missingEvidence(tx, a)
		return nil
	})
	return out, err
}

func missingEvidence(tx *bolt.Tx, a model.Assessment) []model.Evidence {
	var out []model.Evidence
	b := tx.Bucket(bucketEvidence)
	for _, ref := range sortedRefs(a.Evidence) {
		for _, ev := range a.Evidence[ref] {
			if b.Get([]byte(ev.SHA256)) == nil {
				out = append(out, ev)
			}
		}
	}
	return out
}

func sortedRefs(m map[string][]model.Evidence) []string {
	refs := make([]string, 0, len(m))
	for r := range m {
		refs = append(refs, r)
	}
	slices.Sort(refs)
	return refs
}

func putEvidenceData(tx *bolt.Tx, sha string, data []byte) error {
	b := tx.Bucket(bucketEvidence)
	if b.Get([]byte(sha)) != nil {
		return nil
	}
	return b.Put([]byte(sha), data)
}

func useKey(sha, id, ref string) []byte { return []byte(sha + "/" + id + "/" + ref) }

func addEvidenceUse(tx *bolt.Tx, sha, id, ref string) error {
	return tx.Bucket(bucketEvidenceUses).Put(useKey(sha, id, ref), nil)
}

// dropEvidenceUse forgets one use and the content once it has none left.
func dropEvidenceUse(tx *bolt.Tx, sha, id, ref string) error {
	uses := tx.Bucket(bucketEvidenceUses)
	if err := uses.Delete(useKey(sha, id, ref)); err != nil {
		return err
	}
	if k, _ := uses.Cursor().Seek([]byte(sha + "/")); k != nil && bytes.HasPrefix(k, []byte(sha+"/")) {
		return nil
	}
	return tx.Bucket(bucketEvidence).Delete([]byte(sha))
}

// addEvidenceUses records every file of an assessment as used by it (a
// revision copies its original's files).
func addEvidenceUses(tx *bolt.Tx, a model.Assessment) error {
	for ref, list := range a.Evidence {
		for _, ev := range list {
			if err := addEvidenceUse(tx, ev.SHA256, a.ID, ref); err != nil {
				return err
			}
		}
	}
	return nil
}

// migrateEvidence (schema v4) moves evidence into the database: every file
// an assessment names is read from its recorded path and stored when it is
// still a regular file with the recorded hash. Files that are gone or were
// changed are left out; Check lists them with the report they belong to.
// Reading never blocks (attach.Read refuses FIFOs and devices).
func migrateEvidence(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketEvidence, bucketEvidenceUses} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketAssessments).ForEach(func(_, v []byte) error {
		var a model.Assessment
		if err := boltkit.Decode(v, &a); err != nil {
			return err
		}
		if err := addEvidenceUses(tx, a); err != nil {
			return err
		}
		for _, list := range a.Evidence {
			for _, ev := range list {
				if tx.Bucket(bucketEvidence).Get([]byte(ev.SHA256)) != nil {
					continue
				}
				f, err := attach.Read(ev.Path, model.MaxEvidenceSize)
				if err != nil || f.SHA256 != ev.SHA256 {
					continue
				}
				if err := putEvidenceData(tx, f.SHA256, f.Data); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// checkEvidenceIndex: every stored file hashes to its key and is used;
// every use names an assessment that names the file (looked up, so the
// check holds no assessments).
func checkEvidenceIndex(tx *bolt.Tx, add func(string, ...any), release func()) {
	used := map[string]bool{}
	assessments := tx.Bucket(bucketAssessments)
	_ = tx.Bucket(bucketEvidenceUses).ForEach(func(k, _ []byte) error {
		if len(used)%releaseEveryRecords == 0 {
			release()
		}
		sha, rest, _ := strings.Cut(string(k), "/")
		id, ref, _ := strings.Cut(rest, "/")
		used[sha] = true
		var a struct {
			Evidence map[string][]model.Evidence `json:"evidence"`
		}
		v := assessments.Get([]byte(id))
		found := false
		if v != nil && boltkit.Decode(v, &a) == nil {
			for _, ev := range a.Evidence[ref] {
				found = found || ev.SHA256 == sha
			}
		}
		if !found {
			add("佐证材料索引 %s 指向不存在的引用（评测 %s %s）", model.ShortHash(sha), id, ref)
		}
		return nil
	})
	scanned := 0
	_ = tx.Bucket(bucketEvidence).ForEach(func(k, v []byte) error {
		if scanned++; scanned%releaseEveryRecords == 0 {
			release()
		}
		sum := sha256.Sum256(v)
		if hex.EncodeToString(sum[:]) != string(k) {
			add("佐证材料 %s 的内容被改动（校验值不符）", model.ShortHash(string(k)))
		}
		if !used[string(k)] {
			add("佐证材料 %s 没有任何评测引用", model.ShortHash(string(k)))
		}
		return nil
	})
}

// checkAssessmentEvidence: every file an assessment names is indexed and
// stored (else it is listed with its report).
func checkAssessmentEvidence(tx *bolt.Tx, a model.Assessment, describe func(model.Assessment) string, add func(string, ...any)) {
	for _, ref := range sortedRefs(a.Evidence) {
		for _, ev := range a.Evidence[ref] {
			if tx.Bucket(bucketEvidenceUses).Get(useKey(ev.SHA256, a.ID, ref)) == nil {
				add("评测 %s 的 %s 佐证材料 %s 不在索引中", a.ID, ref, ev.Name())
			}
		}
	}
	for _, ev := range missingEvidence(tx, a) {
		add("%s: 佐证材料 %s（sha256 %s）不在数据库中，原文件在升级时已不存在或已改动。%s", describe(a), ev.Path, model.ShortHash(ev.SHA256), missingAdvice(a))
	}
}

// missingAdvice says what to do about a missing file, by state.
func missingAdvice(a model.Assessment) string {
	if a.State == model.StateDraft {
		return "草稿: 移除该佐证后重新添加文件"
	}
	if a.State == model.StateSent {
		return "报告已发送，无需处理"
	}
	return "该报告无法携带这份佐证发送，请修订（新版本中移除或重新添加该佐证）后重新定稿"
}

// describeAssessment names an assessment for people: enterprise, kind,
// version, state and ID.
func describeAssessment(tx *bolt.Tx, cat *indicators.Catalog, a model.Assessment) string {
	name := a.Enterprise
	if e, err := getEnterprise(tx, a.Enterprise); err == nil {
		name = e.Name + "（" + e.Code + "）"
	}
	kind := string(a.Kind)
	if cat != nil {
		kind = cat.KindLabel(string(a.Kind))
	}
	return fmt.Sprintf("%s %s v%d（%s，评测 %s）", name, kind, a.Version, a.State.Label(), a.ID)
}
