#!/usr/bin/env bash
# bench-fs-server.sh — what the microkernel's file server costs: the same workloads (fsbench) on
# RedoxFS mounted in the benchmark process itself ("direct", the baseline) and through fsd over IPC
# ("client"), each on a fresh copy of the OS image, in the same run. Both commit after every change.
set -euo pipefail
cd "$(dirname "$0")/.."
B=build
direct=$(mktemp /tmp/swiftvm-fsbench-XXXXXX.img)
client=$(mktemp /tmp/swiftvm-fsbench-XXXXXX.img)
trap 'rm -f "$direct" "$client"' EXIT
cp $B/os.img "$direct"
cp $B/os.img "$client"

$B/swiftvm run "$direct" --cmdline "init=fsbench -- direct" --no-input --timeout 300 | grep "^fsbench:" | tee $B/bench-fs-direct.txt
printf 'fsbench client\nexit\n' | $B/swiftvm run "$client" --cmdline "init=init -- sh" --timeout 300 \
    | grep "^fsbench:" | tee $B/bench-fs-client.txt
for f in "$direct" "$client"; do $B/swiftvm image fsck "$f" >/dev/null || { echo "fsck failed on $f"; exit 1; }; done

echo "== through fsd / in-process (same workloads, same run)"
while read -r line; do
    what=${line#fsbench: direct }; what=${what%%:*}
    # "fsbench: MODE WHAT: VALUE UNIT (N us)"
    d=$(awk -v w="$what" 'index($0, w ":") { print $(NF-3) }' $B/bench-fs-direct.txt)
    c=$(awk -v w="$what" 'index($0, w ":") { print $(NF-3) }' $B/bench-fs-client.txt)
    unit=$(awk -v w="$what" 'index($0, w ":") { print $(NF-2) }' $B/bench-fs-direct.txt)
    awk -v w="$what" -v d="$d" -v c="$c" -v u="$unit" 'BEGIN { printf "%s: direct %s %s, through fsd %s, ratio %.2f\n", w, d, u, c, (d > 0 ? c / d : 0) }'
done < $B/bench-fs-direct.txt
