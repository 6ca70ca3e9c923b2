"""The game's own folders in the temporary folder (game/temporary.py): what a killed server left is
removed at the next start, and nothing that another running server, here or in another container, uses."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

from game import temporary
from game.temporary import LEFTOVER_AFTER_S, OWNER_FILE, OWNER_SILENT_S, TASK_PREFIX, own_folder, remove_leftovers

PREFIX = "sagdet-things-"


def a_pid_that_is_gone() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def folder_of(base, name: str, owner: str | None, silent_s: float = 0):
    folder = base / f"{PREFIX}{name}"
    (folder / "upload-1" / "deck").mkdir(parents=True)
    if owner is not None:
        (folder / OWNER_FILE).write_text(owner)
        then = time.time() - silent_s
        os.utime(folder / OWNER_FILE, (then, then))
    return folder


def test_own_folder_removes_what_servers_that_are_gone_left_and_nothing_in_use(tmp_path):
    here, running = socket.gethostname(), os.getppid()
    folders = {
        "gone": folder_of(tmp_path, "gone", f"{here} {a_pid_that_is_gone()}"),
        "gone, written before hosts were": folder_of(tmp_path, "bare", str(a_pid_that_is_gone())),
        "running": folder_of(tmp_path, "running", f"{here} {running}"),
        "running, written before hosts were": folder_of(tmp_path, "running-bare", str(running)),
        # Another container's server: its process cannot be asked, its refreshes can.
        "another container's, refreshed": folder_of(tmp_path, "there", "replica-2 1", silent_s=OWNER_SILENT_S - 60),
        "another container's, silent": folder_of(tmp_path, "there-gone", "replica-2 1", silent_s=OWNER_SILENT_S + 60),
        "running here, but silent for hours": folder_of(tmp_path, "hung", f"{here} {running}", OWNER_SILENT_S + 60),
        "starting (no owner yet)": folder_of(tmp_path, "starting", None),
        "old, no owner": folder_of(tmp_path, "old", None),
    }
    os.utime(folders["old, no owner"], (0, 0))
    (tmp_path / "someone-else").mkdir()

    mine = own_folder(PREFIX, tmp_path)

    assert (mine / OWNER_FILE).read_text() == f"{here} {os.getpid()}"
    assert [name for name, folder in folders.items() if folder.exists()] == [
        "running",
        "running, written before hosts were",
        "another container's, refreshed",
        "starting (no owner yet)",
    ]
    assert (tmp_path / "someone-else").exists()
    again = own_folder(PREFIX, tmp_path)  # a second app in the same process keeps the first one's folder
    assert mine.exists() and again.exists() and mine != again


def test_own_folder_removes_an_earlier_servers_folder_with_this_pid(tmp_path):
    stale = folder_of(tmp_path, "earlier", f"{socket.gethostname()} {os.getpid()}")  # containers reuse pids
    own_folder(PREFIX, tmp_path)
    assert not stale.exists()


def test_a_running_server_keeps_its_folders_claimed(tmp_path):
    mine = own_folder(PREFIX, tmp_path)
    long_ago = time.time() - OWNER_SILENT_S - 60
    os.utime(mine / OWNER_FILE, (long_ago, long_ago))

    def seen_abandoned_by_another_server() -> str:
        asked = f"from pathlib import Path; from game.temporary import abandoned; print(abandoned(Path({str(mine)!r})))"
        return subprocess.run([sys.executable, "-c", asked], capture_output=True, text=True, check=True).stdout.strip()

    assert seen_abandoned_by_another_server() == "True"  # silent for hours: its server hung or is gone
    temporary.refresh(mine)  # what this server's own timer does every REFRESH_S
    assert seen_abandoned_by_another_server() == "False"


def test_a_tasks_folder_goes_once_an_hour_old(tmp_path):
    left = tmp_path / f"{TASK_PREFIX}publish-killed"
    (left / "deck").mkdir(parents=True)
    long_ago = time.time() - LEFTOVER_AFTER_S - 60
    os.utime(left, (long_ago, long_ago))
    now = tmp_path / f"{TASK_PREFIX}draft-another-replica-now"
    now.mkdir()
    remove_leftovers(tmp_path)
    assert not left.exists() and now.is_dir()
