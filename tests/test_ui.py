"""The page as built, without a server: what a learner or teacher sees on arrival."""

import asyncio
import inspect
import shutil
import warnings
from types import SimpleNamespace

import gradio as gr
from gradio import queueing

from game.api import FEEDBACK, PICTURE, ROUND_OUTPUTS
from game.config import ROOT, Settings
from game.decks.editor import MAX_PASTE_CHARS
from game.pictures import library
from game.texts import say
from game.ui import build_app
from game.ui.context import Shared
from game.ui.page import QUEUE_IDLE_POLL_S, QUEUE_PROGRESS_POLL_S, Page


def component(demo: gr.Blocks, elem_id: str):
    return next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == elem_id)


def test_a_broken_deck_is_shown_and_the_rest_still_play(tmp_path, tiny_model_dir):
    shutil.copy(ROOT / "assets" / "decks" / "vardag.yaml", tmp_path / "vardag.yaml")
    shutil.copytree(ROOT / "assets" / "decks" / "vardag", tmp_path / "vardag")
    (tmp_path / "trasig.yaml").write_text("title: Trasig\ncards: []\n")
    demo = build_app(Settings(model=str(tiny_model_dir), decks=tmp_path, data_dir=tmp_path / "data"))
    problems = component(demo, "deck-problems")
    assert problems.visible and f"{tmp_path}/trasig.yaml:2: kortleken har inga kort" in problems.value
    assert f"{tmp_path}/trasig.yaml:2: the deck has no cards" in on_arrival(demo, "deck-problems", "en")
    deck = component(demo, "deck")
    assert [value for _, value in deck.choices] == ["vardag"] and deck.value == "vardag"


def on_arrival(demo: gr.Blocks, elem_id: str, language: str = "sv"):
    """What the page's load event sets a component to."""
    arrive = next(f for f in demo.fns.values() if getattr(f.fn, "__name__", "") == "on_arrive")
    value = arrive.fn(None, None, language, [], "2026-11-16")[component(demo, elem_id)]
    # An update (a button's text and whether it can be pressed) reads like the component's attributes.
    return SimpleNamespace(**value) if isinstance(value, dict) and value.get("__type__") == "update" else value


def test_the_page_says_which_audio_window_runs(tmp_path, tiny_model_dir):
    """SAGDET_WINDOW reaches the model the page loads, and the page says the window (the tiny
    checkpoint's own is 30 s; `auto` runs it on 10 s)."""
    for window, said in (("auto", "hör 10 s åt gången"), (12, "hör 12 s åt gången"), (30, "hör 30 s åt gången")):
        shared = Shared.start(Settings(model=str(tiny_model_dir), data_dir=tmp_path / "data", window=window))
        assert shared.listener.model.wait(120)
        assert said in on_arrival(Page(shared).blocks, "model-status"), window


def test_start_waits_for_the_page_and_needs_a_playable_deck(tmp_path, tiny_model_dir):
    playable = build_app(Settings(model=str(tiny_model_dir), data_dir=tmp_path / "data"))
    assert component(playable, "start-btn").interactive is False  # until the learner's progress is in
    assert on_arrival(playable, "start-btn").interactive is True
    empty = build_app(Settings(model=str(tiny_model_dir), decks=tmp_path, data_dir=tmp_path / "data"))
    assert on_arrival(empty, "start-btn").interactive is False


def test_the_page_arrives_in_the_stored_language(tiny_model_dir, tmp_path):
    demo = build_app(Settings(model=str(tiny_model_dir), data_dir=tmp_path / "data"))
    assert on_arrival(demo, "start-btn", "en").value == "Start"
    assert on_arrival(demo, "start-btn", "sv").value == "Starta"
    assert on_arrival(demo, "start-btn", "klingon").value == "Starta"
    assert "0** days in a row" in on_arrival(demo, "progress-summary", "en")
    assert on_arrival(demo, "deck-format", "en").startswith("# Writing a deck")
    assert on_arrival(demo, "deck-format", "sv").startswith("# Så skriver du en kortlek")
    assert on_arrival(demo, "mic-hint", "en") == say("en", "mic_hint")  # the microphone stops by itself


def test_an_idle_queue_polls_every_10_ms_not_every_1_ms(tmp_path, tiny_model_dir):
    demo = build_app(Settings(model=str(tiny_model_dir), data_dir=tmp_path / "data"))
    assert demo._queue.sleep_when_free == QUEUE_IDLE_POLL_S == 0.01
    assert demo._queue.progress_update_sleep_when_free == QUEUE_PROGRESS_POLL_S
    loops = inspect.getsource(queueing.Queue.start_processing) + inspect.getsource(
        queueing.Queue.start_progress_updates
    )
    assert "self.sleep_when_free" in loops and "self.progress_update_sleep_when_free" in loops


def test_the_rate_limits_caller_is_the_address_our_own_proxy_saw():
    from game.ui.context import caller_of

    def request(forwarded: str | None):
        headers = {"x-forwarded-for": forwarded} if forwarded is not None else {}
        return SimpleNamespace(headers=headers, client=SimpleNamespace(host="10.1.1.1"))

    spoofed = request("6.6.6.6, 203.0.113.9")  # the client wrote 6.6.6.6; our proxy appended 203.0.113.9
    assert caller_of(spoofed, proxies=0) == "10.1.1.1"  # no proxy of ours: the connection's own address
    assert caller_of(spoofed, proxies=1) == "203.0.113.9"
    assert caller_of(request(None), proxies=1) == "10.1.1.1"
    assert caller_of(None) == "local"


