from pathlib import Path

import pytest

from game.deck import DeckError, load_deck, load_decks
from game.config import ROOT

DECKS = ROOT / "assets" / "decks"


def write_deck(folder: Path, text: str, images=("hund.png", "katt.png"), name="test") -> Path:
    (folder / name).mkdir(parents=True, exist_ok=True)
    for image in images:
        (folder / name / image).write_bytes(b"\x89PNG\r\n\x1a\n")
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
title: Djur
level: A1
cards:
  - word: hund
    article: en
    translation: dog
    image: hund.png
    also_accepted: [vovve]
  - word: katt
    image: katt.png
"""


def problems(path: Path) -> list[str]:
    with pytest.raises(DeckError) as err:
        load_deck(path)
    return [str(p) for p in err.value.problems]


def test_bundled_decks_load():
    decks, found = load_decks(DECKS)
    assert found == []
    vardag = next(d for d in decks if d.id == "vardag")
    assert len(vardag.cards) >= 40
    assert all(c.translation and c.image.is_file() for c in vardag.cards)


def test_good_deck(tmp_path):
    deck = load_deck(write_deck(tmp_path, GOOD))
    assert deck.id == "test" and deck.title == "Djur" and deck.level == "A1"
    hund = deck.cards[0]
    assert hund.also_accepted == ("vovve",) and hund.image == tmp_path / "test" / "hund.png"
    assert hund.answers == ("hund", "vovve", "en hund")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("title: Djur\ncards: [\n", "test.yaml:3: YAML syntax error"),
        ("", "test.yaml:1: the deck file is empty"),
        ("title: Djur\ncards: []\n", "test.yaml:2: the deck has no cards"),
        ("title: Djur\n", "test.yaml:1: the deck has no `cards:` list"),
        ("- hund\n- katt\n", "test.yaml:1: the deck must be a mapping"),
        ("cards:\n  - word: hund\n    image: hund.png\n", "test.yaml:1: the deck is missing the required field `title`"),
        (
            "title: Djur\ncards:\n  - word: hund\n    transaltion: dog\n    image: hund.png\n",
            "test.yaml:4: unknown field `transaltion` in card 1 — did you mean `translation`?",
        ),
        ("title: Djur\ncards:\n  - image: hund.png\n", "test.yaml:3: card 1 is missing the required field `word`"),
        ("title: Djur\ncards:\n  - word: hund\n", "test.yaml:3: card 1 (hund) is missing the required field `image`"),
        (
            "title: Djur\ncards:\n  - word: hund\n    image: häst.png\n",
            "test.yaml:4: picture `häst.png` not found in",
        ),
        (
            "title: Djur\ncards:\n  - word: 12\n    image: hund.png\n",
            "test.yaml:3: `word` in card 1 must be text — put `12` in quotes",
        ),
        (
            "title: Djur\ncards:\n  - word: hund\n    image: hund.png\n    article: den\n",
            "test.yaml:5: `article` in card 1 (hund) must be `en` or `ett`, not `den`",
        ),
        (
            "title: Djur\ncards:\n  - word: hund\n    image: hund.png\n    also_accepted: {a: b}\n",
            "test.yaml:5: `also_accepted` in card 1 (hund) must be a list of words",
        ),
        (
            "title: Djur\ncards:\n  - word: hund\n    image: hund.png\n  - word: Hund\n    image: katt.png\n",
            "test.yaml:5: `Hund` is already card 1",
        ),
        ("title: Djur\ncards:\n  - word:\n    image: hund.png\n", "test.yaml:3: `word` in card 1 is empty"),
        ("title: Djur\ncards:\n  - hund\n", "test.yaml:3: card 1 must be a mapping"),
    ],
)
def test_broken_decks_say_file_line_and_what(tmp_path, text, expected):
    found = problems(write_deck(tmp_path, text))
    assert any(p.startswith(f"{tmp_path}/{expected}") for p in found), found


def test_every_problem_is_reported_at_once(tmp_path):
    text = "title: Djur\ncards:\n  - word: hund\n  - word: katt\n    image: saknas.png\n"
    found = problems(write_deck(tmp_path, text))
    assert len(found) == 2


def test_a_broken_deck_is_skipped_and_the_others_load(tmp_path):
    write_deck(tmp_path, GOOD, name="bra")
    write_deck(tmp_path, "title: Trasig\ncards: []\n", name="trasig")
    decks, found = load_decks(tmp_path)
    assert [d.id for d in decks] == ["bra"]
    assert found and found[0].file.endswith("trasig.yaml")
