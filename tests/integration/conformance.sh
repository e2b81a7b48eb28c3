#!/usr/bin/env bash
# Conformance with BuildKit's own parser: for every testfiles/NAME in
# ../shared/corpus/buildkit-parser-testfiles, `docksec lint --dump-ast`
# must print exactly BuildKit's `result`; every testfiles-negative case must
# be refused with exit 2 and a file:line error. Known, deliberate
# differences would be listed in docs/conformance.md (there are none).
set -u
bin=${1:-build/san/docksec}
T=${BUILDKIT_TESTFILES:-$(dirname "$0")/../../../shared/corpus/buildkit-parser-testfiles}
if [ ! -d "$T" ]; then
	echo "SKIP conformance: $T not found"
	exit 0
fi
for d in "$T"/testfiles/*/; do
	name=$(basename "$d")
	if out=$("$bin" lint --dump-ast "$d/Dockerfile" 2>&1) && [ "$out" = "$(cat "$d/result")" ]; then
		echo "PASS conformance $name"
	else
		echo "FAIL conformance $name"
		diff <(echo "$out") "$d/result" | head -10
	fi
done
for d in "$T"/testfiles-negative/*/; do
	name=$(basename "$d")
	err=$("$bin" lint --dump-ast "$d/Dockerfile" 2>&1 >/dev/null); rc=$?
	if [ $rc -eq 2 ] && echo "$err" | grep -q "Dockerfile:[0-9]*:[0-9]*: "; then
		echo "PASS conformance-negative $name"
	else
		echo "FAIL conformance-negative $name (exit $rc: $err)"
	fi
done
# the line-number test file parses (its instruction lines, 5-5, 11-12 and
# 17-31 as BuildKit's parser_test.go has them, are checked in
# tests/unit/test_parse.c); a finding on the RUN points into it
if "$bin" lint --format json --fail-on none "$T/testfile-line/Dockerfile" > /tmp/conf-line.$$ 2>&1 &&
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert any(f['rule']=='DF-PIPEFAIL' and f['line']==18 and f['end_line']==31 for f in d['findings']), d" /tmp/conf-line.$$ 2>/dev/null; then
	echo "PASS conformance testfile-line (the RUN spans lines 17-31)"
else
	echo "FAIL conformance testfile-line"
fi
rm -f /tmp/conf-line.$$
