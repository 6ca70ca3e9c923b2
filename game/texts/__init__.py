"""Everything the game says, in Swedish (the default) and English: one table a language
(`sv.py`, `en.py`), keyed by name, read through `say`.

The game is for learning Swedish, so the page speaks Swedish; a beginner can switch the
interface to English. Words of the game itself (the card's word, what was heard) are never
translated. Keys missing from English fall back to Swedish, so a new text shows up at once.
Keys of one part of the game share a prefix: `problem.` (what is wrong with a deck), `store.`
(published decks), `paste.` and `editor.` (the deck editor); the page's own have none.
"""

from __future__ import annotations

from game.texts import en, sv

LANGUAGES = {"sv": "Svenska", "en": "English"}
DEFAULT = "sv"
TABLES = {"sv": sv.TEXTS, "en": en.TEXTS}


def language(value: object) -> str:
    """A language the game speaks; anything else (a stale or edited stored value) is Swedish."""
    return value if isinstance(value, str) and value in TABLES else DEFAULT


def number(lang: str, value: int) -> str:
    """A count as the page's language writes it: 3 412 in Swedish (a space that does not break), 3,412 in English."""
    grouped = f"{value:,}"
    return grouped.replace(",", "\u00a0") if language(lang) == "sv" else grouped


def say(lang: str, key: str, /, **values: object):
    """The text called `key` in `lang` (Swedish where English has none yet), its `{values}` filled in.
    A few entries are lists (a table's column headings): those come as they are."""
    text = TABLES[language(lang)].get(key, sv.TEXTS[key])
    return text.format(**values) if isinstance(text, str) else text


def known(key: str) -> bool:
    return key in sv.TEXTS
