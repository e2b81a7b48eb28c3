# Helpers for the integration scripts: each prints PASS/FAIL lines that
# tests/run.sh counts. The caller sets $bin, $tmp and $suite (the prefix of
# every line, e.g. "cli").
t() { # t 'what it proves' expected_exit command...
	local what=$1 want=$2; shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
	if grep -q -E 'AddressSanitizer|runtime error|LeakSanitizer' "$tmp/err"; then
		echo "FAIL $suite: $what (sanitizer)"; head -20 "$tmp/err"
	elif [ "$rc" = "$want" ]; then
		echo "PASS $suite: $what"
	else
		echo "FAIL $suite: $what (exit $rc, want $want)"; head -5 "$tmp/err" "$tmp/out"
	fi
}
has() { # has 'what' file pattern
	if grep -q -E -- "$3" "$2"; then echo "PASS $suite: $1"; else echo "FAIL $suite: $1 ('$3' not in $2)"; head -5 "$2"; fi
}
json_ok() { # json_ok 'what' 'python reading $tmp/out on stdin'
	if ! command -v python3 >/dev/null; then echo "SKIP $suite: $1 (no python3)"; return; fi
	if python3 -c "$2" < "$tmp/out" 2>"$tmp/pyerr"; then echo "PASS $suite: $1"; else echo "FAIL $suite: $1"; cat "$tmp/pyerr"; fi
}
checks_ok() { # checks_ok 'what' 'python': an audit JSON report as c (id -> check) and st(id, status, *evidence words)
	json_ok "$1" 'import json,sys
d=json.load(sys.stdin); c={x["id"]:x for x in d["checks"]}
def st(i, s, *words):
    assert c[i]["status"]==s, (i, c[i])
    for w in words: assert w in c[i]["evidence"], (i, w, c[i]["evidence"])
'"$2"
}
# filesimg OUT.tar NAME=FILE...: a one-layer legacy image holding each FILE at NAME
filesimg() {
	python3 - "$@" <<'PY'
import hashlib, io, json, sys, tarfile
out, specs = sys.argv[1], [a.split("=", 1) for a in sys.argv[2:]]
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w") as t:
    for name, src in specs:
        d = open(src, "rb").read()
        i = tarfile.TarInfo(name); i.size = len(d); i.mode = 0o755; t.addfile(i, io.BytesIO(d))
l = b.getvalue()
cfg = json.dumps({"os": "linux", "architecture": "amd64", "config": {"User": "app"}, "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(l).hexdigest()]}}).encode()
man = json.dumps([{"Config": "c.json", "RepoTags": ["files:1"], "Layers": ["l/layer.tar"]}]).encode()
with tarfile.open(out, "w") as t:
    for n, d in (("l/layer.tar", l), ("c.json", cfg), ("manifest.json", man)):
        i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(d))
PY
}
# sbom_ok 'what' cyclonedx|spdx FILE 'python on d (the SBOM) and inv (deb.json images[0])': valid
# against the vendored schema (tests/data), then the check; needs $root
sbom_ok() {
	if ! python3 -c 'import jsonschema' 2>/dev/null; then echo "SKIP $suite: $1 (no python3-jsonschema)"; return; fi
	if python3 - "$root/tests/data" "$2" "$3" "$4" <<'PY' 2>"$tmp/pyerr"; then echo "PASS $suite: $1"; else echo "FAIL $suite: $1"; tail -5 "$tmp/pyerr"; fi
import json, sys, warnings, jsonschema
warnings.simplefilter("ignore")
base, kind, path, check = sys.argv[1:5]
d = json.load(open(path))
if kind == "cyclonedx":
    store = {}
    for f in ("bom-1.5.schema.json", "spdx.schema.json", "jsf-0.82.schema.json"):
        sch = json.load(open(base + "/cyclonedx/" + f)); store[sch["$id"]] = sch
    bom = store["http://cyclonedx.org/schema/bom-1.5.schema.json"]
    jsonschema.Draft7Validator(bom, resolver=jsonschema.RefResolver.from_schema(bom, store=store)).validate(d)
else:
    jsonschema.Draft7Validator(json.load(open(base + "/spdx-2.3-schema.json"))).validate(d)
inv = json.load(open("deb.json"))["images"][0]
exec(check)
PY
}
