#!/usr/bin/env bash
# docksec scan against Trivy (trivy image --input) on the same docker-save
# tarball, and against reading the layers alone (tar -xOf, and gzip -dc for
# a gzip OCI copy). The image: a debootstrapped Debian 12 minbase (88 dpkg
# packages) plus three layers: planted credentials and a setuid file, the
# GitHub token deleted again, a package database change. Built once under
# build/bench/scan (debootstrap needs root and Debian's mirror).
#
# The issue's reference image is 172 MB; debootstrap leaves the 31 MB of .deb files it
# installed in /var/cache/apt/archives, which `apt-get clean` (and every published
# Debian image) removes: without them the docker-save tarball is the reference's size.
#
#   bench/scan-vs-trivy.sh            # SBOM and secrets, wall time and peak memory
#   BENCH_IMAGE=debs                  # the image with the .deb files kept (202 MB, the runs before 2026-12-04 noon)
#   BENCH_RUNS=5 BENCH_WARMUP=1       # hyperfine's counts, the same for every command
#   BENCH_TRIVY_SECRET_RUNS=2         # but Trivy's uncached secret scan (a minute a run)
set -u
cd "$(dirname "$0")/.."
. bench/trivy.sh
runs=${BENCH_RUNS:-5} warm=${BENCH_WARMUP:-1}
dir=build/bench/scan
mkdir -p "$dir"
variant=${BENCH_IMAGE:-ref}
case $variant in ref|debs) ;; *) echo "BENCH_IMAGE is ref or debs, not '$variant'"; exit 2 ;; esac
img=$dir/img-$variant.tar gz=$dir/img-$variant-gz.tar
if [ ! -s "$img" ]; then
	if [ ! -s "$dir/rootfs/var/lib/dpkg/status" ]; then
		command -v debootstrap >/dev/null || { echo "bench needs debootstrap (apt-get install debootstrap)"; exit 2; }
		debootstrap --variant=minbase bookworm "$dir/rootfs" http://deb.debian.org/debian >"$dir/debootstrap.log" 2>&1 ||
			{ echo "debootstrap failed ($dir/debootstrap.log)"; exit 2; }
	fi
	python3 - "$dir" "$variant" <<'PY'
import gzip, hashlib, io, json, os, sys, tarfile
d, variant = sys.argv[1], sys.argv[2]
def base_entry(i):
    i.uname = i.gname = ""
    if variant == "ref" and i.isfile() and i.name.startswith("./var/cache/apt/archives/") and i.name.endswith(".deb"):
        return None # what apt-get clean removes
    return i
def layer_of(adds):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data, mode in adds:
            i = tarfile.TarInfo(name); i.mode = mode; i.size = len(data); i.mtime = 0
            t.addfile(i, io.BytesIO(data))
    return b.getvalue()
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
    t.add(d + "/rootfs", arcname=".", filter=base_entry)
base = b.getvalue()
status = open(d + "/rootfs/var/lib/dpkg/status", "rb").read()
key = b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n"
l2 = layer_of([("root/.ssh/id_ed25519", key, 0o600),
               ("root/.aws/credentials", b"[default]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETKEY\n", 0o600),
               ("app/deploy.sh", b"#!/bin/sh\nexport GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n", 0o755),
               ("usr/local/bin/helper", b"\x7fELF" + b"\0" * 64, 0o4755)])
l3 = layer_of([("app/.wh.deploy.sh", b"", 0o644)])
l4 = layer_of([("var/lib/dpkg/status", status, 0o644), ("etc/motd", b"bench\n", 0o644)])
layers = [base, l2, l3, l4]
ids = ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["bash"]},
                  "rootfs": {"type": "layers", "diff_ids": ids},
                  "history": [{"created_by": "/bin/sh -c #(nop) ADD file:bookworm in / "},
                              {"created_by": "COPY secrets / # buildkit"}, {"created_by": "RUN /bin/sh -c rm /app/deploy.sh # buildkit"},
                              {"created_by": "RUN /bin/sh -c apt-get update # buildkit"}]}).encode()
names = ["l%d/layer.tar" % i for i in range(len(layers))]
man = json.dumps([{"Config": hashlib.sha256(cfg).hexdigest() + ".json", "RepoTags": ["bench/bookworm:1"], "Layers": names}]).encode()
with tarfile.open(d + "/img-%s.tar" % variant, "w") as t:
    for n, data in list(zip(names, layers)) + [(hashlib.sha256(cfg).hexdigest() + ".json", cfg), ("manifest.json", man)]:
        i = tarfile.TarInfo(n); i.size = len(data); t.addfile(i, io.BytesIO(data))
# the same image as a gzip OCI layout tar
blobs = [gzip.compress(l, 6, mtime=0) for l in layers]
sha = lambda x: "sha256:" + hashlib.sha256(x).hexdigest()
m = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha(cfg), "size": len(cfg)},
                "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": sha(x), "size": len(x)} for x in blobs]}).encode()
idx = json.dumps({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha(m), "size": len(m),
                  "annotations": {"io.containerd.image.name": "bench/bookworm:1"}}]}).encode()
