"""Sharing a deck with a class: publish the teacher's upload, and change or delete it later with
the edit key. Also the same as named API endpoints for programs."""

from __future__ import annotations

import os
from contextlib import contextmanager
from html import escape

import gradio as gr

from game.decks.store import StoreError, normalise_code
from game.results import figures
from game.texts import DEFAULT, language, say
from game.ui.context import Shared, page_link
from game.ui.screen import PageParts, Screen, unchanged

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


def shared_markdown(what: str, title: str, code: str, base: str, lang: str) -> str:
    """The class code and link of a deck just shared or updated (`what`: the text's key)."""
    class_link, _ = links(base, code)
    return say(lang, what, title=escape(title), code=spaced(code), link=class_link)


def held_code(code: str | None, edit_key: str | None) -> str | None:
    """The class code of the deck the share box holds: one with its edit key beside it, else None."""
    return normalise_code(code or "") if (edit_key or "").strip() else None


def storage_note(shared: Shared, lang: str) -> str:
    """On a Space, decks survive a restart only in its persistent storage (/data)."""
    if shared.store is None:
        return say(lang, "store_unavailable")
    on_space = bool(os.environ.get("SPACE_ID"))
    persistent = shared.settings.data_dir.resolve().is_relative_to("/data")
    return say(lang, "not_persistent") if on_space and not persistent else ""


