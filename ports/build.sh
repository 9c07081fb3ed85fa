#!/usr/bin/env bash
# build.sh — `make ports`: runs each port's recipe (ports/<port>.sh) unless it last ran with the
# same recipe, ports/lib.sh and sysroot (digests in build/ports/stamp/<port>; by content, since
# make-sysroot.sh writes the sysroot anew at every make), so a second `make` rebuilds nothing.
#   ports/build.sh BUILD_DIR [PORT…]      (default: every port)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:?usage: build.sh BUILD_DIR [PORT…]}" && pwd); shift
export BUILD
PORTS=("$@")
[ ${#PORTS[@]} -gt 0 ] || PORTS=(zlib awk lua sqlite)
[ -f "$BUILD/sysroot/lib/libc.a" ] || { echo "ports: no sysroot in $BUILD (make sysroot)" >&2; exit 1; }
mkdir -p "$BUILD/ports/stamp"
for port in "${PORTS[@]}"; do
    recipe=$HERE/$port.sh
    [ -f "$recipe" ] || { echo "ports: no recipe $recipe" >&2; exit 1; }
    stamp=$BUILD/ports/stamp/$port
    inputs=$(cat "$recipe" "$HERE/lib.sh" "$BUILD/sysroot/lib/"* "$BUILD/bin/swiftvm-cc" \
             <(find "$BUILD/sysroot/include" -type f -print0 | sort -z | xargs -0 cat) | sha256sum)
    [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ] && continue
    rm -f "$stamp"
    "$recipe"
    echo "$inputs" > "$stamp"
done
