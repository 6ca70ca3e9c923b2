"""Shared fixtures. Everything runs offline: the tests build their own tiny Whisper."""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"  # before transformers is imported anywhere
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import hashlib
import inspect
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
from worker_lines import say_during_tests  # noqa: E402 (tests/ is on the path: pyproject.toml)

from training.tools.scratch import build_tiny_whisper  # noqa: E402


def deck_corpus() -> list[str]:
    from game.decks.deck import load_decks

    decks, _ = load_decks(ROOT / "assets" / "decks")
    return [answer for deck in decks for card in deck.cards for answer in card.answers] * 3


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    return build_tiny_whisper(tmp_path_factory.mktemp("tiny-whisper"), deck_corpus())


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def require_file(path: Path, package: str) -> None:
    """Like require_program, for a file: skipped on a developer's machine, failed in CI."""
    if not Path(path).is_file():
        message = f"{path} is missing (apt-get install {package})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def require_program(path_or_name: str, package: str) -> None:
    """Skip on a developer's machine without it; in CI a missing program is a failure, never a skip."""
    if shutil.which(path_or_name) is None:
        message = f"{path_or_name} is not installed (apt-get install {package})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def engine_double():
    """A transcription engine on localhost serving "sv-model", answering as a test tells it (tests/engine_double.py)."""
    from engine_double import EngineDouble

    double = EngineDouble(served=("sv-model",))
    yield double
    double.stop()


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for this test run (tests/postgres.py); stopped and removed at the end."""
    from benchmarks.postgres import Postgres, initdb_program

    initdb = initdb_program()
    require_program(initdb or "initdb", "postgresql")
    server = Postgres(initdb)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def espeak(text: str, out: Path, voice: str = "sv", speed: int = 140, pitch: int = 50) -> Path:
    """Swedish speech from espeak-ng (robotic but deterministic)."""
    require_program("espeak-ng", "espeak-ng")
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", str(out), text],
        check=True,
        capture_output=True,
    )
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """`python app.py` in a subprocess, configured only through environment variables."""

    def __init__(self, model: str, log_path: Path, data_dir: Path, port: int | None = None, **env_vars: str):
        self.port = port or free_port()  # a restart on the same port: the same origin, the same browser storage
        self.url = f"http://127.0.0.1:{self.port}/"
        env = dict(os.environ, SAGDET_MODEL=model, GRADIO_SERVER_PORT=str(self.port), GRADIO_SERVER_NAME="127.0.0.1")
        env["SAGDET_DATA_DIR"] = str(data_dir)  # published decks: this test run's own database
        env["SAGDET_DRAIN_SECONDS"] = "0"  # stop() at once: no load balancer waits on a test's server (test_health.py)
        env.update(env_vars)
        self.log = open(log_path, "w")  # noqa: SIM115 - the server writes to it until stop()
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "app.py"], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self._wait_until_served(timeout=600)  # a guard against a hang, not a speed check: a loaded CI is slow

    def _wait_until_served(self, timeout: float) -> None:
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"app.py exited with {self.proc.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.25)
        raise RuntimeError(f"app.py did not serve {self.url} within {timeout} s; see {self.log.name}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


TINY_TRAINING = {
    # Measured on the 2-core CI machine: 400 steps reach 12.5 % WER on the held-out voices with 48
    # training clips held out to choose the checkpoint on (before the clips' lead-ins of quiet,
    # training/tools/synth_espeak.py, 14.4 %; 300 steps then 21.6 %; 800 took twice as long for no better model).
    "max_steps": 400,
    "warmup_steps": 20,
    "learning_rate": 2.0e-3,
    "batch_size": 16,
    "eval_batch_size": 64,
    "eval_steps": 200,
    "save_steps": 200,
    "logging_steps": 25,
    "gradient_checkpointing": False,
    "window_seconds": 3,
    "max_audio_seconds": 3,
    "generation_max_tokens": 8,
    "report_to": "none",
    "selection_size": 48,  # training clips held out to choose the checkpoint on; eval.jsonl is the test
}


def machine_cache(kind: str) -> Path:
    """Outside the checkout, like the hub's own cache, so that every clone on the machine (a CI run's
    fresh one too) finds what an earlier run made; `SAGDET_TEST_CACHE` puts it elsewhere."""
    default = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sagdet-tests"
    cache = Path(os.environ.get("SAGDET_TEST_CACHE") or default) / kind
    cache.mkdir(parents=True, exist_ok=True)
    return cache


KEEP_OTHERS, UNUSED_FOR_S = 3, 24 * 3600


def made_once(cache: Path, key: str, make: Callable[[Path], None]) -> Path:
    """`cache/key`, made by `make(folder)` unless an earlier run (another test worker's, another
    clone's) made it. It is renamed into place when whole, so a folder under a key is complete."""
    done = cache / key
    if not done.exists():
        with FileLock(cache / "making.lock"):  # test workers start at once: one makes it, the others wait
            if not done.exists():
                clear_out(cache, key)
                make(cache / f"{key}.partial")
                (cache / f"{key}.partial").rename(done)
    os.utime(done)  # when it was last used
    return done


def clear_out(cache: Path, key: str) -> None:
    """Under the making lock: what killed runs left half made, and other keys beyond the three most
    recently used that have gone unused for a day (clones on other branches share the cache, and
    one may be running on its key). Renamed before deleting: a delete cut short leaves no key."""
    for leftover in [*cache.glob("*.partial"), *cache.glob("*.trash")]:
        shutil.rmtree(leftover, ignore_errors=True)
    others = [p for p in cache.iterdir() if p.is_dir() and "." not in p.name and p.name != key]
    others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[KEEP_OTHERS:]:
        if time.time() - old.stat().st_mtime > UNUSED_FOR_S:
            trash = old.rename(cache / f"{old.name}.trash")
            shutil.rmtree(trash, ignore_errors=True)


@pytest.fixture(scope="session")
def espeak_set() -> Path:
    """Deck words of `vardag` in espeak voices: train.jsonl and eval.jsonl (held-out voices). Made
    once per machine, under a key of the synthesiser's code, espeak-ng's version and the words."""
    require_program("espeak-ng", "espeak-ng")
    from training.tools import synth_espeak

    words = synth_espeak.deck_words([ROOT / "assets" / "decks" / "vardag.yaml"])
    version = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True).stdout
    key = hashlib.sha256(json.dumps([words, version]).encode() + Path(synth_espeak.__file__).read_bytes())
    return made_once(machine_cache("espeak-sv"), key.hexdigest()[:16], lambda out: synth_espeak.synthesise(words, out))


