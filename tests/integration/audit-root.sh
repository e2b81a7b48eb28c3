#!/usr/bin/env bash
# `docksec audit --root DIR`: the host, daemon and file checks offline, on
# fixture trees built here (modes and owners set explicitly): daemon.json
# and DOCKER_OPTS variants, audit rules in rules.d, the docker group,
# mountinfo with /var/lib/docker on its own device or only bind-mounted.
set -u
bin=$(realpath "${1:-build/san/docksec}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
suite=audit-root
. "$(dirname "$0")/lib.sh"

mk() { # mk ROOT: a host tree with an insecure daemon configuration
	local r=$1
	mkdir -p "$r/etc/docker/certs.d/reg.example.com:5000" "$r/etc/default" "$r/etc/audit/rules.d" \
		"$r/lib/systemd/system" "$r/usr/bin" "$r/proc/self" "$r/run/containerd" "$r/var/run" "$r/var/lib/docker"
	cat > "$r/etc/docker/daemon.json" <<'J'
{
  "icc": true,
  "log-level": "debug",
  "insecure-registries": ["reg.example.com:5000"],
  "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"],
  "live-restore": true,
  "userland-proxy": false,
  "no-new-privileges": true,
  "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 64000, "Soft": 64000}},
  "seccomp-profile": "unconfined"
}
J
	printf '# options\nDOCKER_OPTS="--iptables=false --userns-remap=default"\n' > "$r/etc/default/docker"
	printf 'root:x:0:\ndocker:x:999:alice,bob\n' > "$r/etc/group"
	printf -- '-w /usr/bin/dockerd -k docker\n-w /etc/docker -k docker\n# -w /usr/bin/runc -k docker\n-a exit,always -F path=/usr/bin/containerd -k docker\n' > "$r/etc/audit/rules.d/docker.rules"
	: > "$r/usr/bin/dockerd"; : > "$r/usr/bin/containerd"; : > "$r/usr/bin/runc"
	: > "$r/lib/systemd/system/docker.service"; : > "$r/lib/systemd/system/docker.socket"
	: > "$r/etc/docker/certs.d/reg.example.com:5000/ca.crt"
	: > "$r/var/run/docker.sock"
	chmod 644 "$r/etc/docker/daemon.json" "$r/lib/systemd/system/docker.service"
	chmod 666 "$r/lib/systemd/system/docker.socket"
	chmod 777 "$r/etc/docker"
	chmod 644 "$r/etc/docker/certs.d/reg.example.com:5000/ca.crt"
	chmod 660 "$r/var/run/docker.sock"; chgrp 999 "$r/var/run/docker.sock" 2>/dev/null
	cat > "$r/proc/self/mountinfo" <<'M'
22 1 254:0 / / rw,relatime - ext4 /dev/vda1 rw
30 22 254:16 / /var/lib/docker rw,relatime - ext4 /dev/vdb1 rw
M
}
mk "$tmp/a"
t 'an offline audit with --root runs without a daemon' 1 "$bin" audit --root "$tmp/a" -f json
json_ok 'daemon settings come from daemon.json and DOCKER_OPTS, named in the evidence' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
def st(i): return c[i]["status"]
assert st("2.2")=="WARN" and "daemon.json \"icc\"" in c["2.2"]["evidence"], c["2.2"]
assert st("2.3")=="WARN" and "debug" in c["2.3"]["evidence"]
assert st("2.4")=="WARN" and "DOCKER_OPTS" in c["2.4"]["evidence"], c["2.4"]
assert st("2.5")=="WARN" and "reg.example.com:5000" in c["2.5"]["evidence"], c["2.5"]
assert st("2.7")=="WARN" and "tcp://0.0.0.0:2375" in c["2.7"]["evidence"], c["2.7"]
assert st("2.8")=="PASS" and st("2.9")=="PASS" and st("2.14")=="PASS" and st("2.15")=="PASS" and st("2.16")=="PASS"
assert st("2.17")=="WARN" and "unconfined" in c["2.17"]["evidence"]'
json_ok 'audit rules: watched paths pass, commented-out and missing ones warn' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
assert c["1.1.3"]["status"]=="PASS", c["1.1.3"]
assert c["1.1.6"]["status"]=="PASS" and c["1.1.14"]["status"]=="PASS"
assert c["1.1.18"]["status"]=="WARN", c["1.1.18"]
assert c["1.1.7"]["status"]=="WARN" and c["1.1.12"]["status"]=="INFO"'
json_ok 'a separate device for /var/lib/docker passes; docker group members are listed' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
assert c["1.1.1"]["status"]=="PASS", c["1.1.1"]
assert c["1.1.2"]["status"]=="WARN" and "alice,bob" in c["1.1.2"]["evidence"]'
json_ok 'file modes and owners' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
assert c["3.2"]["status"]=="PASS" and c["3.4"]["status"]=="WARN" and "0666" in c["3.4"]["evidence"], (c["3.2"], c["3.4"])
assert c["3.6"]["status"]=="WARN" and c["3.5"]["status"]=="PASS"
assert c["3.8"]["status"]=="WARN" and c["3.18"]["status"]=="PASS" and c["3.16"]["status"]=="PASS"
assert c["3.10"]["status"]=="INFO" and c["3.21"]["status"]=="INFO"'
json_ok 'sections that need the API are SKIP offline, with the reason' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
assert c["5.5"]["status"]=="SKIP" and "Engine API" in c["5.5"]["evidence"]
assert c["4.1"]["status"]=="SKIP"'

