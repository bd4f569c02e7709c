package storage

// Bucket and key names, declared once. See the tree in doc.go.
var (
	bucketMeta        = []byte("meta")
	bucketKeys        = []byte("keys")
	bucketSettings    = []byte("settings")
	bucketCatalogs    = []byte("catalogs")
	bucketEnterprises = []byte("enterprises")
	bucketAssessments = []byte("assessments")
	bucketReports     = []byte("reports")
	bucketAudit       = []byte("audit")
	bucketOutbox      = []byte("outbox")
	bucketReceipts    = []byte("receipts")
	bucketSummaries   = []byte("summaries")  // since schema v2
	bucketOutboxIDs   = []byte("outbox_ids") // since schema v3
	// Reports of other laptops pulled for a spot-check (since schema v4).
	bucketPulled        = []byte("pulled")         // <id> -> model.PulledReport
	bucketPulledReports = []byte("pulled_reports") // <id> -> signed bytes
	bucketPulledIndex   = []byte("pulled_index")   // <code>/<id> -> nothing
	bucketSolutions     = []byte("solutions")      // since schema v5

	keySchemaVersion = []byte("schema_version")
	keyApp           = []byte("app")
	keyDeviceID      = []byte("device_id")
	keyCreatedAt     = []byte("created_at")
	keyPrivateKey    = []byte("ed25519_private")
	keySummaryCounts = []byte("summary_counts") // since schema v8
)

// appMarker is stored under meta/app so a foreign bbolt file is recognised.
const appMarker = "digilevel"

// enterpriseAuditPrefix marks audit entries of an enterprise rather than an assessment.
const enterpriseAuditPrefix = "E:"
