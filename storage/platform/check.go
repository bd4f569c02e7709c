package platform

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"

	"digilevel/indicators"
	"digilevel/model"
)

// Checker collects the invariants every engine's Check verifies, so both
// report the same problems in the same words. An engine feeds it what it
// stores (tokens, each report with its body, idempotency records, evidence,
// its sequence counter) and adds the problems of its own indexes; Problems
// then lists everything found, in Chinese.
type Checker struct {
	catalogs map[string]*indicators.Catalog
	records  map[string]Record
	bySeq    map[uint64]string
	problems []string
	lines    digestLines
}

// NewChecker starts a check.
func NewChecker() *Checker {
	c := &Checker{records: map[string]Record{}, bySeq: map[uint64]string{}}
	cats, err := indicators.EmbeddedByHash()
	if err != nil {
		c.Add("内置指标目录无法加载，不能重新计分: %v", err)
	}
	c.catalogs = cats
	return c
}

// Add records a problem.
func (c *Checker) Add(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

// Problems is every problem found so far.
func (c *Checker) Problems() []string { return c.problems }

// Records are the reports seen, by ID.
func (c *Checker) Records() map[string]Record { return c.records }

// Token checks one stored token.
func (c *Checker) Token(key string, t Token) {
	c.lines.tokens = append(c.lines.tokens, fmt.Sprintf("token %s %s %s %s %s %s", t.ID, t.SecretHash, t.Provider, t.Role, t.PublicKey, t.RevokedAt.UTC().Format("2006-01-02T15:04:05Z")))
	if t.ID != key {
		c.Add("令牌记录 %s 的编号为 %s", key, t.ID)
	}
	if _, err := hex.DecodeString(t.SecretHash); err != nil || len(t.SecretHash) != 64 {
		c.Add("令牌 %s 的密钥摘要格式错误", key)
	}
	if _, err := ParseRole(string(t.Role)); err != nil {
		c.Add("令牌 %s: %v", key, err)
	}
}

// Report checks one stored report against its body: the hash, the size,
// the canonical form and signature, the rescoring with its catalog, and
// that the record says what the body says. body nil means it is missing.
func (c *Checker) Report(key string, rec Record, body []byte) {
	if rec.ID != key {
		c.Add("报告记录 %s 的编号为 %s", key, rec.ID)
	}
	if other, dup := c.bySeq[rec.Seq]; dup {
		c.Add("报告 %s 与 %s 使用同一服务器序号 %d", rec.ID, other, rec.Seq)
	}
	c.bySeq[rec.Seq] = rec.ID
	c.records[rec.ID] = rec
	if body == nil {
		c.Add("报告 %s 缺少原文", rec.ID)
		return
	}
	if got := model.HashReport(body); got != rec.SHA256 {
		c.Add("报告 %s 的原文被改动: 校验值 %s，记录为 %s", rec.ID, model.ShortHash(got), model.ShortHash(rec.SHA256))
		return
	}
	if rec.Size != len(body) {
		c.Add("报告 %s 的大小 %d 与记录 %d 不符", rec.ID, len(body), rec.Size)
	}
	doc, err := model.VerifyReport(body)
	if err != nil {
		c.Add("报告 %s: %v", rec.ID, err)
		return
	}
	if cat, ok := c.catalogs[doc.Catalog.Hash]; !ok {
		c.Add("报告 %s 使用未知的指标目录 %s", rec.ID, model.ShortHash(doc.Catalog.Hash))
	} else if err := model.CheckReportScore(cat, doc); err != nil {
		c.Add("报告 %s: %v", rec.ID, err)
	}
	want := RecordOf(doc, rec.SHA256, len(body))
	if doc.ID != rec.ID || want.Enterprise != rec.Enterprise || want.Provider != rec.Provider ||
		want.PublicKey != rec.PublicKey || want.Replaces != rec.Replaces || doc.Draft {
		c.Add("报告 %s 的原文与记录（编号、企业、服务商、密钥、修订关系）不符", rec.ID)
	}
	if want.Kind != rec.Kind || want.Version != rec.Version || want.Level != rec.Level || want.Score != rec.Score ||
		!want.FinalizedAt.Equal(rec.FinalizedAt) || want.Checks != rec.Checks || want.ChecksSHA256 != rec.ChecksSHA256 ||
		want.ChecksKind != rec.ChecksKind || want.ChecksOrg != rec.ChecksOrg || want.ChecksBlind != rec.ChecksBlind {
		c.Add("报告 %s 的原文与记录（类型、版本、等级、得分、定稿时间、被抽查的报告）不符", rec.ID)
	}
}

// Sequence checks the server sequence after every report was fed: the
// numbers are 1..counter without gap or repeat (so there are counter
// reports) and the counter was never given out beyond the last report.
func (c *Checker) Sequence(counter uint64) {
	if uint64(len(c.records)) != counter {
		c.Add("服务器序号计数器为 %d，报告 %d 份", counter, len(c.records))
	}
	var missing []uint64
	for seq := uint64(1); seq <= counter && len(missing) < 10; seq++ {
		if _, ok := c.bySeq[seq]; !ok {
			missing = append(missing, seq)
		}
	}
	if len(missing) > 0 {
		c.Add("服务器序号不连续: 缺少 %v", missing)
	}
	var above []uint64
	for seq := range c.bySeq {
		if seq == 0 || seq > counter {
			above = append(above, seq)
		}
	}
	sort.Slice(above, func(i, j int) bool { return above[i] < above[j] })
	for _, seq := range above {
		c.Add("报告 %s 的服务器序号 %d 超出计数器 %d", c.bySeq[seq], seq, counter)
	}
}

// Replacements checks the revision links after every report was fed:
// replaced maps each replaced ID to the revision the engine says replaces
// it. Every link names a stored revision that says so, no report revises
// itself, a revision and the version it replaces (when stored) belong to
// one enterprise, and every stored revision is linked.
func (c *Checker) Replacements(replaced map[string]string) {
	for old, by := range replaced {
		if rec, ok := c.records[by]; !ok || rec.Replaces != old {
			c.Add("修订记录: %s 被 %s 取代，但该修订版不存在或未声明", old, by)
		}
	}
	for _, rec := range c.records {
		if rec.Replaces == "" {
			continue
		}
		if rec.Replaces == rec.ID {
			c.Add("报告 %s 声明修订它自己", rec.ID)
		}
		if by := replaced[rec.Replaces]; by != rec.ID {
			c.Add("修订版 %s 声明取代 %s，但修订记录为 %q", rec.ID, rec.Replaces, by)
		}
		if old, ok := c.records[rec.Replaces]; ok && old.Enterprise != rec.Enterprise {
			c.Add("修订版 %s 属于企业 %s，被修订的版本 %s 属于企业 %s", rec.ID, rec.Enterprise, old.ID, old.Enterprise)
		}
	}
}

// Idempotency checks one idempotency record: it names a stored report with
// that hash.
func (c *Checker) Idempotency(i Idempotency) {
	c.lines.idem = append(c.lines.idem, fmt.Sprintf("idempotency %q %s %s", i.Key, i.ID, i.SHA256))
	if rec, ok := c.records[i.ID]; !ok || rec.SHA256 != i.SHA256 {
		c.Add("幂等键 %q 指向不存在或内容不同的报告 %s", i.Key, i.ID)
	}
}

// Evidence checks one evidence file against the hash it is stored under.
func (c *Checker) Evidence(sha string, data []byte) {
	c.lines.evidence = append(c.lines.evidence, "evidence "+sha)
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != sha {
		c.Add("佐证材料 %s 的内容被改动", model.ShortHash(sha))
	}
}

// Enterprise checks one roster entry stored under key.
func (c *Checker) Enterprise(key string, e model.Enterprise) {
	canon, _ := json.Marshal(e)
	sum := sha256.Sum256(canon)
	c.lines.roster = append(c.lines.roster, "roster "+key+" "+hex.EncodeToString(sum[:]))
	if e.Code != key {
		c.Add("名单企业 %s 的信用代码为 %s", key, e.Code)
	}
	if err := e.Validate(); err != nil {
		c.Add("名单企业 %s: %v", key, err)
	}
}

// Summary is what a check found stored, with a digest that is equal on two
// platforms exactly when they hold the same reports (ID, hash, sequence,
// receipt time, revision link), tokens (ID, secret hash, provider, role,
// bound key, revocation), idempotency records, evidence hashes and roster
// entries. `serve migrate` compares the summaries of both sides.
type Summary struct {
	Reports     int    `json:"reports"`
	LastSeq     uint64 `json:"last_seq"`
	Tokens      int    `json:"tokens"`
	Idempotency int    `json:"idempotency"`
	Evidence    int    `json:"evidence"`
	Roster      int    `json:"roster"`
	Digest      string `json:"digest"`
}

// digestLines are the lines hashed into the digest, by kind.
type digestLines struct {
	tokens, idem, evidence, roster []string
}

// Summary counts and digests what was fed. counter is the engine's last
// sequence number; replaced the revision links (as for Replacements).
func (c *Checker) Summary(counter uint64, replaced map[string]string) Summary {
	recs := make([]Record, 0, len(c.records))
	for _, r := range c.records {
		recs = append(recs, r)
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].Seq < recs[j].Seq })
	h := sha256.New()
	for _, r := range recs {
		fmt.Fprintf(h, "report %d %s %s %s %s\n", r.Seq, r.ID, r.SHA256, r.ReceivedAt.UTC().Format("2006-01-02T15:04:05.000000000Z"), replaced[r.ID])
	}
	for _, group := range [][]string{c.lines.tokens, c.lines.idem, c.lines.evidence, c.lines.roster} {
		sorted := append([]string(nil), group...)
		sort.Strings(sorted)
		for _, l := range sorted {
			fmt.Fprintln(h, l)
		}
	}
	return Summary{Reports: len(recs), LastSeq: counter, Tokens: len(c.lines.tokens), Idempotency: len(c.lines.idem),
		Evidence: len(c.lines.evidence), Roster: len(c.lines.roster), Digest: hex.EncodeToString(h.Sum(nil))}
}
