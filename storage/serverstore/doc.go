// Package serverstore keeps the district platform's side of sync in one
// bbolt file (the embedded default; storage/pgstore is the PostgreSQL
// engine of the same server.Store): the access tokens (only their hashes),
// every accepted report byte for byte with its receipt, the evidence files
// imported from bundles, and the district roster. It follows the habits of package storage: bucket names are
// declared once (buckets.go), every exported method runs in one bbolt
// transaction, bbolt errors become the errors below, and Check verifies
// both bbolt's pages and the invariants that make "exactly once" provable.
//
// # Durability and group commit
//
// A method that changes data returns only after bbolt committed it with
// fdatasync. Put (the one hot write path) hands its work to the committer
// goroutine (platform.GroupCommitter) that runs every Put waiting at that
// moment in one read-write transaction: each Put still commits atomically and durably before it
// returns, but concurrent uploads share the fsync. Business outcomes
// (conflict, key mismatch) are results, never transaction errors, so one
// upload cannot roll back another; a storage error fails the shared
// transaction and every Put in it is retried alone.
//
// # Bucket schema (schema version 4)
//
//	meta/
//	  schema_version   8-byte big-endian uint64
//	  app              "digilevel-server" (tells our file from another bbolt file)
//	  created_at       RFC 3339 UTC
//	tokens/
//	  <token id>       Token JSON: provider, role, expiry, revocation, bound key,
//	                   SHA-256 of the secret (the secret itself is never stored)
//	reports/
//	  <report id>      Record JSON: server sequence, sha256, enterprise, provider,
//	                   replaces, signing key, token, source, received_at; level,
//	                   score, finalized_at and checks copied from the body (v2);
//	                   a spot-check's checks_sha256, checks_kind, checks_org,
//	                   checks_blind from its body's link (v3). Derived on read,
//	                   never stored: replaced_by, checks_state
//	bodies/
//	  <report id>      the report bytes exactly as received (canonical, signed)
//	sequence/          bucket sequence = last server sequence given out
//	  <seq>            report id; seq 8-byte big-endian, acceptance order
//	by_enterprise/
//	  <code>/<seq>     report id; a prefix scan on "<code>/" lists one enterprise
//	replacements/
//	  <replaced id>    id of the revision that replaces it (the first one wins)
//	idempotency/
//	  <key>            "<report id> <sha256>" of the upload that used the key
//	evidence/
//	  <sha256 hex>     content of an evidence file imported from a bundle
//	roster/            (v2)
//	  <credit code>    model.Enterprise JSON of the district roster
//	roster_by_batch/   (v2)
//	  <batch byte><code>  empty; lists the roster by batch, then code
//	sessions/          (v4) the district dashboard's
//	  <sha256 of ID>   platform.Session JSON (the session ID itself is never stored)
//	rejections/        (v4; bucket sequence = last given out)
//	  <seq>            platform.Rejection JSON: a refused upload
//	rejection_keys/    (v4)
//	  <provider\0id\0sha\0code>  seq of the rejection: each refusal kept once
//	exclusions/        (v4; bucket sequence = last given out)
//	  <seq>            platform.Exclusion JSON: the office's Art. 25 finding
//
// Migrations are ordered in migrate.go and run in one transaction at open.
package serverstore