with tarfile.open(d + "/img-%s-gz.tar" % variant, "w") as t:
    for n, data in [("blobs/sha256/" + sha(x)[7:], x) for x in blobs + [cfg, m]] + [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", idx)]:
        i = tarfile.TarInfo(n); i.size = len(data); t.addfile(i, io.BytesIO(data))
open(d + "/gz-layers-" + variant, "w").write(" ".join("blobs/sha256/" + sha(x)[7:] for x in blobs))
PY
fi
echo "image: $(du -m "$img" | cut -f1) MB docker-save ($(du -m "$gz" | cut -f1) MB as gzip OCI); $("$TRIVY" --version | head -1); $(hyperfine --version)"
ds=build/docksec
# Trivy caches each layer's analysis under its cache directory, as docksec does: the
# uncached rows give it an empty one before every run (hyperfine --prepare), the cached
# rows one that a first run filled. Its secret scan takes about a minute uncached, so
# it runs BENCH_TRIVY_SECRET_RUNS times (default 2) without a warm-up.
tc=$(mktemp -d) tw=$(mktemp -d)
trap 'rm -rf "$tc" "$tw"' EXIT
tv=("$TRIVY" image --cache-dir "$tc" --skip-db-update --skip-java-db-update --offline-scan --input)
tvw=("$TRIVY" image --cache-dir "$tw" --skip-db-update --skip-java-db-update --offline-scan --input)
fresh="rm -rf $tc"
export XDG_CACHE_HOME="$dir/no-cache" # the first runs read every layer
hyperfine -N -w "$warm" -r "$runs" --export-markdown "$dir/sbom.md" \
	-n "docksec SBOM" --prepare true "$ds scan $img -f cyclonedx --no-secrets --no-cache -o /dev/null" \
	-n "trivy SBOM, empty cache" --prepare "$fresh" "${tv[*]} $img --format cyclonedx --output /dev/null" \
	-n "tar -xOf (read the layers)" --prepare true "sh -c 'tar -xOf $img >/dev/null'" \
	-n "docksec SBOM, gzip OCI" --prepare true "$ds scan $gz -f cyclonedx --no-secrets --no-cache -o /dev/null" \
	-n "tar + gzip -dc (decompress the layers)" --prepare true "sh -c 'tar -xOf $gz $(cat "$dir/gz-layers-$variant") | gzip -dc >/dev/null'"
# a cached rescan of each unchanged file (the cache filled by one scan first): its layers
# come from the cache, the file trusted by its identity (inode, size, mtime, ctime)
export XDG_CACHE_HOME="$dir/cache"
rm -rf "$XDG_CACHE_HOME"
"$ds" scan "$gz" -f cyclonedx -o /dev/null
"$ds" scan "$img" -f cyclonedx -o /dev/null
"${tvw[@]}" "$img" --format cyclonedx --output /dev/null 2>/dev/null
hyperfine -N -w "$warm" -r "$runs" --export-markdown "$dir/cached.md" \
	-n "docksec SBOM, plain docker-save, cached" "$ds scan $img -f cyclonedx -o /dev/null" \
	-n "trivy SBOM, plain docker-save, cached" "${tvw[*]} $img --format cyclonedx --output /dev/null" \
	-n "docksec SBOM, gzip OCI, cached" "$ds scan $gz -f cyclonedx -o /dev/null" \
	-n "docksec SBOM, gzip OCI, --no-cache" "$ds scan $gz -f cyclonedx --no-cache -o /dev/null"
export XDG_CACHE_HOME="$dir/no-cache"
hyperfine -N -i -w "$warm" -r "$runs" --export-markdown "$dir/secrets.md" \
	-n "docksec secrets" "$ds scan $img -f json --no-cache -o /dev/null"
hyperfine -N -i -w 0 -r "${BENCH_TRIVY_SECRET_RUNS:-2}" --export-markdown "$dir/secrets-trivy.md" \
	-n "trivy secrets, empty cache" --prepare "$fresh" "${tv[*]} $img --scanners secret --format json --output /dev/null"
echo; echo "peak memory (KB; Trivy with an empty cache):"
for c in "$ds scan $img -f cyclonedx --no-secrets --no-cache -o /dev/null" "$ds scan $img -f json --no-cache -o /dev/null" \
	"${tv[*]} $img --format cyclonedx --output /dev/null" "${tv[*]} $img --scanners secret --format json --output /dev/null"; do
	rm -rf "$tc"
	/usr/bin/time -f "%M  $c" $c 2>&1 >/dev/null | tail -1
done
echo; echo "what each finds:"
"$ds" scan "$img" -f json -o "$dir/docksec.json"
rm -rf "$tc"
"${tv[@]}" "$img" --scanners secret --format json --output "$dir/trivy.json" 2>/dev/null
python3 - "$dir" <<'PY'
import json, subprocess, sys
d = sys.argv[1]
ds = json.load(open(d + "/docksec.json")); tv = json.load(open(d + "/trivy.json"))
print("docksec secrets:", sorted((f["location"]["path"], f["message"].split(" in /")[0]) for f in ds["findings"] if f["rule"] == "IMG-SECRET"))
print("trivy secrets:  ", sorted((r.get("Target"), s.get("RuleID")) for r in tv.get("Results", []) for s in r.get("Secrets", [])))
pk = sorted(p["name"] + " " + p["version"] for p in ds["images"][0]["packages"])
want = subprocess.run(["dpkg-query", "--admindir=" + d + "/rootfs/var/lib/dpkg", "-W", "-f", "${Package} ${Version}\n"], capture_output=True, text=True).stdout.split()
print("docksec packages: %d, the same set as dpkg-query on the rootfs: %s" % (len(pk), sorted(pk) == sorted(" ".join(want[i:i+2]) for i in range(0, len(want), 2))))
PY
