"""How long a learner waits for a verdict: the game's path against the plain transformers pipeline.

    python -m benchmarks.answer_latency                    # whisper-small dimensions, random weights
    python -m benchmarks.answer_latency --window 5         # ... and the game on a 5 s-window checkpoint
    python -m benchmarks.answer_latency --model DIR        # a real local checkpoint (no token pinning)
    python -m benchmarks.answer_latency --model DIR --tokens 4   # an untrained one: pinned, or it writes to its limit
    python -m benchmarks.answer_latency --concurrency 1,4,8

Both paths run on the same 1–3 s clips (Swedish words from espeak-ng with silence around them,
as a browser records them: 44.1 kHz int16), each in a fresh process so that load time and peak
memory are its own. The baseline is `pipeline("automatic-speech-recognition", model=...)` with
its default settings (5 beams, language detected), given the audio already at 16 kHz; the
game's path is exactly what the game runs from the recording to the verdict. A model with random
weights would stop anywhere, so both are pinned to the tokens a real one-word answer takes.
The last line is machine-readable: `p50 ratio game/baseline: 0.NN`.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
WORDS = [
    "hund",
    "katt",
    "äpple",
    "flygplan",
    "snögubbe",
    "mjölk",
    "cykel",
    "tåg",
    "paraply",
    "jordgubbe",
    "glass",
    "öga",
]
BROWSER_RATE = 44_100
# " Flygplan." is 4 tokens in Whisper's vocabulary, then <|endoftext|>.
PINNED_NEW_TOKENS = 5


def make_clips(count: int, seed: int = 0, words: list[str] = WORDS) -> list[tuple[str, np.ndarray]]:
    """(word, 44.1 kHz int16 recording of 1–3 s): the word with silence before and after, for
    `count` words taken in turn from `words`."""
    import soundfile
    import soxr

    rng = np.random.default_rng(seed)
    clips = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(count):
            word = words[i % len(words)]
            total = rng.uniform(1.0, 3.0)
            if shutil.which("espeak-ng"):
                wav = Path(tmp) / f"{i}.wav"
                subprocess.run(
                    ["espeak-ng", "-v", "sv", "-s", str(int(rng.uniform(120, 170))), "-w", str(wav), word],
                    check=True,
                    capture_output=True,
                )
                speech, rate = soundfile.read(wav, dtype="float32")
                speech = soxr.resample(speech, rate, BROWSER_RATE)
            else:  # a voiced-sounding burst when espeak-ng is missing
                t = np.arange(int(0.6 * BROWSER_RATE)) / BROWSER_RATE
                speech = 0.3 * np.sin(2 * np.pi * 150 * t) * np.hanning(len(t))
            clips.append((word, browser_recording(speech, total, rng.uniform(0.1, 0.4), 0.002, rng)))
    return clips


def browser_recording(
    speech: np.ndarray, total_s: float, lead_s: float, noise: float, rng: np.random.Generator
) -> np.ndarray:
    """Speech at BROWSER_RATE as a browser records it: `lead_s` of silence before it, silence after
    it up to `total_s` in all, Gaussian room noise of standard deviation `noise` (0: none), int16."""
    clip = np.zeros(int(total_s * BROWSER_RATE), dtype=np.float32)
    speech = speech[: len(clip) - 2]
    lead = int(lead_s * BROWSER_RATE)
    clip[lead : lead + len(speech)] = speech[: len(clip) - lead]
    if noise:
        clip += rng.normal(0, noise, len(clip)).astype(np.float32)
    return (np.clip(clip, -1, 1) * 32767).astype(np.int16)


def build_whisper_small(out: Path) -> Path:
    """A checkpoint with whisper-small's exact dimensions and random weights."""
    from training.tools.scratch import WHISPER_SMALL, build_tiny_whisper

    return build_tiny_whisper(out, WORDS * 20, **WHISPER_SMALL)


def save_with_window(source: str | Path, window: int, out: Path) -> str:
    """A copy of a checkpoint with its audio window cut to `window` seconds. Speed only: stock
    weights are not trained for the shorter window (training/ does that)."""
    from transformers import WhisperForConditionalGeneration, WhisperProcessor

    from game.speech.window import cut_window

    model = WhisperForConditionalGeneration.from_pretrained(source)
    processor = WhisperProcessor.from_pretrained(source)
    cut_window(model, processor.feature_extractor, window)
    model.save_pretrained(out)
    processor.save_pretrained(out)
    return str(out)


