package protocol

import (
	"strings"
	"time"

	"digilevel/model"
)

// Evidence upload and the identity check (see sync/openapi.yaml).
//
// A report names its evidence in `evidence`: for each question or scenario
// the files' SHA-256 (lowercase hex) and size. The laptop uploads every
// file the platform lacks, by hash, before the report; the platform refuses
// a report that names a file it does not hold (422 missing_file), so every
// report it holds is complete: all its files are at EvidencePath + hash.
const (
	// EvidencePath is the collection; a file is EvidencePath + "/" + SHA-256.
	// HEAD says whether the platform has it (200) or not (404); PUT uploads
	// it (201 new, 200 already there); GET reads it (inspector, office).
	EvidencePath = "/api/v1/evidence"
	// MaxEvidenceSize is the largest evidence file (413 above it).
	MaxEvidenceSize = model.MaxEvidenceSize
	// EvidenceContentType is the body type of uploads and downloads.
	EvidenceContentType = "application/octet-stream"
	// WhoamiPath answers who a token belongs to (any valid token).
	WhoamiPath = "/api/v1/whoami"
)

// EvidenceURL joins a server base URL and a file's hash.
func EvidenceURL(base, sha256 string) string {
	return strings.TrimRight(base, "/") + EvidencePath + "/" + sha256
}

// EvidenceReceipt answers an evidence upload.
type EvidenceReceipt struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	// Status is StatusCreated for a new file, StatusExisting when the
	// platform had it already.
	Status string `json:"status"`
}

// Whoami is the answer of GET WhoamiPath: the token's ID, the provider (or
// unit) it was issued to, its role and expiry. A laptop checks with it that
// the organisation it signs reports with is the token's provider.
type Whoami struct {
	TokenID   string    `json:"token_id"`
	Provider  string    `json:"provider"`
	Role      string    `json:"role"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
}
