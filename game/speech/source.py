"""Where a speech model comes from (a folder, the hub, or this machine's cache), decided in one
question to the hub, and why it cannot be had, in plain words."""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)


class ModelLoadError(RuntimeError):
    """Why a speech model cannot be loaded. `reason` names the plain explanation (game.texts
    `why_<reason>`); `detail` is the technical one, for the log and the folded details."""

    REASONS = ("no_such_model", "no_access", "offline", "unreachable", "unreadable", "bad_window")

    def __init__(self, reason: str, name: str, detail: str):
        assert reason in self.REASONS, reason
        super().__init__(f"{name}: {detail}")
        self.reason, self.name, self.detail = reason, name, detail


def one_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"


def model_source(name: str) -> str:
    """Where the speech model `name` loads from: "folder" (a local directory), "hub" (a hub id
    the hub answers for), or "cache" (a hub model this machine already has, while the hub cannot
    be asked: offline, unreachable, or it no longer knows the id).

    Raises ModelLoadError when there is nothing to load. One request to the hub decides, with
    the hub's own metadata timeout (`HF_HUB_ETAG_TIMEOUT`, 10 s) and no retries: otherwise
    `from_pretrained` would go on to retry listing the repository's files with backoff, about
    23 s a listing and minutes in all, before failing anyway.
    """
    from huggingface_hub import constants, model_info, try_to_load_from_cache
    from huggingface_hub.errors import GatedRepoError, HFValidationError, RepositoryNotFoundError
    from huggingface_hub.utils import validate_repo_id

    if Path(name).expanduser().is_dir():
        return "folder"
    try:
        validate_repo_id(name)
    except HFValidationError as exc:
        raise ModelLoadError("no_such_model", name, f"no such folder, and not a hub id: {one_line(exc)}") from exc
    cached = isinstance(try_to_load_from_cache(name, "config.json"), str)
    if constants.is_offline_mode():
        if cached:
            return "cache"
        raise ModelLoadError(
            "offline", name, f"HF_HUB_OFFLINE is set and {name} is not in the local cache {constants.HF_HUB_CACHE}"
        )
    try:
        model_info(name, timeout=constants.HF_HUB_ETAG_TIMEOUT)
        return "hub"
    except RepositoryNotFoundError as exc:  # a wrong id, a private or gated model
        problem, reason = exc, "no_access" if isinstance(exc, GatedRepoError) else "no_such_model"
    except Exception as exc:  # no network, a timeout, the hub's own trouble: whatever it is, it is not asked again
        problem, reason = exc, "unreachable"
    if cached:
        log.warning("the hub did not give %s (%s); it loads from the local cache", name, one_line(problem))
        return "cache"
    detail = f"asking {constants.ENDPOINT} about {name}: {one_line(problem)}"
    if reason == "unreachable":
        detail += f"; not in the local cache {constants.HF_HUB_CACHE} either"
    raise ModelLoadError(reason, name, detail) from problem
