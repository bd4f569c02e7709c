package storage

import "syscall"

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
