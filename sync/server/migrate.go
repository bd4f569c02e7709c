package server

import (
	"fmt"

	"digilevel/model"
	"digilevel/storage/platform"
)

// MigrateStats counts what Migrate copied (New) and found already there.
type MigrateStats struct {
	Reports, NewReports int
	Tokens              int
	Idempotency         int
	Evidence            int
	NewEvidence         int
	Roster              int
	// The dashboard's refused uploads and Art. 25 findings (sessions are
	// not copied: the office signs in again).
	Rejections, Exclusions int
}

// Migrate copies a platform from one store to another (`serve migrate`,
// usually bbolt to PostgreSQL): tokens exactly as they are (hash, binding,
// expiry, revocation), every report byte for byte with its receipt
// (sequence number and time) in acceptance order, the idempotency records,
// the evidence files, the roster, and the dashboard's refused uploads and
// Art. 25 findings with their sequence numbers. It is idempotent: what the target
// already holds identically is skipped, and anything that differs stops it
// with an error. The caller compares both stores' Verify afterwards.
func Migrate(from, to Store) (MigrateStats, error) {
	var st MigrateStats
	tokens, err := from.Tokens()
	if err != nil {
		return st, fmt.Errorf("读取令牌: %w", err)
	}
	for _, t := range tokens {
		if err := to.RestoreToken(t); err != nil {
			return st, fmt.Errorf("令牌 %s: %w", t.ID, err)
		}
		st.Tokens++
	}
	err = from.EachReport(0, func(rec platform.Record) error {
		_, body, err := from.Report(rec.ID)
		if err != nil {
			return err
		}
		created, err := to.RestoreReport(rec, body)
		if err != nil {
			return fmt.Errorf("报告 %s（序号 %d）: %w", rec.ID, rec.Seq, err)
		}
		st.Reports++
		if created {
			st.NewReports++
		}
		return nil
	})
	if err != nil {
		return st, err
	}
	err = from.EachIdempotency(func(i platform.Idempotency) error {
		st.Idempotency++
		return to.RestoreIdempotency(i)
	})
	if err != nil {
		return st, fmt.Errorf("幂等记录: %w", err)
	}
	err = from.EachEvidence(func(sha string) error {
		data, err := from.Evidence(sha)
		if err != nil {
			return err
		}
		_, created, err := to.PutEvidence(data)
		st.Evidence++
		if created {
			st.NewEvidence++
		}
		return err
	})
	if err != nil {
		return st, fmt.Errorf("佐证材料: %w", err)
	}
	const chunk = 1000
	var roster []model.Enterprise
	flush := func() error {
		err := to.RestoreRoster(roster)
		st.Roster += len(roster)
		roster = roster[:0]
		return err
	}
	err = from.EachRosterEnterprise(0, func(e model.Enterprise) error {
		roster = append(roster, e)
		if len(roster) == chunk {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return st, fmt.Errorf("企业名单: %w", err)
	}
	rejections, err := from.RejectionsAfter(0, 0)
	if err != nil {
		return st, fmt.Errorf("拒收记录: %w", err)
	}
	for _, r := range rejections {
		if err := to.RestoreRejection(r); err != nil {
			return st, fmt.Errorf("拒收记录 %d: %w", r.Seq, err)
		}
		st.Rejections++
	}
	exclusions, err := from.ExclusionsAfter(0)
	if err != nil {
		return st, fmt.Errorf("不予支持情形记录: %w", err)
	}
	for _, x := range exclusions {
		if err := to.RestoreExclusion(x); err != nil {
			return st, fmt.Errorf("不予支持情形记录 %d: %w", x.Seq, err)
		}
		st.Exclusions++
	}
	return st, nil
}
