package pgstore

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"digilevel/storage/pgstore/pgtest"
	"digilevel/storage/platform"
	"digilevel/sync/server/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func connect(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func tables(t *testing.T, conn *pgx.Conn) string {
	t.Helper()
	rows, _ := conn.Query(context.Background(), `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() ORDER BY table_name`)
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(names, ",")
}

// Each migration has a check run after migrating a fresh database up to it.
func TestMigrations(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	checks := []func(t *testing.T, conn *pgx.Conn){
		func(t *testing.T, conn *pgx.Conn) { // 1: base schema
			if got := tables(t, conn); got != "evidence,idempotency,platform_meta,reports,roster,schema_migrations,sequence_counter,tokens" {
				t.Errorf("tables %s", got)
			}
			var last int64
			if err := conn.QueryRow(context.Background(), `SELECT last FROM sequence_counter`).Scan(&last); err != nil || last != 0 {
				t.Errorf("counter %d %v", last, err)
			}
			// The constraints that back exactly-once up.
			_, err := conn.Exec(context.Background(), `INSERT INTO sequence_counter VALUES (2, 0)`)
			if err == nil {
				t.Error("a second counter row was accepted")
			}
		},
		func(t *testing.T, conn *pgx.Conn) { // 2: spot-check links (backfill: TestMigrationFillsLinks)
			var n int
			err := conn.QueryRow(context.Background(), `SELECT count(*) FROM information_schema.columns
				WHERE table_name = 'reports' AND column_name IN ('checks_sha256', 'checks_kind', 'checks_org', 'checks_blind')`).Scan(&n)
			if err != nil || n != 4 {
				t.Errorf("%d link columns (%v)", n, err)
			}
		},
		func(t *testing.T, conn *pgx.Conn) { // 3: the dashboard's records
			for _, table := range []string{"sessions", "rejections", "exclusions", "dashboard_counters"} {
				if !strings.Contains(","+tables(t, conn)+",", ","+table+",") {
					t.Errorf("table %s missing", table)
				}
			}
			var n int
			if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM dashboard_counters WHERE last = 0`).Scan(&n); err != nil || n != 2 {
				t.Errorf("%d counters at 0 (%v)", n, err)
			}
		},
	}
	if len(checks) != len(ms) {
		t.Fatalf("%d migration checks for %d migrations: add a check for each new migration", len(checks), len(ms))
	}
	for i, m := range ms {
		dsn := pgtest.DSN(t)
		s, err := Open(dsn, Options{SchemaVersion: m.Version})
		if err != nil {
			t.Fatalf("migration %d (%s): %v", m.Version, m.Name, err)
		}
		s.Close()
		conn := connect(t, dsn)
		var v int
		if err := conn.QueryRow(context.Background(), `SELECT max(version) FROM schema_migrations`).Scan(&v); err != nil || v != m.Version {
			t.Fatalf("schema version %d after migrating to %d (%v)", v, m.Version, err)
		}
		checks[i](t, conn)
	}
}

// Opening twice (two servers starting) migrates once; a newer schema and a
// database of another program are refused.
func TestOpenRefuses(t *testing.T) {
	dsn := pgtest.DSN(t)
	a, err := Open(dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(dsn, Options{})
	if err != nil {
		t.Fatalf("second open: %v", err)
	}
	a.Close()
	b.Close()
	conn := connect(t, dsn)
	if _, err := conn.Exec(context.Background(), `INSERT INTO schema_migrations (version, name) VALUES (99, 'future')`); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dsn, Options{}); !errors.Is(err, ErrTooNew) {
		t.Errorf("newer schema: %v", err)
	}
	foreign := pgtest.DSN(t)
	if _, err := connect(t, foreign).Exec(context.Background(), `CREATE TABLE invoices (id int)`); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(foreign, Options{}); !errors.Is(err, ErrNotDatabase) {
		t.Errorf("another program's database: %v", err)
	}
	if got := tables(t, connect(t, foreign)); got != "invoices" {
		t.Errorf("refusing changed the foreign database: %s", got)
	}
}

func TestOpenUnreachable(t *testing.T) {
	for _, dsn := range []string{
		"postgres://digilevel:geheim-pw@127.0.0.1:1/platform?connect_timeout=2",
		"postgres://nobody@[::1",
	} {
		_, err := Open(dsn, Options{})
		if !errors.Is(err, ErrUnavailable) || strings.Contains(err.Error(), "geheim-pw") {
			t.Errorf("%s: %v", Redact(dsn), err)
		}
	}
	if got := Redact("postgres://u:secret@db.example:5433/p"); strings.Contains(got, "secret") || !strings.Contains(got, "db.example:5433/p") {
		t.Errorf("redact: %s", got)
	}
}

// Migration 2 fills the link columns of spot-checks stored under schema 1
// (the checked ID only) from their signed bodies.
func TestMigrationFillsLinks(t *testing.T) {
	dsn := pgtest.DSN(t)
	s, err := Open(dsn, Options{SchemaVersion: 1})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	reports := storetest.Seed(t, 10, 50, 1).Reports
	spot := storetest.SpotCheck(t, reports[0])
	rec := storetest.Submission(spot, "").Record
	rec.Seq, rec.ReceivedAt = 1, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	args := insertArgs(rec, spot.Body)
	conn := connect(t, dsn)
	// Schema 1's columns: the new ones (args 19-22) left out.
	_, err = conn.Exec(context.Background(), `INSERT INTO reports (id, seq, sha256, size, enterprise, provider, kind, version, replaces,
		public_key, token_id, source, received_at, received_ns, level, score_milli, finalized_at, checks, body)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`, append(args[:18:18], args[22])...)
	if err == nil {
		_, err = conn.Exec(context.Background(), `UPDATE sequence_counter SET last = 1`)
	}
	if err != nil {
		t.Fatal(err)
	}
	s, err = Open(dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, _, err := s.Report(rec.ID)
	want := rec
	want.ChecksState = platform.LinkPending
	if err != nil || got != want {
		t.Errorf("after migration\n%+v\nwant\n%+v (%v)", got, want, err)
	}
	if p, err := s.Check(); err != nil || len(p) > 0 {
		t.Errorf("check after migration: %v %v", p, err)
	}
}
