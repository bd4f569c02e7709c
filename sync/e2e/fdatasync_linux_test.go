package e2e

import (
	"os"
	"syscall"
)

// fdatasync flushes a file's data as bbolt does on Linux.
func fdatasync(f *os.File) error { return syscall.Fdatasync(int(f.Fd())) }
