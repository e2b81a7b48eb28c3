#!/usr/bin/env python3
# version_pairs.py SCHEME N SEED: N random, tricky version pairs of a scheme, each
# with the order the scheme's real tool gives ("a<TAB>b<TAB>-1|0|1"), for
# test_version.c to hold docksec's comparison to:
#   pep440  pypa/packaging's Version (Debian's python3-packaging, or pip's copy)
#   dpkg    dpkg --compare-versions, in one batch through a shell
#   gem     RubyGems' Gem::Version#<=> (Debian's ruby), in one batch
#   rpm     rpm's own labelCompare (Debian's python3-rpm, run by /usr/bin/python3)
#   semver  npm's semver package (Debian's node-semver, run by node), on valid SemVer 2.0.0
#   maven   Maven's ComparableVersion (Debian's libmaven3-core-java 3.8 jar run by java), one JVM
# Prints nothing (and the test says so) when the tool is not there.
import random, subprocess, sys

scheme, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
r = random.Random(seed)


def pep440():
    s = r.choice(["", "", "", "v", "V"])
    if r.random() < 0.1:
        s += "%d!" % r.randint(0, 2)
    s += ".".join(r.choice(["0", "0", "1", "2", "10", "3", "01", "00", "999999999999999999999"]) for _ in range(r.randint(1, 4)))
    if r.random() < 0.4:
        s += r.choice(["a", "b", "rc", "alpha", "beta", "c", "pre", "preview", ".a", "-rc", "_b", "RC"]) + r.choice(["", "0", "1", "2", "10", "-1", ".2", "-"])
    if r.random() < 0.3:
        s += r.choice([".post", "-post", "post", ".r", "-rev", "-", "_post"]) + r.choice(["1", "2", "0", ""])
    if r.random() < 0.3:
        s += r.choice([".dev", "dev", "-dev", "_dev", ".DEV"]) + r.choice(["", "0", "1", "3"])
    if r.random() < 0.2:
        s += "+" + r.choice(["abc", "1", "abc.5", "5.abc", "ubuntu-1", "2", "ABC", "1.0a", "01", "a_b-c"])
    return s


def dpkg():
    s = r.choice(["", "", "", "1:", "2:", "0:"])
    s += r.choice(["1", "2", "10", "0", "1.0", "1.00", "2.3.4", "9", "1a", "1.0a"])
    s += "".join(r.choice(["", "~rc1", "~", "+dfsg", ".1", "a", "+b1", "~~", "+deb12u1", ".0"]) for _ in range(r.randint(0, 2)))
    if r.random() < 0.6:
        s += "-" + r.choice(["1", "2", "0", "1+deb12u1", "1ubuntu1", "1~bpo12+1", "10", "1.1"])
    return s


def gem():
    s = r.choice(["", "", " ", "0", "00"]) if r.random() < 0.05 else ""
    s += r.choice(["1", "2", "10", "0", "01", "3", "999999999999999999999"])
    for _ in range(r.randint(0, 4)):
        s += "." + r.choice(["0", "0", "1", "2", "10", "00", "a", "b", "rc", "rc1", "pre", "beta2", "1a", "a1", "Z", "0a"])
    if r.random() < 0.25:
        s += "-" + r.choice(["1", "rc", "beta", "pre", "alpha.1", "rc-2", "0", "a.0"])
    return s


def rpm_part():
    s = r.choice(["1", "2", "10", "0", "1.0", "1.00", "2.3.4", "9", "1a", "1.0a", "a", "010"])
    s += "".join(r.choice(["", "~rc1", "~", "^post1", "^", ".1", "a", "_1", "+x", ".0", "b2", "~~", "-"]) for _ in range(r.randint(0, 2)))
    return s.replace("-", ".")


def semver():
    s = r.choice(["", "", "v"]) + ".".join(r.choice(["0", "1", "2", "10", "9", "999999999999"]) for _ in range(3))
    if r.random() < 0.5:
        s += "-" + ".".join(r.choice(["alpha", "beta", "rc", "0", "1", "2", "10", "x-y", "alpha1", "1a", "A", "a"]) for _ in range(r.randint(1, 3)))
    if r.random() < 0.2:
        s += "+" + r.choice(["build", "1", "exp.sha.5114f85", "001"])
    return s


