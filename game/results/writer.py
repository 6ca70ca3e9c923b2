"""Writes the class's answers to the database in the background, so storing them never slows an answer.

A learner's answer is put in a queue and the learner gets their verdict at once; one thread
takes what has gathered (up to `batch` answers) and stores it in one transaction. A database
that fails or is slow costs the learners nothing: the failure is logged and those answers are
lost, and while the queue is full new answers are dropped (and counted in the log) rather than
kept waiting. Answers older than the retention period are removed by game/results/retention.py.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Sequence

from game.results.answers import Answer
from game.results.store import ResultStore

log = logging.getLogger(__name__)

BATCH = 200  # answers in one transaction at most
WAITING_MOST = 20_000  # answers queued at most (a class of 30 gives about one a second)


class ResultWriter:
    def __init__(
        self,
        store: ResultStore,
        *,
        batch: int = BATCH,
        waiting_most: int = WAITING_MOST,
    ):
        self.store, self.batch = store, batch
        # Answers, flush() marks (an Event set once what came before it is written) and None (stop).
        self._queue: queue.Queue[tuple[str, Answer] | threading.Event | None] = queue.Queue(waiting_most)
        self._dropped = 0  # answers not queued: the queue was full
        self._written = self._failed = 0  # only the writer's thread changes these
        self._thread = threading.Thread(target=self._run, name="result-writer", daemon=True)
        self._thread.start()

    def add(self, code: str, answers: Sequence[Answer]) -> None:
        """Queue a learner's answers on the deck with this class code; never waits, never raises."""
        dropped = 0
        for answer in answers:
            try:
                self._queue.put_nowait((code, answer))
            except queue.Full:
                dropped += 1
        if dropped:
            self._dropped += dropped
            log.warning(
                "class results: the database is behind; %d answers not stored (%d in all)", dropped, self._dropped
            )

    def flush(self) -> None:
        """Wait until every answer queued before this call has been written (or has failed): a teacher
        reading the results on this replica sees every answer given on it so far."""
        if not self._thread.is_alive():
            return
        written = threading.Event()
        self._queue.put(written)
        written.wait()

    def close(self) -> None:
        """Write what is queued, then stop the thread."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
            log.info(
                "class results: the writer stopped with its queue written: %d answers stored since the start, "
                "%d not (the database failed or was behind)",
                self._written,
                self._failed + self._dropped,
            )

    def _run(self) -> None:
        stop = False
        while not stop:
            taken, flushes = [], []
            item = self._queue.get()
            while True:
                if item is None:
                    stop = True
                elif isinstance(item, threading.Event):
                    flushes.append(item)
                else:
                    taken.append(item)
                if stop or len(taken) >= self.batch:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            if taken:
                self._write(taken)
            for written in flushes:
                written.set()

    def _write(self, taken: list[tuple[str, Answer]]) -> None:
        try:
            self._written += self.store.record(taken)
        except Exception:  # whatever the database does, the learners' game goes on
            self._failed += len(taken)
            log.exception("class results: %d answers could not be stored", len(taken))
