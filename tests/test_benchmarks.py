"""The benchmark scripts run and print their figures (their numbers are read by people, not asserted)."""

import json
import re
import subprocess
import sys

import pytest
from conftest import ROOT

from game.write_limit import SESSION_WINDOW_S, WRITES_PER_SESSION


def run_benchmark(name: str, *args: str) -> subprocess.CompletedProcess:
    """`python -m benchmarks.NAME ARGS` as a maintainer runs it; no time limit: a busy machine is slower, not wrong."""
    command = [sys.executable, "-m", f"benchmarks.{name}", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_answer_latency_prints_its_table_and_ratio_lines(tiny_model_dir):
    result = run_benchmark(
        "answer_latency",
        "--model",
        str(tiny_model_dir),
        "--clips",
        "3",
        "--window",
        "5",
        "--tokens",  # an untrained model: unpinned, the baseline's 5 beams would write to its length limit
        "4",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    assert "; 4 new tokens pinned on both paths" in lines[2]
    assert any(line.startswith("baseline pipeline") for line in lines)
    assert any(line.startswith("game, 5 s window") for line in lines)
    assert re.fullmatch(r"p50 ratio game/baseline: \d+\.\d\d", lines[-1])
    assert re.fullmatch(r"p50 ratio game/baseline: \d+\.\d\d", lines[-2])


@pytest.mark.slow
def test_classroom_plays_whole_rounds_and_prints_its_figures_with_results_kept_and_not(tiny_model_dir, tmp_path):
    """Both classes on a shared deck (the built-in deck's run differs only in not publishing one):
    each class's table and line, the summary, the JSON, and the results kept against not kept."""
    figures = tmp_path / "classroom.json"
    options = ["--learners", "2", "--window", "30", "--duration", "8", "--think", "0.2,0.5", "--words", "4"]
    options += ["--results", "--json", str(figures), "--cache", str(tmp_path / "cache")]
    result = run_benchmark("classroom", "--model", str(tiny_model_dir), *options)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    tables = [i for i, line in enumerate(lines) if line == "event     count errors   p50 s   p95 s   max s  queue"]
    assert len(tables) == 2
    for table in tables:
        events = [line.split()[0] for line in lines[table + 1 : table + 7]]
        assert events == ["start", "hint", "typed", "spoken", "skip", "next"]
        assert re.match(
            r"2 learner\(s\), 30 s window: \d+ answers, \d+\.\d\d answers/s sustained, \d+ errors, \d+ mix-ups "
            r"\(\d+ wrong card, \d+ heard differs, \d+ no verdict\), server peak RSS \d+ MB",
            lines[table + 7],
        )
    assert re.fullmatch(r"errors: \d+, mix-ups: \d+", lines[-1])

    off, kept = json.loads(figures.read_text())["runs"]
    assert (off["mode"], kept["mode"]) == ("results-off", "results-kept")
    for run in (off, kept):
        assert (run["learners"], run["window"]) == (2, 30)
        assert run["events"]["start"]["count"] >= 2 and run["answers"] >= 1  # every learner started, someone answered
        assert set(run["events"]["typed"]) == {"count", "errors", "p50", "p95", "max", "max_queue"}
        assert isinstance(run["errors"], int) and run["peak_rss_mb"] > 0
        assert {"total", "wrong_card", "heard_differs", "no_verdict"} <= set(run["mixups"])
    assert off["answers_stored"] == 0
    given = sum(kept["events"][kind]["count"] - kept["events"][kind]["errors"] for kind in ("typed", "spoken", "skip"))
    assert 1 <= kept["answers_stored"] <= given  # a spoken answer with nothing heard is not an answer
    compared = lines[lines.index("results kept vs not kept (same run, same plan, a fresh server each):") + 1 :]
    assert re.match(r"  2 learners, 30 s window, typed p95: not kept [\d.-]+ s, kept [\d.-]+ s", compared[0])
    assert compared[2] == f"  answers stored: {kept['answers_stored']} (the results not kept: 0)"


@pytest.mark.slow
def test_hostile_plays_the_class_alone_and_beside_a_program_writing_back_to_back(tiny_model_dir, tmp_path):
    figures = tmp_path / "hostile.json"
    options = ["--learners", "2", "--window", "30", "--duration", "8", "--think", "0.2,0.5"]
    options += ["--json", str(figures), "--cache", str(tmp_path / "cache")]
    result = run_benchmark("hostile", "--model", str(tiny_model_dir), *options)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    compared = lines[lines.index("the class alone vs beside a hostile program (1 session(s) writing back to back):") :]
    assert re.match(r"  2 learners, 30 s window, typed p95: alone [\d.-]+ s, beside it [\d.-]+ s", compared[1])
    assert re.match(r"  2 learners, 30 s window, typed p95: alone again [\d.-]+ s, beside it [\d.-]+ s", compared[3])
    figures = json.loads(figures.read_text())
    hostile = figures["hostile"]
    assert hostile["failed"] == 0 and hostile["taken"] + hostile["refused"] > 0
    allowances = hostile["seconds"] // SESSION_WINDOW_S + 1  # one session's allowance in each window it wrote in
    assert hostile["taken"] <= WRITES_PER_SESSION * allowances
    assert all("för fort" in message or "429" in message for message in hostile["messages"])
    assert hostile["turned_away"] <= hostile["refused"]
    for run in (figures["alone"], figures["beside it"], figures["alone again"]):
        assert run["answers"] >= 1 and run["answers_stored"] >= 1


@pytest.mark.slow
def test_door_turns_away_every_request_of_a_shut_out_session_and_prints_its_cost(tiny_model_dir):
    result = run_benchmark("door", "--model", str(tiny_model_dir), "--connections", "1,3", "--seconds", "2")
    assert result.returncode == 0, result.stderr[-2000:]
    runs = [line for line in result.stdout.splitlines() if " connection(s): " in line]
    assert [line.split(" ")[0] for line in runs] == ["1", "3"]
    for line in runs:
        assert re.search(
            r"requests/s, statuses \{429: \d+\}; the server used \d+ % of a core, [\d.]+ ms a request", line
        )


@pytest.mark.slow
def test_classroom_plays_the_same_class_with_speech_on_an_engine(tiny_model_dir, tmp_path, engine_double):
    """`--speech-url`: each class in process and on the engine, in one run (an engine on localhost
    that hears "hund" in every clip; the real engine is tests/test_speech_engine.py's)."""
    engine = engine_double
    figures = tmp_path / "classroom.json"
    options = ["--learners", "1", "--window", "30", "--duration", "8", "--think", "0.2,0.5", "--words", "3"]
    options += ["--voice", "1", "--json", str(figures), "--cache", str(tmp_path / "cache")]
    options += ["--speech-url", engine.url, "--speech-model", "sv-model"]
    result = run_benchmark("classroom", "--model", str(tiny_model_dir), *options)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    assert any(re.match(r"1 learner\(s\), the speech engine: \d+ answers", line) for line in lines)
    assert [line.split()[0] for line in lines if re.match(r"^\s*(30|engine)\s+1\s", line)] == ["30", "engine"]
    in_process, on_engine = json.loads(figures.read_text())["runs"]
    assert (in_process["window"], on_engine["window"]) == (30, "engine")
    assert on_engine["errors"] == 0 and on_engine["mixups"]["total"] == 0
    heard = [r for r in engine.requests if r["path"].endswith("/audio/transcriptions")]
    assert len(heard) >= 3 + on_engine["events"]["spoken"]["count"]  # each clip alone, then the class's


@pytest.mark.slow
def test_engine_speed_prints_alone_and_at_once(engine_double):
    engine = engine_double
    result = run_benchmark(
        "engine_speed",
        *("--speech-url", engine.url, "--speech-model", "sv-model", "--clips", "4", "--at-once", "2,4"),
        *("--decks", "assets/decks/vardag.yaml"),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"alone: \d+\.\d{3} s a clip \(median of 4\)", lines[-4])
    assert re.fullmatch(r"2 at once: [\d.]+ clips/s \([\d.]+ s a clip\), 4/4 transcripts as heard alone", lines[-3])
    assert lines[-1] == "transcripts alone: ['hund', 'hund', 'hund', 'hund']"
    assert len(engine.requests) == 1 + 4 * 3  # the warm-up, then every clip alone, 2 at once, 4 at once


def test_classroom_reads_whose_verdict_it_is():
    from benchmarks.verdicts import mixup
    from game.decks.deck import load_decks
    from game.round.feedback import notice_html, verdict_html
    from game.round.judge import judge
    from game.texts import say

    cards = [card for deck in load_decks(ROOT / "assets" / "decks")[0] for card in deck.cards]
    hund = next(c for c in cards if c.word == "hund")
    katt = next(c for c in cards if c.word == "katt")
    for spoken in (True, False):
        for said in ("hund", "Hund.", "hunf", "katt", "a <b> & c"):
            verdict = verdict_html(judge(said, "hund"), hund, will_return=False, spoken=spoken)
            assert mixup(verdict, hund, said) is None, verdict
            assert mixup(verdict, katt, said) == "wrong card"
            assert mixup(verdict, hund, said + "x") == "heard differs"
    nothing = notice_html(say("sv", "nothing_heard"))
    assert mixup(nothing, hund, "") is None and mixup(nothing, hund, "hund") == "heard differs"
    assert mixup(notice_html("Skriv ordet först"), hund, "hund") == "no verdict"


@pytest.mark.slow
def test_window_prints_a_row_per_window_against_the_checkpoints_own(tiny_model_dir, tmp_path):
    from conftest import require_program

    require_program("espeak-ng", "espeak-ng")
    out = tmp_path / "window.json"
    result = run_benchmark(
        "window",
        *("--model", str(tiny_model_dir), "--windows", "10,30,6", "--clips", "3", "--alone", "1"),
        *("--decks", "assets/decks/vardag.yaml", "--batch", "2", "--json", str(out)),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.lstrip().startswith("window"))
    rows = lines[header + 1 : header + 4]
    assert [row.split()[0] for row in rows] == ["30s", "10s", "6s"]  # the checkpoint's own first
    assert re.fullmatch(r"\s+30s( +\d+\.\d %){3} +3/3 +3/3 +-0/\+0 +\d+( +\d+\.\d{3}){2} +1\.00×", rows[0])

    import json

    figures = json.loads(out.read_text())
    assert [run["window"] for run in figures["windows"]] == [30, 10, 6]
    assert figures["machine"]["cores"] and len(figures["clips"]) == 3
    assert set(figures["clips"][0]["transcripts"]) == {"30", "10", "6"}
    for run in figures["windows"]:
        assert len(run["verdicts"]) == 3 and run["same_verdict"] <= 3 and run["batch_s"] > 0


def test_window_refuses_a_window_longer_than_the_checkpoints(tiny_model_dir):
    result = run_benchmark("window", "--model", str(tiny_model_dir), "--windows", "45")
    assert result.returncode == 2 and "own window is 30 s; it cannot hear 45 s" in result.stderr


@pytest.mark.slow
def test_precision_prints_a_table_per_model_and_writes_its_json(tiny_model_dir, tmp_path):
    from conftest import require_program

    require_program("espeak-ng", "espeak-ng")
    out = tmp_path / "precision.json"
    result = run_benchmark(
        "precision",
        "--model",
        str(tiny_model_dir),
        "--clips",
        "3",
        "--precisions",
        "bf16,int8",
        "--decks",
        "assets/decks/vardag.yaml",
        "--batch",
        "2",
        "--json",
        str(out),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("precision"))
    assert [line.split()[0] for line in lines[header + 1 : header + 4]] == ["fp32", "bf16", "int8"]  # fp32 first
    assert re.fullmatch(r"fp32\s+3\s+3 \(100\.0 %\)\s+\d+\.\d % +\d+\.\d %\s+-0/\+0\s+\d+\.\d{3}", lines[header + 1])
    assert re.match(r"bf16 differs from fp32 on \d of 3 clips", lines[header + 4])

    import json

    figures = json.loads(out.read_text())
    assert len(figures["clips"]) == 3 and {"word", "voice", "speed", "pitch", "lead_s", "noise"} <= set(
        figures["clips"][0]
    )
    (model,) = figures["models"]
    assert list(model["precisions"]) == ["fp32", "bf16", "int8"]
    for run in model["precisions"].values():
        assert run["clips"] == 3 and len(run["transcripts"]) == 3 and len(run["verdicts"]) == 3
        assert 0 <= run["right_pct"] <= 100 and 0 <= run["identical_pct"] <= 100


@pytest.mark.slow
def test_augmentation_benchmark_times_the_main_process_and_the_workers():
    result = run_benchmark("augment", "--batches", "3", "--batch-size", "2", "--step-seconds", "0")
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    assert re.fullmatch(r"main process \(workers 0\)  wait per batch \d+\.\d{3} s  x baseline 1\.00", lines[-2])
    assert re.fullmatch(r"2 worker processes +wait per batch \d+\.\d{3} s  x baseline \d+\.\d\d", lines[-1])


def test_the_cost_of_keeping_results_is_printed_for_batched_and_single_writes():
    run = run_benchmark("result_cost", "--answers", "60")
    assert run.returncode == 0, run.stderr
    assert "60 typed answers by 30 learners, database: SQLite" in run.stdout
    for name in ("results not kept", "kept, written in batches", "kept, one answer a write"):
        assert re.search(rf"^{name} +\d+\.\d{{3}} ms +\d+\.\d{{3}} ms +\d+\.\d{{3}} ms$", run.stdout, re.M), run.stdout
    assert len(re.findall(r"keeping an answer costs -?\d+\.\d{3} ms of CPU", run.stdout)) == 2


def test_classroom_compares_each_class_with_the_same_class_at_the_first_priority(capsys):
    from benchmarks.report import print_nice_cost

    def run(nice, typed, mode="built-in", learners=30):
        events = {kind: {"p95": typed} for kind in ("typed", "next", "spoken")}
        return {"learners": learners, "window": 5, "mode": mode, "nice": nice, "events": events}

    runs = [run(0, 0.4), run(5, 0.3), run(10, 0.2), run(0, 0.5), run(10, 0.25), run(10, 0.1, learners=10)]
    print_nice_cost(runs, 0)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "the model's priority (same run, same plan, a fresh server each):"
    typed = [line for line in lines if "typed" in line]
    assert typed == [  # each against the last class of its size at nice 0; nice 0 is never a "result"
        "  30 learners, 5 s window, typed p95: nice 0 0.40 s, nice 5 0.30 s (× 0.75)",
        "  30 learners, 5 s window, typed p95: nice 0 0.40 s, nice 10 0.20 s (× 0.50)",
        "  30 learners, 5 s window, typed p95: nice 0 0.50 s, nice 10 0.25 s (× 0.50)",
    ]
    assert len(lines) == 1 + 3 * 3  # the 10-learner class has none of its size at nice 0
