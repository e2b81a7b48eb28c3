#!/usr/bin/env bash
# `docksec db` and `docksec scan --vulns`: OSV records imported into SQLite
# (files, directories, zip archives; incremental, withdrawn, one transaction),
# images this suite writes (a Debian status file and language packages of
# known versions, an Alpine database) matched against records written here
# and against ../shared/reference/osv-samples, with exact expected matches:
# backports, epochs, ~ pre-releases, source-versus-binary names, another
# release's records, last_affected, unordered ecosystems; then the gate with
# each whitelist format, expiry, a missing and a stale database.
set -u
bin=$(realpath "${1:-build/san/docksec}")
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
suite=vulns
. "$(dirname "$0")/lib.sh"
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME="$tmp/cache"
unset DOCKSEC_DB
samples="$root/../shared/reference/osv-samples"
if ! command -v python3 >/dev/null; then
	echo "SKIP vulns: needs python3 to write the test images and records"
	exit 0
fi
cd "$tmp" || exit 0

t 'db --help' 0 "$bin" db --help
t 'db import --help' 0 "$bin" db import --help
t 'db status --help' 0 "$bin" db status --help
t 'db with no subcommand is a usage error' 2 "$bin" db
t 'db import with nothing to import is a usage error' 2 "$bin" db import
t 'db status without a database is an error' 2 "$bin" db status
has 'it says how to create one' "$tmp/err" 'no vulnerability database .*docksec db import'

# ---- an image with packages of known versions ----
mkdir -p img
cat >img/status <<'EOF2'
Package: libssl3
Status: install ok installed
Architecture: amd64
Source: openssl
Version: 3.0.11-1~deb12u1

Package: openssl
Status: install ok installed
Architecture: amd64
Version: 3.0.11-1~deb12u1

Package: libfoo1
Status: install ok installed
Architecture: amd64
Source: foo (1.2-3)
Version: 5.0-1

Package: tzdata
Status: install ok installed
Architecture: all
Version: 2024a-0+deb12u1

Package: bash
Status: install ok installed
Architecture: amd64
Version: 5.2.15-2+b2

Package: zlib1g
Status: install ok installed
Architecture: amd64
Source: zlib
Version: 1:1.2.13.dfsg-1

Package: removed
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0-1

Package: gone
Status: install ok installed
Architecture: amd64
Version: 2.0-1
EOF2
printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' >img/os-release
printf 'Metadata-Version: 2.1\nName: Requests_OAuthlib\nVersion: 1.3.1\n' >img/METADATA
echo '{"name": "@babel/core", "version": "7.23.0"}' >img/babel.json
echo '{"name": "lodash", "version": "4.17.21"}' >img/lodash.json
printf 'Gem::Specification.new do |s|\n  s.name = "rack"\n  s.version = "2.2.4"\nend\n' >img/rack.gemspec
filesimg deb.tar var/lib/dpkg/status=img/status etc/os-release=img/os-release \
	usr/lib/python3/dist-packages/Requests_OAuthlib-1.3.1.dist-info/METADATA=img/METADATA \
	app/node_modules/@babel/core/package.json=img/babel.json app/node_modules/lodash/package.json=img/lodash.json \
	usr/lib/ruby/gems/3.1.0/specifications/rack-2.2.4.gemspec=img/rack.gemspec

# ---- records written here: each proves one matching rule ----
mkdir -p recs
rec() { # rec FILE ID ECOSYSTEM NAME 'EVENTS-JSON' [EXTRA-JSON-MEMBERS]
	printf '{"id": "%s", "modified": "2026-01-01T00:00:00Z", "summary": "test %s", "affected": [{"package": {"ecosystem": "%s", "name": "%s"}, "ranges": [{"type": "ECOSYSTEM", "events": %s}]}]%s}\n' \
		"$2" "$2" "$3" "$4" "$5" "${6:+, $6}" >"recs/$1.json"
}
# by source package, fixed in a later stable update: every binary of it is affected
rec src T-SRC Debian:12 openssl '[{"introduced": "0"}, {"fixed": "3.0.13-1~deb12u1"}]' \
	'"aliases": ["CVE-2026-0001"], "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]'
