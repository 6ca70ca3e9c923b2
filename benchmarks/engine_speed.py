"""How fast a transcription engine hears the game's clips: one at a time, and many at once.

    python -m benchmarks.engine_speed --speech-url http://127.0.0.1:8000/v1 --speech-model whisper-base
    python -m benchmarks.engine_speed --speech-url URL --speech-model NAME --clips 48 --at-once 8,16

The clips of benchmarks/precision.py (deck words from espeak-ng), prepared and sent as the game
sends them (game/speech/engine.py's EngineListener). Per run: seconds per clip heard alone
(median), and the clips per second when `--at-once` learners send theirs together, and how many
transcripts equal the ones heard alone. Run it against two engines (say, one serving a checkpoint
and one serving the same weights cut to a shorter window) to compare them on the same clips.
"""

from __future__ import annotations

import argparse
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.answer_latency import BROWSER_RATE
from benchmarks.precision import ROOT, spoken_deck_clips


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--speech-url", required=True)
    parser.add_argument("--speech-model", required=True)
    parser.add_argument("--clips", type=int, default=48)
    parser.add_argument("--at-once", default="8,16", help="learners sending together, comma-separated")
    parser.add_argument("--decks", type=Path, nargs="+", default=[ROOT / "assets" / "decks"])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    from game.speech.engine import EngineListener

    clips, _, answers = spoken_deck_clips(args.decks, args.clips, args.seed)
    recordings = [(BROWSER_RATE, recording) for _, recording in clips]
    listener = EngineListener(args.speech_url, args.speech_model, answers, in_flight=64)
    listener.hear(recordings[0], wait=60)  # warm-up, and the engine is known to serve the model
    print(f"engine: {args.speech_url}, model {args.speech_model}")

    seconds, alone = [], []
    for recording in recordings:
        started = time.perf_counter()
        alone.append(listener.hear(recording))
        seconds.append(time.perf_counter() - started)
    print(f"alone: {statistics.median(seconds):.3f} s a clip (median of {len(seconds)})")

    for together in [int(n) for n in args.at_once.split(",") if n.strip()]:
        started = time.perf_counter()
        with ThreadPoolExecutor(together) as pool:
            heard = list(pool.map(listener.hear, recordings))
        elapsed = time.perf_counter() - started
        same = sum(a == b for a, b in zip(alone, heard))
        print(
            f"{together} at once: {len(recordings) / elapsed:.2f} clips/s ({elapsed / len(recordings):.3f} s a clip), "
            f"{same}/{len(recordings)} transcripts as heard alone"
        )
    print("transcripts alone:", alone[:12])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
