#!/usr/bin/env bash
# `docksec check --fix`: on every Compose file and manifest of the shared
# corpus and on the golden inputs, --fix=write --fix-rule all must leave a
# file that re-checks with no finding of the rules the fixer handles (but
# those it says it left, and why), keeps a backup identical to the
# original, changes nothing else that was already clean, and whose
# --fix=diff applies with patch(1) to the same result. Without --fix-rule
# only the safe fixes are applied; none where the file shows it breaks.
set -u
bin=$(realpath "${1:-build/san/docksec}")
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
suite=fix
. "$(dirname "$0")/lib.sh"

fixed_rules='CT-CAP-DROP-ALL|CT-NO-NEW-PRIVILEGES|CT-ROOTFS-WRITABLE|CT-USER-UNSET|CT-USER-ROOT|CT-NO-MEMORY-LIMIT|CT-NO-CPU-LIMIT|CT-NO-PIDS-LIMIT|CT-RESTART-POLICY|CT-SECCOMP-UNSET'
mkdir -p "$tmp/c"
n=0
for f in "$root"/../shared/corpus/compose/* "$root"/../shared/corpus/k8s/* \
	"$root"/tests/golden/check-compose/compose.yml "$root"/tests/golden/check-k8s/manifests.yaml \
	"$root"/tests/golden/check-run-script/deploy.sh "$root"/tests/golden/check-text/compose.yaml; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	# keep the name (detection uses it) and the .env beside golden inputs
	d="$tmp/c/$n"; mkdir -p "$d"; cp "$f" "$d/"; chmod u+w "$d/$(basename "$f")" # shared/ is read-only: a read-only file is not rewritten
	[ -f "$(dirname "$f")/.env" ] && cp "$(dirname "$f")/.env" "$d/"
done
# one directory's file: its verdict (ok, refused, unchanged, bad) on the
# first line of DIR.result, any message after it; two files at a time
one() {
	local d=$1 f p left
	f=$(ls "$d" | grep -v '^\.env$' | head -1); p="$d/$f"
	exec >"$d.result"
	cp "$p" "$d.orig"
	"$bin" check --fix=diff --fix-rule all "$p" > "$d.diff" 2>"$d.err"
	if [ $? = 2 ]; then echo refused; return; fi
	"$bin" check --fix=write --fix-rule all "$p" 2>>"$d.err"
	if grep -q -E 'Sanitizer|runtime error' "$d.err"; then echo bad; echo "FAIL fix: $f (sanitizer)"; head "$d.err"; return; fi
	if [ ! -f "$p.docksec-bak" ]; then echo unchanged; return; fi
	if ! cmp -s "$p.docksec-bak" "$d.orig"; then echo bad; echo "FAIL fix: $f backup differs from the original"; return; fi
	"$bin" check -f json --fail-on none "$p" > "$d.after.json" 2>"$d.err2"
	if [ $? = 2 ]; then echo bad; echo "FAIL fix: $f no longer parses: $(cat "$d.err2")"; return; fi
	left=$(python3 -c "
import json,sys,re
d=json.load(open('$d.after.json'))
notes=open('$d.diff').read()
print(' '.join(sorted({x['rule']+':'+str(x['line']) for x in d['findings'] if re.fullmatch('$fixed_rules', x['rule'])
                       and not ('# docksec: left %s on %s: ' % (x['rule'], x.get('context')) in notes)})))")
	if [ -n "$left" ]; then echo bad; echo "FAIL fix: $f still has $left"; return; fi
	mkdir "$d/.patch" && cp "$d.orig" "$d/.patch/patched"
	if ! (cd "$d/.patch" && sed "s|^--- a/.*|--- a/patched|; s|^+++ b/.*|+++ b/patched|" "$d.diff" | patch -s -p1 >/dev/null 2>&1) ||
		! cmp -s "$d/.patch/patched" "$p"; then
		echo bad; echo "FAIL fix: $f --fix=diff does not patch to the written file"; return
	fi
	echo ok
}
par=$(nproc 2>/dev/null || echo 1)
[ "$par" -gt 2 ] && par=2
for d in "$tmp"/c/*/; do
	while [ "$(jobs -rp | wc -l)" -ge "$par" ]; do wait -n; done
	one "${d%/}" &
