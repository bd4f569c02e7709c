package storage

import bolt "go.etcd.io/bbolt"

// releaseEvery is how many records a long read (check, export) reads
// between two releases of the mapped file pages.
const releaseEvery = 2000

// releaser returns a function to call after each record of a long read
// transaction: every releaseEvery calls it hands the file pages bbolt has
// mapped back to the system. bbolt reads the file through one shared
// read-only mapping, and every page a scan touches stays resident in the
// process until released, so a check of a 10 GB file would otherwise
// end with 10 GB resident. Released pages are still in the page cache;
// touching them again maps them again, so slices into the mapping stay
// valid.
func (db *DB) releaser(tx *bolt.Tx) func() {
	n := 0
	return func() {
		n++
		if n%releaseEvery == 0 {
			releaseMapped(db.bolt.Info().Data, tx.Size())
		}
	}
}
