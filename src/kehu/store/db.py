"""Opening the store: checks before touching a file, the engine and its pragmas, transactions.

SQLite files are first inspected read-only with the standard library, so that a file written by
a newer kehu, or one that is not a kehu database at all, is refused without a single byte
changing (even `journal_mode=WAL` would rewrite its header). Write transactions begin with
BEGIN IMMEDIATE: with SQLite's default deferred BEGIN two writers deadlock on the upgrade from
read to write lock and one fails at once with "database is locked" instead of waiting.
"""

from __future__ import annotations

import math
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kehu.errors import CannotCreate, ConfigError, DatabaseBusy, KehuError, NotPermitted, TransactionConflict
from kehu.i18n import _, ngettext
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

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

DEFAULT_BUSY_SECONDS = 5.0
MAX_BUSY_SECONDS = 2_147_483  # SQLite's busy timeout is a C int of milliseconds


def busy_seconds() -> float:
    """KEHU_BUSY_TIMEOUT: how long to wait for another kehu's lock, in seconds (unset or empty: 5).
    Anything but a number from 0 to MAX_BUSY_SECONDS is a configuration error (exit 78)."""
    text = os.environ.get("KEHU_BUSY_TIMEOUT", "").strip()
    if not text:
        return DEFAULT_BUSY_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds <= MAX_BUSY_SECONDS:  # NaN fails both comparisons
        raise ConfigError(
            _("KEHU_BUSY_TIMEOUT={value}: give a number of seconds from 0 to {most}").format(
                value=text, most=MAX_BUSY_SECONDS
            )
        )
    return seconds


