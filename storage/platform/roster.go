package platform

import (
	"encoding/json"
	"fmt"
	"time"

	"digilevel/model"
)

// PrepareRoster normalizes and validates a roster before an engine stores
// it; the first invalid entry is an error naming its credit code.
func PrepareRoster(list []model.Enterprise) ([]model.Enterprise, error) {
	out := make([]model.Enterprise, len(list))
	for i, e := range list {
		e.Normalize()
		if err := e.Validate(); err != nil {
			return nil, fmt.Errorf("企业 %s: %w", e.Code, err)
		}
		out[i] = e
	}
	return out, nil
}

// RosterOutcome is what an import does with one entry.
type RosterOutcome int

// Roster import outcomes.
const (
	RosterCreated RosterOutcome = iota + 1
	RosterUpdated
	RosterUnchanged
)

// Count counts one entry's outcome.
func (s *ImportStats) Count(o RosterOutcome) {
	switch o {
	case RosterCreated:
		s.Created++
	case RosterUpdated:
		s.Updated++
	default:
		s.Unchanged++
	}
}

// MergeRoster decides one entry of a roster import: a new entry is created
// with both times at; a stored one (old) takes the fields the file carries
// and is updated (UpdatedAt at) only when something changed. Both engines
// call it inside their transaction.
func MergeRoster(old *model.Enterprise, from model.Enterprise, fields []string, at time.Time) (model.Enterprise, RosterOutcome) {
	at = at.UTC().Truncate(time.Microsecond)
	if old == nil {
		from.CreatedAt, from.UpdatedAt = at, at
		return from, RosterCreated
	}
	merged := old.MergeFields(from, fields)
	merged.CreatedAt, merged.UpdatedAt = old.CreatedAt, old.UpdatedAt
	a, _ := json.Marshal(old)
	b, _ := json.Marshal(merged)
	if string(a) == string(b) {
		return *old, RosterUnchanged
	}
	merged.UpdatedAt = at
	return merged, RosterUpdated
}

// CheckRestore checks a report offered to RestoreReport: the body is the
// record's (hash and size) and the receipt fields are set.
func CheckRestore(rec Record, body []byte) error {
	if rec.ID == "" || rec.Seq == 0 || rec.ReceivedAt.IsZero() {
		return model.Errorf(model.ErrInvalid, "报告记录缺少编号、服务器序号或接收时间")
	}
	if got := model.HashReport(body); got != rec.SHA256 || len(body) != rec.Size {
		return model.Errorf(model.ErrInvalid, "报告 %s 的原文与记录不符（校验值 %s，记录为 %s）", rec.ID, model.ShortHash(got), model.ShortHash(rec.SHA256))
	}
	return nil
}

// SameRestore says whether a stored record is the one offered again to
// RestoreReport (nil) or a different one (an error).
func SameRestore(stored, offered Record) error {
	if stored.Seq != offered.Seq || stored.SHA256 != offered.SHA256 || !stored.ReceivedAt.Equal(offered.ReceivedAt) {
		return fmt.Errorf("报告 %s 已以不同的内容或回执保存（序号 %d，本次 %d）", offered.ID, stored.Seq, offered.Seq)
	}
	return nil
}
