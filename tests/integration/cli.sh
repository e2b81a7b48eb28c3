#!/usr/bin/env bash
# Command-line behaviour: help for every subcommand, exit codes, output
# formats that parse, many targets with one bad file, stdin, config
# discovery, inline and command-line ignores, bad input of every kind.
set -u
bin=$(realpath "${1:-build/san/docksec}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ex=$(realpath "$(dirname "$0")/../../examples")

suite=cli
. "$(dirname "$0")/lib.sh"

t 'docksec --help exits 0' 0 "$bin" --help
has 'docksec --help lists lint' "$tmp/out" '^  lint '
t 'docksec --version exits 0' 0 "$bin" --version
has 'docksec --version prints the version (and the commit in a clone)' "$tmp/out" '^docksec [0-9]+\.[0-9]+\.[0-9]+( \(commit [0-9a-f]{12}\))?$'
has '... and the libraries with their versions' "$tmp/out" '^libraries: jansson [0-9.]+, libyaml [0-9.]+, zlib [0-9.]+$'
for c in lint check audit scan rules; do
	t "docksec $c --help exits 0" 0 "$bin" $c --help
	has "docksec $c --help shows usage" "$tmp/out" "^usage: docksec $c"
	t "docksec $c -h exits 0" 0 "$bin" $c -h
	t "docksec help $c exits 0" 0 "$bin" help $c
	has "docksec help $c shows usage" "$tmp/out" "^usage: docksec $c"
done
t 'no command is a usage error' 2 "$bin"
t 'an unknown command is a usage error' 2 "$bin" frobnicate
t 'an unknown option is a usage error' 2 "$bin" lint --frobnicate
has 'an unknown option is named' "$tmp/err" "unknown option '--frobnicate'"
t 'an unknown format is a usage error' 2 "$bin" lint -f yaml "$ex/Dockerfile.hardened"
t 'an unknown level is a usage error' 2 "$bin" lint --fail-on severe "$ex/Dockerfile.hardened"

t 'the hardened example is clean (exit 0)' 0 "$bin" lint "$ex/Dockerfile.hardened"
t 'the insecure example has findings (exit 1)' 1 "$bin" lint "$ex/Dockerfile.insecure"
t '--fail-on none reports but exits 0' 0 "$bin" lint --fail-on none "$ex/Dockerfile.insecure"
t '--fail-on critical still fails on a leaked key' 1 "$bin" lint --fail-on critical "$ex/Dockerfile.insecure"
printf 'FROM alpine:3.20@sha256:%064d\nRUN apk add --no-cache curl=8.5.0-r0\nHEALTHCHECK CMD true\nUSER 1000\nCMD ["x"]\n' 0 > "$tmp/low.Dockerfile"
printf 'FROM alpine:3.20@sha256:%064d\nRUN apk add --no-cache curl\nHEALTHCHECK CMD true\nUSER 1000\nCMD ["x"]\n' 0 > "$tmp/pin.Dockerfile"
t 'a clean file exits 0' 0 "$bin" lint "$tmp/low.Dockerfile"
t 'a low finding fails the default gate' 1 "$bin" lint "$tmp/pin.Dockerfile"
t '--severity-threshold medium passes a low finding' 0 "$bin" lint --severity-threshold medium "$tmp/pin.Dockerfile"
t '--ignore by id removes the finding' 0 "$bin" lint --ignore DF-APK-PIN "$tmp/pin.Dockerfile"
t '--ignore by hadolint ref removes the finding' 0 "$bin" lint -i hadolint:DL3018 "$tmp/pin.Dockerfile"

t 'json output is valid' 1 "$bin" lint -f json "$ex/Dockerfile.insecure"
json_ok 'json has tool, version, findings with refs and a summary' '
import json,sys; d=json.load(sys.stdin)
assert d["tool"]=="docksec" and d["version"] and d["schema"]==1
f=d["findings"]; assert f and all(k in f[0] for k in ("rule","severity","title","message","file","line","column","end_line","remediation","refs"))
assert d["summary"]["findings"]==len(f)'
t 'sarif output is produced' 1 "$bin" lint -f sarif "$ex/Dockerfile.insecure"
json_ok 'sarif is 2.1.0 with rules, help and regions' '
import json,sys; d=json.load(sys.stdin); assert d["version"]=="2.1.0"
run=d["runs"][0]; rules={r["id"] for r in run["tool"]["driver"]["rules"]}
assert all(r["help"]["text"] for r in run["tool"]["driver"]["rules"])
assert run["results"] and all(x["ruleId"] in rules for x in run["results"])
assert all(x["locations"][0]["physicalLocation"]["region"]["startLine"]>=1 for x in run["results"])'
t 'junit output is produced' 1 "$bin" lint -f junit "$ex/Dockerfile.insecure"
if command -v python3 >/dev/null; then
	if python3 -c 'import sys,xml.dom.minidom as m; m.parse(sys.stdin)' < "$tmp/out"; then echo "PASS cli: junit is well-formed XML"; else echo "FAIL cli: junit is well-formed XML"; fi
fi
has 'junit has a testcase per rule' "$tmp/out" '<testcase classname="[^"]*" name="DF-USER-ROOT"><failure'

t 'text output shows the offending source line' 1 "$bin" lint --no-color "$ex/Dockerfile.insecure"
has 'text output shows the source line' "$tmp/out" '\| USER root'
has 'text output shows the fix' "$tmp/out" 'fix: '
t 'NO_COLOR keeps escapes out even with a forced tty check' 1 env NO_COLOR=1 "$bin" lint "$ex/Dockerfile.insecure"
if grep -q $'\033' "$tmp/out"; then echo "FAIL cli: NO_COLOR output has escapes"; else echo "PASS cli: NO_COLOR output has no escapes"; fi
t '--color=always colours' 1 "$bin" lint --color always "$ex/Dockerfile.insecure"
if grep -q $'\033\[' "$tmp/out"; then echo "PASS cli: --color=always output has escapes"; else echo "FAIL cli: --color=always output has escapes"; fi

# many targets, one unreadable: the others are still linted, exit 2
mkdir -p "$tmp/tree/a/b" "$tmp/tree/.git"
cp "$ex/Dockerfile.insecure" "$tmp/tree/a/Dockerfile"
cp "$ex/Dockerfile.hardened" "$tmp/tree/a/b/api.Dockerfile"
cp "$ex/Dockerfile.insecure" "$tmp/tree/.git/Dockerfile"
echo 'not a dockerfile' > "$tmp/tree/a/README"
t 'a directory is walked for Dockerfiles' 1 "$bin" lint -f json "$tmp/tree"
json_ok 'the walk finds Dockerfile and *.Dockerfile, skips .git and README' '
import json,sys; d=json.load(sys.stdin); assert d["summary"]["files"]==2, d["summary"]'
t 'a missing file among good ones exits 2' 2 "$bin" lint -f json "$ex/Dockerfile.insecure" "$tmp/nope" "$ex/Dockerfile.hardened"
json_ok 'the good files are still reported next to the error' '
import json,sys; d=json.load(sys.stdin); assert d["summary"]["files"]==3 and d["summary"]["errors"]==1 and d["findings"]'
has 'the missing file is named on stderr' "$tmp/err" "nope: cannot open"
t 'stdin is linted with -' 1 "$bin" lint - < "$ex/Dockerfile.insecure"
has 'stdin is shown as <stdin>' "$tmp/out" '^<stdin>'
t '--jobs 1 gives the same report as the default' 1 "$bin" lint -f json -j 1 "$ex"
cp "$tmp/out" "$tmp/j1"
"$bin" lint -f json -j 4 "$ex" > "$tmp/j4"
if cmp -s "$tmp/j1" "$tmp/j4"; then echo "PASS cli: output does not depend on thread count"; else echo "FAIL cli: output depends on thread count"; fi

# bad input: each a clear error with file:line and exit 2
printf 'FROM alpine\nRUN echo \x00 hi\n' > "$tmp/nul"
t 'a NUL byte is refused' 2 "$bin" lint "$tmp/nul"
has 'binary input names file and line' "$tmp/out" "nul:2:[0-9]+: NUL byte"
printf 'FROM alpine\nRUN echo \xff\xfe\n' > "$tmp/latin"
t 'invalid UTF-8 is refused' 2 "$bin" lint "$tmp/latin"
has 'invalid UTF-8 names line and column' "$tmp/out" "latin:2:10: invalid UTF-8"
printf 'FROM alpine\nRUN <<EOF\necho hi\n' > "$tmp/heredoc"
t 'an unterminated heredoc is refused' 2 "$bin" lint "$tmp/heredoc"
has 'unterminated heredoc is explained' "$tmp/out" "heredoc:2:1: unterminated heredoc"
{ printf 'FROM alpine\nRUN echo '; head -c 10485760 /dev/zero | tr '\0' a; printf '\n'; } > "$tmp/longline"
t 'a 10 MB line is refused' 2 "$bin" lint "$tmp/longline"
has 'the long line is named' "$tmp/out" "longline:2:1: line is 10485769 bytes long"
: > "$tmp/empty"
t 'an empty file is refused' 2 "$bin" lint "$tmp/empty"
head -c 4096 /dev/urandom > "$tmp/random.bin"
t 'random bytes are refused' 2 "$bin" lint "$tmp/random.bin"
printf '\xff\xfeF\x00R\x00' > "$tmp/utf16"
t 'UTF-16 is refused' 2 "$bin" lint "$tmp/utf16"

# configuration
mkdir -p "$tmp/proj/sub"
cp "$tmp/pin.Dockerfile" "$tmp/proj/sub/Dockerfile"
printf 'ignore:\n  - hadolint:DL3018\n' > "$tmp/proj/.docksec.yaml"
t '.docksec.yaml is found upward from the target' 0 "$bin" lint "$tmp/proj/sub/Dockerfile"
printf 'severity:\n  DF-APK-PIN: info\nfail-on: low\n' > "$tmp/proj/.docksec.yaml"
t 'severity override and fail-on from the configuration' 0 "$bin" lint "$tmp/proj/sub/Dockerfile"
printf 'exclude: ["sub/*"]\n' > "$tmp/proj/.docksec.yaml"
t 'excluded paths are skipped' 0 "$bin" lint -f json "$tmp/proj"
json_ok 'excluded files are not counted' 'import json,sys; assert json.load(sys.stdin)["summary"]["files"]==0'
printf 'trusted-registries: [registry.example.com]\n' > "$tmp/proj/.docksec.yaml"
t 'an untrusted registry is reported' 1 "$bin" lint -f json "$tmp/proj/sub/Dockerfile"
has 'the untrusted registry is named' "$tmp/out" "registry 'docker.io', which is not in trusted-registries"
printf 'ignore: [DF-SUDO]\nfail_on: high\n' > "$tmp/proj/.docksec.yaml"
t 'an unknown configuration key is an error' 2 "$bin" lint "$tmp/proj/sub/Dockerfile"
has 'the bad key is named with its line' "$tmp/err" "\.docksec\.yaml:2:1: unknown key 'fail_on'"
printf 'ignore: [DF-SUDO]\nignore: [DF-CD]\n' > "$tmp/proj/.docksec.yaml"
t 'a key given twice in the configuration is an error (found by fuzz_config: the first list leaked)' 2 "$bin" lint "$tmp/proj/sub/Dockerfile"
has 'the second key is named with its line' "$tmp/err" "\.docksec\.yaml:2:1: key 'ignore' given twice"
printf '"x\\e[2Jy": 1\n' > "$tmp/proj/.docksec.yaml" # YAML's \e is ESC
t 'a configuration key holding a terminal escape' 2 "$bin" lint "$tmp/proj/sub/Dockerfile"
if grep -q "$(printf '\033')" "$tmp/err"; then echo "FAIL cli: a terminal escape from the input reached stderr raw"
else has 'the error shows it escaped' "$tmp/err" "unknown key 'x\\\\x1b\\[2Jy'"; fi
printf 'ignore: [x\n' > "$tmp/proj/.docksec.yaml"
t 'invalid YAML in the configuration is an error' 2 "$bin" lint "$tmp/proj/sub/Dockerfile"
has 'invalid YAML names the file' "$tmp/err" "\.docksec\.yaml:[0-9]+:[0-9]+: invalid YAML"
t '--config names a configuration explicitly' 2 "$bin" lint --config "$tmp/none.yaml" "$tmp/pin.Dockerfile"

# rules
t 'docksec rules lists every rule' 0 "$bin" rules
has 'rules lists DF-USER-ROOT' "$tmp/out" '^DF-USER-ROOT +high'
t 'docksec rules ID explains one' 0 "$bin" rules DF-USER-ROOT
has 'an explanation has refs' "$tmp/out" 'Refs: cis:4.1, docker-bench:4.1, owasp:R2, hadolint:DL3002'
t 'docksec rules finds a rule by another tool id' 0 "$bin" rules hadolint:DL3008
has 'hadolint:DL3008 is DF-APT-PIN' "$tmp/out" '^DF-APT-PIN'
t 'an unknown rule is an error' 2 "$bin" rules DF-NOPE
t 'rules --format json is valid' 0 "$bin" rules -f json
json_ok 'every rule has id, severity, title, rationale, remediation, refs' '
import json,sys; d=json.load(sys.stdin); assert len(d)>=60
ids=[r["id"] for r in d]; assert len(ids)==len(set(ids))
assert all(r["title"] and r["rationale"] and r["remediation"] and r["refs"] for r in d)'
t 'docs/rules.md is generated from the table' 0 "$bin" rules -f markdown
if cmp -s "$tmp/out" "$(dirname "$0")/../../docs/rules.md"; then echo "PASS cli: docs/rules.md is up to date"; else echo "FAIL cli: docs/rules.md is stale (make docs)"; fi

# one registry: the audit's checks are rows too, found by id or any ref (prefix optional)
t 'docksec rules explains a CIS check' 0 "$bin" rules 2.2
has 'with its severity, fix and refs' "$tmp/out" '^2\.2  \(medium, cis\)'
has 'the CIS check has a remediation' "$tmp/out" 'Fix: Set `"icc": false`'
t 'docksec rules explains a host hardening check' 0 "$bin" rules host-fw-01
has 'host-fw-01 is a host rule' "$tmp/out" '^host-fw-01  \(medium, host\)'
t 'a bare hadolint id finds its rule' 0 "$bin" rules DL3008
has 'DL3008 is DF-APT-PIN' "$tmp/out" '^DF-APT-PIN'
t 'a bare Trivy id finds its rule' 0 "$bin" rules KSV017
has 'KSV017 is CT-PRIVILEGED' "$tmp/out" '^CT-PRIVILEGED'
t 'a Dockle id finds every rule that carries it' 0 "$bin" rules CIS-DI-0001
has 'CIS-DI-0001 is DF-USER-ROOT' "$tmp/out" '^DF-USER-ROOT'
has 'and CIS 4.1' "$tmp/out" '^4\.1  \(high, cis\)'
t 'a CIS id finds the check and the container rule that decides it' 0 "$bin" rules 5.5
has '5.5 shows CT-PRIVILEGED' "$tmp/out" '^CT-PRIVILEGED'
has 'and the CIS check' "$tmp/out" '^5\.5  \(critical, cis\)'
t 'rules --format json lists the audit checks' 0 "$bin" rules -f json
json_ok 'every CIS id and host module is in the registry, with severity and refs' '
import json,sys; d={r["id"]:r for r in json.load(sys.stdin)}
assert len([i for i in d if i[0].isdigit()])==117, len(d)
assert d["5.32"]["severity"]=="critical" and "docker-bench:5.32" in d["5.32"]["refs"]
assert d["host-cve-2024-21626"]["refs"]==["cve:CVE-2024-21626"]'

# the error contract: writes are checked
if [ -w /dev/full ]; then
	t 'lint > /dev/full' 2 sh -c '"$1" lint "$2" > /dev/full' sh "$bin" "$tmp/pin.Dockerfile"
	has 'says it cannot write, with the reason' "$tmp/err" 'cannot write the report: No space left on device'
	t 'rules > /dev/full' 2 sh -c '"$1" rules > /dev/full' sh "$bin"
	has 'says write failure on standard output' "$tmp/err" 'write failure on standard output: No space left on device'
	t 'audit > /dev/full' 2 sh -c '"$1" audit --root "$2" -c 2.2 > /dev/full' sh "$bin" "$tmp"
	has 'audit says it cannot write' "$tmp/err" 'cannot write the report: No space left on device'
else
	echo "SKIP cli: write errors (no writable /dev/full)"
fi

# display and output options: --severity hides (the gate still sees all),
# --summary counts by rule, -o replaces a file atomically and reports a
# failed write, -q keeps stderr and the summary line quiet
printf 'FROM ubuntu\nRUN apt-get install -y curl\n' > "$tmp/sev.df"
t '--severity high shows no medium finding' 1 "$bin" lint --severity high "$tmp/sev.df"
if grep -q -E ' (medium|low) +DF-' "$tmp/out"; then echo "FAIL cli: --severity showed a lower finding"; else echo "PASS cli: ... hides the others"; fi
has '... and says how many it hid' "$tmp/out" 'not shown \(--severity\)'
t '--severity is not the gate: medium findings still fail the run' 1 "$bin" lint -s critical "$tmp/sev.df"
t '--severity with an unknown level is a usage error' 2 "$bin" lint --severity high,urgent "$tmp/sev.df"
t '--summary' 1 "$bin" lint --summary "$tmp/sev.df" "$tmp/sev.df"
has '... one line per rule with its count and files' "$tmp/out" '^ +2 medium +DF-USER-MISSING .*sev.df'
echo old > "$tmp/report.json"
t '-o FILE' 1 "$bin" lint -f json -o "$tmp/report.json" "$tmp/sev.df"
python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$tmp/report.json" && echo "PASS cli: ... writes the report to FILE" || echo "FAIL cli: -o did not write JSON"
[ ! -s "$tmp/out" ] && echo "PASS cli: ... and nothing on stdout" || echo "FAIL cli: -o also wrote to stdout"
t '-o on a full device' 2 "$bin" lint -f json -o /dev/full "$tmp/sev.df"
has '... says what failed' "$tmp/err" 'No space left on device'
[ -c /dev/full ] && echo "PASS cli: ... and /dev/full is still a device" || echo "FAIL cli: -o replaced /dev/full"
t '-o in a missing directory' 2 "$bin" lint -o "$tmp/nodir/r.txt" "$tmp/sev.df"
cmp -s <(echo old) <(echo old) && python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$tmp/report.json" && echo "PASS cli: ... a failed -o leaves the previous report" || echo "FAIL cli: the previous report was lost"
t '-q' 1 "$bin" lint -q "$tmp/sev.df"
if grep -q '^[0-9]* findings' "$tmp/out"; then echo "FAIL cli: -q printed the summary line"; else echo "PASS cli: ... prints no summary line"; fi

# fix hints that fit the case: one DF-APT-PIN per command naming its packages,
# the exec form of the CMD at hand
printf 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y curl git wget=1.2 vim\nCMD python app.py --port 80\n' > "$tmp/hint.df"
t 'unpinned packages and a shell-form CMD' 1 "$bin" lint "$tmp/hint.df"
has '... one DF-APT-PIN for the command, naming its packages' "$tmp/out" "DF-APT-PIN  3 apt packages are not pinned to a version: 'curl', 'git', 'vim'"
[ "$(grep -c 'DF-APT-PIN ' "$tmp/out")" = 1 ] && echo "PASS cli: ... exactly one" || echo "FAIL cli: more than one DF-APT-PIN for one command"
has '... the exec form of this CMD' "$tmp/out" 'use CMD \["python", "app.py", "--port", "80"\]'

# set-up: deps.sh knows what each command needs and refuses anything else;
# with everything installed it changes nothing and says nothing
root_dir=$(cd "$(dirname "$0")/../.." && pwd)
t 'deps.sh with an unknown purpose' 2 "$root_dir/scripts/deps.sh" everything
t 'deps.sh build on a machine that has it all' 0 "$root_dir/scripts/deps.sh" build
[ ! -s "$tmp/out" ] && echo "PASS cli: ... installs nothing and prints nothing" || { echo "FAIL cli: deps.sh build printed:"; head -3 "$tmp/out"; }

# hadolint's habits: .hadolint.yaml where no .docksec.yaml is, with a notice;
# -t/--failure-threshold with hadolint's levels
mkdir -p "$tmp/hl"
printf 'ignored:\n  - DL3008\noverride:\n  error: [DL3015]\nfailure-threshold: error\n' > "$tmp/hl/.hadolint.yaml"
printf 'FROM ubuntu:24.04\nRUN apt-get install -y curl\n' > "$tmp/hl/Dockerfile"
t 'a directory with a .hadolint.yaml' 1 "$bin" lint -f json "$tmp/hl/Dockerfile"
json_ok '... ignores and overrides as hadolint would' 'import json,sys
d=json.load(sys.stdin); r={x["rule"]: x["severity"] for x in d["findings"]}
assert "DF-APT-PIN" not in r and r.get("DF-APT-RECOMMENDS") == "high", r'
has '... and says it read it' "$tmp/err" "hadolint's configuration"
t '... its failure-threshold error passes what is below high' 0 "$bin" lint -i DL3015 "$tmp/hl/Dockerfile"
t '-t warning (hadolint level) fails on medium' 1 "$bin" lint -c /dev/null -t warning "$tmp/hl/Dockerfile"
t '-t with an unknown level' 2 "$bin" lint -t loud "$tmp/hl/Dockerfile"
printf 'ignored: [DL3008]\nbogus: 1\n' > "$tmp/hl/.hadolint.yaml"
t 'an unknown key in .hadolint.yaml is an error with file:line' 2 "$bin" lint "$tmp/hl/Dockerfile"
has '... naming the key' "$tmp/err" "hadolint.yaml:2:1: unknown key 'bogus'"

# CI formats: Checkstyle XML and GitLab Code Quality JSON
printf 'FROM ubuntu:24.04\nRUN apt-get install -y curl\n' > "$tmp/ci.df"
t 'checkstyle format' 1 "$bin" lint -f checkstyle "$tmp/ci.df"
python3 - "$tmp/out" <<'P' && echo "PASS cli: ... is well-formed Checkstyle with the rule as source" || echo "FAIL cli: bad Checkstyle output"
import sys, xml.dom.minidom
d = xml.dom.minidom.parse(sys.argv[1])
errs = d.getElementsByTagName('error')
assert d.documentElement.tagName == 'checkstyle' and errs
assert any(e.getAttribute('source') == 'docksec.DF-APT-PIN' and e.getAttribute('line') == '2' for e in errs)
P
t 'gitlab Code Quality format' 1 "$bin" lint -f gitlab "$tmp/ci.df"
json_ok '... is an array of issues with the keys GitLab reads' 'import json,sys
d=json.load(sys.stdin); assert isinstance(d, list) and d
for x in d:
    assert set(x) >= {"description","check_name","fingerprint","severity","location"}, x
    assert x["severity"] in ("info","minor","major","critical","blocker") and x["location"]["lines"]["begin"] >= 1
assert len({x["fingerprint"] for x in d}) == len(d), "fingerprints repeat"'
t 'audit refuses the per-file formats' 2 "$bin" audit --root / -c 1.1.1 -f checkstyle

# SARIF that code scanning accepts: helpUri, partialFingerprints, the
# container in the message; JUnit counts that add up
printf 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n  db:\n    image: postgres:16\n    privileged: true\n' > "$tmp/two.yml"
t 'SARIF for check' 1 "$bin" check -f sarif "$tmp/two.yml"
json_ok '... has helpUri, distinct fingerprints and the service in the message' 'import json,sys
d=json.load(sys.stdin); run=d["runs"][0]
assert all(r["helpUri"].startswith("https://") and r["helpUri"].endswith("#" + r["id"].lower()) for r in run["tool"]["driver"]["rules"])
fp=[x["partialFingerprints"]["docksecFinding/v1"] for x in run["results"]]
assert len(set(fp)) == len(fp), "fingerprints repeat"
msgs=[x["message"]["text"] for x in run["results"] if x["ruleId"]=="CT-PRIVILEGED"]
assert sorted(m.split("]")[0] for m in msgs) == ["[db", "[web"], msgs'
t 'JUnit for two files' 1 "$bin" lint -f junit "$tmp/ci.df" "$tmp/sev.df"
python3 - "$tmp/out" <<'P' && echo "PASS cli: ... tests, failures and errors count the testcases" || echo "FAIL cli: JUnit counts do not add up"
import sys, xml.dom.minidom
d = xml.dom.minidom.parse(sys.argv[1]).documentElement
cases = d.getElementsByTagName('testcase')
fails = [c for c in cases if c.getElementsByTagName('failure')]
assert int(d.getAttribute('tests')) == len(cases) and int(d.getAttribute('failures')) == len(fails), (d.getAttribute('tests'), len(cases))
for s in d.getElementsByTagName('testsuite'):
    cs = s.getElementsByTagName('testcase')
    assert int(s.getAttribute('tests')) == len(cs)
    assert int(s.getAttribute('failures')) == len([c for c in cs if c.getElementsByTagName('failure')])
P

# lint reads Dockerfiles only, says what a named file is, tolerates a
# Latin-1 comment, and says when a directory holds nothing to lint
mkdir -p "$tmp/w" "$tmp/nothing-here"
printf 'FROM alpine:3.20\n' > "$tmp/w/Dockerfile"; : > "$tmp/w/Dockerfile.dockerignore"; : > "$tmp/w/Dockerfile.md"
t 'a directory with Dockerfile.dockerignore and Dockerfile.md' 1 "$bin" lint -f json "$tmp/w"
json_ok '... lints the Dockerfile only' 'import json,sys
d=json.load(sys.stdin); assert not d.get("errors") and {f["file"].split("/")[-1] for f in d["findings"]} == {"Dockerfile"}, d.get("errors")'
printf 'services:\n  a:\n    image: a:1\n' > "$tmp/compose.yml"
t 'lint compose.yml' 2 "$bin" lint "$tmp/compose.yml"
has '... says it is not a Dockerfile' "$tmp/out" "not a Dockerfile: a Compose file \('docksec check' reads it\)"
t 'lint an empty directory' 0 "$bin" lint "$tmp/nothing-here"
has '... says so on stderr' "$tmp/err" 'no dockerfile file found'
printf 'FROM alpine:3.20\n# caf\351 au lait\nUSER 10001\n' > "$tmp/latin1.df"
t 'a Latin-1 byte in a comment' 1 "$bin" lint "$tmp/latin1.df"
if grep -q 'invalid UTF-8' "$tmp/out"; then echo "FAIL cli: a Latin-1 comment refused the file"; else echo "PASS cli: ... does not refuse the file"; fi
printf 'docker run --cap-add "FOO\302\2332J\377" img:1.0\n' > "$tmp/c1.sh"
t 'a C1 control (8-bit CSI) and a stray byte in a value' 2 "$bin" check -f json "$tmp/c1.sh"
if LC_ALL=C grep -q "$(printf '\302\233')" "$tmp/err"; then echo "FAIL cli: a C1 control reached stderr raw"; else has '... are escaped on stderr' "$tmp/err" 'FOO\\u009b2J\\xff'; fi

# Trivy's habits: --skip-dirs/--skip-files; an exclude entry that names a
# directory excludes it; an unknown id in ignore: is an error with file:line
mkdir -p "$tmp/sk/vendor/a" "$tmp/sk/src"
for d in vendor/a src; do printf 'FROM alpine:3.20\n' > "$tmp/sk/$d/Dockerfile"; done
printf 'FROM alpine:3.20\n' > "$tmp/sk/Dockerfile.test"
t '--skip-dirs and --skip-files' 1 "$bin" lint -f json --skip-dirs vendor --skip-files Dockerfile.test "$tmp/sk"
json_ok '... leave those out' 'import json,sys
d=json.load(sys.stdin); assert {f["file"].split("/sk/")[-1] for f in d["findings"]} == {"src/Dockerfile"}'
printf 'exclude: [vendor]\n' > "$tmp/sk/.docksec.yaml"
t 'exclude: [vendor]' 1 "$bin" lint -f json "$tmp/sk"
json_ok '... excludes the directory at any depth' 'import json,sys
d=json.load(sys.stdin); assert not any("/vendor/" in f["file"] for f in d["findings"])'
printf 'ignore: [DF-SUDO, DF-NOPE]\n' > "$tmp/sk/.docksec.yaml"
t 'an unknown id in ignore:' 2 "$bin" lint "$tmp/sk"
has '... is an error with file:line' "$tmp/err" "docksec.yaml:1:19: ignore: no rule is named 'DF-NOPE'"
rm "$tmp/sk/.docksec.yaml"

# where people run it: docksec's own Dockerfile lints clean, the pre-commit
# hooks and the CI examples of docs/ci.md parse and their commands are valid
t "docksec's own Dockerfile" 0 "$bin" lint "$root_dir/Dockerfile"
has '... has no finding' "$tmp/out" '^0 findings'
mkdir -p "$tmp/ci/.github/workflows" "$tmp/ci/app"
printf 'FROM alpine:3.20\nUSER 10001\n' > "$tmp/ci/app/Dockerfile"
printf 'services:\n  a:\n    image: a:1\n' > "$tmp/ci/compose.yaml"
python3 - "$root_dir" "$tmp/ci" "$bin" <<'P' && echo "PASS cli: docs/ci.md and .pre-commit-hooks.yaml parse, and every docksec command in them runs" || echo "FAIL cli: a CI example of docs/ci.md or a pre-commit hook is broken"
import re, shlex, subprocess, sys
root, ci, bin_ = sys.argv[1:]
try:
    import yaml
except ImportError:
    print("SKIP cli: docs/ci.md examples (no python3-yaml)"); sys.exit(0)
hooks = yaml.safe_load(open(root + '/.pre-commit-hooks.yaml'))
assert {h['id'] for h in hooks} == {'docksec-lint', 'docksec-check'}, hooks
cmds = [h['entry'] for h in hooks]
blocks = re.findall(r'```yaml\n(.*?)```', open(root + '/docs/ci.md').read(), re.S)
assert len(blocks) == 3, len(blocks)
for b in blocks:
    yaml.safe_load(b)
    for line in b.splitlines():
        for part in re.split(r'&&', line.strip().lstrip('- ').removeprefix('run: ')):
            part = part.strip()
            if part.startswith('docksec '):
                cmds.append(part)
open(ci + '/.github/workflows/docksec.yml', 'w').write(blocks[0])
assert len(cmds) >= 8, cmds
for c in cmds:
    argv = [bin_] + shlex.split(c)[1:]
    if argv[1] in ('lint', 'check') and not any(a in ('.',) for a in argv[2:]):
        argv.append('.')
    r = subprocess.run(argv, cwd=ci, capture_output=True, text=True)
    assert r.returncode in (0, 1), (c, r.returncode, r.stderr[-300:])
P

# shell completion: the options come from the commands' own --help
t 'completion bash' 0 "$bin" completion bash
bash -c 'eval "$(cat "$1")"; PATH=$(dirname "$2"):$PATH; COMP_WORDS=(docksec check --fix-r); COMP_CWORD=2; _docksec; echo "${COMPREPLY[*]}"' _ "$tmp/out" "$bin" > "$tmp/compl" 2>&1
has '... completes an option of check from its table' "$tmp/compl" '^--fix-rule$'
bash -c 'eval "$(cat "$1")"; COMP_WORDS=(docksec lint --format ""); COMP_CWORD=3; _docksec; echo "${COMPREPLY[*]}"' _ "$tmp/out" > "$tmp/compl" 2>&1
has '... and the values of --format' "$tmp/compl" 'checkstyle gitlab'
t 'completion fish' 0 "$bin" completion fish
t 'completion zsh' 0 "$bin" completion zsh
t 'completion for another shell' 2 "$bin" completion tcsh

# SARIF validated against the SARIF 2.1.0 schema (tests/data, OASIS's
# sarif-2.1.0-rtm.5.json) for lint, check and an offline audit
"$bin" lint -f sarif "$root_dir/examples/Dockerfile.insecure" > "$tmp/v1.sarif"
"$bin" check -f sarif "$root_dir/examples/compose.insecure.yml" "$root_dir/examples/run.sh" > "$tmp/v2.sarif"
"$bin" audit --root / -f sarif -c 1 -c 3 -c host > "$tmp/v3.sarif"
python3 - "$root_dir/tests/data/sarif-2.1.0-rtm.5.json" "$tmp"/v1.sarif "$tmp"/v2.sarif "$tmp"/v3.sarif <<'P'
import json, sys
try:
    import jsonschema
except ImportError:
    print("SKIP cli: SARIF schema validation (python3-jsonschema is not installed)"); sys.exit(0)
schema = json.load(open(sys.argv[1]))
v = jsonschema.validators.validator_for(schema)(schema)
for f in sys.argv[2:]:
    errs = list(v.iter_errors(json.load(open(f))))
    name = f.rsplit('/', 1)[-1]
    if errs:
        print("FAIL cli: %s does not validate against SARIF 2.1.0: %s at %s" % (name, errs[0].message[:200], list(errs[0].path)))
    else:
        print("PASS cli: %s validates against the SARIF 2.1.0 schema" % name)
P

# progress goes to a terminal only: never into a pipe or a CI log
t 'lint of a directory with stderr in a file' 1 "$bin" lint "$root_dir/examples"
if grep -q 'files' "$tmp/err"; then echo "FAIL cli: a progress line reached a file"; else echo "PASS cli: ... writes no progress line there"; fi

# errors go to stderr in every format (text too, when the report is not on the terminal)
for fmt in text json sarif junit checkstyle gitlab html; do
	t "a missing file, -f $fmt" 2 "$bin" lint -f "$fmt" "$tmp/no-such-Dockerfile"
	has "... is named on stderr" "$tmp/err" 'no-such-Dockerfile: cannot open'
done

# an ENV of 200 000 pairs whose last value refers to the first: each value's references
# are looked up, not compared with every name before it (that took minutes)
python3 -c 'print("FROM debian:12\nENV " + "A=b " * 200000 + "B=$A")' >"$tmp/Dockerfile.env"
t 'an ENV of 200 000 pairs is linted in bounded time' 1 timeout 60 "$bin" lint "$tmp/Dockerfile.env" -f json
json_ok '... with its one self-reference' '
import json,sys; d=json.load(sys.stdin); f=[x["message"] for x in d["findings"] if x["rule"]=="DF-ENV-SELF-REFERENCE"]
assert f==["ENV B refers to A, defined in the same ENV: it sees the old value"], f'

# 40 000 stages, every other one named as the one before it, and 40 000 COPY lines:
# each FROM looks its base up by name, each stage name is sorted once, each COPY finds
# its stage's WORKDIR and its instruction without a search of the whole file
python3 -c '
print("".join("FROM debian:12 AS s%d\n" % (i // 2) for i in range(40000)), end="")
print("FROM s7 AS base\n" + "".join("COPY --from=base a b%d\n" % i for i in range(40000)), end="")' >"$tmp/Dockerfile.stages"
t 'a Dockerfile of 40 000 stages and 40 000 COPY lines is linted in bounded time' 1 timeout 60 "$bin" lint "$tmp/Dockerfile.stages" -f json
json_ok '... with each finding once' '
import json,sys,collections; d=json.load(sys.stdin); c=collections.Counter(x["rule"] for x in d["findings"])
assert c["DF-STAGE-NAME-DUPLICATE"]==20000 and c["DF-COPY-FROM-SELF"]==40000 and c["DF-COPY-RELATIVE"]==40000, c
f=[x for x in d["findings"] if x["rule"]=="DF-STAGE-NAME-DUPLICATE"][0]
assert f["line"]==2 and "already used on line 1" in f["message"], f'
