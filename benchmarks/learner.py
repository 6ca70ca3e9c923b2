"""Simulated learners, and a class of them playing at once.

A `Learner` is one gradio_client session playing whole rounds as a person would (classroom.py
tells how): a move every `think` seconds, answers spoken or typed, now and then a hint. Each
request it sends is kept as a `Move`, an answer's checked against its verdict. A class plays as
threads of this process, or spread over spawned processes.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import re
import resource
import threading
import time
from dataclasses import dataclass

from benchmarks.fixtures import Clip
from benchmarks.page import merged
from benchmarks.pictures import PictureIndex, bundled_pictures
from benchmarks.server import connect, upload
from benchmarks.verdicts import LANG, mixup
from game.api import FEEDBACK, PICTURE, SUMMARY, TYPED

KINDS = ("start", "hint", "typed", "spoken", "skip", "next")  # the events, in the table's order
ANSWERS = ("typed", "spoken")
MAX_MOVES = 5000  # per learner: a bound on top of the time limit
TRIES_BEFORE_SKIP = 3  # answers on one card that were not taken (nothing heard) before the learner skips
START_AFTER = 1.0  # seconds between "everyone is connected" and the first learner's start


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


@dataclass
class Move:
    """One request a learner sent (kind "connect": a learner, or a process of them, that never played)."""

    learner: int
    kind: str
    at: float = 0.0  # seconds from the class's start to sending it
    seconds: float = 0.0  # from sending it to having its outputs
    done: float = 0.0  # seconds from the class's start to having its outputs
    error: str | None = None  # why it raised or timed out
    queue: int | None = None  # the furthest back in Gradio's queue it stood
    # An answer's, checked against its verdict:
    card: str | None = None  # the learner's card
    said: str | None = None  # the word typed, or spoken in the clip sent
    expected: str | None = None  # what the verdict should say it heard (the clip alone) or read
    mixup: str | None = None  # why the verdict is not this learner's own (benchmarks.verdicts.mixup)
    feedback: str | None = None  # the verdict's text, kept with a mix-up


@dataclass(frozen=True)
class Class:
    url: str
    plan: Plan
    clips: list[Clip]
    heard_alone: dict[str, str]
    hint_endpoints: list[str]
    downloads: str


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
    def __init__(self, number: int, setup: Class, pictures: PictureIndex):
        self.number = number
        self.plan = setup.plan
        self.clips = setup.clips
        self.heard_alone = setup.heard_alone
        self.pictures = pictures
        self.hints = setup.hint_endpoints
        self.rng = random.Random(f"{self.plan.seed}-{number}")
        self.moves: list[Move] = []
        self.client = connect(setup.url, download_files=setup.downloads)
        self.stored = None
        self.feedback = ""
        self.view: list = []  # the page as it stands: an event sends only what it changed
        self.t0 = 0.0

    def move(self, kind: str, api_name: str, *args) -> tuple[object, Move]:
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
        move = Move(
            self.number,
            kind,
            at=round(at, 3),
            seconds=time.perf_counter() - started,
            done=round(time.time() - self.t0, 3),
            error=error,
            queue=_max_queue_rank(job) if job is not None else None,
        )
        self.moves.append(move)
        if out is not None:
            self.stored = _stored(out) or self.stored
            self.view = merged(self.view, out)
            self.feedback = self.view[FEEDBACK] or ""
        return out, move

    def answer(self, card, spoken: bool) -> tuple[object, Move]:
        others = [c for c in self.clips if c.word != card.word]
        own = [c for c in self.clips if c.word == card.word]
        if spoken:
            clip = self.rng.choice(own if own and self.rng.random() < self.plan.right else others or own)
            out, move = self.move("spoken", "/answer_spoken", upload(clip.path), self.stored, LANG, "")
            said, expected = clip.word, self.heard_alone[clip.path]
        else:
            said = card.word if self.rng.random() < self.plan.right else self.rng.choice(others or own).word
            out, move = self.move("typed", "/answer_typed", said, self.stored, LANG, "")
            expected = said
        move.card, move.said, move.expected = card.word, said, expected
        if out is not None:
            move.mixup = mixup(self.feedback, card, expected)
            if move.mixup:
                move.feedback = re.sub(r"<[^>]+>", " ", self.feedback)[:300]
        return out, move

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


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _run_threads(threads: list[threading.Thread], timeout: float) -> None:
    for t in threads:
        t.start()
    end = time.time() + timeout
    for t in threads:
        t.join(max(0.0, end - time.time()))


def _play_group(numbers: list[int], setup: Class, ready, go) -> tuple[list[Move], float]:
    """Learners as threads of this process: connect them all, say ready, wait for the start time, play.
    Their moves, and the CPU seconds this process spent while they played."""
    pictures = bundled_pictures()
    learners: list[Learner] = []
    failed: list[Move] = []

    def arrive(number: int) -> None:
        try:
            learners.append(Learner(number, setup, pictures))
        except Exception as exc:
            failed.append(Move(number, "connect", error=f"{type(exc).__name__}: {exc}"[:300]))

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
    return failed + [move for learner in learners for move in list(learner.moves)], cpu


def _group_process(numbers: list[int], setup: Class, conn) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    conn.send(_play_group(numbers, setup, ready=lambda: conn.send("ready"), go=conn.recv))
    conn.close()


def run_class(learners: int, setup: Class, processes: int) -> tuple[list[Move], float]:
    """Play with `learners` learners; their moves and the CPU seconds the clients spent playing.
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
    moves: list[Move] = []
    cpu = 0.0
    limit = t0 + setup.plan.duration + setup.plan.timeout + 120
    for pipe, proc in zip(pipes, procs):
        if pipe.poll(max(1.0, limit - time.time())):
            group_moves, group_cpu = pipe.recv()
            moves += group_moves
            cpu += group_cpu
        else:
            moves.append(Move(-1, "connect", error="a learners' process did not finish"))
        proc.join(timeout=10)
        if proc.is_alive():
            proc.kill()
    return moves, cpu
