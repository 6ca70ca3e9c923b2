"""One bound for every text a client sends: answers, nicknames, words, class codes, keys, dates, links.

Whatever a box on the page allows, a program can send anything through the API (a 5,000,000
character "answer" was judged and stored). Every text input of every event is held to this bound
before its handler runs (game/ui/bounded_inputs.py applies it), so a handler never sees more. A box
meant for more declares its own larger `max_length` (the editor's paste box takes a spreadsheet).
Narrower rules stay where they mean something: a typed answer over MAX_TYPED_CHARS is told to be
just the word (game/round/move.py), a nickname is cut to NICKNAME_CHARS (game/results/answers.py).
"""

from __future__ import annotations

from collections.abc import Sequence

MAX_CHARS = 1000  # a class link with its edit key is under 100; a Space's page address under 200


def bound_for(declared: int | None) -> int:
    """The bound of a box that declares `declared` characters at most (None: nothing declared)."""
    return max(MAX_CHARS, declared or 0)


def first_too_long(values: Sequence[object], bounds: Sequence[int]) -> int | None:
    """The bound of the first text in `values` longer than its own bound, or None when all fit."""
    for value, most in zip(values, bounds, strict=False):
        if isinstance(value, str) and len(value) > most:
            return most
    return None
