package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The schema is a list of SQL files, migrations/NNN_name.sql, applied in
// order, each in the transaction that records it in schema_migrations. A
// shipped file is never edited: a change is a new file, with a check in
// migrate_test.go (a test fails otherwise).
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered SQL file.
type migration struct {
	Version int
	Name    string
	SQL     string
}

// migrations reads the embedded files in order; the numbers must be
// 1, 2, 3 ...
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration file %s: want NNN_name.sql", e.Name())
		}
		data, err := migrationFiles.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{Version: v, Name: name, SQL: string(data)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %d (%s) out of sequence: want %d", m.Version, m.Name, i+1)
		}
	}
	return out, nil
}

// migrateLockKey is the advisory lock that lets one process at a time
// migrate, so two servers starting together do not race.
const migrateLockKey = 0x646c7631 // "dlv1"

// migrate brings the database to the newest schema (upTo < 0) or to
// version upTo (tests). Each migration runs in its own transaction under
// the advisory lock, so a failure leaves the schema at the last good
// version.
func migrate(ctx context.Context, conn *pgx.Conn, upTo int) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if upTo < 0 {
		upTo = len(ms)
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLockKey); err != nil {
		return err
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLockKey)
	current, err := schemaVersion(ctx, conn)
	if err != nil {
		return err
	}
	if current == 0 {
		if err := refuseForeign(ctx, conn); err != nil {
			return err
		}
	}
	if current > len(ms) {
		return fmt.Errorf("%w: 数据库结构版本 %d，本程序只支持到 %d，请升级 digilevel", ErrTooNew, current, len(ms))
	}
	for _, m := range ms[current:upTo] {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
				version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name)
			return err
		})
		if err != nil {
			return fmt.Errorf("数据库结构迁移 %d（%s）失败: %w", m.Version, m.Name, err)
		}
	}
	if upTo == len(ms) {
		_, err = conn.Exec(ctx, `INSERT INTO platform_meta (key, value) VALUES ('app', $1), ('created_at', now()::text)
			ON CONFLICT (key) DO NOTHING`, appMarker)
	}
	return err
}

// schemaVersion is the highest applied migration, 0 for a new database.
func schemaVersion(ctx context.Context, conn *pgx.Conn) (int, error) {
	var v int
	err := conn.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P01" { // undefined_table
		return 0, nil
	}
	return v, err
}

// refuseForeign refuses a database that already holds other tables: it is
// not ours, and creating ours beside them would mix two programs' data.
func refuseForeign(ctx context.Context, conn *pgx.Conn) error {
	var n int
	err := conn.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'`).Scan(&n)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%w（当前模式中已有 %d 张其他表；请为平台新建一个空数据库）", ErrNotDatabase, n)
	}
	return nil
}
