"""A learner in real headless Chromium, with a fake microphone that plays an espeak-ng WAV.

Screenshots land in tests/artifacts/ — look at them after a change to the page.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import espeak, require_program
from deck_pictures import bundled_pictures
from PIL import Image

from game.config import ROOT

CHROMIUM = "/usr/bin/chromium"
PICTURES = bundled_pictures()
WAIT_MS = 60_000


def chromium_args(clip: Path) -> list[str]:
    return [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={clip}%noloop",
    ]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    require_program(CHROMIUM, "chromium")
    clip = espeak("hund", tmp_path_factory.mktemp("mic") / "hund.wav", speed=130)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=chromium_args(clip), headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(permissions=["microphone"], viewport={"width": 1000, "height": 1100})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


def shot(page, artifacts: Path, name: str) -> None:
    page.wait_for_timeout(600)  # let Gradio's fade-in finish so the picture is what a learner sees
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def word_on_screen(page) -> str:
    src = page.locator("#picture img").get_attribute("src")
    body = page.request.get(urljoin(page.url, src)).body()
    return PICTURES.word_for(Image.open(io.BytesIO(body)))


def start_round(page, url: str, cards: int) -> None:
    page.goto(url)
    page.locator("#length input[type=number]").fill(str(cards))
    page.locator("#length input[type=number]").press("Enter")
    page.get_by_role("button", name="Starta").click()
    page.locator("#progress").get_by_text(f"Kort 1/{cards}").wait_for()


def type_answer(page, text: str) -> None:
    box = page.locator("#typed textarea, #typed input").first
    box.fill(text)
    box.press("Enter")


def wait_for_turn(page, turn: int) -> None:
    """The card on screen changes after the server answers; read nothing from it before."""
    page.locator("#progress").get_by_text(f"Kort {turn}/").wait_for()


def feedback(page, selector: str) -> str:
    verdict = page.locator(f"#feedback {selector}")
    verdict.wait_for()
    return verdict.inner_text()


def answer_rest_of_round(page) -> None:
    """Say every remaining card right (missed ones come back) until the summary shows."""
    summary, turn_line = page.locator("#summary"), page.locator("#progress")
    for _ in range(20):
        summary.or_(turn_line).first.wait_for()  # while the screens swap, neither may be there
        if summary.is_visible():
            return
        turn = re.search(r"Kort \d+/", turn_line.inner_text()).group(0)
        type_answer(page, word_on_screen(page))
        feedback(page, ".verdict.right")
        page.get_by_role("button", name="Nästa").click()
        turn_line.get_by_text(turn).wait_for(state="detached")
    raise AssertionError("the round did not end")


def test_play_a_round_by_voice_typing_and_skipping(app_server, page, artifacts):
    page.goto(app_server.url)
    page.locator("#model-status").get_by_text("redo").wait_for()
    shot(page, artifacts, "1-start")
    start_round(page, app_server.url, 3)
    shot(page, artifacts, "2-card")

    # Spoken: Record, the fake microphone says "hund", Stop -> judged at once, no Submit click.
    page.locator("#mic button.record-button").click()
    page.wait_for_timeout(2500)
    page.locator("#mic button.stop-button").click()
    # What the model heard is judged; which word it heard is test_saying_the_word_into_the_microphone's job
    # (this card's picture is drawn at random, the fake microphone always says "hund").
    said = feedback(page, ".verdict:not(.notice)")
    assert "Jag hörde" in said
    shot(page, artifacts, "3-spoken-feedback")
    page.get_by_role("button", name="Nästa").click()
    wait_for_turn(page, 2)

    # Typed, the right word (with an article and odd capitals, as people type).
    word = word_on_screen(page)
    type_answer(page, f"en {word.upper()}")
    assert "Rätt!" in feedback(page, ".verdict.right")
    shot(page, artifacts, "4-typed-right")
    page.get_by_role("button", name="Nästa").click()
    wait_for_turn(page, 3)

    # Skipped: moves on at once and names the word.
    word = word_on_screen(page)
    page.get_by_role("button", name="Hoppa över").click()
    assert word in feedback(page, ".verdict.skipped")
    wait_for_turn(page, 4)
    shot(page, artifacts, "5-skipped")

    # The missed words come back; answer them right until the round ends.
    answer_rest_of_round(page)
    summary = page.locator("#summary")
    summary.get_by_text("Rundan är klar!").wait_for()
    text = summary.inner_text()
    assert "Bästa svit" in text and "hoppade över" in text
    shot(page, artifacts, "6-summary")

    page.get_by_role("button", name="Spela igen").click()
    page.get_by_role("button", name="Starta").wait_for()


def test_a_missing_model_is_explained_and_typing_still_works(broken_model_server, page, artifacts):
    """The hub cannot be reached: the page says so in plain words at once, the reason is folded
    away (and in the log, in full), and typed answers work."""
    page.goto(broken_model_server.url)
    status = page.locator("#model-status")
    status.get_by_text("Taligenkänningen fungerar inte just nu.").wait_for()
    assert "Skriv ditt svar i rutan i stället" in status.inner_text()
    summary, reason = status.locator("details summary"), status.locator("details pre")
    assert summary.inner_text() == "Tekniska detaljer"
    assert not reason.is_visible()  # folded away
    shot(page, artifacts, "7a-no-model-plain")
    summary.click()
    assert "nå Hugging Face" in status.locator("details p").inner_text()
    assert "ConnectError" in reason.inner_text() and "sagdet-tests/no-such-model" in reason.inner_text()
    shot(page, artifacts, "7b-no-model-details")
    page.get_by_label("English").check()
    status.get_by_text("Speech recognition is not available right now.").wait_for()
    assert status.locator("details summary").inner_text() == "Technical details"
    log = (artifacts / "app-broken-model.log").read_text()
    assert re.search(r"could not load speech model sagdet-tests/no-such-model: .*ConnectError", log)
    assert "Retrying" not in log  # asked once, not again and again
    page.get_by_label("Svenska").check()  # kept in the browser: the round below is played in Swedish
    status.get_by_text("Taligenkänningen fungerar inte just nu.").wait_for()

    start_round(page, broken_model_server.url, 3)
    type_answer(page, word_on_screen(page))
    assert "Rätt!" in feedback(page, ".verdict.right")
    shot(page, artifacts, "7-no-model-typing")


def small_deck_zip(folder: Path, broken: bool = False, words=None) -> Path:
    """Animals from the bundled pictures, as a teacher would zip them; `broken` adds a typo."""
    import zipfile

    words = words or [("hund", "hund.png", "dog"), ("katt", "katt.png", "cat"), ("räv", "rav.png", "fox")]
    field = "transaltion" if broken else "translation"
    text = "title: Mina djur\nlevel: A1\ncards:\n" + "".join(
        f"  - word: {w}\n    article: en\n    {field}: {t}\n    image: {i}\n" for w, i, t in words
    )
    archive = folder / f"{'trasig' if broken else 'mina-djur'}-{len(words)}.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("mina-djur.yaml", text)
        for _, image, _ in words:
            zf.write(ROOT / "assets" / "decks" / "djur" / image, f"mina-djur/{image}")
    return archive


def test_teacher_uploads_a_deck_sees_errors_then_previews_and_plays_it(app_server, page, artifacts, tmp_path):
    page.goto(app_server.url)
    page.get_by_role("tab", name="För lärare").click()
    upload = page.locator("#upload input[type=file]")

    upload.set_input_files(str(small_deck_zip(tmp_path, broken=True)))
    report = page.locator("#upload-report")
    report.get_by_text("kunde inte läsas").wait_for()
    assert "mina-djur.yaml:6: okänt fält `transaltion` i kort 1 — menade du `translation`?" in report.inner_text()
    assert not page.locator("#play-upload-btn").is_visible()
    shot(page, artifacts, "8-teacher-error")
    page.get_by_label("English").check()  # the same report, reworded: nothing to upload again
    report.get_by_text("could not be read").wait_for()
    assert (
        "mina-djur.yaml:6: unknown field `transaltion` in card 1 — did you mean `translation`?" in report.inner_text()
    )
    page.get_by_label("Svenska").check()
    report.get_by_text("kunde inte läsas").wait_for()

    page.locator("#upload button[aria-label='Rensa']").first.click()  # Gradio's own "Clear", in Swedish
    upload.set_input_files(str(small_deck_zip(tmp_path)))
    report.get_by_text("Mina djur").wait_for()
    assert "3 kort, inga fel" in report.inner_text()
    preview = page.locator("#upload-preview")
    preview.get_by_text("en räv — fox").wait_for()
    assert preview.locator("img").count() == 3
    shot(page, artifacts, "9-teacher-preview")

    with page.expect_download() as download:
        page.locator("#download-btn").click()
    assert download.value.suggested_filename.endswith(".zip")

    page.get_by_role("button", name="Spela den här kortleken").click()
    page.locator("#progress").get_by_text("Kort 1/3").wait_for()
    word = word_on_screen(page)
    assert word in {"hund", "katt", "räv"}
    type_answer(page, word)
    assert "Rätt!" in feedback(page, ".verdict.right")
    shot(page, artifacts, "10-playing-uploaded-deck")


def test_saying_the_word_into_the_microphone_gets_ratt(app_server, page, artifacts, tmp_path):
    """The fake microphone says "hund" (espeak); the tiny model trained by training/ hears it."""
    page.goto(app_server.url)
    page.locator("#model-status").get_by_text("redo").wait_for()
    page.get_by_role("tab", name="För lärare").click()
    page.locator("#upload input[type=file]").set_input_files(
        str(small_deck_zip(tmp_path, words=[("hund", "hund.png", "dog")]))
    )
    page.get_by_role("button", name="Spela den här kortleken").click()
    page.locator("#progress").get_by_text("Kort 1/1").wait_for()
    page.locator("#mic button.record-button").click()
    page.wait_for_timeout(2500)
    page.locator("#mic button.stop-button").click()
    said = feedback(page, ".verdict")
    shot(page, artifacts, "11-spoken-ratt")
    assert "Rätt!" in said and "en hund" in said, said
    page.get_by_role("button", name="Nästa").click()
    page.locator("#summary").get_by_text("Rundan är klar! 1 av 1 ord rätt.").wait_for()


def test_gradios_own_texts_follow_the_page_language(app_server, browser, artifacts, tmp_path):
    """Gradio words its own buttons in the browser's language; the page makes them follow its own.
    An English browser on the Swedish page: Spela in, Stopp, Släpp fil här; switched, English."""
    context = browser.new_context(locale="en-US", permissions=["microphone"], viewport={"width": 1000, "height": 1100})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    start_round(page, app_server.url, 3)
    record = page.locator("#mic button.record-button")
    assert record.inner_text().strip() == "Spela in"
    shot(page, artifacts, "13-swedish-record-button")
    record.click()
    stop = page.locator("#mic button.stop-button")
    assert stop.inner_text().strip() == "Stopp"
    stop.click()
    feedback(page, ".verdict")  # what was heard, or (so short a recording) that nothing was
    if not page.locator("#next-btn").is_visible():
        type_answer(page, word_on_screen(page))
        feedback(page, ".verdict.right")
    page.get_by_role("button", name="Nästa").click()
    wait_for_turn(page, 2)

    page.get_by_role("tab", name="För lärare").click()
    upload, report = page.locator("#upload"), page.locator("#upload-report")
    upload.get_by_text("Släpp fil här").wait_for()
    assert "Klicka för att ladda upp" in upload.inner_text() and "Drop File" not in upload.inner_text()
    shot(page, artifacts, "14-swedish-upload-area")
    # A file no deck uses: the upload's own check says so in the page's language (Gradio's English
    # "Invalid file type" pop-up, which stayed through later uploads, is not there).
    (tmp_path / "anteckningar.pdf").write_bytes(b"%PDF-1.4")
    upload.locator("input[type=file]").set_input_files(str(tmp_path / "anteckningar.pdf"))
    report.get_by_text("kunde inte läsas").wait_for()
    assert "anteckningar.pdf: är ingen filtyp som en kortlek använder" in report.inner_text()
    assert page.get_by_text("Invalid file").count() == 0
    shot(page, artifacts, "14b-swedish-upload-wrong-file")
    page.locator("#upload button[aria-label='Rensa']").first.click()
    upload.locator("input[type=file]").set_input_files(str(small_deck_zip(tmp_path)))
    report.get_by_text("3 kort, inga fel").wait_for()
    assert "filtyp" not in report.inner_text()  # the next upload's report replaces it

    # Switched to English, the same components show Gradio's English texts; the upload is kept.
    page.get_by_label("English").check()
    upload.locator("button[aria-label='Clear']").first.wait_for()  # Gradio's "Rensa", now in English
    assert "mina-djur-3.zip" in upload.inner_text().replace("\n", "") and "no problems" in report.inner_text()
    page.get_by_role("tab", name="Play").click()
    record.get_by_text("Record").wait_for()
    assert "Card 2/" in page.locator("#progress").inner_text()  # the round goes on
    shot(page, artifacts, "15-english-record-button")
    page.get_by_label("Svenska").check()
    record.get_by_text("Spela in").wait_for()
    context.close()


def test_progress_is_kept_in_the_browser_across_a_reload(app_server, page, artifacts):
    page.goto(app_server.url)
    page.locator("#progress-summary").get_by_text("0 dagar i rad").wait_for()
    start_round(page, app_server.url, 3)
    for turn in (1, 2, 3):
        wait_for_turn(page, turn)
        type_answer(page, word_on_screen(page))
        feedback(page, ".verdict.right")
        page.get_by_role("button", name="Nästa").click()
    page.locator("#summary").get_by_text("3 av 3 ord rätt").wait_for()
    page.get_by_role("button", name="Spela igen").click()
    summary = page.locator("#progress-summary")
    summary.get_by_text("1 dag i rad").wait_for()
    assert "30 XP" in summary.inner_text() and "3 ord sagda rätt" in summary.inner_text()

    page.reload()
    summary.get_by_text("1 dag i rad").wait_for()
    assert "30 XP" in summary.inner_text()
    shot(page, artifacts, "12-progress-after-reload")

    page.get_by_role("button", name="Nollställ mina framsteg…").click()
    page.get_by_role("button", name="Ja, radera allt").click()
    summary.get_by_text("0 dagar i rad").wait_for()
    assert "0 XP" in summary.inner_text()


CARDS = {card.word: card for card in PICTURES.cards}
# One day, then the next: the days before today, since the server trusts a learner's date only
# within a couple of days of its own.
TUESDAY = dt.datetime.combine(dt.date.today(), dt.time(18, 30))
MONDAY = dt.datetime.combine(dt.date.today() - dt.timedelta(days=1), dt.time(9, 0))
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def xp_shown(progress_line) -> int:
    return int(progress_line.inner_text().split("⭐")[1].split("XP")[0])


def test_monday_then_tuesday_on_a_phone(app_server, browser, artifacts):
    """The issue's story: play on Monday, come back on Tuesday in the same browser, see the streak
    and weak words, review them with hints and pronunciation, practise en/ett; also by keyboard
    and in English. The browser's clock is the learner's: their day decides the streak."""
    context = browser.new_context(permissions=["microphone"], viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.clock.install(time=MONDAY)  # the clock runs on from Monday morning

    # Monday: miss the first word, try again at once, then finish the round.
    start_round(page, app_server.url, 3)
    shot(page, artifacts, "20-phone-card")
    missed = word_on_screen(page)
    type_answer(page, "xyzzy")
    assert "Inte riktigt" in feedback(page, ".verdict.wrong")
    page.get_by_role("button", name="Försök igen").click()
    page.locator("#try-again-btn").wait_for(state="hidden")
    assert "Kort 1/4" in page.locator("#progress").inner_text()  # the same turn, not a new one
    type_answer(page, missed)
    assert "Rätt!" in feedback(page, ".verdict.right")
    page.get_by_role("button", name="Nästa").click()
    wait_for_turn(page, 2)
    answer_rest_of_round(page)
    page.get_by_role("button", name="Spela igen").click()
    progress_line = page.locator("#progress-summary")
    progress_line.get_by_text("1 dag i rad").wait_for()

    # Tuesday, same browser: the streak is kept and the missed word is the weakest.
    page.clock.set_system_time(TUESDAY)
    page.reload()
    progress_line.get_by_text("1 dag i rad").wait_for()
    xp_before = xp_shown(progress_line)
    shot(page, artifacts, "21-phone-tuesday-start")
    page.get_by_role("button", name="Öva på svåra ord").click()
    page.locator("#progress").get_by_text("Kort 1/3").wait_for()
    assert word_on_screen(page) == missed

    # Hints, each paid in XP, and the word's sound (espeak-ng: the bundled decks have no recordings).
    hints = page.locator("#hints")
    page.get_by_role("button", name="Första bokstaven (−2 XP)").click()
    hints.get_by_text(f"{missed[0]} …").wait_for()
    page.get_by_role("button", name="Antal bokstäver (−1 XP)").click()
    hints.get_by_text(f"{len(missed)} bokstäver").wait_for()
    page.get_by_role("button", name="På engelska (−3 XP)").click()
    hints.get_by_text(CARDS[missed].translation).wait_for()
    page.get_by_role("button", name="Hör ordet (−5 XP)").click()
    page.locator(
        "#hear-audio audio, #hear-audio [data-testid='waveform-controls'], #hear-audio button"
    ).first.wait_for()
    assert page.get_by_role("button", name="Första bokstaven (−2 XP)").is_disabled()  # bought once
    shot(page, artifacts, "22-phone-hints")
    type_answer(page, missed)
    feedback(page, ".verdict.right")

    # Keyboard: Alt+N for next, Alt+S to skip (pressed once the button is there, as a learner would).
    page.locator("#next-btn").wait_for()
    page.keyboard.press("Alt+KeyN")
    wait_for_turn(page, 2)
    skipped = word_on_screen(page)
    page.locator("#skip-btn").wait_for()
    page.keyboard.press("Alt+KeyS")
    assert skipped in feedback(page, ".verdict.skipped")
    wait_for_turn(page, 3)
    answer_rest_of_round(page)
    page.get_by_role("button", name="Spela igen").click()
    progress_line.get_by_text("2 dagar i rad").wait_for()
    xp_after = xp_shown(progress_line)
    # 10 XP a right answer (two cards, then the skipped one on its return; a skip earns none);
    # the hints and the sound cost 2 + 1 + 3 + 5.
    assert xp_after == xp_before + 3 * 10 - (2 + 1 + 3 + 5)

    # Article mode: the verdict judges the noun and its article apart.
    page.get_by_label("Säg med en/ett (övar artiklar)").check()
    page.get_by_role("button", name="Starta").click()
    page.locator("#progress").get_by_text("Kort 1/").wait_for()
    assert "en/ett" in page.locator("#progress").inner_text()
    card = CARDS[word_on_screen(page)]
    wrong_article = "ett" if card.article == "en" else "en"
    type_answer(page, f"{wrong_article} {card.word}")
    said = feedback(page, ".verdict.almost")
    assert f"Ordet: ✓ {card.word}" in said
    assert f"Artikeln: ✗ du sa {wrong_article}, det heter {card.article} {card.word}" in said
    page.set_viewport_size(DESKTOP)
    shot(page, artifacts, "23-desktop-article-verdict")
    page.set_viewport_size(PHONE)
    shot(page, artifacts, "24-phone-article-verdict")
    page.get_by_role("button", name="Försök igen").click()
    type_answer(page, f"{card.article} {card.word}")
    assert f"Artikeln: ✓ {card.article}" in feedback(page, ".verdict.right")
    page.get_by_role("button", name="Avsluta rundan").click()

    # English interface, kept across a reload; the game's words stay Swedish.
    page.get_by_label("English").check()
    page.get_by_role("button", name="Start", exact=True).wait_for()
    page.reload()
    page.get_by_role("button", name="Review my weak words").wait_for()
    progress_line.get_by_text("2 days in a row").wait_for()
    page.set_viewport_size(DESKTOP)
    shot(page, artifacts, "25-desktop-english-start")
    page.get_by_role("button", name="Start", exact=True).click()
    page.locator("#progress").get_by_text("Card 1/").wait_for()
    type_answer(page, "xyzzy")
    assert "Not quite" in feedback(page, ".verdict.wrong")
    shot(page, artifacts, "26-desktop-english-verdict")
    page.get_by_label("Svenska").check()
    page.get_by_role("button", name="Försök igen").wait_for()
    context.close()
