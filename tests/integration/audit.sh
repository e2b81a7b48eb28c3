#!/usr/bin/env bash
# `docksec audit` against a PRIVATE dockerd (scripts/test-dockerd.sh: own
# data root, exec root, pidfile and socket; no iptables, no bridge) with an
# image built from busybox-static, one insecure container (created only:
# privileged containers cannot start here), one hardened running
# container, and exec sessions. The daemon is stopped on every exit path.
set -u
bin=$(realpath "${1:-build/san/docksec}")
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/dsa.XXXXXX) # short: UNIX socket paths are limited
suite=audit
. "$(dirname "$0")/lib.sh"
cleanup() { "$root/scripts/test-dockerd.sh" stop "$tmp" >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT

t 'audit --help' 0 "$bin" audit --help
t 'an absent daemon is an error naming the socket' 2 "$bin" audit --host "unix://$tmp/none.sock"
has 'the error says the socket does not exist' "$tmp/err" "no Docker daemon: $tmp/none.sock does not exist"
t 'an unsupported host is a usage error' 2 "$bin" audit --host ftp://x
t 'an unknown section is a usage error' 2 "$bin" audit --only kitchen

if [ "$(id -u)" != 0 ] || ! command -v dockerd >/dev/null || [ ! -x /bin/busybox ]; then
	echo "SKIP audit: needs root, dockerd (docker.io) and busybox-static for the private daemon"
	exit 0
fi
port=$((20000 + RANDOM % 20000)) # the daemon also listens on plain TCP, on loopback
if ! sock=$(TEST_DOCKERD_TCP="127.0.0.1:$port" "$root/scripts/test-dockerd.sh" start "$tmp" 2>"$tmp/start.err"); then
	echo "FAIL audit: the private dockerd did not start"; cat "$tmp/start.err"; exit 0
fi
export DOCKER_HOST="unix://$sock"
img=$("$root/scripts/test-dockerd.sh" image "$tmp") || { echo "FAIL audit: cannot import the test image"; exit 0; }
# a two-layer image written in docker-save format and loaded: the second layer
# whiteouts a setuid file, empties a directory (opaque) and replaces another
python3 - "$tmp/layers.tar" <<'PY' || echo "FAIL audit: cannot write the layered image"
import hashlib, io, json, sys, tarfile
def layer(files):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, mode in files:  # whiteouts are empty files, as docker writes them
            body = b"" if "/.wh." in name else b"x\n"
            i = tarfile.TarInfo(name); i.mode = mode; i.size = len(body)
            t.addfile(i, io.BytesIO(body))
    return b.getvalue()
l1 = layer([("usr/bin/su", 0o4755), ("usr/bin/newgrp", 0o2755), ("usr/bin/gone", 0o4755), ("opt/tool/x", 0o4755), ("usr/bin/chsh", 0o4755)])
l2 = layer([("usr/bin/.wh.gone", 0o644), ("opt/tool/.wh..wh..opq", 0o644), ("usr/bin/chsh", 0o755), ("usr/local/bin/late", 0o6755)])
ids = ["sha256:" + hashlib.sha256(l).hexdigest() for l in (l1, l2)]
cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["/bin/true"]},
                  "rootfs": {"type": "layers", "diff_ids": ids}}).encode()
cname = hashlib.sha256(cfg).hexdigest() + ".json"
man = json.dumps([{"Config": cname, "RepoTags": ["docksec-test/layers:1"], "Layers": ["l1/layer.tar", "l2/layer.tar"]}]).encode()
with tarfile.open(sys.argv[1], "w") as t:
    for name, data in (("l2/layer.tar", l2), ("l1/layer.tar", l1), (cname, cfg), ("manifest.json", man)):
        i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
