"""Opening the store: checks before touching a file, the engine and its pragmas, transactions.

SQLite files are first inspected read-only with the standard library, so that a file written by
a newer kehu, or one that is not a kehu database at all, is refused without a single byte
changing (even `journal_mode=WAL` would rewrite its header). Write transactions begin with
BEGIN IMMEDIATE: with SQLite's default deferred BEGIN two writers deadlock on the upgrade from
read to write lock and one fails at once with "database is locked" instead of waiting.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kehu.errors import CannotCreate, ConfigError, DatabaseBusy, KehuError, NotPermitted
from kehu.i18n import _
from kehu.store.location import Location
from kehu.store.schema import HEAD_REVISION, KEHU_TABLES, KNOWN_REVISIONS

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

DEFAULT_BUSY_SECONDS = 5.0


def busy_seconds() -> float:
    try:
        return float(os.environ.get("KEHU_BUSY_TIMEOUT", DEFAULT_BUSY_SECONDS))
    except ValueError:
        return DEFAULT_BUSY_SECONDS


@dataclass
class Store:
    location: Location
    engine: Engine
    revision: str

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with translate_errors(self.location), self.engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction (BEGIN IMMEDIATE on SQLite): all of it commits, or none."""
        with translate_errors(self.location), self.engine.connect() as connection:
            connection = connection.execution_options(kehu_write=True)
            with connection.begin():
                yield connection

    def close(self) -> None:
        self.engine.dispose()


@contextmanager
def translate_errors(location: Location) -> Iterator[None]:
    """Turn driver errors a user can cause (locked, read-only, full disk) into KehuErrors."""
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except DBAPIError as error:
        raise database_error(location, error.orig or error) from None
    except sqlite3.Error as error:
        raise database_error(location, error) from None


def database_error(location: Location, error: BaseException) -> KehuError:
    text = str(error).lower()
    where = location.display()
    if "locked" in text or "busy" in text:
        return DatabaseBusy(_("database {db} is busy (another kehu is writing); try again").format(db=where))
    if "readonly" in text or "read-only" in text or "permission" in text:
        return NotPermitted(_("database {db} is read-only").format(db=where))
    if "full" in text:
        return CannotCreate(_("database {db}: the disk is full").format(db=where))
    if "not a database" in text or "malformed" in text:
        return ConfigError(_("{db} is not a kehu database").format(db=where))
    if "unable to open" in text:
        return CannotCreate(_("cannot open database {db}").format(db=where))
    return KehuError(_("database {db}: {error}").format(db=where, error=error))


def open_store(location: Location) -> Store:
    """Open (creating or upgrading if needed) the database at `location`."""
    revision = _inspect_sqlite_file(location) if location.path is not None else None
    engine = _create_engine(location)
    store = Store(location, engine, revision or "")
    if revision != HEAD_REVISION:
        store.revision = _migrate(store)
    return store


def _inspect_sqlite_file(location: Location) -> str | None:
    """Return the file's schema revision (None: new or empty), refusing foreign and newer files."""
    path = location.path
    assert path is not None
    if path.is_dir():
        raise CannotCreate(_("{path} is a directory, not a database file").format(path=path))
    if not path.exists():
        _make_parent(path)
        return None
    if not os.access(path, os.R_OK):
        raise NotPermitted(_("cannot read database {path}: permission denied").format(path=path))
    if path.stat().st_size == 0:
        return None
    try:
        # With no -wal file beside it the main file holds everything: read it as immutable, so
        # not even the -shm/-wal companions a WAL reader creates appear next to a refused file.
        mode = "mode=ro" if Path(f"{path}-wal").exists() else "mode=ro&immutable=1"
        probe = sqlite3.connect(f"{path.as_uri()}?{mode}", uri=True, timeout=busy_seconds())
        try:
            tables = {row[0] for row in probe.execute("SELECT name FROM sqlite_master")}
            if not tables:
                return None
            if "alembic_version" not in tables or not tables >= KEHU_TABLES:
                raise ConfigError(_("{db} is not a kehu database").format(db=path))
            row = probe.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            probe.close()
    except sqlite3.Error as error:
        raise database_error(location, error) from None
    revision = row[0] if row else None
    if revision not in KNOWN_REVISIONS:
        raise ConfigError(
            _("{db} was written by a newer kehu (schema {revision}); upgrade kehu to use it").format(
                db=path, revision=revision
            )
        )
    return revision


def _make_parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CannotCreate(
            _("cannot create directory {dir}: {error}").format(dir=path.parent, error=error.strerror)
        ) from None
    if not os.access(path.parent, os.W_OK):
        raise NotPermitted(_("cannot create database {path}: directory is read-only").format(path=path))


def _create_engine(location: Location) -> Engine:
    from sqlalchemy import create_engine, event

    if not location.is_sqlite:
        return create_engine(location.url)
    engine = create_engine(
        location.url,
        connect_args={"timeout": busy_seconds()},
        # One short-lived process per command: no pool to keep, and nothing shared across threads.
        poolclass=_null_pool(),
    )
    timeout_ms = int(busy_seconds() * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's begin event below issue BEGIN itself (pysqlite's own is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        write = connection.get_execution_options().get("kehu_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _null_pool():
    from sqlalchemy.pool import NullPool

    return NullPool


def _migrate(store: Store) -> str:
    """Bring the schema to HEAD_REVISION inside one write transaction, re-checking under the lock
    so that two kehu processes opening a new file at once do not both create it."""
    from sqlalchemy import inspect, text

    with store.write() as connection:
        revision = None
        if inspect(connection).has_table("alembic_version"):
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise ConfigError(
                _("{db} was written by a newer kehu (schema {revision}); upgrade kehu to use it").format(
                    db=store.location.display(), revision=revision
                )
            )
        if revision != HEAD_REVISION:
            run_alembic_upgrade(connection)
    return HEAD_REVISION


def run_alembic_upgrade(connection: Connection, target: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.attributes["connection"] = connection
    command.upgrade(config, target)
