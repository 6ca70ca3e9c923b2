"""Whose verdict it is: what a verdict on the page says was heard or written, and which word it names.

The classroom benchmark checks every verdict a learner gets against the learner's own card and what
the learner said (`mixup`), reading the verdict from the page's feedback HTML as a person reads it.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

from game.decks.deck import answer_key
from game.round.feedback import shown_heard
from game.swedish import said_form
from game.texts import say

LANG = "sv"  # the page's language: the verdicts are read in it

_TRANSLATION = r"(?:\s*<span class='translation'>.*?</span>)?"
_DIFF = "<span class='diff'>(?P<{}>.*?)</span>"


@dataclass(frozen=True)
class Reading:
    heard: str  # what the verdict says was heard or written ("" for "nothing heard")
    word: str | None  # the word the verdict names (None for a notice)
    normalised: bool  # `heard` is the game's compared form (said_form), shown in a spelling diff


def _pattern(key: str, **groups: str) -> str:
    """The regular expression of one of the game's texts, with its fields as groups."""
    marks = {name: f"\x00{name}\x00" for name in groups}
    pattern = re.escape(say(LANG, key, **marks))
    for name, group in groups.items():
        pattern = pattern.replace(re.escape(marks[name]), group)
    return pattern


@functools.cache
def _verdict_patterns() -> dict:
    """The verdict's sentences as game/round/feedback.py writes them (spoken and typed), and "nothing heard"."""
    patterns = {}
    for spoken in (True, False):
        patterns["plain", spoken] = (
            _pattern("heard" if spoken else "typed", heard="(?P<heard>.*?)")
            + " "
            + _pattern("the_word_is", word="(?P<word>.*?)", translation=_TRANSLATION)
        )
        patterns["diff", spoken] = (
            _pattern("heard_diff" if spoken else "typed_diff", diff=_DIFF.format("heard"))
            + ".*?"
            + _pattern("spelling", diff=_DIFF.format("word"), translation=_TRANSLATION)
        )
    patterns["nothing"] = html.escape(say(LANG, "nothing_heard"))
    return patterns


def _untag(text: str) -> str:
    return html.unescape(re.sub(r"</?mark>", "", text))


def read_verdict(feedback: str) -> Reading | None:
    """What a verdict says was heard and which word it names; None when it is not a verdict."""
    patterns = _verdict_patterns()
    text = feedback or ""
    for spoken in (True, False):
        match = re.search(patterns["plain", spoken], text)
        if match:
            return Reading(html.unescape(match["heard"]), html.unescape(match["word"]), False)
        match = re.search(patterns["diff", spoken], text)
        if match:
            return Reading(_untag(match["heard"]), _untag(match["word"]), True)
    if "verdict notice" in text and patterns["nothing"] in text:
        return Reading("", None, False)
    return None


def mixup(feedback: str, card, expected: str) -> str | None:
    """Why a verdict is not this learner's own (card, what it said), or None when it is."""
    reading = read_verdict(feedback)
    if reading is None:
        return "no verdict"
    if reading.word is not None and answer_key(reading.word) not in {answer_key(a) for a in card.answers}:
        return "wrong card"
    if reading.word is None and expected.strip():
        return "heard differs"  # "nothing heard", though the clip alone gives a transcript
    wanted = said_form(expected) if reading.normalised else shown_heard(expected)
    return None if reading.heard.strip() == wanted.strip() else "heard differs"
