"""The teachers' deck editor without a screen: rows of a table ↔ deck files (YAML + pictures).

A `Draft` is what the editor shows: a title, a level and one `Row` per card, every field text as
the teacher typed it. `write_deck` lays a draft out in the deck format (assets/decks/README.md),
`draft_zip` zips it as an upload, `draft_from_deck` opens an existing deck, `paste_rows` reads
lines pasted from a spreadsheet and `check` runs the deck checker (`python -m game.decks.deck check`)
on the draft and says which row and which field each problem is in.

A row's `picture` is a reference: `emoji:🐶` or `bundled:djur/hund.png` for a picture of the
picture library (`picture_ref`), or the path of a file on the server (an upload, a deck's own
picture). Paths are read as they are: the screen keeps them on the server (gr.State), never
takes one from the browser.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from PIL import Image

from game.decks.deck import Deck, DeckError, load_deck
from game.decks.media import (
    DISPLAY_SIZE,
    IMAGE_SUFFIXES,
    MAX_IMAGE_BYTES,
    display_picture,
    image_problem,
    photo_problem,
)
from game.decks.problems import Phrase
from game.decks.store import Limits, StoreError
from game.pictures.library import BUNDLED, BUNDLED_DECKS, EMOJI, Picture, PictureUnavailable, search
from game.swedish import ARTICLES
from game.temporary import task_folder
from game.texts import DEFAULT, known, language, say

MAX_CARDS = Limits().cards  # what a published deck may have
MAX_PASTE_CHARS = 200_000  # far more than MAX_CARDS lines of a spreadsheet
MAX_NAME = 40  # characters of a file name made from a word or a title
LIBRARY_CREDIT = "Noto Color Emoji, © Google, Apache License 2.0"  # the library's pictures (assets/ATTRIBUTION.md)
COLUMNS = ("word", "article", "translation", "clue", "also", "picture", "recording")  # the table, in order
DECK = "deck"  # FieldProblem.field of a problem of the whole deck (row 0)
HEADER_WORDS = {"ord", "word"}  # a first pasted line whose first column is one of these is a heading
SEPARATORS = ("\t", ";", " - ")  # a pasted line's columns, the first separator found in it
ORIENTATION = 0x0112  # the EXIF tag that says how a photo is turned


@dataclass(frozen=True)
class Row:
    """One card as the table shows it; `also` is comma-separated, `clue` is the deck format's `hint`."""

    word: str = ""
    article: str = ""  # "", "en" or "ett" (anything else is a problem `check` reports)
    translation: str = ""
    clue: str = ""
    also: str = ""
    picture: str = ""  # a library reference (`picture_ref`) or a file path; "" for none yet
    recording: str = ""  # a file path, or ""
    attribution: str = ""  # the picture's credit, when it is not the deck's

    def cells(self) -> list[str]:
        """The row's values in the order of COLUMNS."""
        return [getattr(self, name) for name in COLUMNS]

    @classmethod
    def from_cells(cls, cells: Sequence[object], attribution: str = "") -> Row:
        """A row from a table's values in the order of COLUMNS; None, NaN and missing cells are empty."""
        values = [_cell(value) for value in cells][: len(COLUMNS)]
        values += [""] * (len(COLUMNS) - len(values))
        return cls(**dict(zip(COLUMNS, values)), attribution=attribution)


@dataclass(frozen=True)
class Draft:
    title: str
    level: str = ""
    rows: tuple[Row, ...] = ()
    description: str = ""
    attribution: str = ""  # the pictures' credit for the whole deck


@dataclass(frozen=True)
class FieldProblem:
    """A problem beside one field: `row` is the card number (1-based; 0 for the deck itself),
    `field` one of COLUMNS, "title", "level" or DECK; `message` is in the language asked for."""

    row: int
    field: str
    message: str


class PasteError(Exception):
    """Pasted text that cannot become rows; `text(lang)` says why."""

    def __init__(self, key: str, **values: object):
        self.key, self.values = key, values
        super().__init__(self.text("en"))

    def text(self, lang: str = DEFAULT) -> str:
        return say(lang, f"paste.{self.key}", **self.values)


# --- pictures ---


def picture_ref(picture: Picture) -> str:
    """How a row refers to a picture of the library: `emoji:🐶`, `bundled:djur/hund.png`."""
    return f"{picture.kind}:{picture.id}"


def library_picture(ref: str) -> Picture | None:
    """The library picture a row's reference names, or None when it is not a library reference."""
    kind, _, name = ref.partition(":")
    if kind == EMOJI and name:
        return Picture(EMOJI, name, "", "")
    if kind == BUNDLED and name:
        path = PurePosixPath(name)
        if not path.is_absolute() and ".." not in path.parts and "\\" not in name:
            return Picture(BUNDLED, name, "", "")
    return None


