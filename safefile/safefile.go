// Package safefile is how the program touches files people name on the
// command line or in a dialog: it reads only regular files of a bounded
// size, without blocking on a FIFO or a device, and it writes only through
// a temporary file beside the target that is renamed over it, never over a
// directory, a device, a symbolic link or a database.
//
// A temporary file is locked while it is written. A process killed with
// kill -9 leaves its temporary file behind unlocked; the next Write into the
// same directory removes it.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Error is a file the program refused or could not use. Its message is
// Chinese and names the path; the cause stays reachable with errors.Is/As.
type Error struct {
	// Op is 读取 or 写入.
	Op     string
	Path   string
	Reason string
	Err    error
}

func (e *Error) Error() string { return "无法" + e.Op + " " + e.Path + ": " + e.Reason }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Operations named in an Error.
const (
	opRead  = "读取"
	opWrite = "写入"
)

// Reasons a file is refused, reachable with errors.Is.
var (
	// ErrNotRegular: a directory, device, FIFO, socket or symbolic link.
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLarge: a file over the caller's size limit.
	ErrTooLarge = errors.New("file too large")
	// ErrDatabase: an output path that holds a database.
	ErrDatabase = errors.New("file is a database")
)

// Read reads a whole regular file of at most limit bytes.
func Read(path string, limit int64) ([]byte, error) {
	f, _, err := Open(path, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, ioError(path, err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(path, limit)
	}
	return data, nil
}

// Open opens a regular file of at most limit bytes for reading and returns
// it with its size. Anything else is refused before a byte is read, and
// without waiting: a FIFO is opened non-blocking and refused.
func Open(path string, limit int64) (*os.File, int64, error) {
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, 0, ioError(path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, ioError(path, err)
	}
	if err := regular(opRead, path, fi); err != nil {
		f.Close()
		return nil, 0, err
	}
	if fi.Size() > limit {
		f.Close()
		return nil, 0, tooLarge(path, limit)
	}
	return f, fi.Size(), nil
}

func regular(op, path string, fi fs.FileInfo) error {
	switch m := fi.Mode(); {
	case m.IsRegular():
		return nil
	case m.IsDir() && op == opWrite:
		return &Error{Op: op, Path: path, Reason: "这是一个目录，请给出文件名", Err: ErrNotRegular}
	case m.IsDir():
		return &Error{Op: op, Path: path, Reason: "这是一个目录，请给出文件", Err: ErrNotRegular}
	case m&fs.ModeSymlink != 0:
		return &Error{Op: op, Path: path, Reason: "这是一个符号链接，请直接给出它指向的文件", Err: ErrNotRegular}
	}
	return &Error{Op: op, Path: path, Reason: "不是普通文件（设备、管道或套接字），为安全起见不" + op, Err: ErrNotRegular}
}

func tooLarge(path string, limit int64) error {
	return &Error{Op: opRead, Path: path, Reason: "文件超过 " + sizeText(limit) + "上限", Err: ErrTooLarge}
}

// sizeText writes a byte count the way the limits are stated, spaced to
// stand before a Chinese word ("64 MiB 上限", "3 字节上限").
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB ", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB ", n>>10)
	}
	return fmt.Sprintf("%d 字节", n)
}

// WriteOptions configure Write.
type WriteOptions struct {
	// Mode of the written file (default 0644).
	Mode fs.FileMode
	// AllowDatabase lets the file replace a database file that no process
	// has open: a backup replaces an older backup. A database in use is
	// never replaced.
	AllowDatabase bool
}

// DefaultMode is the mode of written files unless WriteOptions says otherwise.
const DefaultMode fs.FileMode = 0o644

// tempPrefix starts the name of every temporary file Write creates.
const tempPrefix = ".digilevel-tmp-"

// legacyTempPrefixes are temporary files of earlier versions (backups)
// that the cleanup removes too.
var legacyTempPrefixes = []string{".digilevel-backup-"}

