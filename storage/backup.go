package storage

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"

	"digilevel/safefile"
)

// Backup writes a consistent copy of the database to path while the store
// stays open: the copy is one read transaction, written with safefile.Write
// (a locked temporary file beside path, synced and renamed into place, so a
// backup killed half-way leaves nothing the next one does not remove). path
// may be an older backup, never a database in use (this one included), a
// directory or a device.
func (db *DB) Backup(path string) error {
	abs, _ := filepath.Abs(path)
	self, _ := filepath.Abs(db.path)
	if abs == self {
		return fmt.Errorf("备份文件不能是数据库本身: %s", path)
	}
	if fi, err := os.Stat(path); err == nil {
		if me, err := os.Stat(db.path); err == nil && os.SameFile(fi, me) {
			return fmt.Errorf("备份文件不能是数据库本身: %s", path)
		}
	}
	return safefile.Write(path, safefile.WriteOptions{Mode: FileMode, AllowDatabase: true}, func(w io.Writer) error {
		return db.bolt.View(func(tx *bolt.Tx) error {
			_, err := tx.WriteTo(w)
			return err
		})
	})
}
