"""Lines a test worker (pytest-xdist) says while a test runs, printed by the main process.

A worker has no terminal of its own, so a long fixture there (the tiny model's training) would
look like a hang. `say_during_tests` gives a fixture a `say(line)` that prints past pytest's
capture in one process, and in a worker appends to a file the main process named for this run;
the main process prints that file's new lines as they come.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from pathlib import Path

import pytest

KEY = "sagdet_worker_lines"


@contextlib.contextmanager
def say_during_tests(request):
    workerinput = getattr(request.config, "workerinput", None)
    if workerinput is not None and KEY in workerinput:
        with open(workerinput[KEY], "a") as out:

            def say(line: str) -> None:
                out.write(line + "\n")
                out.flush()

            yield say
        return
    capture = request.config.pluginmanager.getplugin("capturemanager")
    terminal = request.config.pluginmanager.getplugin("terminalreporter")

    def say(line: str) -> None:
        with capture.global_and_fixture_disabled():
            terminal.write_line(line) if terminal else print(line, flush=True)

    yield say


class Relay:
    """In the main process: print the lines workers append to one file, every second."""

    def __init__(self, terminal):
        handle, name = tempfile.mkstemp(prefix="sagdet-worker-lines-", suffix=".txt")
        os.close(handle)
        self.path, self.terminal = Path(name), terminal
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, name="worker-lines", daemon=True)
        self.thread.start()

    def run(self) -> None:
        partial = ""  # a line a worker is still writing
        with open(self.path) as lines:
            while True:
                stopping = self.stop.wait(1.0)
                partial += lines.read()
                *whole, partial = partial.split("\n")
                for line in whole:
                    self.write_line(line)
                if stopping:
                    return

    def write_line(self, line: str) -> None:
        if self.terminal._tw.width_of_current_line:  # xdist's dots: a line of its own, not after them
            self.terminal._tw.line()
        self.terminal.write_line(line)

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.path.unlink(missing_ok=True)


RELAY = pytest.StashKey[Relay]()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """pytest-xdist's hook, called in the main process for each worker: where to write."""
    config = node.config
    if RELAY not in config.stash:
        config.stash[RELAY] = Relay(config.pluginmanager.getplugin("terminalreporter"))
    node.workerinput[KEY] = str(config.stash[RELAY].path)


def pytest_sessionfinish(session):
    """Before the summary, so that the workers' last lines come before it."""
    if RELAY in session.config.stash:
        session.config.stash[RELAY].close()
