"""`GET /health` for load balancers (game/health.py): 200 while the replica serves, whatever the shared
speech engine and database do, with their state in words; 503 from SIGTERM on while the replica drains;
never an address or a key in the body."""

from __future__ import annotations

import json
import signal
import threading
import time
import urllib.error
import urllib.request

import pytest
from conftest import AppServer, free_port
from engine_double import EngineDouble

from game.decks.store import DeckStore
from game.health import DATABASE_FRESH_S, DATABASE_WAIT_S, DatabaseCheck, Health
from game.speech.loading import ModelStatus

SECRETS = ("engine-password", "not-a-real-key-123", "database-password")


def health(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url + "health", timeout=10) as response:
            raw = response.read().decode()
            return response.status, json.loads(raw), raw
    except urllib.error.HTTPError as exc:
        raw = exc.read().decode()
        return exc.code, json.loads(raw), raw


def page_status(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status


def eventually(condition, what: str, limit: float = 120.0):
    """A guard against a hang, not a speed check."""
    deadline = time.monotonic() + limit
    while not (result := condition()):
        assert time.monotonic() < deadline, what
        time.sleep(0.2)
    return result


@pytest.mark.slow
def test_health_says_serving_through_outages_of_what_replicas_share_then_503_while_it_drains(artifacts, tmp_path):
    """Through the real app: an engine that is not there and a PostgreSQL that cannot be reached leave the
    replica in the balancer (200), say so in words, and no address, password or key is in the body; the
    engine comes back and speech is ready; after SIGTERM the check answers 503 while the page still serves,
    and a second SIGTERM stops it at once."""
    engine_port = free_port()
    server = AppServer(
        "sv-model",
        artifacts / "app-health.log",
        tmp_path / "data",
        SAGDET_SPEECH_URL=f"http://sagdet:engine-password@127.0.0.1:{engine_port}/v1",
        SAGDET_SPEECH_MODEL="sv-model",
        SAGDET_SPEECH_KEY="not-a-real-key-123",
        SAGDET_DATABASE_URL=f"postgresql+psycopg://sagdet:database-password@127.0.0.1:{free_port()}/school",
        SAGDET_DRAIN_SECONDS="600",  # only a second SIGTERM ends this drain within the test
    )
    engine = None
    try:
        status, body, raw = eventually(
            lambda: (h := health(server.url))[1]["speech"] == "unavailable" and h[1]["database"] == "unreachable" and h,
            "the engine and the database were asked",
        )
        assert status == 200
        assert body == {
            "status": "serving",
            "speech": "unavailable",
            "speech_ready": False,
            "speech_reason": "engine_unreachable",
            "speech_on": "engine",
            "database": "unreachable",
            "database_ok": False,
            "database_kind": "postgresql",
        }
        assert not any(secret in raw for secret in (*SECRETS, "127.0.0.1", "http", "sagdet@", str(engine_port)))

        engine = EngineDouble(served=("sv-model",), port=engine_port)  # the engine comes back: no restart
        status, body, _ = eventually(lambda: (h := health(server.url))[1]["speech_ready"] and h, "speech is back")
        assert status == 200 and body["speech"] == "ready" and body["speech_reason"] == ""

        server.proc.send_signal(signal.SIGTERM)
        status, body, raw = eventually(lambda: (h := health(server.url))[0] == 503 and h, "the check says stopping")
        assert body["status"] == "stopping" and body["speech_ready"] is True
        assert not any(secret in raw for secret in SECRETS)
        assert page_status(server.url) == 200  # still serving its learners while the balancer takes it out
        server.proc.send_signal(signal.SIGTERM)
        assert server.proc.wait(timeout=60) == 0  # the second SIGTERM did not wait out the 600 s drain
    finally:
        server.stop()
        if engine is not None:
            engine.stop()
    said = (artifacts / "app-health.log").read_text()
    assert "/health answers 503 from now on" in said and "SIGTERM: stopping" in said
    assert not any(secret in said for secret in SECRETS)


@pytest.mark.slow
def test_a_drained_replica_stops_by_itself_with_its_answers_written(artifacts, tmp_path, engine_double):
    server = AppServer(
        "sv-model",
        artifacts / "app-health-drain.log",
        tmp_path / "data",
        SAGDET_SPEECH_URL=engine_double.url,
        SAGDET_SPEECH_MODEL="sv-model",
        SAGDET_DRAIN_SECONDS="3",
    )
    try:
        status, body, _ = health(server.url)
        assert status == 200 and body["database"] in ("ok", "not_answering") and body["database_kind"] == "sqlite"
        server.proc.send_signal(signal.SIGTERM)
        assert eventually(lambda: health(server.url)[0] == 503, "the check says stopping")
        assert server.proc.wait(timeout=120) == 0  # the drain's end stops it, as SIGTERM did before
    finally:
        server.stop()
    said = (artifacts / "app-health-drain.log").read_text()
    assert "still serves its learners for 3 s" in said
    assert "the writer stopped with its queue written" in said and "picture cache" in said


def ready() -> ModelStatus:
    return ModelStatus("ready", "Taligenkänningen är redo.")


def test_a_model_that_failed_to_load_is_named_but_the_replica_serves():
    failed = ModelStatus("failed", "…", "why", "/secret/path: detail", reason="no_such_model")
    status, body = Health(lambda: failed, "replica", DatabaseCheck(None), "", lambda: False).report()
    assert status == 200 and body["speech"] == "unavailable" and body["speech_reason"] == "no_such_model"
    assert body["database"] == "unavailable" and body["database_ok"] is False  # no store could be made
    assert "secret" not in json.dumps(body)
    loading = ModelStatus("loading", "…")
    _, body = Health(lambda: loading, "replica", DatabaseCheck(lambda: True), "sqlite", lambda: False).report()
    assert body["speech"] == "loading" and body["speech_ready"] is False and body["speech_reason"] == ""


def test_a_database_that_hangs_does_not_hold_the_check_and_answers_are_reused():
    release, calls = threading.Event(), []

    def answers() -> bool:
        calls.append(1)
        release.wait(30)
        return True

    check = DatabaseCheck(answers)
    started = time.monotonic()
    assert check.state() == "not_answering"
    assert check.state() == "not_answering"  # the question in flight is not asked again
    assert time.monotonic() - started < 2 * DATABASE_WAIT_S + 5  # generous: a loaded machine
    release.set()
    eventually(lambda: check.state() == "ok", "the answer arrives", 10)
    assert len(calls) == 1
    for _ in range(20):  # a balancer asking often reaches the database once per DATABASE_FRESH_S
        assert check.state() == "ok"
    assert len(calls) == 1


def test_a_database_that_fails_is_unreachable_and_back_when_it_answers():
    now, up = [0.0], [False]
    check = DatabaseCheck(lambda: up[0], clock=lambda: now[0])
    assert check.state() == "unreachable"
    up[0] = True
    assert check.state() == "unreachable"  # still the answer of a moment ago
    now[0] += DATABASE_FRESH_S + 1
    assert check.state() == "ok"


def test_the_store_says_whether_its_database_answers_and_its_kind_but_not_its_address(tmp_path):
    store = DeckStore(tmp_path / "data")
    try:
        assert store.answers() is True and store.kind == "sqlite"
    finally:
        store.close()
    away = DeckStore(tmp_path / "data", f"postgresql+psycopg://sagdet:database-password@127.0.0.1:{free_port()}/x")
    try:
        assert away.answers() is False and away.kind == "postgresql"
    finally:
        away.close()


def test_a_stopping_replica_answers_503():
    status, body = Health(ready, "engine", DatabaseCheck(lambda: True), "postgresql", lambda: True).report()
    assert status == 503 and body["status"] == "stopping" and body["speech_ready"] is True
