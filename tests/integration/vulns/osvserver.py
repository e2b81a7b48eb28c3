#!/usr/bin/env python3
"""An HTTPS server for `docksec db update`'s tests: serves DIR/ECOSYSTEM/all.zip
over TLS with the certificate given, answers conditional requests (ETag is the
content's sha256, Last-Modified the file's mtime) with 304, returns 500 for any
path holding a file named FAIL, and logs "METHOD PATH STATUS If-None-Match" lines.

usage: osvserver.py DIR CERT KEY PORTFILE LOGFILE  (listens on 127.0.0.1, port 0)"""
import email.utils, hashlib, http.server, os, ssl, sys, urllib.parse

root, cert, key, portfile, logfile = sys.argv[1:6]


class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def note(self, status):
        with open(logfile, "a") as f:
            f.write("%s %s %d %s\n" % (self.command, self.path, status, self.headers.get("If-None-Match", "-")))

    def do_GET(self):
        rel = urllib.parse.unquote(self.path.lstrip("/"))
        path = os.path.normpath(os.path.join(root, rel))
        if not path.startswith(root + os.sep) or not os.path.isfile(path):
            self.note(404); self.send_error(404); return
        if os.path.exists(os.path.join(os.path.dirname(path), "FAIL")):
            self.note(500); self.send_error(500); return
        data = open(path, "rb").read()
        etag = '"%s"' % hashlib.sha256(data).hexdigest()[:32]
        if self.headers.get("If-None-Match") == etag:
            self.note(304); self.send_response(304); self.send_header("ETag", etag); self.end_headers(); return
        self.note(200)
        self.send_response(200)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(os.path.getmtime(path), usegmt=True))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


srv = http.server.HTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
