"""The app the class plays against: `python app.py` started afresh on a free localhost port, its peak
memory watched while it runs, and the questions the benchmark asks it outside the learners' play
(is the model ready, what each clip gives alone, publish a deck, how many answers were stored)."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchmarks.concurrency import start_server
from benchmarks.fixtures import Clip
from benchmarks.verdicts import LANG
from game.decks.archive import export_zip
from game.texts import say

# `python app.py`, with generate() first pinned to a number of new tokens (as answer_latency pins
# both its paths): a random-weight model never ends an answer and would write the game's whole budget.
PINNED_APP = (
    "import runpy, sys; from benchmarks.answer_latency import _pin_tokens; _pin_tokens(int(sys.argv[1])); "
    "runpy.run_path('app.py', run_name='__main__')"
)


def connect(url: str, **options):
    """A gradio_client.Client of its own session. Plain http on localhost: without ssl_verify=False,
    httpx loads the CA bundle for every request (~3 a move, ~0.1 s of CPU each)."""
    # Lazy, here and in upload(): gradio_client takes ~0.4 s to import, which `--help` and the figures
    # need not pay, and it imports huggingface_hub, which reads HF_HUB_OFFLINE once, on import:
    # classroom.main and a learners' process set it first.
    from gradio_client import Client

    return Client(url, verbose=False, ssl_verify=False, **options)


def upload(path: str):
    """A file as an endpoint's argument."""
    from gradio_client import handle_file  # lazy: see connect()

    return handle_file(path)


@contextlib.contextmanager
def session(url: str):
    """A client for a few questions, closed after them."""
    client = connect(url)
    try:
        yield client
    finally:
        client.close()


class PeakMemory:
    """The peak resident memory of a process and its children (VmHWM), sampled while it runs."""

    def __init__(self, pid: int, every: float = 0.5):
        self.pid = pid
        self.peaks: dict[int, int] = {}  # pid -> VmHWM in kB
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, args=(every,), daemon=True)
        self._thread.start()

    @staticmethod
    def _children(pid: int) -> list[int]:
        found = []
        for task in Path(f"/proc/{pid}/task").glob("*"):
            with contextlib.suppress(OSError):
                found += [int(c) for c in (task / "children").read_text().split()]
        return found

    def sample(self) -> None:
        todo, seen = [self.pid], set()
        while todo:
            pid = todo.pop()
            if pid in seen:
                continue
            seen.add(pid)
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
            if match:
                self.peaks[pid] = max(self.peaks.get(pid, 0), int(match[1]))
            todo += self._children(pid)

    def _watch(self, every: float) -> None:
        while not self._stop.wait(every):
            self.sample()

    def stop(self) -> float:
        """MB: the server's own peak plus each child's."""
        self.sample()
        self._stop.set()
        return sum(self.peaks.values()) / 1024


def start_app(
    model_dir: str,
    window: int | None,
    precision: str | None,
    pin: int,
    data_dir: str,
    results_days: int,
    nice: int | None,
    speech: tuple[str, str] | None = None,
) -> tuple[subprocess.Popen, str, PeakMemory]:
    """`python app.py` on a free localhost port, with its own data folder (published decks, results):
    the process, its address and its memory watch."""
    env = {"SAGDET_MODEL": model_dir, "GRADIO_ANALYTICS_ENABLED": "False", "SAGDET_RESULTS_DAYS": str(results_days)}
    env["SAGDET_DATA_DIR"] = data_dir
    if window:
        env["SAGDET_WINDOW"] = str(window)
    if speech:
        env["SAGDET_SPEECH_URL"], env["SAGDET_SPEECH_MODEL"] = speech
    if precision:
        env["SAGDET_PRECISION"] = precision
    if nice is not None:
        env["SAGDET_MODEL_NICE"] = str(nice)
    command = [sys.executable, "-c", PINNED_APP, str(pin)] if pin else [sys.executable, "app.py"]
    proc, url, _ = start_server(command, env)
    return proc, url, PeakMemory(proc.pid)


def stop_app(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except Exception:
        proc.kill()
        proc.wait(timeout=30)


def wait_until_ready(url: str, clip: Clip, timeout: float = 900) -> dict:
    """Ask /check_answer until the model has loaded (it says so while loading); its answer."""
    loading = say(LANG, "model_loading", name="\x00").split("\x00")[0]
    deadline = time.time() + timeout
    with session(url) as client:
        while True:
            try:
                return client.predict(upload(clip.path), clip.word, api_name="/check_answer")
            except Exception as exc:
                if loading not in str(exc) or time.time() > deadline:
                    raise RuntimeError(f"the model did not become ready: {exc}") from exc
                time.sleep(1)


def heard_alone(url: str, clips: list[Clip]) -> dict[str, str]:
    """What each clip gives when it is the only one the server hears (one learner, idle server)."""
    with session(url) as client:
        return {c.path: client.predict(upload(c.path), c.word, api_name="/check_answer")["heard"] for c in clips}


def publish(url: str, deck, folder: Path) -> tuple[str, str]:
    """The deck shared on this server, as a teacher shares it: its class code and edit key."""
    with session(url) as client:
        shared = client.predict([upload(str(export_zip(deck, folder / f"{deck.id}.zip")))], api_name="/publish_deck")
    return shared["code"], shared["edit_key"]


def answers_stored(url: str, code: str, edit_key: str) -> int:
    with session(url) as client:
        return client.predict(edit_key, code, api_name="/class_results")["answers"]


def hint_endpoints(url: str) -> list[str]:
    with session(url) as client:
        names = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    return sorted(name for name in names if name.startswith("/hint_"))
