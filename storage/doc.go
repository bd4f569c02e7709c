// Package storage keeps digilevel's data in one bbolt file on the laptop.
// It is the only package that imports bbolt; it takes and returns model
// types and turns bbolt errors into model sentinels or the errors below.
//
// # Durability
//
// Every exported method that changes data runs in exactly one bbolt
// read-write transaction and returns only after bbolt has committed it with
// fdatasync. An answer the caller was told is saved survives a crash, a kill
// or a power cut. Nothing unsent (finalized, queued, send_failed, rejected)
// is ever deleted.
//
// # Bucket schema (schema version 8)
//
//	meta/
//	  schema_version   8-byte big-endian uint64
//	  app              "digilevel" (tells our file from another bbolt file)
//	  device_id        random ID of this installation
//	  created_at       RFC 3339 UTC
//	  summary_counts   SummaryCounts JSON: enterprises in the summary index and
//	                   their assessments by state, changed with the index (since v8)
//	keys/
//	  ed25519_private  installation signing key (never exported)
//	settings/
//	  <name>           string value (server_url, token, assessor_org, ...)
//	catalogs/
//	  <sha256 hex>     canonical catalog JSON of every catalog an assessment uses
//	enterprises/
//	  <credit code>    model.Enterprise JSON
//	assessments/
//	  <assessment id>  model.Assessment JSON (IDs sort by creation time)
//	reports/
//	  <assessment id>  signed canonical report bytes, written once at finalize
//	audit/
//	  <id>/<seq>       model.AuditEntry JSON; id is an assessment ID or "E:"+code,
//	                   seq the bucket sequence as 8-byte big-endian
//	outbox/
//	  <seq>            OutboxItem JSON, FIFO by seq (8-byte big-endian)
//	receipts/
//	  <assessment id>  Receipt JSON from the platform
//	summaries/                                                     (since v2)
//	  <credit code>    EnterpriseSummary, compact binary (summarycodec.go): the home list index
//	                   and the roll-up export's source (codec 2 since v7)
//	outbox_ids/                                                    (since v3)
//	  <assessment id>  8-byte seq of its outbox item, so a receipt or an error
//	                   finds its item without scanning the queue
//	pulled/                                                        (since v4)
//	  <report id>      model.PulledReport JSON: another laptop's finalized report
//	                   pulled for a spot-check, with its origin (platform receipt
//	                   or bundle); written once, never changed
//	pulled_reports/
//	  <report id>      its signed canonical bytes, as received
//	pulled_index/
//	  <code>/<id>      empty: the pulled reports of an enterprise
//	solutions/                                                     (since v5)
//	  <solution id>    model.Solution JSON: the 小快轻准 solution pool
//	evidence/                                                      (since v6)
//	  <sha256 hex>     content of an evidence file, stored once per content
//	evidence_uses/                                                 (since v6)
//	  <sha256>/<assessment id>/<item>  "" : which draft or report names the
//	                   file; the content goes with its last use
//
// Migrations are ordered in migrate.go and run in one transaction at open.
package storage
