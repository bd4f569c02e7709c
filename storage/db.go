package storage

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// FileMode is the mode of the database file: it holds the signing key.
const FileMode = 0o600

// DirMode is the mode of a data directory the store creates.
const DirMode = 0o700

// DefaultTimeout is how long Open waits for another process's lock.
const DefaultTimeout = time.Second

// Options configure Open.
type Options struct {
	// Timeout bounds the wait for the file lock (default DefaultTimeout).
	// bbolt waits forever with 0, so Open never passes 0.
	Timeout time.Duration
	// ReadOnly opens without writing (no migration, no key creation).
	ReadOnly bool
	// Now is the clock (default time.Now); tests inject a fixed one.
	Now func() time.Time
	// NoSync skips fdatasync; only benchmarks and seeding use it.
	NoSync bool
	// VerifyReport checks a stored signed report (default
	// model.VerifyReport); tests count verifications through it.
	VerifyReport func([]byte) (model.ReportDocument, error)
}

// DB is the store. It is safe for concurrent use; bbolt serialises writers.
type DB struct {
	bolt *bolt.DB
	path string
	now  func() time.Time
	// verify is Options.VerifyReport: every verification of this laptop's
	// own stored reports goes through it.
	verify func([]byte) (model.ReportDocument, error)

	mu       sync.Mutex
	catalogs map[string]*indicators.Catalog  // parsed catalogs by hash
	planning map[string]*indicators.Planning // planning data by catalog hash

	// checkProgress, when set (by tests), is called after Check has checked
	// each assessment.
	checkProgress func()
	// summaryDecoded, when set (by tests), is called for each summary
	// Summaries or SummaryPage decodes.
	summaryDecoded func()
}

// DefaultPath is where the database lives unless --db says otherwise:
// $DIGILEVEL_DB, else $XDG_DATA_HOME/digilevel/digilevel.db, else
// ~/.local/share/digilevel/digilevel.db.
func DefaultPath(getenv func(string) string) (string, error) {
	if p := getenv("DIGILEVEL_DB"); p != "" {
		return p, nil
	}
	if x := getenv("XDG_DATA_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "digilevel", "digilevel.db"), nil
	}
	home := getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("找不到用户主目录，请用 --db 指定数据库路径: %w", err)
		}
		home = h
	}
	return filepath.Join(home, ".local", "share", "digilevel", "digilevel.db"), nil
}

// Open opens (or creates) the database at path, migrates it to the current
// schema in one transaction and makes sure the installation has its device
// ID and signing key.
func Open(path string, opts Options) (*DB, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.VerifyReport == nil {
		opts.VerifyReport = model.VerifyReport
	}
	if !opts.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), DirMode); errors.Is(err, syscall.ENOTDIR) || errors.Is(err, fs.ErrExist) {
			return nil, model.Errorf(model.ErrInvalid, "数据库路径 %s 无效: 上级路径不是目录", path)
		} else if err != nil {
			return nil, openError(path, err)
		}
	}
	// bbolt would open a device or a FIFO (and /dev/null "works" until the
	// first read, a FIFO blocks): only a regular file can be a database.
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, model.Errorf(model.ErrInvalid, "数据库路径 %s 是一个目录，请给出文件", path)
	} else if err == nil && !fi.Mode().IsRegular() {
		return nil, &pathError{kind: ErrNotDatabase, path: path, cause: errors.New("不是普通文件（设备、管道或套接字）")}
	}
	bdb, err := bolt.Open(path, FileMode, &bolt.Options{
		Timeout:  opts.Timeout,
		ReadOnly: opts.ReadOnly,
		// The free-page list is written at each commit: skipping it saved
		// ~7% per commit but made every open scan the whole file (~50 ms on
		// 10,000 enterprises), which the first frame of the TUI pays for.
		NoFreelistSync: false,
		FreelistType:   bolt.FreelistMapType,
		NoSync:         opts.NoSync,
	})
	if err != nil {
		return nil, openError(path, err)
	}
	db := &DB{bolt: bdb, path: path, now: opts.Now, verify: opts.VerifyReport, catalogs: map[string]*indicators.Catalog{}, planning: map[string]*indicators.Planning{}}
	if opts.ReadOnly {
		err = bdb.View(func(tx *bolt.Tx) error { return checkReadable(tx, path) })
	} else if db.needsInit() {
		// Only write when something is missing: a no-op Update would still
		// cost a commit with two fdatasyncs at every start.
		err = bdb.Update(func(tx *bolt.Tx) error { return db.initialize(tx) })
	}
	if err != nil {
		bdb.Close()
		return nil, err
	}
	return db, nil
}

