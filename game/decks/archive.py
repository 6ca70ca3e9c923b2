"""Decks uploaded by teachers: untrusted files, unpacked safely into a folder of their own.

An upload is one `.zip` or the deck's loose files (its YAML plus pictures and
recordings). Either way it lands as `DEST/<deck>.yaml` with everything else in
`DEST/<deck>/`, the layout `load_deck` reads. Nothing is written outside DEST:
no absolute paths, no `..`, no links, only the file types a deck uses, and
limits on the number and total size of files (checked on the bytes actually
read, not on what the zip claims). A file that cannot be written (a password,
a damaged member, a name too long, a file where a folder must go) is named in
an UploadError like every other problem.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
import zlib
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from game.decks.deck import Deck, DeckError, load_deck
from game.decks.media import AUDIO_SUFFIXES, IMAGE_SUFFIXES, MB
from game.decks.problems import Phrase, Problem

MAX_UPLOAD_FILES = 300
MAX_UPLOAD_BYTES = 50 * MB  # all the files together, unpacked
MAX_NAME_CHARS = 100  # one file or folder name; file systems refuse names over 255 bytes
DECK_SUFFIXES = {".yaml", ".yml"}
ALLOWED_SUFFIXES = DECK_SUFFIXES | IMAGE_SUFFIXES | AUDIO_SUFFIXES | {".md", ".txt"}
IGNORED = ("__MACOSX/", ".DS_Store", "Thumbs.db")  # what zipping on a Mac or Windows adds by itself
CHUNK = MB
UPLOAD = Phrase("upload")  # problems of the upload as a whole, not of one file


class UploadError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class _Entry:
    name: str  # path inside the upload, POSIX style
    open: Callable[[], IO[bytes]]


def _zip_entries(archive: Path, stack: ExitStack) -> tuple[list[_Entry], list[Problem]]:
    problems: list[Problem] = []
    entries: list[_Entry] = []
    try:
        zf = stack.enter_context(zipfile.ZipFile(archive))
    except (zipfile.BadZipFile, OSError):
        return [], [Problem(archive.name, None, Phrase("not_a_zip"))]
    for info in zf.infolist():
        name = info.filename.replace("\\", "/")
        if info.is_dir() or any(part in name for part in IGNORED):
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            problems.append(Problem(name, None, Phrase("is_a_link")))
            continue
        if info.flag_bits & 0x1:  # zipfile would stop with "password required" when it is read
            problems.append(Problem(name, None, Phrase("encrypted")))
            continue
        entries.append(_Entry(name, lambda info=info: zf.open(info)))
    return entries, problems


def _collect(files: Sequence[Path], stack: ExitStack) -> tuple[list[_Entry], list[Problem]]:
    zips = [f for f in files if f.suffix.lower() == ".zip"]
    if zips and len(files) > 1:
        return [], [Problem(zips[0].name, None, Phrase("zip_and_files"))]
    if zips:
        return _zip_entries(zips[0], stack)
    return [_Entry(f.name, lambda f=f: open(f, "rb")) for f in files if f.name not in IGNORED], []


def _safe(name: str) -> Phrase | None:
    """Why this member name cannot be written, or None."""
    path = PurePosixPath(name)
    if path.is_absolute() or (len(name) > 1 and name[1] == ":"):
        return Phrase("absolute_member")
    if ".." in path.parts:
        return Phrase("member_outside")
    if (longest := max((len(part) for part in path.parts), default=0)) > MAX_NAME_CHARS:
        return Phrase("name_too_long", length=longest, most=MAX_NAME_CHARS)
    if path.suffix.lower() not in ALLOWED_SUFFIXES:
        return Phrase("wrong_file_type", kinds=", ".join(sorted(ALLOWED_SUFFIXES)))
    return None


def unpack_upload(files: Sequence[str | Path], dest: Path) -> Path:
    """Copy an uploaded deck into `dest` (a fresh, empty folder) and return its YAML file."""
    with ExitStack() as stack:
        entries, problems = _collect([Path(f) for f in files], stack)
        return _unpack(entries, problems, dest)


def _unpack(entries: list[_Entry], problems: list[Problem], dest: Path) -> Path:
    if problems and not entries:
        raise UploadError(problems)
    for entry in entries:
        if (why := _safe(entry.name)) is not None:
            problems.append(Problem(entry.name, None, why))
    if len(entries) > MAX_UPLOAD_FILES:
        problems.append(Problem(UPLOAD, None, Phrase("too_many_files", count=len(entries), most=MAX_UPLOAD_FILES)))
    decks = [e for e in entries if PurePosixPath(e.name).suffix.lower() in DECK_SUFFIXES]
    if len(decks) != 1:
        found = ", ".join(e.name for e in decks) or Phrase("none_found")
        problems.append(Problem(UPLOAD, None, Phrase("deck_file_count", found=found)))
    if problems:
        raise UploadError(problems)

    deck_name = PurePosixPath(decks[0].name)
    stem = deck_name.stem
    if stem.startswith(".") or not stem:
        raise UploadError([Problem(decks[0].name, None, Phrase("needs_a_name"))])
    base = deck_name.parent
    targets: list[tuple[_Entry, Path]] = [(decks[0], dest / f"{stem}.yaml")]
    for entry in entries:
        if entry is decks[0]:
            continue
        member = PurePosixPath(entry.name)
        try:
            relative = member.relative_to(base)
        except ValueError:
            raise UploadError([Problem(entry.name, None, Phrase("not_beside_deck", deck=deck_name.name))]) from None
        if relative.parts[0] != stem:
            relative = PurePosixPath(stem) / relative  # loose pictures go into the deck's own folder
        targets.append((entry, dest / relative))
    if clashes := _clashes(targets):
        raise UploadError(clashes)

    budget = MAX_UPLOAD_BYTES  # one budget for all the files, spent on the bytes actually read
    for entry, target in targets:
        budget = _copy(entry, target, budget)
    return targets[0][1]


def _clashes(targets: list[tuple[_Entry, Path]]) -> list[Problem]:
    """Files at a path that another file needs as a folder (`x.png` and `x.png/y.png`): not both can be written."""
    folders = {folder for _, target in targets for folder in target.parents}
    return [Problem(entry.name, None, Phrase("file_and_folder")) for entry, target in targets if target in folders]


def _copy(entry: _Entry, target: Path, budget: int) -> int:
    """Copy one file with what is left of the upload's byte budget; return what is left after it."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with entry.open() as source, open(target, "wb") as out:
            while chunk := source.read(CHUNK):
                budget -= len(chunk)
                if budget < 0:
                    raise UploadError([Problem(UPLOAD, None, Phrase("too_big_unpacked", most=MAX_UPLOAD_BYTES // MB))])
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError):  # a bad CRC, broken compressed data, a cut-off zip
        raise UploadError([Problem(entry.name, None, Phrase("damaged_member"))]) from None
    except (OSError, NotImplementedError) as exc:  # a name the file system refuses, a compression zipfile lacks
        reason = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
        raise UploadError([Problem(entry.name, None, Phrase("cannot_unpack", reason=reason))]) from None
    return budget


def load_upload(files: Sequence[str | Path], dest: Path) -> Deck:
    """Unpack and validate an upload; problems name files as the teacher knows them."""
    try:
        return load_deck(unpack_upload(files, dest))
    except DeckError as exc:
        raise UploadError([_relative(p, dest) for p in exc.problems]) from None


def _relative(problem: Problem, root: Path) -> Problem:
    prefix = f"{root}/"
    file = problem.file.removeprefix(prefix) if isinstance(problem.file, str) else problem.file
    return Problem(file, problem.line, problem.message.without(prefix), problem.detail)


def export_zip(deck: Deck, out: Path) -> Path:
    """The deck as a zip in the layout an upload expects: `<id>.yaml` and `<id>/…`."""
    assert deck.path is not None
    folder = deck.path.with_suffix("")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(deck.path, f"{deck.id}.yaml")
        written = set()
        for card in deck.cards:
            for media in (card.image, card.audio):
                if media is not None and media not in written:
                    zf.write(media, f"{deck.id}/{media.relative_to(folder).as_posix()}")
                    written.add(media)
    return out


def remove_folder(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