# the fix is the installed backport itself: not affected
rec backport T-BACKPORT Debian:12 openssl '[{"introduced": "0"}, {"fixed": "3.0.11-1~deb12u1"}]'
# a binary package's name under Debian (whose records name sources): no match
rec binary T-BINNAME Debian:12 libssl3 '[{"introduced": "0"}]'
# another release's record: no match
rec release T-DEB11 Debian:11 openssl '[{"introduced": "0"}, {"fixed": "3.0.13-1~deb11u1"}]'
# the source's version (1.2-3), not the binary's own (5.0-1): Debian's records name source versions
rec srcver T-SRCVER Debian:12 foo '[{"introduced": "0"}, {"fixed": "2.0-1"}]'
# an epoch: 1:1.2.13 is far above 1.3
rec epoch T-EPOCH Debian:12 zlib '[{"introduced": "0"}, {"fixed": "1.3.dfsg-1"}]'
rec epoch2 T-EPOCH2 Debian:12 zlib '[{"introduced": "0"}, {"fixed": "1:1.2.13.dfsg-2"}]' '"database_specific": {"severity": "HIGH"}'
# ~ sorts before the end: 2024a-0+deb12u1 is after 2024a-0~rc1
rec tilde T-TILDE Debian:12 tzdata '[{"introduced": "0"}, {"fixed": "2024a-0~rc1"}]'
# no fix yet; and last_affected
rec unfixed T-UNFIXED Debian:12 bash '[{"introduced": "5.0"}]'
# rated by Debian's urgency (unimportant), not by its CVSS score (9.8), which is kept
printf '{"id": "T-LAST", "modified": "2026-01-01T00:00:00Z", "summary": "test T-LAST", "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}], "affected": [{"package": {"ecosystem": "Debian:12", "name": "bash"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"last_affected": "5.2.15-2+b2"}]}], "ecosystem_specific": {"urgency": "unimportant"}}]}\n' >recs/last.json
rec lastno T-LASTNO Debian:12 bash '[{"introduced": "0"}, {"last_affected": "5.2.15-2+b1"}]'
# language packages: PyPI names normalised, npm semver, RubyGems' own ordering (2.2.4 < 2.2.8)
rec py T-PY PyPI requests-oauthlib '[{"introduced": "0"}, {"fixed": "1.3.2"}]' '"aliases": ["CVE-2026-0002"]'
# CVSS v4 rates it (5.3, medium) though a v3 vector (9.8) is there too
rec npm T-NPM npm @babel/core '[{"introduced": "7.0.0"}, {"fixed": "7.23.2"}]' \
	'"severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}, {"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:L/VI:N/VA:N/SC:L/SI:N/SA:L"}]'
rec gem T-GEMRANGE RubyGems rack '[{"introduced": "0"}, {"fixed": "2.2.8"}]'
printf '{"id": "T-GEMLIST", "modified": "2026-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "RubyGems", "name": "rack"}, "versions": ["2.2.3", "2.2.4"]}]}\n' >recs/gemlist.json

t 'db import of a directory of records' 0 "$bin" db import recs
has 'it counts what it added' "$tmp/err" '15 records from 15 files: 15 added'
t 'db status' 0 "$bin" db status -f json
json_ok 'the status names the ecosystems, counts and age' '
import json,sys; d=json.load(sys.stdin); e={x["ecosystem"]:x["records"] for x in d["ecosystems"]}
assert d["records"]==15 and e["Debian:12"]==10 and e["Debian:11"]==1 and e["PyPI"]==1 and e["RubyGems"]==2, d
assert d["age_seconds"]>=0 and d["imported_at"]>0 and d["newest_modified"]=="2026-01-01T00:00:00Z"'
t 'a second import of the same records changes nothing' 0 "$bin" db import recs
has 'all unchanged' "$tmp/err" '0 added, 0 updated, 0 merged, 15 unchanged'

t 'scan --vulns finds the affected packages (exit 1)' 1 "$bin" scan --vulns deb.tar -f json
cp out vulns.json
json_ok 'exactly the expected matches, each with its fixed version' '
import json,sys; d=json.load(sys.stdin); v=d["images"][0]["vulnerabilities"]
got=sorted((x["id"],x["package"],x["fixed_version"]) for x in v)
want=sorted([("T-SRC","libssl3","3.0.13-1~deb12u1"),("T-SRC","openssl","3.0.13-1~deb12u1"),
  ("T-SRCVER","libfoo1","2.0-1"),("T-EPOCH2","zlib1g","1:1.2.13.dfsg-2"),
  ("T-UNFIXED","bash",None),("T-LAST","bash",None),("T-PY","Requests_OAuthlib","1.3.2"),
  ("T-NPM","@babel/core","7.23.2"),("T-GEMLIST","rack",None),("T-GEMRANGE","rack","2.2.8")])
