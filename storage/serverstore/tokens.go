package serverstore

import (
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// AddToken stores a new token; the ID must be unused.
func (s *Store) AddToken(t Token) error {
	if err := t.ValidateNew(); err != nil {
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
