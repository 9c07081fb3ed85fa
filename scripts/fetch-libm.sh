#!/usr/bin/env bash
# fetch-libm.sh — the guest's math library: musl's libm objects, taken from Debian's musl-dev
# package at build time (never committed), checked by sha256. Why musl's: README "Math".
#   scripts/fetch-libm.sh BUILD_DIR
# Produces, under BUILD_DIR/libm/:
#   libm.o          the math functions and their internal helpers, one relocatable object
#                   (ld -r of exactly the libc.a members they need); the functions that
#                   Guest/Libraries/LibM/fixes.c corrects are renamed __musl_NAME
#   libm.a          libm.o and fixes.c built for the guest (the sysroot's lib/libm.a)
#   musl-host.o     libm.o with every defined symbol renamed musl_NAME, so the host test
#                   (Tests/LibmTests) links it beside glibc's libm and compares them
# The .deb is cached in BUILD_DIR/cache: a second run needs no network.
set -euo pipefail
BUILD=${1:?usage: fetch-libm.sh BUILD_DIR}
VERSION=1.2.3-1
SHA256=7c34f29a0c1aa12f6da1d25ed6de6fe6bbd9e048ee76b3dcb88c5e51fb65507f
DEB=$BUILD/cache/musl-dev_${VERSION}_amd64.deb
OUT=$BUILD/libm
# The functions the C library's math.h declares (each is checked by Tests/LibmTests); sinh, tanh
# and erfc are fixes.c's (from musl's 80-bit sinhl, tanhl, erfcl), acosh is wrapped there.
FUNCTIONS=(sin cos tan asin acos atan atan2 sinhl cosh tanhl asinh acosh atanh exp exp2 expm1
           log log2 log10 log1p pow sqrt cbrt hypot floor ceil trunc round rint nearbyint fabs
           fmod remainder copysign nextafter fmin fmax fdim frexp ldexp scalbn ilogb logb modf erf erfcl)

LD=${LD_LLD:-/opt/swift/usr/bin/ld.lld}
[ -x "$LD" ] || LD=$(command -v ld.lld)

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FIXES=$ROOT/Guest/Libraries/LibM/fixes.c
if [ -f "$OUT/libm.a" ] && [ -f "$OUT/musl-host.o" ] && [ "$OUT/libm.a" -nt "$0" ] && [ "$OUT/libm.a" -nt "$FIXES" ]; then exit 0; fi
mkdir -p "$BUILD/cache" "$OUT"
if ! echo "$SHA256  $DEB" | sha256sum -c --quiet >/dev/null 2>&1; then
    rm -f "$DEB"
    (cd "$BUILD/cache" && apt-get download "musl-dev=$VERSION" >/dev/null 2>&1) || {
        echo "fetch-libm: cannot download musl-dev=$VERSION with apt-get" >&2; exit 1; }
    echo "$SHA256  $DEB" | sha256sum -c --quiet || { echo "fetch-libm: $DEB: sha256 mismatch" >&2; rm -f "$DEB"; exit 1; }
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
dpkg-deb -x "$DEB" "$TMP"
LIBC=$TMP/usr/lib/x86_64-linux-musl/libc.a
undefined=()
for f in "${FUNCTIONS[@]}"; do undefined+=(-u "$f"); done
# -r with -u: only the archive members that define these (and what they need, transitively).
"$LD" -r -o "$TMP/libm.o" "${undefined[@]}" "$LIBC"
# Self-contained: nothing undefined but the GOT symbol lld adds for GOT-relative relocations.
left=$(nm -u "$TMP/libm.o" | awk '{print $2}' | grep -v '^_GLOBAL_OFFSET_TABLE_$' || true)
[ -z "$left" ] || { echo "fetch-libm: musl's math objects need: $left" >&2; exit 1; }
# Functions fixes.c wraps or replaces (see there; erfc comes in with erf, in one musl object).
objcopy --redefine-sym acosh=__musl_acosh --redefine-sym erfc=__musl_erfc "$TMP/libm.o"
# Only the math functions stay global: the helpers musl's objects brought along (its memcpy, its
# stack-protector symbols, internal tables) become local, so they cannot clash with the C library's.
printf '%s\n' "${FUNCTIONS[@]}" __musl_acosh __musl_erfc > "$TMP/keep"
objcopy --keep-global-symbols="$TMP/keep" "$TMP/libm.o"
nm --defined-only -g "$TMP/libm.o" | awk '{print $3" musl_"$3}' > "$TMP/rename"
objcopy --redefine-syms="$TMP/rename" "$TMP/libm.o" "$TMP/musl-host.o"
mv "$TMP/musl-host.o" "$OUT/musl-host.o"
CLANG=${CLANG:-/opt/swift/usr/bin/clang}
[ -x "$CLANG" ] || CLANG=$(command -v clang)
"$CLANG" --target=x86_64-unknown-none-elf -ffreestanding -fPIE -O2 -c "$FIXES" -o "$TMP/fixes.o"
rm -f "$OUT/libm.a"
ar rcs "$OUT/libm.a" "$TMP/libm.o" "$TMP/fixes.o"
mv "$TMP/libm.o" "$OUT/libm.o"
echo "fetch-libm: $OUT/libm.o ($(nm --defined-only -g "$OUT/libm.o" | wc -l) symbols, musl $VERSION)"
