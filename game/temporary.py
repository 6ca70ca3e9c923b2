"""The game's folders in the temporary folder, and what a killed server left of them.

A server stopped gently removes its temporary folders itself (exit handlers, game/shutdown.py);
one killed outright (kill -9, a power cut, a container stopped hard) cannot, so the next server to
start removes what an earlier one left. Several replicas may share the machine and its temporary
folder, so only what is provably the game's own and unused goes:

- a folder kept for a server's whole life (the uploads folder, the picture cache; `own_folder`)
  holds an owner file naming its host and process, which the server refreshes while it runs
  (`refresh`). It goes when its process is gone (on this host), or when its owner has not
  refreshed it for OWNER_SILENT_S (a server in another container, whose process cannot be asked);
- a folder made for the seconds a task takes (a publish being checked, a deck being drafted, a
  word being spoken; `task_folder`) goes once LEFTOVER_AFTER_S old: another replica may be using
  a younger one at this moment.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

OWNER_FILE = "server.pid"  # "HOST PID"; a bare PID, as servers wrote before, names this host
REFRESH_S = 600  # how often a running server refreshes its folders' owner files (a timer of its own)
OWNER_SILENT_S = 6 * 3600  # an owner file not refreshed for this long: its server is gone, wherever it ran
UNCLAIMED_S = 24 * 3600  # a folder with no owner file yet (a server starting this very moment) or an old one
LEFTOVER_AFTER_S = 3600  # a task's folder this old is a killed server's: the task takes seconds
TASK_PREFIX = "sagdet-task-"

_made_here: set[Path] = set()  # folders this process made, which a pid equal to ours does not make stale
_refresher: list[threading.Thread] = []  # the one thread refreshing their owner files, once started


def own_folder(prefix: str, base: str | Path | None = None) -> Path:
    """A new folder for this server's life, in `base` (the temporary folder by default), with its
    owner file; folders of the same kind that earlier servers left are removed first."""
    base = Path(base if base is not None else tempfile.gettempdir()).absolute()  # as glob() names them
    for old in base.glob(f"{prefix}*"):
        if abandoned(old):
            shutil.rmtree(old, ignore_errors=True)
            log.info("removed %s, left by a server that is gone", old)
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=base))
    (folder / OWNER_FILE).write_text(f"{socket.gethostname()} {os.getpid()}", encoding="ascii")
    _made_here.add(folder)
    if not _refresher:
        _refresher.append(threading.Thread(target=_refresh_mine, name="own-folders", daemon=True))
        _refresher[0].start()
    return folder


def _refresh_mine() -> None:
    while True:
        time.sleep(REFRESH_S)
        for folder in list(_made_here):
            refresh(folder)


def refresh(folder: Path) -> None:
    """Say that this folder's server still runs (its owner file's time)."""
    with contextlib.suppress(OSError):  # removed by hand: nothing to say it for
        os.utime(folder / OWNER_FILE)


def abandoned(folder: Path) -> bool:
    """Whether `folder`, one of `own_folder`'s, belongs to a server that no longer runs."""
    if folder.is_symlink() or not folder.is_dir() or folder in _made_here:
        return False
    owner = folder / OWNER_FILE
    try:
        words = owner.read_text(encoding="ascii").split()
        silent = time.time() - owner.stat().st_mtime
        host, pid = (words[0], int(words[1])) if len(words) == 2 else (socket.gethostname(), int(words[0]))
        if pid <= 0:  # os.kill would signal a whole process group
            raise ValueError(pid)
    except (FileNotFoundError, ValueError, IndexError):
        return age(folder) > UNCLAIMED_S
    except OSError:  # unreadable: another user's, leave it alone
        return False
    if len(words) == 2 and silent > OWNER_SILENT_S:  # (a bare pid's server never refreshed it)
        return True
    if host != socket.gethostname():  # another container's: its process cannot be asked
        return False
    if pid == os.getpid():  # not made here, so an earlier server's (containers reuse small pids)
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # running, as another user
        return False
    return False


def task_folder(kind: str) -> tempfile.TemporaryDirectory:
    """A folder for one task (a publish being checked, a draft written, a word spoken), gone when it
    ends; named so that the next server removes it if this one is killed meanwhile."""
    return tempfile.TemporaryDirectory(prefix=f"{TASK_PREFIX}{kind}-")


def remove_leftovers(base: str | Path | None = None) -> None:
    """Folders of tasks a killed server never finished (`task_folder`), once LEFTOVER_AFTER_S old."""
    base = Path(base if base is not None else tempfile.gettempdir())
    for folder in base.glob(f"{TASK_PREFIX}*"):
        if folder.is_dir() and not folder.is_symlink() and age(folder) > LEFTOVER_AFTER_S:
            shutil.rmtree(folder, ignore_errors=True)
            log.info("removed %s, left by a task that never finished", folder)


def age(path: Path) -> float:
    """Seconds since `path` last changed; 0 when it is gone (another thread or server just removed it)."""
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def size(folder: Path) -> int:
    """Bytes of the files under `folder` (0 when it is gone); files removed meanwhile count nothing."""
    total = 0
    for root, _, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(OSError):  # removed meanwhile
                total += os.lstat(os.path.join(root, name)).st_size  # noqa: PTH118 - os.walk gives strings
    return total
