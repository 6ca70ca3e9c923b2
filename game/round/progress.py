"""A learner's progress across visits: XP, a daily streak and per-word mastery (Leitner boxes).

Plain data, kept in the learner's own browser (gr.BrowserState) as JSON: no accounts. Anything
can be in there — an old version, a half-edited value, nothing at all — so `load` never fails:
what it cannot read it leaves out, and a learner at worst starts fresh.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from game.decks.deck import Deck
from game.round.judge import Outcome

VERSION = 1
BOXES = 5
# Days until a word in each box is due again: a word said right moves up a box, a miss sends it to box 1.
INTERVAL_DAYS = {1: 0, 2: 1, 3: 3, 4: 7, 5: 14}
# How far a learner's date may be from the server's: time zones put them a day or so either way.
CLOCK_SLACK_DAYS = 2
MAX_DECK_ID = 64  # characters of a deck id kept: a built-in deck's id or a class code is far shorter
MAX_TITLE = 120
MAX_DECKS = 30  # decks charted besides the built-in ones; the longest unplayed drops off
# Words kept: every word of the MAX_DECKS decks played last, at a shared deck's 300 cards each, and
# more. Beyond, the words of the decks played longest ago go first (an API client can send millions).
MAX_WORDS = 10_000


@dataclass(frozen=True)
class WordProgress:
    box: int = 1
    due: str = ""  # ISO date; "" = new word, never seen
    seen: int = 0
    right: int = 0


@dataclass(frozen=True)
class Progress:
    xp: int = 0
    streak: int = 0  # days in a row with a finished round, ending on `last_day`
    last_day: str = ""  # ISO date of the last finished round
    words: dict[str, WordProgress] = field(default_factory=dict)  # "deck/word" -> progress
    last_deck: str = ""  # the deck answered last: a built-in deck's id or a class code
    # The decks answered, newest last: id -> (title, cards). The start screen's chart shows a class's
    # deck from here: the server keeps no list of who played which shared deck.
    decks: dict[str, tuple[str, int]] = field(default_factory=dict)


def key(deck_id: str, word: str) -> str:
    return f"{deck_id}/{word}"


def learner_day(value: Any, server_today: dt.date) -> dt.date:
    """The learner's date as their browser sends it ("YYYY-MM-DD"), when it is believable; otherwise
    (garbage, nothing from an API caller, a clock days off) the server's. A learner's date is trusted
    at all because around midnight it decides which day a round counts for in their streak."""
    if not _day(value) or _day(value) != value:  # nothing, garbage, or another ISO form ("2026-W47-1")
        return server_today
    day = dt.date.fromisoformat(value)
    # Subtracting dates cannot overflow, unlike server_today ± 2 days at the ends of the calendar.
    return day if abs((day - server_today).days) <= CLOCK_SLACK_DAYS else server_today


def _day(value: Any) -> str:
    if not isinstance(value, str):  # str() of a huge number or a deeply nested list can itself fail
        return ""
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        return ""


def _count(value: Any, low: int = 0, high: int = 10**9) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return low
    if isinstance(value, float) and not math.isfinite(value):  # only floats: 10**400 cannot become one
        return low  # NaN cannot become an int, and an infinity is no more a count than NaN is
    return int(min(max(value, low), high))


def _shift(day: dt.date, days: int) -> dt.date:
    """`day` moved by `days`, stopping at the ends of the calendar (a learner's clock can say 9999-12-31)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def load(data: Any) -> Progress:
    """Progress from whatever the browser kept; never raises."""
    if not isinstance(data, dict):
        return Progress()
    if data.get("version") not in (None, VERSION):
        return Progress()  # a version from the future: keep the browser's data, start a fresh view
    words = {}
    raw_words = data.get("words")
    for name, raw in raw_words.items() if isinstance(raw_words, dict) else ():
        if isinstance(name, str) and "/" in name and isinstance(raw, dict):
            seen = _count(raw.get("seen"))
            words[name] = WordProgress(
                box=_count(raw.get("box"), 1, BOXES),
                due=_day(raw.get("due")),
                seen=seen,
                right=_count(raw.get("right"), 0, seen),
            )
    last_deck = data.get("last_deck")
    decks = {}
    raw_decks = data.get("decks")
    for deck_id, raw in list(raw_decks.items())[-MAX_DECKS:] if isinstance(raw_decks, dict) else ():
        if isinstance(deck_id, str) and isinstance(raw, dict) and isinstance(raw.get("title"), str):
            decks[deck_id[:MAX_DECK_ID]] = (raw["title"][:MAX_TITLE], _count(raw.get("cards"), 1, 10_000))
    return Progress(
        xp=_count(data.get("xp")),
        streak=_count(data.get("streak")),
        last_day=_day(data.get("last_day")),
        words=_at_most(words, decks),
        last_deck=last_deck[:MAX_DECK_ID] if isinstance(last_deck, str) else "",
        decks=decks,
    )


def _at_most(words: dict[str, WordProgress], decks: dict[str, tuple[str, int]]) -> dict[str, WordProgress]:
    """At most MAX_WORDS words: those of the decks played last kept first, in their own order."""
    if len(words) <= MAX_WORDS:
        return words
    newest_first = {deck_id: place for place, deck_id in enumerate(reversed(list(decks)))}
    ranked = sorted(words, key=lambda name: newest_first.get(name.split("/", 1)[0], len(newest_first)))
    kept = set(ranked[:MAX_WORDS])
    return {name: word for name, word in words.items() if name in kept}


def dump(progress: Progress) -> dict:
    return {
        "version": VERSION,
        "xp": progress.xp,
        "streak": progress.streak,
        "last_day": progress.last_day,
        "words": {k: {"box": w.box, "due": w.due, "seen": w.seen, "right": w.right} for k, w in progress.words.items()},
        "last_deck": progress.last_deck,
        "decks": {deck_id: {"title": title, "cards": cards} for deck_id, (title, cards) in progress.decks.items()},
    }


def record_answer(
    progress: Progress, deck_id: str, word: str, outcome: str, today: dt.date, xp: int = 0, hinted: bool = False
) -> Progress:
    """A word said right when due moves up a box; anything else sends it back to box 1, due today.
    Saying it right again before it is due (a "try again", its return later in the round) counts
    but does not move it further: a word climbs one box per day at most. Said right after a hint
    (heard, or its letters shown) it counts but does not climb either: the box says what the
    learner knows unaided. `xp`: what the answer earned (the round decides; see session.earned)."""
    name = key(deck_id, word)
    before = progress.words.get(name, WordProgress())
    right = outcome == Outcome.RIGHT.value
    due = not before.due or is_due(before, today)
    if right and hinted:  # kept where it is, and asked again at the next round while it was due
        box, next_due = max(1, before.box), today.isoformat() if due else before.due
    else:
        box = (min(before.box + 1, BOXES) if due else before.box) if right else 1
        next_due = _shift(today, INTERVAL_DAYS[box]).isoformat() if due or not right else before.due
    after = WordProgress(
        box=box,
        due=next_due,
        seen=before.seen + 1,
        right=before.right + (1 if right else 0),
    )
    return replace(progress, xp=progress.xp + max(0, xp), words={**progress.words, name: after})


def spend_xp(progress: Progress, amount: int) -> Progress:
    return replace(progress, xp=max(0, progress.xp - amount))


def finish_round(progress: Progress, today: dt.date) -> Progress:
    """The daily streak counts days in a row with at least one finished round."""
    last = _day(progress.last_day)
    if last == today.isoformat():
        return progress
    yesterday = _shift(today, -1).isoformat()  # on date.min that is today itself, which `last` is not
    streak = progress.streak + 1 if last == yesterday else 1
    return replace(progress, streak=streak, last_day=today.isoformat())


def current_streak(progress: Progress, today: dt.date) -> int:
    """The streak as the learner sees it today: it lasts until a whole day passes without play."""
    if progress.last_day in (today.isoformat(), _shift(today, -1).isoformat()):
        return progress.streak
    return 0


def is_due(word: WordProgress, today: dt.date) -> bool:
    """A due date further ahead than any interval sets, even with the learner's clock off both days (an
    edited value, a clock that was once years off), would keep the word from ever coming back: it is due now."""
    latest = _shift(today, max(INTERVAL_DAYS.values()) + 2 * CLOCK_SLACK_DAYS)
    return bool(word.due) and (word.due <= today.isoformat() or word.due > latest.isoformat())


def plan_round(
    progress: Progress, deck: Deck, length: int, today: dt.date, rng: random.Random, articles: bool = False
) -> list[int]:
    """Card indices for a round: due reviews first (lowest box first), then new words, then the rest."""
    due, new, rest = [], [], []
    for index in deck.playable(articles):
        word = progress.words.get(key(deck.id, deck.cards[index].word))
        if word is None:
            new.append(index)
        elif is_due(word, today):
            due.append((word.box, word.due, rng.random(), index))
        else:
            rest.append((word.due, rng.random(), index))
    rng.shuffle(new)
    ordered = [i for *_, i in sorted(due)] + new + [i for *_, i in sorted(rest)]
    chosen = ordered[: max(1, length)]
    rng.shuffle(chosen)  # reviews and new words mixed, not in blocks
    return chosen


def weakest(progress: Progress, deck: Deck, length: int, articles: bool = False) -> list[int]:
    """The deck's words the learner knows least (seen, lowest box, most misses first)."""
    seen = []
    for index in deck.playable(articles):
        word = progress.words.get(key(deck.id, deck.cards[index].word))
        if word is not None:
            seen.append((word.box, word.right - word.seen, index))
    return [i for *_, i in sorted(seen)][:length]


def mastery(progress: Progress, deck: Deck) -> float:
    """0–100: how far up the boxes the deck's words are (new words count as 0)."""
    if not deck.cards:
        return 0.0
    total = sum(progress.words.get(key(deck.id, c.word), WordProgress(box=0)).box for c in deck.cards)
    return 100.0 * total / (BOXES * len(deck.cards))


def mastery_table(progress: Progress, decks: Iterable[Deck]) -> list[dict]:
    """The built-in `decks`, then the other decks the learner played (a class's), newest last."""
    decks = list(decks)
    rows = [{"deck": d.title, "mastery": round(mastery(progress, d), 1)} for d in decks]
    built_in = {d.id for d in decks}
    for deck_id, (title, cards) in progress.decks.items():
        if deck_id not in built_in:
            boxes = sum(w.box for name, w in progress.words.items() if name.startswith(f"{deck_id}/"))
            rows.append({"deck": title, "mastery": round(min(100.0, 100.0 * boxes / (BOXES * cards)), 1)})
    return rows


def after_move(progress: Progress, before, after, today: dt.date) -> Progress:
    """Progress after one move of a round (`before` -> `after`, both `rounds.Round` or None):
    every new answer is scored, and a round that has just ended counts for the daily streak."""
    if after is None:
        return progress
    done = len(before.attempts) if before is not None and before.deck_id == after.deck_id else 0
    if after.attempts[done:]:  # the start screen opens on this deck next time, and charts it
        played = {k: v for k, v in progress.decks.items() if k != after.deck_id}
        played[after.deck_id] = (after.title or after.deck_id, len(after.cards))
        progress = replace(progress, last_deck=after.deck_id, decks=dict(list(played.items())[-MAX_DECKS:]))
    for attempt in after.attempts[done:]:
        word = after.cards[attempt.card].word
        progress = record_answer(progress, after.deck_id, word, attempt.outcome, today, attempt.xp, attempt.hints > 0)
    if after.over and not (before is not None and before.over):
        progress = finish_round(progress, today)
    return replace(progress, words=_at_most(progress.words, progress.decks))
