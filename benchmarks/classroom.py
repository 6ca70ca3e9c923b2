"""A class at once: simulated learners play whole rounds through gradio_client against `python app.py`.

    python -m benchmarks.classroom                        # 1, 10 and 30 learners; 30 s and 5 s windows
    python -m benchmarks.classroom --learners 4 --window 5 --duration 60 --voice 1 --think 0.2,0.5
    python -m benchmarks.classroom --model DIR --json classroom.json

Each learner has its own gradio_client.Client (its own session) and plays as a person would:
starts a round, looks at the picture, thinks, answers by voice (an espeak-ng clip of the card's
word or, now and then, of another word) or by typing, takes a hint now and then, goes on to the
next card, and starts a new round after the summary. All learners start within the same second
and make no move that would start after `--duration` s. The server is `python app.py` on a free
localhost port, started afresh for each class size, and nothing else is ever contacted.

Every spoken verdict is checked: it must name the learner's own card (which the learner knows
from its picture) and say it heard what the same clip gives when heard alone, asked once per
clip through /check_answer before the class starts. A verdict that fails either is a mix-up;
typed verdicts are checked the same way (the card named, the text written).
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from benchmarks.fixtures import CACHE, Clip, checkpoint, make_clip_files, token_budget
from benchmarks.page import FEEDBACK, PICTURE, SUMMARY, TYPED, merged
from benchmarks.server import (
    answers_stored,
    connect,
    heard_alone,
    hint_endpoints,
    publish,
    start_app,
    stop_app,
    upload,
    wait_until_ready,
)
from benchmarks.verdicts import LANG, mixup

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("start", "hint", "typed", "spoken", "skip", "next")  # the events, in the table's order
ANSWERS = ("typed", "spoken")
MAX_MOVES = 5000  # per learner: a bound on top of the time limit
TRIES_BEFORE_SKIP = 3  # answers on one card that were not taken (nothing heard) before the learner skips


@dataclass(frozen=True)
class Plan:
    """How the learners play."""

    think: tuple[float, float] = (2.0, 6.0)  # seconds between moves
    voice: float = 0.5  # share of answers spoken
    right: float = 0.7  # share of answers that are the card's word (else another word of the deck)
    hint: float = 0.15  # chance of a hint before answering a card
    deck: str = "djur"
    cards: int = 5  # round length
    duration: float = 120.0
    timeout: float = 300.0  # one request at most
    seed: int = 0


# ---------------------------------------------------------------- one learner


def _stored(out) -> dict | None:
    """The learner's progress as the browser would keep it (XP pays for hints)."""
    return next((o for o in out if isinstance(o, dict) and "xp" in o and "words" in o), None)


def _max_queue_rank(job) -> int | None:
    """The furthest back in Gradio's queue this request was told it stood (from its status messages)."""
    ranks = []
    try:
        updates = job.communicator.updates
        while not updates.empty():
            update = updates.get_nowait()
            if getattr(update, "type", "") == "status" and getattr(update, "rank", None) is not None:
                ranks.append(update.rank)
    except Exception:  # a private part of gradio_client: the figure is optional
        return None
    return max(ranks) if ranks else None


