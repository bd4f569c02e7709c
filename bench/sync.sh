#!/usr/bin/env bash
# Sync benchmarks in one run (issue 6):
#   BenchmarkSync10k          10,000 reports from one laptop to a loopback server,
#                             both stores fsyncing; metric reports/s (goal >= 500)
#   BenchmarkServerLatency50  50 concurrent clients; p50-ms, p99-ms, reports/s
#   BenchmarkPlatform10k      10,000 reports, 50 clients, to the platform on bbolt (one
#                             server), PostgreSQL (one server) and PostgreSQL (two servers);
#                             p50-ms, p99-ms, reports/s each (needs PostgreSQL 15: pgtest)
# Seeding 50,000 assessments takes about 10 s and the end-state checks
# (every report once, bytes identical, both stores' Check) about 15 s more;
# neither is in the measured time. Output also goes to bench/out/sync.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
go test -run '^$' -bench 'BenchmarkSync10k|BenchmarkServerLatency50|BenchmarkPlatform10k' -benchtime 1x -count "${COUNT:-1}" ./sync/e2e | tee bench/out/sync.txt
