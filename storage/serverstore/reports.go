package serverstore

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
	"digilevel/storage/platform"
)

// Put stores a report exactly once. It returns after the commit (with
// fdatasync); concurrent Puts share a transaction (see the package doc).
func (s *Store) Put(sub Submission) (Result, error) {
	return s.committer.Put(sub)
}

// put is the body of Put inside a transaction. It must stay safe to run
// again after a rollback: it only reads the transaction and writes to it.
func (s *Store) put(tx *bolt.Tx, sub Submission) (Result, error) {
	rec := sub.Record
	id := []byte(rec.ID)
	reports, idem, repl := tx.Bucket(bucketReports), tx.Bucket(bucketIdempotency), tx.Bucket(bucketReplacements)
	if sub.IdempotencyKey != "" {
		if v := idem.Get([]byte(sub.IdempotencyKey)); v != nil && string(v) != rec.ID+" "+rec.SHA256 {
			return Result{Outcome: Conflict, Reason: "幂等键 " + sub.IdempotencyKey + " 已用于另一份报告"}, nil
		}
	}
	if v := reports.Get(id); v != nil {
		var old Record
		if err := boltkit.Decode(v, &old); err != nil {
			return Result{}, err
		}
		if old.SHA256 != rec.SHA256 {
			return Result{Outcome: Conflict, Reason: "报告 " + rec.ID + " 已于 " + old.ReceivedAt.Format(time.RFC3339) +
				" 以不同内容收到（服务器 sha256 " + model.ShortHash(old.SHA256) + "，本次 " + model.ShortHash(rec.SHA256) + "），不能覆盖；如需更正请提交修订版"}, nil
		}
		old.ReplacedBy = string(repl.Get(id))
		state, err := linkState(tx, old)
		if err != nil {
			return Result{}, err
		}
		old.ChecksState = state
		return Result{Outcome: Existing, Record: old}, nil
	}
	if rec.Replaces != "" {
		if rec.Replaces == rec.ID {
			return Result{Outcome: Conflict, Reason: "报告不能修订它自己"}, nil
		}
		if by := repl.Get([]byte(rec.Replaces)); by != nil {
			return Result{Outcome: Conflict, Reason: "被修订的版本 " + rec.Replaces + " 已被 " + string(by) + " 取代，不是当前版本；请基于最新版本修订"}, nil
		}
		if v := reports.Get([]byte(rec.Replaces)); v != nil {
			var old Record
			if err := boltkit.Decode(v, &old); err != nil {
				return Result{}, err
			}
			if old.Enterprise != rec.Enterprise {
				return Result{Outcome: Conflict, Reason: "修订版属于企业 " + rec.Enterprise + "，被修订的版本 " + rec.Replaces + " 属于企业 " + old.Enterprise}, nil
			}
		}
	}
	if rec.Checks != "" {
		if checked, err := getRecord(tx, []byte(rec.Checks)); err == nil {
			if problem := platform.LinkProblem(rec, checked); problem != "" {
				return Result{Outcome: platform.CheckedMismatch, Reason: problem}, nil
			}
		} else if !errors.Is(err, model.ErrNotFound) {
			return Result{}, err
		}
	}
	now := s.now().UTC()
	if rec.TokenID != "" {
		t, err := getToken(tx, rec.TokenID)
		if err != nil {
			return Result{}, err
		}
		switch {
		case !t.Active(now):
			return Result{Outcome: TokenInactive, Reason: "令牌已被吊销或已过期"}, nil
		case t.PublicKey == "":
			t.PublicKey, t.BoundAt = rec.PublicKey, now
			if err := boltkit.PutJSON(tx.Bucket(bucketTokens), []byte(t.ID), t); err != nil {
				return Result{}, err
			}
		case t.PublicKey != rec.PublicKey:
			return Result{Outcome: KeyMismatch, Reason: "报告的签名密钥 " + Fingerprint(rec.PublicKey) + " 不是该令牌绑定的设备密钥 " +
				Fingerprint(t.PublicKey) + "；如更换了电脑，请管理员执行 digilevel serve token rebind"}, nil
		}
	}
	seqs := tx.Bucket(bucketSequence)
	seq, err := seqs.NextSequence()
	if err != nil {
		return Result{}, err
	}
	rec.Seq, rec.ReceivedAt, rec.Size, rec.ReplacedBy, rec.ChecksState = seq, now, len(sub.Body), "", ""
	if err := boltkit.PutJSON(reports, id, rec); err != nil {
		return Result{}, err
	}
	if err := tx.Bucket(bucketBodies).Put(id, sub.Body); err != nil {
		return Result{}, err
	}
	if err := seqs.Put(boltkit.Itob(seq), id); err != nil {
		return Result{}, err
	}
	if err := tx.Bucket(bucketByEnterprise).Put(enterpriseKey(rec.Enterprise, seq), id); err != nil {
		return Result{}, err
	}
	if rec.Replaces != "" {
		if err := repl.Put([]byte(rec.Replaces), id); err != nil {
			return Result{}, err
		}
	}
	if sub.IdempotencyKey != "" {
		if err := idem.Put([]byte(sub.IdempotencyKey), []byte(rec.ID+" "+rec.SHA256)); err != nil {
			return Result{}, err
		}
	}
	// A revision may have arrived before the version it replaces.
	rec.ReplacedBy = string(repl.Get(id))
	if rec.ChecksState, err = linkState(tx, rec); err != nil {
		return Result{}, err
	}
	return Result{Outcome: Created, Record: rec}, nil
}

