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
t 'sshd checks on a fixture' 1 "$bin" audit --root "$r" -f json --only hardening
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
