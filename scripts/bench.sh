#!/usr/bin/env bash
# bench.sh — boot benchmarks for the default guest (issue #5): wall time to the first serial byte,
# to ring-3 entry and to power-off, VM exits, VMM RSS without guest RAM (all from `swiftvm run
# --stats`), and the guest-measured system-call round trip (the `bench` program).
set -euo pipefail
cd "$(dirname "$0")/.."
B=build
# Times count from the exec of swiftvm: the launcher reads CLOCK_MONOTONIC right before execv.
launch() { python3 -c 'import os, sys, time; os.environ["SWIFTVM_EXEC_NS"] = str(time.monotonic_ns()); os.execv(sys.argv[1], sys.argv[1:])' "$@"; }
echo "== default guest, 5 boots (swiftvm run --stats, wall time since exec)"
for i in 1 2 3 4 5; do
    launch $B/swiftvm run $B/kernel.elf --initrd $B/initrd.img --stats --no-input --timeout 60 >/dev/null 2>$B/bench-stats.txt || true
    grep -E "first serial|first ring-3|power-off|VM exits|RSS" $B/bench-stats.txt | sed "s/^/  boot $i: /"
done
echo "== system-call round trip (guest rdtsc, 100k calls)"
$B/swiftvm run $B/kernel.elf --initrd $B/initrd.img --cmdline init=bench --no-input --timeout 120 | grep "^bench:"
echo
echo "== virtio-blk (scripts/bench-blk.sh)"
./scripts/bench-blk.sh
echo
echo "== the file server: fsd over IPC vs RedoxFS in-process (scripts/bench-fs-server.sh)"
./scripts/bench-fs-server.sh
echo
echo "== RedoxFS vs a host directory (swiftvm image bench)"
$B/swiftvm image bench "${BENCH_DIR:-/tmp}"
echo
echo "== files through descriptors: 16 MiB read in 64 KiB and 4 MiB reads (filetests bench), fsd with lease copies (default) and with grants"
for mode in "" "fsd=grants"; do
    cp $B/os.img $B/bench-files.img
    printf 'filetests bench\nexit\n' | $B/swiftvm run $B/bench-files.img --cmdline "init=init -- sh $mode" --timeout 120 | grep "bench:" | sed "s/^/  ${mode:-fsd=lease-copies}: /"
done
rm -f $B/bench-files.img
echo
echo "== the shell vs dash: a 100,000-iteration loop and 1,000 /bin/true starts (scripts/bench-shell.sh)"
./scripts/bench-shell.sh
