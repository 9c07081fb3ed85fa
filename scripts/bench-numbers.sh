#!/bin/sh
# bench-numbers.sh — the Numbers library's printf/strtod speed against glibc's, same run.
# Usage: scripts/bench-numbers.sh [count]   (default 200000)
set -e
cd "$(dirname "$0")/.."
NUMBERS_BENCH_COUNT="${1:-200000}" swift test --filter NumbersTests.speedAgainstGlibc 2>&1 \
    | grep -E '^(speed|  (printf|strtod|shortest))'
