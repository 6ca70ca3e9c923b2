"""The published-deck store, the same tests on SQLite and on a real PostgreSQL started for the run."""

import hashlib
import os
import threading
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from deck_files import png, wav
from sqlalchemy import create_engine, text

from game.config import load_settings
from game.database import SCHEMA_VERSION, SQLITE_FILE, utc_now
from game.decks.store import (
    ALPHABET,
    CACHE_FOLDER,
    INCOMING,
    DeckStore,
    Limits,
    StoreError,
    new_code,
    normalise_code,
)
from game.results.answers import Answer
from game.results.store import ResultStore
from game.temporary import LEFTOVER_AFTER_S, size

DECK = """\
title: {title}
cards:
  - word: hund
    article: en
    translation: dog
    image: hund.png
    audio: hund.wav
  - word: katt
    translation: cat
    image: {katt}
"""
RED, BLUE = (200, 40, 40, 255), (40, 40, 200, 255)


def deck_on_disk(folder: Path, title="Djur", color=RED, extra_cards="", katt="katt.png") -> list[Path]:
    """A deck's files as a teacher has them: its YAML, then two pictures and a recording in its folder."""
    media = folder / "djur"
    files = [folder / "djur.yaml", png(media / "hund.png", color=color), png(media / katt, color=color)]
    files.append(wav(media / "hund.wav"))
    files[0].write_text(DECK.format(title=title, katt=katt) + extra_cards, encoding="utf-8")
    return files


def deck_zip(folder: Path) -> Path:
    """The deck zipped, one picture in a subfolder (loose files cannot have one: a browser sends names only)."""
    files, archive = deck_on_disk(folder, katt="bilder/katt.png"), folder / "djur.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in files:
            zf.write(path, path.relative_to(folder).as_posix())
    return archive


def other_code(code: str) -> str:
    """A well-formed code that is not this one."""
    return next(c for c in iter(new_code, None) if c != code)


class Clock:
    """Seconds that pass only when a test says so."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.sqlite'}"
    return request.getfixturevalue("postgres").new_database()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def make_store(database, tmp_path, clock):
    """New store objects on the test's database: a restart, or another replica with its own data folder."""
    stores = []

    def make(data_dir: Path | None = None, **options) -> DeckStore:
        options.setdefault("clock", clock)
        store = DeckStore(data_dir or tmp_path / "data", database, **options)
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def store(make_store):
    return make_store()


