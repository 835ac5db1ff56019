"""Opening the store: checks before touching a file, the driver connections, transactions.

SQLite files are first inspected read-only with the standard library, so that a file written by
a newer kehu, or one that is not a kehu database at all, is refused without a single byte
changing (even `journal_mode=WAL` would rewrite its header). Write transactions begin with
BEGIN IMMEDIATE: with SQLite's default deferred BEGIN two writers deadlock on the upgrade from
read to write lock and one fails at once with "database is locked" instead of waiting.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kehu.errors import CannotCreate, ConfigError, NotPermitted
from kehu.i18n import _, ngettext
from kehu.store import driver
from kehu.store.driver import busy_seconds
from kehu.store.failures import database_error, error_family, newer_schema, translate_errors
from kehu.store.location import Location
from kehu.store.schema import (
    HEAD_COLUMNS,
    HEAD_REVISION,
    KEHU_TABLES,
    KNOWN_REVISIONS,
    SQLITE_ADDED_BY,
    SQLITE_TRIGGERS_AND_VIEWS,
)
from kehu.store.sql import POSTGRESQL, SQLITE, Backend, Connection

# Re-exported: the names other modules knew this module by.
__all__ = ["Store", "busy_seconds", "database_error", "error_family", "is_kehu_file", "open_store",
           "translate_errors"]  # fmt: skip


@dataclass
class Store:
    """An open book: where it is, its schema revision, and the driver connections kehu uses."""

    location: Location
    revision: str
    # Why this file cannot be written (a read-only file or directory), or None: writes are
    # refused with it up front (exit 77) instead of failing somewhere inside SQLite.
    read_only: str | None = None
    # Why this SQLite file is not the book kehu expects (open_store(suspect_ok=True) only).
    problems: tuple[str, ...] = ()
    immutable: bool = False  # read with SQLite's immutable=1 (a file in a read-only directory)
    # One connection kept between transactions (a command runs several); a transaction opened
    # while another is open gets a connection of its own.
    _idle: list[Any] = field(default_factory=list, repr=False)

    @property
    def backend(self) -> Backend:
        return SQLITE if self.location.is_sqlite else POSTGRESQL

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self._transaction("BEGIN") as connection:
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: all of it commits, or none.

        SQLite: BEGIN IMMEDIATE, one writer at a time. PostgreSQL: REPEATABLE READ, so what a
        command read and decided on cannot change under it; a concurrent change to the same
        rows fails it with a serialization error (TransactionConflict), and the command runs
        again (cli/app.py)."""
        if self.read_only:
            raise NotPermitted(self.read_only)
        begin = "BEGIN ISOLATION LEVEL REPEATABLE READ" if self.backend.is_postgresql else "BEGIN IMMEDIATE"
        with self._transaction(begin) as connection:
            yield connection

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[Connection]:
        with translate_errors(self.location):
            raw = self._idle.pop() if self._idle else driver.connect(self.location, immutable=self.immutable)
            try:
                raw.execute(begin)
            except BaseException:
                raw.close()
                raise
            try:
                yield Connection(raw, self.backend)
            except BaseException:
                self._roll_back(raw)
                raise
            try:
                raw.execute("COMMIT")
            except BaseException:
                raw.close()
                raise
            self._idle.append(raw)

    def _roll_back(self, raw: Any) -> None:
        """End a failed transaction, keeping the connection if that works. SQLite has already
        rolled back after some errors (a full disk): then ROLLBACK fails, and the error that
        matters is the first one, so this one is not raised."""
        try:
            raw.execute("ROLLBACK")
        except BaseException:
            with contextlib.suppress(Exception):
                raw.close()
        else:
            self._idle.append(raw)

    def close(self) -> None:
        while self._idle:
            with contextlib.suppress(Exception):
                self._idle.pop().close()


