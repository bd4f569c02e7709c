// Package attach reads the files a consultant offers as evidence: it turns
// what was typed or dropped into a terminal into paths (quoted, escaped,
// file:// URLs, ~), and reads a file whole only when it is a regular file
// within the size limit, without ever blocking on a FIFO or a device. The
// TUI and the CLI both use it, before they open or lock the database.
package attach

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"digilevel/model"
)

// File is a file read for attaching.
type File struct {
	// Path is absolute and cleaned.
	Path   string
	Size   int64
	SHA256 string
	Data   []byte
}

// Evidence is the record of the file in an assessment.
func (f File) Evidence() model.Evidence {
	return model.Evidence{Path: f.Path, SHA256: f.SHA256, Size: f.Size}
}

// Read reads the file at path whole. It refuses (with a Chinese error that
// wraps model.ErrInvalid) anything but a regular file, and a file larger
// than limit bytes; limit is capped at model.MaxEvidenceSize. The size is
// checked before reading and again while reading, so a file that grows
// cannot make it read more.
func Read(path string, limit int64) (File, error) {
	if limit <= 0 || limit > model.MaxEvidenceSize {
		limit = model.MaxEvidenceSize
	}
	path = expandHome(path)
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	fi, err := os.Stat(path)
	if err != nil {
		return File{}, statError(path, err)
	}
	if err := regular(path, fi, limit); err != nil {
		return File{}, err
	}
	// Non-blocking: a FIFO swapped in after the Stat must not hang the
	// open; Fstat below then refuses it.
	f, err := openNonBlocking(path)
	if err != nil {
		return File{}, statError(path, err)
	}
	defer f.Close()
	fi2, err := f.Stat()
	if err != nil {
		return File{}, statError(path, err)
	}
	if err := regular(path, fi2, limit); err != nil {
		return File{}, err
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return File{}, model.Errorf(model.ErrInvalid, "无法读取 %s: %s", path, plainError(err))
	}
	if int64(len(data)) > limit {
		return File{}, tooLarge(path, int64(len(data)), limit)
	}
	sum := sha256.Sum256(data)
	return File{Path: path, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Data: data}, nil
}

func regular(path string, fi fs.FileInfo, limit int64) error {
	switch m := fi.Mode(); {
	case m.IsDir():
		return model.Errorf(model.ErrInvalid, "%s 是一个文件夹，请给出其中的文件", path)
	case m&fs.ModeNamedPipe != 0:
		return model.Errorf(model.ErrInvalid, "%s 是管道（FIFO），不是普通文件，不能作为佐证材料", path)
	case m&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return model.Errorf(model.ErrInvalid, "%s 是设备文件，不是普通文件，不能作为佐证材料", path)
	case !m.IsRegular():
		return model.Errorf(model.ErrInvalid, "%s 不是普通文件，不能作为佐证材料", path)
	case fi.Size() > limit:
		return tooLarge(path, fi.Size(), limit)
	}
	return nil
}

func tooLarge(path string, size, limit int64) error {
	return model.Errorf(model.ErrInvalid, "%s 有 %s，超过佐证材料上限 %s: 请压缩或拆分后再添加（上限在「设置」中，最高 %s）",
		path, Size(size), Size(limit), Size(model.MaxEvidenceSize))
}

func statError(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return model.Errorf(model.ErrInvalid, "文件 %s 不存在: 请检查路径（可直接把文件拖进终端）", path)
	case errors.Is(err, fs.ErrPermission):
		return model.Errorf(model.ErrInvalid, "没有权限读取 %s", path)
	}
	return model.Errorf(model.ErrInvalid, "无法读取 %s: %s", path, plainError(err))
}

// plainError drops Go's "op path:" prefix, keeping the system's reason.
func plainError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Size formats a byte count for people: 512 B, 1.5 KB, 3.2 MB, 2.0 GB.
func Size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[1:])
		}
	}
	return p
}

// Paths turns what was typed or dropped into an input line into file
// paths. Terminals paste a dropped file as a quoted path ('现场 照片 1.jpg'),
// a backslash-escaped one (现场\ 照片\ 1.jpg) or a file:// URL, several
// files separated by spaces. A line that as a whole names an existing file
// is that one file, so a path with unescaped spaces typed by hand works
// too. exists reports whether a path names something (os.Stat in use).
func Paths(typed string, exists func(string) bool) []string {
	s := strings.TrimSpace(typed)
	if s == "" {
		return nil
	}
	if exists(expandHome(s)) {
		return []string{s}
	}
	var out []string
	for _, w := range shellWords(s) {
		out = append(out, fromURL(w))
	}
	return out
}

// Exists is the exists function of Paths for the real file system.
func Exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// fromURL turns file:///a%20b into /a b; anything else is returned as is.
func fromURL(w string) string {
	if !strings.HasPrefix(strings.ToLower(w), "file://") {
		return w
	}
	u, err := url.Parse(w)
	if err != nil || (u.Host != "" && u.Host != "localhost") {
		return w
	}
	return u.Path
}

// shellWords splits s the way a POSIX shell splits words: single quotes
// keep everything, double quotes keep everything but \" and \\, a
// backslash outside quotes escapes the next character.
func shellWords(s string) []string {
	var out []string
	var b strings.Builder
	inWord := false
	var quote rune
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			b.WriteRune(r)
			escaped = false
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				b.WriteRune(r)
			}
		case quote == '"':
			switch r {
			case '"':
				quote = 0
			case '\\':
				escaped = true
			default:
				b.WriteRune(r)
			}
		case r == '\\':
			escaped, inWord = true, true
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case unicode.IsSpace(r):
			if inWord {
				out = append(out, b.String())
				b.Reset()
				inWord = false
			}
		default:
			b.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		out = append(out, b.String())
	}
	return out
}