assert got==want, got'
json_ok 'source packages are matched by source name and version; severities from each source' '
import json,sys; d=json.load(sys.stdin); v={(x["id"],x["package"]):x for x in d["images"][0]["vulnerabilities"]}
s=v[("T-SRC","libssl3")]
assert s["matched_name"]=="openssl" and s["ecosystem"]=="Debian:12" and s["severity"]=="critical" and s["score"]==9.8, s
assert s["aliases"]==["CVE-2026-0001"] and s["layer"]==1 and s["purl"].startswith("pkg:deb/debian/libssl3@")
assert v[("T-EPOCH2","zlib1g")]["severity"]=="high"
assert v[("T-UNFIXED","bash")]["rated"] is False and v[("T-UNFIXED","bash")]["severity"]=="medium"
n=v[("T-NPM","@babel/core")]
assert n["severity"]=="medium" and n["score"]==5.3 and n["rated"] and n["vector"].startswith("CVSS:4.0/AV:N/AC:L/AT:N"), n
assert n["severity_source"]=="CVSS_V4" and s["severity_source"]=="CVSS_V3" and v[("T-UNFIXED","bash")]["severity_source"] is None
l=v[("T-LAST","bash")]
assert l["severity"]=="info" and l["score"]==9.8 and l["severity_source"]=="ecosystem_specific", l
vd=d["images"][0]["vulnerability_db"]
assert vd["os_ecosystem"]=="Debian:12" and vd["ranges_without_ordering"]==0 and vd["packages_queried"]==11, vd
f=[x for x in d["findings"] if x["rule"]=="VULN-PACKAGE"]
assert v[("T-SRCVER","libfoo1")]["matched_version"]=="1.2-3" and v[("T-PY","Requests_OAuthlib")]["matched_name"]=="requests-oauthlib"
assert len(f)==10 and f[0]["severity"]=="critical" and f[0]["location"]["kind"]=="package", f[0]
assert "refs" in f[0] and "cis:4.4" in f[0]["refs"]'
t 'the text report' 1 "$bin" scan --vulns deb.tar --no-color
has 'it counts the vulnerabilities and fixable ones' "$tmp/out" 'vulnerabilities: 10 \(7 with a fixed version\), 0 whitelisted, 5 not rated \(counted as medium\); Debian:12$'
has 'each finding names the package, the fix and the record' "$tmp/out" 'pkg:deb/debian/libssl3@.* critical +VULN-PACKAGE .*T-SRC \(CVE-2026-0001\) in libssl3 3.0.11-1~deb12u1 \(source openssl 3.0.11-1~deb12u1\): fixed in 3.0.13-1~deb12u1'
has 'one the distribution rated shows the CVSS score it overrode' "$tmp/out" 'info +VULN-PACKAGE .*T-LAST in bash 5.2.15-2\+b2: no fixed version yet \(the distribution.s rating; CVSS 9.8\)'
has 'an unfixed one says so' "$tmp/out" 'T-UNFIXED in bash 5.2.15-2\+b2: no fixed version yet \(severity not rated; counted as medium\)'
t 'sarif' 1 "$bin" scan --vulns deb.tar -f sarif
json_ok 'SARIF results locate the package' '
import json,sys; d=json.load(sys.stdin); r=[x for x in d["runs"][0]["results"] if x["ruleId"]=="VULN-PACKAGE"]
assert len(r)==10 and r[0]["locations"][0]["logicalLocations"][1]["kind"]=="package", r[0]'
t 'junit' 1 "$bin" scan --vulns deb.tar -f junit
has 'JUnit names the purl' "$tmp/out" 'pkg:deb/debian/libssl3@'
t 'html' 1 "$bin" scan --vulns deb.tar -f html
has 'HTML names the package where a file names its line' "$tmp/out" 'deb.tar \(files:1\)<br>pkg:deb/debian/libssl3@'

# ---- the gate ----
t '--fail-on critical fails on the critical one' 1 "$bin" scan --vulns deb.tar --fail-on critical -q
cat >clair.yml <<'EOF2'
generalwhitelist:
  CVE-2026-0001: openssl, not reachable from the app
images:
  files:
    T-EPOCH2: zlib in a tool we do not run
  other:
    T-UNFIXED: another image's entry
EOF2
t 'clair-scanner whitelist by alias: --fail-on high passes' 0 "$bin" scan --vulns deb.tar --whitelist clair.yml --fail-on high -f json
json_ok 'whitelisted matches are listed with their entry, not as findings' '
import json,sys; d=json.load(sys.stdin); v={(x["id"],x["package"]):x for x in d["images"][0]["vulnerabilities"]}
w=v[("T-SRC","openssl")]["whitelisted"]
assert w["id"]=="CVE-2026-0001" and w["reason"]=="openssl, not reachable from the app" and w["line"]==2, w
assert v[("T-EPOCH2","zlib1g")]["whitelisted"]["id"]=="T-EPOCH2"
assert v[("T-UNFIXED","bash")]["whitelisted"] is None, "another image section does not apply"
assert not [x for x in d["findings"] if x["rule"]=="VULN-PACKAGE" and x["severity"] in ("high","critical")]'
t '--fail-on medium still fails on the rest' 1 "$bin" scan --vulns deb.tar --whitelist clair.yml --fail-on medium
has 'an entry that covered nothing is pointed out' "$tmp/err" 'clair.yml:7: whitelist entry T-UNFIXED matched nothing in this run'
if grep -q 'CVE-2026-0001 matched nothing' "$tmp/err"; then echo "FAIL vulns: a used entry was called unused"; else echo "PASS vulns: used entries are not called unused"; fi
cat >scoped.trivyignore.yaml <<'EOF2'
vulnerabilities:
  - id: T-NPM
    purls: ["pkg:npm/@babel/core@7.23.0"]
  - id: T-PY
    paths: ["**/site-packages/**"]
  - id: T-GEMRANGE
    statement: rack from the base image
    paths: ["usr/lib/ruby/gems/*/specifications/rack-*.gemspec"]
  - id: T-GEMLIST
    purls: ["pkg:gem/rack@9.9.9"]
