"""The editor's second look at a teacher's words, against Debian's Swedish dictionary (hunspell-sv)."""

from __future__ import annotations

import pytest
from conftest import require_file

from game.decks import spelling
from game.decks.editor import Row
from game.ui.editor_table import problems_markdown, questions_of


@pytest.fixture(autouse=True)
def dictionary():
    require_file(spelling.DICTIONARY, "hunspell-sv")


@pytest.mark.parametrize(
    "typed, near",
    [
        ("hunnd", ("hund",)),  # a doubled letter
        ("kattt", ("katt",)),
        ("rav", ("räv",)),  # an å/ä/ö without its dots, though "av", "rev", "sav" are one letter away too
        ("glasogon", ("glasögon",)),
    ],
)
def test_a_slip_of_a_listed_word_is_questioned_with_the_word(typed, near):
    assert spelling.questions(typed) == [spelling.Question("spelling", typed, near)]


@pytest.mark.parametrize("word", ["hund", "räv", "glasögon", "jordgubbar", "att springa", "den röda", "Anna"])
def test_words_of_the_list_forms_of_them_and_phrases_are_not_questioned(word):
    assert spelling.questions(word) == []


@pytest.mark.parametrize(
    "typed, article, word", [("em katt", "en", "katt"), ("en katt", "en", "katt"), ("et hus", "ett", "hus")]
)
def test_an_article_in_the_words_box_is_questioned(typed, article, word):
    assert spelling.questions(typed)[0] == spelling.Question("article", typed, (article, word))


def test_the_editor_asks_beside_the_card_and_still_takes_the_deck():
    rows = [Row("hunnd", picture="emoji:🐶"), Row("em katt", picture="emoji:🐱"), Row("räv", picture="emoji:🦊")]
    asked = questions_of(rows, "sv")
    assert [(q.row, q.field) for q in asked] == [(1, "word"), (2, "word")]
    assert "menade du “hund”?" in asked[0].message and "*en*" in asked[1].message
    shown = problems_markdown([], rows, "sv")
    assert shown.startswith("✓ Inga fel") and "Kontrollera gärna" in shown and "Kort 1 (hunnd)" in shown


def test_without_the_dictionary_nothing_is_questioned(monkeypatch, tmp_path):
    monkeypatch.setattr(spelling, "DICTIONARY", tmp_path / "sv_SE.dic")
    spelling._by_length.cache_clear()
    spelling.near_words.cache_clear()
    try:
        assert spelling.questions("hunnd") == []
    finally:
        spelling._by_length.cache_clear()
        spelling.near_words.cache_clear()