PY
docker load -i "$tmp/layers.tar" >/dev/null || echo "FAIL audit: cannot load the layered image"
# docksec scan --daemon: the image streamed from GET /images/NAME/get, no file
t 'scan --daemon streams an image from the Engine API' 1 "$bin" scan --daemon docksec-test/layers:1 -f json
cp "$tmp/out" "$tmp/daemon-scan.json"
json_ok 'its final view: whiteouts applied, setuid files with their layer' '
import json,sys; d=json.load(sys.stdin); f={(x["rule"],x["location"].get("path")) for x in d["findings"] if x["rule"].startswith("IMG-SETUID")}
assert f=={("IMG-SETUID","/usr/local/bin/late"),("IMG-SETUID-STD","/usr/bin/su"),("IMG-SETUID-STD","/usr/bin/newgrp")}, f
assert d["images"][0]["ref"]=="docksec-test/layers:1" and len(d["images"][0]["layers"])==2'
docker save docksec-test/layers:1 -o "$tmp/saved.tar"
t 'the same image saved to a file' 1 "$bin" scan "$tmp/saved.tar" -f json
json_ok 'gives the same findings and layers as the stream' '
import json,sys; d=json.load(sys.stdin); e=json.load(open("'"$tmp"'/daemon-scan.json"))
k=lambda d: (sorted((x["rule"],str(x["location"].get("path")),x["message"]) for x in d["findings"]), [l["diff_id"] for l in d["images"][0]["layers"]])
assert k(d)==k(e)'
# docker build through the private daemon (RUN steps in containers without a network),
# docker save, and skopeo's OCI copies of the same image (an OCI layout written by
# another tool): every planted problem found, the secrets masked everywhere, and the
# same findings and layers from all three
mkdir -p "$tmp/ctx"
aws=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETKE gh=ghp_abcdefghijklmnopqrstuvwxyz0123456789
cat >"$tmp/ctx/Dockerfile" <<EOF
FROM docksec-test/busybox:1
ENV API_TOKEN=$gh
RUN echo 'aws_secret_access_key = $aws' > /tmp/creds && cp /bin/busybox /usr/bin/mytool && chmod 4755 /usr/bin/mytool
RUN rm /tmp/creds
EXPOSE 22
USER nobody
EOF
if docker build -q --network none -t docksec-test/built:1 "$tmp/ctx" >"$tmp/build.log" 2>&1 && docker save docksec-test/built:1 -o "$tmp/built.tar"; then
	t 'scan of an image docker build made' 1 "$bin" scan "$tmp/built.tar" -f json
	cp "$tmp/out" "$tmp/built.json"
	json_ok 'every planted problem, each at its history entry or file and layer' '
import json,sys; d=json.load(sys.stdin); f=sorted((x["rule"], x["location"].get("path") or x["location"].get("field")) for x in d["findings"])
want=sorted([("DF-SECRET-TOKEN","history[1]"),("DF-SECRET-TOKEN","history[2]"),("IMG-SECRET","/tmp/creds"),("IMG-SETUID","/usr/bin/mytool"),
 ("IMG-SETUID","/usr/bin/passwd-setuid"),("DF-EXPOSE-SSH","history[4]"),("DF-SETUID","history[2]"),("DF-HEALTHCHECK-MISSING","config"),("DF-USER-NAME","history[5]")])
assert f==want, f
s=[x for x in d["findings"] if x["rule"]=="IMG-SECRET"][0]
assert "AWS secret access key" in s["message"] and "deleted by layer 3" in s["message"], s["message"]
m=[x for x in d["findings"] if x["location"].get("path")=="/usr/bin/mytool"][0]
assert "chmod 4755" in m["context"] and "layer 2" in m["context"], m'
	if grep -q -e "$aws" -e "$gh" "$tmp/built.json"; then echo "FAIL audit: a planted secret is printed unmasked"; else echo "PASS audit: the planted secrets are masked everywhere (findings, history, context)"; fi
	if command -v skopeo >/dev/null; then
		skopeo copy --quiet "docker-archive:$tmp/built.tar" "oci:$tmp/built-oci:built" &&
			skopeo copy --quiet "docker-archive:$tmp/built.tar" "oci-archive:$tmp/built-oci.tar:built" ||
			echo "FAIL audit: skopeo cannot copy the image"
		for o in "$tmp/built-oci" "$tmp/built-oci.tar"; do
			t "skopeo's OCI layout ($(basename "$o")) scanned" 1 "$bin" scan "$o" -f json
			json_ok 'the same findings and layers as the docker save' '
import json,sys; d=json.load(sys.stdin); e=json.load(open("'"$tmp"'/built.json"))
k=lambda d: (sorted((x["rule"],str(x["location"].get("path")),x["message"].replace(d["images"][0]["ref"],"REF")) for x in d["findings"]), [l["diff_id"] for l in d["images"][0]["layers"]])
assert k(d)==k(e), (k(d), k(e))
assert [l["compression"] for l in d["images"][0]["layers"]]==["gzip"]*3'
		done
	else
		echo "SKIP audit: skopeo's OCI layouts (skopeo not installed)"
	fi
else
	echo "FAIL audit: docker build through the private daemon failed"; cat "$tmp/build.log"
