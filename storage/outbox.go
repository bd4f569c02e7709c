package storage

import (
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// OutboxItem is a finalized report waiting for the platform. Items are
// removed only when the platform's receipt is stored.
type OutboxItem struct {
	Seq           uint64      `json:"seq"`
	AssessmentID  string      `json:"assessment_id"`
	Enterprise    string      `json:"enterprise"`
	Replaces      string      `json:"replaces,omitempty"`
	SHA256        string      `json:"sha256"`
	State         model.State `json:"state"`
	EnqueuedAt    time.Time   `json:"enqueued_at"`
	Attempts      int         `json:"attempts"`
	LastAttemptAt time.Time   `json:"last_attempt_at,omitzero"`
	LastError     string      `json:"last_error,omitempty"`
	// HeldFor identifies the token a held report was refused for (a
	// fingerprint, never the token): with another token it is tried again.
	HeldFor string `json:"held_for,omitempty"`
}

// Receipt is the platform's acknowledgement of a report.
type Receipt struct {
	AssessmentID string    `json:"assessment_id"`
	ServerSeq    uint64    `json:"server_seq"`
	ReceivedAt   time.Time `json:"received_at"`
	SHA256       string    `json:"sha256"`
	Server       string    `json:"server"`
}

func enqueue(tx *bolt.Tx, a model.Assessment, c model.Change) error {
	b := tx.Bucket(bucketOutbox)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	item := OutboxItem{Seq: seq, AssessmentID: a.ID, Enterprise: a.Enterprise, Replaces: a.Replaces, SHA256: a.ReportSHA256, State: a.State, EnqueuedAt: c.Now}
	if err := tx.Bucket(bucketOutboxIDs).Put([]byte(a.ID), boltkit.Itob(seq)); err != nil {
		return err
	}
	return boltkit.PutJSON(b, boltkit.Itob(seq), item)
}

// Outbox lists the items in FIFO order, rejected ones included.
func (db *DB) Outbox() ([]OutboxItem, error) {
	var out []OutboxItem
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOutbox).ForEach(func(_, v []byte) error {
			var it OutboxItem
			if err := boltkit.Decode(v, &it); err != nil {
				return err
			}
			out = append(out, it)
			return nil
		})
	})
	return out, err
}

// StoredReport returns the signed report bytes of a frozen assessment.
func (db *DB) StoredReport(id string) ([]byte, error) {
	var out []byte
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketReports).Get([]byte(id))
		if v == nil {
			return notFound("评测 %s 没有定稿报告", id)
		}
		out = append([]byte(nil), v...)
		return nil
	})
	return out, err
}

// MarkSent stores the platform's receipt, marks the assessment sent and
// removes its outbox item, in one transaction. Marking an already sent
// assessment again with the same hash is a no-op.
func (db *DB) MarkSent(id string, r Receipt, c model.Change) error {
	r.AssessmentID = id
	errs, err := db.MarkSentBatch([]Receipt{r}, c)
	if err != nil {
		return err
	}
	return errs[0]
}

// MarkAttemptFailed records a retryable failure (network, 5xx): the item
// stays queued as send_failed with the error kept.
func (db *DB) MarkAttemptFailed(id, reason string, c model.Change) error {
	return db.markOutbox(id, model.StateSendFailed, reason, "", c)
}

// MarkRejected records a per-item refusal (409/413/422): the item stays in
// the outbox as rejected and needs a person (a revision).
func (db *DB) MarkRejected(id, reason string, c model.Change) error {
	return db.markOutbox(id, model.StateRejected, reason, "", c)
}

// MarkHeld records a refusal of one report for the token it was sent with
// (403, its 评测机构 is not the token's provider): the item stays in the
// outbox as held, with the reason and what to do, and heldFor (a token
// fingerprint) so that it is tried again only with another token.
func (db *DB) MarkHeld(id, reason, heldFor string, c model.Change) error {
	return db.markOutbox(id, model.StateHeld, reason, heldFor, c)
}

func (db *DB) markOutbox(id string, to model.State, reason, heldFor string, c model.Change) error {
	c, err := db.checkChange(c)
	if err != nil {
		return err
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		a, err := getAssessment(tx, id)
		if err != nil {
			return err
		}
		entry, err := a.Transition(to, c)
		if err != nil {
			return err
		}
		entry.Reason = reason
		a.LastError = reason
		a.Attempts++
		if err := updateOutboxItem(tx, id, func(it *OutboxItem) {
			it.State, it.LastError, it.LastAttemptAt, it.HeldFor = to, reason, c.Now, heldFor
			it.Attempts++
		}); err != nil {
			return err
		}
		cat, err := db.catalogFor(tx, a.CatalogHash)
		if err != nil {
			return err
		}
		return putAssessment(tx, a, cat, entry)
	})
}

// Receipt returns the platform's receipt of a sent report.
func (db *DB) Receipt(id string) (Receipt, error) {
	var r Receipt
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketReceipts).Get([]byte(id))
		if v == nil {
			return notFound("评测 %s 没有平台回执", id)
		}
		return boltkit.Decode(v, &r)
	})
	return r, err
}

func findOutboxItem(tx *bolt.Tx, id string) ([]byte, OutboxItem, bool) {
	var it OutboxItem
	key := tx.Bucket(bucketOutboxIDs).Get([]byte(id))
	if key == nil {
		return nil, it, false
	}
	v := tx.Bucket(bucketOutbox).Get(key)
	if v == nil || boltkit.Decode(v, &it) != nil || it.AssessmentID != id {
		return nil, it, false
	}
	return append([]byte(nil), key...), it, true
}

func updateOutboxItem(tx *bolt.Tx, id string, fn func(*OutboxItem)) error {
	key, it, ok := findOutboxItem(tx, id)
	if !ok {
		return notFound("评测 %s 不在发送队列中", id)
	}
	fn(&it)
	return boltkit.PutJSON(tx.Bucket(bucketOutbox), key, it)
}

func deleteOutboxItem(tx *bolt.Tx, id string) error {
	key, _, ok := findOutboxItem(tx, id)
	if !ok {
		return nil
	}
	if err := tx.Bucket(bucketOutboxIDs).Delete([]byte(id)); err != nil {
		return err
	}
	return tx.Bucket(bucketOutbox).Delete(key)
}