// Report returns an accepted report's record and its bytes.
func (s *Store) Report(id string) (Record, []byte, error) {
	var rec Record
	var body []byte
	err := s.bolt.View(func(tx *bolt.Tx) error {
		var err error
		if rec, err = getRecord(tx, []byte(id)); err != nil {
			return err
		}
		body = bytes.Clone(tx.Bucket(bucketBodies).Get([]byte(id)))
		return nil
	})
	return rec, body, err
}

// ReportBody is one report's bytes exactly as received, without its
// record: what a reader that already holds the record needs.
func (s *Store) ReportBody(id string) ([]byte, error) {
	var body []byte
	err := s.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketBodies).Get([]byte(id))
		if v == nil {
			return notFound("报告 %s 不存在", id)
		}
		body = bytes.Clone(v)
		return nil
	})
	return body, err
}

// ReportBodies are the bytes of several reports in the order of ids, read
// in one transaction.
func (s *Store) ReportBodies(ids []string) ([][]byte, error) {
	out := make([][]byte, len(ids))
	err := s.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketBodies)
		for i, id := range ids {
			v := b.Get([]byte(id))
			if v == nil {
				return notFound("报告 %s 不存在", id)
			}
			out[i] = bytes.Clone(v)
		}
		return nil
	})
	return out, err
}

// Reports lists the reports of one enterprise in acceptance order.
func (s *Store) Reports(enterprise string) ([]Record, error) {
	var out []Record
	err := s.bolt.View(func(tx *bolt.Tx) error {
		prefix := []byte(enterprise + "/")
		c := tx.Bucket(bucketByEnterprise).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			rec, err := getRecord(tx, v)
			if err != nil {
				return err
			}
			out = append(out, rec)
		}
		return nil
	})
	return out, err
}

// ReportsAfter lists up to limit reports with a sequence number above
// after, in acceptance order (limit <= 0: all).
func (s *Store) ReportsAfter(after uint64, limit int) ([]Record, error) {
	var out []Record
	err := s.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketSequence).Cursor()
		for k, v := c.Seek(boltkit.Itob(after + 1)); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Next() {
			rec, err := getRecord(tx, v)
			if err != nil {
				return err
			}
			out = append(out, rec)
		}
		return nil
	})
	return out, err
}

// LastSeq is the last server sequence number given out.
func (s *Store) LastSeq() (uint64, error) {
	var seq uint64
	err := s.bolt.View(func(tx *bolt.Tx) error {
		seq = tx.Bucket(bucketSequence).Sequence()
		return nil
	})
	return seq, err
}

func getRecord(tx *bolt.Tx, id []byte) (Record, error) {
	var rec Record
	v := tx.Bucket(bucketReports).Get(id)
	if v == nil {
		return rec, notFound("报告 %s 不存在", id)
	}
	if err := boltkit.Decode(v, &rec); err != nil {
		return rec, err
	}
	rec.ReplacedBy = string(tx.Bucket(bucketReplacements).Get(id))
	var err error
	rec.ChecksState, err = linkState(tx, rec)
	return rec, err
}

// linkState derives a spot-check's link state from the checked report's
// stored record (see platform.LinkState); "" for other reports.
func linkState(tx *bolt.Tx, rec Record) (string, error) {
	if rec.Checks == "" {
		return "", nil
	}
	v := tx.Bucket(bucketReports).Get([]byte(rec.Checks))
	if v == nil {
		return platform.LinkState(rec, nil), nil
	}
	var checked Record
	if err := boltkit.Decode(v, &checked); err != nil {
		return "", err
	}
	return platform.LinkState(rec, &checked), nil
}

// PutEvidence stores an evidence file under the SHA-256 of its content; it
// reports whether the file was new. Storing the same content twice changes
// nothing, and costs no commit: a write transaction commits (two
// fdatasyncs) even when it writes nothing, and bundles repeat evidence
// (a revision names its original's files; a bundle may be imported twice).
func (s *Store) PutEvidence(data []byte) (sha string, created bool, err error) {
	sum := sha256.Sum256(data)
	sha = hex.EncodeToString(sum[:])
	if ok, err := s.HasEvidence(sha); ok || err != nil {
		return sha, false, err
	}
	err = s.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketEvidence)
		if b.Get([]byte(sha)) != nil {
			return nil
		}
		created = true
		return b.Put([]byte(sha), data)
	})
	return sha, created, err
}

// HasEvidence reports whether an evidence file with that SHA-256 is stored.
func (s *Store) HasEvidence(sha string) (bool, error) {
	var ok bool
	err := s.bolt.View(func(tx *bolt.Tx) error {
		ok = tx.Bucket(bucketEvidence).Get([]byte(sha)) != nil
		return nil
	})
	return ok, err
}

// Evidence returns a stored evidence file.
func (s *Store) Evidence(sha string) ([]byte, error) {
	var out []byte
	err := s.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketEvidence).Get([]byte(sha))
		if v == nil {
			return notFound("佐证材料 %s 不存在", model.ShortHash(sha))
		}
		out = bytes.Clone(v)
		return nil
	})
	return out, err
}
