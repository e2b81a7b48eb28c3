#!/usr/bin/env bash
# A private dockerd for the tests: its own data root, exec root, pidfile and
# socket under one directory, no iptables and no bridge (this machine has
# no network), so it never touches the host's Docker.
#
#   scripts/test-dockerd.sh start DIR   # prints the socket path; waits until it answers
#   scripts/test-dockerd.sh stop DIR    # stops it (also after a failed start)
#   scripts/test-dockerd.sh image DIR   # imports docksec-test/busybox:1 built from busybox-static
#
# TEST_DOCKERD_TCP=127.0.0.1:PORT makes it listen there too (plain TCP, loopback
# only), for the tests of a daemon audited over TCP.
#
# DIR must be short: a UNIX socket path is limited to 107 bytes.
set -u
cmd=${1:?start|stop|image} dir=${2:?directory}
sock=$dir/docker.sock
case $cmd in
start)
	command -v dockerd >/dev/null || { echo "test-dockerd: dockerd not installed (apt-get install docker.io)" >&2; exit 2; }
	[ "$(id -u)" = 0 ] || { echo "test-dockerd: dockerd needs root" >&2; exit 2; }
	mkdir -p "$dir/data" "$dir/exec"
	tcp=()
	[ -n "${TEST_DOCKERD_TCP:-}" ] && tcp=(-H "tcp://$TEST_DOCKERD_TCP") # loopback only, for the remote-daemon tests
	dockerd "${tcp[@]}" --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
		-H "unix://$sock" --iptables=false --ip6tables=false --bridge=none --ip-forward=false \
		--ip-masq=false --userland-proxy=false --containerd-namespace "docksec-test-$$" \
		--containerd-plugins-namespace "docksec-test-plugins-$$" --log-level=warn \
		>"$dir/dockerd.log" 2>&1 &
	for _ in $(seq 1 150); do
		if [ -S "$sock" ] && DOCKER_HOST="unix://$sock" timeout 5 docker version >/dev/null 2>&1; then
			echo "$sock"; exit 0
		fi
		sleep 0.2
	done
	echo "test-dockerd: dockerd did not answer on $sock; log:" >&2; tail -20 "$dir/dockerd.log" >&2
	"$0" stop "$dir"; exit 2 ;;
stop)
	if [ -f "$dir/dockerd.pid" ]; then
		pid=$(cat "$dir/dockerd.pid")
		if kill -0 "$pid" 2>/dev/null; then
			DOCKER_HOST="unix://$sock" timeout 20 docker rm -f $(DOCKER_HOST="unix://$sock" timeout 10 docker ps -aq 2>/dev/null) >/dev/null 2>&1
			kill "$pid"
			for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
			kill -9 "$pid" 2>/dev/null
		fi
	fi
	# the exec root may hold mounts of the containers
	grep -o " $dir/[^ ]*" /proc/self/mounts 2>/dev/null | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
	exit 0 ;;
image)
	bb=/bin/busybox
	[ -x "$bb" ] || { echo "test-dockerd: busybox-static not installed" >&2; exit 2; }
	root=$dir/rootfs
	rm -rf "$root"; mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/usr/bin" "$root/usr/sbin"
	cp "$bb" "$root/bin/busybox"
	for a in sh ls cat sleep id echo true false ps wget su; do ln -sf busybox "$root/bin/$a"; done
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
	printf 'root:x:0:\nnobody:x:65534:\n' > "$root/etc/group"
	cp "$bb" "$root/usr/bin/passwd-setuid"; chmod 4755 "$root/usr/bin/passwd-setuid"
	tar -C "$root" -c . | DOCKER_HOST="unix://$sock" docker import \
		-c 'CMD ["/bin/sleep", "3600"]' - docksec-test/busybox:1 >/dev/null || exit 2
	echo docksec-test/busybox:1 ;;
*) echo "usage: $0 start|stop|image DIR" >&2; exit 2 ;;
esac
