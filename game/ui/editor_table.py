"""The deck editor's table as the page shows it, and the deck's problems beside their card and
field: pure functions, no components (game/ui/editor_screen.py shows them).

The table holds text only; a card's own picture or recording is a token (`foto-1`, `ljud-1`) of
this session's `EditorFiles`, a library picture its reference (`emoji:🐶`). See game/decks/editor_files.py.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import replace
from functools import lru_cache
from html import escape
from pathlib import Path

from PIL import Image, ImageOps

from game.client_text import MAX_CHARS
from game.client_values import Refused
from game.decks import editor, spelling
from game.decks.editor import COLUMNS, DECK, Draft, FieldProblem, Row
from game.decks.editor_files import EditorFiles
from game.pictures.library import PictureUnavailable
from game.texts import say

PICTURE_AT = COLUMNS.index("picture")
# Rows the table takes: room to paste a deck too big and be told so by the checker; beyond, refused.
MAX_TABLE_ROWS = 2 * editor.MAX_CARDS
MAX_PICTURE_CELL = 20_000  # characters of a picture cell: its 48 px WebP takes under 3,000
THUMBNAIL = 48  # pixels: the picture column shows each card's picture this small
# A picture cell as the table shows it: the picture, with its reference as the alt text.
SHOWN_PICTURE = re.compile(r"^!\[(?P<ref>.*)\]\(data:image/webp;base64,[A-Za-z0-9+/=]*\)$", re.S)


def table_value(rows: list[Row] | tuple[Row, ...], lang: str, files: EditorFiles | None = None) -> dict:
    data = [
        [*row.cells()[:PICTURE_AT], shown_picture(row.picture, files), *row.cells()[PICTURE_AT + 1 :]] for row in rows
    ]
    return {"headers": say(lang, "editor.columns"), "data": data or [[""] * len(COLUMNS)]}


def table_rows(value) -> list[Row]:
    """The table's rows as the browser sent them; rows left wholly empty are not cards. A picture
    cell gives back the reference it shows (a token or a library picture, trusted no more than typed).

    Raises Refused for a table over MAX_TABLE_ROWS rows or a cell over its characters (an API client's:
    100,000 rows kept a core busy for 19 minutes); cells past the table's columns are not read."""
    data = value.get("data", []) if isinstance(value, dict) else (value or [])
    data = data if isinstance(data, (list, tuple)) else []
    if len(data) > MAX_TABLE_ROWS:
        raise Refused("editor.table_too_big", most=MAX_TABLE_ROWS, cards=editor.MAX_CARDS)
    rows = [Row.from_cells(_unshown(_bounded(cells))) for cells in data if isinstance(cells, (list, tuple))]
    return [row for row in rows if any(row.cells())]


def _bounded(cells: list | tuple) -> list:
    """The row's cells in the table's columns, each within its characters."""
    cells = list(cells[: len(COLUMNS)])
    for at, cell in enumerate(cells):
        most = MAX_PICTURE_CELL if at == PICTURE_AT else MAX_CHARS
        if isinstance(cell, str) and len(cell) > most:
            raise Refused("editor.cell_too_long", most=most)
    return cells


def _unshown(cells: list | tuple) -> list:
    cells = list(cells)
    if len(cells) > PICTURE_AT and isinstance(cells[PICTURE_AT], str):
        shown = SHOWN_PICTURE.match(cells[PICTURE_AT].strip())
        cells[PICTURE_AT] = shown.group("ref") if shown else cells[PICTURE_AT]
    return cells


def shown_picture(ref: str, files: EditorFiles | None) -> str:
    """A row's picture as the table shows it: small, in Markdown with the reference as its alt text;
    the reference alone when there is nothing to show (the problems say why)."""
    path = files.path(ref) if files is not None and ref else None
    stamp = Path(path).stat().st_mtime_ns if path and Path(path).is_file() else 0
    data = _thumbnail(ref, path, stamp) if ref else ""
    return f"![{ref}](data:image/webp;base64,{data})" if data else ref


@lru_cache(maxsize=2048)
def _thumbnail(ref: str, path: str | None, stamp: int) -> str:
    """`ref`'s picture, THUMBNAIL pixels, base64 WebP: a library picture, or this session's file at
    `path` (a reference the browser sent is never read as a path itself)."""
    shown = picture(ref) if editor.library_picture(ref) is not None else picture(path) if path else None
    try:
        image = shown if isinstance(shown, Image.Image) else Image.open(shown) if shown else None
        if image is None:
            return ""
        small = ImageOps.contain(image.convert("RGBA"), (THUMBNAIL, THUMBNAIL))
    except (OSError, ValueError, Image.DecompressionBombError):
        return ""
    out = io.BytesIO()
    small.save(out, format="WEBP", quality=80)
    return base64.b64encode(out.getvalue()).decode("ascii")


