#!/usr/bin/env bash
# Install what docksec needs to build and test, on Debian/Ubuntu; idempotent.
# Only missing packages are installed, and apt-get update runs only then.
set -euo pipefail

pkgs=(build-essential pkg-config libjansson-dev libyaml-dev libcmocka-dev clang libclang-rt-dev python3 patch libcurl4-openssl-dev zlib1g-dev libarchive-dev docker.io podman nftables busybox-static)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
	echo "deps.sh: missing packages (${missing[*]}) and no apt-get: install them by hand" >&2
	exit 2
fi
SUDO=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "deps.sh: need root or sudo to install: ${missing[*]}" >&2; exit 2; }
	SUDO=sudo
fi
echo "deps.sh: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
