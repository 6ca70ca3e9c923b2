"""The app's front door, before Gradio: an event's body is never larger than an event can need, and
a session that keeps writing after it was told "too fast" is turned away with an HTTP 429, held for
a second first.

Inside Gradio's queue even a refused event costs the server a worker thread, a copy of the
session's state and an event stream; a program sending back to back kept the class's spoken answers
waiting (benchmarks/hostile.py). At the door a refusal costs about a millisecond of the server's
CPU (python -m benchmarks.door), and holding it HOLD_S (an idle coroutine) keeps a program that
waits for each answer, as most do, to one request a second. Learners never meet it: the write
limit tells a browser "too fast" REFUSALS_AT_THE_DOOR times (game/write_limit.py) before the door
shuts, and it opens again as those refusals age out of the limit's window.

A plain ASGI middleware, given to Gradio's FastAPI app through `launch(app_kwargs=...)`.
"""

from __future__ import annotations

import asyncio
import json

from game.texts import say
from game.write_limit import WINDOW_S, WriteLimit

API_PREFIX = "/gradio_api/"
EVENT_ROUTES = ("queue/join", "call/", "run/", "api/")  # where an event's inputs are posted as JSON
# An event's inputs: a typed word, a round, a learner's stored progress, the editor's table of at
# most a deck of cards with 48 px thumbnails (about 3 kB a card). Files go through /upload instead.
MOST_EVENT_BYTES = 4 * 1024 * 1024
HOLD_S = 1.0  # how long a turned-away event waits for its 429


def is_event(path: str) -> bool:
    _, prefix, route = path.partition(API_PREFIX)
    return bool(prefix) and route.startswith(EVENT_ROUTES)


def session_of(body: bytes) -> str:
    """The session an event's JSON body names ("" when it names none, or is not JSON: Gradio refuses it)."""
    try:
        session = json.loads(body).get("session_hash")
    except (ValueError, AttributeError):
        return ""
    return session if isinstance(session, str) else ""


def both_languages(key: str, **values) -> str:
    """A refusal to a client whose page language the door cannot know."""
    return " / ".join(say(lang, key, **values) for lang in ("sv", "en"))


class Door:
    def __init__(self, app, writes: WriteLimit, most_bytes: int = MOST_EVENT_BYTES, hold_s: float = HOLD_S):
        self.app, self.writes, self.most_bytes, self.hold_s = app, writes, most_bytes, hold_s

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not is_event(scope["path"]):
            await self.app(scope, receive, send)
            return
        too_large = both_languages("event_too_large", most=self.most_bytes // 1024**2)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.most_bytes:
            await self._refuse(send, 413, too_large)
            return
        body = bytearray()
        while True:  # a body sent in chunks, with no length or a false one, is counted as it comes
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > self.most_bytes:
                await self._refuse(send, 413, too_large)
                return
            if not message.get("more_body", False):
                break
        if self.writes.shut_out(session_of(bytes(body))):
            await asyncio.sleep(self.hold_s)
            await self._refuse(send, 429, both_languages("writing_too_fast"), retry_after=WINDOW_S)
            return
        await self.app(scope, _replay(bytes(body), receive), send)

    @staticmethod
    async def _refuse(send, status: int, detail: str, retry_after: float | None = None) -> None:
        headers = [(b"content-type", b"application/json")]
        if retry_after is not None:
            headers.append((b"retry-after", str(int(retry_after)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": json.dumps({"detail": detail}).encode()})


def _replay(body: bytes, receive):
    """`receive` for the app behind the door: the body read already, then whatever comes next (a disconnect)."""
    given = False

    async def again():
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return again
