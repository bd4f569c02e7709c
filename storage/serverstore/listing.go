package serverstore

import (
	"bytes"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
	"digilevel/storage/platform"
)

// Describe names the database for messages: the engine and the file.
func (s *Store) Describe() string { return "bbolt 文件 " + s.path }

// EachReport calls fn with every report after the sequence number after,
// in acceptance order, without bodies, in one read transaction. It stops at
// fn's first error and returns it.
func (s *Store) EachReport(after uint64, fn func(Record) error) error {
	return s.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketSequence).Cursor()
		for k, v := c.Seek(boltkit.Itob(after + 1)); k != nil; k, v = c.Next() {
			rec, err := getRecord(tx, v)
			if err != nil {
				return err
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
		return nil
	})
}

// ImportRoster creates or updates roster entries in one transaction, keyed
// on the credit code; fields names the model fields the roster file has a
// column for: the others keep their stored values (model.MergeFields), so
// importing the same roster twice changes nothing. Every entry must be
// valid (the caller reports bad rows before).
func (s *Store) ImportRoster(list []model.Enterprise, fields []string, at time.Time) (platform.ImportStats, error) {
	list, err := platform.PrepareRoster(list)
	if err != nil {
		return platform.ImportStats{}, err
	}
	var stats platform.ImportStats
	err = s.bolt.Update(func(tx *bolt.Tx) error {
		stats = platform.ImportStats{}
		roster, byBatch := tx.Bucket(bucketRoster), tx.Bucket(bucketRosterBatch)
		for _, e := range list {
			var old *model.Enterprise
			if v := roster.Get([]byte(e.Code)); v != nil {
				var o model.Enterprise
				if err := boltkit.Decode(v, &o); err != nil {
					return err
				}
				old = &o
			}
			merged, outcome := platform.MergeRoster(old, e, fields, at)
			stats.Count(outcome)
			if outcome == platform.RosterUnchanged {
				continue
			}
			if old != nil {
				if err := byBatch.Delete(rosterBatchKey(old.Batch, old.Code)); err != nil {
					return err
				}
			}
			if err := boltkit.PutJSON(roster, []byte(merged.Code), merged); err != nil {
				return err
			}
			if err := byBatch.Put(rosterBatchKey(merged.Batch, merged.Code), nil); err != nil {
				return err
			}
		}
		return nil
	})
	return stats, err
}

// RosterEnterprise returns one roster entry.
func (s *Store) RosterEnterprise(code string) (model.Enterprise, error) {
	var e model.Enterprise
	err := s.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketRoster).Get([]byte(model.NormalizeCreditCode(code)))
		if v == nil {
			return notFound("名单中没有企业 %s", code)
		}
		return boltkit.Decode(v, &e)
	})
	return e, err
}

// EachRosterEnterprise calls fn with every roster entry of a batch (0: of
// every batch), ordered by batch, then credit code, in one read
// transaction. It stops at fn's first error and returns it.
func (s *Store) EachRosterEnterprise(batch int, fn func(model.Enterprise) error) error {
	return s.bolt.View(func(tx *bolt.Tx) error {
		roster := tx.Bucket(bucketRoster)
		var prefix []byte
		if batch != 0 {
			prefix = []byte{byte(batch)}
		}
		c := tx.Bucket(bucketRosterBatch).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			var e model.Enterprise
			v := roster.Get(k[1:])
			if v == nil {
				return fmt.Errorf("名单批次索引项 %q 没有对应的企业", k)
			}
			if err := boltkit.Decode(v, &e); err != nil {
				return err
			}
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	})
}

// EachIdempotency calls fn with every idempotency record, ordered by key.
func (s *Store) EachIdempotency(fn func(platform.Idempotency) error) error {
	return s.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketIdempotency).ForEach(func(k, v []byte) error {
			id, sha, _ := bytes.Cut(v, []byte(" "))
			return fn(platform.Idempotency{Key: string(k), ID: string(id), SHA256: string(sha)})
		})
	})
}

// EachEvidence calls fn with the SHA-256 of every stored evidence file, in
// order; Evidence reads one.
func (s *Store) EachEvidence(fn func(sha string) error) error {
	return s.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketEvidence).ForEach(func(k, _ []byte) error { return fn(string(k)) })
	})
}

