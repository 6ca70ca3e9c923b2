"""The running app, driven through its API with gradio_client, as a client program would."""

import re
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import AppServer, espeak
from deck_pictures import bundled_pictures
from gradio_client import Client, handle_file

from benchmarks.page import Page
from game.api import FEEDBACK, PICTURE, PROGRESS, SUMMARY

PICTURES = bundled_pictures()


@pytest.fixture
def client(app_server):
    return Client(app_server.url, verbose=False)


@pytest.fixture
def page(app_server):
    return Page(app_server.url)


@pytest.mark.slow
def test_the_game_plays_while_the_model_is_still_loading(artifacts, tmp_path):
    """The model loads in the background: with a hub that takes the connection and never answers,
    the page is served, a round starts and takes typed answers, and a spoken one is told to wait."""
    with socket.socket() as hub:
        hub.bind(("127.0.0.1", 0))
        hub.listen()  # the kernel completes connections; nobody ever reads or answers them
        server = AppServer(
            "sagdet-tests/slow-model",
            artifacts / "app-silent-hub.log",
            tmp_path / "data",
            HF_HUB_OFFLINE="0",
            TRANSFORMERS_OFFLINE="0",
            HF_ENDPOINT=f"http://127.0.0.1:{hub.getsockname()[1]}",
            HF_HUB_ETAG_TIMEOUT="3600",  # the model stays "loading" for the whole test
        )
        try:
            page = Page(server.url)
            page("djur", 3, None, api_name="/start_round")
            word = PICTURES.word_for(page[PICTURE])
            assert "Rätt!" in page(word, None, api_name="/answer_typed")[FEEDBACK]
            page(None, api_name="/next_card")
            spoken = page(handle_file(espeak("hund", tmp_path / "hund.wav")), None, api_name="/answer_spoken")
            assert "Taligenkänningen laddas" in spoken[FEEDBACK], spoken[FEEDBACK]
        finally:
            server.stop()


def test_endpoints(client):
    names = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert {"/check_answer", "/start_round", "/answer_typed", "/answer_spoken", "/skip", "/next_card"} <= set(names)


@pytest.mark.slow
def test_check_answer_transcribes_and_judges(client, tmp_path):
    result = client.predict(handle_file(espeak("hund", tmp_path / "hund.wav")), "hund", api_name="/check_answer")
    # The app runs the tiny model trained by training/ on espeak voices: it hears the word.
    assert result == {
        "word": "hund",
        "heard": "hund",
        "verdict": "right",
        "score": 100.0,
        "message": "Rätt!",
        "article": None,
    }


def test_check_answer_with_an_article_judges_noun_and_article_apart(client, tmp_path):
    hund = handle_file(espeak("hund", tmp_path / "hund.wav"))
    result = client.predict(hund, "en hund", api_name="/check_answer")
    assert result == {
        "word": "en hund",
        "heard": "hund",
        "verdict": "almost",
        "score": 100.0,
        "message": "Nästan!",
        "article": {"said": "", "expected": "en", "right": False},
    }
    result = client.predict(hund, "ett hund", api_name="/check_answer")
    assert result["verdict"] == "almost" and result["article"]["expected"] == "ett"


def test_check_answer_on_silence(client, tmp_path):
    import numpy as np
    import soundfile

    silent = tmp_path / "silent.wav"
    soundfile.write(silent, np.zeros(22050, dtype=np.int16), 22050)
    result = client.predict(handle_file(silent), "katt", api_name="/check_answer")
    assert result["verdict"] == "nothing_heard" and result["message"].startswith("Jag hörde inget")


def _word_in(feedback_html: str) -> str:
    match = re.search(r"<b>(?:(?:en|ett) )?([^<]+)</b>", feedback_html)
    assert match, feedback_html
    return match.group(1)


def test_a_whole_round(page):
    out = page("vardag", 4, None, api_name="/start_round")
    assert out[PROGRESS].startswith("Ord 1 av 4")
    rounds = met = 0
    while not out[SUMMARY]:
        rounds += 1
        assert rounds < 20
        word = PICTURES.word_for(out[PICTURE])
        met += "igen" not in out[PROGRESS]
        assert out[PROGRESS].startswith(f"Ord {met} av 4"), out[PROGRESS]  # a return is shown apart
        if rounds == 1:
            out = page(None, api_name="/skip")  # counts as missed: the word comes back
            assert "hoppade över" in out[FEEDBACK] and _word_in(out[FEEDBACK]) == word
            assert PICTURES.word_for(out[PICTURE]) == word  # until Next
        elif rounds == 2:
            out = page("xyzzy", None, api_name="/answer_typed")
            assert "Inte riktigt" in out[FEEDBACK] and _word_in(out[FEEDBACK]) == word
        else:
            out = page(f"En {word.capitalize()}.", None, api_name="/answer_typed")
            assert "Rätt!" in out[FEEDBACK], out[FEEDBACK]
        out = page(None, api_name="/next_card")
    assert "Rundan är klar! 4 av 4 ord rätt." in out[SUMMARY]
    assert out[SUMMARY].count("↷ hoppade över") == 1 and out[SUMMARY].count("✗ fel") == 1
    assert "Bästa svit: 4" in out[SUMMARY]
    assert rounds == 6


def test_two_learners_do_not_share_a_round(app_server):
    alice, bob = Page(app_server.url), Page(app_server.url)
    a = alice("vardag", 3, None, api_name="/start_round")
    b = bob("vardag", 5, None, api_name="/start_round")
    assert a[PROGRESS].startswith("Ord 1 av 3") and b[PROGRESS].startswith("Ord 1 av 5")
    a = alice(PICTURES.word_for(a[PICTURE]), None, api_name="/answer_typed")
    assert "Poäng: 1" in a[PROGRESS]
    bob(None, api_name="/skip")
    b = bob(None, api_name="/next_card")
    assert "Poäng: 0" in b[PROGRESS] and b[PROGRESS].startswith("Ord 2 av 5")


