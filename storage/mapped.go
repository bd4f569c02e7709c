package storage

import (
	"time"

	bolt "go.etcd.io/bbolt"
)

// Long reads (check, export) keep the file pages they map few. bbolt reads
// the file through one shared read-only mapping, and every page a scan
// touches stays resident in the process until released, so a check of a
// 10 GB file would otherwise end with 10 GB resident. Released pages stay
// in the page cache; touching one again maps it again, so slices into the
// mapping stay valid, and releasing while a scan runs loses nothing. The
// mapping cannot move while a transaction is open.
const (
	// releaseAbove is the resident file-backed size past which pages are
	// given back.
	releaseAbove = 32 << 20
	// releaseEveryRecords is how often a scan that counts its records looks.
	releaseEveryRecords = 256
	// watchInterval is how often watchWhile looks: pages already in the
	// page cache map in at hundreds of MB per 100 ms.
	watchInterval = 200 * time.Microsecond
)

// releaseNow gives back the mapped pages of tx when they pass releaseAbove.
// Scans call it every releaseEveryRecords records.
func (db *DB) releaseNow(tx *bolt.Tx) {
	if residentFileBytes() > releaseAbove {
		releaseMapped(db.bolt.Info().Data, tx.Size())
	}
}

// watchWhile runs scan (a walk it cannot count, bbolt's own page check)
// while another goroutine looks every watchInterval and gives the pages
// back when they pass releaseAbove. This bounds the pages resident on
// average, not at every instant: pages already in the page cache map in
// 16 at a time (the kernel's fault-around), hundreds of MB in a few
// milliseconds, and on a busy machine the watcher's thread can wait that
// long for the system's scheduler.
func (db *DB) watchWhile(tx *bolt.Tx, scan func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for {
			select {
			case <-done:
				db.releaseNow(tx)
				return
			default:
			}
			db.releaseNow(tx)
			time.Sleep(watchInterval)
		}
	}()
	scan()
	close(done)
	<-finished
}
