#!/usr/bin/env bash
# The benchmark harness (issue 15): builds digilevel and its baselines,
# seeds 10,000 enterprises / 50,000 assessments (and 100,000 / 500,000 with
# --large) through the real API shape, runs every benchmark beside its
# baseline in the same pass and prints one table (what, baseline, digilevel,
# ratio, goal). Leaves no files behind. Needs tmux for the first frame;
# uses valgrind for instruction counts when installed.
#
# Usage: bench/run.sh [--large] [--rounds N] [--only REGEXP] [--keep DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
export RUNEWIDTH_EASTASIAN=0
mkdir -p bench/out
out="bench/out/run-$(date -u +%Y%m%dT%H%M%SZ).md"
args=()
for a in "$@"; do
	case "$a" in
	--*) args+=("-${a#--}") ;;
	*) args+=("$a") ;;
	esac
done
go run ./bench/harness "${args[@]}" | tee "$out"
echo "saved to $out" >&2
