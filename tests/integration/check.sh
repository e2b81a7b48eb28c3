#!/usr/bin/env bash
# `docksec check` end to end: stdin, output formats, gating, configuration
# by refs, and hostile YAML (alias and merge-key bombs, deep nesting, a
# 20,000-service file) that must end in a clear result, not a hang.
set -u
bin=$(realpath "${1:-build/san/docksec}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

suite=check
. "$(dirname "$0")/lib.sh"

cat > "$tmp/compose.yml" <<'Y'
services:
  web:
    image: nginx:latest
    privileged: true
    ports: ["80:80"]
Y
t 'a Compose file on stdin is recognised by content' 1 "$bin" check --format json - < "$tmp/compose.yml"
json_ok 'findings on stdin name the service' '
import json,sys; d=json.load(sys.stdin); f=d["findings"]
assert any(x["rule"]=="CT-PRIVILEGED" and x["context"]=="web" and x["line"]==4 for x in f), f'
t 'sarif output for check' 1 "$bin" check --format sarif "$tmp/compose.yml"
json_ok 'sarif lists only container rules and has results' '
import json,sys; d=json.load(sys.stdin); run=d["runs"][0]
ids=[r["id"] for r in run["tool"]["driver"]["rules"]]
assert ids and all(i.startswith("CT-") for i in ids), ids[:3]
assert any(r["ruleId"]=="CT-PRIVILEGED" for r in run["results"])'
t 'junit output for check' 1 "$bin" check --format junit "$tmp/compose.yml"
has 'junit names the rule' "$tmp/out" 'CT-PRIVILEGED'
t '--fail-on critical still fails on privileged' 1 "$bin" check --fail-on critical "$tmp/compose.yml"
t '--fail-on none reports but passes' 0 "$bin" check --fail-on none "$tmp/compose.yml"
printf 'ignore: [trivy:KSV017, CT-IMAGE-LATEST]\nfail-on: high\n' > "$tmp/.docksec.yaml"
t '.docksec.yaml ignores by trivy ref and gates at high' 0 "$bin" check --format json "$tmp/compose.yml"
json_ok 'ignored rules are gone, the rest stay' '
import json,sys; d=json.load(sys.stdin); r={x["rule"] for x in d["findings"]}
assert "CT-PRIVILEGED" not in r and "CT-IMAGE-LATEST" not in r and "CT-PORT-PRIVILEGED" in r, r'
rm "$tmp/.docksec.yaml"
t '--ignore on the command line' 1 "$bin" check --format json -i CT-PRIVILEGED "$tmp/compose.yml"
json_ok '--ignore drops the rule' '
import json,sys; d=json.load(sys.stdin); assert all(x["rule"]!="CT-PRIVILEGED" for x in d["findings"])'
t '--cmd without docker run is an input error' 2 "$bin" check --cmd 'ls -l'
has '--cmd error says what was expected' "$tmp/out" "expected a 'docker run'"
# command lines Docker itself refuses are input errors naming the flag and why,
# not judged as if they would run (the peers' docker/cli cases hold the rest)
while IFS='|' read -r what line why; do
	t "docker run $what is refused" 2 "$bin" check --cmd "docker run $line img:1.0"
	has "... saying why ($why)" "$tmp/out" "$why"
done <<'CASES'
with a comma between capabilities|--cap-add=SYS_ADMIN,NET_ADMIN|one capability per flag
with an unknown capability|--cap-add FOO|not a Linux capability
with a relative volume target|-v /tmp:relative|must be absolute
with an unknown volume mode|-v /tmp:/tmp:rx|unknown mode
with a retry count on always|--restart always:3|only for on-failure
with --rm and --restart|--rm --restart=always|cannot be combined
with a soft ulimit above the hard one|--ulimit nofile=2048:1024|soft limit is above
with --memory-swap alone|--memory-swap=1G|needs --memory
with ports and another container's network|--network container:db -p 80:80|cannot publish ports
CASES
t 'docker run with pflag booleans (--privileged=True) is read' 1 "$bin" check --cmd "docker run --privileged=True img:1.0"
has '... and judged' "$tmp/out" 'CT-PRIVILEGED'
t 'docker run --publish long syntax is read' 1 "$bin" check --cmd "docker run --publish published=8080,target=80 img:1.0"
has '... and judged' "$tmp/out" 'CT-PORT-ALL-INTERFACES'
# Compose: later documents merge over earlier ones; !reset and !override keep
# a base's values out; what Compose refuses is an input error
printf 'services:\n  web:\n    image: nginx:1.25\n---\nservices:\n  web:\n    privileged: true\n' > "$tmp/multi.yml"
t 'a multi-document Compose file' 1 "$bin" check --format json "$tmp/multi.yml"
has '... merges the later document (privileged)' "$tmp/out" 'CT-PRIVILEGED'
printf 'services:\n  base:\n    image: nginx:1.25\n    cap_add: [SYS_ADMIN]\n  web:\n    extends: {service: base}\n    cap_add: !reset []\n' > "$tmp/reset.yml"
t 'extends with cap_add: !reset' 1 "$bin" check --format json "$tmp/reset.yml"
json_ok '... drops the base capability for web only' 'import json,sys
d=json.load(sys.stdin); hits={(f["context"], f["rule"]) for f in d["findings"]}
assert ("base", "CT-CAP-DANGEROUS") in hits and ("web", "CT-CAP-DANGEROUS") not in hits, hits'
printf 'services:\n  web:\n    image: nginx:1.25\n    cap_add: SYS_ADMIN\n' > "$tmp/capstr.yml"
t 'cap_add as a string is refused, as Compose does' 2 "$bin" check "$tmp/capstr.yml"
has '... saying a list is expected' "$tmp/out" 'expected a list for cap_add'
printf 'services:\n  web:\n    image: nginx:1.25\n    network_mode: host\n    networks: [front]\nnetworks:\n  front:\n' > "$tmp/netboth.yml"
t 'network_mode with networks is refused' 2 "$bin" check "$tmp/netboth.yml"
printf 'networks:\n  front:\n    driver: bridge\n' > "$tmp/compose.yaml"
t 'a Compose file of networks only has no services to judge' 0 "$bin" check "$tmp/compose.yaml"
printf 'services:\n  foo:\n    image: alpine:3.20\n    volumes:\n      - type: npipe\n        source: \\\\.\\pipe\\docker_engine\n        target: \\\\.\\pipe\\docker_engine\n' > "$tmp/npipe.yml"
t 'the Windows Engine pipe mounted into a service' 1 "$bin" check "$tmp/npipe.yml"
has '... is the Docker socket' "$tmp/out" 'CT-DOCKER-SOCKET'
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/c: custom\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n' > "$tmp/aa.yaml"
t 'an AppArmor annotation value the API refuses' 1 "$bin" check "$tmp/aa.yaml"
has '... is reported, not counted as a profile' "$tmp/out" 'AppArmor annotation custom'
printf 'services:\n  a:\n    image: x:1\n    depends_on: [b]\n  b:\n    image: x:1\n    depends_on:\n      a: {condition: service_started}\n' > "$tmp/dep.yml"
t 'a depends_on cycle is refused, as Compose does' 2 "$bin" check "$tmp/dep.yml"
has '... naming the services' "$tmp/out" 'depends_on cycle: b depends on a'
# text output never sends a control character from the input to the terminal
printf 'docker run --cap-add "FOO\033[2J" img:1.0\n' > "$tmp/esc.sh"
t 'a docker run value holding ESC' 2 "$bin" check "$tmp/esc.sh"
if grep -q "$(printf '\033')" "$tmp/out"; then echo "FAIL check: an ESC from the input reached the text report raw"
else has '... is shown escaped in the error' "$tmp/out" 'FOO\\x1b\[2J'; fi
printf 'FROM alpine:3.20\nRUN echo "\033]0;pwned\007" && curl http://x | sh\n' > "$tmp/esc.df"
t 'a Dockerfile line holding a title-setting sequence' 1 "$bin" lint "$tmp/esc.df"
if grep -q "$(printf '\033')" "$tmp/out"; then echo "FAIL check: an ESC from a Dockerfile reached the lint report raw"
else has '... is shown escaped in the source line' "$tmp/out" '\\x1b\]0;pwned\\x07'; fi
# Compose projects: the override beside a default-named file is merged,
# include: and extends.file are followed, and findings name the file the
# value is in; other files stay inside the project (or current) directory
mkdir -p "$tmp/proj/sub" "$tmp/outside"
printf 'include:\n  - sub/inc.yaml\nservices:\n  web:\n    image: nginx:1.27\n  api:\n    extends: {file: common.yml, service: base}\n    image: api:1\n' > "$tmp/proj/compose.yaml"
printf 'services:\n  web:\n    privileged: true\n' > "$tmp/proj/compose.override.yaml"
printf 'services:\n  base:\n    cap_add: [SYS_ADMIN]\n' > "$tmp/proj/common.yml"
printf 'services:\n  evil:\n    image: evil:1\n    network_mode: host\n' > "$tmp/proj/sub/inc.yaml"
t 'a Compose project with an override, an include and extends.file' 1 "$bin" check --format json "$tmp/proj/compose.yaml"
json_ok '... judges the merged services, each finding in its own file' 'import json,sys
d=json.load(sys.stdin); hits={(x["file"].split("/proj/")[-1], x["line"], x["rule"], x["context"]) for x in d["findings"]}
want={("compose.override.yaml", 3, "CT-PRIVILEGED", "web"), ("common.yml", 3, "CT-CAP-DANGEROUS", "api"),
      ("sub/inc.yaml", 4, "CT-HOST-NETWORK", "evil")}
assert want <= hits, want - hits'
t '... in text, the other files are named' 1 "$bin" check "$tmp/proj/compose.yaml"
has '... before the line' "$tmp/out" 'compose.override.yaml:3:5 critical CT-PRIVILEGED'
t 'a walk of the project checks the override with its base, not alone' 1 "$bin" check --format json "$tmp/proj"
json_ok '... so web is privileged once' 'import json,sys
d=json.load(sys.stdin); n=[x for x in d["findings"] if x["rule"]=="CT-PRIVILEGED"]
assert len(n)==1 and n[0]["context"]=="web", n'
printf 'include:\n  - compose.yaml\nservices:\n  a:\n    image: a:1\n' > "$tmp/proj/sub/loop.yaml"
printf 'include:\n  - sub/loop.yaml\nservices:\n  b:\n    image: b:1\n' > "$tmp/proj/cycle.yml"
sed -i 's|compose.yaml|../cycle.yml|' "$tmp/proj/sub/loop.yaml"
t 'an include cycle is refused, as Compose does' 2 "$bin" check "$tmp/proj/cycle.yml"
has '... naming the file' "$tmp/out" 'include cycle'
# a service that a file and what it includes (or two included files) define
# differently is refused, as compose-go does; the same definition twice is one
mkdir -p "$tmp/incs"
printf 'services:\n  db:\n    image: postgres:16\n    read_only: true\n    ports: [5432]\n' > "$tmp/incs/a.yaml"
printf 'services:\n  db:\n    image: postgres:15\n' > "$tmp/incs/b.yaml"
printf 'x-db: &db\n  ports: [0x1538]\nservices:\n  db:\n    <<: *db\n    read_only: True\n    image: "postgres:16"\n' > "$tmp/incs/same.yaml"
printf 'services:\n  db:\n    image: postgres:16\n    read_only: true\n    ports: ["5432"]\n' > "$tmp/incs/str.yaml"
printf 'include:\n  - b.yaml\n' > "$tmp/incs/nest.yaml"
while IFS='|' read -r what inc own rc why; do
	printf 'include:\n%b' "$inc" > "$tmp/incs/main.yaml"
	[ -n "$own" ] && printf 'services:\n%b' "$own" >> "$tmp/incs/main.yaml"
	t "include: $what" "$rc" "$bin" check "$tmp/incs/main.yaml"
	[ -n "$why" ] && has "... saying why" "$tmp/out" "$why"
done <<'CASES'
a service redefined by the including file|  - a.yaml\n|  db:\n    image: postgres:17\n|2|main.yaml:4:3: service 'db' is also defined, differently, in
two included files defining it differently|  - a.yaml\n  - b.yaml\n||2|b.yaml:2:3: service 'db'
the conflict one include deeper|  - a.yaml\n  - nest.yaml\n||2|conflicts with imported resource
the same definition (keys reordered, quoted, merged, True for true, 0x1538 for 5432)|  - a.yaml\n  - same.yaml\n||1|
a port as a string is not the same definition|  - a.yaml\n  - str.yaml\n||2|conflicts with imported resource
the files of one entry, merged over each other|  - path: [a.yaml, b.yaml]\n||1|
CASES
printf 'services:\n  db:\n    image: postgres:14\n---\ninclude:\n  - a.yaml\n' > "$tmp/incs/docs.yaml"
t 'an include in a later document is merged over the earlier one' 1 "$bin" check --format json "$tmp/incs/docs.yaml"
json_ok '... as compose-go merges documents' 'import json,sys
d=json.load(sys.stdin); assert not any(x["rule"]=="CT-ROOTFS-WRITABLE" for x in d["findings"]), d["findings"]'
echo 'SECRET=hunter2' > "$tmp/outside/creds.yml"
ln -s "$tmp/outside/creds.yml" "$tmp/proj/link.yml"
mkfifo "$tmp/proj/fifo.yml"
for inc in /proc/self/environ ../outside/creds.yml link.yml fifo.yml /dev/zero missing.yml; do
	printf 'include:\n  - %s\nservices:\n  a:\n    image: a:1\n' "$inc" > "$tmp/proj/hostile.yml"
	t "include: $inc is refused" 2 timeout 10 "$bin" check "$tmp/proj/hostile.yml"
	if grep -q hunter2 "$tmp/out"; then echo "FAIL check: include: $inc quoted a file outside the project"; fi
done
printf 'services:\n  a:\n    extends: {file: ../outside/creds.yml, service: x}\n' > "$tmp/proj/hostile.yml"
t 'extends.file outside the project is refused' 2 "$bin" check "$tmp/proj/hostile.yml"
has '... saying why' "$tmp/out" 'outside the project directory'
# a Helm chart's templates are Go templates: one notice per chart saying to
# pipe `helm template` in, not a YAML error per file
mkdir -p "$tmp/repo/mychart/templates/sub"
printf 'apiVersion: v2\nname: mychart\nversion: 0.1.0\n' > "$tmp/repo/mychart/Chart.yaml"
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n{{- if .Values.x }}\n        securityContext: {privileged: true}\n{{- end }}\n' > "$tmp/repo/mychart/templates/deploy.yaml"
cp "$tmp/repo/mychart/templates/deploy.yaml" "$tmp/repo/mychart/templates/sub/x.yaml"
printf 'services:\n  a:\n    image: a:1\n    privileged: true\n' > "$tmp/repo/compose.yaml"
t 'a repository with a Helm chart and a Compose file' 1 "$bin" check "$tmp/repo"
has '... checks the Compose file' "$tmp/out" 'CT-PRIVILEGED'
if grep -q 'invalid YAML' "$tmp/out"; then echo "FAIL check: a chart template was parsed as YAML"; else echo "PASS check: ... and parses no chart template"; fi
has '... and says once how to check the chart' "$tmp/err" 'mychart is a Helm chart: .*helm template .*mychart | docksec check -'
[ "$(grep -c 'is a Helm chart' "$tmp/err")" = 1 ] && echo "PASS check: ... once" || echo "FAIL check: the chart notice is not said exactly once"
t 'a chart template named on the command line' 0 "$bin" check "$tmp/repo/mychart/templates/deploy.yaml"
has '... gets the notice, not exit 2' "$tmp/err" 'is a Helm chart'
# Kubernetes checks the peers have: requests (a limit is the request too),
# volume types outside PSS restricted, hostUsers, hostAliases, Secrets in env
cat > "$tmp/k8s-more.yaml" <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  hostUsers: true
  hostAliases:
  - ip: 10.0.0.1
    hostnames: [api.internal]
  volumes:
  - name: v
    nfs: {server: x, path: /}
  - name: ok
    emptyDir: {}
  containers:
  - name: c
    image: busybox:1.36
    resources: {limits: {memory: 64Mi}}
    env:
    - name: PW
      valueFrom: {secretKeyRef: {name: s, key: pw}}
    envFrom:
    - secretRef: {name: all}
Y
t 'a pod with hostUsers, hostAliases, an nfs volume and Secrets in env' 1 "$bin" check --format json "$tmp/k8s-more.yaml"
json_ok '... gets each finding where it is written' 'import json,sys
d=json.load(sys.stdin); hits={(x["line"], x["rule"]) for x in d["findings"]}
want={(5,"CT-HOST-USERNS"),(7,"CT-HOST-ALIASES"),(10,"CT-VOLUME-TYPE"),(15,"CT-NO-CPU-REQUEST"),(20,"CT-ENV-SECRET-REF"),(22,"CT-ENV-SECRET-REF")}
assert want <= hits, want - hits
assert not any(r=="CT-NO-MEMORY-REQUEST" for _, r in hits), "a memory limit is the request"'
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostUsers: false\n  containers:\n  - name: c\n    image: busybox:1.36\n    resources: {requests: {cpu: 100m, memory: 64Mi}}\n' > "$tmp/k8s-userns.yaml"
t 'a pod with its own user namespace and requests' 1 "$bin" check --format json "$tmp/k8s-userns.yaml"
json_ok '... has none of those findings' 'import json,sys
d=json.load(sys.stdin); r={x["rule"] for x in d["findings"]}
assert not r & {"CT-HOST-USERNS","CT-NO-CPU-REQUEST","CT-NO-MEMORY-REQUEST","CT-VOLUME-TYPE","CT-HOST-ALIASES","CT-ENV-SECRET-REF"}, r'
# only commands a shell runs count: not comments, echo strings, heredoc text,
# prose; in Makefiles the recipes, in Jenkinsfiles the sh steps, in CI YAML
# the keys that hold commands
mkdir -p "$tmp/rs/.github/workflows"
cat > "$tmp/rs/deploy.sh" <<'S'
#!/bin/sh
# docker run --privileged is NOT needed
echo "docker run --privileged echoed:1"
cat <<EOF
docker run --privileged heredoc:1
EOF
docker run --pid=host real:1
S
t 'a script with docker run in a comment, an echo and a heredoc' 1 "$bin" check --format json "$tmp/rs/deploy.sh"
json_ok '... judges only the command the shell runs' 'import json,sys
d=json.load(sys.stdin); f=d["findings"]
assert {x["context"] for x in f} == {"docker run real:1 (line 7)"}, {x["context"] for x in f}
assert not any(x["rule"]=="CT-PRIVILEGED" for x in f)'
printf '# Usage\n\n    docker run --privileged x\n' > "$tmp/rs/README.md"
t 'a README with a docker run example is not a run file' 2 "$bin" check "$tmp/rs/README.md"
has '... and the error says what is read' "$tmp/out" 'shell script, Makefile, Jenkinsfile or CI file'
printf 'all:\n\t@docker run --privileged mk:1\n# docker run --privileged c:1\nx:\n\techo "docker run --privileged e:1"\n\t-docker run \\\n\t  --pid=host mk2:1\n' > "$tmp/rs/Makefile"
t 'a Makefile' 1 "$bin" check --format json "$tmp/rs/Makefile"
json_ok '... judges its recipe lines, continuations included' 'import json,sys
d=json.load(sys.stdin); hits={(x["line"], x["rule"]) for x in d["findings"]}
assert (2, "CT-PRIVILEGED") in hits and (7, "CT-HOST-PID") in hits, hits
assert sum(1 for h in hits if h[1]=="CT-PRIVILEGED") == 1, hits'
cat > "$tmp/rs/Jenkinsfile" <<'S'
pipeline { stages { stage('x') { steps {
  // sh 'docker run --privileged commented:1'
  sh 'docker run --privileged j1:1'
  sh(script: "docker run --pid=host j2:1", returnStdout: true)
  echo 'docker run --privileged notrun:1'
} } } }
S
t 'a Jenkinsfile' 1 "$bin" check --format json "$tmp/rs/Jenkinsfile"
json_ok '... judges the strings of its sh steps' 'import json,sys
d=json.load(sys.stdin); hits={(x["line"], x["rule"]) for x in d["findings"]}
assert (3, "CT-PRIVILEGED") in hits and (4, "CT-HOST-PID") in hits, hits
assert sum(1 for h in hits if h[1]=="CT-PRIVILEGED") == 1, hits'
cat > "$tmp/rs/.github/workflows/ci.yml" <<'S'
name: ünïcode ci
on: push
jobs:
  t:
    services:
      redis: {image: redis}
    steps:
      - name: docker run --privileged name:1
        run: docker run --cap-add=ALL g1:1
      - run: |
          # docker run --privileged comment:1
          docker run \
            --pid=host g2:1
      - run: >
          docker run
          --net=host g3:1
S
t 'a GitHub workflow' 1 "$bin" check --format json "$tmp/rs/.github/workflows/ci.yml"
json_ok '... judges run: steps (plain, literal, folded) at their lines' 'import json,sys
d=json.load(sys.stdin); hits={(x["line"], x["column"], x["rule"]) for x in d["findings"]}
assert (9, 25, "CT-CAP-ALL") in hits and (13, 13, "CT-HOST-PID") in hits and (16, 11, "CT-HOST-NETWORK") in hits, hits
assert not any(h[2]=="CT-PRIVILEGED" for h in hits), hits'
printf 'services:\n  - docker:24-dind\nbuild:\n  script:\n    - docker run --privileged gl:1\n' > "$tmp/rs/.gitlab-ci.yml"
t 'a GitLab CI file with a top-level services list' 1 "$bin" check --format json "$tmp/rs/.gitlab-ci.yml"
json_ok '... is read as CI, not as Compose' 'import json,sys
d=json.load(sys.stdin); assert any(x["rule"]=="CT-PRIVILEGED" and x["line"]==5 for x in d["findings"]), d'
t 'a directory walk takes the script, Makefile, Jenkinsfile and CI files, not the README' 1 "$bin" check --format json "$tmp/rs"
json_ok '... five files' 'import json,sys
d=json.load(sys.stdin); files={x["file"].split("/rs/")[-1] for x in d["findings"]}
assert files == {"deploy.sh", "Makefile", "Jenkinsfile", ".github/workflows/ci.yml", ".gitlab-ci.yml"}, files'
# a secret is masked wherever the text report shows it: message and source
# line, keeping only a format's public prefix (ghp_, AKIA), nothing of a password
printf 'FROM alpine:3.20\nENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY DB_PASSWORD=hunter2hunter2\nENV GH=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789\n' > "$tmp/sec.df"
t 'a Dockerfile with secrets, in text' 1 "$bin" lint "$tmp/sec.df"
if grep -q -E 'wJalr|hunter2|hunt\*|aBcDeF' "$tmp/out"; then echo "FAIL check: a secret reached the text report"; grep -E 'wJalr|hunter|aBcDeF' "$tmp/out" | head -3
else echo "PASS check: ... shows no part of a secret (message or source line)"; fi
has '... but the token prefix' "$tmp/out" 'ENV GH=ghp_\*\*\*\*'
printf 'services:\n  app:\n    image: app:1.0\n    environment:\n      DB_PASSWORD: hunter2hunter2\n      AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE\n' > "$tmp/sec.yml"
t 'a Compose file with secrets, in text' 1 "$bin" check "$tmp/sec.yml"
if grep -q -E 'hunter2|hunt\*|IOSFODNN' "$tmp/out"; then echo "FAIL check: a secret reached the check text report"; else echo "PASS check: ... none in check's text report either"; fi
# no health check is asked of what runs to completion
printf 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: busybox:1.36}]\n' > "$tmp/job.yaml"
t 'a Kubernetes Job' 1 "$bin" check "$tmp/job.yaml"
if grep -q CT-NO-HEALTHCHECK "$tmp/out"; then echo "FAIL check: a Job was asked for probes"; else echo "PASS check: ... is not asked for probes"; fi
t 'docker run --rm' 1 "$bin" check --cmd 'docker run --rm alpine:3.20 echo hi'
if grep -q CT-NO-HEALTHCHECK "$tmp/out"; then echo "FAIL check: a --rm one-shot was asked for a health check"; else echo "PASS check: ... is not asked for a health check"; fi
printf 'FROM gcr.io/distroless/static-debian12:nonroot\nUSER 65532\n' > "$tmp/distroless.df"
t 'a distroless image' 1 "$bin" lint "$tmp/distroless.df"
if grep -q DF-HEALTHCHECK-MISSING "$tmp/out"; then echo "FAIL check: a distroless image was asked for a HEALTHCHECK"; else echo "PASS check: ... is not asked for a HEALTHCHECK (no shell to run it)"; fi
# no raw control character from the input in any format, lint or check
printf 'FROM alpine:3.20\nLABEL x="\033]0;t\007 \302\233 1"\nRUN echo "\033[2J" && curl http://x | sh\n' > "$tmp/ctl.df"
printf 'services:\n  "w\\e[2J\\u009b":\n    image: "x:1\\a"\n    privileged: true\n' > "$tmp/ctl.yml"
for fmt in text json sarif junit checkstyle gitlab html; do
	"$bin" lint -f "$fmt" "$tmp/ctl.df" > "$tmp/o" 2> "$tmp/e"
	"$bin" check -f "$fmt" "$tmp/ctl.yml" >> "$tmp/o" 2>> "$tmp/e"
	if LC_ALL=C grep -q -P '\x1b|\x07|\xc2[\x80-\x9f]' "$tmp/o" "$tmp/e"; then echo "FAIL check: -f $fmt let a raw control character through"
	else echo "PASS check: -f $fmt: no raw control character from a Dockerfile or a Compose file"; fi
