"""The Teacher tab's work, without Gradio: take an upload, say what is wrong or show every card."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from PIL import Image

from game.deck import Card, Deck
from game.deck_upload import UploadError, export_zip, load_upload, remove_folder
from game.media import display_picture

PREVIEW_SIZE = 256


@dataclass(frozen=True)
class Upload:
    """One teacher's uploaded deck, in a folder of its own that goes when the session does."""

    folder: Path
    deck: Deck | None = None
    archive: Path | None = None  # the deck as a zip, for "Download"
    report: str = ""  # Markdown: the problems, or what was loaded


def caption(card: Card) -> str:
    parts = [card.with_article + (f" — {card.translation}" if card.translation else "")]
    if card.also_accepted:
        parts.append("även: " + ", ".join(card.also_accepted))
    return " · ".join(parts)


def receive(files: Sequence[str | Path] | None, root: Path, previous: Upload | None) -> Upload | None:
    """Replace the previous upload with this one; None when the upload was cleared."""
    discard(previous)
    if not files:
        return None
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=root))
    (folder / "deck").mkdir()
    try:
        deck = load_upload(files, folder / "deck")
    except UploadError as exc:
        lines = "\n".join(str(p) for p in exc.problems)
        report = f"**Kortleken kunde inte läsas — {len(exc.problems)} fel.** Rätta och ladda upp igen:\n```\n{lines}\n```"
        return Upload(folder=folder, report=report)
    archive = export_zip(deck, folder / f"{deck.id}.zip")
    level = f" · nivå {deck.level}" if deck.level else ""
    report = f"**✓ {deck.title}**{level} — {len(deck.cards)} kort, inga fel."
    if deck.description:
        report += f"\n\n{deck.description}"
    return Upload(folder=folder, deck=deck, archive=archive, report=report)


def preview(upload: Upload | None) -> list[tuple[Image.Image, str]]:
    """Every card as the learner will see its picture, with the word, translation and alternatives."""
    if upload is None or upload.deck is None:
        return []
    return [(display_picture(c.image, PREVIEW_SIZE), caption(c)) for c in upload.deck.cards]


def discard(upload: Upload | None) -> None:
    if upload is not None:
        remove_folder(upload.folder)