def _pin_tokens(count: int) -> None:
    from transformers import WhisperForConditionalGeneration

    generate = WhisperForConditionalGeneration.generate

    def pinned(self, *args, **kwargs):
        kwargs.update(min_new_tokens=count, max_new_tokens=count)
        return generate(self, *args, **kwargs)

    WhisperForConditionalGeneration.generate = pinned


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_path(kind: str, model_dir: str, clips, pin: int | None, precision: str, queue) -> None:
    """One path, in its own process: load, one warm-up answer, then every clip timed."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import transformers

    transformers.logging.set_verbosity_error()
    if pin:
        _pin_tokens(pin)
    started = time.perf_counter()
    if kind == "baseline":
        import soxr
        from transformers import pipeline

        pipe = pipeline("automatic-speech-recognition", model=model_dir)
        load = time.perf_counter() - started

        def answer(word, recording):
            audio = soxr.resample(recording.astype(np.float32) / 32768, BROWSER_RATE, 16000)
            started = time.perf_counter()  # the baseline is handed 16 kHz audio: its clock starts here
            text = pipe(audio)["text"].strip()
            return text, time.perf_counter() - started
    else:
        from game.decks.deck import load_decks
        from game.round.judge import judge
        from game.speech.listener import Listener
        from game.speech.loading import BackgroundModel
        from game.speech.model import Transcriber

        model = BackgroundModel(model_dir, loader=lambda name: Transcriber.load(name, precision))
        model.wait()
        if model.transcriber is None:
            raise RuntimeError(model.status().message)
        decks, _ = load_decks(ROOT / "assets" / "decks")
        listener = Listener(model, [a for d in decks for c in d.cards for a in c.answers])
        load = time.perf_counter() - started

        def answer(word, recording):
            started = time.perf_counter()
            heard = listener.hear((BROWSER_RATE, recording))
            judge(heard, word)
            return heard, time.perf_counter() - started

    answer(*clips[0])  # warm-up: first-call allocations are not what a learner waits for
    transcripts, seconds = [], []
    for word, recording in clips:
        text, elapsed = answer(word, recording)
        transcripts.append(text)
        seconds.append(elapsed)
    queue.put({"load_s": load, "seconds": seconds, "transcripts": transcripts, "peak_rss_mb": _peak_rss_mb()})


def measure(kind: str, model_dir: str, clips, pin: int | None, precision: str = "auto") -> dict:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_run_path, args=(kind, model_dir, clips, pin, precision, queue))
    proc.start()
    result = queue.get(timeout=3600)
    proc.join()
    result["p50"] = statistics.median(result["seconds"])
    result["p95"] = float(np.percentile(result["seconds"], 95))
    return result


def row(name: str, r: dict, baseline: dict | None) -> str:
    ratio = f"{r['p50'] / baseline['p50']:.2f}" if baseline else "1.00"
    return f"{name:<28} {r['p50']:>7.3f} {r['p95']:>7.3f} {r['load_s']:>8.1f} {r['peak_rss_mb']:>9.0f} {ratio:>8}"


HEADER = f"{'path':<28} {'p50 s':>7} {'p95 s':>7} {'load s':>8} {'peak MB':>9} {'x base':>8}"


def main(argv: list[str] | None = None) -> int:
    from game.config import PRECISIONS

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="a real local checkpoint (default: whisper-small dimensions, random)")
    parser.add_argument("--window", type=int, help="also time the game on a checkpoint with this window (s)")
    parser.add_argument("--clips", type=int, default=12)
    parser.add_argument(
        "--tokens",
        type=int,
        help=f"new tokens pinned on both paths (default: {PINNED_NEW_TOKENS} for the random model, none for --model;"
        " pin them for an untrained --model, which would otherwise write until its length limit)",
    )
    parser.add_argument(
        "--precision",
        choices=PRECISIONS,
        default="auto",
        help="the game's precision setting (default: the game's default)",
    )
    parser.add_argument(
        "--compare-precision",
        action="store_true",
        help="also time the game in fp32, bf16 and int8 and compare their transcripts",
    )
    parser.add_argument(
        "--concurrency",
        help="learners at once through gradio_client, e.g. 1,4,8; also times how soon `python app.py` serves its page",
    )
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)

    import torch

    from game.speech.model import resolve_precision

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch threads "
        f"{torch.get_num_threads()}, torch {torch.__version__}"
    )
    clips = make_clips(args.clips)
    lengths = [len(c) / BROWSER_RATE for _, c in clips]
    print(f"clips: {len(clips)} words, {min(lengths):.1f}–{max(lengths):.1f} s")

    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="sagdet-bench-") as tmp:
        pin = args.tokens if args.tokens is not None else (None if args.model else PINNED_NEW_TOKENS)
        model_dir = args.model or str(build_whisper_small(Path(tmp) / "whisper-small-random"))
        print(
            f"model: {args.model or 'whisper-small dimensions, random weights'}"
            + (f"; {pin} new tokens pinned on both paths" if pin else "")
        )
        print(HEADER)
        base = results["baseline"] = measure("baseline", model_dir, clips, pin)
        print(row("baseline pipeline", base, None))
        game = results["game"] = measure("game", model_dir, clips, pin, args.precision)
        print(row(f"game ({args.precision}: {resolve_precision(args.precision)})", game, base))
        if args.compare_precision:
            for setting in ("fp32", "bf16", "int8"):
                r = results[f"game_{setting}"] = measure("game", model_dir, clips, pin, setting)
                print(row(f"game ({setting})", r, base))
            reference = results["game_fp32"]["transcripts"]
            for setting in ("bf16", "int8"):
                same = sum(a == b for a, b in zip(results[f"game_{setting}"]["transcripts"], reference))
                print(f"{setting} transcripts identical to fp32: {same} of {len(reference)}")
        if args.window:
            short_dir = save_with_window(model_dir, args.window, Path(tmp) / f"window-{args.window}s")
            short = results["game_short_window"] = measure("game", short_dir, clips, pin, args.precision)
            print(row(f"game, {args.window} s window", short, base))
        if args.concurrency:
            from benchmarks.concurrency import run_learners

            served = results["concurrency"] = run_learners(
                short_dir if args.window else model_dir,
                clips,
                [int(n) for n in args.concurrency.split(",")],
                pin,
                args.precision,
            )
            for line in served["lines"]:
                print(line)

    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=float))
    print(f"p50 ratio game/baseline: {game['p50'] / base['p50']:.2f}")
    if args.window:
        print(f"p50 ratio game/baseline: {results['game_short_window']['p50'] / base['p50']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
