package storage

import (
	"os"
	"syscall"
)

// fdatasync flushes a file's data as bbolt does on Linux (no inode-only
// metadata such as the modification time).
func fdatasync(f *os.File) error { return syscall.Fdatasync(int(f.Fd())) }
