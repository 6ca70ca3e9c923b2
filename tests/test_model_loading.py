"""Where the speech model comes from, and how fast a model that cannot be had is given up on.

The hub is played in-process (FakeHub: huggingface_hub's own HTTP client with a transport that
answers like huggingface.co, or fails to connect like a machine without network), so every
request is counted and nothing leaves the machine. No test measures time: a busy machine is
slower, not wrong. What makes loading fast or slow is how many requests it makes, and that is
what is counted (today's transformers retries a listing five times with backoff when the hub
cannot be reached: about 23 s each, several listings, minutes in all).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pytest

from game.speech.loading import BackgroundModel
from game.speech.model import Transcriber
from game.speech.source import ModelLoadError, model_source

MISSING = "sagdet-tests/no-such-model"
TINY = "sagdet-tests/tiny-whisper"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


class FakeHub:
    """huggingface.co as huggingface_hub's client sees it: `models` (hub id -> folder) can be
    fetched; every request is recorded; `reachable=False` fails each one as no network does."""

    def __init__(self, models: dict[str, Path] | None = None, reachable: bool = True):
        self.models = models or {}
        self.reachable = reachable
        self.requests: list[str] = []

    def __call__(self, request):
        import httpx2

        path = request.url.path
        if path == "/api/agent-harnesses":  # huggingface_hub's best-effort user-agent lookup (3 s timeout)
            return self.not_found("EntryNotFound")
        self.requests.append(f"{request.method} {path}")
        if not self.reachable:
            raise httpx2.ConnectError("[Errno -2] Name or service not known", request=request)
        if match := re.fullmatch(r"/api/models/([^/]+/[^/]+)", path):
            folder = self.models.get(match[1])
            if folder is None:
                return self.not_found("RepoNotFound")
            files = [{"rfilename": f.name} for f in sorted(folder.iterdir())]
            return httpx2.Response(200, json={"id": match[1], "sha": COMMIT, "siblings": files})
        if re.fullmatch(r"/api/models/([^/]+/[^/]+)/tree/main/.*", path):  # transformers looks for chat templates
            return self.not_found("EntryNotFound")
        if match := re.fullmatch(r"/([^/]+/[^/]+)/resolve/main/(.+)", path):
            folder = self.models.get(match[1])
            if folder is None:
                return self.not_found("RepoNotFound")
            file = folder / match[2]
            if not file.is_file():
                return self.not_found("EntryNotFound")
            body = file.read_bytes()
            headers = {
                "X-Repo-Commit": COMMIT,
                "ETag": f'"{hashlib.sha256(body).hexdigest()}"',
                "Content-Length": str(len(body)),
            }
            return httpx2.Response(200, headers=headers, content=b"" if request.method == "HEAD" else body)
        return self.not_found("RepoNotFound")

    @staticmethod
    def not_found(code: str):
        import httpx2

        return httpx2.Response(404, headers={"X-Error-Code": code}, json={"error": code})

    def heard(self, prefix: str) -> list[str]:
        return [r for r in self.requests if r.startswith(prefix)]


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty HF cache of this test's own (transformers and huggingface_hub read it per call)."""
    from huggingface_hub import constants

    folder = tmp_path / "hf-cache"
    folder.mkdir()
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(folder))
    return folder


@pytest.fixture
def hub(cache, monkeypatch):
    """Every request huggingface_hub (and so transformers) makes goes to a FakeHub."""
    import httpx2
    import huggingface_hub
    from huggingface_hub.utils._http import default_client_factory, hf_request_event_hook

    fake = FakeHub()

    def client():
        return httpx2.Client(
            transport=httpx2.MockTransport(fake),
            event_hooks={"request": [hf_request_event_hook]},  # the library's own: it enforces HF_HUB_OFFLINE
            follow_redirects=True,
        )

    huggingface_hub.set_client_factory(client)
    yield fake
    huggingface_hub.set_client_factory(default_client_factory)


def online(monkeypatch, online: bool = True) -> None:
    """The tests run with HF_HUB_OFFLINE=1 (conftest); a few need the hub asked."""
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", not online)


def tone() -> np.ndarray:
    return (0.3 * np.sin(np.arange(16000) / 16000 * 2 * np.pi * 220)).astype(np.float32)


def test_a_missing_model_fails_offline_without_asking_the_hub(hub):
    with pytest.raises(ModelLoadError) as failed:
        Transcriber.load(MISSING)
    assert failed.value.reason == "offline"
    assert "HF_HUB_OFFLINE" in failed.value.detail and MISSING in failed.value.detail
    assert hub.requests == []


