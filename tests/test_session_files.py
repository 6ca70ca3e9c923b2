"""Teachers' files on the server (game/decks/session_files.py): removed once unused for hours, on a
timer, whoever the client (issue 26: an API client's uploads stayed until a restart), and held to
one budget for the whole server, while the game goes on for everyone else."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import gradio as gr
import pytest
from conftest import AppServer
from deck_files import noise_deck_zip, png, small_deck_zip
from deck_pictures import learner_plays_a_round

from app import build_app
from benchmarks.page import Page
from game.config import Settings
from game.decks import uploads
from game.decks.editor_files import EditorFiles, RefusedFile
from game.decks.media import MB
from game.decks.session_files import IDLE_S, SessionFiles, in_use
from game.temporary import size


def unused_since(seconds: float, *folders) -> None:
    then = time.time() - seconds
    for folder in folders:
        os.utime(folder, (then, then))


def deck(tmp_path, name="d.zip"):
    (tmp_path / "src").mkdir(exist_ok=True)
    return small_deck_zip(tmp_path / "src") if name == "d.zip" else noise_deck_zip(tmp_path / name)


def test_files_go_once_unused_for_hours_counted_from_their_last_use(tmp_path):
    """A program's upload (no browser, no heartbeat) goes; a teacher's, made as long ago but in use an
    hour ago, stays with everything in it."""
    kept = SessionFiles(tmp_path / "uploads")
    program = uploads.receive([deck(tmp_path)], kept, None)
    teacher = uploads.receive([deck(tmp_path)], kept, None)
    editing, token = EditorFiles.new(kept).add_picture(png(tmp_path / "foto.png"))
    unused_since(IDLE_S + 3600, program.folder, teacher.folder, editing.folder)  # all made four hours ago
    assert in_use(teacher) is teacher and in_use(editing) is editing  # each handed to an event an hour ago…
    unused_since(3600, teacher.folder, editing.folder)

    assert kept.sweep() == [program.folder]
    assert not program.folder.exists() and teacher.archive.is_file() and Path(editing.path(token)).is_file()
    assert in_use(program) is None  # its session goes on as if it had no upload


def test_a_session_whose_files_were_removed_goes_on_without_them(tmp_path, tiny_model_dir):
    demo = build_app(Settings(model=str(tiny_model_dir), data_dir=tmp_path / "data"))
    [play] = [f.fn for f in demo.fns.values() if getattr(f.fn, "__name__", "") == "on_play_upload"]
    kept = SessionFiles(tmp_path / "uploads")
    upload = uploads.receive([deck(tmp_path)], kept, None)
    uploads.discard(upload)  # removed by the timer, unused for hours
    with pytest.raises(gr.Error, match="Ladda upp en kortlek utan fel först"):
        play(upload, 3, None, False, "sv", "")


def test_the_servers_budget_refuses_a_new_file_in_the_teachers_words(tmp_path):
    kept = SessionFiles(tmp_path / "uploads", budget=uploads.UPLOAD_MOST_BYTES + 1 * MB)
    first = uploads.receive([deck(tmp_path)], kept, None)
    assert first.deck is not None
    kept.budget = kept.used() + uploads.UPLOAD_MOST_BYTES - 1  # no room for the largest deck any more
    refused = uploads.receive([deck(tmp_path)], kept, None)
    assert refused.deck is None and refused.folder is None
    assert uploads.report(refused, "sv").startswith("**Servern har inte plats för fler filer just nu")
    assert "may take" in uploads.report(refused, "en")
    files = EditorFiles.new(kept)
    kept.budget = kept.used() + 100
    with pytest.raises(RefusedFile) as no_room:
        files.add_picture(png(tmp_path / "foto.png", size=(400, 400)))
    assert "no room" in no_room.value.text("en") and not list(files.folder.iterdir())
    assert first.archive.is_file()  # what was kept before is untouched


def test_api_clients_uploading_decks_are_held_to_the_servers_budget_while_a_class_plays(tmp_path, tiny_model_dir):
    """Issue 26: three 45 MB uploads from API clients left 272 MB in the uploads folder and 182 MB in
    Gradio's, for good. Here the budget is 150 MB: two 9 MB decks fit (each needs room for the largest
    deck, 100 MB, while it is unpacked), the third is refused, and the disk stays within it."""
    temporary, gradio_cache = tmp_path / "tmp", tmp_path / "gradio"
    temporary.mkdir()
    big = deck(tmp_path, "brus.zip")
    server = AppServer(
        str(tiny_model_dir),
        tmp_path / "app.log",
        tmp_path / "data",
        SAGDET_UPLOADS_MB="150",
        TMPDIR=str(temporary),
        GRADIO_TEMP_DIR=str(gradio_cache),
    )
    try:
        from gradio_client import Client, handle_file

        def upload() -> str:
            client = Client(server.url, verbose=False, download_files=False)
            return client.predict([handle_file(str(big))], "sv", api_name="/upload_deck")[0]

        with ThreadPoolExecutor(2) as pool:
            learner = pool.submit(learner_plays_a_round, Page(server.url))
            reports = [upload() for _ in range(3)]
            assert all("Rätt!" in verdict for verdict in learner.result())
    finally:
        server.stop()
    assert [report.startswith("**✓ Brus**") for report in reports] == [True, True, False], reports
    assert "Servern har inte plats för fler filer just nu" in reports[2]
    assert size(temporary) + size(gradio_cache) <= 150 * MB
