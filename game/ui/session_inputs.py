"""Teachers' files on the page's side (game/decks/session_files.py keeps them).

Every event that hands a session's files to its handler (the upload, the editor's pictures and
recordings) marks them used first, the API's events as the browser's, those written later too, so
they are removed only once unused for hours, whoever the client: a program through the API keeps
no heartbeat, which is what Gradio goes by. A folder already removed reaches the handler as none.

Gradio keeps copies of its own: each uploaded file, and each file it serves, in its cache folder.
It removes them by age (`CACHE_AGES`, Blocks' `delete_cache`: every file of this page's uploads and
outputs, aged from when it was last handed out), and they count against the same budget.
"""

from __future__ import annotations

import contextlib
import functools
import os

import gradio as gr

from game.decks.session_files import SessionFiles, in_use
from game.ui.bounded_inputs import python_handlers

# Every 10 minutes Gradio removes its files of this page older than an hour: an upload is read
# by the event it is sent to, and a file served again (a card's picture) is dated anew.
CACHE_AGES = (600, 3600)


def mark_session_files_used(blocks: gr.Blocks) -> None:
    """Wrap each event's handler so that its session-state inputs are marked used before it runs."""
    for block_fn in python_handlers(blocks):
        at = [i for i, component in enumerate(block_fn.inputs) if isinstance(component, gr.State)]
        if at:
            block_fn.fn = _marking(block_fn.fn, at)


def _marking(handler, at: list[int]):
    @functools.wraps(handler)  # Gradio reads the signature (gr.Request and friends): see bounded_inputs
    def marking(*args, **kwargs):
        args = list(args)
        for i in at:
            if i < len(args):
                args[i] = in_use(args[i])
        return handler(*args, **kwargs)

    return marking


def count_gradio_files(blocks: gr.Blocks, kept: SessionFiles) -> None:
    """Gradio's copies of this page's files count against the teachers' budget."""
    kept.also_counted = lambda: gradio_files_bytes(blocks)


def gradio_files_bytes(blocks: gr.Blocks) -> int:
    """Bytes of the files Gradio keeps for this page: uploads and what it served (the sets its
    `delete_cache` goes through; gradio/route_utils.py, delete_files_created_by_app)."""
    paths: set[str] = set()
    for files in list(blocks.temp_file_sets):
        paths.update(list(files))
    total = 0
    for path in paths:
        with contextlib.suppress(OSError):  # removed meanwhile
            total += os.lstat(path).st_size
    return total
