#!/usr/bin/env bash
# make-sysroot.sh — build/sysroot and build/bin/swiftvm-cc, from the guest build's objects:
#   scripts/make-sysroot.sh BUILD_DIR GUEST_OUT
# include/   the C library's headers (Guest/Libraries/LibC/include)
# lib/crt1.o _start (Guest/Libraries/UserRuntime/start.S)
# lib/libc.a everything a C program of the guest package links besides its own code and _start:
#            LibC, its Swift half (LibCPosix, LibCNumbers, LibCTime, Numbers), UserLib, UserRuntime, RuntimeSupport,
#            Freestanding, ABI — read from SwiftPM's link list for `ctest`, so it stays in step
#            with Guest/Package.swift
# lib/libm.a musl's math (scripts/fetch-libm.sh), lib/user.ld, lib/libswiftUnicodeDataTables.a
set -euo pipefail
BUILD=${1:?usage: make-sysroot.sh BUILD_DIR GUEST_OUT}
GUEST_OUT=${2:?usage: make-sysroot.sh BUILD_DIR GUEST_OUT}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LIST=$GUEST_OUT/ctest.product/Objects.LinkFileList
[ -f "$LIST" ] || { echo "make-sysroot: $LIST missing (build the guest first)" >&2; exit 1; }
[ -f "$BUILD/libm/libm.a" ] || { echo "make-sysroot: $BUILD/libm/libm.a missing (scripts/fetch-libm.sh)" >&2; exit 1; }
S=$BUILD/sysroot
rm -rf "$S.new" && mkdir -p "$S.new/include" "$S.new/lib"
cp -R "$ROOT/Guest/Libraries/LibC/include/." "$S.new/include/"
objects=()
while read -r o; do
    o=${o//\"/}
    case "$o" in
        */ctest.build/*) ;;                                  # the program itself
        */UserRuntime.build/start.S.o) cp "$o" "$S.new/lib/crt1.o" ;;
        *) objects+=("$o") ;;
    esac
done < "$LIST"
[ -f "$S.new/lib/crt1.o" ] || { echo "make-sysroot: no start.S.o in $LIST" >&2; exit 1; }
# q, not r: two members share a name (LibC and Freestanding both have string.c.o).
ar qcs "$S.new/lib/libc.a" "${objects[@]}"
cp "$BUILD/libm/libm.a" "$ROOT/Guest/Libraries/UserRuntime/user.ld" "$S.new/lib/"
# -ldl, -lreadline, -lhistory: their functions are in libc.a (as musl keeps libdl.a empty).
for l in dl readline history; do ar qc "$S.new/lib/lib$l.a"; done
# exports.so: an empty shared object, so that ld.lld emits a -E program's dynamic symbols (swiftvm-cc).
TOOLS=${SWIFTVM_TOOLCHAIN:-/opt/swift/usr/bin}
echo 'extern int sv_exports_placeholder;' | "$TOOLS/clang" --target=x86_64-unknown-none-elf -x c -c - -o "$S.new/lib/exports.o"
"$TOOLS/ld.lld" -shared -soname exports.so "$S.new/lib/exports.o" -o "$S.new/lib/exports.so"
rm "$S.new/lib/exports.o"
cp /opt/swift/usr/lib/swift/embedded/x86_64-unknown-none-elf/libswiftUnicodeDataTables.a "$S.new/lib/"
rm -rf "$S" && mv "$S.new" "$S"
mkdir -p "$BUILD/bin"
cp "$ROOT/scripts/swiftvm-cc" "$BUILD/bin/swiftvm-cc"
echo "make-sysroot: $S (libc.a: ${#objects[@]} objects), $BUILD/bin/swiftvm-cc"
