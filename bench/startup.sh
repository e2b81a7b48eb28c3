#!/usr/bin/env bash
# Start-up cost: `docksec --version` and `docksec lint` of one Dockerfile
# against the exec of a libc-only C program built here (the floor for any
# C tool on this machine), and the 515-file corpus's wall time and peak
# memory. The issue's target: both commands within 2x of the floor.
#
#   bench/startup.sh [CORPUS_DIR]
#
# The same hyperfine settings (-N, 20 warm-ups, 300 runs) for every row.
set -euo pipefail
cd "$(dirname "$0")/.."
C=$(realpath "${1:-../shared/corpus/dockerfiles}")
out=build/bench
mkdir -p "$out"
make -s build/docksec
command -v hyperfine >/dev/null || { echo "bench/startup.sh needs hyperfine (apt-get install hyperfine)"; exit 2; }
printf 'int main(void) { return 0; }\n' > "$out/floor.c"
${CC:-cc} -O2 -o "$out/floor" "$out/floor.c"
printf 'FROM alpine:3.20\nRUN apk add --no-cache curl\nUSER 1000\nCMD ["sh"]\n' > "$out/one.Dockerfile"
echo "docksec: $(build/docksec --version), $(ldd build/docksec | wc -l) shared objects at start-up"
echo "hyperfine: $(hyperfine --version)"
hyperfine -N --warmup 20 --runs 300 --export-json "$out/startup.json" \
	-n 'libc-only C program' "$out/floor" \
	-n 'docksec --version' 'build/docksec --version' \
	-n 'docksec lint (one file)' "build/docksec lint --fail-on none $out/one.Dockerfile"
python3 - "$out/startup.json" <<'P'
import json,sys
r={x["command"]:x for x in json.load(open(sys.argv[1]))["results"]}
floor=r["libc-only C program"]["mean"]
for k,v in r.items():
    print(f"{k:28s} {v['mean']*1000:7.2f} ms  {v['mean']/floor:5.2f}x the floor")
P
if [ -d "$C" ]; then
	echo; echo "== the corpus ($(find "$C" -type f | wc -l) files)"
	hyperfine -N --warmup 3 --runs 30 "build/docksec lint -f json --fail-on none $C"
	/usr/bin/time -f "peak RSS %M KB, %e s wall" build/docksec lint -f json --fail-on none "$C" > /dev/null
else
	echo "SKIP corpus: $C not found"
fi
