"""Structured values a client sends (game/client_values.py): stored progress and the editor's table
are held to their bounds before they are read, a normal learner's and teacher's values pass whole,
and what is refused is said in the page's language."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import gradio as gr
import pytest

from game.client_values import MAX_DEPTH, oversized
from game.config import Settings
from game.decks.deck import Card, Deck
from game.decks.editor import COLUMNS
from game.round import progress, rounds
from game.round.judge import judge
from game.round.progress import MAX_DECKS, MAX_WORDS, WordProgress, dump, load
from game.ui import build_app
from game.ui.editor_table import MAX_TABLE_ROWS, table_rows

TODAY = dt.date(2026, 12, 7)
WORD = {"box": 2, "due": "2026-12-08", "seen": 3, "right": 2}


def stored_words(decks: int, words_each: int) -> dict:
    """Progress over `decks` decks played in order (the last one last), `words_each` words each."""
    ids = [f"D{n:05}" for n in range(decks)]
    words = {f"{deck}/ord{i}": dict(WORD) for deck in ids for i in range(words_each)}
    charted = {deck: {"title": deck, "cards": words_each} for deck in ids}
    return {"version": 1, "xp": 40, "words": words, "decks": charted}


@pytest.fixture(scope="module")
def page(tmp_path_factory, tiny_model_dir):
    return build_app(Settings(model=str(tiny_model_dir), data_dir=tmp_path_factory.mktemp("data")))


def handler(page, name: str):
    """The event's handler (by its API name, or its function's name) as the page runs it: behind its bounds."""
    return next(f.fn for f in page.fns.values() if name in (f.api_name, getattr(f.fn, "__name__", "")))


def words_kept_after_a_move(page, stored: dict, lang: str = "sv") -> dict:
    """The words of the progress a learner's browser keeps after a round's first typed answer."""
    started = handler(page, "start_round")("vardag", 3, stored, False, lang, "", "", None)
    game = next(value for value in started.values() if isinstance(value, rounds.Round))
    moved = handler(page, "answer_typed")(game, None, "fel", stored, lang, "")
    [kept] = [moved[c] for c in moved if isinstance(c, gr.BrowserState) and c.storage_key == "sagdet-progress"]
    return kept["words"]


def test_the_fullest_values_the_server_writes_are_inside_the_bound():
    fullest = dump(load(stored_words(MAX_DECKS, MAX_WORDS // MAX_DECKS)))
    assert len(fullest["words"]) == MAX_WORDS - MAX_WORDS % MAX_DECKS and not oversized(fullest)
    picture = "![emoji:🐕](data:image/webp;base64," + "A" * 3000 + ")"
    assert not oversized({"headers": list(COLUMNS), "data": [["hund", "en", "dog", "", "", picture, ""]] * 600})
    nested: list = []
    for _ in range(MAX_DEPTH):
        nested = [nested]
    assert oversized(nested) and oversized(["x" * 4_000_001]) and oversized([0] * 100_001)
    assert oversized({"words": {f"d/{i}": {"box": 1} for i in range(60_000)}})  # entries count at every depth


def test_progress_keeps_the_words_of_the_decks_played_last_and_a_normal_learners_whole():
    normal = stored_words(4, 60)
    assert dump(load(normal))["words"] == normal["words"]
    crowded = load(stored_words(60, 300))  # 18,000 words over 60 decks: the 30 played last are charted
    assert len(crowded.words) == MAX_WORDS
    assert all(f"D{n:05}/ord{i}" in crowded.words for n in range(30, 60) for i in range(300))  # those whole


def test_a_move_beyond_the_bound_drops_the_words_of_the_deck_played_longest_ago():
    learner = load(stored_words(MAX_WORDS // 500, 500))  # exactly full
    deck = Deck(id="NYTT", title="Ny", cards=(Card(word="hund", image=Path("hund.png")),))
    game = rounds.start_round(deck, 1, random.Random(0))
    after = progress.after_move(learner, game, rounds.answer(game, judge("hund", "hund")), TODAY)
    assert len(after.words) == MAX_WORDS and "NYTT/hund" in after.words and "D00000/ord499" not in after.words
    assert after.words["D00019/ord499"] == WordProgress(box=2, due="2026-12-08", seen=3, right=2)


def test_a_program_sending_a_million_words_plays_with_a_fresh_progress(page):
    """Issue 26: /start_round with a stored progress of 1,000,000 words took 23 s and 770 MB of memory,
    and the next move wrote them all back."""
    assert len(words_kept_after_a_move(page, stored_words(1, 1_000_000))) == 1  # the move's own word only
    crowded = stored_words(40, 300)  # inside the shape's bound, over the words': cut, not refused
    assert len(words_kept_after_a_move(page, crowded)) == MAX_WORDS
    normal = stored_words(3, 40)
    kept = words_kept_after_a_move(page, normal, "en")
    assert {name: word for name, word in kept.items() if name.startswith("D")} == normal["words"]


@pytest.mark.parametrize(
    ("table", "said"),
    [
        ([["hund", "en", "dog", "", "", "", ""]] * (MAX_TABLE_ROWS + 1), "högst 600 rader"),
        ([["hund" * 250 + "x", "en", "dog", "", "", "", ""]], "mer än 1000 tecken"),
        ([["hund"] * 1_000_000], "för stort"),  # a row of a million cells: the shape's bound
        ([["x"] * 7] * 20_000, "för stort"),
    ],
    ids=["601 rows", "a 1001-character word", "a million cells", "20,000 rows"],
)
def test_an_editor_table_past_its_bounds_is_refused_in_the_pages_language(page, table, said):
    """Issue 26: the editor's table, typed in, reached through the queue: 100,000 rows kept a core
    busy for 19 minutes; now refused before the checker reads a row."""
    edited = handler(page, "on_edited")
    with pytest.raises(gr.Error, match=said):
        edited({"headers": list(COLUMNS), "data": table}, "Djur", "", None, "sv")
    ordinary = edited(
        {"headers": list(COLUMNS), "data": [["hund", "en", "dog", "", "", "", ""]]}, "Djur", "", None, "en"
    )
    assert "Card 1 (hund)" in str(ordinary)  # a teacher's table is read as before


def test_cells_past_the_tables_columns_are_not_read():
    assert table_rows([["hund", "en", "dog", "", "", "", "", object()]]) == table_rows([["hund", "en", "dog"]])
