"""One round of the game, as immutable values: every move returns a new Round.

A round shows `length` words. A word that was not said right comes back once, a few cards
later, so the learner meets it again while it is fresh; right after a miss the learner may
also try the card on screen again, a couple of times. A word said right is done: it does not
come back, and it counts once in the score however many tries it took.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from game.decks.deck import Card, Deck
from game.round.judge import Outcome, Verdict

ROUND_LENGTH = 10
RETRY_GAP = 3  # other cards shown before a missed one comes back
MAX_RETRIES = 1  # a word the learner cannot say yet must not block the round
MAX_TRIES = 3  # answers to one card on screen: the first and two "try again"
SKIPPED = "skipped"
# XP rewards learning: most for a word said right at its first try without help; a word said
# right later (after "try again", on its return, or after a hint) earns half. Close at the first
# try earns a little. A miss or a skip earns nothing, so failing can never pay more than knowing:
# the most one word can earn in a round is XP_FIRST_TRY (XP_ALMOST + XP_HELPED is less).
XP_FIRST_TRY = 10
XP_HELPED = 5
XP_ALMOST = 2


@dataclass(frozen=True)
class Attempt:
    card: int  # index into Round.cards
    outcome: str  # an Outcome value or SKIPPED
    heard: str = ""
    again: bool = False  # a "try again" at the card on screen, not a new turn
    hints: int = 0  # hints taken on the card before this answer
    xp: int = 0  # what the answer earned
    spoken: bool = False  # said into the microphone, not typed


@dataclass(frozen=True)
class Round:
    deck_id: str
    cards: tuple[Card, ...]
    queue: tuple[int, ...]  # cards still to play; the first is on screen
    attempts: tuple[Attempt, ...] = ()
    streak: int = 0
    best_streak: int = 0
    answered: bool = False  # the card on screen has its verdict; waiting for "next"
    tries: int = 0  # answers given to the card on screen
    hints: tuple[str, ...] = ()  # hints taken for the card on screen
    articles: bool = False  # article mode: the learner says "en hund", the article is judged too
    title: str = ""  # the deck's, for the learner's own chart of the decks they played

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

    @property
    def score(self) -> int:
        """Words said right: each once, however many tries it took."""
        return len({a.card for a in self.attempts if a.outcome == Outcome.RIGHT.value})

    @property
    def words_total(self) -> int:
        """The round's words; a word that comes back is the same word, so this never grows."""
        return len(set(self.queue) | {a.card for a in self.attempts})

    @property
    def word_number(self) -> int:
        """1-based: how many of the round's words the learner has met, the one on screen included.
        A returning word does not move it on (it is shown apart: `is_retry`)."""
        met = {a.card for a in self.attempts}
        return len(met | {self.queue[0]}) if self.queue else len(met)

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
    return Round(deck_id=deck.id, cards=deck.cards, queue=tuple(order), articles=articles, title=deck.title)


def answer(game: Round, verdict: Verdict, spoken: bool = False) -> Round:
    """Record the verdict for the card on screen."""
    return _record(game, verdict.outcome.value, verdict.heard, spoken)


def skip(game: Round) -> Round:
    """Give up on the card on screen: it counts as missed and comes back once. Like an answer, it
    waits for "next", so the learner reads which word it was beside its picture."""
    return _record(game, SKIPPED, "")


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


def _record(game: Round, outcome: str, heard: str, spoken: bool = False) -> Round:
    if game.over or game.answered:
        return game
    card, later = game.queue[0], game.queue[1:]
    right = outcome == Outcome.RIGHT.value
    tried_before = sum(1 for a in game.attempts if a.card == card)
    if right:  # done: a return planned after an earlier miss is dropped
        later = tuple(c for c in later if c != card)
    elif tried_before < MAX_RETRIES:
        at = min(RETRY_GAP, len(later))
        later = (*later[:at], card, *later[at:])
    streak = game.streak + 1 if right else 0
    attempt = Attempt(
        card,
        outcome,
        heard,
        again=game.tries > 0,
        hints=len(game.hints),
        xp=earned(outcome, tried_before, game.hints),
        spoken=spoken,
    )
    return replace(
        game,
        queue=(card, *later),
        attempts=(*game.attempts, attempt),
        streak=streak,
        best_streak=max(game.best_streak, streak),
        answered=True,
        tries=game.tries + 1,
    )


def earned(outcome: str, tried_before: int, hints: tuple[str, ...]) -> int:
    """XP for an answer, given the word's earlier tries in the round and the hints taken on it."""
    first_unaided = tried_before == 0 and not hints
    if outcome == Outcome.RIGHT.value:
        return XP_FIRST_TRY if first_unaided else XP_HELPED
    return XP_ALMOST if outcome == Outcome.ALMOST.value and first_unaided else 0


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
