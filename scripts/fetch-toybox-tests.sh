#!/bin/bash
# fetch-toybox-tests.sh BUILD — toybox 0.8.9's own test suite (tests/*.test and tests/files),
# the judge of issue 13's utilities: Debian's source package fetched with apt-get source
# (shared/docs PORTS.md: only the .orig.tar.xz downloads; its sha256 is checked), cached in
# BUILD/ports/cache, and unpacked into BUILD/toybox/tests. Nothing fetched is committed: the
# tests are read by our runner (scripts/toybox/runner.sh) on the host and in the guest.
set -euo pipefail
BUILD=$(cd "${1:?usage: fetch-toybox-tests.sh BUILD}" && pwd)
export BUILD
. "$(dirname "$0")/../ports/lib.sh"

FILE=toybox_0.8.9+dfsg.orig.tar.xz
SHA=16fb5967531e88ca33b8c9142376987617ebe52e34e2b3f3a779603674b7d07c
OUT=$BUILD/toybox
if [ -f "$OUT/tests/.sha256" ] && [ "$(cat "$OUT/tests/.sha256")" = "$SHA" ]; then exit 0; fi
fetch_apt toybox=0.8.9+dfsg-1 "$FILE" "$SHA"
rm -rf "$OUT" && mkdir -p "$OUT"
tar xf "$CACHE/$FILE" -C "$OUT" --strip-components=1 toybox-0.8.9/tests
echo "$SHA" > "$OUT/tests/.sha256"
say "toybox tests: $(ls "$OUT/tests"/*.test | wc -l) files in $OUT/tests"