class Learner:
    def __init__(
        self,
        number: int,
        url: str,
        plan: Plan,
        clips: list[Clip],
        heard_alone: dict[str, str],
        pictures,
        hint_endpoints: list[str],
        downloads: str,
    ):
        self.number = number
        self.plan = plan
        self.clips = clips
        self.heard_alone = heard_alone
        self.pictures = pictures
        self.hints = hint_endpoints
        self.rng = random.Random(f"{plan.seed}-{number}")
        self.records: list[dict] = []
        self.client = connect(url, download_files=downloads)
        self.stored = None
        self.feedback = ""
        self.view: list = []  # the page as it stands: an event sends only what it changed
        self.t0 = 0.0

    def move(self, kind: str, api_name: str, *args) -> tuple[object, dict]:
        at = time.time() - self.t0
        started = time.perf_counter()
        out, error, job = None, None, None
        try:
            job = self.client.submit(*args, api_name=api_name)
            out = job.result(timeout=self.plan.timeout)
        except Exception as exc:  # counted, not raised: errors are a figure of the benchmark
            error = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
            if job is not None:
                job.cancel()
        record = {
            "learner": self.number,
            "kind": kind,
            "at": round(at, 3),
            "seconds": time.perf_counter() - started,
            "done": round(time.time() - self.t0, 3),
            "error": error,
            "queue": _max_queue_rank(job) if job is not None else None,
        }
        self.records.append(record)
        if out is not None:
            self.stored = _stored(out) or self.stored
            self.view = merged(self.view, out)
            self.feedback = self.view[FEEDBACK] or ""
        return out, record

    def answer(self, card, spoken: bool) -> tuple[object, dict]:
        others = [c for c in self.clips if c.word != card.word]
        own = [c for c in self.clips if c.word == card.word]
        if spoken:
            clip = self.rng.choice(own if own and self.rng.random() < self.plan.right else others or own)
            out, record = self.move("spoken", "/answer_spoken", upload(clip.path), self.stored, LANG, "")
            said, expected = clip.word, self.heard_alone[clip.path]
        else:
            said = card.word if self.rng.random() < self.plan.right else self.rng.choice(others or own).word
            out, record = self.move("typed", "/answer_typed", said, self.stored, LANG, "")
            expected = said
        record.update(card=card.word, said=said, expected=expected)
        if out is not None:
            record["mixup"] = mixup(self.feedback, card, expected)
            if record["mixup"]:
                record["feedback"] = re.sub(r"<[^>]+>", " ", self.feedback)[:300]
        return out, record

    def play(self, t0: float) -> None:
        """Rounds until the time is up, a move every `think` seconds."""
        self.t0 = t0
        plan, rng = self.plan, self.rng
        deadline = t0 + plan.duration
        time.sleep(max(0.0, t0 + rng.uniform(0, 1) - time.time()))  # all start within the same second
        screen, card, hinted, tries = "start", None, False, 0
        for moves in range(MAX_MOVES):
            if moves:
                pause = rng.uniform(*plan.think)
                if time.time() + pause > deadline:
                    break
                time.sleep(pause)
            if screen == "start":
                nickname = f"learner-{self.number}"  # kept with the answers when the deck is a shared one
                out, _ = self.move(
                    "start", "/start_round", plan.deck, plan.cards, self.stored, False, LANG, "", nickname
                )
            elif screen == "answered":
                out, _ = self.move("next", "/next_card", self.stored, LANG, "")
                hinted, tries = False, 0  # a new card, or a missed one on its return
            elif not hinted and self.hints and rng.random() < plan.hint:
                hinted = True
                out, _ = self.move("hint", rng.choice(self.hints), self.stored, self.feedback, LANG, "")
            elif tries >= TRIES_BEFORE_SKIP:
                out, _ = self.move("skip", "/skip", self.stored, LANG, "")
            else:
                tries += 1
                out, _ = self.answer(card, spoken=rng.random() < plan.voice)
            if out is None:
                continue  # an error: the same screen again after the next pause
            view = self.view
            if view[SUMMARY] or view[PICTURE] is None:
                screen = "start"
                continue
            card = self.pictures.card_for(view[PICTURE])
            typed = out[TYPED]  # always sent, as an update that says whether the box takes an answer
            screen = "answered" if isinstance(typed, dict) and typed.get("interactive") is False else "card"

    def close(self) -> None:
        self.client.close()


# ---------------------------------------------------------------- a class: learners in threads, or processes


@dataclass(frozen=True)
class Class:
    url: str
    plan: Plan
    clips: list[Clip]
    heard_alone: dict[str, str]
    hint_endpoints: list[str]
    downloads: str


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _play_group(numbers: list[int], setup: Class, ready, go) -> tuple[list[dict], float]:
    """Learners as threads of this process: connect them all, say ready, wait for the start time, play.
    Their records, and the CPU seconds this process spent while they played."""
    from benchmarks.pictures import bundled_pictures

    pictures = bundled_pictures()
    learners: list[Learner] = []
    failed: list[dict] = []

    def arrive(number: int) -> None:
        try:
            learners.append(
                Learner(
                    number,
                    setup.url,
                    setup.plan,
                    setup.clips,
                    setup.heard_alone,
                    pictures,
                    setup.hint_endpoints,
                    setup.downloads,
                )
            )
        except Exception as exc:
            failed.append(
                {
                    "learner": number,
                    "kind": "connect",
                    "at": 0.0,
                    "seconds": 0.0,
                    "done": 0.0,
                    "error": f"{type(exc).__name__}: {exc}"[:300],
                    "queue": None,
                }
            )

    _run_threads([threading.Thread(target=arrive, args=(n,), daemon=True) for n in numbers], timeout=120)
    ready()
    t0 = go()
    threads = [threading.Thread(target=learner.play, args=(t0,), daemon=True) for learner in learners]
    cpu = _cpu_seconds()
    # A move starts before the deadline and waits at most `timeout`: every learner is done by then.
    _run_threads(threads, timeout=max(0.0, t0 - time.time()) + setup.plan.duration + setup.plan.timeout + 30)
    cpu = _cpu_seconds() - cpu
    for learner in learners:
        learner.close()
    return failed + [record for learner in learners for record in list(learner.records)], cpu


