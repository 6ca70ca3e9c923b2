"""Does a shorter audio window change what the game hears? One checkpoint, several windows, the same clips.

    python -m benchmarks.window --model ~/.cache/sagdet/whisper-base            # windows 30,15,10,8,6,5
    python -m benchmarks.window --model DIR --windows 30,10 --clips 60 --json window.json

Deck words spoken by espeak-ng (the clips of benchmarks/precision.py: several voices, speeds and
pitches, some after a long silence, some with noise), each taken the game's own way: `prepare_audio`,
then `Transcriber.load(model, precision, window)` — the window cut at load time as SAGDET_WINDOW
cuts it — and `transcribe_batch` with the game's token budget, then `judge` against the clip's
word. The checkpoint's own window comes first and is the reference. Per window: right, almost and
wrong verdicts, verdicts and transcripts equal to the reference's, right verdicts lost and gained,
runaways (transcripts that ran to the token budget: the model went on past the word), and seconds
per clip heard alone (on the first `--alone` clips) and in batches of the game's size, with their
ratio to the reference's, all measured in this run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from dataclasses import asdict
from pathlib import Path

from benchmarks.answer_latency import BROWSER_RATE
from benchmarks.precision import ROOT, spoken_deck_clips
from benchmarks.report import machine_facts, machine_line

WINDOWS = "30,15,10,8,6,5"
HEADER = (
    f"{'window':>6} {'right':>7} {'almost':>7} {'wrong':>7} {'same verdict':>13} {'same text':>10} "
    f"{'right -/+':>10} {'runaways':>8} {'alone s':>8} {'batch s':>8} {'× ref':>6}"
)


def hear_all(transcriber, audio: list, budget: int, batch: int, alone: int) -> dict:
    """Every clip's transcript (in batches), and the seconds per clip alone and in batches."""
    transcriber.transcribe_batch(audio[:1], budget)  # warm-up: first-call allocations are not a learner's wait
    alone_seconds = []
    for clip in audio[:alone]:
        started = time.perf_counter()
        transcriber.transcribe_batch([clip], budget)
        alone_seconds.append(time.perf_counter() - started)
    texts: list[str] = []
    started = time.perf_counter()
    for start in range(0, len(audio), batch):
        texts.extend(transcriber.transcribe_batch(audio[start : start + batch], budget))
    batched = (time.perf_counter() - started) / max(1, len(audio))
    return {
        "transcripts": texts,
        "alone_s": statistics.median(alone_seconds) if alone_seconds else None,
        "batch_s": batched,
    }


def score(texts: list[str], cards: list, tokenizer, budget: int) -> dict:
    from game.round.judge import judge

    verdicts = [judge(text, card.word, card.also_accepted).outcome.value for text, card in zip(texts, cards)]
    runaways = [
        i for i, text in enumerate(texts) if len(tokenizer(" " + text, add_special_tokens=False).input_ids) >= budget
    ]
    n = max(1, len(texts))
    return {
        "verdicts": verdicts,
        **{f"{kind}_pct": 100 * verdicts.count(kind) / n for kind in ("right", "almost", "wrong")},
        "runaways": len(runaways),
        "runaway_examples": [texts[i] for i in runaways[:3]],
    }


def compare(run: dict, reference: dict) -> dict:
    pairs = list(zip(reference["verdicts"], run["verdicts"]))
    return {
        "same_verdict": sum(a == b for a, b in pairs),
        "same_text": sum(a == b for a, b in zip(reference["transcripts"], run["transcripts"])),
        "right_lost": sum(a == "right" != b for a, b in pairs),
        "right_gained": sum(a != "right" == b for a, b in pairs),
    }


def table_row(run: dict, reference: dict) -> str:
    n = len(run["verdicts"])
    alone = f"{run['alone_s']:.3f}" if run["alone_s"] is not None else "-"
    same_verdict, same_text = f"{run['same_verdict']}/{n}", f"{run['same_text']}/{n}"
    right = f"-{run['right_lost']}/+{run['right_gained']}"
    return (
        f"{run['window']:>5g}s {run['right_pct']:>5.1f} % {run['almost_pct']:>5.1f} % {run['wrong_pct']:>5.1f} % "
        f"{same_verdict:>13} {same_text:>10} {right:>10} {run['runaways']:>8} {alone:>8} "
        f"{run['batch_s']:>8.3f} {run['batch_s'] / reference['batch_s']:>5.2f}×"
    )