def at_the_same_moment(*calls: Callable):
    """Each call on a thread of its own, all let go together; their results in order (an error is raised here)."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return [future.result() for future in [pool.submit(run, call) for call in calls]]


def sql(database: str, statement: str, **params) -> list:
    """Straight to the tables, as an administrator (or an attacker who got a copy) would look."""
    engine = create_engine(database)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(statement), params)
            return result.all() if result.returns_rows else []
    finally:
        engine.dispose()


def upload(tmp_path: Path, name: str = "upload", **deck) -> list[Path]:
    return deck_on_disk(tmp_path / name, **deck)


# --- publish and open ---


@pytest.mark.parametrize("as_zip", [False, True], ids=["loose-files", "zip"])
def test_publish_then_open_plays_the_same_cards_pictures_and_recordings(store, tmp_path, as_zip):
    files = [deck_zip(tmp_path / "upload")] if as_zip else upload(tmp_path)
    published = store.publish(files, caller="teacher")
    deck = store.open(published.code, caller="learner")
    assert deck.id == published.code and deck.title == "Djur"
    assert [(c.word, c.article, c.translation) for c in deck.cards] == [("hund", "en", "dog"), ("katt", "", "cat")]
    source = tmp_path / "upload" / "djur"
    assert deck.cards[0].image.read_bytes() == (source / "hund.png").read_bytes()
    assert deck.cards[1].image.read_bytes() == (source / ("bilder/katt.png" if as_zip else "katt.png")).read_bytes()
    assert deck.cards[0].audio.read_bytes() == (source / "hund.wav").read_bytes()
    assert deck.cards[0].image.is_relative_to(tmp_path / "data" / CACHE_FOLDER / published.code)
    info = store.info(published.code, caller="learner")
    assert (info.code, info.title, info.cards) == (published.code, "Djur", 2)


def test_codes_use_only_the_unambiguous_alphabet():
    assert not set("0O1IL") & set(ALPHABET)
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500 and all(len(c) == 6 and set(c) <= set(ALPHABET) for c in codes)


def test_a_code_is_read_in_any_case_with_spaces_and_dashes(store, tmp_path):
    code = store.publish(upload(tmp_path), caller="teacher").code
    for typed in (code.lower(), f" {code[:3]} {code[3:]} ", f"{code[:3]}-{code[3:]}", f"{code[:3]}–{code[3:].lower()}"):
        assert store.open(typed, caller="learner").id == code
    for wrong in ("", "ABC", "ABCDEFG", "ABCDE0", "ABCDEO", "ABCDE1", "ABCDEI", "ABCDEL", "ABC/EF"):
        assert normalise_code(wrong) is None


def test_a_restarted_store_finds_the_deck(make_store, tmp_path):
    first = make_store()
    published = first.publish(upload(tmp_path), caller="teacher")
    created = first.info(published.code, caller="x").created
    first.close()
    again = make_store()
    assert again.open(published.code, caller="learner").title == "Djur"
    assert again.info(published.code, caller="x").created == created
    again.update(published.edit_key, published.code, upload(tmp_path, "v2", title="Djur 2"))  # the key still works
    assert again.info(published.code, caller="x").title == "Djur 2"


# --- update and delete ---


def test_an_earlier_copy_goes_once_no_round_can_still_be_on_it(make_store, tmp_path, monkeypatch):
    store = make_store()
    published = store.publish(upload(tmp_path), caller="teacher")
    first = store.open(published.code, caller="learner")
    store.update(published.edit_key, published.code, upload(tmp_path, "v2", title="Nya djur", color=BLUE))
    monkeypatch.setattr("game.decks.store.OLD_REVISION_KEPT_S", 0)  # … for a lesson's length, then it goes
    assert store.open(published.code, caller="learner").title == "Nya djur"
    assert not first.cards[0].image.exists()


def test_a_deck_updated_again_and_again_keeps_only_two_earlier_copies_however_young(make_store, tmp_path):
    store = make_store()
    published = store.publish(upload(tmp_path), caller="teacher")
    opened = [store.open(published.code, caller="learner")]
    for n in range(2, 6):
        store.update(published.edit_key, published.code, upload(tmp_path, f"v{n}", title=f"Djur {n}"))
        opened.append(store.open(published.code, caller="learner"))  # a learner on each copy
    cached = sorted(int(p.name) for p in (tmp_path / "data" / CACHE_FOLDER / published.code).iterdir())
    assert cached == [3, 4, 5]
    assert [deck.cards[0].image.exists() for deck in opened] == [False, False, True, True, True]


def opened_ago(hours: float, deck) -> None:
    """As if the deck's copy had last been opened `hours` ago."""
    copy = deck.path.parent
    then = time.time() - hours * 3600
    os.utime(copy, (then, then))


def test_the_cache_keeps_to_its_size_and_never_drops_a_deck_in_play(make_store, tmp_path):
    """Issue 26: every shared deck a learner opened stayed unpacked on the disk, whatever their number
    (each up to 50 MB). Beyond its size the cache drops the copies opened longest ago, not one opened
    within the hour, and a deck whose copy went is written again when it is next opened."""
    one_copy = make_store(tmp_path / "measure")
    sample = one_copy.open(one_copy.publish(upload(tmp_path), caller="measure").code, caller="learner")
    copy_bytes = size(sample.path.parent)
    store = make_store(cache_bytes=int(2.5 * copy_bytes))
    codes = [store.publish(upload(tmp_path, f"d{n}", title=f"Djur {n}"), caller=f"teacher {n}").code for n in range(4)]
    cached = tmp_path / "data" / CACHE_FOLDER

    decks = [store.open(codes[0], caller="learner")]
    opened_ago(3, decks[0])
    decks.append(store.open(codes[1], caller="learner"))
    opened_ago(2, decks[1])
    decks.append(store.open(codes[2], caller="learner"))  # three copies: over the size
    assert sorted(p.name for p in cached.iterdir() if any(p.iterdir())) == sorted(codes[1:3])
    assert not decks[0].cards[0].image.exists()  # the one opened longest ago went

    store.open(codes[1], caller="learner")  # a class starts a round on it again: in play
    decks.append(store.open(codes[3], caller="learner"))  # over the size, but every copy is in play
    assert all(deck.cards[0].image.is_file() for deck in decks[1:])
    again = store.open(codes[0], caller="learner")  # written again from the database
    assert again.cards[0].image.is_file() and again.title == "Djur 0"