done
t 'a missing file is an input error' 2 "$bin" check "$tmp/nope.yml"
printf 'services:\n  a:\n    image: x\n\0' > "$tmp/bin.yml"
t 'a binary file is refused' 2 "$bin" check "$tmp/bin.yml"
printf 'services:\n  a:\n    image: "\xff\xfe"\n' > "$tmp/utf.yml"
t 'invalid UTF-8 is an input error' 2 "$bin" check "$tmp/utf.yml"
t 'an unknown option is a usage error' 2 "$bin" check --frobnicate

python3 - "$tmp" <<'P'
import sys
d = sys.argv[1]
open(d + '/deep.yml', 'w').write('services:\n  a:\n    image: ' + '[' * 100000 + ']' * 100000 + '\n')
lines = ['x-a0: &a0 {image: "x:1"}']
for i in range(1, 10):
    lines.append('x-a%d: &a%d {<<: [%s]}' % (i, i, ', '.join(['*a%d' % (i - 1)] * 9)))
lines.append('services:\n  s:\n    <<: *a9')
open(d + '/bomb.yml', 'w').write('\n'.join(lines) + '\n')
open(d + '/laughs.yml', 'w').write('x-a: &a [l, l, l, l, l, l, l, l, l]\nx-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n'
    'x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nservices:\n  s:\n    image: x:1\n    environment: *c\n')