mk "$tmp/b"
printf '22 1 254:0 / / rw - ext4 /dev/vda1 rw\n31 22 254:0 /srv/docker /var/lib/docker rw - ext4 /dev/vda1 rw\n' > "$tmp/b/proc/self/mountinfo"
printf '{"icc": false, "log-level": "info", "hosts": ["tcp://127.0.0.1:2376"], "tlsverify": true, "tlscacert": "/etc/docker/ca.pem", "tlscert": "/etc/docker/cert.pem", "tlskey": "/etc/docker/key.pem"}' > "$tmp/b/etc/docker/daemon.json"
: > "$tmp/b/etc/docker/ca.pem"; : > "$tmp/b/etc/docker/cert.pem"; : > "$tmp/b/etc/docker/key.pem"
chmod 444 "$tmp/b/etc/docker/ca.pem" "$tmp/b/etc/docker/cert.pem"; chmod 644 "$tmp/b/etc/docker/key.pem"
rm "$tmp/b/etc/default/docker"
t 'a hardened daemon.json' 1 "$bin" audit --root "$tmp/b" -f json -c 1.1.1 -c 2 -c 3.9 -c 3.10 -c 3.12 -c 3.14
json_ok 'bind-mounted /var/lib/docker is not a separate partition; TLS files checked' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
assert c["1.1.1"]["status"]=="WARN" and "bind mount" in c["1.1.1"]["evidence"], c["1.1.1"]
assert c["2.2"]["status"]=="PASS" and c["2.3"]["status"]=="PASS" and c["2.4"]["status"]=="PASS"
assert c["2.7"]["status"]=="PASS", c["2.7"]
assert c["3.10"]["status"]=="PASS" and c["3.12"]["status"]=="PASS" and c["3.14"]["status"]=="WARN", (c["3.10"], c["3.14"])'
printf '{"icc": false, "icc": true}' > "$tmp/b/etc/docker/daemon.json"
t 'a daemon.json with a duplicate key' 1 "$bin" audit --root "$tmp/b" -f json -c 2.2
json_ok 'the duplicate is named in the evidence' '
import json,sys; d=json.load(sys.stdin); assert "duplicate" in d["checks"][0]["evidence"], d["checks"][0]'
t '--root on a missing directory is a usage error' 2 "$bin" audit --root "$tmp/nope"

