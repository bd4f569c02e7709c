// Package platform holds what the district platform stores, independent of
// the engine that stores it: the report record and its receipt fields, the
// submission offered for acceptance and its outcomes, access tokens and
// roles, the roster import's counts, the records of the district office's
// dashboard (sessions, refused uploads, Art. 25 findings), and the checks
// every engine runs on
// its reports (Checker), so `serve check` verifies the same invariants on
// bbolt (storage/serverstore) and on PostgreSQL (storage/pgstore).
//
// It imports only model and indicators. The interface the engines
// implement is owned by their caller, sync/server (server.Store).
package platform
