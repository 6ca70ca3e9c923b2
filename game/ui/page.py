"""The whole page: a header, the Play tab's three screens, the Teacher tab, the API's own
endpoint, and what happens when the page arrives or changes language. Each screen keeps the
contract in game/ui/screen.py (what it needs in its constructor, `labels(lang)`,
`setup_events()`); this module renders them, then sets up their events and the page's own.

Adding a screen: a `Screen` subclass; render it where it belongs (here, or inside the screen it
is part of), add its labels to its owner's `labels`, and call its `setup_events` from there.
"""

from __future__ import annotations

from html import escape
from urllib.parse import parse_qs
from weakref import WeakKeyDictionary

import gradio as gr
from starlette.middleware import Middleware

from game import shutdown
from game.config import Settings
from game.decks import uploads
from game.decks.archive import MAX_UPLOAD_BYTES
from game.health import DatabaseCheck, Health
from game.round import move, progress
from game.round.rounds import Round
from game.speech.audio import NothingHeard, read_audio_file
from game.speech.hearing import ModelUnavailable
from game.speech.loading import BackgroundModel, ModelStatus
from game.speech.pronounce import Pronouncer
from game.texts import DEFAULT, LANGUAGES, language, say
from game.ui.board_view import BOARD_CSS, BOARD_PATH, BoardView, LiveApi
from game.ui.bounded_inputs import bound_every_text
from game.ui.context import (
    SPEECH_EVENTS,
    Session,
    Shared,
    believe_no_forwarded_header_in_uvicorn,
    learner_today,
    merge_updates,
    problems_markdown,
)
from game.ui.door import Door
from game.ui.gradio_locale import FOLLOW_JS, LOCALE_JS
from game.ui.round_view import RoundView
from game.ui.screen import PageParts, Screen
from game.ui.session_inputs import CACHE_AGES, count_gradio_files, mark_session_files_used
from game.ui.share_box import DeckApi
from game.ui.style import ARRIVE_JS, CSS, HEAD
from game.ui.teacher_tab import TeacherTab

# Gradio's queue looks for new events every 1 ms while it has none, and for progress to send every
# 10 ms (gradio/queueing.py): 8.5 % of a core on an idle server, measured; on a 2-vCPU Space that is
# CPU a class's answers need. At 10 ms and 50 ms it is 2.6 %, and an answer (a few tenths of a
# second of transcribing) waits at most 10 ms more to start.
QUEUE_IDLE_POLL_S = 0.01
QUEUE_PROGRESS_POLL_S = 0.05


def status_markdown(status: ModelStatus, lang: str) -> str:
    """The speech model's state in plain words; why it failed, in full, folded away beneath."""
    if status.state != "failed":
        return status.message
    details = f'<p>{escape(status.why)}</p><pre style="white-space: pre-wrap">{escape(status.detail)}</pre>'
    return f"{status.message}\n\n<details><summary>{say(lang, 'model_details')}</summary>{details}</details>"


def status_polling(status: ModelStatus) -> dict:
    """How often the page asks about speech: every second while a model loads, every few seconds
    while an engine is away (it comes back by itself), not at all once the state is settled."""
    if status.state == "loading":
        return {"value": 1.0, "active": True}
    return {"value": 5.0, "active": status.recovers and status.state != "ready"}


class Header(Screen):
    """The title, the language toggle, the speech model's state and the decks that could not load.
    Rendered first: its language toggle is one of the parts every other screen gets."""

    def __init__(self, shared: Shared):
        self.shared, sv, status = shared, DEFAULT, shared.listener.status()
        # The model's state under the title, beside the language toggle: in a row of its own it sat
        # under the toggle's height, leaving an empty band across the page.
        with gr.Row(elem_id="header"):
            with gr.Column(scale=1, min_width=150):
                self.title = gr.Markdown(say(sv, "title"))
                self.model_status = gr.Markdown(status_markdown(status, sv), elem_id="model-status")
            self.lang_pick = gr.Radio(
                [(name, code) for code, name in LANGUAGES.items()],
                value=DEFAULT,
                label=say(sv, "language"),
                elem_id="language",
                scale=0,
                min_width=120,
            )
        self.timer = gr.Timer(**status_polling(status))
        problems = shared.problems
        self.deck_problems = gr.Markdown(problems_markdown(problems), visible=bool(problems), elem_id="deck-problems")

    def status(self, lang: str = DEFAULT) -> dict:
        lang = language(lang)
        status = self.shared.listener.status(lang)
        return {self.model_status: status_markdown(status, lang), self.timer: gr.update(**status_polling(status))}

    def labels(self, lang: str) -> dict:
        return {
            self.title: say(lang, "title"),
            self.lang_pick: gr.update(label=say(lang, "language")),
            self.deck_problems: problems_markdown(self.shared.problems, lang),
        }

    def setup_events(self) -> None:
        self.timer.tick(
            self.status,
            [self.lang_pick],
            [self.model_status, self.timer],
            api_visibility="private",
            show_progress="hidden",
        )


