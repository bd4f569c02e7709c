package storage

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// Check verifies the file (bbolt's page consistency) and the project's own
// invariants, and returns every problem found, in Chinese. An empty result
// means the database is sound.
//
// Invariants: every record decodes; every assessment's enterprise and
// catalog exist; every frozen assessment has its report, whose bytes verify
// and hash to the recorded SHA-256; every unsent or rejected assessment has
// an outbox item and every outbox item a matching assessment; every sent one
// has a receipt; revision links point both ways; the summary index matches
// the records; every pulled report's bytes verify, rescore and match their
// record and index; every spot-check's link names a pulled report with the
// hash it records; every evidence file an assessment names is stored,
// intact and indexed (a missing one is listed with its report).
func (db *DB) Check() ([]string, error) {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	err := db.bolt.View(func(tx *bolt.Tx) error {
		db.watchWhile(tx, func() {
			for err := range tx.Check() {
				add("文件结构: %v", err)
			}
		})
		for _, name := range [][]byte{bucketMeta, bucketKeys, bucketSettings, bucketCatalogs, bucketEnterprises,
			bucketAssessments, bucketReports, bucketAudit, bucketOutbox, bucketReceipts, bucketSummaries, bucketOutboxIDs,
			bucketPulled, bucketPulledReports, bucketPulledIndex, bucketEvidence, bucketEvidenceUses} {
			if tx.Bucket(name) == nil {
				add("缺少数据桶 %s", name)
			}
		}
		if len(problems) > 0 {
			return nil
		}
		if v := boltkit.Btoi(tx.Bucket(bucketMeta).Get(keySchemaVersion)); v != uint64(len(migrations)) {
			add("结构版本 %d，应为 %d", v, len(migrations))
		}
		if _, err := signingKey(tx); err != nil {
			add("签名密钥: %v", err)
		}
		db.checkRecords(tx, add)
		return nil
	})
	return problems, err
}

