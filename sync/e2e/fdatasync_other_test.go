//go:build !linux

package e2e

import "os"

// fdatasync is fsync where the system has no fdatasync (bbolt does the same).
func fdatasync(f *os.File) error { return f.Sync() }
