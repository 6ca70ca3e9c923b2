"""One round of the game, as immutable values: every move returns a new Round.

A round shows `length` cards. A card that was not said right comes back once,
a few cards later, so the learner meets it again while it is fresh; right after a miss
the learner may also try the card on screen again, a couple of times.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from game.deck import Card, Deck
from game.scoring import Outcome, Verdict

ROUND_LENGTH = 10
RETRY_GAP = 3  # other cards shown before a missed one comes back
MAX_RETRIES = 1  # a word the learner cannot say yet must not block the round
MAX_TRIES = 3  # answers to one card on screen: the first and two "try again"
SKIPPED = "skipped"


@dataclass(frozen=True)
class Attempt:
    card: int  # index into Round.cards
    outcome: str  # an Outcome value or SKIPPED
    heard: str = ""
    again: bool = False  # a "try again" at the card on screen, not a new turn


@dataclass(frozen=True)
class Round:
    deck_id: str
    cards: tuple[Card, ...]
    queue: tuple[int, ...]  # cards still to play; the first is on screen
    attempts: tuple[Attempt, ...] = ()
    score: int = 0
    streak: int = 0
    best_streak: int = 0
    answered: bool = False  # the card on screen has its verdict; waiting for "next"
    tries: int = 0  # answers given to the card on screen
    hints: tuple[str, ...] = ()  # hints taken for the card on screen
    articles: bool = False  # article mode: the learner says "en hund", the article is judged too

    @property
    def over(self) -> bool:
        return not self.queue

    @property
    def current(self) -> Card | None:
        return self.cards[self.queue[0]] if self.queue else None

    @property
    def is_retry(self) -> bool:
        earlier = self.attempts[: len(self.attempts) - self.tries]
        return bool(self.queue) and any(a.card == self.queue[0] for a in earlier)

    @property
    def can_try_again(self) -> bool:
        return (
            self.answered
            and self.tries < MAX_TRIES
            and self.last is not None
            and self.last.outcome not in (Outcome.RIGHT.value, SKIPPED)
        )

    def _shown_before(self) -> int:
        turns = sum(1 for a in self.attempts if not a.again)
        return turns - (1 if self.tries else 0)

    @property
    def turn(self) -> int:
        """1-based number of the card on screen among all turns of the round."""
        return self._shown_before() + 1

    @property
    def total_turns(self) -> int:
        """Turns in the round so far known: grows by one when a missed word is queued again."""
        return self._shown_before() + len(self.queue)

    @property
    def last(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None


def start_round(
    deck: Deck,
    length: int = ROUND_LENGTH,
    rng: random.Random | None = None,
    order: list[int] | None = None,
    articles: bool = False,
) -> Round:
    """A round of `length` cards: in `order` (e.g. planned by spaced repetition), or drawn at random.
    In article mode only cards that have an article are drawn."""
    if not deck.cards:
        raise ValueError(f"deck {deck.id!r} has no cards")
    if order is None:
        rng = rng or random.Random()
        pool = deck.playable(articles)
        order = rng.sample(pool, min(max(1, int(length)), len(pool)))
    if not order:
        raise ValueError("a round needs at least one card" + (" with an article" if articles else ""))
    return Round(deck_id=deck.id, cards=deck.cards, queue=tuple(order), articles=articles)


def answer(game: Round, verdict: Verdict) -> Round:
    """Record the verdict for the card on screen."""
    return _record(game, verdict.outcome.value, verdict.heard)


def skip(game: Round) -> Round:
    """Move past the card on screen; it counts as missed and comes back once."""
    game = _record(game, SKIPPED, "")
    return next_card(game)


def next_card(game: Round) -> Round:
    if not game.answered:
        return game
    return replace(game, queue=game.queue[1:], answered=False, tries=0, hints=())


def try_again(game: Round) -> Round:
    """After a miss, answer the same card once more before moving on (it still comes back later)."""
    return replace(game, answered=False) if game.can_try_again else game


def take_hint(game: Round, hint: str) -> Round:
    if game.over or game.answered or hint in game.hints:
        return game
    return replace(game, hints=(*game.hints, hint))


def _record(game: Round, outcome: str, heard: str) -> Round:
    if game.over or game.answered:
        return game
    card = game.queue[0]
    right = outcome == Outcome.RIGHT.value
    queue = game.queue
    missed_before = sum(1 for a in game.attempts if a.card == card)
    if not right and missed_before < MAX_RETRIES:
        at = min(1 + RETRY_GAP, len(queue))
        queue = (*queue[:at], card, *queue[at:])
    streak = game.streak + 1 if right else 0
    return replace(
        game,
        queue=queue,
        attempts=(*game.attempts, Attempt(card, outcome, heard, again=game.tries > 0)),
        score=game.score + (1 if right else 0),
        streak=streak,
        best_streak=max(game.best_streak, streak),
        answered=True,
        tries=game.tries + 1,
    )


@dataclass(frozen=True)
class WordReport:
    card: Card
    outcomes: tuple[str, ...]  # in the order they happened

    @property
    def learned(self) -> bool:
        return Outcome.RIGHT.value in self.outcomes


@dataclass(frozen=True)
class Summary:
    score: int
    cards: int
    best_streak: int
    words: tuple[WordReport, ...]


def summary(game: Round) -> Summary:
    order: list[int] = []
    outcomes: dict[int, list[str]] = {}
    for attempt in game.attempts:
        if attempt.card not in outcomes:
            order.append(attempt.card)
            outcomes[attempt.card] = []
        outcomes[attempt.card].append(attempt.outcome)
    words = tuple(WordReport(game.cards[i], tuple(outcomes[i])) for i in order)
    return Summary(score=game.score, cards=len(order), best_streak=game.best_streak, words=words)