def test_updates_at_the_same_moment_change_a_deck_only_the_limit_times(make_store, tmp_path):
    store = make_store(limits=Limits(updates_per_hour=4))
    published = store.publish(upload(tmp_path), caller="teacher")
    files = upload(tmp_path, "v2", title="Nya djur")

    def outcome() -> str:
        try:
            store.update(published.edit_key, published.code, files)
            return "updated"
        except StoreError as exc:
            return exc.key

    assert sorted(at_the_same_moment(*[outcome] * 10)) == ["update_limit"] * 6 + ["updated"] * 4
    with pytest.raises(StoreError, match="den senaste timmen"):
        store.update(published.edit_key, published.code, files)
    other = store.publish(upload(tmp_path, "other"), caller="teacher")
    store.update(other.edit_key, other.code, files)  # another deck counts on its own


def test_an_empty_code_is_asked_for_and_not_counted_as_a_guess(make_store):
    store = make_store(limits=Limits(wrong_codes=1, wrong_codes_seconds=600))
    for _ in range(3):
        with pytest.raises(StoreError) as asked:
            store.info(" - ", caller="class")
        assert asked.value.key == "type_code"
    with pytest.raises(StoreError) as wrong:
        store.info("ABCDEF", caller="class")
    assert wrong.value.key == "no_such_code"  # the one wrong code allowed is still there


def test_update_with_the_edit_key_replaces_the_deck_and_keeps_times_in_utc(make_store, tmp_path):
    moments = iter([datetime(2026, 1, 5, 8, 0, tzinfo=UTC), datetime(2026, 1, 6, 9, 30, tzinfo=UTC)])
    store = make_store(now=lambda: next(moments))
    published = store.publish(upload(tmp_path), caller="teacher")
    first = store.open(published.code, caller="learner")
    more = "  - word: fisk\n    image: hund.png\n"
    store.update(
        published.edit_key, published.code, upload(tmp_path, "v2", title="Nya djur", color=BLUE, extra_cards=more)
    )
    deck = store.open(published.code, caller="learner")
    assert deck.title == "Nya djur" and [c.word for c in deck.cards] == ["hund", "katt", "fisk"]
    assert deck.cards[0].image.read_bytes() == (tmp_path / "v2" / "djur" / "hund.png").read_bytes()
    assert first.cards[0].image.exists()  # a round still on the earlier copy keeps its pictures …
    info = store.info(published.code, caller="learner")
    assert info.created == datetime(2026, 1, 5, 8, 0, tzinfo=UTC) and info.updated == datetime(
        2026, 1, 6, 9, 30, tzinfo=UTC
    )
    assert info.created.utcoffset() == timedelta(0) and info.cards == 3


def test_a_wrong_edit_key_changes_nothing_and_does_not_say_whether_the_code_exists(store, tmp_path):
    published = store.publish(upload(tmp_path), caller="teacher")
    messages = set()
    for key, code in (
        (published.edit_key[:-1] + "x", published.code),
        (published.edit_key, other_code(published.code)),
        ("", "?"),
    ):
        for change in (lambda k, c: store.update(k, c, upload(tmp_path, "v2", title="Hackad")), store.delete):
            with pytest.raises(StoreError) as err:
                change(key, code)
            messages.add(str(err.value))
    assert messages == {"Koden eller redigeringsnyckeln stämmer inte, så ingenting ändrades."}
    assert store.open(published.code, caller="learner").title == "Djur"


def test_delete_removes_the_deck_and_all_its_files(store, database, tmp_path):
    published = store.publish(upload(tmp_path), caller="teacher")
    kept = store.publish(upload(tmp_path, "other", title="Kvar"), caller="teacher")
    store.open(published.code, caller="learner")
    store.delete(published.edit_key, published.code.lower())
    with pytest.raises(StoreError, match="ingen kortlek med den koden"):
        store.open(published.code, caller="learner")
    assert not (tmp_path / "data" / CACHE_FOLDER / published.code).exists()
    assert sql(database, "SELECT code FROM decks") == [(kept.code,)]
    assert sql(database, "SELECT count(*) FROM deck_files")[0][0] == 3  # the other deck's
    assert store.open(kept.code, caller="learner").title == "Kvar"


