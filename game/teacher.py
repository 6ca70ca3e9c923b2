"""The Teacher tab's work, without Gradio: take an upload, say what is wrong or show every card."""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from PIL import Image

from game.deck import Card, Deck
from game.deck_upload import UPLOAD, UploadError, export_zip, load_upload, remove_folder
from game.media import display_picture
from game.problems import Phrase, Problem
from game.texts import DEFAULT, number, say

PREVIEW_SIZE = 256
MAX_SHOWN = 50  # problems listed in a report; the rest are only counted

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upload:
    """One teacher's uploaded deck, in a folder of its own that goes when the session does."""

    folder: Path | None  # None when the upload failed: its folder is already gone
    deck: Deck | None = None
    archive: Path | None = None  # the deck as a zip, for "Download"
    problems: tuple[Problem, ...] = ()  # why the deck could not be read


def caption(card: Card, lang: str = DEFAULT) -> str:
    parts = [card.with_article + (f" — {card.translation}" if card.translation else "")]
    if card.also_accepted:
        parts.append(say(lang, "also_accepted", words=", ".join(card.also_accepted)))
    return " · ".join(parts)


def receive(files: Sequence[str | Path] | None, root: Path, previous: Upload | None) -> Upload | None:
    """Replace the previous upload with this one; None when the upload was cleared.

    Never raises: when the upload fails, for whatever reason, its folder is gone and the problems say why.
    """
    discard(previous)
    if not files:
        return None
    try:
        return _receive(files, root)
    except UploadError as exc:
        return Upload(folder=None, problems=tuple(exc.problems))
    except Exception:  # a bug or a case nobody foresaw: the teacher gets a sentence, the log the traceback
        log.exception("an upload could not be received")
        return Upload(folder=None, problems=(Problem(UPLOAD, None, Phrase("unexpected")),))


def _receive(files: Sequence[str | Path], root: Path) -> Upload:
    """The upload unpacked and checked in a new folder under `root`, which goes again if anything fails."""
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=root))
    try:
        (folder / "deck").mkdir()
        deck = load_upload(files, folder / "deck")
        return Upload(folder=folder, deck=deck, archive=export_zip(deck, folder / f"{deck.id}.zip"))
    except BaseException:
        remove_folder(folder)
        raise


def report(upload: Upload | None, lang: str = DEFAULT) -> str:
    """Markdown for the teacher: the problems as file:line: message (the first MAX_SHOWN), or what was loaded."""
    if upload is None:
        return ""
    if upload.deck is None:
        shown = [problem.text(lang) for problem in upload.problems[:MAX_SHOWN]]
        if (more := len(upload.problems) - MAX_SHOWN) > 0:
            shown.append(say(lang, "more_problems", count=number(lang, more)))
        lines = "\n".join(shown)
        return f"{say(lang, 'upload_broken', count=number(lang, len(upload.problems)))}\n```\n{lines}\n```"
    deck = upload.deck
    level = say(lang, "upload_level", level=deck.level) if deck.level else ""
    text = say(lang, "upload_ok", title=deck.title, level=level, cards=len(deck.cards))
    return f"{text}\n\n{deck.description}" if deck.description else text


def preview(upload: Upload | None, lang: str = DEFAULT) -> list[tuple[Image.Image, str]]:
    """Every card as the learner will see its picture, with the word, translation and alternatives."""
    if upload is None or upload.deck is None:
        return []
    return [(display_picture(c.image, PREVIEW_SIZE), caption(c, lang)) for c in upload.deck.cards]


def discard(upload: Upload | None) -> None:
    """Remove an upload's folder; safe to call again, and on a failed upload (which has none left)."""
    if upload is not None:
        remove_folder(upload.folder)
