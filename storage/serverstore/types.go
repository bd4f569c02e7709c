package serverstore

import "digilevel/storage/platform"

// The platform's types live in storage/platform, shared with the
// PostgreSQL engine; these names keep code written against this package
// before the split compiling.
type (
	Record     = platform.Record
	Submission = platform.Submission
	Outcome    = platform.Outcome
	Result     = platform.Result
	Role       = platform.Role
	Token      = platform.Token
)

// Outcomes, sources and roles, as in storage/platform.
const (
	Created       = platform.Created
	Existing      = platform.Existing
	Conflict      = platform.Conflict
	KeyMismatch   = platform.KeyMismatch
	TokenInactive = platform.TokenInactive

	SourceAPI    = platform.SourceAPI
	SourceBundle = platform.SourceBundle

	RoleProvider  = platform.RoleProvider
	RoleInspector = platform.RoleInspector
	RoleOffice    = platform.RoleOffice
)

// ParseRole and Fingerprint, as in storage/platform.
var (
	ParseRole   = platform.ParseRole
	Fingerprint = platform.Fingerprint
)
