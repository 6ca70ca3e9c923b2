"""A teacher shares a deck with a class through the API, as a program (or the Teacher tab) would:
publish, learners open it by its class code and play it, the server restarts, the teacher changes
it with the edit key, then deletes it."""

from __future__ import annotations

import pytest
from conftest import AppServer
from deck_files import small_deck_zip
from deck_pictures import bundled_pictures
from gradio_client import Client, handle_file

from benchmarks.page import Page
from game.api import FEEDBACK, PICTURE, PROGRESS

PICTURES = bundled_pictures()


@pytest.fixture
def server(trained_tiny_model, artifacts, tmp_path):
    """A server of its own, on its own database folder, that the test may restart."""
    servers = []

    def start() -> AppServer:
        log = artifacts / f"app-shared-decks-{len(servers) + 1}.log"  # a restart's log beside the first's
        servers.append(AppServer(str(trained_tiny_model), log, tmp_path / "data"))
        return servers[-1]

    yield start
    for running in servers:
        running.stop()


def play_round(url: str, code: str, cards: int) -> list[str]:
    """A learner's whole round of the shared deck, typed right; the words it asked."""
    page = Page(url)
    out = page(code, 10, None, api_name="/start_round")
    assert out[PROGRESS].startswith(f"Ord 1 av {cards}"), out[PROGRESS]
    asked = []
    for _ in range(cards):
        word = PICTURES.word_for(out[PICTURE])
        asked.append(word)
        assert "Rätt!" in page(word, None, api_name="/answer_typed")[FEEDBACK]
        out = page(None, api_name="/next_card")
    return asked


@pytest.mark.slow  # two servers of its own
def test_a_shared_deck_is_played_by_its_code_kept_across_a_restart_changed_and_deleted(server, tmp_path):
    first = server()
    teacher = Client(first.url, verbose=False)
    shared = teacher.predict([handle_file(small_deck_zip(tmp_path))], api_name="/publish_deck")
    code, key = shared["code"], shared["edit_key"]
    assert len(code) == 6 and len(key) >= 43  # ≥ 256 bits, URL-safe
    assert shared["link"] == f"{first.url}?deck={code}" and shared["edit_link"] == f"{first.url}#deck={code}&edit={key}"

    typed = f"{code[:3].lower()} {code[3:].lower()}"  # as a learner types it off the board
    assert teacher.predict(typed, api_name="/open_deck") == {"code": code, "title": "Mina djur", "cards": 3}
    assert sorted(play_round(first.url, code, 3)) == ["hund", "katt", "räv"]
    first.stop()

    again = server()  # a restart: the deck is still there
    assert sorted(play_round(again.url, code, 3)) == ["hund", "katt", "räv"]
    teacher = Client(again.url, verbose=False)
    two = small_deck_zip(tmp_path, words=[("hund", "hund.png", "dog"), ("katt", "katt.png", "cat")])
    with pytest.raises(Exception, match="stämmer inte"):
        teacher.predict(key[:-2] + "xx", code, [handle_file(two)], api_name="/update_deck")
    assert teacher.predict(code, api_name="/open_deck")["cards"] == 3  # a wrong key changed nothing
    teacher.predict(key, code, [handle_file(two)], api_name="/update_deck")
    assert teacher.predict(code, api_name="/open_deck")["cards"] == 2
    assert sorted(play_round(again.url, code, 2)) == ["hund", "katt"]

    teacher.predict(key, code, api_name="/delete_deck")
    with pytest.raises(Exception, match="ingen kortlek med den koden"):
        teacher.predict(code, api_name="/open_deck")
    with pytest.raises(Exception, match="ingen kortlek med den koden"):
        Page(again.url)(code, 10, None, api_name="/start_round")


def test_a_deck_with_mistakes_is_not_shared(app_server, tmp_path):
    teacher = Client(app_server.url, verbose=False)
    with pytest.raises(Exception, match="transaltion"):
        teacher.predict([handle_file(small_deck_zip(tmp_path, broken=True))], api_name="/publish_deck")
