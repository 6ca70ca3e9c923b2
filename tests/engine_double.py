"""A transcription engine that misbehaves on request: OpenAI's audio API on localhost, answering as
told (a transcript, an error status, a page that is not JSON, nothing for a while, a field it does not
know). The real engine (vLLM) is tested in test_speech_engine.py; this one gives the failures a real
engine gives rarely, and a hosted endpoint's refusals."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# How OpenAI's API has answered a request with a parameter it does not know, as reported from
# api.openai.com (HTTP 400, the body as the client received it). Both reports are of its chat endpoint:
# none was found of the transcription endpoint itself, so the listener accepts either shape.
UNKNOWN_FIELD = {
    # https://github.com/teabranch/open-responses-server/issues/41 (2025), and others since
    "unknown_parameter": lambda field: {
        "error": {
            "message": f"Unknown parameter: '{field}'.",
            "type": "invalid_request_error",
            "param": field,
            "code": "unknown_parameter",
        }
    },
    # https://github.com/xlinx/sd-webui-decadetw-auto-prompt-llm/issues/29 (2024): the field only in the message
    "unrecognized": lambda field: {
        "error": {
            "message": f"Unrecognized request argument supplied: {field}",
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }
    },
}


class EngineDouble:
    def __init__(self, served: tuple[str, ...] = ("sv-model",), port: int = 0):
        self.served = served
        self.reply: tuple[int, str, str] = (200, "application/json", json.dumps({"text": "hund"}))
        self.delay = 0.0
        self.unknown: tuple[str, ...] = ()  # form fields answered as OpenAI answers a parameter it does not know
        self.unknown_shape = "unknown_parameter"  # which of UNKNOWN_FIELD's shapes
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
                refused = [f for f in double.unknown if f'name="{f}"'.encode() in body]
                if refused:
                    self._send(400, "application/json", json.dumps(UNKNOWN_FIELD[double.unknown_shape](refused[0])))
                else:
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

    def sent(self, field: str) -> list[bool]:
        """For each clip sent so far, whether it carried the form field `field`."""
        return [f'name="{field}"'.encode() in r["body"] for r in self.requests if r["path"].endswith("/transcriptions")]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