@dataclass
class Store:
    location: Location
    engine: Engine
    revision: str
    # Why this file cannot be written (a read-only file or directory), or None: writes are
    # refused with it up front (exit 77) instead of failing somewhere inside SQLite.
    read_only: str | None = None
    # Why this SQLite file is not the book kehu expects (open_store(suspect_ok=True) only).
    problems: tuple[str, ...] = ()

    @property
    def backend(self) -> Backend:
        return SQLITE if self.location.is_sqlite else POSTGRESQL

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with translate_errors(self.location), self.engine.connect() as connection, connection.begin():
            yield _Bridge(connection, self.backend)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: all of it commits, or none.

        SQLite: BEGIN IMMEDIATE, one writer at a time. PostgreSQL: REPEATABLE READ, so what a
        command read and decided on cannot change under it; a concurrent change to the same
        rows fails it with a serialization error (TransactionConflict), and the command runs
        again (cli/app.py)."""
        if self.read_only:
            raise NotPermitted(self.read_only)
        with translate_errors(self.location), self.engine.connect() as connection:
            options = {"kehu_write": True}
            if not self.location.is_sqlite:
                options["isolation_level"] = "REPEATABLE READ"
            connection = connection.execution_options(**options)
            with connection.begin():
                yield _Bridge(connection, self.backend)

    def close(self) -> None:
        self.engine.dispose()


class _Bridge(Connection):
    """While query modules move from SQLAlchemy Core to SQL text (issue 13): SQL text runs on the
    driver's connection inside SQLAlchemy's transaction; anything else goes to SQLAlchemy."""

    def __init__(self, sa_connection, backend: Backend) -> None:
        super().__init__(sa_connection.connection.driver_connection, backend)
        self.sa = sa_connection

    def execute(self, sql, params=None, **options):
        if isinstance(sql, str):
            return super().execute(sql, params, **options)
        return self.sa.execute(sql, params) if params is not None else self.sa.execute(sql)

    def __getattr__(self, name: str):
        return getattr(self.sa, name)


@contextmanager
def translate_errors(location: Location) -> Iterator[None]:
    """Turn driver errors a user can cause (locked, read-only, full disk) into KehuErrors."""
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except (DBAPIError, sqlite3.Error) as error:
        cause = (error.orig or error) if isinstance(error, DBAPIError) else error
        if error_family(cause) == "INTERRUPT":
            # Ctrl-C stopped a statement (_let_signals_in): the CLI says so and exits 130.
            raise KeyboardInterrupt from None
        raise database_error(location, cause) from None


def database_error(location: Location, error: BaseException) -> KehuError:
    where = location.display()
    state = getattr(error, "sqlstate", None)
    if state is not None:
        return _server_error(where, state, error)
    family = error_family(error)
    if family in ("BUSY", "LOCKED"):
        return _busy(where)
    if family == "AUTH":  # PostgreSQL refused the login (the URL's password is masked in `where`)
        return NotPermitted(_("database {db}: the server refused the login").format(db=where))
    if family in ("READONLY", "PERM"):
        return NotPermitted(_("database {db} is read-only").format(db=where))
    if family == "FULL":
        return CannotCreate(_("database {db}: the disk is full").format(db=where))
    if family == "IOERR":
        # A write the system refused: no space (some file systems), a file size limit, a failing
        # disk. SQLite rolled the transaction back, as with a full disk.
        message = _(
            "database {db}: disk I/O error (is the disk full, the file too large, or the disk failing?)"
        )
        return CannotCreate(message.format(db=where))
    if family == "NOTADB":
        return ConfigError(_("{db} is not a kehu database").format(db=where))
    if family == "CORRUPT":
        return ConfigError(
            _("database {db} is damaged ({error}); restore it from a backup").format(db=where, error=error)
        )
    if family == "CANTOPEN":
        return CannotCreate(_("cannot open database {db}").format(db=where))
    return _unmapped(where, error)


def _first_line(error: BaseException) -> str:
    # PostgreSQL adds DETAIL and HINT lines: the first line is the message.
    return (str(error).strip().splitlines() or [""])[0]


def _busy(where: str) -> DatabaseBusy:
    return DatabaseBusy(_("database {db} is busy (another kehu is writing); try again").format(db=where))


def _unmapped(where: str, error: BaseException) -> KehuError:
    return KehuError(_("database {db}: {error}").format(db=where, error=_first_line(error)))


def _server_error(where: str, state: str, error: BaseException) -> KehuError:
    """PostgreSQL's errors by SQLSTATE (its stable codes, not its words)."""
    first_line = _first_line(error)
    # Serialization failure, deadlock; and a unique key another transaction committed after this
    # one checked for it (two sellers adding one customer at once): run again, the command then
    # sees the other's row and says what it would have said had it come second.
    if state in ("40001", "40P01", "23505"):
        return TransactionConflict(
            _("database {db} is busy (others changed the same customers at once); try again").format(db=where)
        )
    if state == "42501" and "row-level security" in first_line:
        return NotPermitted(_("not yours: {db} lets you change only your own customers").format(db=where))
    if state in ("42501", "28000", "28P01"):  # insufficient privilege, login refused
        return NotPermitted(_("database {db}: {error}").format(db=where, error=first_line))
    if state == "55P03":  # lock not available
        return _busy(where)
    return _unmapped(where, error)


_FAMILY_WORDS = (
    ("AUTH", ("password authentication failed", "no pg_hba.conf entry")),
    ("BUSY", ("locked", "busy")),
    ("READONLY", ("readonly", "read-only", "permission")),
    ("FULL", ("full",)),
    ("IOERR", ("i/o error",)),
    ("NOTADB", ("not a database",)),
    ("CORRUPT", ("malformed",)),
    ("CANTOPEN", ("unable to open",)),
)


def error_family(error: BaseException) -> str | None:
    """SQLite's primary result code without its prefix (BUSY, READONLY, IOERR …): from the error
    name Python's sqlite3 attaches (SQLITE_IOERR_WRITE), else guessed from the message."""
    name = getattr(error, "sqlite_errorname", None)
    if isinstance(name, str) and name.startswith("SQLITE_") and name != "SQLITE_UNKNOWN":
        return name.split("_")[1]
    text = str(error).lower()
    return next((family for family, words in _FAMILY_WORDS if any(w in text for w in words)), None)


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
    engine = _create_engine(location, immutable=immutable)
    store = Store(location, engine, revision or "", read_only, tuple(problems))
    try:
        if location.path is None:
            revision = store.revision = _server_revision(store)
        if revision != HEAD_REVISION:
            store.revision = _migrate(store)
    except BaseException:
        engine.dispose()  # a refused login or schema must not leave a pooled connection open
        raise
    return store


