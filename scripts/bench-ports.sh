#!/bin/sh
# bench-ports.sh — the ports' speed in the guest against the same sources built for the host by
# the host's cc (ports/*.sh put those in build/ports/host), in the same run (issue 11 §4):
#   1. Lua's test suite as `lua -e _U=true all.lua` (testes/ from the lupa sdist);
#   2. a CPU-bound Lua benchmark, scripts/bench-ports.lua (should be ~1.0: user code runs natively);
#   3. zlib: minigzip compressing and decompressing 64 MiB (build/ports/bench.dat: the build's own
#      binaries and the Lua test files repeated, so neither trivially nor not at all compressible).
# A guest time is the boot running the work less a boot running `true` on the same image, measured
# just before (as scripts/bench-shell.sh does), so file I/O through the file server counts but the
# boot does not. Outputs are compared with the host's. Needs `make all` (with the ports) and /dev/kvm.
set -e
cd "$(dirname "$0")/.."
B=build
vmm=$B/swiftvm
for f in "$vmm" $B/os.img $B/ports/host/lua $B/ports/host/minigzip $B/ports/root/usr/share/ports/lua/testes/all.lua; do
    [ -e "$f" ] || { echo "bench-ports: $f is missing (make all)"; exit 0; }
done
[ -w /dev/kvm ] || { echo "bench-ports: needs /dev/kvm"; exit 0; }
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }

# The image: os.img's tree, the ports' test files, the benchmark script, the 64 MiB input and its
# host-compressed copy (which the guest decompresses).
tree=$B/ports/bench-root image=$B/ports/bench.img data=$B/ports/bench.dat
rm -rf "$tree" && cp -R $B/root "$tree" && mkdir -p "$tree/usr" "$tree/bench" && cp -R $B/ports/root/usr/share "$tree/usr/"
cp scripts/bench-ports.lua "$tree/bench/"
if [ ! -f "$data" ] || [ "$(stat -c %s "$data")" != 67108864 ]; then
    ( while :; do cat $B/*.elf $B/ports/root/usr/share/ports/lua/testes/*.lua; done ) 2>/dev/null | head -c 67108864 > "$data"
fi
cp "$data" "$tree/bench/data"
$B/ports/host/minigzip < "$data" > "$tree/bench/data.gz"
$vmm image build "$image" --from "$tree" --size 512M >/dev/null

guest() { "$vmm" run "$image" --ephemeral --timeout 1200 -- sh -c "$1"; }
t0=$(now); guest true >/dev/null; t1=$(now)
boot=$(seconds "$t0" "$t1")
# measure NAME HOST_COMMAND GUEST_COMMAND: runs both, checks they print the same, prints the times.
measure() {
    h0=$(now); host_out=$(sh -c "$2"); h1=$(now)
    g0=$(now); guest_out=$(guest "$3"); g1=$(now)
    [ "$host_out" = "$guest_out" ] || { echo "bench-ports: $1: the guest printed '$guest_out', the host '$host_out'" >&2; exit 1; }
    host_time=$(seconds "$h0" "$h1")
    guest_time=$(awk -v a="$g0" -v b="$g1" -v boot="$boot" 'BEGIN { printf "%.3f", b - a - boot }')
    echo "  $1: host $host_time s, guest $guest_time s   (guest/host $(ratio "$host_time" "$guest_time"))"
}
echo "== the ports, guest vs the host's build of the same sources (a boot of \`true\`, $boot s, subtracted)"
testes=$(pwd)/$B/ports/root/usr/share/ports/lua/testes hostlua=$(pwd)/$B/ports/host/lua
measure "Lua test suite (lua -e _U=true all.lua)" \
    "cd '$testes' && '$hostlua' -e _U=true all.lua 2>&1 | grep -c 'final OK !!!'" \
    "cd /usr/share/ports/lua/testes && /usr/bin/lua -e _U=true all.lua 2>&1 | grep -c 'final OK !!!'"
measure "CPU-bound Lua (scripts/bench-ports.lua)" "'$hostlua' scripts/bench-ports.lua" "/usr/bin/lua /bench/bench-ports.lua"
hostgz=$(pwd)/$B/ports/host/minigzip
measure "zlib: compress 64 MiB (minigzip)" "'$hostgz' < '$tree/bench/data' | wc -c" "/usr/bin/minigzip < /bench/data | wc -c"
measure "zlib: decompress to 64 MiB (minigzip -d)" "'$hostgz' -d < '$tree/bench/data.gz' | wc -c" "/usr/bin/minigzip -d < /bench/data.gz | wc -c"
rm -rf "$tree" "$image"
