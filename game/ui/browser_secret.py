"""The key Gradio encrypts what the page keeps in learners' browsers with (progress, language, the
shared decks they opened).

Gradio's default is a new random key each time the server starts, which leaves every learner's
stored progress unreadable after a restart. So the key is made once and kept in the data folder,
beside the published decks; replicas behind one address share it through SAGDET_BROWSER_SECRET.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from game.config import Settings

FILE = "browser-secret"
log = logging.getLogger(__name__)


def browser_secret(settings: Settings) -> str:
    if settings.browser_secret:
        return settings.browser_secret
    path = Path(settings.data_dir) / FILE
    try:
        return _read(path) or _make(path)
    except OSError:
        log.exception("no lasting key for learners' browsers in %s: their progress is unreadable after a restart", path)
        return secrets.token_urlsafe(32)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return ""


def _make(path: Path) -> str:
    """A new key, unless another process (a replica, a second worker) made one first. Written whole to a
    file of its own and then linked into place, so no one ever reads a half-written key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(32)
    draft = path.with_name(f".{FILE}-{secrets.token_hex(8)}")
    handle = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "w", encoding="ascii") as out:
            out.write(secret)
        os.link(draft, path)
    except FileExistsError:
        return _read(path)
    finally:
        draft.unlink(missing_ok=True)
    return secret
