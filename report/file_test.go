package report

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"digilevel/internal/asuser"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

// onlyFiles lists a directory, to see that no temporary file is left.
func onlyFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "报告.html")
	if err := WriteFile(path, writeString("第一版")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	// Overwrite, then fail half-way: the file keeps its last good content.
	if err := WriteFile(path, writeString("第二版")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("渲染失败")
	err = WriteFile(path, func(w io.Writer) error {
		io.WriteString(w, "半截")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("render error = %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "第二版" {
		t.Errorf("content = %q after a failed write", b)
	}
	if names := onlyFiles(t, dir); len(names) != 1 {
		t.Errorf("directory holds %v: a temporary file was left", names)
	}
}

func TestWriteFileErrors(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "普通文件")
	if err := os.WriteFile(regular, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		// A regular file as parent fails even for root.
		{"parent is a file", filepath.Join(regular, "报告.html"), "上级路径 " + regular + " 不是目录"},
		{"missing directory", filepath.Join(dir, "没有这个目录", "报告.html"), "不存在"},
		{"path is a directory", dir, "这是一个目录"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteFile(tt.path, writeString("x"))
			var we *WriteError
			if !errors.As(err, &we) || we.Path != tt.path || !strings.HasPrefix(err.Error(), "无法写入 "+tt.path+": ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("WriteFile(%s) = %v, want 无法写入 … %s", tt.path, err, tt.want)
			}
		})
	}
}

func TestWriteFileReadOnlyDir(t *testing.T) {
	if asuser.Unprivileged(t) {
		return // root ignores permissions: ran as nobody
	}
	dir := filepath.Join(t.TempDir(), "只读")
	if err := os.Mkdir(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	path := filepath.Join(dir, "报告.html")
	err := WriteFile(path, writeString("x"))
	if err == nil {
		t.Fatal("write into a read-only directory succeeded")
	}
	if !errors.Is(err, fs.ErrPermission) || err.Error() != "无法写入 "+path+": 权限不足" {
		t.Errorf("err = %v", err)
	}
}
