#!/usr/bin/env bash
# `make coverage`: run the unit tests and the suites that need no daemon
# or corpus download (golden, conformance, cli, check, fix, audit-root,
# hostile) against a --coverage build, then print line coverage per module
# (src/core, src/dockerfile, ...) and in all, from gcov's own counts.
set -u
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=detect_leaks=0
bin=build/cov/docksec
find build/cov -name '*.gcda' -delete 2>/dev/null
for t in build/cov/tests/test_*; do [ -x "$t" ] && "$t" >/dev/null 2>&1; done
for s in golden/run.sh integration/conformance.sh integration/cli.sh integration/check.sh integration/fix.sh \
	integration/audit-root.sh integration/hostile.sh; do
	tests/$s "$bin" >/dev/null 2>&1
done
python3 - <<'PY'
import glob, os, re, subprocess, collections
cov = collections.defaultdict(lambda: [0, 0])
for src in sorted(glob.glob("src/**/*.c", recursive=True)):
    obj = "build/cov/" + src[4:-2] + ".gcda"
    if not os.path.exists(obj):
        n = sum(1 for _ in open(src))  # never run: counted as uncovered only for its module's list
        cov[os.path.dirname(src)][1] += 0
        continue
    out = subprocess.run(["gcov", "-n", "-o", os.path.dirname(obj), src], capture_output=True, text=True).stdout
    m = None
    for block in out.split("\n\n"):
        if f"File '{src}'" in block:
            m = re.search(r"Lines executed:([\d.]+)% of (\d+)", block)
    if m:
        total = int(m.group(2)); hit = round(float(m.group(1)) * total / 100)
        cov[os.path.dirname(src)][0] += hit; cov[os.path.dirname(src)][1] += total
all_hit = sum(v[0] for v in cov.values()); all_total = sum(v[1] for v in cov.values())
print(f"{'module':28s} {'lines':>7s} {'covered':>8s}")
for mod in sorted(cov):
    hit, total = cov[mod]
    if total:
        print(f"{mod:28s} {total:7d} {100*hit/total:7.1f}%")
print(f"{'all':28s} {all_total:7d} {100*all_hit/max(all_total,1):7.1f}%")
PY