def best_picture(word: str, translation: str = "") -> str:
    """A reference to the library's best picture for a card, or "".

    A picture named (or keyed) by the word comes first, then one named by the English translation,
    then the best of the library's other matches for the word, then for the translation. Pictures
    this server cannot draw (emoji without their font) are left out.
    """
    found = [
        [p for p in search(query, lang, limit=8) if p.problem is None] if query else []
        for query, lang in ((word, "sv"), (translation, "en"))
    ]
    for (query, lang), pictures in zip(((word, "sv"), (translation, "en")), found):
        for picture in pictures:
            if _named(picture, query, lang):
                return picture_ref(picture)
    return next((picture_ref(pictures[0]) for pictures in found if pictures), "")


def _named(picture: Picture, text: str, lang: str) -> bool:
    names = (picture.sv, *picture.sv_keywords) if lang == "sv" else (picture.en, *picture.en_keywords)
    wanted = text.casefold().strip()
    return any(name.casefold() == wanted for name in names)


# --- pasting ---


def paste_rows(text: str, pictures: bool = True) -> list[Row]:
    """Rows from lines pasted from a spreadsheet (or typed), one card a line.

    Columns are split at tabs; a line without a tab at `;`, and without that at ` - `. A line with
    none of these but commas is a list of words, a card each (`katt, hund, äpple`). The
    columns are the table's: word, translation, clue, also accepted — with the article either
    before the word in the first column (`en hund<TAB>dog`) or as a column of its own, first or
    second (`en<TAB>hund<TAB>dog`, `hund<TAB>en<TAB>dog`); a column that is exactly `en` or `ett`
    there is the article. Blank lines are skipped, and a first line whose first column is `ord` or
    `word` (a heading). Windows and old Mac line ends work. With `pictures`, each row gets the
    picture library's best picture for its word (`best_picture`), so a pasted list plays at once.
    Raises PasteError when the text holds more than MAX_CARDS cards.
    """
    if len(text) > MAX_PASTE_CHARS:
        raise PasteError("paste_too_long", count=len(text), most=MAX_PASTE_CHARS)
    lines = [part for line in text.splitlines() for part in _cards_on(line) if part.strip()]
    if lines and _columns(lines[0])[0].strip().casefold() in HEADER_WORDS:
        lines = lines[1:]
    if len(lines) > MAX_CARDS:
        raise PasteError("too_many_lines", count=len(lines), most=MAX_CARDS)
    rows = [_pasted_row(line) for line in lines]
    return with_library_pictures(rows) if pictures else rows


def with_library_pictures(rows: Sequence[Row]) -> list[Row]:
    """Each row with a word but no picture gets the library's best picture for it, if it has one."""
    return [
        replace(row, picture=best_picture(row.word, row.translation)) if row.word and not row.picture else row
        for row in rows
    ]


def _cards_on(line: str) -> list[str]:
    """A pasted line's cards: one, or a card for each word of a comma-separated list."""
    return line.split(",") if "," in line and not any(s in line for s in SEPARATORS) else [line]


def _columns(line: str) -> list[str]:
    separator = next((s for s in SEPARATORS if s in line), SEPARATORS[0])
    return line.split(separator)


def _pasted_row(line: str) -> Row:
    columns = [" ".join(column.split()) for column in _columns(line)]
    article = ""
    for at in (0, 1):
        if len(columns) > at + 1 and columns[at].casefold() in ARTICLES:
            article = columns.pop(at).casefold()
            break
    if not article:
        first, _, rest = columns[0].partition(" ")
        if first.casefold() in ARTICLES and rest:
            article, columns[0] = first.casefold(), rest
    word, translation, clue, also = (columns + [""] * 4)[:4]
    return Row(word=word, article=article, translation=translation, clue=clue, also=also)


# --- decks ---


def draft_from_deck(deck: Deck) -> Draft:
    """An existing deck (built-in, uploaded or published) as a draft to copy or change.

    Its pictures and recordings are referred to by path (the bundled decks' pictures as library
    pictures), so the deck's folder must still be there when the draft is written.
    """
    rows = tuple(
        Row(
            word=card.word,
            article=card.article,
            translation=card.translation,
            clue=card.hint,
            also=", ".join(card.also_accepted),
            picture=_reference(card.image),
            recording=str(card.audio) if card.audio is not None else "",
            attribution=card.attribution,
        )
        for card in deck.cards
    )
    return Draft(deck.title, deck.level, rows, deck.description, deck.attribution)


