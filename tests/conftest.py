"""Shared fixtures. Everything runs offline: the tests build their own tiny Whisper."""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"  # before transformers is imported anywhere
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
sys.path.insert(0, str(ROOT / "tests"))

from tiny_whisper import build_tiny_whisper  # noqa: E402


def deck_corpus() -> list[str]:
    from game.deck import load_decks

    decks, _ = load_decks(ROOT / "assets" / "decks")
    return [answer for deck in decks for card in deck.cards for answer in card.answers] * 3


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    return build_tiny_whisper(tmp_path_factory.mktemp("tiny-whisper"), deck_corpus())


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def require_program(path_or_name: str, package: str) -> None:
    """Skip on a developer's machine without it; in CI a missing program is a failure, never a skip."""
    if shutil.which(path_or_name) is None:
        message = f"{path_or_name} is not installed (apt-get install {package})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def espeak(text: str, out: Path, voice: str = "sv", speed: int = 140, pitch: int = 50) -> Path:
    """Swedish speech from espeak-ng (robotic but deterministic)."""
    require_program("espeak-ng", "espeak-ng")
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", str(out), text],
        check=True, capture_output=True,
    )
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """`python app.py` in a subprocess, configured only through environment variables."""

    def __init__(self, model: str, log_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = dict(os.environ, SAGDET_MODEL=model, GRADIO_SERVER_PORT=str(self.port), GRADIO_SERVER_NAME="127.0.0.1")
        self.log = open(log_path, "w")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "app.py"], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.served_after = self._wait_until_served(timeout=120)

    def _wait_until_served(self, timeout: float) -> float:
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"app.py exited with {self.proc.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        return time.monotonic() - self.started
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


@pytest.fixture(scope="session")
def app_server(tiny_model_dir, artifacts):
    server = AppServer(str(tiny_model_dir), artifacts / "app.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def broken_model_server(artifacts):
    # A hub id that cannot be fetched here (offline) and a typo'd one in real use fail the same way.
    server = AppServer("sagdet-tests/no-such-model", artifacts / "app-broken-model.log")
    yield server
    server.stop()
