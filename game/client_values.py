"""One bound for the shape of every structured value a client sends: the progress its browser keeps,
the editor's table, the list of decks it opened — anything that is not a plain text.

A browser sends back what the server gave it, but a program sends anything: a progress of a million
words took 23 s and 770 MB of the server's memory to read, and an editor table of 100,000 rows kept
a core busy for 19 minutes. Every event's structured inputs are measured before its handler runs
(game/ui/bounded_inputs.py), without recursion, against this bound: a value the server wrote never
comes near it (progress keeps at most MAX_WORDS words, game/round/progress.py; the editor's table at
most MAX_TABLE_ROWS rows, game/ui/editor_table.py). Finer bounds are where the values are read, and
a handler that finds one passed raises `Refused`, which the page words in its language.
"""

from __future__ import annotations

MAX_DEPTH = 8  # lists and mappings inside each other: progress needs 3, the editor's table 3
MAX_ENTRIES = 100_000  # every list item and mapping entry, at every depth: a full progress has about 50,000
MAX_CHARS = 4_000_000  # characters of every text in it together (keys too): a full table of pictures, 2 million


def oversized(value: object) -> bool:
    """Whether a value decoded from JSON goes past MAX_DEPTH, MAX_ENTRIES or MAX_CHARS; stops at the first."""
    entries = chars = 0
    waiting = [(value, 0)]
    while waiting:
        item, depth = waiting.pop()
        if isinstance(item, str):
            chars += len(item)
        elif isinstance(item, (list, tuple, dict)):
            if depth >= MAX_DEPTH:
                return True
            entries += len(item)
            if entries > MAX_ENTRIES:
                return True
            inside = [part for pair in item.items() for part in pair] if isinstance(item, dict) else item
            waiting.extend((part, depth + 1) for part in inside)
        if chars > MAX_CHARS:
            return True
    return False


class Refused(Exception):
    """What a client sent passes a bound a handler keeps: `key` names the text (game/texts) that says
    which, with its `values`; the page words it in its language and changes nothing."""

    def __init__(self, key: str, **values: object):
        self.key, self.values = key, values
        super().__init__(key)
