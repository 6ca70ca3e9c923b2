"""The deck editor as a teacher and a class use it, in real Chromium against `python app.py`.

A teacher builds a 3-card deck on the page (a phone photo, a library picture, their own recording
of a word), shares it; a learner on another device opens the link and plays it with the fake
microphone; the server restarts; the deck and the learner's progress are still there; the teacher
changes a card through the edit link and the learner gets the change.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import soundfile
from conftest import AppServer, espeak, free_port
from PIL import Image, ImageDraw
from test_browser import DESKTOP, PHONE, launch_chromium, new_page, playwright, said_then_quiet, shot, with_silence

from benchmarks.pictures import PictureIndex
from game.config import ROOT
from game.decks.media import display_picture
from game.pictures.library import search

pytestmark = pytest.mark.slow  # a real browser and two server starts

__all__ = ["playwright"]  # the module's browser fixture, used here
ORIENTATION = 0x0112


def phone_photo(path: Path) -> Path:
    """A photo as a phone saves it: stored sideways (600×400) with an EXIF turn to show it upright."""
    image = Image.new("RGB", (600, 400), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 200, 400), fill=(200, 30, 30))
    draw.ellipse((300, 100, 500, 300), fill=(30, 30, 200))
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # turn 90° clockwise to show
    image.save(path, "JPEG", exif=exif.tobytes(), quality=92)
    return path


def learners_eye(photo: Path, black_cat, folder: Path) -> PictureIndex:
    """How the learner tells the cards apart: by the pictures the teacher chose, as the game shows
    them; and the photo as it would look if it were left sideways, so that shows up as a mistake."""
    (folder / "cat.png").write_bytes(black_cat.png())
    upright = folder / "photo.png"
    display_picture(photo).save(upright)
    with Image.open(photo) as raw:
        sideways = folder / "sideways.png"
        raw.convert("RGBA").resize((512, 342)).save(sideways)
    cards = [
        SimpleNamespace(word="hund", image=upright),
        SimpleNamespace(word="sideways", image=sideways),
        SimpleNamespace(word="katt", image=folder / "cat.png"),
        SimpleNamespace(word="räv", image=ROOT / "assets" / "decks" / "djur" / "rav.png"),
    ]
    return PictureIndex(cards)


def card_word(page, index: PictureIndex) -> str:
    src = page.locator("#picture img").get_attribute("src")
    body = page.request.get(src if src.startswith("http") else page.url.split("?")[0].rstrip("/") + src).body()
    return index.word_for(Image.open(io.BytesIO(body)))


def table_cell(page, text: str):
    """The table's cell as the teacher sees it (the table also keeps hidden copies of its cells)."""
    return page.locator("#cards-table").get_by_text(text, exact=True).filter(visible=True).first


def pick_card(teacher, word: str, number: int) -> None:
    table_cell(teacher, word).click()
    teacher.locator("#card-heading").get_by_text(f"Kort {number}").wait_for()


def build_deck(teacher, photo: Path, artifacts: Path) -> None:
    """The teacher's 3 cards: pasted, then a photo, a library picture and a recording."""
    teacher.get_by_role("tab", name="För lärare").click()
    teacher.locator("#editor-title input").fill("Tre djur")
    teacher.locator("#editor-paste textarea").fill("en hund\tdog\nen katt\tcat\nen räv\tfox")
    teacher.locator("#editor-paste-btn").click()
    problems = teacher.locator("#editor-problems")
    problems.get_by_text("Inga fel").wait_for()
    table = teacher.locator("#cards-table")

    pick_card(teacher, "hund", 1)
    with teacher.expect_file_chooser() as chooser:
        teacher.locator("#picture-upload").click()
    chooser.value.set_files(str(photo))
    teacher.locator("#cards-table img[alt='foto-1']").filter(visible=True).first.wait_for()  # the photo, shown

    pick_card(teacher, "katt", 2)
    search_box = teacher.locator("#picture-search input, #picture-search textarea").first
    search_box.fill("svart katt")
    search_box.press("Enter")
    teacher.locator("#picture-results").get_by_text("svart katt").first.wait_for()
    teacher.locator("#picture-results .thumbnail-item").first.click()
    table.locator("img[alt^='emoji:']").filter(visible=True).first.wait_for()

    pick_card(teacher, "räv", 3)
    teacher.locator("#word-recorder button.record-button").click()
    teacher.wait_for_timeout(2500)  # the word, then quiet
    teacher.locator("#word-recorder button.stop-button").click()
    table_cell(teacher, "ljud-1").wait_for()
    problems.get_by_text("Inga fel").wait_for()
    shot(teacher, artifacts, "30-editor-three-cards")


def share(teacher, artifacts: Path) -> tuple[str, str]:
    teacher.locator("#editor-use-btn").click()
    teacher.locator("#upload-report").get_by_text("3 kort, inga fel").wait_for()
    teacher.get_by_role("button", name="Dela med klassen").click()
    teacher.locator("#share").get_by_text("Klasskod:").wait_for()
    link = re.search(r"http\S+\?deck=[A-Z0-9]{6}", teacher.locator("#share").inner_text()).group(0)
    teacher.context.grant_permissions(["clipboard-read", "clipboard-write"])
    teacher.locator("#edit-link button").first.click()
    teacher.wait_for_function("async () => (await navigator.clipboard.readText()).includes('edit=')")
    shot(teacher, artifacts, "31-editor-shared")
    return link, teacher.evaluate("navigator.clipboard.readText()")