def _reference(path: Path) -> str:
    bundled = BUNDLED_DECKS.resolve()
    resolved = path.resolve()
    if bundled in resolved.parents:
        return f"{BUNDLED}:{resolved.relative_to(bundled).as_posix()}"
    return str(path)


@dataclass
class _Written:
    path: Path  # the YAML file
    lines: dict[int, tuple[int, str]] = field(default_factory=dict)  # line -> (row, field)
    unavailable: dict[int, Phrase] = field(default_factory=dict)  # row -> why its library picture is missing


def write_deck(draft: Draft, folder: str | Path) -> Path:
    """The draft as `folder/<name>.yaml` and its pictures and recordings in `folder/<name>/`; the YAML's path.

    Every card gets files of its own, named after its word (`glass.png`, `glass-2.png`, ASCII).
    Library pictures are written as the library draws them. An uploaded picture that passes the
    upload checks (`media.image_problem`) is written upright, square and DISPLAY_SIZE pixels as the
    game shows it (`media.display_picture`); one that does not is copied as it is, for the checker
    to say why. A draft with problems is written all the same (`check` says what they are).
    """
    return _write(draft, Path(folder)).path


def _write(draft: Draft, folder: Path) -> _Written:
    name = _safe_name(draft.title, "kortlek")
    media = folder / name
    media.mkdir(parents=True, exist_ok=True)
    written = _Written(folder / f"{name}.yaml")
    lines: list[str] = []

    def add(key: str, value: str, row: int, column: str, always: bool = False) -> None:
        if value or always:
            lines.append(f"{'  - ' if key == 'word' else '    ' if row else ''}{key}: {_quoted(value)}")
            written.lines[len(lines)] = (row, column)

    add("title", draft.title.strip(), 0, "title", always=True)
    for key in ("description", "level", "attribution"):
        add(key, getattr(draft, key).strip(), 0, key if key == "level" else DECK)
    lines.append("cards:" if draft.rows else "cards: []")
    written.lines[len(lines)] = (0, DECK)
    used: set[str] = set()
    for number, row in enumerate(draft.rows, start=1):
        stem = _unique(_safe_name(row.word, f"kort-{number}"), used)
        picture = _write_picture(row.picture.strip(), media, stem, number, written)
        recording = _copy_recording(row.recording.strip(), media, stem)
        credit = row.attribution.strip()
        if not credit and not draft.attribution.strip() and library_picture(row.picture.strip()):
            credit = LIBRARY_CREDIT
        also = [text.strip() for text in row.also.split(",") if text.strip()]
        add("word", row.word.strip(), number, "word", always=True)
        add("article", row.article.strip().lower(), number, "article")
        add("translation", row.translation.strip(), number, "translation")
        add("hint", row.clue.strip(), number, "clue")
        if also:
            lines.append(f"    also_accepted: [{', '.join(_quoted(text) for text in also)}]")
            written.lines[len(lines)] = (number, "also")
        add("image", picture, number, "picture", always=True)
        add("audio", recording, number, "recording")
        add("attribution", credit, number, "picture")
    written.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return written


def _write_picture(ref: str, media: Path, stem: str, number: int, written: _Written) -> str:
    """Write the row's picture into the deck's folder; its name there ("" for no picture)."""
    if not ref:
        return ""
    if (picture := library_picture(ref)) is not None:
        suffix = PurePosixPath(picture.id).suffix.lower() if picture.kind == BUNDLED else ".png"
        try:
            data = picture.png()
        except (PictureUnavailable, OSError) as exc:
            if isinstance(exc, PictureUnavailable):
                written.unavailable[number] = exc.phrase
            return f"{stem}{suffix}"  # not written: the checker says it is missing
        (media / f"{stem}{suffix}").write_bytes(data)
        return f"{stem}{suffix}"
    source = Path(ref)
    if not source.is_file():
        return f"{stem}.png"
    if _as_shown(source):
        shutil.copyfile(source, media / f"{stem}.png")
    elif image_problem(source) is None:
        display_picture(source).save(media / f"{stem}.png", format="PNG")
    else:
        suffix = source.suffix.lower() if source.suffix.lower() in IMAGE_SUFFIXES else ".png"
        shutil.copyfile(source, media / f"{stem}{suffix}")
        return f"{stem}{suffix}"
    return f"{stem}.png"