// checkRecords streams the records: one assessment is decoded at a time and
// only small facts are kept (enterprise codes, outbox hashes, per-enterprise
// counts), so a check of 100,000 enterprises stays small in memory. The
// file pages bbolt maps while reading are released as it goes (releaseNow).
func (db *DB) checkRecords(tx *bolt.Tx, add func(string, ...any)) {
	enterprises := map[string]bool{}
	_ = tx.Bucket(bucketEnterprises).ForEach(func(k, v []byte) error {
		if len(enterprises)%releaseEveryRecords == 0 {
			db.releaseNow(tx)
		}
		var e model.Enterprise
		if err := boltkit.Decode(v, &e); err != nil {
			add("企业 %s 记录无法解析: %v", k, err)
			return nil
		}
		if e.Code != string(k) {
			add("企业记录 %s 的代码为 %s", k, e.Code)
		}
		enterprises[e.Code] = true
		return nil
	})
	outbox := map[string]outboxFact{}
	_ = tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
		if len(outbox)%releaseEveryRecords == 0 {
			db.releaseNow(tx)
		}
		var it OutboxItem
		if err := boltkit.Decode(v, &it); err != nil {
			add("发送队列项 %d 无法解析: %v", boltkit.Btoi(k), err)
			return nil
		}
		if _, dup := outbox[it.AssessmentID]; dup {
			add("评测 %s 在发送队列中出现两次", it.AssessmentID)
		}
		outbox[it.AssessmentID] = outboxFact{seq: it.Seq, sha: it.SHA256}
		return nil
	})
	indexed := 0
	_ = tx.Bucket(bucketOutboxIDs).ForEach(func(k, v []byte) error {
		indexed++
		if it, ok := outbox[string(k)]; !ok || it.seq != boltkit.Btoi(v) {
			add("发送队列索引中的 %s 指向不存在或不符的队列项", k)
		}
		return nil
	})
	if indexed != len(outbox) {
		add("发送队列有 %d 项，索引有 %d 项", len(outbox), indexed)
	}
	perEnterprise := map[string]int{}
	scanned := 0
	lines := &summaryCache{b: tx.Bucket(bucketSummaries)}
	_ = tx.Bucket(bucketAssessments).ForEach(func(k, v []byte) error {
		var a model.Assessment
		if err := boltkit.Decode(v, &a); err != nil {
			add("评测 %s 记录无法解析: %v", k, err)
			return nil
		}
		perEnterprise[a.Enterprise]++
		db.checkAssessment(tx, a, enterprises, outbox, add)
		db.checkLinks(tx, a, add)
		checkAssessmentEvidence(tx, a, func(a model.Assessment) string {
			cat, _ := db.catalogFor(tx, a.CatalogHash)
			return describeAssessment(tx, cat, a)
		}, add)
		if it, ok := outbox[a.ID]; ok {
			it.seen = true
			outbox[a.ID] = it
			if it.sha != a.ReportSHA256 {
				add("发送队列中 %s 的校验值与评测记录不符", a.ID)
			}
		}
		cat, _ := db.catalogFor(tx, a.CatalogHash)
		if want, got, ok := lines.line(a.Enterprise, a.ID); ok {
			if w := summarize(a, cat); got.State != w.State || got.Level != w.Level || got.Score != w.Score || got.Done != w.Done {
				add("企业 %s 的列表索引与评测 %s 不一致", a.Enterprise, a.ID)
			}
		} else if want {
			add("企业 %s 的列表索引中没有评测 %s", a.Enterprise, a.ID)
		}
		if db.checkProgress != nil {
			db.checkProgress()
		}
		if scanned++; scanned%releaseEveryRecords == 0 {
			db.releaseNow(tx)
		}
		return nil
	})
	for id, it := range outbox {
		if !it.seen {
			add("发送队列中的 %s 没有对应的评测", id)
		}
	}
	checkEvidenceIndex(tx, add, func() { db.releaseNow(tx) })
	db.checkSummaries(tx, enterprises, perEnterprise, add)
	db.checkPulled(tx, enterprises, add)
}

// outboxFact is what the check keeps of an outbox item.
type outboxFact struct {
	seq  uint64
	sha  string
	seen bool
}

// summaryCache decodes an enterprise's summary once for its run of
// assessments (IDs sort by time, so they mostly come in runs).
type summaryCache struct {
	b    *bolt.Bucket
	code string
	s    EnterpriseSummary
	ok   bool
}

// line returns the index line of an assessment; exists is false when the
// enterprise has no readable summary (checkSummaries reports that).
func (c *summaryCache) line(code, id string) (exists bool, line AssessmentSummary, found bool) {
	if c.code != code {
		c.code, c.ok = code, false
		if v := c.b.Get([]byte(code)); v != nil {
			s, err := decodeSummary(v)
			c.s, c.ok = s, err == nil
		}
	}
	if !c.ok {
		return false, AssessmentSummary{}, false
	}
	for _, l := range c.s.Assessments {
		if l.ID == id {
			return true, l, true
		}
	}
	return true, AssessmentSummary{}, false
}

// checkLinks checks an assessment's links to other records: the version it
// revises points back, and a spot-check names a pulled report with the
// hash it records. Each is a lookup, so nothing is kept between records.
func (db *DB) checkLinks(tx *bolt.Tx, a model.Assessment, add func(string, ...any)) {
	if a.Replaces != "" {
		var old struct {
			ReplacedBy string `json:"replaced_by"`
		}
		v := tx.Bucket(bucketAssessments).Get([]byte(a.Replaces))
		if v == nil || boltkit.Decode(v, &old) != nil || old.ReplacedBy != a.ID {
			add("评测 %s 声明修订 %s，但对方没有指回", a.ID, a.Replaces)
		}
	}
	if a.Checks != nil {
		p, ok, err := getPulled(tx, a.Checks.ID)
		if err != nil || !ok || p.SHA256 != a.Checks.SHA256 || p.Enterprise != a.Enterprise {
			add("抽查 %s 关联的报告 %s 不在本机或校验值不符", a.ID, a.Checks.ID)
		}
	}
}

