package server

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"digilevel/model"
	"digilevel/storage/platform"
	"digilevel/sync/protocol"
)

// tokenPrefix starts every token, so a leaked one is easy to recognise.
const tokenPrefix = "dlt_"

var tokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewToken creates a token for a provider (or an inspector or the office):
// the returned string is shown once and never stored; the record keeps
// only the SHA-256 of its secret part. A zero expires means no expiry.
func NewToken(provider string, role platform.Role, expires, now time.Time) (string, platform.Token, error) {
	provider = strings.TrimSpace(provider)
	if provider == "" {
		return "", platform.Token{}, model.Errorf(model.ErrInvalid, "令牌必须指定服务商（或单位）名称")
	}
	if _, err := platform.ParseRole(string(role)); err != nil {
		return "", platform.Token{}, err
	}
	if !expires.IsZero() && !expires.After(now) {
		return "", platform.Token{}, model.Errorf(model.ErrInvalid, "过期时间 %s（北京时间）已过", shownTime(expires))
	}
	var idb [10]byte
	var secret [32]byte
	if _, err := rand.Read(idb[:]); err != nil {
		return "", platform.Token{}, fmt.Errorf("生成令牌: %w", err)
	}
	if _, err := rand.Read(secret[:]); err != nil {
		return "", platform.Token{}, fmt.Errorf("生成令牌: %w", err)
	}
	id := strings.ToLower(tokenEncoding.EncodeToString(idb[:]))
	sec := strings.ToLower(tokenEncoding.EncodeToString(secret[:]))
	tok := platform.Token{ID: id, SecretHash: hashSecret(sec), Provider: provider, Role: role,
		CreatedAt: now.UTC(), ExpiresAt: expires.UTC()}
	if expires.IsZero() {
		tok.ExpiresAt = time.Time{}
	}
	return tokenPrefix + id + "_" + sec, tok, nil
}

// parseToken splits "dlt_<id>_<secret>".
func parseToken(s string) (id, secret string, ok bool) {
	rest, ok := strings.CutPrefix(s, tokenPrefix)
	if !ok {
		return "", "", false
	}
	id, secret, ok = strings.Cut(rest, "_")
	return id, secret, ok && id != "" && secret != ""
}

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// dummyHash is compared against when the token ID is unknown, so an unknown
// ID costs the same as a wrong secret.
var dummyHash = strings.Repeat("0", 64)

// authenticate checks the bearer token of a request (see Authenticate).
func (s *Server) authenticate(r *http.Request) (platform.Token, *protocol.Error) {
	raw, ok := protocol.BearerToken(r.Header.Get("Authorization"))
	if !ok {
		return platform.Token{}, unauthorized("缺少访问令牌（Authorization: Bearer ...）")
	}
	return s.Authenticate(raw)
}

func unauthorized(msg string) *protocol.Error {
	return &protocol.Error{Status: http.StatusUnauthorized, Code: protocol.CodeUnauthorized, Message: msg}
}

// Authenticate checks a token as the API does, for the API and the
// dashboard's login alike. Errors are 401 without saying which part was
// wrong, except expiry and revocation, which the owner must know; a token
// that cannot be read for a storage failure is 500. It never checks the
// role: the caller does.
func (s *Server) Authenticate(raw string) (platform.Token, *protocol.Error) {
	id, secret, ok := parseToken(strings.TrimSpace(raw))
	if !ok {
		return platform.Token{}, unauthorized("访问令牌格式错误")
	}
	tok, err := s.db.Token(id)
	if err != nil && !errors.Is(err, model.ErrNotFound) {
		// A storage failure is the server's problem: a 401 would make the
		// laptop pause its whole queue and blame the token.
		s.log.Error("read token", "token", id, "err", err)
		return platform.Token{}, perr(http.StatusInternalServerError, protocol.CodeInternal, "服务器读取令牌失败，请稍后重试")
	}
	want := tok.SecretHash
	if err != nil || len(want) != 64 {
		want = dummyHash
	}
	match := subtle.ConstantTimeCompare([]byte(hashSecret(secret)), []byte(want)) == 1
	switch {
	case err != nil || !match:
		return platform.Token{}, unauthorized("访问令牌无效")
	case !tok.RevokedAt.IsZero():
		return platform.Token{}, unauthorized("访问令牌已被吊销，请向区县主管部门申请新令牌")
	case !tok.Active(s.now()):
		return platform.Token{}, unauthorized("访问令牌已于 " + shownTime(tok.ExpiresAt) + "（北京时间）过期，请向区县主管部门申请新令牌")
	}
	return tok, nil
}
