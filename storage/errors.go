package storage

import (
	"errors"
	"fmt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
)

// ErrLocked is returned by Open when another process holds the database.
var ErrLocked = errors.New("数据库正被另一个 digilevel 进程使用")

// ErrNotDatabase is returned by Open for a file that is not a digilevel
// database (another program's file, or a damaged one).
var ErrNotDatabase = errors.New("不是 digilevel 数据库或文件已损坏")

// ErrNoAccess is returned by Open when the file or its directory cannot be written.
var ErrNoAccess = errors.New("没有写入权限（目录或文件只读）")

// ErrTooNew is returned by Open when the file was written by a newer digilevel.
var ErrTooNew = errors.New("数据库由更新版本的 digilevel 创建")

// pathError wraps a sentinel with the path so the message reads
// "数据库正被另一个 digilevel 进程使用: /path".
type pathError struct {
	kind  error
	path  string
	cause error
}

func (e *pathError) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%v: %s（%v）", e.kind, e.path, e.cause)
	}
	return fmt.Sprintf("%v: %s", e.kind, e.path)
}

func (e *pathError) Is(target error) bool { return target == e.kind }
func (e *pathError) Unwrap() error        { return e.cause }

// openError explains why a file could not be opened as a database.
func openError(path string, err error) error {
	switch boltkit.ClassifyOpen(err) {
	case boltkit.OpenLocked:
		return &pathError{kind: ErrLocked, path: path}
	case boltkit.OpenNotDatabase:
		return &pathError{kind: ErrNotDatabase, path: path, cause: err}
	case boltkit.OpenNoAccess:
		return &pathError{kind: ErrNoAccess, path: path, cause: err}
	}
	return fmt.Errorf("打开数据库 %s: %w", path, err)
}

// notFound wraps model.ErrNotFound with the object's description.
func notFound(format string, args ...any) error {
	return model.Errorf(model.ErrNotFound, format, args...)
}

// missingBucket reports a bucket that should exist after migrations.
func missingBucket(name []byte) error {
	return fmt.Errorf("数据库结构不完整: 缺少 %s: %w", name, ErrNotDatabase)
}
