package serverstore

import "digilevel/storage/internal/boltkit"

// Bucket and key names, declared once. See the tree in doc.go.
var (
	bucketMeta         = []byte("meta")
	bucketTokens       = []byte("tokens")
	bucketReports      = []byte("reports")
	bucketBodies       = []byte("bodies")
	bucketSequence     = []byte("sequence")
	bucketByEnterprise = []byte("by_enterprise")
	bucketReplacements = []byte("replacements")
	bucketIdempotency  = []byte("idempotency")
	bucketEvidence     = []byte("evidence")

	keySchemaVersion = []byte("schema_version")
	keyApp           = []byte("app")
	keyCreatedAt     = []byte("created_at")
)

// allBuckets is every bucket of the current schema, for migrations and Check.
var allBuckets = [][]byte{bucketMeta, bucketTokens, bucketReports, bucketBodies, bucketSequence,
	bucketByEnterprise, bucketReplacements, bucketIdempotency, bucketEvidence}

// appMarker is stored under meta/app so a foreign bbolt file (or the
// laptop's database) is recognised.
const appMarker = "digilevel-server"

// enterpriseKey is "<code>/<seq>"; credit codes never contain '/'.
func enterpriseKey(code string, seq uint64) []byte {
	return append([]byte(code+"/"), boltkit.Itob(seq)...)
}
