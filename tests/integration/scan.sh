#!/usr/bin/env bash
# `docksec scan` on images this suite writes (tests/integration/scan/
# mkimage.py: this machine's own dpkg database and files written here) in
# every layout and compression: docker-save legacy and OCI, OCI layouts as
# a tar and a directory, gzip and zstd layers, two images in one tarball, a
# multi-platform index, stdin; whiteouts, opaque directories, a directory
# deleted and re-created, a hard link to a setuid file, symlink loops and
# escapes, a tampered layer, a hostile ../ entry, a gzip bomb; and an OCI layout
# written by umoci, cross-checked against its own manifest and config.
set -u
bin=$(realpath "${1:-build/san/docksec}")
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
suite=scan
. "$(dirname "$0")/lib.sh"
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME="$tmp/cache" # the layer cache of this suite
mk="$root/tests/integration/scan/mkimage.py"
if ! command -v python3 >/dev/null || [ ! -r /var/lib/dpkg/status ]; then
	echo "SKIP scan: needs python3 and a dpkg system to build the test images from"
	exit 0
fi
cd "$tmp" || exit 0

t 'scan --help' 0 "$bin" scan --help
t 'scan with no image is a usage error' 2 "$bin" scan
t 'a missing file is an input error' 2 "$bin" scan nothere.tar
has 'the error names the file' "$tmp/err" 'nothere.tar.*No such file'
printf 'not a tar' >junk.tar
t 'a file that is not an image is an input error' 2 "$bin" scan junk.tar

python3 "$mk" deb.tar legacy debian
t 'a docker-save image with findings exits 1' 1 "$bin" scan deb.tar -f json
cp out deb.json
json_ok 'the packages are exactly what dpkg-query reads from the same status file' '
import json,subprocess,sys; d=json.load(sys.stdin); im=d["images"][0]
want=subprocess.run(["dpkg-query","--admindir=deb.tar.admin","-W","-f","${Package} ${Version}\n"],capture_output=True,text=True,check=True).stdout.split("\n")
got=sorted("%s %s"%(p["name"],p["version"]) for p in im["packages"])
assert got==sorted(x for x in want if x), (len(got), len(want))
assert im["os"]["id"]=="debian" and im["os"]["version_id"]=="12" and im["package_type"]=="deb", im["os"]'
json_ok 'each package names the layer that installed its version (an upgrade moves it to layer 2)' '
import json,sys; d=json.load(sys.stdin); p=d["images"][0]["packages"]
up=[x for x in p if x["version"].endswith("+up1")]
assert len(up)==1 and up[0]["layer"]==2, up
assert sum(1 for x in p if x["layer"]==1)==28 and sum(1 for x in p if x["layer"]==2)==6, [(x["name"],x["layer"]) for x in p]
assert all(x["purl"].startswith("pkg:deb/debian/") and "distro=debian-12" in x["purl"] for x in p)'
json_ok 'whiteouts, opaque directories and re-created directories apply; setuid files carry their layer' '
import json,sys; d=json.load(sys.stdin); f={(x["rule"],x["location"].get("path")):x for x in d["findings"]}
paths={p for r,p in f}
assert ("IMG-SETUID","/opt/tool/new") in f, "a file beside an opaque marker of its own layer stays"
assert "/opt/tool/old" not in paths and "/usr/bin/gone" not in paths, "hidden by the upper layer"
assert ("IMG-SETUID","/usr/local/bin/custom") in f and ("IMG-SETUID","/usr/bin/su-link") in f, sorted(f)
assert "hard link" in f[("IMG-SETUID","/usr/bin/su-link")]["message"]
assert ("IMG-SETUID-STD","/usr/bin/su") in f and f[("IMG-SETUID-STD","/usr/bin/su")]["severity"]=="low"
assert ("IMG-WORLD-WRITABLE","/etc/app.conf") in f and ("IMG-WORLD-WRITABLE","/var/shared") in f
assert "/tmp" not in paths, "sticky /tmp is fine"
assert ("IMG-UNKNOWN-OWNER","/home/app/file") in f
x=f[("IMG-SETUID","/usr/local/bin/custom")]
assert x["location"]["kind"]=="image" and x["location"]["image"]=="docksec-test/debian:1"
assert x["location"]["layer"]==d["images"][0]["layers"][1]["digest"] and x["context"].startswith("layer 2: RUN")'
json_ok 'a directory deleted and re-created keeps only its new files' '
import json,sys; d=json.load(sys.stdin); p={f["location"].get("path") for f in d["findings"]}
assert "/srv/data/new" in p and "/srv/data/old" not in p, sorted(p)'

json_ok 'every planted credential is found, each at its file, line and layer; the deleted key is still reported' '
import json,sys; d=json.load(sys.stdin); L=d["images"][0]["layers"]
s=sorted((f["location"]["path"], f["message"].split(" in /")[0], f["location"]["layer"]==L[0]["digest"]) for f in d["findings"] if f["rule"]=="IMG-SECRET")
assert s==[("/app/.env","secret in a .env file",False),("/app/config.js","GitHub personal access token",False),
           ("/opt/deploy/id_rsa","private key",True),("/root/.aws/credentials","AWS access key id",True),
           ("/root/.aws/credentials","AWS secret access key",True)], s
m=[f["message"] for f in d["findings"] if f["location"].get("path")=="/opt/deploy/id_rsa"][0]
assert "deleted by layer 2, but still in layer 1" in m, m
assert ":3: w****Y (41 characters)" in [f["message"] for f in d["findings"] if "AWS secret" in f["message"]][0]
g=[f["message"] for f in d["findings"] if "GitHub" in f["message"]][0]
assert ": ghp_****9 (40 characters)" in g, g'
for fmt in text json sarif junit html; do
	"$bin" scan deb.tar -f "$fmt" >"$tmp/s.$fmt" 2>&1
	if grep -q -E 'wJalrXUtnFEMI|QWERTYUIOPASDFGH|s3cr3t-Pa55w0rd|abcdefghijklmnopqrstuvwxyz0123456789|b3BlbnNzaC1rZXkt' "$tmp/s.$fmt"; then
		echo "FAIL scan: a secret from a file reached -f $fmt unredacted"
	else echo "PASS scan: secrets from files are redacted in -f $fmt"; fi
done
t 'SARIF of an image' 1 "$bin" scan deb.tar -f sarif -o deb.sarif
if python3 -c 'import jsonschema' 2>/dev/null; then
	if python3 - "$root/tests/data/sarif-2.1.0-rtm.5.json" deb.sarif <<'PY' 2>"$tmp/pyerr"; then echo "PASS scan: the SARIF validates, image paths as URIs with the image as a logical location"; else echo "FAIL scan: SARIF"; tail -5 "$tmp/pyerr"; fi
import json, sys, warnings, jsonschema
warnings.simplefilter("ignore")
d = json.load(open(sys.argv[2])); jsonschema.Draft7Validator(json.load(open(sys.argv[1]))).validate(d)
r = [x for x in d["runs"][0]["results"] if x["ruleId"] == "IMG-SETUID"][0]["locations"][0]
assert r["physicalLocation"]["artifactLocation"]["uri"] in ("opt/tool/new", "usr/local/bin/custom", "usr/bin/su-link"), r
assert r["logicalLocations"][0] == {"kind": "image", "name": "docksec-test/debian:1"}, r
PY
else echo "SKIP scan: SARIF schema (no python3-jsonschema)"; fi
t '--no-secrets reads no file for credentials' 1 "$bin" scan deb.tar --no-secrets -f json
json_ok 'no IMG-SECRET with --no-secrets' '
import json,sys; d=json.load(sys.stdin); assert not [f for f in d["findings"] if f["rule"]=="IMG-SECRET"]'
t '--skip-path leaves out paths by glob' 1 "$bin" scan deb.tar --skip-path '/app/*' --skip-path '*/.aws/*' -f json
json_ok 'only the paths not skipped' '
import json,sys; d=json.load(sys.stdin); p={f["location"].get("path") for f in d["findings"] if f["rule"].startswith("IMG-")}
assert "/app/.env" not in p and "/root/.aws/credentials" not in p and "/opt/deploy/id_rsa" in p, p'
t '-i IMG-SECRET ignores the rule by id' 1 "$bin" scan deb.tar -i IMG-SECRET -f json
json_ok 'no IMG-SECRET when ignored' '
import json,sys; d=json.load(sys.stdin); assert not [f for f in d["findings"] if f["rule"]=="IMG-SECRET"] and d["summary"]["suppressed"]==5, d["summary"]'

json_ok 'language packages: Python, npm (scoped too) and Ruby records, not fixtures or the app itself' '
import json,sys; d=json.load(sys.stdin); lp=d["images"][0]["language_packages"]
got=sorted((p["type"],p["name"],p["version"],p["purl"],p["layer"]) for p in lp)
assert got==[("gem","rack","2.2.4","pkg:gem/rack@2.2.4",2),
             ("npm","@babel/core","7.23.0","pkg:npm/%40babel/core@7.23.0",2),
             ("npm","lodash","4.17.21","pkg:npm/lodash@4.17.21",2),
             ("pypi","requests-oauthlib","1.3.1","pkg:pypi/requests-oauthlib@1.3.1",2),
             ("pypi","six","1.16.0","pkg:pypi/six@1.16.0",2)], got'
json_ok 'a credential in a label is IMG-LABEL-SECRET, masked' '
import json,sys; d=json.load(sys.stdin); f=[x for x in d["findings"] if x["rule"]=="IMG-LABEL-SECRET"]
assert len(f)==1 and "org.example.api_token" in f[0]["message"] and "9f8e7d6c" not in json.dumps(d), f'
for v in "oci-tar gzip" "oci-tar zstd" "oci-dir gzip" "save-oci none"; do
	set -- $v
	rm -rf "img.$1.$2"; python3 "$mk" "img.$1.$2" "$1" debian "$2"
	t "$1 with $2 layers" 1 "$bin" scan "img.$1.$2" -f json
	json_ok "$1 with $2 layers: the same packages and findings as docker-save" '
import json,sys; d=json.load(sys.stdin); e=json.load(open("deb.json"))
key=lambda d: (sorted((p["name"],p["version"],p["layer"]) for p in d["images"][0]["packages"]), sorted((f["rule"],str(f["location"].get("path")),str(f["location"].get("field"))) for f in d["findings"]))
assert key(d)==key(e)
assert all(l["compression"]=="'"$2"'" for l in d["images"][0]["layers"]), d["images"][0]["layers"]'
done
# docksec reads the tars itself: libarchive (with its libxml2 and ICU) is loaded only
# for what needs it - zstd, xz and bzip2 layers, Java archives - never for a plain or
# gzip image (the dynamic loader's own record of what it opened)
for v in "deb.tar no" "img.oci-tar.gzip no" "img.save-oci.none no" "img.oci-tar.zstd yes"; do
	set -- $v
	LD_DEBUG=files "$bin" scan "$1" --no-cache -q >/dev/null 2>ld.log
	if grep -q 'file=libarchive' ld.log; then got=yes; else got=no; fi
	if [ "$got" = "$2" ]; then echo "PASS scan: $1: libarchive loaded: $2"
	else echo "FAIL scan: $1: libarchive loaded: $got, expected $2"; fi
