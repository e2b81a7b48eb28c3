#!/usr/bin/env python3
"""Write test images for `docksec scan`, from this machine's own dpkg
database and files written here: docker-save (legacy and OCI layouts),
OCI layouts as a tar or a directory, layers plain, gzip or zstd.

  mkimage.py OUT FORMAT SCENARIO [COMPRESSION]

FORMAT: legacy | oci-tar | oci-dir | save-oci (Docker 25+: both manifest.json
and index.json). SCENARIO: debian | alpine | distroless | hostile | two |
multiarch | tampered. It prints the final dpkg status file's path for
scenarios that have one (OUT.status), for dpkg-query --admindir."""
import gzip, hashlib, io, json, os, subprocess, sys, tarfile

out, fmt, scen = sys.argv[1], sys.argv[2], sys.argv[3]
comp = sys.argv[4] if len(sys.argv) > 4 else "none"


def host_status(n, skip=0):
    paras = open("/var/lib/dpkg/status", encoding="utf-8", errors="replace").read().split("\n\n")
    ok = [p.strip("\n") for p in paras if "Status: install ok installed" in p]
    return ok[skip:skip + n]


def bump(para):  # the same package at a later version (an upgrade in a later layer)
    lines = [l if not l.startswith("Version: ") else l + "+up1" for l in para.split("\n")]
    return "\n".join(lines)


def F(name, data=b"", mode=0o644, uid=0, gid=0):
    return ("f", name, data if isinstance(data, bytes) else data.encode(), mode, uid, gid, None)


def D(name, mode=0o755, uid=0):
    return ("d", name, b"", mode, uid, 0, None)


def L(name, target):
    return ("l", name, b"", 0o777, 0, 0, target)


def H(name, target, mode=0o4755):
    return ("h", name, b"", mode, 0, 0, target)


def tar_of(entries):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        for kind, name, data, mode, uid, gid, target in entries:
            i = tarfile.TarInfo(name)
            i.mode, i.uid, i.gid, i.mtime = mode, uid, gid, 0
            if kind == "d":
                i.type = tarfile.DIRTYPE
            elif kind == "l":
                i.type, i.linkname = tarfile.SYMTYPE, target
            elif kind == "h":
                i.type, i.linkname = tarfile.LNKTYPE, target
            else:
                i.size = len(data)
            t.addfile(i, io.BytesIO(data) if kind == "f" else None)
    return b.getvalue()


def compress(raw):
    if comp == "gzip":
        return gzip.compress(raw, mtime=0)
    if comp == "zstd":
        return subprocess.run(["zstd", "-q", "-c"], input=raw, stdout=subprocess.PIPE, check=True).stdout
    return raw


OSR_DEB = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n'
PASSWD = "root:x:0:0:root:/root:/bin/bash\napp:x:1000:1000::/home/app:/bin/sh\n"
status_final = None


