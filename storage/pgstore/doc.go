// Package pgstore keeps the district platform in PostgreSQL, for when one
// bbolt file and one process are no longer enough: any number of
// `digilevel serve` processes share one database, administration (tokens,
// roster, import, check, export) runs while they serve, and the office can
// point its own tools (SQL, BI, pg_dump) at the data. It implements the
// same store as storage/serverstore (server.Store, tested by one
// conformance suite) with pgx and plain SQL, no ORM.
//
// # Schema
//
// Versioned SQL files in migrations/, embedded in the binary and applied in
// order at Open (one transaction each, under an advisory lock, recorded in
// schema_migrations); see migrations/001_base.sql for the tables.
//
// # Exactly once across processes
//
// Every acceptance runs in one READ COMMITTED transaction whose first
// statement locks the single row of sequence_counter (SELECT ... FOR
// UPDATE). The lock is held until commit, so acceptances in all processes
// run one after another: each sees every report committed before it, the
// duplicate, conflict, revision, spot-check link and key-binding rules
// (the same as on bbolt) are decided on current data, and the next sequence number is the
// counter plus one. A transaction that rolls back never changed the
// counter, so no number is lost (a PostgreSQL SEQUENCE would leave a gap
// for every rollback, and would not give numbers in commit order), and the
// numbers are handed out in commit order, which is acceptance order. The
// table constraints back the rules up: the report ID is the primary key,
// the sequence number is unique, at most one revision may name a version
// (UNIQUE replaces), an idempotency key is a primary key referencing its
// report.
//
// Each process gathers the uploads waiting at one moment into one
// transaction (group commit, as on bbolt), taking the lock and reading in
// one pipelined batch and writing in another, so the lock is held for a few
// round trips and one WAL flush per group rather than per upload. Token bindings lock the token row, so a binding
// and a concurrent revoke or rebind are ordered too.
package pgstore