def train_words(espeak_set: Path) -> list[str]:
    return [json.loads(line)["sentence"] for line in (espeak_set / "train.jsonl").read_text().splitlines()]


@pytest.fixture(scope="session")
def training_base(tmp_path_factory, espeak_set) -> Path:
    """An untrained tiny Whisper whose tokenizer knows the deck words (as a real one would)."""
    return build_tiny_whisper(tmp_path_factory.mktemp("tiny-base"), train_words(espeak_set), d_model=128, heads=4)


def tiny_training_config(base: Path, data: Path, out: Path, **changes) -> Path:
    import yaml

    config = dict(
        TINY_TRAINING,
        base_model=str(base),
        output_dir=str(out),
        cache_dir=str(out.parent / "cache"),
        train_data=[{"name": "local", "path": str(data / "train.jsonl")}],
        test_data=[{"name": "local", "path": str(data / "eval.jsonl")}],
    )
    config.update(changes)
    path = out.parent / f"{out.name}.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def training_fingerprint(espeak_set: Path) -> str:
    """Everything that decides the trained tiny model: the training code, the recipe here (its
    settings, base model and words), the speech it learns from, and torch's and transformers' versions."""
    import torch
    import transformers

    recipe = [inspect.getsource(f) for f in (train_tiny_model, train_words, tiny_training_config)]
    digest = hashlib.sha256(json.dumps([TINY_TRAINING, recipe, torch.__version__, transformers.__version__]).encode())
    for folder, pattern in ((ROOT / "training", "*.py"), (espeak_set, "*")):
        # By path within each folder: where the checkout and the temporary folder are must not matter.
        for path in sorted(folder.rglob(pattern), key=lambda p: p.relative_to(folder).as_posix()):
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def trained_tiny_model(request, tmp_path_factory, espeak_set, artifacts) -> Path:
    """The tiny Whisper trained by the real entry point, `python -m training.train`; made once per
    machine under a fingerprint of everything that produces it, so it is trained again only when one
    of those changes (a change to training/ does). No time limit: a busy machine is slower, not wrong."""

    def train(dest: Path) -> None:
        train_tiny_model(request, tmp_path_factory, espeak_set, artifacts, dest)

    return made_once(machine_cache("tiny-whisper"), training_fingerprint(espeak_set), train)


