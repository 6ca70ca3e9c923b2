"""A second look at the words a teacher types: "hunnd" for "hund", "em katt" for "en katt". Said
beside the card as a question; never a reason to refuse a deck (a name or a rare word is not a mistake).

The word list is Debian's Swedish hunspell dictionary (`hunspell-sv`, in packages.txt): its stems,
without hunspell's affix rules. So an inflected form ("hundar") is not in the list, and a word is
questioned only when it is not in the list *and* a listed word is one letter away from it.
Without the dictionary nothing is questioned.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from game.swedish import ARTICLES

DICTIONARY = Path("/usr/share/hunspell/sv_SE.dic")
MOST_SHOWN = 3  # near words offered; with more, the guess is too wide to be of help
FOLD = str.maketrans("åäö", "aao")
# One letter from "en" or "ett", but words of their own that may begin an answer ("att springa").
NOT_ARTICLES = {"att", "den", "än", "in"}


@dataclass(frozen=True)
class Question:
    """Something to check in a card's word: `kind` "spelling" (with `near`, the listed words one
    letter away) or "article" (the word starts with an article or a slip of one; `near` the article)."""

    kind: str
    typed: str
    near: tuple[str, ...]


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _by_length() -> dict[int, list[str]]:
    """The dictionary's words, by length (a near word is at most one letter longer or shorter)."""
    try:
        lines = DICTIONARY.read_text(encoding="utf-8").splitlines()[1:]  # the first line is the count
    except OSError:
        return {}
    found: dict[int, list[str]] = {}
    for word in {line.split("/", 1)[0].strip().casefold() for line in lines if line.strip()}:
        found.setdefault(len(word), []).append(word)
    return found


def words_known() -> bool:
    with _lock:  # one thread reads the file; the rest wait for it rather than read it again
        return bool(_by_length())


@lru_cache(maxsize=4096)
def near_words(word: str) -> tuple[str, ...]:
    """The listed words `word` is likely a slip of: () when it is listed, or nothing listed is near."""
    word = word.casefold()
    if not words_known() or len(word) < 3 or not word.isalpha():
        return ()
    by_length = _by_length()
    if word in by_length.get(len(word), ()):
        return ()
    candidates = [w for n in (len(word) - 1, len(word), len(word) + 1) for w in by_length.get(n, ())]
    near = [w for w, _, _ in process.extract(word, candidates, scorer=Levenshtein.distance, score_cutoff=1, limit=20)]
    # An å/ä/ö without its dots ("rav") or a doubled letter ("hunnd") is surely the slip: name that word alone.
    sure = [w for w in near if w.translate(FOLD) == word.translate(FOLD) or _undoubled(word, w)]
    if sure:
        return (sure[0],)
    return tuple(near) if len(near) <= MOST_SHOWN else ()


def _undoubled(typed: str, word: str) -> bool:
    return len(typed) == len(word) + 1 and any(
        typed[i] == typed[i + 1] and typed[:i] + typed[i + 1 :] == word for i in range(len(typed) - 1)
    )


def _shared_start(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def questions(word: str) -> list[Question]:
    """What to ask about one card's word."""
    parts = word.split()
    asked: list[Question] = []
    if len(parts) >= 2 and len(parts[0]) <= 4:
        first = parts[0].casefold()
        # The nearer article, and of two as near the one it shares more first letters with ("et": ett).
        slip_of = sorted(ARTICLES, key=lambda a: (Levenshtein.distance(first, a), -_shared_start(first, a)))[0]
        if first in ARTICLES or (Levenshtein.distance(first, slip_of) <= 1 and first not in NOT_ARTICLES):
            article = first if first in ARTICLES else slip_of  # "en katt" in the word's box, or "em katt"
            asked.append(Question("article", word, (article, " ".join(parts[1:]))))
            parts = parts[1:]
    for part in parts:
        if near := near_words(part):
            asked.append(Question("spelling", part, near))
    return asked
