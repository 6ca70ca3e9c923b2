"""Removes the class's answers once they are older than the retention period (SAGDET_RESULTS_DAYS),
on a timer of its own: at the start, then hourly, whatever the setting and whether or not anyone
answers. With 0 days, answers kept under an earlier setting go at the start."""

from __future__ import annotations

import logging
import threading

from game.results.store import ResultStore

log = logging.getLogger(__name__)

EVERY_S = 3600.0  # an answer outlives its period by at most this


class Retention:
    def __init__(self, store: ResultStore, every: float = EVERY_S):
        self.store, self.every = store, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="results-retention", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        delay = 0.0  # the first pass at once
        while not self._stop.wait(delay):
            delay = self.every
            try:
                removed = self.store.forget_old()
            except Exception:  # a database that is down: the next pass tries again
                log.exception("class results: answers past their %d days could not be removed", self.store.days)
                continue
            if removed:
                log.info("class results: %d answers older than %d days removed", removed, self.store.days)
