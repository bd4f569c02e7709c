package storage

import "digilevel/storage/internal/boltkit"

// auditKey is "<owner>/<seq>": a prefix scan on "<owner>/" lists one owner's entries in order.
func auditKey(owner string, seq uint64) []byte {
	return append([]byte(owner+"/"), boltkit.Itob(seq)...)
}
