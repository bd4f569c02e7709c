package report

import (
	"io"
	"io/fs"

	"digilevel/safefile"
)

// WriteError is a file that could not be written (or was refused: a
// directory, a device, a link, a database). Its message is Chinese and
// names the path; the cause stays reachable with errors.Is/As.
type WriteError = safefile.Error

// FileMode is the mode of every written file: readable, never executable.
const FileMode fs.FileMode = safefile.DefaultMode

// WriteFile writes a report file atomically with safefile.Write: write
// renders into a temporary file in the same directory, which is synced,
// set to mode 0644 and renamed over path. On any failure path is left as it
// was and the temporary file is removed. path must be a new or a regular
// file that is not a database. Errors about the file itself are
// *WriteError; an error of write is returned as is.
func WriteFile(path string, write func(io.Writer) error) error {
	return safefile.Write(path, safefile.WriteOptions{Mode: FileMode}, write)
}