def draft_of(title: str, level: str, rows: list[Row], files: EditorFiles | None) -> tuple[Draft, list[FieldProblem]]:
    """The draft to write, with tokens made paths, and the fields that name no known file."""
    resolved, unknown = [], []
    for number, row in enumerate(rows, start=1):
        files_row, missing = (files or EditorFiles(Path())).resolved(row)  # no files yet: no token is known
        resolved.append(files_row)
        unknown += [FieldProblem(number, name, getattr(row, name)) for name in missing]
    # A field the page has not drawn yet (the Teacher tab not opened) arrives as None.
    return Draft(title=(title or "").strip(), level=(level or "").strip(), rows=tuple(resolved)), unknown


def problems_of(title: str, level: str, rows: list[Row], files: EditorFiles | None, lang: str) -> list[FieldProblem]:
    """Every problem of the deck as the editor holds it, beside its card and field, in `lang`."""
    draft, unknown = draft_of(title, level, rows, files)
    found = [FieldProblem(p.row, p.field, say(lang, f"editor.unknown_{p.field}", value=p.message)) for p in unknown]
    if not draft.title:
        found.append(FieldProblem(0, "title", say(lang, "editor.title_missing")))
    if not rows:
        found.append(FieldProblem(0, DECK, say(lang, "editor.no_cards")))
        return found
    unknown_fields = {(p.row, p.field) for p in unknown}
    checked = editor.check(draft, lang)
    found += [
        p for p in checked if (p.row, p.field) not in unknown_fields and not (p.field == "title" and not draft.title)
    ]
    return sorted(found, key=lambda p: p.row)


def problems_markdown(problems: list[FieldProblem], rows: list[Row], lang: str) -> str:
    """The deck's problems, which must be fixed, then the questions about its words, which need not."""
    asked = questions_of(rows, lang)
    if not problems:
        done = say(lang, "editor.no_problems") if rows else ""
        return f"{done}\n\n{say(lang, 'editor.questions')}\n{_listed(asked, rows, lang)}" if asked else done
    return f"{say(lang, 'editor.problems')}\n{_listed(problems, rows, lang)}" + (
        f"\n\n{say(lang, 'editor.questions')}\n{_listed(asked, rows, lang)}" if asked else ""
    )


def _listed(problems: list[FieldProblem], rows: list[Row], lang: str) -> str:
    names = dict(zip(COLUMNS, say(lang, "editor.columns"))) | {
        "title": say(lang, "editor.title"),
        "level": say(lang, "editor.level"),
    }
    lines = []
    for p in problems:
        if p.row:
            word = rows[p.row - 1].word if p.row <= len(rows) else ""
            where = f"{say(lang, 'editor.card')} {p.row}" + (f" ({escape(word)})" if word else "")
        else:
            where = say(lang, "editor.deck")
        field = names.get(p.field, "")
        lines.append(f"- **{where}**{f' · {field}' if field else ''}: {escape(p.message)}")
    return "\n".join(lines)


def questions_of(rows: list[Row], lang: str) -> list[FieldProblem]:
    """A question beside each card whose word looks like a slip (game/decks/spelling.py)."""
    found = []
    for number, row in enumerate(rows, start=1):
        for question in spelling.questions(row.word):
            if question.kind == "article":
                article, word = question.near
                text = say(lang, "editor.question_article", typed=question.typed, article=article, word=word)
            else:
                quoted = [f"“{word}”" for word in question.near]
                near = (
                    quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} {say(lang, 'editor.or')} {quoted[-1]}"
                )
                text = say(lang, "editor.question_spelling", typed=question.typed, near=near)
            found.append(FieldProblem(number, "word", text))
    return found


def picture(ref: str) -> str | Image.Image | None:
    """What gr.Image and gr.Gallery show for a written row's picture: its file, or the library's drawing."""
    if not ref:
        return None
    picture = editor.library_picture(ref)
    if picture is None:
        return ref if Path(ref).is_file() else None
    try:
        return Image.open(io.BytesIO(picture.png()))
    except (PictureUnavailable, OSError):  # the checker says why
        return None


def changed(rows: list[Row], number: int, **values: str) -> list[Row]:
    return [replace(row, **values) if at == number else row for at, row in enumerate(rows, start=1)]
