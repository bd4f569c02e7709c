package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs the binary's entry point in-process.
func runCLI(t *testing.T, stdin string, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code = run(context.Background(), args, streams{in: strings.NewReader(stdin), out: &out, err: &errb}, getenv)
	return out.String(), errb.String(), code
}

// wantInputError asserts the contract for bad input: exit code 2, nothing on
// stdout, a Chinese message on stderr containing want.
func wantInputError(t *testing.T, stdout, stderr string, code int, want string) {
	t.Helper()
	if code != exitInput || stdout != "" || !strings.Contains(stderr, want) || !strings.HasPrefix(stderr, "digilevel: 错误: ") {
		t.Errorf("code %d, stdout %q, stderr %q; want code 2, empty stdout, stderr containing %q", code, stdout, stderr, want)
	}
}

func TestCatalogCommands(t *testing.T) {
	out, _, code := runCLI(t, "", nil, "catalog", "validate")
	if code != 0 || !strings.Contains(out, "指标目录有效") || !strings.Contains(out, "SHA-256: ") {
		t.Errorf("validate: %d %q", code, out)
	}
	out, _, code = runCLI(t, "", nil, "catalog", "show")
	if code != 0 || !strings.Contains(out, "Q11 数字化管理 › 要素保障 › 资金保障") || !strings.Contains(out, "二级: 得分 ≥ 40，且不少于 6 个场景达到二级（其中约束性不少于 3 个）") {
		t.Errorf("show: %d\n%s", code, out)
	}
	out, _, code = runCLI(t, "", nil, "catalog", "show", "--json")
	var doc struct {
		Hash      string            `json:"hash"`
		Scenarios []json.RawMessage `json:"scenarios"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 0 || len(doc.Hash) != 64 || len(doc.Scenarios) != 16 {
		t.Errorf("show --json: %d %v %+v", code, err, doc)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "city.json")
	os.WriteFile(bad, []byte(`{"format":1,"edition":"x"}`), 0o600)
	out, errs, code := runCLI(t, "", nil, "catalog", "validate", bad)
	wantInputError(t, out, errs, code, "city.json")
	out, errs, code = runCLI(t, "", nil, "catalog", "validate", filepath.Join(dir, "missing.json"))
	wantInputError(t, out, errs, code, "missing.json")
}

func TestScoreCommand(t *testing.T) {
	out, errs, code := runCLI(t, "", nil, "score", "testdata/answers-complete.json")
	if code != 0 || errs != "" {
		t.Fatalf("score: %d %s", code, errs)
	}
	for _, want := range []string{"总得分 48.6 / 100，等级: 二级", "二级: 得分 48.6 ≥ 40 ✓; 达到二级的场景 7/6 ✓; 其中约束性 5/3 ✓", "达到三级的最省力改动", "数据矛盾 Q03"} {
		if !strings.Contains(out, want) {
			t.Errorf("plain output lacks %q:\n%s", want, out)
		}
	}
	data, _ := os.ReadFile("testdata/answers-complete.json")
	out, _, code = runCLI(t, string(data), nil, "score", "--json", "-")
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("score --json: %d %v", code, err)
	}
	for _, key := range []string{"score", "dimensions", "scenario_levels", "level", "reasons", "next_level", "target"} {
		if _, ok := rep[key]; !ok {
			t.Errorf("JSON lacks %q", key)
		}
	}
	if rep["score"].(float64) != 48.6 || rep["level"].(float64) != 2 {
		t.Errorf("score %v level %v", rep["score"], rep["level"])
	}
	if next := rep["next_level"].(map[string]any); next["target"].(float64) != 3 {
		t.Errorf("next_level target %v", next["target"])
	}
}

func TestScoreCommandBadInput(t *testing.T) {
	partial := `{"edition":"2024","answers":{"Q01":["B"]},"scenarios":{"SC01":1}}`
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"incomplete", partial, []string{"score", "-"}, "答卷未完成，缺 29 项"},
		{"junk", "{", []string{"score", "-"}, "答卷格式错误"},
		{"empty", "", []string{"score", "-"}, "答卷为空"},
		{"unknown option", `{"answers":{"Q02":["Z"]}}`, []string{"score", "--partial", "-"}, "Q02: 选项 \"Z\" 不存在"},
		{"unknown edition", `{"edition":"2031","answers":{}}`, []string{"score", "--partial", "-"}, "未知的指标版本"},
		{"missing file", "", []string{"score", "no-such-file.json"}, "无法读取 no-such-file.json: 文件不存在"},
		{"bad target", partial, []string{"score", "--partial", "--target", "7", "-"}, "--target 应为 1–4"},
		{"no file argument", "", []string{"score"}, "参数个数不对"},
		{"non-numeric target", partial, []string{"score", "--target", "两", "-"}, "参数错误"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, code := runCLI(t, tt.stdin, nil, tt.args...)
			wantInputError(t, out, errs, code, tt.want)
		})
	}
	out, _, code := runCLI(t, partial, nil, "score", "--partial", "-")
	if code != 0 || !strings.Contains(out, "未完成 29 项") {
		t.Errorf("--partial: %d\n%s", code, out)
	}
}

func TestRewardCommand(t *testing.T) {
	out, _, code := runCLI(t, "", nil, "reward", "--level", "3", "--batch", "1", "--zjtx", "national", "--smart-factory", "--revenue-before", "8000", "--revenue-after", "10000", "--json")
	var r struct {
		Amount  float64  `json:"amount_wan"`
		Rate    int      `json:"rate_percent"`
		Cap     int      `json:"cap_wan"`
		Reasons []string `json:"reasons"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 {
		t.Fatalf("reward --json: %d %v %s", code, err, out)
	}
	if r.Amount != 70 || r.Rate != 6 || r.Cap != 70 || len(r.Reasons) < 3 {
		t.Errorf("reward = %+v", r)
	}
	out, _, code = runCLI(t, "", nil, "reward", "--level", "4", "--batch", "2", "--revenue-before", "5000", "--revenue-after", "5800")
	if code != 0 || !strings.Contains(out, "奖补测算: 24 万元（比例 3%，累计上限 70 万元）") || !strings.Contains(out, "四级按三级") {
		t.Errorf("reward plain: %d\n%s", code, out)
	}
	bad := []struct {
		args []string
		want string
	}{
		{[]string{"--level", "2", "--batch", "1", "--revenue-before", "-1", "--revenue-after", "5"}, "--revenue-before（基准年营业收入）: 不能为负数"},
		{[]string{"--level", "2", "--batch", "0", "--revenue-before", "1", "--revenue-after", "5"}, "--batch（批次）"},
		{[]string{"--level", "2", "--batch", "1", "--revenue-before", "1万", "--revenue-after", "5"}, "--revenue-before: 不是有效数字"},
		{[]string{"--level", "2", "--batch", "1", "--revenue-before", "1", "--revenue-after", "5", "--zjtx", "市级"}, "--zjtx"},
		{[]string{"--level", "2", "--batch", "1", "--revenue-before", "1", "--revenue-after", "5", "--excluded", "rain"}, "不予支持情形"},
		{[]string{"--level", "2", "--batch", "1"}, "缺少必需选项"},
	}
	for _, b := range bad {
		out, errs, code := runCLI(t, "", nil, append([]string{"reward"}, b.args...)...)
		wantInputError(t, out, errs, code, b.want)
	}
}

// Whatever the arguments, the binary never panics and bad input never
// writes to stdout.
func TestCLINeverPanicsOnBadArguments(t *testing.T) {
	for _, args := range [][]string{
		{"nope"}, {"--bogus"}, {"score", "-", "extra"}, {"catalog", "validate", "a", "b"}, {"reward", "--level"},
		{"reward", "--level", "x"}, {"catalog", "show", "--catalog"}, {"score", "--json"}, {"help", "nope"},
	} {
		out, errs, code := runCLI(t, "", nil, args...)
		if code == 0 && args[0] != "help" {
			t.Errorf("%v: exit 0", args)
		}
		if code != 0 && (out != "" || errs == "") {
			t.Errorf("%v: code %d stdout %q stderr %q", args, code, out, errs)
		}
	}
}
