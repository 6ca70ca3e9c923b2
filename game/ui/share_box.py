"""Sharing a deck with a class: publish the teacher's upload, and change or delete it later with
the edit key. Also the same as named API endpoints for programs."""

from __future__ import annotations

import os
from contextlib import contextmanager
from html import escape

import gradio as gr

from game.decks import uploads
from game.decks.store import StoreError, normalise_code
from game.results import figures
from game.texts import DEFAULT, language, say
from game.ui.context import Shared, page_link
from game.ui.screen import PageParts, Screen

# The page's own address, from the browser: behind a proxy (a Space) it is the one learners can open.
WITH_PAGE_URL_JS = "(...inputs) => [...inputs.slice(0, -1), window.location.origin + window.location.pathname]"


def spaced(code: str) -> str:
    """KTB4WQ -> "KTB 4WQ": easier to read off a board; typed with or without the space."""
    return f"{code[:3]} {code[3:]}"


def links(base: str, code: str, edit_key: str = "") -> tuple[str, str]:
    """The class's link and the teacher's edit link. The edit key rides in the fragment (after `#`):
    browsers never send that to a server, so it stays out of access logs and Referer headers."""
    base = base if base.endswith("/") else base + "/"
    return f"{base}?deck={code}", (f"{base}#deck={code}&edit={edit_key}" if edit_key else "")


def shared_markdown(title: str, code: str, base: str, lang: str) -> str:
    class_link, _ = links(base, code)
    return say(lang, "shared", title=escape(title), code=spaced(code), link=class_link)


def storage_note(shared: Shared, lang: str) -> str:
    """On a Space, decks survive a restart only in its persistent storage (/data)."""
    if shared.store is None:
        return say(lang, "store_unavailable")
    on_space = bool(os.environ.get("SPACE_ID"))
    persistent = shared.settings.data_dir.resolve().is_relative_to("/data")
    return say(lang, "not_persistent") if on_space and not persistent else ""


class ShareBox(Screen):
    def __init__(self, page: PageParts):
        self.page, self.shared = page, page.shared
        shared, sv = page.shared, DEFAULT
        self.publish_btn = gr.Button(say(sv, "publish"), variant="primary", visible=False, elem_id="publish-btn")
        self.page_url = gr.Textbox(visible=False)
        self.result = gr.Markdown(elem_id="share")
        # Masked: the Teacher tab may be on the board while the class watches.
        self.edit_link = gr.Textbox(
            label=say(sv, "edit_link"),
            type="password",
            buttons=["copy"],
            interactive=False,
            visible=False,
            elem_id="edit-link",
        )
        with gr.Accordion(say(sv, "edit_published"), open=False, elem_id="edit-published") as self.edit_box:
            self.note = gr.Markdown(say(sv, "edit_published_help"))
            with gr.Row():
                self.code = gr.Textbox(label=say(sv, "class_code_short"), max_lines=1, elem_id="edit-code")
                self.key = gr.Textbox(label=say(sv, "edit_key"), type="password", max_lines=1, elem_id="edit-key")
            with gr.Row():
                self.replace_btn = gr.Button(say(sv, "replace_deck"), elem_id="replace-btn")
                self.delete_btn = gr.Button(say(sv, "delete_deck"), variant="stop", elem_id="delete-btn")
            self.edit_report = gr.Markdown(elem_id="edit-report")
        self.storage = gr.Markdown(storage_note(shared, sv), elem_id="storage-note")

    def labels(self, lang: str) -> dict:
        def t(key):
            return say(lang, key)

        return {
            self.publish_btn: gr.update(value=t("publish")),
            self.edit_link: gr.update(label=t("edit_link")),
            self.edit_box: gr.update(label=t("edit_published")),
            self.note: t("edit_published_help"),
            self.code: gr.update(label=t("class_code_short")),
            self.key: gr.update(label=t("edit_key")),
            self.replace_btn: gr.update(value=t("replace_deck")),
            self.delete_btn: gr.update(value=t("delete_deck")),
            self.storage: storage_note(self.shared, lang),
        }

    def upload_changed(self, ready: bool) -> dict:
        """A new upload (or the editor's deck): publishing it is offered when it is a deck; the last one's link goes."""
        return {
            self.publish_btn: gr.update(visible=ready),
            self.result: "",
            self.edit_link: gr.update(value="", visible=False),
        }

    def arrive(self, code: str, edit_key: str) -> dict:
        """An edit link (`#deck=CODE&edit=KEY`): the teacher's fields filled in, open."""
        return {self.code: code, self.key: edit_key, self.edit_box: gr.update(open=True)}

    def publish(self, upload: uploads.Upload | None, lang: str, base: str, request: gr.Request | None) -> dict:
        lang = language(lang)
        if upload is None or upload.deck is None:
            return {self.result: say(lang, "upload_first")}
        try:
            done = self.shared.published().publish([upload.archive], caller=self.shared.caller(request))
        except StoreError as exc:
            return {self.result: escape(exc.text(lang))}
        base = base or page_link(request)
        return {
            self.result: shared_markdown(upload.deck.title, done.code, base, lang),
            self.edit_link: gr.update(value=links(base, done.code, done.edit_key)[1], visible=True),
            self.code: done.code,
            self.key: done.edit_key,
        }

    def replace(self, upload: uploads.Upload | None, code: str, edit_key: str, lang: str) -> str:
        lang = language(lang)
        if upload is None or upload.deck is None:
            return say(lang, "upload_first")
        try:
            self.shared.published().update(edit_key, code, [upload.archive])
        except StoreError as exc:
            return escape(exc.text(lang))
        return say(lang, "replaced", title=escape(upload.deck.title), code=spaced(normalise_code(code) or code))

    def delete(self, code: str, edit_key: str, lang: str) -> str:
        lang = language(lang)
        try:
            self.shared.published().delete(edit_key, code)
        except StoreError as exc:
            return escape(exc.text(lang))
        return say(lang, "deleted", code=spaced(normalise_code(code) or code))

    def setup_events(self) -> None:
        upload_state, lang_pick = self.page.session.upload, self.page.lang_pick

        def on_publish(upload, lang: str = DEFAULT, base: str = "", request: gr.Request = None):
            return self.publish(upload, lang, base, request)

        self.publish_btn.click(
            on_publish,
            [upload_state, lang_pick, self.page_url],
            [self.result, self.edit_link, self.code, self.key],
            js=WITH_PAGE_URL_JS,
            api_visibility="private",
        )
        self.replace_btn.click(
            self.replace, [upload_state, self.code, self.key, lang_pick], self.edit_report, api_visibility="private"
        )
        self.delete_btn.click(self.delete, [self.code, self.key, lang_pick], self.edit_report, api_visibility="private")


