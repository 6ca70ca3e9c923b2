"""How a class did on a shared deck: the teacher's figures, worked out from the answers kept
(game/results/answers.py). Pure functions: no database, no Gradio.

- per word: how often the class said it right at the first try (the hardest words first);
- per learner: the words they said right, the rounds they played, when they last played;
- per word: what was heard (or typed) instead, most often first ("heard *hönd* 7 times");
- the words answered that the deck no longer has (renamed or removed since), counted apart;
- a date filter, and every answer as CSV.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from game.results.answers import Answer
from game.round.judge import Outcome
from game.round.rounds import SKIPPED
from game.swedish import normalise, said_form

MISSES = (Outcome.WRONG.value, Outcome.ALMOST.value)
HEARD_KEPT = 5  # things heard instead, per word
# `learner`: the nickname, or the anonymous id; `nickname`: the nickname only (empty when anonymous).
CSV_COLUMNS = ("time_utc", "learner", "nickname", "round", "word", "outcome", "try", "hints", "answered", "heard")


@dataclass(frozen=True)
class WordResult:
    word: str
    answers: int
    first_tries: int  # rounds in which the word was answered (its first answer in each)
    first_try_right: int

    @property
    def first_try_percent(self) -> int | None:
        return round(100 * self.first_try_right / self.first_tries) if self.first_tries else None


class Instead(NamedTuple):
    """Something the class answered instead of a word: `times` answers, all spoken or all typed."""

    text: str
    times: int
    typed: bool


@dataclass(frozen=True)
class LearnerResult:
    learner: str
    named: bool
    words_right: int  # different words (of the deck as it is now, when known) said right at least once
    rounds: int
    answers: int
    last_played: datetime


def retention_start(now: datetime, days: int) -> datetime:
    """The oldest moment still kept: answers from before it are removed."""
    return now - timedelta(days=days)


def within(
    answers: Iterable[Answer], since: date | None = None, until: date | None = None, zone: tzinfo = UTC
) -> list[Answer]:
    """The answers given from the start of `since` to the end of `until` (days in `zone`; None: no bound).

    A day within a day of the calendar's ends is no bound either: its edge in another zone may be a
    moment Python's datetime cannot hold (the day after 9999-12-31, year 1 seen from UTC), and no
    answer was given then anyway."""
    start = datetime.combine(since, time(), zone) if since and since > date.min + timedelta(days=1) else None
    end = (
        datetime.combine(until + timedelta(days=1), time(), zone)
        if until and until < date.max - timedelta(days=1)
        else None
    )
    return [a for a in answers if (start is None or a.at >= start) and (end is None or a.at < end)]


def time_zone(name: str | None) -> tzinfo:
    """The teacher's time zone from the browser's IANA name ("Europe/Stockholm"); UTC when it is
    missing or unknown, so a strange name never stops the results."""
    name = (name or "").strip()
    if not name or len(name) > 64:  # the longest IANA names are about 30 characters
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder ("Europe"), a long name
        return UTC


def parse_day(text: str | None) -> date | None:
    """'2026-11-26' -> a date; empty -> None; anything else raises ValueError."""
    text = (text or "").strip()
    return date.fromisoformat(text) if text else None


def example_days(today: date) -> tuple[str, str]:
    """The date filter's examples: from the first of this month to today (a fixed pair went stale)."""
    return today.replace(day=1).isoformat(), today.isoformat()


def by_word(answers: Iterable[Answer]) -> list[WordResult]:
    """Each word's first-try figures, the hardest first (then alphabetically)."""
    answers = list(answers)
    results = []
    for word in sorted({a.word for a in answers}):
        mine = [a for a in answers if a.word == word]
        first = [a for a in mine if a.try_number == 1]
        right = sum(1 for a in first if a.outcome == Outcome.RIGHT.value)
        results.append(WordResult(word, len(mine), len(first), right))
    return sorted(results, key=lambda r: (r.first_try_percent is None, r.first_try_percent or 0, r.word))


def in_deck(answers: Iterable[Answer], words: Collection[str] | None) -> list[Answer]:
    """The answers to words the deck still has (`words`: its cards' words now; None: all answers)."""
    return [a for a in answers if words is None or a.word in words]


