#!/usr/bin/env bash
# Peak memory of `docksec scan` against the number of entries in an image:
# one layer of N empty files (node_modules-like paths, 49 bytes each), as a
# plain docker-save tarball, scanned with --no-cache; /usr/bin/time's
# maximum resident set size, with --no-cache, then writing and reading the
# layer cache. The issue's target is 64 MB whatever the size.
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