@contextmanager
def as_gradio_error():
    """A program calling the API gets the store's reason as the call's error message."""
    try:
        yield
    except StoreError as exc:
        raise gr.Error(exc.text()) from exc


class DeckApi(Screen):
    """Named endpoints for programs: publish, update, delete and look up shared decks."""

    def __init__(self, page: PageParts):
        self.shared = page.shared
        with gr.Row(visible=False):
            self.files = gr.File(file_count="multiple")
            self.code = gr.Textbox()
            self.key = gr.Textbox()
            self.result = gr.JSON()
            self.since, self.until = gr.Textbox(""), gr.Textbox("")  # optional: no date bound
            self.publish_btn, self.update_btn, self.delete_btn, self.open_btn = (gr.Button() for _ in range(4))
            self.results_btn = gr.Button()

    @staticmethod
    def _paths(files) -> list[str]:
        return [getattr(f, "name", f) for f in files or []]

    def publish(self, files, request: gr.Request = None) -> dict:
        with as_gradio_error():
            done = self.shared.published().publish(self._paths(files), caller=self.shared.caller(request))
        class_link, edit_link = links(page_link(request), done.code, done.edit_key)
        return {"code": done.code, "link": class_link, "edit_link": edit_link, "edit_key": done.edit_key}

    def update(self, edit_key: str, code: str, files) -> dict:
        with as_gradio_error():
            self.shared.published().update(edit_key, code, self._paths(files))
        return {"code": normalise_code(code), "updated": True}

    def delete(self, edit_key: str, code: str) -> dict:
        with as_gradio_error():
            self.shared.published().delete(edit_key, code)
        return {"code": normalise_code(code), "deleted": True}

    def open(self, code: str, request: gr.Request = None) -> dict:
        with as_gradio_error():
            info = self.shared.published().info(code, caller=self.shared.caller(request))
        return {"code": info.code, "title": info.title, "cards": info.cards}

    def results(self, edit_key: str, code: str, since: str = "", until: str = "") -> dict:
        """The class's figures on the deck (figures.summary), from `since` to `until` (YYYY-MM-DD,
        UTC, both optional); a wrong key or code is an error and nothing else."""
        try:
            first, last = figures.parse_day(since), figures.parse_day(until)
        except ValueError:
            raise gr.Error(say(DEFAULT, "results_bad_date")) from None
        with as_gradio_error():
            answers = self.shared.results().answers(edit_key, code)
        return {"code": normalise_code(code), **figures.summary(figures.within(answers, first, last))}

    def setup_events(self) -> None:
        self.results_btn.click(
            self.results, [self.key, self.code, self.since, self.until], self.result, api_name="class_results"
        )
        self.publish_btn.click(self.publish, [self.files], self.result, api_name="publish_deck")
        self.update_btn.click(self.update, [self.key, self.code, self.files], self.result, api_name="update_deck")
        self.delete_btn.click(self.delete, [self.key, self.code], self.result, api_name="delete_deck")
        self.open_btn.click(self.open, [self.code], self.result, api_name="open_deck")