# sshd: first value wins, Include globs in lexical order, Match blocks
r=$tmp/s; mkdir -p "$r/etc/ssh/sshd_config.d"
cat > "$r/etc/ssh/sshd_config" <<'S'
Include /etc/ssh/sshd_config.d/*.conf
PasswordAuthentication no
PermitRootLogin yes
UsePAM yes
HostKey /etc/ssh/ssh_host_dsa_key
KexAlgorithms +diffie-hellman-group14-sha1
Match User deploy Address 10.0.0.0/8
    PasswordAuthentication yes
S
printf 'PermitRootLogin prohibit-password\n' > "$r/etc/ssh/sshd_config.d/10-root.conf"
printf 'PermitRootLogin yes\nKbdInteractiveAuthentication yes\n' > "$r/etc/ssh/sshd_config.d/20-late.conf"
t 'sshd checks on a fixture' 1 "$bin" audit --root "$r" -f json -c host-ssh
json_ok 'the first value wins across Include files; Match blocks are reported' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
assert list(c)==["host-ssh-01","host-ssh-02","host-ssh-03","host-ssh-04","host-ssh-05","host-ssh-06"], list(c)
assert c["host-ssh-01"]["status"]=="PASS" and "10-root.conf:1" in c["host-ssh-01"]["evidence"], c["host-ssh-01"]
assert c["host-ssh-02"]["status"]=="PASS"
assert c["host-ssh-03"]["status"]=="WARN" and "20-late.conf:2" in c["host-ssh-03"]["evidence"], c["host-ssh-03"]
assert c["host-ssh-04"]["status"]=="PASS"
assert c["host-ssh-05"]["status"]=="WARN" and "Match User deploy" in c["host-ssh-05"]["evidence"], c["host-ssh-05"]
assert c["host-ssh-06"]["status"]=="WARN" and "dsa" in c["host-ssh-06"]["evidence"] and "group14-sha1" in c["host-ssh-06"]["evidence"]'
t 'no sshd installed is INFO, not a failure' 0 "$bin" audit --root "$tmp/b" -f json -c host-ssh

# escape CVEs: versions from dpkg's status file, compared the distribution's way
pkg() { printf 'Package: %s\nStatus: install ok installed\nVersion: %s\n\n' "$1" "$2"; }
r=$tmp/deb; mkdir -p "$r/etc" "$r/var/lib/dpkg" "$r/usr/share/doc/containerd"
printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' > "$r/etc/os-release"
{ pkg runc 1.1.5+ds1-1+deb12u1; pkg containerd 1.6.20~ds1-1+deb12u1; pkg docker-ce 5:24.0.7-1~debian.12~bookworm
  pkg linux-image-6.1.0-13-amd64 6.1.55-1; pkg linux-image-6.1.0-18-amd64 6.1.76-1; pkg openssh-server 1:9.2p1-2+deb12u2
  printf 'Package: linux-image-6.1.0-99-amd64\nStatus: deinstall ok config-files\nVersion: 6.1.99-1\n\n'; } > "$r/var/lib/dpkg/status"
printf 'containerd (1.6.20~ds1-1+deb12u1) bookworm; urgency=medium\n\n  * Fix overly broad directory permissions, Fixes: CVE-2024-25621\n' |
	gzip > "$r/usr/share/doc/containerd/changelog.Debian.gz"
t 'escape CVEs on a Debian 12 fixture' 1 "$bin" audit --root "$r" -f json -c host-cve
checks_ok 'distribution fixes by dpkg ordering, backports from changelogs, upstream builds by upstream ranges' '
st("host-cve-2024-21626", "PASS", "runc 1.1.5+ds1-1+deb12u1 (dpkg runc)", "Debian 12 fixed it in 1.1.5+ds1-1+deb12u1", "confidence: high")
st("host-cve-2025-31133", "WARN", "the 1.1 series got no fix", "confidence: medium")
st("host-cve-2024-25621", "PASS", "names CVE-2024-25621: fixed by backport", "confidence: high")
st("host-cve-2024-24557", "WARN", "an upstream build", "24.0.7 is below 24.0.9", "confidence: high")
st("host-cve-2021-41091", "PASS", "24.0.7 is at or above 20.10.9")
st("host-cve-2024-41110", "INFO", "no authorization plugin")
st("host-cve-2024-1086", "PASS", "6.1.76-1 (dpkg linux-image-6.1.0-18-amd64", "newest installed", "includes it")
st("host-cve-2023-2640", "PASS", "not an Ubuntu kernel")
st("host-cve-2024-6387", "WARN", "Debian 12 fixed it in 1:9.2p1-2+deb12u3", "is older than", "remedy: upgrade openssh-server")
st("host-cve-2022-0847", "PASS", "6.1.76 is at or above 5.17, where the fix landed")'
# a changelog naming 200 000 other CVE ids first: each new id was looked for among all those
# before it (80 000 took 4 s; a changelog may be read up to 64 MiB)
r=$tmp/longcl; mkdir -p "$r/etc" "$r/var/lib/dpkg" "$r/usr/share/doc/containerd"
printf 'ID=debian\nVERSION_ID="12"\n' > "$r/etc/os-release"
pkg containerd 1.6.20~ds1-1+deb12u1 > "$r/var/lib/dpkg/status"
python3 -c '
import sys
sys.stdout.write("containerd (1.6.20~ds1-1+deb12u1) bookworm; urgency=medium\n\n")
sys.stdout.writelines("  * CVE-2099-%07d\n" % k for k in range(200000))
sys.stdout.write("  * Fixes: CVE-2024-25621\n")' | gzip > "$r/usr/share/doc/containerd/changelog.Debian.gz"
t 'a changelog of 200 000 CVE ids' 0 timeout 60 "$bin" audit --root "$r" -f json -c host-cve
json_ok 'still finds the escape CVE it names last (a hang guard, not a timing)' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
assert c["host-cve-2024-25621"]["status"]=="PASS" and "names CVE-2024-25621" in c["host-cve-2024-25621"]["evidence"], c["host-cve-2024-25621"]'
r=$tmp/ubu; mkdir -p "$r/etc" "$r/var/lib/dpkg"
printf 'ID=ubuntu\nVERSION_ID="22.04"\n' > "$r/etc/os-release"
{ pkg openssh-server 1:8.9p1-3ubuntu0.10; pkg runc 1.1.7-0ubuntu1~22.04.1; pkg linux-image-5.4.0-150-generic 5.4.0-150.167; } > "$r/var/lib/dpkg/status"
t 'escape CVEs on an Ubuntu 22.04 fixture' 1 "$bin" audit --root "$r" -f json -c host-cve
json_ok 'the Ubuntu release decides which fixed version applies' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
assert c["host-cve-2024-6387"]["status"]=="PASS" and "Ubuntu 22.04" in c["host-cve-2024-6387"]["evidence"], c["host-cve-2024-6387"]
assert c["host-cve-2024-21626"]["status"]=="WARN" and "1.1.7-0ubuntu1~22.04.1 is older than" in c["host-cve-2024-21626"]["evidence"], c["host-cve-2024-21626"]
assert c["host-cve-2022-0847"]["status"]=="PASS" and "before 5.8, where the flaw was introduced" in c["host-cve-2022-0847"]["evidence"], c["host-cve-2022-0847"]
assert c["host-cve-2023-2640"]["status"]=="WARN" and "kernel series 5.4 fixed it in 5.4.0-155.172" in c["host-cve-2023-2640"]["evidence"], c["host-cve-2023-2640"]
assert c["host-cve-2024-25621"]["status"]=="INFO" and "not found" in c["host-cve-2024-25621"]["evidence"]'
r=$tmp/alpine; mkdir -p "$r/etc"; printf 'ID=alpine\nVERSION_ID=3.20.0\n' > "$r/etc/os-release"
t 'escape CVEs with no package database' 0 "$bin" audit --root "$r" -f json -c host-cve-2016-5195 -c host-cve-2024-21626
json_ok 'an unknown kernel is SKIP and an absent runc INFO, never guessed' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
assert c["host-cve-2016-5195"]["status"]=="SKIP" and "could not be read" in c["host-cve-2016-5195"]["evidence"], c
assert c["host-cve-2024-21626"]["status"]=="INFO" and "not found" in c["host-cve-2024-21626"]["evidence"], c'

# listening sockets: /proc/net tables mapped to processes through /proc/PID/fd
r=$tmp/net; mkdir -p "$r/proc/net" "$r/proc/100/fd" "$r/proc/200/fd" "$r/proc/300/fd"
hdr='  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'
row() { printf '   %s: %s 00000000:0000 %s 00000000:00000000 00:00000000 00000000     0        0 %s 1 0000000000000000 100 0 0 10 0\n' "$@"; }
{ echo "$hdr"; row 0 00000000:0947 0A 5001; row 1 0100007F:0CEA 0A 5002; row 2 00000000:1F90 0A 5003; row 3 0A000001:0016 01 5006; } > "$r/proc/net/tcp"
{ echo "$hdr"; row 0 00000000000000000000000000000000:0016 0A 5004; } > "$r/proc/net/tcp6"
{ echo "$hdr"; row 0 00000000:0044 07 5005; } > "$r/proc/net/udp"
printf 'Num       RefCount Protocol Flags    Type St Inode Path\n0000000000000000: 00000002 00000000 00010000 0001 01 7001 @/containerd-shim/moby/0a1b/shim.sock@\n0000000000000000: 00000002 00000000 00010000 0001 01 7002 /run/containerd/containerd.sock\n' > "$r/proc/net/unix"
echo dockerd > "$r/proc/100/comm"; ln -s 'socket:[5001]' "$r/proc/100/fd/3"; ln -s /dev/null "$r/proc/100/fd/0"
echo docker-proxy > "$r/proc/200/comm"; ln -s 'socket:[5003]' "$r/proc/200/fd/4"
echo sshd > "$r/proc/300/comm"; ln -s 'socket:[5004]' "$r/proc/300/fd/3"
t 'listening sockets on a /proc fixture' 1 "$bin" audit --root "$r" -f json -c host-net
checks_ok 'the plain-TCP Docker API is critical, docker-proxy ports and exposed services are listed, old shims warned' '
st("host-net-01", "WARN", "tcp 0.0.0.0:2375 by dockerd[100] without TLS: CRITICAL")
st("host-net-02", "INFO", "tcp 0.0.0.0:8080 by docker-proxy[200] (all addresses)")
st("host-net-03", "INFO", "tcp6 [::]:22 by sshd[300]", "udp 0.0.0.0:68 by an unknown process", "tcp 0.0.0.0:2375 by dockerd[100]")
assert "3306" not in c["host-net-03"]["evidence"] and ":22 by" in c["host-net-03"]["evidence"]
assert "10.0.0.1" not in c["host-net-03"]["evidence"]
st("host-net-04", "WARN", "@/containerd-shim/moby/0a1b/shim.sock@")'
mkdir -p "$r/etc/docker"; printf '{"tlsverify": true, "tlscert": "/c.pem", "tlskey": "/k.pem", "tlscacert": "/ca.pem"}' > "$r/etc/docker/daemon.json"
t 'the Docker API with TLS' 0 "$bin" audit --root "$r" -f json -c host-net-01
json_ok 'TLS with client verification passes' '
import json,sys; d=json.load(sys.stdin); c=d["checks"][0]
assert c["status"]=="PASS" and "with TLS and client certificates" in c["evidence"], c'

# automatic updates: apt.conf.d in lexical order, then apt.conf; lists, #clear, timers
r=$tmp/apt; mkdir -p "$r/etc/apt/apt.conf.d" "$r/var/lib/dpkg" "$r/etc/systemd/system/timers.target.wants" "$r/var/run"
pkg unattended-upgrades 2.9.1+nmu3 > "$r/var/lib/dpkg/status"
printf 'APT::Periodic::Update-Package-Lists "1";\nAPT::Periodic::Unattended-Upgrade "1";\n' > "$r/etc/apt/apt.conf.d/20auto-upgrades"
cat > "$r/etc/apt/apt.conf.d/50unattended-upgrades" <<'A'
// comment with "quotes"; and braces {
Unattended-Upgrade::Origins-Pattern {
        /* "origin=Debian,codename=${distro_codename},label=Debian"; */
        "origin=Debian,codename=${distro_codename},label=Debian-Security";
        "origin=Debian,codename=${distro_codename}-security,label=Debian-Security";
};
A
printf 'APT::Periodic::Unattended-Upgrade "0";\n' > "$r/etc/apt/apt.conf.d/99off"
printf 'APT::Periodic::Update-Package-Lists "0";\n' > "$r/etc/apt/apt.conf.d/99zz.bak"
printf 'APT {\n  Periodic {\n    Unattended-Upgrade "1";\n  };\n};\n' > "$r/etc/apt/apt.conf"
ln -s /lib/systemd/system/apt-daily.timer "$r/etc/systemd/system/timers.target.wants/apt-daily.timer"
ln -s /dev/null "$r/etc/systemd/system/apt-daily-upgrade.timer"
: > "$r/var/run/reboot-required"; printf 'linux-image-6.1.0-18-amd64\nlibc6\n' > "$r/var/run/reboot-required.pkgs"
t 'automatic updates on a fixture' 1 "$bin" audit --root "$r" -f json -c host-upd
checks_ok 'apt.conf wins over the parts, .bak parts are ignored, security origins found, masks and reboots reported' '
st("host-upd-01", "PASS", "unattended-upgrades 2.9.1+nmu3", "APT::Periodic::Unattended-Upgrade \"1\" (/etc/apt/apt.conf:3)",
   "Update-Package-Lists \"1\" (/etc/apt/apt.conf.d/20auto-upgrades:1)")
