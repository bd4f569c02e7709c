package platform

import (
	"time"

	"digilevel/model"
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

// Token is an access token as the platform keeps it: the SHA-256 of its
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

// ValidateNew checks a token before it is stored.
func (t Token) ValidateNew() error {
	if t.ID == "" || len(t.SecretHash) != 64 || t.Provider == "" {
		return model.Errorf(model.ErrInvalid, "令牌缺少编号、密钥摘要或服务商")
	}
	_, err := ParseRole(string(t.Role))
	return err
}
