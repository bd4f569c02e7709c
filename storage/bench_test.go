package storage

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
)

// Benchmarks of the store. bench/run.sh runs them on a seeded file it
// passes in DIGILEVEL_BENCH_DB (a copy it may change); without it they seed
// 10,000 enterprises and 50,000 assessments once per test binary in a
// directory TestMain removes.

var (
	seedOnce sync.Once
	seedDir  string
	seedPath string
	seedErr  error
)

// seededDB returns a seeded database file: DIGILEVEL_BENCH_DB, else one
// built once per test binary.
func seededDB(b *testing.B) string {
	if p := os.Getenv("DIGILEVEL_BENCH_DB"); p != "" {
		return p
	}
	seedOnce.Do(func() {
		seedDir, seedErr = os.MkdirTemp("", "digilevel-seed-*")
		if seedErr != nil {
			return
		}
		seedPath = filepath.Join(seedDir, "seed.db")
		db, err := Open(seedPath, Options{NoSync: true})
		if err != nil {
			seedErr = err
			return
		}
		seedErr = db.Seed(SeedOptions{Enterprises: 10000, Assessments: 50000, Seed: 1, Evidence: true})
		if err := db.Close(); seedErr == nil {
			seedErr = err
		}
		if seedErr == nil {
			seedErr = CompactSeed(seedPath)
		}
	})
	if seedErr != nil {
		b.Fatal(seedErr)
	}
	return seedPath
}

// removeSeed deletes what seededDB built; TestMain calls it after the run.
func removeSeed() {
	if seedDir != "" {
		os.RemoveAll(seedDir)
	}
}

// BenchmarkSavePaired is one durable answer save on the seeded file beside
// its two baselines, interleaved in every round (the order rotates) so a
// noisy machine moves all three alike:
//
//   - write4k: an in-place 4 KiB write at offset 0 of a file in the same
//     directory, then fdatasync (one device flush);
//   - bolt4k: a bare bbolt commit of one 4 KiB value in a bucket of its own
//     on the same seeded file (leaf, root, freelist, meta; two fdatasyncs);
//   - save: SaveAnswer on a draft of the seeded file.
//
// It reports each median and the median of the per-round ratios, and the
// pages each commit writes.
func BenchmarkSavePaired(b *testing.B) {
	path := seededDB(b)
	db, err := Open(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	id := benchDraft(b, db)
	raw, err := os.OpenFile(filepath.Join(filepath.Dir(path), "write4k.bench"), os.O_CREATE|os.O_RDWR|os.O_TRUNC, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	defer os.Remove(raw.Name())
	defer raw.Close()
	value := bytes.Repeat([]byte{'v'}, 4096)
	if _, err := raw.WriteAt(value, 0); err != nil {
		b.Fatal(err)
	}
	if err := raw.Sync(); err != nil {
		b.Fatal(err)
	}
	benchBucket := []byte("bench_4k")
	defer db.bolt.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(benchBucket) })
	opts := [][]string{{"B"}, {"C"}}
	var pagesSave, pagesBolt int64
	pages := func() int64 { s := db.bolt.Stats(); return s.TxStats.GetPageCount() }
	ops := []func(i int) error{
		func(int) error {
			if _, err := raw.WriteAt(value, 0); err != nil {
				return err
			}
			return fdatasync(raw)
		},
		func(i int) error {
			p := pages()
			value[0] = byte(i)
			err := db.bolt.Update(func(tx *bolt.Tx) error {
				bk, err := tx.CreateBucketIfNotExists(benchBucket)
				if err != nil {
					return err
				}
				return bk.Put([]byte("value"), value)
			})
			pagesBolt += pages() - p
			return err
		},
		func(i int) error {
			p := pages()
			_, err := db.SaveAnswer(id, "Q05", opts[i%2], who)
			pagesSave += pages() - p
			return err
		},
	}
	// One warm-up round: the first commit creates the bucket.
	for i, op := range ops {
		if err := op(i); err != nil {
			b.Fatal(err)
		}
	}
	pagesSave, pagesBolt = 0, 0
	d := make([][]time.Duration, len(ops))
	b.ResetTimer()
	for r := 0; r < b.N; r++ {
		for k := range ops {
			j := (r + k) % len(ops)
			t := time.Now()
			if err := ops[j](r); err != nil {
				b.Fatal(err)
			}
			d[j] = append(d[j], time.Since(t))
		}
	}
	b.StopTimer()
	us := func(x time.Duration) float64 { return float64(x.Nanoseconds()) / 1e3 }
	b.ReportMetric(us(median(d[0])), "write4k-µs")
	b.ReportMetric(us(median(d[1])), "bolt4k-µs")
	b.ReportMetric(us(median(d[2])), "save-µs")
	b.ReportMetric(medianRatio(d[2], d[1]), "save/bolt4k")
	b.ReportMetric(medianRatio(d[2], d[0]), "save/write4k")
	b.ReportMetric(float64(pagesSave)/float64(b.N), "pages/save")
	b.ReportMetric(float64(pagesBolt)/float64(b.N), "pages/bolt4k")
}

// benchDraft returns a draft of the seeded file to save answers into.
func benchDraft(b *testing.B, db *DB) string {
	b.Helper()
	sums, err := db.Summaries()
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range sums[len(sums)/2:] {
		for _, a := range s.Assessments {
			if a.State == model.StateDraft && a.Done > 10 {
				return a.ID
			}
		}
	}
	b.Fatal("no draft in the seeded file")
	return ""
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// medianRatio is the median of a[i]/b[i]: each round's pair shares the
// machine's state at that moment.
func medianRatio(a, b []time.Duration) float64 {
	r := make([]float64, len(a))
	for i := range a {
		r[i] = float64(a[i]) / float64(b[i])
	}
	sort.Float64s(r)
	return r[len(r)/2]
}

// BenchmarkSaveAnswerSmall is one durable answer save on a database holding
// one assessment: the save's own cost without a large file's tree depth.
func BenchmarkSaveAnswerSmall(b *testing.B) {
	db := newTestDB(b)
	code := validCode(b, "91410700MA44RN9B0")
	db.CreateEnterprise(enterprise(code, "基准企业"), who)
	a, err := db.CreateAssessment(NewAssessment{Enterprise: code, Kind: model.KindBaseline}, who)
	if err != nil {
		b.Fatal(err)
	}
	answerAll(b, db, a.ID)
	opts := [][]string{{"B"}, {"C"}}
	i := 0
	for b.Loop() {
		if _, err := db.SaveAnswer(a.ID, "Q05", opts[i%2], who); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkOpenAndListHome opens the seeded database and reads the home
// page: every enterprise summary, without decoding any assessment.
func BenchmarkOpenAndListHome(b *testing.B) {
	path := seededDB(b)
	for b.Loop() {
		db, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		s, err := db.Summaries()
		if err != nil || len(s) == 0 {
			b.Fatalf("summaries: %d %v", len(s), err)
		}
		db.Close()
	}
}