class ShareBox(Screen):
    """One shared deck for its life: the first share makes the class code; after that the same button
    updates that deck (the code and the links stay on screen), and a new code is made only when the
    teacher asks for a copy. The deck held is the one in the code and key fields: filled by a share,
    by the teacher's edit link, or typed in."""

    def __init__(self, page: PageParts):
        self.page, self.shared = page, page.shared
        shared, sv = page.shared, DEFAULT
        with gr.Row(visible=False) as self.buttons:
            self.publish_btn = gr.Button(say(sv, "publish"), variant="primary", elem_id="publish-btn")
            self.copy_btn = gr.Button(say(sv, "publish_copy"), visible=False, elem_id="publish-copy-btn")
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
            self.delete_btn = gr.Button(say(sv, "delete_deck"), variant="stop", elem_id="delete-btn")
            self.edit_report = gr.Markdown(elem_id="edit-report")
        self.storage = gr.Markdown(storage_note(shared, sv), elem_id="storage-note")

    def labels(self, lang: str) -> dict:
        def t(key):
            return say(lang, key)

        return {
            self.copy_btn: gr.update(value=t("publish_copy")),
            self.edit_link: gr.update(label=t("edit_link")),
            self.edit_box: gr.update(label=t("edit_published")),
            self.note: t("edit_published_help"),
            self.code: gr.update(label=t("class_code_short")),
            self.key: gr.update(label=t("edit_key")),
            self.delete_btn: gr.update(value=t("delete_deck")),
            self.storage: storage_note(self.shared, lang),
        }

    @property
    def reword_inputs(self) -> list:
        return [self.code, self.key]

    @property
    def reword_outputs(self) -> list:
        return [self.publish_btn, self.copy_btn]

    def reword(self, lang: str, code: str, edit_key: str) -> dict:
        """The share button as the deck held makes it: "Share" for a first share, "Update (code)" after."""
        lang, code = language(lang), held_code(code, edit_key)
        held = bool(code)
        return {
            self.publish_btn: gr.update(
                value=say(lang, "publish_update", code=spaced(code)) if held else say(lang, "publish")
            ),
            self.copy_btn: gr.update(visible=held),
        }

    def upload_changed(self, ready: bool) -> dict:
        """A new upload (or the editor's deck): sharing it is offered when it is a deck. What was shared
        stays on screen: the next share updates it."""
        return {self.buttons: gr.update(visible=ready)}

    def arrive(self, code: str, edit_key: str, lang: str) -> dict:
        """An edit link (`#deck=CODE&edit=KEY`): the teacher's fields filled in, open, and the share
        button updating that deck (the fields' own events run only for what the teacher types)."""
        held = {self.code: code, self.key: edit_key, self.edit_box: gr.update(open=True)}
        return held | self.reword(lang, code, edit_key)

    def share(self, upload, code: str, edit_key: str, lang: str, base: str, request, copy: bool = False) -> dict:
        """The first share publishes the deck; later ones update the deck held (`code`, `edit_key`),
        unless the teacher asks for a copy: a new code, the earlier deck left as it was."""
        lang, base = language(lang), base or page_link(request)
        if upload is None or upload.deck is None:
            gr.Warning(say(lang, "upload_first"))
            return unchanged()
        code = held_code(code, edit_key)
        try:
            self.shared.may_write(request, lang)
            if code and not copy:
                self.shared.published().update(edit_key, code, [upload.archive])
                return {self.result: shared_markdown("replaced", upload.deck.title, code, base, lang)}
            done = self.shared.published().publish([upload.archive], caller=self.shared.caller(request))
        except StoreError as exc:
            gr.Warning(escape(exc.text(lang)))  # what was shared before stays on screen
            return unchanged()
        said = shared_markdown("shared", upload.deck.title, done.code, base, lang)
        if code:
            said += "\n\n" + say(lang, "copied", old=spaced(code))
        return {
            self.result: said,
            self.edit_link: gr.update(value=links(base, done.code, done.edit_key)[1], visible=True),
            self.code: done.code,
            self.key: done.edit_key,
        } | self.reword(lang, done.code, done.edit_key)

    def delete(self, code: str, edit_key: str, lang: str) -> dict:
        lang = language(lang)
        try:
            self.shared.published().delete(edit_key, code)
        except StoreError as exc:
            return {self.edit_report: escape(exc.text(lang))}
        gone = {self.code: "", self.key: "", self.result: "", self.edit_link: gr.update(value="", visible=False)}
        said = {self.edit_report: say(lang, "deleted", code=spaced(normalise_code(code) or code))}
        return gone | said | self.reword(lang, "", "")

    def setup_events(self) -> None:
        upload_state, lang_pick = self.page.session.upload, self.page.lang_pick
        shared = [self.result, self.edit_link, self.code, self.key, *self.reword_outputs]

        def sharer(copy: bool):
            def on_share(
                upload, code: str, edit_key: str, lang: str = DEFAULT, base: str = "", request: gr.Request = None
            ):
                return self.share(upload, code, edit_key, lang, base, request, copy=copy)

            return on_share

        sharing = [upload_state, self.code, self.key, lang_pick, self.page_url]
        private = {"api_visibility": "private", "js": WITH_PAGE_URL_JS}
        self.publish_btn.click(sharer(False), sharing, shared, **private)
        self.copy_btn.click(sharer(True), sharing, shared, **private)
        # Typed in by the teacher (what a share, an edit link or a delete puts there, they word themselves:
        # a change event of each field, run in either order, would word the button from half of the pair).
        held = [lang_pick, self.code, self.key]
        for typed in (self.code.input, self.key.input):
            typed(self.reword, held, self.reword_outputs, api_visibility="private", show_progress="hidden")
        self.delete_btn.click(
            self.delete, [self.code, self.key, lang_pick], [*shared, self.edit_report], api_visibility="private"
        )


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
        self.shared.may_write(request)
        with as_gradio_error():
            done = self.shared.published().publish(self._paths(files), caller=self.shared.caller(request))
        class_link, edit_link = links(page_link(request), done.code, done.edit_key)
        return {"code": done.code, "link": class_link, "edit_link": edit_link, "edit_key": done.edit_key}

    def update(self, edit_key: str, code: str, files, request: gr.Request = None) -> dict:
        self.shared.may_write(request)
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
            results = self.shared.results()
            answers, words = results.answers(edit_key, code), results.words(edit_key, code)
        return {"code": normalise_code(code), **figures.summary(figures.within(answers, first, last), words)}

    def setup_events(self) -> None:
        self.results_btn.click(
            self.results, [self.key, self.code, self.since, self.until], self.result, api_name="class_results"
        )
        self.publish_btn.click(self.publish, [self.files], self.result, api_name="publish_deck")
        self.update_btn.click(self.update, [self.key, self.code, self.files], self.result, api_name="update_deck")
        self.delete_btn.click(self.delete, [self.key, self.code], self.result, api_name="delete_deck")
        self.open_btn.click(self.open, [self.code], self.result, api_name="open_deck")