done
wait
ok=0 bad=0 refused=0 unchanged=0
for d in "$tmp"/c/*/; do
	r="${d%/}.result"
	case $(head -1 "$r" 2>/dev/null) in
	ok) ok=$((ok + 1)) ;;
	refused) refused=$((refused + 1)) ;;
	unchanged) unchanged=$((unchanged + 1)) ;;
	*) bad=$((bad + 1)); tail -n +2 "$r" 2>/dev/null || echo "FAIL fix: $d gave no verdict" ;;
	esac
done
# the shared corpus gives 150+ files; a clone without ../shared has the golden inputs only
want=150
if [ ! -d "$root/../shared/corpus/compose" ]; then
	echo "SKIP fix: the corpus part (../shared/corpus is absent; golden inputs only)"
	want=2
fi
if [ $bad = 0 ] && [ $ok -gt $want ]; then
	echo "PASS fix: $ok files fixed and re-checked clean of the fixed rules, diff = write ($refused refused as invalid, $unchanged needed nothing)"
else
	echo "FAIL fix: $bad of $((ok + bad)) fixed files are wrong ($refused refused, $unchanged unchanged)"
fi

# comments and untouched lines keep their bytes
cat > "$tmp/keep.yml" <<'Y'
# top comment
services:
  app:   # trailing comment
    image: "app:1.0"   # pinned elsewhere
    restart: always
    cap_drop:
      - NET_RAW   # only this one
    environment:
      A: "1"
Y
t '--fix=write on a commented file' 0 "$bin" check --fix=write --fix-rule all "$tmp/keep.yml"
has 'comments survive' "$tmp/keep.yml" '^  app:   # trailing comment$'
has 'quoting and trailing comments of untouched lines survive' "$tmp/keep.yml" '^    image: "app:1.0"   # pinned elsewhere$'
has 'a block list value is replaced in place' "$tmp/keep.yml" '^    cap_drop: \[ALL\]   # only this one$'
has 'restart is bounded' "$tmp/keep.yml" '^    restart: on-failure:5$'
t 'the fixed file re-checks without the fixed rules' 1 "$bin" check -f json "$tmp/keep.yml"
json_ok 'only unfixable findings remain' '
import json,sys; d=json.load(sys.stdin); r={x["rule"] for x in d["findings"]}
assert r <= {"CT-IMAGE-DIGEST","CT-NO-HEALTHCHECK"}, r'
t 'a second --fix=write keeps the first backup' 0 "$bin" check --fix=write --fix-rule all "$tmp/keep.yml"
t '--fix=diff on a clean file prints nothing and exits 0' 0 "$bin" check --fix=diff --fix-rule all "$tmp/keep.yml"
# a lone \r is a line break to YAML but not to the fixer's line table: the
# file is left as it is, with the reason (the fuzzer found edits landing in
# the wrong place)
printf 'services:\n  web:\n    image: nginx:1.25\n    environment: {A:\r1}\n' > "$tmp/cr.yml"
cp "$tmp/cr.yml" "$tmp/cr.orig"
t '--fix=write on a file with a lone CR' 2 "$bin" check --fix=write "$tmp/cr.yml"
has '... says why' "$tmp/err" 'line break other than'
if cmp -s "$tmp/cr.yml" "$tmp/cr.orig"; then echo "PASS fix: ... and leaves the file unchanged"; else echo "FAIL fix: a file with a lone CR was rewritten"; fi
t '--fix with a bad mode is a usage error' 2 "$bin" check --fix=maybe "$tmp/keep.yml"
t '--fix on --cmd prints the hardened command' 1 "$bin" check --fix=diff --fix-rule all --cmd 'docker run -d -p 8080:80 --restart always nginx:1.27'
has 'the hardened command has the flags before the image' "$tmp/out" '^docker run -d -p 8080:80 --restart always --cap-drop ALL --security-opt no-new-privileges --read-only --tmpfs /tmp --user 10001:10001 --memory 512m --cpus 1 --pids-limit 200 --restart on-failure:5 nginx:1.27$'

# safety classes: by default only the safe fixes; named ones on top; none
# where the file shows it breaks the service (the diff says what was left)
cat > "$tmp/svc.yml" <<'Y'
services:
  es:
    image: elasticsearch:8.15.0
    environment:
      ES_JAVA_OPTS: "-Xms1g -Xmx1g"
  db:
    image: mysql:8.4
    restart: always
    volumes:
      - db:/var/lib/mysql
  agent:
    image: agent:1
    privileged: true
  web:
    image: nginx:1.27
    cap_add: [NET_ADMIN]
volumes:
  db:
Y
t '--fix=diff without --fix-rule' 1 "$bin" check --fix=diff "$tmp/svc.yml"
python3 - "$tmp/out" <<'P' && echo "PASS fix: ... applies no-new-privileges only and names the fixes left for --fix-rule" || echo "FAIL fix: the default fix is not the safe set"
import sys
d = open(sys.argv[1]).read()
added = [l[1:].strip() for l in d.splitlines() if l.startswith('+') and not l.startswith('+++')]
assert added and all(a.startswith('security_opt') for a in added), added
assert '# docksec: not applied unless named with --fix-rule' in d and 'CT-ROOTFS-WRITABLE' in d, d
P
t '--fix=diff --fix-rule all' 1 "$bin" check --fix=diff --fix-rule all "$tmp/svc.yml"
for w in 'left CT-NO-MEMORY-LIMIT on es: the JVM heap is set \(-Xmx1g\)' 'left CT-ROOTFS-WRITABLE on db: it writes data \(/var/lib/mysql\)' \
	'left CT-USER-UNSET on agent: privileged' 'left CT-USER-UNSET on web: it adds capabilities'; do
	has "... says: $w" "$tmp/out" "^# docksec: $w"
done
cp "$tmp/svc.yml" "$tmp/svc-all.yml"
"$bin" check --fix=write --fix-rule all "$tmp/svc-all.yml" 2>/dev/null
t '... and the written file, re-checked' 1 "$bin" check -f json "$tmp/svc-all.yml"
json_ok '... still has exactly what would break each service' 'import json,sys
d=json.load(sys.stdin); left={}
for x in d["findings"]: left.setdefault(x["context"], set()).add(x["rule"])
fixes={"CT-CAP-DROP-ALL","CT-ROOTFS-WRITABLE","CT-USER-UNSET","CT-NO-MEMORY-LIMIT","CT-NO-CPU-LIMIT","CT-NO-PIDS-LIMIT","CT-RESTART-POLICY","CT-NO-NEW-PRIVILEGES"}
assert left["es"] & fixes == {"CT-NO-MEMORY-LIMIT"}, left["es"]
assert left["db"] & fixes == {"CT-CAP-DROP-ALL","CT-ROOTFS-WRITABLE","CT-USER-UNSET"}, left["db"]
assert left["agent"] & fixes == {"CT-ROOTFS-WRITABLE","CT-USER-UNSET"}, left["agent"]
assert left["web"] & fixes == {"CT-USER-UNSET"}, left["web"]'
# several YAML documents: each later one merges over the earlier ones, so a
# service is fixed in the last document naming it, where no later one undoes it
printf 'services:\n  web:\n    image: nginx:1.27\n    read_only: true\n  db:\n    image: postgres:16\n---\nservices:\n  web:\n    read_only: false\n    user: root\n    restart: always\n' > "$tmp/docs.yml"
"$bin" check --fix=write --fix-rule all "$tmp/docs.yml" 2>/dev/null
t 'a multi-document Compose file fixed, re-checked' 1 "$bin" check -f json "$tmp/docs.yml"
json_ok '... has none of the fixed findings left' 'import json,sys
d=json.load(sys.stdin); fixes={"CT-CAP-DROP-ALL","CT-ROOTFS-WRITABLE","CT-USER-UNSET","CT-USER-ROOT","CT-NO-MEMORY-LIMIT","CT-NO-CPU-LIMIT","CT-NO-PIDS-LIMIT","CT-RESTART-POLICY","CT-NO-NEW-PRIVILEGES"}
left=[(x["context"], x["rule"]) for x in d["findings"] if x["rule"] in fixes]
assert not left, left'
has '... web fixed in the second document' "$tmp/docs.yml" '^    user: "10001:10001"$'
t '--fix-rule names one fix' 1 "$bin" check --fix=diff --fix-rule CT-RESTART-POLICY "$tmp/svc.yml"
has '... and applies it' "$tmp/out" '^\+    restart: on-failure:5$'
t '--fix-rule with a rule --fix does not handle' 2 "$bin" check --fix=diff --fix-rule CT-PRIVILEGED "$tmp/svc.yml"
t '--fix-rule without --fix' 2 "$bin" check --fix-rule all "$tmp/svc.yml"
t '--fix=write tells what it left on stderr' 0 "$bin" check --fix=write "$tmp/svc.yml"
has '... naming the file' "$tmp/err" 'svc.yml: not applied unless named with --fix-rule'

# --fix=write is careful with the user's file
printf 'services:\n  app:\n    image: "app:1.0"\n' > "$tmp/target.yml"
ln -s target.yml "$tmp/link.yml"
t '--fix=write through a symbolic link' 0 "$bin" check --fix=write "$tmp/link.yml"
if [ -L "$tmp/link.yml" ] && grep -q 'no-new-privileges' "$tmp/target.yml"; then echo "PASS fix: the link stays a link and its target is fixed"; else echo "FAIL fix: the link was replaced"; ls -l "$tmp"; fi
printf 'services:\r\n  app:\r\n    image: "app:1.0"\r\n' > "$tmp/crlf.yml"
t '--fix=write on a CRLF file' 0 "$bin" check --fix=write --fix-rule all "$tmp/crlf.yml"
if python3 -c "import sys; d=open(sys.argv[1],'rb').read(); assert d.count(b'\n')==d.count(b'\r\n') and d.count(b'\n')>5" "$tmp/crlf.yml"; then
	echo "PASS fix: every line of a fixed CRLF file ends in CRLF"; else echo "FAIL fix: LF lines in a CRLF file"; od -c "$tmp/crlf.yml" | head; fi
printf 'services:\n  app:\n    image: "app:1.0"\n' > "$tmp/ro.yml"; chmod 0444 "$tmp/ro.yml"
t 'a read-only file is not rewritten' 2 "$bin" check --fix=write "$tmp/ro.yml"
has 'and the error says so' "$tmp/err" 'read-only \(mode 0444\)'
printf 'services:\n  app:\n    image: "app:1.0"\n' > "$tmp/left.yml"; : > "$tmp/left.yml.docksec-tmp"
t 'a leftover .docksec-tmp does not block a fix' 0 "$bin" check --fix=write "$tmp/left.yml"
if [ "$(id -u)" = 0 ]; then
	printf 'services:\n  app:\n    image: "app:1.0"\n' > "$tmp/own.yml"; chown 65534:65534 "$tmp/own.yml"; chmod 04755 "$tmp/own.yml"
	t '--fix=write on a file of another user, run as root' 0 "$bin" check --fix=write "$tmp/own.yml"
	if [ "$(stat -c '%u:%g %a' "$tmp/own.yml")" = "65534:65534 4755" ]; then echo "PASS fix: owner, group and mode are kept (never a root-owned setuid file)"
	else echo "FAIL fix: $(stat -c '%u:%g %a' "$tmp/own.yml") instead of 65534:65534 4755"; fi
else
	echo "SKIP fix: owner kept (needs root)"
fi

# the notes before the diff show a service name's control characters escaped
printf 'services:\n  "a\\e[2J":\n    image: a:1\n    privileged: true\n' > "$tmp/ctl.yml"
t '--fix=diff on a service whose name holds ESC' 1 "$bin" check --fix=diff --fix-rule all "$tmp/ctl.yml"
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/out"; then echo "FAIL fix: a raw ESC in the # docksec: notes"; else has '... the notes show it escaped' "$tmp/out" '^# docksec: left CT-USER-UNSET on a\\x1b\[2J'; fi
