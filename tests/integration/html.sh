#!/usr/bin/env bash
# -f html: one self-contained page per command, rendered in headless
# Chromium (Debian's): the script runs to its end with no console error,
# the counts on the page are the report's, nothing is fetched, and text
# from the inputs (a <script> in a service name, an ESC) is never markup.
set -u
bin=$(realpath "${1:-build/san/docksec}")
root_dir=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
suite=html
. "$(dirname "$0")/lib.sh"

printf 'services:\n  "<script>alert(1)</script>":\n    image: "x:1\\e[2J"\n    privileged: true\n' > "$tmp/evil.yml"
t 'check -f html' 1 "$bin" check -f html -o "$tmp/check.html" "$tmp/evil.yml" "$root_dir/examples/compose.insecure.yml"
t 'lint -f html' 1 "$bin" lint -f html -o "$tmp/lint.html" "$root_dir/examples/Dockerfile.insecure"
t 'audit -f html (offline)' 1 "$bin" audit --root / -f html -c 1 -c 3 -c host
cp "$tmp/out" "$tmp/audit.html"
for f in check lint audit; do
	# markup that would load something (not text that mentions src=)
	if grep -q -i -E '<[a-z]+ [^>]*(src|href)=|@import|url\(' "$tmp/$f.html"; then echo "FAIL html: $f.html loads something"; else echo "PASS html: $f.html is self-contained"; fi
	if LC_ALL=C grep -q "$(printf '\033')" "$tmp/$f.html"; then echo "FAIL html: a raw ESC in $f.html"; else echo "PASS html: no raw control character in $f.html"; fi
done
if grep -q '<script>alert' "$tmp/check.html"; then echo "FAIL html: a service name became markup"; else has 'the service name is escaped text' "$tmp/check.html" '&lt;script&gt;alert\(1\)&lt;/script&gt;'; fi
if ! command -v chromium >/dev/null; then
	echo "SKIP html: rendering in headless Chromium (chromium is not installed: scripts/deps.sh check installs it)"
	exit 0
fi
"$bin" check -f json "$tmp/evil.yml" "$root_dir/examples/compose.insecure.yml" > "$tmp/check.json"
crit=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary']['by_severity']['critical'])" "$tmp/check.json")
for f in check lint audit; do
	timeout 60 chromium --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 --dump-dom \
		"file://$tmp/$f.html" > "$tmp/$f.dom" 2> "$tmp/$f.log"
	has "$f.html: the page's script ran to its end" "$tmp/$f.dom" 'data-ready="1"'
	if grep -q -E 'CONSOLE.*(Uncaught|Error)|Refused to' "$tmp/$f.log"; then echo "FAIL html: $f.html logged a console error"; grep CONSOLE "$tmp/$f.log" | head -3
	else echo "PASS html: $f.html: no console error"; fi
	timeout 60 chromium --headless --no-sandbox --disable-gpu --window-size=1280,1000 --screenshot="$tmp/$f.png" \
		"file://$tmp/$f.html" >/dev/null 2>&1
	[ -s "$tmp/$f.png" ] && echo "PASS html: $f.html renders to a screenshot" || echo "FAIL html: no screenshot of $f.html"
done
has 'the page shows the critical count of the report' "$tmp/check.dom" "id=\"count-critical\">$crit<"
has 'the audit page shows its WARN count' "$tmp/audit.dom" 'id="count-WARN">[0-9]+<'
