"""Where a learner's recording is heard: one small interface, two implementations.

`Listener` (game/speech/listener.py) runs the Whisper checkpoint in this process and hears clips
that arrive together in one model call; `EngineListener` (game/speech/engine.py) sends each clip
to a transcription engine that speaks OpenAI's audio API (vLLM, on the machine where the cores
are), which batches by itself. Both take the same prepared clip (game/speech/audio.py) and the
same answers, and both say in plain words whether speech is ready.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import numpy as np

from game.decks.deck import MAX_ANSWER_CHARS
from game.speech.loading import ModelStatus
from game.texts import DEFAULT


class ModelUnavailable(RuntimeError):
    """Speech cannot be heard just now: the model is loading or failed, or the engine did not answer.
    Only the sender is told; `Hearing.status` says why, in words."""


class Hearing(Protocol):
    def hear(
        self, recording: tuple[int, np.ndarray] | None, extra_answers: Iterable[str] = (), wait: float = 0.0
    ) -> str:
        """The transcript of one recording, bounded by the answers the game can expect (the decks'
        and `extra_answers`). Raises NothingHeard or ModelUnavailable; waits up to `wait` s for
        speech that is still getting ready."""
        ...

    def status(self, lang: str = DEFAULT) -> ModelStatus: ...


def bounded_answers(answers: Iterable[str]) -> tuple[str, ...]:
    """A caller's answers that may widen the transcript's bound: one longer than a deck may hold
    does not, so a caller's 10,000-character "word" cannot buy minutes of decoding."""
    return tuple(a for a in answers if len(a) <= MAX_ANSWER_CHARS)
