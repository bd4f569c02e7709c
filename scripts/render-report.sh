#!/usr/bin/env bash
# Renders the diagnosis report of the demo enterprise with headless Chromium
# to PNG and PDF, so a person can look at what the district office prints:
# the draft, then the complete 转型诊断报告 (profile, survey, edited lists, a
# plan with 示例 solutions and a 投入清单), finalized and signed. Writes one
# PNG per PDF page and, when zbarimg is installed, decodes the QR code of the
# signature page. Installs Debian's chromium, poppler-utils and a CJK font if
# missing.
#
# Usage: scripts/render-report.sh [OUT_DIR]   (default: ./render-out)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-render-out}
mkdir -p "$out"
out=$(cd "$out" && pwd)

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
	echo "== installing ${need[*]}"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
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

# The same enterprise as a complete diagnosis: answer what is left, record
# the profile, the survey, list edits and a plan, and finalize.
for q in Q10 Q11 Q12 Q13 Q14 Q15; do "$dl" assessment answer "$draft" "$q" B; done
for s in SC02 SC04 SC08 SC09 SC10 SC11 SC12 SC14 SC15 SC16; do "$dl" assessment rate "$draft" "$s" 2; done
code=$("$dl" assessment show "$draft" --json | sed -n 's/.*"enterprise": "\([0-9A-Z]*\)".*/\1/p' | head -1)
"$dl" enterprise profile "$code" --products "数控折弯机、剪板机" --process "下料 → 焊接 → 机加工 → 装配 → 检验" \
	--employees 120 --software "运营,ERP,某财务软件" --cloud public --network broadband --finance 2025=8200,410 >/dev/null
"$dl" assessment survey "$draft" --date 2026-03-01 --surveyor "李工,示例服务商,调查员,0373-7654321" \
	--findings "工单靠纸质流转，质检记录在纸上。" --pain "痛点:订单交期经常延误" --pain "堵点:设备数据采不上来" >/dev/null
"$dl" assessment lists pain "$draft" "质检记录靠纸质，追溯慢" >/dev/null
"$dl" solutions import --example >/dev/null
"$dl" assessment plan goal "$draft" --level 2 --goal "一年内达到二级" >/dev/null
"$dl" assessment plan scenario "$draft" SC06 --target 3 --solution EX-01 >/dev/null
"$dl" assessment plan scenario "$draft" SC07 --target 2 --solution EX-03 >/dev/null
"$dl" assessment plan invest "$draft" --item "设备采集网关" --category hardware --quantity 12 --unit 台 --unit-price 0.45 --amount 5.4 --scenario SC06 >/dev/null
"$dl" assessment plan invest "$draft" --item "MES 云服务（一年）" --category cloud --amount 6.5 --scenario SC06 >/dev/null
"$dl" assessment plan kpi "$draft" Q13 --target 99.5 >/dev/null
"$dl" assessment plan milestone "$draft" --date 2026-04-15 --title "签订改造合同" >/dev/null
"$dl" assessment plan milestone "$draft" --date 2026-09-30 --title "申请验收" >/dev/null
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
pdfinfo "$out/demo-final.pdf" | grep -E 'Pages|Page size'
# One PNG per printed page, to look at every page.
pdftoppm -r 60 -png "$out/demo-final.pdf" "$out/demo-final-page"
echo "$out/demo-final-page-*.png"
if command -v zbarimg >/dev/null 2>&1; then
	pages=$(pdfinfo "$out/demo-final.pdf" | awk '/^Pages/ {print $2}')
	pdftoppm -r 150 -png -f "$pages" -l "$pages" "$out/demo-final.pdf" "$work/last"
	echo "== QR code of the signature page:"
	zbarimg --quiet --raw "$work"/last*.png 2>/dev/null
	echo "== SHA-256 of the report JSON (must match the QR code):"
	"$dl" report "$draft" --format json | sha256sum
fi