def measure(model: str, windows: list[int], precision: str, clips, cards, answers, batch: int, alone: int) -> dict:
    from game.speech.audio import prepare_audio
    from game.speech.model import Transcriber, resolve_precision

    audio = [prepare_audio((BROWSER_RATE, recording)) for _, recording in clips]
    result: dict = {"model": model, "precision": resolve_precision(precision), "batch": batch, "windows": []}
    reference = None
    for window in windows:
        transcriber = Transcriber.load(model, precision, window)
        budget = result.setdefault("token_budget", transcriber.token_budget(answers))  # the game's, from the decks
        run = {"window": transcriber.window, **hear_all(transcriber, audio, budget, batch, alone)}
        run |= score(run["transcripts"], cards, transcriber.processor.tokenizer, budget)
        reference = reference or run
        run |= compare(run, reference)
        print(table_row(run, reference), flush=True)
        result["windows"].append(run)
        del transcriber
    return result


def parse_windows(text: str, parser: argparse.ArgumentParser) -> list[int]:
    try:
        windows = [int(w) for w in text.split(",") if w.strip()]
    except ValueError:
        parser.error(f"--windows takes whole seconds separated by commas, not {text!r}")
    if not windows or min(windows) < 1:
        parser.error("--windows needs at least one window of 1 s or more")
    return windows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="a local checkpoint")
    parser.add_argument(
        "--windows",
        default=WINDOWS,
        help=f"seconds, comma-separated (default {WINDOWS}); the checkpoint's own goes first",
    )
    parser.add_argument("--clips", type=int, default=360, help="spoken clips (default 360: 6 for each of 60 words)")
    parser.add_argument("--alone", type=int, default=40, help="clips also heard one at a time, for the time alone")
    parser.add_argument("--precision", default="auto", help="as SAGDET_PRECISION (default auto)")
    parser.add_argument(
        "--decks", type=Path, nargs="+", default=[ROOT / "assets" / "decks"], help="deck files or folders spoken"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, help="clips per model call (default: the game's SPEECH_BATCH)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    windows = parse_windows(args.windows, parser)

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import transformers

    from game.speech.listener import SPEECH_BATCH
    from game.speech.window import checkpoint_seconds

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    batch = args.batch or SPEECH_BATCH
    own = round(checkpoint_seconds(transformers.WhisperConfig.from_pretrained(args.model)))
    windows = [own, *dict.fromkeys(w for w in windows if w != own)]
    too_long = [w for w in windows if w > own]
    if too_long:
        parser.error(f"the checkpoint's own window is {own} s; it cannot hear {', '.join(map(str, too_long))} s")

    facts = machine_facts()
    print(machine_line(facts))
    started = time.perf_counter()
    clips, clip_cards, answers = spoken_deck_clips(args.decks, args.clips, args.seed)
    print(
        f"model: {args.model} (own window {own} s), batches of {batch}, time alone on {min(args.alone, len(clips))} clips"
    )
    print(HEADER)
    result = measure(args.model, windows, args.precision, clips, clip_cards, answers, batch, args.alone)
    print(
        f"precision {result['precision']}, token budget {result['token_budget']}; done in "
        f"{time.perf_counter() - started:.0f} s, load average {os.getloadavg()[0]:.1f} (times: other work slows them)"
    )
    for run in result["windows"]:
        if run["runaway_examples"]:
            print(f"  runaways at {run['window']:g} s, e.g. {run['runaway_examples']}")
    if args.json:
        clip_facts = [{**asdict(clip), "transcripts": {}} for clip, _ in clips]
        for run in result["windows"]:
            for facts_of_clip, text in zip(clip_facts, run.pop("transcripts")):
                facts_of_clip["transcripts"][f"{run['window']:g}"] = text
        args.json.write_text(
            json.dumps({"machine": facts, **result, "clips": clip_facts}, indent=2, ensure_ascii=False)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
