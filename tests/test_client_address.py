"""Whose address a request counts against, through the real server (uvicorn under Gradio): with no
proxy configured (SAGDET_PROXIES=0, the default off a Space) an X-Forwarded-For header a client
writes itself changes nothing, so it can neither dodge the limits nor lock out someone else."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from conftest import AppServer

from game.decks.store import Limits


@pytest.fixture
def server(tiny_model_dir, artifacts, tmp_path):
    """A server of its own: the test spends its address's wrong-code allowance."""
    running = AppServer(str(tiny_model_dir), artifacts / "app-client-address.log", tmp_path / "data")
    yield running
    running.stop()


def open_deck(url: str, code: str, forwarded: str | None = None) -> str:
    """`/open_deck` over plain HTTP, with the headers a hostile client chooses; the event's outcome."""
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
        event = http.post("gradio_api/call/open_deck", json={"data": [code]}).json()["event_id"]
        stream = http.get(f"gradio_api/call/open_deck/{event}").text
    data = json.loads(stream.split("data: ", 1)[1])  # one event: complete (the deck) or error (its message)
    return data["error"] if isinstance(data, dict) and "error" in data else json.dumps(data)


def test_a_client_cannot_name_its_own_address_with_x_forwarded_for(server):
    most = Limits().wrong_codes
    spoofed = [f"198.51.100.{i % 250}, 203.0.113.{i // 250}" for i in range(most)]  # a new "address" each time
    with ThreadPoolExecutor(8) as pool:  # several clients at the same moment, as an attacker would send them
        answers = list(pool.map(lambda forwarded: open_deck(server.url, "ZZZZZZ", forwarded), spoofed))
    assert all("Det finns ingen kortlek" in answer for answer in answers), answers[0]
    # Every guess counted against the one address they all came from: the next is not even looked up,
    # with or without a header, and naming a neighbour's address does not help.
    for forwarded in (None, "192.0.2.1"):
        assert "Försök igen senare" in open_deck(server.url, "ZZZZZZ", forwarded)