def train_tiny_model(request, tmp_path_factory, espeak_set: Path, artifacts: Path, dest: Path) -> None:
    base = build_tiny_whisper(tmp_path_factory.mktemp("tiny-base-train"), train_words(espeak_set), d_model=128, heads=4)
    out = tmp_path_factory.mktemp("runs") / "tiny-sv"
    config = tiny_training_config(base, espeak_set, out)
    command = [sys.executable, "-m", "training.train", "--config", str(config)]
    with open(artifacts / "training.log", "wb") as log, say_during_tests(request) as say:
        say(f"training the tiny test Whisper once ({TINY_TRAINING['max_steps']} steps; log: {log.name})")
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        shown = 0
        while chunk := process.stdout.read1(65536):
            log.write(chunk)
            steps = [int(n) for n in re.findall(rb"(\d+)/%d \[" % TINY_TRAINING["max_steps"], chunk)]
            if steps and max(steps) >= shown + 50:  # a line every 50 steps: the run is alive
                shown = max(steps) // 50 * 50
                say(f"  step {shown}/{TINY_TRAINING['max_steps']}")
        if process.wait():
            raise subprocess.CalledProcessError(process.returncode, command)
    shutil.copytree(out, dest, ignore=shutil.ignore_patterns("checkpoint-*", "runs"))


def pytest_xdist_make_scheduler(config, log):
    """Tests go to the workers one by one, in the order below, as each worker finishes one (a worker
    keeps one more queued behind the test it runs): xdist's own `load` sends them in chunks, and a
    worker could be left with several slow tests while the other had nothing to do. Only for
    `--dist load` (what `-n` means alone): another `--dist` a developer asks for is theirs."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class OneByOne(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return nodeid

    return OneByOne(config, log)


def pytest_collection_modifyitems(config, items):
    """With test workers (pytest-xdist; one process keeps the files' order), an order that lets them
    finish together: slow tests (pyproject.toml's `slow` marker) before quick ones, which fill in
    around them. When the machine's cache has no trained tiny model yet, the first test needing it
    starts its training at once, and the other slow tests needing it come after the slow tests that
    do not, so that no worker waits for the training while there is other slow work."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return

    def kind(item) -> tuple[bool, bool]:
        return item.get_closest_marker("slow") is None, "trained_tiny_model" in item.fixturenames

    items.sort(key=kind)  # slow untrained, slow trained, quick untrained, quick trained
    first_trained = next((i for i, item in enumerate(items) if kind(item) == (False, True)), None)
    if first_trained is not None:
        items.insert(0, items.pop(first_trained))


def session_log(artifacts: Path, name: str) -> Path:
    """A session server's log: one per test worker, for each worker starts its own servers (in one
    file, the second server's start would wipe what the first had written)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return artifacts / (f"{name}-{worker}.log" if worker else f"{name}.log")


@pytest.fixture(scope="session")
def app_server(trained_tiny_model, artifacts, tmp_path_factory):
    server = AppServer(str(trained_tiny_model), session_log(artifacts, "app"), tmp_path_factory.mktemp("data"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def broken_model_server(artifacts, tmp_path_factory):
    """The app on a machine whose hub cannot be reached: not offline mode, but a hub address where
    nothing listens (refused at once, and nothing leaves the machine)."""
    unreachable_hub = f"http://127.0.0.1:{free_port()}"
    server = AppServer(
        "sagdet-tests/no-such-model",
        session_log(artifacts, "app-broken-model"),
        tmp_path_factory.mktemp("data"),
        HF_HUB_OFFLINE="0",
        TRANSFORMERS_OFFLINE="0",
        HF_ENDPOINT=unreachable_hub,
    )
    yield server
    server.stop()
