"""The game with a real speech engine: vLLM's CPU build serving real whisper-base through OpenAI's
audio API (SAGDET_SPEECH_URL), through the game's own client and through the app as learners use it.

The engine and the weights are built once per machine by the project's scripts (a few minutes the
first time); the tests start vLLM themselves, stop it mid-round and start it again.
"""

import time

import pytest
from conftest import AppServer, espeak
from deck_pictures import bundled_pictures
from gradio_client import Client, handle_file

from benchmarks.page import Page
from benchmarks.speech_engine import SERVED, WHISPER_BASE, SpeechEngine, build_once
from game.api import FEEDBACK, PICTURE
from game.speech.audio import read_audio_file
from game.speech.engine import EngineListener
from game.speech.hearing import ModelUnavailable
from game.speech.listener import Listener
from game.speech.loading import BackgroundModel

pytestmark = pytest.mark.slow

WORDS = ["hund", "katt", "fisk", "äpple", "flygplan", "stol"]
PICTURES = bundled_pictures()


def test_speech_on_a_real_engine(artifacts, tmp_path_factory, tmp_path):
    """One test, so that one vLLM starts (test workers would each start their own): the game's client
    against the engine, then the app as learners use it while the engine stops and comes back."""
    build_once()
    engine = SpeechEngine(artifacts / "vllm.log").start()
    try:
        clips = {word: read_audio_file(espeak(word, tmp_path / f"{word}.wav", speed=130)) for word in WORDS}
        the_engine_hears_what_the_game_hears_in_process(engine, clips)
        a_model_the_engine_does_not_serve_is_said_and_fails_only_the_answer(engine, clips)
        a_class_keeps_playing_when_the_engine_stops_and_hears_again_when_it_is_back(
            engine, artifacts, tmp_path_factory, tmp_path
        )
    finally:
        engine.stop()


def a_learner_speaks_into_the_browser_and_the_engine_hears_it(url: str, artifacts, tmp_path) -> None:
    """Chromium with a fake microphone that says "hund": one tap, and the verdict says what the
    engine heard (whisper-base hears espeak poorly, so not that it was right)."""
    from playwright.sync_api import sync_playwright
    from test_browser import feedback, launch_chromium, new_page, play_hund, said_then_quiet, shot

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, said_then_quiet("hund", tmp_path))
        try:
            with new_page(browser, {"width": 1000, "height": 1100}) as page:
                play_hund(page, url, tmp_path)
                assert "på talservern" in page.locator("#model-status").inner_text()
                page.locator("#mic button.record-button").click()
                said = feedback(page, ".verdict")
                shot(page, artifacts, "engine-spoken-verdict")
                assert "hund" in said and "Skriv ditt svar" not in said, said
        finally:
            browser.close()


def eventually(condition, what: str, limit: float = 300.0):
    """A guard against a hang while the listener asks on its own thread, not a speed check."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def the_engine_hears_what_the_game_hears_in_process(engine, clips):
    """The same clips, prepared the same way, through vLLM and through the in-process model (both
    real whisper-base at its 30 s window, greedy, Swedish): the same transcripts on most clips."""
    answers = list(WORDS)
    remote = EngineListener(engine.url, SERVED, answers)
    model = BackgroundModel(str(WHISPER_BASE))
    assert model.wait(600)
    local = Listener(model, answers)
    heard = {word: (remote.hear(clip, wait=60), local.hear(clip)) for word, clip in clips.items()}
    assert all(isinstance(r, str) and r.strip() for r, _ in heard.values()), heard
    same = sum(r.strip(" .!?").lower() == loc.strip(" .!?").lower() for r, loc in heard.values())
    assert same >= len(WORDS) // 2, heard  # different kernels and precision: most, not necessarily all
    assert remote.status("sv").state == "ready"


def a_model_the_engine_does_not_serve_is_said_and_fails_only_the_answer(engine, clips):
    listener = EngineListener(engine.url, "fimster/whisper-small-sv-SE", WORDS)
    eventually(lambda: listener.status().state == "failed", "the page says speech is unavailable")
    assert "har inte modellen fimster/whisper-small-sv-SE" in listener.status("sv").why
    assert f"serves {SERVED}" in listener.status("sv").detail
    with pytest.raises(ModelUnavailable):
        listener.hear(clips["hund"], wait=60)


def a_class_keeps_playing_when_the_engine_stops_and_hears_again_when_it_is_back(
    engine, artifacts, tmp_path_factory, tmp_path
):
    """The app as learners meet it, speech on the engine: a spoken answer is heard; the engine stops
    mid-round and the learner is told to type, typing still works; the engine comes back and the
    next spoken answer is heard, with no restart of the app."""
    app = AppServer(
        SERVED,
        artifacts / "app-engine.log",
        tmp_path_factory.mktemp("engine-data"),
        SAGDET_SPEECH_URL=engine.url,
        SAGDET_SPEECH_MODEL=SERVED,
    )
    try:
        wav = handle_file(str(espeak("hund", tmp_path / "hund.wav", speed=130)))
        heard = Client(app.url, verbose=False).predict(wav, "hund", api_name="/check_answer")
        assert heard["heard"].strip() and heard["verdict"] in ("right", "almost", "wrong"), heard

        page = Page(app.url)
        page("djur", 3, None, api_name="/start_round")
        word = PICTURES.word_for(page[PICTURE])
        engine.stop()
        try:
            spoken = page(wav, None, api_name="/answer_spoken")[FEEDBACK]
            assert "Skriv ditt svar i rutan i stället" in spoken, spoken
            assert "Rätt!" in page(word, None, api_name="/answer_typed")[FEEDBACK]
        finally:
            engine.start()
        page(None, api_name="/next_card")
        again = page(wav, None, api_name="/answer_spoken")[FEEDBACK]
        assert "verdict" in again and "Skriv ditt svar" not in again, again
        a_learner_speaks_into_the_browser_and_the_engine_hears_it(app.url, artifacts, tmp_path)
    finally:
        app.stop()
