"""A class at once: simulated learners play whole rounds through gradio_client against `python app.py`.

    python -m benchmarks.classroom                        # 1, 10 and 30 learners; 30 s, 10 s and 5 s windows
    python -m benchmarks.classroom --learners 4 --window 5 --duration 60 --voice 1 --think 0.2,0.5
    python -m benchmarks.classroom --model DIR --json classroom.json
    python -m benchmarks.classroom --model DIR --window 30 --speech-url http://127.0.0.1:8000/v1 --learners 1,30

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

With `--speech-url` (and `--model`, the checkpoint that engine serves) every class is played once
more with the app's speech on that engine (SAGDET_SPEECH_URL), beside the same classes heard in
process, in the same run.

This script reads the command line and runs the classes; the work is in benchmarks/learner.py
(the learners, a class), server.py (the app), verdicts.py (mix-ups), fixtures.py (checkpoints,
clips) and report.py (the figures).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from benchmarks.answer_latency import PINNED_NEW_TOKENS
from benchmarks.fixtures import CACHE, Clip, checkpoint, make_clip_files, token_budget
from benchmarks.learner import Class, Plan, run_class
from benchmarks.report import (
    heard_by,
    machine_facts,
    machine_line,
    print_nice_cost,
    print_results_cost,
    print_run,
    print_summary,
    print_totals,
    summarise,
)
from benchmarks.server import (
    answers_stored,
    heard_alone,
    hint_endpoints,
    publish,
    start_app,
    stop_app,
    wait_until_ready,
)
from game.config import PRECISIONS
from game.decks.deck import load_decks
from game.speech.window import MIN_SECONDS

DECKS = Path(__file__).resolve().parent.parent / "assets" / "decks"
RANDOM_MODEL = "whisper-small dimensions, random weights"
ENGINE = "engine"  # in place of a window: the class's speech goes to the engine at --speech-url


@dataclass(frozen=True)
class Server:
    model_dir: str
    window: int | None  # SAGDET_WINDOW for the app (None: the checkpoint's own, cut already)
    precision: str | None
    pin: int
    results_kept: bool | None  # None: the built-in deck; False/True: a shared copy, results kept or not
    nice: int | None = None  # SAGDET_MODEL_NICE for the app (None: the app's default)
    speech: tuple[str, str] | None = None  # SAGDET_SPEECH_URL and SAGDET_SPEECH_MODEL (None: in process)


def play_on(
    server: Server,
    deck,
    learners: int,
    window: int | str,
    plan: Plan,
    clips,
    alone,
    tmp: Path,
    processes: int,
    during: Callable[[str], AbstractContextManager] | None = None,
):
    """One class on a fresh `python app.py`: its figures, and what each clip gives alone (asked once).
    `during(url)`: something else the server is put through while the class plays (benchmarks/hostile.py)."""
    mode = {None: "built-in", False: "results-off", True: "results-kept"}[server.results_kept]
    data = tempfile.mkdtemp(prefix=f"data-{window}-{learners}-{mode}-", dir=tmp)  # a class size may come twice
    days = 90 if server.results_kept is not False else 0
    proc, url, memory = start_app(
        server.model_dir, server.window, server.precision, server.pin, data, days, server.nice, server.speech
    )
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
        print(f"\n== {learners} learner(s), {heard_by(window)}, {mode}{niceness} ==")
        with during(url) if during else nullcontext():
            moves, client_cpu = run_class(learners, setup, processes)
        run = summarise(moves, plan, learners, window, memory.stop(), client_cpu)
        run["mode"], run["nice"] = mode, server.nice
        if code is not None:
            run["answers_stored"] = answers_stored(url, code, key)
            print(f"answers stored in the class's results: {run['answers_stored']}")
    finally:
        stop_app(proc)
    return run, alone


def play_window(args, window: int | str, sizes: list[int], nices: list, plan: Plan, deck, clips, pin: int, tmp: Path):
    """Every class at one audio window, or on the speech engine (`window` ENGINE), each on a fresh
    server: their figures."""
    if window == ENGINE:
        print(f"\nspeech: the engine at {args.speech_url}, model {args.speech_model} (the engine's own window)")
        return play_classes(
            args,
            window,
            sizes,
            nices,
            plan,
            deck,
            clips,
            tmp,
            server=Server(str(args.model), None, None, 0, None, speech=(args.speech_url, args.speech_model)),
        )
    # A stock checkpoint is cut by the game's own setting; a shorter window than the setting allows
    # stands for a checkpoint trained on it, cut as training/ cuts it.
    setting = window if window >= MIN_SECONDS else None
    model_dir = checkpoint(args.model, args.cache, None if setting else window)
    budget = token_budget(model_dir, DECKS)
    how = f"SAGDET_WINDOW={window}" if setting else "a checkpoint trained on it"
    print(
        f"\nmodel: {args.model or RANDOM_MODEL}, {window} s window ({how}: "
        f"{model_dir}); the game allows {budget} new tokens an answer"
        + (f", pinned to {pin} (python app.py with generate() pinned)" if pin else "")
    )
    return play_classes(
        args, window, sizes, nices, plan, deck, clips, tmp, Server(model_dir, setting, args.precision, pin, None)
    )


def play_classes(
    args, window: int | str, sizes: list[int], nices: list, plan: Plan, deck, clips, tmp: Path, server: Server
):
    runs: list[dict] = []
    alone: dict[str, str] | None = None
    for learners in sizes:
        for nice, results_kept in itertools.product(nices, (False, True) if args.results else (None,)):
            this = replace(server, results_kept=results_kept, nice=nice)
            run, alone = play_on(this, deck, learners, window, plan, clips, alone, tmp, args.processes)
            print_run(run)
            runs.append(run)
            sys.stdout.flush()
    return runs


def recorded_clips(deck, words: int | None, seed: int, tmp: Path) -> list[Clip]:
    """A clip of each of the deck's words, or of `words` of them."""
    every = sorted({c.word for c in deck.cards})
    clips = make_clip_files(random.Random(seed).sample(every, min(words or len(every), len(every))), tmp, seed)
    print(
        f"clips: {len(clips)} of the {len(every)} words of the deck {deck.id!r}, from espeak-ng, as a browser "
        "records them (a card without a clip is answered with another word's)"
    )
    return clips


