package report

import (
	"io"
	"iter"
	"runtime"
	"testing"

	"digilevel/model"
)

// BenchmarkHTML renders one finalized assessment (goal: under 20 ms).
func BenchmarkHTML(b *testing.B) {
	f := fixtures(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := f.acceptance.WriteHTML(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// peakHeap samples HeapInuse while rows are produced, so the benchmark can
// report the peak of the streamed write, not just what is left after it.
func peakHeap(rows iter.Seq[RollupRow], every int, peak *uint64) iter.Seq[RollupRow] {
	return func(yield func(RollupRow) bool) {
		var ms runtime.MemStats
		i := 0
		for r := range rows {
			if i%every == 0 {
				runtime.ReadMemStats(&ms)
				*peak = max(*peak, ms.HeapInuse)
			}
			i++
			if !yield(r) {
				return
			}
		}
		runtime.ReadMemStats(&ms)
		*peak = max(*peak, ms.HeapInuse)
	}
}

// BenchmarkRollupXLSX10k streams 10,000 roll-up rows (goal: under 3 s).
func BenchmarkRollupXLSX10k(b *testing.B) {
	b.ReportAllocs()
	var peak, base uint64
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base = ms.HeapInuse
	var size int64
	for b.Loop() {
		cw := &countWriter{}
		if err := WriteRollupXLSX(cw, peakHeap(synthRows(10000), 500, &peak)); err != nil {
			b.Fatal(err)
		}
		size = cw.n
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-HeapInuse-MB")
	b.ReportMetric(float64(peak-min(base, peak))/(1<<20), "peak-over-base-MB")
	b.ReportMetric(float64(size)/(1<<10), "file-KB")
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// BenchmarkFromBytes prepares a stored report for rendering: verify,
// rescore, the embedded planning data and the text made display-safe
// (model.DisplaySafeCopy, measured alone by BenchmarkDisplaySafeCopy).
// BenchmarkFromBytesBaseline is the verify and rescore alone.
func BenchmarkFromBytes(b *testing.B) {
	f := fixtures(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromBytes(f.cat, f.acceptRaw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFromBytesBaseline(b *testing.B) {
	f := fixtures(b)
	b.ReportAllocs()
	for b.Loop() {
		doc, err := model.VerifyReport(f.acceptRaw)
		if err != nil {
			b.Fatal(err)
		}
		if err := model.CheckReportScore(f.cat, doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDisplaySafeCopy is the copy alone, on a finalized document.
func BenchmarkDisplaySafeCopy(b *testing.B) {
	f := fixtures(b)
	doc, err := model.VerifyReport(f.acceptRaw)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		model.DisplaySafeCopy(doc)
	}
}
