"""The game's one database: its tables, how it is opened, and its schema kept current.

Published decks (game/decks/store.py) and the class's answers (game/results/store.py) live in it:

    SQLite    a file in SAGDET_DATA_DIR, by default
    PostgreSQL when SAGDET_DATABASE_URL is set (postgresql+psycopg://user:password@host/db)

Every table is declared here, so a new database gets all of them whichever store opens it first.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    insert,
    inspect,
    make_url,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from game.config import Settings

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2  # 1: decks and their files; 2: the class's answers (game/results/store.py)
SCHEMA_LOCK = 0x5A6DE7  # PostgreSQL advisory lock key: any number other programs on the database do not use
SQLITE_FILE = "decks.sqlite"
SQLITE_WAIT = 30  # seconds a writer waits for another's transaction to end before it gives up
CODE_LENGTH = 6  # a class code's characters (game/decks/store.py draws them): 31**6 ≈ 887 million codes


class SchemaTooNew(RuntimeError):
    """The database was made by a newer version of the game."""

    def __init__(self, found: int, known: int):
        super().__init__(f"database schema {found}; this version knows {known}")
        self.found, self.known = found, known


class Base(DeclarativeBase):
    pass


class SchemaVersion(Base):
    __tablename__ = "schema_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1: one row, which two writers cannot both add
    version: Mapped[int] = mapped_column(Integer)


class StoredDeck(Base):
    __tablename__ = "decks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(CODE_LENGTH), unique=True)
    edit_key_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    cards: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)  # bytes of the YAML and the files together
    revision: Mapped[int] = mapped_column(Integer)  # 1, then one more at each update: names the cached copy
    yaml: Mapped[str] = mapped_column(Text, deferred=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DeckFile(Base):
    """A picture or recording of a deck, named by its path inside the deck's folder (`hund.png`)."""

    __tablename__ = "deck_files"
    __table_args__ = (UniqueConstraint("deck_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class StoredAnswer(Base):
    """One learner's answer on a shared deck (game/results/answers.py says what is kept and why)."""

    __tablename__ = "answers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"), index=True)
    learner: Mapped[str] = mapped_column(String(40))  # a nickname (at most 30 characters) or an anonymous id
    named: Mapped[bool] = mapped_column(Boolean)
    round: Mapped[str] = mapped_column(String(32))
    word: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))
    try_number: Mapped[int] = mapped_column(Integer)
    hints: Mapped[int] = mapped_column(Integer)
    spoken: Mapped[bool] = mapped_column(Boolean)
    heard: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)  # retention removes by it


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite gives back times without their zone; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def database_url(settings: Settings) -> str:
    return settings.database_url or sqlite_url(settings.data_dir)


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / SQLITE_FILE}"


def open_engine(url: str, data_dir: Path) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        data_dir.mkdir(parents=True, exist_ok=True)
        return create_engine(parsed, connect_args={"timeout": SQLITE_WAIT})
    if parsed.drivername in ("postgresql", "postgres"):  # a host's plain URL: psycopg (v3) is the driver installed
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True)  # a replica's idle connection may have been dropped


def prepare_schema(engine: Engine) -> None:
    """Create the tables on a new database, bring an older one up to SCHEMA_VERSION, and refuse a newer one.

    Each version so far only added tables (2: `answers`), which `create_all` adds to an older
    database as it creates them on a new one, leaving what is there alone; then the version row
    says so. A version that changes an existing table is when a migration tool (Alembic) earns
    its place.
    """
    with engine.begin() as connection:
        _lock_schema(connection)
        found = _stored_version(connection)
        if found is not None and found > SCHEMA_VERSION:
            raise SchemaTooNew(found, SCHEMA_VERSION)
        Base.metadata.create_all(connection)
        if found is None:
            connection.execute(insert(SchemaVersion).values(id=1, version=SCHEMA_VERSION))
        elif found < SCHEMA_VERSION:
            log.info("database: schema %d brought up to %d", found, SCHEMA_VERSION)
            connection.execute(update(SchemaVersion).where(SchemaVersion.id == 1).values(version=SCHEMA_VERSION))


def _lock_schema(connection: Connection) -> None:
    """One process at a time looks at the schema and creates it, until its transaction ends.

    Replicas that start at the same moment would otherwise both see no tables and both create
    them, and all but one fail. PostgreSQL has a lock for that; SQLite takes its write lock at
    BEGIN IMMEDIATE (Python's sqlite3 would not start a transaction for CREATE TABLE at all).
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _stored_version(connection: Connection) -> int | None:
    if not inspect(connection).has_table(SchemaVersion.__tablename__):
        return None
    return connection.scalar(select(SchemaVersion.version).where(SchemaVersion.id == 1))
