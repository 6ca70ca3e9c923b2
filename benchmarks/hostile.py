"""A class of 30 playing normally while one hostile program writes as fast as the server answers.

    python -m benchmarks.hostile                                  # 30 learners, 60 s, 5 s window
    python -m benchmarks.hostile --learners 30 --duration 60 --flooders 1 --json hostile.json

The class plays a shared deck (results kept) three times, each on a fresh `python app.py`: alone,
beside the hostile program, and alone again, so that a machine whose load drifts shows as two alone
figures apart (benchmarks/classroom.py plays the class). The program opens a
round of a built-in deck in one session (or `--flooders` sessions) and sends /answer_typed back to
back for the whole class, from a process of its own at the lowest CPU priority. Printed: the
class's answer p95s beside it against each alone run, with their ratios (the issue asks for at most
1.2), how many of the program's writes the server took, refused (game/write_limit.py) and turned away
at the door (game/ui/door.py), and the class's answers given and stored (nothing may be lost).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from benchmarks.answer_latency import PINNED_NEW_TOKENS
from benchmarks.classroom import DECKS, Server, play_on, recorded_clips
from benchmarks.fixtures import CACHE, checkpoint
from benchmarks.learner import ANSWERS, Plan
from benchmarks.page import Page
from benchmarks.report import machine_facts, machine_line, print_p95s, print_run
from game.decks.deck import load_decks
from game.speech.window import MIN_SECONDS


class Flood:
    """The hostile program: `sessions` clients, each writing back to back until told to stop.

    It runs in a process of its own at the lowest CPU priority: a real attacker's client runs on its
    own machine, and its CPU (gradio_client at full speed costs a core) must not be counted as the
    server's.
    """

    def __init__(self, sessions: int):
        self.sessions = sessions
        self.figures: dict = {}

    @contextmanager
    def running(self, url: str):
        ctx = multiprocessing.get_context("spawn")
        ready, stop, results = ctx.Event(), ctx.Event(), ctx.Queue()
        process = ctx.Process(target=_flood, args=(url, self.sessions, ready, stop, results), daemon=True)
        process.start()
        if not ready.wait(300):
            raise RuntimeError("the hostile program did not connect within 300 s")
        try:
            yield self
        finally:
            stop.set()
            self.figures = results.get(timeout=300)
            process.join(timeout=30)


def _flood(url: str, sessions: int, ready, stop, results) -> None:
    """The hostile program's process: its sessions write until `stop`; what became of the writes to `results`."""
    os.nice(19)
    cpu_began = time.process_time()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    counts = {"taken": 0, "refused": 0, "turned_away": 0, "failed": 0}
    messages: set[str] = set()
    lock = threading.Lock()
    pages = [Page(url) for _ in range(sessions)]
    for page in pages:
        page("vardag", 10, None, api_name="/start_round")  # a built-in deck: its answers are not stored

    def write(page: Page) -> None:
        while not stop.is_set():
            try:
                page("xyzzy", None, api_name="/answer_typed")
                outcome, message = "taken", None
            except Exception as exc:
                message = str(exc)[:120]
                outcome = "refused" if "för fort" in message or "429" in message else "failed"
            with lock:
                counts[outcome] += 1
                counts["turned_away"] += "429" in (message or "")
                if message:
                    messages.add(message)

    threads = [threading.Thread(target=write, args=(page,), daemon=True) for page in pages]
    ready.set()
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    sent = counts["taken"] + counts["refused"] + counts["failed"]
    results.put(
        counts
        | {
            "sessions": sessions,
            "seconds": seconds,
            "taken_per_minute": counts["taken"] / (seconds / 60),
            "sent_per_second": sent / seconds,
            "messages": sorted(messages)[:3],
            "client_cpu_s": time.process_time() - cpu_began,
        }
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds the class plays")
    parser.add_argument("--window", type=int, default=5, help="the speech model's window in seconds")
    parser.add_argument("--think", default="2,6", help="seconds between a learner's moves: MIN,MAX")
    parser.add_argument("--voice", type=float, default=Plan.voice, help="share of the class's answers spoken")
    parser.add_argument("--flooders", type=int, default=1, help="sessions the hostile program writes from")
    parser.add_argument("--model", help="a local checkpoint (default: whisper-small dimensions, random weights)")
    parser.add_argument("--cache", type=Path, default=CACHE, help="where built checkpoints are kept")
    parser.add_argument("--processes", type=int, default=0, help="client processes for the class (0: threads)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="write the figures here")
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args = _parser().parse_args(argv)
    low, high = (float(x) for x in args.think.split(","))
    plan = Plan(think=(low, high), voice=args.voice, duration=args.duration, seed=args.seed)
    deck = next(d for d in load_decks(DECKS)[0] if d.id == plan.deck)
    setting = args.window if args.window >= MIN_SECONDS else None
    pin = 0 if args.model else PINNED_NEW_TOKENS
    print(machine_line(machine_facts()))
    with tempfile.TemporaryDirectory(prefix="sagdet-hostile-") as tmp:
        model_dir = checkpoint(args.model, args.cache, None if setting else args.window)
        server = Server(model_dir, setting, None, pin, results_kept=True)
        clips = recorded_clips(deck, None, args.seed, Path(tmp))
        flood = Flood(args.flooders)
        runs, heard = {}, None
        # Alone, beside the program, alone again: a machine whose load drifts (other work on it) shows
        # as two alone figures apart, rather than as the program's doing.
        for name, during in (("alone", None), ("beside it", flood.running), ("alone again", None)):
            print(f"\n-- the class {name}: load average {os.getloadavg()[0]:.1f} --")
            runs[name], heard = play_on(
                server, deck, args.learners, args.window, plan, clips, heard, Path(tmp), args.processes, during
            )
            print_run(runs[name])
    hostile = flood.figures
    print(f"\nthe class alone vs beside a hostile program ({args.flooders} session(s) writing back to back):")
    for alone in ("alone", "alone again"):
        print_p95s(ANSWERS, runs[alone], runs["beside it"], (alone, "beside it"))
    print(
        f"  the program: {hostile['sent_per_second']:.1f} writes/s sent, {hostile['taken']} taken "
        f"({hostile['taken_per_minute']:.0f} a minute), {hostile['refused']} refused ({hostile['turned_away']} "
        f"of them at the door), {hostile['failed']} failed; its client used {hostile['client_cpu_s']:.0f} s of CPU"
    )
    for name, run in runs.items():
        print(
            f"  the class {name}: {run['answers']} answers given, {run['answers_stored']} stored, {run['errors']} errors"
        )
    if args.json:
        args.json.write_text(json.dumps(runs | {"hostile": hostile}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