// RestoreReport stores a report with the receipt it was given elsewhere
// (its Seq and ReceivedAt), for moving a platform between engines. A report
// already stored with the same sequence number and hash is left alone
// (false); one stored differently, or a sequence number taken by another
// report, is an error. The sequence counter becomes the highest number
// stored. Revision links follow from the records.
func (s *Store) RestoreReport(rec Record, body []byte) (bool, error) {
	if err := platform.CheckRestore(rec, body); err != nil {
		return false, err
	}
	created := false
	err := s.bolt.Update(func(tx *bolt.Tx) error {
		id := []byte(rec.ID)
		seqs := tx.Bucket(bucketSequence)
		if old, err := getRecord(tx, id); err == nil {
			return platform.SameRestore(old, rec)
		}
		if v := seqs.Get(boltkit.Itob(rec.Seq)); v != nil {
			return fmt.Errorf("服务器序号 %d 已属于报告 %s，不能再给 %s", rec.Seq, v, rec.ID)
		}
		rec.ReplacedBy, rec.ChecksState = "", "" // derived, never stored
		if err := boltkit.PutJSON(tx.Bucket(bucketReports), id, rec); err != nil {
			return err
		}
		if err := tx.Bucket(bucketBodies).Put(id, body); err != nil {
			return err
		}
		if err := seqs.Put(boltkit.Itob(rec.Seq), id); err != nil {
			return err
		}
		if rec.Seq > seqs.Sequence() {
			if err := seqs.SetSequence(rec.Seq); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bucketByEnterprise).Put(enterpriseKey(rec.Enterprise, rec.Seq), id); err != nil {
			return err
		}
		if rec.Replaces != "" {
			repl := tx.Bucket(bucketReplacements)
			if by := repl.Get([]byte(rec.Replaces)); by != nil {
				return fmt.Errorf("报告 %s 已被 %s 取代，不能再记为被 %s 取代", rec.Replaces, by, rec.ID)
			}
			if err := repl.Put([]byte(rec.Replaces), id); err != nil {
				return err
			}
		}
		created = true
		return nil
	})
	return created, err
}

// RestoreIdempotency stores an idempotency record as it was elsewhere; the
// report must be stored. The same record again changes nothing.
func (s *Store) RestoreIdempotency(i platform.Idempotency) error {
	return s.bolt.Update(func(tx *bolt.Tx) error {
		rec, err := getRecord(tx, []byte(i.ID))
		if err != nil || rec.SHA256 != i.SHA256 {
			return fmt.Errorf("幂等键 %q 指向的报告 %s 不存在或内容不同", i.Key, i.ID)
		}
		b := tx.Bucket(bucketIdempotency)
		want := []byte(i.ID + " " + i.SHA256)
		if v := b.Get([]byte(i.Key)); v != nil {
			if !bytes.Equal(v, want) {
				return fmt.Errorf("幂等键 %q 已指向 %s", i.Key, v)
			}
			return nil
		}
		return b.Put([]byte(i.Key), want)
	})
}

// RestoreToken stores a token exactly as it was elsewhere (its hash,
// binding, expiry and revocation), replacing a token of that ID.
func (s *Store) RestoreToken(t Token) error {
	if err := t.ValidateNew(); err != nil {
		return err
	}
	return s.bolt.Update(func(tx *bolt.Tx) error {
		return boltkit.PutJSON(tx.Bucket(bucketTokens), []byte(t.ID), t)
	})
}

// RestoreRoster stores roster entries exactly as they were elsewhere (their
// times included), replacing entries with the same credit code.
func (s *Store) RestoreRoster(list []model.Enterprise) error {
	return s.bolt.Update(func(tx *bolt.Tx) error {
		roster, byBatch := tx.Bucket(bucketRoster), tx.Bucket(bucketRosterBatch)
		for _, e := range list {
			if err := e.Validate(); err != nil {
				return fmt.Errorf("企业 %s: %w", e.Code, err)
			}
			if v := roster.Get([]byte(e.Code)); v != nil {
				var old model.Enterprise
				if err := boltkit.Decode(v, &old); err != nil {
					return err
				}
				if err := byBatch.Delete(rosterBatchKey(old.Batch, old.Code)); err != nil {
					return err
				}
			}
			if err := boltkit.PutJSON(roster, []byte(e.Code), e); err != nil {
				return err
			}
			if err := byBatch.Put(rosterBatchKey(e.Batch, e.Code), nil); err != nil {
				return err
			}
		}
		return nil
	})
}
