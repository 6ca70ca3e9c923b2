"""Help for a learner who is stuck, each kind at a price in XP.

Hints are taken before the verdict, for the card on screen. Hearing the word gives it away,
so it costs most before the verdict and nothing after (then it is pronunciation practice).
"""

from __future__ import annotations

from html import escape

from game.decks.deck import Card
from game.texts import say

FIRST_LETTER = "first_letter"
LENGTH = "length"
TRANSLATION = "translation"
CLUE = "clue"  # the deck's own `hint` for the card
HEAR = "hear"
TEXT_HINTS = (FIRST_LETTER, LENGTH, TRANSLATION, CLUE)
COST = {LENGTH: 1, FIRST_LETTER: 2, CLUE: 2, TRANSLATION: 3, HEAR: 5}


def offered(card: Card, kind: str) -> bool:
    """Whether the card has this hint to give (hearing depends on the server; see pronounce.py)."""
    if kind == TRANSLATION:
        return bool(card.translation)
    if kind == CLUE:
        return bool(card.hint)
    return kind in COST


def letters(word: str, first: bool, count: bool) -> str:
    """The word's shape: 'h _ _ _' (first letter and length), '_ _ _ _' (length) or 'h …'."""
    if count:
        shown = [ch if (first and i == 0) or ch == " " else "_" for i, ch in enumerate(word)]
        return " ".join(shown).replace("   ", " · ")
    return f"{word[0]} …"


def hint_html(card: Card | None, taken: tuple[str, ...], lang: str) -> str:
    """The hints taken for the card on screen, one line each."""
    if card is None or not any(kind in TEXT_HINTS for kind in taken):
        return ""
    lines = []
    first, count = FIRST_LETTER in taken, LENGTH in taken
    if first or count:
        shape = escape(letters(card.word, first, count))
        size = f" ({say(lang, 'letters', count=sum(ch != ' ' for ch in card.word))})" if count else ""
        # Underscores mean nothing read aloud: a screen reader gets the first letter in words.
        spoken = f"{say(lang, 'hint_first_letter')}: {escape(card.word[0])}" if first else ""
        lines.append(
            f"<p><span class='shape' aria-hidden='true'>{shape}</span><span class='sr-only'>{spoken}</span>{size}</p>"
        )
    if TRANSLATION in taken and card.translation:
        lines.append(f"<p>{say(lang, 'hint_translation')}: <b>{escape(card.translation)}</b></p>")
    if CLUE in taken and card.hint:
        lines.append(f"<p>{say(lang, 'hint_clue')}: {escape(card.hint)}</p>")
    return f"<div class='hints' role='status' aria-live='polite'>{''.join(lines)}</div>"
