"""What every screen of the page shares: the decks, the speech model, the per-session values,
and the small helpers that turn a learner's inputs into plain values. No layout here."""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import gradio as gr

from game.config import Settings
from game.decks import spelling, uploads
from game.decks.deck import Deck, load_decks
from game.decks.media import MB
from game.decks.problems import Problem
from game.decks.session_files import SessionFiles
from game.decks.store import DeckStore, StoreError
from game.pictures.served import PictureFiles
from game.results.answers import Answer, Player
from game.results.retention import Retention
from game.results.store import ResultStore
from game.results.writer import ResultWriter
from game.round import progress
from game.speech.engine import EngineListener, shown_url
from game.speech.hearing import Hearing
from game.speech.listener import SPEECH_BATCH, Listener
from game.speech.loading import BackgroundModel
from game.speech.model import Transcriber, use_threads
from game.speech.pronounce import Pronouncer
from game.temporary import remove_leftovers
from game.texts import DEFAULT, language, say
from game.ui.browser_secret import browser_secret
from game.write_limit import WriteLimit

log = logging.getLogger(__name__)
# Spoken answers are not a Gradio batch (that would read every learner's round from the first
# one's session): each learner's event is their own, and the Listener hears clips that arrive
# together in one model call. Twice a batch may be in here at once, so the next batch gathers
# while one is heard; beyond that a learner waits in Gradio's queue and sees their place in it.
# An engine (SAGDET_SPEECH_URL) gets as many clips at once from each replica.
SPEECH_IN_FLIGHT = 2 * SPEECH_BATCH
SPEECH_EVENTS = {"concurrency_id": "speech", "concurrency_limit": SPEECH_IN_FLIGHT}
DECK_GUIDES = {  # the teachers' guide to the deck format, in the page's language
    lang: Path(__file__).resolve().parents[2] / "assets" / "decks" / name
    for lang, name in (("sv", "README.sv.md"), ("en", "README.md"))
}


