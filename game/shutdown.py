"""A stop asked for with SIGTERM (how a platform stops a Space, `docker stop`, Kubernetes) ends the
app as Ctrl-C does: Gradio closes its server, and the exit handlers run, each saying in the log
what it did: the class's queued answers are written (game/results/writer.py), the uploads folder
and the picture cache are removed.

Behind a load balancer the replica first drains: from the SIGTERM on, `GET /health` answers 503
(game/health.py), so the balancer's active checks take the replica out of rotation, while it still
serves whoever is on it for SAGDET_DRAIN_SECONDS (default 5); then it stops. A second SIGTERM, or
Ctrl-C, stops it at once.

Without this, SIGTERM ends Python at once: no exit handler runs, queued answers are lost and the
temporary folders stay. Leftovers of a server that was killed outright (kill -9, a power cut) are
removed when the next one starts, by whoever made them (game/decks/uploads.py, game/decks/store.py).
"""

from __future__ import annotations

import logging
import signal
import threading

log = logging.getLogger(__name__)

_stopping = threading.Event()


def stopping() -> bool:
    """True from the first SIGTERM on: this replica is going, and says so to load balancers."""
    return _stopping.is_set()


def stop_gently_on_sigterm(drain: float = 0.0) -> None:
    """From the main thread (Python runs signal handlers there): SIGTERM makes the replica say it is
    stopping, keeps serving for `drain` seconds, then becomes KeyboardInterrupt, which Gradio's
    launch() takes as the sign to close its server and return."""
    if threading.current_thread() is not threading.main_thread():
        return

    def stop_now(signum=None, frame=None):
        log.info("SIGTERM: stopping; queued answers are written and temporary files removed first")
        raise KeyboardInterrupt

    def on_sigterm(signum, frame):
        again = _stopping.is_set()
        _stopping.set()
        if again or drain <= 0:  # a second SIGTERM does not wait for the first one's drain
            stop_now()
        log.info(
            "SIGTERM: /health answers 503 from now on, so load balancers take this replica out; "
            "it still serves its learners for %g s, then stops (another SIGTERM stops it at once)",
            drain,
        )
        # The drain's end is a signal too, so it arrives in the main thread as SIGTERM's stop does.
        signal.signal(signal.SIGALRM, stop_now)
        signal.setitimer(signal.ITIMER_REAL, drain)

    signal.signal(signal.SIGTERM, on_sigterm)
