"""A teacher's first hour, and a learner's mistyped class code, in real Chromium against `python app.py`:
the things that went wrong in front of a class, each as the person meets it."""

from __future__ import annotations

import re

import pytest
from deck_files import small_deck_zip
from gradio_client import Client, handle_file
from test_browser import DESKTOP, PHONE, browser, new_page, playwright, shot

pytestmark = pytest.mark.slow  # a real browser

__all__ = ["browser", "playwright"]  # test_browser's fixtures, used here


def spaced(code: str) -> str:
    return f"{code[:3]} {code[3:]}"


def class_code(text: str) -> str:
    found = re.search(r"\?deck=([A-Z0-9]{6})", text)
    assert found, text
    return found.group(1)


def cells(page) -> list[list[str]]:
    """The editor table's rows as the teacher sees them (without the cell menu's ⋮; a picture by its alt text)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#cards-table .virtual-row')].map(row =>
             [...row.querySelectorAll('.body-cell')].map(cell =>
               cell.querySelector('img') ? 'picture:' + cell.querySelector('img').alt
                                         : cell.innerText.replace('⋮', '').trim()))"""
    )


def test_a_mistyped_class_code_leaves_the_start_screen_working(app_server, browser, artifacts, tmp_path):
    """The toast says the code is wrong; the code box and the deck list keep working, and the right code opens."""
    published = Client(app_server.url, verbose=False).predict(
        [handle_file(str(small_deck_zip(tmp_path)))], api_name="/publish_deck"
    )
    with new_page(browser, PHONE) as learner:
        learner.goto(app_server.url)
        box = learner.locator("#class-code input, #class-code textarea").first
        box.fill("ZZZ 999")
        box.press("Enter")
        learner.get_by_text("Det finns ingen kortlek med den koden").first.wait_for()
        heading = learner.evaluate(
            """() => { const title = document.querySelector('.toast-title.warning');
                       return [getComputedStyle(title, '::before').content, getComputedStyle(title).fontSize]; }"""
        )
        assert heading == ['"Varning"', "0px"], heading  # Gradio's own "Warning" is hidden, in Swedish
        shot(learner, artifacts, "40-wrong-class-code", full_page=False)
        assert learner.locator("#class-code, #deck").get_by_text(re.compile("^(Fel|Error)$")).count() == 0
        box.fill(spaced(published["code"]).lower())
        learner.get_by_role("button", name="Öppna").click()
        learner.wait_for_function(
            "() => (document.querySelector('#deck input') || {value: ''}).value.includes('Mina djur')"
        )
        learner.get_by_role("button", name="Starta").click()
        learner.locator("#progress").get_by_text("Ord 1 av 3").wait_for()


