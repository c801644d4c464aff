"""Opening the store: an engine for the URL, migrations to the newest schema on first use and
on upgrade, and transactions that either commit whole or leave nothing behind.

SQLite runs in WAL mode with BEGIN IMMEDIATE, so two processes writing at once queue behind
each other instead of failing half-way; PostgreSQL serialises migrations with an advisory lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.orm import Session

MIGRATION_LOCK = 0x63686E63  # "chnc": the advisory lock id PostgreSQL migrations hold


class StoreError(Exception):
    """The database cannot be opened or written; the message names it (password hidden)."""


@dataclass
class Store:
    engine: sa.Engine
    shown: str  # the URL with its password hidden, for messages

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work: commits if the block completes, rolls back on any exception."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(engine: sa.Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.isolation_level = None  # transactions begun below, not by the driver
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _migrate(engine: sa.Engine) -> None:
    script = resources.files("chinacomply.inventory").joinpath("migrations")
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK})
        config = Config()
        config.set_main_option("script_location", str(script))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_store(url: str) -> Store:
    """The store at `url`, migrated to the newest schema."""
    try:
        engine = sa.create_engine(url)
    except (sa.exc.ArgumentError, ImportError) as err:
        raise StoreError(
            f"{url.rsplit('@', maxsplit=1)[-1]}: not a usable database URL ({err})"
        ) from None
    shown = engine.url.render_as_string(hide_password=True)
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database and database != ":memory:":
            from pathlib import Path

            Path(database).parent.mkdir(parents=True, exist_ok=True)
        _sqlite_pragmas(engine)
    try:
        _migrate(engine)
    except sa.exc.SQLAlchemyError as err:
        engine.dispose()
        raise StoreError(f"{shown}: cannot open the database ({type(err).__name__})") from None
    return Store(engine, shown)
