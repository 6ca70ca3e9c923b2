"""What teachers' sessions keep on the server's disk: an upload unpacked with its zip, the editor's
pictures and recordings.

All of it lives in this server's uploads folder (game/temporary.py's `own_folder`: gone with the
server, and after a kill -9 at the next start), under one budget for the whole server, and a
session's folder goes once it has gone unused for IDLE_S, on a timer of its own. Not when a
browser's heartbeat stops: a program through the API never opens one, and its files stayed until a
restart (three 45 MB uploads left 272 MB in here, and Gradio's copies of them beside).

"Unused" counts from the last event that handed the folder's upload or files to a handler
(game/ui/session_inputs.py calls `in_use` for every event), so a teacher editing for an hour loses
nothing. A folder removed meanwhile reads as none: the session goes on as if it had never made it.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from game.config import Settings
from game.decks.media import MB
from game.decks.problems import Phrase
from game.temporary import OWNER_FILE, REFRESH_S, age, own_folder, size

ROOT_PREFIX = "sagdet-uploads-"
IDLE_S = 3 * 3600  # a session's files unused this long are removed (a teacher back from lunch still has them)
# Every session's files together, with Gradio's own copies of what was uploaded (SAGDET_UPLOADS_MB).
BUDGET = Settings.uploads_mb * MB

log = logging.getLogger(__name__)
Kept = TypeVar("Kept", bound="SessionFolder")


class NoRoom(Exception):
    """The server's room for teachers' files is full; `why` says so in the teacher's words."""

    def __init__(self, budget: int):
        self.why = Phrase("server_full", most=budget // MB)
        super().__init__(self.why.text("en"))


class SessionFolder:
    """A session's value whose files are in a folder of the uploads folder: an upload, the editor's files."""

    folder: Path | None


def in_use(value: Kept | None) -> Kept | None:
    """`value` (any event input) marked used now when it has a session folder; None when that folder
    was removed for being unused: the session goes on without it."""
    if not isinstance(value, SessionFolder) or value.folder is None:
        return value
    try:
        os.utime(value.folder)
    except FileNotFoundError:
        return None
    return value


class SessionFiles:
    """This server's uploads folder: each session's folders in it, one budget for all, the unused removed.

    `also_counted`: bytes kept elsewhere that count against the same budget (Gradio's copies of the
    uploaded files, game/ui/session_inputs.py).
    """

    def __init__(self, root: Path, budget: int = BUDGET, idle: float = IDLE_S):
        self.root, self.budget, self.idle = Path(root), budget, idle
        self.also_counted: Callable[[], int] = lambda: 0
        self._lock = threading.Lock()
        self._reserved = 0  # bytes promised to files being written at this moment
        self._stop = threading.Event()
        self._timer: threading.Thread | None = None

    @classmethod
    def start(cls, budget: int = BUDGET, base: str | Path | None = None, every: float = REFRESH_S):
        """The server's uploads folder, removed at exit, swept every `every` seconds."""
        kept = cls(own_folder(ROOT_PREFIX, base), budget)
        atexit.register(kept.close)
        kept._timer = threading.Thread(target=kept._run, args=(every,), name="session-files", daemon=True)
        kept._timer.start()
        return kept

    def close(self) -> None:
        self._stop.set()
        if self._timer is not None:
            self._timer.join()
        shutil.rmtree(self.root, ignore_errors=True)
        log.info("uploads folder %s removed", self.root)

    def new_folder(self, prefix: str) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=prefix, dir=self.root))

    @contextmanager
    def room(self, needed: int) -> Iterator[None]:
        """Room for `needed` more bytes while the block writes them; NoRoom, with nothing written, when
        they would take the server past its budget."""
        with self._lock:
            if self.used() + self._reserved + needed > self.budget:
                log.warning("teachers' files: %d MB asked for, no room left in %d MB", needed // MB, self.budget // MB)
                raise NoRoom(self.budget)
            self._reserved += needed
        try:
            yield
        finally:
            with self._lock:
                self._reserved -= needed

    def used(self) -> int:
        return size(self.root) + self.also_counted()

    def sweep(self) -> list[Path]:
        """Remove the session folders unused for `idle` seconds; the ones removed."""
        removed = []
        for folder in self.root.iterdir() if self.root.is_dir() else ():
            if folder.name != OWNER_FILE and folder.is_dir() and age(folder) > self.idle:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        if removed:
            log.info("teachers' files: %d folders unused for %d hours removed", len(removed), self.idle // 3600)
        return removed

    def _run(self, every: float) -> None:
        while not self._stop.wait(every):
            try:
                self.sweep()
            except OSError:  # a folder that cannot be read: the next pass tries again
                log.exception("teachers' files: the uploads folder could not be swept")