def test_a_teacher_types_pastes_uses_and_shares_one_deck_for_its_life(app_server, browser, artifacts):
    with new_page(browser, DESKTOP) as teacher:
        teacher.goto(app_server.url)
        teacher.get_by_role("tab", name="För lärare").click()
        teacher.locator("#editor-title input").fill("Djur i skogen")

        # Typing into a cell after one click keeps every letter.
        teacher.locator("#cards-table .virtual-row .body-cell").first.click()
        teacher.keyboard.type("räv", delay=40)
        teacher.keyboard.press("Enter")
        teacher.wait_for_function(
            "() => (document.querySelector('#cards-table .virtual-row .body-cell') || {}).innerText?.startsWith('räv')"
        )
        # A comma-separated list is a card a word.
        teacher.locator("#editor-paste textarea").fill("uggla, björn")
        teacher.locator("#editor-paste-btn").click()
        teacher.wait_for_function("() => document.querySelectorAll('#cards-table .virtual-row').length === 3")
        assert [row[0] for row in cells(teacher)] == ["räv", "uggla", "björn"]
        # The cell menu offers rows, not columns.
        teacher.locator("#cards-table .virtual-row .body-cell").first.click()
        teacher.locator("#cards-table .cell-menu-button").filter(visible=True).first.click()
        teacher.get_by_text("Lägg till rad nedanför").wait_for()
        assert teacher.get_by_text("Lägg till kolumn till vänster").count() == 0
        teacher.keyboard.press("Escape")

        # "Use this deck": the typed card gets its library picture, and the result comes into view.
        teacher.locator("#editor-use-btn").click()
        teacher.locator("#upload-report").get_by_text("3 kort, inga fel").wait_for()
        teacher.wait_for_function(
            """() => { const box = document.querySelector('#upload-report').getBoundingClientRect();
                       return box.top >= 0 && box.top < window.innerHeight; }"""
        )
        assert cells(teacher)[0][5].startswith("picture:"), "the typed row got no picture"
        assert all(row[5].startswith("picture:") for row in cells(teacher)), "a pasted row shows no picture"
        shot(teacher, artifacts, "41-editor-deck-in-view", full_page=False)

        # The first share makes the code; the same button then updates that deck.
        teacher.get_by_role("button", name="Dela med klassen").click()
        teacher.locator("#share").get_by_text("Klasskod:").wait_for()
        code = class_code(teacher.locator("#share").inner_text())
        update = teacher.get_by_role("button", name=f"Uppdatera klassens kortlek ({spaced(code)})")
        update.wait_for()
        teacher.locator("#editor-paste textarea").fill("älg")
        teacher.locator("#editor-paste-btn").click()
        teacher.locator("#editor-use-btn").click()
        teacher.locator("#upload-report").get_by_text("4 kort, inga fel").wait_for()
        assert code in teacher.locator("#share").inner_text(), "the code left the screen"
        assert teacher.locator("#edit-link").is_visible()
        update.click()
        teacher.locator("#share").get_by_text("Uppdaterad").wait_for()
        assert class_code(teacher.locator("#share").inner_text()) == code
        shot(teacher, artifacts, "42-teacher-updated-the-class-deck")

        # A new code only when asked for, saying so.
        teacher.get_by_role("button", name="Dela som en ny kortlek (ny klasskod)").click()
        teacher.locator("#share").get_by_text("finns kvar som den var").wait_for()
        copy = class_code(teacher.locator("#share").inner_text())
        assert copy != code
        teacher.get_by_role("button", name=f"Uppdatera klassens kortlek ({spaced(copy)})").wait_for()

    opened = Client(app_server.url, verbose=False).predict(code, api_name="/open_deck")
    assert (opened["title"], opened["cards"]) == ("Djur i skogen", 4)


def test_a_file_over_the_limit_is_refused_in_the_pages_words_before_it_is_sent(app_server, browser, tmp_path):
    huge = tmp_path / "IMG_9001.jpg"
    with huge.open("wb") as file:
        file.truncate(56 * 1024 * 1024)  # 56 MB: what it holds does not matter, it is never sent
    with new_page(browser, DESKTOP) as teacher:
        teacher.goto(app_server.url)
        teacher.get_by_role("tab", name="För lärare").click()
        uploads = []
        teacher.on("request", lambda request: "/gradio_api/upload?" in request.url and uploads.append(request.url))
        teacher.locator("#upload input[type=file]").set_input_files(str(huge))
        teacher.locator("#too-big-file").get_by_text("IMG_9001.jpg är 56 MB").wait_for()
        assert teacher.get_by_text(re.compile("File size exceeded|exceeded maximum")).count() == 0
        teacher.get_by_role("radio", name="English").check()
        teacher.locator("#upload").get_by_text("Drop File Here").wait_for()  # the switch is done: drawn anew
        teacher.locator("#upload input[type=file]").set_input_files(str(huge))
        teacher.locator("#too-big-file").get_by_text("may be at most 50 MB").wait_for()
        teacher.locator("#upload input[type=file]").set_input_files(str(small_deck_zip(tmp_path)))
        teacher.locator("#upload-report").get_by_text("3 cards").wait_for()
        assert len(uploads) == 1, uploads  # the deck; neither 56 MB file was sent
