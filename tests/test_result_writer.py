"""The background writer of the class's answers: learners never wait for the database, and a
database that fails never reaches them."""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from game.results.answers import Answer
from game.results.writer import ResultWriter


def said(learner: str, n: int = 0) -> Answer:
    return Answer(learner, True, "r", f"ord{n}", "right", 1, 0, True, f"ord{n}", datetime(2026, 11, 26, tzinfo=UTC))


class Database:
    """A ResultStore's record(), held up or failing when a test says so."""

    def __init__(self):
        self.batches: list[list] = []
        self.open = threading.Event()
        self.open.set()
        self.entered = threading.Event()
        self.failing = False

    def record(self, answers):
        self.entered.set()
        self.open.wait()
        if self.failing:
            raise RuntimeError("the database is down")
        self.batches.append(list(answers))
        return len(answers)

    @property
    def stored(self):
        return [answer for batch in self.batches for answer in batch]


@pytest.fixture
def database():
    return Database()


@pytest.fixture
def writer(database):
    running = ResultWriter(database, batch=50)
    yield running
    database.open.set()
    running.close()


def test_answers_are_queued_while_the_database_is_busy_and_written_together(writer, database):
    database.open.clear()
    writer.add("ABC234", [said("first")])
    database.entered.wait()  # the writer is inside the database, held there
    for n in range(120):
        writer.add("ABC234", [said("Alva", n)])  # returns although the database does not answer
    assert database.batches == []
    database.open.set()
    writer.flush()
    assert [len(batch) for batch in database.batches] == [1, 50, 50, 20]
    assert [a.word for _, a in database.stored[1:]] == [f"ord{n}" for n in range(120)]
    assert {code for code, _ in database.stored} == {"ABC234"}


def test_a_class_answering_at_the_same_moment_loses_no_answer(writer, database):
    barrier = threading.Barrier(30)

    def learner(i: int):
        barrier.wait()
        for n in range(10):
            writer.add("ABC234", [said(f"L{i}", n)])

    with ThreadPoolExecutor(30) as pool:
        list(pool.map(learner, range(30)))
    writer.flush()
    assert sorted((a.learner, a.word) for _, a in database.stored) == sorted(
        (f"L{i}", f"ord{n}") for i in range(30) for n in range(10)
    )


def test_a_failing_database_is_logged_and_the_next_answers_are_stored(writer, database, caplog):
    database.failing = True
    with caplog.at_level(logging.ERROR, logger="game.results.writer"):
        writer.add("ABC234", [said("Alva", 1)])
        writer.flush()
    assert "1 answers could not be stored" in caplog.text and "the database is down" in caplog.text
    database.failing = False
    writer.add("ABC234", [said("Alva", 2)])
    writer.flush()
    assert [a.word for _, a in database.stored] == ["ord2"]


def test_when_the_queue_is_full_new_answers_are_dropped_not_waited_for(database, caplog):
    database.open.clear()
    writer = ResultWriter(database, batch=5, waiting_most=3)
    try:
        writer.add("ABC234", [said("first")])
        database.entered.wait()
        with caplog.at_level(logging.WARNING, logger="game.results.writer"):
            writer.add("ABC234", [said("Alva", n) for n in range(5)])  # 3 fit in the queue
        assert "2 answers not stored (2 in all)" in caplog.text
    finally:
        database.open.set()
        writer.close()
    assert len(database.stored) == 4


def test_close_writes_what_is_queued(database):
    database.open.clear()
    writer = ResultWriter(database)
    writer.add("ABC234", [said("first")])
    database.entered.wait()
    writer.add("ABC234", [said("Alva", n) for n in range(3)])
    closing = threading.Thread(target=writer.close)
    closing.start()
    database.open.set()
    closing.join()
    assert len(database.stored) == 4
