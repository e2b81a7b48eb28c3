#!/usr/bin/env bash
# The test driver behind `make check`: unit tests (cmocka), golden cases,
# BuildKit parser conformance, command-line behaviour, allocation torture
# and a bounded fuzz run. Every suite prints PASS/FAIL lines; the last line
# is the summary "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# the image layer cache of every suite goes here, never to the user's ~/.cache
XDG_CACHE_HOME=$(mktemp -d /tmp/docksec-test-cache.XXXXXX)
export XDG_CACHE_HOME
# the suites' python3 is Debian's, for which the deps script installs the
# modules they use, not a version manager's shim found first on PATH
# (pyenv's adds 350 ms to each of the suites' hundreds of calls)
pybin=$(mktemp -d /tmp/docksec-test-bin.XXXXXX)
[ -x /usr/bin/python3 ] && ln -s /usr/bin/python3 "$pybin/python3"
PATH=$pybin:$PATH
trap 'rm -rf "$XDG_CACHE_HOME" "$pybin"' EXIT
log=build/test.log
: > "$log"
pass=0 fail=0 skip=0

suite() { # run one suite, count its lines, note its wall time in the log
	local t0=$SECONDS
	count < <("$@")
	echo "TIME $(basename "$1") $((SECONDS - t0)) s" >> "$log"
}

count() { # read PASS/FAIL/SKIP lines from a suite
	while IFS= read -r line; do
		echo "$line" >> "$log"
		case "$line" in
		PASS*) pass=$((pass + 1)) ;;
		FAIL*) fail=$((fail + 1)); echo "$line" ;;
		SKIP*) skip=$((skip + 1)); echo "$line" ;;
		esac
	done
}

for t in build/san/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t") t0=$SECONDS
	out=$("$t" 2>&1); rc=$?
	echo "$out" >> "$log"
	echo "TIME $name $((SECONDS - t0)) s" >> "$log"
	np=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	nf=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	ns=$(echo "$out" | sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' | tail -1)
	pass=$((pass + ${np:-0})); fail=$((fail + ${nf:-0})); skip=$((skip + ${ns:-0}))
	# a cmocka test skips when what it is held to is absent (../shared's vectors,
	# the CPU's SHA instructions for sha256.c): name them
	[ -n "$ns" ] && echo "SKIP unit $name: $ns test(s) without what they compare with (../shared, or the CPU's SHA instructions):" \
		"$(echo "$out" | sed -n 's/^\[  SKIPPED \] \(test_[a-z0-9_]*\).*/\1/p' | sort -u | tr '\n' ' ')"
	if [ $rc -ne 0 ]; then
		echo "FAIL unit $name (exit $rc)"; echo "$out" | grep -E 'FAILED|ERROR|error' | head -20
		[ -z "$nf" ] && fail=$((fail + 1))
	fi
done

suite tests/golden/run.sh build/san/docksec
suite tests/integration/conformance.sh build/san/docksec
suite tests/integration/cli.sh build/san/docksec
suite tests/integration/check.sh build/san/docksec
suite tests/integration/fix.sh build/san/docksec
suite tests/integration/html.sh build/san/docksec
suite tests/integration/audit.sh build/san/docksec
suite tests/integration/audit-root.sh build/san/docksec
suite tests/integration/hostile.sh build/san/docksec
suite tests/integration/scan.sh build/san/docksec
suite tests/integration/vulns.sh build/san/docksec
suite tests/integration/podman.sh build/san/docksec
suite tests/integration/corpus.sh build/san/docksec
suite tests/integration/peers.sh build/docksec
suite tests/integration/fuzz.sh

echo "full log: $log"
if [ $skip -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ $fail -eq 0 ]