class CheckAnswerApi(Screen):
    """The stateless `/check_answer` endpoint for programs: its own hidden inputs and output."""

    def __init__(self, page: PageParts):
        self.shared = page.shared
        with gr.Row(visible=False):
            self.audio = gr.Audio(type="filepath", sources=["upload"])
            self.word = gr.Textbox()
            self.result = gr.JSON()
            self.button = gr.Button()

    def check(self, audio_path: str | None, word: str) -> dict:
        """For one caller: whatever is wrong with their file or word is their own message."""
        try:
            word = move.asked_word(word)
            recording = read_audio_file(audio_path) if audio_path else None
        except move.BadWord as exc:
            raise gr.Error(str(exc)) from exc
        except NothingHeard as exc:  # an empty file, or not a sound file at all
            return move.nothing_heard(word, exc)
        try:
            return move.check_answer(recording, word, self.shared.listener, self.shared.accepted)
        except ModelUnavailable as exc:
            raise gr.Error(str(exc)) from exc

    def setup_events(self) -> None:
        self.button.click(self.check, [self.audio, self.word], self.result, api_name="check_answer", **SPEECH_EVENTS)


def poll_less_when_idle(blocks: gr.Blocks) -> None:
    """After the last `blocks.queue()`, which makes a new queue. Gradio has no public setting for
    these: set only what its queue has (tests/test_ui.py checks that it still has them), so a later
    gradio without them still runs, at its own pace; never more often than gradio's own (on Windows
    it polls every 50 ms)."""
    polls = {"sleep_when_free": QUEUE_IDLE_POLL_S, "progress_update_sleep_when_free": QUEUE_PROGRESS_POLL_S}
    for name, seconds in polls.items():
        if hasattr(blocks._queue, name):
            setattr(blocks._queue, name, max(getattr(blocks._queue, name), seconds))


class Page:
    def __init__(self, shared: Shared):
        self.shared = shared
        with gr.Blocks(title="Säg det!", delete_cache=CACHE_AGES) as self.blocks:
            self.session = Session(shared.browser_secret)
            self.header = Header(shared)
            parts = PageParts(shared, self.session, self.header.lang_pick)
            with gr.Tabs(selected="play") as self.tabs:
                with gr.Tab(say(DEFAULT, "tab_play"), id="play") as self.play_tab:
                    self.view = RoundView(parts)
                with gr.Tab(say(DEFAULT, "tab_teacher"), id="teacher") as self.teacher_tab:
                    self.teacher = TeacherTab(parts, self.tabs, self.view)
            self.api = CheckAnswerApi(parts)
            self.deck_api = DeckApi(parts)
            self.live_api = LiveApi(shared)
            self.fragment = gr.Textbox(visible=False)  # the link's `#…`, filled in by ARRIVE_JS
            for screen in (self.header, self.view, self.teacher, self.api, self.deck_api, self.live_api):
                screen.setup_events()
            self.setup_events()
        with self.blocks.route("Tavla", BOARD_PATH, show_in_navbar=False):  # the classroom's projector
            self.board = BoardView(self.blocks, shared)
            self.board.setup_events()
        bound_every_text(self.blocks, self.header.lang_pick)  # after every event is wired
        mark_session_files_used(self.blocks)
        count_gradio_files(self.blocks, shared.uploads)
        self.blocks.queue(default_concurrency_limit=8)
        poll_less_when_idle(self.blocks)

    def labels(self, lang: str, upload: uploads.Upload | None = None, mine=()) -> dict:
        """Every text of the page in `lang`; a teacher's upload is reported in it too, and the deck
        list holds the shared decks this browser opened (`mine`)."""
        tabs = {
            self.play_tab: gr.update(label=say(lang, "tab_play")),
            self.teacher_tab: gr.update(label=say(lang, "tab_teacher")),
        }
        parts = [self.header.labels(lang), tabs, self.view.labels(lang, mine), self.teacher.labels(lang, upload)]
        return {component: update for part in parts for component, update in part.items()}  # no two share one

    def whole_page(self, lang: str, game: Round | None, data, day: str, upload=None, mine=()) -> dict:
        """Every text and the round's view in `lang`: for a page load and the language toggle."""
        view = self.view.show(game, "", progress.load(data), lang, learner_today(day))
        return merge_updates(self.labels(lang, upload, mine), view) | self.header.status(lang)

    def arrive_by_link(self, query, fragment: str, mine, lang: str, request) -> dict:
        """`?deck=CODE`: the class's deck, picked; `#deck=CODE&edit=KEY`: the teacher's edit link
        (also the older `?deck=CODE&edit=KEY`)."""
        teacher = parse_qs(fragment or "")
        code = (teacher.get("deck") or [""])[0] or str(query.get("deck") or "")
        key = (teacher.get("edit") or [""])[0] or str(query.get("edit") or "")
        if code and key:
            return self.teacher.open_edit_link(code, key, lang, request) | {self.tabs: gr.Tabs(selected="teacher")}
        return self.view.start.open_code(code, mine, lang, request) if code else {}

    def setup_events(self) -> None:
        """The page's own events: its arrival, and the language toggle."""
        session, header = self.session, self.header

        # Components with Gradio's own texts: hidden while Gradio's language changes, then shown anew in it.
        gradio_texts = [self.view.play.mic, self.teacher.upload]

        def on_language(lang: str, game: Round | None, data, day: str, upload: uploads.Upload | None, mine, *shown):
            """Switch the page's language, keeping the round as it is and its verdict on screen, worded
            again; what the Teacher tab shows (`shown`: its reword_inputs' values) is worded again too."""
            lang = language(lang)
            page = self.whole_page(lang, game, data, day, upload, mine)
            if again := move.verdict_again(game, lang):
                page[self.view.play.verdict] = again
            else:  # a notice (or nothing) stays as it is
                del page[self.view.play.verdict]
            hidden = {component: gr.update(visible=False) for component in gradio_texts}
            return merge_updates(page, self.teacher.reword(lang, *shown), hidden) | {session.language: lang}

        def show_gradio_texts():
            return [gr.update(visible=True) for _ in gradio_texts]

        def on_arrive(game: Round | None, data, lang, mine, day: str, fragment: str = "", request: gr.Request = None):
            """A page (re)load: the stored language and progress, the start screen; a class's or a
            teacher's link opens its deck."""
            lang = language(lang)
            page = self.whole_page(lang, None, data, day, mine=mine) | {header.lang_pick: lang, session.day: day}
            page = merge_updates(page, self.view.start.picked(progress.load(data), mine))
            # A new page has no upload yet; a teacher quicker than this event may have one already,
            # and its report must not be wiped by an arrival that finishes after it.
            page = {
                component: update for component, update in page.items() if component not in self.teacher.upload_view
            }
            query = request.query_params if request is not None else {}
            return merge_updates(page, self.arrive_by_link(query, fragment, mine, lang, request))

        page_outputs = list(dict.fromkeys([*self.labels(DEFAULT), *self.view.outputs, *header.status(), *gradio_texts]))
        # Then Gradio's own texts (Record, Stop, the upload area) follow the page's language.
        page_state = [header.lang_pick, session.game, session.stored, session.day, session.upload, session.my_decks]
        header.lang_pick.input(
            on_language,
            [*page_state, *self.teacher.reword_inputs],
            list(dict.fromkeys([session.language, *page_outputs, *self.teacher.reword_outputs])),
            api_visibility="private",
        ).then(None, [header.lang_pick], None, js=FOLLOW_JS, api_visibility="private").then(
            show_gradio_texts, None, gradio_texts, api_visibility="private", show_progress="hidden"
        )
        by_link = [session.my_decks, self.tabs, *self.teacher.edit_link_outputs]
        self.blocks.load(
            on_arrive,
            [session.game, session.stored, session.language, session.my_decks, session.day, self.fragment],
            list(dict.fromkeys([header.lang_pick, session.day, *page_outputs, *by_link])),
            api_visibility="private",
            js=ARRIVE_JS,
        ).then(None, [header.lang_pick], None, js=FOLLOW_JS, api_visibility="private")


