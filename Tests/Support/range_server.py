#!/usr/bin/env python3
"""A small HTTP file server on 127.0.0.1 for the model-store tests.

Serves files from DIR with HTTP Range support ("bytes=N-"). A request whose query has cut=K
announces the full length but sends only K bytes and closes the connection (an interrupted
download). Every request is logged to LOG as "<path> <range or ->". Prints the port, then serves
until its stdin closes (so it never outlives the test).

Usage: range_server.py DIR LOG
"""
import http.server
import os
import sys
import threading
import urllib.parse

ROOT, LOG = sys.argv[1], sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = urllib.parse.parse_qs(url.query)
        path = os.path.join(ROOT, os.path.basename(url.path))
        rng = self.headers.get("Range")
        with open(LOG, "a") as log:
            log.write(f"{url.path} {rng or '-'}\n")
        if not os.path.isfile(path):
            self.send_error(404)
            return
        data = open(path, "rb").read()
        start = 0
        if rng and rng.startswith("bytes=") and rng.endswith("-"):
            start = int(rng[6:-1])
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if "cut" in query:
            body = body[: int(query["cut"][0])]
            self.wfile.write(body)
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_address[1], flush=True)
sys.stdin.read()
server.shutdown()
