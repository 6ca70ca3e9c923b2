"""Decks teachers publish for their class: kept in a database, opened by a short class code.

A published deck is its YAML and the pictures and recordings its cards use, all stored in the
database (not on one machine's disk), so several replicas of the app serve the same decks:

    SQLite    a file in SAGDET_DATA_DIR, by default
    PostgreSQL when SAGDET_DATABASE_URL is set (postgresql+psycopg://user:password@host/db)

Publishing checks the deck exactly as an upload is checked (game/decks/archive.py) and gives a
class code for the board and a secret edit key that only the teacher keeps. Learners open the
deck by its code; the store writes it to a cache folder of its own under the data folder (cards
name their pictures by path) and loads it with `load_deck`, so a published deck plays like any
other. Its id is its code. The cache is held to a size (SAGDET_DECK_CACHE_MB): beyond it the copies
opened longest ago go first, never one opened within IN_PLAY_S (a class may be playing it), and a
deck whose copy went is written again from the database when it is next opened.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import (
    delete,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from game.config import Settings
from game.database import (
    CODE_LENGTH,
    DeckFile,
    SchemaTooNew,
    StoredAnswer,
    StoredDeck,
    as_utc,
    database_url,
    open_engine,
    prepare_schema,
    sqlite_url,
    utc_now,
)
from game.decks.archive import MAX_UPLOAD_BYTES, UploadError, load_upload
from game.decks.deck import Deck, DeckError, load_deck
from game.decks.media import MB
from game.decks.problems import Problem
from game.rate_limit import RateLimit
from game.temporary import LEFTOVER_AFTER_S, age, size, task_folder
from game.texts import DEFAULT, language, say

log = logging.getLogger(__name__)

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: a code read off the board is typed right
CODE_ATTEMPTS = 5  # new codes tried when one is taken; with millions free, more than one is already rare
READ_ATTEMPTS = 3  # a deck changed while it was being read is read again
IGNORED_IN_CODES = re.compile(r"[\s\-‐‑‒–—]")  # spaces and dashes, as typed or as a phone turns "--" into "–"
CACHE_FOLDER = "published-decks"
# A replaced deck's earlier copy is kept this long: learners in a round on it keep its pictures.
OLD_REVISION_KEPT_S = 3 * 3600
# …but only this many of them, whatever their age: a deck updated again and again (each copy up to
# Limits.bytes) must not fill the disk. A round on an older copy goes on without its pictures.
OLD_REVISIONS_KEPT = 2
LOADED_DECKS = 64  # decks kept loaded in memory, newest last
# A copy opened this recently is never removed to keep the cache within its size: a round started on
# it may still be going (a lesson's length). Beyond its size, the cache holds only such copies.
IN_PLAY_S = 3600
INCOMING = ".incoming-"  # a copy being written, renamed into place when whole


class StoreError(Exception):
    """Why the store could not do what was asked, worded for a teacher or a learner when read.

    `problems` are the deck's own problems (file:line: message) when it failed the upload checks.
    """

    def __init__(self, key: str, problems: Sequence[Problem] = (), **values: object):
        self.key, self.values, self.problems = key, values, tuple(problems)
        super().__init__(self.text(DEFAULT))

    def text(self, lang: str = DEFAULT) -> str:
        lang = language(lang)
        lines = [say(lang, f"store.{self.key}", **self.values), *(p.text(lang) for p in self.problems)]
        return "\n".join(lines)


@dataclass(frozen=True)
class Limits:
    cards: int = 300  # what the deck format's limits are sized for (assets/decks/README.md)
    bytes: int = MAX_UPLOAD_BYTES  # the YAML and every picture and recording together
    publishes_per_hour: int = 10  # per caller; a teacher changes a published deck with `update`
    updates_per_hour: int = 20  # per deck: a teacher fixing a lesson's deck as it goes, not a disk filler
    # Per caller (a client address) in `wrong_codes_seconds`: a class behind one school router is one
    # caller, so this allows several typos each (an empty code is not counted). Guessing stays hopeless:
    # 200 tries in 10 minutes is under 30,000 a day against ~887 million codes.
    wrong_codes: int = 200
    wrong_codes_seconds: float = 600


@dataclass(frozen=True)
class Published:
    code: str
    edit_key: str  # shown to the teacher once; the store keeps only its hash


@dataclass(frozen=True)
class DeckInfo:
    code: str
    title: str
    cards: int
    created: datetime  # UTC
    updated: datetime  # UTC


@dataclass(frozen=True)
class _Content:
    """A checked deck, ready to store."""

    yaml: str
    files: dict[str, bytes]  # name inside the deck's folder -> bytes
    title: str
    cards: int
    size: int


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str | None:
    """The code as stored (upper case, no spaces or dashes), or None when it cannot be one."""
    code = IGNORED_IN_CODES.sub("", text or "").upper()
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def hash_key(edit_key: str) -> str:
    """sha256, unsalted and fast, is enough here: a key is 256 random bits, not a password someone
    chose, so there is no dictionary to try against a leaked hash."""
    return hashlib.sha256(edit_key.encode("utf-8")).hexdigest()


NO_KEY = hash_key("")  # compared against when the code does not exist, so that takes as long as a wrong key


class DeckStore:
    """Published decks in one database; safe to use from many threads and many processes at once.

    `caller` names whoever asks (a session, a client address): the rate limits are per caller.
    """

    def __init__(
        self,
        data_dir: str | Path,
        url: str = "",
        *,
        limits: Limits = Limits(),
        cache_bytes: int = Settings.deck_cache_mb * MB,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = utc_now,
        make_code: Callable[[], str] = new_code,
    ):
        self.data_dir = Path(data_dir)
        self.limits, self._now, self._make_code = limits, now, make_code
        self._publishes = RateLimit(limits.publishes_per_hour, 3600, clock)
        self._updates = RateLimit(limits.updates_per_hour, 3600, clock)
        self._wrong_codes = RateLimit(limits.wrong_codes, limits.wrong_codes_seconds, clock)
        self._cache, self.cache_bytes = self.data_dir / CACHE_FOLDER, cache_bytes
        self._loaded: dict[tuple[str, int], Deck] = {}
        self._loaded_lock = threading.Lock()
        with self._failures_logged():
            self._engine = open_engine(url or sqlite_url(self.data_dir), self.data_dir)
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)
        self._schema_ready = False
        self._schema_lock = threading.Lock()
        try:
            self._prepare()
        except StoreError as exc:
            if exc.key != "unavailable":
                raise
            log.warning("the deck store's database cannot be reached yet; it is tried again at each use")

    @classmethod
    def from_settings(cls, settings: Settings, **options) -> DeckStore:
        options.setdefault("cache_bytes", settings.deck_cache_mb * MB)
        return cls(settings.data_dir, database_url(settings), **options)

    def close(self) -> None:
        self._engine.dispose()

    @property
    def kind(self) -> str:
        """The database's kind ("sqlite", "postgresql"): never its address, which may hold a password."""
        return self._engine.dialect.name

    def answers(self) -> bool:
        """Whether the database answers a trivial query now (for GET /health). Never raises and never logs:
        a balancer asks every few seconds, and a failing use of the store logs why (`_failures_logged`)."""
        try:
            with self._engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:  # the driver's own errors, beyond SQLAlchemy's, mean the same here
            return False
        return True

    # --- the teacher's side ---

    def publish(self, files: Sequence[str | Path], *, caller: str) -> Published:
        """Check the deck as an upload is checked, store it, and give its class code and edit key."""
        # Not published (the deck failed its checks, or the database): not counted.
        with self._publishes.spent_on(caller, StoreError("publish_limit", most=self.limits.publishes_per_hour)):
            content = self._checked(files)
            edit_key = secrets.token_urlsafe(32)
            code = self._insert(content, hash_key(edit_key))
        return Published(code, edit_key)

    def update(self, edit_key: str, code: str, files: Sequence[str | Path]) -> None:
        """Replace the deck with these files; with a wrong key or code nothing changes."""
        deck = self._authorised(edit_key, code)
        with self._updates.spent_on(deck.code, StoreError("update_limit", most=self.limits.updates_per_hour)):
            self._replace(deck.id, self._checked(files))

    def _replace(self, deck_id: int, content: _Content) -> None:
        """The deck's row and files replaced in one transaction, as the next revision."""
        with self._database(), self._sessions.begin() as session:
            changed = session.execute(
                update(StoredDeck)
                .where(StoredDeck.id == deck_id)
                .values(
                    yaml=content.yaml,
                    title=content.title,
                    cards=content.cards,
                    size=content.size,
                    revision=StoredDeck.revision + 1,
                    updated=self._now(),
                )
            ).rowcount
            if not changed:  # deleted meanwhile
                raise StoreError("wrong_key")
            session.execute(delete(DeckFile).where(DeckFile.deck_id == deck_id))
            session.add_all(_files(deck_id, content))

    def delete(self, edit_key: str, code: str) -> None:
        """Remove the deck and all its files, from the database and from this process's cache."""
        deck = self._authorised(edit_key, code)
        with self._database(), self._sessions.begin() as session:
            session.execute(delete(StoredAnswer).where(StoredAnswer.deck_id == deck.id))
            session.execute(delete(DeckFile).where(DeckFile.deck_id == deck.id))
            session.execute(delete(StoredDeck).where(StoredDeck.id == deck.id))
        self._forget_cache(deck.code)

    # --- the learner's side ---

    def info(self, code: str, *, caller: str) -> DeckInfo:
        deck = self._find(code, caller)
        return DeckInfo(deck.code, deck.title, deck.cards, as_utc(deck.created), as_utc(deck.updated))

    def open(self, code: str, *, caller: str) -> Deck:
        """The deck, ready to play; its pictures are files in a cache folder of its own."""
        deck = self._find(code, caller)
        for _ in range(READ_ATTEMPTS):
            key = (deck.code, deck.revision)
            folder = self._cache / deck.code / str(deck.revision)
            with self._loaded_lock:
                # A revision never changes: a class's round starts read it once, while its copy is there.
                if key in self._loaded and _opened_now(folder):
                    return self._loaded[key]
            if _opened_now(folder) or self._materialise(deck, folder):
                loaded = _load(deck.code, folder)
                with self._loaded_lock:
                    self._loaded[key] = loaded
                    while len(self._loaded) > LOADED_DECKS:
                        self._loaded.pop(next(iter(self._loaded)))
                return loaded
            deck = self._find(code, caller)  # it changed while it was read: read the new one
        raise StoreError("busy")

    # --- for the class's results (game/results/store.py), in the same database ---

    def authorised_id(self, edit_key: str, code: str) -> int:
        """The deck's row id when the key is its edit key; StoreError("wrong_key") otherwise."""
        return self._authorised(edit_key, code).id

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end; a failing database is StoreError("unavailable")."""
        with self._database(), self._sessions.begin() as session:
            yield session

    # --- inside ---

    @contextmanager
    def _database(self) -> Iterator[None]:
        """Work on the database, its schema ready first (a database that was down at the start is
        prepared at the first use once it is back: no restart needed)."""
        with self._failures_logged():
            self._prepare()
            yield

    @contextmanager
    def _failures_logged(self) -> Iterator[None]:
        """A database that fails (down, unreachable, a broken file) is one sentence for the teacher; the log has why."""
        try:
            yield
        except SQLAlchemyError:
            log.exception("the deck store's database failed")
            raise StoreError("unavailable") from None

    def _prepare(self) -> None:
        """The schema created or brought up to date, once per process, at the first use the database answers."""
        if self._schema_ready:
            return
        with self._schema_lock, self._failures_logged():
            if self._schema_ready:  # another thread did it while this one waited
                return
            try:
                prepare_schema(self._engine)
            except SchemaTooNew as exc:
                raise StoreError("database_newer", found=exc.found, known=exc.known) from None
            self._prune_cache()
            self._schema_ready = True

    def _checked(self, files: Sequence[str | Path]) -> _Content:
        """The deck as an upload is checked (the same code, the same limits), then the store's own limits."""
        with task_folder("publish") as folder:
            try:
                deck = load_upload(files, Path(folder))
            except UploadError as exc:
                raise StoreError("invalid_deck", exc.problems) from None
            if len(deck.cards) > self.limits.cards:
                raise StoreError("too_many_cards", count=len(deck.cards), most=self.limits.cards)
            return _content(deck, self.limits)

    def _insert(self, content: _Content, key_hash: str) -> str:
        """Store the deck under a new code; a code taken meanwhile (by another thread or replica) is drawn again."""
        for _ in range(CODE_ATTEMPTS):
            code, moment = self._make_code(), self._now()
            deck = StoredDeck(
                code=code,
                edit_key_hash=key_hash,
                title=content.title,
                cards=content.cards,
                size=content.size,
                revision=1,
                yaml=content.yaml,
                created=moment,
                updated=moment,
            )
            with self._database():
                try:
                    with self._sessions.begin() as session:
                        session.add(deck)
                        session.flush()  # the deck's id, for its files
                        session.add_all(_files(deck.id, content))
                except IntegrityError:
                    continue  # the code was taken: the unique index said so
            return code
        raise StoreError("busy")

    def _authorised(self, edit_key: str, code: str) -> StoredDeck:
        """The deck when the key is its edit key; the same error whether the code or the key is wrong."""
        deck = self._deck(normalise_code(code))
        expected = deck.edit_key_hash if deck is not None else NO_KEY
        if not hmac.compare_digest(expected, hash_key(edit_key or "")) or deck is None:
            raise StoreError("wrong_key")
        return deck

    def _deck(self, code: str | None) -> StoredDeck | None:
        """The deck with this (normalised) code, without its YAML and files."""
        if code is None:
            return None
        with self._database(), self._sessions() as session:
            return session.scalar(select(StoredDeck).where(StoredDeck.code == code))

    def _find(self, code: str, caller: str) -> StoredDeck:
        """The deck with this code; a caller who has tried too many wrong codes is not even looked up."""
        if not IGNORED_IN_CODES.sub("", code or ""):
            raise StoreError("type_code")  # nothing typed: not a guess
        if not self._wrong_codes.take(caller):  # counted as a guess until the code turns out right
            raise StoreError("too_many_wrong")
        normal = normalise_code(code)
        try:
            deck = self._deck(normal)
        except BaseException:
            self._wrong_codes.give_back(caller)
            raise
        if deck is None:
            self._forget_cache(normal or "")  # deleted by another replica: its files go here too
            raise StoreError("no_such_code")
        self._wrong_codes.give_back(caller)
        return deck

    def _materialise(self, deck: StoredDeck, folder: Path) -> bool:
        """Write the deck into `folder` as `load_deck` reads it; False when it changed while it was read.

        It is written beside the folder and renamed into place, so a folder that exists is complete,
        and the learner who comes second (on another thread) uses the first one's copy.
        """
        with self._database(), self._sessions() as session:
            files = session.execute(select(DeckFile.name, DeckFile.data).where(DeckFile.deck_id == deck.id)).all()
            latest = session.execute(
                select(StoredDeck.revision, StoredDeck.yaml).where(StoredDeck.id == deck.id)
            ).first()
        if (
            latest is None or latest.revision != deck.revision
        ):  # a revision only grows: equal means nothing changed between
            return False
        folder.parent.mkdir(parents=True, exist_ok=True)
        incoming = Path(tempfile.mkdtemp(prefix=INCOMING, dir=folder.parent))
        try:
            _write_deck(incoming, deck.code, latest.yaml, files)
            incoming.rename(folder)
        except OSError as exc:
            shutil.rmtree(incoming, ignore_errors=True)
            if not folder.is_dir():  # not another thread's copy that came first: a real failure
                log.warning("published deck %s could not be written: %s", deck.code, exc)
                raise StoreError("damaged", code=deck.code) from None
        earlier = sorted(  # earlier revisions, newest first (never a later one another thread just wrote)
            (old for old in folder.parent.iterdir() if old.name.isdigit() and int(old.name) < deck.revision),
            key=lambda old: -int(old.name),
        )
        for place, old in enumerate(earlier):
            if place >= OLD_REVISIONS_KEPT or age(old) > OLD_REVISION_KEPT_S:
                shutil.rmtree(old, ignore_errors=True)
        self._keep_cache_within_size()
        return True

    def _keep_cache_within_size(self) -> None:
        """Remove the copies opened longest ago until the cache is within `cache_bytes`; never one opened
        within IN_PLAY_S (this process's or another replica's: the time is the folder's own)."""
        copies = [(age(copy), size(copy), copy) for copy in self._cache.glob("*/*") if copy.name.isdigit()]
        total = sum(bytes_ for _, bytes_, _ in copies)
        for opened_ago, bytes_, copy in sorted(copies, key=lambda c: -c[0]):  # opened longest ago first
            if total <= self.cache_bytes:
                return
            if opened_ago <= IN_PLAY_S:
                break
            shutil.rmtree(copy, ignore_errors=True)
            total -= bytes_
            log.info(
                "published deck %s: copy %s removed to keep the cache within %d MB",
                *copy.parts[-2:],
                self.cache_bytes // MB,
            )
        if total > self.cache_bytes:
            log.warning(
                "the decks in play take %d MB, more than the cache's %d MB", total // MB, self.cache_bytes // MB
            )

    def _forget_cache(self, code: str) -> None:
        if code:
            shutil.rmtree(self._cache / code, ignore_errors=True)

    def _prune_cache(self) -> None:
        """Cached copies of decks deleted while this process was not running (or by another replica).

        The folders are listed before the database is asked, so a deck published meanwhile is already
        in the database when its folder is seen.
        """
        cached = [p.name for p in self._cache.iterdir()] if self._cache.is_dir() else []
        for half_written in self._cache.glob(f"*/{INCOMING}*"):  # a killed server's copy, never renamed into place
            if age(half_written) > LEFTOVER_AFTER_S:
                shutil.rmtree(half_written, ignore_errors=True)
        if not cached:
            return
        with self._sessions() as session:
            live = set(session.scalars(select(StoredDeck.code).where(StoredDeck.code.in_(cached))))
        for code in set(cached) - live:
            self._forget_cache(code)


