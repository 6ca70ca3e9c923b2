"""The classroom benchmark's figures: a class's moves summed up, its table and line, the summary
of all classes, and the comparisons of neighbouring classes (results kept or not, the model's priority)."""

from __future__ import annotations

import itertools
import json
import os
import platform
import statistics
from pathlib import Path

import numpy as np

from benchmarks.learner import ANSWERS, KINDS, Move, Plan

SUMMARY_HEADER = (
    f"{'window':>6} {'learners':>8} {'answers':>7} {'ans/s':>6} {'errors':>6} {'mix-ups':>7} "
    f"{'typed p95':>9} {'spoken p95':>10} {'peak MB':>8}"
)
MIXUP_EXAMPLE = ("learner", "kind", "card", "said", "expected", "mixup", "feedback")


def machine_facts() -> dict:
    """Which CPU a figure was measured on: bf16 and AMX change the speech model's time several-fold."""
    import torch

    from game.speech.model import native_bf16, resolve_precision

    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").is_file() else ""
    names = [line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")]
    return {
        "cpu": names[0] if names else platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "avx512_bf16": bool(torch.cpu._is_avx512_bf16_supported()),
        "amx": bool(torch.cpu._is_amx_tile_supported()),
        "native_bf16": native_bf16(),
        "auto": resolve_precision("auto"),
    }


def machine_line(facts: dict) -> str:
    yes = {True: "yes", False: "no"}
    return (
        f"machine: {facts['cpu']}, {facts['cores']} cores, torch {facts['torch']} ({facts['torch_threads']} threads); "
        f"AVX512-BF16 {yes[facts['avx512_bf16']]}, AMX {yes[facts['amx']]} (precision auto = {facts['auto']}); "
        f"load average {os.getloadavg()[0]:.1f}"
    )


def _event(moves: list[Move]) -> dict:
    """The figures of one kind of event."""
    seconds = [m.seconds for m in moves if m.error is None]
    queues = [m.queue for m in moves if m.queue is not None]
    return {
        "count": len(moves),
        "errors": sum(m.error is not None for m in moves),
        "p50": statistics.median(seconds) if seconds else None,
        "p95": float(np.percentile(seconds, 95)) if seconds else None,
        "max": max(seconds) if seconds else None,
        "max_queue": max(queues) if queues else None,
    }


def heard_by(window: int | str) -> str:
    """Where a class's speech was heard: the app's model at a window (seconds), "engine", or how
    the class reached the app (benchmarks/school.py)."""
    if isinstance(window, int):
        return f"{window} s window"
    return "the speech engine" if window == "engine" else window


def summarise(
    moves: list[Move], plan: Plan, learners: int, window: int | str, peak_mb: float, client_cpu: float
) -> dict:
    answers = [m for m in moves if m.kind in ANSWERS and m.error is None]
    in_window = [m for m in answers if m.done <= plan.duration]
    mixed = [m for m in answers if m.mixup]
    errors = [m for m in moves if m.error is not None]
    return {
        "window": window,
        "learners": learners,
        "duration": plan.duration,
        "think": list(plan.think),
        "events": {kind: _event([m for m in moves if m.kind == kind]) for kind in KINDS},
        "answers": len(answers),
        "answers_per_s": len(in_window) / plan.duration,
        "errors": len(errors),
        "error_examples": sorted({m.error for m in errors})[:5],
        "mixups": {
            "total": len(mixed),
            "spoken": sum(m.kind == "spoken" for m in mixed),
            "typed": sum(m.kind == "typed" for m in mixed),
            "wrong_card": sum(m.mixup == "wrong card" for m in mixed),
            "heard_differs": sum(m.mixup == "heard differs" for m in mixed),
            "no_verdict": sum(m.mixup == "no verdict" for m in mixed),
        },
        "mixup_examples": [{k: getattr(m, k) for k in MIXUP_EXAMPLE} for m in mixed[:5]],
        "spoken_right_card": sum(m.kind == "spoken" and not m.mixup for m in answers),
        "peak_rss_mb": peak_mb,
        "moves": len(moves),
        "client_cpu_s": client_cpu,
        "last_done_s": max((m.done for m in moves), default=0.0),
    }


def _s(value) -> str:
    return "-" if value is None else f"{value:.2f}"


def print_run(run: dict) -> None:
    print(f"{'event':<8} {'count':>6} {'errors':>6} {'p50 s':>7} {'p95 s':>7} {'max s':>7} {'queue':>6}")
    for kind, e in run["events"].items():
        queue = "-" if e["max_queue"] is None else str(e["max_queue"])
        print(
            f"{kind:<8} {e['count']:>6} {e['errors']:>6} {_s(e['p50']):>7} {_s(e['p95']):>7} {_s(e['max']):>7} "
            f"{queue:>6}"
        )
    m = run["mixups"]
    print(
        f"{run['learners']} learner(s), {heard_by(run['window'])}: {run['answers']} answers, "
        f"{run['answers_per_s']:.2f} answers/s sustained, {run['errors']} errors, {m['total']} mix-ups "
        f"({m['wrong_card']} wrong card, {m['heard_differs']} heard differs, {m['no_verdict']} no verdict), "
        f"server peak RSS {run['peak_rss_mb']:.0f} MB"
    )
    print(
        f"  the learners' clients used {run['client_cpu_s']:.1f} s of CPU for {run['moves']} moves "
        f"({1000 * run['client_cpu_s'] / max(1, run['moves']):.0f} ms a move)"
    )
    for example in run["error_examples"]:
        print(f"  error: {example}")
    for example in run["mixup_examples"]:
        print(f"  mix-up: {json.dumps(example, ensure_ascii=False)}")


def summary_line(run: dict) -> str:
    e = run["events"]
    return (
        f"{run['window']:>6} {run['learners']:>8} {run['answers']:>7} {run['answers_per_s']:>6.2f} "
        f"{run['errors']:>6} {run['mixups']['total']:>7} {_s(e['typed']['p95']):>9} "
        f"{_s(e['spoken']['p95']):>10} {run['peak_rss_mb']:>8.0f}"
    )


def largest_class(runs: list[dict], window: int | str, limit: float) -> int | None:
    """The most learners measured at this window with spoken p95 within the limit, no errors, no mix-ups."""
    fits = [
        r["learners"]
        for r in runs
        if r["window"] == window
        and r["errors"] == 0
        and r["mixups"]["total"] == 0
        and r["events"]["spoken"]["p95"] is not None
        and r["events"]["spoken"]["p95"] <= limit
    ]
    return max(fits, default=None)


def print_summary(runs: list[dict], windows: list[int | str]) -> None:
    """One line per class, then per window the largest class that kept up."""
    print("\n" + SUMMARY_HEADER)
    for run in runs:
        print(summary_line(run))
    for window in windows:
        best = {limit: largest_class(runs, window, limit) for limit in (2.0, 3.0)}
        print(
            f"{heard_by(window)}, largest class measured with 0 errors, 0 mix-ups and spoken p95 "
            + ", ".join(f"≤ {limit:g} s: {n if n is not None else 'none'}" for limit, n in best.items())
        )


def print_p95s(kinds, before: dict, after: dict, names: tuple[str, str]) -> None:
    """One line per kind of event: its p95 in two classes of the same size, and their ratio."""
    for kind in kinds:
        a, b = before["events"][kind]["p95"], after["events"][kind]["p95"]
        ratio = f"× {b / a:.2f}" if a and b else "-"
        print(
            f"  {after['learners']} learners, {heard_by(after['window'])}, {kind} p95: "
            f"{names[0]} {_s(a)} s, {names[1]} {_s(b)} s ({ratio})"
        )


def print_results_cost(runs: list[dict]) -> None:
    """Each class with its results kept against the same class just before it, without."""
    print("\nresults kept vs not kept (same run, same plan, a fresh server each):")
    for off, kept in itertools.pairwise(runs):
        if (off.get("mode"), kept.get("mode")) != ("results-off", "results-kept"):
            continue
        print_p95s(ANSWERS, off, kept, ("not kept", "kept"))
        print(f"  answers stored: {kept['answers_stored']} (the results not kept: {off['answers_stored']})")


def print_nice_cost(runs: list[dict], first: int) -> None:
    """Each class at another --nice value against the same class run last at the `first` value."""
    print("\nthe model's priority (same run, same plan, a fresh server each):")
    base: dict[tuple, dict] = {}
    for run in runs:
        same = (run["learners"], run["window"], run["mode"])
        if run["nice"] == first:
            base[same] = run
        elif same in base:
            print_p95s(("typed", "next", "spoken"), base[same], run, (f"nice {first}", f"nice {run['nice']}"))


def print_totals(runs: list[dict]) -> None:
    """The last line: errors and mix-ups in all classes."""
    total_mixups = sum(r["mixups"]["total"] for r in runs)
    total_errors = sum(r["errors"] for r in runs)
    print(f"errors: {total_errors}, mix-ups: {total_mixups}")
