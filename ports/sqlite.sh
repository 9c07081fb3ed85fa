#!/usr/bin/env bash
# SQLite 3.40.1 (Debian's sqlite3 source, 3.40.1-2+deb12u2; its .orig tarball is the full source
# tree with the test data), built as Debian's debian/rules builds it: `configure` with Debian's
# options, for the guest run against swiftvm-cc and our C library (a cross build: it finds what
# the library has — HAVE_* in sqlite_cfg.h — as Debian's finds glibc's), then the CFLAGS of
# debian/rules. The amalgamation is made on the host as upstream makes it (`make sqlite3.c
# shell.c`, which runs tclsh), each build in its own directory with its own sqlite_cfg.h. The
# `sqlite3` shell goes to /usr/bin; `fuzzcheck`, built with the options upstream's Makefile gives it
# (FUZZCHECK_OPT, FUZZCHECK_SRC), and test/fuzzdata*.db go to /usr/share/ports/sqlite for the boot
# tests. The same sources built for the host (cc) go to build/ports/host, to compare with.
# Threads: SQLITE_THREADSAFE=1 as Debian builds it; pthread.h's mutexes work in our one-thread
# processes and pthread_create fails with EAGAIN, so SQLite's sorter works alone (pthread.h).
#   BUILD=/abs/build ports/sqlite.sh
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ARCHIVE=sqlite3_3.40.1.orig.tar.xz
SHA256=aaa776260ab4dc976db34aa7891819484c8676b5b2783123ebc6301e2ca5d655
fetch_apt sqlite3=3.40.1-2+deb12u2 "$ARCHIVE" "$SHA256"
command -v tclsh >/dev/null || die "sqlite: tclsh is needed on the host to make the amalgamation"

unpack sqlite "$CACHE/$ARCHIVE"
SRC=$WORK/sqlite3-3.40.1
# debian/rules: ./configure … --enable-threadsafe --enable-load-extension --enable-json --enable-fts4
# --enable-fts5 --disable-amalgamation (and Tcl, which the guest does not have: --disable-tcl).
CONFIGURE=(--disable-tcl --enable-threadsafe --enable-load-extension --enable-json --enable-fts4 --enable-fts5
           --disable-amalgamation --disable-readline)
mkdir -p "$WORK/host-build" "$WORK/guest-build"
(cd "$WORK/host-build" && CC="$HOSTCC" "$SRC/configure" "${CONFIGURE[@]}" && make sqlite3.c shell.c) > "$WORK/amalgamation.log" 2>&1 \
    || { tail -20 "$WORK/amalgamation.log" >&2; die "sqlite: making the amalgamation failed ($WORK/amalgamation.log)"; }
# The guest's configure: a cross build (--host), so it only compiles and links its checks.
(cd "$WORK/guest-build" && CC="$CC" "$SRC/configure" --host=x86_64-elf --build="$(uname -m)-pc-linux-gnu" "${CONFIGURE[@]}") \
    > "$WORK/configure-guest.log" 2>&1 || { tail -20 "$WORK/configure-guest.log" >&2; die "sqlite: configure for the guest failed"; }
cp "$WORK/host-build/"{sqlite3.c,shell.c,sqlite3.h,sqlite3ext.h} "$WORK/guest-build/"
# What configure adds to every compile (Makefile.in's TCC): its sqlite_cfg.h and the OPT_FEATURE_FLAGS
# of the options above (--enable-fts4, --enable-fts5, and --enable-math, on by default).
CONFIGURED=(-D_HAVE_SQLITE_CONFIG_H -DSQLITE_ENABLE_MATH_FUNCTIONS -DSQLITE_ENABLE_FTS4 -DSQLITE_ENABLE_FTS5)
for dir in host-build guest-build; do
    grep -q -- "^OPT_FEATURE_FLAGS = *${CONFIGURED[*]:1}\$" "$WORK/$dir/Makefile" \
        || die "sqlite: $dir's configure chose other features: $(grep '^OPT_FEATURE_FLAGS' "$WORK/$dir/Makefile")"