st("host-upd-02", "PASS", "label=Debian-Security\" (/etc/apt/apt.conf.d/50unattended-upgrades:4)")
st("host-upd-03", "WARN", "apt-daily.timer enabled", "apt-daily-upgrade.timer is masked")
st("host-upd-04", "WARN", "for: linux-image-6.1.0-18-amd64 libc6")'
rm "$r/etc/apt/apt.conf" "$r/var/run/reboot-required"
printf '#clear Unattended-Upgrade::Origins-Pattern;\nUnattended-Upgrade::Origins-Pattern:: "origin=Docker";\n' > "$r/etc/apt/apt.conf.d/60docker"
t 'automatic updates turned off again, security origins cleared' 1 "$bin" audit --root "$r" -f json -c host-upd
checks_ok 'the last value wins and #clear drops earlier origins' '
st("host-upd-01", "WARN", "Unattended-Upgrade \"0\" (/etc/apt/apt.conf.d/99off:1)")
st("host-upd-02", "WARN", "none of them the security archive")
st("host-upd-04", "PASS")'
t 'automatic updates on a host without dpkg' 0 "$bin" audit --root "$tmp/alpine" -f json -c host-upd
json_ok 'a host without dpkg is SKIP' '
import json,sys; d=json.load(sys.stdin); assert all(c["status"]=="SKIP" for c in d["checks"]), d'

