"""The Teacher tab's work, without Gradio: take an upload, say what is wrong or show every card."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from game.decks.archive import MAX_UPLOAD_BYTES, UPLOAD, UploadError, export_zip, load_upload, remove_folder
from game.decks.deck import Card, Deck
from game.decks.media import display_picture
from game.decks.problems import Phrase, Problem
from game.decks.session_files import NoRoom, SessionFiles, SessionFolder
from game.texts import DEFAULT, number, say

PREVIEW_SIZE = 256
MAX_SHOWN = 50  # problems listed in a report; the rest are only counted
# What one upload may take on the disk: its files unpacked, and the deck zipped again for "Download".
# A session keeps one upload at a time (a new one replaces it).
UPLOAD_MOST_BYTES = 2 * MAX_UPLOAD_BYTES
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upload(SessionFolder):
    """One teacher's uploaded deck, in a folder of its own that goes when the session does, or once
    unused for a while (game/decks/session_files.py)."""

    folder: Path | None  # None when the upload failed: its folder is already gone
    deck: Deck | None = None
    archive: Path | None = None  # the deck as a zip, for "Download"
    problems: tuple[Problem, ...] = ()  # why the deck could not be read
    refused: Phrase | None = None  # why it was not even read (the server has no room for it)


def caption(card: Card, lang: str = DEFAULT) -> str:
    parts = [card.with_article + (f" — {card.translation}" if card.translation else "")]
    if card.also_accepted:
        parts.append(say(lang, "also_accepted", words=", ".join(card.also_accepted)))
    return " · ".join(parts)


def receive(files: Sequence[str | Path] | None, kept: SessionFiles, previous: Upload | None) -> Upload | None:
    """Replace the previous upload with this one, in a folder of `kept`; None when the upload was cleared.

    Never raises: when the upload fails, for whatever reason (the server's room for teachers' files
    is full too), its folder is gone and the problems say why.
    """
    discard(previous)
    if not files:
        return None
    try:
        with kept.room(UPLOAD_MOST_BYTES):
            return _receive(files, kept)
    except UploadError as exc:
        return Upload(folder=None, problems=tuple(exc.problems))
    except NoRoom as full:
        return Upload(folder=None, refused=full.why)
    except Exception:  # a bug or a case nobody foresaw: the teacher gets a sentence, the log the traceback
        log.exception("an upload could not be received")
        return Upload(folder=None, problems=(Problem(UPLOAD, None, Phrase("unexpected")),))


def _receive(files: Sequence[str | Path], kept: SessionFiles) -> Upload:
    """The upload unpacked and checked in a new folder of `kept`, which goes again if anything fails."""
    folder = kept.new_folder("upload-")
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
    if upload.refused is not None:
        return f"**{upload.refused.text(lang)}**"
    if upload.deck is None:
        shown = [problem.text(lang) for problem in upload.problems[:MAX_SHOWN]]
        if (more := len(upload.problems) - MAX_SHOWN) > 0:
            shown.append(say(lang, "more_problems", count=number(lang, more)))
        lines = "\n".join(shown)
        fence = "`" * max(3, 1 + max(map(len, re.findall("`+", lines)), default=0))  # longer than any ``` inside
        return f"{say(lang, 'upload_broken', count=number(lang, len(upload.problems)))}\n{fence}\n{lines}\n{fence}"
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
