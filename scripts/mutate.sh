#!/usr/bin/env bash
# The mutation run (docs/testing.md): each mutant of the code that decides
# money and data (internal/mutate/targets.txt, curated.txt) is applied as a
# go test -overlay (the work tree is never written) and the affected
# packages' tests run against it with a time limit; the output ends with
# caught/total per package. Exit 1 if a package scores below 90% or a
# survivor is not explained in internal/mutate/accepted.txt.
#
#   scripts/mutate.sh                 # everything (a release step: ~1 hour on 2 cores)
#   scripts/mutate.sh model storage   # some packages
#   scripts/mutate.sh -curated        # the curated mutants only (CI)
#   scripts/mutate.sh -list model     # list the mutants, run nothing
#   scripts/mutate.sh -match 'creditcode' model
#
# Run one package at a time on a shared machine (-j 1 by default; -j 2 on
# an idle 2-core machine halves the time).
set -euo pipefail
cd "$(dirname "$0")/.."
# The UI's screens assume box-drawing runes are one cell wide (as .ci/run).
export RUNEWIDTH_EASTASIAN=0
exec go run ./internal/mutate "$@"