# isolation: the socket by lstat, userns-remap with its subordinate ids, LSMs from /sys
r=$tmp/iso; mkdir -p "$r/etc/docker" "$r/var/run" "$r/sys/kernel/security" "$r/sys/module/apparmor/parameters"
printf 'root:x:0:\ndocker:x:999:alice\n' > "$r/etc/group"
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$r/var/run/docker.sock"
chmod 666 "$r/var/run/docker.sock"; chgrp 999 "$r/var/run/docker.sock"
printf '{"userns-remap": "default", "seccomp-profile": "unconfined"}' > "$r/etc/docker/daemon.json"
printf 'lockdown,capability,landlock,yama,apparmor\n' > "$r/sys/kernel/security/lsm"
printf 'N\n' > "$r/sys/module/apparmor/parameters/enabled"
t 'isolation on a fixture' 1 "$bin" audit --root "$r" -f json -c host-iso
checks_ok 'a world-writable socket, userns-remap without subordinate ids, AppArmor disabled, seccomp unconfined' '
st("host-iso-01", "WARN", "mode 0666: every local user is root", "root-equivalent through the socket: alice")
st("host-iso-02", "WARN", "userns-remap \"default\" (/etc/docker/daemon.json", "no range for dockremap")
st("host-iso-03", "WARN", "kernel LSMs: lockdown,capability,landlock,yama,apparmor", "AppArmor disabled")
st("host-iso-04", "WARN", "seccomp-profile unconfined (/etc/docker/daemon.json")'
chmod 660 "$r/var/run/docker.sock"; printf 'Y\n' > "$r/sys/module/apparmor/parameters/enabled"
printf 'dockremap:100000:65536\n' > "$r/etc/subuid"; cp "$r/etc/subuid" "$r/etc/subgid"
printf '{"userns-remap": "default"}' > "$r/etc/docker/daemon.json"
t 'isolation on a hardened fixture' 0 "$bin" audit --root "$r" -f json -c host-iso
json_ok 'a 0660 root:docker socket, remapped ids, AppArmor enforcing and the default seccomp pass' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
assert all(x["status"]=="PASS" for x in c.values()), c
assert "dockremap:100000:65536" in c["host-iso-02"]["evidence"]'
rm "$r/var/run/docker.sock"; mkdir "$r/var/run/docker.sock"
t 'a directory in place of the socket' 1 "$bin" audit --root "$r" -f json -c host-iso-01
json_ok 'is reported as not a socket' '
import json,sys; d=json.load(sys.stdin); assert "is a directory, not a socket" in d["checks"][0]["evidence"], d'

t 'SARIF output of an offline audit' 1 "$bin" audit --root "$tmp/iso" -f sarif
json_ok 'SARIF 2.1.0: a rule per check, WARN as warning and INFO as note, each result pointing at its rule' '
import json,sys; d=json.load(sys.stdin); assert d["version"]=="2.1.0"; run=d["runs"][0]
rules=run["tool"]["driver"]["rules"]; ids=[x["id"] for x in rules]
assert len(ids)==len(set(ids)) and "1.1.1" in ids and "host-iso-01" in ids, len(ids)
assert run["results"] and all(x["level"] in ("warning","note") for x in run["results"])
assert all(ids[x["ruleIndex"]]==x["ruleId"] and x["message"]["text"] and x["locations"] for x in run["results"])
w=[x for x in run["results"] if x["ruleId"]=="host-iso-01"][0]
assert w["level"]=="warning" and "not a socket" in w["message"]["text"], w
assert run["properties"]["warn"]==sum(1 for x in run["results"] if x["level"]=="warning")'