@dataclass
class Shared:
    """The server's side of the page, shared by every visitor: nothing in here is a learner's."""

    settings: Settings
    decks: list[Deck]
    problems: list[Problem]
    pronouncer: Pronouncer
    listener: Hearing
    pictures: PictureFiles
    guides: dict[str, str]
    uploads: SessionFiles  # teachers' uploads and editor files: one budget, removed once unused
    store: DeckStore | None  # None: the database could not be opened; the built-in decks still play
    browser_secret: str  # encrypts what the page keeps in learners' browsers
    # The class's answers on shared decks, written in the background; None when not kept (no store, or 0 days).
    writer: ResultWriter | None = None
    # Removes answers past SAGDET_RESULTS_DAYS hourly, whatever the setting (0: all of them); None without a store.
    retention: Retention | None = None
    writes: WriteLimit = field(default_factory=WriteLimit)  # every client's writes, per session and address
    by_id: dict[str, Deck] = field(init=False)
    accepted: dict[str, tuple[str, ...]] = field(init=False)  # a word's other accepted answers

    def __post_init__(self):
        self.by_id = {d.id: d for d in self.decks}
        self.accepted = {c.word: c.also_accepted for d in self.decks for c in d.cards}

    @classmethod
    def start(
        cls, settings: Settings, model: BackgroundModel | None = None, pronouncer: Pronouncer | None = None
    ) -> Shared:
        decks, problems = load_decks(settings.decks)
        use_threads(settings.threads)
        answers = [answer for d in decks for c in d.cards for answer in c.answers]
        remove_leftovers()  # what a killed server's tasks left half done
        pictures = PictureFiles()
        atexit.register(pictures.close)
        store = open_store(settings)
        # The editor's word list, read while the page is served rather than at a teacher's first keystroke.
        threading.Thread(target=spelling.words_known, name="word-list", daemon=True).start()
        return cls(
            settings=settings,
            decks=decks,
            problems=problems,
            pronouncer=pronouncer or Pronouncer(),
            listener=start_listening(settings, answers, model),
            pictures=pictures,
            guides={lang: path.read_text(encoding="utf-8") for lang, path in DECK_GUIDES.items()},  # read once
            uploads=SessionFiles.start(settings.uploads_mb * MB),
            browser_secret=browser_secret(settings),
            store=store,
            writer=open_writer(settings, store),
            retention=keep_results_for(settings, store),
        )

    def caller(self, request: gr.Request | None) -> str:
        proxies = self.settings.proxies
        if proxies is None:
            proxies = 1 if os.environ.get("SPACE_ID") else 0
        return caller_of(request, proxies)

    def may_write(self, request: gr.Request | None, lang: str = DEFAULT) -> None:
        """Count a write of this client (game/write_limit.py); gr.Error, with nothing done, when it writes too fast."""
        session = (request.session_hash if request is not None else None) or ""
        if not self.writes.take(session, self.caller(request)):
            raise gr.Error(say(language(lang), "writing_too_fast"))

    def published(self) -> DeckStore:
        """The published decks' store; raises StoreError when its database could not be opened."""
        if self.store is None:
            raise StoreError("unavailable")
        return self.store

    def results(self) -> ResultStore:
        """The class's answers on shared decks, with every answer given on this replica so far written;
        raises StoreError when the database could not be opened."""
        store = self.published()
        if self.writer is not None:
            self.writer.flush()
        return ResultStore(store, self.settings.results_days)

    def keep(self, who: Player | None, answers: Sequence[Answer]) -> None:
        """A move's answers on the shared deck `who` plays, to its class's results; the writer never
        keeps the learner waiting."""
        if self.writer is not None and who is not None and answers:
            self.writer.add(who.code, list(answers))

    def deck(self, deck_id: str, caller: str) -> Deck:
        """A built-in deck by its id, or a published one by its class code; raises StoreError."""
        if deck_id in self.by_id:
            return self.by_id[deck_id]
        return self.published().open(deck_id, caller=caller)

    def picture(self, card) -> str | None:
        try:
            return self.pictures(card.image)
        except OSError:  # an uploaded deck replaced mid-round: the round goes on without the picture
            return None


def start_listening(settings: Settings, answers: list[str], model: BackgroundModel | None = None) -> Hearing:
    """The class's speech: a transcription engine when SAGDET_SPEECH_URL names one, else the model
    in this process (loading in the background while the page is served)."""
    if settings.speech_url:
        name = settings.speech_model or settings.model
        log.info("speech is heard by the engine at %s (model %s)", shown_url(settings.speech_url), name)
        key = os.environ.get("SAGDET_SPEECH_KEY", "")  # never from a file, never logged
        return EngineListener(settings.speech_url, name, answers, api_key=key, in_flight=SPEECH_IN_FLIGHT)
    model = model or BackgroundModel(
        settings.model, loader=lambda name: Transcriber.load(name, settings.precision, settings.window)
    )
    return Listener(model, answers, nice=settings.model_nice)


def open_store(settings: Settings) -> DeckStore | None:
    """The published decks' store. A database that is down at the start is tried again at each use
    (game/decks/store.py), so sharing comes back with it; a store that cannot be made at all (a
    data folder that cannot be created, a newer schema) must not stop the game: the built-in decks
    still play, and the teacher is told that publishing is unavailable."""
    try:
        store = DeckStore.from_settings(settings)
    except (StoreError, OSError):
        log.exception("the deck store could not be opened (%s)", settings.data_dir)
        return None
    atexit.register(store.close)
    return store


def open_writer(settings: Settings, store: DeckStore | None) -> ResultWriter | None:
    """The background writer of the class's answers, when they are kept (a store, and days to keep them)."""
    if store is None or settings.results_days <= 0:
        return None
    writer = ResultWriter(ResultStore(store, settings.results_days))
    atexit.register(writer.close)  # registered after the store's close, so it runs first: the queue is written
    return writer