def open_store(location: Location, *, suspect_ok: bool = False) -> Store:
    """Open (creating or upgrading if needed) the database at `location`.

    A SQLite file that is not the book kehu expects (code someone else put in it, a column gone)
    is refused. With `suspect_ok` (for `kehu check`) it is opened to be looked at, its problems in
    Store.problems, unless it needs a migration: that would write, and run whatever it holds."""
    busy_seconds()  # a bad KEHU_BUSY_TIMEOUT is refused before anything is touched
    revision, problems = _inspect_sqlite_file(location) if location.path is not None else (None, [])
    if problems and not (suspect_ok and revision == HEAD_REVISION):
        raise _not_expected(location, problems)
    read_only, immutable = _write_refusal(location.path) if location.path is not None else (None, False)
    store = Store(location, revision or "", read_only, tuple(problems), immutable)
    try:
        if location.path is None:
            revision = store.revision = _server_revision(store)
        if revision != HEAD_REVISION:
            if read_only:
                raise NotPermitted(read_only)
            from kehu.store.migrate import migrate

            store.revision = migrate(location)
    except BaseException:
        store.close()  # a refused login or schema must not leave a connection open
        raise
    return store


def _server_revision(store: Store) -> str:
    """The schema revision of a server database ('' when it has none yet), read without the
    write transaction a migration needs: most commands then never take one."""
    with store.read() as connection:
        if connection.execute("SELECT to_regclass('alembic_version') AS found").scalar() is None:
            return ""
        revision = connection.execute("SELECT version_num FROM alembic_version").scalar() or ""
    if revision and revision not in KNOWN_REVISIONS:
        raise newer_schema(store.location.display(), revision)
    return revision


def _inspect_sqlite_file(location: Location) -> tuple[str | None, list[str]]:
    """The file's schema revision (None: new or empty) and why it is not the book kehu expects
    ([]: it is), refusing foreign and newer files and anything but a regular file."""
    path = location.path
    assert path is not None
    if path.is_dir():
        raise CannotCreate(_("{path} is a directory, not a database file").format(path=path))
    if not path.exists():
        _make_parent(path)
        return None, []
    if not path.is_file():  # /dev/null, a pipe: SQLite would put its journal beside it
        raise CannotCreate(_("{path} is not a regular file, so not a database file").format(path=path))
    if not os.access(path, os.R_OK):
        raise NotPermitted(_("cannot read database {path}: permission denied").format(path=path))
    if path.stat().st_size == 0:
        return None, []
    try:
        schema = _read_schema(path)
    except sqlite3.Error as error:
        raise database_error(location, error) from None
    if not schema.kinds:
        return None, []
    if not schema.is_kehu:
        raise ConfigError(_("{db} is not a kehu database").format(db=path))
    if schema.revision not in KNOWN_REVISIONS:
        raise newer_schema(str(path), schema.revision)
    return schema.revision, _schema_problems(schema)


def is_kehu_file(path: Path) -> bool:
    """Whether `path` is a regular file holding a kehu database (of any revision), found without
    changing a byte of it."""
    if not path.is_file():
        return False
    try:
        schema = _read_schema(path)
    except sqlite3.Error:
        return False
    return schema.is_kehu


@dataclass(frozen=True)
class _FileSchema:
    """What the read-only probe saw in a SQLite file."""

    kinds: dict[str, str]  # sqlite_master's names: table, index, trigger, view or virtual table
    revision: str | None  # alembic_version's
    columns: dict[str, set[str]]  # the columns of kehu's tables, read at the head revision only

    @property
    def is_kehu(self) -> bool:
        return all(self.kinds.get(table) == "table" for table in ("alembic_version", *KEHU_TABLES))


def _schema_problems(schema: _FileSchema) -> list[str]:
    """Why a kehu book is not as kehu left it ([]: it is).

    Triggers and views run inside kehu's own statements (a trigger on touch can rewrite every
    customer's owner; a recursive one never ends), and kehu makes none: any is someone else's.
    A revision set back by hand would make the migrations fail half-way; a column dropped or
    added by hand, the commands."""
    foreign = {
        "trigger": _("trigger {name} was not made by kehu"),
        "view": _("view {name} was not made by kehu"),
        "virtual table": _("virtual table {name} was not made by kehu"),
    }
    problems = [
        foreign[kind].format(name=name)
        for name, kind in sorted(schema.kinds.items())
        if kind in foreign and name not in SQLITE_TRIGGERS_AND_VIEWS
    ]
    later = KNOWN_REVISIONS[KNOWN_REVISIONS.index(schema.revision) + 1 :]
    too_new = sorted({name for r in later for name in SQLITE_ADDED_BY.get(r, ())} & schema.kinds.keys())
    if too_new:
        message = _("alembic_version says schema {revision}, but the file holds {names} of a later one")
        problems.append(message.format(revision=schema.revision, names=", ".join(too_new)))
    if schema.revision == HEAD_REVISION:
        for table, expected in _head_columns().items():
            found = schema.columns.get(table)
            if found is None:
                problems.append(_("table {table} is missing").format(table=table))
                continue
            problems += [
                _("table {table} has no column {column}").format(table=table, column=column)
                for column in sorted(expected - found)
            ]
            unknown = _("table {table} has a column kehu does not know: {column}")
            problems += [unknown.format(table=table, column=column) for column in sorted(found - expected)]
    return problems