done
t 'stdin: docker save x | docksec scan -' 1 sh -c "cat img.oci-tar.zstd | '$bin' scan - -q"
has 'the image read from stdin is named' "$tmp/out" '^docksec-test/debian:1 \(-\): Debian GNU/Linux 12 \(bookworm\), 34 deb packages'

# a read that takes seconds shows progress on a terminal, nothing in a pipe
cat >slow.py <<'PY'
import sys, time
data = open(sys.argv[1], "rb").read()
step = max(1, len(data) // 20)
for i in range(0, len(data), step):
    sys.stdout.buffer.write(data[i:i + step]); sys.stdout.flush(); time.sleep(0.1)
PY
t 'a slow read in a pipe prints no progress' 1 sh -c "python3 slow.py deb.tar | '$bin' scan -"
if grep -q 'docksec: read' "$tmp/err"; then echo "FAIL scan: progress in a pipe"; else echo "PASS scan: no progress in a pipe"; fi
if command -v script >/dev/null; then
	env -u CI script -qec "python3 slow.py deb.tar | '$bin' scan - >/dev/null" "$tmp/typescript" >/dev/null 2>&1
	has 'a slow read on a terminal says how far it is' "$tmp/typescript" 'docksec: read [0-9]+ MiB, [0-9]+ layers?'
else
	echo "SKIP scan: progress on a terminal (no script(1))"
fi

# one-layer docker-save images written here: oneimage.py OUT TAG, then (name, data, mode)
# tuples as Python literals, one per line, on its standard input
cat > oneimage.py <<'P'
import ast, hashlib, io, json, sys, tarfile
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w") as t:
    for line in sys.stdin:
        name, data, mode = ast.literal_eval(line)
        i = tarfile.TarInfo(name); i.mode = mode; i.size = len(data); t.addfile(i, io.BytesIO(data))
l = b.getvalue()
cfg = json.dumps({"os": "linux", "architecture": "amd64", "config": {"User": "1"}, "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(l).hexdigest()]}}).encode()
man = json.dumps([{"Config": "c.json", "RepoTags": [sys.argv[2]], "Layers": ["l/layer.tar"]}]).encode()
with tarfile.open(sys.argv[1], "w") as t:
    for n, d in (("l/layer.tar", l), ("c.json", cfg), ("manifest.json", man)):
        i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(d))
P
# a layer's entries out of order, a path written twice: the later one wins (sorted stably)
python3 -c '
for name, mode in (("z/b", 0o4755), ("a/x", 0o644), ("y/s", 0o755), ("m/n/o", 0o644), ("z/b", 0o755),
                   ("c/set", 0o4755), ("a-b", 0o644), ("y/s", 0o4755), ("a/w", 0o644)):
    print((name, b"", mode))' | python3 oneimage.py unsorted.tar unsorted:1
t 'a layer out of order with a path written twice' 1 "$bin" scan unsorted.tar --no-cache -f json
json_ok 'the later of two entries of one path wins, whatever the order of the rest' '
import json,sys; d=json.load(sys.stdin); f=sorted(x["location"]["path"] for x in d["findings"] if x["rule"]=="IMG-SETUID")
assert f==["/c/set","/y/s"], f'
# a file rule lists 100 paths an image and counts the rest in one finding: 250 world-writable
# files, 130 setuid ones (a report of a million such files would be a gigabyte)
python3 -c '
for k in range(250): print(("w/f%03d" % k, b"", 0o666))
for k in range(130): print(("s/b%03d" % k, b"", 0o4755))' | python3 oneimage.py many.tar many:1
t 'an image of 250 world-writable and 130 setuid files' 1 "$bin" scan many.tar --no-cache -f json
json_ok 'the first 100 of each are listed, one finding counts the rest' '
import json,sys; d=json.load(sys.stdin)
for rule, pre, n, what in (("IMG-WORLD-WRITABLE", "/w/f", 250, "world-writable paths"), ("IMG-SETUID", "/s/b", 130, "setuid or setgid programs")):
    f=[x for x in d["findings"] if x["rule"]==rule]
    listed=sorted(x["location"]["path"] for x in f if x["location"].get("path"))
    more=[x["message"] for x in f if not x["location"].get("path")]
    assert listed==["%s%03d" % (pre, k) for k in range(100)], (rule, listed[:3], len(listed))
    assert more==["%d more %s, not listed (the report lists the first 100)" % (n-100, what)], more'
t 'the same with the first 200 world-writable paths skipped' 1 "$bin" scan many.tar --no-cache -f json --skip-path '/w/f0*' --skip-path '/w/f1*'
json_ok 'the 50 left are listed, and nothing counted' '
import json,sys; d=json.load(sys.stdin); f=[x for x in d["findings"] if x["rule"]=="IMG-WORLD-WRITABLE"]
assert [x["location"]["path"] for x in f]==["/w/f%03d" % k for k in range(200, 250)], len(f)'
# a file written twice in one layer: the later contents count (os-release), whatever
# the order of the layer's other kept files; and 100 000 npm packages in one layer are
# read in bounded time (a linear search per file was quadratic: over 100 s)
python3 -c '
for x in (("etc/os-release", b"ID=first\nVERSION_ID=1\n"), ("etc/passwd", b"root:x:0:0::/root:/bin/sh\n"),
          ("app/node_modules/a/package.json", b"{\"name\":\"a\",\"version\":\"1.0.0\"}"),
          ("etc/os-release", b"ID=second\nVERSION_ID=2\n"),
          ("app/node_modules/a/package.json", b"{\"name\":\"a\",\"version\":\"2.0.0\"}")): print(x + (0o644,))' | python3 oneimage.py twice.tar twice:1
python3 -c '
for k in range(100000): print(("app/node_modules/p%d/package.json" % k, b"{\"name\":\"p%d\",\"version\":\"1.0.%d\"}" % (k, k), 0o644))' |
	python3 oneimage.py pkgs.tar pkgs:1
t 'a file written twice in one layer' 1 "$bin" scan twice.tar --no-cache -f json
json_ok 'the later contents count (a package record too)' '
import json,sys; d=json.load(sys.stdin); o=d["images"][0]["os"]
assert (o["id"], o["version_id"])==("second", "2"), o
p=[(x["name"], x["version"]) for x in d["images"][0]["language_packages"]]
assert p==[("a", "2.0.0")], p'
t '100 000 npm packages in one layer' 1 timeout 60 "$bin" scan pkgs.tar --no-cache -f json
json_ok 'are all read, within the time limit' '
import json,sys; d=json.load(sys.stdin); p=d["images"][0]["language_packages"]
assert len(p)==100000 and len({x["name"] for x in p})==100000, len(p)'
# their SBOMs are written as they are made, 64 KiB at a time (not held whole in memory)
t 'the CycloneDX SBOM of 100 000 packages' 0 "$bin" scan pkgs.tar --no-cache -f cyclonedx
json_ok 'lists every one, once' '
import json,sys; d=json.load(sys.stdin); c=d["components"]
assert len(c)==100000 and len({x["purl"] for x in c})==100000 and len(d["dependencies"][0]["dependsOn"])==100000, len(c)'
t 'their SPDX SBOM' 0 "$bin" scan pkgs.tar --no-cache -f spdx
json_ok 'lists every one, contained in the image' '
import json,sys; d=json.load(sys.stdin); assert len(d["packages"])==100001 and len(d["relationships"])==100001, len(d["packages"])'
if [ -w /dev/full ]; then
	t 'an SBOM written to a full disk' 2 sh -c '"$1" scan twice.tar --no-cache -f cyclonedx > /dev/full' sh "$bin"
	if [ "$(grep -c 'error' "$tmp/err")" = 1 ]; then echo "PASS scan: is an error, said once"
	else echo "FAIL scan: the full disk is not said once"; cat "$tmp/err"; fi
fi
# 64 images (the most a tarball may hold) over one layer of 500 000 files: each image's view
# is built while it is judged, then freed (all 64 at once took 256 MiB, over the bound)
python3 - views.tar <<'P'
import hashlib, io, json, sys, tarfile
def hdr(name):  # a ustar header of an empty file
    h = bytearray(512); h[0:len(name)] = name
    for at, v in ((100, b"0000644\0"), (108, b"0000000\0"), (116, b"0000000\0"), (124, b"00000000000\0"),
                  (136, b"00000000000\0"), (156, b"0"), (257, b"ustar\0"), (263, b"00"), (148, b" " * 8)):
        h[at:at + len(v)] = v
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)
l = b"".join(hdr(b"usr/share/d%04d/f%03d" % (k // 500, k % 500)) for k in range(500000)) + b"\0" * 1024
cfg = json.dumps({"os": "linux", "architecture": "amd64", "config": {"User": "1"}, "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(l).hexdigest()]}}).encode()
man = json.dumps([{"Config": "c.json", "RepoTags": ["views:%d" % k], "Layers": ["l/layer.tar"]} for k in range(64)]).encode()
with tarfile.open(sys.argv[1], "w") as t:
    for n, d in (("l/layer.tar", l), ("c.json", cfg), ("manifest.json", man)):
        i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(d))
P
t '64 images over one layer of 500 000 files' 1 "$bin" scan views.tar --no-cache
if [ "$(grep -c ', 1 layer, 500000 paths' "$tmp/out")" = 64 ]; then echo "PASS scan: every image is read, each with its 500 000 paths"
else echo "FAIL scan: not 64 images of 500 000 paths"; grep -m3 'paths' "$tmp/out"; fi
# one layer at different places in the images of a tarball (first of A and C, second of B):
# their inventories share its package records, each with the layer of its own image
python3 - shared.tar <<'P'
import hashlib, io, json, sys, tarfile
def layer(files):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w") as t:
        for n, d in files:
            i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(d))
    return b.getvalue()
l0 = layer([("etc/hostname", b"b\n")])
l1 = layer([("var/lib/dpkg/status", b"Package: tool\nStatus: install ok installed\nVersion: 1.0\nArchitecture: amd64\n\n"),
            ("app/node_modules/a/package.json", b"{\"name\":\"a\",\"version\":\"1.0.0\"}")])
blobs = {"l0/layer.tar": l0, "l1/layer.tar": l1}
man = []
with tarfile.open(sys.argv[1], "w") as t:
    def add(n, d):
        i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(d))
    for n, d in blobs.items():
        add(n, d)
    for tag, ls in (("a", ["l1/layer.tar"]), ("b", ["l0/layer.tar", "l1/layer.tar"]), ("c", ["l1/layer.tar"])):
        cfg = json.dumps({"os": "linux", "architecture": "amd64", "config": {"User": "1", "Labels": {"tag": tag}},
                          "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(blobs[x]).hexdigest() for x in ls]}}).encode()
        add("c-%s.json" % tag, cfg)
        man.append({"Config": "c-%s.json" % tag, "RepoTags": ["shared:" + tag], "Layers": ls})
    add("manifest.json", json.dumps(man).encode())
P
t 'three images sharing a layer at different places' 1 "$bin" scan shared.tar --no-cache -f json
json_ok 'each lists its packages in the layer of its own order' '
import json,sys; d=json.load(sys.stdin)
got={im["ref"]: [(p["name"], p["layer"]) for p in im["packages"] + im["language_packages"]] for im in d["images"]}
assert got=={"shared:a": [("tool",1),("a",1)], "shared:b": [("tool",2),("a",2)], "shared:c": [("tool",1),("a",1)]}, got'
# an index larger than docksec holds in memory (13 000 paths of 4 000 bytes: 52 MB of names)
# is refused with the bound, not read into 100 MB
python3 -c '
for k in range(13000): print(("d%02d/" % (k // 1000) + "n" * 3990 + "%05d" % k, b"", 0o644))' | python3 oneimage.py long.tar long:1
t 'an image whose paths take 52 MB' 2 "$bin" scan long.tar --no-cache
has 'is refused, naming the bound' "$tmp/err" "l/layer.tar: the images' index of paths takes more than 48 MiB \([0-9]+ entries read\)"
# the bound is the run's, not each input's: two inputs of 7 000 such paths (28 MB each) are read
# one at a time, and refused together
python3 -c '
for k in range(7000): print(("d%02d/" % (k // 1000) + "n" * 3990 + "%05d" % k, b"", 0o644))' | python3 oneimage.py long7.tar long:7
cp long7.tar long7b.tar
t 'an input whose paths take 28 MB' 1 "$bin" scan long7.tar --no-cache
t 'two such inputs in one run' 2 "$bin" scan long7.tar long7b.tar --no-cache
has 'are refused, naming the bound' "$tmp/err" "the images' index of paths takes more than 48 MiB \([0-9]+ entries read\)"
rm -f long.tar long7.tar long7b.tar
# 64 images over one status of 100 000 packages: the packages are parsed once and listed by
# pointer in each inventory (this took 1.4 GB); past the run's bound, the images left are refused
# statusimg OUT TAG N PACKAGES: N images over one layer holding a dpkg status of PACKAGES packages
statusimg() {
	python3 - "$@" <<'P'
import hashlib, io, json, sys, tarfile
out, tag, n, npk = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
st = "".join("Package: p%06d\nStatus: install ok installed\nVersion: 1.%d\n\n" % (k, k) for k in range(npk)).encode()
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w") as t:
    i = tarfile.TarInfo("var/lib/dpkg/status"); i.size = len(st); t.addfile(i, io.BytesIO(st))
l = b.getvalue()
with tarfile.open(out, "w") as t:
    def add(name, d):
        i = tarfile.TarInfo(name); i.size = len(d); t.addfile(i, io.BytesIO(d))
    add("l/layer.tar", l)
    man = []
    for k in range(n):
        add("c%d.json" % k, json.dumps({"os": "linux", "architecture": "amd64", "config": {"User": "1", "Labels": {"k": str(k)}},
                                         "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(l).hexdigest()]}}).encode())
        man.append({"Config": "c%d.json" % k, "RepoTags": ["%s:%d" % (tag, k)], "Layers": ["l/layer.tar"]})
    add("manifest.json", json.dumps(man).encode())
P
}
statusimg inv64.tar inv 64 100000
statusimg over2.tar over 2 200001
t 'two images over a status of 200 001 packages' 2 "$bin" scan over2.tar --no-cache -f json
json_ok 'each is refused with the bound (the second parses it again, not after what the first left)' '
import json,sys; d=json.load(sys.stdin)
assert [(e["file"], e["message"]) for e in d["errors"]]==[("over2.tar (over:%d)" % k, "/var/lib/dpkg/status: more than 200000 packages") for k in range(2)], d["errors"]'
rm -f over2.tar
t '64 images of 100 000 packages each' 2 "$bin" scan inv64.tar --no-cache -f json
json_ok 'the first images list them all, the rest are refused with the bound' '
import json,sys; d=json.load(sys.stdin); n=[len(im["packages"]) for im in d["images"]]; k=n.count(100000)
assert len(n)==64 and 30 <= k < 64 and n==[100000]*k+[0]*(64-k), n
assert [(e["file"], e["code"]) for e in d["errors"]]==[("inv64.tar (inv:%d)" % i, "DS_ELIMIT") for i in range(k, 64)], d["errors"]
assert all(e["message"].startswith("the packages of the run\x27s images take it past the 48 MiB") for e in d["errors"]), d["errors"][0]'
rm -f inv64.tar
# the layer cache ($XDG_CACHE_HOME/docksec): OCI blobs are keyed by their digest
cachekey() { python3 -c 'import json,sys; print([l["cached"] for l in json.load(open(sys.argv[1]))["images"][0]["layers"]])' "$1"; }
same() { python3 -c '
import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2]))
k=lambda d: (d["findings"], d["images"][0]["packages"], d["images"][0]["language_packages"], [(l["digest"],l["diff_id"],l["entries"],l["unpacked"]) for l in d["images"][0]["layers"]])
sys.exit(0 if k(a)==k(b) else 1)' "$1" "$2"; }
rm -rf "$XDG_CACHE_HOME"
t 'a first scan fills the cache' 1 "$bin" scan img.oci-tar.gzip -f json -o c1.json
t 'a second scan reads the layers from it' 1 "$bin" scan img.oci-tar.gzip -f json -o c2.json
if [ "$(cachekey c1.json)" = "[False, False]" ] && [ "$(cachekey c2.json)" = "[True, True]" ]; then echo "PASS scan: the second scan's layers came from the cache"
else echo "FAIL scan: cached flags $(cachekey c1.json) then $(cachekey c2.json)"; fi
if same c1.json c2.json; then echo "PASS scan: a cached scan reports exactly what a fresh one does"; else echo "FAIL scan: the cached scan differs"; fi
modes=$(find "$XDG_CACHE_HOME/docksec" -printf '%y%m\n' | sort -u | tr '\n' ' ')
if [ "$modes" = "d700 f600 " ]; then echo "PASS scan: cache directories 0700, files 0600"; else echo "FAIL scan: cache modes $modes"; fi
t 'the OCI directory of the same image shares the cache' 1 "$bin" scan img.oci-dir.gzip -f json -o c3.json
if [ "$(cachekey c3.json)" = "[True, True]" ]; then echo "PASS scan: a layer seen in another input is not read again"; else echo "FAIL scan: $(cachekey c3.json)"; fi
# a cache file tampered with (an entry's path made the "no string" marker) is not a hit, never a crash
python3 - "$XDG_CACHE_HOME/docksec" <<'P'
import glob, struct, sys
for f in glob.glob(sys.argv[1] + "/layers/*/*.s"):
    d = bytearray(open(f, "rb").read()); p = d.index(b"\n") + 1
    def cstr(p):
        n = struct.unpack_from("<Q", d, p)[0]
        return p + 8 + (0 if n == 2**64 - 1 else n)
    p = cstr(cstr(p)) + 16
    n = struct.unpack_from("<Q", d, p)[0]; p += 8
    if n < 2: continue
    p = cstr(cstr(p)) + 24                    # past the first entry
    end = cstr(p)
    d[p:end] = struct.pack("<Q", 2**64 - 1)   # the second entry's path: none
    open(f, "wb").write(d)
P
t 'a tampered cache entry is read past' 1 "$bin" scan img.oci-tar.gzip -f json -o c3b.json
if [ "$(cachekey c3b.json)" = "[False, False]" ] && same c1.json c3b.json; then echo "PASS scan: the tampered entries were not used, and the report is the fresh one"
else echo "FAIL scan: tampered cache: $(cachekey c3b.json)"; fi
t '--no-cache neither uses nor fills it' 1 env XDG_CACHE_HOME="$tmp/cache2" "$bin" scan img.oci-tar.gzip --no-cache -f json -o c4.json
if [ "$(cachekey c4.json)" = "[False, False]" ] && [ ! -e "$tmp/cache2" ]; then echo "PASS scan: --no-cache wrote nothing"; else echo "FAIL scan: --no-cache"; fi
t 'a legacy docker-save tarball (layers named by no digest) fills the cache' 1 env XDG_CACHE_HOME="$tmp/cache3" "$bin" scan deb.tar -f json -o c5.json
t 'and its second scan takes them from it' 1 env XDG_CACHE_HOME="$tmp/cache3" "$bin" scan deb.tar -f json -o c5b.json
if [ "$(cachekey c5.json)" = "[False, False]" ] && [ "$(cachekey c5b.json)" = "[True, True]" ] && same c5.json c5b.json; then
	echo "PASS scan: the unchanged tarball's layers came from the cache, with the same report"
else echo "FAIL scan: legacy cached flags $(cachekey c5.json) then $(cachekey c5b.json)"; fi
# a file checked once is trusted while its identity (inode, size, mtime, ctime) holds: a
# change in place that keeps the size and puts the mtime back still changes the ctime
alter() { python3 - "$1" "$2" <<'PY'
import os, sys, tarfile
path, member = sys.argv[1], sys.argv[2]
st = os.stat(path)
if member == "-":
    off = st.st_size // 2  # a layer blob file of a layout directory
else:
    t = tarfile.open(path); m = max((m for m in t.getmembers() if m.name.startswith(member)), key=lambda m: m.size)
    off = m.offset_data + m.size // 2; t.close()
with open(path, "r+b") as f:
    f.seek(off); b = f.read(1); f.seek(off); f.write(bytes([b[0] ^ 0xff]))
os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
PY
}
cp deb.tar inplace.tar
t 'a legacy tarball scanned once' 1 env XDG_CACHE_HOME="$tmp/cache3" "$bin" scan inplace.tar -o /dev/null
alter inplace.tar ""
t 'then changed in place, same size and mtime: its layer is read and refused' 2 env XDG_CACHE_HOME="$tmp/cache3" "$bin" scan inplace.tar
has 'as not matching the config' "$tmp/err" 'sha256:[0-9a-f]{64}'
cp img.oci-tar.gzip inplace-oci.tar
t 'an OCI tarball scanned once' 1 "$bin" scan inplace-oci.tar -o /dev/null
alter inplace-oci.tar blobs/
t 'then changed in place: the blob is hashed again and refused' 2 "$bin" scan inplace-oci.tar
cp -r img.oci-dir.gzip inplace-dir
t 'an OCI directory scanned twice' 1 "$bin" scan inplace-dir -o /dev/null
t 'an OCI directory scanned twice (trusted now)' 1 "$bin" scan inplace-dir -o /dev/null
big=$(ls -S inplace-dir/blobs/sha256/* | head -1)
alter "$big" -
t 'then a blob file changed in place: hashed again and refused' 2 "$bin" scan inplace-dir
has 'naming the blob' "$tmp/err" "sha256:[0-9a-f]{64}"
for f in "$XDG_CACHE_HOME"/docksec/layers/*/*; do printf 'docksec-layer 1 0.1.0\ngarbage' >"$f"; done
t 'a cache file that does not parse is ignored' 1 "$bin" scan img.oci-tar.gzip -f json -o c6.json
if [ "$(cachekey c6.json)" = "[False, False]" ] && same c1.json c6.json; then echo "PASS scan: a broken cache entry is read past, the layer read again"
else echo "FAIL scan: a broken cache entry: $(cachekey c6.json)"; fi
# a blob altered after it was cached: its name still matches a cache entry, its bytes do not
python3 - <<'PY'
import tarfile, io
src = tarfile.open("img.oci-tar.gzip"); out = tarfile.open("altered.tar", "w")
import json
idx = None
for m in src.getmembers():
    d = src.extractfile(m).read()
    if m.name.startswith("blobs/") and d[:2] == b"\x1f\x8b" and idx is None:
        d = d[:-8] + bytes(8); idx = m.name  # the gzip trailer of one layer, changed
    i = tarfile.TarInfo(m.name); i.size = len(d); out.addfile(i, io.BytesIO(d))
out.close()
PY
t 'a cached layer whose blob was altered is still an error' 2 "$bin" scan altered.tar
has 'naming the blob and its real digest' "$tmp/err" "blob's content is sha256:[0-9a-f]{64}, not sha256:"
t 'docksec cache clean empties it' 0 "$bin" cache clean
has 'saying how much' "$tmp/err" 'removed [0-9]+ cached layers'
if [ -z "$(find "$XDG_CACHE_HOME/docksec" -type f 2>/dev/null)" ]; then echo "PASS scan: no cached layer left"; else echo "FAIL scan: cache clean left files"; fi
t 'docksec cache with nothing to do is a usage error' 2 "$bin" cache
t 'docksec cache --help' 0 "$bin" cache --help

python3 "$mk" two.tar legacy two
t 'two images in one tarball are both scanned' 1 "$bin" scan two.tar -f json
json_ok 'one Debian and one Alpine image, each with its packages' '
import json,sys; d=json.load(sys.stdin); im={i["ref"]:i for i in d["images"]}
assert set(im)=={"docksec-test/debian:1","docksec-test/alpine:1"}
a=im["docksec-test/alpine:1"]
assert a["package_type"]=="apk" and sorted((p["name"],p["version"]) for p in a["packages"])==[("busybox","1.36.1-r15"),("musl","1.2.4-r2")]'
t '--image picks one of them' 1 "$bin" scan two.tar --image docksec-test/alpine:1 -q
has 'only the Alpine image' "$tmp/out" '^docksec-test/alpine:1 \(two.tar\): alpine, 2 apk packages'
t '--image that names nothing is an error' 2 "$bin" scan two.tar --image nope:1

python3 "$mk" multi.tar oci-tar multiarch
t 'a multi-platform index: the host platform by default' 1 "$bin" scan multi.tar -q
has 'the amd64 image' "$tmp/out" 'Debian GNU/Linux 12'
t '--platform linux/arm64/v8 picks the other' 1 "$bin" scan multi.tar --platform linux/arm64/v8 -q
has 'the arm64 image' "$tmp/out" ': alpine, 1 layer'
t 'a platform the index lacks is an error' 2 "$bin" scan multi.tar --platform linux/s390x

python3 "$mk" dl.tar oci-tar distroless
t 'distroless: status.d is the package database (and it runs as root)' 1 "$bin" scan dl.tar -f json
json_ok 'three packages from status.d, md5sums ignored' '
import json,sys; d=json.load(sys.stdin); p=d["images"][0]["packages"]
assert len(p)==3 and all(x["layer"]==1 for x in p), p'

python3 "$mk" alp.tar oci-tar alpine gzip
t 'Alpine: apk database, busybox suid helper' 1 "$bin" scan alp.tar -f json
json_ok 'apk packages with origin and the standard bbsuid at low severity' '
import json,sys; d=json.load(sys.stdin); im=d["images"][0]
assert im["os"]["id"]=="alpine" and len(im["packages"])==2
assert im["packages"][0]["purl"]=="pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64&distro=alpine-3.19.1", im["packages"][0]
assert [f["rule"] for f in d["findings"] if f["rule"].startswith("IMG-SETUID")]==["IMG-SETUID-STD"]'

python3 "$mk" hist.tar legacy history
t 'the history is linted with the DF rules' 1 "$bin" scan hist.tar -f json
json_ok 'each builder form becomes its instruction: same ids as lint, located at the history entry and layer' '
import json,sys; d=json.load(sys.stdin); f={(x["rule"],x["location"].get("field")):x for x in d["findings"]}
for k in (("DF-USER-ROOT","history[7]"),("DF-CURL-PIPE-SHELL","history[3]"),("DF-SSH-SERVER","history[4]"),
          ("DF-EXPOSE-SSH","history[5]"),("DF-ADD-REMOTE","history[8]"),("DF-SECRET-ENV","history[2]")):
    assert k in f, (k, sorted(f))
assert f[("DF-CURL-PIPE-SHELL","history[3]")]["location"]["layer"]==d["images"][0]["layers"][1]["digest"]
assert f[("DF-CURL-PIPE-SHELL","history[3]")]["refs"]==["owasp:R13","cis:4.11"], "the same refs as docksec lint"
rules={r for r,_ in f}
assert "DF-HEALTHCHECK-MISSING" not in rules, "the history has a HEALTHCHECK"
assert "DF-ADD-INSTEAD-OF-COPY" not in rules, "a base rootfs and a remote ADD are not local ADDs"
assert not any(r.startswith("DF-FROM-") or r=="DF-MULTIPLE-CMD" for r in rules), rules'
# Both builders write ENV, LABEL and ARG values unquoted (ENV A="hello world" is
# recorded "ENV A=hello world", a RUN after it "|1 A=hello world /bin/sh -c ..."): the
# rebuilt Dockerfile quotes them again, an entry the parser would still refuse is a
# comment, and the rest of the history is judged
python3 "$mk" histval.tar legacy history-values
t 'values with spaces in ENV, LABEL and ARG' 1 "$bin" scan histval.tar -f json
json_ok 'do not keep the rules from the history: the secret, port 22 and root found' '
import json,sys; d=json.load(sys.stdin); f=sorted((x["rule"],x["location"].get("field")) for x in d["findings"] if x["rule"].startswith("DF-"))
assert f==[("DF-CURL-PIPE-SHELL","history[8]"),("DF-EXPOSE-SSH","history[7]"),("DF-HEALTHCHECK-MISSING","config"),("DF-SECRET-ENV","history[6]"),
           ("DF-SECRET-TOKEN","history[4]"),("DF-USER-MISSING","config")], f
c=[x for x in d["findings"] if x["rule"]=="DF-CURL-PIPE-SHELL"][0]
assert c["location"]["layer"]==d["images"][0]["layers"][1]["digest"], "a RUN after build args with spaces is the command, in its layer"
s=[x for x in d["findings"] if x["rule"]=="DF-SECRET-ENV"][0]
assert "AWS_SECRET_ACCESS_KEY" in s["message"] and "wJalrX" not in json.dumps(d) and "ghp_abcdefghijk" not in json.dumps(d), s'
json_ok 'a label secret the history showed is reported once, at its LABEL entry; one it did not, from the config' '
import json,sys; d=json.load(sys.stdin); f=[x["message"] for x in d["findings"] if x["rule"]=="IMG-LABEL-SECRET"]
assert len(f)==1 and "org.example.api_token" in f[0], f'
t 'the secret in the history is masked in every format' 1 "$bin" scan hist.tar -f json
if grep -q wJalrXUtnFEMI "$tmp/out"; then echo "FAIL scan: the AWS secret from the history reached the JSON report"; else echo "PASS scan: no secret in the JSON report"; fi
for fmt in text sarif junit html; do
	"$bin" scan hist.tar -f "$fmt" >"$tmp/h.$fmt" 2>&1
	if grep -q wJalrXUtnFEMI "$tmp/h.$fmt"; then echo "FAIL scan: the secret reached -f $fmt"; else echo "PASS scan: no secret in -f $fmt"; fi
done

# SBOMs, validated against the official schemas (tests/data, SOURCES.md)
t '-f cyclonedx writes the SBOM of the image' 0 "$bin" scan deb.tar -f cyclonedx -o deb.cdx.json
sbom_ok 'CycloneDX 1.5: valid, every package with its purl and layer' cyclonedx deb.cdx.json '
c=[x for x in d["components"] if x["type"]=="library"]
assert sorted(x["purl"] for x in c)==sorted(p["purl"] for p in inv["packages"]+inv["language_packages"]), "the same purls as the JSON report"
assert d["metadata"]["component"]["name"]=="docksec-test/debian" and d["metadata"]["component"]["version"]=="1"
assert [x for x in d["components"] if x["type"]=="operating-system"][0]["version"]=="12"
layer={x["name"]:[p["value"] for p in x["properties"] if p["name"]=="docksec:layer"][0] for x in c}
assert layer["adduser"]==inv["layers"][1]["diff_id"], "the upgraded package is in layer 2"'
t '-f spdx writes the SBOM of the image' 0 "$bin" scan deb.tar -f spdx -o deb.spdx.json
sbom_ok 'SPDX 2.3: valid, every package with its purl and the image CONTAINS each' spdx deb.spdx.json '
p=[x for x in d["packages"] if x["primaryPackagePurpose"]=="LIBRARY"]
assert sorted(x["externalRefs"][0]["referenceLocator"] for x in p)==sorted(q["purl"] for q in inv["packages"]+inv["language_packages"])
ids={x["SPDXID"] for x in p}
assert len(ids)==len(p) and {r["relatedSpdxElement"] for r in d["relationships"] if r["relationshipType"]=="CONTAINS"}>=ids'
for v in "alp.tar cyclonedx" "alp.tar spdx" "dl.tar cyclonedx" "dl.tar spdx"; do
	set -- $v
	t "-f $2 of $1" 0 "$bin" scan "$1" -f "$2" -o "$1.$2.json"
	sbom_ok "$2 of $1 is valid" "$2" "$1.$2.json" 'assert d'
done
t 'the same image gives the same serial number' 0 "$bin" scan deb.tar -f cyclonedx -o deb.cdx2.json
json_ok 'serialNumber is stable' '
import json; a=json.load(open("deb.cdx.json")); b=json.load(open("deb.cdx2.json")); assert a["serialNumber"]==b["serialNumber"]'
t 'an SBOM of two images is refused with what to do' 2 "$bin" scan two.tar -f spdx
has 'it says to pick one' "$tmp/err" 'an SBOM describes one image; 2 were read \(pick one with --image\)'
t '--image picks the one for the SBOM' 0 "$bin" scan two.tar --image docksec-test/alpine:1 -f spdx

# npm lockfiles: v3 "packages" (nested, scoped, dev, link and workspace entries) and v1's
# nested "dependencies" count where nothing is installed beside them; beside a node_modules
# the installed package.json files count, and npm's own node_modules/.package-lock.json never
cat >lock3.json <<'EOF2'
{"name": "app", "lockfileVersion": 3, "packages": {
 "": {"name": "app", "version": "1.0.0"},
 "node_modules/express": {"version": "4.18.2", "resolved": "https://registry.npmjs.org/express/-/express-4.18.2.tgz"},
 "node_modules/express/node_modules/debug": {"version": "2.6.9"},
 "node_modules/@types/node": {"version": "20.1.0"},
 "node_modules/@babel/core": {"version": "7.22.0", "dev": true},
 "node_modules/mylib": {"resolved": "packages/mylib", "link": true},
 "packages/mylib": {"name": "mylib", "version": "0.0.1"},
 "node_modules/fromgit": {"version": "git+https://github.com/x/y.git#abc"}}}
EOF2
cat >lock1.json <<'EOF2'
{"name": "old", "lockfileVersion": 1, "dependencies": {
 "lodash": {"version": "4.17.20", "dependencies": {"inner": {"version": "1.0.0"}}},
 "devonly": {"version": "1.0.0", "dev": true}}}
EOF2
echo '{"name": "left-pad", "version": "1.3.0"}' >leftpad.json
filesimg lock.tar app/package-lock.json=lock3.json legacy/package-lock.json=lock1.json srv/package-lock.json=lock3.json \
	srv/node_modules/left-pad/package.json=leftpad.json x/node_modules/.package-lock.json=lock1.json
t 'an image with npm lockfiles' 1 "$bin" scan lock.tar -f json
json_ok 'the lockfiles pin exactly the non-dev registry packages, only where nothing is installed beside them' '
import json,sys; d=json.load(sys.stdin); p=d["images"][0]["language_packages"]
got=sorted((x["name"],x["version"],x["path"]) for x in p if x["type"]=="npm")
want=sorted([("express","4.18.2","/app/package-lock.json"),("debug","2.6.9","/app/package-lock.json"),("@types/node","20.1.0","/app/package-lock.json"),
 ("lodash","4.17.20","/legacy/package-lock.json"),("inner","1.0.0","/legacy/package-lock.json"),("left-pad","1.3.0","/srv/node_modules/left-pad/package.json")])
assert got==want, got
assert [x["purl"] for x in p if x["name"]=="@types/node"]==["pkg:npm/%40types/node@20.1.0"], p'
cp out lockrun1.json
t 'the same image again, from the layer cache' 1 "$bin" scan lock.tar -f json -o lockrun2.json
if [ "$(cachekey lockrun1.json | grep -c True)" = 0 ] && [ "$(cachekey lockrun2.json | grep -c False)" = 0 ] &&
	same lockrun1.json lockrun2.json; then
	echo "PASS scan: the lockfiles' packages come back from the cache as they were read"
else echo "FAIL scan: lockfiles from the cache: $(cachekey lockrun1.json) then $(cachekey lockrun2.json)"; fi

# a package database over the size docksec reads is said to be unread, not passed over
head -c $((33 << 20)) /dev/zero >bigdb
filesimg bigdb.tar var/lib/rpm/Packages=bigdb
t 'an image whose rpm database is larger than docksec reads' 1 "$bin" scan bigdb.tar -f json
json_ok 'IMG-UNREAD-DB names it, its size and why' '
import json,sys; d=json.load(sys.stdin); f=[x for x in d["findings"] if x["rule"]=="IMG-UNREAD-DB"]
assert len(f)==1 and f[0]["location"]["path"]=="/var/lib/rpm/Packages" and "33.0 MiB" in f[0]["message"] and "larger than the 32 MiB" in f[0]["message"], f'
rm -f bigdb bigdb.tar
# package records are parsed as they stream by, never kept: 52 package.json of 1 MB (52 MB,
# past the 48 MiB a run holds) are all listed, and their layer is cached
python3 -c '
for k in range(52): print(("app/node_modules/p%02d/package.json" % k, b"{\"name\":\"p%02d\",\"version\":\"1.0.0\"}" % k + b" " * 1000000, 0o644))' |
	python3 oneimage.py bigrec.tar bigrec:1
for run in 1 2; do
	t "52 package records of 1 MB (run $run)" 1 env XDG_CACHE_HOME="$tmp/cache-bigrec" "$bin" scan bigrec.tar -f json
	json_ok "every package is listed, none said unread$([ $run = 2 ] && echo ', from the cache')" '
import json,sys; d=json.load(sys.stdin); im=d["images"][0]
assert not [x for x in d["findings"] if x["rule"]=="IMG-UNREAD-DB"], d["findings"]
assert sorted(x["name"] for x in im["language_packages"])==["p%02d" % k for k in range(52)], im["language_packages"]
assert [l["cached"] for l in im["layers"]]==['"$([ $run = 2 ] && echo True || echo False)"'], im["layers"]'
done
rm -f bigrec.tar
# package records past the run's bound (32 MiB of them: 80 000 packages of 214-byte names and
# 128-byte versions) are said to be unread, and their layer is not cached: another run may read them
python3 -c '
for k in range(80000): print(("app/node_modules/p%05d/package.json" % k, b"{\"name\":\"p%05d%s\",\"version\":\"1.0.0-%s\"}" % (k, b"x" * 208, b"v" * 122), 0o644))' |
	python3 oneimage.py unkept.tar unkept:1
for run in 1 2; do
	t "package records past the run's bound (run $run)" 1 env XDG_CACHE_HOME="$tmp/cache-unkept" "$bin" scan unkept.tar -f json
	json_ok 'IMG-UNREAD-DB names the first, counts the rest, and every other package is listed' '
import json,re,sys; d=json.load(sys.stdin); f=[x for x in d["findings"] if x["rule"]=="IMG-UNREAD-DB"]
p=sorted(x["name"][:6] for x in d["images"][0]["language_packages"])
assert len(f)==1, f
m=re.match(r"(/app/node_modules/p(\d{5})/package.json) and (\d+) more files? with package records were not read: the run reached its bound of what it holds", f[0]["message"])
assert m and f[0]["location"]["path"]==m.group(1) and f[0]["location"]["layer"].startswith("sha256:"), f
assert p==["p%05d" % k for k in range(int(m.group(2)))] and len(p)+1+int(m.group(3))==80000, (len(p), f)'
done
if [ -z "$(find "$tmp/cache-unkept" -type f ! -name '*.i')" ]; then echo "PASS scan: the layer is not cached"
else echo "FAIL scan: the layer was cached"; find "$tmp/cache-unkept" -type f; fi
rm -f unkept.tar
# a v1 lockfile nested 1000 levels deep around an 8 MB string: each level's members were
# listed by walking all the levels below it (12.5 s); the large objects are looked up now
python3 -c '
d = 1000
s = "{\"lockfileVersion\":1,\"dependencies\":{" + "\"a\":{\"version\":\"1\",\"dependencies\":{" * d + "\"z\":{\"version\":\"2\",\"x\":\"" + "A" * 8000000 + "\"}" + "}}" * d + "}}"
print(("app/package-lock.json", s.encode(), 0o644))' | python3 oneimage.py deeplock.tar deeplock:1
t 'a lockfile nested 1000 levels deep' 1 timeout 60 "$bin" scan deeplock.tar --no-cache -f json
json_ok 'has its 1001 packages read (a hang guard, not a timing)' '
import json,sys; d=json.load(sys.stdin); p=d["images"][0]["language_packages"]
assert len(p)==1001 and sorted({(x["name"],x["version"]) for x in p})==[("a","1"),("z","2")], len(p)'
rm -f deeplock.tar
# the same for a package database: reported by the final view's check, and not cached (47
# distroless status files of 1 MB are kept first)
python3 -c '
for k in range(47): print(("var/lib/dpkg/status.d/p%02d" % k, b"Package: p%02d\nStatus: install ok installed\nVersion: 1.0\n" % k + b"\n" * 1000000, 0o644))
print(("var/lib/dpkg/status", b"Package: x\nStatus: install ok installed\nVersion: 1\n" + b"\n" * 4000000, 0o644))' |
	python3 oneimage.py unkeptdb.tar unkeptdb:1
t "a package database past the run's bound" 1 env XDG_CACHE_HOME="$tmp/cache-unkeptdb" "$bin" scan unkeptdb.tar -f json
json_ok 'IMG-UNREAD-DB names it; the 47 packages of the files before it are listed' '
import json,sys; d=json.load(sys.stdin); f=[x for x in d["findings"] if x["rule"]=="IMG-UNREAD-DB"]
assert [x["location"]["path"] for x in f]==["/var/lib/dpkg/status"] and "kept files reached their bound" in f[0]["message"], f
assert sorted(x["name"] for x in d["images"][0]["packages"])==["p%02d" % k for k in range(47)], d["images"][0]["packages"]'
if [ -z "$(find "$tmp/cache-unkeptdb" -type f ! -name '*.i')" ]; then echo "PASS scan: that layer is not cached either"
else echo "FAIL scan: the layer was cached without its package database"; fi
rm -f unkeptdb.tar

# Rust binaries: cargo-auditable's .dep-v0 section (zlib-compressed JSON) added by objcopy
# to binaries gcc builds here: a small one, the same stripped (the section survives strip,
# as it does in real images), one of 6 MiB (the section past the first 4 MiB: found
# through the kept tail), and one without the section
if command -v gcc >/dev/null && command -v objcopy >/dev/null; then
	printf 'int main(void){return 0;}\n' >h.c
	printf 'char big[6 << 20] = {1};\nint main(void){return big[0];}\n' >big.c
	gcc -O2 -o h h.c && gcc -O2 -o hbig big.c
	python3 - <<'PY'
import json, zlib
pk = {"packages": [
 {"name": "myapp", "version": "0.1.0", "source": "local", "dependencies": [1, 2, 3], "root": True},
 {"name": "serde", "version": "1.0.188", "source": "crates.io"},
 {"name": "regex", "version": "1.9.5", "source": "crates.io"},
 {"name": "cc", "version": "1.0.83", "source": "crates.io", "kind": "build"}]}
open("dep.z", "wb").write(zlib.compress(json.dumps(pk).encode(), 9))
PY
	objcopy --add-section .dep-v0=dep.z --set-section-flags .dep-v0=noload,readonly h hrs
	objcopy --add-section .dep-v0=dep.z --set-section-flags .dep-v0=noload,readonly hbig hrsbig
	cp hrs hrs-stripped && strip hrs-stripped
	filesimg rs.tar usr/bin/app=hrs usr/bin/stripped=hrs-stripped usr/bin/big=hrsbig usr/bin/plain=h
	t 'an image with Rust binaries' 1 "$bin" scan rs.tar -f json
	json_ok 'each binary with the section lists its crates (build-only ones left out); one without lists none' '
import json,sys; d=json.load(sys.stdin); p=d["images"][0]["language_packages"]
got=sorted((x["path"],x["name"],x["version"],x["purl"]) for x in p)
want=sorted((b,n,v,"pkg:cargo/%s@%s"%(n,v)) for b in ("/usr/bin/app","/usr/bin/stripped","/usr/bin/big") for n,v in (("myapp","0.1.0"),("serde","1.0.188"),("regex","1.9.5")))
assert got==want, got'
	t 'the Rust crates in the SBOM' 0 "$bin" scan rs.tar -f cyclonedx -o rs.cdx.json
	sbom_ok 'CycloneDX with pkg:cargo purls is valid' cyclonedx rs.cdx.json 'assert len([c for c in d["components"] if c.get("purl","").startswith("pkg:cargo/")])==9'
else
	echo "SKIP scan: Rust binaries (needs gcc and objcopy to build the test binaries)"
fi

# Go binaries: the build info (Go 1.18+ inline format) of a binary written
# here, with a replaced dependency, and of this machine's runc (a real one)
python3 - <<'PY'
import hashlib, io, json, os, tarfile
def uv(n):
    o = b""
    while True:
        b = n & 0x7f; n >>= 7
        if n: o += bytes([b | 0x80])
        else: return o + bytes([b])
mod = ("path\tgithub.com/example/app\nmod\tgithub.com/example/app\tv1.2.3\th1:a=\ndep\tgithub.com/sirupsen/logrus\tv1.9.0\th1:b=\n"
       "dep\tgolang.org/x/sys\tv0.1.0\th1:c=\n=>\tgolang.org/x/sys\tv0.13.0\th1:d=\nbuild\tGOOS=linux\n").encode()
frame = b"0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07\xe6\xd6\x18\xe6"
blob = b"\xff Go buildinf:\x08\x02" + b"\0" * 16 + uv(8) + b"go1.21.3" + uv(len(mod) + 32) + frame + mod + frame
fake = b"\x7fELF" + b"\0" * 200000 + blob + b"\0" * 5000   # the magic far past the first window
files = [("app/server", fake, 0o755), ("app/data.bin", fake, 0o644)]
if os.path.exists("/usr/sbin/runc"):
    files.append(("usr/sbin/runc", open("/usr/sbin/runc", "rb").read(), 0o755))
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w") as t:
    for n, d, m in files:
        i = tarfile.TarInfo(n); i.size = len(d); i.mode = m; t.addfile(i, io.BytesIO(d))
l = b.getvalue()
cfg = json.dumps({"os": "linux", "architecture": "amd64", "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(l).hexdigest()]}}).encode()
man = json.dumps([{"Config": "c.json", "RepoTags": ["go:1"], "Layers": ["l/layer.tar"]}]).encode()
with tarfile.open("go.tar", "w") as t:
    for n, d in (("l/layer.tar", l), ("c.json", cfg), ("manifest.json", man)):
        i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(d))
PY
t 'Go binaries: modules from the build info' 1 "$bin" scan go.tar -f json
json_ok 'the main module, dependencies (a replacement wins) and stdlib; not a file that is not executable' '
import json,os,sys; d=json.load(sys.stdin); lp=d["images"][0]["language_packages"]
got=sorted((p["name"],p["version"],p["purl"]) for p in lp if p["path"]=="/app/server")
assert got==[("github.com/example/app","v1.2.3","pkg:golang/github.com/example/app@v1.2.3"),
             ("github.com/sirupsen/logrus","v1.9.0","pkg:golang/github.com/sirupsen/logrus@v1.9.0"),
             ("golang.org/x/sys","v0.13.0","pkg:golang/golang.org/x/sys@v0.13.0"),
             ("stdlib","1.21.3","pkg:golang/stdlib@1.21.3")], got
assert not [p for p in lp if p["path"]=="/app/data.bin"]
if os.path.exists("/usr/sbin/runc"):
    r=open("/usr/sbin/runc","rb").read(); i=r.find(b"\xff Go buildinf:")
    if i>=0 and r[i+15]&2:
        n=r[i+32]; want=r[i+33:i+33+n].decode()[2:]
        assert [p["version"] for p in lp if p["path"]=="/usr/sbin/runc" and p["name"]=="stdlib"]==[want], (want, lp)'

# Java archives: coordinates from pom.properties, MANIFEST.MF when there is
# none, nested jars (Spring Boot), streamed zips and stored nested ones
python3 - <<'PY'
import hashlib, io, json, tarfile, zipfile
def jar(files, compress=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", compress) as z:
        for n, d in files:
            z.writestr(n, d)
    return b.getvalue()
lib = jar([("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"),
           ("META-INF/maven/org.yaml/snakeyaml/pom.properties", "#x\nversion=1.33\ngroupId=org.yaml\nartifactId=snakeyaml\n")])
osgi = jar([("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nBundle-SymbolicName: org.example.osgi;singleton:=true\r\nBundle-Version: 2.1.0\r\n")])
app = jar([("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nImplementation-Title: demo\nImplementation-Version: 0.0.1\n"),
           ("META-INF/maven/com.example/demo/pom.properties", "groupId=com.example\nartifactId=demo\nversion=0.0.1-SNAPSHOT\n"),
           ("BOOT-INF/lib/snakeyaml-1.33.jar", lib), ("BOOT-INF/lib/osgi.jar", osgi)], zipfile.ZIP_STORED)
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w") as t:
    for n, d in (("app/app.jar", app), ("opt/lib/osgi.jar", osgi), ("opt/lib/broken.jar", b"PK\x03\x04 not a zip")):
        i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(d))
l = b.getvalue()
cfg = json.dumps({"os": "linux", "architecture": "amd64", "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(l).hexdigest()]}}).encode()
man = json.dumps([{"Config": "c.json", "RepoTags": ["java:1"], "Layers": ["l/layer.tar"]}]).encode()
with tarfile.open("java.tar", "w") as t:
    for n, d in (("l/layer.tar", l), ("c.json", cfg), ("manifest.json", man)):
        i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(d))
PY
t 'Java archives: Maven coordinates' 1 "$bin" scan java.tar -f json
json_ok 'from pom.properties, the manifest when there is none, and nested jars; a broken jar is only skipped' '
import json,sys; d=json.load(sys.stdin); lp=d["images"][0]["language_packages"]
got=sorted((p["path"],p["name"],p["version"],p["purl"]) for p in lp)
assert got==[("/app/app.jar","com.example:demo","0.0.1-SNAPSHOT","pkg:maven/com.example/demo@0.0.1-SNAPSHOT"),
             ("/app/app.jar","org.example.osgi","2.1.0","pkg:maven/org.example.osgi@2.1.0"),
             ("/app/app.jar","org.yaml:snakeyaml","1.33","pkg:maven/org.yaml/snakeyaml@1.33"),
             ("/opt/lib/osgi.jar","org.example.osgi","2.1.0","pkg:maven/org.example.osgi@2.1.0")], got'

# edge cases of the archive itself: no layers, members spelled ./x, a manifest naming ../..
python3 - <<'PY'
import hashlib, io, json, tarfile
def save(path, files):
    with tarfile.open(path, "w") as t:
        for n, d in files:
            i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(d))
cfg = json.dumps({"os": "linux", "architecture": "amd64", "rootfs": {"type": "layers", "diff_ids": []}}).encode()
save("empty.tar", [("c.json", cfg), ("manifest.json", json.dumps([{"Config": "c.json", "RepoTags": ["scratch:1"], "Layers": []}]).encode())])
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w") as t:
    i = tarfile.TarInfo("etc/os-release"); d = b"ID=x\n"; i.size = len(d); t.addfile(i, io.BytesIO(d))
l = b.getvalue()
cfg2 = json.dumps({"os": "linux", "architecture": "amd64", "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(l).hexdigest()]}}).encode()
save("dot.tar", [("./abc/layer.tar", l), ("c.json", cfg2), ("manifest.json", json.dumps([{"Config": "./c.json", "RepoTags": ["dot:1"], "Layers": ["./abc/layer.tar"]}]).encode())])
save("escape.tar", [("./abc/layer.tar", l), ("c.json", cfg2), ("manifest.json", json.dumps([{"Config": "c.json", "RepoTags": ["esc:1"], "Layers": ["../../etc/passwd"]}]).encode())])
PY
t 'an image with no layers' 1 "$bin" scan empty.tar -q
has 'is read, with no OS' "$tmp/out" '^scratch:1 \(empty.tar\): unknown OS, 0 layers'
t 'members spelled ./abc/layer.tar' 1 "$bin" scan dot.tar -q
has 'are found under either spelling' "$tmp/out" '^dot:1 \(dot.tar\): x, 1 layer'
t 'a manifest naming ../../etc/passwd' 2 "$bin" scan escape.tar
has 'is an error naming it, nothing outside the archive is read' "$tmp/err" 'layer 1 \(../../etc/passwd\) is missing from the archive'

# rpm's three database formats. SQLite (rpm 4.16+): written here by rpm itself from packages
# rpmbuild makes (one with a 22 KB description, so its header spans Berkeley DB overflow
# pages). Berkeley DB (RHEL 7/8): the same header blobs written by Debian's libdb through
# python3-bsddb3, in both byte orders, and read back by rpm's own bdb_ro backend. NDB (SUSE):
# written here from the layout of rpm's lib/backend/ndb/rpmpkg.c - Debian's rpm has no NDB
# backend to write or read one.
rpmimg() { # rpmimg OUT.tar DBFILE PATH-IN-IMAGE: the database beside a Rocky Linux os-release
	printf 'ID="rocky"\nVERSION_ID="9.3"\nPRETTY_NAME="Rocky Linux 9.3"\n' >rocky-os-release
	filesimg "$1" etc/os-release=rocky-os-release "$3=$2"
}
rpm_same() { # rpm_same WHAT TAR WANT-FILE
	t "an rpm ($1) image" 1 "$bin" scan "$2" -f json
	json_ok "$1: the packages are exactly what rpm -qa reads from the same database, with epochs and source rpms" '
import json,sys; d=json.load(sys.stdin); im=d["images"][0]; p=im["packages"]
got=sorted("%s %s"%(x["name"],x["version"]) for x in p); want=[l for l in open("'"$3"'").read().split("\n") if l]
assert im["package_type"]=="rpm" and got==want and len(got)==4, (got, want)
o=[x for x in p if x["name"]=="openssl-libs"][0]
assert o["version"]=="1:3.0.7-24.el9" and o["source"]=="openssl-libs" and o["arch"]=="noarch", o
assert o["purl"]=="pkg:rpm/rocky/openssl-libs@3.0.7-24.el9?epoch=1&arch=noarch&distro=rocky-9.3", o["purl"]'
}
if command -v rpm >/dev/null && command -v rpmbuild >/dev/null; then
	mkdir -p rpm/SPECS rpm/db
	for p in "hello 2.10 3.el9 0" "openssl-libs 3.0.7 24.el9 1" "tzdata 2024a 1.el9 0" "bigdesc 1.0 1 0"; do
		set -- $p
		desc=t
		[ "$1" = bigdesc ] && desc=$(python3 -c 'print("lorem ipsum dolor sit amet " * 800)')
		printf 'Name: %s\nVersion: %s\nRelease: %s\nEpoch: %s\nSummary: t\nLicense: MIT\nBuildArch: noarch\n%%description\n%s\n%%files\n' \
			"$1" "$2" "$3" "$4" "$desc" >"rpm/SPECS/$1.spec"
		rpmbuild -bb --define "_topdir $tmp/rpm" --define "_build_id_links none" "rpm/SPECS/$1.spec" >/dev/null 2>&1
	done
	rpm --dbpath "$tmp/rpm/db" --initdb 2>/dev/null
	rpm --dbpath "$tmp/rpm/db" -i --justdb --nodeps --noscripts --ignorearch rpm/RPMS/*/*.rpm 2>/dev/null
	qf='%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE}\n'
	rpm --dbpath "$tmp/rpm/db" -qa --qf "$qf" 2>/dev/null | sed 's/ 0:/ /' | sort >rpm.want
	rpmimg rpm.tar "$tmp/rpm/db/rpmdb.sqlite" var/lib/rpm/rpmdb.sqlite
	rpm_same SQLite rpm.tar rpm.want
	t 'an rpm SBOM validates' 0 "$bin" scan rpm.tar -f cyclonedx -o rpm.cdx.json
	sbom_ok 'CycloneDX of an rpm image is valid' cyclonedx rpm.cdx.json 'assert len([c for c in d["components"] if c["type"]=="library"])==4'
	# NDB, from the SQLite database's header blobs
	python3 - "$tmp/rpm/db/rpmdb.sqlite" <<'PY'
import sqlite3, struct, sys, zlib
rows = sqlite3.connect(sys.argv[1]).execute("select hnum, blob from Packages order by hnum").fetchall()
page, blk = 4096, 16
data, slots = bytearray(), []
for idx, b in rows:
    b = bytes(b); cnt = (16 + len(b) + 12 + blk - 1) // blk
    body = struct.pack("<4sIII", b"BlbS", idx, 0, len(b)) + b + bytes(cnt * blk - (16 + len(b) + 12))
    body += struct.pack("<II4s", zlib.adler32(body), len(b), b"BlbE")
    slots.append((idx, (page + len(data)) // blk, cnt)); data += body
head = bytearray(page)
struct.pack_into("<4sIIII", head, 0, b"RpmP", 0, 1, 1, len(rows) + 1)
for i in range(2, page // 16):  # the header takes the first two slots; free slots are zero
    idx, off, cnt = slots[i - 2] if i - 2 < len(slots) else (0, 0, 0)
    struct.pack_into("<4sIII", head, i * 16, b"Slot", idx, off, cnt)
open("Packages.db", "wb").write(bytes(head) + bytes(data))
PY
	rpmimg rpm-ndb.tar Packages.db usr/lib/sysimage/rpm/Packages.db
	rpm_same NDB rpm-ndb.tar rpm.want
	# Berkeley DB: python3-bsddb3 is Debian's python3's, not necessarily the first python3
	if /usr/bin/python3 -c 'import bsddb3' 2>/dev/null; then
		for order in 1234 4321; do
			mkdir -p "bdb$order"
			/usr/bin/python3 - "$tmp/rpm/db/rpmdb.sqlite" "bdb$order/Packages" "$order" <<'PY'
import sqlite3, struct, sys, bsddb3.db as bdb
rows = sqlite3.connect(sys.argv[1]).execute("select hnum, blob from Packages").fetchall()
d = bdb.DB(); d.set_pagesize(4096); d.set_lorder(int(sys.argv[3]))
d.open(sys.argv[2], dbtype=bdb.DB_HASH, flags=bdb.DB_CREATE)
f = "<I" if sys.argv[3] == "1234" else ">I"
d.put(struct.pack(f, 0), struct.pack(f, len(rows) + 1))  # rpm's next instance number, not a header
for h, b in rows:
    d.put(struct.pack(f, h), bytes(b))
d.close()
PY
			rpmimg "rpm-bdb$order.tar" "bdb$order/Packages" var/lib/rpm/Packages
		done
		rpm --dbpath "$tmp/bdb1234" --define '_db_backend bdb_ro' -qa --qf "$qf" 2>/dev/null | sed 's/ 0:/ /' | sort >rpm-bdb.want
		if [ -s rpm-bdb.want ] && cmp -s rpm.want rpm-bdb.want; then echo "PASS scan: rpm's bdb_ro reads the Berkeley DB fixture as the same packages"
		else echo "FAIL scan: rpm -qa on the Berkeley DB fixture: $(tr '\n' ' ' <rpm-bdb.want)"; fi
		rpm_same 'Berkeley DB' rpm-bdb1234.tar rpm-bdb.want
		rpm_same 'Berkeley DB, big-endian' rpm-bdb4321.tar rpm-bdb.want
	else
		echo "SKIP scan: rpm's Berkeley DB format (needs python3-bsddb3 to write one)"
	fi
	# damaged databases: each cut short and with bytes overwritten; never a crash, the readable rest read
	for f in Packages.db bdb1234/Packages; do
		[ -f "$f" ] || continue
		python3 - "$f" <<'PY'
import random, sys
d = open(sys.argv[1], "rb").read(); r = random.Random(7)
for k in range(20):
    b = bytearray(d[: r.randrange(len(d))] if k % 2 else d)
    for _ in range(30):
        b[r.randrange(len(b))] = r.randrange(256)
    open("%s.bad%d" % (sys.argv[1], k), "wb").write(b)
PY
	done
	bad=0
	for f in Packages.db.bad* bdb1234/Packages.bad*; do
		[ -f "$f" ] || continue
		rpmimg rpm-bad.tar "$f" var/lib/rpm/Packages
		"$bin" scan rpm-bad.tar -f json >/dev/null 2>&1
		rc=$?
		[ $rc -le 2 ] || { bad=1; echo "damaged $f: exit $rc"; }
	done
	[ $bad = 0 ] && echo "PASS scan: 40 damaged rpm databases, no crash"
	[ $bad = 0 ] || echo "FAIL scan: a damaged rpm database crashed the scan"
else
	echo "SKIP scan: rpm databases (rpm and rpmbuild not installed: apt-get install rpm)"
fi

# a legacy tarball whose second layer is the first one again, stored as a hard link to it
python3 - <<'PY'
import hashlib, io, json, tarfile
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w") as t:
    i = tarfile.TarInfo("etc/os-release"); d = b'ID=debian\nVERSION_ID="12"\n'; i.size = len(d); t.addfile(i, io.BytesIO(d))
l = b.getvalue(); dd = "sha256:" + hashlib.sha256(l).hexdigest()
cfg = json.dumps({"os": "linux", "architecture": "amd64", "rootfs": {"type": "layers", "diff_ids": [dd, dd]}}).encode()
man = json.dumps([{"Config": "c.json", "RepoTags": ["hl:1"], "Layers": ["a/layer.tar", "b/layer.tar"]}]).encode()
with tarfile.open("hardlinked.tar", "w") as t:
    i = tarfile.TarInfo("a/layer.tar"); i.size = len(l); t.addfile(i, io.BytesIO(l))
    i = tarfile.TarInfo("b/layer.tar"); i.type = tarfile.LNKTYPE; i.linkname = "a/layer.tar"; t.addfile(i)
    for n, d in (("c.json", cfg), ("manifest.json", man)):
        i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(d))
PY
t 'a layer stored as a hard link to another member is that member' 1 "$bin" scan hardlinked.tar --no-cache -f json
json_ok '... both layers read, the OS found' '
import json,sys; d=json.load(sys.stdin); im=d["images"][0]
assert len(im["layers"])==2 and im["os"]["id"]=="debian", im["layers"]'

python3 "$mk" bad.tar legacy tampered
t 'a layer whose content differs from its diff_id is an error' 2 "$bin" scan bad.tar
has 'naming the layer and both digests' "$tmp/err" 'layer 1.s content is sha256:[0-9a-f]{64}, the config says sha256:.*altered or is corrupt'

python3 "$mk" ho.tar legacy hostile
t 'an entry named ../../outside is only a name' 1 "$bin" scan ho.tar -f json
json_ok 'it is shown where the image would have it, nothing is written' '
import json,sys; d=json.load(sys.stdin); p={f["location"].get("path") for f in d["findings"]}
assert "/outside" in p, p'
json_ok 'an os-release that is a symlink loop ends the lookup; /usr/lib/os-release is read instead' '
import json,sys; d=json.load(sys.stdin); assert d["images"][0]["os"]["id"]=="debian", d["images"][0]["os"]'
if [ -e "$tmp/../outside" ] || [ -e /outside ]; then echo "FAIL scan: a file was written outside"; else echo "PASS scan: nothing written outside"; fi

# a layer of 1 GiB (64 gzip members of 16 MiB of zeros): IMG-LARGE-LAYER, info
python3 - <<'PY'
import gzip, hashlib, io, json, tarfile
hdr = tarfile.TarInfo("big/zeros"); hdr.size = 1 << 30
head = hdr.tobuf(format=tarfile.GNU_FORMAT); zeros = b"\0" * (16 << 20)
h = hashlib.sha256(head)
for _ in range(64): h.update(zeros)
h.update(b"\0" * 1024)  # the end-of-archive blocks
blob = gzip.compress(head, mtime=0) + gzip.compress(zeros, 1, mtime=0) * 64 + gzip.compress(b"\0" * 1024, mtime=0)
cfg = json.dumps({"os": "linux", "architecture": "amd64", "rootfs": {"type": "layers", "diff_ids": ["sha256:" + h.hexdigest()]}}).encode()
man = json.dumps([{"Config": "c.json", "RepoTags": ["large:1"], "Layers": ["l/layer.tar"]}]).encode()
with tarfile.open("large.tar", "w") as t:
    for n, d in (("l/layer.tar", blob), ("c.json", cfg), ("manifest.json", man)):
        i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(d))
PY
t 'a 1 GiB layer is reported' 1 timeout 120 "$bin" scan large.tar -f json
json_ok 'IMG-LARGE-LAYER names the layer and its size' '
import json,sys; d=json.load(sys.stdin); f=[x for x in d["findings"] if x["rule"]=="IMG-LARGE-LAYER"]
assert len(f)==1 and "layer 1 unpacks to 1.0 GiB" in f[0]["message"] and f[0]["severity"]=="info", f'

# gzip layers are inflated by igzip (ISA-L) when it is there, else by libarchive
# (DOCKSEC_NO_ISAL=1): both read every gzip image of the suite to the same report,
# refuse a wrong CRC-32 and a stream cut short, and read past zero padding after the
# last member. The blobs' digests are true to the altered bytes: the gzip layer of
# the error is what is refused, not a digest.
python3 - <<'PY'
import gzip, hashlib, io, json, tarfile
def layer():
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w") as t:
        for n, d in (("etc/os-release", b'ID=debian\nVERSION_ID="12"\n'), ("app/notes.txt", b"hello\n" * 5000)):
            i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(d))
    return b.getvalue()
sha = lambda x: "sha256:" + hashlib.sha256(x).hexdigest()
def oci(out, blob, tar):
    cfg = json.dumps({"os": "linux", "architecture": "amd64", "rootfs": {"type": "layers", "diff_ids": [sha(tar)]}}).encode()
    m = json.dumps({"schemaVersion": 2, "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha(cfg), "size": len(cfg)},
                    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": sha(blob), "size": len(blob)}]}).encode()
    idx = json.dumps({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha(m), "size": len(m)}]}).encode()
    with tarfile.open(out, "w") as t:
        for n, d in [("blobs/sha256/" + sha(x)[7:], x) for x in (blob, cfg, m)] + [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", idx)]:
            i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(d))
tar = layer(); gz = gzip.compress(tar, 6, mtime=0)
oci("gz-ok.tar", gz, tar)
oci("gz-members.tar", gzip.compress(tar[:5000], mtime=0) + gzip.compress(tar[5000:], mtime=0), tar)
oci("gz-padded.tar", gz + bytes(4096), tar)
crc = bytearray(gz); crc[-8] ^= 0xff
oci("gz-crc.tar", bytes(crc), tar)
oci("gz-cut.tar", gz[: len(gz) // 2], tar)
PY
for img in gz-ok.tar gz-members.tar gz-padded.tar img.oci-tar.gzip large.tar; do
	t "$img: inflated by igzip" 1 "$bin" scan "$img" --no-cache -f json -o "$img.isal.json"
	t "$img: inflated by libarchive" 1 env DOCKSEC_NO_ISAL=1 "$bin" scan "$img" --no-cache -f json -o "$img.zlib.json"
	if cmp -s "$img.isal.json" "$img.zlib.json"; then echo "PASS scan: $img: the same report either way"
	else echo "FAIL scan: $img: igzip and libarchive differ"; diff "$img.isal.json" "$img.zlib.json" | head -5; fi
done
json_ok 'a layer of two gzip members, and one padded with zeros, are read whole' 'import json
for f in ("gz-members.tar.isal.json", "gz-padded.tar.isal.json"):
    d = json.load(open(f)); assert d["images"][0]["os"]["id"] == "debian" and d["images"][0]["layers"][0]["compression"] == "gzip", d["images"][0]'
# (libarchive's gzip filter does not check the CRC-32; igzip does, as Go's gzip reader
# does when docker load reads the layer)
if "$bin" --version | grep -q libisal && ldconfig -p | grep -q 'libisal\.so'; then
	t 'a gzip layer with a wrong CRC-32 is an error' 2 "$bin" scan gz-crc.tar --no-cache
	has '... naming the layer and the CRC' "$tmp/err" 'blobs/sha256/[0-9a-f]{64}: broken layer: the gzip CRC-32 does not match the data'
else
	echo "SKIP scan: igzip's CRC-32 check (docksec built without ISA-L's header, or libisal not installed)"
fi
for way in igzip libarchive; do
	env=(env); [ $way = libarchive ] && env=(env DOCKSEC_NO_ISAL=1)
	t "a gzip layer cut short is an error ($way)" 2 "${env[@]}" "$bin" scan gz-cut.tar --no-cache
	has '... naming the layer' "$tmp/err" 'blobs/sha256/[0-9a-f]{64}'
done

# SHA-256 by docksec's own code on the SHA instructions, or by libcrypto (every CPU
# without them, and DOCKSEC_NO_SHANI=1): the same reports (every blob's digest checked
# on the way), and a tampered layer refused both ways
for img in gz-members.tar img.oci-tar.gzip large.tar; do
	t "$img: digests by libcrypto" 1 env DOCKSEC_NO_SHANI=1 "$bin" scan "$img" --no-cache -f json -o "$img.evp.json"
	if cmp -s "$img.isal.json" "$img.evp.json"; then echo "PASS scan: $img: the same report with either SHA-256"
	else echo "FAIL scan: $img: docksec's SHA-256 and libcrypto's differ"; diff "$img.isal.json" "$img.evp.json" | head -5; fi
done
t 'a tampered layer is refused with libcrypto digests too' 2 env DOCKSEC_NO_SHANI=1 "$bin" scan bad.tar
has '... naming both digests' "$tmp/err" 'layer 1.s content is sha256:[0-9a-f]{64}, the config says sha256:'

# the multi-pattern engine (Hyperscan, libhs) and the byte loop it replaces find the same
# credentials at the same lines in every image of this suite, and in a file of every
# format packed tight (adjacent, overlapping prefixes, inside words, at the file's ends)
python3 - <<'PY'
toks = ["AKIAQWERTYUIOPASDFGH", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "xghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "glpat-abcdefghij0123456789", "xoxb-0123456789-abcdefghij", "sk_live_abcdefghijklmnopqrstuv", "npm_abcdefghijklmnopqrstuvwxyz0123456789",
        "https://user:hunter22@example.com/x", "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETKE",
        "AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETKE'", "-----BEGIN RSA PRIVATE KEY-----",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "AIzaSyA1234567890abcdefghijklmnopqrstuv"]
open("tight.conf", "w").write("\n".join(toks) + "\n" + "".join(toks) + "\n" + " ".join(t[:-1] for t in toks) + "\n" + toks[0])
PY
filesimg tight.tar etc/app.conf=tight.conf
same_engines=1 n_engines=0
for f in *.tar; do
	"$bin" scan "$f" --no-cache -f json -o eng-hs.json >/dev/null 2>&1
	DOCKSEC_NO_HYPERSCAN=1 "$bin" scan "$f" --no-cache -f json -o eng-loop.json >/dev/null 2>&1
	[ -s eng-hs.json ] || continue
	n_engines=$((n_engines + 1))
	python3 -c '
import json,sys; k=lambda f: sorted((x["rule"],str(x["location"].get("path")),x["message"]) for x in json.load(open(f))["findings"] if x["rule"]=="IMG-SECRET")
sys.exit(0 if k("eng-hs.json")==k("eng-loop.json") else 1)' || { same_engines=0; echo "engines differ on $f"; }
	rm -f eng-hs.json eng-loop.json
done
if [ $same_engines = 1 ] && [ $n_engines -ge 10 ]; then echo "PASS scan: Hyperscan and the byte loop report the same credentials in $n_engines images"
else echo "FAIL scan: the two engines differ ($n_engines images)"; fi
t 'the tight file' 1 "$bin" scan tight.tar -f json
json_ok 'every format found in it, each occurrence on each line' '
import json,sys; d=json.load(sys.stdin); f=[x for x in d["findings"] if x["rule"]=="IMG-SECRET"]
lines={}
for x in f: lines.setdefault(x["message"].split("/etc/app.conf:")[1].split(":")[0], []).append(x["message"].split(" in /etc/app.conf")[0])
one=["AWS access key id","GitHub personal access token",None,"GitLab personal access token","Slack bot token","Stripe secret key","npm access token",
 "password in URL","AWS secret access key","AWS secret access key","private key","JSON Web Token","Google API key"]
for i,k in enumerate(one):  # one per line; the x-prefixed token is inside a word
    assert lines.get(str(i+1))==([k] if k else None), (i+1, lines.get(str(i+1)))
# packed together: what a boundary still separates (a token runs on into the next one)
assert sorted(lines["14"])==["AWS access key id","JSON Web Token","password in URL","private key"], lines["14"]
assert "AWS access key id" in lines["16"], lines'

# a gzip bomb: 512 gzip members of 16 MiB of zeros each (8 MiB on disk, 8 GiB
# unpacked) is cut by the time limit, quickly, with the reason
python3 - <<'PY'
import gzip, hashlib, io, json, tarfile
hdr = tarfile.TarInfo("zeros"); hdr.size = 8 << 30
zeros = gzip.compress(b"\0" * (16 << 20), 9, mtime=0)
blob = gzip.compress(hdr.tobuf(format=tarfile.GNU_FORMAT), mtime=0) + zeros * 512
cfg = json.dumps({"os": "linux", "architecture": "amd64", "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "0" * 64]}}).encode()
man = json.dumps([{"Config": hashlib.sha256(cfg).hexdigest() + ".json", "RepoTags": ["bomb:1"], "Layers": ["l/layer.tar"]}]).encode()
with tarfile.open("bomb.tar", "w") as t:
    for n, d in (("l/layer.tar", blob), (hashlib.sha256(cfg).hexdigest() + ".json", cfg), ("manifest.json", man)):
        i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(d))
PY
start=$(date +%s)
t 'a gzip bomb is cut by the time limit, not read to the end' 2 timeout 60 "$bin" scan bomb.tar --timeout 1
has 'with the reason' "$tmp/err" 'time limit'
if [ $(( $(date +%s) - start )) -le 10 ]; then echo "PASS scan: the bomb took at most 10 s"; else echo "FAIL scan: the bomb took $(( $(date +%s) - start )) s"; fi

# FIFOs hold no open: a named pipe no one writes to as an input waits only until the
# run's time limit, which counts for all the inputs together (the first arrives after
# 2 s, the second never: the run ends at 3 s, not 2 + 3); a FIFO planted as a layout's
# blob or index.json is refused at once
python3 "$mk" fifo-src.tar legacy debian none
rm -f in1.fifo in2.fifo; mkfifo in1.fifo in2.fifo
(sleep 2; cat fifo-src.tar >in1.fifo) &
writer=$!
start=$(date +%s%N)
t 'a named pipe no one writes to is cut by the time limit' 2 timeout 30 "$bin" scan in1.fifo in2.fifo --timeout 3 --no-cache
has '... naming it' "$tmp/err" 'in2.fifo: the image took longer than its time limit'
ms=$(( ($(date +%s%N) - start) / 1000000 )); wait "$writer"
if [ "$ms" -ge 2500 ] && [ "$ms" -lt 4700 ]; then echo "PASS scan: the time limit is the whole run's ($ms ms for both inputs)"
else echo "FAIL scan: two inputs took $ms ms with --timeout 3 (want 3 s, the whole run's)"; fi
rm -rf fifo-lay; python3 "$mk" fifo-lay oci-dir debian gzip
b=$(ls fifo-lay/blobs/sha256 | head -1); rm "fifo-lay/blobs/sha256/$b"; mkfifo "fifo-lay/blobs/sha256/$b"
t 'a FIFO as a layout blob is refused, not waited on' 2 timeout 30 "$bin" scan fifo-lay --no-cache
has '... as not a regular file' "$tmp/err" 'is not a regular file'
rm fifo-lay/index.json; mkfifo fifo-lay/index.json
t 'a FIFO as index.json is refused, not waited on' 2 timeout 30 "$bin" scan fifo-lay --no-cache
rm -f in1.fifo in2.fifo; rm -rf fifo-lay

# An OCI layout written by umoci (Debian's), cross-checking the reader against another
# implementation of the layout: two layers made by unpack/repack, the second deleting a
# token the first added (umoci writes the whiteout); a setuid file; a user in the config.
if command -v umoci >/dev/null; then
	umoci init --layout um && umoci new --image um:t1 && umoci unpack --rootless --image um:t1 umb >/dev/null 2>&1 &&
		mkdir -p umb/rootfs/app umb/rootfs/usr/local/bin &&
		printf 'ghp_%s\n' 0123456789abcdefghijABCDEFGHIJ012345 >umb/rootfs/app/token.txt &&
		cp /bin/true umb/rootfs/usr/local/bin/tool && chmod 4755 umb/rootfs/usr/local/bin/tool &&
		umoci repack --image um:t1 umb && rm -rf umb && umoci unpack --rootless --image um:t1 umb >/dev/null 2>&1 &&
		rm umb/rootfs/app/token.txt && umoci repack --image um:t1 umb && umoci config --image um:t1 --config.user 1000
	t "umoci's OCI layout" 1 "$bin" scan --no-cache um -f json
	json_ok 'its layers, digests and findings as umoci wrote them' '
import json,sys; d=json.load(sys.stdin); im=d["images"][0]
idx=json.load(open("um/index.json")); man=json.load(open("um/blobs/sha256/"+idx["manifests"][0]["digest"][7:]))
cfg=json.load(open("um/blobs/sha256/"+man["config"]["digest"][7:]))
assert [l["digest"] for l in im["layers"]]==[l["digest"] for l in man["layers"]], im["layers"]
assert [l["diff_id"] for l in im["layers"]]==cfg["rootfs"]["diff_ids"]
f={(x["rule"],x["location"].get("path")):x for x in d["findings"]}
assert ("IMG-SETUID","/usr/local/bin/tool") in f and f[("IMG-SETUID","/usr/local/bin/tool")]["context"].startswith("layer 1"), sorted(f)
s=f[("IMG-SECRET","/app/token.txt")]
assert "deleted by layer 2" in s["message"] and s["context"].startswith("layer 1"), s
assert not [x for x in d["findings"] if x["rule"]=="DF-USER-MISSING"], "umoci set the user"'
else
	echo "SKIP scan: umoci's OCI layout (umoci is not installed)"
fi
