"""The deck editor's own files: the pictures and recordings a teacher adds, kept on the server.

The editor's table names them by short tokens (`foto-3`, `ljud-1`), never by a path: the table
comes back from the browser, where anyone could type a path, so only tokens this session made
(and the picture library's references) reach a file. A deck opened to edit has its files copied
in here too, so it still builds after the deck it came from is replaced or deleted. The folder is
one of the server's session folders (game/decks/session_files.py): counted against the server's
budget, removed once unused for a few hours.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path

from game.decks.archive import MAX_UPLOAD_BYTES, remove_folder
from game.decks.deck import Deck
from game.decks.editor import Draft, Row, draft_from_deck, library_picture, prepare_picture
from game.decks.media import MB, audio_problem, photo_problem
from game.decks.problems import Phrase
from game.decks.session_files import NoRoom, SessionFiles, SessionFolder

PICTURE = "foto"
RECORDING = "ljud"
# What one editing session may keep on the server: a deck's worth (the most a shared deck may be).
MOST_BYTES = MAX_UPLOAD_BYTES


class RefusedFile(Exception):
    """A picture or recording the editor does not keep; `text(lang)` says why, in the teacher's words."""

    def __init__(self, why: Phrase):
        self.why = why
        super().__init__(why.text("en"))

    def text(self, lang: str) -> str:
        return self.why.text(lang)


@dataclass(frozen=True)
class EditorFiles(SessionFolder):
    folder: Path
    files: dict[str, str] = field(default_factory=dict)  # token -> path, inside `folder`
    kept: SessionFiles | None = field(default=None, compare=False, repr=False)  # the server's budget; None: none

    @classmethod
    def new(cls, kept: SessionFiles) -> EditorFiles:
        return cls(kept.new_folder("editor-"), kept=kept)

    def add_picture(self, path: str | Path) -> tuple[EditorFiles, str]:
        """An uploaded picture (a phone photo too) made upright, square and small, under a new token.
        Raises RefusedFile for anything that is not a picture the editor can shrink (a renamed program,
        a 200-megapixel panorama), before a byte of it is copied."""
        self._check(Path(path), photo_problem(Path(path)))
        with self._room(2 * Path(path).stat().st_size):  # the copy, and the picture made from it
            copy = self._copy(path, PICTURE)
            prepared = prepare_picture(copy, self.folder)
        if prepared != str(copy):
            Path(copy).unlink()
        return self._with(PICTURE, prepared)

    def add_recording(self, path: str | Path) -> tuple[EditorFiles, str]:
        """The teacher's recording of a word, under a new token; raises RefusedFile as add_picture does."""
        self._check(Path(path), audio_problem(Path(path)))
        with self._room(Path(path).stat().st_size):
            return self._with(RECORDING, self._copy(path, RECORDING))

    def _check(self, source: Path, problem: Phrase | None) -> None:
        if problem is not None:
            raise RefusedFile(Phrase("bad_file", name=source.name, problem=problem))
        kept = sum(Path(path).stat().st_size for path in self.files.values() if Path(path).is_file())
        if kept + source.stat().st_size > MOST_BYTES:
            raise RefusedFile(Phrase("editor_full", most=MOST_BYTES // MB))

    @contextmanager
    def _room(self, needed: int) -> Iterator[None]:
        """Room on the server for `needed` bytes while they are copied; RefusedFile when there is none."""
        try:
            with self.kept.room(needed) if self.kept is not None else nullcontext():
                yield
        except NoRoom as full:
            raise RefusedFile(full.why) from None

    def path(self, token: str) -> str | None:
        return self.files.get(token.strip())

    def resolved(self, row: Row) -> tuple[Row, list[str]]:
        """The row as `game.decks.editor` writes it (tokens → this session's files) and the fields whose
        value names nothing known ("picture", "recording"), which are left empty."""
        unknown = []
        picture, recording = row.picture.strip(), row.recording.strip()
        if picture and library_picture(picture) is None:
            picture = self.path(picture) or ""
            unknown += [] if picture else ["picture"]
        if recording:
            recording = self.path(recording) or ""
            unknown += [] if recording else ["recording"]
        return replace(row, picture=picture, recording=recording), unknown

    def open_deck(self, deck: Deck) -> tuple[EditorFiles, Draft]:
        """A deck as a draft whose files are this session's copies, under tokens; RefusedFile when the
        server has no room for them."""
        draft, files = draft_from_deck(deck), self
        own = [p for row in draft.rows for p in (row.picture, row.recording) if p and library_picture(p) is None]
        rows = []
        with self._room(sum(Path(p).stat().st_size for p in set(own) if Path(p).is_file())):
            for row in draft.rows:
                if row.picture and library_picture(row.picture) is None and Path(row.picture).is_file():
                    files, token = files._with(PICTURE, files._copy(row.picture, PICTURE))
                    row = replace(row, picture=token)
                if row.recording and Path(row.recording).is_file():
                    files, token = files._with(RECORDING, files._copy(row.recording, RECORDING))
                    row = replace(row, recording=token)
                rows.append(row)
        return files, replace(draft, rows=tuple(rows))

    def discard(self) -> None:
        remove_folder(self.folder)

    def _copy(self, path: str | Path, kind: str) -> str:
        source = Path(path)
        handle, name = tempfile.mkstemp(suffix=source.suffix.lower(), prefix=f"{kind}-", dir=self.folder)
        with open(handle, "wb") as out, source.open("rb") as data:
            shutil.copyfileobj(data, out)
        return name

    def _with(self, kind: str, path: str) -> tuple[EditorFiles, str]:
        number = 1 + sum(token.startswith(f"{kind}-") for token in self.files)
        token = f"{kind}-{number}"
        return replace(self, files={**self.files, token: path}), token


def discard(files: EditorFiles | None) -> None:
    """For the session's state: its folder goes with it."""
    if files is not None:
        files.discard()