def _head_columns() -> dict[str, set[str]]:
    """Each table's columns at the head revision (store/schema.py, tested to match the models)."""
    return {table: set(columns) for table, columns in HEAD_COLUMNS.items()}


def _not_expected(location: Location, problems: list[str]) -> ConfigError:
    if len(problems) == 1:
        message = _("{db} is not the book kehu expects ({problem}): kehu will not use it")
    else:
        message = ngettext(
            "{db} is not the book kehu expects ({problem}, and {count} more): kehu will not use it",
            "{db} is not the book kehu expects ({problem}, and {count} more): kehu will not use it",
            len(problems) - 1,
        )
    return ConfigError(message.format(db=location.display(), problem=problems[0], count=len(problems) - 1))


def _read_schema(path: Path) -> _FileSchema:
    """The file's schema as _FileSchema, read without changing a byte.

    With no -wal file beside it the main file holds everything: read it as immutable, so not even
    the -shm/-wal companions a WAL reader creates appear next to a refused file. A kehu writer
    that starts meanwhile creates the -wal and may checkpoint into the file while it is read
    without locks; then the file is read again, properly locked.
    """
    wal = Path(f"{path.resolve()}-wal")  # beside the file a symbolic link points to
    if not wal.exists():
        try:
            result = _probe(path, "mode=ro&immutable=1")
        except sqlite3.Error:
            if not wal.exists():
                raise
        else:
            if not wal.exists():
                return result
    return _probe(path, "mode=ro")


def _probe(path: Path, mode: str) -> _FileSchema:
    probe = sqlite3.connect(f"{path.as_uri()}?{mode}", uri=True, timeout=busy_seconds())
    try:
        # Nothing here runs what the file holds: a virtual table is not read (its module could be
        # anything), alembic_version only when it is a plain table.
        rows = probe.execute("SELECT type, name, sql LIKE 'CREATE VIRTUAL TABLE%' FROM sqlite_master")
        kinds = {name: "virtual table" if virtual else kind for kind, name, virtual in rows}
        revision = None
        if kinds.get("alembic_version") == "table":
            row = probe.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        columns: dict[str, set[str]] = {}
        if revision == HEAD_REVISION:
            # A statement's column names come from the schema SQLite has parsed already: a fifth of
            # what pragma_table_xinfo costs (0.07 ms for all tables). LIMIT 0 reads no row.
            for table in _head_columns():
                if kinds.get(table) == "table":
                    cursor = probe.execute(f'SELECT * FROM "{table}" LIMIT 0')
                    columns[table] = {description[0] for description in cursor.description}
        return _FileSchema(kinds, revision, columns)
    finally:
        probe.close()


def _make_parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        kind = NotPermitted if isinstance(error, PermissionError) else CannotCreate
        raise kind(
            _("cannot create directory {dir}: {error}").format(dir=path.parent, error=error.strerror)
        ) from None
    if not os.access(path.parent, os.W_OK):
        raise NotPermitted(_("cannot create database {path}: directory is read-only").format(path=path))


def _write_refusal(path: Path) -> tuple[str | None, bool]:
    """Why kehu cannot write the file (None: it can), and whether it must be read as immutable.

    In WAL mode SQLite keeps FILE-wal and FILE-shm beside the database: in a read-only directory
    where they do not exist it can neither write nor even read the file normally. Such a file
    (a backup on a read-only mount, say) is still read, as immutable, and every write is refused.
    """
    if not path.exists():
        return None, False
    real = path.resolve()  # SQLite puts the -wal beside the file a symbolic link points to
    if not os.access(real.parent, os.W_OK) and not Path(f"{real}-wal").exists():
        return _("cannot write database {db}: its directory is read-only").format(db=path), True
    if not os.access(path, os.W_OK):
        return _("database {db} is read-only").format(db=path), False
    return None, False