def keep_results_for(settings: Settings, store: DeckStore | None) -> Retention | None:
    """The timer that removes the class's answers once past their days (with 0 days: those kept before)."""
    if store is None:
        return None
    retention = Retention(ResultStore(store, settings.results_days))
    atexit.register(retention.close)
    return retention


def believe_no_forwarded_header_in_uvicorn() -> None:
    """Leave X-Forwarded-For to caller_of and SAGDET_PROXIES alone.

    Gradio's server (uvicorn) otherwise rewrites a request's client address from X-Forwarded-For
    whenever the connection comes from loopback (FORWARDED_ALLOW_IPS, 127.0.0.1 by default), so
    with no proxy at all, a client on the machine, or any client behind a proxy that passes the
    header on, would name its own address: dodge the limits, or lock out someone else's. uvicorn
    reads the variable when the server is made, at launch.
    """
    os.environ["FORWARDED_ALLOW_IPS"] = ""


def caller_of(request: gr.Request | None, proxies: int = 0) -> str:
    """Who asks, for the store's rate limits: the address the nearest of our own `proxies` saw. Each
    proxy appends the address it was reached from to X-Forwarded-For; entries further left are the
    client's own word and could be anything, so they are never used. A class behind one school
    router shares an address; the limits allow for that."""
    if request is None:
        return "local"
    host = request.client.host if request.client else "local"
    if proxies <= 0:
        return host
    forwarded = [entry.strip() for entry in (request.headers.get("x-forwarded-for") or "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    return forwarded[-proxies] if len(forwarded) >= proxies else host


def page_link(request: gr.Request | None) -> str:
    """The page's public address, as the browser reached it (behind a proxy: its forwarded host)."""
    if request is None:
        return ""
    headers = request.headers
    host = (headers.get("x-forwarded-host") or headers.get("host") or "").split(",")[0].strip()
    proto = (headers.get("x-forwarded-proto") or "http").split(",")[0].strip()
    return f"{proto}://{host}/" if host else ""


class Session:
    """A learner's values: this tab's round and upload, this browser's progress, language and date."""

    def __init__(self, secret: str):
        self.game = gr.State(None)
        # `secret`: the same key after a restart, or the browsers' values could not be read (game.ui.browser_secret).
        self.stored = gr.BrowserState(None, storage_key="sagdet-progress", secret=secret)  # XP, streak, mastery
        self.language = gr.BrowserState(DEFAULT, storage_key="sagdet-language", secret=secret)
        self.upload = gr.State(None, delete_callback=uploads.discard)
        # Published decks this browser has opened (class code, title), for its deck list.
        self.my_decks = gr.BrowserState([], storage_key="sagdet-decks", secret=secret)
        # The learner's own date (their time zone decides when a day of the streak ends), set by
        # the browser when the page loads and at the start of each round.
        self.day = gr.Textbox("", visible=False)
        # Who plays a round of a shared deck, for the class's results (game.results.answers.Player), set when it
        # starts; the nickname this browser gave last, and its anonymous id when it gave none.
        self.player = gr.State(None)
        self.nickname = gr.BrowserState("", storage_key="sagdet-nickname", secret=secret)
        self.learner_id = gr.BrowserState("", storage_key="sagdet-learner", secret=secret)


def learner_today(day: str | None) -> date:
    """The learner's date as their browser gave it, when believable; the server's otherwise (API callers)."""
    return progress.learner_day(day, date.today())


def merge_updates(*parts: dict) -> dict:
    """Several {component: update} dicts in one; two updates of one component are combined."""

    def as_update(value):
        return value if isinstance(value, dict) and value.get("__type__") == "update" else gr.update(value=value)

    merged: dict = {}
    for part in parts:
        for component, value in part.items():
            merged[component] = {**as_update(merged[component]), **as_update(value)} if component in merged else value
    return merged


def problems_markdown(problems, lang: str = DEFAULT) -> str:
    if not problems:
        return ""
    lines = "\n".join(f"- `{p.text(lang)}`" for p in problems)
    return f"{say(lang, 'broken_decks')}\n{lines}"