def maven():
    s = r.choice(["1", "2", "0", "10", "01", "1.0", "2.0.0", "3.1", "999999999999999999999", "1234567890"])
    for _ in range(r.randint(0, 4)):
        s += r.choice([".", "-", "", ".", "-"]) + r.choice(["0", "1", "2", "10", "a", "b", "m", "alpha", "beta", "rc", "cr", "ga",
                                                           "final", "release", "snapshot", "SNAPSHOT", "sp", "foo", "RC1", "a1",
                                                           "M2", "00", "", "Final", "jre", "x"])
    return s


pairs = []
if scheme == "pep440":
    try:
        from packaging.version import InvalidVersion, Version
    except ImportError:
        try:
            from pip._vendor.packaging.version import InvalidVersion, Version
        except ImportError:
            sys.exit(0)
    while len(pairs) < n:
        a, b = pep440(), pep440()
        try:
            va, vb = Version(a), Version(b)
        except InvalidVersion:
            continue
        pairs.append((a, b, (va > vb) - (va < vb)))
elif scheme == "dpkg":
    cand = [(dpkg(), dpkg()) for _ in range(n)]
    script = "".join("dpkg --compare-versions '%s' lt '%s' && echo -1 || { dpkg --compare-versions '%s' eq '%s' && echo 0 || echo 1; }\n" % (a, b, a, b) for a, b in cand)
    try:
        out = subprocess.run(["sh"], input=script, capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        sys.exit(0)
    pairs = [(a, b, int(w)) for (a, b), w in zip(cand, out)]
elif scheme == "gem":
    cand = [(gem(), gem()) for _ in range(n)]
    prog = "STDIN.each_line { |l| a, b = l.chomp.split(\"\\t\", -1); puts(Gem::Version.new(a) <=> Gem::Version.new(b)) }"
    try:
        out = subprocess.run(["ruby", "-e", prog], input="".join("%s\t%s\n" % c for c in cand), capture_output=True, text=True,
                             check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        sys.exit(0)
    pairs = [(a, b, int(w)) for (a, b), w in zip(cand, out)]
elif scheme == "rpm":
    cand = []
    for _ in range(n):
        ea, eb = r.choice(["", "", "0", "1", "2"]), r.choice(["", "", "0", "1", "2"])
        cand.append(((ea, rpm_part(), rpm_part()), (eb, rpm_part(), rpm_part())))
    prog = ("import rpm, sys\n"
            "for l in sys.stdin:\n"
            "    a = l.rstrip('\\n').split('\\t'); x, y = a[:3], a[3:]\n"
            "    print(rpm.labelCompare((x[0] or '0', x[1], x[2]), (y[0] or '0', y[1], y[2])))\n")
    try:
        out = subprocess.run(["/usr/bin/python3", "-c", prog], input="".join("\t".join(a + b) + "\n" for a, b in cand),
                             capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        sys.exit(0)
    s = lambda t: ("%s:" % t[0] if t[0] else "") + t[1] + "-" + t[2]
    pairs = [(s(a), s(b), int(w)) for (a, b), w in zip(cand, out)]
elif scheme == "semver":
    cand = [(semver(), semver()) for _ in range(n)]
    prog = ("const s = require('semver'); const rl = require('readline').createInterface({input: process.stdin});"
            "rl.on('line', l => { const [a, b] = l.split('\\t');"
            " console.log(s.valid(a) && s.valid(b) ? s.compare(a, b) : 'x'); });")
    try:
        out = subprocess.run(["node", "-e", prog], input="".join("%s\t%s\n" % c for c in cand), capture_output=True, text=True,
                             check=True, env=dict(__import__("os").environ, NODE_PATH="/usr/share/nodejs")).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        sys.exit(0)
    pairs = [(a, b, int(w)) for (a, b), w in zip(cand, out) if w != "x"]
elif scheme == "maven":
    import glob
    jars = glob.glob("/usr/share/java/maven3-artifact*.jar") + glob.glob("/usr/share/maven/lib/maven-artifact*.jar")
    if not jars:
        sys.exit(0)
    cand = [(maven(), maven()) for _ in range(n)]
    args = [v for c in cand for v in c]
    try:
        out = subprocess.run(["java", "-cp", jars[0], "org.apache.maven.artifact.versioning.ComparableVersion"] + args,
                             capture_output=True, text=True, check=True).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        sys.exit(0)
    # "   A op B" compares each argument with the next: keep the pairs' own lines (1st, 3rd, ...)
    ops = [l.split() for l in out if l.startswith("   ")]
    pairs = [(a, b, {"<": -1, "==": 0, ">": 1}[o[1]]) for (a, b), o in zip(cand, ops[0::2])]
for a, b, w in pairs:
    print("%s\t%s\t%d" % (a, b, w))