def _content(deck: Deck, limits: Limits) -> _Content:
    """The deck's YAML and the files its cards use (other files in an upload are left behind)."""
    assert deck.path is not None
    folder = deck.path.with_suffix("")
    used = {media for card in deck.cards for media in (card.image, card.audio) if media is not None}
    files = {media.relative_to(folder).as_posix(): media.read_bytes() for media in sorted(used)}
    yaml = deck.path.read_text(encoding="utf-8")
    size = len(yaml.encode("utf-8")) + sum(len(data) for data in files.values())
    if size > limits.bytes:
        raise StoreError("too_big", size=size / MB, most=limits.bytes // MB)
    return _Content(yaml=yaml, files=files, title=deck.title, cards=len(deck.cards), size=size)


def _files(deck_id: int, content: _Content) -> list[DeckFile]:
    return [DeckFile(deck_id=deck_id, name=name, data=data) for name, data in content.files.items()]


def _write_deck(folder: Path, code: str, yaml: str, files: Sequence[tuple[str, bytes]]) -> None:
    """`folder/CODE.yaml` and the files in `folder/CODE/`; a name that would leave it is refused."""
    (folder / f"{code}.yaml").write_text(yaml, encoding="utf-8")
    media = folder / code
    for name, data in files:
        target = _inside(media, name)
        if target is None:
            log.warning("published deck %s has a file name that leaves its folder: %r", code, name)
            raise StoreError("damaged", code=code)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _inside(folder: Path, name: str) -> Path | None:
    """`folder/name` when `name` is a plain relative path (no `..`, not absolute, no backslashes), else None.

    Names were checked when the deck was published, but the database may be shared with other
    programs and versions: a file is never written outside its deck's folder, whatever the row says.
    """
    parts = name.split("/")
    if "\\" in name or "\0" in name or any(part in ("", ".", "..") for part in parts):
        return None
    return folder.joinpath(*parts)


def _load(code: str, folder: Path) -> Deck:
    try:
        return load_deck(folder / f"{code}.yaml")
    except DeckError as exc:  # it passed the checks when it was published: changed in the database since
        log.warning("published deck %s no longer loads: %s", code, exc)
        raise StoreError("damaged", code=code) from None


def _opened_now(folder: Path) -> bool:
    """Whether the deck's copy is there, dated now as opened (the cache's size keeps what was opened last)."""
    try:
        os.utime(folder)
    except OSError:  # not written yet, or removed to keep the cache within its size
        return False
    return True
