"""`GET /health`: whether this replica should be sent learners, for a load balancer's active checks
(HAProxy's `option httpchk`, a Kubernetes readiness probe, a cloud balancer's target health).

    200  the replica serves: the page, typed answers, rounds
    503  the replica is stopping (SIGTERM, game/shutdown.py): take it out before it goes

The body says the rest in words and booleans, for a person with curl or a monitor:

    {"status": "serving", "speech": "ready", "speech_ready": true, "speech_reason": "", "speech_on": "engine",
     "database": "ok", "database_ok": true, "database_kind": "postgresql"}

    speech    ready | loading | unavailable; speech_reason then names why (engine_unreachable,
              engine_refused, engine_no_model, engine_error, engine_not_a_transcript; for a model in this
              process no_such_model, no_access, offline, unreachable, unreadable, bad_window)
    speech_on engine (SAGDET_SPEECH_URL) | replica (the model runs in this process)
    database  ok | not_answering (asked, no answer yet) | unreachable (it answered with an error) |
              unavailable (the store could not be made at all: only the built-in decks play)

Neither speech nor the database fails the check. Both are shared by every replica (one engine, one
PostgreSQL): if their outage failed it, every replica would leave the balancer at once and the whole
school would get the balancer's error page, though typed answers and the built-in decks still work
(the page tells learners and teachers what is missing). A balancer takes a replica out for what is
wrong with that replica; an outage of what all of them share is for a monitor to report, from the
body. The body never holds an address, a URL or a key: the engine's and the database's settings
may carry a password.

The database is asked at most every DATABASE_FRESH_S, on a thread of its own, and a check waits at
most DATABASE_WAIT_S for it: a balancer's check stays quick however the database fails (a stopped
PostgreSQL server may leave a query waiting for minutes), and balancers that ask every second do
not each reach the database.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from game.speech.loading import ModelStatus

log = logging.getLogger(__name__)

HEALTH_PATH = "/health"
DATABASE_WAIT_S = 0.5  # the longest a health check waits for the database's answer
DATABASE_FRESH_S = 5.0  # an answer is reused this long
SPEECH_STATES = {"ready": "ready", "loading": "loading", "failed": "unavailable"}


class DatabaseCheck:
    """Whether the database answers, asked on a thread, at most every DATABASE_FRESH_S."""

    def __init__(self, answers: Callable[[], bool] | None, clock: Callable[[], float] = time.monotonic):
        self._answers, self._clock = answers, clock
        self._lock = threading.Lock()
        self._state, self._at = "", -float("inf")  # the last answer, and when it came
        self._asking: threading.Event | None = None  # set when the question in flight is answered
        self._asked_at = 0.0

    def state(self) -> str:
        if self._answers is None:
            return "unavailable"
        with self._lock:
            if self._state and self._clock() - self._at < DATABASE_FRESH_S:
                return self._state
            if self._asking is None:
                self._asking, self._asked_at = threading.Event(), self._clock()
                threading.Thread(target=self._ask, args=(self._asking,), name="health-database", daemon=True).start()
            asking = self._asking
        if asking.wait(DATABASE_WAIT_S):
            return self._state
        return "not_answering"  # still asked; the next check finds the answer, or asks again

    def _ask(self, done: threading.Event) -> None:
        state = "ok" if self._answers() else "unreachable"
        with self._lock:
            before, self._state, self._at, self._asking = self._state, state, self._clock(), None
        done.set()
        if state != before and (before or state != "ok"):  # a change, logged once; a healthy start is not news
            (log.info if state == "ok" else log.warning)("health check: the database is %s", state)


class Health:
    """The replica's state for load balancers; `routes()` mounts it on the app (game/ui/page.py)."""

    def __init__(
        self,
        speech: Callable[[], ModelStatus],
        speech_on: str,
        database: DatabaseCheck,
        database_kind: str,
        stopping: Callable[[], bool],
    ):
        self._speech, self._speech_on = speech, speech_on
        self._database, self._database_kind = database, database_kind
        self._stopping = stopping

    def report(self) -> tuple[int, dict]:
        """(HTTP status, body)."""
        speech = self._speech()
        database = self._database.state()
        stopping = self._stopping()
        body = {
            "status": "stopping" if stopping else "serving",
            "speech": SPEECH_STATES.get(speech.state, "unavailable"),
            "speech_ready": speech.state == "ready",
            "speech_reason": speech.reason if speech.state == "failed" else "",
            "speech_on": self._speech_on,
            "database": database,
            "database_ok": database == "ok",
            "database_kind": self._database_kind,
        }
        return (503 if stopping else 200), body

    def endpoint(self, request: Request) -> JSONResponse:
        # A plain function: Starlette runs it on its thread pool, so waiting for the database never holds the server.
        status, body = self.report()
        return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})

    def routes(self) -> list[Route]:
        return [Route(HEALTH_PATH, self.endpoint, methods=["GET"])]  # Starlette answers HEAD too
