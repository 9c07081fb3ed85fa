#!/bin/sh
# bench-shell.sh — the shell's speed against dash (issue 12 §4), in the same run:
#   1. a loop of 100,000 iterations of arithmetic, `test` and variable expansion (no process
#      starts): dash on the host, swiftvm-sh on the host (the same Shell library), and the guest's
#      /bin/sh (booted with `swiftvm run build/os.img --ephemeral -- sh -c LOOP`);
#   2. 1,000 starts of /bin/true: dash on the host vs the guest's /bin/sh; then the kernel entries
#      a start costs, counted by the guest's kstat (the kernel's counters: system calls, faults,
#      interrupts — the servers' work for the start included) over 100 starts, less the same loop
#      running the builtin `:` instead;
#   3. the guest's null system call (the `bench` program), since a trap's price differs several-fold
#      between hosts of this kind (shared/docs/HOST.md): entries per start judge the start path, times
#      only together with it.
# A guest time is the boot running the work less a boot running `true` (the same image, measured
# just before), so it counts the shell's work, not the boot. Prints the times and the ratios.
# Usage: scripts/bench-shell.sh [path/to/swiftvm-sh]   (default: the release build, built if missing;
# the guest part needs build/swiftvm and build/os.img: `make all`, and /dev/kvm)
set -e
cd "$(dirname "$0")/.."
sh_bin=${1:-.build/release/swiftvm-sh}
if [ ! -x "$sh_bin" ]; then
    swift build -c release --product swiftvm-sh >&2
fi
loop='i=0 sum=0 name=value
while [ $i -lt 100000 ]; do
    sum=$(( (sum + i * 3) % 1000003 ))
    if test "${name}x" = "valuex"; then n=${#name}; fi
    i=$((i + 1))
done
echo "$sum $n"'
starts='i=0
while [ $i -lt 1000 ]; do /bin/true; i=$((i + 1)); done
echo "$i"'
now() { date +%s.%N; }
# seconds A B: B - A
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }

t0=$(now); out_dash=$(dash -c "$loop"); t1=$(now)
out_host=$("$sh_bin" -c "$loop"); t2=$(now)
[ "$out_dash" = "$out_host" ] || { echo "outputs differ: dash '$out_dash', swiftvm-sh '$out_host'" >&2; exit 1; }
dash_loop=$(seconds "$t0" "$t1"); host_loop=$(seconds "$t1" "$t2")
echo "== 100,000 iterations of arithmetic, test and expansion"
echo "  dash (host)        $dash_loop s"
echo "  swiftvm-sh (host)  $host_loop s   ($(ratio "$dash_loop" "$host_loop")x dash's time)"

vmm=build/swiftvm image=build/os.img
if [ ! -x "$vmm" ] || [ ! -f "$image" ] || [ ! -w /dev/kvm ]; then
    echo "  (the guest part needs build/swiftvm, build/os.img and /dev/kvm)"
    exit 0
fi
guest() { "$vmm" run "$image" --ephemeral --timeout 600 -- sh -c "$1"; }
t0=$(now); guest true >/dev/null; t1=$(now)
out_guest=$(guest "$loop"); t2=$(now)
[ "$out_dash" = "$out_guest" ] || { echo "outputs differ: dash '$out_dash', guest '$out_guest'" >&2; exit 1; }
boot=$(seconds "$t0" "$t1")
guest_loop=$(awk -v a="$t1" -v b="$t2" -v boot="$boot" 'BEGIN { printf "%.3f", b - a - boot }')
echo "  /bin/sh (guest)    $guest_loop s   ($(ratio "$dash_loop" "$guest_loop")x dash's time; a boot of \`true\` took $boot s and is subtracted)"

echo "== 1,000 starts of /bin/true"
t0=$(now); dash -c "$starts" >/dev/null; t1=$(now)
t2=$(now); out_guest=$(guest "$starts"); t3=$(now)
[ "$out_guest" = 1000 ] || { echo "the guest loop printed '$out_guest'" >&2; exit 1; }
dash_starts=$(seconds "$t0" "$t1")
guest_starts=$(awk -v a="$t2" -v b="$t3" -v boot="$boot" 'BEGIN { printf "%.3f", b - a - boot }')
echo "  dash (host)        $dash_starts s   ($(awk -v s="$dash_starts" 'BEGIN { printf "%.0f", s * 1000 }') µs a start)"
echo "  /bin/sh (guest)    $guest_starts s   ($(awk -v s="$guest_starts" 'BEGIN { printf "%.0f", s * 1000 }') µs a start, $(ratio "$dash_starts" "$guest_starts")x dash's time)"

# kstat prints "kstat: kernel entries N" (and the other counters) on the guest's stderr.
kstat_entries() {
    "$vmm" run "$image" --ephemeral --timeout 600 -- kstat sh -c "$1" 2>&1 >/dev/null |
        awk '/^kstat: kernel entries / { print $4 }'
}
with_starts=$(kstat_entries 'i=0; while [ $i -lt 100 ]; do /bin/true; i=$((i+1)); done')
without=$(kstat_entries 'i=0; while [ $i -lt 100 ]; do :; i=$((i+1)); done')
[ -n "$with_starts" ] && [ -n "$without" ] || { echo "kstat printed no kernel entries" >&2; exit 1; }
echo "  kernel entries per start: $(awk -v a="$with_starts" -v b="$without" 'BEGIN { printf "%.0f", (a - b) / 100 }')   (kstat over 100 starts: $with_starts; the same loop without them: $without)"

echo "== the guest's null system call (bench)"
"$vmm" run build/kernel.elf --initrd build/initrd.img --cmdline init=bench --no-input --timeout 120 |
    grep "^bench: syscall round trip" | sed 's/^bench: /  /'
