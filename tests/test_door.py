"""The front door (game/ui/door.py): oversized event bodies and sessions that do not stop after
"too fast" are turned away before Gradio's queue; everything else passes through unchanged."""

from __future__ import annotations

import asyncio
import json
import time

import httpx

from game.ui.door import Door, is_event, session_of
from game.write_limit import REFUSALS_AT_THE_DOOR, WriteLimit

JOIN = "/gradio_api/queue/join"


async def echo(scope, receive, send) -> None:
    """The app behind the door: answers with the body it was given."""
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def post(door: Door, path: str, content) -> httpx.Response:
    async def go():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=door), base_url="http://localhost") as client:
            return await client.post(path, content=content)

    return asyncio.run(go())


def event(session: str, data) -> bytes:
    return json.dumps({"session_hash": session, "fn_index": 3, "data": data}).encode()


def shut_out(session: str) -> WriteLimit:
    writes = WriteLimit(per_session=0, per_address=100)
    for _ in range(REFUSALS_AT_THE_DOOR):
        writes.take(session, "school")
    return writes


def test_only_events_go_through_the_door():
    assert is_event("/gradio_api/queue/join") and is_event("/gradio_api/call/answer_typed")
    assert is_event("/sagdet/gradio_api/run/predict")  # behind a root path
    assert not is_event("/gradio_api/upload") and not is_event("/gradio_api/queue/data") and not is_event("/")
    assert session_of(event("abc", [])) == "abc"
    assert session_of(b"not json") == session_of(b"[1]") == session_of(b'{"session_hash": 5}') == ""


def test_an_event_within_bounds_reaches_the_app_whole():
    body = event("abc", ["hund" * 1000])
    answered = post(Door(echo, WriteLimit()), JOIN, body)
    assert answered.status_code == 200 and answered.content == body


def test_an_oversized_event_is_refused_whether_its_length_is_declared_or_not():
    door = Door(echo, WriteLimit(), most_bytes=1000)
    declared = post(door, JOIN, b"x" * 1001)
    assert declared.status_code == 413 and "högst" in declared.json()["detail"]

    async def chunks():  # no Content-Length: counted as it comes
        for _ in range(100):
            yield b"x" * 100

    assert post(door, JOIN, chunks()).status_code == 413
    assert post(door, "/gradio_api/upload", b"x" * 5000).status_code == 200  # uploads have their own bound


def test_a_session_shut_out_by_the_write_limit_is_turned_away_and_others_are_not():
    door = Door(echo, shut_out("flood"), hold_s=0.3)
    began = time.monotonic()
    refused = post(door, JOIN, event("flood", ["xyzzy"]))
    assert time.monotonic() - began >= 0.3  # held: a program that waits for its answers sends one a second
    assert refused.status_code == 429 and refused.headers["retry-after"] == "60"
    assert "för fort" in refused.json()["detail"] and "too fast" in refused.json()["detail"]
    assert post(door, "/gradio_api/call/answer_typed", event("flood", [])).status_code == 429
    assert post(door, JOIN, event("learner", ["hund"])).status_code == 200
    assert post(door, "/gradio_api/upload", event("flood", [])).status_code == 200


def test_the_app_has_the_door_in_front(app_server):
    """A 5 MB event to the real app is refused at the door, and the app goes on serving."""
    huge = event("someone", ["x" * (5 * 1024 * 1024)])
    answered = httpx.post(app_server.url.rstrip("/") + JOIN, content=huge, headers={"content-type": "application/json"})
    assert answered.status_code == 413, answered.text[:200]
    assert httpx.get(app_server.url.rstrip("/") + "/config").status_code == 200