def _run_threads(threads: list[threading.Thread], timeout: float) -> None:
    for t in threads:
        t.start()
    end = time.time() + timeout
    for t in threads:
        t.join(max(0.0, end - time.time()))


def _group_process(numbers: list[int], setup: Class, conn) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    conn.send(_play_group(numbers, setup, ready=lambda: conn.send("ready"), go=conn.recv))
    conn.close()


START_AFTER = 1.0  # seconds between "everyone is connected" and the first learner's start


def run_class(learners: int, setup: Class, processes: int) -> tuple[list[dict], float]:
    """Play with `learners` learners; their records and the CPU seconds the clients spent playing.
    `processes` 0: all as threads of this process; else spread over that many processes (each
    learner a thread of one of them)."""
    if processes <= 0:
        return _play_group(list(range(learners)), setup, ready=lambda: None, go=lambda: time.time() + START_AFTER)
    ctx = multiprocessing.get_context("spawn")
    groups = [list(range(learners))[i::processes] for i in range(min(processes, learners))]
    pipes, procs = [], []
    for numbers in groups:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_group_process, args=(numbers, setup, child), daemon=True)
        proc.start()
        pipes.append(parent)
        procs.append(proc)
    for pipe in pipes:
        if not pipe.poll(300) or pipe.recv() != "ready":
            raise RuntimeError("a learners' process did not connect within 300 s")
    t0 = time.time() + START_AFTER
    for pipe in pipes:
        pipe.send(t0)
    records: list[dict] = []
    cpu = 0.0
    limit = t0 + setup.plan.duration + setup.plan.timeout + 120
    for pipe, proc in zip(pipes, procs):
        if pipe.poll(max(1.0, limit - time.time())):
            group_records, group_cpu = pipe.recv()
            records += group_records
            cpu += group_cpu
        else:
            records.append(
                {
                    "learner": -1,
                    "kind": "connect",
                    "at": 0.0,
                    "seconds": 0.0,
                    "done": 0.0,
                    "error": "a learners' process did not finish",
                    "queue": None,
                }
            )
        proc.join(timeout=10)
        if proc.is_alive():
            proc.kill()
    return records, cpu


# ---------------------------------------------------------------- figures


def summarise(records: list[dict], plan: Plan, learners: int, window: int, peak_mb: float, client_cpu: float) -> dict:
    events = {}
    for kind in KINDS:
        mine = [r for r in records if r["kind"] == kind]
        seconds = [r["seconds"] for r in mine if r["error"] is None]
        queues = [r["queue"] for r in mine if r.get("queue") is not None]
        events[kind] = {
            "count": len(mine),
            "errors": sum(r["error"] is not None for r in mine),
            "p50": statistics.median(seconds) if seconds else None,
            "p95": float(np.percentile(seconds, 95)) if seconds else None,
            "max": max(seconds) if seconds else None,
            "max_queue": max(queues) if queues else None,
        }
    answers = [r for r in records if r["kind"] in ANSWERS and r["error"] is None]
    in_window = [r for r in answers if r["done"] <= plan.duration]
    mixed = [r for r in answers if r.get("mixup")]
    errors = [r for r in records if r["error"] is not None]
    return {
        "window": window,
        "learners": learners,
        "duration": plan.duration,
        "think": list(plan.think),
        "events": events,
        "answers": len(answers),
        "answers_per_s": len(in_window) / plan.duration,
        "errors": len(errors),
        "error_examples": sorted({r["error"] for r in errors})[:5],
        "mixups": {
            "total": len(mixed),
            "spoken": sum(r["kind"] == "spoken" for r in mixed),
            "typed": sum(r["kind"] == "typed" for r in mixed),
            "wrong_card": sum(r["mixup"] == "wrong card" for r in mixed),
            "heard_differs": sum(r["mixup"] == "heard differs" for r in mixed),
            "no_verdict": sum(r["mixup"] == "no verdict" for r in mixed),
        },
        "mixup_examples": [
            {k: r.get(k) for k in ("learner", "kind", "card", "said", "expected", "mixup", "feedback")}
            for r in mixed[:5]
        ],
        "spoken_right_card": sum(r["kind"] == "spoken" and not r.get("mixup") for r in answers),
        "peak_rss_mb": peak_mb,
        "moves": len(records),
        "client_cpu_s": client_cpu,
        "last_done_s": max((r["done"] for r in records), default=0.0),
    }