fi
# the builder records ENV A="x y" as "ENV A=x y": the history is still judged
mkdir -p "$tmp/ctx2"
printf 'FROM docksec-test/busybox:1\nENV JAVA_OPTS="-Xmx1g -Dx=y" AWS_SECRET_ACCESS_KEY=%s\nLABEL description="a small app"\nEXPOSE 22\n' "$aws" >"$tmp/ctx2/Dockerfile"
if docker build -q --network none -t docksec-test/envs:1 "$tmp/ctx2" >"$tmp/build2.log" 2>&1; then
	t 'scan --daemon of an image with ENV values holding spaces' 1 "$bin" scan --daemon docksec-test/envs:1 -f json
	json_ok 'its history is judged: the secret, port 22 and root found' '
import json,sys; d=json.load(sys.stdin); f={x["rule"] for x in d["findings"]}
assert {"DF-SECRET-ENV","DF-EXPOSE-SSH","DF-USER-MISSING"} <= f, f'
else
	echo "FAIL audit: docker build of the ENV image failed"; cat "$tmp/build2.log"
fi
docker rmi -f docksec-test/built:1 docksec-test/envs:1 >/dev/null 2>&1 # the audit below counts the daemon's images
t 'scan --daemon of an image the daemon lacks is an error' 2 "$bin" scan --daemon docksec-test/none:1
has 'it says what the daemon said' "$tmp/err" 'GET /images/docksec-test/none:1/get: HTTP 404: [a-zA-Z]'
t 'scan --daemon refuses a name that is not one' 2 "$bin" scan --daemon '../../containers/json'
has 'before asking the daemon' "$tmp/err" 'not an image name or id'
docker create --name insecure --privileged --network none --pid host \
	-v /var/run/docker.sock:/var/run/docker.sock:ro -v /etc:/host-etc \
	-p 80:80 --restart always "$img" >/dev/null || echo "FAIL audit: cannot create the insecure container"
docker run -d --name hardened --network none --read-only --cap-drop ALL --security-opt no-new-privileges \
	--user 65534:65534 --memory 64m --cpus 0.5 --pids-limit 50 --restart on-failure:5 \
	--health-cmd 'true' "$img" >/dev/null || echo "FAIL audit: cannot run the hardened container"
# a root exec session that is still running (finished ones are not listed;
# privileged execs cannot start on this machine, so 5.23 is left to unit data)
docker exec -d -u root hardened sleep 60 >/dev/null 2>&1
t 'audit of the private daemon finds warnings' 1 "$bin" audit --host "unix://$sock" -f json
cp "$tmp/out" "$tmp/audit.json"
json_ok 'every CIS id is reported once with a status' '
import json,sys; d=json.load(sys.stdin); ids=[c["id"] for c in d["checks"]]
cis=[i for i in ids if not i.startswith("host-")]
assert len(ids)==len(set(ids)) and len(cis)==117, len(ids)
assert all(c["status"] in ("PASS","WARN","INFO","NOTE","SKIP") for c in d["checks"])
assert d["containers"]==2 and d["api_version"]'
json_ok 'the insecure container (created, not running) is warned on, with evidence' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
for i in ("5.5","5.6","5.8","5.11","5.13","5.14","5.15","5.16","5.26","5.29","5.32"):
    assert c[i]["status"]=="WARN", (i, c[i])
    assert all(f["container"]=="insecure (created)" for f in c[i]["findings"]), (i, c[i]["findings"])
assert "HostConfig.Privileged" in c["5.5"]["findings"][0]["message"]'
json_ok 'the hardened running container passes the runtime checks' '
import json,sys; d=json.load(sys.stdin)
bad=[(x["id"],f["message"]) for x in d["checks"] for f in x["findings"] if f["container"].startswith("hardened")]
assert not bad, bad'
json_ok 'a running exec session as root is warned on (5.24), not as privileged (5.23)' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
assert c["5.24"]["status"]=="WARN" and "hardened (running): exec" in c["5.24"]["evidence"], c["5.24"]
assert c["5.23"]["status"]=="PASS" and "1 exec session" in c["5.23"]["evidence"], c["5.23"]'
json_ok 'setuid/setgid files of the final view of each image are listed (4.8), whiteouts applied' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
e=c["4.8"]["evidence"]; assert c["4.8"]["status"]=="INFO", c["4.8"]
assert "docksec-test/busybox:1: 1 setuid/setgid file" in e and "/usr/bin/passwd-setuid 4755 (layer 1)" in e, e
assert "docksec-test/layers:1: 3 setuid/setgid files" in e, e
for f in ("/usr/bin/newgrp 2755 (layer 1)", "/usr/bin/su 4755 (layer 1)", "/usr/local/bin/late 6755 (layer 2)"):
    assert f in e, (f, e)