# What each page's server gets from demo.launch() beside Gradio's own: its routes (`GET /health`) and
# the door in front (game/ui/door.py), until launch() builds the server (a FastAPI app) with them.
_SERVER_PARTS: WeakKeyDictionary[gr.Blocks, dict] = WeakKeyDictionary()


def build_app(
    settings: Settings, model: BackgroundModel | None = None, pronouncer: Pronouncer | None = None
) -> gr.Blocks:
    believe_no_forwarded_header_in_uvicorn()  # client addresses: SAGDET_PROXIES decides, in caller_of
    shared = Shared.start(settings, model, pronouncer)
    blocks = Page(shared).blocks
    _SERVER_PARTS[blocks] = {
        "routes": health_of(shared).routes(),
        "middleware": [Middleware(Door, writes=shared.writes)],
    }
    return blocks


def health_of(shared: Shared) -> Health:
    """`GET /health` for load balancers (game/health.py): serving or stopping, speech and the database in words."""
    store = shared.store
    return Health(
        speech=shared.listener.status,
        speech_on="engine" if shared.settings.speech_url else "replica",
        database=DatabaseCheck(store.answers if store is not None else None),
        database_kind=store.kind if store is not None else "",
        stopping=shutdown.stopping,
    )


def launch_options(demo: gr.Blocks) -> dict:
    """Arguments for demo.launch(): the look of the page, its routes beside Gradio's and the door in
    front. Gradio builds its server in launch(); routes given to it there come before its own."""
    return {
        "css": CSS + BOARD_CSS,
        "head": HEAD + LOCALE_JS,
        "theme": gr.themes.Soft(primary_hue="blue", secondary_hue="amber"),
        "max_file_size": MAX_UPLOAD_BYTES,  # refused before it reaches the unpacker
        "app_kwargs": {name: list(parts) for name, parts in _SERVER_PARTS[demo].items()},  # launch() adds to it
    }
