#!/usr/bin/env bash
# Time from exec to the first frame: digilevel on a seeded database of 10,000
# enterprises and 50,000 assessments, beside a bare Bubble Tea program that
# prints one frame. Both run in a tmux pane (a real terminal) under hyperfine.
# digilevel quits right after its first frame with content (the home list)
# because of DIGILEVEL_EXIT_AFTER_FIRST_FRAME=1.
#
# Measured 2026-11-25 on the 2-core dev machine: 66.9 ms mean (median 64.5),
# bare program 16.1 ms, ratio 4.1x. (It was 120 ms while the store skipped
# syncing bbolt's free-page list: every open then scanned the 262 MB file.)
#
# Usage: bench/first-frame.sh [workdir]   (needs tmux, hyperfine, python3)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-${TMPDIR:-/tmp}/digilevel-first-frame}
mkdir -p "$work"
for tool in tmux hyperfine python3; do
	command -v "$tool" >/dev/null || { echo "first-frame: $tool is missing (apt-get install -y $tool)" >&2; exit 1; }
done

go build -o "$work/digilevel" ./cmd/digilevel
go build -o "$work/bareframe" ./bench/bareframe
go build -o "$work/seed" ./bench/seed
db="$work/seeded.db"
if [ ! -s "$db" ]; then
	echo "seeding $db (10,000 enterprises, 50,000 assessments)"
	"$work/seed" -db "$db"
fi

sock="first-frame-$$"
runs=${RUNS:-30}
# hyperfine runs each command through a shell whose start-up it measures and
# subtracts; the shell points the program's stdin and stdout at the pane's
# terminal, since the TUI refuses to start without one.
cat >"$work/run.sh" <<RUN
#!/usr/bin/env bash
t=\$(tty)
hyperfine --warmup 3 --runs $runs --export-json "$work/first-frame.json" \
	--command-name digilevel "env DIGILEVEL_EXIT_AFTER_FIRST_FRAME=1 $work/digilevel --db $db <\$t >\$t" \
	--command-name bare "$work/bareframe <\$t >\$t" >"$work/hyperfine.txt" 2>&1
echo \$? >"$work/rc"
tmux -L $sock wait-for -S done
RUN
chmod +x "$work/run.sh"
rm -f "$work/rc"
tmux -L "$sock" new-session -d -x 120 -y 40 "env TERM=xterm-256color LANG=C.UTF-8 $work/run.sh"
tmux -L "$sock" wait-for done
tmux -L "$sock" kill-server 2>/dev/null || true
cat "$work/hyperfine.txt"
[ "$(cat "$work/rc")" = 0 ] || { echo "first-frame: hyperfine failed" >&2; exit 1; }
python3 - "$work/first-frame.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
d, b = r["digilevel"], r["bare"]
ms = lambda s: s * 1000
print(f"digilevel first frame: mean {ms(d['mean']):.1f} ms ± {ms(d['stddev']):.1f} (median {ms(d['median']):.1f})")
print(f"bare bubbletea frame:  mean {ms(b['mean']):.1f} ms ± {ms(b['stddev']):.1f} (median {ms(b['median']):.1f})")
print(f"ratio digilevel / bare: {d['mean'] / b['mean']:.1f}x; goal: digilevel < 100 ms: {'met' if ms(d['mean']) < 100 else 'NOT met'}")
PY