def _numbers(text: str, kind=int) -> list:
    return [kind(x) for x in text.split(",") if x.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", default="1,10,30", help="class sizes, e.g. 1,10,30")
    parser.add_argument(
        "--window",
        default="30,10,5",
        help="audio windows in seconds, e.g. 30,10,5: from 6 s the app's SAGDET_WINDOW, below a checkpoint cut to it",
    )
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
    parser.add_argument(
        "--speech-url",
        help="also play every class with speech on this engine (SAGDET_SPEECH_URL, e.g. http://127.0.0.1:8000/v1)",
    )
    parser.add_argument("--speech-model", help="the model the engine serves (default: --model's folder name)")
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
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = _parser()
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
    if args.speech_url:
        if not args.model:
            parser.error("--speech-url needs --model: the checkpoint the engine serves, heard in process beside it")
        windows.append(ENGINE)
        args.speech_model = args.speech_model or Path(args.model).name
    decks, _ = load_decks(DECKS)
    deck = next((d for d in decks if d.id == plan.deck), None)
    if deck is None:
        parser.error(f"no deck {plan.deck!r}; there are {', '.join(d.id for d in decks)}")

    print(machine_line(machine_facts()))
    results: dict = {
        "learners": sizes,
        "windows": windows,
        "plan": asdict(plan),
        "runs": [],
        "model": args.model or RANDOM_MODEL,
        "pinned_tokens": pin,
        "processes": args.processes,
    }
    with tempfile.TemporaryDirectory(prefix="sagdet-classroom-") as tmp:
        clips = recorded_clips(deck, args.words, args.seed, Path(tmp))
        print(
            f"learners: think {think[0]:g}–{think[1]:g} s, {plan.voice:.0%} of answers spoken, "
            f"{plan.right:.0%} the card's word, a hint before {plan.hint:.0%} of cards, rounds of {plan.cards}, "
            f"{plan.duration:g} s per class; "
            + (f"{args.processes} client processes" if args.processes else "one client process, a thread each")
        )
        for window in windows:
            results["runs"] += play_window(args, window, sizes, nices, plan, deck, clips, pin, Path(tmp))

    print_summary(results["runs"], windows)
    if args.results:
        print_results_cost(results["runs"])
    if len(nices) > 1:
        print_nice_cost(results["runs"], nices[0])
    print_totals(results["runs"])
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
