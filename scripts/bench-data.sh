#!/usr/bin/env bash
# bench-data.sh — bulk data paths and the everyday utilities, guest vs host on the same data in the
# same run (issue 13 §3, issue 14): one table of workload, guest time, host time, ratio (host time
# / guest time: the guest's speed as a fraction of the host's), the issue's goal, and the guest
# kernel's entries per MiB moved — with the raw trap cost of this run above it, since a trap costs
# several times more on some machines of this kind than on others (shared/docs/HOST.md).
#
# The data is made on the host (deterministic: the same bytes every run) and put on an image of its
# own; the guest runs every workload in one boot under `kstat` (elapsed time and kernel counters
# around the command), the host runs the same commands with GNU coreutils on the same files.
# Usage: scripts/bench-data.sh   (needs `make all`: build/swiftvm, build/root, /dev/kvm)
set -euo pipefail
cd "$(dirname "$0")/.."
B=build
D=$B/bench-data
big_mib=64 sort_mib=10 tree_dirs=100 tree_files=100

# ---- the data (kept between runs: made again only when missing) ----
if [ ! -f "$D/ready" ]; then
    rm -rf "$D" && mkdir -p "$D/data"
    python3 - "$D/data" "$big_mib" "$sort_mib" "$tree_dirs" "$tree_files" <<'EOF'
import os, random, sys
out, big, sort_mib, dirs, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rng = random.Random(20261207)
words = ["alpha", "beta", "gamma", "delta", "kernel", "entry", "virtio", "swift", "redox", "fsd", "blkd", "needle"]
def lines(total):
    n, chunk = 0, []
    while n < total:
        line = " ".join(rng.choice(words) for _ in range(8)) + " %d\n" % rng.randrange(10**9)
        chunk.append(line); n += len(line)
        if len(chunk) == 4096:
            yield "".join(chunk); chunk = []
    yield "".join(chunk)
with open(os.path.join(out, "big.txt"), "w") as f:
    for c in lines(big << 20): f.write(c)
with open(os.path.join(out, "sort.txt"), "w") as f:
    for c in lines(sort_mib << 20): f.write(c)
for d in range(dirs):
    os.makedirs(os.path.join(out, "tree", "d%03d" % d))
    for i in range(files):
        with open(os.path.join(out, "tree", "d%03d" % d, "f%03d.txt" % i), "w") as f: f.write("file %d %d\n" % (d, i))
EOF
    mkdir -p "$D/root" && cp -R $B/root/. "$D/root/" && mv "$D/data" "$D/root/data"
    touch "$D/ready"
fi
rm -f "$D/bench.img"
$B/swiftvm image build "$D/bench.img" --from "$D/root" --size 640M >/dev/null

big=/data/big.txt sorted=/data/sort.txt tree=/data/tree
big_bytes=$(stat -c %s "$D/root$big") sort_bytes=$(stat -c %s "$D/root$sorted")
# name, command, bytes moved (for entries per MiB), goal — separated by tabs (commands hold `|`)
T=$'\t'
workloads=(
    "cat BIG > /dev/null${T}cat $big > /dev/null${T}$big_bytes${T}0.5"
    "cat BIG | wc -c${T}cat $big | wc -c${T}$big_bytes${T}0.3"
    "cp BIG (64 MiB)${T}cp $big /tmp/copy${T}$big_bytes${T}0.3"
    "wc BIG${T}wc $big${T}$big_bytes${T}0.5"
    "grep -c needle BIG${T}grep -c needle $big${T}$big_bytes${T}0.5"
    "sort (10 MiB)${T}sort $sorted > /dev/null${T}$sort_bytes${T}0.5"
    "find (10,000 files)${T}find $tree > /dev/null${T}0${T}0.5"
)

# ---- the guest: one boot, each workload under kstat ----
script=""
for w in "${workloads[@]}"; do
    IFS=$'\t' read -r name cmd bytes goal <<<"$w"
    script+="echo '== $name'; kstat -b $((bytes > 0 ? bytes : 1)) sh -c '$cmd' 2>&1 | grep -E 'elapsed|kernel entries'; rm -f /tmp/copy; "
done
guest_out=$($B/swiftvm run "$D/bench.img" --ephemeral --memory 1G --timeout 1200 -- sh -c "$script")
trap_line=$($B/swiftvm run $B/kernel.elf --initrd $B/initrd.img --cmdline init=bench --no-input --timeout 120 | grep "^bench:" | head -1)

# ---- the host: the same commands on the same files ----
now() { date +%s%N; }
export LC_ALL=C   # bytewise, as the guest's utilities compare
host_us() {   # best of three, in microseconds
    local best=0 t0 t1
    for _ in 1 2 3; do
        t0=$(now); (cd "$D/root" && sh -c "$1" >/dev/null 2>&1); t1=$(now)
        local us=$(( (t1 - t0) / 1000 ))
        if [ $best -eq 0 ] || [ $us -lt $best ]; then best=$us; fi
        rm -f "$D/root/tmp/copy"
    done
    echo $best
}

echo "raw trap cost of this run: $trap_line"
printf '%-22s %12s %12s %7s %6s %18s\n' workload guest host ratio goal "entries per MiB"
for w in "${workloads[@]}"; do
    IFS=$'\t' read -r name cmd bytes goal <<<"$w"
    section=$(printf '%s\n' "$guest_out" | awk -v n="== $name" '$0 == n { on = 1; next } /^== / { on = 0 } on')
    g_us=$(printf '%s\n' "$section" | awk '/kstat: elapsed/ { print $3 }')
    per_mib=$(printf '%s\n' "$section" | awk '/kstat: kernel entries/ { gsub(/[()]/, "", $5); print $5 }')
    [ "$bytes" -gt 0 ] || per_mib="-"
    h_cmd=${cmd//\/data/data}; h_cmd=${h_cmd//\/tmp\/copy/tmp\/copy}
    [[ "$h_cmd" == cp* ]] && h_cmd="cp --reflink=never ${h_cmd#cp }"
    h_us=$(host_us "$h_cmd")
    ratio=$(awk -v g="${g_us:-0}" -v h="$h_us" 'BEGIN { if (g > 0) printf "%.2f", h / g; else print "-" }')
    printf '%-22s %10.3f s %10.3f s %7s %6s %18s\n' "$name" "$(awk -v u="${g_us:-0}" 'BEGIN { print u / 1e6 }')" \
        "$(awk -v u="$h_us" 'BEGIN { print u / 1e6 }')" "$ratio" "$goal" "${per_mib:--}"
done
