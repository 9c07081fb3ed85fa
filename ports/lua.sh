#!/usr/bin/env bash
# Lua 5.4.8, from PyPI's lupa 2.8 sdist (it bundles Lua's tree with the official test suite,
# testes/; Debian's lua5.4 source has no tests: shared/docs PORTS.md): /usr/bin/lua, built as
# Linux builds it — the tree's makefile's own configuration, which is `make linux-readline`'s:
# LUA_USE_LINUX (LUA_USE_POSIX plus LUA_USE_DLOPEN: C modules through dlopen) and
# LUA_USE_READLINE, linked with -Wl,-E (the C modules bind to lua's own lua_* functions) and
# -ldl -lreadline — with swiftvm-cc. testes/ goes to /usr/share/ports/lua/testes for the boot
# test, with the C modules of testes/libs built by their own makefile (swiftvm-cc -shared -fPIC).
# The same sources built for the host (cc, GNU readline) go to build/ports/host/lua (and the host's
# testes/libs/*.so beside its tree, build/ports/host/lua-tree), to compare with.
#   BUILD=/abs/build ports/lua.sh
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ARCHIVE=lupa-2.8.tar.gz
SHA256=d8022641b9ec8ecf2c5ecbe9f47e5a70e0b87c4b5ae921b92cb02a638e0acd08
fetch_pip lupa 2.8 "$ARCHIVE" "$SHA256"

unpack lua "$CACHE/$ARCHIVE"
SRC=$WORK/lupa-2.8/third-party/lua54
grep -qP "define LUA_VERSION_RELEASE\t\"8\"" "$SRC/lua.h" && grep -qP "define LUA_VERSION_NUM\t+504" "$SRC/lua.h" \
    || die "lua: $SRC is not Lua 5.4.8"
cp -R "$SRC" "$WORK/host"
# The makefile's own rule for `lua` with its own MYCFLAGS (-std=c99 -DLUA_USE_LINUX
# -DLUA_USE_READLINE), MYLDFLAGS (-Wl,-E) and MYLIBS (-ldl -lreadline); its CFLAGS without the
# warnings and -march=native (the guest's CPU is not the build machine's).
LUAFLAGS=(CFLAGS="-O2 -std=c99 -DLUA_USE_LINUX -DLUA_USE_READLINE -fno-common"
          MYLDFLAGS="-Wl,-E" MYLIBS="-ldl -lreadline" AR="ar rc" RANLIB=ranlib)
(cd "$SRC" && make lua CC="$CC" "${LUAFLAGS[@]}" && make -C testes/libs CC="$CC") > "$WORK/build.log" 2>&1 \
    || { tail -20 "$WORK/build.log" >&2; die "lua: build failed ($WORK/build.log)"; }
install -m 755 "$SRC/lua" "$ROOT/usr/bin/lua"
rm -rf "$ROOT/usr/share/ports/lua" && mkdir -p "$ROOT/usr/share/ports/lua"
cp -R "$SRC/testes" "$ROOT/usr/share/ports/lua/"
(cd "$WORK/host" && make lua CC="$HOSTCC" "${LUAFLAGS[@]}" && make -C testes/libs CC="$HOSTCC") > "$WORK/host.log" 2>&1 \
    || { tail -20 "$WORK/host.log" >&2; die "lua: host build failed ($WORK/host.log)"; }
mkdir -p "$BUILD/ports/host" && install -m 755 "$WORK/host/lua" "$BUILD/ports/host/lua"
rm -rf "$BUILD/ports/host/lua-tree" && cp -R "$WORK/host" "$BUILD/ports/host/lua-tree"
say "lua: /usr/bin/lua, /usr/share/ports/lua/testes"
