package serverstore

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// Check verifies the file (bbolt's page consistency) and the invariants
// that make every report present exactly once and unaltered, and returns
// every problem found, in Chinese. An empty result means the database is
// sound.
//
// Invariants: every record decodes and is stored under its own ID; every
// report has its body, the body hashes to the recorded SHA-256, verifies
// (canonical form, signature), rescoring with its catalog gives its result,
// and its ID, enterprise, provider and key match the record; the sequence
// index and the records are one-to-one, no sequence number above the
// counter; the enterprise index lists exactly the reports; every
// replacement names a stored revision that says so; every idempotency key
// names a stored report with that hash; every evidence file hashes to its
// key; every token is well-formed.
func (s *Store) Check() ([]string, error) {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	err := s.bolt.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			add("文件结构: %v", err)
		}
		for _, name := range allBuckets {
			if tx.Bucket(name) == nil {
				add("缺少数据桶 %s", name)
			}
		}
		if len(problems) > 0 {
			return nil
		}
		meta := tx.Bucket(bucketMeta)
		if string(meta.Get(keyApp)) != appMarker {
			add("缺少服务器数据库标记")
		}
		if v := boltkit.Btoi(meta.Get(keySchemaVersion)); v != uint64(len(migrations)) {
			add("结构版本 %d，应为 %d", v, len(migrations))
		}
		checkTokens(tx, add)
		checkReports(tx, add)
		checkEvidence(tx, add)
		return nil
	})
	return problems, err
}

func checkTokens(tx *bolt.Tx, add func(string, ...any)) {
	_ = tx.Bucket(bucketTokens).ForEach(func(k, v []byte) error {
		var t Token
		if err := boltkit.Decode(v, &t); err != nil {
			add("令牌 %s 无法解析: %v", k, err)
			return nil
		}
		if t.ID != string(k) {
			add("令牌记录 %s 的编号为 %s", k, t.ID)
		}
		if _, err := hex.DecodeString(t.SecretHash); err != nil || len(t.SecretHash) != 64 {
			add("令牌 %s 的密钥摘要格式错误", k)
		}
		if _, err := ParseRole(string(t.Role)); err != nil {
			add("令牌 %s: %v", k, err)
		}
		return nil
	})
}

