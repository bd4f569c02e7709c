package server

import (
	"errors"
	"iter"
	"sort"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/report"
	"digilevel/storage/platform"
)

// errStop ends a store iteration when the consumer of a sequence stops.
var errStop = errors.New("stop")

// ExportRows streams the platform's export (`serve export`): every roster
// enterprise of the batch (0: every batch), then interleaved in the same
// (batch, credit code) order every enterprise the platform received reports
// for without a roster entry (its columns from its latest report). The
// records (not the bodies) are read first, one small struct per report;
// roster entries are streamed. The returned function gives the first error
// after the sequence was consumed.
func ExportRows(st Store, cat *indicators.Catalog, policy model.RewardPolicy, batch int) (iter.Seq[report.PlatformRow], func() error) {
	var iterErr error
	rows := func(yield func(report.PlatformRow) bool) {
		received := map[string][]report.ReceivedReport{}
		latest := map[string]platform.Record{}
		err := st.EachReport(0, func(r platform.Record) error {
			received[r.Enterprise] = append(received[r.Enterprise], report.ReceivedReport{
				ID: r.ID, Kind: model.Kind(r.Kind), Version: r.Version, Replaces: r.Replaces, ReplacedBy: r.ReplacedBy,
				Level: r.Level, Score: r.Score, FinalizedAt: r.FinalizedAt, ReceivedAt: r.ReceivedAt, Provider: r.Provider,
				Checks: r.Checks, ChecksMismatch: r.ChecksState == platform.LinkMismatch,
			})
			if l, ok := latest[r.Enterprise]; !ok || r.FinalizedAt.After(l.FinalizedAt) {
				latest[r.Enterprise] = r
			}
			return nil
		})
		if err != nil {
			iterErr = err
			return
		}
		onRoster := map[string]bool{}
		err = st.EachRosterEnterprise(0, func(e model.Enterprise) error { onRoster[e.Code] = true; return nil })
		if err != nil {
			iterErr = err
			return
		}
		// Enterprises with reports but no roster entry: their file as the
		// latest report carries it.
		var extra []model.Enterprise
		for code, rec := range latest {
			if onRoster[code] {
				continue
			}
			_, body, err := st.Report(rec.ID)
			if err != nil {
				iterErr = err
				return
			}
			doc, err := model.VerifyReport(body)
			if err != nil {
				iterErr = err
				return
			}
			if batch == 0 || doc.Enterprise.Batch == batch {
				extra = append(extra, doc.Enterprise)
			}
		}
		sort.Slice(extra, func(i, j int) bool { return before(extra[i], extra[j]) })
		emit := func(e model.Enterprise, on bool) bool {
			return yield(report.NewPlatformRow(cat, policy, e, on, received[e.Code]))
		}
		err = st.EachRosterEnterprise(batch, func(e model.Enterprise) error {
			for len(extra) > 0 && before(extra[0], e) {
				if !emit(extra[0], false) {
					return errStop
				}
				extra = extra[1:]
			}
			if !emit(e, true) {
				return errStop
			}
			return nil
		})
		if err != nil {
			if !errors.Is(err, errStop) {
				iterErr = err
			}
			return
		}
		for _, e := range extra {
			if !emit(e, false) {
				return
			}
		}
	}
	return rows, func() error { return iterErr }
}

// before orders enterprises by batch, then credit code.
func before(a, b model.Enterprise) bool {
	if a.Batch != b.Batch {
		return a.Batch < b.Batch
	}
	return a.Code < b.Code
}
