#!/usr/bin/env bash
# zlib 1.2.13 (Debian's zlib 1:1.2.13.dfsg-1 source): its test programs `example` and `minigzip`
# built for the guest with swiftvm-cc through zlib's own configure (as a POSIX system builds it),
# installed as /usr/bin/example and /usr/bin/minigzip; both are also built for the host (cc) into
# build/ports/host, so the boot test compares the guest's output with the host build's, byte for byte.
#   BUILD=/abs/build ports/zlib.sh
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ARCHIVE=zlib_1.2.13.dfsg.orig.tar.bz2
SHA256=71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1
fetch_apt zlib=1:1.2.13.dfsg-1 "$ARCHIVE" "$SHA256"

unpack zlib "$CACHE/$ARCHIVE"
SRC=$WORK/zlib-1.2.13.dfsg
# The host build first (a copy of the same tree), for the byte-for-byte comparison.
cp -R "$SRC" "$WORK/host"
(cd "$WORK/host" && CC=$HOSTCC CFLAGS=-O2 ./configure --static && make example minigzip) > "$WORK/host.log" 2>&1 \
    || { tail -20 "$WORK/host.log" >&2; die "zlib: host build failed ($WORK/host.log)"; }
(cd "$SRC" && CC=$CC CFLAGS=-O2 ./configure --static && make AR=ar ARFLAGS=rc RANLIB=ranlib example minigzip) \
    > "$WORK/build.log" 2>&1 || { tail -20 "$WORK/build.log" >&2; die "zlib: build failed ($WORK/build.log)"; }
install -m 755 "$SRC/example" "$SRC/minigzip" "$ROOT/usr/bin/"
mkdir -p "$BUILD/ports/host"
install -m 755 "$WORK/host/example" "$BUILD/ports/host/example"
install -m 755 "$WORK/host/minigzip" "$BUILD/ports/host/minigzip"
say "zlib: /usr/bin/example, /usr/bin/minigzip"
