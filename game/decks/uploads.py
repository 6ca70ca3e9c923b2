"""The Teacher tab's work, without Gradio: take an upload, say what is wrong or show every card."""

from __future__ import annotations

import atexit
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from game.decks.archive import UPLOAD, UploadError, age, export_zip, load_upload, remove_folder
from game.decks.deck import Card, Deck
from game.decks.media import display_picture
from game.decks.problems import Phrase, Problem
from game.texts import DEFAULT, number, say

PREVIEW_SIZE = 256
MAX_SHOWN = 50  # problems listed in a report; the rest are only counted
ROOT_PREFIX = "sagdet-uploads-"
PID_FILE = "server.pid"
UNCLAIMED = 24 * 3600  # seconds before a root without a pid file (made before they existed, or by a server
#                        starting this very moment) counts as abandoned: an old server may still be using it

log = logging.getLogger(__name__)
_made_here: set[Path] = set()  # roots this process made, which a pid equal to ours does not make stale


@dataclass(frozen=True)
class Upload:
    """One teacher's uploaded deck, in a folder of its own that goes when the session does."""

    folder: Path | None  # None when the upload failed: its folder is already gone
    deck: Deck | None = None
    archive: Path | None = None  # the deck as a zip, for "Download"
    problems: tuple[Problem, ...] = ()  # why the deck could not be read


def uploads_root(base: str | Path | None = None) -> Path:
    """A new folder for this server's uploads (removed when it exits), in `base` or the temporary folder.

    A server that is killed never runs its exit handlers, so each root holds its server's pid, and the
    roots of servers that are no longer running are removed here, when the next one starts.
    """
    base = Path(base if base is not None else tempfile.gettempdir()).absolute()  # as glob() names the roots
    for old in base.glob(f"{ROOT_PREFIX}*"):
        if _abandoned(old):
            shutil.rmtree(old, ignore_errors=True)
    root = Path(tempfile.mkdtemp(prefix=ROOT_PREFIX, dir=base))
    (root / PID_FILE).write_text(str(os.getpid()), encoding="ascii")
    _made_here.add(root)
    atexit.register(_remove_at_exit, root)
    return root


def _remove_at_exit(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
    log.info("uploads folder %s removed", root)


def _abandoned(root: Path) -> bool:
    """Whether `root` is an uploads root whose server is no longer running."""
    if root.is_symlink() or not root.is_dir() or root in _made_here:
        return False
    try:
        pid = int((root / PID_FILE).read_text(encoding="ascii"))
        if pid <= 0:  # os.kill would signal a whole process group
            raise ValueError(pid)
    except (FileNotFoundError, ValueError):
        return age(root) > UNCLAIMED
    except OSError:  # unreadable: another user's, leave it alone
        return False
    if pid == os.getpid():  # not made here, so an earlier server's (containers reuse small pids)
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # running, as another user
        return False
    return False


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
