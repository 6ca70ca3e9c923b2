"""The picture library: found by Swedish or English word, drawn like the bundled pictures."""

from __future__ import annotations

import io
import json
import unicodedata
from pathlib import Path

import pytest
from conftest import require_file
from PIL import Image

from game.pictures import emoji_render, library
from game.pictures.library import BUNDLED, EMOJI, EMOJI_DATA, Picture, PictureUnavailable, search

BUNDLED_HUND = library.BUNDLED_DECKS / "djur" / "hund.png"


@pytest.fixture
def font() -> Path:
    require_file(emoji_render.FONT, "fonts-noto-color-emoji")
    return emoji_render.FONT


@pytest.fixture
def no_font(monkeypatch, tmp_path):
    monkeypatch.setattr(library, "FONT", tmp_path / "NotoColorEmoji.ttf")


def found(query: str, lang: str = "sv", limit: int = 24) -> list[str]:
    return [picture.id for picture in search(query, lang, limit)]


def first_emoji(query: str, lang: str = "sv") -> Picture:
    return next(picture for picture in search(query, lang) if picture.kind == EMOJI)


@pytest.mark.parametrize("query, emoji", [("hund", "🐕"), ("äpple", "🍎"), ("cykel", "🚲"), ("kock", "🧑‍🍳")])
def test_a_swedish_word_finds_its_emoji_among_the_first(query, emoji):
    assert emoji in found(query, limit=3)


@pytest.mark.parametrize("query, emoji", [("apple", "🍎"), ("dog", "🐕"), ("bicycle", "🚲")])
def test_an_english_word_finds_its_emoji(query, emoji):
    assert emoji in found(query, "en", limit=3)


def test_both_languages_match_whichever_is_asked():
    assert "🐕" in found("dog", "sv", limit=3)
    assert "🐕" in found("hund", "en", limit=3)


def test_the_asked_language_comes_first_where_the_languages_disagree():
    """glass: ice cream in Swedish, a drinking glass in English."""
    assert first_emoji("glass", "sv").id in {"🍨", "🍦"}
    assert first_emoji("glass", "en").id == "🥛"


@pytest.mark.parametrize(
    "query, emoji",
    [("bjorn", "🐻"), ("apple", "🍎"), ("hast", "🐎"), ("mjolk", "🥛"), ("cyckel", "🚲"), ("hnud", "🐕")],
)
def test_a_typo_or_a_missing_å_ä_ö_still_finds_the_word(query, emoji):
    assert emoji in found(query, "sv", limit=5)


def test_a_word_without_å_ä_ö_comes_before_words_that_merely_contain_its_letters():
    """hast is häst typed on an English keyboard, ahead of höghastighetståg (🚅) and hastighet."""
    assert found("hast")[:2] == ["djur/hast.png", "🐎"]


def test_an_exact_name_comes_before_a_keyword_and_a_keyword_before_a_longer_name():
    ranked = found("hund", limit=50)
    assert ranked.index("🐕") < ranked.index("🦮")  # name "hund"; keyword "hund" of ledarhund
    assert ranked.index("🦮") < ranked.index("💯")  # keyword "hund"; name "hundra poäng"


def test_case_and_unicode_form_do_not_matter():
    assert found("HUND") == found("hund")
    decomposed = unicodedata.normalize("NFD", "äpple")
    assert decomposed != "äpple"
    assert found(f"  {decomposed.upper()} ") == found("äpple")


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "hund " * 2000, "x" * 100_000])
def test_an_empty_or_overlong_query_finds_nothing_without_searching(query, monkeypatch):
    def no_search():
        raise AssertionError("the library was searched")

    monkeypatch.setattr(library, "_library", no_search)
    assert search(query) == []


def test_the_limit_is_kept_and_a_language_must_be_known():
    assert len(search("a", limit=5)) == 5
    assert search("hund", limit=0) == []
    with pytest.raises(ValueError, match="lang"):
        search("hund", lang="de")


def test_a_bundled_picture_is_found_once_by_its_cards_words_and_served_as_its_file():
    results = search("hund")
    assert results[0].kind == BUNDLED
    assert results[0].sv == "hund" and results[0].en == "dog"
    assert [picture.sv for picture in results if picture.kind == BUNDLED].count("hund") == 1  # djur and vardag share it
    assert results[0].png() == (library.BUNDLED_DECKS / results[0].id).read_bytes()
    assert results[0].problem is None


def test_an_emoji_is_drawn_as_the_bundled_pictures_are(font):
    dog = first_emoji("hund")
    assert dog.id == "🐕" and dog.problem is None
    picture = Image.open(io.BytesIO(dog.png()))
    bundled = Image.open(BUNDLED_HUND)
    assert (picture.format, picture.mode, picture.size) == ("PNG", "RGBA", bundled.size)
    assert picture.width == picture.height
    assert picture.getchannel("A").getbbox() is not None  # something is drawn
    assert picture.tobytes() == bundled.convert("RGBA").tobytes()  # bundled hund.png is the same emoji


def test_a_drawn_emoji_is_kept_for_the_next_teacher(font):
    dog = first_emoji("hund")
    assert dog.png() is dog.png()


def test_an_emoji_the_font_cannot_draw_says_so(font):
    with pytest.raises(PictureUnavailable) as raised:
        Picture(EMOJI, "A", "a", "a").png()
    assert raised.value.phrase.key == "no_emoji_picture"


def test_without_the_font_emoji_say_why_and_bundled_pictures_still_work(no_font):
    dog = first_emoji("hund")
    assert dog.problem.key == "no_emoji_font"
    assert "fonts-noto-color-emoji" in dog.problem.text("en")
    assert "fonts-noto-color-emoji" in dog.problem.text("sv")
    with pytest.raises(PictureUnavailable, match="fonts-noto-color-emoji"):
        dog.png()
    bundled = search("hund")[0]
    assert bundled.kind == BUNDLED and Image.open(io.BytesIO(bundled.png())).size == (256, 256)


def test_an_unreadable_font_file_says_why_rather_than_crashing(monkeypatch, tmp_path):
    broken = tmp_path / "NotoColorEmoji.ttf"
    broken.write_text("not a font")
    monkeypatch.setattr(library, "FONT", broken)
    with pytest.raises(PictureUnavailable) as raised:
        first_emoji("katt").png()
    assert raised.value.phrase.key == "no_emoji_font"


# The committed data file: a bad regeneration is caught here.


def emoji_entries() -> list[dict]:
    return json.loads(EMOJI_DATA.read_text(encoding="utf-8"))


def test_the_data_file_is_small_and_names_every_emoji_in_both_languages():
    entries = emoji_entries()
    assert EMOJI_DATA.stat().st_size < 512 * 1024
    assert len(entries) > 1000
    assert len({entry["emoji"] for entry in entries}) == len(entries)
    for entry in entries:
        assert entry["sv"].strip() and entry["en"].strip(), entry
        assert all(word.strip() for word in entry["sv_keywords"] + entry["en_keywords"]), entry


def test_the_data_file_has_no_variants_and_no_flags():
    skin_tones, regional_letters = range(0x1F3FB, 0x1F400), range(0x1F1E6, 0x1F200)
    for entry in emoji_entries():
        codepoints = {ord(char) for char in entry["emoji"]}
        assert not codepoints & {*skin_tones, *regional_letters, 0x2640, 0x2642, 0x1F3F4}, entry


def test_every_emoji_in_the_data_file_can_be_drawn(font):
    typeface = emoji_render.load_font(font)
    assert [entry["emoji"] for entry in emoji_entries() if not emoji_render.can_draw(entry["emoji"], typeface)] == []