func checkReports(tx *bolt.Tx, add func(string, ...any)) {
	catalogs, err := indicators.EmbeddedByHash()
	if err != nil {
		add("内置指标目录无法加载，不能重新计分: %v", err)
	}
	records := map[string]Record{}
	bySeq := map[uint64]string{}
	bodies := tx.Bucket(bucketBodies)
	_ = tx.Bucket(bucketReports).ForEach(func(k, v []byte) error {
		var rec Record
		if err := boltkit.Decode(v, &rec); err != nil {
			add("报告 %s 的记录无法解析: %v", k, err)
			return nil
		}
		if rec.ID != string(k) {
			add("报告记录 %s 的编号为 %s", k, rec.ID)
		}
		if other, dup := bySeq[rec.Seq]; dup {
			add("报告 %s 与 %s 使用同一服务器序号 %d", rec.ID, other, rec.Seq)
		}
		bySeq[rec.Seq] = rec.ID
		records[rec.ID] = rec
		checkBody(rec, bodies.Get(k), catalogs, add)
		return nil
	})
	_ = bodies.ForEach(func(k, _ []byte) error {
		if _, ok := records[string(k)]; !ok {
			add("报告原文 %s 没有对应的记录", k)
		}
		return nil
	})
	seqs := tx.Bucket(bucketSequence)
	counter := seqs.Sequence()
	indexed := 0
	_ = seqs.ForEach(func(k, v []byte) error {
		indexed++
		seq := boltkit.Btoi(k)
		if seq == 0 || seq > counter {
			add("序号索引中的 %d 超出计数器 %d", seq, counter)
		}
		if rec, ok := records[string(v)]; !ok || rec.Seq != seq {
			add("序号索引 %d 指向 %s，与报告记录不符", seq, v)
		}
		return nil
	})
	for _, rec := range records {
		if string(seqs.Get(boltkit.Itob(rec.Seq))) != rec.ID {
			add("报告 %s 的服务器序号 %d 不在序号索引中", rec.ID, rec.Seq)
		}
	}
	if indexed != len(records) {
		add("序号索引有 %d 项，报告 %d 份", indexed, len(records))
	}
	inEnterprise := 0
	_ = tx.Bucket(bucketByEnterprise).ForEach(func(k, v []byte) error {
		inEnterprise++
		rec, ok := records[string(v)]
		if !ok || !bytes.Equal(k, enterpriseKey(rec.Enterprise, rec.Seq)) {
			add("企业索引项 %q 指向 %s，与报告记录不符", k, v)
		}
		return nil
	})
	if inEnterprise != len(records) {
		add("企业索引有 %d 项，报告 %d 份", inEnterprise, len(records))
	}
	_ = tx.Bucket(bucketReplacements).ForEach(func(k, v []byte) error {
		if rec, ok := records[string(v)]; !ok || rec.Replaces != string(k) {
			add("修订记录: %s 被 %s 取代，但该修订版不存在或未声明", k, v)
		}
		return nil
	})
	for _, rec := range records {
		if rec.Replaces == "" {
			continue
		}
		if by := tx.Bucket(bucketReplacements).Get([]byte(rec.Replaces)); string(by) != rec.ID {
			add("修订版 %s 声明取代 %s，但修订记录为 %q", rec.ID, rec.Replaces, by)
		}
	}
	_ = tx.Bucket(bucketIdempotency).ForEach(func(k, v []byte) error {
		id, sha, _ := bytes.Cut(v, []byte(" "))
		if rec, ok := records[string(id)]; !ok || rec.SHA256 != string(sha) {
			add("幂等键 %q 指向不存在或内容不同的报告 %s", k, id)
		}
		return nil
	})
}

// checkBody verifies one stored report against its record.
func checkBody(rec Record, body []byte, catalogs map[string]*indicators.Catalog, add func(string, ...any)) {
	if body == nil {
		add("报告 %s 缺少原文", rec.ID)
		return
	}
	if got := model.HashReport(body); got != rec.SHA256 {
		add("报告 %s 的原文被改动: 校验值 %s，记录为 %s", rec.ID, model.ShortHash(got), model.ShortHash(rec.SHA256))
		return
	}
	if rec.Size != len(body) {
		add("报告 %s 的大小 %d 与记录 %d 不符", rec.ID, len(body), rec.Size)
	}
	doc, err := model.VerifyReport(body)
	if err != nil {
		add("报告 %s: %v", rec.ID, err)
		return
	}
	if cat, ok := catalogs[doc.Catalog.Hash]; !ok {
		add("报告 %s 使用未知的指标目录 %s", rec.ID, model.ShortHash(doc.Catalog.Hash))
	} else if err := model.CheckReportScore(cat, doc); err != nil {
		add("报告 %s: %v", rec.ID, err)
	}
	if doc.ID != rec.ID || doc.Enterprise.Code != rec.Enterprise || doc.Assessor.Org != rec.Provider ||
		doc.Signature.PublicKey != rec.PublicKey || doc.Replaces != rec.Replaces || doc.Draft {
		add("报告 %s 的原文与记录（编号、企业、服务商、密钥、修订关系）不符", rec.ID)
	}
}

func checkEvidence(tx *bolt.Tx, add func(string, ...any)) {
	_ = tx.Bucket(bucketEvidence).ForEach(func(k, v []byte) error {
		sum := sha256.Sum256(v)
		if hex.EncodeToString(sum[:]) != string(k) {
			add("佐证材料 %s 的内容被改动", model.ShortHash(string(k)))
		}
		return nil
	})
}
