#!/usr/bin/env bash
# End-to-end test of the real binary under tmux at 80x24.
#
# 1. First run: the identity step, a new enterprise from the keyboard,
#    the site survey of the new baseline (findings and a pain point typed),
#    three answers, kill -9 of the program and its terminal, a restart
#    that resumes at Q04; answers and survey are read back through the CLI.
# 2. Keystroke economy: a minimal full assessment (open the app, pick the
#    enterprise, new baseline, skip the survey, 15 questions, 16 scenarios,
#    finalize), every key counted. The count is printed (goal: at most 55)
#    and must not exceed 55. The same walk attaches a photo (keys not counted).
# 3. Settings and sync against a real `digilevel serve`: platform address
#    and token typed into the settings, the connection check, a send from
#    the sync screen; the platform then holds the report and its photo.
#
# Usage: scripts/e2e-tui.sh   (needs tmux and python3)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in tmux python3; do
	command -v "$tool" >/dev/null || { echo "e2e-tui: $tool is missing (apt-get install -y $tool)" >&2; exit 1; }
done
work=$(mktemp -d)
sock="e2e-tui-$$"
T=(tmux -L "$sock")
server_pid=""
cleanup() {
	"${T[@]}" kill-server 2>/dev/null || true
	if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/digilevel" ./cmd/digilevel
bin="$work/digilevel"
db="$work/e2e.db"
code=91410700MA03TRNX4N

start() {
	"${T[@]}" new-session -d -s e2e -x 80 -y 24 \
		"exec env TERM=xterm-256color LANG=C.UTF-8 RUNEWIDTH_EASTASIAN=0 $bin --db $1"
}
screen() { "${T[@]}" capture-pane -p -t e2e 2>/dev/null || true; }
wait_for() {
	for _ in $(seq 1 100); do
		if screen | grep -qF -- "$1"; then return 0; fi
		sleep 0.1
	done
	echo "e2e-tui: the screen never showed: $1" >&2
	screen >&2
	exit 1
}
keys() { "${T[@]}" send-keys -t e2e "$@"; }
typ() { "${T[@]}" send-keys -t e2e -l -- "$1"; }
stop() {
	keys C-c
	for _ in $(seq 1 50); do "${T[@]}" has-session -t e2e 2>/dev/null || return 0; sleep 0.1; done
}

echo "== 1. first start: who rates, a new enterprise, three answers"
start "$db"
wait_for "您是谁"
typ "张伟"; keys Enter
wait_for "▸ 评测机构"
typ "河南智造数字服务有限公司"; keys Enter
wait_for "欢迎使用"
keys Enter
field() { wait_for "┃ $1"; if [ -n "${2:-}" ]; then typ "$2"; fi; keys Enter; }
field "统一社会信用代码" "$code"
field "企业名称" "新乡市飞腾精密机械有限公司"
field "所属行业" "专用设备制造业"
for f in 规模 改造批次 专精特新 拥有省级以上智能工厂 属于市级试点产业 服务商 地址; do field "$f"; done
field "营业收入" "2025 5200"
field "联系人" "张伟, 厂长, 13800000000"
field "备注"
wait_for "已保存企业档案"
keys n
wait_for "选择评测类型"
keys Enter
wait_for "现场调研"      # a new baseline starts with the survey
keys Enter             # the date (today) and the surveyor (who rates) are prefilled
wait_for "┃ 调研人员"
keys Enter
wait_for "┃ 调研情况"
typ "冲压、焊接、装配三段工艺"; keys Enter
wait_for "┃ 痛点、难点、堵点"
typ "难点：订单交期难以预估"; keys Enter
wait_for "第 1/15 题"
keys a                 # Q01: A (multi: the letter ticks it)
keys Enter
wait_for "第 2/15 题"
keys c                 # Q02: C (single: the letter picks it and moves on)
wait_for "第 3/15 题"
keys b                 # Q03: B
wait_for "第 4/15 题"

echo "== kill -9 the program, then the terminal"
pid=$("${T[@]}" display -p -t e2e '#{pane_pid}')
kill -9 "$pid"
"${T[@]}" kill-server 2>/dev/null || true
sleep 0.2

echo "== second start: resume"
start "$db"
wait_for "飞腾精密机械"
keys Enter
wait_for "第 4/15 题"
screen | grep -F "Q04" >/dev/null
stop

echo "== stored answers, read back through the CLI"
id=$("$bin" --db "$db" assessment list --json | python3 -c '
import json, sys
items = json.load(sys.stdin)
items = items.get("assessments", items) if isinstance(items, dict) else items
ids = [a["id"] for a in items if a.get("enterprise") == sys.argv[1]]
assert len(ids) == 1, ids
print(ids[0])' "$code")
"$bin" --db "$db" assessment show "$id" --json | python3 -c '
import json, sys
a = json.load(sys.stdin)
want = {"Q01": ["A"], "Q02": ["C"], "Q03": ["B"]}
got = {q: a["answers"].get(q) for q in want}
assert a["state"] == "draft", a["state"]
assert got == want, got
assert len(a["answers"]) == 3, sorted(a["answers"])
assert a["assessor"] == {"org": "河南智造数字服务有限公司", "person": "张伟"}, a["assessor"]
print("e2e-tui: answers survived kill -9:", got)'
"$bin" --db "$db" assessment survey "$id" --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s["findings"] == "冲压、焊接、装配三段工艺", s
assert s["pain_points"] == [{"kind": "difficulty", "text": "订单交期难以预估"}], s
assert s["surveyors"][0]["name"] == "张伟" and s["surveyors"][0]["agency"] == "河南智造数字服务有限公司", s
print("e2e-tui: the survey typed in the TUI is stored:", s["date"], s["pain_points"][0]["text"])'

echo "== 2. keystroke economy: a minimal full assessment, every key counted"
db2="$work/count.db"
code2=91410700MA04ABCD52
"$bin" --db "$db2" config --assessor 张伟 --assessor-org 河南智造数字服务有限公司 >/dev/null
"$bin" --db "$db2" enterprise add --name 新乡市华泰纺织有限公司 --code "$code2" --batch 2 \
	--provider 河南智造数字服务有限公司 --revenue 2025=5200 --revenue 2024=4600 >/dev/null
photo="$work/现场 照片 1.jpg"
printf 'jpeg bytes of the workshop' >"$photo"
count=0
k() { count=$((count + 1)); keys "$1"; }  # one counted key
start "$db2"                               # open the app
wait_for "华泰纺织"
k Enter                                    # pick the enterprise (no assessment yet: the kind menu)
wait_for "选择评测类型"
k Enter                                    # 改造前诊断 (baseline)
wait_for "现场调研"
k Escape                                   # skip the site survey (one key)
wait_for "第 1/15 题"
# A photo for Q01, dropped into the evidence field as a quoted path (not counted).
keys Tab Tab; typ "'$photo'"; keys Enter
wait_for "已添加佐证并存入数据库"
keys BTab BTab
# 15 questions: a single choice is one letter; a multi choice is its
# letters and enter. Q04 ticks three options.
answer() { # question number, then the keys
	local q=$1; shift
	for key in "$@"; do k "$key"; done
	if [ "$q" -lt 15 ]; then wait_for "第 $((q + 1))/15 题"; fi
}
answer 1 b Enter
answer 2 c
answer 3 b
answer 4 f g h Enter
answer 5 c
answer 6 b Enter
answer 7 b Enter
answer 8 d
answer 9 b Enter
answer 10 b Enter
answer 11 b
answer 12 b
answer 13 b
answer 14 c
answer 15 b
wait_for "场景 1/16"
# 16 scenarios: one digit each.
for s in $(seq 1 16); do
	k 2
	if [ "$s" -lt 16 ]; then wait_for "场景 $((s + 1))/16"; fi
done
wait_for "可以定稿"
k f
wait_for "确认定稿"
k y
wait_for "已定稿"
echo "e2e-tui: a minimal full assessment took $count keys at 80x24 (goal: at most 55)"
[ "$count" -le 55 ] || { echo "e2e-tui: more than 55 keys" >&2; exit 1; }
stop
id2=$("$bin" --db "$db2" assessment list --json | python3 -c '
import json, sys
items = json.load(sys.stdin)
items = items.get("assessments", items) if isinstance(items, dict) else items
print(items[0]["id"])')
"$bin" --db "$db2" assessment show "$id2" --json | python3 -c '
import json, sys
a = json.load(sys.stdin)
assert a["state"] == "queued", a["state"]
assert len(a["answers"]) == 15 and len(a["scenarios"]) == 16, (len(a["answers"]), len(a["scenarios"]))
assert a["answers"]["Q04"] == ["F", "G", "H"], a["answers"]["Q04"]
assert a["assessor"]["org"] == "河南智造数字服务有限公司", a["assessor"]
ev = a["evidence"]["Q01"]
assert len(ev) == 1 and ev[0]["path"].endswith("现场 照片 1.jpg"), ev
print("e2e-tui: finalized and queued, level", a["level_name"])'

echo "== 3. settings and sync against a real platform"
srv="$work/server.db"
token=$("$bin" serve token add --db "$srv" --provider 河南智造数字服务有限公司)
inspector=$("$bin" serve token add --db "$srv" --provider 抽查组 --role inspector)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --db "$srv" --addr "127.0.0.1:$port" 2>"$work/serve.log" &
server_pid=$!
rm "$photo" # the original is gone: the database has the bytes
start "$db2"
wait_for "华泰纺织"
keys o
wait_for "▸ 评测人"
keys Tab Tab; typ "http://127.0.0.1:$port/"
keys Tab; typ "$token"
keys Tab Tab Tab Tab; wait_for "▸[保存并检查连接]"
keys Enter
wait_for "连接正常"
keys Escape
wait_for "华泰纺织"
keys y
wait_for "平台: http://127.0.0.1:$port/"
keys s
wait_for "已发送 1"
stop
python3 - "http://127.0.0.1:$port" "$inspector" <<'PY'
import hashlib, sys, urllib.request
base, token = sys.argv[1], sys.argv[2]
sha = hashlib.sha256(b"jpeg bytes of the workshop").hexdigest()
req = urllib.request.Request(base + "/api/v1/evidence/" + sha, headers={"Authorization": "Bearer " + token})
body = urllib.request.urlopen(req).read()
assert body == b"jpeg bytes of the workshop", body
print("e2e-tui: the platform holds the photo, though the original was deleted")
PY
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
"$bin" serve reports list --db "$srv" --json | python3 -c '
import json, sys
r = json.load(sys.stdin)
r = r.get("reports", r) if isinstance(r, dict) else r
assert len(r) == 1 and r[0]["provider"] == "河南智造数字服务有限公司", r
print("e2e-tui: the platform holds the report", r[0]["id"])'
"$bin" serve check --db "$srv" >/dev/null
"$bin" --db "$db2" check >/dev/null
echo "e2e-tui: ok ($count keys)"