// Close releases the file and its lock.
func (db *DB) Close() error { return db.bolt.Close() }

// Path is the database file.
func (db *DB) Path() string { return db.path }

// initialize recognises the file, migrates it and creates the identity.
func (db *DB) initialize(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		foreign := false
		_ = tx.ForEach(func(name []byte, _ *bolt.Bucket) error { foreign = true; return nil })
		if foreign {
			return &pathError{kind: ErrNotDatabase, path: db.path, cause: errors.New("文件属于其他程序")}
		}
	} else if string(meta.Get(keyApp)) != appMarker {
		return &pathError{kind: ErrNotDatabase, path: db.path, cause: errors.New("缺少 digilevel 标记")}
	}
	if err := migrate(tx); err != nil {
		return err
	}
	meta = tx.Bucket(bucketMeta)
	if meta.Get(keyDeviceID) == nil {
		id, err := model.NewID(db.now(), nil)
		if err != nil {
			return err
		}
		if err := meta.Put(keyDeviceID, []byte("DEV-"+id)); err != nil {
			return err
		}
		if err := meta.Put(keyCreatedAt, []byte(db.now().UTC().Format(time.RFC3339))); err != nil {
			return err
		}
	}
	keys := tx.Bucket(bucketKeys)
	if keys.Get(keyPrivateKey) == nil {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return fmt.Errorf("create signing key: %w", err)
		}
		if err := keys.Put(keyPrivateKey, priv); err != nil {
			return err
		}
	}
	return nil
}

// needsInit reports whether the file lacks the marker, the current schema
// or the installation identity.
func (db *DB) needsInit() bool {
	need := true
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		meta, keys := tx.Bucket(bucketMeta), tx.Bucket(bucketKeys)
		need = meta == nil || keys == nil || string(meta.Get(keyApp)) != appMarker ||
			boltkit.Btoi(meta.Get(keySchemaVersion)) != uint64(len(migrations)) ||
			meta.Get(keyDeviceID) == nil || keys.Get(keyPrivateKey) == nil
		return nil
	})
	return need
}

func checkReadable(tx *bolt.Tx, path string) error {
	meta := tx.Bucket(bucketMeta)
	if meta == nil || string(meta.Get(keyApp)) != appMarker {
		return &pathError{kind: ErrNotDatabase, path: path}
	}
	if v := boltkit.Btoi(meta.Get(keySchemaVersion)); v != uint64(len(migrations)) {
		return fmt.Errorf("数据库结构版本 %d，本程序为 %d，请先以读写方式打开一次以完成升级: %w", v, len(migrations), model.ErrInvalid)
	}
	return nil
}

// DeviceID identifies this installation.
func (db *DB) DeviceID() (string, error) {
	var id string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		id = string(tx.Bucket(bucketMeta).Get(keyDeviceID))
		return nil
	})
	return id, err
}

// PublicKey is the installation's signing public key.
func (db *DB) PublicKey() (ed25519.PublicKey, error) {
	var pub ed25519.PublicKey
	err := db.bolt.View(func(tx *bolt.Tx) error {
		priv := tx.Bucket(bucketKeys).Get(keyPrivateKey)
		if len(priv) != ed25519.PrivateKeySize {
			return fmt.Errorf("签名密钥损坏: %w", ErrNotDatabase)
		}
		pub = append(ed25519.PublicKey(nil), ed25519.PrivateKey(priv).Public().(ed25519.PublicKey)...)
		return nil
	})
	return pub, err
}

// signingKey reads the private key inside a transaction; it never leaves the package.
func signingKey(tx *bolt.Tx) (ed25519.PrivateKey, error) {
	priv := tx.Bucket(bucketKeys).Get(keyPrivateKey)
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("签名密钥损坏: %w", ErrNotDatabase)
	}
	return append(ed25519.PrivateKey(nil), priv...), nil
}

// checkChange is change after model.Change.Validate: who and why follow the
// shared text rule before they reach the audit log.
func (db *DB) checkChange(c model.Change) (model.Change, error) {
	if err := c.Validate(); err != nil {
		return c, err
	}
	return db.change(c), nil
}

// change fills the time of a change from the store's clock when unset.
func (db *DB) change(c model.Change) model.Change {
	if c.Now.IsZero() {
		c.Now = db.now()
	}
	c.Now = c.Now.UTC()
	return c
}
