package serverstore

import (
	"bytes"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
	"digilevel/storage/platform"
)

// Check verifies the file (bbolt's page consistency) and the invariants
// that make every report present exactly once and unaltered, and returns
// every problem found, in Chinese. An empty result means the database is
// sound.
//
// The invariants shared with the PostgreSQL engine are platform.Checker's:
// every report has its body, the body hashes to the recorded SHA-256,
// verifies (canonical form, signature), rescoring with its catalog gives
// its result, and the record says what the body says; sequence numbers are
// 1..counter without gap or repeat; revision links are consistent; every
// idempotency key names a stored report with that hash; every evidence file
// hashes to its key; every token and roster entry is well-formed. Added
// here: the sequence and enterprise indexes are one-to-one with the
// records, and the roster's batch index with the roster.
func (s *Store) Check() ([]string, error) {
	_, problems, err := s.Verify()
	return problems, err
}

// Verify is Check with a summary of what is stored (counts and a digest
// that `serve migrate` compares between engines).
func (s *Store) Verify() (platform.Summary, []string, error) {
	c := platform.NewChecker()
	var sum platform.Summary
	err := s.bolt.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			c.Add("文件结构: %v", err)
		}
		for _, name := range allBuckets {
			if tx.Bucket(name) == nil {
				c.Add("缺少数据桶 %s", name)
			}
		}
		if len(c.Problems()) > 0 {
			return nil
		}
		meta := tx.Bucket(bucketMeta)
		if string(meta.Get(keyApp)) != appMarker {
			c.Add("缺少服务器数据库标记")
		}
		if v := boltkit.Btoi(meta.Get(keySchemaVersion)); v != uint64(len(migrations)) {
			c.Add("结构版本 %d，应为 %d", v, len(migrations))
		}
		_ = tx.Bucket(bucketTokens).ForEach(func(k, v []byte) error {
			var t Token
			if err := boltkit.Decode(v, &t); err != nil {
				c.Add("令牌 %s 无法解析: %v", k, err)
				return nil
			}
			c.Token(string(k), t)
			return nil
		})
		replaced := checkReports(tx, c)
		_ = tx.Bucket(bucketEvidence).ForEach(func(k, v []byte) error {
			c.Evidence(string(k), v)
			return nil
		})
		checkRoster(tx, c)
		checkDashboard(tx, c.Add)
		counter := tx.Bucket(bucketSequence).Sequence()
		sum = c.Summary(counter, replaced)
		return nil
	})
	return sum, c.Problems(), err
}

// checkReports feeds the reports, revision links and idempotency records to
// c and checks the sequence and enterprise indexes; it returns the links.
func checkReports(tx *bolt.Tx, c *platform.Checker) map[string]string {
	bodies := tx.Bucket(bucketBodies)
	_ = tx.Bucket(bucketReports).ForEach(func(k, v []byte) error {
		var rec Record
		if err := boltkit.Decode(v, &rec); err != nil {
			c.Add("报告 %s 的记录无法解析: %v", k, err)
			return nil
		}
		c.Report(string(k), rec, bodies.Get(k))
		return nil
	})
	records := c.Records()
	_ = bodies.ForEach(func(k, _ []byte) error {
		if _, ok := records[string(k)]; !ok {
			c.Add("报告原文 %s 没有对应的记录", k)
		}
		return nil
	})
	seqs := tx.Bucket(bucketSequence)
	counter := seqs.Sequence()
	c.Sequence(counter)
	indexed := 0
	_ = seqs.ForEach(func(k, v []byte) error {
		indexed++
		seq := boltkit.Btoi(k)
		if seq == 0 || seq > counter {
			c.Add("序号索引中的 %d 超出计数器 %d", seq, counter)
		}
		if rec, ok := records[string(v)]; !ok || rec.Seq != seq {
			c.Add("序号索引 %d 指向 %s，与报告记录不符", seq, v)
		}
		return nil
	})
	for _, rec := range records {
		if string(seqs.Get(boltkit.Itob(rec.Seq))) != rec.ID {
			c.Add("报告 %s 的服务器序号 %d 不在序号索引中", rec.ID, rec.Seq)
		}
	}
	if indexed != len(records) {
		c.Add("序号索引有 %d 项，报告 %d 份", indexed, len(records))
	}
	inEnterprise := 0
	_ = tx.Bucket(bucketByEnterprise).ForEach(func(k, v []byte) error {
		inEnterprise++
		rec, ok := records[string(v)]
		if !ok || !bytes.Equal(k, enterpriseKey(rec.Enterprise, rec.Seq)) {
			c.Add("企业索引项 %q 指向 %s，与报告记录不符", k, v)
		}
		return nil
	})
	if inEnterprise != len(records) {
		c.Add("企业索引有 %d 项，报告 %d 份", inEnterprise, len(records))
	}
	replaced := map[string]string{}
	_ = tx.Bucket(bucketReplacements).ForEach(func(k, v []byte) error {
		replaced[string(k)] = string(v)
		return nil
	})
	c.Replacements(replaced)
	_ = tx.Bucket(bucketIdempotency).ForEach(func(k, v []byte) error {
		id, sha, _ := bytes.Cut(v, []byte(" "))
		c.Idempotency(platform.Idempotency{Key: string(k), ID: string(id), SHA256: string(sha)})
		return nil
	})
	return replaced
}

func checkRoster(tx *bolt.Tx, c *platform.Checker) {
	n := 0
	_ = tx.Bucket(bucketRoster).ForEach(func(k, v []byte) error {
		n++
		var e model.Enterprise
		if err := boltkit.Decode(v, &e); err != nil {
			c.Add("名单企业 %s 无法解析: %v", k, err)
			return nil
		}
		c.Enterprise(string(k), e)
		if tx.Bucket(bucketRosterBatch).Get(rosterBatchKey(e.Batch, e.Code)) == nil {
			c.Add("名单企业 %s 不在批次索引中", k)
		}
		return nil
	})
	if m := tx.Bucket(bucketRosterBatch).Stats().KeyN; m != n {
		c.Add("名单批次索引有 %d 项，名单企业 %d 家", m, n)
	}
}

// checkDashboard checks the dashboard's records: each decodes, is stored
// under its own key, and each rejection has its de-duplication key.
func checkDashboard(tx *bolt.Tx, add func(string, ...any)) {
	_ = tx.Bucket(bucketSessions).ForEach(func(k, v []byte) error {
		var x platform.Session
		if err := boltkit.Decode(v, &x); err != nil || x.IDHash != string(k) {
			add("会话记录 %s 无法解析或编号不符", model.ShortHash(string(k)))
		}
		return nil
	})
	keys := tx.Bucket(bucketRejectionKeys)
	_ = tx.Bucket(bucketRejections).ForEach(func(k, v []byte) error {
		var r platform.Rejection
		switch err := boltkit.Decode(v, &r); {
		case err != nil:
			add("拒收记录 %d 无法解析: %v", boltkit.Btoi(k), err)
		case r.Seq != boltkit.Btoi(k):
			add("拒收记录 %d 的序号为 %d", boltkit.Btoi(k), r.Seq)
		case boltkit.Btoi(keys.Get([]byte(r.Key()))) != r.Seq:
			add("拒收记录 %d 缺少去重索引", r.Seq)
		}
		return nil
	})
	_ = tx.Bucket(bucketExclusions).ForEach(func(k, v []byte) error {
		var x platform.Exclusion
		if err := boltkit.Decode(v, &x); err != nil || x.Seq != boltkit.Btoi(k) {
			add("不予支持情形记录 %d 无法解析或序号不符", boltkit.Btoi(k))
		}
		return nil
	})
}