def test_the_round_endpoints_return_what_game_api_names_in_its_order(tmp_path, tiny_model_dir):
    demo = build_app(Settings(model=str(tiny_model_dir), data_dir=tmp_path / "data"))
    kinds = {
        "picture": gr.Image,
        "typed": gr.Textbox,
        "mic": gr.Audio,
        "stored": gr.BrowserState,
        "mastery": gr.BarPlot,
    }
    ids = {"progress": "progress", "feedback": "feedback", "hints": "hints", "hint_sound": "hear-audio"}
    for name in ("start_round", "answer_typed", "answer_spoken", "skip", "next_card", "try_again", "hint_length"):
        fn = next(f for f in demo.fns.values() if f.api_name == name)
        returned = [c for c in fn.outputs if not c.skip_api]  # what gradio_client hands a program
        assert len(returned) == len(ROUND_OUTPUTS) + (2 if name == "start_round" else 0), name
        for position, output in enumerate(ROUND_OUTPUTS):
            if output in kinds:
                assert isinstance(returned[position], kinds[output]), (name, output)
            if output in ids:
                assert returned[position].elem_id == ids[output], (name, output)
    assert (ROUND_OUTPUTS.index("picture"), ROUND_OUTPUTS.index("feedback")) == (PICTURE, FEEDBACK)


def test_an_event_that_changes_nothing_still_answers_for_every_output(tmp_path, tiny_model_dir):
    """A wrong class code, a paste too long, a picture for no card: a warning, and every output left
    as it is. An empty answer would fail the event in Gradio and mark its inputs "Error"."""
    demo = build_app(Settings(model=str(tiny_model_dir), data_dir=tmp_path / "data"))

    def handler(name: str):
        return next(f for f in demo.fns.values() if getattr(f.fn, "__name__", "") == name)

    table = {"headers": [], "data": [["hund", "en", "dog", "", "", "", ""]]}
    calls = {
        "on_code": ("ZZZZZZ", [], "sv"),
        "on_paste": ("x" * (MAX_PASTE_CHARS + 1), table, "Djur", "", None, "sv"),
        "on_unrecord": (0, table, "Djur", "", None, "sv"),  # no card chosen
    }
    for name, args in calls.items():
        event = handler(name)
        assert len(event.outputs) > 1, name
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # gr.Warning outside an event is a Python warning
            result = inspect.unwrap(event.fn)(*args)  # the handler's own answer, behind the page's wrappers
        asyncio.run(demo.postprocess_data(event, result, None))  # raises for too few outputs


def test_the_page_arriving_leaves_an_upload_made_meanwhile_on_screen(tmp_path, tiny_model_dir):
    """A teacher who uploads before the page's load event is done keeps the report: the arrival
    (a new page has no upload) does not write the upload's report or cards."""
    demo = build_app(Settings(model=str(tiny_model_dir), data_dir=tmp_path / "data"))
    arrive = next(f for f in demo.fns.values() if getattr(f.fn, "__name__", "") == "on_arrive")
    arrived = arrive.fn(None, None, "en", [], "2026-12-07")
    assert component(demo, "upload-report") not in arrived and component(demo, "upload-preview") not in arrived
    assert component(demo, "upload") in arrived  # the upload area's label is still in the page's language


def test_the_picture_search_says_why_it_shows_nothing_without_the_emoji_font(tmp_path, tiny_model_dir, monkeypatch):
    """A fresh machine without fonts-noto-color-emoji: the library finds the rocket but cannot draw it,
    and says so, instead of "nothing found"."""
    monkeypatch.setattr(library, "FONT", tmp_path / "NotoColorEmoji.ttf")  # not there
    demo = build_app(Settings(model=str(tiny_model_dir), data_dir=tmp_path / "data"))
    on_search = next(f.fn for f in demo.fns.values() if getattr(f.fn, "__name__", "") == "on_search")
    shown = on_search("raket", "sv")
    results = shown[component(demo, "picture-results")]
    assert results["value"] == [] and "Noto Color Emoji" in results["label"], results


def test_a_returning_learner_lands_on_the_deck_they_played_last(tmp_path, tiny_model_dir):
    demo = build_app(Settings(model=str(tiny_model_dir), data_dir=tmp_path / "data"))
    arrive = next(f.fn for f in demo.fns.values() if getattr(f.fn, "__name__", "") == "on_arrive")
    deck_pick = component(demo, "deck")
    mine = [{"code": "KTB4WQ", "title": "Klassens djur"}]
    class_deck = arrive(None, {"last_deck": "KTB4WQ"}, "sv", mine, "2026-12-07")[deck_pick]
    assert class_deck["value"] == "KTB4WQ" and ("Klassens djur · klasskod KTB4WQ", "KTB4WQ") in class_deck["choices"]
    assert arrive(None, {"last_deck": "mat"}, "sv", mine, "2026-12-07")[deck_pick]["value"] == "mat"
    gone = arrive(None, {"last_deck": "ZZZ999"}, "sv", mine, "2026-12-07")[deck_pick]  # no longer in the list
    assert "value" not in gone


def test_every_handler_that_asks_for_the_request_gets_it(tmp_path, tiny_model_dir):
    """Gradio passes the request only to a parameter annotated gr.Request; without it the handler sees
    None, and the limits count every browser as one caller ("local")."""
    demo = build_app(Settings(model=str(tiny_model_dir), data_dir=tmp_path / "data"))
    unannotated = []
    for block in demo.fns.values():
        parameters = inspect.signature(block.fn).parameters if block.fn is not None else {}
        if "request" in parameters and "Request" not in str(parameters["request"].annotation):
            unannotated.append(block.fn.__qualname__)
    assert unannotated == []
