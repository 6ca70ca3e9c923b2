"""A platform stops the app with SIGTERM: the class's queued answers are written, the temporary
folders go, and the log says so; a publish a killed server left half done is cleaned at the next start."""

from __future__ import annotations

import signal
import sqlite3
import tempfile
import time
from pathlib import Path

from conftest import AppServer
from deck_files import small_deck_zip
from deck_pictures import bundled_pictures

from benchmarks.page import Page
from game.api import FEEDBACK, PICTURE
from game.database import SQLITE_FILE
from game.decks.session_files import ROOT_PREFIX
from game.decks.store import DeckStore
from game.temporary import OWNER_FILE

PICTURES = bundled_pictures()


def uploads_roots_of(pid: int) -> list[Path]:
    roots = Path(tempfile.gettempdir()).glob(f"{ROOT_PREFIX}*")
    return [
        root for root in roots if (root / OWNER_FILE).is_file() and (root / OWNER_FILE).read_text().endswith(f" {pid}")
    ]


def test_sigterm_writes_the_queued_answers_and_removes_the_temporary_folders(tiny_model_dir, artifacts, tmp_path):
    data = tmp_path / "data"
    store = DeckStore(data)
    code = store.publish([small_deck_zip(tmp_path)], caller="teacher").code
    store.close()
    log = artifacts / "app-sigterm.log"
    server = AppServer(str(tiny_model_dir), log, data)
    try:
        assert uploads_roots_of(server.proc.pid)
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
    assert not uploads_roots_of(server.proc.pid)