def _s(value) -> str:
    return "-" if value is None else f"{value:.2f}"


def print_run(run: dict) -> None:
    print(f"{'event':<8} {'count':>6} {'errors':>6} {'p50 s':>7} {'p95 s':>7} {'max s':>7} {'queue':>6}")
    for kind, e in run["events"].items():
        queue = "-" if e["max_queue"] is None else str(e["max_queue"])
        print(
            f"{kind:<8} {e['count']:>6} {e['errors']:>6} {_s(e['p50']):>7} {_s(e['p95']):>7} {_s(e['max']):>7} "
            f"{queue:>6}"
        )
    m = run["mixups"]
    print(
        f"{run['learners']} learner(s), {run['window']} s window: {run['answers']} answers, "
        f"{run['answers_per_s']:.2f} answers/s sustained, {run['errors']} errors, {m['total']} mix-ups "
        f"({m['wrong_card']} wrong card, {m['heard_differs']} heard differs, {m['no_verdict']} no verdict), "
        f"server peak RSS {run['peak_rss_mb']:.0f} MB"
    )
    print(
        f"  the learners' clients used {run['client_cpu_s']:.1f} s of CPU for {run['moves']} moves "
        f"({1000 * run['client_cpu_s'] / max(1, run['moves']):.0f} ms a move)"
    )
    for example in run["error_examples"]:
        print(f"  error: {example}")
    for example in run["mixup_examples"]:
        print(f"  mix-up: {json.dumps(example, ensure_ascii=False)}")


SUMMARY_HEADER = (
    f"{'window':>6} {'learners':>8} {'answers':>7} {'ans/s':>6} {'errors':>6} {'mix-ups':>7} "
    f"{'typed p95':>9} {'spoken p95':>10} {'peak MB':>8}"
)


def summary_line(run: dict) -> str:
    e = run["events"]
    return (
        f"{run['window']:>6} {run['learners']:>8} {run['answers']:>7} {run['answers_per_s']:>6.2f} "
        f"{run['errors']:>6} {run['mixups']['total']:>7} {_s(e['typed']['p95']):>9} "
        f"{_s(e['spoken']['p95']):>10} {run['peak_rss_mb']:>8.0f}"
    )


def largest_class(runs: list[dict], window: int, limit: float) -> int | None:
    """The most learners measured at this window with spoken p95 within the limit, no errors, no mix-ups."""
    fits = [
        r["learners"]
        for r in runs
        if r["window"] == window
        and r["errors"] == 0
        and r["mixups"]["total"] == 0
        and r["events"]["spoken"]["p95"] is not None
        and r["events"]["spoken"]["p95"] <= limit
    ]
    return max(fits, default=None)


# ---------------------------------------------------------------- one class on a fresh server


@dataclass(frozen=True)
class Server:
    model_dir: str
    precision: str | None
    pin: int
    results_kept: bool | None  # None: the built-in deck; False/True: a shared copy, results kept or not
    nice: int | None = None  # SAGDET_MODEL_NICE for the app (None: the app's default)


def play_on(server: Server, deck, learners: int, window: int, plan: Plan, clips, alone, tmp: Path, processes: int):
    """One class on a fresh `python app.py`: its figures, and what each clip gives alone (asked once)."""
    mode = {None: "built-in", False: "results-off", True: "results-kept"}[server.results_kept]
    data = tempfile.mkdtemp(prefix=f"data-{window}-{learners}-{mode}-", dir=tmp)  # a class size may come twice
    days = 90 if server.results_kept is not False else 0
    proc, url, memory = start_app(server.model_dir, server.precision, server.pin, data, days, server.nice)
    try:
        loaded = time.perf_counter()
        wait_until_ready(url, clips[0])
        if alone is None:
            alone = heard_alone(url, clips)
            print(
                f"heard alone: {len(alone)} clips, {len(set(alone.values()))} different transcripts "
                f"(model ready and all heard in {time.perf_counter() - loaded:.0f} s)"
            )
        code = key = None
        if server.results_kept is not None:
            code, key = publish(url, deck, tmp)
            plan = replace(plan, deck=code)
        downloads = tempfile.mkdtemp(prefix=f"downloads-{window}-{learners}-{mode}-", dir=tmp)
        setup = Class(url, plan, clips, alone, hint_endpoints(url), downloads)
        niceness = "" if server.nice is None else f", model nice {server.nice}"
        print(f"\n== {learners} learner(s), {window} s window, {mode}{niceness} ==")
        records, client_cpu = run_class(learners, setup, processes)
        run = summarise(records, plan, learners, window, memory.stop(), client_cpu)
        run["mode"], run["nice"] = mode, server.nice
        if code is not None:
            run["answers_stored"] = answers_stored(url, code, key)
            print(f"answers stored in the class's results: {run['answers_stored']}")
    finally:
        stop_app(proc)
    return run, alone


