package storage

import (
	"encoding/binary"
	"errors"
	"math"
	"time"

	"digilevel/indicators"
	"digilevel/model"
)

// The summary index has its own compact binary encoding: the home screen
// decodes every summary at start, and JSON (with RFC 3339 times) made a
// 10,000-enterprise list take ~150 ms to decode; this takes a few ms.
//
// Layout: version byte, then the fields in declaration order; strings are
// uvarint length + bytes, integers varints, times Unix nanoseconds (UTC).
// Version 2 added each assessment's creation and finalize times and
// spot-check link (migration 7 rebuilt the index).
const summaryCodecVersion = 2

var errSummaryCodec = errors.New("列表索引记录损坏")

func encodeSummary(s EnterpriseSummary) []byte {
	b := make([]byte, 0, 128+len(s.Assessments)*96)
	b = append(b, summaryCodecVersion)
	str := func(v string) { b = binary.AppendUvarint(b, uint64(len(v))); b = append(b, v...) }
	num := func(v int64) { b = binary.AppendVarint(b, v) }
	tm := func(t time.Time) {
		if t.IsZero() {
			num(math.MinInt64)
			return
		}
		num(t.UnixNano())
	}
	str(s.Code)
	str(s.Name)
	num(int64(s.Batch))
	str(s.Industry)
	str(s.Provider)
	if s.Demo {
		num(1)
	} else {
		num(0)
	}
	tm(s.UpdatedAt)
	num(int64(len(s.Assessments)))
	for _, a := range s.Assessments {
		str(a.ID)
		str(string(a.Kind))
		num(int64(a.Version))
		str(string(a.State))
		num(int64(a.Score))
		num(int64(a.Level))
		num(int64(a.Done))
		num(int64(a.Total))
		str(a.ReplacedBy)
		str(a.LastError)
		tm(a.UpdatedAt)
		tm(a.CreatedAt)
		tm(a.FinalizedAt)
		str(a.ChecksID)
		if a.ChecksBlind {
			num(1)
		} else {
			num(0)
		}
	}
	return b
}

// summaryReader decodes with bounds checks; the first error sticks.
type summaryReader struct {
	b   []byte
	err error
}

func (r *summaryReader) num() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errSummaryCodec
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *summaryReader) str() string {
	if r.err != nil {
		return ""
	}
	l, n := binary.Uvarint(r.b)
	if n <= 0 || l > uint64(len(r.b)-n) {
		r.err = errSummaryCodec
		return ""
	}
	s := string(r.b[n : n+int(l)])
	r.b = r.b[n+int(l):]
	return s
}

func (r *summaryReader) time() time.Time {
	v := r.num()
	if v == math.MinInt64 || r.err != nil {
		return time.Time{}
	}
	return time.Unix(0, v).UTC()
}

func decodeSummary(b []byte) (EnterpriseSummary, error) {
	if len(b) == 0 || b[0] != summaryCodecVersion {
		return EnterpriseSummary{}, errSummaryCodec
	}
	r := &summaryReader{b: b[1:]}
	s := EnterpriseSummary{Code: r.str(), Name: r.str(), Batch: int(r.num()), Industry: r.str(), Provider: r.str()}
	s.Demo = r.num() == 1
	s.UpdatedAt = r.time()
	n := r.num()
	if n < 0 || n > int64(len(r.b)) {
		return EnterpriseSummary{}, errSummaryCodec
	}
	s.Assessments = make([]AssessmentSummary, 0, n)
	for i := int64(0); i < n && r.err == nil; i++ {
		a := AssessmentSummary{ID: r.str(), Kind: model.Kind(r.str()), Version: int(r.num()), State: model.State(r.str()),
			Score: indicators.Points(r.num()), Level: int(r.num()), Done: int(r.num()), Total: int(r.num()),
			ReplacedBy: r.str(), LastError: r.str()}
		a.UpdatedAt, a.CreatedAt, a.FinalizedAt = r.time(), r.time(), r.time()
		a.ChecksID, a.ChecksBlind = r.str(), r.num() == 1
		s.Assessments = append(s.Assessments, a)
	}
	if r.err == nil && len(r.b) != 0 {
		r.err = errSummaryCodec
	}
	return s, r.err
}