EOF2
t '.trivyignore.yaml entries scoped by purls and paths' 1 "$bin" scan --vulns deb.tar --whitelist scoped.trivyignore.yaml -f json
json_ok 'each covers only the packages its purls and paths name' '
import json,sys; d=json.load(sys.stdin); v={(x["id"],x["package"]):x for x in d["images"][0]["vulnerabilities"]}
assert v[("T-NPM","@babel/core")]["whitelisted"]["line"]==2, v[("T-NPM","@babel/core")]
assert v[("T-GEMRANGE","rack")]["whitelisted"]["reason"]=="rack from the base image"
assert v[("T-PY","Requests_OAuthlib")]["whitelisted"] is None, "dist-packages is not site-packages"
assert v[("T-GEMLIST","rack")]["whitelisted"] is None, "another version"'
has 'the entries that covered nothing are pointed out' "$tmp/err" 'scoped.trivyignore.yaml:4: whitelist entry T-PY matched nothing'
cp vulns.json deb.json
t 'CycloneDX with vulnerabilities, gated like the report' 1 "$bin" scan --vulns deb.tar --whitelist clair.yml -f cyclonedx -o vex.cdx.json
t 'and passing the gate when the rest is below it' 0 "$bin" scan --vulns deb.tar --whitelist clair.yml -f cyclonedx --fail-on high -o vex.cdx.json
sbom_ok 'the CycloneDX document with its vulnerabilities and VEX analysis is valid' cyclonedx vex.cdx.json '
refs={c["bom-ref"]:c for c in d["components"]}
v={(x["id"],refs[x["affects"][0]["ref"]]["name"]):x for x in d["vulnerabilities"]}
assert len(v)==10, sorted(v)
s=v[("T-SRC","libssl3")]
assert s["ratings"][0]=={"score":9.8,"severity":"critical","method":"CVSSv31","vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}, s
assert s["references"]==[{"id":"CVE-2026-0001","source":{"name":"NVD"}}] and s["recommendation"]=="Upgrade libssl3 to 3.0.13-1~deb12u1 or later"
l=v[("T-LAST","bash")]["ratings"]
assert l[0]["severity"]=="info" and l[0]["method"]=="other" and "ecosystem_specific" in l[0]["justification"], l
assert l[1]=={"score":9.8,"severity":"critical","method":"CVSSv31","vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}, l
n=v[("T-NPM","@babel/core")]
assert n["ratings"][0]["method"]=="CVSSv4" and n["ratings"][0]["score"]==5.3 and n["ratings"][0]["severity"]=="medium", n
assert s["analysis"]["state"]=="exploitable" and s["analysis"]["response"]==["will_not_fix"] and "openssl, not reachable" in s["analysis"]["detail"], s
assert "analysis" not in v[("T-UNFIXED","bash")] and v[("T-UNFIXED","bash")]["ratings"][0]["severity"]=="unknown"
assert v[("T-SRCVER","libfoo1")]["affects"][0]["versions"]==[{"version":"5.0-1","status":"affected"}]'
cat >allow.yaml <<'EOF2'
ignore:
  - id: T-SRC
    reason: patched in our build
    expires: 2999-12-31
  - id: T-EPOCH2
    reason: accepted last year
    expires: 2001-01-01
EOF2
t 'docksec whitelist with an expired entry fails on it' 1 "$bin" scan --vulns deb.tar --whitelist allow.yaml --fail-on high -f json
json_ok 'the expired entry is reported, the live one counts' '
import json,sys; d=json.load(sys.stdin); f=d["findings"]
ex=[x for x in f if x["rule"]=="VULN-WHITELIST-EXPIRED"]
assert len(ex)==1 and "expired on 2001-01-01" in ex[0]["message"] and ex[0]["severity"]=="info", ex
hi=[x for x in f if x["rule"]=="VULN-PACKAGE" and x["severity"]=="high"]
assert len(hi)==1 and "T-EPOCH2" in hi[0]["message"], hi
assert not [x for x in f if x["message"].startswith("T-SRC ")]'
printf 'ignore:\n  - id: T-SRC\n' >noreason.yaml
t 'an entry without a reason is refused' 2 "$bin" scan --vulns deb.tar --whitelist noreason.yaml
has 'naming the file and line' "$tmp/err" 'noreason.yaml:2.*reason'
printf '# accepted\nT-SRC\nT-EPOCH2 exp:2999-01-01\nT-UNFIXED exp:2001-01-01\n' >.trivyignore
t './.trivyignore is honoured' 0 "$bin" scan --vulns deb.tar --fail-on high -f json
json_ok 'its entries whitelist, its expired one does not' '
import json,sys; d=json.load(sys.stdin); v={(x["id"],x["package"]):x for x in d["images"][0]["vulnerabilities"]}
assert v[("T-SRC","libssl3")]["whitelisted"]["reason"]=="in .trivyignore"
assert v[("T-UNFIXED","bash")]["whitelisted"] is None and v[("T-UNFIXED","bash")]["expired_whitelist"]["expires"]=="2001-01-01"'
t 'the match its expired entry no longer hides fails --fail-on medium' 1 "$bin" scan --vulns deb.tar --fail-on medium -q
rm .trivyignore
t '--whitelist without --vulns is a usage error' 2 "$bin" scan deb.tar --whitelist clair.yml
python3 -c 'import sys; sys.stdout.write("CVE-1\n" * 1000001)' >big.trivyignore
t 'a million and one whitelist entries are refused (exit 2)' 2 "$bin" scan --vulns deb.tar --whitelist big.trivyignore
has 'naming the bound and where it was reached' "$tmp/err" 'big.trivyignore:1000001:1: more than 1000000 whitelist entries in all'

# ---- the database's age, and its absence ----
t 'a missing --db is an error' 2 "$bin" scan --vulns deb.tar --db nothere.db
has 'naming it' "$tmp/err" 'nothere.db.*no vulnerability database'
python3 -c 'import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1]); c.execute("update meta set value=? where key=\"imported_at\"",(str(int(time.time())-10*86400),)); c.commit()' "$XDG_CACHE_HOME/docksec/vulns.db"
t 'a database 10 days old is an error (exit 2)' 2 "$bin" scan --vulns deb.tar
has 'it says how old and what to do' "$tmp/err" '10 days old, older than --max-age 7 .*--allow-stale'
t '--allow-stale uses it with a notice' 1 "$bin" scan --vulns deb.tar --allow-stale
has 'the notice' "$tmp/err" 'is 10 days old \(--allow-stale\)'
t '--max-age 30 accepts it' 1 "$bin" scan --vulns deb.tar --max-age 30
python3 -c 'import sqlite3; c=sqlite3.connect("other.db"); c.execute("create table t(x)"); c.commit()'
t 'another SQLite file is not a vulnerability database' 2 "$bin" scan --vulns deb.tar --db other.db
t 'nor written to by an import' 2 "$bin" db import --db other.db recs
python3 -c 'import sqlite3; c=sqlite3.connect("other.db"); assert c.execute("select name from sqlite_master").fetchall()==[("t",)]'
[ $? = 0 ] && echo "PASS vulns: the other file is left as it was" || echo "FAIL vulns: the other file was changed"
cp "$XDG_CACHE_HOME/docksec/vulns.db" old.db
python3 -c 'import sqlite3; c=sqlite3.connect("old.db"); c.execute("pragma user_version=3"); c.commit()'
t 'a database of an older docksec is refused' 2 "$bin" scan --vulns deb.tar --db old.db --allow-stale
has 'saying what to do' "$tmp/err" 'old.db: written by another version of docksec \(schema 3, this one reads [0-9]+\): delete the file and run `docksec db update`'
t 'and not imported into' 2 "$bin" db import --db old.db recs

# ---- imports: one transaction, incremental, withdrawn, zip archives, hostile input ----
mkdir -p more
rec new T-NEW Debian:12 bash '[{"introduced": "0"}]'
mv recs/new.json more/
printf '{"id": "T-BROKEN", "affected": [' >more/zz-broken.json
t 'an import with a broken record fails' 2 "$bin" db import more
has 'naming the file' "$tmp/err" 'zz-broken.json'
t 'and leaves the database as it was' 0 "$bin" db status -f json
json_ok 'no record of the failed import is in it' 'import json,sys; d=json.load(sys.stdin); assert d["records"]==15, d'
rm more/zz-broken.json
printf '{"id": "T-UNFIXED", "modified": "2026-02-01T00:00:00Z", "withdrawn": "2026-02-01T00:00:00Z"}\n' >more/w.json
printf '{"id": "T-PY", "modified": "2026-03-01T00:00:00Z", "affected": [{"package": {"ecosystem": "PyPI", "name": "requests-oauthlib"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.3.1"}]}]}]}\n' >more/py.json
printf '{"id": "T-NPM", "modified": "2025-01-01T00:00:00Z", "affected": []}\n' >more/old.json
t 'an incremental import' 0 "$bin" db import more
has 'new, newer, withdrawn and older records each counted' "$tmp/err" '4 records from 4 files: 1 added, 1 updated, 0 merged, 1 unchanged, 1 withdrawn'
t 'scan after it' 1 "$bin" scan --vulns deb.tar -f json
json_ok 'the withdrawn record is gone, the updated one no longer matches, the older one was kept' '
import json,sys; d=json.load(sys.stdin); ids={x["id"] for x in d["images"][0]["vulnerabilities"]}
assert "T-UNFIXED" not in ids and "T-PY" not in ids and "T-NPM" in ids and "T-NEW" in ids, ids'
python3 - <<'PY'
import json, zipfile
with zipfile.ZipFile("all.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(300):
        z.writestr("Z-%d.json" % i, json.dumps({"id": "Z-%d" % i, "modified": "2026-01-01T00:00:00Z",
            "affected": [{"package": {"ecosystem": "npm", "name": "pkg%d" % i}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.0.%d" % i}]}]}]}))
    z.writestr("README.txt", "not a record")
with zipfile.ZipFile("bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("big.json", '{"id": "B", "x": "' + "A" * (9 << 20) + '"}')
PY
t 'a zip archive of records (osv.dev all.zip)' 0 "$bin" db import --db zip.db all.zip
has '300 records from it' "$tmp/err" '300 records from 300 files: 300 added'
t 'a record that unpacks past 8 MiB is refused' 2 "$bin" db import --db bomb.db bomb.zip
has 'with the limit named' "$tmp/err" 'bomb.zip:big.json.*larger than 8 MiB'
[ ! -e bomb.db ] && echo "PASS vulns: a failed first import leaves no database file" || echo "FAIL vulns: bomb.db left behind"
mkdir -p linkdir && ln -s "$tmp/recs/src.json" linkdir/link.json && ln -s / linkdir/root
t 'links inside an imported directory are not followed' 0 "$bin" db import --db link.db linkdir
has 'nothing read through them' "$tmp/err" '0 records from 0 files'
# a hostile database file: ranges that are not of docksec's form, ids and summaries with escape sequences
cp "$XDG_CACHE_HOME/docksec/vulns.db" hostile.db
python3 - <<'PY'
import sqlite3
c = sqlite3.connect("hostile.db")
c.execute("update affected set ranges = ? where id = 'T-SRCVER'", ("R\nR \ni\nf \nv\n\x00junk",))
c.execute("update affected set ranges = ? where id = 'T-NEW'", ("R ECOSYSTEM\n" + "i 0\n" * 50000 + "f 9",))
c.execute("update vulns set summary = ? where id = 'T-EPOCH2'", ("\x1b[31mred\x07\r",))
c.execute("update vulns set id = ? where id = 'T-LAST'", ("T-\x1b]0;x\x07LAST",))
c.execute("update affected set id = ? where id = 'T-LAST'", ("T-\x1b]0;x\x07LAST",))
c.commit()
PY
t 'a hostile database: no crash, every verdict still made' 1 "$bin" scan --vulns --db hostile.db deb.tar --no-color
if grep -q "$(printf '\033')" "$tmp/out"; then echo "FAIL vulns: an escape character from the database reached the terminal report"; else echo "PASS vulns: escape characters from the database are shown, not sent"; fi
has 'the damaged ranges judge nothing, the long one still judges' "$tmp/out" 'T-NEW in bash'
t 'a device is not a record' 2 "$bin" db import --db dev.db /dev/null
has 'it says what it expected' "$tmp/err" '/dev/null: not a file or a directory of OSV records'
printf '{"id": "X\\u001b[31m", "affected": []}' >ctl.json
t 'an id with control characters is refused' 2 "$bin" db import --db ctl.db ctl.json

# ---- the shared OSV samples: an Alpine image and its secdb records ----
if [ -d "$samples" ]; then
	t 'the shared OSV samples import' 0 "$bin" db import --db samples.db "$samples"
	has 'split advisories with one id are merged' "$tmp/err" '1254 added, 0 updated, 12 merged'
	mkdir -p alp
	printf 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.11.6\n' >alp/os-release
	printf 'P:busybox\nV:1.29.3-r9\nA:x86_64\no:busybox\n\nP:musl\nV:1.1.23-r1\nA:x86_64\no:musl\n\nP:libssl1.1\nV:1.1.1d-r2\nA:x86_64\no:openssl\n\nP:curl\nV:7.66.0-r0\nA:x86_64\no:curl\n\n' >alp/installed
	filesimg alpine.tar etc/os-release=alp/os-release lib/apk/db/installed=alp/installed
	t 'an Alpine 3.11 image against the secdb records' 1 "$bin" scan --vulns --db samples.db alpine.tar -f json
	json_ok 'exactly the records whose fixed version is above the installed one (apk order, by origin)' '
import json,sys; d=json.load(sys.stdin); v=sorted((x["id"],x["package"],x["fixed_version"]) for x in d["images"][0]["vulnerabilities"])
assert v==sorted([("ALPINE-CVE-2018-20679","busybox","1.29.3-r10"),("ALPINE-CVE-2019-1551","libssl1.1","1.1.1d-r3"),
  ("ALPINE-CVE-2019-14697","musl","1.1.23-r2"),("ALPINE-CVE-2019-5747","busybox","1.29.3-r10")]), v
assert d["images"][0]["vulnerability_db"]["os_ecosystem"]=="Alpine:v3.11"'
else
	echo "SKIP vulns: the shared OSV samples (../shared/reference/osv-samples not present)"
fi

# ---- db update: a local HTTPS server with a CA of this suite's own ----
if command -v openssl >/dev/null; then
	openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=docksec-test-ca 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj /CN=localhost 2>/dev/null
	printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >srv.ext
	openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out srv.crt -days 2 -extfile srv.ext 2>/dev/null
	mkdir -p www/npm "www/Rocky Linux"
	python3 - <<'PY'
import json, zipfile
def arch(path, recs):
    with zipfile.ZipFile(path, "w") as z:
        for r in recs: z.writestr(r["id"] + ".json", json.dumps(r))
rec = lambda i, eco, name, fixed: {"id": i, "modified": "2026-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": eco, "name": name}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}]}
arch("www/npm/all.zip", [rec("U-NPM-1", "npm", "@babel/core", "7.23.2"), rec("U-NPM-2", "npm", "lodash", "4.17.22")])
arch("www/Rocky Linux/all.zip", [rec("U-ROCKY-1", "Rocky Linux:9", "openssl", "1:3.0.7-25.el9")])
PY
	python3 "$root/tests/integration/vulns/osvserver.py" "$tmp/www" srv.crt srv.key port srvlog &
	srv=$!
	for _ in $(seq 50); do [ -s port ] && break; sleep 0.1; done
	url="https://localhost:$(cat port)"
	t 'db update downloads each ecosystem archive over HTTPS' 0 "$bin" db update --db up.db --url "$url" --cacert ca.crt --ecosystem npm --ecosystem 'Rocky Linux'
	has 'and imports them' "$tmp/err" '2 archives downloaded .*0 unchanged; 3 records: 3 added'
	has 'the space in an ecosystem name is escaped in the URL' srvlog '^GET /Rocky%20Linux/all.zip 200'
	t 'a second update' 0 "$bin" db update --db up.db --url "$url" --cacert ca.crt --ecosystem npm --ecosystem 'Rocky Linux'
	has 'asks with the stored ETag and gets 304s' "$tmp/err" '0 archives downloaded .*2 unchanged'
	has 'the request carried If-None-Match' srvlog '^GET /npm/all.zip 304 "[0-9a-f]{32}"$'
	python3 -c 'import json,zipfile; z=zipfile.ZipFile("www/npm/all.zip","a"); z.writestr("U-NPM-3.json", json.dumps({"id":"U-NPM-3","modified":"2026-02-01T00:00:00Z","affected":[]})); z.close()'
	t 'an archive changed on the server' 0 "$bin" db update --db up.db --url "$url" --cacert ca.crt --ecosystem npm --ecosystem 'Rocky Linux'
	has 'is downloaded again, the other not' "$tmp/err" '1 archive downloaded .*1 unchanged; 3 records: 1 added'
	t 'the updated database matches' 1 "$bin" scan --vulns --db up.db deb.tar -f json
	json_ok 'the downloaded records' 'import json,sys; d=json.load(sys.stdin); ids={x["id"] for x in d["images"][0]["vulnerabilities"]}; assert ids=={"U-NPM-1","U-NPM-2"}, ids'
	touch www/npm/FAIL
	python3 -c 'import json,zipfile; z=zipfile.ZipFile("www/Rocky Linux/all.zip","a"); z.writestr("U-ROCKY-2.json", json.dumps({"id":"U-ROCKY-2","modified":"2026-02-01T00:00:00Z","affected":[]})); z.close()'
	t 'a server error fails the update' 2 "$bin" db update --db up.db --url "$url" --cacert ca.crt --ecosystem 'Rocky Linux' --ecosystem npm
	has 'naming the URL and the status' "$tmp/err" '/npm/all.zip: the server answered HTTP 500'
	t 'and nothing of it was imported' 0 "$bin" db status --db up.db -f json
	json_ok 'not even the archive that did download' 'import json,sys; d=json.load(sys.stdin); assert d["records"]==4, d'
	rm www/npm/FAIL
	t 'a server whose certificate is not trusted is refused' 2 "$bin" db update --db up.db --url "$url" --ecosystem npm
	has 'with the TLS error' "$tmp/err" 'download failed: .*(certificate|SSL)'
	t 'http:// is refused' 2 "$bin" db update --db up.db --url "http://localhost:1" --ecosystem npm
	ls up.db.download-* >/dev/null 2>&1 && echo "FAIL vulns: a download file was left beside the database" || echo "PASS vulns: no download file is left beside the database"
	kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null
	# libcurl is loaded by db update only: lint, scan and scan --vulns never map it
	printf 'FROM debian:12\n' >Dockerfile
	for c in "lint Dockerfile" "scan --vulns --db up.db deb.tar"; do
		LD_DEBUG=files "$bin" $c >/dev/null 2>ldlog
		if grep -q 'libcurl' ldlog; then echo "FAIL vulns: $c loads libcurl"; else echo "PASS vulns: $c does not load libcurl"; fi
	done
else
	echo "SKIP vulns: db update over HTTPS (no openssl to make the test CA)"
fi

# ---- audit --vulns: a mounted root's dpkg packages, matched like an image's ----
mkdir -p hostroot/etc hostroot/var/lib/dpkg
cp img/os-release hostroot/etc/os-release
cp img/status hostroot/var/lib/dpkg/status
t 'audit --vulns on a mounted root' 1 "$bin" audit --root hostroot --vulns --allow-stale -c host-vuln-01 -f json --whitelist clair.yml
checks_ok 'host-vuln-01 lists the open vulnerabilities and the whitelisted ones' '
st("host-vuln-01", "WARN", "bash 5.2.15-2+b2: T-NEW (medium, not rated), no fixed version yet", "libfoo1 5.0-1: T-SRCVER (medium, not rated), fixed in 2.0-1",
   "zlib1g 1:1.2.13.dfsg-1: T-EPOCH2 (high), fixed in 1:1.2.13.dfsg-2",
   "whitelisted: libssl3 3.0.11-1~deb12u1: T-SRC (clair.yml:2: openssl, not reachable from the app)",
   "7 deb packages checked against Debian:12", "4 known vulnerabilities, 2 whitelisted")
assert "T-UNFIXED" not in c["host-vuln-01"]["evidence"], "withdrawn above"
assert c["host-vuln-01"]["evidence"].index("T-EPOCH2") < c["host-vuln-01"]["evidence"].index("T-SRCVER"), "most severe first"'
printf 'CVE-2099-0001\n' >extra.trivyignore
t 'audit --vulns with a whitelist entry that matches nothing' 1 "$bin" audit --root hostroot --vulns --allow-stale -c host-vuln-01 -f json \
	--whitelist clair.yml --whitelist extra.trivyignore
has 'the unused entry is pointed out' "$tmp/err" 'extra.trivyignore:1: whitelist entry CVE-2099-0001 matched nothing in this run'
if grep -q 'T-UNFIXED\|T-EPOCH2' "$tmp/err"; then echo "FAIL vulns: audit calls image-scoped entries unused"; else echo "PASS vulns: audit leaves image-scoped entries alone"; fi
t 'without --vulns the check says how to run it' 0 "$bin" audit --root hostroot -c host-vuln-01 -f json
checks_ok 'SKIP with the reason' 'st("host-vuln-01", "SKIP", "audit --vulns")'
t 'audit --vulns without a database is an error' 2 "$bin" audit --root hostroot --vulns --db nothere.db -c host-vuln-01
t 'audit --whitelist without --vulns is a usage error' 2 "$bin" audit --root hostroot --whitelist clair.yml

# ---- the shared OSV samples against images of real package sets ----
if [ -d "$samples" ]; then
	# language packages against real GHSA and PyPA records (several ranges, GIT ranges beside ECOSYSTEM ones)
	mkdir -p lang
	for p in lodash:4.17.20 path-to-regexp:0.1.7 minimist:1.2.5 qs:6.9.4 express:4.17.1; do
		printf '{"name": "%s", "version": "%s"}\n' "${p%%:*}" "${p#*:}" >"lang/${p%%:*}.json"
	done
	for p in urllib3:1.26.16 requests:2.31.0 Jinja2:2.11.2 PyYAML:5.4; do
		printf 'Metadata-Version: 2.1\nName: %s\nVersion: %s\n' "${p%%:*}" "${p#*:}" >"lang/${p%%:*}.METADATA"
	done
	filesimg lang.tar app/node_modules/lodash/package.json=lang/lodash.json \
		app/node_modules/path-to-regexp/package.json=lang/path-to-regexp.json \
		app/node_modules/minimist/package.json=lang/minimist.json app/node_modules/qs/package.json=lang/qs.json \
		app/node_modules/express/package.json=lang/express.json \
		usr/lib/python3/dist-packages/urllib3-1.26.16.dist-info/METADATA=lang/urllib3.METADATA \
		usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA=lang/requests.METADATA \
		usr/lib/python3/dist-packages/Jinja2-2.11.2.dist-info/METADATA=lang/Jinja2.METADATA \
		usr/lib/python3/dist-packages/PyYAML-5.4.dist-info/METADATA=lang/PyYAML.METADATA
	t 'npm and PyPI packages against the GHSA and PyPA samples' 1 "$bin" scan --vulns --db samples.db lang.tar -f json
	json_ok 'exactly the advisories whose ranges hold each installed version' '
import json,sys; d=json.load(sys.stdin); v=sorted((x["id"],x["package"],x["fixed_version"]) for x in d["images"][0]["vulnerabilities"])
want=sorted([("GHSA-35jh-r3h4-6jhm","lodash","4.17.21"),("GHSA-9wv6-86v2-598j","path-to-regexp","0.1.10"),
  ("GHSA-xvch-5gv4-984h","minimist","1.2.6"),("GHSA-hrpp-h998-j3pp","qs","6.9.7"),("GHSA-rv95-896h-c2vc","express","4.19.2"),
  ("PYSEC-2023-192","urllib3","1.26.17"),("PYSEC-2023-212","urllib3","1.26.18"),("PYSEC-2021-66","Jinja2","2.11.3")])
assert v==want, v
assert d["images"][0]["vulnerability_db"]["git_ranges_ignored"]>0'
	# this machine's own dpkg database (a Debian 12 system) against the 539 changelog-derived records,
	# every verdict held to dpkg --compare-versions on the source package's version
	if grep -q '^ID=debian' /etc/os-release && grep -q '^VERSION_ID="12"' /etc/os-release && [ -r /var/lib/dpkg/status ]; then
		cp /var/lib/dpkg/status host.status
		cp /etc/os-release host.os-release
		filesimg host.tar var/lib/dpkg/status=host.status etc/os-release=host.os-release
		python3 - "$samples/debian-changelog" >want.txt <<'PY'
import glob, json, re, subprocess, sys
src = {}
for para in open("host.status").read().split("\n\n"):
    f = dict(re.findall(r"^(\S+): (.*)$", para, re.M))
    if f.get("Status") != "install ok installed" or "Package" not in f:
        continue
    s = f.get("Source", f["Package"]).split()
    src.setdefault(s[0], []).append((f["Package"], s[1].strip("()") if len(s) > 1 else f["Version"]))
checks = []
for path in glob.glob(sys.argv[1] + "/*.json"):
    d = json.load(open(path))
    for a in d["affected"]:
        if a["package"]["ecosystem"] != "Debian:12":
            continue
        ev = [e for r in a["ranges"] for e in r["events"]]
        fixed = [e["fixed"] for e in ev if "fixed" in e]
        for pkg, ver in src.get(a["package"]["name"], []):
            checks.append((d["id"], pkg, ver, fixed[0]))
script = "".join("dpkg --compare-versions '%s' lt '%s' && echo %s %s\n" % (v, f, i, p) for i, p, v, f in checks)
out = subprocess.run(["sh"], input=script, capture_output=True, text=True).stdout
print("".join(sorted(out.splitlines(keepends=True))), end="")
PY
		t "this machine's dpkg database against the Debian changelog samples" 0 "$bin" scan --vulns --db samples.db host.tar -f json --fail-on none
		python3 -c 'import json; d=json.load(open("'"$tmp"'/out")); print("".join(sorted("%s %s\n" % (x["id"], x["package"]) for x in d["images"][0]["vulnerabilities"])), end="")' >got.txt
		if cmp -s want.txt got.txt && [ -s want.txt ]; then
			echo "PASS vulns: the matches equal dpkg --compare-versions' verdicts on every record and installed package ($(wc -l <want.txt) affected)"
		elif [ ! -s want.txt ] && [ ! -s got.txt ]; then
			echo "PASS vulns: no record affects this machine's packages, by dpkg --compare-versions and by docksec"
		else
			echo "FAIL vulns: the matches differ from dpkg --compare-versions' verdicts"; diff want.txt got.txt | head -10
		fi
	else
		echo "SKIP vulns: this machine's packages against the Debian 12 samples (not a Debian 12 system)"
	fi
else
	echo "SKIP vulns: real package sets against the shared OSV samples (../shared/reference/osv-samples not present)"
fi
