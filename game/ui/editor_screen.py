"""The deck editor on the Teacher tab: a table of cards, pasted lines, a picture and a recording
for each card, the checker's problems beside the card and field, and "Use this deck", which hands
the deck to the tab's play, download and share buttons as an upload would.

The table holds text only; a card's own picture or recording is a token (`foto-1`, `ljud-1`) of
this session's `EditorFiles`, a library picture its reference (`emoji:🐶`). See game/decks/editor_files.py.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import replace
from html import escape
from pathlib import Path

import gradio as gr
from PIL import Image

from game.decks import editor, uploads
from game.decks.deck import Deck
from game.decks.editor import COLUMNS, DECK, Draft, FieldProblem, PasteError, Row
from game.decks.editor_files import EditorFiles, discard
from game.decks.store import StoreError
from game.pictures.library import PictureUnavailable, search
from game.texts import DEFAULT, language, say
from game.ui.context import Shared

LEVELS = ["", "A1", "A2", "B1", "B2", "C1", "C2"]
FOUND = 18  # library pictures shown for a search
NEW, UPLOADED = "", "upload"  # "start from" choices besides the built-in decks

# --- the table ↔ rows (pure) ---


def table_value(rows: list[Row] | tuple[Row, ...], lang: str) -> dict:
    return {"headers": say(lang, "editor.columns"), "data": [row.cells() for row in rows] or [[""] * len(COLUMNS)]}


def table_rows(value) -> list[Row]:
    """The table's rows as the browser sent them; rows left wholly empty are not cards."""
    data = value.get("data", []) if isinstance(value, dict) else (value or [])
    rows = [Row.from_cells(cells) for cells in data if isinstance(cells, (list, tuple))]
    return [row for row in rows if any(row.cells())]


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
    if not problems:
        return say(lang, "editor.no_problems") if rows else ""
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
    return f"{say(lang, 'editor.problems')}\n" + "\n".join(lines)