def test_model_that_cannot_load_leaves_typing_working(broken_model_server, tmp_path):
    client = Client(broken_model_server.url, verbose=False)
    with pytest.raises(Exception, match="Taligenkänningen fungerar inte just nu"):
        client.predict(handle_file(espeak("katt", tmp_path / "katt.wav")), "katt", api_name="/check_answer")
    page = Page(broken_model_server.url)
    out = page("vardag", 3, None, api_name="/start_round")
    out = page(PICTURES.word_for(out[PICTURE]), None, api_name="/answer_typed")
    assert "Rätt!" in out[FEEDBACK]


def test_try_again_and_hints_through_the_api(page):
    out = page("vardag", 3, None, api_name="/start_round")
    word = PICTURES.word_for(out[PICTURE])
    out = page("xyzzy", None, api_name="/answer_typed")
    assert "Inte riktigt" in out[FEEDBACK]
    out = page(None, api_name="/try_again")
    assert PICTURES.word_for(out[PICTURE]) == word and out[PROGRESS].startswith("Ord 1 av 3")
    out = page(None, "", api_name="/hint_length")  # the card's first hint is free, even with no XP
    assert "XP" not in out[FEEDBACK]
    out = page(None, "", api_name="/hint_first_letter")  # a new learner has no XP to pay for a second
    assert "kostar 2 XP och du har 0" in out[FEEDBACK]
    out = page(word, None, "en", api_name="/answer_typed")
    assert "Right!" in out[FEEDBACK]


def at_once(calls):
    """Run the calls at the same moment, each on its own thread; their results (or exceptions) in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            return call()
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def headline_of(feedback_html: str) -> str:
    match = re.search(r"class='headline'>([^<]+)<", feedback_html)
    assert match, feedback_html
    return match.group(1)


def learners_on_different_words(url: str, count: int) -> list[tuple[Page, str]]:
    learners, words = [], set()
    while len(learners) < count:
        page = Page(url)
        for _ in range(20):  # a new round until this learner's first card is nobody else's
            word = PICTURES.word_for(page("vardag", 4, None, api_name="/start_round")[PICTURE])
            if word not in words:
                break
        assert word not in words
        words.add(word)
        learners.append((page, word))
    return learners


@pytest.mark.slow
def test_learners_answering_by_voice_at_the_same_moment_each_get_their_own_verdict(app_server, client, tmp_path):
    learners = learners_on_different_words(app_server.url, 6)
    clips = {word: handle_file(espeak(word, tmp_path / f"{word}.wav", speed=130)) for _, word in learners}
    # What each clip gives on its own, asked one at a time of an idle server.
    alone = {word: client.predict(clip, word, api_name="/check_answer") for word, clip in clips.items()}

    pages = at_once(
        [lambda page=page, word=word: page(clips[word], None, api_name="/answer_spoken") for page, word in learners]
    )

    for (page, word), result in zip(learners, pages):
        assert result is page, result  # no exception
        expected = alone[word]
        assert headline_of(page[FEEDBACK]) == expected["message"], (word, expected, page[FEEDBACK])
        assert expected["heard"] in page[FEEDBACK]
        assert PICTURES.word_for(page[PICTURE]) == word  # still this learner's own card
        assert page[PROGRESS].startswith("Ord 1 av")
        assert ("Poäng: 1" in page[PROGRESS]) == (expected["verdict"] == "right")
    # Nobody's round moved on for anyone else: each goes on from its own first card.
    for page, _ in learners:
        assert page(None, api_name="/next_card")[PROGRESS].startswith("Ord 2 av")


def test_a_bad_recording_fails_only_its_sender(app_server, client, tmp_path):
    hund = handle_file(espeak("hund", tmp_path / "hund.wav", speed=130))
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    noise = tmp_path / "noise.wav"
    noise.write_bytes(bytes(range(256)) * 64)
    callers = [Client(app_server.url, verbose=False) for _ in range(6)]
    asks = [
        (hund, "hund"),
        (handle_file(empty), "hund"),
        (hund, "hund"),
        (handle_file(noise), "katt"),
        (hund, "   "),
        (hund, "hund"),
    ]
    results = at_once([lambda c=c, a=a: c.predict(*a, api_name="/check_answer") for c, a in zip(callers, asks)])
    for i in (0, 2, 5):
        assert results[i]["verdict"] == "right", results[i]
    for i in (1, 3):
        assert results[i]["verdict"] == "nothing_heard" and results[i]["message"].startswith("Jag hörde inget")
    assert isinstance(results[4], Exception) and "Ange målordet" in str(results[4])


def test_a_broken_recording_in_the_game_asks_the_learner_again(page, tmp_path):
    noise = tmp_path / "noise.wav"
    noise.write_bytes(bytes(range(256)) * 64)
    word = PICTURES.word_for(page("vardag", 3, None, api_name="/start_round")[PICTURE])
    page(handle_file(noise), None, api_name="/answer_spoken")
    assert "Jag hörde inget" in page[FEEDBACK] and page[PROGRESS].startswith("Ord 1 av 3")
    page(word, None, api_name="/answer_typed")  # the card is still there to answer
    assert "Rätt!" in page[FEEDBACK]


@pytest.mark.parametrize("word", ["hund " * 40, "x" * 10_000])
def test_a_word_longer_than_any_deck_answer_is_refused(client, tmp_path, word):
    hund = handle_file(espeak("hund", tmp_path / "hund.wav"))
    with pytest.raises(Exception, match="för långt"):
        client.predict(hund, word, api_name="/check_answer")
