#!/usr/bin/env bash
# Golden tests: each directory under tests/golden/ is a case with its input
# files, `args` (the docksec arguments, one per line; default: lint
# --format json Dockerfile), `expected` (stdout) and `exit` (the exit code).
# UPDATE_GOLDEN=1 rewrites expected and exit so the diff can be reviewed.
set -u
bin=$(realpath "${1:-build/san/docksec}")
root=$(cd "$(dirname "$0")" && pwd)
for dir in "$root"/*/; do
	name=$(basename "$dir")
	args=()
	if [ -f "$dir/args" ]; then
		mapfile -t args < "$dir/args"
	else
		args=(lint --format json Dockerfile)
	fi
	out=$(cd "$dir" && if [ -f stdin ]; then env -i PATH="$PATH" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" NO_COLOR=1 "$bin" "${args[@]}" 2>/tmp/golden.err.$$ < stdin; else env -i PATH="$PATH" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" NO_COLOR=1 "$bin" "${args[@]}" 2>/tmp/golden.err.$$ < /dev/null; fi; echo "exit=$?")
	code=${out##*exit=}
	out=${out%exit=*}
	if grep -q -E 'AddressSanitizer|UndefinedBehaviorSanitizer|runtime error' /tmp/golden.err.$$; then
		echo "FAIL golden $name: sanitizer report"; head -20 /tmp/golden.err.$$
		rm -f /tmp/golden.err.$$; continue
	fi
	rm -f /tmp/golden.err.$$
	if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
		printf '%s' "$out" > "$dir/expected"
		echo "$code" > "$dir/exit"
		echo "PASS golden $name (updated)"
		continue
	fi
	if [ ! -f "$dir/expected" ]; then
		echo "FAIL golden $name: no expected file (run make golden-update)"
		continue
	fi
	if ! cmp -s <(printf '%s' "$out") "$dir/expected" || [ "$code" != "$(cat "$dir/exit" 2>/dev/null)" ]; then
		echo "FAIL golden $name (exit $code, expected $(cat "$dir/exit" 2>/dev/null))"
		diff <(printf '%s' "$out") "$dir/expected" | head -20
	else
		echo "PASS golden $name"
	fi
done
