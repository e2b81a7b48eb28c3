#!/usr/bin/env bash
# `docksec audit` against Podman's Docker-compatible API: a private
# `podman system service` (its own storage root, run root and socket, vfs
# storage, no network) with an image built from busybox-static and two
# created containers. Podman is detected from its server header; the checks
# about dockerd itself are SKIP and say so; containers are judged by the
# same rules as Docker's. The service is stopped on every exit path.
set -u
bin=$(realpath "${1:-build/san/docksec}")
tmp=$(mktemp -d /tmp/dsp.XXXXXX) # short: UNIX socket paths are limited
suite=podman
. "$(dirname "$0")/lib.sh"
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

if [ "$(id -u)" != 0 ] || ! command -v podman >/dev/null || [ ! -x /bin/busybox ]; then
	echo "SKIP podman: needs root, podman and busybox-static"
	exit 0
fi
opts=(--root "$tmp/root" --runroot "$tmp/run" --storage-driver vfs --cgroup-manager cgroupfs --events-backend file)
pm() { podman "${opts[@]}" "$@"; }
podman "${opts[@]}" system service --time=0 "unix://$tmp/podman.sock" >"$tmp/service.log" 2>&1 &
pid=$! # podman itself, not a subshell: the trap stops it
for _ in $(seq 1 100); do [ -S "$tmp/podman.sock" ] && break; sleep 0.1; done
mkdir -p "$tmp/rootfs/bin" "$tmp/rootfs/etc"
cp /bin/busybox "$tmp/rootfs/bin/busybox"; ln -s busybox "$tmp/rootfs/bin/sleep"
cp /bin/busybox "$tmp/rootfs/bin/su"; chmod 4755 "$tmp/rootfs/bin/su"
tar -C "$tmp/rootfs" -c . | pm import - docksec-test/busybox:1 >/dev/null 2>"$tmp/import.log" || echo "FAIL podman: cannot import the test image"
pm create --name insecure --privileged --network none --pid host -v /etc:/host-etc docksec-test/busybox:1 /bin/sleep 60 \
	>/dev/null || echo "FAIL podman: cannot create the insecure container"
pm create --name hardened --network none --read-only --cap-drop ALL --security-opt no-new-privileges \
	--user 65534:65534 --memory 64m --cpus 0.5 --pids-limit 50 --restart on-failure:5 \
	--health-cmd true docksec-test/busybox:1 /bin/sleep 60 >/dev/null || echo "FAIL podman: cannot create the hardened container"

t 'audit of a Podman service' 1 "$bin" audit --host "unix://$tmp/podman.sock" -f json
checks_ok 'Podman is detected and dockerd'"'"'s own checks are marked, not judged' '
assert d["podman"] is True and d["containers"] == 2, (d["podman"], d["containers"])
for i in ("1.1.3", "2.2", "2.8", "3.1", "3.17", "7.1"): st(i, "SKIP", "does not apply to Podman")
assert "Podman" not in c["3.15"]["evidence"] and "Podman" not in c["1.1.1"]["evidence"]
st("5.5", "WARN", "insecure (created): runs privileged")
st("4.8", "INFO", "/bin/su 4755 (layer 1)")'
checks_ok 'the hardened container passes: cap-drop ALL as Podman writes it (the default set, name by name)' '
bad=[(x["id"],f["message"]) for x in d["checks"] for f in x["findings"] if f["container"].startswith("hardened")]
assert not bad, bad'
