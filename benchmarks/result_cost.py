"""What keeping the class's results costs an answer, measured directly rather than through the
classroom benchmark's p95 (which a busy or overloaded machine scatters by more than this cost).

Per answer, in the same run: the game's own work for a typed answer (judge it, move the round on,
work out the answer to keep: the baseline, the cheapest move a learner makes), then the same with
the answer kept — the queue put in the learner's request, and the background writer storing it in
a real database (SQLite in a temporary folder, or `--database URL`). CPU time is the process's,
every thread included.

    python -m benchmarks.result_cost [--answers 3000] [--database postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from game.decks.deck import load_deck
from game.decks.store import DeckStore
from game.results.answers import answers_of_move, player
from game.results.store import ResultStore
from game.results.writer import ResultWriter
from game.round import rounds
from game.round.judge import judge

DECKS = Path(__file__).resolve().parent.parent / "assets" / "decks"
LEARNERS = 30
CLASS_RATE = 2.3  # answers a second from a class of 30 (benchmarks.classroom; benchmarks/README.md)


def play(deck, answers: int, code: str, keep=None, settle=None) -> list[float]:
    """Answer `answers` cards by typing, as LEARNERS learners of the class `code` taking turns;
    `keep(code, answers)` is called in each answer's path when the results are kept, `settle()`
    after it, outside the answer's time. Returns each answer's own seconds."""
    rng = random.Random(1)
    who = [player(code, f"elev{n}", "") for n in range(LEARNERS)]
    playing = [rounds.start_round(deck, 5, rng) for _ in who]
    spent = []
    for n in range(answers):
        learner = n % LEARNERS
        started = time.perf_counter()
        before = playing[learner]
        if before.over:
            before = rounds.start_round(deck, 5, rng)
        card = before.current
        typed = card.word if rng.random() < 0.7 else rng.choice(deck.cards).word
        after = rounds.answer(before, judge(typed, card.word, card.also_accepted))
        kept = answers_of_move(before, after, who[learner], False, datetime.now(UTC))
        if keep is not None:
            keep(code, kept)
        playing[learner] = rounds.next_card(after)
        spent.append(time.perf_counter() - started)
        if settle is not None:
            settle()
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=3000)
    parser.add_argument("--database", default="", help="a SQLAlchemy URL (default: SQLite in a temporary folder)")
    args = parser.parse_args(argv)
    deck = load_deck(DECKS / "djur.yaml")

    with tempfile.TemporaryDirectory() as folder:
        store = DeckStore(folder, args.database)
        files = [DECKS / "djur.yaml", *sorted((DECKS / "djur").iterdir())]
        code = store.publish(files, caller="benchmark").code
        writer = ResultWriter(ResultStore(store, days=90))
        play(deck, args.answers, code, writer.add, writer.flush)  # warm-up: every path once, nothing timed

        cpu = time.process_time()
        plain = play(deck, args.answers, code)
        plain_cpu = (time.process_time() - cpu) / args.answers

        cpu = time.process_time()
        kept = play(deck, args.answers, code, writer.add)
        writer.flush()  # every answer stored: the writer's work is in the figure
        kept_cpu = (time.process_time() - cpu) / args.answers

        # A quiet class: each answer written in a transaction of its own (the costliest way).
        cpu = time.process_time()
        alone = play(deck, args.answers, code, writer.add, writer.flush)
        alone_cpu = (time.process_time() - cpu) / args.answers
        writer.close()
        store.close()

    def ms(seconds: float) -> str:
        return f"{1000 * seconds:.3f} ms"

    print(f"{args.answers} typed answers by {LEARNERS} learners, database: {args.database or 'SQLite'}")
    print("                           CPU/answer   in the request p50   p99")
    runs = (
        ("results not kept", plain_cpu, plain),
        ("kept, written in batches", kept_cpu, kept),
        ("kept, one answer a write", alone_cpu, alone),
    )
    for name, cpu_each, spent in runs:
        p50, p99 = statistics.median(spent), statistics.quantiles(spent, n=100)[98]
        print(f"{name:<26} {ms(cpu_each):>11}   {ms(p50):>18}   {ms(p99)}")
    for name, cpu_each, _ in runs[1:]:
        extra = cpu_each - plain_cpu
        print(
            f"{name}: keeping an answer costs {ms(extra)} of CPU ({cpu_each / plain_cpu:.1f}× the game's own work"
            f" for it); a class of 30 at {CLASS_RATE} answers/s spends {100 * extra * CLASS_RATE:.2f} % of one core on it"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
