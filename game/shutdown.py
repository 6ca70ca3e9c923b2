"""A stop asked for with SIGTERM (how a platform stops a Space, or `docker stop`) ends the app as
Ctrl-C does: Gradio closes its server, and the exit handlers run, each saying in the log what it
did: the class's queued answers are written (game/results/writer.py), the uploads folder and the
picture cache are removed.

Without this, SIGTERM ends Python at once: no exit handler runs, queued answers are lost and the
temporary folders stay. Leftovers of a server that was killed outright (kill -9, a power cut) are
removed when the next one starts, by whoever made them (game/decks/uploads.py, game/decks/store.py).
"""

from __future__ import annotations

import logging
import signal
import threading

log = logging.getLogger(__name__)


def stop_gently_on_sigterm() -> None:
    """From the main thread (Python runs signal handlers there): SIGTERM becomes KeyboardInterrupt,
    which Gradio's launch() takes as the sign to close its server and return."""
    if threading.current_thread() is not threading.main_thread():
        return

    def on_sigterm(signum, frame):
        log.info("SIGTERM: stopping; queued answers are written and temporary files removed first")
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)
