#!/usr/bin/env python3
"""A hostile Docker Engine API for the tests: it listens on a loopback
port (argv[1]: a file to write the port into), answers what `docksec
audit` asks, and misbehaves in the way MODE (argv[2]) says. It serves until
the test kills it, and never for longer than 120 s."""
import json, sys, threading, time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

MODE = sys.argv[2]
FAT = None
CID = "c" * 64
IID = "sha256:" + "a" * 64


def body(path):
    p = path.split("?")[0]
    if p.startswith("/v1."):
        p = p[p.index("/", 1):]
    if p == "/containers/json":
        if MODE == "fat":  # twenty containers whose inspects are 50 MB each
            return [{"Id": "%064x" % i, "Names": ["/f%d" % i]} for i in range(20)]
        if MODE == "sluggish":  # 40 containers, each inspect and /top a quarter of a second
            return [{"Id": "%064x" % i, "Names": ["/s%d" % i]} for i in range(40)]
        n = 100001 if MODE == "many-containers" else 1
        return [{"Id": CID, "Names": ["/x"]}] * n
    if p == "/images/json":
        return [{"Id": IID, "RepoTags": ["img:1"], "Size": 1000, "Containers": 1}]
    if p == "/networks":
        return []
    if p == "/version":
        if MODE == "many-keys":  # 100k keys, the last two equal but for case
            v = {"k%d" % i: i for i in range(100000)}
            v["Dup"] = 1
            v["dUP"] = 2
            return v
        if MODE == "escapes":
            return {"Version": "24.0.0\x1b]0;pwned\x07", "ApiVersion": "1.43"}
        return {"Version": "24.0.0", "ApiVersion": "1.43"}
    if p == "/info":
        if MODE == "slow":  # answers, but only after the audit's deadline
            time.sleep(4)
        if MODE == "deep":
            d = {}
            for _ in range(100):
                d = {"x": d}
            return d
        return {"Swarm": {"LocalNodeState": "inactive"}, "SecurityOptions": []}
    if MODE == "fat" and p.startswith("/containers/") and p.endswith("/json"):
        global FAT
        if FAT is None:
            FAT = json.dumps({"Id": "f" * 64, "Name": "/f", "State": {"Status": "created", "Running": False},
                              "Config": {"Image": "img:1", "Labels": {"pad%d" % i: "x" * 1000 for i in range(50000)}},
                              "HostConfig": {}}).encode()
        return FAT
    if MODE == "sluggish" and p.startswith("/containers/"):
        time.sleep(0.25)
        if p.endswith("/top"):
            return {"Titles": ["PID", "CMD"], "Processes": [["1", "app"]]}
        return {"Id": p.split("/")[2], "Name": "/s", "State": {"Status": "running", "Running": True},
                "Config": {"Image": "img:1", "User": "1000"}, "HostConfig": {}, "ExecIDs": []}
    if p == "/containers/%s/json" % CID and MODE == "escapes":  # ESC, OSC, C1, a forged report line
        return {"Id": CID, "Name": "/x\x1b[2J\u009b31m\n[PASS] 5.4 forged", "State": {"Status": "running", "Running": True},
                "Config": {"Image": "img:1\x1b[5m", "User": "0"}, "HostConfig": {"Privileged": True}, "ExecIDs": []}
    if p == "/containers/%s/json" % CID:
        return {"Id": CID, "Name": "/x", "State": {"Status": "running", "Running": True},
                "Config": {"Image": "img:1", "User": "1000"}, "HostConfig": {}, "ExecIDs": ["e" * 64]}
    if p == "/containers/%s/top" % CID:
        if MODE == "escapes":
            return {"Titles": ["PID", "CMD"], "Processes": [["1", "sshd\x1b]0;t\x07 -D"]]}
        return 500 if MODE == "broken-top" else {"Titles": ["PID", "CMD"], "Processes": [["1", "app"]]}
    if p == "/exec/%s/json" % ("e" * 64):
        return 500 if MODE == "broken-top" else {"ID": "e" * 64, "ProcessConfig": {"privileged": False, "user": "1000"}}
    if p == "/images/%s/json" % IID:
        return {"Id": IID, "Config": {"User": "1000", "Healthcheck": {"Test": ["CMD", "true"]}}}
    if p == "/images/%s/history" % IID:
        return []
    if p == "/images/%s/get" % IID:
        return "stall"
    return 404


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_GET(self):
        if self.path == "/_ping":
            self.send_response(200)
            self.send_header("Api-Version", "1.43")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"OK")
            return
        b = body(self.path)
        if b == "stall":  # an export that sends a little, then nothing, forever
            self.send_response(200)
            self.send_header("Content-Type", "application/x-tar")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(240):
                try:
                    self.wfile.write(b"2\r\n\0\0\r\n")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.5)
            return
        if isinstance(b, bytes):  # made once
            data = b
            self.send_response(200)
        elif isinstance(b, int):
            data = json.dumps({"message": "hostile %d \x1b[2J" % b}).encode()  # a terminal escape in it
            self.send_response(b)
        else:
            data = json.dumps(b).encode()
            self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.daemon_threads = True
with open(sys.argv[1], "w") as f:
    f.write(str(srv.server_address[1]))
threading.Timer(120, srv.shutdown).start()
srv.serve_forever()
