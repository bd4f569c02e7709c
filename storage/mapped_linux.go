package storage

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// releaseMapped drops the resident pages of the mapping [data, data+size)
// with madvise(MADV_DONTNEED). size is the transaction's view of the file
// (tx.Size), which bbolt keeps inside its mapping, so no other memory of
// the process is ever touched. For a shared read-only file mapping this
// loses nothing: the pages are read again from the page cache on access.
func releaseMapped(data uintptr, size int64) {
	if data == 0 || size <= 0 {
		return
	}
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, data, uintptr(size), syscall.MADV_DONTNEED)
}

// residentFileBytes is the process's resident file-backed memory (the
// shared field of /proc/self/statm, in pages), mostly bbolt's mapping.
func residentFileBytes() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 3 {
		return 0
	}
	pages, _ := strconv.ParseInt(string(f[2]), 10, 64)
	return pages * int64(os.Getpagesize())
}
