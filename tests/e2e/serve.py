#!/usr/bin/env python3
# The e2e harness's web server on loopback: files from --dir by GET (like
# python3 -m http.server), and a webhook receiver: every POST is answered 200
# and its body recorded, one JSON line per request in --record, in arrival
# order: {"path": ..., "t": <seconds since start>, "body": <text>}. A POST to
# a file under --dir (the answer: the installer POSTs its system information
# for it) is recorded too and answered with the file, as GET would. With
# --missing-post 404, a POST for a missing *.toml is answered 404 (a node
# without an answer file), the rest still 200.
import argparse
import http.server
import json
import os
import threading
import time

START = time.monotonic()
LOCK = threading.Lock()


def handler_for(directory, record, missing_post):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=directory, **kw)

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n).decode("utf-8", "replace") if n > 0 else ""
            line = json.dumps({"path": self.path, "t": round(time.monotonic() - START, 3),
                               "body": body})
            with LOCK, open(record, "a", encoding="utf-8") as f:
                f.write(line + "\n")
            if os.path.isfile(self.translate_path(self.path)):
                return self.do_GET()
            if missing_post == 404 and self.path.split("?")[0].endswith(".toml"):
                return self.send_error(404)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "3")
            self.end_headers()
            self.wfile.write(b"ok\n")

    return Handler


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--record", required=True)
    p.add_argument("--missing-post", type=int, choices=(200, 404), default=200)
    a = p.parse_args()
    open(a.record, "a").close()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", a.port),
                                          handler_for(os.path.abspath(a.dir), a.record,
                                                      a.missing_post))
    srv.serve_forever()


if __name__ == "__main__":
    main()