class EditorScreen:
    def __init__(self, shared: Shared):
        self.shared = shared
        sv = DEFAULT
        self.files = gr.State(None, delete_callback=discard)
        self.selected = gr.State(0)  # the card whose picture and recording are being chosen (1-based)
        self.found = gr.State([])  # the library references the results gallery shows
        with gr.Column(elem_id="editor"):
            self.heading = gr.Markdown(say(sv, "editor.heading"))
            self.help = gr.Markdown(say(sv, "editor.help"))
            with gr.Row(equal_height=True):
                self.start_from = gr.Dropdown(
                    self.start_choices(sv), value=NEW, label=say(sv, "editor.start_from"), scale=3
                )
                self.open_code = gr.Textbox(
                    label=say(sv, "editor.open_code"), max_lines=1, scale=2, elem_id="editor-code"
                )
                self.open_btn = gr.Button(say(sv, "editor.open"), scale=1, min_width=90, elem_id="editor-open-btn")
            with gr.Row():
                self.title = gr.Textbox(label=say(sv, "editor.title"), max_lines=1, scale=3, elem_id="editor-title")
                self.level = gr.Dropdown(LEVELS, value="", label=say(sv, "editor.level"), scale=1, min_width=90)
            with gr.Row(equal_height=True):
                self.paste = gr.Textbox(
                    label=say(sv, "editor.paste"),
                    placeholder=say(sv, "editor.paste_placeholder"),
                    lines=3,
                    scale=4,
                    elem_id="editor-paste",
                )
                self.paste_btn = gr.Button(
                    say(sv, "editor.add_pasted"), scale=1, min_width=110, elem_id="editor-paste-btn"
                )
            self.table = gr.Dataframe(
                table_value([], sv),
                label=say(sv, "editor.table"),
                type="array",
                datatype="str",
                interactive=True,
                show_row_numbers=True,
                # Wide enough to read each heading on one line; a phone scrolls the table sideways.
                column_widths=["130px", "110px", "140px", "120px", "140px", "190px", "110px"],
                elem_id="cards-table",
            )
            self.problems = gr.Markdown(elem_id="editor-problems")
            self._render_card_panel(sv)
            self.use_btn = gr.Button(say(sv, "editor.use"), variant="primary", elem_id="editor-use-btn")

    def _render_card_panel(self, sv: str) -> None:
        with gr.Group(elem_id="card-panel"):
            self.card_heading = gr.Markdown(say(sv, "editor.pick_card"), elem_id="card-heading")
            with gr.Row():
                with gr.Column(scale=1, min_width=140):  # its own column, so it does not stretch to the results' height
                    self.picture_now = gr.Image(label=say(sv, "editor.picture_now"), interactive=False, height=180)
                with gr.Column(scale=3):
                    self.search = gr.Textbox(label=say(sv, "editor.search"), max_lines=1, elem_id="picture-search")
                    self.results = gr.Gallery(
                        label=say(sv, "editor.found"),
                        columns=6,
                        height="auto",
                        allow_preview=False,
                        object_fit="contain",
                        elem_id="picture-results",
                    )
                    self.photo = gr.UploadButton(
                        say(sv, "editor.photo"), file_types=["image"], elem_id="picture-upload"
                    )
            self.recorder = gr.Audio(
                sources=["microphone", "upload"],
                type="filepath",
                label=say(sv, "editor.record"),
                elem_id="word-recorder",
            )

    def start_choices(self, lang: str) -> list[tuple[str, str]]:
        built_in = [(deck.title, deck.id) for deck in self.shared.decks]
        return [(say(lang, "editor.new_deck"), NEW), (say(lang, "editor.your_upload"), UPLOADED), *built_in]

    def labels(self, lang: str) -> dict:
        return {
            self.heading: say(lang, "editor.heading"),
            self.help: say(lang, "editor.help"),
            self.start_from: gr.update(label=say(lang, "editor.start_from"), choices=self.start_choices(lang)),
            self.open_code: gr.update(label=say(lang, "editor.open_code")),
            self.open_btn: gr.update(value=say(lang, "editor.open")),
            self.title: gr.update(label=say(lang, "editor.title")),
            self.level: gr.update(label=say(lang, "editor.level")),
            self.paste: gr.update(label=say(lang, "editor.paste")),
            self.paste_btn: gr.update(value=say(lang, "editor.add_pasted")),
            self.table: gr.update(label=say(lang, "editor.table")),
            self.search: gr.update(label=say(lang, "editor.search")),
            self.results: gr.update(label=say(lang, "editor.found")),
            self.photo: gr.update(label=say(lang, "editor.photo")),
            self.picture_now: gr.update(label=say(lang, "editor.picture_now")),
            self.recorder: gr.update(label=say(lang, "editor.record")),
            self.use_btn: gr.update(value=say(lang, "editor.use")),
        }

    # --- what the screen shows ---

    def _files(self, files: EditorFiles | None) -> EditorFiles:
        return files if files is not None else EditorFiles.new(self.shared.uploads)

    def shown(self, title: str, level: str, rows: list[Row], files: EditorFiles | None, lang: str) -> dict:
        """The table and its problems as they are now."""
        problems = problems_of(title, level, rows, files, lang)
        return {
            self.table: table_value(rows, lang),
            self.problems: problems_markdown(problems, rows, lang),
            self.files: files,
        }

    def card_panel(self, number: int, rows: list[Row], files: EditorFiles | None, lang: str) -> dict:
        """The chosen card's heading, picture, recording and a library search for its word."""
        if not 1 <= number <= len(rows):
            none = {self.selected: 0, self.card_heading: say(lang, "editor.pick_card"), self.picture_now: None}
            return none | {self.recorder: None, **self.found_pictures("", lang)}
        row = rows[number - 1]
        draft, _ = draft_of("x", "", [row], files)
        return {
            self.selected: number,
            self.card_heading: self.card_title(number, rows, lang),
            self.picture_now: _picture(draft.rows[0].picture),
            self.recorder: draft.rows[0].recording or None,
            **self.found_pictures(row.word or row.translation, lang),
        }

    def card_title(self, number: int, rows: list[Row], lang: str) -> str:
        if not 1 <= number <= len(rows):
            return say(lang, "editor.pick_card")
        return say(
            lang,
            "editor.card_heading",
            number=number,
            word=escape(rows[number - 1].word or say(lang, "editor.no_word")),
        )

    def found_pictures(self, query: str, lang: str) -> dict:
        pictures = [p for p in search(query, lang="sv", limit=FOUND) if p.problem is None] if query.strip() else []
        if query.strip() and not pictures:  # an English word, typed by a teacher
            pictures = [p for p in search(query, lang="en", limit=FOUND) if p.problem is None]
        shown = [(_picture(editor.picture_ref(p)), p.sv or p.en) for p in pictures]
        label = (
            say(lang, "editor.nothing_found", query=query) if query.strip() and not shown else say(lang, "editor.found")
        )
        return {
            self.search: query,
            self.results: gr.update(value=shown, label=label),
            self.found: [editor.picture_ref(p) for p in pictures],
        }


