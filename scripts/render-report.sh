#!/usr/bin/env bash
# Renders the diagnosis report of the demo enterprise with headless Chromium
# to PNG and PDF, so a person can look at what the district office prints.
# Installs Debian's chromium and a CJK font if missing.
#
# Usage: scripts/render-report.sh [OUT_DIR]   (default: ./render-out)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-render-out}
mkdir -p "$out"
out=$(cd "$out" && pwd)

if ! command -v chromium >/dev/null 2>&1; then
	echo "== installing chromium"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if ! fc-list 2>/dev/null | grep -qi -e wenquanyi -e 'noto sans cjk' -e droid; then
	echo "== installing a CJK font"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/digilevel" ./cmd/digilevel
export DIGILEVEL_DB="$work/demo.db"
dl="$work/digilevel"

# The demo as a newcomer sees it: half finished, so the report is a draft.
draft=$("$dl" demo)
"$dl" report "$draft" --format html -o "$out/demo-draft.html" >/dev/null

# The same enterprise finalized: answer what is left and finalize.
for q in Q10 Q11 Q12 Q13 Q14 Q15; do "$dl" assessment answer "$draft" "$q" B; done
for s in SC02 SC04 SC08 SC09 SC10 SC11 SC12 SC14 SC15 SC16; do "$dl" assessment rate "$draft" "$s" 2; done
"$dl" assessment finalize "$draft" >/dev/null
"$dl" report "$draft" --format html -o "$out/demo-final.html" >/dev/null

render() {
	local html=$1 base=$2
	local flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
		--disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$work/profile")
	chromium "${flags[@]}" --window-size=1240,1754 --screenshot="$out/$base.png" "file://$html" >/dev/null 2>&1
	chromium "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$out/$base.pdf" "file://$html" >/dev/null 2>&1
	echo "$out/$base.png"
	echo "$out/$base.pdf"
}
render "$out/demo-draft.html" demo-draft
render "$out/demo-final.html" demo-final
if command -v pdfinfo >/dev/null 2>&1; then
	pdfinfo "$out/demo-final.pdf" | grep -E 'Pages|Page size'
fi
