"""What the classroom's board shows while a class plays a shared deck: how many learners have
joined, the words the class finds hardest so far and what it answered instead of them. Pure
functions over the answers kept (game/results/answers.py): no database, no Gradio.

A learner has joined once they have answered: the results keep answers, not visits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from game.results import figures
from game.results.answers import Answer

HARDEST_SHOWN = 5  # what a room can read off a board at once
INSTEAD_SHOWN = 3  # answers instead of a word, most often first


@dataclass(frozen=True)
class HardWord:
    word: str
    first_try_percent: int
    first_tries: int
    instead: tuple[figures.Instead, ...]  # most often first; spoken and typed apart


@dataclass(frozen=True)
class ClassNow:
    learners: int  # different learners who answered
    answers: int
    nicknames: tuple[str, ...]  # the nicknames given, alphabetically; shown only when the teacher asks
    hardest: tuple[HardWord, ...]


def class_now(answers: Iterable[Answer], words: Collection[str] | None = None, shown: int = HARDEST_SHOWN) -> ClassNow:
    """The board's figures. `words`: the deck's cards now (a word renamed since is no longer asked);
    the hardest words are those missed at a first try, the lowest first-try rate first."""
    answers = list(answers)
    current = figures.in_deck(answers, words)
    instead = figures.heard_instead(current)
    missed = [r for r in figures.by_word(current) if r.first_try_percent is not None and r.first_try_percent < 100]
    return ClassNow(
        learners=len({(a.learner, a.named) for a in answers}),
        answers=len(answers),
        nicknames=tuple(sorted({a.learner for a in answers if a.named}, key=str.casefold)),
        hardest=tuple(
            HardWord(r.word, r.first_try_percent, r.first_tries, tuple(instead.get(r.word, ())[:INSTEAD_SHOWN]))
            for r in missed[:shown]
        ),
    )


def as_json(now: ClassNow, names: bool = False) -> dict:
    """The figures as plain JSON values; the learners' nicknames only when `names` is asked for."""
    return {
        "learners": now.learners,
        "answers": now.answers,
        "hardest": [
            {
                "word": w.word,
                "first_try_percent": w.first_try_percent,
                "first_tries": w.first_tries,
                "instead": [{"answer": i.text, "times": i.times, "typed": i.typed} for i in w.instead],
            }
            for w in now.hardest
        ],
    } | ({"nicknames": list(now.nicknames)} if names else {})
