package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage/platform"
	"digilevel/sync/server"
)

// streamStore is a platform of n synthetic records that only streams:
// every other method of server.Store (ReportsAfter among them) panics on
// the nil interface it embeds. seen, when set, is called before each record
// is yielded.
type streamStore struct {
	server.Store
	recs []platform.Record
	seen func(i int)
}

func (s streamStore) LastSeq() (uint64, error) { return uint64(len(s.recs)), nil }

func (s streamStore) EachReport(after uint64, fn func(platform.Record) error) error {
	for i, r := range s.recs {
		if s.seen != nil {
			s.seen(i)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func syntheticRecords(n int) []platform.Record {
	recs := make([]platform.Record, n)
	at := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
	for i := range recs {
		recs[i] = platform.Record{ID: fmt.Sprintf("01KBBPRWM0YH0DVM6YDMY%05d", i), Seq: uint64(i + 1), SHA256: strings.Repeat("ab", 32),
			Enterprise: fmt.Sprintf("91410700MA%08d", i), Provider: "新乡乙智能制造服务有限公司", Kind: string(model.KindBaseline), Version: 1,
			ReceivedAt: at.Add(time.Duration(i) * time.Second), Source: platform.SourceAPI}
	}
	recs[1].Provider = "带\u202e控制字符的服务商" // stored text of unknown origin
	recs[2].ReplacedBy = recs[3].ID
	recs[4].Kind, recs[4].Checks, recs[4].ChecksState = string(model.KindSpotCheck), recs[0].ID, platform.LinkPending
	return recs
}

// TestReportsListStreams: `serve reports list` writes rows while the store
// is still being read (in both formats), never asks for the whole list, and
// its JSON is byte for byte what printing the whole slice gave.
func TestReportsListStreams(t *testing.T) {
	cat, err := indicators.Embedded(indicators.DefaultEdition)
	if err != nil {
		t.Fatal(err)
	}
	const n = 3000 // about 600 KB of table: many times the output buffer
	recs := syntheticRecords(n)
	for _, asJSON := range []bool{false, true} {
		var out bytes.Buffer
		var writtenBeforeLast int
		st := streamStore{recs: recs, seen: func(i int) {
			if i == n-1 {
				writtenBeforeLast = out.Len()
			}
		}}
		if err := listReports(newTextWriter(&out), st, cat, "", asJSON); err != nil {
			t.Fatal(err)
		}
		if writtenBeforeLast == 0 || writtenBeforeLast < out.Len()/2 {
			t.Errorf("json %v: %d of %d bytes written before the last record was read: the listing is held, not streamed", asJSON, writtenBeforeLast, out.Len())
		}
		if strings.Contains(out.String(), "\u202e") {
			t.Errorf("json %v: a control character reached the output", asJSON)
		}
		if !asJSON {
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if len(lines) != n+1 || !strings.Contains(lines[5], "抽查（被抽查报告 "+recs[0].ID+"，被抽查的报告平台尚未收到）") ||
				!strings.Contains(lines[3], "已被 "+recs[3].ID+" 取代") {
				t.Errorf("table: %d lines\n%s", len(lines), strings.Join(lines[:6], "\n"))
			}
			// Columns after the variable ones line up: the time column
			// starts at the same display offset on every row.
			at := displayWidth(lines[1][:strings.Index(lines[1], "2026-")])
			for i, l := range lines[1:6] {
				if got := displayWidth(l[:strings.Index(l, "2026-")]); got != at {
					t.Errorf("row %d: time at column %d, row 1 at %d\n%s", i+1, got, at, l)
				}
			}
		}
	}
	// The JSON is what printJSON gives for the whole slice (also empty).
	for _, k := range []int{0, 1, 7} {
		infos := make([]any, 0, k)
		for _, r := range recs[:k] {
			infos = append(infos, server.Info(r))
		}
		var want, got bytes.Buffer
		if err := printJSON(newTextWriter(&want), infos); err != nil {
			t.Fatal(err)
		}
		if err := listReports(newTextWriter(&got), streamStore{recs: recs[:k]}, cat, "", true); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%d reports: streamed JSON differs\n%s\nwant\n%s", k, got.String(), want.String())
		}
	}
}
