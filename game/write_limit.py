"""One per-client limit for every write a client makes: answers (and skips), publishes, updates, uploads.

A client is two things at once, and each has its own allowance:

- its session (one browser tab, one API client): WRITES_PER_SESSION in any SESSION_WINDOW_S, more
  than a learner who answers as fast as they can read a verdict ever sends, and far less than a
  program at full speed. The window is short so that a program cannot spend a minute's allowance in
  one burst: 100 writes a minute, taken in the first ten seconds, slowed a class's spoken answers;
- its address (as game/ui/context.py's caller() sees it): WRITES_PER_ADDRESS in any WINDOW_S, a
  whole class's worth, because a class behind one school router is one address. A program that
  opens a new session for every write is held here.

A session refused REFUSALS_AT_THE_DOOR times in a window is a program that does not wait, whatever
it is told: until those refusals age out, game/ui/door.py turns its events away with an HTTP 429
before they reach Gradio's queue, where even a refusal costs the server a worker, a state copy and
an event stream — the cost that slowed a class's spoken answers down (benchmarks/hostile.py).

The publish limit (game/decks/store.py, 10 an hour) and the wrong-code limit stay on top of this.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from game.rate_limit import RateLimit

WINDOW_S = 60.0
SESSION_WINDOW_S = 10.0
WRITES_PER_SESSION = 10  # a write a second; a quick learner answers every 2–3 s
CLASS_SIZE = 40  # sessions behind one address that each may write at their full rate
WRITES_PER_ADDRESS = int(CLASS_SIZE * WRITES_PER_SESSION * WINDOW_S / SESSION_WINDOW_S)  # 2,400 a minute
REFUSALS_AT_THE_DOOR = 10  # a learner told "too fast" waits; a program that is not, keeps sending


class WriteLimit:
    def __init__(
        self,
        per_session: int = WRITES_PER_SESSION,
        per_address: int = WRITES_PER_ADDRESS,
        seconds: float = WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
        session_seconds: float = SESSION_WINDOW_S,
    ):
        self._sessions = RateLimit(per_session, session_seconds, clock)
        self._addresses = RateLimit(per_address, seconds, clock)
        self._refused = RateLimit(REFUSALS_AT_THE_DOOR, seconds, clock)

    def take(self, session: str, address: str) -> bool:
        """Count one write for this session and address, when both have room; False (nothing counted) when not."""
        if not self._sessions.take(session):
            self._refused.take(session)
            return False
        if not self._addresses.take(address):
            self._sessions.give_back(session)
            self._refused.take(session)
            return False
        return True

    def shut_out(self, session: str) -> bool:
        """Whether this session was refused REFUSALS_AT_THE_DOOR times within the window."""
        return self._refused.full(session)
