"""The class's answers go once past their retention period on a timer of their own, whether or not
anyone answers: with SAGDET_RESULTS_DAYS=0, answers kept under an earlier setting go at the start;
with 90 days, an answer that turns 91 days old goes without waiting for the next one to be written."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from conftest import AppServer
from deck_files import small_deck_zip
from sqlalchemy import create_engine, text

from game.database import SQLITE_FILE, utc_now
from game.decks.store import DeckStore
from game.results.answers import Answer
from game.results.retention import Retention
from game.results.store import ResultStore


def answer(learner: str, age: timedelta) -> Answer:
    return Answer(learner, True, "r1", "hund", "right", 1, 0, False, "hund", utc_now() - age)


def stored(data_dir: Path) -> list[str]:
    engine = create_engine(f"sqlite:///{data_dir / SQLITE_FILE}")
    try:
        with engine.connect() as connection:
            return sorted(connection.scalars(text("SELECT learner FROM answers")))
    finally:
        engine.dispose()


def until(condition, seconds: float = 120) -> bool:
    """Whether `condition` comes true within `seconds` (a guard against a hang, not a speed check)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def class_results(data_dir: Path, tmp_path: Path, *ages: timedelta) -> str:
    """A published deck with one answer of each age, as an earlier run of the app kept them; its code."""
    store = DeckStore(data_dir)
    try:
        code = store.publish([small_deck_zip(tmp_path)], caller="teacher").code
        ResultStore(store, days=90).record([(code, answer(f"age-{age.days}", age)) for age in ages])
    finally:
        store.close()
    return code


def test_answers_turning_too_old_go_on_the_timer_without_a_new_answer(tmp_path):
    data = tmp_path / "data"
    code = class_results(data, tmp_path, timedelta(days=91), timedelta(days=1))
    store = DeckStore(data)
    results = ResultStore(store, days=90)
    retention = Retention(results, every=0.05)
    try:
        assert until(lambda: stored(data) == ["age-1"])  # at the start
        results.record([(code, answer("late", timedelta(days=95)))])  # as if it had aged meanwhile
        assert until(lambda: stored(data) == ["age-1"])  # the next pass, with no answer written since
    finally:
        retention.close()
        store.close()


def test_with_results_days_0_the_app_removes_answers_already_kept(tiny_model_dir, artifacts, tmp_path):
    data = tmp_path / "data"
    class_results(data, tmp_path, timedelta(days=30), timedelta(0))
    assert stored(data) == ["age-0", "age-30"]
    server = AppServer(str(tiny_model_dir), artifacts / "app-results-days-0.log", data, SAGDET_RESULTS_DAYS="0")
    try:
        assert until(lambda: stored(data) == []), "answers kept under an earlier setting stay with 0 days"
    finally:
        server.stop()
