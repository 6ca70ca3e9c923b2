"""The dynamic batcher: many threads at once, each gets its own result, a bad item fails only its caller."""

import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from game.speech.batcher import DynamicBatcher


class Model:
    """Doubles numbers; remembers its batches; refuses to run two at once; the first call can be held."""

    def __init__(self):
        self.batches: list[list] = []
        self.running = threading.Lock()
        self.hold = threading.Event()
        self.hold.set()

    def __call__(self, items):
        assert self.running.acquire(blocking=False), "two batches ran at once"
        try:
            self.hold.wait()
            self.batches.append(list(items))
            if any(item == "bad" for item in items):
                raise ValueError("bad item")
            return [item * 2 for item in items]
        finally:
            self.running.release()


def wait_until(condition, seconds=60.0):
    deadline = time.monotonic() + seconds  # generous: only a hang would reach it
    while not condition():
        assert time.monotonic() < deadline, "condition never became true"
        time.sleep(0.005)


def held_first_batch(model: Model, batcher: DynamicBatcher, pool: ThreadPoolExecutor):
    """Start one call and hold it in the model, so that what comes next queues up behind it."""
    model.hold.clear()
    first = pool.submit(batcher.submit, 1000)
    wait_until(lambda: model.running.locked())
    return first


def test_callers_at_the_same_moment_each_get_their_own_result():
    model = Model()
    batcher = DynamicBatcher(model, max_size=8)
    with ThreadPoolExecutor(16) as pool:
        first = held_first_batch(model, batcher, pool)
        futures = {n: pool.submit(batcher.submit, n) for n in range(15)}
        wait_until(lambda: batcher._queue.qsize() == 15)
        model.hold.set()
        assert first.result() == 2000
        assert {n: f.result() for n, f in futures.items()} == {n: 2 * n for n in range(15)}
    # 15 waiting callers, at most 8 a batch: heard in two model calls, not fifteen.
    assert [len(b) for b in model.batches] == [1, 8, 7]
    assert batcher.batch_sizes == {1: 1, 8: 1, 7: 1}


def test_a_bad_item_fails_only_its_own_caller():
    model = Model()
    batcher = DynamicBatcher(model, max_size=8)
    with ThreadPoolExecutor(8) as pool:
        first = held_first_batch(model, batcher, pool)
        futures = [pool.submit(batcher.submit, item) for item in (1, 2, "bad", 3)]
        wait_until(lambda: batcher._queue.qsize() == 4)
        model.hold.set()
        first.result()
        with pytest.raises(ValueError, match="bad item"):
            futures[2].result()
        assert [futures[i].result() for i in (0, 1, 3)] == [2, 4, 6]
    assert model.batches[1] == [1, 2, "bad", 3]  # tried together first, then one by one
    assert model.batches[2:] == [[1], [2], ["bad"], [3]]


def test_a_model_that_loses_results_fails_no_one_silently():
    batcher = DynamicBatcher(lambda items: [0] * (len(items) - 1), max_size=4)
    with pytest.raises(RuntimeError, match="batch of 1 gave 0 results"):
        batcher.submit(1)


def test_a_lone_caller_waits_only_briefly_for_company():
    model = Model()
    batcher = DynamicBatcher(model, max_size=8, max_wait_s=0.0)
    assert [batcher.submit(n) for n in range(3)] == [0, 2, 4]
    assert model.batches == [[0], [1], [2]]


def test_max_size_must_be_positive():
    with pytest.raises(ValueError):
        DynamicBatcher(lambda items: items, max_size=0)


TASKS = Path("/proc/self/task")


def _threads() -> set[int]:
    return {int(task.name) for task in TASKS.iterdir()}


def _nice_of(thread_id: int) -> int:
    # /proc/self/task/TID/stat: the 19th field is the nice value (the name in brackets may hold spaces).
    return int((TASKS / str(thread_id) / "stat").read_text().rsplit(")", 1)[1].split()[16])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own priority is Linux's")
def test_batches_and_the_torch_threads_they_start_run_nicer_than_the_callers():
    """While the model hears a clip on every core, the page's typed answers get a core first."""
    import torch

    def run(items):
        before = _threads()
        torch.set_num_threads(2)
        torch.ones(512, 512) @ torch.ones(512, 512)  # starts torch's worker threads from this thread
        workers = sorted(_nice_of(t) for t in _threads() - before)
        return [(_nice_of(threading.get_native_id()), workers)] * len(items)

    mine, threads = _nice_of(threading.get_native_id()), torch.get_num_threads()
    try:
        batch_nice, torch_workers = DynamicBatcher(run, max_size=8, nice=5).submit("clip")
    finally:
        torch.set_num_threads(threads)  # as the rest of the test run had it
    assert batch_nice == mine + 5
    assert torch_workers and set(torch_workers) == {mine + 5}
    assert _nice_of(threading.get_native_id()) == mine  # the caller is left as it was
    assert (
        DynamicBatcher(lambda items: [_nice_of(threading.get_native_id())] * len(items), max_size=8).submit("x") == mine
    )
