"""A transcription engine that misbehaves on request: OpenAI's audio API on localhost, answering as
told (a transcript, an error status, a page that is not JSON, nothing for a while). The real engine
(vLLM) is tested in test_speech_engine.py; this one gives the failures a real engine gives rarely."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class EngineDouble:
    def __init__(self, served: tuple[str, ...] = ("sv-model",), port: int = 0):
        self.served = served
        self.reply: tuple[int, str, str] = (200, "application/json", json.dumps({"text": "hund"}))
        self.delay = 0.0
        self.requests: list[dict] = []
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                if self.path.rstrip("/").endswith("/models"):
                    body = {
                        "object": "list",
                        "data": [{"id": m, "object": "model", "owned_by": "x"} for m in double.served],
                    }
                    self._send(200, "application/json", json.dumps(body))
                else:
                    self._send(404, "application/json", "{}")

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                double.requests.append(
                    {"path": self.path, "body": body, "headers": {k.lower(): v for k, v in self.headers.items()}}
                )
                time.sleep(double.delay)
                self._send(*double.reply)

            def _send(self, status: int, kind: str, text: str):
                data = text.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up waiting
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def says(self, text: str) -> None:
        self.reply = (200, "application/json", json.dumps({"text": text}))

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
