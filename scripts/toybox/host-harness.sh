#!/bin/sh
# host-harness.sh — toybox's test files against OUR utilities on the host, in seconds: a quick
# loop for finding where they differ from GNU before confirming in the guest (where a case costs
# about a second). utilities-host (Tests/UtilitiesHost, `swift build --product utilities-host`) is
# linked under each of our utilities' names in a scratch directory put first in PATH; the programs
# that are not in the Utilities library (cp, mkdir, echo, printf, test, …: guest-only programs)
# fall through to GNU's, so only the library's utilities are judged here.
# Runs the same files with GNU's programs alone (the baseline) and prints, per utility,
# "UTILITY GNU OURS" (cases GNU passes, and of those the ones ours pass), then the cases GNU passes
# that ours fail.
# Usage: host-harness.sh UTILITIES_HOST TESTS_DIR UTILITY…   (VERBOSE=1: the runner's diffs)
set -eu
BINARY=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") TESTS=$(cd "$2" && pwd)
shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/bin" "$WORK/gnu" "$WORK/ours"
for name in $("$BINARY" --names); do ln -s "$BINARY" "$WORK/bin/$name"; done
GNU_PATH=/usr/bin:/bin
env -i PATH=$GNU_PATH LC_ALL=C TZ=UTC HOME="${HOME:-/root}" /usr/bin/dash "$HERE/runner.sh" "$TESTS" "$WORK/gnu" "$@" > "$WORK/gnu.txt" 2>&1 || true
env -i PATH="$WORK/bin:$GNU_PATH" LC_ALL=C TZ=UTC HOME="${HOME:-/root}" ${VERBOSE:+VERBOSE=1} /usr/bin/dash "$HERE/runner.sh" "$TESTS" "$WORK/ours" "$@" > "$WORK/ours.txt" 2>&1 || true
# a case is its name and its occurrence (a file may repeat a name), as ToyboxBootTests counts them
key() { awk '/^(PASS|FAIL|SKIP): /{ r=$1; sub(/^[A-Z]+: /, ""); n[$0]++; if (r == "PASS:") print $0 " #" n[$0]-1 }' "$1" | sort; }
key "$WORK/gnu.txt" > "$WORK/gnu.pass"
key "$WORK/ours.txt" > "$WORK/ours.pass"
for utility in "$@"; do
  gnu=$(grep -c "^$utility " "$WORK/gnu.pass" || true)
  both=$(comm -12 "$WORK/gnu.pass" "$WORK/ours.pass" | grep -c "^$utility " || true)
  echo "$utility $gnu $both"
done
echo "GNU-passed cases that fail with ours:"
comm -23 "$WORK/gnu.pass" "$WORK/ours.pass"
[ -z "${VERBOSE:-}" ] || cat "$WORK/ours.txt"
