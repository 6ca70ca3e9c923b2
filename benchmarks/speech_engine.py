"""A real speech engine on this machine: vLLM's CPU build serving real whisper-base on localhost,
for the tests and for a school shown on one machine (benchmarks/school.py).

Both are made once per machine by the project's own scripts (`scripts/build-speech-engine`,
`scripts/build-real-whisper`); the engine is started and stopped here.
"""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from pathlib import Path

from benchmarks.concurrency import ROOT, free_port

VENV = Path(os.environ.get("SAGDET_ENGINE_VENV", "~/.cache/sagdet/vllm-venv")).expanduser()
WHISPER_BASE = Path(os.environ.get("SAGDET_REAL_WHISPER", "~/.cache/sagdet/whisper-base")).expanduser()
SERVED = "whisper-base"


def build_once() -> None:
    """The engine's venv and the weights it serves; each script returns at once when already built."""
    for script in ("build-speech-engine", "build-real-whisper"):
        subprocess.run(["bash", str(ROOT / "scripts" / script)], check=True, cwd=ROOT, capture_output=True)


class SpeechEngine:
    """`python -m vllm.entrypoints.openai.api_server` on a free localhost port; stop() and start()
    again on the same port, as an engine that goes away and comes back."""

    def __init__(self, log_path: Path, model: Path = WHISPER_BASE, served: str = SERVED):
        self.port, self.model, self.served, self.log_path = free_port(), model, served, log_path
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.proc: subprocess.Popen | None = None

    def start(self) -> SpeechEngine:
        env = dict(os.environ, VLLM_CPU_KVCACHE_SPACE="2", HF_HUB_OFFLINE="1", VLLM_NO_USAGE_STATS="1")
        command = [str(VENV / "bin" / "python"), "-m", "vllm.entrypoints.openai.api_server"]
        command += ["--model", str(self.model), "--served-model-name", self.served, "--max-model-len", "448"]
        command += ["--host", "127.0.0.1", "--port", str(self.port)]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 1200  # a guard against a hang, not a speed check: ~1 minute when quiet
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"vLLM exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(1)
        raise RuntimeError(f"vLLM did not become healthy; see {self.log_path}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)  # vLLM's engine core is a child process: the whole group goes
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()
        self.proc = None