def gone_words(answers: Iterable[Answer], words: Collection[str] | None) -> dict[str, int]:
    """Words answered that the deck no longer has (a card renamed or removed since), with their answers."""
    return dict(sorted(Counter(a.word for a in answers if words is not None and a.word not in words).items()))


def by_learner(answers: Iterable[Answer], words: Collection[str] | None = None) -> list[LearnerResult]:
    """Each learner's figures, the one who played last first. `words`: the deck's cards now; a word
    said right before its card was renamed is not a word right (a learner would show 7 of 6)."""
    grouped: dict[tuple[str, bool], list[Answer]] = {}
    for answer in answers:
        grouped.setdefault((answer.learner, answer.named), []).append(answer)
    results = [
        LearnerResult(
            learner=learner,
            named=named,
            words_right=len({a.word for a in in_deck(mine, words) if a.outcome == Outcome.RIGHT.value}),
            rounds=len({a.round for a in mine}),
            answers=len(mine),
            last_played=max(a.at for a in mine),
        )
        for (learner, named), mine in grouped.items()
    ]
    return sorted(results, key=lambda r: (r.last_played, r.learner), reverse=True)


def heard_instead(answers: Iterable[Answer], kept: int = HEARD_KEPT) -> dict[str, list[Instead]]:
    """For each word said or typed wrong or almost: what was answered instead, most often first.

    Spoken and typed misses are counted apart (a typo is not a pronunciation), each marked; what
    was answered is compared as the game compares it, so "Hönd." and "hönd" are one thing heard.
    An answer that was the word itself (an article missing in article mode) is not something else.
    """
    counts: dict[str, Counter] = {}
    for answer in answers:
        heard = normalise(answer.heard)
        if answer.outcome in MISSES and heard and said_form(heard) != said_form(answer.word):
            counts.setdefault(answer.word, Counter())[heard, not answer.spoken] += 1
    return {
        word: sorted(
            (Instead(text, times, typed) for (text, typed), times in counted.items()),
            key=lambda i: (-i.times, i.typed, i.text),
        )[:kept]
        for word, counted in sorted(counts.items())
    }


def summary(answers: Sequence[Answer], words: Collection[str] | None = None) -> dict:
    """Everything the teacher sees, as plain JSON values. `words`: the deck's cards now; answers to
    words it no longer has count in `answers` and a learner's `answers`, and are listed under
    `words_gone`, but not as words (right) or things heard instead."""
    current = in_deck(answers, words)
    return {
        "answers": len(answers),
        "words_gone": [{"word": word, "answers": count} for word, count in gone_words(answers, words).items()],
        "words": [
            {
                "word": r.word,
                "answers": r.answers,
                "first_tries": r.first_tries,
                "first_try_right": r.first_try_right,
                "first_try_percent": r.first_try_percent,
            }
            for r in by_word(current)
        ],
        "learners": [
            {
                "learner": r.learner,
                "nickname": r.named,
                "words_right": r.words_right,
                "rounds": r.rounds,
                "answers": r.answers,
                "last_played": r.last_played.isoformat(timespec="seconds"),
            }
            for r in by_learner(answers, words)
        ],
        "heard_instead": {
            word: [{"heard": i.text, "times": i.times, "typed": i.typed} for i in found]
            for word, found in heard_instead(current).items()
        },
    }


def to_csv(answers: Iterable[Answer]) -> str:
    """Every answer, oldest first, one line each (a spreadsheet opens it)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for a in sorted(answers, key=lambda a: a.at):
        answered = "skipped" if a.outcome == SKIPPED else "spoken" if a.spoken else "typed"
        writer.writerow(
            (
                a.at.isoformat(timespec="seconds"),
                _cell(a.learner),
                _cell(a.learner) if a.named else "",
                a.round,
                a.word,
                a.outcome,
                a.try_number,
                a.hints,
                answered,
                _cell(a.heard),
            )
        )
    return out.getvalue()


def _cell(text: str) -> str:
    """A learner's own text, never read as a formula by a spreadsheet (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