def _server_revision(store: Store) -> str:
    """The schema revision of a server database ('' when it has none yet), read without the
    write transaction a migration needs: most commands then never take one."""
    from sqlalchemy import text

    with store.read() as connection:
        if connection.execute(text("SELECT to_regclass('alembic_version')")).scalar() is None:
            return ""
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar() or ""


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
        raise ConfigError(
            _("{db} was written by a newer kehu (schema {revision}); upgrade kehu to use it").format(
                db=path, revision=schema.revision
            )
        )
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


def _create_engine(location: Location, *, immutable: bool = False) -> Engine:
    from sqlalchemy import create_engine, event

    if not location.is_sqlite:
        # psycopg prepares a statement on the server after its fifth run and then reuses that
        # plan: an import's 5,000-name lookups, planned while the table was empty, went on
        # scanning it row by row once it held 100,000 (a 100k import took 83–493 s, not 41).
        from sqlalchemy.engine import make_url

        psycopg3 = make_url(location.url).get_driver_name() == "psycopg"
        # A lock held by someone else (a colleague's `LOCK TABLE customer` in psql, say) is
        # waited for as long as SQLite's busy timeout, then it is "busy" (55P03, exit 75), not
        # forever (issue 12). Not statement_timeout: a 100,000-row import may rightly take longer.
        lock_wait = f"-c lock_timeout={int(busy_seconds() * 1000)}"
        connect_args = {"options": lock_wait, **({"prepare_threshold": None} if psycopg3 else {})}
        return create_engine(location.url, connect_args=connect_args)
    # The file is opened by the path that was checked, never through a URL: SQLAlchemy would read
    # a `?` in the file's name as options and open another file (issue 12).
    if immutable:
        uri = f"{location.path.as_uri()}?mode=ro&immutable=1"
        arguments = {"database": uri, "uri": True}
    else:
        arguments = {"database": str(location.path)}
    seconds = busy_seconds()
    engine = create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(**arguments, timeout=seconds),
        # One short-lived process per command: no pool to keep, and nothing shared across threads.
        poolclass=_null_pool(),
    )
    timeout_ms = int(seconds * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's begin event below issue BEGIN itself (pysqlite's own is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        if not immutable:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # Whatever a received file's schema holds may not call a function with side effects.
        cursor.execute("PRAGMA trusted_schema = OFF")
        cursor.execute("PRAGMA synchronous = NORMAL")
        # 64 MB of page cache (the default is 2 MB): a 100,000-row import updates six indexes in
        # random order, and with 2 MB it rewrote the same index pages over and over (8 s, not 1).
        cursor.execute("PRAGMA cache_size = -65536")
        cursor.close()
        dbapi_connection.set_progress_handler(_let_signals_in, PROGRESS_STEPS)

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        write = connection.get_execution_options().get("kehu_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


# SQLite runs a statement without returning to Python, so Ctrl-C waited for its end, and a
# runaway one has none (issue 12). Every PROGRESS_STEPS of its virtual machine's steps (about a
# millisecond) it now calls _let_signals_in; a pending SIGINT then raises KeyboardInterrupt in that
# call, which makes SQLite stop the statement (SQLITE_INTERRUPT, rolled back; translate_errors).
PROGRESS_STEPS = 100_000


def _let_signals_in() -> int:
    return 0  # go on; Python runs its signal handlers on entering any Python function


def _null_pool():
    from sqlalchemy.pool import NullPool

    return NullPool


def _migrate(store: Store) -> str:
    """Bring the schema to HEAD_REVISION inside one write transaction, re-checking under the lock
    so that two kehu processes opening a new file at once do not both create it.

    Alembic is imported before the lock is taken: others wait for the lock only as long as the
    schema takes to write, not for a cold import as well."""
    from alembic import command  # noqa: F401
    from alembic.config import Config  # noqa: F401
    from alembic.runtime import migration  # noqa: F401
    from sqlalchemy import inspect, text

    with store.write() as bridge:
        connection = bridge.sa
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
