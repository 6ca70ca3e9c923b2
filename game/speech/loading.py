"""A speech model loaded on a thread so the page is served at once, and its state for the page."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from game.speech.model import Transcriber
from game.speech.source import ModelLoadError, one_line
from game.texts import DEFAULT as DEFAULT_LANGUAGE
from game.texts import say

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelStatus:
    state: str  # "loading", "ready" or "failed"
    message: str  # for the learner, in plain words
    why: str = ""  # failed: the reason in plain words, for whoever runs the game
    detail: str = ""  # failed: the technical message, in full
    recovers: bool = False  # not ready, but may be without a restart (an engine that comes back)
    reason: str = ""  # failed: why, as one word for programs (GET /health), the key of `why` in game.texts


class BackgroundModel:
    """Loads a Transcriber on a thread so the page is served at once."""

    def __init__(self, name: str, loader: Callable[[str], Transcriber] = Transcriber.load):
        self.name = name
        self._loader = loader
        self._transcriber: Transcriber | None = None
        self._error: ModelLoadError | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._load, name="model-loader", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        try:
            self._transcriber = self._loader(self.name)
            window = self._transcriber.window
            log.info("speech model %s loaded; it hears %g s of audio at a time", self.name, window)
        except ModelLoadError as exc:
            log.error("could not load speech model %s: %s", self.name, exc.detail)
            self._error = exc
        except Exception as exc:  # any failure must reach the page, not kill the app
            log.exception("could not load speech model %s", self.name)
            self._error = ModelLoadError("unreadable", self.name, one_line(exc))
        finally:
            self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    @property
    def transcriber(self) -> Transcriber | None:
        return self._transcriber

    def status(self, lang: str = DEFAULT_LANGUAGE) -> ModelStatus:
        if not self._done.is_set():
            return ModelStatus("loading", say(lang, "model_loading", name=self.name))
        if self._transcriber is None:
            why = say(lang, f"why_{self._error.reason}", name=self.name)
            return ModelStatus("failed", say(lang, "model_failed"), why, self._error.detail, reason=self._error.reason)
        # A learner needs the model's name, not the folder it sits in.
        window = f"{self._transcriber.window:g}"
        return ModelStatus("ready", say(lang, "model_ready", name=Path(self.name).name, window=window))