open(d + '/big.yml', 'w').write('services:\n' + ''.join('  s%d:\n    image: "img:%d"\n    privileged: true\n' % (i, i) for i in range(20000)))
open(d + '/dup-flow.yml', 'w').write('services: {a: {image: x, image: y}}\n')
P
t 'nesting 100,000 deep is refused quickly' 2 timeout 20 "$bin" check "$tmp/deep.yml"
has 'deep nesting names the limit' "$tmp/out" 'nested more than 256 levels'
t 'a merge-key bomb ends with a limit error' 2 timeout 20 "$bin" check "$tmp/bomb.yml"
has 'the bomb error names the cause' "$tmp/out" 'node visits'
t 'nested aliases where strings belong are an input error' 2 timeout 20 "$bin" check "$tmp/laughs.yml"
# env_file names a file the check reads: /dev/zero or a FIFO no one writes to would
# hold it forever; each is refused at once, naming it
printf 'services:\n  a:\n    image: nginx:1.25\n    env_file: /dev/zero\n' >"$tmp/envzero.yml"
t 'env_file: /dev/zero is refused, not read forever' 2 timeout 20 "$bin" check "$tmp/envzero.yml"
has '... naming it' "$tmp/err" '/dev/zero: an env file that is not a regular file'
rm -f "$tmp/env.fifo"; mkfifo "$tmp/env.fifo"
printf 'services:\n  a:\n    image: nginx:1.25\n    env_file: env.fifo\n' >"$tmp/envfifo.yml"
t 'env_file naming a FIFO is refused, not waited on' 2 timeout 20 "$bin" check "$tmp/envfifo.yml"
# the env files a project reads count with its other files (64 MiB together)
python3 -c "open('$tmp/big.env','w').write(''.join('K%d=%s\\n' % (i, 'v' * 100) for i in range(100000)))"
python3 -c "print('services:\\n' + ''.join('  s%d:\\n    image: nginx:1.25\\n    env_file: big.env\\n' % i for i in range(8)))" >"$tmp/envmany.yml"
t 'env files read past the project bound are refused' 2 timeout 60 "$bin" check "$tmp/envmany.yml"
has '... naming the bound' "$tmp/err" "big.env: an env file larger than the project's files may be together"
t 'a 20,000-service file is checked' 1 timeout 60 "$bin" check --format json "$tmp/big.yml"
json_ok 'every one of the 20,000 services is judged' '
import json,sys; d=json.load(sys.stdin)
assert sum(1 for x in d["findings"] if x["rule"]=="CT-PRIVILEGED")==20000'
t 'duplicate keys in flow style are refused' 2 "$bin" check "$tmp/dup-flow.yml"
has 'the duplicate is named with its line' "$tmp/out" "duplicate key 'image'"

ex=$(cd "$(dirname "$0")/../../examples" && pwd)
t 'the hardened Compose example is clean' 0 "$bin" check "$ex/compose.hardened.yml"
t 'the insecure examples have findings' 1 "$bin" check "$ex/compose.insecure.yml" "$ex/deployment.insecure.yaml" "$ex/run.sh"