def print_p95s(kinds, before: dict, after: dict, names: tuple[str, str]) -> None:
    """One line per kind of event: its p95 in two classes of the same size, and their ratio."""
    for kind in kinds:
        a, b = before["events"][kind]["p95"], after["events"][kind]["p95"]
        ratio = f"× {b / a:.2f}" if a and b else "-"
        print(
            f"  {after['learners']} learners, {after['window']} s window, {kind} p95: "
            f"{names[0]} {_s(a)} s, {names[1]} {_s(b)} s ({ratio})"
        )


def print_results_cost(runs: list[dict]) -> None:
    """Each class with its results kept against the same class just before it, without."""
    print("\nresults kept vs not kept (same run, same plan, a fresh server each):")
    for off, kept in itertools.pairwise(runs):
        if (off.get("mode"), kept.get("mode")) != ("results-off", "results-kept"):
            continue
        print_p95s(ANSWERS, off, kept, ("not kept", "kept"))
        print(f"  answers stored: {kept['answers_stored']} (the results not kept: {off['answers_stored']})")


def print_nice_cost(runs: list[dict], first: int) -> None:
    """Each class at another --nice value against the same class run last at the `first` value."""
    print("\nthe model's priority (same run, same plan, a fresh server each):")
    base: dict[tuple, dict] = {}
    for run in runs:
        same = (run["learners"], run["window"], run["mode"])
        if run["nice"] == first:
            base[same] = run
        elif same in base:
            print_p95s(("typed", "next", "spoken"), base[same], run, (f"nice {first}", f"nice {run['nice']}"))


# ---------------------------------------------------------------- main


