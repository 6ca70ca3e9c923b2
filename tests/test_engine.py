"""The game's side of a transcription engine (game/speech/engine.py), against an engine on localhost
that answers as told: what a learner and the page see when the engine is away, slow, wrong or back."""

import io
import logging
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import soundfile
from conftest import AppServer, espeak
from deck_pictures import bundled_pictures
from engine_double import UNKNOWN_FIELD, EngineDouble
from gradio_client import handle_file

from benchmarks.page import Page
from game.api import FEEDBACK, PICTURE
from game.speech import engine as engine_module
from game.speech.audio import NothingHeard
from game.speech.engine import BOUND_FIELD, LEVEL_DBFS, MAX_GAIN_DB, SLACK_CHARS, EngineListener, wav_bytes
from game.speech.hearing import ModelUnavailable

PICTURES = bundled_pictures()


def word_clip(seconds: float = 1.0, rate: int = 48000) -> tuple[int, np.ndarray]:
    t = np.arange(int(rate * seconds)) / rate
    return rate, (0.3 * np.sin(2 * np.pi * 220 * t) * 32767).astype(np.int16)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def eventually(condition, what: str, limit: float = 60.0):
    """Waits for something the listener does on a thread of its own (a guard against a hang, not a speed check)."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


@pytest.fixture
def engine(engine_double):
    return engine_double


def test_a_clip_is_sent_prepared_and_in_swedish_and_the_transcript_comes_back(engine):
    listener = EngineListener(engine.url, "sv-model", ["hund"], api_key="not-a-real-key")
    assert listener.hear(word_clip(), wait=30) == "hund"
    (request,) = engine.requests
    assert request["path"] == "/v1/audio/transcriptions"
    assert request["headers"]["authorization"] == "Bearer not-a-real-key"
    body = request["body"]
    for field, value in (("model", b"sv-model"), ("language", b"sv"), ("temperature", b"0.0")):
        assert f'name="{field}"'.encode() in body and value in body.split(f'name="{field}"'.encode())[1][:40]
    wav = body[body.index(b"RIFF") :]
    samples, rate = soundfile.read(io.BytesIO(wav[: wav.index(b"\r\n--")]))
    assert rate == 16000 and samples.ndim == 1 and 0.9 < len(samples) / rate < 1.6  # the game's 16 kHz clip
    eventually(lambda: listener.status("sv").state == "ready", "the page says speech is ready")
    assert listener.status("sv").message == "Taligenkänningen är redo (sv-model, på talservern)."


def test_a_recording_with_nothing_in_it_never_reaches_the_engine(engine):
    listener = EngineListener(engine.url, "sv-model", ["hund"])
    with pytest.raises(NothingHeard):
        listener.hear((16000, np.zeros(16000, dtype=np.int16)), wait=30)
    assert engine.requests == []


def test_an_engine_that_rambles_is_cut_to_the_decks_bound(engine):
    engine.says("hund " * 2000)
    listener = EngineListener(engine.url, "sv-model", ["hund", "snögubbe"])
    heard = listener.hear(word_clip(), wait=30)
    assert heard.startswith("hund hund") and len(heard) <= len("snögubbe") + SLACK_CHARS
    # A caller's own word widens the bound only as far as a deck's answer may be long.
    assert len(listener.hear(word_clip(), ["x" * 10_000], wait=30)) <= len("snögubbe") + SLACK_CHARS


@pytest.mark.parametrize(
    "reply, reason",
    [
        ((500, "application/json", '{"error": {"message": "engine fell over"}}'), "error"),
        ((400, "application/json", '{"error": {"message": "bad audio"}}'), "error"),
        ((404, "application/json", '{"error": {"message": "The model `sv-model` does not exist."}}'), "no_model"),
        ((401, "application/json", '{"error": {"message": "no key"}}'), "refused"),
        ((200, "text/html", "<html>a proxy's error page</html>"), "not_a_transcript"),
        ((200, "application/json", '{"segments": []}'), "not_a_transcript"),
        ((200, "application/json", '{"text": 42}'), "not_a_transcript"),
    ],
)
def test_a_broken_answer_fails_only_that_answer_in_plain_words(engine, reply, reason, caplog):
    listener = EngineListener(engine.url, "sv-model", ["hund"], api_key="not-a-real-key")
    eventually(lambda: listener.status().state == "ready", "the engine was asked about its models")
    engine.reply = reply
    with caplog.at_level(logging.ERROR), pytest.raises(ModelUnavailable, match="Skriv ditt svar i rutan i stället"):
        listener.hear(word_clip(), wait=30)
    status = listener.status("en")
    assert status.state == "failed" and status.recovers
    assert status.message.startswith("Speech recognition is not available right now. Type your answer")
    assert listener._reason == reason and "not-a-real-key" not in caplog.text + status.detail + status.why
    engine.says("katt")  # the engine is well again: the next answer is heard, no restart
    assert listener.hear(word_clip(), wait=30) == "katt"
    assert listener.status().state == "ready"


@pytest.mark.parametrize("shape", sorted(UNKNOWN_FIELD))
def test_an_engine_that_refuses_the_token_bound_hears_without_it_and_remembers(engine, shape, caplog):
    """A hosted OpenAI-compatible endpoint answers 400 for vLLM's max_completion_tokens: the clip is sent
    again without it, once, and later clips go without it straight away; the character cap still holds."""
    engine.unknown, engine.unknown_shape = (BOUND_FIELD,), shape
    listener = EngineListener(engine.url, "sv-model", ["hund", "snögubbe"])
    with caplog.at_level(logging.WARNING):
        assert listener.hear(word_clip(), wait=30) == "hund"
        assert engine.sent(BOUND_FIELD) == [True, False]
        assert listener.hear(word_clip(), wait=30) == "hund"
        assert engine.sent(BOUND_FIELD) == [True, False, False]  # the second clip: no extra round trip
        engine.says("hund " * 2000)
        assert len(listener.hear(word_clip(), wait=30)) <= len("snögubbe") + SLACK_CHARS
    assert caplog.text.count(f"does not take {BOUND_FIELD}") == 1  # said once, in words
    assert listener.status().state == "ready"


def test_another_400_is_the_plain_message_and_keeps_the_bound(engine):
    listener = EngineListener(engine.url, "sv-model", ["hund"])
    engine.unknown = ("language",)  # an endpoint that refuses something else: nothing to drop
    with pytest.raises(ModelUnavailable, match="Skriv ditt svar i rutan i stället"):
        listener.hear(word_clip(), wait=30)
    assert engine.sent(BOUND_FIELD) == [True]  # not sent again
    engine.unknown = ()
    assert listener.hear(word_clip(), wait=30) == "hund"
    assert engine.sent(BOUND_FIELD) == [True, True]


@pytest.mark.slow
def test_a_learners_spoken_answer_is_heard_on_an_engine_that_refuses_the_token_bound(engine, artifacts, tmp_path):
    """Through the app, as a learner plays: the first spoken answer costs one refused request, the next none."""
    engine.unknown, engine.unknown_shape = (BOUND_FIELD,), "unrecognized"
    log = artifacts / "app-engine-without-bound.log"
    env = {"SAGDET_SPEECH_URL": engine.url, "SAGDET_SPEECH_MODEL": "sv-model"}
    server = AppServer("sv-model", log, tmp_path / "data", **env)
    try:
        page = Page(server.url)
        page("djur", 3, None, api_name="/start_round")
        for sent in ([True, False], [True, False, False]):
            word = PICTURES.word_for(page[PICTURE])
            engine.says(word)
            clip = handle_file(str(espeak(word, tmp_path / f"{word}.wav")))
            assert "Rätt!" in page(clip, None, api_name="/answer_spoken")[FEEDBACK]
            assert engine.sent(BOUND_FIELD) == sent
            page(None, api_name="/next_card")
    finally:
        server.stop()
    assert log.read_text().count(f"does not take {BOUND_FIELD}") == 1


def test_a_slow_engine_times_out_for_its_sender(engine):
    engine.delay = 3.0
    listener = EngineListener(engine.url, "sv-model", ["hund"], timeout=0.5)
    with pytest.raises(ModelUnavailable):
        listener.hear(word_clip(), wait=30)
    assert len(engine.requests) == 1  # a timed-out clip is not sent again: that would double the wait
    assert listener.status().state == "failed"


def test_a_password_in_the_engines_address_is_neither_logged_nor_shown_on_the_page(caplog):
    """A proxy's basic authentication in SAGDET_SPEECH_URL: the page's folded details and the log name the
    engine without it (the details reach every learner's browser)."""
    url = f"http://sagdet:engine-password@127.0.0.1:{free_port()}/v1"
    with caplog.at_level(logging.INFO):
        listener = EngineListener(url, "sv-model", ["hund"])
        eventually(lambda: listener.status().state == "failed", "an engine that is not there is said")
        with pytest.raises(ModelUnavailable):
            listener.hear(word_clip(), wait=30)
    status = listener.status("sv")
    assert "http://sagdet:***@127.0.0.1:" in status.detail
    assert "engine-password" not in status.detail + status.why + status.message + caplog.text


def test_an_engine_that_does_not_serve_the_model_is_named_on_the_page():
    engine = EngineDouble(served=("openai/whisper-large-v3",))
    try:
        listener = EngineListener(engine.url, "sv-model", ["hund"])
        eventually(lambda: listener.status().state == "failed", "the page says speech is unavailable")
        status = listener.status("sv")
        assert "har inte modellen sv-model" in status.why
        assert "serves openai/whisper-large-v3, not sv-model" in status.detail
    finally:
        engine.stop()


def test_speech_comes_back_when_the_engine_does():
    port = free_port()
    listener = EngineListener(f"http://127.0.0.1:{port}/v1", "sv-model", ["hund"])
    eventually(lambda: listener.status().state == "failed", "an engine that is not there is said")
    status = listener.status("sv")
    assert "svarar inte" in status.why and status.recovers
    with pytest.raises(ModelUnavailable):
        listener.hear(word_clip(), wait=30)
    engine = EngineDouble(port=port)
    try:
        assert listener.hear(word_clip(), wait=30) == "hund"
        assert listener.status().state == "ready"
    finally:
        engine.stop()
    with pytest.raises(ModelUnavailable):  # stopped again mid-class: the next answer finds out
        listener.hear(word_clip(), wait=30)
    assert listener.status().state == "failed"


def test_an_engine_that_went_away_while_nobody_answered_is_said_when_speech_is_asked_about(monkeypatch):
    """The page's load and a load balancer's health check (game/health.py) ask the listener for its state:
    while ready it asks the engine again now and then, so a dead engine is not reported ready for ever."""
    monkeypatch.setattr(engine_module, "READY_RECHECK_S", 0.2)
    engine = EngineDouble()
    listener = EngineListener(engine.url, "sv-model", ["hund"])
    try:
        eventually(lambda: listener.status().state == "ready", "the engine was asked about its models")
    finally:
        engine.stop()
    eventually(lambda: listener.status().state == "failed", "the engine's absence is found without an answer")
    assert listener.status().reason == "engine_unreachable"


def test_many_learners_at_once_each_get_their_own_answer_within_the_bound(engine):
    """Eight learners answer at the same moment, one of them with silence: the engine never has more
    clips than the bound in flight, the silent one alone hears nothing, the rest their transcript."""
    engine.delay = 0.3
    active, most, lock = [0], [0], threading.Lock()
    reply = engine.server.RequestHandlerClass.do_POST

    def counting(handler):
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
        try:
            reply(handler)
        finally:
            with lock:
                active[0] -= 1

    engine.server.RequestHandlerClass.do_POST = counting
    listener = EngineListener(engine.url, "sv-model", ["hund"], in_flight=3)
    start = threading.Barrier(8)

    def learner(i: int):
        start.wait()
        recording = (16000, np.zeros(16000, dtype=np.int16)) if i == 0 else word_clip()
        try:
            return listener.hear(recording, wait=30)
        except NothingHeard:
            return "nothing heard"

    with ThreadPoolExecutor(8) as pool:
        heard = list(pool.map(learner, range(8)))
    assert heard == ["nothing heard"] + ["hund"] * 7
    assert len(engine.requests) == 7 and most[0] <= 3


def test_a_clip_is_sent_levelled_so_sixteen_bits_keep_a_quiet_voice_and_a_loud_one_whole():
    tone = np.sin(np.linspace(0, 200 * np.pi, 16000)).astype(np.float32)
    for loudness, expected_db in ((0.1, LEVEL_DBFS), (1.6, LEVEL_DBFS), (0.001, -60 + MAX_GAIN_DB)):
        sent, rate = soundfile.read(io.BytesIO(wav_bytes(tone * loudness)), dtype="float32")
        peak_db = 20 * np.log10(np.abs(sent).max())
        assert rate == 16000 and abs(peak_db - expected_db) < 0.1, (loudness, peak_db)
    assert not np.any(soundfile.read(io.BytesIO(wav_bytes(np.zeros(1600, np.float32))))[0])
