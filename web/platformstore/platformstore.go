// Package platformstore gives the district dashboard (package web) its
// store: the platform's store (sync/server's Store, on bbolt or PostgreSQL)
// with the two things that need the sync server's token rules, signing in
// with a token and making one. It is the one place that knows both sides;
// the dashboard never imports a database engine.
package platformstore

import (
	"errors"
	"net/http"
	"time"

	"digilevel/storage/platform"
	"digilevel/sync/server"
	"digilevel/web"
)

// Store is the platform's store as the dashboard uses it.
type Store struct {
	server.Store
	srv *server.Server
	now func() time.Time
}

var _ web.Store = (*Store)(nil)

// New adapts st; srv authenticates tokens as the API does. now is the
// clock of new tokens (nil: time.Now).
func New(st server.Store, srv *server.Server, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{Store: st, srv: srv, now: now}
}

// Authenticate checks a raw token as the API does.
func (s *Store) Authenticate(raw string) (platform.Token, error) {
	t, e := s.srv.Authenticate(raw)
	switch {
	case e == nil:
		return t, nil
	case e.Status == http.StatusUnauthorized:
		return platform.Token{}, &web.AuthError{Message: e.Message}
	}
	return platform.Token{}, errors.New(e.Message)
}

// CreateToken makes and stores a token; the secret is only returned.
func (s *Store) CreateToken(provider string, role platform.Role, expires time.Time) (string, platform.Token, error) {
	secret, t, err := server.NewToken(provider, role, expires, s.now())
	if err != nil {
		return "", platform.Token{}, err
	}
	if err := s.AddToken(t); err != nil {
		return "", platform.Token{}, err
	}
	return secret, t, nil
}
