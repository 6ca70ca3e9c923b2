"""How fast training prepares its features, in one process and in several (`preprocessing_workers`).

    python -m benchmarks.feature_preparation [--clips 96] [--workers 2] [--seconds 4]

Prepares the same Common Voice-like folder (48 kHz MP3 clips of `--seconds`, a `train.tsv`) with
`training.data.prepare`, exactly as a training run does (decode, resample to 16 kHz, tokenise,
log-mel features of whisper-small's 30 s window, write the cache), first in one process (the
baseline) and then with `--workers` processes through `datasets`' `num_proc`, each into a fresh
cache, after an untimed warm-up. Prints clips per second and the ratio against one process,
both measured in this run. The one process is today's default before `num_proc`: torch may use
every core in it for the log-mel, the workers one thread each.
Figures go to training/README.md.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np


def common_voice_folder(root: Path, clips: int, seconds: float) -> Path:
    """clips/*.mp3 at 48 kHz and a train.tsv, as Mozilla ships a release (the sound is a varying tone)."""
    import soundfile

    (root / "clips").mkdir(parents=True)
    rng = np.random.default_rng(0)
    t = np.arange(int(48000 * seconds)) / 48000
    lines = ["client_id\tpath\tsentence"]
    for number in range(clips):
        tone = 0.1 * np.sin(2 * np.pi * (150 + 5 * number) * t) + 0.01 * rng.standard_normal(t.size)
        name = f"clip_{number}.mp3"
        soundfile.write(root / "clips" / name, tone.astype(np.float32), 48000, format="MP3")
        lines.append(f"speaker{number % 7}\t{name}\thund katt häst nummer {number}")
    (root / "train.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def clips_per_second(folder: Path, processor, workers: int, cache: Path) -> float:
    from training.config import DataSpec, TrainConfig
    from training.data import prepare

    config = TrainConfig(preprocessing_workers=workers, cache_dir=str(cache))
    started = time.perf_counter()
    _, stats = prepare(DataSpec("common_voice", "train", path=str(folder)), processor, config)
    return stats.kept / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    from transformers import WhisperProcessor

    from training.tools.scratch import build_tiny_whisper

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clips", type=int, default=96)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each clip (Common Voice's are 3-6 s)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        # The feature extractor and tokenizer are what cost; a tiny model's are whisper-small's in shape.
        processor = WhisperProcessor.from_pretrained(build_tiny_whisper(work / "model", ["hund", "katt", "häst"]))
        folder = common_voice_folder(work / "sv-SE", args.clips, args.seconds)
        print(f"{args.clips} clips of {args.seconds:g} s (48 kHz MP3), 30 s window")
        # Warm-up, not timed: the first clips also pay for loading the codecs and the tokenizer.
        clips_per_second(common_voice_folder(work / "warm-up", 4, args.seconds), processor, 1, work / "cache-0")
        baseline = clips_per_second(folder, processor, 1, work / "cache-1")
        print(f"1 process    {baseline:6.1f} clips/s  x baseline 1.00")
        parallel = clips_per_second(folder, processor, args.workers, work / f"cache-{args.workers}")
        print(f"{args.workers} processes  {parallel:6.1f} clips/s  x baseline {parallel / baseline:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
