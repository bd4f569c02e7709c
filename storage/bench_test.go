package storage

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"digilevel/model"
)

// BenchmarkRawFsync4K is the floor a durable save is compared with: append
// 4 KiB to a file in the database's directory and fsync it.
func BenchmarkRawFsync4K(b *testing.B) {
	f, err := os.OpenFile(filepath.Join(b.TempDir(), "raw.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	for b.Loop() {
		if _, err := f.Write(buf); err != nil {
			b.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveAnswer is one durable answer save: read the draft, validate,
// write it with its audit entry and index line, commit with fdatasync.
func BenchmarkSaveAnswer(b *testing.B) {
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

var (
	seedOnce sync.Once
	seedPath string
	seedErr  error
)

// seededDB builds (once per test binary) a database of 10,000 enterprises
// and 50,000 assessments.
func seededDB(b *testing.B) string {
	seedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "digilevel-seed-*")
		if err != nil {
			seedErr = err
			return
		}
		seedPath = filepath.Join(dir, "seed.db")
		db, err := Open(seedPath, Options{NoSync: true})
		if err != nil {
			seedErr = err
			return
		}
		seedErr = db.SeedSynthetic(10000, 50000, 1)
		if err := db.Close(); seedErr == nil {
			seedErr = err
		}
	})
	if seedErr != nil {
		b.Fatal(seedErr)
	}
	return seedPath
}

// BenchmarkOpenAndListHome opens the seeded database and reads the home
// page: every enterprise summary, without decoding any assessment.
func BenchmarkOpenAndListHome(b *testing.B) {
	path := seededDB(b)
	for b.Loop() {
		db, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		s, err := db.Summaries()
		if err != nil || len(s) != 10000 {
			b.Fatalf("summaries: %d %v", len(s), err)
		}
		db.Close()
	}
}
