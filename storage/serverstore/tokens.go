package serverstore

import (
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// Role is what a token may do.
type Role string

// Roles. A provider uploads its own reports; an inspector reads the reports
// of one enterprise at a time; the office reads every report.
const (
	RoleProvider  Role = "provider"
	RoleInspector Role = "inspector"
	RoleOffice    Role = "office"
)

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case RoleProvider, RoleInspector, RoleOffice:
		return r, nil
	}
	return "", model.Errorf(model.ErrInvalid, "角色应为 provider（服务商）、inspector（抽查人员）或 office（主管部门），实际 %q", s)
}

// Label is the Chinese name of a role.
func (r Role) Label() string {
	switch r {
	case RoleProvider:
		return "服务商"
	case RoleInspector:
		return "抽查人员"
	case RoleOffice:
		return "主管部门"
	}
	return string(r)
}

// Token is an access token as the server keeps it: the SHA-256 of its
// secret, never the secret. PublicKey is the installation key bound to it:
// the key of the first report it uploaded, until an admin re-binds it.
type Token struct {
	ID         string    `json:"id"`
	SecretHash string    `json:"secret_sha256"`
	Provider   string    `json:"provider"`
	Role       Role      `json:"role"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at,omitzero"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
	PublicKey  string    `json:"public_key,omitempty"`
	BoundAt    time.Time `json:"bound_at,omitzero"`
}

// Active reports whether the token may be used at now.
func (t Token) Active(now time.Time) bool {
	return t.RevokedAt.IsZero() && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt))
}

// AddToken stores a new token; the ID must be unused.
func (s *Store) AddToken(t Token) error {
	if t.ID == "" || len(t.SecretHash) != 64 || t.Provider == "" {
		return model.Errorf(model.ErrInvalid, "令牌缺少编号、密钥摘要或服务商")
	}
	if _, err := ParseRole(string(t.Role)); err != nil {
		return err
	}
	return s.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTokens)
		if b.Get([]byte(t.ID)) != nil {
			return model.Errorf(model.ErrExists, "令牌 %s 已存在", t.ID)
		}
		return boltkit.PutJSON(b, []byte(t.ID), t)
	})
}

// Token returns one token.
func (s *Store) Token(id string) (Token, error) {
	var t Token
	err := s.bolt.View(func(tx *bolt.Tx) error {
		var err error
		t, err = getToken(tx, id)
		return err
	})
	return t, err
}

// Tokens lists every token, ordered by ID.
func (s *Store) Tokens() ([]Token, error) {
	var out []Token
	err := s.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTokens).ForEach(func(_, v []byte) error {
			var t Token
			if err := boltkit.Decode(v, &t); err != nil {
				return err
			}
			out = append(out, t)
			return nil
		})
	})
	return out, err
}

// RevokeToken marks a token revoked at the given time; revoking twice keeps
// the first time.
func (s *Store) RevokeToken(id string, at time.Time) (Token, error) {
	return s.updateToken(id, func(t *Token) {
		if t.RevokedAt.IsZero() {
			t.RevokedAt = at.UTC()
		}
	})
}

// RebindToken replaces the installation key bound to a token: publicKey
// (base64 ed25519) binds that key now; "" clears the binding so that the key
// of the next report uploaded with the token is bound.
func (s *Store) RebindToken(id, publicKey string, at time.Time) (Token, error) {
	return s.updateToken(id, func(t *Token) {
		t.PublicKey = publicKey
		t.BoundAt = time.Time{}
		if publicKey != "" {
			t.BoundAt = at.UTC()
		}
	})
}

func (s *Store) updateToken(id string, fn func(*Token)) (Token, error) {
	var out Token
	err := s.bolt.Update(func(tx *bolt.Tx) error {
		t, err := getToken(tx, id)
		if err != nil {
			return err
		}
		fn(&t)
		out = t
		return boltkit.PutJSON(tx.Bucket(bucketTokens), []byte(id), t)
	})
	return out, err
}

func getToken(tx *bolt.Tx, id string) (Token, error) {
	var t Token
	v := tx.Bucket(bucketTokens).Get([]byte(id))
	if v == nil {
		return t, notFound("令牌 %s 不存在", id)
	}
	return t, boltkit.Decode(v, &t)
}
