"""Does a number format change what the game hears? fp32, bf16 and int8 on the same spoken words.

    python -m benchmarks.precision --model DIR [--model DIR2] [--clips 240] [--precisions fp32,bf16,int8]
    python -m benchmarks.precision --model DIR --decks assets/decks/vardag.yaml --json out.json

Deck words spoken by espeak-ng (several voices, speeds and pitches; some after a long silence,
some with a little noise), recorded as a browser does (44.1 kHz int16), deterministic for a seed.
Every clip takes the game's own path: `prepare_audio`, then `Transcriber.load(model, precision)
.transcribe_batch` in batches of the game's size with the game's token budget (the longest deck
answer), then `judge` against the clip's word. Per model and precision: transcripts identical to
fp32's, right and almost verdicts, and seconds per clip (transcription only; informational).
fp32 is the reference and always runs first.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from benchmarks.answer_latency import BROWSER_RATE, browser_recording
from benchmarks.report import machine_facts, machine_line

ROOT = Path(__file__).resolve().parent.parent
VOICES = ("sv", "sv+f2", "sv+m3", "sv+f4", "sv+m1", "sv+f1")
SPEEDS = (110, 190)  # words per minute, drawn in this range
PITCHES = (30, 70)
LONG_LEAD = (0.4, 1.0)  # half the clips: the learner pressed Record, then thought
SHORT_LEAD = (0.05, 0.2)
TAIL = (0.1, 0.5)
NOISES = (0.0, 0.002, 0.006)  # none, room noise, a noisier room; a third of the clips each


@dataclass(frozen=True)
class Clip:
    word: str
    voice: str
    speed: int
    pitch: int
    lead_s: float
    noise: float
    seconds: float


def load_cards(paths: list[Path]):
    """The cards of the deck files (or folders of them), each word once."""
    from game.decks.deck import deck_files, load_deck

    cards, seen = [], set()
    for path in paths:
        for file in deck_files(path):
            for card in load_deck(file).cards:
                if card.word not in seen:
                    seen.add(card.word)
                    cards.append(card)
    return cards


def make_clips(words: list[str], count: int, seed: int = 0) -> list[tuple[Clip, np.ndarray]]:
    """`count` recordings of the words in turn (shuffled each pass), each with its own voice,
    speed, pitch, leading silence and noise."""
    import soundfile
    import soxr

    from training.tools.synth_espeak import speak

    rng = np.random.default_rng(seed)
    order: list[str] = []
    clips = []
    with tempfile.TemporaryDirectory(prefix="sagdet-precision-") as tmp:
        for i in range(count):
            if not order:
                order = [words[j] for j in rng.permutation(len(words))]
            word = order.pop()
            voice = VOICES[rng.integers(len(VOICES))]
            speed = int(rng.integers(*SPEEDS, endpoint=True))
            pitch = int(rng.integers(*PITCHES, endpoint=True))
            lead = float(rng.uniform(*(LONG_LEAD if i % 2 else SHORT_LEAD)))
            noise = NOISES[i % len(NOISES)]
            wav = Path(tmp) / f"{i}.wav"
            speak(word, voice, speed, pitch, wav)
            speech, rate = soundfile.read(wav, dtype="float32")
            speech = soxr.resample(speech, rate, BROWSER_RATE)
            total = lead + len(speech) / BROWSER_RATE + rng.uniform(*TAIL)
            clip = Clip(word, voice, speed, pitch, round(lead, 3), noise, round(total, 3))
            clips.append((clip, browser_recording(speech, total, lead, noise, rng)))
    return clips


def spoken_deck_clips(decks: list[Path], count: int, seed: int):
    """`count` spoken clips of the decks' words (described in a printed line), each clip's card, and
    every answer the decks accept (for the game's token budget)."""
    cards = load_cards(decks)
    clips = make_clips([card.word for card in cards], count, seed)
    by_word = {card.word: card for card in cards}
    lengths = [clip.seconds for clip, _ in clips]
    print(
        f"clips: {len(clips)} of {len(cards)} words from {', '.join(str(d) for d in decks)}; "
        f"{len(VOICES)} voices, -s {SPEEDS[0]}–{SPEEDS[1]}, -p {PITCHES[0]}–{PITCHES[1]}, "
        f"{min(lengths):.1f}–{max(lengths):.1f} s as recorded, seed {seed}"
    )
    answers = [a for card in cards for a in card.answers]
    return clips, [by_word[clip.word] for clip, _ in clips], answers


def run_precision(transcriber, audio: list[np.ndarray], budget: int, batch: int) -> dict:
    """Transcripts of every clip through the game's Transcriber, in batches, and the time they took."""
    transcriber.transcribe_batch(audio[:1], budget)  # warm-up: first-call allocations are not a learner's wait
    texts: list[str] = []
    started = time.perf_counter()
    for start in range(0, len(audio), batch):
        texts.extend(transcriber.transcribe_batch(audio[start : start + batch], budget))
    return {"transcripts": texts, "seconds_per_clip": (time.perf_counter() - started) / max(1, len(audio))}


def score(texts: list[str], cards: list, reference: list[str]) -> dict:
    from game.round.judge import Outcome, judge

    outcomes = [judge(text, card.word, card.also_accepted).outcome.value for text, card in zip(texts, cards)]
    n = len(texts)
    same = sum(a == b for a, b in zip(texts, reference))
    return {
        "clips": n,
        "identical_to_fp32": same,
        "identical_pct": 100 * same / n,
        "right_pct": 100 * outcomes.count(Outcome.RIGHT.value) / n,
        "almost_pct": 100 * outcomes.count(Outcome.ALMOST.value) / n,
        "verdicts": outcomes,
    }


HEADER = (
    f"{'precision':<12} {'clips':>5} {'same as fp32':>15} {'right':>7} {'almost':>7} {'right -/+':>10} {'s/clip':>7}"
)


def table_row(label: str, r: dict, reference: dict) -> str:
    lost = sum(a == "right" and b != "right" for a, b in zip(reference["verdicts"], r["verdicts"]))
    gained = sum(a != "right" and b == "right" for a, b in zip(reference["verdicts"], r["verdicts"]))
    same = f"{r['identical_to_fp32']} ({r['identical_pct']:5.1f} %)"
    return (
        f"{label:<12} {r['clips']:>5} {same:>15} {r['right_pct']:>5.1f} % {r['almost_pct']:>5.1f} % "
        f"{f'-{lost}/+{gained}':>10} {r['seconds_per_clip']:>7.3f}"
    )


def measure_model(model: str, precisions: list[str], clips, cards, answers, batch: int) -> dict:
    from game.speech.audio import NothingHeard, prepare_audio
    from game.speech.model import Transcriber, resolve_precision

    audio, heard = [], []
    for _, recording in clips:
        try:
            audio.append(prepare_audio((BROWSER_RATE, recording)))
            heard.append(True)
        except NothingHeard:  # never with these clips; counted as heard nothing if it happens
            heard.append(False)
    result: dict = {"model": model, "batch": batch, "precisions": {}}
    reference: list[str] | None = None
    for precision in precisions:
        transcriber = Transcriber.load(model, precision)
        budget = result.setdefault("token_budget", transcriber.token_budget(answers))  # the game's, from the decks
        run = run_precision(transcriber, audio, budget, batch)
        del transcriber
        texts = iter(run["transcripts"])
        transcripts = [next(texts) if ok else "" for ok in heard]
        reference = reference if reference is not None else transcripts
        r = score(transcripts, cards, reference)
        r.update(
            resolved=resolve_precision(precision), seconds_per_clip=run["seconds_per_clip"], transcripts=transcripts
        )
        result["precisions"][precision] = r
    return result


def print_model(result: dict, clips) -> None:
    runs = result["precisions"]
    reference = runs["fp32"]
    print(f"model: {result['model']}; token budget {result['token_budget']}, batches of {result['batch']}")
    print(HEADER)
    for precision, r in runs.items():
        label = precision if r["resolved"] == precision else f"{precision}={r['resolved']}"
        print(table_row(label, r, reference))
    if "bf16" in runs:
        bf16 = runs["bf16"]
        differ = [i for i, (a, b) in enumerate(zip(reference["transcripts"], bf16["transcripts"])) if a != b]
        print(f"bf16 differs from fp32 on {len(differ)} of {len(clips)} clips" + (":" if differ else ""))
        for i in differ:
            clip = clips[i][0]
            print(
                f"  {clip.word!r} ({clip.voice} -s {clip.speed} -p {clip.pitch}): fp32 {reference['transcripts'][i]!r}"
                f" [{reference['verdicts'][i]}], bf16 {bf16['transcripts'][i]!r} [{bf16['verdicts'][i]}]"
            )
    print()


def main(argv: list[str] | None = None) -> int:
    from game.config import PRECISIONS

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", action="append", required=True, help="a local checkpoint (repeat for more)")
    parser.add_argument("--clips", type=int, default=240)
    parser.add_argument(
        "--precisions",
        default="fp32,bf16,int8",
        help=f"comma-separated, from {', '.join(PRECISIONS)}; fp32 (the reference) always runs",
    )
    parser.add_argument(
        "--decks",
        type=Path,
        nargs="+",
        default=[ROOT / "assets" / "decks"],
        help="deck files or folders whose words are spoken (default: every deck)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, help="clips per model call (default: the game's SPEECH_BATCH)")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)

    precisions = [p.strip() for p in args.precisions.split(",") if p.strip()]
    unknown = [p for p in precisions if p not in PRECISIONS]
    if unknown:
        parser.error(f"unknown precision(s) {', '.join(unknown)}; choose from {', '.join(PRECISIONS)}")
    precisions = ["fp32", *dict.fromkeys(p for p in precisions if p != "fp32")]

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    if args.batch is None:
        from game.speech.listener import SPEECH_BATCH

        args.batch = SPEECH_BATCH
    facts = machine_facts()
    print(machine_line(facts))

    started = time.perf_counter()
    clips, clip_cards, answers = spoken_deck_clips(args.decks, args.clips, args.seed)
    print()

    results = {
        "machine": facts,
        "seed": args.seed,
        "decks": [str(d) for d in args.decks],
        "clips": [asdict(clip) for clip, _ in clips],
        "models": [],
    }
    for model in args.model:
        result = measure_model(model, precisions, clips, clip_cards, answers, args.batch)
        print_model(result, clips)
        results["models"].append(result)

    print(
        f"done in {time.perf_counter() - started:.0f} s; load average {os.getloadavg()[0]:.1f} "
        "(s/clip is informational: other work on the machine slows it)"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