def test_replicas_see_each_others_updates_and_deletions(make_store, tmp_path):
    teacher, learners, idle = (make_store(tmp_path / f"replica-{name}") for name in ("a", "b", "c"))
    published = teacher.publish(upload(tmp_path), caller="teacher")
    assert learners.open(published.code, caller="learner").title == "Djur"
    idle.open(published.code, caller="learner")
    teacher.update(published.edit_key, published.code, upload(tmp_path, "v2", title="Nya djur"))
    assert learners.open(published.code, caller="learner").title == "Nya djur"
    teacher.delete(published.edit_key, published.code)
    with pytest.raises(StoreError, match="ingen kortlek"):
        learners.open(published.code, caller="learner")
    assert not (tmp_path / "replica-b" / CACHE_FOLDER / published.code).exists()  # gone once asked for
    cached = tmp_path / "replica-c" / CACHE_FOLDER / published.code
    assert cached.is_dir()
    make_store(tmp_path / "replica-c")  # a restart clears what was deleted meanwhile
    assert not cached.exists()


def test_a_copy_a_killed_server_left_half_written_goes_at_the_next_start(make_store, tmp_path):
    published = make_store().publish(upload(tmp_path), caller="teacher")
    folder = tmp_path / "data" / CACHE_FOLDER / published.code
    left, now = folder / f"{INCOMING}killed", folder / f"{INCOMING}another-replica-writing-now"
    for half in (left, now):
        (half / published.code).mkdir(parents=True)
    then = time.time() - LEFTOVER_AFTER_S - 60
    os.utime(left, (then, then))
    make_store()  # the next start
    assert not left.exists() and now.is_dir()


# --- files that would leave their folder ---


