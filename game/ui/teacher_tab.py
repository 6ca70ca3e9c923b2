"""The teacher's tab: upload a deck, see what is wrong with it or every card, play it, download it."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import gradio as gr

from game.decks import uploads
from game.round import progress, rounds
from game.texts import DEFAULT, language, say
from game.ui.class_results_view import ClassResultsView
from game.ui.context import learner_today
from game.ui.editor_screen import EditorScreen
from game.ui.screen import PageParts, Screen
from game.ui.share_box import ShareBox

if TYPE_CHECKING:
    from game.ui.round_view import RoundView


class TeacherTab(Screen):
    """`tabs`: the page's tabs (playing a deck switches to Play); `rounds`: the Play tab, which
    plays the teacher's deck."""

    def __init__(self, page: PageParts, tabs: gr.Tabs, rounds: RoundView):
        self.page, self.shared, self.tabs, self.rounds = page, page.shared, tabs, rounds
        shared, sv = page.shared, DEFAULT
        self.help = gr.Markdown(say(sv, "teacher_help"))
        self.editor = EditorScreen(page, self)
        self.upload_heading = gr.Markdown(say(sv, "upload_heading"))
        with gr.Accordion(say(sv, "deck_format"), open=False) as self.format_box:
            self.format_doc = gr.Markdown(shared.guides[sv], elem_id="deck-format")
        # No `file_types`: Gradio would refuse other files itself, in English, with a pop-up that
        # stays; the upload's own check names each such file in the report, in the page's language.
        self.upload = gr.File(file_count="multiple", label=say(sv, "upload"), elem_id="upload")
        self.report = gr.Markdown(elem_id="upload-report")
        with gr.Row():
            self.play_btn = gr.Button(
                say(sv, "play_upload"), variant="primary", visible=False, elem_id="play-upload-btn"
            )
            self.download_btn = gr.DownloadButton(say(sv, "download"), visible=False, elem_id="download-btn")
        self.share = ShareBox(page)
        self.results = ClassResultsView(page, self.share)
        self.preview = gr.Gallery(
            label=say(sv, "all_cards"),
            columns=4,
            object_fit="contain",
            height="auto",
            visible=False,
            elem_id="upload-preview",
        )

    def preview_gallery(self, upload: uploads.Upload | None, lang: str):
        items = uploads.preview(upload, lang)
        return gr.update(label=say(lang, "all_cards"), value=items, visible=bool(items))

    def labels(self, lang: str, upload: uploads.Upload | None = None) -> dict:
        """The tab's texts in `lang`; a teacher's upload is reported in it too."""
        return {
            self.help: say(lang, "teacher_help"),
            self.upload_heading: say(lang, "upload_heading"),
            **self.editor.labels(lang),
            self.format_box: gr.update(label=say(lang, "deck_format")),
            self.format_doc: self.shared.guides[lang],
            self.upload: gr.update(label=say(lang, "upload")),
            self.play_btn: gr.update(value=say(lang, "play_upload")),
            self.download_btn: gr.update(value=say(lang, "download")),
            self.preview: self.preview_gallery(upload, lang),
            self.report: uploads.report(upload, lang),
            **self.share.labels(lang),
            **self.results.labels(lang),
        }

    @property
    def _reworded(self) -> tuple[Screen, ...]:
        return (self.editor, self.share, self.results)

    @property
    def reword_inputs(self) -> list:
        return [value for part in self._reworded for value in part.reword_inputs]

    @property
    def reword_outputs(self) -> list:
        return [shown for part in self._reworded for shown in part.reword_outputs]

    def reword(self, lang: str, *values) -> dict:
        """The editor's table, the share button and the class's results on screen, worded again in `lang`."""
        worded, values = {}, list(values)
        for part in self._reworded:
            taken = len(part.reword_inputs)
            worded |= part.reword(lang, *values[:taken])
            values = values[taken:]
        return worded

    def show_upload(self, received: uploads.Upload | None, lang: str) -> dict:
        """A new upload (a file, or the editor's deck): its report, its cards and what can be done with it."""
        ready = received is not None and received.deck is not None
        return {
            self.report: uploads.report(received, lang),
            self.preview: self.preview_gallery(received, lang),
            self.play_btn: gr.update(visible=ready),
            self.download_btn: gr.update(value=str(received.archive) if ready else None, visible=ready),
            **self.share.upload_changed(ready),
        }

    @property
    def upload_view(self) -> list:
        """What shows the upload itself: its report and its cards."""
        return [self.report, self.preview]

    @property
    def upload_outputs(self) -> list:
        """What a new upload changes (`show_upload`)."""
        return list(self.show_upload(None, DEFAULT))

    def open_edit_link(self, code: str, edit_key: str, lang: str, request) -> dict:
        """The teacher's edit link: their shared deck in the editor, the share box's fields filled in."""
        return self.editor.open_published(code, None, lang, request) | self.share.arrive(code, edit_key, lang)

    @property
    def edit_link_outputs(self) -> list:
        return [*self.share.arrive("", "", DEFAULT), *self.editor.opened_outputs]

    def setup_events(self) -> None:
        view, tabs, upload_state, lang_pick = self.rounds, self.tabs, self.page.session.upload, self.page.lang_pick

        def on_upload(files, previous: uploads.Upload | None, lang: str = DEFAULT, request: gr.Request = None):
            lang = language(lang)
            self.shared.may_write(request, lang)  # an upload takes room on the disk
            received = uploads.receive(files, self.shared.uploads, previous)
            return {upload_state: received} | self.show_upload(received, lang)

        def on_play_upload(upload, length: float, data, articles: bool = False, lang: str = DEFAULT, day: str = ""):
            lang, today = language(lang), learner_today(day)
            if upload is None or upload.deck is None:
                raise gr.Error(say(lang, "upload_first"))
            use_articles = bool(articles) and bool(upload.deck.playable(articles=True))
            game = rounds.start_round(upload.deck, int(length), random.Random(), articles=use_articles)
            return view.show(game, "", progress.load(data), lang, today) | {tabs: gr.Tabs(selected="play")}

        shown = self.upload_outputs
        self.upload.change(
            on_upload, [self.upload, upload_state, lang_pick], [upload_state, *shown], api_name="upload_deck"
        )
        for part in (self.editor, self.share, self.results):
            part.setup_events()
        self.play_btn.click(
            on_play_upload,
            [upload_state, view.start.length_pick, *view.start.round_inputs],
            [*view.outputs, tabs],
            api_name="play_uploaded_deck",
        )
