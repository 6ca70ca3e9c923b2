"""Decide whether what the learner said (or typed) is the card's word.

Whisper hears "Hund.", "en hund" or "hund hund" for a learner who said "hund":
all of those are right. Å, ä and ö are letters of their own in Swedish, so they
are never folded into a and o: "apple" is not "äpple", only close to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import Enum

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from game.swedish import collapse_repeats, normalise, said_article, said_form, strip_article


@dataclass(frozen=True)
class Thresholds:
    """Similarity (rapidfuzz ratio, 0–100) at or above which an answer counts."""

    right: float = 100.0
    almost: float = 60.0


THRESHOLDS = Thresholds()


class Outcome(str, Enum):
    RIGHT = "right"
    ALMOST = "almost"
    WRONG = "wrong"


@dataclass(frozen=True)
class ArticleCheck:
    """Article mode: the en/ett the learner said in front of the noun ("" = none) and the right one."""

    said: str
    expected: str

    @property
    def right(self) -> bool:
        return self.said == self.expected


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    heard: str  # what was heard or typed, as given
    word: str  # the card's word
    closest: str  # the accepted form nearest to what was heard
    score: float  # of the noun
    article: ArticleCheck | None = None  # only in article mode


def _forms(text: str) -> set[str]:
    norm = normalise(text)
    collapsed = collapse_repeats(norm)
    return {f for f in (norm, collapsed, strip_article(collapsed)) if f}


def accepted_forms(word: str, also_accepted: Iterable[str] = ()) -> list[str]:
    """Normalised forms that count as the word, the word's own form first."""
    forms: list[str] = []
    for text in (word, *also_accepted):
        norm = normalise(text)
        for form in (strip_article(norm), norm):
            if form and form not in forms:
                forms.append(form)
    return forms


def judge(
    heard: str,
    word: str,
    also_accepted: Iterable[str] = (),
    thresholds: Thresholds = THRESHOLDS,
) -> Verdict:
    targets = accepted_forms(word, also_accepted)
    best_score, closest = 0.0, targets[0] if targets else normalise(word)
    for form in sorted(_forms(heard)):
        for target in targets:
            score = fuzz.ratio(form, target)
            if score > best_score:
                best_score, closest = score, target
    if best_score >= thresholds.right:
        outcome = Outcome.RIGHT
    elif best_score >= thresholds.almost:
        outcome = Outcome.ALMOST
    else:
        outcome = Outcome.WRONG
    return Verdict(outcome, heard=heard, word=word, closest=closest, score=best_score)


def judge_with_article(
    heard: str,
    word: str,
    article: str,
    also_accepted: Iterable[str] = (),
    thresholds: Thresholds = THRESHOLDS,
) -> Verdict:
    """Article mode: the noun is judged as usual and the article on its own. A right noun with a
    wrong or missing article is "almost": the learner knows the word but not its gender yet."""
    verdict = judge(heard, word, also_accepted, thresholds)
    check = ArticleCheck(said=said_article(heard), expected=article)
    outcome = verdict.outcome
    if outcome is Outcome.RIGHT and not check.right:
        outcome = Outcome.ALMOST
    return replace(verdict, outcome=outcome, article=check)


@dataclass(frozen=True)
class Segment:
    text: str
    differs: bool


def char_diff(heard: str, target: str) -> tuple[list[Segment], list[Segment]]:
    """Split both strings into runs that match and runs that differ, for highlighting."""
    heard_norm = said_form(heard)
    heard_segs: list[Segment] = []
    target_segs: list[Segment] = []
    for op in Levenshtein.opcodes(heard_norm, target):
        differs = op.tag != "equal"
        if op.src_end > op.src_start:
            heard_segs.append(Segment(heard_norm[op.src_start : op.src_end], differs))
        if op.dest_end > op.dest_start:
            target_segs.append(Segment(target[op.dest_start : op.dest_end], differs))
    return heard_segs, target_segs