# firewall: Docker's published ports walked through the filter table (FORWARD ->
# DOCKER-USER -> DOCKER) for a new packet from outside; real iptables in a private
# network namespace, and iptables-persistent's saved rules offline
cat > "$tmp/docker.rules" <<'R'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A DOCKER -i docker0 -j RETURN
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
-A DOCKER -d 127.0.0.1/32 ! -i docker0 -p tcp -m tcp --dport 5432 -j DNAT --to-destination 172.17.0.3:5432
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-ISOLATION-STAGE-1 - [0:0]
:DOCKER-ISOLATION-STAGE-2 - [0:0]
:DOCKER-USER - [0:0]
:ufw-user-input - [0:0]
:ufw-user-forward - [0:0]
-A INPUT -j ufw-user-input
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-ISOLATION-STAGE-1
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o docker0 -j DOCKER
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
-A FORWARD -j ufw-user-forward
-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
-A DOCKER -d 172.17.0.3/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 5432 -j ACCEPT
-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
-A DOCKER-ISOLATION-STAGE-1 -j RETURN
-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
-A DOCKER-ISOLATION-STAGE-2 -j RETURN
-A DOCKER-USER -j RETURN
-A ufw-user-input -p tcp -m tcp --dport 22 -j ACCEPT
COMMIT
R
sed 's/^-A DOCKER-USER -j RETURN$/-A DOCKER-USER -j ufw-user-forward\n-A DOCKER-USER -s 10.0.0.0\/8 -j RETURN\n-A DOCKER-USER -s 172.16.0.0\/12 -j RETURN\n-A DOCKER-USER -s 192.168.0.0\/16 -j RETURN\n-A DOCKER-USER -p udp -m udp --sport 53 --dport 1024:65535 -j RETURN\n-A DOCKER-USER -d 172.16.0.0\/12 -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j ufw-docker-logging-deny\n-A DOCKER-USER -j RETURN\n-A ufw-docker-logging-deny -j DROP/; s/^:DOCKER-USER - \[0:0\]$/:DOCKER-USER - [0:0]\n:ufw-docker-logging-deny - [0:0]/' "$tmp/docker.rules" > "$tmp/ufw-docker.rules"
sed 's/^-A ufw-user-input -p tcp -m tcp --dport 22 -j ACCEPT$/&\n-A ufw-user-forward -d 172.17.0.2\/32 -p tcp -m tcp --dport 80 -j ACCEPT/' "$tmp/ufw-docker.rules" > "$tmp/ufw-route.rules"
fw() { # fw RULES [nft]: audit the firewall checks of a private network namespace holding RULES
	unshare -n sh -c 'iptables-legacy-restore < "$1" && { [ -z "$3" ] || iptables-nft -A INPUT -j ACCEPT; } && exec "$2" audit --root / -f json -c host-fw' fw "$1" "$bin" "${2:-}"
}
if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null || ! command -v iptables-legacy-restore >/dev/null ||
	! unshare -n true 2>/dev/null; then
	echo "SKIP audit-root: firewall in a network namespace (needs root, unshare and iptables)"
else
	t 'a published port with ufw active and nothing in DOCKER-USER' 1 fw "$tmp/docker.rules"
	json_ok 'bypasses ufw through the DOCKER chain; a port published on loopback does not' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
assert c["host-fw-01"]["status"]=="PASS" and "ufw" in c["host-fw-01"]["evidence"], c["host-fw-01"]
e=c["host-fw-02"]["evidence"]; assert c["host-fw-02"]["status"]=="WARN", c["host-fw-02"]
assert "tcp 0.0.0.0:8080 -> 172.17.0.2:80 is open to any address although ufw" in e and "FORWARD rule 4 -> DOCKER rule 1 ACCEPT" in e, e
assert "127.0.0.1:5432 -> 172.17.0.3:5432: bound to loopback" in e, e
assert c["host-fw-04"]["status"]=="PASS" and "iptables-legacy: 22 rules" in c["host-fw-04"]["evidence"], c["host-fw-04"]'
	t 'the same host with ufw-docker rules in DOCKER-USER' 0 fw "$tmp/ufw-docker.rules"
	json_ok 'the port is filtered by DOCKER-USER, the path names each jump' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
e=c["host-fw-02"]["evidence"]; assert c["host-fw-02"]["status"]=="PASS", c["host-fw-02"]
assert "is filtered: iptables-legacy: FORWARD rule 1 -> DOCKER-USER rule 6 -> ufw-docker-logging-deny rule 1 DROP" in e, e'
	t 'a ufw route rule allowing the port' 0 fw "$tmp/ufw-route.rules"
	json_ok 'is the firewall deciding, not a bypass' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
assert c["host-fw-02"]["status"]=="PASS" and "allowed by the firewall" in c["host-fw-02"]["evidence"] and "ufw-user-forward rule 1 ACCEPT" in c["host-fw-02"]["evidence"], c["host-fw-02"]'
	t 'rules in both iptables back-ends' 1 fw "$tmp/docker.rules" nft
	json_ok 'both back-ends are reported, and the packet must pass each' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
assert c["host-fw-04"]["status"]=="WARN" and "iptables-nft: 1 rules" in c["host-fw-04"]["evidence"], c["host-fw-04"]
assert "iptables-nft: FORWARD policy ACCEPT" in c["host-fw-02"]["evidence"], c["host-fw-02"]'
	if command -v nft >/dev/null; then
		printf 'table inet filter {\n chain input {\n  type filter hook input priority 0; policy drop;\n }\n}\n' > "$tmp/drop.nft"
		printf 'table inet firewalld {\n chain filter_INPUT {\n  type filter hook input priority filter + 10; policy accept;\n }\n}\n' > "$tmp/firewalld.nft"
		nftfw() { unshare -n sh -c 'nft -f "$1" && exec "$2" audit --root / -f json -c host-fw-01' nftfw "$1" "$bin"; }
		t 'a native nftables input chain that drops' 0 nftfw "$tmp/drop.nft"
		checks_ok 'counts as an active firewall, named by table and chain' '
