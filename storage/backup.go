package storage

import (
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the database to path while the store
// stays open: the copy is one read transaction, written to a temporary file
// beside path, synced and renamed into place.
func (db *DB) Backup(path string) error {
	abs, _ := filepath.Abs(path)
	self, _ := filepath.Abs(db.path)
	if abs == self {
		return fmt.Errorf("备份文件不能是数据库本身: %s", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".digilevel-backup-*")
	if err != nil {
		return fmt.Errorf("无法写入备份 %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(FileMode); err != nil {
		tmp.Close()
		return err
	}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		_, err := tx.WriteTo(tmp)
		return err
	})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("写入备份 %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("写入备份 %s: %w", path, err)
	}
	return nil
}
