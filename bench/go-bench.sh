#!/usr/bin/env bash
# Runs every Go benchmark of the project once, in one run per package, and
# keeps the output under bench/out/ (ignored by git). Speed is measured here,
# never asserted in unit tests.
#
# Usage: bench/go-bench.sh [BENCH_REGEXP]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
export RUNEWIDTH_EASTASIAN=0
pattern=${1:-.}
mkdir -p bench/out
out="bench/out/go-bench-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
	echo "# $(go version) on $(nproc) cores, $(date -u)"
	go test -run '^$' -bench "$pattern" -benchmem -timeout 60m ./... 2>&1
} | tee "$out"
echo "saved to $out"
