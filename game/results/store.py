"""The class's answers on shared decks, in the decks' own database (the `answers` table of
game/database.py): written by the learners' rounds, read and deleted by the teacher with the
deck's edit key, and removed once older than the retention period."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import delete, insert, select

from game.database import StoredAnswer, StoredDeck, as_utc, utc_now
from game.decks.store import DeckStore
from game.results.answers import Answer
from game.results.figures import retention_start

FIELDS = ("learner", "named", "round", "word", "outcome", "try_number", "hints", "spoken", "heard", "at")


class ResultStore:
    """`days`: how long answers are kept (Settings.results_days)."""

    def __init__(self, decks: DeckStore, days: int, now: Callable[[], datetime] = utc_now):
        self.decks, self.days, self._now = decks, days, now

    def record(self, answers: Sequence[tuple[str, Answer]]) -> int:
        """Store (class code, answer) pairs in one transaction; answers on a deck deleted since are
        dropped. Returns how many were stored. Raises StoreError when the database fails."""
        codes = {code for code, _ in answers}
        with self.decks.transaction() as session:
            ids = dict(session.execute(select(StoredDeck.code, StoredDeck.id).where(StoredDeck.code.in_(codes))).all())
            rows = [_row(ids[code], answer) for code, answer in answers if code in ids]
            if rows:
                session.execute(insert(StoredAnswer), rows)
        return len(rows)

    def answers(self, edit_key: str, code: str) -> list[Answer]:
        """The deck's answers still kept, oldest first; a wrong key or code is StoreError("wrong_key")."""
        deck_id = self.decks.authorised_id(edit_key, code)
        since = retention_start(self._now(), self.days)  # removed or not yet: older answers are not shown
        with self.decks.transaction() as session:
            rows = session.scalars(
                select(StoredAnswer)
                .where(StoredAnswer.deck_id == deck_id, StoredAnswer.at >= since)
                .order_by(StoredAnswer.at, StoredAnswer.id)
            ).all()
        return [_answer(row) for row in rows]

    def words(self, edit_key: str, code: str) -> frozenset[str]:
        """The words of the deck's cards now: older answers may be to a card renamed or removed since.
        A wrong key or code is StoreError("wrong_key")."""
        self.decks.authorised_id(edit_key, code)
        # The teacher's key was right, so the code exists: no wrong guess is counted against anyone.
        return frozenset(card.word for card in self.decks.open(code, caller="teacher").cards)

    def delete(self, edit_key: str, code: str) -> int:
        """Remove all the deck's answers (the deck stays); returns how many went."""
        deck_id = self.decks.authorised_id(edit_key, code)
        with self.decks.transaction() as session:
            return session.execute(delete(StoredAnswer).where(StoredAnswer.deck_id == deck_id)).rowcount

    def forget_old(self) -> int:
        """Remove answers older than the retention period, on every deck; returns how many went."""
        since = retention_start(self._now(), self.days)
        with self.decks.transaction() as session:
            return session.execute(delete(StoredAnswer).where(StoredAnswer.at < since)).rowcount


def _row(deck_id: int, answer: Answer) -> dict:
    return {"deck_id": deck_id, **{name: getattr(answer, name) for name in FIELDS}}


def _answer(row: StoredAnswer) -> Answer:
    values = {name: getattr(row, name) for name in FIELDS}
    return Answer(**(values | {"at": as_utc(row.at)}))
