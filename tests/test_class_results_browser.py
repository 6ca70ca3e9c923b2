"""The class's results in Chromium after the teacher renamed a word: the figures count against the
deck as it is now and say what became of the old word's answers; a typed miss is shown as typed."""

from __future__ import annotations

import re

import pytest
from deck_files import small_deck_zip
from gradio_client import Client, handle_file
from test_browser import DESKTOP, PICTURES, browser, new_page, playwright, shot
from test_class_results_api import DECK

from benchmarks.page import Page
from game.api import PICTURE, SUMMARY

pytestmark = pytest.mark.slow  # a real browser and the session's app server

__all__ = ["browser", "playwright"]  # test_browser's fixtures, used here


def a_round(url: str, code: str, card_word: dict, miss: str = "") -> None:
    """Alva's round, every word typed right; `miss`: that word typed backwards first."""
    alva = Page(url)
    alva(code, 3, None, False, "sv", "", "Alva", None, api_name="/start_round")
    while not alva[SUMMARY]:
        word = PICTURES.word_for(alva[PICTURE])
        if word == miss:
            alva(word[::-1], None, api_name="/answer_typed")
            alva(None, api_name="/try_again")
        alva(card_word.get(word, word), None, api_name="/answer_typed")
        alva(None, api_name="/next_card")


def test_a_renamed_word_is_explained_and_a_typed_miss_is_shown(app_server, browser, artifacts, tmp_path):
    api = Client(app_server.url, verbose=False)
    shared = api.predict([handle_file(small_deck_zip(tmp_path, words=DECK))], api_name="/publish_deck")
    code, key = shared["code"], shared["edit_key"]
    a_round(app_server.url, code, {})
    (tmp_path / "renamed").mkdir()
    renamed = small_deck_zip(tmp_path / "renamed", words=[("hunden", "hund.png", "dog"), *DECK[1:]])
    api.predict(key, code, [handle_file(renamed)], api_name="/update_deck")
    a_round(app_server.url, code, {"hund": "hunden"}, miss="katt")

    with new_page(browser, DESKTOP) as teacher:
        teacher.goto(shared["edit_link"])
        teacher.wait_for_function(
            "code => (document.querySelector('#edit-code input, #edit-code textarea') || {}).value === code", arg=code
        )
        teacher.get_by_text("Klassens resultat").click()
        teacher.get_by_role("button", name="Visa resultat").click()
        report = teacher.locator("#results-report")
        report.get_by_text("gällde ord som kortleken inte längre har").wait_for()
        assert "1 svar" in report.inner_text() and "hund" in report.locator("em").all_inner_texts()
        table = teacher.locator("#results-learners")
        table.get_by_text("Ord rätt (av 3)").wait_for()
        teacher.wait_for_function("() => document.querySelector('#results-learners').innerText.includes('Alva')")
        row = re.search(r"Alva\s+(\d+)\s+(\d+)\s+(\d+)", table.inner_text())
        assert row and row.groups() == ("3", "2", "7"), table.inner_text()  # three words of three right, not four
        assert "ttak skrivet en gång" in teacher.locator("#results-heard").inner_text()
        teacher.locator("#class-results").scroll_into_view_if_needed()
        shot(teacher, artifacts, "results-renamed-word")
