// Package bundle writes and reads the zip file that carries unsent reports
// from a laptop to the district platform by hand (USB stick, e-mail) when
// there is no network: every report byte for byte, every evidence file it
// names, and a manifest of hashes and signatures.
//
// # Layout
//
//	manifest.json              Manifest (format digilevel-bundle/1)
//	reports/<report id>.json   the signed canonical report bytes
//	evidence/<sha256 hex>      an evidence file, named by the hash of its content
//
// Nothing else is allowed: a reader refuses the whole bundle if any entry
// has another name (a path such as "../x", an absolute path, a directory),
// appears twice, or is not listed in the manifest. Readers never write
// entries to disk, and every size is bounded before reading.
package bundle

import (
	"regexp"
	"time"

	"digilevel/model"
)

// Format identifies the manifest format.
const Format = "digilevel-bundle/1"

// Limits.
const (
	ManifestName    = "manifest.json"
	MaxManifestSize = 16 << 20
	MaxEvidenceSize = model.MaxEvidenceSize
	MaxEntries      = 200000
)

// Manifest lists what a bundle holds. The hashes and signatures repeat what
// the signed reports say, so a reader can see what is inside without
// parsing every report.
type Manifest struct {
	Format    string        `json:"format"`
	CreatedAt time.Time     `json:"created_at"`
	Device    string        `json:"device"`
	PublicKey string        `json:"public_key"`
	Reports   []ReportEntry `json:"reports"`
}

// ReportEntry is one report of the bundle.
type ReportEntry struct {
	ID         string          `json:"id"`
	Enterprise string          `json:"enterprise"`
	Provider   string          `json:"provider"`
	Replaces   string          `json:"replaces,omitempty"`
	SHA256     string          `json:"sha256"`
	Size       int             `json:"size"`
	Signature  string          `json:"signature"`
	File       string          `json:"file"`
	Evidence   []EvidenceEntry `json:"evidence"`
}

// EvidenceEntry is one evidence file a report names: the question or
// scenario it supports, its path on the laptop, its hash and its entry.
type EvidenceEntry struct {
	Ref    string `json:"ref"`
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	File   string `json:"file"`
}

var (
	reportName   = regexp.MustCompile(`^reports/[0-9A-HJKMNP-TV-Z]{26}\.json$`)
	evidenceName = regexp.MustCompile(`^evidence/[0-9a-f]{64}$`)
)

// ReportFile is the entry name of a report.
func ReportFile(id string) string { return "reports/" + id + ".json" }

// EvidenceFile is the entry name of an evidence file.
func EvidenceFile(sha256 string) string { return "evidence/" + sha256 }