def scenario(name):
    """A list of (layers, history created_by, tag, platform)."""
    global status_final
    if name in ("debian", "hostile", "tampered", "two", "multiarch"):
        base = host_status(30)
        extra = host_status(5, skip=30)
        s1 = "\n\n".join(base) + "\n"
        # layer 2: one package upgraded, five installed, one purged
        s2 = "\n\n".join([bump(base[0])] + base[1:-1] + extra) + "\n"
        status_final = s2
        l1 = [D("etc"), D("usr"), D("usr/lib"), F("usr/lib/os-release", OSR_DEB), L("etc/os-release", "../usr/lib/os-release"),
              F("etc/debian_version", "12.8\n"), F("etc/passwd", PASSWD), D("var/lib/dpkg", 0o755),
              F("var/lib/dpkg/status", s1), D("usr/bin"), F("usr/bin/su", b"\x7fELF", 0o4755),
              F("usr/bin/gone", b"x", 0o4755), D("opt/tool"), F("opt/tool/old", b"x", 0o4755), D("tmp", 0o1777),
              D("srv/data"), F("srv/data/old", b"x", 0o4755), F("usr/bin/passwd", b"x", 0o4755)]
        l2 = [F("usr/bin/.wh.gone"), F("opt/tool/.wh..wh..opq"), F("opt/tool/new", b"x", 0o4755),
              F("var/lib/dpkg/status", s2), F("usr/local/bin/custom", b"x", 0o6755), H("usr/bin/su-link", "usr/bin/su"),
              F("etc/app.conf", b"k=v\n", 0o666), D("var/shared", 0o777), F("home/app/file", b"x", 0o644, uid=4242),
              F(".wh.srv"), F("srv/data/new", b"x", 0o4755),  # a directory deleted and re-created
              L("loop/a", "b"), L("loop/b", "a"), L("etc/escape", "../../../../etc/shadow")]
        # secrets: one kept, one written in layer 1 and deleted in layer 2, one in a credentials file
        l1 += [D("root/.aws"), F("root/.aws/credentials", "[default]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\n"
                                   "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETKEY\n"),
               F("opt/deploy/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n-----END OPENSSH PRIVATE KEY-----\n"),
               F("usr/bin/tool-with-nul", b"\0\0ghp_" + b"A" * 36)]
        l2 += [F("opt/deploy/.wh.id_rsa"), F("app/.env", "DEBUG=1\nDB_PASSWORD=s3cr3t-Pa55w0rd-live\nAPI_URL=https://x\n"),
               F("app/config.js", "const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';\n")]
        # language packages: Python (dist-info, egg-info), npm (plain, scoped, and a fixture that is not one), a gem
        l2 += [F("usr/lib/python3/dist-packages/Requests_OAuthlib-1.3.1.dist-info/METADATA",
                 "Metadata-Version: 2.1\nName: requests-oauthlib\nVersion: 1.3.1\nSummary: x\n\nName: not-this\n"),
               F("usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO", "Metadata-Version: 1.2\nName: six\nVersion: 1.16.0\n"),
               F("app/node_modules/lodash/package.json", '{"name": "lodash", "version": "4.17.21"}'),
               F("app/node_modules/@babel/core/package.json", '{"name": "@babel/core", "version": "7.23.0"}'),
               F("app/node_modules/lodash/test/fixtures/package.json", '{"name": "fixture", "version": "0.0.0"}'),
               F("app/package.json", '{"name": "the-app", "version": "1.0.0"}'),
               F("var/lib/gems/3.1.0/specifications/rack-2.2.4.gemspec", "# gem\n")]
        if name == "hostile":  # a path out of the root; os-release through a symlink loop
            l2 += [F("../../outside", b"x", 0o4755), L("etc/os-release", "/loop/a/os-release")]
        hist = ["/bin/sh -c #(nop) ADD file:abc in / ", "RUN /bin/sh -c apt-get install -y custom # buildkit"]
        imgs = [([l1, l2], hist, "docksec-test/debian:1", ("linux", "amd64", None))]
        if name == "two":
            imgs.append(([[F("etc/alpine-release", "3.19.1\n"), F("lib/apk/db/installed",
                          "P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\nP:busybox\nV:1.36.1-r15\nA:x86_64\no:busybox\n\n")]],
                         ["ADD alpine"], "docksec-test/alpine:1", ("linux", "amd64", None)))
        if name == "multiarch":
            imgs.append(([[F("etc/alpine-release", "3.19.1\n")]], ["ADD arm"], "docksec-test/debian:1", ("linux", "arm64", "v8")))
        return imgs
    if name == "alpine":
        db = "P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\nP:busybox\nV:1.36.1-r15\nA:x86_64\no:busybox\n\n"
        return [([[F("etc/alpine-release", "3.19.1\n"), F("etc/os-release", 'ID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n'),
                   F("lib/apk/db/installed", db), F("bin/bbsuid", b"x", 0o4755)]], ["ADD alpine"], "docksec-test/alpine:1",
                 ("linux", "amd64", None))]
    if name == "history":  # the builders' created_by forms, for the DF rules on an image
        hist = ["/bin/sh -c #(nop) ADD file:e7d2b1f0 in / ",
                ("/bin/sh -c #(nop)  CMD [\"bash\"]", True),
                ("/bin/sh -c #(nop)  ENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", True),
                "|1 VERSION=1.2 /bin/sh -c curl -fsSL https://get.example.com/install.sh | sh",
                "RUN /bin/sh -c apt-get update \\\n    && apt-get install -y openssh-server # buildkit",
                ("EXPOSE map[22/tcp:{}]", True),
                ("HEALTHCHECK &{[\"CMD-SHELL\" \"curl -f http://localhost/ || exit 1\"] \"30s\" \"3s\" \"0s\" '\\x00'}", True),
                ("USER root", True),
                "ADD https://example.com/app.tar.gz /opt/ # buildkit"]
        return [([[F("etc/os-release", OSR_DEB)], [F("usr/local/bin/x", b"x")], [F("usr/sbin/sshd", b"x")],
                  [F("opt/app.tar.gz", b"x")]], hist, "docksec-test/history:1", ("linux", "amd64", None))]
    if name == "history-values":  # ENV, LABEL and ARG values with spaces, as both builders record them (unquoted)
        hist = ["/bin/sh -c #(nop) ADD file:e7d2b1f0 in / ",
                ("/bin/sh -c #(nop)  ENV JAVA_OPTS=-Xmx1g -Dfile.encoding=UTF-8 GREETING=hello world", True),
                ("/bin/sh -c #(nop)  LABEL org.opencontainers.image.description=a small app maintainer=Jo Doe org.example.api_token=tok-live-9f8e7d6c5b4a3210", True),
                ("ARG NOTE=built by ci", True),
                ("LABEL deploy.token=ghp_abcdefghijklmnopqrstuvwxyz0123456789", True),
                ("ENV ONLYNAME", True),
                ("ENV PATH=/usr/local/bin:/usr/bin MOTD=say \"$HOME\" \\ AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", True),
                ("/bin/sh -c #(nop)  EXPOSE 22", True),
                "|2 CFLAGS=-O2 -g NOTE=built by ci /bin/sh -c curl -fsSL https://get.example.com/i.sh | sh"]
        return [([[F("etc/os-release", OSR_DEB)], [F("usr/local/bin/x", b"x")]], hist, "docksec-test/history-values:1",
                 ("linux", "amd64", None))]
    if name == "distroless":
        base = host_status(3)
        ents = [F("etc/os-release", OSR_DEB), D("var/lib/dpkg/status.d")]
        for p in base:
            pkg = [l for l in p.split("\n") if l.startswith("Package: ")][0][9:]
            ents.append(F("var/lib/dpkg/status.d/" + pkg, p + "\n"))
            ents.append(F("var/lib/dpkg/status.d/" + pkg + ".md5sums", "0 x\n"))
        return [([ents], ["ADD distroless"], "docksec-test/distroless:1", ("linux", "amd64", None))]
    raise SystemExit("unknown scenario " + name)


