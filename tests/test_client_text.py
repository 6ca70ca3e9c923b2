"""Every text a client sends is held to one bound (game/client_text.py) before any handler sees it,
through the running app's API: a hostile program's long nickname, date, code, word or key is refused
with a message, changes nothing, and a learner playing at the same moment plays on."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from deck_pictures import bundled_pictures, learner_plays_a_round
from gradio_client import Client

from benchmarks.page import Page
from game.api import FEEDBACK, PICTURE, PROGRESS
from game.client_text import MAX_CHARS

PICTURES = bundled_pictures()
LONG = "x" * (MAX_CHARS + 1)
TODAY = "2026-12-07"

# What a hostile program sends, by endpoint: one long text in an otherwise ordinary call.
ATTACKS = {
    "nickname": ("/start_round", ("vardag", 3, None, False, "sv", TODAY, LONG)),
    "date": ("/start_round", ("vardag", 3, None, False, "sv", TODAY + LONG)),
    "class code": ("/open_deck", (LONG,)),
    "edit key": ("/class_results", (LONG, "ABCDEF")),
    "results date": ("/class_results", ("key", "ABCDEF", LONG)),
    "answer": ("/answer_typed", (LONG, None)),
}


def refusal(client: Client, api_name: str, args: tuple) -> str:
    with pytest.raises(Exception) as refused:
        client.predict(*args, api_name=api_name)
    return str(refused.value)


def test_a_text_over_the_bound_is_refused_everywhere_while_a_learner_plays_on(app_server):
    clients = {name: Client(app_server.url, verbose=False) for name in ATTACKS}  # connected first: sent at once
    with ThreadPoolExecutor(len(ATTACKS) + 1) as pool:
        learner = pool.submit(learner_plays_a_round, Page(app_server.url))
        refusals = {name: pool.submit(refusal, clients[name], *attack) for name, attack in ATTACKS.items()}
        for name, refused in refusals.items():
            assert f"högst {MAX_CHARS} tecken" in refused.result(), name
        assert all("Rätt!" in said for said in learner.result())


def test_a_refused_text_loses_nothing_of_the_round(app_server):
    page = Page(app_server.url)
    out = page("vardag", 3, None, api_name="/start_round")
    word = PICTURES.word_for(out[PICTURE])
    with pytest.raises(Exception, match=f"högst {MAX_CHARS} tecken"):
        page(LONG, None, api_name="/answer_typed")
    out = page(word, None, api_name="/answer_typed")  # the same card, still unanswered
    assert "Rätt!" in out[FEEDBACK] and out[PROGRESS].startswith("Ord 1 av 3")
