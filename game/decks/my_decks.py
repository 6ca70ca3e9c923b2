"""The published decks a browser has opened: its own list, kept in the browser beside its progress.

Stored values may be missing or edited by hand; they are read as far as they make sense.
"""

from __future__ import annotations

from typing import Any

from game.decks.store import normalise_code

MOST = 30  # a learner's list stays short enough to read; the oldest opened drops off


def load(data: Any) -> list[dict]:
    """[{"code", "title"}], newest first; anything unreadable is left out."""
    out, seen = [], set()
    for item in data if isinstance(data, list) else []:
        if not isinstance(item, dict):
            continue
        code, title = normalise_code(str(item.get("code", ""))), str(item.get("title", "")).strip()[:120]
        if code and code not in seen:
            seen.add(code)
            out.append({"code": code, "title": title or code})
    return out[:MOST]


def remember(data: Any, code: str, title: str) -> list[dict]:
    """The list with this deck first (moved up if it was there)."""
    return load([{"code": code, "title": title}, *load(data)])