def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


files = {}  # archive name -> bytes
index_manifests, save_manifest = [], []
for layers, hist, tag, (os_, arch, variant) in scenario(scen):
    raws = [tar_of(l) for l in layers]
    blobs = [compress(r) for r in raws]
    diff_ids = [sha(r) for r in raws]
    if scen == "tampered":
        diff_ids[0] = sha(b"something else")
    cfg = {"architecture": arch, "os": os_, "config": {"Cmd": ["/bin/sh"], "Labels": {"org.example.api_token": "tok-live-9f8e7d6c5b4a3210"}},
           "rootfs": {"type": "layers", "diff_ids": diff_ids},
           "history": [{"created_by": h} if isinstance(h, str) else {"created_by": h[0], "empty_layer": h[1]} for h in hist]
           + [{"created_by": "CMD [\"/bin/sh\"]", "empty_layer": True}]}
    if scen == "history-values":  # a label the history's LABEL set, holding a token
        cfg["config"]["Labels"]["deploy.token"] = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"
    if variant:
        cfg["variant"] = variant
    cfgb = json.dumps(cfg).encode()
    mt = {"none": "application/vnd.oci.image.layer.v1.tar", "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
          "zstd": "application/vnd.oci.image.layer.v1.tar+zstd"}[comp]
    if fmt == "legacy":
        names = []
        for i, b in enumerate(blobs):
            d = hashlib.sha256(b + bytes([i])).hexdigest()
            files[d + "/layer.tar"] = b
            names.append(d + "/layer.tar")
        files[hashlib.sha256(cfgb).hexdigest() + ".json"] = cfgb
        save_manifest.append({"Config": hashlib.sha256(cfgb).hexdigest() + ".json", "RepoTags": [tag], "Layers": names})
        continue
    for b in blobs + [cfgb]:
        files["blobs/sha256/" + hashlib.sha256(b).hexdigest()] = b
    man = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
           "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha(cfgb), "size": len(cfgb)},
           "layers": [{"mediaType": mt, "digest": sha(b), "size": len(b)} for b in blobs]}
    manb = json.dumps(man).encode()
    files["blobs/sha256/" + hashlib.sha256(manb).hexdigest()] = manb
    plat = {"os": os_, "architecture": arch}
    if variant:
        plat["variant"] = variant
    index_manifests.append({"mediaType": man["mediaType"], "digest": sha(manb), "size": len(manb), "platform": plat,
                            "annotations": {"io.containerd.image.name": tag, "org.opencontainers.image.ref.name": tag.split(":")[-1]}})
    save_manifest.append({"Config": "blobs/sha256/" + sha(cfgb)[7:], "RepoTags": [tag],
                          "Layers": ["blobs/sha256/" + sha(b)[7:] for b in blobs]})
if fmt != "legacy":
    files["oci-layout"] = b'{"imageLayoutVersion":"1.0.0"}'
    files["index.json"] = json.dumps({"schemaVersion": 2, "manifests": index_manifests}).encode()
if fmt in ("legacy", "save-oci"):
    files["manifest.json"] = json.dumps(save_manifest).encode()
if fmt == "oci-dir":
    for name, data in files.items():
        p = os.path.join(out, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "wb").write(data)
else:
    with tarfile.open(out, "w") as t:
        for name in sorted(files, reverse=True):  # manifests last, as a stream would send them
            i = tarfile.TarInfo(name)
            i.size = len(files[name])
            t.addfile(i, io.BytesIO(files[name]))
if status_final is not None:
    os.makedirs(out + ".admin", exist_ok=True)
    open(out + ".admin/status", "w").write(status_final)
