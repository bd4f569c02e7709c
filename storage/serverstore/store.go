package serverstore

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
	"digilevel/storage/platform"
)

// FileMode is the mode of the database file.
const FileMode = 0o600

// DefaultTimeout is how long Open waits for another process's lock.
const DefaultTimeout = time.Second

// maxGroup bounds how many Puts share one transaction.
const maxGroup = 256

// Options configure Open.
type Options struct {
	// Timeout bounds the wait for the file lock (default DefaultTimeout).
	Timeout time.Duration
	// ReadOnly opens without writing (no migration); Put and the token
	// methods then fail.
	ReadOnly bool
	// Now is the clock (default time.Now).
	Now func() time.Time
	// NoSync skips fdatasync; only tests that measure nothing durable use it.
	NoSync bool
}

// Store is the server database. It is safe for concurrent use.
type Store struct {
	bolt *bolt.DB
	path string
	now  func() time.Time

	committer *platform.GroupCommitter
	closeOnce sync.Once
}

// Open opens (or creates) the server database at path and migrates it in
// one transaction.
func Open(path string, opts Options) (*Store, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if !opts.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, openError(path, err)
		}
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("服务器数据库路径 %s 是一个目录: %w", path, model.ErrInvalid)
	} else if opts.ReadOnly && err != nil {
		return nil, openError(path, err)
	}
	bdb, err := bolt.Open(path, FileMode, &bolt.Options{
		Timeout:  opts.Timeout,
		ReadOnly: opts.ReadOnly,
		// The server opens its file once and commits all day: skip writing
		// the free-page list at each commit (opening scans the file instead).
		NoFreelistSync: true,
		FreelistType:   bolt.FreelistMapType,
		NoSync:         opts.NoSync,
	})
	if err != nil {
		return nil, openError(path, err)
	}
	s := &Store{bolt: bdb, path: path, now: opts.Now}
	if opts.ReadOnly {
		err = bdb.View(func(tx *bolt.Tx) error { return s.checkReadable(tx) })
	} else if s.needsInit() {
		err = bdb.Update(func(tx *bolt.Tx) error { return s.initialize(tx) })
	}
	if err != nil {
		bdb.Close()
		return nil, err
	}
	s.committer = platform.NewGroupCommitter(maxGroup, s.commitGroup)
	return s, nil
}

// Close waits for Puts in progress, then releases the file and its lock.
// Puts that start after Close fail with ErrClosed.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		s.committer.Close()
		err = s.bolt.Close()
	})
	return err
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

func (s *Store) initialize(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		foreign := false
		_ = tx.ForEach(func(_ []byte, _ *bolt.Bucket) error { foreign = true; return nil })
		if foreign {
			return fmt.Errorf("%w: %s（文件属于其他程序，或是笔记本端数据库）", ErrNotDatabase, s.path)
		}
	} else if string(meta.Get(keyApp)) != appMarker {
		return fmt.Errorf("%w: %s（缺少服务器数据库标记）", ErrNotDatabase, s.path)
	}
	if err := migrate(tx); err != nil {
		return err
	}
	meta = tx.Bucket(bucketMeta)
	if meta.Get(keyCreatedAt) == nil {
		return meta.Put(keyCreatedAt, []byte(s.now().UTC().Format(time.RFC3339)))
	}
	return nil
}

// needsInit reports whether the file lacks the marker or the current schema,
// so an up-to-date file is opened without a write (and its two fsyncs).
func (s *Store) needsInit() bool {
	need := true
	_ = s.bolt.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		need = meta == nil || string(meta.Get(keyApp)) != appMarker ||
			boltkit.Btoi(meta.Get(keySchemaVersion)) != uint64(len(migrations)) || meta.Get(keyCreatedAt) == nil
		return nil
	})
	return need
}

func (s *Store) checkReadable(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta == nil || string(meta.Get(keyApp)) != appMarker {
		return fmt.Errorf("%w: %s", ErrNotDatabase, s.path)
	}
	if v := boltkit.Btoi(meta.Get(keySchemaVersion)); v != uint64(len(migrations)) {
		return fmt.Errorf("服务器数据库结构版本 %d，本程序为 %d，请先以读写方式打开一次以完成升级: %w", v, len(migrations), model.ErrInvalid)
	}
	return nil
}

// commitGroup decides and stores a group of Puts in one transaction (see
// platform.GroupCommitter). put never returns a business outcome as an
// error, so an error rolls back the whole group.
func (s *Store) commitGroup(group []*platform.PutRequest) error {
	return s.bolt.Update(func(tx *bolt.Tx) error {
		for _, r := range group {
			res, err := s.put(tx, r.Sub)
			if err != nil {
				return err
			}
			r.Result = res
		}
		return nil
	})
}