assert "/usr/bin/gone" not in e and "/opt/tool/x" not in e and "/usr/bin/chsh" not in e, e'
json_ok 'escape CVEs are decided for this host, with a confidence' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
e=c["host-cve-2024-21626"]
assert e["status"] in ("PASS","WARN") and "runc " in e["evidence"] and "confidence: high" in e["evidence"], e
assert all("confidence: " in c[i]["evidence"] for i in c if i.startswith("host-cve-") and c[i]["status"] in ("PASS","WARN"))'
json_ok 'swarm is off and manual checks are NOTE' '
import json,sys; d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
assert c["5.1"]["status"]=="PASS" and "inactive" in c["5.1"]["evidence"]
assert c["5.28"]["status"]=="NOTE"'
t '--only containers keeps section 5' 1 "$bin" audit --host "unix://$sock" -f json --only containers
json_ok '--only containers has 32 checks' '
import json,sys; d=json.load(sys.stdin); assert [c["id"][0] for c in d["checks"]]==["5"]*32'
t '-e excludes checks (docker-bench -e)' 0 "$bin" audit -f json -c 5.1 -c 5.10 -e 5.10
json_ok '-c and -e select exactly' '
import json,sys; d=json.load(sys.stdin); assert [c["id"] for c in d["checks"]]==["5.1"], d["checks"]'
t 'text output names the container and the field' 1 "$bin" audit -c 5.5
has 'text evidence' "$tmp/out" '^       \* insecure \(created\): runs privileged.*\(HostConfig.Privileged\)$'
t '-x leaves a container out (docker-bench -x)' 0 "$bin" audit -c 5.5 -x insec
t '-i keeps only matching containers (docker-bench -i)' 0 "$bin" audit -f json -c 5.5 -i hardened
json_ok '... and 5.5 passes without the privileged one' 'import json,sys
d=json.load(sys.stdin); assert d["checks"][0]["status"]=="PASS", d["checks"][0]'
t 'docker-bench log.json format' 1 "$bin" audit -f docker-bench
json_ok 'log.json has docker-bench sections, ids, results and items' '
import json,sys; d=json.load(sys.stdin)
assert d["dockerbenchsecurity"].startswith("docksec") and d["checks"]==117 and isinstance(d["score"], int)
s={t["id"]:t for t in d["tests"]}; assert s["5"]["desc"]=="Container Runtime"
r={x["id"]:x for x in s["5"]["results"]}
assert r["5.5"]["result"]=="WARN" and r["5.5"]["items"]==["insecure"] and r["5.5"]["desc"].endswith("(Automated)")
assert all(x["result"] in ("PASS","WARN","INFO","NOTE") for t in d["tests"] for x in t["results"])'
t '--image-files-max 0 lists no image files' 0 "$bin" audit -f json -c 4.8 --image-files-max 0
json_ok '4.8 says the images were not listed' '
import json,sys; d=json.load(sys.stdin); c=d["checks"][0]
assert c["status"]=="PASS" and "2 images not listed (over --image-files-max)" in c["evidence"], c'
t '--image-files-max takes MiB' 2 "$bin" audit --image-files-max lots
t 'the listening sockets of this host' 1 "$bin" audit -f json -c host-net-01
checks_ok 'the daemon'"'"'s plain-TCP listener is found through /proc and named (host-net-01)' '
st("host-net-01", "WARN", "tcp 127.0.0.1:'"$port"' by dockerd[", "without TLS: every local user")'
t 'the same daemon over TCP is audited as remote' 1 "$bin" audit --host "tcp://127.0.0.1:$port" -f json \
	-c 5.5 -c host-cve-2024-21626 -c host-net-01 -c host-fw-01 -c host-iso-01