def prepare_picture(path: str | Path, folder: str | Path) -> str:
    """An uploaded picture made ready once, when it arrives: a new PNG in `folder`, upright, square and
    DISPLAY_SIZE pixels (what `write_deck` would make of it each time), as a row's `picture`. A phone's
    photo, larger than a deck's picture may be, is shrunk so (`media.photo_problem`'s bounds); a file
    that fails those checks is left as it is (its path is returned) for `check` to say why."""
    source = Path(path)
    if not source.is_file() or _as_shown(source) or photo_problem(source) is not None:
        return str(source)
    handle, name = tempfile.mkstemp(suffix=".png", prefix="bild-", dir=folder)
    os.close(handle)  # only a unique name is wanted; the picture is written by path
    target = Path(name)
    display_picture(source).save(target, format="PNG")
    return str(target)


def _as_shown(path: Path) -> bool:
    """Whether the picture is already what the game shows: a square PNG of at most DISPLAY_SIZE pixels
    with no EXIF turn (the bundled and the library's pictures, one `prepare_picture` made)."""
    if path.suffix.lower() != ".png" or path.stat().st_size > MAX_IMAGE_BYTES:
        return False
    try:
        with Image.open(path) as image:
            square = image.format == "PNG" and image.width == image.height <= DISPLAY_SIZE
            return square and image.getexif().get(ORIENTATION, 1) == 1 and image_problem(path) is None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False


def _copy_recording(path: str, media: Path, stem: str) -> str:
    if not path:
        return ""
    source = Path(path)
    target = f"{stem}{source.suffix.lower()}"
    if source.is_file():
        shutil.copyfile(source, media / target)
    return target


def draft_zip(draft: Draft, out: str | Path) -> Path:
    """The draft as a zip in the layout an upload has (`<name>.yaml`, `<name>/…`): what `load_upload`,
    `DeckStore.publish` and the Teacher tab's upload take. A draft with problems is zipped all the same."""
    out = Path(out)
    with task_folder("draft") as folder:
        path = write_deck(draft, folder)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.write(path, path.name)
            for media in sorted(path.with_suffix("").rglob("*")):
                if media.is_file():
                    zf.write(media, media.relative_to(folder).as_posix())
    return out


# --- checking ---


def check(draft: Draft, lang: str = DEFAULT) -> list[FieldProblem]:
    """Every problem `python -m game.decks.deck check` finds in the draft, beside its row and field, in `lang`;
    plus cards over MAX_CARDS (a shared deck's limit) and library pictures this server cannot draw."""
    lang = language(lang)
    found: list[FieldProblem] = []
    if len(draft.rows) > MAX_CARDS:
        message = StoreError("too_many_cards", count=len(draft.rows), most=MAX_CARDS).text(lang)
        found.append(FieldProblem(0, DECK, message))
    with task_folder("check") as folder:
        written = _write(draft, Path(folder))
        try:
            load_deck(written.path)
        except DeckError as exc:
            prefix = f"{folder}/"
            for problem in exc.problems:
                row, column = written.lines.get(problem.line or 0, (0, DECK))
                if column == "picture" and row in written.unavailable:
                    continue  # said below, better than "not found"
                message = in_table_words(problem.message.without(prefix), column)
                found.append(FieldProblem(row, column, message.text(lang)))
    for row, why in sorted(written.unavailable.items()):
        found.append(FieldProblem(row, "picture", why.text(lang)))
    return sorted(found, key=lambda problem: problem.row)


def in_table_words(message: Phrase, column: str) -> Phrase:
    """The checker's message as the table says it: the card and column are named beside it, so the
    deck file's field names (`image` in card 6) are left out, where the table has words of its own."""
    for key in (f"table.{message.key}.{column}", f"table.{message.key}"):
        if known(f"problem.{key}"):
            return Phrase(key, **message.values)
    return message


# --- helpers ---


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):  # NaN: an empty cell of a DataFrame
        return ""
    return str(value).strip()


def _quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar on one line (line breaks become spaces), whatever its characters."""
    out = []
    for char in " ".join(text.split()):
        if char in '"\\':
            out.append(f"\\{char}")
        elif _printable(ord(char)):
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
    return f'"{"".join(out)}"'


def _printable(code: int) -> bool:
    """What YAML lets a file hold as it is (YAML 1.1 `c-printable`, without the byte order mark)."""
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or 0x10000 <= code <= 0x10FFFF
    )


def _safe_name(text: str, fallback: str) -> str:
    """A file name from a word or a title: ASCII letters, digits and dashes (räv → rav)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    name = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:MAX_NAME].strip("-")
    return name or fallback


def _unique(stem: str, used: set[str]) -> str:
    name, count = stem, 1
    while name in used:
        count += 1
        name = f"{stem}-{count}"
    used.add(name)
    return name
