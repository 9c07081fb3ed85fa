#!/usr/bin/env bash
# stress-virtio.sh — runs the virtio suite (devices, transport, event loop, the mock driver on its
# own thread) many times under a CPU hog, to find races that one run on an idle machine hides
# (issue 16: the EVENT_IDX test failed about once in 40 such runs before the torn-read fix).
#
#   scripts/stress-virtio.sh [RUNS] [HOGS]      defaults: 200 runs, one busy loop per core
#   FILTER=BusTests scripts/stress-virtio.sh    another --filter for swift-testing
#   SKIP_BUILD=1 ...                            use the test binary already in .build/debug
#   TEST_BINARY=path ...                        use that test binary (e.g. one built from an older commit)
#
# The test binary is copied first, so building in this tree during the run changes nothing.
# Prints one line per failed run (its log is kept) and a summary; exits 1 if any run failed.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
hogs=${2:-$(nproc)}
filter=${FILTER:-VirtioTests}

binary=${TEST_BINARY:-.build/debug/swiftvmPackageTests.xctest}
if [ -z "${SKIP_BUILD:-}" ] && [ -z "${TEST_BINARY:-}" ]; then swift build --build-tests >/dev/null; fi
work=$(mktemp -d /tmp/stress-virtio.XXXXXX)
cp "$binary" "$work/tests"

hog_pids=()
cleanup() {
    for p in "${hog_pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
for _ in $(seq "$hogs"); do
    ( while :; do :; done ) &
    hog_pids+=($!)
done

failures=0
start=$(date +%s)
for i in $(seq "$runs"); do
    log="$work/run-$i.log"
    if "$work/tests" --testing-library swift-testing --filter "$filter" >"$log" 2>&1; then
        rm -f "$log"
    else
        failures=$((failures + 1))
        echo "run $i FAILED (log: $log):"
        grep -E "✘|failed|Expectation|recorded an issue" "$log" | head -5 || true
    fi
    if [ $((i % 20)) -eq 0 ]; then
        echo "… $i runs, $failures failed, load $(cut -d' ' -f1-3 /proc/loadavg)"
    fi
done
elapsed=$(( $(date +%s) - start ))
echo "stress-virtio: $runs runs of --filter $filter with $hogs busy loops on $(nproc) cores: $failures failed ($elapsed s, load $(cut -d' ' -f1-3 /proc/loadavg))"
[ "$failures" -eq 0 ] && rm -rf "$work"
[ "$failures" -eq 0 ]
