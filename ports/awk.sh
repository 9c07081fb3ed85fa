#!/usr/bin/env bash
# original-awk 2022-09-12 (Debian's original-awk source: the one true awk): /usr/bin/awk. Built as
# its makefile builds it — the grammar by `bison -d` on the host (awkgram.y), proctab.c by
# maketab, a host program (host cc), the rest by swiftvm-cc with -O2. Its regression tests
# (bugs-fixed/: each *.awk with an optional *.in and the expected *.ok) go to
# /usr/share/ports/awk/bugs-fixed for the boot test, with awk beside them as ../a.out, where its
# REGRESS script runs it (three .ok files hold the program name "../a.out" in messages). The same
# sources built for the host (cc) go to build/ports/host/awk, to compare with.
#   BUILD=/abs/build ports/awk.sh
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ARCHIVE=original-awk_2022-09-12.orig.tar.gz
SHA256=25e0846d5a4a20e90304bee282b068f65966406178a1e737fa0ac6744aef71d9
fetch_apt original-awk=2022-09-12-1 "$ARCHIVE" "$SHA256"
command -v bison >/dev/null || die "awk: bison is needed on the host (scripts/install-deps.sh installs it)"

unpack awk "$CACHE/$ARCHIVE"
SRC=$WORK/original-awk-2022-09-12
CFLAGS="-O2 ${PORT_CFLAGS[*]}"
(cd "$SRC" && make awkgram.tab.c proctab.c HOSTCC="$HOSTCC" YACC="bison -d" \
     && make a.out CC="$CC" CFLAGS="$CFLAGS" HOSTCC="$HOSTCC" YACC="bison -d") > "$WORK/build.log" 2>&1 \
    || { tail -20 "$WORK/build.log" >&2; die "awk: build failed ($WORK/build.log)"; }
install -m 755 "$SRC/a.out" "$ROOT/usr/bin/awk"
rm -rf "$ROOT/usr/share/ports/awk" && mkdir -p "$ROOT/usr/share/ports/awk"
cp -R "$SRC/bugs-fixed" "$ROOT/usr/share/ports/awk/"
install -m 755 "$SRC/a.out" "$ROOT/usr/share/ports/awk/a.out"
# The host build, from a fresh copy of the tree.
cp -R "$SRC" "$WORK/host" && (cd "$WORK/host" && make clean && make a.out CC="$HOSTCC" CFLAGS=-O2 HOSTCC="$HOSTCC" YACC="bison -d") \
    > "$WORK/host.log" 2>&1 || { tail -20 "$WORK/host.log" >&2; die "awk: host build failed ($WORK/host.log)"; }
mkdir -p "$BUILD/ports/host" && install -m 755 "$WORK/host/a.out" "$BUILD/ports/host/awk"
say "awk: /usr/bin/awk, /usr/share/ports/awk/bugs-fixed"
