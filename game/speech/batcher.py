"""Many callers, one model call: a small dynamic batcher.

Learners in a class stop recording within moments of each other. Whisper hears eight clips in
one call for much less than eight calls, but Gradio's own `batch=True` cannot be used for the
game: it builds one call from the first event of the batch, session state included, so every
learner would be judged against the first learner's card. Batching here instead, below the
session, keeps each learner's state in their own event; each caller waits for its own result.

The idea of Triton's dynamic batching and Ray Serve's `@serve.batch`: the first request waits
briefly for company, a batch is capped in size, one batch runs at a time (the model already
uses every core), and what arrives while a batch runs forms the next one.

The batches run at a lower CPU priority than the page (`nice`): while the model hears a clip on
every core, a typed answer or a move to the next card still gets a core at once, instead of
waiting its turn behind a second of arithmetic.
"""

from __future__ import annotations

import logging
import os
import queue
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

Item = TypeVar("Item")
Result = TypeVar("Result")


def lower_priority(steps: int) -> None:
    """Make the calling thread `steps` nicer, and with it the threads it starts from now on (torch's
    workers for its arithmetic inherit it). Linux only, where a thread's priority is its own; a
    refusal is logged and changes nothing."""
    if steps <= 0 or not sys.platform.startswith("linux"):
        return
    thread = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, thread, os.getpriority(os.PRIO_PROCESS, thread) + steps)
    except OSError as exc:
        log.warning("could not lower the priority of the %s thread: %s", threading.current_thread().name, exc)


class DynamicBatcher(Generic[Item, Result]):
    """`submit(item)` from any thread returns `run([...items])[i]` for its own item.

    `run` takes a list of items and returns one result per item, in order. When a batch fails,
    its items are run one by one, so a bad item fails only its own caller. `nice`: how much lower
    than the caller's the priority of the batches is (0: the same).
    """

    def __init__(
        self,
        run: Callable[[list[Item]], Sequence[Result]],
        max_size: int,
        max_wait_s: float = 0.01,
        name: str = "batcher",
        nice: int = 0,
    ):
        if max_size < 1:
            raise ValueError("max_size must be at least 1")
        self._run = run
        self.max_size = max_size
        self.max_wait_s = max_wait_s
        self.nice = nice
        self._queue: queue.SimpleQueue[tuple[Item, Future]] = queue.SimpleQueue()
        self._worker = threading.Thread(target=self._serve, name=name, daemon=True)
        self._start = threading.Lock()
        self.batch_sizes: Counter[int] = Counter()  # how many batches of each size ran: for tests and logs

    def submit(self, item: Item) -> Result:
        """Block until this item's result is ready; its own exception is raised here."""
        future: Future = Future()
        self._queue.put((item, future))
        with self._start:
            if not self._worker.is_alive():
                self._worker.start()
        return future.result()

    def _collect(self) -> list[tuple[Item, Future]]:
        batch = [self._queue.get()]
        deadline = time.monotonic() + self.max_wait_s
        while len(batch) < self.max_size:
            try:  # what is already waiting joins at once; otherwise wait out the short deadline
                batch.append(self._queue.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                break
        return batch

    def _serve(self) -> None:
        lower_priority(self.nice)
        while True:
            self._run_batch(self._collect())

    def _run_batch(self, batch: list[tuple[Item, Future]]) -> None:
        self.batch_sizes[len(batch)] += 1
        try:
            results = list(self._run([item for item, _ in batch]))
            if len(results) != len(batch):
                raise RuntimeError(f"batch of {len(batch)} gave {len(results)} results")
        except Exception as exc:
            if len(batch) == 1:
                batch[0][1].set_exception(exc)
                return
            log.warning("a batch of %d failed (%s); running its items one by one", len(batch), exc)
            for entry in batch:
                self._run_batch([entry])
            return
        for (_, future), result in zip(batch, results):
            future.set_result(result)
