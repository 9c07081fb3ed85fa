#!/bin/sh
# bench-shell.sh — dash vs swiftvm-sh on the host: a loop of 100,000 iterations of arithmetic,
# `test` and variable expansion. Prints both times and the ratio.
# Usage: scripts/bench-shell.sh [path/to/swiftvm-sh]   (default: the release build, built if missing)
set -e
cd "$(dirname "$0")/.."
sh_bin=${1:-.build/release/swiftvm-sh}
if [ ! -x "$sh_bin" ]; then
    swift build -c release --product swiftvm-sh >&2
fi
script=$(mktemp)
trap 'rm -f "$script"' EXIT
cat > "$script" <<'BENCH'
i=0 sum=0 name=value
while [ $i -lt 100000 ]; do
    sum=$(( (sum + i * 3) % 1000003 ))
    if test "${name}x" = "valuex"; then n=${#name}; fi
    i=$((i + 1))
done
echo "$sum $n"
BENCH
now() { date +%s.%N; }
t0=$(now); out_dash=$(dash "$script"); t1=$(now)
out_ours=$("$sh_bin" "$script"); t2=$(now)
[ "$out_dash" = "$out_ours" ] || { echo "outputs differ: dash '$out_dash', swiftvm-sh '$out_ours'" >&2; exit 1; }
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
    d = b - a; s = c - b
    printf "dash        %.3f s\nswiftvm-sh  %.3f s\nratio       %.2fx (swiftvm-sh / dash)\n", d, s, s / d
}'
