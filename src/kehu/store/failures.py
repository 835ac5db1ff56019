"""What the drivers' errors mean to a user: busy, read-only, full disk, refused login, a conflict
to run again — each a KehuError with its exit code, by SQLite's result code or PostgreSQL's
SQLSTATE rather than by the words of the message where the driver gives one."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from kehu.errors import CannotCreate, ConfigError, DatabaseBusy, KehuError, NotPermitted, TransactionConflict
from kehu.i18n import _
from kehu.store.location import Location


def _driver_errors() -> tuple[type[BaseException], ...]:
    """The error classes of the drivers loaded in this process (psycopg and SQLAlchemy only when a
    command has imported them: looking for them must not import them)."""
    errors: list[type[BaseException]] = [sqlite3.Error]
    psycopg = sys.modules.get("psycopg")
    if psycopg is not None:
        errors.append(psycopg.Error)
    sqlalchemy_errors = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_errors is not None:
        errors.append(sqlalchemy_errors.DBAPIError)
    return tuple(errors)


@contextmanager
def translate_errors(location: Location) -> Iterator[None]:
    """Turn driver errors a user can cause (locked, read-only, full disk) into KehuErrors."""
    try:
        yield
    except _driver_errors() as error:
        cause = getattr(error, "orig", None) or error  # SQLAlchemy's wrapper (migrations) or the driver's own
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


def newer_schema(where: str, revision: str) -> ConfigError:
    """A database whose schema this kehu does not know: a later kehu wrote it (exit 78)."""
    message = _("{db} was written by a newer kehu (schema {revision}); upgrade kehu to use it")
    return ConfigError(message.format(db=where, revision=revision))
