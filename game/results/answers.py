"""A learner's answers on a shared deck, as the class's results keep them. No Gradio here.

For each answer on a shared deck the server keeps the deck's code, the learner's nickname (or
an anonymous id that stays in their browser), the word, the outcome, which try it was, the hints
taken, whether it was spoken or typed, and what was heard or typed — nothing else: no audio, no
address. A learner's nickname is theirs to choose; nothing ties it to a person.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from game.round.rounds import Round

NICKNAME_CHARS = 30
ANONYMOUS_ID = re.compile(r"^[0-9a-f]{16}$")


@dataclass(frozen=True)
class Player:
    """Who plays a round of a shared deck, for its results: set when the round starts."""

    code: str  # the shared deck's class code (its deck id)
    learner: str  # the nickname, or the browser's anonymous id
    named: bool  # a nickname the learner gave, not an anonymous id
    round: str  # this round's own random id: the teacher sees how many rounds a learner played


@dataclass(frozen=True)
class Answer:
    learner: str
    named: bool
    round: str
    word: str
    outcome: str  # right / almost / wrong / skipped
    try_number: int  # 1 for the word's first answer in the round; a "try again" or its return counts on
    hints: int
    spoken: bool
    heard: str  # the transcript, or what was typed; "" for a skip
    at: datetime  # UTC


def clean_nickname(text: object) -> str:
    """The nickname as kept: printable characters only, spaces collapsed, at most NICKNAME_CHARS."""
    printable = "".join(c for c in str(text or "") if unicodedata.category(c)[0] != "C")
    return " ".join(printable.split())[:NICKNAME_CHARS].strip()


def anonymous_id(stored: object) -> str:
    """The browser's anonymous id when it is one this server made, else a new one (16 hex digits)."""
    return stored if isinstance(stored, str) and ANONYMOUS_ID.match(stored) else secrets.token_hex(8)


def player(code: str, nickname: object, browser_id: str) -> Player:
    name = clean_nickname(nickname)
    return Player(code=code, learner=name or browser_id, named=bool(name), round=secrets.token_hex(8))


def answers_of_move(before: Round | None, after: Round, who: Player, spoken: bool, now: datetime) -> list[Answer]:
    """The answers a move added to the round (none for a hint or "next"), as the results keep them."""
    done = len(before.attempts) if before is not None and before.deck_id == after.deck_id else 0
    answers = []
    for index in range(done, len(after.attempts)):
        attempt = after.attempts[index]
        tries = sum(1 for earlier in after.attempts[: index + 1] if earlier.card == attempt.card)
        answers.append(
            Answer(
                learner=who.learner,
                named=who.named,
                round=who.round,
                word=after.cards[attempt.card].word,
                outcome=attempt.outcome,
                try_number=tries,
                hints=attempt.hints,
                spoken=spoken and bool(attempt.heard),
                heard=attempt.heard,
                at=now,
            )
        )
    return answers
