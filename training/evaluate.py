"""WER of any Whisper checkpoint on any data, decoded exactly as the game decodes.

    python -m training.evaluate --model runs/whisper-small-sv --model fimster/whisper-small-sv-SE \\
        --data local:~/cv-corpus-13.0/sv-SE --max-samples 1000 --json runs/compare.json

--data is `local:PATH[:SPLIT]` for a Common Voice release folder or a FLEURS sv_se folder (split
`test` unless named: train, dev, test) or a .csv/.jsonl manifest; `NAME:SPLIT` for a named corpus
(common_voice, fleurs, nst) in the folder its environment variable names (see training/README.md);
`hub:ID[:CONFIG]:SPLIT` for any hub dataset. Give it more than once to evaluate on several sets.
Prints a table and, with --json, writes the figures. A model that cannot be loaded (an uncached
hub id offline, a wrong folder) is named on stderr and the table of the others is still printed;
the exit status is then 1.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

from training.config import PRESETS, ConfigError, DataSpec, spec_problems
from training.sources import CV_TABLES, SourceError, check_source


def parse_data(text: str) -> DataSpec:
    kind, _, rest = text.partition(":")
    if kind == "local" and rest:
        path, _, split = rest.rpartition(":")
        if path and split in CV_TABLES:
            return DataSpec("local", path=path, split=split)
        return DataSpec("local", path=rest, split="test")
    if kind in PRESETS:
        return DataSpec(kind, split=rest or "test")
    if kind == "hub" and rest:
        parts = rest.split(":")
        if len(parts) == 2:
            return DataSpec("hub", path=parts[0], split=parts[1])
        if len(parts) == 3:
            return DataSpec("hub", path=parts[0], config=parts[1], split=parts[2])
    raise ConfigError(f"--data {text!r}: use local:PATH, NAME:SPLIT ({', '.join(PRESETS)}) or hub:ID[:CONFIG]:SPLIT")


def evaluate(transcriber, spec: DataSpec, batch_size: int = 16, max_new_tokens: int = 64) -> dict:
    """WER of a loaded `game.speech.model.Transcriber` on one data set."""
    from training.audio import read_audio, to_16k
    from training.metrics import wer_scores
    from training.sources import load_source

    rows = load_source(spec)
    references, predictions, clips = [], [], []
    started = time.perf_counter()

    def flush():
        predictions.extend(transcriber.transcribe_batch(clips, max_new_tokens))
        clips.clear()

    for row in rows:
        samples, rate = read_audio(row["audio"])
        clips.append(to_16k(samples, rate))
        references.append(str(row["text"]))
        if len(clips) == batch_size:
            flush()
    if clips:
        flush()
    scores = wer_scores(references, predictions)
    return {
        "model": transcriber.name,
        "data": spec.describe(),
        "clips": len(references),
        **scores,
        "seconds": round(time.perf_counter() - started, 1),
        "examples": [{"reference": r, "heard": p} for r, p in list(zip(references, predictions))[:20]],
    }


def table(results: list[dict]) -> str:
    width_model = max(len("model"), *(len(r["model"]) for r in results))
    width_data = max(len("data"), *(len(r["data"]) for r in results))
    lines = [f"{'model':{width_model}}  {'data':{width_data}}  {'clips':>6}  {'WER':>6}  {'WER ortho':>9}"]
    for r in results:
        lines.append(
            f"{r['model']:{width_model}}  {r['data']:{width_data}}  {r['clips']:>6}  "
            f"{r['wer']:>6.2f}  {r['wer_ortho']:>9.2f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from game.speech.model import Transcriber
    from game.speech.source import ModelLoadError

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", action="append", required=True, help="hub id or local checkpoint (repeatable)")
    parser.add_argument("--data", action="append", required=True, help="dataset (repeatable), see above")
    parser.add_argument("--max-samples", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--max-new-tokens", type=int, default=64)
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    try:
        specs = [parse_data(d) for d in args.data]
        if args.max_samples:
            specs = [dataclasses.replace(s, max_samples=args.max_samples) for s in specs]
        for spec in specs:
            problems = spec_problems(spec)
            if problems:
                raise ConfigError(f"--data {spec.describe()}: {problems[0]}")
            check_source(spec)
    except (ConfigError, SourceError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    results, unloaded = [], []
    for model in args.model:
        try:
            transcriber = Transcriber.load(model)
        except (ModelLoadError, OSError, ValueError) as exc:  # the other models are still compared
            print(f"error: could not load the model {model}: {exc}", file=sys.stderr)
            unloaded.append(model)
            continue
        results.extend(evaluate(transcriber, spec, args.batch_size, args.max_new_tokens) for spec in specs)
    if results:
        print(table(results))
    if unloaded:
        print(f"not compared (could not be loaded): {', '.join(unloaded)}", file=sys.stderr)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 1 if unloaded else 0


if __name__ == "__main__":
    sys.exit(main())
