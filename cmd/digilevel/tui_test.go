package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestNoTerminalRefuses: without a terminal (a pipe, CI) the TUI refuses in
// Chinese with exit code 2 and points to the CLI; nothing is created.
func TestNoTerminalRefuses(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	stdout, stderr, code := runCLI(t, "", nil, "--db", db)
	wantInputError(t, stdout, stderr, code, "没有终端")
	if !strings.Contains(stderr, "digilevel --help") {
		t.Errorf("stderr does not point to the CLI: %q", stderr)
	}
}

func TestHelpStillPrints(t *testing.T) {
	stdout, _, code := runCLI(t, "", nil, "--help")
	if code != 0 || !strings.Contains(stdout, "--accessible") {
		t.Errorf("--help: code %d, stdout %q", code, stdout)
	}
}

// TestAccessibleWithoutTerminal: --accessible needs only line input.
func TestAccessibleWithoutTerminal(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	stdout, stderr, code := runCLI(t, "李工\n河南甲数字服务有限公司\ny\nq\n", nil, "--db", db, "--accessible")
	if code != 0 || !strings.Contains(stdout, "第 10/15 题") || !strings.Contains(stdout, "已退出") || !strings.Contains(stdout, "已保存评测人与评测机构") {
		t.Errorf("code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
