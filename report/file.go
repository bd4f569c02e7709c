package report

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// WriteError is a file that could not be written. Its message is Chinese
// and names the path; the cause stays reachable with errors.Is/As.
type WriteError struct {
	Path   string
	Reason string
	Err    error
}

func (e *WriteError) Error() string { return "无法写入 " + e.Path + ": " + e.Reason }

// Unwrap returns the cause.
func (e *WriteError) Unwrap() error { return e.Err }

// FileMode is the mode of every written file: readable, never executable.
const FileMode fs.FileMode = 0o644

// WriteFile writes a file atomically: write renders into a temporary file
// in the same directory, which is synced, set to mode 0644 and renamed over
// path. On any failure path is left as it was and the temporary file is
// removed. Errors about the file itself are *WriteError; an error of write
// is returned as is.
func WriteFile(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return &WriteError{Path: path, Reason: "这是一个目录，请给出文件名", Err: fs.ErrExist}
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return writeError(path, dir, err)
	}
	name := tmp.Name()
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return writeError(path, dir, err)
	}
	if err := tmp.Chmod(FileMode); err != nil {
		return writeError(path, dir, err)
	}
	if err := tmp.Close(); err != nil {
		return writeError(path, dir, err)
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		done = true
		return writeError(path, dir, err)
	}
	done = true
	return nil
}

// writeError explains a file-system error in Chinese.
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
	return &WriteError{Path: path, Reason: reason, Err: err}
}
