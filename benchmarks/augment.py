"""Does waveform augmentation stall training? How long the training loop waits for each batch.

    python -m benchmarks.augment [--batches 12] [--batch-size 16] [--workers 2] [--step-seconds 0.3]

Batches are made exactly as the `-augment` config makes them: `SpeechCollator` with the config's
augmenter (pitch ±2 semitones and gain ±6 dB, here on every clip) and then log-mel features, on
3 s clips. The training step itself is stood in for by a sleep of `--step-seconds` (a GPU step:
the CPU is free meanwhile). Measured: the seconds the loop waits in `next(batches)` per batch,
with the collator in the main process (`dataloader_workers: 0`, the baseline) and in
`--workers` worker processes (what the config sets). Figures go to benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np


def _rows(count: int, seconds: float = 3.0) -> list[dict]:
    rng = np.random.default_rng(0)
    t = np.arange(int(16000 * seconds)) / 16000
    return [
        {"audio": (0.1 * np.sin(2 * np.pi * (200 + 20 * i) * t) + 0.01 * rng.standard_normal(t.size)), "labels": [1, 2]}
        for i in range(count)
    ]


def waits(collator, rows, batch_size: int, workers: int, step_seconds: float) -> list[float]:
    from torch.utils.data import DataLoader

    loader = DataLoader(rows, batch_size=batch_size, collate_fn=collator, num_workers=workers)
    batches, measured = iter(loader), []
    while True:
        started = time.perf_counter()
        try:
            next(batches)
        except StopIteration:
            return measured[1:]  # the first batch also pays for starting the workers
        measured.append(time.perf_counter() - started)
        time.sleep(step_seconds)


def main(argv: list[str] | None = None) -> int:
    from training.config import TrainConfig
    from training.data import SpeechCollator, make_augmenter
    from training.tools.scratch import build_tiny_whisper

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=12)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--step-seconds", type=float, default=0.3)
    args = parser.parse_args(argv)
    from transformers import WhisperProcessor

    with tempfile.TemporaryDirectory() as folder:
        processor = WhisperProcessor.from_pretrained(build_tiny_whisper(Path(folder), ["hund", "katt"]))
    config = TrainConfig(augment_waveform=True, augment_probability=1.0)
    collator = SpeechCollator(processor, decoder_start_token_id=-1, augment=make_augmenter(config))
    rows = _rows(args.batches * args.batch_size)
    print(f"{args.batches} batches of {args.batch_size} 3 s clips, a {args.step_seconds:g} s training step each")
    baseline = statistics.median(waits(collator, rows, args.batch_size, 0, args.step_seconds))
    print(f"main process (workers 0)  wait per batch {baseline:.3f} s  x baseline 1.00")
    moved = statistics.median(waits(collator, rows, args.batch_size, args.workers, args.step_seconds))
    print(f"{args.workers} worker processes       wait per batch {moved:.3f} s  x baseline {moved / baseline:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
