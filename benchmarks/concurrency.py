"""Several learners at once against the game's server on localhost, through gradio_client.

Each learner answers a few cards: it "records" for a moment (think time), sends the clip to
`/check_answer`, waits for the verdict, and goes again. Bounded in learners, answers and time.
An answer counts as mixed up if it names another card's word or differs from what the same
clip gave when one learner played alone.
"""

from __future__ import annotations

import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
ANSWERS_PER_LEARNER = 4
THINK_SECONDS = (1.0, 3.0)  # a learner looks, presses Record, says the word, presses Stop
TIME_LIMIT = 900


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(command: list[str], env: dict | None = None):
    """Start a server on a free localhost port; return it, its address and the seconds until
    its page was served."""
    port = free_port()
    env = dict(
        os.environ, GRADIO_SERVER_PORT=str(port), GRADIO_SERVER_NAME="127.0.0.1", HF_HUB_OFFLINE="1", **(env or {})
    )
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{' '.join(command)} exited")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return proc, url, time.perf_counter() - started
        except OSError as exc:
            if time.perf_counter() - started > 120:
                proc.kill()
                raise RuntimeError("the page was not served within 120 s") from exc
            time.sleep(0.05)


def page_served_seconds(model_dir: str, runs: int = 3) -> float:
    """`python app.py` as a learner's Space starts it: seconds until the page is served."""
    times = []
    for _ in range(runs):
        proc, _, served = start_server([sys.executable, "app.py"], {"SAGDET_MODEL": model_dir})
        times.append(served)
        proc.terminate()
        proc.wait(timeout=30)
    return statistics.median(times)


def _learner(url: str, files: list[tuple[str, str]], seed: int, out: list, deadline: float) -> None:
    from gradio_client import Client, handle_file

    rng = random.Random(seed)
    client = Client(url, verbose=False)
    for k in range(ANSWERS_PER_LEARNER):
        if time.perf_counter() > deadline:
            return
        time.sleep(rng.uniform(*THINK_SECONDS))
        word, path = files[(seed + k) % len(files)]
        started = time.perf_counter()
        try:
            result = client.predict(handle_file(path), word, api_name="/check_answer")
            out.append((path, word, result, time.perf_counter() - started, None))
        except Exception as exc:  # counted, not raised: errors are a figure of the benchmark
            out.append((path, word, None, time.perf_counter() - started, repr(exc)))


def run_learners(model_dir: str, clips, counts: list[int], pin: int | None, precision: str = "auto") -> dict:
    import soundfile

    served = page_served_seconds(model_dir)
    lines = [f"page served {served:.1f} s after `python app.py` starts (median of 3; the model loads meanwhile)"]
    figures: dict = {"served_s": served, "runs": {}}
    command = [sys.executable, "-m", "benchmarks.serve", "--model", model_dir, "--precision", precision]
    proc, url, _ = start_server(command + (["--pin", str(pin)] if pin else []))
    try:
        from gradio_client import Client, handle_file

        with tempfile.TemporaryDirectory() as tmp:
            files = []
            for i, (word, recording) in enumerate(clips):
                path = str(Path(tmp) / f"{i}.wav")
                soundfile.write(path, recording, 44_100)
                files.append((word, path))
            warm = Client(url, verbose=False)
            reference = {
                path: warm.predict(handle_file(path), word, api_name="/check_answer")["heard"] for word, path in files
            }  # also waits for the model to load
            single_p50 = None
            for count in counts:
                results: list = []
                deadline = time.perf_counter() + TIME_LIMIT
                threads = [
                    threading.Thread(target=_learner, args=(url, files, n * 7 + count, results, deadline))
                    for n in range(count)
                ]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                latencies = [r[3] for r in results if r[4] is None]
                errors = [r for r in results if r[4] is not None]
                mixed = [
                    r for r in results if r[4] is None and (r[2]["word"] != r[1] or r[2]["heard"] != reference[r[0]])
                ]
                p50, p95 = statistics.median(latencies), float(np.percentile(latencies, 95))
                single_p50 = single_p50 or p50
                figures["runs"][count] = {
                    "answers": len(results),
                    "errors": len(errors),
                    "mixed_up": len(mixed),
                    "p50": p50,
                    "p95": p95,
                    "p95_over_single_p50": p95 / single_p50,
                }
                lines.append(
                    f"{count} learner(s): {len(results)} answers, {len(errors)} errors, {len(mixed)} mixed up, "
                    f"p50 {p50:.2f} s, p95 {p95:.2f} s, p95 / single-learner p50 = {p95 / single_p50:.2f}"
                )
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    figures["lines"] = lines
    return figures
