#!/bin/sh
# check-shell-embedded.sh — compiles Guest/Libraries/Shell in Embedded Swift for the guest target
# (x86_64-unknown-none-elf), against the Posix contract (Sources/Posix/Contract.swift) with every
# backend function stubbed: proof that the shell builds for the guest before the guest has its
# own Posix backend. Object files go to a temporary directory.
set -e
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Stub each `public func` of the host backend with the same signature.
awk '/^public func/ {
    line = $0; depth = 0
    for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (c == "(") depth++
        else if (c == ")") depth--
        else if (c == "{" && depth == 0) { print substr(line, 1, i - 1) "{ fatalError() }"; break }
    }
}' Sources/Posix/GlibcBackend.swift > "$out/Stub.swift"
flags="-target x86_64-unknown-none-elf -enable-experimental-feature Embedded -wmo -parse-as-library"
swiftc $flags -module-name Posix -emit-module -emit-module-path "$out/Posix.swiftmodule" \
    Sources/Posix/Contract.swift "$out/Stub.swift" -c -o "$out/posix.o"
swiftc $flags -module-name Shell -I "$out" $(find Guest/Libraries/Shell -name '*.swift' | sort) -c -o "$out/shell.o"
echo "Shell compiles in Embedded Swift for x86_64-unknown-none-elf ($(wc -c < "$out/shell.o") bytes of object code)"
