package serverstore

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
	"digilevel/storage/platform"
)

// PutSession stores a new dashboard session under the hash of its ID.
func (s *Store) PutSession(x platform.Session) error {
	x, err := platform.PrepareSession(x)
	if err != nil {
		return err
	}
	return s.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		if b.Get([]byte(x.IDHash)) != nil {
			return model.Errorf(model.ErrExists, "会话已存在")
		}
		return boltkit.PutJSON(b, []byte(x.IDHash), x)
	})
}

// Session reads a session by the hash of its ID.
func (s *Store) Session(idHash string) (platform.Session, error) {
	var x platform.Session
	err := s.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSessions).Get([]byte(idHash))
		if v == nil {
			return notFound("会话不存在")
		}
		return boltkit.Decode(v, &x)
	})
	return x, err
}

// DeleteSession removes a session (logout); a missing one is not an error.
func (s *Store) DeleteSession(idHash string) error {
	return s.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSessions).Delete([]byte(idHash))
	})
}

// DeleteExpiredSessions removes every session expired at now and says how
// many. It writes (and syncs) only when there is something to remove.
func (s *Store) DeleteExpiredSessions(now time.Time) (int, error) {
	var expired [][]byte
	err := s.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSessions).ForEach(func(k, v []byte) error {
			var x platform.Session
			if err := boltkit.Decode(v, &x); err != nil || !x.Valid(now) {
				expired = append(expired, append([]byte(nil), k...))
			}
			return nil
		})
	})
	if err != nil || len(expired) == 0 {
		return 0, err
	}
	err = s.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		for _, k := range expired {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	return len(expired), err
}

// RecordRejection appends a refused upload and gives it the next sequence
// number; the same provider, report, hash and reason again is kept once
// (created false), so a resend cannot inflate the count.
func (s *Store) RecordRejection(r platform.Rejection) (created bool, err error) {
	r, err = platform.PrepareRejection(r, s.now(), false)
	if err != nil {
		return false, err
	}
	key := []byte(r.Key())
	var seen bool
	if err := s.bolt.View(func(tx *bolt.Tx) error {
		seen = tx.Bucket(bucketRejectionKeys).Get(key) != nil
		return nil
	}); err != nil || seen {
		return false, err
	}
	err = s.bolt.Update(func(tx *bolt.Tx) error {
		keys, b := tx.Bucket(bucketRejectionKeys), tx.Bucket(bucketRejections)
		if keys.Get(key) != nil {
			return nil
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		r.Seq = seq
		if err := keys.Put(key, boltkit.Itob(seq)); err != nil {
			return err
		}
		created = true
		return boltkit.PutJSON(b, boltkit.Itob(seq), r)
	})
	return created, err
}

// RejectionsAfter lists up to limit rejections with a sequence number above
// after, in order (limit <= 0: all).
func (s *Store) RejectionsAfter(after uint64, limit int) ([]platform.Rejection, error) {
	var out []platform.Rejection
	err := s.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRejections).Cursor()
		for k, v := c.Seek(boltkit.Itob(after + 1)); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Next() {
			var r platform.Rejection
			if err := boltkit.Decode(v, &r); err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// RecordExclusion appends the office's Art. 25 finding for an enterprise
// and returns it with its sequence number. The caller validates it
// (platform.Exclusion.Validate).
func (s *Store) RecordExclusion(x platform.Exclusion) (platform.Exclusion, error) {
	x, err := platform.PrepareExclusion(x, s.now(), false)
	if err != nil {
		return x, err
	}
	err = s.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketExclusions)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		x.Seq = seq
		return boltkit.PutJSON(b, boltkit.Itob(seq), x)
	})
	return x, err
}

// ExclusionsAfter lists the exclusion records with a sequence number above
// after, in order.
func (s *Store) ExclusionsAfter(after uint64) ([]platform.Exclusion, error) {
	var out []platform.Exclusion
	err := s.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketExclusions).Cursor()
		for k, v := c.Seek(boltkit.Itob(after + 1)); k != nil; k, v = c.Next() {
			var x platform.Exclusion
			if err := boltkit.Decode(v, &x); err != nil {
				return err
			}
			out = append(out, x)
		}
		return nil
	})
	return out, err
}

// RestoreRejection stores a rejection under its own sequence number (moving
// a platform between engines); the same one again changes nothing.
func (s *Store) RestoreRejection(r platform.Rejection) error {
	r, err := platform.PrepareRejection(r, s.now(), true)
	if err != nil {
		return err
	}
	return s.bolt.Update(func(tx *bolt.Tx) error {
		keys, b := tx.Bucket(bucketRejectionKeys), tx.Bucket(bucketRejections)
		if v := b.Get(boltkit.Itob(r.Seq)); v != nil {
			var stored platform.Rejection
			if err := boltkit.Decode(v, &stored); err != nil {
				return err
			}
			return platform.SameRejection(stored, r)
		}
		if keys.Get([]byte(r.Key())) != nil {
			return fmt.Errorf("拒收记录 %d 与已保存的另一条记录相同", r.Seq)
		}
		if b.Sequence() < r.Seq {
			if err := b.SetSequence(r.Seq); err != nil {
				return err
			}
		}
		if err := keys.Put([]byte(r.Key()), boltkit.Itob(r.Seq)); err != nil {
			return err
		}
		return boltkit.PutJSON(b, boltkit.Itob(r.Seq), r)
	})
}

// RestoreExclusion stores an exclusion record under its own sequence
// number; the same one again changes nothing.
func (s *Store) RestoreExclusion(x platform.Exclusion) error {
	x, err := platform.PrepareExclusion(x, s.now(), true)
	if err != nil {
		return err
	}
	return s.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketExclusions)
		if v := b.Get(boltkit.Itob(x.Seq)); v != nil {
			var stored platform.Exclusion
			if err := boltkit.Decode(v, &stored); err != nil {
				return err
			}
			return platform.SameExclusion(stored, x)
		}
		if b.Sequence() < x.Seq {
			if err := b.SetSequence(x.Seq); err != nil {
				return err
			}
		}
		return boltkit.PutJSON(b, boltkit.Itob(x.Seq), x)
	})
}
