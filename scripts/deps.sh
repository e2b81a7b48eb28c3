#!/usr/bin/env bash
# Install what docksec needs, on Debian/Ubuntu; idempotent and harmless.
#
#   scripts/deps.sh build   to build docksec (make, make demo)
#   scripts/deps.sh check   to build and run every test (make check): also the
#                           test tools (Chromium renders the HTML report), a
#                           Docker daemon and Podman
#
# Only missing packages are installed, and apt-get update runs only then.
# It says what it installs, never removes a package (--no-remove: apt stops
# instead of replacing Docker CE with Debian's docker.io), and installs no
# second Docker where one is there already (dockerd on the PATH or any Docker
# package: docker-ce, moby-engine, docker.io).
set -euo pipefail

what=${1:-check}
# Hyperscan (scan's credential patterns) is built for amd64 only; Vectorscan, its port, elsewhere
hs=libhyperscan-dev
[ "$(dpkg --print-architecture 2>/dev/null || echo amd64)" = amd64 ] || hs=libvectorscan-dev
# ISA-L (igzip inflates gzip layers) on the architectures it is built for; elsewhere libarchive inflates
isal=()
case "$(dpkg --print-architecture 2>/dev/null || echo amd64)" in amd64 | arm64) isal=(libisal-dev) ;; esac
build=(build-essential pkg-config libjansson-dev libyaml-dev libcurl4-openssl-dev zlib1g-dev libarchive-dev libssl-dev libsqlite3-dev "$hs" "${isal[@]}")
tests=(libcmocka-dev clang libclang-rt-dev python3 python3-jsonschema patch nftables busybox-static chromium rpm python3-bsddb3 python3-packaging skopeo openssl ruby python3-rpm umoci node-semver default-jre-headless libmaven3-core-java)
case "$what" in
build) pkgs=("${build[@]}") ;;
check)
	pkgs=("${build[@]}" "${tests[@]}")
	have_docker=
	command -v dockerd >/dev/null 2>&1 && have_docker=1
	for p in docker-ce docker-ee moby-engine docker.io; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" && have_docker=1
	done
	[ -n "$have_docker" ] || pkgs+=(docker.io)
	command -v podman >/dev/null 2>&1 || pkgs+=(podman)
	;;
*) echo "usage: scripts/deps.sh build|check" >&2; exit 2 ;;
esac

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
echo "deps.sh: installing for '$what': ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends --no-remove "${missing[@]}" |
	grep -v -E '^(Selecting|Preparing|Unpacking|Setting up|Processing|\(Reading)' || true
