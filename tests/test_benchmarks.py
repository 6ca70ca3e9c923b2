"""The benchmark scripts run and print their figures (their numbers are read by people, not asserted)."""

import re
import subprocess
import sys

from conftest import ROOT


def test_answer_latency_prints_its_table_and_ratio_lines(tiny_model_dir):
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.answer_latency", "--model", str(tiny_model_dir), "--clips", "3",
         "--window", "5"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    assert any(line.startswith("baseline pipeline") for line in lines)
    assert any(line.startswith("game, 5 s window") for line in lines)
    assert re.fullmatch(r"p50 ratio game/baseline: \d+\.\d\d", lines[-1])
    assert re.fullmatch(r"p50 ratio game/baseline: \d+\.\d\d", lines[-2])


def test_precision_prints_a_table_per_model_and_writes_its_json(tiny_model_dir, tmp_path):
    from conftest import require_program

    require_program("espeak-ng", "espeak-ng")
    out = tmp_path / "precision.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.precision", "--model", str(tiny_model_dir), "--clips", "3",
         "--precisions", "bf16,int8", "--decks", "assets/decks/vardag.yaml", "--batch", "2", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("precision"))
    assert [line.split()[0] for line in lines[header + 1 : header + 4]] == ["fp32", "bf16", "int8"]  # fp32 first
    assert re.fullmatch(r"fp32\s+3\s+3 \(100\.0 %\)\s+\d+\.\d % +\d+\.\d %\s+-0/\+0\s+\d+\.\d{3}", lines[header + 1])
    assert re.match(r"bf16 differs from fp32 on \d of 3 clips", lines[header + 4])

    import json

    figures = json.loads(out.read_text())
    assert len(figures["clips"]) == 3 and {"word", "voice", "speed", "pitch", "lead_s", "noise"} <= set(figures["clips"][0])
    (model,) = figures["models"]
    assert list(model["precisions"]) == ["fp32", "bf16", "int8"]
    for run in model["precisions"].values():
        assert run["clips"] == 3 and len(run["transcripts"]) == 3 and len(run["verdicts"]) == 3
        assert 0 <= run["right_pct"] <= 100 and 0 <= run["identical_pct"] <= 100