def _numbers(text: str, kind=int) -> list:
    return [kind(x) for x in text.split(",") if x.strip()]


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from benchmarks.answer_latency import PINNED_NEW_TOKENS
    from game.config import PRECISIONS
    from game.decks.deck import load_decks

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", default="1,10,30", help="class sizes, e.g. 1,10,30")
    parser.add_argument("--window", default="30,5", help="audio windows in seconds, e.g. 30,5")
    parser.add_argument("--duration", type=float, default=120.0, help="seconds each class plays")
    parser.add_argument(
        "--model",
        help=f"a local checkpoint (default: whisper-small dimensions, random weights, built once into {CACHE})",
    )
    parser.add_argument("--think", default="2,6", help="seconds between a learner's moves: MIN,MAX")
    parser.add_argument("--voice", type=float, default=Plan.voice, help="share of answers spoken (0–1)")
    parser.add_argument("--hint", type=float, default=Plan.hint, help="chance of a hint before answering a card")
    parser.add_argument("--deck", default=Plan.deck, help="the deck the learners play")
    parser.add_argument("--words", type=int, help="record only this many of the deck's words (default: all)")
    parser.add_argument("--cards", type=int, default=Plan.cards, help="cards in a round")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--precision", choices=PRECISIONS, help="SAGDET_PRECISION for the app (default: the app's)")
    parser.add_argument(
        "--pin",
        type=int,
        help="pin the model to this many new tokens an answer, as answer_latency "
        f"does (default: {PINNED_NEW_TOKENS} for the random-weight model, "
        "none for --model; 0: none)",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=0,
        help="spread the learners over this many client processes (0: threads of this one)",
    )
    parser.add_argument("--timeout", type=float, default=Plan.timeout, help="seconds one request may take")
    parser.add_argument("--cache", type=Path, default=CACHE, help="where built checkpoints are kept")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument(
        "--results",
        action="store_true",
        help="play a shared copy of the deck (by class code, with nicknames), each class twice on a fresh "
        "server: first with the class's results not kept (SAGDET_RESULTS_DAYS=0), then kept",
    )
    parser.add_argument(
        "--nice",
        default="",
        help="the model's priority below the page's (SAGDET_MODEL_NICE), e.g. 0,10: each class once per value, "
        "compared in the same run (default: the app's own)",
    )
    args = parser.parse_args(argv)
    nices = _numbers(args.nice) or [None]
    if any(not 0 <= nice <= 19 for nice in nices if nice is not None):
        parser.error("--nice takes values from 0 to 19")
    if args.results and len(nices) > 1:
        parser.error("compare --results or --nice in one run, not both (each compares neighbouring classes)")
    pin = args.pin if args.pin is not None else 0 if args.model else PINNED_NEW_TOKENS

    think = tuple(_numbers(args.think, float))
    if len(think) != 2 or not 0 <= think[0] <= think[1]:
        parser.error("--think takes MIN,MAX")
    plan = Plan(
        think=think,
        voice=args.voice,
        hint=args.hint,
        deck=args.deck,
        cards=args.cards,
        duration=args.duration,
        timeout=args.timeout,
        seed=args.seed,
    )
    sizes, windows = _numbers(args.learners), _numbers(args.window)
    decks, _ = load_decks(ROOT / "assets" / "decks")
    deck = next((d for d in decks if d.id == plan.deck), None)
    if deck is None:
        parser.error(f"no deck {plan.deck!r}; there are {', '.join(d.id for d in decks)}")

    print(f"machine: {os.cpu_count()} cores, load {' '.join(f'{x:.1f}' for x in os.getloadavg())} before the start")
    results: dict = {
        "learners": sizes,
        "windows": windows,
        "plan": asdict(plan),
        "runs": [],
        "model": args.model or "whisper-small dimensions, random weights",
        "pinned_tokens": pin,
        "processes": args.processes,
    }
    with tempfile.TemporaryDirectory(prefix="sagdet-classroom-") as tmp:
        tmp = Path(tmp)
        words = sorted({c.word for c in deck.cards})
        clips = make_clip_files(
            random.Random(args.seed).sample(words, min(args.words or len(words), len(words))), tmp, args.seed
        )
        print(
            f"clips: {len(clips)} of the {len(words)} words of the deck {deck.id!r}, from espeak-ng, as a browser "
            "records them (a card without a clip is answered with another word's)"
        )
        print(
            f"learners: think {think[0]:g}–{think[1]:g} s, {plan.voice:.0%} of answers spoken, "
            f"{plan.right:.0%} the card's word, a hint before {plan.hint:.0%} of cards, rounds of {plan.cards}, "
            f"{plan.duration:g} s per class; "
            + (f"{args.processes} client processes" if args.processes else "one client process, a thread each")
        )
        for window in windows:
            model_dir = checkpoint(window, args.model, args.cache)
            budget = token_budget(model_dir, ROOT / "assets" / "decks")
            print(
                f"\nmodel: {args.model or 'whisper-small dimensions, random weights'}, {window} s window "
                f"({model_dir}); the game allows {budget} new tokens an answer"
                + (f", pinned to {pin} (python app.py with generate() pinned)" if pin else "")
            )
            alone: dict[str, str] | None = None
            for learners in sizes:
                for nice, results_kept in itertools.product(nices, (False, True) if args.results else (None,)):
                    server = Server(model_dir, args.precision, pin, results_kept, nice)
                    run, alone = play_on(server, deck, learners, window, plan, clips, alone, tmp, args.processes)
                    print_run(run)
                    results["runs"].append(run)
                    sys.stdout.flush()

    print("\n" + SUMMARY_HEADER)
    for run in results["runs"]:
        print(summary_line(run))
    for window in windows:
        best = {limit: largest_class(results["runs"], window, limit) for limit in (2.0, 3.0)}
        print(
            f"{window} s window, largest class measured with 0 errors, 0 mix-ups and spoken p95 "
            + ", ".join(f"≤ {limit:g} s: {n if n is not None else 'none'}" for limit, n in best.items())
        )
    if args.results:
        print_results_cost(results["runs"])
    if len(nices) > 1:
        print_nice_cost(results["runs"], nices[0])
    total_mixups = sum(r["mixups"]["total"] for r in results["runs"])
    total_errors = sum(r["errors"] for r in results["runs"])
    print(f"errors: {total_errors}, mix-ups: {total_mixups}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
