"""One per-client limit for every write (game/write_limit.py): a program answering at full speed is
held back, while a class behind the same address, playing at the same moment, loses nothing."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from deck_pictures import bundled_pictures

from benchmarks.page import Page
from game.api import FEEDBACK, PICTURE
from game.write_limit import REFUSALS_AT_THE_DOOR, SESSION_WINDOW_S, WRITES_PER_SESSION, WriteLimit

PICTURES = bundled_pictures()


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_session_is_held_to_its_allowance_and_an_address_to_a_class_worth():
    clock = Clock()
    limit = WriteLimit(per_session=3, per_address=5, seconds=60, clock=clock)
    assert [limit.take("tab 1", "school") for _ in range(4)] == [True, True, True, False]
    assert [limit.take("tab 2", "school") for _ in range(3)] == [True, True, False]  # the address is full
    assert limit.take("tab 3", "home")  # another address has its own
    clock.now += 60
    assert limit.take("tab 2", "school")


def test_a_session_that_goes_on_writing_after_refusals_is_shut_out_until_they_age():
    clock = Clock()
    limit = WriteLimit(per_session=1, per_address=100, seconds=60, clock=clock)
    assert limit.take("tab 1", "school")
    for _ in range(REFUSALS_AT_THE_DOOR - 1):
        assert not limit.take("tab 1", "school")
    assert not limit.shut_out("tab 1")  # a learner told "too fast" a few times is still let in
    assert not limit.take("tab 1", "school") and limit.shut_out("tab 1")
    assert not limit.shut_out("tab 2")
    clock.now += 60
    assert not limit.shut_out("tab 1") and limit.take("tab 1", "school")


def test_a_session_may_write_its_allowance_again_ten_seconds_on_and_a_quick_learner_never_meets_it():
    clock = Clock()
    limit = WriteLimit(clock=clock)
    assert all(limit.take("tab 1", "school") for _ in range(WRITES_PER_SESSION))
    assert not limit.take("tab 1", "school")  # a program's burst
    clock.now += SESSION_WINDOW_S
    assert limit.take("tab 1", "school")
    for second in range(0, 120, 2):  # a quick learner: an answer every 2 s for two minutes
        clock.now = 1000 + second
        assert limit.take("tab 2", "school")


def test_a_refused_write_costs_its_session_nothing():
    limit = WriteLimit(per_session=2, per_address=1, clock=Clock())
    assert limit.take("tab 1", "school")
    assert not limit.take("tab 2", "school")  # the address is full: tab 2's own allowance is untouched
    assert limit.take("tab 2", "home") and limit.take("tab 2", "library")


def test_a_program_at_full_speed_is_held_back_while_the_class_plays_on(app_server):
    hostile = Page(app_server.url)
    hostile("vardag", 3, None, api_name="/start_round")
    class_ = [Page(app_server.url) for _ in range(5)]  # the same address as the program: one school router
    begin = threading.Barrier(len(class_) + 1)

    def flood() -> tuple[list[str], float]:
        """Back to back until turned away at the door, and three times more; the outcomes and the seconds taken."""
        begin.wait()
        began, outcomes = time.monotonic(), []
        while sum("429" in outcome for outcome in outcomes) < 3 and len(outcomes) < 500:
            try:
                hostile("xyzzy", None, api_name="/answer_typed")
                outcomes.append("taken")
            except Exception as refused:
                outcomes.append(str(refused))
        return outcomes, time.monotonic() - began

    def play(page: Page) -> list[str]:
        out = page("vardag", 3, None, api_name="/start_round")
        begin.wait()
        said = []
        for _ in range(3):
            said.append(page(PICTURES.word_for(out[PICTURE]), None, api_name="/answer_typed")[FEEDBACK])
            out = page(None, api_name="/next_card")
        return said

    with ThreadPoolExecutor(len(class_) + 1) as pool:
        flooding = pool.submit(flood)
        learners = [pool.submit(play, page) for page in class_]
        for learner in learners:
            assert all("Rätt!" in verdict for verdict in learner.result())
        outcomes, seconds = flooding.result()
    refused = [outcome for outcome in outcomes if outcome != "taken"]
    # however slow the machine: at most a session's allowance in each window the program wrote in
    assert outcomes.count("taken") <= WRITES_PER_SESSION * (seconds // SESSION_WINDOW_S + 1)
    told = [outcome for outcome in refused if "för fort" in outcome]  # by the write limit, in the page's words
    turned_away = [outcome for outcome in refused if "429" in outcome]  # at the door (game/ui/door.py)
    assert len(told) == REFUSALS_AT_THE_DOOR and len(told) + len(turned_away) == len(refused), refused[-1:]
