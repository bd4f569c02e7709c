package pgstore

import (
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"digilevel/model"
	"digilevel/storage/platform"
)

const tokenCols = `id, secret_sha256, provider, role, created_at, expires_at, revoked_at, public_key, bound_at`

func scanToken(row pgx.Row) (platform.Token, error) {
	var t platform.Token
	var role string
	var expires, revoked, bound *time.Time
	if err := row.Scan(&t.ID, &t.SecretHash, &t.Provider, &role, &t.CreatedAt, &expires, &revoked, &t.PublicKey, &bound); err != nil {
		return t, err
	}
	t.Role = platform.Role(role)
	t.CreatedAt = t.CreatedAt.UTC()
	t.ExpiresAt, t.RevokedAt, t.BoundAt = timeOf(expires), timeOf(revoked), timeOf(bound)
	return t, nil
}

// AddToken stores a new token; the ID must be unused.
func (s *Store) AddToken(t platform.Token) error {
	if err := t.ValidateNew(); err != nil {
		return err
	}
	ctx, cancel := s.ctx()
	defer cancel()
	_, err := s.pool.Exec(ctx, `INSERT INTO tokens (`+tokenCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		t.ID, t.SecretHash, t.Provider, string(t.Role), t.CreatedAt.UTC(), nullTime(t.ExpiresAt), nullTime(t.RevokedAt), t.PublicKey, nullTime(t.BoundAt))
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" { // unique_violation
		return model.Errorf(model.ErrExists, "令牌 %s 已存在", t.ID)
	}
	return err
}

// RestoreToken stores a token exactly as it was elsewhere (its hash,
// binding, expiry and revocation), replacing a token of that ID.
func (s *Store) RestoreToken(t platform.Token) error {
	if err := t.ValidateNew(); err != nil {
		return err
	}
	ctx, cancel := s.ctx()
	defer cancel()
	_, err := s.pool.Exec(ctx, `INSERT INTO tokens (`+tokenCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (id) DO UPDATE SET secret_sha256 = $2, provider = $3, role = $4, created_at = $5, expires_at = $6,
		revoked_at = $7, public_key = $8, bound_at = $9`,
		t.ID, t.SecretHash, t.Provider, string(t.Role), t.CreatedAt.UTC(), nullTime(t.ExpiresAt), nullTime(t.RevokedAt), t.PublicKey, nullTime(t.BoundAt))
	return err
}

// Token returns one token.
func (s *Store) Token(id string) (platform.Token, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	t, err := scanToken(s.pool.QueryRow(ctx, `SELECT `+tokenCols+` FROM tokens WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return t, notFound("令牌 %s 不存在", id)
	}
	return t, err
}

// Tokens lists every token, ordered by ID.
func (s *Store) Tokens() ([]platform.Token, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT `+tokenCols+` FROM tokens ORDER BY id COLLATE "C"`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (platform.Token, error) { return scanToken(r) })
}

// RevokeToken marks a token revoked at the given time; revoking twice keeps
// the first time.
func (s *Store) RevokeToken(id string, at time.Time) (platform.Token, error) {
	return s.updateToken(id, `UPDATE tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING `+tokenCols, at.UTC())
}

// RebindToken replaces the installation key bound to a token: publicKey
// binds that key now; "" clears the binding so that the key of the next
// report uploaded with the token is bound.
func (s *Store) RebindToken(id, publicKey string, at time.Time) (platform.Token, error) {
	var bound *time.Time
	if publicKey != "" {
		bound = nullTime(at)
	}
	return s.updateToken(id, `UPDATE tokens SET public_key = $2, bound_at = $3 WHERE id = $1 RETURNING `+tokenCols, publicKey, bound)
}

func (s *Store) updateToken(id, sql string, args ...any) (platform.Token, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	t, err := scanToken(s.pool.QueryRow(ctx, sql, append([]any{id}, args...)...))
	if errors.Is(err, pgx.ErrNoRows) {
		return t, notFound("令牌 %s 不存在", id)
	}
	return t, err
}
