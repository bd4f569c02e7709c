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
	bucketRoster       = []byte("roster")
	bucketRosterBatch  = []byte("roster_by_batch")

	// The district dashboard (migration 4).
	bucketSessions      = []byte("sessions")
	bucketRejections    = []byte("rejections")
	bucketRejectionKeys = []byte("rejection_keys")
	bucketExclusions    = []byte("exclusions")

	keySchemaVersion = []byte("schema_version")
	keyApp           = []byte("app")
	keyCreatedAt     = []byte("created_at")
)

// baseBuckets are the buckets of schema version 1 (migration 1 creates them).
var baseBuckets = [][]byte{bucketMeta, bucketTokens, bucketReports, bucketBodies, bucketSequence,
	bucketByEnterprise, bucketReplacements, bucketIdempotency, bucketEvidence}

// dashboardBuckets are the buckets migration 4 creates.
var dashboardBuckets = [][]byte{bucketSessions, bucketRejections, bucketRejectionKeys, bucketExclusions}

// allBuckets is every bucket of the current schema, for Check.
var allBuckets = append(append(append([][]byte{}, baseBuckets...), bucketRoster, bucketRosterBatch), dashboardBuckets...)

// appMarker is stored under meta/app so a foreign bbolt file (or the
// laptop's database) is recognised.
const appMarker = "digilevel-server"

// rosterBatchKey is one byte of batch, then the credit code: a prefix scan
// lists one batch in code order, a full scan every batch in order.
func rosterBatchKey(batch int, code string) []byte {
	return append([]byte{byte(batch)}, code...)
}

// enterpriseKey is "<code>/<seq>"; credit codes never contain '/'.
func enterpriseKey(code string, seq uint64) []byte {
	return append([]byte(code+"/"), boltkit.Itob(seq)...)
}