def _picture(ref: str) -> str | Image.Image | None:
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


def _changed(rows: list[Row], number: int, **values: str) -> list[Row]:
    return [replace(row, **values) if at == number else row for at, row in enumerate(rows, start=1)]


class EditorEvents:
    """The editor's events; `show_upload(upload, lang)` is the Teacher tab's view of a new upload,
    and `upload_outputs` the components it changes."""

    def __init__(self, screen: EditorScreen, upload_state, lang_pick, show_upload, upload_outputs: list):
        self.screen, self.shared = screen, screen.shared
        self.upload_state, self.lang_pick = upload_state, lang_pick
        self.show_upload, self.upload_outputs = show_upload, upload_outputs

    def open(self, choice: str, code: str, upload, files, lang: str, request: gr.Request = None) -> dict:
        """A deck to copy or change: an empty one, the teacher's upload, a built-in deck or a shared one."""
        lang, screen = language(lang), self.screen
        try:
            deck = self._deck(choice, code.strip(), upload, request)
        except StoreError as exc:
            gr.Warning(exc.text(lang))
            return {}
        if deck is None and choice == UPLOADED and not code.strip():
            gr.Warning(say(lang, "editor.nothing_to_open"))
            return {}
        return self.opened(deck, files, lang) | {screen.open_code: ""}

    def opened(self, deck: Deck | None, files: EditorFiles | None, lang: str) -> dict:
        screen = self.screen
        discard(files)
        fresh = EditorFiles.new(self.shared.uploads)
        fresh, draft = fresh.open_deck(deck) if deck is not None else (fresh, Draft(""))
        rows = list(draft.rows)
        return (
            screen.shown(draft.title, draft.level, rows, fresh, lang)
            | screen.card_panel(0, rows, fresh, lang)
            | {screen.title: draft.title, screen.level: draft.level if draft.level in LEVELS else ""}
        )

    def open_published(self, code: str, files, lang: str, request) -> dict:
        """The teacher's edit link: their shared deck in the editor, ready to change."""
        try:
            deck = self.shared.published().open(code, caller=self.shared.caller(request))
        except StoreError as exc:
            gr.Warning(exc.text(language(lang)))
            return {}
        return self.opened(deck, files, language(lang))

    @property
    def opened_outputs(self) -> list:
        screen = self.screen
        return [screen.table, screen.problems, screen.files, *self._panel, screen.title, screen.level]

    def _deck(self, choice: str, code: str, upload, request) -> Deck | None:
        if code:
            return self.shared.published().open(code, caller=self.shared.caller(request))
        if choice == UPLOADED:
            return upload.deck if upload is not None else None
        return self.shared.by_id.get(choice)

    def paste(self, text: str, table, title: str, level: str, files, lang: str) -> dict:
        lang = language(lang)
        try:
            pasted = editor.paste_rows(text or "")
        except PasteError as exc:
            gr.Warning(exc.text(lang))
            return {}
        rows = table_rows(table) + pasted
        return self.screen.shown(title, level, rows, files, lang) | {self.screen.paste: ""}

    def edited(self, table, title: str, level: str, files, lang: str) -> dict:
        """The teacher typed in the table or the title: the problems again (the table is left as it is,
        so the cursor stays where the teacher is typing)."""
        lang, rows = language(lang), table_rows(table)
        return {self.screen.problems: problems_markdown(problems_of(title, level, rows, files, lang), rows, lang)}

    def select(self, table, files, lang: str, event: gr.SelectData) -> dict:
        row = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        return self.screen.card_panel(int(row) + 1, table_rows(table), files, language(lang))

    def search(self, query: str, lang: str) -> dict:
        return self.screen.found_pictures(query or "", language(lang))

    def pick(self, found: list, number: int, table, title: str, level: str, files, lang: str, event: gr.SelectData):
        if not 0 <= event.index < len(found):
            return {}
        return self._set(number, table, title, level, files, lang, picture=found[event.index])

    def photo(self, file, number: int, table, title: str, level: str, files, lang: str) -> dict:
        if file is None or not self._chosen(number, table, lang):
            return {}
        files, token = self.screen._files(files).add_picture(getattr(file, "name", file))
        return self._set(number, table, title, level, files, lang, picture=token)

    def record(self, path, number: int, table, title: str, level: str, files, lang: str) -> dict:
        if not path or not self._chosen(number, table, lang):
            return {}
        files, token = self.screen._files(files).add_recording(path)
        return self._set(number, table, title, level, files, lang, recording=token)

    def unrecord(self, number: int, table, title: str, level: str, files, lang: str) -> dict:
        if not 1 <= number <= len(table_rows(table)):
            return {}
        return self._set(number, table, title, level, files, lang, recording="")

    def _chosen(self, number: int, table, lang: str) -> bool:
        if 1 <= number <= len(table_rows(table)):
            return True
        gr.Warning(say(language(lang), "editor.pick_card_first"))
        return False

    def _set(self, number: int, table, title: str, level: str, files, lang: str, **values: str) -> dict:
        lang, rows = language(lang), table_rows(table)
        if not 1 <= number <= len(rows):
            gr.Warning(say(lang, "editor.pick_card_first"))
            return {}
        rows = _changed(rows, number, **values)
        screen = self.screen
        shown = screen.shown(title, level, rows, files, lang) | screen.card_panel(number, rows, files, lang)
        del shown[screen.recorder]  # the teacher's own recording stays as it is in the player
        return shown

    def use(self, table, title: str, level: str, files, upload, lang: str) -> dict:
        """The deck, checked, as the Teacher tab's upload: play it, download it or share it."""
        lang, rows, screen = language(lang), table_rows(table), self.screen
        problems = problems_of(title, level, rows, files, lang)
        if problems:
            gr.Warning(say(lang, "editor.fix_first"))
            return {screen.problems: problems_markdown(problems, rows, lang)}
        draft, _ = draft_of(title, level, rows, files)
        with tempfile.TemporaryDirectory(prefix="sagdet-editor-") as folder:
            archive = editor.draft_zip(draft, Path(folder) / "kortlek.zip")
            received = uploads.receive([archive], self.shared.uploads, upload)
        return {self.upload_state: received, screen.problems: problems_markdown([], rows, lang)} | self.show_upload(
            received, lang
        )

    def relabel(self, number: int, table, title: str, level: str, files, lang: str) -> dict:
        """The table's headings, the chosen card's heading and the problems in the page's new language,
        the cells as they are."""
        lang, screen = language(lang), self.screen
        data = table.get("data", []) if isinstance(table, dict) else (table or [])
        heading = screen.card_title(number, table_rows(table), lang)
        relabelled = {
            screen.table: {"headers": say(lang, "editor.columns"), "data": data},
            screen.card_heading: heading,
        }
        return relabelled | self.edited(table, title, level, files, lang)

    def wire(self) -> None:
        screen, lang = self.screen, self.lang_pick
        private = {"api_visibility": "private"}
        deck = [screen.title, screen.level, screen.files]
        lang.input(
            self.relabel,
            [screen.selected, screen.table, *deck, lang],
            [screen.table, screen.card_heading, screen.problems],
            show_progress="hidden",
            **private,
        )
        table_view = [screen.table, screen.problems, screen.files]
        panel = self._panel
        screen.open_btn.click(
            self.open,
            [screen.start_from, screen.open_code, self.upload_state, screen.files, lang],
            [*table_view, *panel, screen.title, screen.level, screen.open_code],
            **private,
        )
        screen.paste_btn.click(
            self.paste, [screen.paste, screen.table, *deck, lang], [*table_view, screen.paste], **private
        )
        for typed in (screen.table.input, screen.title.input, screen.level.input):
            typed(self.edited, [screen.table, *deck, lang], [screen.problems], show_progress="hidden", **private)
        screen.table.select(self.select, [screen.table, screen.files, lang], panel, **private)
        screen.search.submit(self.search, [screen.search, lang], self._found, **private)
        card = [screen.selected, screen.table, *deck, lang]
        chosen = [c for c in (*table_view, *panel) if c is not screen.recorder]  # the player keeps its recording
        screen.results.select(self.pick, [screen.found, *card], chosen, **private)
        screen.photo.upload(self.photo, [screen.photo, *card], chosen, **private)
        for recorded in (screen.recorder.stop_recording, screen.recorder.upload):
            recorded(self.record, [screen.recorder, *card], chosen, **private)
        screen.recorder.clear(self.unrecord, card, chosen, **private)
        screen.use_btn.click(
            self.use,
            [screen.table, *deck, self.upload_state, lang],
            [self.upload_state, screen.problems, *self.upload_outputs],
            **private,
        )

    @property
    def _panel(self) -> list:
        screen = self.screen
        return [screen.selected, screen.card_heading, screen.picture_now, screen.recorder, *self._found]

    @property
    def _found(self) -> list:
        return [self.screen.search, self.screen.results, self.screen.found]