func (db *DB) checkAssessment(tx *bolt.Tx, a model.Assessment, enterprises map[string]bool, outbox map[string]outboxFact, add func(string, ...any)) {
	if !enterprises[a.Enterprise] {
		add("评测 %s 的企业 %s 不存在", a.ID, a.Enterprise)
	}
	cat, err := db.catalogFor(tx, a.CatalogHash)
	if err != nil {
		add("评测 %s 的指标目录: %v", a.ID, err)
		return
	}
	if err := a.Answers.Validate(cat); err != nil {
		add("评测 %s 的答案无效: %v", a.ID, err)
	}
	report := tx.Bucket(bucketReports).Get([]byte(a.ID))
	switch {
	case a.State == model.StateDraft:
		if report != nil {
			add("草稿 %s 不应有定稿报告", a.ID)
		}
		return
	case report == nil:
		add("已定稿评测 %s 缺少报告", a.ID)
		return
	}
	if got := model.HashReport(report); got != a.ReportSHA256 {
		add("评测 %s 的报告被改动: 校验值 %s，记录为 %s", a.ID, model.ShortHash(got), model.ShortHash(a.ReportSHA256))
	}
	doc, err := db.verify(report)
	if err != nil {
		add("评测 %s 的报告: %v", a.ID, err)
	} else if err := model.CheckReportScore(cat, doc); err != nil {
		add("评测 %s 的报告: %v", a.ID, err)
	}
	_, inOutbox := outbox[a.ID]
	switch {
	case (a.State.Unsent() || a.State == model.StateRejected) && !inOutbox:
		add("未发送的评测 %s（%s）不在发送队列中", a.ID, a.State.Label())
	case a.State == model.StateSent:
		if inOutbox {
			add("已发送的评测 %s 仍在发送队列中", a.ID)
		}
		if tx.Bucket(bucketReceipts).Get([]byte(a.ID)) == nil {
			add("已发送的评测 %s 没有平台回执", a.ID)
		}
	}
}

// checkSummaries checks the index from its side: every enterprise has a
// summary, every line names an assessment of that enterprise, and the
// counts agree (checkRecords matched each assessment with its line).
func (db *DB) checkSummaries(tx *bolt.Tx, enterprises map[string]bool, perEnterprise map[string]int, add func(string, ...any)) {
	seen := map[string]bool{}
	assessments := tx.Bucket(bucketAssessments)
	scanned := 0
	var counted SummaryCounts
	_ = tx.Bucket(bucketSummaries).ForEach(func(k, v []byte) error {
		if scanned++; scanned%releaseEveryRecords == 0 {
			db.releaseNow(tx)
		}
		code := string(k)
		seen[code] = true
		s, err := decodeSummary(v)
		if err != nil {
			add("企业 %s 的列表索引无法解析: %v", code, err)
			return nil
		}
		counted.add(s, 1)
		if !enterprises[code] {
			add("列表索引中的企业 %s 不存在", code)
		}
		if n := perEnterprise[code]; n != len(s.Assessments) {
			add("企业 %s 的列表索引有 %d 个评测，实际 %d 个", code, len(s.Assessments), n)
			return nil
		}
		for _, l := range s.Assessments {
			if assessments.Get([]byte(l.ID)) == nil {
				add("企业 %s 的列表索引中的评测 %s 不存在", code, l.ID)
			}
		}
		return nil
	})
	for code := range enterprises {
		if !seen[code] {
			add("企业 %s 不在列表索引中", code)
		}
	}
	checkSummaryCounts(tx, counted, add)
}

