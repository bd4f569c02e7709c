package storetest_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage/platform"

	"digilevel/storage/pgstore"
	"digilevel/storage/pgstore/pgtest"
	"digilevel/storage/serverstore"
	"digilevel/sync/server"
	"digilevel/sync/server/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// Compile-time: both engines are a server.Store.
var (
	_ server.Store = (*serverstore.Store)(nil)
	_ server.Store = (*pgstore.Store)(nil)
)

func TestBolt(t *testing.T) {
	storetest.Run(t, storetest.Engine{
		Open: func(t testing.TB, now func() time.Time) server.Store {
			s, err := serverstore.Open(filepath.Join(t.TempDir(), "server.db"), serverstore.Options{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
	})
}

func TestPostgres(t *testing.T) {
	var last string
	open := func(t testing.TB, dsn string, now func() time.Time) server.Store {
		s, err := pgstore.Open(dsn, pgstore.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	storetest.Run(t, storetest.Engine{
		Open: func(t testing.TB, now func() time.Time) server.Store {
			last = pgtest.DSN(t)
			return open(t, last, now)
		},
		Shared: func(t testing.TB, now func() time.Time) server.Store { return open(t, last, now) },
	})
}

// BenchmarkListing measures what a dashboard over the platform reads: every
// record (EachReport, no bodies) and every roster entry
// (EachRosterEnterprise) of a platform holding 10,000 reports and 10,000
// roster enterprises, on each engine, beside the time to list the same
// records as a slice (ReportsAfter), in one run.
// Run it once: go test -run '^$' -bench Listing -benchtime 5x ./sync/server/storetest
func BenchmarkListing(b *testing.B) {
	l := storetest.Seed(b, 10000, 50000, 41)
	enterprises, err := l.DB.Enterprises()
	if err != nil {
		b.Fatal(err)
	}
	fields := []string{model.FieldName, model.FieldBatch, model.FieldScale, model.FieldZJTX, model.FieldSmartFactory, model.FieldRevenue}
	engines := []struct {
		name string
		open func(b *testing.B) server.Store
	}{
		{"bbolt", func(b *testing.B) server.Store {
			s, err := serverstore.Open(filepath.Join(b.TempDir(), "server.db"), serverstore.Options{NoSync: true})
			if err != nil {
				b.Fatal(err)
			}
			return s
		}},
		{"postgres", func(b *testing.B) server.Store {
			if err := pgtest.Available(); err != nil {
				b.Skipf("no PostgreSQL: %v", err)
			}
			s, err := pgstore.Open(pgtest.DSN(b), pgstore.Options{})
			if err != nil {
				b.Fatal(err)
			}
			return s
		}},
	}
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			s := e.open(b)
			defer s.Close()
			var wg sync.WaitGroup
			work := make(chan storetest.Report)
			for range 16 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for r := range work {
						if _, err := s.Put(storetest.Submission(r, "")); err != nil {
							b.Error(err)
						}
					}
				}()
			}
			for _, r := range l.Reports {
				work <- r
			}
			close(work)
			wg.Wait()
			if _, err := s.ImportRoster(enterprises, fields, storetest.T0); err != nil {
				b.Fatal(err)
			}
			for _, c := range []struct {
				name string
				run  func() (int, error)
			}{
				{"EachReport", func() (int, error) {
					n := 0
					err := s.EachReport(0, func(platform.Record) error { n++; return nil })
					return n, err
				}},
				{"ReportsAfter", func() (int, error) {
					recs, err := s.ReportsAfter(0, 0)
					return len(recs), err
				}},
				{"EachRosterEnterprise", func() (int, error) {
					n := 0
					err := s.EachRosterEnterprise(0, func(model.Enterprise) error { n++; return nil })
					return n, err
				}},
			} {
				b.Run(c.name, func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						n, err := c.run()
						if err != nil || n < 10000 {
							b.Fatalf("%d rows, %v", n, err)
						}
					}
				})
			}
		})
	}
}
