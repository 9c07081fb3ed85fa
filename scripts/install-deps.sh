#!/usr/bin/env bash
# install-deps.sh — install the Debian packages the build and tests need, if any is missing.
# Runs as part of `make`, so `make run` / `make test` work on a fresh machine.
set -euo pipefail
packages=(qemu-system-x86 gdb binutils libelf-dev libdw-dev bison libseccomp-dev)   # bison: the awk port's grammar (ports/awk.sh); libseccomp-dev: the VMM's sandbox (Sources/Sandbox)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
