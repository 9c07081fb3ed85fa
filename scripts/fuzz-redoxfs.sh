#!/usr/bin/env bash
# fuzz-redoxfs.sh SECONDS [libFuzzer flags…] — build the RedoxFS libFuzzer target (core sources +
# Tests/Fuzz/RedoxFSFuzz/main.swift, swiftc -sanitize=fuzzer,address) and run it for SECONDS.
# The corpus lives in fuzz-out/redoxfs/corpus (git-ignored); crashes land in fuzz-out/redoxfs/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"; shift || true
out=fuzz-out/redoxfs
mkdir -p "$out/corpus"
swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name RedoxFSFuzz \
    Guest/Libraries/RedoxFS/*.swift Tests/Fuzz/RedoxFSFuzz/main.swift -o "$out/redoxfs-fuzz"
# Seeds: an empty patch list (the valid template) in each mode.
for m in 0 2 4 6; do printf "\\x$(printf %02x $m)" > "$out/corpus/seed-mode-$m"; done
# Swift's own crash backtracer fights ASan's reports (and can hang): leave crashes to libFuzzer.
export SWIFT_BACKTRACE=enable=no
exec "$out/redoxfs-fuzz" "$out/corpus" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -rss_limit_mb=4096 -artifact_prefix="$out/" -print_final_stats=1 "$@"
