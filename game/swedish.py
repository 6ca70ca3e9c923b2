"""Swedish words as the game compares them, and the mistakes Swedish learners make most.

A word is compared in its said form: NFC, lower case, no punctuation, Whisper's repeats and the
article (en/ett) taken off. Å, ä and ö stay letters of their own: never folded into a and o.

The mistakes are named so feedback can say more than "almost".

Two kinds are common enough to deserve a sentence of their own:
- å, ä and ö confused with each other or with a, o and e ("apple" for "äpple");
- a single consonant where Swedish doubles it, or the other way round ("kat" for "katt",
  "flika" for "flicka": ck is the doubled k). A doubled consonant means the vowel before it is short.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from rapidfuzz.distance import Levenshtein

ARTICLES = ("en", "ett")
SWEDISH_VOWELS = "åäö"
VOWELS = "aeiouyåäö"
CONSONANTS = "bcdfghjklmnpqrstvwxz"
RUN = re.compile(rf"ck|([{CONSONANTS}])\1+|.", flags=re.DOTALL)


def normalise(text: str) -> str:
    """NFC, lower case, punctuation and symbols out, single spaces."""
    text = unicodedata.normalize("NFC", text or "").lower()
    kept = [" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text]
    return " ".join("".join(kept).split())


def strip_article(text: str) -> str:
    """'en hund' -> 'hund'; a lone 'en' (the word for juniper) stays."""
    first, _, rest = text.partition(" ")
    return rest if first in ARTICLES and rest else text


def collapse_repeats(text: str) -> str:
    """'hund hund' -> 'hund', 'en hund en hund' -> 'en hund' (Whisper repeats itself)."""
    tokens = text.split()
    for size in range(1, len(tokens) // 2 + 1):
        if len(tokens) % size == 0 and tokens == tokens[:size] * (len(tokens) // size):
            return " ".join(tokens[:size])
    return text


def said_form(text: str) -> str:
    """What the learner said as the game compares it: normalised, repeats and article out."""
    return strip_article(collapse_repeats(normalise(text)))


def said_article(text: str) -> str:
    """The en/ett in front of the noun, or "" when there is none."""
    first, _, rest = collapse_repeats(normalise(text)).partition(" ")
    return first if first in ARTICLES and rest else ""


class Slip(str, Enum):
    VOWEL = "vowel"  # å/ä/ö and their neighbours
    DOUBLE = "double"  # a consonant that should be doubled (or single)


@dataclass(frozen=True)
class Note:
    slip: Slip
    said: str  # the letters in what was heard
    word: str  # the letters the word has there


def _runs(text: str) -> list[str]:
    """The text as spelled sounds: a consonant and its double ("tt", and "ck" for kk) are one run."""
    return [m.group(0) for m in RUN.finditer(text)]


def _sound(run: str) -> str:
    return "k" if run == "ck" else run[0]


OTHER_EDITS = 1  # sounds besides the named slips in which a slipped word may still differ ("hunnnd")


def slips(said: str, word: str) -> tuple[Note, ...]:
    """The named slips that turn `said` into `word` (both already normalised), in word order.
    The two are aligned sound by sound, so a vowel slip and a doubling in one word are both seen.
    Only for the same word slipped: when more than OTHER_EDITS other sounds differ, `said` is another
    word, and a slip found in aligning the two ("mamma" for "lampa": mm for m) would be no tip at all."""
    said_runs, word_runs = _runs(said), _runs(word)
    notes: list[Note] = []
    said_sounds = "".join(_sound(r) for r in said_runs)
    word_sounds = "".join(_sound(r) for r in word_runs)
    other = 0
    for op in Levenshtein.opcodes(said_sounds, word_sounds):
        if op.tag == "equal":
            for heard_run, word_run in zip(
                said_runs[op.src_start : op.src_end], word_runs[op.dest_start : op.dest_end]
            ):
                if heard_run != word_run:
                    notes.append(Note(Slip.DOUBLE, heard_run, word_run))
        elif op.tag == "replace" and op.src_end - op.src_start == op.dest_end - op.dest_start == 1:
            pair = said_sounds[op.src_start] + word_sounds[op.dest_start]
            if all(ch in VOWELS for ch in pair) and any(ch in SWEDISH_VOWELS for ch in pair):
                notes.append(Note(Slip.VOWEL, pair[0], pair[1]))
            else:
                other += 1
        elif op.tag != "equal":
            other += max(op.src_end - op.src_start, op.dest_end - op.dest_start)
    if other > OTHER_EDITS:
        return ()
    return tuple(dict.fromkeys(notes))  # the same slip twice is said once
