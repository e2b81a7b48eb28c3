#!/usr/bin/env bash
# Every real-world Dockerfile of the shared corpus parses and lints without
# an error or a sanitizer report (exit 0 or 1, never 2).
set -u
bin=${1:-build/san/docksec}
C=$(dirname "$0")/../../../shared/corpus/dockerfiles
if [ ! -d "$C" ]; then
	echo "SKIP corpus: $C not found"
	exit 0
fi
out=$("$bin" lint --format json "$C" 2>&1 >/dev/null); rc=$?
if [ $rc -le 1 ] && [ -z "$out" ]; then
	echo "PASS corpus: $(find "$C" -type f | wc -l) files lint without errors"
else
	echo "FAIL corpus (exit $rc)"; echo "$out" | head -20
fi
