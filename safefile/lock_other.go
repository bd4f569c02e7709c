//go:build !unix

package safefile

import (
	"os"
	"time"
)

// Without flock, a temporary file counts as abandoned after a day, and a
// database is taken to be in use (it is never replaced).

func openNonBlocking(path string) (*os.File, error) { return os.Open(path) }

func lockFile(*os.File) error { return nil }

func removeIfAbandoned(path string) bool {
	fi, err := os.Stat(path)
	if err != nil || time.Since(fi.ModTime()) < 24*time.Hour {
		return false
	}
	return os.Remove(path) == nil
}

func inUse(string) bool { return true }

func syncDir(string) {}
