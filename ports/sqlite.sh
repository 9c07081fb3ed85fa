#!/usr/bin/env bash
# SQLite 3.40.1 (Debian's sqlite3 source, 3.40.1-2+deb12u2; its .orig tarball is the full source
# tree with the test data): the amalgamation made on the host as upstream makes it (`configure
# --disable-tcl && make sqlite3.c shell.c`, which runs tclsh), then the `sqlite3` shell built with
# swiftvm-cc and the CFLAGS Debian's debian/rules builds with, and `fuzzcheck` built with the
# options upstream's Makefile gives it (FUZZCHECK_OPT, FUZZCHECK_SRC), so that its test/fuzzdata*.db
# can run in the guest (/usr/share/ports/sqlite). The same sources built for the host (cc) go to
# build/ports/host, to compare with.
#   BUILD=/abs/build ports/sqlite.sh
# NOT YET IN `make ports` (PORTS): the amalgamation step works; compiling it with swiftvm-cc stops at
# the C library's gaps, listed in the README ("Ports", SQLite).
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ARCHIVE=sqlite3_3.40.1.orig.tar.xz
SHA256=aaa776260ab4dc976db34aa7891819484c8676b5b2783123ebc6301e2ca5d655
fetch_apt sqlite3=3.40.1-2+deb12u2 "$ARCHIVE" "$SHA256"
command -v tclsh >/dev/null || die "sqlite: tclsh is needed on the host to make the amalgamation"

unpack sqlite "$CACHE/$ARCHIVE"
SRC=$WORK/sqlite3-3.40.1
(cd "$SRC" && CC="$HOSTCC" ./configure --disable-tcl && make sqlite3.c shell.c) > "$WORK/amalgamation.log" 2>&1 \
    || { tail -20 "$WORK/amalgamation.log" >&2; die "sqlite: making the amalgamation failed ($WORK/amalgamation.log)"; }
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
         "$SRC/ext/recover/sqlite3recover.c" "$SRC/test/vt02.c" "$SRC/sqlite3.c")
# build COMPILER OUTDIR EXTRA_LIBS…: sqlite3 and fuzzcheck into OUTDIR
build() {
    local cc=$1 out=$2; shift 2
    mkdir -p "$out"
    "$cc" "${DEBIAN[@]}" -I"$SRC" -o "$out/sqlite3" "$SRC/shell.c" "$SRC/sqlite3.c" "$@" \
        && "$cc" "${FUZZCHECK[@]}" -I"$SRC" -o "$out/fuzzcheck" "${FUZZSRC[@]}" "$@"
}
build "$CC" "$WORK/guest" > "$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log" >&2; die "sqlite: build failed ($WORK/build.log)"; }
install -m 755 "$WORK/guest/sqlite3" "$ROOT/usr/bin/sqlite3"
rm -rf "$ROOT/usr/share/ports/sqlite" && mkdir -p "$ROOT/usr/share/ports/sqlite"
install -m 755 "$WORK/guest/fuzzcheck" "$ROOT/usr/share/ports/sqlite/fuzzcheck"
cp "$SRC"/test/fuzzdata*.db "$ROOT/usr/share/ports/sqlite/"
build "$HOSTCC" "$BUILD/ports/host/sqlite" -lpthread -ldl -lm > "$WORK/host.log" 2>&1 \
    || { tail -20 "$WORK/host.log" >&2; die "sqlite: host build failed ($WORK/host.log)"; }
say "sqlite: /usr/bin/sqlite3, /usr/share/ports/sqlite (fuzzcheck, fuzzdata*.db)"
