"""The teacher's tab: upload a deck, see what is wrong with it or every card, play it, download it."""

from __future__ import annotations

import random

import gradio as gr

from game.decks import uploads
from game.round import progress, rounds
from game.texts import DEFAULT, language, say
from game.ui.class_results_view import ClassResultsView
from game.ui.context import Shared, learner_today
from game.ui.editor_screen import EditorEvents, EditorScreen
from game.ui.share_box import ShareBox


class TeacherTab:
    def __init__(self, shared: Shared):
        self.shared = shared
        sv = DEFAULT
        self.help = gr.Markdown(say(sv, "teacher_help"))
        self.editor = EditorScreen(shared)
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
        self.share = ShareBox(shared)
        self.results = ClassResultsView(shared, self.share)
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

    def show_upload(self, received: uploads.Upload | None, lang: str) -> dict:
        """A new upload (a file, or the editor's deck): its report, its cards and what can be done with it."""
        ready = received is not None and received.deck is not None
        return {
            self.report: uploads.report(received, lang),
            self.preview: self.preview_gallery(received, lang),
            self.play_btn: gr.update(visible=ready),
            self.download_btn: gr.update(value=str(received.archive) if ready else None, visible=ready),
            self.share.publish_btn: gr.update(visible=ready),
            self.share.result: "",
            self.share.edit_link: gr.update(value="", visible=False),
        }

    def wire(self, view, tabs, upload_state, lang_pick, length_pick, round_inputs: list) -> None:
        def on_upload(files, previous: uploads.Upload | None, lang: str = DEFAULT):
            lang = language(lang)
            received = uploads.receive(files, self.shared.uploads, previous)
            return {upload_state: received} | self.show_upload(received, lang)

        def on_play_upload(upload, length: float, data, articles: bool = False, lang: str = DEFAULT, day: str = ""):
            lang, today = language(lang), learner_today(day)
            if upload is None or upload.deck is None:
                raise gr.Error(say(lang, "upload_first"))
            use_articles = bool(articles) and bool(upload.deck.playable(articles=True))
            game = rounds.start_round(upload.deck, int(length), random.Random(), articles=use_articles)
            return view.show(game, "", progress.load(data), lang, today) | {tabs: gr.Tabs(selected="play")}

        shown = list(self.show_upload(None, DEFAULT))
        self.upload.change(
            on_upload, [self.upload, upload_state, lang_pick], [upload_state, *shown], api_name="upload_deck"
        )
        self.editor_events = EditorEvents(self.editor, upload_state, lang_pick, self.show_upload, shown)
        self.editor_events.wire()
        self.share.wire(upload_state, lang_pick)
        self.results.wire(lang_pick)
        self.play_btn.click(
            on_play_upload,
            [upload_state, length_pick, *round_inputs],
            [*view.outputs, tabs],
            api_name="play_uploaded_deck",
        )
