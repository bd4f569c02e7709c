#!/usr/bin/env bash
# Browser test of the district office's dashboard: seeds a platform with a
# few hundred signed reports (3 batches, 4 providers, revisions and
# spot-checks), imports a district roster (with enterprises not yet
# diagnosed), makes an office token with the CLI, starts the real
# `digilevel serve` on loopback, and drives headless Chromium through it
# (web/internal/browse): the login form, every page at 1366x768 with the
# checks of what each shows, a report, a comparison, a reward page, the
# 总览 printed to PDF, and logout. Screenshots and the PDF stay in OUT_DIR
# for a person to look at. Installs Debian's chromium and a CJK font if
# missing.
#
# Usage: scripts/e2e-dashboard.sh [OUT_DIR]   (default: ./dashboard-out)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dashboard-out}
mkdir -p "$out"
out=$(cd "$out" && pwd)

if ! command -v chromium >/dev/null 2>&1; then
	echo "== installing chromium"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
	echo "== installing a CJK font"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null
fi

work=$(mktemp -d)
server=""
cleanup() {
	if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/digilevel" ./cmd/digilevel
go build -o "$work/platformseed" ./bench/platformseed
go build -o "$work/browse" ./web/internal/browse
dl="$work/digilevel"
db="$work/platform.db"

echo "== seeding the platform"
"$work/platformseed" -db "$db" -enterprises 150 -spotcheck-every 4 -seed 1 -roster "$work/roster.csv" -unreported 30
"$dl" serve roster import --db "$db" "$work/roster.csv"
"$dl" serve token add --db "$db" --provider "经开区经济发展和统计局" --role office >"$work/office.tok" 2>/dev/null

echo "== starting digilevel serve on loopback"
"$dl" serve --db "$db" --addr 127.0.0.1:0 2>"$work/serve.log" &
server=$!
base=""
for _ in $(seq 1 100); do
	base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/serve.log" | head -1 || true)
	[ -n "$base" ] && break
	sleep 0.1
done
if [ -z "$base" ]; then
	echo "e2e-dashboard: the server did not start" >&2
	cat "$work/serve.log" >&2
	exit 1
fi

echo "== browsing $base"
"$work/browse" -base "$base" -token-file "$work/office.tok" -out "$out"

kill "$server"
wait "$server" || { echo "e2e-dashboard: serve did not stop cleanly" >&2; exit 1; }
server=""
if grep -qF "$(cut -d_ -f3 "$work/office.tok")" "$work/serve.log"; then
	echo "e2e-dashboard: the server log holds the token's secret" >&2
	exit 1
fi
if grep -q 'level=ERROR' "$work/serve.log"; then
	echo "e2e-dashboard: the server logged errors:" >&2
	grep 'level=ERROR' "$work/serve.log" >&2
	exit 1
fi
if command -v pdfinfo >/dev/null 2>&1; then
	pdfinfo "$out/overview.pdf" | grep -E 'Pages|Page size'
fi
echo "e2e-dashboard: ok; screenshots and the printed 总览 in $out"
