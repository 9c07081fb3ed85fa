#!/usr/bin/env bash
# bench-blk.sh — virtio-blk benchmark (issue 3): the guest's ring-3 driver (`blktest bench`) reads
# and writes a 256 MiB disk sequentially with 64 KiB and 4 KiB requests and does random 4 KiB reads;
# in the same run the host reads the same file with dd and pread. Both read from the host's page
# cache (the file was just written), so the ratio measures the virtualization path, not the disk.
set -euo pipefail
cd "$(dirname "$0")/.."
B=build
disk=$(mktemp /tmp/swiftvm-bench-XXXXXX.img)
trap 'rm -f "$disk"' EXIT
dd if=/dev/urandom of="$disk" bs=1M count=256 status=none

echo "== guest (swiftvm, virtio-blk, ring-3 driver)"
$B/swiftvm run $B/kernel.elf --initrd $B/initrd.img --disk "$disk" --no-input --timeout 300 \
    --cmdline "init=blktest -- bench" | grep "^blkbench:" | tee $B/bench-blk-guest.txt

echo "== host (same file, same run): pread, one request at a time"
gcc -O2 -o $B/host-pread scripts/host-pread.c
$B/host-pread "$disk" | tee $B/bench-blk-host.txt

ratio() {   # guest-line-pattern guest-field host-line-pattern host-field label
    g=$(awk -v p="$1" -v f="$2" 'index($0, p) { print $f }' $B/bench-blk-guest.txt)
    h=$(awk -v p="$3" -v f="$4" 'index($0, p) { print $f }' $B/bench-blk-host.txt)
    awk -v g="$g" -v h="$h" -v l="$5" 'BEGIN { printf "%s: guest %s, host %s, guest/host %.2f\n", l, g, h, g / h }'
}
echo "== guest / host"
ratio "sequential read  64 KiB" 7 "sequential read 64 KiB" 6 "sequential read, 64 KiB requests (MB/s)"
ratio "sequential read  4 KiB" 7 "sequential read 4 KiB" 6 "sequential read, 4 KiB requests (MB/s)"
ratio "random 4 KiB reads" 6 "random 4 KiB reads" 6 "random 4 KiB reads (IOPS)"
