"""A platform stops the app with SIGTERM: the class's queued answers are written, the temporary
folders go, and the log says so; what a server killed outright left is removed at the next start."""

from __future__ import annotations

import os
import signal
import sqlite3
import tempfile
import time
from pathlib import Path

from conftest import AppServer
from deck_files import small_deck_zip
from deck_pictures import bundled_pictures
from gradio_client import Client, handle_file

from benchmarks.page import Page
from game.api import FEEDBACK, PICTURE
from game.database import SQLITE_FILE
from game.decks.session_files import ROOT_PREFIX
from game.decks.store import DeckStore
from game.pictures.served import FOLDER_PREFIX as PICTURE_FOLDER
from game.temporary import LEFTOVER_AFTER_S, OWNER_FILE, TASK_PREFIX, own_folder

PICTURES = bundled_pictures()


def folders_of(pid: int, prefix: str = ROOT_PREFIX, base: Path | None = None) -> list[Path]:
    """The folders of this kind (the uploads folder by default) whose owner file names process `pid`."""
    folders = Path(base or tempfile.gettempdir()).glob(f"{prefix}*")
    return [f for f in folders if (f / OWNER_FILE).is_file() and (f / OWNER_FILE).read_text().endswith(f" {pid}")]


def test_sigterm_writes_the_queued_answers_and_removes_the_temporary_folders(tiny_model_dir, artifacts, tmp_path):
    data = tmp_path / "data"
    store = DeckStore(data)
    code = store.publish([small_deck_zip(tmp_path)], caller="teacher").code
    store.close()
    log = artifacts / "app-sigterm.log"
    server = AppServer(str(tiny_model_dir), log, data)
    try:
        assert folders_of(server.proc.pid)
        holder = sqlite3.connect(data / SQLITE_FILE, isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")  # another writer holds the database: answers wait in the queue
            page = Page(server.url)
            out = page(code, 3, None, False, "sv", "2026-12-07", "Alva", api_name="/start_round")
            for _ in range(3):
                assert "Rätt!" in page(PICTURES.word_for(out[PICTURE]), None, api_name="/answer_typed")[FEEDBACK]
                out = page(None, api_name="/next_card")
            server.proc.send_signal(signal.SIGTERM)
            time.sleep(1)  # the stop has begun with the answers still queued
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert server.proc.wait(timeout=120) is not None  # a guard against a hang, not a speed check
    finally:
        server.stop()  # a test that failed before its SIGTERM leaves no server behind
    with sqlite3.connect(data / SQLITE_FILE) as db:
        assert db.execute("SELECT learner, count(*) FROM answers GROUP BY learner").fetchall() == [("Alva", 3)]
    said = log.read_text()
    assert "SIGTERM: stopping" in said
    assert "the writer stopped with its queue written: 3 answers stored since the start, 0 not" in said
    assert "uploads folder" in said and "picture cache" in said
    assert not folders_of(server.proc.pid)


def test_what_a_killed_server_left_is_removed_at_the_next_start_and_nothing_in_use(tiny_model_dir, tmp_path):
    """Issue 26: a kill -9 left the picture cache (and the half-done tasks) for good; a restarted
    server removes them, and leaves alone what another replica on the machine is using."""
    temporary, logs = tmp_path / "tmp", tmp_path / "logs"
    temporary.mkdir()
    logs.mkdir()
    env = {"TMPDIR": str(temporary), "GRADIO_TEMP_DIR": str(tmp_path / "gradio")}
    killed = AppServer(str(tiny_model_dir), logs / "killed.log", tmp_path / "data", **env)
    try:
        Page(killed.url)("vardag", 3, None, api_name="/start_round")  # a card's picture is prepared and served
        Client(killed.url, verbose=False).predict(
            [handle_file(str(small_deck_zip(tmp_path)))], "sv", api_name="/upload_deck"
        )
    finally:
        killed.proc.kill()  # kill -9: no exit handler runs
        killed.stop()
    left = folders_of(killed.proc.pid, base=temporary) + folders_of(killed.proc.pid, PICTURE_FOLDER, temporary)
    assert len(left) == 2 and all(any(folder.rglob("*.png")) for folder in left)
    in_use = own_folder(PICTURE_FOLDER, temporary)  # another replica's picture cache: this process runs
    task = temporary / f"{TASK_PREFIX}publish-killed"
    task.mkdir()
    then = time.time() - LEFTOVER_AFTER_S - 60
    os.utime(task, (then, then))

    restarted = AppServer(str(tiny_model_dir), logs / "restarted.log", tmp_path / "data", **env)
    restarted.stop()
    assert not any(folder.exists() for folder in [*left, task])
    assert in_use.is_dir()