st("host-fw-01", "PASS", "nftables: table inet filter chain input hooks input with policy drop")'
		t 'firewalld on its nftables back-end' 0 nftfw "$tmp/firewalld.nft"
		checks_ok 'is found by its own table' '
st("host-fw-01", "PASS", "firewalld (its nftables table inet firewalld is loaded)")'
	else
		echo "SKIP audit-root: native nftables (nft not installed)"
	fi
fi
r=$tmp/fwo; mkdir -p "$r/etc/iptables" "$r/etc/ufw" "$r/etc/docker" "$r/proc/sys/net/ipv4"
grep -v ufw "$tmp/docker.rules" | sed 's/^:INPUT DROP/:INPUT ACCEPT/' > "$r/etc/iptables/rules.v4"
printf '# /etc/ufw/ufw.conf\nENABLED=no\nLOGLEVEL=low\n' > "$r/etc/ufw/ufw.conf"
t 'saved rules offline, no firewall' 1 "$bin" audit --root "$r" -f json -c host-fw
checks_ok 'no firewall is WARN, the published port is only INFO, the back-ends are not judged offline' '
st("host-fw-01", "WARN", "no ufw")
st("host-fw-02", "INFO", "no host firewall to bypass")
st("host-fw-04", "SKIP")'
printf 'flush ruleset\ntable inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t}\n}\n' > "$r/etc/nftables.conf"
t 'an nftables.conf that drops input, offline' 0 "$bin" audit --root "$r" -f json -c host-fw-01
checks_ok 'is the configured firewall, named with its file' '
st("host-fw-01", "PASS", "policy drop (/etc/nftables.conf)")'
printf '{"iptables": false}' > "$r/etc/docker/daemon.json"; echo 1 > "$r/proc/sys/net/ipv4/ip_forward"
printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n' > "$r/etc/iptables/rules.v4"
t 'dockerd without iptables on a forwarding host' 1 "$bin" audit --root "$r" -f json -c host-fw-03
json_ok 'every container port is reachable by routing' '
import json,sys; d=json.load(sys.stdin); c=d["checks"][0]
assert c["status"]=="WARN" and "--iptables=false" in c["evidence"] and "reachable by routing" in c["evidence"], c'

# not root: checks whose files cannot be read say "needs root" instead of guessing
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null ||
	! setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" --help >/dev/null 2>&1; then
	echo "SKIP audit-root: needs-root markings (needs root, setpriv, and a docksec binary nobody can run)"
else
	chmod 711 "$tmp"; r=$tmp/nr; mkdir -p "$r/etc/ssh"; chmod -R 755 "$r"
	printf 'PermitRootLogin yes\n' > "$r/etc/ssh/sshd_config"; chmod 600 "$r/etc/ssh/sshd_config"
	t 'an unreadable sshd_config as nobody' 0 setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" audit --root "$r" -f json -c host-ssh-01
	json_ok 'is SKIP with "needs root", not "sshd is not installed"' '
import json,sys; d=json.load(sys.stdin); c=d["checks"][0]
assert c["status"]=="SKIP" and "needs root" in c["evidence"], c'
	t 'the firewall as nobody' 0 setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" audit --root / -f json -c host-fw-01
	json_ok 'says it needs root' '
import json,sys; d=json.load(sys.stdin); c=d["checks"][0]
assert c["status"]=="SKIP" and "needs root" in c["evidence"], c'
fi

# a hostile root: links out of it are resolved inside it, FIFOs are not read, and a
# configuration that cannot be read whole is ERROR with the reason, never PASS
h=$tmp/hostile; mkdir -p "$h/etc/docker" "$h/etc/ssh/sshd_config.d" "$h/etc/default" "$tmp/outside"
printf '{"icc": false}\n' > "$tmp/outside/daemon.json"
ln -s "$tmp/outside/daemon.json" "$h/etc/docker/daemon.json"
mkfifo "$h/etc/default/docker"
t 'an absolute link out of the root and a FIFO in it' 1 timeout 20 "$bin" audit --root "$h" -f json -c 2.2
checks_ok 'the link is resolved inside the root (the outside daemon.json is not read) and the FIFO does not block' '
st("2.2", "WARN", "icc = true (default)")'
for i in $(seq 1 20); do echo "Include /etc/ssh/sshd_config.d/*.conf" > "$h/etc/ssh/sshd_config.d/$i.conf"; done
echo "Include /etc/ssh/sshd_config.d/*.conf" > "$h/etc/ssh/sshd_config"
t 'sshd Include fan-out' 1 timeout 20 "$bin" audit --root "$h" -f json -c host-ssh-01
checks_ok 'is ERROR naming the limit, not out of memory' '
st("host-ssh-01", "ERROR", "cannot judge")'
python3 -c "import sys; sys.stdout.write('# c\n' * 100001 + 'PermitRootLogin yes\n')" > "$h/etc/ssh/sshd_config"
t '100,001 comment lines before PermitRootLogin yes' 1 "$bin" audit --root "$h" -f json -c host-ssh-01
checks_ok 'is ERROR, not PASS' '
st("host-ssh-01", "ERROR", "more than 100000 lines")'
rm "$h/etc/ssh/sshd_config"; mkfifo "$h/etc/ssh/sshd_config"
t 'an sshd_config that is a FIFO' 1 timeout 20 "$bin" audit --root "$h" -f json -c host-ssh-01
checks_ok 'is ERROR "not a regular file", not "sshd is not installed"' '
st("host-ssh-01", "ERROR", "not a regular file")'