// checkSummaryCounts compares the kept counts (what the home screen shows
// before its list has loaded) with the index they count.
func checkSummaryCounts(tx *bolt.Tx, counted SummaryCounts, add func(string, ...any)) {
	v := tx.Bucket(bucketMeta).Get(keySummaryCounts)
	if v == nil {
		add("列表索引缺少计数记录")
		return
	}
	kept, err := decodeSummaryCounts(v)
	if err != nil {
		add("%v", err)
		return
	}
	if kept.Enterprises != counted.Enterprises {
		add("列表索引计数记录有 %d 家企业，索引中有 %d 家", kept.Enterprises, counted.Enterprises)
	}
	states := map[model.State]bool{}
	for st := range kept.States {
		states[st] = true
	}
	for st := range counted.States {
		states[st] = true
	}
	for st := range states {
		if kept.States[st] != counted.States[st] {
			add("列表索引计数记录有 %d 个%s评测，索引中有 %d 个", kept.States[st], st.Label(), counted.States[st])
		}
	}
}

func (db *DB) checkPulled(tx *bolt.Tx, enterprises map[string]bool, add func(string, ...any)) {
	pulled := map[string]string{} // report ID -> enterprise
	_ = tx.Bucket(bucketPulled).ForEach(func(k, v []byte) error {
		if len(pulled)%releaseEveryRecords == 0 {
			db.releaseNow(tx)
		}
		var p model.PulledReport
		if err := boltkit.Decode(v, &p); err != nil {
			add("拉取的报告 %s 记录无法解析: %v", k, err)
			return nil
		}
		pulled[string(k)] = p.Enterprise
		if p.ID != string(k) {
			add("拉取的报告记录 %s 的编号为 %s", k, p.ID)
		}
		if tx.Bucket(bucketAssessments).Get(k) != nil {
			add("拉取的报告 %s 与本机评测编号相同", p.ID)
		}
		if !enterprises[p.Enterprise] {
			add("拉取的报告 %s 的企业 %s 不存在", p.ID, p.Enterprise)
		}
		if tx.Bucket(bucketPulledIndex).Get(pulledIndexKey(p.Enterprise, p.ID)) == nil {
			add("拉取的报告 %s 不在索引中", p.ID)
		}
		data := tx.Bucket(bucketPulledReports).Get(k)
		if data == nil {
			add("拉取的报告 %s 缺少原文", p.ID)
			return nil
		}
		if got := model.HashReport(data); got != p.SHA256 {
			add("拉取的报告 %s 被改动: 校验值 %s，记录为 %s", p.ID, model.ShortHash(got), model.ShortHash(p.SHA256))
			return nil
		}
		cat, err := db.catalogFor(tx, p.CatalogHash)
		if err != nil {
			add("拉取的报告 %s 的指标目录: %v", p.ID, err)
			return nil
		}
		doc, err := model.CheckPulled(cat, data)
		switch {
		case err != nil:
			add("拉取的报告 %s: %v", p.ID, err)
		case doc.ID != p.ID || doc.Enterprise.Code != p.Enterprise || doc.Kind != p.Kind || doc.Result.Level != p.Level || doc.Result.Score != p.Score:
			add("拉取的报告 %s 的记录与原文不符", p.ID)
		}
		return nil
	})
	indexed := 0
	_ = tx.Bucket(bucketPulledIndex).ForEach(func(k, _ []byte) error {
		indexed++
		code, id, _ := bytes.Cut(k, []byte("/"))
		if enterprise, ok := pulled[string(id)]; !ok || enterprise != string(code) {
			add("拉取报告索引中的 %s 指向不存在或不符的记录", k)
		}
		return nil
	})
	if indexed != len(pulled) {
		add("拉取的报告有 %d 份，索引有 %d 项", len(pulled), indexed)
	}
	if n := tx.Bucket(bucketPulledReports).Stats().KeyN; n != len(pulled) {
		add("拉取的报告有 %d 份记录、%d 份原文", len(pulled), n)
	}
}
