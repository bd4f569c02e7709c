// Package boltkit holds the bbolt habits both stores share (the laptop's
// storage and the server's storage/serverstore): the JSON record codec,
// sortable sequence keys, the ordered migration runner and the
// classification of bbolt's open errors.
package boltkit

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"syscall"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Encode is the record codec: JSON, so any tool can read a record and
// fields can be added without a migration.
func Encode(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode record: %w", err)
	}
	return b, nil
}

// Decode copies a record out of the transaction's memory by unmarshalling.
func Decode(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode record: %w", err)
	}
	return nil
}

// PutJSON encodes v and puts it under key.
func PutJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := Encode(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

// Itob encodes a sequence number so keys sort numerically.
func Itob(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

// Btoi decodes Itob; anything but 8 bytes is 0.
func Btoi(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// Migration moves a schema from Version-1 to Version.
type Migration struct {
	Version int
	Name    string
	Apply   func(tx *bolt.Tx) error
}

// TooNewError says the file has a schema newer than this program knows.
type TooNewError struct{ Have, Max int }

func (e *TooNewError) Error() string {
	return fmt.Sprintf("文件结构版本 %d，本程序只支持到 %d，请升级 digilevel", e.Have, e.Max)
}

// Migrate runs the pending migrations inside tx (so a failure leaves the
// file as it was) and records the version under meta/versionKey. The list
// must be ordered and numbered 1, 2, 3...
func Migrate(tx *bolt.Tx, meta, versionKey []byte, ms []Migration) error {
	current := 0
	if b := tx.Bucket(meta); b != nil {
		current = int(Btoi(b.Get(versionKey)))
	}
	if current > len(ms) {
		return &TooNewError{Have: current, Max: len(ms)}
	}
	for _, m := range ms[current:] {
		if err := m.Apply(tx); err != nil {
			return fmt.Errorf("数据库升级 %d（%s）失败: %w", m.Version, m.Name, err)
		}
		b := tx.Bucket(meta)
		if b == nil {
			return fmt.Errorf("数据库升级 %d（%s）没有创建 %s", m.Version, m.Name, meta)
		}
		if err := b.Put(versionKey, Itob(uint64(m.Version))); err != nil {
			return err
		}
	}
	return nil
}

// OpenFailure classifies an error from bolt.Open.
type OpenFailure int

// Kinds of open failure.
const (
	OpenOther       OpenFailure = iota
	OpenLocked                  // another process holds the lock
	OpenNotDatabase             // not a bbolt file, or a damaged one
	OpenNoAccess                // the file or its directory is not writable
)

// ClassifyOpen tells why bolt.Open failed.
func ClassifyOpen(err error) OpenFailure {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return OpenLocked
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrChecksum):
		return OpenNotDatabase
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EROFS):
		return OpenNoAccess
	}
	return OpenOther
}
