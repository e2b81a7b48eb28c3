#!/usr/bin/env bash
# `docksec audit` against a hostile Engine API (tests/integration/hostile/
# engine.py, on a loopback port, stopped on every exit path): answers too
# large, too deep, with case-folded duplicate keys, failing requests and
# an image export that never ends. Each must end in a clear error or an
# ERROR result with the reason, within bounded time, never a crash or PASS.
set -u
bin=$(realpath "${1:-build/san/docksec}")
tmp=$(mktemp -d)
suite=hostile
. "$(dirname "$0")/lib.sh"
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
if ! command -v python3 >/dev/null; then
	echo "SKIP hostile: needs python3"
	exit 0
fi

serve() { # serve MODE: start the hostile server, set $host
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -f "$tmp/port"
	python3 "$(dirname "$0")/hostile/engine.py" "$tmp/port" "$1" & pid=$!
	for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
	host="tcp://127.0.0.1:$(cat "$tmp/port")"
}

serve many-containers
t '100,001 containers' 2 timeout 60 "$bin" audit --host "$host" -c 5.5
has 'is refused with the limit, not a crash' "$tmp/err" 'docksec audits at most 100000'

serve many-keys
t 'a /version of 100,000 keys with a case-folded duplicate' 2 timeout 30 "$bin" audit --host "$host" -c 2.2
has 'is refused, naming the key' "$tmp/err" "key 'dUP' appears twice when case is ignored|key 'Dup' appears twice when case is ignored"

serve deep
t 'an /info nested 100 levels deep' 2 timeout 30 "$bin" audit --host "$host" -c 2.2
has 'is refused with the limit' "$tmp/err" 'nested deeper than 64 levels'

serve slow
t 'a daemon slower than --deadline' 2 timeout 30 "$bin" audit --host "$host" --deadline 1 -c 2.2
has 'is cut at the deadline, with the reason' "$tmp/err" 'longer than its deadline'

# a daemon that takes seconds: progress on a terminal's stderr, not in a pipe
serve sluggish
t 'a slow audit in a pipe prints no progress' 0 timeout 60 "$bin" audit --host "$host" -c 5.5
if grep -q 'objects from the daemon' "$tmp/err"; then echo "FAIL hostile: progress in a pipe"; else echo "PASS hostile: no progress in a pipe"; fi
if command -v script >/dev/null; then
	env -u CI script -qec "timeout 60 '$bin' audit --host '$host' -c 5.5 >/dev/null" "$tmp/typescript" >/dev/null 2>&1
	has 'a slow audit on a terminal says how far it is' "$tmp/typescript" 'docksec: read [0-9]+ of 43 objects from the daemon'
	if grep -q "$(printf '\033\[K')" "$tmp/typescript"; then echo "PASS hostile: the progress line is cleared before the report"
	else echo "FAIL hostile: the progress line is not cleared"; fi
else
	echo "SKIP hostile: progress on a terminal (no script(1))"
fi

serve broken-top
t 'failing /top and exec requests (exit 1: ERROR is not clean)' 1 timeout 60 "$bin" audit --host "$host" -f json -c 5.7 -c 5.23 -c 4.8 --timeout 300
checks_ok 'are ERROR with the reason, and a stalled export is cut' '
st("5.7", "ERROR", "processes not read", "hostile 500")
st("5.23", "ERROR", "exec session not read")
st("4.8", "ERROR", "layers not listed", "time limit")'
t 'the same as text' 1 timeout 60 "$bin" audit --host "$host" -c 5.7 --timeout 300
if grep -q "$(printf '\033')" "$tmp/out"; then echo "FAIL hostile: a terminal escape from the daemon reached the text report raw"
else has 'shows the daemon'"'"'s control characters escaped' "$tmp/out" 'hostile 500 \\x1b\[2J'; fi

# control characters from the daemon (ESC, OSC, BEL, C1 CSI, a newline that
# would forge a report line) never reach stdout or stderr raw, in any format
serve escapes
for fmt in text json sarif junit docker-bench html; do
	t "a daemon answering control characters, -f $fmt" 1 timeout 60 "$bin" audit --host "$host" -f "$fmt" -c 5.5 -c 5.6 -c 5.7
	if LC_ALL=C grep -q -P '\x1b|\x07|\xc2[\x80-\x9f]' "$tmp/out" "$tmp/err"; then
		echo "FAIL hostile: -f $fmt let a raw control character through"
	elif grep -q '^\[PASS\] 5.4 forged' "$tmp/out"; then
		echo "FAIL hostile: -f $fmt printed a line forged by a container name"
	else
		echo "PASS hostile: -f $fmt shows them escaped"
	fi
done

t 'the same, text' 1 timeout 60 "$bin" audit --host "$host" -c 5.5
has '... the container name with its controls visible' "$tmp/out" 'x\\x1b\[2J\\u009b31m\\x0a\[PASS\] 5.4 forged'
