#!/usr/bin/env bash
# fuzz-virtio.sh [SECONDS] — build the libFuzzer target for the virtio device model
# (Fuzz/VirtioFuzzer.swift: guest RAM + register writes through the virtqueue walker and the block
# request parser) with AddressSanitizer, and run it for SECONDS (default 60).
#
#   scripts/fuzz-virtio.sh 300          # five minutes
#   FUZZ_JOBS=2 scripts/fuzz-virtio.sh  # two fuzzing processes
#
# The corpus grows in fuzz-out/virtio/corpus (kept between runs); crashes, hangs and their inputs
# land in fuzz-out/virtio/artifacts. Reproduce one with: .build/fuzz-virtio/virtio-fuzzer FILE
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${1:-60}
JOBS=${FUZZ_JOBS:-1}
SWIFTC=${SWIFTC:-swiftc}
BUILD=.build/fuzz-virtio
OUT=fuzz-out/virtio
mkdir -p "$BUILD" "$OUT/corpus" "$OUT/seeds" "$OUT/artifacts"

FLAGS=(-sanitize=fuzzer,address -O -g -parse-as-library -swift-version 6 -wmo -I "$BUILD")

# CVirtio is header-only; give swiftc the module map SwiftPM would generate.
cat > "$BUILD/module.modulemap" <<MAP
module CVirtio {
    header "$PWD/Sources/CVirtio/include/cvirtio.h"
    export *
}
MAP

echo "building $BUILD/virtio-fuzzer"
"$SWIFTC" "${FLAGS[@]}" -c -module-name GuestMemory -emit-module -emit-module-path "$BUILD/GuestMemory.swiftmodule" \
    Sources/GuestMemory/*.swift -o "$BUILD/GuestMemory.o"
"$SWIFTC" "${FLAGS[@]}" -c -module-name Virtio -emit-module -emit-module-path "$BUILD/Virtio.swiftmodule" \
    $(find Sources/Virtio -name '*.swift' | sort) -o "$BUILD/Virtio.o"
"$SWIFTC" "${FLAGS[@]}" -module-name VirtioFuzzer Fuzz/VirtioFuzzer.swift "$BUILD/GuestMemory.o" "$BUILD/Virtio.o" \
    -o "$BUILD/virtio-fuzzer" 2> >(grep -v "Cannot export local symbol" >&2)

# Seed inputs (generated, never hand-edited): valid initialisation plus one request per device.
python3 - "$OUT/seeds" <<'PY'
import struct, sys, os
out = sys.argv[1]
VERSION_1, INDIRECT, EVENT_IDX = 1 << 32, 1 << 28, 1 << 29
DESC, AVAIL, USED = 0x000, 0x100, 0x200
def seed(name, kind, features, chain, buffers, indirect=False, ops=((2, 0, 0, 0),)):
    image = bytearray(0x900)
    def desc(table, i, addr, length, flags, nxt):
        struct.pack_into("<QIHH", image, table + 16 * i, addr, length, flags, nxt)
    if indirect:
        table = 0x700
        for i, (addr, length, flags) in enumerate(chain):
            last = i == len(chain) - 1
            desc(table, i, addr, length, flags | (0 if last else 1), 0 if last else i + 1)
        desc(DESC, 0, table, 16 * len(chain), 4, 0)
    else:
        for i, (addr, length, flags) in enumerate(chain):
            last = i == len(chain) - 1
            desc(DESC, i, addr, length, flags | (0 if last else 1), 0 if last else i + 1)
    struct.pack_into("<HHH", image, AVAIL, 0, 1, 0)       # flags, idx = 1, ring[0] = head 0
    for addr, data in buffers:
        image[addr:addr + len(data)] = data
    header = struct.pack("<BBHQHHHB5x", kind, 1, 8, features, DESC, AVAIL, USED, len(ops))
    body = b"".join(struct.pack("<BBHI", *op) for op in ops)
    open(os.path.join(out, name), "wb").write(header + body + bytes(image))
blk = VERSION_1 | INDIRECT | EVENT_IDX | (1 << 2) | (1 << 9) | (1 << 13) | (1 << 14)
hdr = lambda t, s: struct.pack("<IIQ", t, 0, s)
seed("blk-read", 0, blk, [(0x300, 16, 0), (0x400, 512, 2), (0x600, 1, 2)], [(0x300, hdr(0, 1))])
seed("blk-write", 0, blk, [(0x300, 16, 0), (0x400, 512, 0), (0x600, 1, 2)], [(0x300, hdr(1, 2)), (0x400, b"\x42" * 512)])
seed("blk-read-indirect", 0, blk, [(0x300, 16, 0), (0x400, 256, 2), (0x500, 256, 2), (0x600, 1, 2)], [(0x300, hdr(0, 3))], indirect=True)
seed("blk-getid", 1, VERSION_1 | (1 << 5), [(0x300, 16, 0), (0x400, 20, 2), (0x600, 1, 2)], [(0x300, hdr(8, 0))])
seed("blk-discard", 0, blk, [(0x300, 16, 0), (0x310, 16, 0), (0x600, 1, 2)], [(0x300, hdr(11, 0)), (0x310, struct.pack("<QII", 4, 8, 0))])
seed("blk-write-zeroes", 0, blk, [(0x300, 16, 0), (0x310, 16, 0), (0x600, 1, 2)], [(0x300, hdr(13, 0)), (0x310, struct.pack("<QII", 4, 8, 1))])
seed("console-tx", 2, VERSION_1 | 1 | 4, [(0x300, 5, 0)], [(0x300, b"hello")], ops=((5, 4, 0, 0), (2, 1, 0, 0)))
seed("rng", 3, VERSION_1 | EVENT_IDX, [(0x300, 64, 2)], [])
PY

export SWIFT_BACKTRACE=enable=no
echo "fuzzing for ${DURATION}s with $JOBS job(s)"
args=(-max_total_time="$DURATION" -timeout=5 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1
      -artifact_prefix="$OUT/artifacts/" "$OUT/corpus" "$OUT/seeds")
if [ "$JOBS" -gt 1 ]; then
    args=(-jobs="$JOBS" -workers="$JOBS" "${args[@]}")
fi
"$BUILD/virtio-fuzzer" "${args[@]}"
