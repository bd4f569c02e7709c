package serverstore

import (
	"errors"
	"fmt"

	"digilevel/model"
	"digilevel/storage/internal/boltkit"
	"digilevel/storage/platform"
)

// ErrLocked is returned by Open when another process (usually the running
// server) holds the database.
var ErrLocked = errors.New("服务器数据库正被另一个进程使用（服务是否正在运行？）")

// ErrNotDatabase is returned by Open for a file that is not a digilevel
// server database (the laptop's database, another program's file, or a
// damaged one).
var ErrNotDatabase = errors.New("不是 digilevel 服务器数据库或文件已损坏")

// ErrNoAccess is returned by Open when the file or its directory cannot be
// written.
var ErrNoAccess = errors.New("没有写入权限（目录或文件只读）")

// ErrTooNew is returned by Open when the file was written by a newer digilevel.
var ErrTooNew = errors.New("服务器数据库由更新版本的 digilevel 创建")

// ErrClosed is returned by Put after Close.
var ErrClosed = platform.ErrClosed

func openError(path string, err error) error {
	switch boltkit.ClassifyOpen(err) {
	case boltkit.OpenLocked:
		return fmt.Errorf("%w: %s", ErrLocked, path)
	case boltkit.OpenNotDatabase:
		return fmt.Errorf("%w: %s（%v）", ErrNotDatabase, path, err)
	case boltkit.OpenNoAccess:
		return fmt.Errorf("无法打开服务器数据库 %s: %w（%v）", path, ErrNoAccess, err)
	}
	return fmt.Errorf("打开服务器数据库 %s: %w", path, err)
}

func notFound(format string, args ...any) error {
	return model.Errorf(model.ErrNotFound, format, args...)
}
