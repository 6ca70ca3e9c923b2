"""The class's speech heard in this process: each learner's recording heard within the decks' token
budget, the clips of learners who answer at once in one model call."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from game.speech.audio import prepare_audio
from game.speech.batcher import DynamicBatcher
from game.speech.hearing import ModelUnavailable, bounded_answers
from game.speech.loading import BackgroundModel, ModelStatus
from game.speech.model import Transcriber
from game.texts import DEFAULT

# Recordings heard in one model call when several learners answer at once. One call at a
# time: the model already uses every core, and a batch costs less than its parts.
SPEECH_BATCH = 8


class Listener:
    """Recording in, transcript out, within the token budget of the answers the game can expect
    (game.speech.hearing.Hearing, in this process).

    Each caller's recording is read and checked in the caller's own thread, so a bad one fails
    only its sender; the clips of learners who answer at the same moment are then heard in one
    model call (see game.speech.batcher), and each caller gets its own transcript back.
    """

    def __init__(
        self,
        model: BackgroundModel,
        answers: Iterable[str],
        max_batch: int = SPEECH_BATCH,
        max_wait_s: float = 0.01,
        nice: int = 0,
    ):
        self.model = model
        self._answers = tuple(answers)
        self._deck_budget: int | None = None
        self.batcher = DynamicBatcher(self._transcribe, max_batch, max_wait_s, name="speech", nice=nice)

    def hear(
        self, recording: tuple[int, np.ndarray] | None, extra_answers: Iterable[str] = (), wait: float = 0.0
    ) -> str:
        """Transcribe one recording; raises NothingHeard or ModelUnavailable. Waits up to `wait` s
        for a model that is still loading."""
        samples = prepare_audio(recording)
        self.model.wait(wait)
        if self.model.transcriber is None:
            raise ModelUnavailable(self.model.status().message)
        return self.batcher.submit((samples, bounded_answers(extra_answers)))

    def status(self, lang: str = DEFAULT) -> ModelStatus:
        return self.model.status(lang)

    def _budget(self, transcriber: Transcriber, extra: tuple[str, ...]) -> int:
        # Only the batcher's thread tokenizes: a fast tokenizer is not safe to call from many threads.
        # The decks' budget is kept; a caller's few words are cheap to count, and keeping them would
        # let API callers grow the server's memory word by word.
        if self._deck_budget is None:
            self._deck_budget = transcriber.token_budget(self._answers)
        return max(self._deck_budget, transcriber.token_budget(extra)) if extra else self._deck_budget

    def _transcribe(self, items: list[tuple[np.ndarray, tuple[str, ...]]]) -> list[str]:
        transcriber = self.model.transcriber
        budget = max(self._budget(transcriber, extra) for _, extra in items)
        return transcriber.transcribe_batch([samples for samples, _ in items], max_new_tokens=budget)
