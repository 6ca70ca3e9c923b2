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
