#!/usr/bin/env bash
# Compare `docksec audit` with docker-bench-security on the same private
# dockerd holding N running containers (default: 4, 50 and 200), a mix of
# hardened ones and three kinds of insecure ones: wall time (hyperfine),
# processes spawned (strace -f, execve), and both tools' verdict per CIS id
# with every difference explained.
#
#   DOCKER_BENCH=/path/to/docker-bench-security bench/audit-vs-docker-bench.sh [N...]
#
# DOCKER_BENCH is a checkout of github.com/docker/docker-bench-security kept
# outside this repository (never committed); it is run with bash. Needs root,
# dockerd (docker.io), busybox-static, hyperfine, strace and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DOCKER_BENCH:?set DOCKER_BENCH to a docker-bench-security checkout}"
[ -f "$DOCKER_BENCH/docker-bench-security.sh" ] || { echo "no docker-bench-security.sh in $DOCKER_BENCH" >&2; exit 2; }
for t in hyperfine strace python3 dockerd docker; do command -v $t >/dev/null || { echo "bench needs $t" >&2; exit 2; }; done
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(4 50 200)
make -s build/docksec
out=$(pwd)/build/bench; mkdir -p "$out"
dir=$(mktemp -d /tmp/dsbench.XXXXXX)
trap 'scripts/test-dockerd.sh stop "$dir" >/dev/null 2>&1; rm -rf "$dir"' EXIT
sock=$(scripts/test-dockerd.sh start "$dir")
export DOCKER_HOST="unix://$sock"
img=$(scripts/test-dockerd.sh image "$dir")
have=0
add_containers() { # up to $1 running containers, cycling four kinds
	while [ $have -lt "$1" ]; do
		case $((have % 4)) in
		0) docker run -d --name "c$have" --network none --read-only --cap-drop ALL --security-opt no-new-privileges \
			--user 65534:65534 --memory 32m --cpus 0.1 --pids-limit 20 --restart on-failure:5 --health-cmd true "$img" ;;
		1) docker run -d --name "c$have" --network none "$img" ;;
		2) docker run -d --name "c$have" --network none --pid host --ipc host --uts host \
			-v /var/run/docker.sock:/var/run/docker.sock -v /etc:/host-etc:ro --restart always "$img" ;;
		3) docker run -d --name "c$have" --network none --cap-add SYS_PTRACE --security-opt seccomp=unconfined \
			--memory 32m "$img" ;;
		esac >/dev/null
		have=$((have + 1))
	done
}
# the same warm-up and run counts for both tools; docker-bench needs a shell (cd)
W=${BENCH_WARMUP:-1} R=${BENCH_RUNS:-3}
dbv=$(sed -n "s/^version=['\"]\{0,1\}\([0-9.]*\).*/\1/p" "$DOCKER_BENCH/docker-bench-security.sh" | head -1)
echo "docksec: $(build/docksec --version); docker-bench-security: ${dbv:-unknown} ($(git -C "$DOCKER_BENCH" rev-parse --short HEAD 2>/dev/null || echo 'no git'))"
echo "hyperfine $(hyperfine --version | cut -d' ' -f2): --warmup $W --runs $R for both tools"
for n in "${sizes[@]}"; do
	add_containers "$n"
	echo; echo "== $n running containers"
	hyperfine -N -i --warmup "$W" --runs "$R" --export-json "$out/audit-docksec-$n.json" \
		"build/docksec audit -f json --host unix://$sock"
	hyperfine -i --warmup "$W" --runs "$R" --export-json "$out/audit-dockerbench-$n.json" \
		"cd $DOCKER_BENCH && bash docker-bench-security.sh -l $dir/dbs.log >/dev/null 2>&1"
	strace -f -qq -e trace=execve -o "$dir/ds.strace" build/docksec audit -f json --host "unix://$sock" > "$out/audit-docksec-$n.out" || true
	(cd "$DOCKER_BENCH" && strace -f -qq -e trace=execve -o "$dir/db.strace" bash docker-bench-security.sh -l "$dir/dbs.log" >/dev/null 2>&1) || true
	cp "$dir/dbs.log.json" "$out/audit-dockerbench-$n.log.json"
	python3 - "$out" "$n" "$dir/ds.strace" "$dir/db.strace" <<'PY'
import json, sys
out, n, dss, dbs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
ds_t = json.load(open(f"{out}/audit-docksec-{n}.json"))["results"][0]
db_t = json.load(open(f"{out}/audit-dockerbench-{n}.json"))["results"][0]
execs = lambda f: sum(1 for l in open(f) if "execve(" in l and "= -1" not in l)
print(f"{n} containers: docksec {ds_t['mean']*1000:.1f} ± {ds_t['stddev']*1000:.1f} ms, "
      f"docker-bench {db_t['mean']:.2f} ± {db_t['stddev']:.2f} s: {db_t['mean']/ds_t['mean']:.0f}x; "
      f"processes: docksec {execs(dss)}, docker-bench {execs(dbs)}")
checks = json.load(open(f"{out}/audit-docksec-{n}.out"))["checks"]
ds = {c["id"]: c["status"] for c in checks if not c["id"].startswith("host-")}  # docker-bench has no host-* checks
extra = len(checks) - len(ds)
db = {}
for t in json.load(open(f"{out}/audit-dockerbench-{n}.log.json"))["tests"]:
    for r in t["results"]:
        db[r["id"]] = r["result"]
same = sum(1 for k in ds if db.get(k) == ds[k])
print(f"verdicts: {same} of {len(ds)} CIS ids agree (docksec also decided {extra} host hardening checks)")
with open(f"{out}/audit-verdicts-{n}.tsv", "w") as f:
    f.write("id\tdocker-bench\tdocksec\n")
    for k in ds:
        f.write(f"{k}\t{db.get(k, '-')}\t{ds[k]}\n")
        if db.get(k) != ds[k]:
            print(f"  differs: {k}: docker-bench {db.get(k, '-')}, docksec {ds[k]}")
PY
done
