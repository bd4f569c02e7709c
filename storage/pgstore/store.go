package pgstore

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"digilevel/storage/platform"
)

// appMarker is stored in platform_meta so our database is recognised.
const appMarker = "digilevel-server"

// DefaultConnectTimeout bounds connecting at Open.
const DefaultConnectTimeout = 5 * time.Second

// maxGroup bounds how many Puts share one transaction.
const maxGroup = 256

// Options configure Open.
type Options struct {
	// Now is the clock (default time.Now).
	Now func() time.Time
	// ConnectTimeout bounds connecting (default DefaultConnectTimeout).
	ConnectTimeout time.Duration
	// MaxConns bounds the connection pool (default: pgxpool's, 4 or the
	// number of CPUs).
	MaxConns int32
	// SchemaVersion migrates only up to that version (tests of migrations);
	// 0 means the newest.
	SchemaVersion int
}

// Store is the platform on PostgreSQL. It is safe for concurrent use, and
// any number of Stores (in any number of processes) may share a database.
type Store struct {
	pool *pgxpool.Pool
	dsn  string // for messages: without password
	now  func() time.Time

	committer *platform.GroupCommitter
	closeOnce sync.Once
}

// IsDSN reports whether a --db value names a PostgreSQL database rather
// than a bbolt file.
func IsDSN(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open connects to the database named by dsn (a postgres:// URL), creates
// or migrates the schema, and starts the committer.
func Open(dsn string, o Options) (*Store, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("%w: 连接地址（DSN）格式错误，应为 postgres://用户:口令@主机:端口/数据库", ErrUnavailable)
	}
	cfg.ConnConfig.ConnectTimeout = o.ConnectTimeout
	if o.MaxConns > 0 {
		cfg.MaxConns = o.MaxConns
	}
	where := Redact(dsn)
	ctx, cancel := context.WithTimeout(context.Background(), o.ConnectTimeout+30*time.Second)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, connectError(where, err)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		pool.Close()
		return nil, connectError(where, err)
	}
	upTo := -1
	if o.SchemaVersion > 0 {
		upTo = o.SchemaVersion
	}
	err = migrate(ctx, conn.Conn(), upTo)
	conn.Release()
	if err != nil {
		pool.Close()
		return nil, err
	}
	s := &Store{pool: pool, dsn: where, now: o.Now}
	s.committer = platform.NewGroupCommitter(maxGroup, s.runGroup)
	return s, nil
}

// Redact is a DSN without its password, for messages and logs.
func Redact(dsn string) string {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return "postgres://…"
	}
	host := cfg.Host
	if strings.HasPrefix(host, "/") {
		return fmt.Sprintf("postgres://%s@（本机套接字 %s）/%s", cfg.User, host, cfg.Database)
	}
	return fmt.Sprintf("postgres://%s@%s:%d/%s", cfg.User, host, cfg.Port, cfg.Database)
}

// Describe names the database for messages: the engine and the DSN without
// its password.
func (s *Store) Describe() string { return "PostgreSQL " + s.dsn }

// Close waits for Puts in progress, then closes the pool. Puts that start
// after Close fail with platform.ErrClosed.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.committer.Close()
		s.pool.Close()
	})
	return nil
}

// ctx is the context of one store call: storage calls have no deadline of
// their own beyond the server's request timeouts, but never hang forever.
func (s *Store) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 5*time.Minute)
}