done
# debian/rules (3.40.1-2): export CFLAGS += …
DEBIAN=(-O2 -fno-strict-aliasing -DSQLITE_SECURE_DELETE -DSQLITE_ENABLE_COLUMN_METADATA
        -DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_RTREE=1 -DSQLITE_SOUNDEX=1
        -DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_OMIT_LOOKASIDE=1 -DSQLITE_ENABLE_DBSTAT_VTAB
        -DSQLITE_ALLOW_ROWID_IN_VIEW -DSQLITE_ENABLE_UPDATE_DELETE_LIMIT=1 -DSQLITE_ENABLE_LOAD_EXTENSION
        -DSQLITE_ENABLE_JSON1 -DSQLITE_LIKE_DOESNT_MATCH_BLOBS -DSQLITE_THREADSAFE=1
        -DSQLITE_ENABLE_FTS3_TOKENIZER=1 -DSQLITE_USE_URI=1 -DSQLITE_MAX_SCHEMA_RETRY=25
        -DSQLITE_ENABLE_PREUPDATE_HOOK -DSQLITE_ENABLE_SESSION -DSQLITE_ENABLE_STMTVTAB
        -DSQLITE_MAX_VARIABLE_NUMBER=250000)
# Makefile.in: FUZZCHECK_OPT and FUZZCHECK_SRC
FUZZCHECK=(-O2 -I"$SRC/test" -I"$SRC/ext/recover" -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_ENABLE_MEMSYS5
           -DSQLITE_OSS_FUZZ -DSQLITE_MAX_MEMORY=50000000 -DSQLITE_PRINTF_PRECISION_LIMIT=1000
           -DSQLITE_ENABLE_FTS4 -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE
           -DSQLITE_ENABLE_GEOPOLY -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ENABLE_BYTECODE_VTAB)
FUZZSRC=("$SRC/test/fuzzcheck.c" "$SRC/test/ossfuzz.c" "$SRC/test/fuzzinvariants.c" "$SRC/ext/recover/dbdata.c"
         "$SRC/ext/recover/sqlite3recover.c" "$SRC/test/vt02.c")
# build COMPILER BUILD_DIR OUTDIR EXTRA_LIBS…: sqlite3 and fuzzcheck into OUTDIR, from BUILD_DIR's
# amalgamation and sqlite_cfg.h
build() {
    local cc=$1 dir=$2 out=$3; shift 3
    mkdir -p "$out"
    "$cc" "${DEBIAN[@]}" "${CONFIGURED[@]}" -I"$dir" -o "$out/sqlite3" "$dir/shell.c" "$dir/sqlite3.c" "$@" \
        && "$cc" "${FUZZCHECK[@]}" "${CONFIGURED[@]}" -I"$dir" -o "$out/fuzzcheck" "${FUZZSRC[@]}" "$dir/sqlite3.c" "$@"
}
build "$CC" "$WORK/guest-build" "$WORK/guest" > "$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log" >&2; die "sqlite: build failed ($WORK/build.log)"; }
install -m 755 "$WORK/guest/sqlite3" "$ROOT/usr/bin/sqlite3"
rm -rf "$ROOT/usr/share/ports/sqlite" && mkdir -p "$ROOT/usr/share/ports/sqlite"
install -m 755 "$WORK/guest/fuzzcheck" "$ROOT/usr/share/ports/sqlite/fuzzcheck"
cp "$SRC"/test/fuzzdata*.db "$ROOT/usr/share/ports/sqlite/"
build "$HOSTCC" "$WORK/host-build" "$BUILD/ports/host/sqlite" -lpthread -ldl -lm > "$WORK/host.log" 2>&1 \
    || { tail -20 "$WORK/host.log" >&2; die "sqlite: host build failed ($WORK/host.log)"; }
say "sqlite: /usr/bin/sqlite3, /usr/share/ports/sqlite (fuzzcheck, fuzzdata*.db)"