# directory listings (sshd Include globs, certs.d, audit rules.d) go through the
# root too: a linked directory pointing out of it lists nothing of the auditing host's
l=$tmp/links; mkdir -p "$l/etc/ssh" "$l/etc/docker" "$tmp/outside/sshd.d" "$tmp/outside/certs/reg:5000"
echo 'PermitRootLogin yes' > "$tmp/outside/sshd.d/root.conf"
echo 'Include /etc/ssh/sshd_config.d/*.conf' > "$l/etc/ssh/sshd_config"
ln -s "$tmp/outside/sshd.d" "$l/etc/ssh/sshd_config.d"
echo cert > "$tmp/outside/certs/reg:5000/ca.crt"; chmod 0666 "$tmp/outside/certs/reg:5000/ca.crt"
ln -s "$tmp/outside/certs" "$l/etc/docker/certs.d"
t 'Include and certs.d linked out of the root' 0 "$bin" audit --root "$l" -f json -c host-ssh-01 -c 3.8
checks_ok 'list nothing outside the root (the outside PermitRootLogin yes and 0666 certificate are not seen)' '
st("host-ssh-01", "PASS", "prohibit-password")
st("3.8", "INFO", "no registry certificates")'
mkdir -p "$l/etc/docker/real/reg:5000"; rm "$l/etc/docker/certs.d"; ln -s /etc/docker/real "$l/etc/docker/certs.d"
echo cert > "$l/etc/docker/real/reg:5000/ca.crt"; chmod 0664 "$l/etc/docker/real/reg:5000/ca.crt"
t 'certs.d linked inside the root' 1 "$bin" audit --root "$l" -f json -c 3.8
checks_ok 'is followed inside it: the 0664 certificate is WARN, with its host-file location' '
st("3.8", "WARN", "/etc/docker/certs.d/reg:5000/ca.crt mode 0664")
assert c["3.8"]["location"]["kind"] in ("hostfile", "none"), c["3.8"]["location"]'

# a daemon.json that cannot be read: what it might set is unknown, so no PASS
b=$tmp/brokenjson; mkdir -p "$b/etc/docker"; printf '{"log-level": "debug",' > "$b/etc/docker/daemon.json"
t 'an unreadable daemon.json' 1 "$bin" audit --root "$b" -f json -c 2.3
checks_ok 'makes a check it could decide otherwise ERROR, with the reason' '
st("2.3", "ERROR", "daemon.json could not be read")'

# -c and -e: docker-bench's names work, comma lists too, and a name that
# selects nothing is a usage error (not "0 checks, exit 0"); --fail-on
t '-c with an id that matches nothing' 2 "$bin" audit --root "$b" -c 5.99
has '... says so' "$tmp/err" "no check matches '5.99'"
t '-c with a file name by mistake' 2 "$bin" audit --root "$b" -c .docksec.yaml
t "-c with docker-bench's names and a comma list" 1 "$bin" audit --root "$b" -f json -c check_2_3,docker_daemon_files -e check_3_1
checks_ok '... selects those checks' '
assert "2.3" in c and "3.2" in c and "3.1" not in c and "1.1.1" not in c, sorted(c)'
t '--fail-on critical passes what is only ERROR or WARN below it' 0 "$bin" audit --root "$b" -c 2.3 --fail-on critical
t '--fail-on with an unknown level' 2 "$bin" audit --root "$b" -c 2.3 --fail-on urgent

# the text report says what to do first: a severity and the fix under every
# WARN, the reason under every SKIP, the most severe problems at the end,
# the score explained, and an offline header that says what it is
t 'the text report of an offline audit' 1 "$bin" audit --root "$b" -c 2.3 -c 3 -c host-fw
has '... has a header for the root, not an empty API' "$tmp/out" "^docksec audit of the host files under .*brokenjson \(offline: no Engine API"
if grep -q 'API ,' "$tmp/out"; then echo "FAIL audit-root: the offline header names an empty API"; else echo "PASS audit-root: ... no 'API ,'"; fi
has '... a severity on a WARN or ERROR line' "$tmp/out" '^\[(WARN|ERROR)\] [0-9a-z.-]+ \((info|low|medium|high|critical)\) - '
has '... the fix under it' "$tmp/out" '^       fix: '
has '... the reason under a SKIP' "$tmp/out" '^       skipped: '
has '... the problems to fix first' "$tmp/out" '^Fix first \('
has '... and the score explained' "$tmp/out" "score -?[0-9]+ \(docker-bench's: PASS minus WARN\)"

# docker-bench's -l FILE: the text log and its log.json beside it
t '-l FILE' 1 "$bin" audit --root "$b" -c 2.3 -l "$tmp/bench.log"
has '... writes the text log to FILE' "$tmp/bench.log" '^\[(WARN|ERROR)\] 2.3'
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['tests'] and d['checks'] == 1" "$tmp/bench.log.json" && echo "PASS audit-root: ... and docker-bench's log.json to FILE.json" || echo "FAIL audit-root: FILE.json is not docker-bench's log"
t '-l into a missing directory' 2 "$bin" audit --root "$b" -c 2.3 -l "$tmp/none/x.log"
