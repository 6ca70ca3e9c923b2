"""At most so many events per caller in a sliding window of time, counted in this process's memory.

Each replica counts on its own, and a restart forgets. That is enough to make guessing class codes
hopeless and to stop one client flooding the database or the disk; it is not an account system.

Taking a slot is one step under one lock: twenty requests that arrive at the same moment cannot
all see room for one more and all go through. Work that then fails for a reason of its own (a deck
that does not pass the checks, a code that does exist) gives its slot back.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class RateLimit:
    def __init__(self, most: int, seconds: float, clock: Callable[[], float]):
        self.most, self.seconds, self.clock = most, seconds, clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()  # learners' events arrive on many threads

    def take(self, caller: str) -> bool:
        """Count one event for `caller` when there is room, in the same step as looking; False when full."""
        with self._lock:
            self._forget_old()
            events = self._events.setdefault(caller, deque())
            if len(events) >= self.most:
                return False
            events.append(self.clock())
            return True

    def full(self, caller: str) -> bool:
        """Whether `caller` has no room left now (nothing is counted)."""
        with self._lock:
            self._forget_old()
            return len(self._events.get(caller, ())) >= self.most

    @contextmanager
    def spent_on(self, caller: str, refusal: Exception) -> Iterator[None]:
        """A slot for the work inside, which counts only when it succeeds: `refusal` is raised when
        the caller has no room left, and the slot is given back when the work fails."""
        if not self.take(caller):
            raise refusal
        try:
            yield
        except BaseException:
            self.give_back(caller)
            raise

    def give_back(self, caller: str) -> None:
        """Uncount the caller's latest event: what it was taken for turned out not to count."""
        with self._lock:
            events = self._events.get(caller)
            if events:
                events.pop()
                if not events:
                    del self._events[caller]

    def _forget_old(self) -> None:
        """Drop events older than the window, and callers left with none, so memory follows recent callers."""
        since = self.clock() - self.seconds
        for caller in list(self._events):
            events = self._events[caller]
            while events and events[0] <= since:
                events.popleft()
            if not events:
                del self._events[caller]
