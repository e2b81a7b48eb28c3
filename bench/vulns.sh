#!/usr/bin/env bash
# The vulnerability database at scale: 100k synthetic OSV records spread
# over the ecosystems in about the proportions osv.dev holds them (Ubuntu
# and Debian largest, then npm, PyPI, Alpine, Maven, Go...), written as
# one zip archive like osv.dev's all.zip. Debian:12 records name this
# machine's own source packages (a few per package, fixed versions above
# and below the installed ones) so matching has real work to do.
#
# Reports: `docksec db import` time and peak memory, the database's size,
# an incremental re-import of the same archive; and the cost of matching
# an image's inventory against the database: `scan --vulns` minus the
# same scan without it (hyperfine, 3 warm-ups, 10 runs), on an image of
# this machine's dpkg database (hundreds of packages). The issue's target
# is under 50 ms beyond the inventory. Trivy cannot be pointed at a
# database built from OSV records (its trivy-db is a BoltDB of its own
# layout), so the inventory and the matching are reported apart.
#
#   bench/vulns.sh [RECORDS]     # default 100000
set -u
cd "$(dirname "$0")/.."
n=${1:-100000}
dir=build/bench/vulns
mkdir -p "$dir"
ds=$(realpath build/docksec)
[ -x "$ds" ] || { echo "build docksec first (make)"; exit 2; }
command -v hyperfine >/dev/null || { echo "needs hyperfine"; exit 2; }
[ -r /var/lib/dpkg/status ] || { echo "needs a dpkg system (its status file is the image's inventory)"; exit 2; }

python3 - "$dir" "$n" <<'PY'
import hashlib, io, json, random, re, sys, tarfile, zipfile
d, n = sys.argv[1], int(sys.argv[2])
random.seed(42)
status = open("/var/lib/dpkg/status").read()
srcs = sorted({(m.group(2) or m.group(1)) for m in re.finditer(r"^Package: (\S+)\n(?:(?!\n\n).)*?(?:^Source: (\S+))?", status, re.M | re.S)})
vers = {}
for para in status.split("\n\n"):
    f = dict(re.findall(r"^(\S+): (.*)$", para, re.M))
    if "Package" in f and "Version" in f:
        src = f.get("Source", f["Package"]).split()[0]
        vers.setdefault(src, f["Version"])
weights = [("Ubuntu:22.04:LTS", 25), ("Debian:12", 20), ("npm", 12), ("PyPI", 10), ("Alpine:v3.19", 8), ("Maven", 6),
           ("Go", 5), ("AlmaLinux:9", 4), ("Rocky Linux:9", 3), ("crates.io", 2), ("RubyGems", 2), ("Packagist", 3)]
ecos = [e for e, w in weights for _ in range(w)]
def fixed_for(eco, base):
    if eco.startswith(("Debian", "Ubuntu")):
        return base + random.choice(["+deb12u9", "~deb12u0", "+b1", ""]) if base else "%d.%d-1" % (random.randint(0, 9), random.randint(0, 30))
    if eco.startswith("Alpine"):
        return "%d.%d.%d-r%d" % (random.randint(0, 5), random.randint(0, 30), random.randint(0, 9), random.randint(0, 9))
    if eco.startswith(("AlmaLinux", "Rocky")):
        return "%d:%d.%d-%d.el9" % (random.randint(0, 1), random.randint(0, 9), random.randint(0, 30), random.randint(1, 40))
    return "%d.%d.%d" % (random.randint(0, 9), random.randint(0, 30), random.randint(0, 30))
with zipfile.ZipFile(d + "/all.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(n):
        eco = random.choice(ecos)
        if eco == "Debian:12" and random.random() < 0.5:
            name = random.choice(srcs); base = vers.get(name, "")
        else:
            name = "pkg%d" % int(random.paretovariate(1.2) * 10); base = ""
        ev = [{"introduced": "0"}, {"fixed": fixed_for(eco, base)}]
        rec = {"id": "BENCH-%d" % i, "modified": "2026-01-%02dT00:00:00Z" % (1 + i % 28), "aliases": ["CVE-2026-%d" % (100000 + i)],
               "summary": "synthetic record %d" % i,
               "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:L/A:N"}] if i % 3 == 0 else
                           [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"},
                            {"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N"}] if i % 3 == 1 else [],
               "affected": [{"package": {"ecosystem": eco, "name": name}, "ranges": [{"type": "SEMVER" if eco in ("Go", "npm", "crates.io") else "ECOSYSTEM", "events": ev}]}],
               "references": [{"type": "WEB", "url": "https://example.invalid/%d" % i}]}
        z.writestr("BENCH-%d.json" % i, json.dumps(rec))
# the image: this machine's dpkg status and os-release in one layer
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w") as t:
    for name, src in (("var/lib/dpkg/status", "/var/lib/dpkg/status"), ("etc/os-release", "/etc/os-release")):
        data = open(src, "rb").read(); i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
l = b.getvalue()
cfg = json.dumps({"os": "linux", "architecture": "amd64", "config": {"User": "1"}, "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(l).hexdigest()]}}).encode()
man = json.dumps([{"Config": "c.json", "RepoTags": ["host-packages:1"], "Layers": ["l/layer.tar"]}]).encode()
with tarfile.open(d + "/image.tar", "w") as t:
    for name, data in (("l/layer.tar", l), ("c.json", cfg), ("manifest.json", man)):
        i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
print("%d records; %d package names of this machine in Debian:12 records" % (n, len(srcs)))
PY
ls -l "$dir/all.zip" | awk '{printf "archive: %.1f MB\n", $5/1e6}'
for k in 1 2 3; do
	rm -f "$dir/vulns.db"
	/usr/bin/time -f "import $k: %e s wall, %U s user, %M KB peak" "$ds" db import -q --db "$dir/vulns.db" "$dir/all.zip" 2>&1 | tail -1
done
ls -l "$dir/vulns.db" | awk '{printf "database: %.1f MB\n", $5/1e6}'
/usr/bin/time -f "re-import of the same archive (all unchanged): %e s wall, %M KB peak" "$ds" db import -q --db "$dir/vulns.db" "$dir/all.zip" 2>&1 | tail -1
XDG_CACHE_HOME=$(realpath "$dir")/cache "$ds" scan --vulns --db "$dir/vulns.db" "$dir/image.tar" -f json -o "$dir/scan.json" -q
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["images"][0]; print("image: %d packages, %d vulnerabilities matched" % (len(d["packages"]), len(d["vulnerabilities"])))' "$dir/scan.json"
export XDG_CACHE_HOME=$(realpath "$dir")/cache
hyperfine -N -w 3 -r 10 --export-markdown "$dir/match.md" \
	-n "scan (inventory only)" "$ds scan --no-secrets -q --fail-on none -o /dev/null $dir/image.tar" \
	-n "scan --vulns (inventory + matching)" "$ds scan --no-secrets -q --fail-on none -o /dev/null --vulns --db $dir/vulns.db $dir/image.tar"
echo "where the time of scan --vulns goes (DOCKSEC_TIMINGS, 5 runs):"
for k in 1 2 3 4 5; do
	DOCKSEC_TIMINGS=1 "$ds" scan --no-secrets -q --fail-on none -o /dev/null --vulns --db "$dir/vulns.db" "$dir/image.tar" 2>&1 >/dev/null | grep timings
done
