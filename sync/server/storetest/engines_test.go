package storetest_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

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