def play_shared_round(learner, link: str, index: PictureIndex) -> float:
    """The whole round: "hund" said into the microphone, the rest typed; "Hör ordet" on the fox
    plays the teacher's recording, whose length is returned."""
    learner.goto(link)
    learner.wait_for_function("() => (document.querySelector('#deck input') || {value: ''}).value.includes('Tre djur')")
    learner.locator("#model-status").get_by_text("redo").wait_for()
    learner.get_by_role("button", name="Starta").click()
    heard_seconds = 0.0
    for number in (1, 2, 3):
        learner.locator("#progress").get_by_text(f"Ord {number} av 3").wait_for()
        word = card_word(learner, index)
        assert word != "sideways", "the phone photo is shown sideways"
        if word == "hund":
            learner.locator("#mic button.record-button").click()
            said = learner.locator("#feedback .verdict:not(.notice)").inner_text()
            assert "Jag hörde" in said, said  # the spoken path judged this card; how well the tiny
            if "Rätt!" not in said:  # model hears is test_one_tap_the_word_then_quiet_is_judged_without_stop's job
                learner.get_by_role("button", name="Försök igen").click()
                box = learner.locator("#typed textarea, #typed input").first
                box.fill(word)
                box.press("Enter")
        else:
            if word == "räv":
                with learner.expect_response(lambda r: ".wav" in r.url and "file=" in r.url) as sound:
                    learner.get_by_role("button", name="Hör ordet (gratis)").click()
                heard_seconds = soundfile.info(io.BytesIO(sound.value.body())).duration
            box = learner.locator("#typed textarea, #typed input").first
            box.fill(word)
            box.press("Enter")
        assert "Rätt!" in learner.locator("#feedback .verdict.right").inner_text(), word
        learner.get_by_role("button", name="Nästa").click()
    learner.locator("#summary").get_by_text("3 av 3").wait_for()
    return heard_seconds


def test_a_teacher_makes_a_deck_in_the_editor_shares_it_and_changes_it(
    trained_tiny_model, playwright, artifacts, tmp_path
):
    port, data = free_port(), tmp_path / "data"
    log = artifacts / "app-editor.log"
    server = AppServer(str(trained_tiny_model), log, data, port=port)
    photo = phone_photo(tmp_path / "hund.jpg")
    index = learners_eye(photo, search("svart katt")[0], tmp_path)
    teachers_voice = with_silence(espeak("räv", tmp_path / "rav.wav", speed=90), seconds=4.0)
    teachers_browser = launch_chromium(playwright, teachers_voice)
    learners_browser = launch_chromium(playwright, said_then_quiet("hund", tmp_path))
    try:
        with new_page(teachers_browser, DESKTOP) as teacher:
            teacher.goto(server.url)
            build_deck(teacher, photo, artifacts)
            link, edit_link = share(teacher, artifacts)

        with new_page(learners_browser, PHONE) as learner:
            heard = play_shared_round(learner, link, index)
            assert heard > 1.5, heard  # the teacher's 2.5 s recording, not espeak's half-second word
            shot(learner, artifacts, "32-learner-played-editor-deck")

            server.stop()  # a restart: the deck and the learner's progress are still there
            server = AppServer(str(trained_tiny_model), log.with_name("app-editor-restarted.log"), data, port=port)
            learner.goto(server.url)
            learner.locator("#progress-summary").get_by_text("3 ord").wait_for()
            learner.locator("#deck input").click()
            learner.get_by_role("option", name=re.compile("Tre djur")).wait_for()

            with new_page(teachers_browser, DESKTOP) as teacher:  # the edit link opens the deck in the editor
                teacher.goto(edit_link)
                table_cell(teacher, "katt").dblclick()
                teacher.keyboard.press("Control+a")
                teacher.keyboard.type("kattunge")
                teacher.keyboard.press("Enter")
                table_cell(teacher, "kattunge").wait_for()
                teacher.locator("#editor-problems").get_by_text("Inga fel").wait_for()
                teacher.locator("#editor-use-btn").click()
                teacher.locator("#upload-report").get_by_text("3 kort, inga fel").wait_for()
                teacher.get_by_role("button", name=re.compile(r"^Uppdatera klassens kortlek")).click()
                teacher.locator("#share").get_by_text("Uppdaterad").wait_for()
                shot(teacher, artifacts, "33-editor-changed-by-edit-link")

            learner.goto(link)
            learner.wait_for_function(
                "() => (document.querySelector('#deck input') || {value: ''}).value.includes('Tre djur')"
            )
            learner.get_by_role("button", name="Starta").click()
            for number in (1, 2, 3):
                learner.locator("#progress").get_by_text(f"Ord {number} av 3").wait_for()
                word = card_word(learner, index)
                box = learner.locator("#typed textarea, #typed input").first
                box.fill("kattunge" if word == "katt" else word)
                box.press("Enter")
                assert "Rätt!" in learner.locator("#feedback .verdict.right").inner_text(), word
                learner.get_by_role("button", name="Nästa").click()
    finally:
        server.stop()
        teachers_browser.close()
        learners_browser.close()
