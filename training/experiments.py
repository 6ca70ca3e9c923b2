"""The experiments behind the recipe, as commands a maintainer can redo.

    # short runs at several learning rates -> table (Markdown + CSV) and WER-vs-lr plot;
    # every table chooses on the selection clips (held out of train) and reports test beside it
    python -m training.experiments lr-sweep --config training/configs/whisper-small-sv.yaml \\
        --rates 3e-6,1e-5,3e-5,1e-4 --max-steps 500 --out runs/lr-sweep

    # which data helps: CV alone vs CV+FLEURS vs CV+NST (same eval set) -> WER table
    python -m training.experiments data-compare --out runs/data-compare --max-steps 2000 \\
        --configs training/configs/whisper-small-sv.yaml training/configs/whisper-small-sv-fleurs.yaml \\
                  training/configs/whisper-small-sv-nst.yaml

    # does a short audio window cost accuracy? the same run with each window -> WER table
    python -m training.experiments window-compare --config training/configs/whisper-small-sv.yaml \
        --windows 5,30 --max-steps 2000 --out runs/windows

Any other `--field VALUE` is passed to every run (e.g. --eval-steps 250 --save-steps 250).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import sys
from pathlib import Path

from training.config import ConfigError, TrainConfig, load_config


def _short_run(config: TrainConfig, max_steps: int | None, output_dir: Path) -> TrainConfig:
    changes: dict = {"output_dir": str(output_dir), "resume": "", "push_to_hub": False}
    if max_steps:
        changes["max_steps"] = max_steps
        changes["warmup_steps"] = min(config.warmup_steps, max_steps // 10)
        changes["eval_steps"] = min(config.eval_steps, max_steps)
        changes["save_steps"] = changes["eval_steps"]
    return dataclasses.replace(config, **changes).validate()


SCORES = ["selection_wer", "test_wer", "test_wer_ortho", "chosen"]


def _scores(metrics: dict) -> dict:
    return {key: metrics.get(key) for key in ("selection_wer", "test_wer", "test_wer_ortho")}


def mark_choice(rows: list[dict]) -> list[dict]:
    """The run to keep is the one with the lowest WER on the selection clips; test only reports."""
    scored = [r for r in rows if r["selection_wer"] is not None]
    best = min(scored, key=lambda r: r["selection_wer"]) if scored else None
    for row in rows:
        row["chosen"] = "yes" if row is best else ""
    return rows


def _cell(value) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) >= 0.01 else f"{value:g}"
    return str(value)


def write_table(rows: list[dict], columns: list[str], out: Path, title: str) -> str:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "results.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows({c: r[c] for c in columns} for r in rows)
    (out / "results.json").write_text(json.dumps(rows, indent=2))
    lines = [f"# {title}", "", "| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
    for r in rows:
        lines.append("| " + " | ".join(_cell(r[c]) for c in columns) + " |")
    text = "\n".join(lines) + "\n"
    (out / "results.md").write_text(text)
    return text


def plot_lr(rows: list[dict], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = sorted(rows, key=lambda r: r["learning_rate"])
    fig, ax = plt.subplots(figsize=(6, 4), dpi=120)
    for key, label in (("selection_wer", "selection clips (chooses)"), ("test_wer", "test (reported)")):
        points = [(r["learning_rate"], r[key]) for r in rows if r[key] is not None]
        ax.plot(*zip(*points), marker="o", label=label)
        for rate, wer in points:
            ax.annotate(f"{wer:.1f}", (rate, wer), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
    ax.legend()
    ax.set_xscale("log")
    ax.set_xlabel("peak learning rate")
    ax.set_ylabel("WER (%)")
    ax.set_title(f"Learning-rate sweep ({rows[0]['steps']} steps each)")
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def lr_sweep(config: TrainConfig, rates: list[float], max_steps: int | None, out: Path, run=None) -> list[dict]:
    from training.train import run as train_run

    run = run or train_run
    rows = []
    for rate in rates:
        cfg = _short_run(dataclasses.replace(config, learning_rate=rate), max_steps, out / f"lr-{rate:g}")
        metrics = run(cfg)
        rows.append(
            {
                "learning_rate": rate,
                "steps": cfg.max_steps,
                **_scores(metrics),
            }
        )
    print(write_table(mark_choice(rows), ["learning_rate", "steps", *SCORES], out, "Learning-rate sweep"))
    print(f"plot: {plot_lr(rows, out / 'wer-vs-lr.png')}")
    return rows


def data_compare(configs: list[tuple[str, TrainConfig]], max_steps: int | None, out: Path, run=None) -> list[dict]:
    from training.train import run as train_run

    run = run or train_run
    rows = []
    for name, config in configs:
        cfg = _short_run(config, max_steps, out / name)
        metrics = run(cfg)
        rows.append(
            {
                "config": name,
                "train_data": "; ".join(s.describe() for s in cfg.train_data),
                "steps": cfg.max_steps,
                **_scores(metrics),
            }
        )
    print(write_table(mark_choice(rows), ["config", "train_data", "steps", *SCORES], out, "Data comparison"))
    return rows


def window_compare(config: TrainConfig, windows: list[int], max_steps: int | None, out: Path, run=None) -> list[dict]:
    from training.train import run as train_run

    run = run or train_run
    rows = []
    for window in windows:
        # Clips longer than the window are dropped (not cut), so every run sees whole words.
        changed = dataclasses.replace(config, window_seconds=window, max_audio_seconds=min(window, 30.0))
        cfg = _short_run(changed, max_steps, out / f"window-{window}s")
        metrics = run(cfg)
        rows.append(
            {
                "window_seconds": window,
                "steps": cfg.max_steps,
                **_scores(metrics),
            }
        )
    print(write_table(mark_choice(rows), ["window_seconds", "steps", *SCORES], out, "Audio window comparison"))
    return rows


def main(argv: list[str] | None = None) -> int:
    import yaml

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    sweep = commands.add_parser("lr-sweep")
    sweep.add_argument("--config", required=True)
    sweep.add_argument("--rates", required=True, help="comma-separated, e.g. 3e-6,1e-5,3e-5")
    compare = commands.add_parser("data-compare")
    compare.add_argument("--configs", nargs="+", required=True)
    windows = commands.add_parser("window-compare")
    windows.add_argument("--config", required=True)
    windows.add_argument("--windows", required=True, help="comma-separated seconds, e.g. 5,30")
    for command in (sweep, compare, windows):
        command.add_argument("--max-steps", type=int, help="steps per run (default: each config's own)")
        command.add_argument("--out", type=Path, required=True)
    args, rest = parser.parse_known_args(argv)
    if len(rest) % 2:
        parser.error(f"overrides come in pairs (--field VALUE): {' '.join(rest)}")
    overrides = {rest[i].lstrip("-").replace("-", "_"): yaml.safe_load(rest[i + 1]) for i in range(0, len(rest), 2)}
    try:
        if args.command == "lr-sweep":
            rates = [float(r) for r in args.rates.split(",")]
            lr_sweep(load_config(args.config, overrides), rates, args.max_steps, args.out)
        elif args.command == "window-compare":
            windows = [int(w) for w in args.windows.split(",")]
            window_compare(load_config(args.config, overrides), windows, args.max_steps, args.out)
        else:
            configs = [(Path(c).stem, load_config(c, overrides)) for c in args.configs]
            data_compare(configs, args.max_steps, args.out)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
