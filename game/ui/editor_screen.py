"""The deck editor on the Teacher tab: a table of cards, pasted lines, a picture and a recording
for each card, the checker's problems beside the card and field, and "Use this deck", which hands
the deck to the tab's play, download and share buttons as an upload would. The table and its
problems as text: game/ui/editor_table.py.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import gradio as gr

from game.decks import editor, uploads
from game.decks.deck import Deck
from game.decks.editor import COLUMNS, Draft, PasteError, Row
from game.decks.editor_files import EditorFiles, RefusedFile, discard
from game.decks.store import StoreError
from game.pictures.library import search
from game.temporary import task_folder
from game.texts import DEFAULT, language, say
from game.ui.editor_table import (
    MAX_TABLE_ROWS,
    changed,
    draft_of,
    picture,
    problems_markdown,
    problems_of,
    table_rows,
    table_value,
)
from game.ui.screen import PageParts, Screen, unchanged
from game.ui.style import DECK_READY_JS

if TYPE_CHECKING:
    from game.ui.teacher_tab import TeacherTab

LEVELS = ["", "A1", "A2", "B1", "B2", "C1", "C2"]
FOUND = 18  # library pictures shown for a search
NEW, UPLOADED = "", "upload"  # "start from" choices besides the built-in decks


class EditorScreen(Screen):
    """`teacher`: the Teacher tab, which shows the deck the editor hands it as an upload."""

    def __init__(self, page: PageParts, teacher: TeacherTab):
        self.page, self.shared, self.teacher = page, page.shared, teacher
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
                    max_length=editor.MAX_PASTE_CHARS,  # more than game/client_text.py's bound: a spreadsheet
                    elem_id="editor-paste",
                )
                self.paste_btn = gr.Button(
                    say(sv, "editor.add_pasted"), scale=1, min_width=110, elem_id="editor-paste-btn"
                )
            self.table = gr.Dataframe(
                table_value([], sv),
                label=say(sv, "editor.table"),
                type="array",
                datatype=["markdown" if name == "picture" else "str" for name in COLUMNS],  # a picture shows
                interactive=True,
                show_row_numbers=True,
                static_columns=[COLUMNS.index("picture"), COLUMNS.index("recording")],  # chosen below, not typed
                # "fixed": the cell menu offers no columns to add or remove. Gradio 6 takes an int here
                # and announces `column_limits`, not yet implemented; the page still reads the old pair.
                column_count=(len(COLUMNS), "fixed"),
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
            self.table: table_value(rows, lang, files),
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
            self.picture_now: picture(draft.rows[0].picture),
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
        found = search(query, lang="sv", limit=FOUND) if query.strip() else []
        if query.strip() and not found:  # an English word, typed by a teacher
            found = search(query, lang="en", limit=FOUND)
        pictures = [p for p in found if p.problem is None]
        shown = [(picture(editor.picture_ref(p)), p.sv or p.en) for p in pictures]
        label = say(lang, "editor.found")
        if found and not pictures:  # found, but this server cannot draw them (no emoji font): say why
            label = say(lang, "editor.cannot_draw", why=found[0].problem.text(lang))
        elif query.strip() and not shown:
            label = say(lang, "editor.nothing_found", query=query)
        return {
            self.search: query,
            self.results: gr.update(value=shown, label=label),
            self.found: [editor.picture_ref(p) for p in pictures],
        }

    def on_open(self, choice: str, code: str, upload, files, lang: str, request: gr.Request = None) -> dict:
        """A deck to copy or change: an empty one, the teacher's upload, a built-in deck or a shared one."""
        lang = language(lang)
        try:
            deck = self._deck(choice, code.strip(), upload, request)
        except StoreError as exc:
            gr.Warning(exc.text(lang))
            return unchanged()
        if deck is None and choice == UPLOADED and not code.strip():
            gr.Warning(say(lang, "editor.nothing_to_open"))
            return unchanged()
        return self.opened(deck, files, lang) | {self.open_code: ""}

    def opened(self, deck: Deck | None, files: EditorFiles | None, lang: str) -> dict:
        discard(files)
        fresh = EditorFiles.new(self.shared.uploads)
        try:
            fresh, draft = fresh.open_deck(deck) if deck is not None else (fresh, Draft(""))
        except RefusedFile as refused:  # no room on the server for the deck's pictures
            fresh.discard()
            gr.Warning(escape(refused.text(lang)))
            return {self.files: None}
        rows = list(draft.rows)
        return (
            self.shown(draft.title, draft.level, rows, fresh, lang)
            | self.card_panel(0, rows, fresh, lang)
            | {self.title: draft.title, self.level: draft.level if draft.level in LEVELS else ""}
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
        return [self.table, self.problems, self.files, *self._panel, self.title, self.level]

    def _deck(self, choice: str, code: str, upload, request) -> Deck | None:
        if code:
            return self.shared.published().open(code, caller=self.shared.caller(request))
        if choice == UPLOADED:
            return upload.deck if upload is not None else None
        return self.shared.by_id.get(choice)

    def on_paste(self, text: str, table, title: str, level: str, files, lang: str) -> dict:
        lang = language(lang)
        try:
            pasted = editor.paste_rows(text or "")
        except PasteError as exc:
            gr.Warning(exc.text(lang))
            return unchanged()
        rows = table_rows(table) + pasted
        if len(rows) > MAX_TABLE_ROWS:
            gr.Warning(say(lang, "editor.table_too_big", most=MAX_TABLE_ROWS, cards=editor.MAX_CARDS))
            return unchanged()
        return self.shown(title, level, rows, files, lang) | {self.paste: ""}

    def on_edited(self, table, title: str, level: str, files, lang: str) -> dict:
        """The teacher typed in the table or the title: the problems again (the table is left as it is,
        so the cursor stays where the teacher is typing)."""
        lang, rows = language(lang), table_rows(table)
        return {self.problems: problems_markdown(problems_of(title, level, rows, files, lang), rows, lang)}

    def on_select(self, table, files, lang: str, event: gr.SelectData) -> dict:
        row = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        return self.card_panel(int(row) + 1, table_rows(table), files, language(lang))

    def on_search(self, query: str, lang: str) -> dict:
        return self.found_pictures(query or "", language(lang))

    def on_pick(self, found: list, number: int, table, title: str, level: str, files, lang: str, event: gr.SelectData):
        if not 0 <= event.index < len(found):
            return unchanged()
        return self._set(number, table, title, level, files, lang, picture=found[event.index])

    def on_photo(
        self, file, number: int, table, title: str, level: str, files, lang: str, request: gr.Request = None
    ) -> dict:
        self.shared.may_write(request, lang)  # a picture is copied to the disk
        if file is None or not self._chosen(number, table, lang):
            return unchanged()
        try:
            files, token = self._files(files).add_picture(getattr(file, "name", file))
        except RefusedFile as refused:
            gr.Warning(escape(refused.text(language(lang))))
            return unchanged()
        return self._set(number, table, title, level, files, lang, picture=token)

    def on_record(
        self, path, number: int, table, title: str, level: str, files, lang: str, request: gr.Request = None
    ) -> dict:
        self.shared.may_write(request, lang)  # a recording is copied to the disk
        if not path or not self._chosen(number, table, lang):
            return unchanged()
        try:
            files, token = self._files(files).add_recording(path)
        except RefusedFile as refused:
            gr.Warning(escape(refused.text(language(lang))))
            return unchanged()
        return self._set(number, table, title, level, files, lang, recording=token)

    def on_unrecord(self, number: int, table, title: str, level: str, files, lang: str) -> dict:
        if not 1 <= number <= len(table_rows(table)):
            return unchanged()
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
            return unchanged()
        rows = changed(rows, number, **values)
        shown = self.shown(title, level, rows, files, lang) | self.card_panel(number, rows, files, lang)
        del shown[self.recorder]  # the teacher's own recording stays as it is in the player
        return shown

    def on_use(self, table, title: str, level: str, files, upload, lang: str) -> dict:
        """The deck, checked, as the Teacher tab's upload: play it, download it or share it."""
        lang, typed = language(lang), table_rows(table)
        rows = editor.with_library_pictures(typed)  # typed rows get a picture as pasted ones do
        pictured = {self.table: table_value(rows, lang, files)} if rows != typed else {}
        problems = problems_of(title, level, rows, files, lang)
        if problems:
            gr.Warning(say(lang, "editor.fix_first"))
            return pictured | {self.problems: problems_markdown(problems, rows, lang)}
        draft, _ = draft_of(title, level, rows, files)
        with task_folder("editor") as folder:
            archive = editor.draft_zip(draft, Path(folder) / "kortlek.zip")
            received = uploads.receive([archive], self.shared.uploads, upload)
        return (
            pictured
            | {
                self.page.session.upload: received,
                self.problems: problems_markdown([], rows, lang),
            }
            | self.teacher.show_upload(received, lang)
        )

    @property
    def reword_inputs(self) -> list:
        return [self.selected, self.table, self.title, self.level, self.files]

    @property
    def reword_outputs(self) -> list:
        return [self.table, self.card_heading, self.problems]

    def reword(self, lang: str, number: int, table, title: str, level: str, files) -> dict:
        """The table's headings, the chosen card's heading and the problems in the page's new language,
        the cells as they are."""
        lang = language(lang)
        data = table.get("data", []) if isinstance(table, dict) else (table or [])
        heading = self.card_title(number, table_rows(table), lang)
        relabelled = {
            self.table: {"headers": say(lang, "editor.columns"), "data": data},
            self.card_heading: heading,
        }
        return relabelled | self.on_edited(table, title, level, files, lang)

    def setup_events(self) -> None:
        lang = self.page.lang_pick
        private = {"api_visibility": "private"}
        deck = [self.title, self.level, self.files]
        table_view = [self.table, self.problems, self.files]
        panel = self._panel
        self.open_btn.click(
            self.on_open,
            [self.start_from, self.open_code, self.page.session.upload, self.files, lang],
            [*table_view, *panel, self.title, self.level, self.open_code],
            **private,
        )
        self.paste_btn.click(self.on_paste, [self.paste, self.table, *deck, lang], [*table_view, self.paste], **private)
        for typed in (self.table.input, self.title.input, self.level.input):
            typed(self.on_edited, [self.table, *deck, lang], [self.problems], show_progress="hidden", **private)
        self.table.select(self.on_select, [self.table, self.files, lang], panel, **private)
        self.search.submit(self.on_search, [self.search, lang], self._found, **private)
        card = [self.selected, self.table, *deck, lang]
        chosen = [c for c in (*table_view, *panel) if c is not self.recorder]  # the player keeps its recording
        self.results.select(self.on_pick, [self.found, *card], chosen, **private)
        self.photo.upload(self.on_photo, [self.photo, *card], chosen, **private)
        for recorded in (self.recorder.stop_recording, self.recorder.upload):
            recorded(self.on_record, [self.recorder, *card], chosen, **private)
        self.recorder.clear(self.on_unrecord, card, chosen, **private)
        self.use_btn.click(
            self.on_use,
            [self.table, *deck, self.page.session.upload, lang],
            [self.page.session.upload, self.table, self.problems, *self.teacher.upload_outputs],
            **private,
        ).then(None, js=DECK_READY_JS)

    @property
    def _panel(self) -> list:
        return [self.selected, self.card_heading, self.picture_now, self.recorder, *self._found]

    @property
    def _found(self) -> list:
        return [self.search, self.results, self.found]
