"""The class on the board, in real Chromium at a projector's 1920×1080: the teacher opens it from the
Teacher tab, learners answer through the API at the same moment, and the board changes by itself."""

from __future__ import annotations

import io
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
import zxingcpp
from conftest import espeak
from deck_files import small_deck_zip
from gradio_client import Client, handle_file
from PIL import Image
from test_browser import PICTURES, WAIT_MS, browser, new_page, playwright, shot
from test_class_results_api import DECK

from benchmarks.page import Page
from game.api import PICTURE
from game.results.answers import Answer
from game.results.live import class_now
from game.ui.board_view import live_html, names_html
from game.ui.share_box import spaced

pytestmark = pytest.mark.slow  # a real browser and the session's app server

__all__ = ["browser", "playwright"]  # test_browser's fixtures, used here
PROJECTOR = {"width": 1920, "height": 1080}
NICKNAMES = ("Alva", "Bo", "Cy")


def misses_then_answers(url: str, code: str, nickname: str, together: threading.Barrier, clip=None) -> str:
    """A learner who misses their first word (typed backwards, or saying another word), then types it right."""
    me = Page(url)
    me(code, 3, None, False, "sv", "", nickname, None, api_name="/start_round")
    word = PICTURES.word_for(me[PICTURE])
    together.wait()  # every learner's miss arrives at the same moment
    if clip is not None:
        me(clip, None, api_name="/answer_spoken")
    else:
        me(word[::-1], None, api_name="/answer_typed")
    me(None, api_name="/try_again")
    me(word, None, api_name="/answer_typed")
    return word


def test_the_class_on_the_board_changes_by_itself_while_learners_answer(app_server, browser, artifacts, tmp_path):
    api = Client(app_server.url, verbose=False)
    shared = api.predict([handle_file(small_deck_zip(tmp_path, words=DECK))], api_name="/publish_deck")
    code = shared["code"]
    fisk = handle_file(espeak("fisk", tmp_path / "fisk.wav"))
    api.predict(fisk, "fisk", api_name="/check_answer")  # waits until the model is loaded

    with new_page(browser, PROJECTOR) as teacher:
        teacher.goto(shared["edit_link"])
        teacher.wait_for_function(
            "code => (document.querySelector('#edit-code input, #edit-code textarea') || {}).value === code", arg=code
        )
        teacher.get_by_role("tab", name="För lärare").click()
        button = teacher.get_by_role("button", name="Visa på tavlan")
        button.scroll_into_view_if_needed()
        shot(teacher, artifacts, "board-button", full_page=False)
        with teacher.context.expect_page() as opened:
            button.click()
        board = opened.value
        board.set_default_timeout(WAIT_MS)
        board.locator("#board-join .code").get_by_text(spaced(code)).wait_for()
        assert "edit=" not in board.url and shared["edit_key"] not in board.content()  # not in view of the room
        teacher.locator("#board-note").get_by_text("Tavlan är öppnad").wait_for()

        qr = board.locator("#board-join .qr svg")
        scanned = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
        assert [found.text for found in scanned] == [f"{app_server.url}?deck={code}"]
        live = board.locator("#board-live")
        live.get_by_text("Ingen har svarat än i dag").wait_for()
        shot(board, artifacts, "board-waiting", full_page=False)
        board.evaluate("window.sagdetNotReloaded = true")  # gone if the board were reloaded

        together = threading.Barrier(len(NICKNAMES))
        clips = (fisk, None, None)
        with ThreadPoolExecutor(len(NICKNAMES)) as pool:
            played = [
                pool.submit(misses_then_answers, app_server.url, code, name, together, clip)
                for name, clip in zip(NICKNAMES, clips)
            ]
            words = [done.result() for done in played]

        live.locator(".count").get_by_text("3").wait_for()  # by itself: the timer, not a reload
        for word in set(words):
            live.locator(".word").get_by_text(word, exact=True).wait_for()
        shown = live.inner_text()
        assert re.search(r"0 % rätt första gången", shown), shown
        assert "skrev:" in shown and words[1][::-1] in shown  # a typed miss, marked as typed
        assert not any(name in board.locator("#board").inner_text() for name in NICKNAMES)  # none until asked for
        assert board.evaluate("window.sagdetNotReloaded === true")
        shot(board, artifacts, "board-live", full_page=False)
        assert scrolled_size(board) == (PROJECTOR["width"], PROJECTOR["height"])

        board.locator("#board-names input").check()
        names = board.locator("#board-names-shown")
        names.get_by_text("Alva · Bo · Cy").wait_for()
        late = Page(app_server.url)  # one more learner joins: the count follows without a click
        late(code, 3, None, False, "sv", "", "Dag", None, api_name="/start_round")
        late(PICTURES.word_for(late[PICTURE]), None, api_name="/answer_typed")
        live.locator(".count").get_by_text("4").wait_for()
        names.get_by_text("Alva · Bo · Cy · Dag").wait_for()
        shot(board, artifacts, "board-live-names", full_page=False)

        # A class of 30 with long words and every nickname shown still fits the projector's window.
        full = class_now(a_full_class())
        board.evaluate(
            """([live, names]) => {
              document.querySelector('#board-live .refresh').parentElement.innerHTML = live;
              document.querySelector('#board-names-shown .names').parentElement.innerHTML = names;
            }""",
            [live_html(full, "sv"), names_html(full, True, "sv")],
        )
        shot(board, artifacts, "board-full-class", full_page=False)
        assert scrolled_size(board) == (PROJECTOR["width"], PROJECTOR["height"])  # a board is read, never scrolled

        # The teacher's page in English; a reload of the board tab follows it, the code and key kept.
        teacher.locator("#language").get_by_label("English").check()
        teacher.get_by_role("button", name="Show on the board").wait_for()
        board.goto(app_server.url + "tavla")
        board.locator("#board-join .code").get_by_text(spaced(code)).wait_for()
        live.get_by_text("learners have answered today").wait_for()
        assert board.get_by_text("Class code", exact=True).is_visible()
        for page in (teacher, board):  # no page menu: the room sees the board only
            assert page.get_by_text("Home", exact=True).filter(visible=True).count() == 0

    with new_page(browser, PROJECTOR) as stranger:  # a link with a wrong key shows nothing of the class
        stranger.goto(f"{app_server.url}tavla#deck={code}&edit=not-the-key")
        stranger.locator("#board-live").get_by_text("Tavlan kan inte visas").wait_for()
        assert spaced(code) not in stranger.locator("#board").inner_text()


def a_full_class() -> list[Answer]:
    """30 learners (27 with nicknames) on six words, long ones among them; some miss each word,
    half of them by speaking, half by typing."""
    words = ("sjuksköterska", "kylskåp", "hund", "äpple", "cykel", "tandborste")
    now, answers = datetime.now(UTC), []
    for i in range(30):
        for j, word in enumerate(words):
            missed = (i + j) % (j + 2) == 0
            heard = word[::-1] + "a" * (i % 3) if missed else word
            answers.append(
                Answer(
                    f"Elev nummer {i}",
                    i < 27,
                    f"r{i}",
                    word,
                    "wrong" if missed else "right",
                    1,
                    0,
                    i % 2 == 0,
                    heard,
                    now,
                )
            )
    return answers


def scrolled_size(page) -> tuple[int, int]:
    """The page's whole size: the window's own when nothing is cut off or needs scrolling."""
    return tuple(page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"))