// Write writes path atomically: write renders into a locked temporary file
// in the same directory, which is synced and renamed over path. On any
// failure path is left as it was and the temporary file is removed. path
// must not be a directory, device, FIFO, socket or symbolic link, nor a
// database (see WriteOptions.AllowDatabase). Errors about the file are
// *Error; an error of write is returned as is.
func Write(path string, o WriteOptions, write func(io.Writer) error) error {
	if o.Mode == 0 {
		o.Mode = DefaultMode
	}
	if err := checkTarget(path, o); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	CleanStale(dir)
	tmp, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return writeError(path, dir, err)
	}
	name := tmp.Name()
	done := false
	defer func() {
		if !done {
			os.Remove(name)
		}
		tmp.Close()
	}()
	// Locked until closed, so that another process cleaning the directory
	// leaves it alone; a killed process's lock is released by the kernel.
	if err := lockFile(tmp); err != nil {
		return writeError(path, dir, err)
	}
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return writeError(path, dir, err)
	}
	if err := tmp.Chmod(o.Mode); err != nil {
		return writeError(path, dir, err)
	}
	// The target may have changed since the first check (a slow export).
	if err := checkTarget(path, o); err != nil {
		return err
	}
	// Renamed before it is closed, so the lock covers the rename too.
	if err := os.Rename(name, path); err != nil {
		return writeError(path, dir, err)
	}
	done = true
	syncDir(dir)
	return nil
}

// checkTarget refuses to replace anything but a regular file that is not a
// database in use (and not a database at all unless allowed).
func checkTarget(path string, o WriteOptions) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return writeError(path, filepath.Dir(path), err)
	}
	if err := regular(opWrite, path, fi); err != nil {
		return err
	}
	if !isDatabase(path) {
		return nil
	}
	if !o.AllowDatabase {
		return &Error{Op: opWrite, Path: path, Reason: "这是一个数据库文件，不能覆盖；请换一个文件名", Err: ErrDatabase}
	}
	if inUse(path) {
		return &Error{Op: opWrite, Path: path, Reason: "这是一个正在使用的数据库，不能覆盖；请换一个文件名", Err: ErrDatabase}
	}
	return nil
}

// isDatabase reports a bbolt file: the magic number of its first meta page
// (little endian 0xED0CDAED after the 16-byte page header).
func isDatabase(path string) bool {
	f, err := openNonBlocking(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var head [20]byte
	if _, err := io.ReadFull(f, head[:]); err != nil {
		return false
	}
	return head[16] == 0xED && head[17] == 0xDA && head[18] == 0x0C && head[19] == 0xED
}

// CleanStale removes the temporary files that writers killed before they
// finished left in dir: those whose lock is free. It reports how many it
// removed; a file it cannot remove is left alone.
func CleanStale(dir string) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		if !e.Type().IsRegular() || !isTempName(e.Name()) {
			continue
		}
		if removeIfAbandoned(filepath.Join(dir, e.Name())) {
			n++
		}
	}
	return n
}

func isTempName(name string) bool {
	if strings.HasPrefix(name, tempPrefix) {
		return true
	}
	for _, p := range legacyTempPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// ioError explains a file-system error of reading in Chinese.
func ioError(path string, err error) error {
	var errno syscall.Errno
	reason := "读取失败"
	switch {
	case errors.Is(err, fs.ErrNotExist):
		reason = "文件不存在"
	case errors.Is(err, fs.ErrPermission):
		reason = "没有读取权限"
	case errors.As(err, &errno) && errno == syscall.EISDIR:
		reason = "这是一个目录，请给出文件"
	case errors.As(err, &errno) && errno == syscall.ENOTDIR:
		reason = "路径中的上级不是目录"
	}
	return &Error{Op: opRead, Path: path, Reason: reason, Err: err}
}

// writeError explains a file-system error of writing in Chinese.
func writeError(path, dir string, err error) error {
	reason := "写入失败"
	var errno syscall.Errno
	switch {
	case errors.Is(err, fs.ErrPermission):
		reason = "权限不足"
	case errors.As(err, &errno) && errno == syscall.ENOTDIR:
		reason = "上级路径 " + dir + " 不是目录"
	case errors.Is(err, fs.ErrNotExist):
		reason = "目录 " + dir + " 不存在"
	case errors.As(err, &errno) && errno == syscall.ENOSPC:
		reason = "磁盘空间不足"
	case errors.As(err, &errno) && errno == syscall.EROFS:
		reason = "文件系统为只读"
	case errors.As(err, &errno) && errno == syscall.EISDIR:
		reason = "这是一个目录，请给出文件名"
	case errors.As(err, &errno) && errno == syscall.ENAMETOOLONG:
		reason = "文件名过长"
	}
	return &Error{Op: opWrite, Path: path, Reason: reason, Err: err}
}