def test_a_file_name_that_leaves_the_deck_is_refused_when_published(store, tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("djur.yaml", DECK.format(title="Djur", katt="katt.png"))
        zf.write(png(tmp_path / "pic.png"), "djur/hund.png")
        zf.writestr("../../x.png", (tmp_path / "pic.png").read_bytes())
    with pytest.raises(StoreError) as err:
        store.publish([archive], caller="teacher")
    assert err.value.key == "invalid_deck"
    assert any(p.message.key == "member_outside" for p in err.value.problems)
    files = upload(tmp_path, "yaml-leaves")
    files[0].write_text(DECK.format(title="Djur", katt="katt.png").replace("image: hund.png", "image: ../../x.png"))
    with pytest.raises(StoreError) as err:
        store.publish(files, caller="teacher")
    assert any(p.message.key == "leaves_folder" for p in err.value.problems)


def test_a_stored_file_name_that_leaves_the_deck_is_never_written(make_store, database, tmp_path):
    published = make_store().publish(upload(tmp_path), caller="teacher")
    sql(database, "UPDATE deck_files SET name = :evil WHERE name = 'hund.png'", evil="../../../../../escape.png")
    fresh = make_store(tmp_path / "fresh")  # nothing cached yet: it must write the deck from the rows
    with pytest.raises(StoreError) as err:
        fresh.open(published.code, caller="learner")
    assert err.value.key == "damaged" and published.code in str(err.value)
    assert not list(tmp_path.rglob("escape.png"))
    # No revision folder (cache/CODE/REVISION) was left; a code may itself be all digits ("466837").
    assert not [p for p in (tmp_path / "fresh" / CACHE_FOLDER).glob("*/*") if p.name.isdigit()]


# --- limits ---


@pytest.mark.parametrize(
    ("limits", "key"),
    [(Limits(cards=1), "too_many_cards"), (Limits(bytes=2000), "too_big")],
    ids=["cards", "bytes"],
)
def test_a_deck_over_the_limits_is_not_stored(make_store, database, tmp_path, limits, key):
    store = make_store(limits=limits)
    with pytest.raises(StoreError) as err:
        store.publish(upload(tmp_path), caller="teacher")
    assert err.value.key == key
    assert sql(database, "SELECT count(*) FROM decks")[0][0] == 0


def test_publishes_per_caller_and_hour_are_limited(make_store, clock, tmp_path):
    store = make_store(limits=Limits(publishes_per_hour=2))
    files = upload(tmp_path)
    store.publish(files, caller="teacher")
    store.publish(files, caller="teacher")
    with pytest.raises(StoreError, match="den senaste timmen"):
        store.publish(files, caller="teacher")
    store.publish(files, caller="another teacher")
    clock.now += 3600
    store.publish(files, caller="teacher")


def test_twenty_publishes_at_the_same_moment_from_one_caller_publish_only_the_limit(make_store, database, tmp_path):
    store = make_store()  # the default limit, 10 an hour
    files = upload(tmp_path)
    attempts = [partial(store.publish, files, caller="203.0.113.7") for _ in range(20)]

    def outcome(publish):
        try:
            return publish().code
        except StoreError as exc:
            return exc.key

    results = at_the_same_moment(*[partial(outcome, publish) for publish in attempts])
    limit = store.limits.publishes_per_hour
    assert sorted(results).count("publish_limit") == 20 - limit
    assert sql(database, "SELECT count(*) FROM decks") == [(limit,)]
    broken = upload(tmp_path, "broken")
    broken[0].write_text("title: [")
    for _ in range(limit):  # a deck that fails its checks is not a publish: its slot is given back
        with pytest.raises(StoreError) as err:
            store.publish(broken, caller="203.0.113.8")
        assert err.value.key == "invalid_deck"
    assert store.publish(files, caller="203.0.113.8").code


def test_guessed_codes_are_rate_limited(make_store, clock, tmp_path):
    store = make_store(limits=Limits(wrong_codes=3, wrong_codes_seconds=600))
    code = store.publish(upload(tmp_path), caller="teacher").code
    for _ in range(5):  # right codes never count
        store.open(code, caller="guesser")
    for guess in ("nonsense", other_code(code), other_code(code)):
        with pytest.raises(StoreError, match="ingen kortlek"):
            store.info(guess, caller="guesser")
    for ask in (store.open, store.info):  # now even the right code is not looked up
        with pytest.raises(StoreError, match="Försök igen senare"):
            ask(code, caller="guesser")
    assert store.open(code, caller="classmate").id == code
    clock.now += 600
    assert store.open(code, caller="guesser").id == code


# --- secrets, concurrency, schema, failures ---


def test_the_edit_key_is_stored_only_as_a_hash(store, database, tmp_path):
    published = store.publish(upload(tmp_path), caller="teacher")
    assert len(published.edit_key) >= 43  # 32 random bytes: 256 bits
    rows = sql(database, "SELECT * FROM decks")
    assert rows and not any(published.edit_key in str(value) for row in rows for value in row)
    stored = sql(database, "SELECT edit_key_hash FROM decks")[0][0]
    assert stored == hashlib.sha256(published.edit_key.encode()).hexdigest()


def test_two_teachers_publishing_at_the_same_moment_get_different_codes(make_store, tmp_path):
    lock, forced = threading.Lock(), ["ABCDEF", "ABCDEF"]  # both draw the same code first

    def make_code() -> str:
        with lock:
            return forced.pop() if forced else new_code()

    store = make_store(make_code=make_code)
    files = [upload(tmp_path, f"teacher{i}", title=f"Kortlek {i}") for i in range(2)]
    published = at_the_same_moment(*(partial(store.publish, files[i], caller=f"teacher {i}") for i in range(2)))
    codes = [p.code for p in published]
    assert len(set(codes)) == 2 and "ABCDEF" in codes
    assert [store.info(code, caller="x").title for code in codes] == ["Kortlek 0", "Kortlek 1"]


def test_a_class_opening_a_new_deck_at_the_same_moment_all_get_it_whole(store, tmp_path):
    published = store.publish(upload(tmp_path), caller="teacher")
    decks = at_the_same_moment(*(partial(store.open, published.code, caller=f"learner {n}") for n in range(8)))
    source = tmp_path / "upload" / "djur"
    for deck in decks:
        assert [c.word for c in deck.cards] == ["hund", "katt"]
        assert deck.cards[0].image.read_bytes() == (source / "hund.png").read_bytes()
        assert deck.cards[0].audio.read_bytes() == (source / "hund.wav").read_bytes()


def test_stores_starting_together_on_a_new_database_both_work(make_store, tmp_path):
    first, *others = at_the_same_moment(*(partial(make_store, tmp_path / f"replica-{i}") for i in range(4)))
    code = first.publish(upload(tmp_path), caller="teacher").code
    assert [other.open(code, caller="learner").title for other in others] == ["Djur"] * 3


def test_the_schema_version_is_kept_and_a_newer_database_is_refused(store, database, make_store):
    assert sql(database, "SELECT version FROM schema_version") == [(SCHEMA_VERSION,)]
    make_store()  # the same version opens again
    newer = SCHEMA_VERSION + 1
    sql(database, "UPDATE schema_version SET version = :v", v=newer)
    with pytest.raises(StoreError) as err:
        make_store()
    assert (
        err.value.key == "database_newer"
        and f"schema {newer}" in str(err.value)
        and "Update the game" in err.value.text("en")
    )


def test_a_version_1_database_gets_the_answers_table_and_keeps_its_decks(store, database, make_store, tmp_path):
    code = store.publish(upload(tmp_path), caller="teacher").code
    sql(database, "DROP TABLE answers")  # as version 1 left it
    sql(database, "UPDATE schema_version SET version = 1")
    again = make_store(tmp_path / "restarted")
    assert sql(database, "SELECT version FROM schema_version") == [(2,)]
    assert again.open(code, caller="learner").title == "Djur"
    assert sql(database, "SELECT count(*) FROM answers") == [(0,)]


def test_a_failing_database_is_a_store_error(store, database, tmp_path):
    sql(database, "DROP TABLE deck_files")
    with pytest.raises(StoreError) as err:
        store.publish(upload(tmp_path), caller="teacher")
    assert err.value.key == "unavailable" and "Försök igen om en stund" in str(err.value)


@pytest.fixture(params=["sqlite", "postgresql"])
def outage(request, tmp_path):
    """Settings whose database is down, and how to bring it back: a PostgreSQL server of this test's own,
    stopped; for SQLite, a folder where the database file should be (it cannot be opened until it goes)."""
    data = tmp_path / "data"
    if request.param == "sqlite":
        (data / SQLITE_FILE).mkdir(parents=True)
        yield load_settings({"SAGDET_DATA_DIR": str(data)}), (data / SQLITE_FILE).rmdir
        return
    from benchmarks.postgres import Postgres, initdb_program

    server = Postgres(initdb_program())
    try:
        server.start()
        url = server.new_database()
        server.halt()
        yield load_settings({"SAGDET_DATA_DIR": str(data), "SAGDET_DATABASE_URL": url}), server.resume
    finally:
        server.stop()


def test_an_app_started_while_its_database_is_down_shares_decks_once_it_is_back(outage, tmp_path):
    from game.ui.context import open_store, open_writer

    settings, come_back = outage
    store = open_store(settings)
    assert store is not None, "a database that is down at the start must not disable sharing for good"
    writer = open_writer(settings, store)
    try:
        with pytest.raises(StoreError) as err:
            store.publish(upload(tmp_path), caller="teacher")
        assert err.value.key == "unavailable"
        come_back()
        shared = at_the_same_moment(*[partial(store.publish, upload(tmp_path, f"d{i}"), caller="t") for i in range(2)])
        assert store.open(shared[0].code, caller="learner").title == "Djur"
        assert writer is not None
        writer.add(shared[0].code, [said("Alva", "hund", at=utc_now())])
        writer.flush()
        answers = ResultStore(store, days=90).answers(shared[0].edit_key, shared[0].code)
        assert [a.learner for a in answers] == ["Alva"]
    finally:
        if writer is not None:
            writer.close()
        store.close()


def test_a_deck_that_fails_the_upload_checks_says_why_in_swedish_and_english(store, tmp_path):
    files = upload(tmp_path)
    files[0].write_text(DECK.format(title="Djur", katt="katt.png").replace("translation: dog", "transaltion: dog"))
    with pytest.raises(StoreError) as err:
        store.publish(files, caller="teacher")
    assert str(err.value).startswith("Kortleken kan inte delas.")
    assert "djur.yaml:5: okänt fält `transaltion` i kort 1 — menade du `translation`?" in str(err.value)
    assert "unknown field `transaltion` in card 1 — did you mean `translation`?" in err.value.text("en")


# --- settings ---


def test_by_default_decks_live_in_a_sqlite_file_in_the_data_folder(tmp_path):
    store = DeckStore.from_settings(load_settings({"SAGDET_DATA_DIR": str(tmp_path / "data")}))
    try:
        code = store.publish(upload(tmp_path), caller="teacher").code
        assert (tmp_path / "data" / SQLITE_FILE).is_file()
        assert store.open(code, caller="learner").title == "Djur"
    finally:
        store.close()


def test_a_plain_postgresql_url_uses_psycopg(postgres, tmp_path):
    url = postgres.new_database().replace("postgresql+psycopg://", "postgresql://")
    store = DeckStore.from_settings(load_settings({"SAGDET_DATA_DIR": str(tmp_path), "SAGDET_DATABASE_URL": url}))
    try:
        code = store.publish(upload(tmp_path), caller="teacher").code
        assert store.info(code, caller="learner").cards == 2
        assert not (tmp_path / SQLITE_FILE).exists()
    finally:
        store.close()


# --- the class's answers (game/results/store.py), in the same database ---

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def said(learner: str, word: str, outcome: str = "right", at: datetime = NOW, **more) -> Answer:
    values = {"named": True, "round": f"{learner}-1", "try_number": 1, "hints": 0, "spoken": True, "heard": word} | more
    return Answer(learner=learner, word=word, outcome=outcome, at=at, **values)


@pytest.fixture
def results(store):
    return ResultStore(store, days=90, now=lambda: NOW)


def test_answers_are_kept_per_deck_and_read_only_with_its_edit_key(store, results, tmp_path):
    first = store.publish(upload(tmp_path, "a"), caller="teacher")
    other = store.publish(upload(tmp_path, "b"), caller="teacher")
    mine = [said("Alva", "hund"), said("Bo", "katt", "wrong", heard="kat", hints=2, try_number=1, spoken=False)]
    assert results.record([(first.code, a) for a in mine] + [(other.code, said("Cy", "räv"))]) == 3
    assert results.answers(first.edit_key, first.code) == mine  # every field back as it went in, times in UTC
    assert [a.learner for a in results.answers(other.edit_key, other.code)] == ["Cy"]
    for key, code in ((other.edit_key, first.code), (first.edit_key[:-1] + "x", first.code), (first.edit_key, "")):
        with pytest.raises(StoreError) as err:
            results.answers(key, code)
        assert err.value.key == "wrong_key"


def test_deleting_the_results_keeps_the_deck_and_deleting_the_deck_takes_its_results(
    store, results, database, tmp_path
):
    shared = store.publish(upload(tmp_path), caller="teacher")
    results.record([(shared.code, said("Alva", "hund")), (shared.code, said("Bo", "hund"))])
    with pytest.raises(StoreError):
        results.delete(shared.edit_key + "x", shared.code)
    assert results.delete(shared.edit_key, shared.code) == 2
    assert results.answers(shared.edit_key, shared.code) == [] and store.info(shared.code, caller="t").cards == 2
    results.record([(shared.code, said("Cy", "katt"))])
    store.delete(shared.edit_key, shared.code)
    assert sql(database, "SELECT count(*) FROM answers") == [(0,)]
    assert results.record([(shared.code, said("Dan", "katt"))]) == 0  # a deck deleted meanwhile: dropped


def test_answers_older_than_the_retention_period_are_not_shown_and_are_removed(store, results, database, tmp_path):
    shared = store.publish(upload(tmp_path), caller="teacher")
    ages = [timedelta(days=91), timedelta(days=89), timedelta(0)]
    results.record([(shared.code, said("Alva", "hund", at=NOW - age)) for age in ages])
    kept = [a.at for a in results.answers(shared.edit_key, shared.code)]
    assert kept == [NOW - timedelta(days=89), NOW]
    assert sql(database, "SELECT count(*) FROM answers") == [(3,)]
    assert results.forget_old() == 1
    assert sql(database, "SELECT count(*) FROM answers") == [(2,)]


def test_replicas_recording_a_class_at_the_same_moment_lose_no_answer(make_store, tmp_path):
    replicas = [make_store(tmp_path / f"replica-{i}") for i in range(4)]
    shared = replicas[0].publish(upload(tmp_path), caller="teacher")
    writers = [ResultStore(replica, days=90, now=lambda: NOW) for replica in replicas]
    batches = [[(shared.code, said(f"L{i}-{n}", "hund")) for n in range(25)] for i in range(4)]
    stored = at_the_same_moment(*(partial(writer.record, batch) for writer, batch in zip(writers, batches)))
    assert stored == [25] * 4
    learners = sorted(a.learner for a in writers[1].answers(shared.edit_key, shared.code))
    assert learners == sorted(answer.learner for batch in batches for _, answer in batch)