checks_ok 'containers are judged, this host'"'"'s files are not, versions come from /version' '
st("5.5", "WARN")
for i in ("host-net-01", "host-fw-01", "host-iso-01"): st(i, "SKIP", "the daemon is remote")
e=c["host-cve-2024-21626"]["evidence"]
assert "Engine /version component runc (remote daemon)" in e and "confidence: " in e, e'
# DOCKER_HOST=ssh://: an `ssh` first in PATH stands in for OpenSSH. It records
# its arguments and runs the remote command it was given - the Docker CLI's
# real `docker system dial-stdio` - against the private daemon.
mkdir -p "$tmp/sshbin"
cat >"$tmp/sshbin/ssh" <<'SH'
#!/bin/sh
printf '%s\n' "$*" >>"$FAKE_SSH_LOG"
while [ $# -gt 0 ] && [ "$1" != "--" ]; do shift; done
shift; host=$1; shift
case $host in
unreachable) echo "ssh: connect to host unreachable port 22: Connection refused" >&2; exit 255 ;;
-*) echo "ssh: Could not resolve hostname $host: Name or service not known" >&2; exit 255 ;;
esac
DOCKER_HOST=$FAKE_SSH_DAEMON exec "$@"
SH
chmod +x "$tmp/sshbin/ssh"
export FAKE_SSH_LOG="$tmp/ssh.log" FAKE_SSH_DAEMON="unix://$sock"
t 'DOCKER_HOST=ssh:// audits the daemon through ssh ... docker system dial-stdio' 1 \
	env PATH="$tmp/sshbin:$PATH" DOCKER_HOST='ssh://auditor@box:2222' "$bin" audit -f json -c 2,3.1,5.5,host-net-01
checks_ok 'over ssh: containers and the API-decided daemon checks are judged; this host'"'"'s files are not' '
st("5.5", "WARN"); st("2.6", "PASS")
st("3.1", "SKIP", "the daemon is remote"); st("2.3", "SKIP", "daemon.json and command line are on its host")
st("host-net-01", "SKIP", "the daemon is remote")
assert d["host"]=="ssh://auditor@box:2222", d["host"]'
has 'ssh is run as the Docker CLI runs it: user, port, then the host after --' "$tmp/ssh.log" \
	'^-l auditor -p 2222 -- box docker system dial-stdio$'
if [ "$(grep -c . "$tmp/ssh.log")" -ge 2 ]; then echo "PASS $suite: each connection of the run gets its own ssh"
else echo "FAIL $suite: one ssh for the whole run ($(cat "$tmp/ssh.log"))"; fi
if pgrep -f 'docker system dial-stdio' >/dev/null; then echo "FAIL $suite: an ssh was left running"; pkill -f 'docker system dial-stdio'
else echo "PASS $suite: no ssh is left running after the audit"; fi
t 'an ssh that fails is an error with what ssh said' 2 env PATH="$tmp/sshbin:$PATH" "$bin" audit --host ssh://unreachable
has 'the error quotes ssh' "$tmp/err" 'ssh unreachable: .*ssh said: ssh: connect to host unreachable port 22: Connection refused'
t 'no ssh in PATH is an error saying so' 2 env PATH=/nonexistent "$bin" audit --host ssh://box
has 'the error names the missing ssh' "$tmp/err" 'cannot run ssh: not found in PATH'
for bad in 'ssh://u:secret@box' 'ssh://box/var/run/docker.sock' 'ssh://box:0' 'ssh://box:22x' 'ssh://' 'ssh://@box' 'ssh://[::1'; do
	t "ssh host '$bad' is refused before anything runs" 2 env PATH="$tmp/sshbin:$PATH" "$bin" audit --host "$bad"
done
has 'a password in the URL is refused, not used' "$tmp/ssh.log" '^-l auditor'
if grep -q secret "$tmp/ssh.log"; then echo "FAIL $suite: a refused URL reached ssh"; else echo "PASS $suite: no refused URL reached ssh"; fi
t 'a host spelled like an ssh option stays a host name after --' 2 env PATH="$tmp/sshbin:$PATH" "$bin" audit --host 'ssh://-oProxyCommand=x'
has 'the option-like host came after --' "$tmp/ssh.log" '^-- -oProxyCommand=x docker system dial-stdio$'
t 'SARIF format' 1 "$bin" audit -f sarif -c 5.5
json_ok 'SARIF names the offending container as a logical location' '
import json,sys; d=json.load(sys.stdin); r=d["runs"][0]["results"]
assert [x["ruleId"] for x in r]==["5.5"] and r[0]["level"]=="warning", r
assert r[0]["locations"][0]["logicalLocations"][0]["name"]=="insecure (created)", r[0]["locations"]'
t 'junit format' 1 "$bin" audit -f junit -c 5
json_ok 'junit has one testcase per check and WARN as failure' '
import sys,xml.dom.minidom as m; d=m.parseString(sys.stdin.read())
assert len(d.getElementsByTagName("testcase"))==32 and len(d.getElementsByTagName("failure"))>=10'
docker rm -f insecure hardened >/dev/null 2>&1
t 'a host with no containers passes section 5 but the notes' 0 "$bin" audit -c 5 -e 5.28 -e 5.25