def test_an_unreachable_hub_is_asked_once_not_retried(hub, monkeypatch):
    online(monkeypatch)
    hub.reachable = False
    with pytest.raises(ModelLoadError) as failed:
        Transcriber.load(MISSING)
    assert failed.value.reason == "unreachable"
    assert "ConnectError" in failed.value.detail and "not in the local cache" in failed.value.detail
    assert hub.requests == [f"GET /api/models/{MISSING}"]


def test_an_unknown_hub_id_is_named_after_one_request(hub, monkeypatch):
    online(monkeypatch)
    with pytest.raises(ModelLoadError) as failed:
        Transcriber.load(MISSING)
    assert failed.value.reason == "no_such_model" and "RepositoryNotFoundError" in failed.value.detail
    assert hub.requests == [f"GET /api/models/{MISSING}"]


def test_a_path_that_is_no_folder_and_no_hub_id(hub):
    with pytest.raises(ModelLoadError) as failed:
        Transcriber.load("runs/my-checkpoint/final")
    assert failed.value.reason == "no_such_model" and "no such folder" in failed.value.detail
    assert hub.requests == []


def test_a_hub_model_downloads_then_loads_from_the_cache_offline_or_unreachable(
    hub, cache, monkeypatch, tiny_model_dir
):
    """Real use: transformers fetches the model from the hub as it always does (the fake one
    here), into the cache; then the same id loads from the cache with no hub at all."""
    hub.models[TINY] = tiny_model_dir
    online(monkeypatch)
    assert model_source(TINY) == "hub"
    downloaded = Transcriber.load(TINY, "fp32")
    assert hub.heard("GET /sagdet-tests/tiny-whisper/resolve/main/model.safetensors")
    assert (cache / "models--sagdet-tests--tiny-whisper" / "snapshots" / COMMIT / "config.json").exists()
    heard = downloaded.transcribe(tone(), max_new_tokens=4)

    hub.requests.clear()
    online(monkeypatch, False)  # HF_HUB_OFFLINE
    assert Transcriber.load(TINY, "fp32").transcribe(tone(), max_new_tokens=4) == heard
    assert hub.requests == []

    online(monkeypatch)
    hub.reachable = False  # a laptop on a train: one request, then the cache
    assert Transcriber.load(TINY, "fp32").transcribe(tone(), max_new_tokens=4) == heard
    assert hub.requests == [f"GET /api/models/{TINY}"]


def test_a_cached_model_the_hub_no_longer_has_still_loads(hub, cache, monkeypatch, tiny_model_dir):
    hub.models[TINY] = tiny_model_dir
    online(monkeypatch)
    Transcriber.load(TINY, "fp32")
    del hub.models[TINY]  # deleted, or made private
    hub.requests.clear()
    assert model_source(TINY) == "cache"
    assert hub.requests == [f"GET /api/models/{TINY}"]


def test_a_local_folder_is_loaded_without_the_hub(hub, tiny_model_dir, monkeypatch):
    online(monkeypatch)
    assert model_source(str(tiny_model_dir)) == "folder"
    Transcriber.load(str(tiny_model_dir), "fp32")
    assert hub.requests == []


def test_the_page_status_says_it_plainly_and_keeps_the_reason(hub, monkeypatch):
    online(monkeypatch)
    hub.reachable = False
    model = BackgroundModel(MISSING)
    assert model.wait(60)
    sv, en = model.status("sv"), model.status("en")
    assert sv.state == en.state == "failed"
    assert sv.message.startswith("Taligenkänningen fungerar inte just nu.") and "Skriv ditt svar" in sv.message
    assert en.message.startswith("Speech recognition is not available right now.") and "Type your answer" in en.message
    assert "OSError" not in sv.message and MISSING not in sv.message  # the technical part is folded away
    assert "nå Hugging Face" in sv.why and MISSING in sv.why
    assert "could not be reached" in en.why
    assert sv.detail == en.detail and "ConnectError" in sv.detail and "[Errno -2]" in sv.detail


def test_a_broken_folder_is_explained_with_its_whole_error(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text(json.dumps({"model_type": "whisper"}))
    model = BackgroundModel(str(broken))
    assert model.wait(120)
    status = model.status()
    assert status.state == "failed" and "kunde inte läsas" in status.why
    assert status.detail.startswith("OSError") and str(broken) in status.detail, status.detail
