#!/usr/bin/env bash
# Peak memory and wall time of `docksec audit` against the hostile Engine
# API of the tests (tests/integration/hostile/engine.py, loopback only):
# twenty 50 MB inspects (the issue measured 1.6 GB before the
# budget for all answers, 256 MiB), and an image export that never ends.
#
#   bench/audit-limits.sh
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build/docksec
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for mode in fat broken-top; do
	rm -f "$tmp/port"
	python3 tests/integration/hostile/engine.py "$tmp/port" "$mode" & pid=$!
	for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
	echo "== $mode"
	/usr/bin/time -f "peak RSS %M KB, %e s wall" build/docksec audit --host "tcp://127.0.0.1:$(cat "$tmp/port")" \
		-f json -c 5 -c 4.8 --timeout 10000 > /dev/null 2> "$tmp/err" || true
	grep -v '^$' "$tmp/err" | tail -2
	kill $pid; wait $pid 2>/dev/null || true; pid=
done
