# lib.sh — what every port recipe shares (sourced by ports/*.sh; see ports/README.md).
# A recipe fetches a third-party source from a package registry this machine reaches (Debian's
# archive through apt, PyPI through pip), checks its sha256, unpacks it under build/ports/work,
# builds it unmodified with build/bin/swiftvm-cc and installs into build/ports/root, which the
# Makefile's os.img rule copies onto the image. Nothing fetched is ever committed.
#   BUILD       the build directory (absolute)
#   CACHE       $BUILD/ports/cache: the fetched archives, kept so a second run needs no network
#   WORK        $BUILD/ports/work/<port>: the unpacked source, made afresh each build
#   ROOT        $BUILD/ports/root: the image tree (usr/bin, usr/share/ports/<port>)
#   CC          build/bin/swiftvm-cc
set -euo pipefail
BUILD=${BUILD:?ports: BUILD is not set}
CACHE=$BUILD/ports/cache
ROOT=$BUILD/ports/root
CC=$BUILD/bin/swiftvm-cc
HOSTCC=${HOSTCC:-cc}
mkdir -p "$CACHE" "$ROOT/usr/bin" "$ROOT/usr/share/ports"

PORT_CFLAGS=()   # build flags a recipe may need (ports/README.md lists each with its reason): none today

say() { echo "ports: $*" >&2; }
die() { say "$*"; exit 1; }

# verify FILE SHA256: true if FILE exists and has that digest.
verify() { [ -f "$1" ] && echo "$2  $1" | sha256sum -c --quiet >/dev/null 2>&1; }

# A private apt directory whose source list is the machine's own with `Types: deb` made
# `Types: deb-src` (the machine's apt has no source lines; the system is left unchanged).
# Shared/docs PORTS.md. Sets APT_OPTIONS.
apt_private() {
    local d=$BUILD/ports/apt
    mkdir -p "$d/parts" "$d/lists/partial" "$d/cache/archives/partial"
    APT_OPTIONS=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$d/parts"
                 -o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache")
    if [ ! -f "$d/parts/src.sources" ]; then
        local found=0
        for f in /etc/apt/sources.list.d/*.sources; do
            [ -f "$f" ] || continue
            sed 's/^Types: deb$/Types: deb-src/' "$f" > "$d/parts/src-$(basename "$f")"; found=1
        done
        if [ -f /etc/apt/sources.list ]; then
            sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > "$d/parts/src.list"; found=1
        fi
        [ $found = 1 ] || die "no apt source list to derive deb-src lines from"
        touch "$d/parts/src.sources"
    fi
    if ! ls "$d/lists/"*Sources* >/dev/null 2>&1; then
        apt-get "${APT_OPTIONS[@]}" update >/dev/null || die "apt-get update (private source lists) failed"
    fi
}

# fetch_apt SOURCE_PACKAGE[=VERSION] FILE SHA256: $CACHE/FILE, downloaded with
# `apt-get source --download-only` unless the cached copy already has the digest.
fetch_apt() {
    local package=$1 file=$2 sha=$3
    verify "$CACHE/$file" "$sha" && return 0
    say "fetching $package (apt-get source)"
    apt_private
    # apt exits non-zero if one of the package's files is missing; only FILE matters here.
    (cd "$CACHE" && apt-get "${APT_OPTIONS[@]}" source --download-only "$package" >/dev/null 2>&1) || true
    verify "$CACHE/$file" "$sha" || die "$CACHE/$file: missing or sha256 mismatch (want $sha)"
}

# unpack PORT ARCHIVE: a fresh $WORK holding the archive's contents; sets WORK.
unpack() {
    WORK=$BUILD/ports/work/$1
    rm -rf "$WORK" && mkdir -p "$WORK"
    tar xf "$2" -C "$WORK"
}

# fetch_pip PROJECT VERSION FILE SHA256: $CACHE/FILE, the project's source distribution from
# PyPI (pip's configured index), unless the cached copy already has the digest. `pip download`
# saves an sdist only after preparing its metadata, which for lupa builds LuaJIT and has taken
# minutes or hung (shared/docs PORTS.md); so pip only resolves the archive's address here (its
# -vvv log: "Found link URL"), is stopped, and the archive is fetched from that address.
fetch_pip() {
    local project=$1 version=$2 file=$3 sha=$4
    verify "$CACHE/$file" "$sha" && return 0
    say "fetching $project $version (pip)"
    local log; log=$(mktemp)
    # Its own process group, so stopping it stops the metadata build it started too.
    setsid pip download --no-deps --no-binary :all: --no-build-isolation "$project==$version" \
        -d "$(mktemp -d)" -vvv > "$log" 2>&1 &
    local pip=$! url="" waited=0
    while [ $waited -lt 300 ] && kill -0 $pip 2>/dev/null; do
        url=$(grep -o "Found link [^ ]*/$file" "$log" | head -1 | sed 's/^Found link //') || true
        [ -n "$url" ] && break
        sleep 1; waited=$((waited + 1))
    done
    [ -n "$url" ] || url=$(grep -o "Found link [^ ]*/$file" "$log" | head -1 | sed 's/^Found link //') || true
    kill -- -$pip 2>/dev/null || true; wait $pip 2>/dev/null || true
    rm -f "$log"
    [ -n "$url" ] || die "$project $version: pip did not resolve $file"
    python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "$url" "$CACHE/$file.part" \
        || die "$project $version: cannot download $url"
    mv "$CACHE/$file.part" "$CACHE/$file"
    verify "$CACHE/$file" "$sha" || { rm -f "$CACHE/$file"; die "$CACHE/$file: sha256 mismatch (want $sha)"; }
}
