#!/usr/bin/env bash
# Peak memory of `docksec scan` against the number of entries in an image:
# one layer of N empty files (node_modules-like paths, 49 bytes each), as a
# plain docker-save tarball, scanned with --no-cache; /usr/bin/time's
# maximum resident set size, with --no-cache, then writing and reading the
# layer cache; then images of many packages in every report format. The
# issue's target is 64 MB whatever the size.
#
#   bench/scan-memory.sh [N...]      # default: 50000 200000 400000
set -u
cd "$(dirname "$0")/.."
dir=build/bench/memory
mkdir -p "$dir"
ds=build/docksec
[ -x "$ds" ] || { echo "build docksec first (make)"; exit 2; }
for m in ${*:-50000 200000 400000}; do
	{
		img=$dir/entries-$m.tar
		[ -s "$img" ] || python3 - "$img" "$m" <<'PY'
import hashlib, io, json, sys, tarfile
out, n = sys.argv[1], int(sys.argv[2])
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w") as t:
    for k in range(n):
        i = tarfile.TarInfo("usr/lib/node_modules/pkg%05d/lib/sub/file%04d.js" % (k // 500, k % 500)); i.size = 0; t.addfile(i)
l = b.getvalue()
cfg = json.dumps({"os": "linux", "architecture": "amd64", "config": {"User": "1"}, "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(l).hexdigest()]}}).encode()
man = json.dumps([{"Config": "c.json", "RepoTags": ["entries:1"], "Layers": ["l/layer.tar"]}]).encode()
with tarfile.open(out, "w") as t:
    for name, d in (("l/layer.tar", l), ("c.json", cfg), ("manifest.json", man)):
        i = tarfile.TarInfo(name); i.size = len(d); t.addfile(i, io.BytesIO(d))
PY
		/usr/bin/time -f "%M KB peak, %e s: $m entries" "$ds" scan "$img" --no-cache -o /dev/null 2>&1 >/dev/null | tail -1
		# the same with the layer cache: the first run writes the layer's entry, the second reads it
		c=$(mktemp -d)
		XDG_CACHE_HOME=$c /usr/bin/time -f "%M KB peak, %e s: $m entries, writing the cache" "$ds" scan "$img" -o /dev/null 2>&1 >/dev/null | tail -1
		XDG_CACHE_HOME=$c /usr/bin/time -f "%M KB peak, %e s: $m entries, from the cache" "$ds" scan "$img" -o /dev/null 2>&1 >/dev/null | tail -1
		rm -rf "$c"
	}
done

# Packages: 100 000 npm packages with long names (package.json of 90-byte names), one
# package-lock.json of 15.7 MB (60 000 packages) and 200 000 npm packages of short names
# (the most an inventory lists), in every report format
gen() { # OUT TAG [N], then one layer's (name, data) pairs on python's standard input: N images over it
	python3 -c '
import ast, hashlib, io, json, sys, tarfile
out, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w") as t:
    for line in sys.stdin:
        name, data = ast.literal_eval(line)
        i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
l = b.getvalue()
with tarfile.open(out, "w") as t:
    def add(name, d):
        i = tarfile.TarInfo(name); i.size = len(d); t.addfile(i, io.BytesIO(d))
    add("l/layer.tar", l)
    man = []
    for k in range(n):  # one image: its config as it always was; more: each labelled
        cfg = {"User": "1", "Labels": {"k": str(k)}} if n > 1 else {"User": "1"}
        add("c%d.json" % k, json.dumps({"os": "linux", "architecture": "amd64", "config": cfg,
                                         "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(l).hexdigest()]}}).encode())
        man.append({"Config": "c%d.json" % k, "RepoTags": ["%s:%d" % (tag, k) if n > 1 else tag], "Layers": ["l/layer.tar"]})
    add("manifest.json", json.dumps(man).encode())' "$1" "$2" "${3:-1}"
}
[ -s "$dir/long-names.tar" ] || python3 -c '
for k in range(100000):
    n = "@scope-with-a-long-name/package-with-a-rather-long-name-%06d" % k
    print(repr(("app/node_modules/%s/package.json" % n, b"{\"name\":\"%s\",\"version\":\"1.0.%d-prerelease.build.metadata.long\"}" % (n.encode(), k))))' |
	gen "$dir/long-names.tar" long-names:1
[ -s "$dir/lockfile.tar" ] || python3 -c '
import json
pk = {"": {"name": "app", "version": "1.0.0"}}
for k in range(60000):
    pk["node_modules/pkg-%06d" % k] = {"version": "1.0.%d" % k, "resolved": "https://registry.npmjs.org/pkg-%06d/-/pkg-%06d-1.0.%d.tgz" % (k, k, k),
                                       "integrity": "sha512-" + "A" * 86 + "==", "license": "MIT"}
print(repr(("app/package-lock.json", json.dumps({"name": "app", "lockfileVersion": 3, "packages": pk}).encode())))' |
	gen "$dir/lockfile.tar" lockfile:1
[ -s "$dir/short-200k.tar" ] || python3 -c '
for k in range(200000): print(repr(("app/node_modules/p%d/package.json" % k, b"{\"name\":\"p%d\",\"version\":\"1.0.%d\"}" % (k, k))))' |
	gen "$dir/short-200k.tar" short-200k:1
for img in long-names lockfile short-200k; do
	for f in text json cyclonedx spdx sarif; do
		/usr/bin/time -f "%M KB peak, %e s: $img, -f $f" "$ds" scan "$dir/$img.tar" --no-cache -f $f -o /dev/null 2>&1 >/dev/null | tail -1
	done
done

# Many images and inputs: the run's bounds are on all of them together. 8 images over
# the long-names layer (their inventories point at the layer's records); 8 and 64 images
# over one dpkg status of 100 000 packages (parsed once; past the bound the images left
# are refused, exit 2); two inputs of the 50 000-entry image (or the largest made above)
[ -s "$dir/long-names-8.tar" ] || python3 -c '
for k in range(100000):
    n = "@scope-with-a-long-name/package-with-a-rather-long-name-%06d" % k
    print(repr(("app/node_modules/%s/package.json" % n, b"{\"name\":\"%s\",\"version\":\"1.0.%d-prerelease.build.metadata.long\"}" % (n.encode(), k))))' |
	gen "$dir/long-names-8.tar" long-names 8
status='
st = "".join("Package: package-with-a-long-name-%06d\nStatus: install ok installed\nVersion: 1.2.3-4+deb12u%d\nArchitecture: amd64\nSource: source-package-%06d\n\n" % (k, k, k) for k in range(100000))
print(repr(("var/lib/dpkg/status", st.encode())))'
[ -s "$dir/dpkg-8.tar" ] || python3 -c "$status" | gen "$dir/dpkg-8.tar" dpkg 8
[ -s "$dir/dpkg-64.tar" ] || python3 -c "$status" | gen "$dir/dpkg-64.tar" dpkg 64
for img in long-names-8 dpkg-8 dpkg-64; do
	for f in text json sarif; do # (an SBOM is one image's: with more it is an error)
		/usr/bin/time -f "%M KB peak, %e s, exit %x: $img, -f $f" "$ds" scan "$dir/$img.tar" --no-cache -f $f -o /dev/null 2>&1 >/dev/null | tail -1
	done
done
big=$(ls -S "$dir"/entries-*.tar | head -1)
cp "$big" "$dir/second.tar"
/usr/bin/time -f "%M KB peak, %e s, exit %x: two inputs of $(basename "$big")" "$ds" scan "$big" "$dir/second.tar" --no-cache -o /dev/null 2>&1 >/dev/null | tail -1
rm -f "$dir/second.tar"
